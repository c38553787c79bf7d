//! The crate's [`Error`], and how TS Pay's answers map onto its [`ErrorKind`].
//!
//! The documentation page describes no status codes and no error bodies. The public
//! integration's mock answers NestJS-style bodies — `{"statusCode":401,"message":"Unauthorized"}`,
//! `{"statusCode":404,"message":"Order not found"}`, `{"statusCode":400,"message":"…"}` — and
//! NestJS validation errors commonly carry `message` as an array of strings with an `error`
//! label (`{"statusCode":400,"message":["amount must be …"],"error":"Bad Request"}`; an
//! inference, not seen from TS Pay). Both forms are read:
//!
//! | status | result |
//! | --- | --- |
//! | 2xx | the typed value (a body that does not decode is [`ErrorKind::Decode`]) |
//! | 401, 403 | [`ErrorKind::Unauthorized`] with the message |
//! | 404 | [`ErrorKind::NotFound`] with the message |
//! | 429 | [`ErrorKind::RateLimited`] |
//! | other 4xx/5xx with that body | [`ErrorKind::Api`]: `code` = `error`, `message` = a string `message`, `messages` = an array `message` |
//! | anything else | [`payments_common::http::Response::error`] (an HTML page is [`ErrorKind::Http`] with a redacted excerpt) |
//!
//! For a write, a 5xx — structured or not — leaves open whether TS Pay applied it, so the
//! shared pipeline reports it as [`ErrorKind::OutcomeUnknown`] (reliability matrix F9/F13).
//! No TS Pay answer is known to be a definitive refusal with a 5xx status, so none is marked
//! so: a 5xx from TS Pay is always worth asking again (reads) or reconciling (writes).

use payments_common::ErrorKind;
use payments_common::http::Response;
use serde::Deserialize;
use serde::de::DeserializeOwned;

payments_common::provider_error!(payments_common::Provider::TsPay);

/// What the crate's internals return; public operations wrap it into [`Error`] with the
/// operation's name.
pub(crate) type Kind = ErrorKind;
/// The internals' result.
pub(crate) type KResult<T> = std::result::Result<T, ErrorKind>;

/// TS Pay's own words in an error, read from its NestJS-style body.
impl Error {
    /// The messages of TS Pay's error body: its `message` (a string, or each string of an
    /// array), in the order sent. Empty when the failure did not come with TS Pay's body (a
    /// refused connection, an HTML proxy page). An unknown outcome's messages are those of the
    /// answer that left it unknown.
    ///
    /// ```
    /// use tspay::{Error, ErrorKind, StatusCode};
    /// let e = Error::new("pay_links.create", ErrorKind::Api {
    ///     status: StatusCode::BAD_REQUEST,
    ///     code: Some("Bad Request".into()),
    ///     message: None,
    ///     messages: vec!["amount must be a positive number".into()],
    ///     field_errors: Default::default(),
    ///     request_id: None,
    /// });
    /// assert_eq!(e.tspay_messages(), ["amount must be a positive number"]);
    /// assert_eq!(e.tspay_error(), Some("Bad Request"));
    /// ```
    pub fn tspay_messages(&self) -> Vec<&str> {
        messages_of(self.kind())
    }

    /// The `error` label of TS Pay's error body (`"Bad Request"`, `"Forbidden"`), when it sent
    /// one.
    ///
    /// ```
    /// use tspay::{Error, ErrorKind};
    /// let e = Error::new("charges.of_order", ErrorKind::invalid("orderKey", "is empty"));
    /// assert_eq!(e.tspay_error(), None);
    /// ```
    pub fn tspay_error(&self) -> Option<&str> {
        let mut kind = self.kind();
        while let ErrorKind::OutcomeUnknown { source, .. } = kind {
            kind = source;
        }
        match kind {
            ErrorKind::Api { code, .. } => code.as_deref(),
            _ => None,
        }
    }
}

fn messages_of(kind: &ErrorKind) -> Vec<&str> {
    match kind {
        ErrorKind::Api {
            message, messages, ..
        } => message
            .iter()
            .chain(messages.iter())
            .map(String::as_str)
            .collect(),
        ErrorKind::Unauthorized { message, .. } | ErrorKind::NotFound { message, .. } => {
            message.iter().map(String::as_str).collect()
        }
        ErrorKind::OutcomeUnknown { source, .. } => messages_of(source),
        _ => Vec::new(),
    }
}

/// TS Pay's error body, read in one typed pass.
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "statusCode", default)]
    status_code: Option<serde_json::Number>,
    #[serde(default)]
    message: Option<Messages>,
    #[serde(default)]
    error: Option<String>,
}

/// `message`: one string or a list of strings (anything else makes the body unrecognised).
///
/// Read by one visitor on the JSON value's own type, not `#[serde(untagged)]` (which buffers
/// the value and formats an error for every variant it misses).
enum Messages {
    One(String),
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for Messages {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::{self, SeqAccess, Visitor};
        use std::fmt;

        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Messages;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Messages, E> {
                Ok(Messages::One(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<Messages, E> {
                Ok(Messages::One(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Messages, A::Error> {
                let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(16));
                while let Some(m) = seq.next_element::<String>()? {
                    list.push(m);
                }
                Ok(Messages::Many(list))
            }
        }
        d.deserialize_any(V)
    }
}

/// Turns a final response into the typed value or the typed error.
///
/// The pipeline masks the API key wherever the provider's answer echoes it (the client
/// registers it with `redact_in_errors`) and turns a write's 5xx into
/// [`ErrorKind::OutcomeUnknown`].
pub(crate) fn handle<T: DeserializeOwned>(response: Response) -> KResult<T> {
    if response.status().is_success() {
        return response.json();
    }
    Err(map_error(&response))
}

/// Maps an error response.
pub(crate) fn map_error(response: &Response) -> ErrorKind {
    let status = response.status();
    let Some(body) = parse_body(response) else {
        return response.error();
    };
    let request_id = response.request_id();
    let (message, messages) = match body.message {
        Some(Messages::One(m)) => (Some(m), Vec::new()),
        Some(Messages::Many(list)) => (None, list),
        None => (None, Vec::new()),
    };
    let code = body.error;
    let summary = || {
        message
            .clone()
            .or_else(|| (!messages.is_empty()).then(|| messages.join("; ")))
    };
    match status.as_u16() {
        401 | 403 => ErrorKind::Unauthorized {
            status,
            message: summary(),
            request_id,
        },
        404 => ErrorKind::NotFound {
            message: summary(),
            request_id,
        },
        429 => response.error(),
        _ => ErrorKind::Api {
            status,
            code,
            message,
            messages,
            field_errors: Default::default(),
            request_id,
        },
    }
}

/// The body, if it is TS Pay's error object (at least one of its fields present).
fn parse_body(response: &Response) -> Option<ErrorBody> {
    if !response.looks_like_json() {
        return None;
    }
    // Only an object: a derived reader would take a proxy's JSON array positionally.
    let payments_common::serde::Object(body) =
        serde_json::from_slice::<payments_common::serde::Object<ErrorBody>>(response.body())
            .ok()?;
    let recognised = body.status_code.is_some() || body.message.is_some() || body.error.is_some();
    recognised.then_some(body)
}
