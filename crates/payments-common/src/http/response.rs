//! A complete response, read within the body cap.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, LOCATION, RETRY_AFTER};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::redact;

/// Response headers providers use to name a request.
const REQUEST_ID_HEADERS: &[&str] = &[
    "x-request-id",
    "request-id",
    "x-correlation-id",
    "x-amzn-requestid",
];

/// A provider's answer: status, headers and the whole body (within the cap).
///
/// Provider crates turn it into a typed value with [`Response::json`] or into an error with
/// their own mapping, falling back to [`Response::error`].
///
/// ```
/// use payments_common::http::Response;
/// use payments_common::{Error, StatusCode};
///
/// let ok = Response::for_tests(StatusCode::OK, "application/json", br#"{"id":"p1"}"#);
/// let value: serde_json::Value = ok.json()?;
/// assert_eq!(value["id"], "p1");
///
/// let proxy = Response::for_tests(StatusCode::BAD_GATEWAY, "text/html", b"<h1>502 Bad Gateway</h1>");
/// assert!(matches!(proxy.error(), Error::Http { .. }));
/// # Ok::<(), Error>(())
/// ```
pub struct Response {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
    redact: Arc<[SecretString]>,
}

impl Response {
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        body: Vec<u8>,
        redact: Arc<[SecretString]>,
    ) -> Self {
        Response {
            status,
            headers,
            body,
            redact,
        }
    }

    /// A response built in memory, for tests of error mappings and decoders.
    ///
    /// ```
    /// let r = payments_common::http::Response::for_tests(reqwest::StatusCode::NO_CONTENT, "text/plain", b"");
    /// assert!(r.body().is_empty());
    /// ```
    pub fn for_tests(status: StatusCode, content_type: &str, body: &[u8]) -> Self {
        let mut headers = HeaderMap::new();
        if let Ok(v) = content_type.parse() {
            headers.insert(CONTENT_TYPE, v);
        }
        Response::new(status, headers, body.to_vec(), Arc::from(Vec::new()))
    }

    /// The HTTP status.
    ///
    /// ```
    /// # use payments_common::{http::Response, StatusCode};
    /// assert_eq!(Response::for_tests(StatusCode::CREATED, "", b"").status(), StatusCode::CREATED);
    /// ```
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// A header's value, if present and printable.
    ///
    /// ```
    /// # use payments_common::{http::Response, StatusCode};
    /// let r = Response::for_tests(StatusCode::OK, "application/json", b"{}");
    /// assert_eq!(r.header("content-type"), Some("application/json"));
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// All headers.
    ///
    /// ```
    /// # use payments_common::{http::Response, StatusCode};
    /// assert_eq!(Response::for_tests(StatusCode::OK, "a/b", b"").headers().len(), 1);
    /// ```
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw body.
    ///
    /// ```
    /// # use payments_common::{http::Response, StatusCode};
    /// assert_eq!(Response::for_tests(StatusCode::OK, "", b"hi").body(), b"hi");
    /// ```
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The `Content-Type`, if any.
    ///
    /// ```
    /// # use payments_common::{http::Response, StatusCode};
    /// assert_eq!(Response::for_tests(StatusCode::OK, "text/html", b"").content_type(), Some("text/html"));
    /// ```
    pub fn content_type(&self) -> Option<&str> {
        self.header(CONTENT_TYPE.as_str())
    }

    /// Whether the body looks like JSON: a JSON content type, or (since some providers send
    /// JSON as `text/html`) a body whose first non-blank byte is `{` or `[`.
    ///
    /// ```
    /// # use payments_common::{http::Response, StatusCode};
    /// assert!(Response::for_tests(StatusCode::OK, "text/plain", b" {\"a\":1}").looks_like_json());
    /// assert!(!Response::for_tests(StatusCode::OK, "text/html", b"<html>").looks_like_json());
    /// ```
    pub fn looks_like_json(&self) -> bool {
        let first = self.body.iter().find(|b| !b.is_ascii_whitespace());
        matches!(first, Some(b'{' | b'['))
    }

    /// The provider's request id, from the usual headers.
    ///
    /// ```
    /// # use payments_common::{http::Response, StatusCode};
    /// assert_eq!(Response::for_tests(StatusCode::OK, "", b"").request_id(), None);
    /// ```
    pub fn request_id(&self) -> Option<String> {
        REQUEST_ID_HEADERS
            .iter()
            .find_map(|h| self.header(h))
            .map(|v| {
                let v: String = v.chars().filter(|c| !c.is_control()).take(128).collect();
                v
            })
    }

    /// The `Retry-After` delay (seconds or an HTTP date), if any.
    ///
    /// ```
    /// # use payments_common::{http::Response, StatusCode};
    /// assert_eq!(Response::for_tests(StatusCode::OK, "", b"").retry_after(), None);
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        parse_retry_after(self.header(RETRY_AFTER.as_str())?)
    }

    /// A short, redacted excerpt of the body for error messages.
    ///
    /// ```
    /// # use payments_common::{http::Response, StatusCode};
    /// let r = Response::for_tests(StatusCode::OK, "", br#"{"token":"abc"}"#);
    /// assert_eq!(r.excerpt(), r#"{"token":"***"}"#);
    /// ```
    pub fn excerpt(&self) -> String {
        let secrets: Vec<&str> = self.redact.iter().map(|s| s.expose_secret()).collect();
        redact::excerpt(&self.body, &secrets)
    }

    /// Decodes the body as `T`, or [`Error::Decode`] with the JSON path of the offending value.
    ///
    /// ```
    /// # use payments_common::{http::Response, StatusCode, Error};
    /// #[derive(serde::Deserialize, Debug)]
    /// struct Product { amount: i64 }
    /// let r = Response::for_tests(StatusCode::OK, "application/json", br#"{"amount":"x"}"#);
    /// match r.json::<Product>() {
    ///     Err(Error::Decode { path, .. }) => assert_eq!(path, "amount"),
    ///     other => panic!("{other:?}"),
    /// }
    /// ```
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        decode_body(self.status, &self.body, usize::MAX).map_err(|e| {
            // serde quotes the offending value; a provider may have echoed a secret into it.
            let secrets: Vec<&str> = self.redact.iter().map(|s| s.expose_secret()).collect();
            match e.redact(&secrets) {
                // The excerpt is cut at 512 bytes: mask the secrets before cutting, so that
                // no part of one survives at the cut.
                Error::Decode {
                    status,
                    path,
                    message,
                    source,
                    ..
                } => Error::Decode {
                    status,
                    path,
                    message,
                    excerpt: self.excerpt(),
                    source,
                },
                other => other,
            }
        })
    }

    /// A [`Error::Decode`] for this response, for provider decoders that find a problem serde
    /// did not (an envelope of the wrong shape).
    ///
    /// ```
    /// # use payments_common::{http::Response, StatusCode, Error};
    /// let r = Response::for_tests(StatusCode::OK, "application/json", b"[]");
    /// assert!(matches!(r.decode_error("result", "expected an object"), Error::Decode { .. }));
    /// ```
    pub fn decode_error(&self, path: &str, message: &str) -> Error {
        Error::Decode {
            status: self.status,
            path: path.to_owned(),
            message: message.to_owned(),
            excerpt: self.excerpt(),
            source: message.to_owned().into(),
        }
    }

    /// The generic error for a response the provider's own mapping did not recognise:
    /// 3xx → [`Error::UnexpectedRedirect`], 401/403 → [`Error::Unauthorized`],
    /// 404 → [`Error::NotFound`], 429 → [`Error::RateLimited`], anything else →
    /// [`Error::Http`] with the content type and a redacted excerpt.
    ///
    /// ```
    /// # use payments_common::{http::Response, StatusCode, Error};
    /// let r = Response::for_tests(StatusCode::TOO_MANY_REQUESTS, "text/plain", b"slow down");
    /// assert!(matches!(r.error(), Error::RateLimited { .. }));
    /// ```
    pub fn error(&self) -> Error {
        let request_id = self.request_id();
        let status = self.status;
        match status.as_u16() {
            300..=399 => Error::UnexpectedRedirect {
                status,
                location: self.redirect_target(),
            },
            401 | 403 => Error::Unauthorized {
                status,
                message: None,
                request_id,
            },
            404 => Error::NotFound {
                message: None,
                request_id,
            },
            429 => Error::RateLimited {
                status,
                retry_after: self.retry_after(),
                request_id,
            },
            _ => Error::Http {
                status,
                content_type: self.content_type().map(str::to_owned),
                excerpt: self.excerpt(),
                request_id,
            },
        }
    }

    /// Scheme and host of the `Location` header, never its path or query (which may carry tokens).
    fn redirect_target(&self) -> Option<String> {
        let location = self.header(LOCATION.as_str())?;
        match url::Url::parse(location) {
            Ok(u) => Some(format!("{}://{}", u.scheme(), u.host_str().unwrap_or(""))),
            Err(_) => Some("(relative location)".to_owned()),
        }
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("content_type", &self.content_type())
            .field("body_bytes", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// Parses `Retry-After` as RFC 9110 §10.2.3 defines it: `delay-seconds` (one or more ASCII
/// digits; a value too large for a `u64` saturates, and the retry cap then stops the retries),
/// or an HTTP-date (a date in the past is zero). Anything else — a fraction (`1.5`), a sign,
/// a negative number, words — is invalid and ignored, as if the header were absent.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(
            value.parse::<u64>().unwrap_or(u64::MAX),
        ));
    }
    let when = crate::serde::parse_http_date(value).ok()?;
    let now = time::OffsetDateTime::now_utc();
    Some(if when > now {
        (when - now).try_into().unwrap_or(Duration::MAX)
    } else {
        Duration::ZERO
    })
}

/// Decodes `body` (received with `status`) as `T`, or [`Error::Decode`] with the JSON path of
/// the offending value and a short excerpt whose sensitive JSON values are masked. A body over
/// `max_bytes` is refused before it is read. [`Response::json`] uses it for API answers; the
/// provider crates use it for notification bodies, which reach the merchant outside the
/// pipeline (mask a provider secret in the result with [`Error::redact`]).
///
/// ```
/// # use payments_common::{http::decode_body, StatusCode, Error};
/// #[derive(serde::Deserialize, Debug)]
/// struct Event { amount: i64 }
/// assert_eq!(decode_body::<Event>(StatusCode::OK, br#"{"amount":5}"#, 1024)?.amount, 5);
/// match decode_body::<Event>(StatusCode::OK, br#"{"amount":"x"}"#, 1024) {
///     Err(Error::Decode { path, .. }) => assert_eq!(path, "amount"),
///     other => panic!("{other:?}"),
/// }
/// assert!(decode_body::<Event>(StatusCode::OK, br#"{"amount":5}"#, 4).is_err());
/// # Ok::<(), Error>(())
/// ```
pub fn decode_body<T: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
    max_bytes: usize,
) -> Result<T, Error> {
    let excerpt = || redact::excerpt(body, &[]);
    if body.len() > max_bytes {
        return Err(Error::Decode {
            status,
            path: ".".to_owned(),
            message: format!("body larger than {max_bytes} bytes"),
            excerpt: excerpt(),
            source: format!("{} bytes", body.len()).into(),
        });
    }
    // The fast path decodes as plain serde_json does. Only a body that fails is decoded a
    // second time with path tracking, to name the field: the tracking costs more than half of
    // a small document's decode, and a provider's answer almost always decodes.
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let decode = |path: String, inner: serde_json::Error| Error::Decode {
        status,
        path,
        message: inner.to_string(),
        excerpt: excerpt(),
        source: Box::new(inner),
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        decode(path, e.into_inner())
    })?;
    de.end().map_err(|e| decode(".".to_owned(), e))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_delay_seconds_are_whole_non_negative_numbers() {
        assert_eq!(parse_retry_after("5"), Some(Duration::from_secs(5)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        // Fractions, signs and other text are invalid: ignored, as if absent.
        for invalid in ["1.5", "0.5", "-1", "+5", "5s", "1e3", "", "soon", "NaN"] {
            assert_eq!(parse_retry_after(invalid), None, "{invalid:?}");
        }
    }

    #[test]
    fn retry_after_overflowing_integer_saturates() {
        let huge = "99999999999999999999999999999999";
        assert_eq!(parse_retry_after(huge), Some(Duration::from_secs(u64::MAX)));
        assert_eq!(
            parse_retry_after("18446744073709551616"),
            Some(Duration::from_secs(u64::MAX))
        );
    }

    #[test]
    fn retry_after_http_dates() {
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT"),
            Some(Duration::ZERO)
        );
        let far = parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT").unwrap();
        assert!(far > Duration::from_secs(60 * 60 * 24 * 365 * 7000));
    }
}
