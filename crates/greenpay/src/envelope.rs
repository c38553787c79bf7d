//! GreenPay's response envelope, decoded once for every operation.
//!
//! Every answer is a JSON object with a `status` that is `"SUCCESS"`, `"FAIL"` or a number
//! (`200` on subscription creation), an optional numeric `code`, a `result` that is an object
//! on success and `[]` on failure, `errors` (a list of messages) and sometimes `_signature`.
//! The body decides, not the HTTP status: GreenPay reports a wrong merchant as `code: 500,
//! status: "FAIL"`, and the HTTP status that accompanies a FAIL body is undocumented.

use std::fmt;

use payments_common::Error;
use payments_common::http::Response;
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};

use crate::wire::text_or_number;

/// The fields every envelope has, read in one typed pass before the body proper.
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    status: Option<WireStatus>,
    #[serde(default, deserialize_with = "text_or_number::option")]
    code: Option<String>,
    #[serde(default, deserialize_with = "messages")]
    errors: Vec<String>,
}

/// `status`: a word or a number.
enum WireStatus {
    Text(String),
    Number(i64),
}

impl WireStatus {
    /// `"SUCCESS"` (any case) or `200`.
    fn is_success(&self) -> bool {
        match self {
            WireStatus::Text(t) => t.eq_ignore_ascii_case("SUCCESS"),
            WireStatus::Number(n) => *n == 200,
        }
    }

    fn number(&self) -> Option<String> {
        match self {
            WireStatus::Number(n) => Some(n.to_string()),
            WireStatus::Text(_) => None,
        }
    }
}

impl<'de> Deserialize<'de> for WireStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = WireStatus;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"SUCCESS\", \"FAIL\" or a status number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WireStatus, E> {
                Ok(WireStatus::Text(v.to_owned()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<WireStatus, E> {
                Ok(WireStatus::Number(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<WireStatus, E> {
                i64::try_from(v)
                    .map(WireStatus::Number)
                    .map_err(|_| E::custom("status number out of range"))
            }
        }
        d.deserialize_any(V)
    }
}

/// `errors`: a list of strings; objects and numbers in it are kept as their JSON text, a lone
/// string is a list of one, `null` is empty.
pub(crate) fn messages<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Message {
        Text(String),
        Other(serde_json::Value),
    }
    impl Message {
        fn into_text(self) -> String {
            match self {
                Message::Text(t) => t,
                Message::Other(v) => v.to_string(),
            }
        }
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Messages {
        Many(Vec<Message>),
        One(Message),
    }
    Ok(match Option::<Messages>::deserialize(d)? {
        None => Vec::new(),
        Some(Messages::Many(list)) => list.into_iter().map(Message::into_text).collect(),
        Some(Messages::One(Message::Other(serde_json::Value::Null))) => Vec::new(),
        Some(Messages::One(one)) => vec![one.into_text()],
    })
}

/// Decodes a GreenPay answer into `T` (the whole body), or the error it carries.
///
/// - not JSON: on a 2xx a [`Error::Decode`] (for a write, the pipeline makes that an
///   [`Error::OutcomeUnknown`]); otherwise the generic mapping of [`Response::error`]
///   (`Http` with a redacted excerpt, `Unauthorized`, `NotFound`, `RateLimited`, …);
/// - `status` `"SUCCESS"` or `200`: the body decoded as `T`;
/// - any other `status` (`"FAIL"`, a non-200 number, an unknown word): [`Error::Api`] with the
///   HTTP status, the body's `code` and its `errors`, whatever the HTTP status was.
pub(crate) fn decode<T: DeserializeOwned>(response: &Response) -> Result<T, Error> {
    let http_status = response.status();
    if !response.looks_like_json() {
        return Err(if http_status.is_success() {
            response.decode_error(".", "expected GreenPay's JSON envelope")
        } else {
            response.error()
        });
    }
    let head: Head = match response.json() {
        Ok(head) => head,
        Err(e) if http_status.is_success() => return Err(e),
        Err(_) => return Err(response.error()),
    };
    match head.status {
        Some(status) if status.is_success() => response.json(),
        Some(status) => Err(Error::Api {
            status: http_status,
            code: head.code.or_else(|| status.number()),
            message: None,
            messages: head.errors,
            field_errors: Default::default(),
            request_id: response.request_id(),
        }),
        None if http_status.is_success() => {
            Err(response.decode_error("status", "missing envelope status"))
        }
        None => Err(response.error()),
    }
}

/// Masks `secret` in the messages of an [`Error::Api`]: GreenPay may quote what it was sent
/// (its records echo the secret), and an error must never carry it.
pub(crate) fn mask(error: Error, secret: &str) -> Error {
    if secret.is_empty() {
        return error;
    }
    match error {
        Error::Api {
            status,
            code,
            message,
            messages,
            field_errors,
            request_id,
        } => Error::Api {
            status,
            code,
            message: message.map(|m| m.replace(secret, "***")),
            messages: messages
                .into_iter()
                .map(|m| m.replace(secret, "***"))
                .collect(),
            field_errors,
            request_id,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use payments_common::StatusCode;

    #[derive(Debug, Deserialize)]
    struct Any {}

    fn run(status: StatusCode, body: &str) -> Result<Any, Error> {
        decode(&Response::for_tests(
            status,
            "application/json",
            body.as_bytes(),
        ))
    }

    #[test]
    fn fail_is_an_api_error_whatever_the_http_status() {
        for http in [
            StatusCode::OK,
            StatusCode::INTERNAL_SERVER_ERROR,
            StatusCode::BAD_REQUEST,
        ] {
            let err = run(
                http,
                r#"{"code":500,"status":"FAIL","result":[],"errors":["x"]}"#,
            )
            .unwrap_err();
            match err {
                Error::Api {
                    status,
                    code,
                    messages,
                    ..
                } => {
                    assert_eq!(status, http);
                    assert_eq!(code.as_deref(), Some("500"));
                    assert_eq!(messages, vec!["x".to_owned()]);
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn odd_errors_lists_are_tolerated() {
        let err = run(
            StatusCode::OK,
            r#"{"status":"FAIL","errors":[{"msg":"a"},"b",3]}"#,
        )
        .unwrap_err();
        let Error::Api { messages, code, .. } = err else {
            panic!()
        };
        assert_eq!(
            messages,
            vec![r#"{"msg":"a"}"#.to_owned(), "b".to_owned(), "3".to_owned()]
        );
        assert_eq!(code, None);
        let err = run(StatusCode::OK, r#"{"status":"FAIL","errors":"alone"}"#).unwrap_err();
        let Error::Api { messages, .. } = err else {
            panic!()
        };
        assert_eq!(messages, vec!["alone".to_owned()]);
        let err = run(StatusCode::OK, r#"{"status":500,"errors":null}"#).unwrap_err();
        let Error::Api { messages, code, .. } = err else {
            panic!()
        };
        assert!(messages.is_empty());
        assert_eq!(code.as_deref(), Some("500"));
    }

    #[test]
    fn success_words_and_numbers() {
        assert!(run(StatusCode::OK, r#"{"status":"SUCCESS","code":200}"#).is_ok());
        assert!(run(StatusCode::OK, r#"{"status":200}"#).is_ok());
        assert!(matches!(
            run(StatusCode::OK, r#"{"code":200}"#),
            Err(Error::Decode { .. })
        ));
        assert!(matches!(
            run(StatusCode::OK, "<html></html>"),
            Err(Error::Decode { .. })
        ));
        assert!(matches!(
            run(StatusCode::BAD_GATEWAY, "<html></html>"),
            Err(Error::Http { .. })
        ));
        assert!(matches!(
            run(StatusCode::UNAUTHORIZED, "{}"),
            Err(Error::Unauthorized { .. })
        ));
    }
}
