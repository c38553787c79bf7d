//! The crate's [`Error`] (provider JataPay, the operation, and what went wrong as an
//! [`ErrorKind`](payments_common::ErrorKind)), and how JataPay's error answers map onto the
//! shared kinds.
//!
//! JataPay documents no error bodies. The backend's fingerprint (Flask, `flask-jwt-extended`
//! style tokens) suggests — an inference, not documentation — that:
//!
//! - authentication failures are `{"msg": "..."}` with 401 (missing or expired token) or 422
//!   (malformed token): both become [`ErrorKind::Unauthorized`] with the message kept;
//! - other JSON errors carry `msg` (or `message`): 404 becomes [`ErrorKind::NotFound`], anything
//!   else [`ErrorKind::Api`] with the message;
//! - unknown routes and crashes answer Flask's HTML pages: a non-JSON 404 or 405 becomes
//!   [`ErrorKind::Http`] with the content type and a short redacted excerpt (it cannot tell a
//!   missing subscription from a wrong route), and everything else falls back to
//!   [`Response::error`] (HTML 5xx → [`ErrorKind::Http`], 401/403 → [`ErrorKind::Unauthorized`], …).
//!
//! A malformed body never panics: it falls through to the generic mapping. No answer is read
//! as JataPay's definitive refusal when it comes with a 5xx status (JataPay documents no error
//! body), so a 5xx after a create leaves its outcome unknown.

use payments_common::http::Response;
use payments_common::{ErrorKind, StatusCode};
use serde::Deserialize;

payments_common::provider_error!(payments_common::Provider::JataPay);

/// An amount that could not be parsed (`Money::parse`), as an invalid request naming `amount`
/// (operation `money.parse`), so that `?` works on it in a function returning this crate's
/// [`Result`].
///
/// ```
/// use jatapay::{Currency, Money};
/// fn price(text: &str) -> jatapay::Result<Money> {
///     Ok(Money::parse(text, Currency::EUR)?)
/// }
/// let err = price("20.001").unwrap_err();
/// assert_eq!((err.operation(), err.invalid_field()), ("money.parse", Some("amount")));
/// ```
impl From<payments_common::MoneyError> for Error {
    fn from(error: payments_common::MoneyError) -> Self {
        Error::new("money.parse", ErrorKind::from(error))
    }
}

/// The error body, decoded in one pass; every field optional.
#[derive(Deserialize)]
struct ErrorBody {
    msg: Option<String>,
    message: Option<String>,
}

/// The error for a non-success `response`; each of `secrets` is masked in the provider's
/// message before it is cut to length, so that no part of one survives at the cut.
pub(crate) fn from_response(response: &Response, secrets: &[&str]) -> ErrorKind {
    let status = response.status();
    let request_id = response.request_id();
    let is_json = response.looks_like_json();
    // Rate limiting and redirects keep their generic meaning whatever the body says.
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_redirection() {
        return response.error();
    }
    if is_json {
        // Only an object: a derived reader would take a proxy's JSON array positionally.
        let body: Option<ErrorBody> =
            serde_json::from_slice::<payments_common::serde::Object<ErrorBody>>(response.body())
                .ok()
                .map(|payments_common::serde::Object(body)| body);
        if let Some(message) = body.and_then(|b| b.msg.or(b.message)) {
            let message = Some(bounded(&message, secrets));
            return match status.as_u16() {
                401 | 403 | 422 => ErrorKind::Unauthorized {
                    status,
                    message,
                    request_id,
                },
                404 => ErrorKind::NotFound {
                    message,
                    request_id,
                },
                _ => ErrorKind::Api {
                    status,
                    code: None,
                    message,
                    messages: Vec::new(),
                    field_errors: Default::default(),
                    request_id,
                },
            };
        }
    }
    match status.as_u16() {
        404 | 405 if !is_json => ErrorKind::Http {
            status,
            content_type: response.content_type().map(str::to_owned),
            excerpt: response.excerpt(),
            request_id,
        },
        _ => response.error(),
    }
}

/// A provider message made safe for an error: `secrets` masked (in every rendering the shared
/// excerpt knows) *before* it is bounded, control characters escaped.
fn bounded(message: &str, secrets: &[&str]) -> String {
    payments_common::redact::excerpt(message.as_bytes(), secrets)
}

/// Success (2xx) → `T`, anything else → the mapped error.
pub(crate) fn json_or_error<T: serde::de::DeserializeOwned>(
    response: Response,
    secrets: &[&str],
) -> Result<T, ErrorKind> {
    if response.status().is_success() {
        response.json()
    } else {
        Err(from_response(&response, secrets))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msg_bodies_and_html_pages() {
        let r = Response::for_tests(
            StatusCode::UNAUTHORIZED,
            "application/json",
            br#"{"msg":"Token has expired"}"#,
        );
        assert!(
            matches!(from_response(&r, &[]), ErrorKind::Unauthorized { message: Some(m), .. } if m == "Token has expired")
        );
        let r = Response::for_tests(
            StatusCode::UNPROCESSABLE_ENTITY,
            "application/json",
            br#"{"msg":"Not enough segments"}"#,
        );
        assert!(matches!(
            from_response(&r, &[]),
            ErrorKind::Unauthorized { .. }
        ));
        let r = Response::for_tests(StatusCode::NOT_FOUND, "text/html", b"<h1>Not Found</h1>");
        assert!(
            matches!(from_response(&r, &[]), ErrorKind::Http { status, .. } if status == StatusCode::NOT_FOUND)
        );
        let r = Response::for_tests(
            StatusCode::BAD_REQUEST,
            "application/json",
            br#"{"msg":42}"#,
        );
        assert!(matches!(from_response(&r, &[]), ErrorKind::Http { .. }));
        let r = Response::for_tests(
            StatusCode::BAD_REQUEST,
            "application/json",
            br#"{"message":"importo mancante"}"#,
        );
        assert!(
            matches!(from_response(&r, &[]), ErrorKind::Api { message: Some(m), .. } if m == "importo mancante")
        );
    }

    #[test]
    fn a_secret_straddling_the_cut_is_masked_before_the_message_is_cut() {
        let secret = "jp-secret-CANARY";
        for offset in [240, 250, 500, 505] {
            let body =
                serde_json::json!({ "msg": format!("{}{secret} refused", "x".repeat(offset)) });
            let r = Response::for_tests(
                StatusCode::UNAUTHORIZED,
                "application/json",
                body.to_string().as_bytes(),
            );
            let shown = format!("{:?}", from_response(&r, &[secret]));
            for window in secret.as_bytes().windows(8) {
                let window = std::str::from_utf8(window).unwrap();
                assert!(
                    !shown.contains(window),
                    "offset {offset}: `{window}` in {shown}"
                );
            }
        }
    }
}
