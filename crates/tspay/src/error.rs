//! How TS Pay's answers map onto [`payments_common::Error`].
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
//! | 2xx | the typed value (a body that does not decode is [`Error::Decode`]) |
//! | 401, 403 | [`Error::Unauthorized`] with the message |
//! | 404 | [`Error::NotFound`] with the message |
//! | 429 | [`Error::RateLimited`] |
//! | other 4xx/5xx with that body | [`Error::Api`]: `code` = `error`, `message` = a string `message`, `messages` = an array `message` |
//! | anything else | [`payments_common::http::Response::error`] (an HTML page is [`Error::Http`] with a redacted excerpt) |
//!
//! For a write, a 5xx — structured or not — leaves open whether TS Pay applied it, so the
//! shared pipeline reports it as [`Error::OutcomeUnknown`] (reliability matrix F9/F13).

use payments_common::http::Response;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::{Error, Result};

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
/// [`Error::OutcomeUnknown`].
pub(crate) fn handle<T: DeserializeOwned>(response: Response) -> Result<T> {
    if response.status().is_success() {
        return response.json();
    }
    Err(map_error(&response))
}

/// Maps an error response.
pub(crate) fn map_error(response: &Response) -> Error {
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
        401 | 403 => Error::Unauthorized {
            status,
            message: summary(),
            request_id,
        },
        404 => Error::NotFound {
            message: summary(),
            request_id,
        },
        429 => response.error(),
        _ => Error::Api {
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
    let body: ErrorBody = serde_json::from_slice(response.body()).ok()?;
    let recognised = body.status_code.is_some() || body.message.is_some() || body.error.is_some();
    recognised.then_some(body)
}
