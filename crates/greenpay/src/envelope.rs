//! GreenPay's response envelope, decoded once for every operation.
//!
//! Every answer is a JSON object with a `status` that is `"SUCCESS"`, `"FAIL"` or a number
//! (`200` on subscription creation), an optional numeric `code`, a `result` that is an object
//! on success and `[]` on failure, `errors` (a list of messages) and sometimes `_signature`.
//! The body decides, not the HTTP status: GreenPay reports a wrong merchant as `code: 500,
//! status: "FAIL"`, and the HTTP status that accompanies a FAIL body is undocumented.

use std::fmt;
use std::marker::PhantomData;

use payments_common::Error;
use payments_common::http::Response;
use payments_common::serde::Object;
use serde::Deserialize;
use serde::de::value::{
    BorrowedStrDeserializer, MapAccessDeserializer, StrDeserializer, StringDeserializer,
};
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, Visitor};

use crate::wire::text_or_number;

/// The fields every envelope has, read on their own when the one-pass decoding of
/// [`decode`] did not give a successful body (a FAIL envelope, a body that does not decode).
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
///
/// Read as one JSON value in one pass (no `#[serde(untagged)]` buffering and retrying).
pub(crate) fn messages<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    use serde_json::Value;
    fn text(v: Value) -> String {
        match v {
            Value::String(t) => t,
            other => other.to_string(),
        }
    }
    Ok(match Value::deserialize(d)? {
        Value::Null => Vec::new(),
        Value::Array(list) => list.into_iter().map(text).collect(),
        one => vec![text(one)],
    })
}

/// The body decoded as `T` in **one pass**, with the envelope's `status` and `code` taken out
/// on the way (`T` never sees them; no model of this crate has a top-level `status` or `code`).
///
/// `T`'s own decoder is driven through a [`MapAccess`] that hands it every other key, so the
/// body is read once, keys are never allocated (unless escaped), and `status` is only
/// compared, not copied.
struct OnePass<T> {
    /// `Some(true)` for `"SUCCESS"` (any case) or `200`; `None` without a `status`.
    success: Option<bool>,
    body: T,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OnePass<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(OnePassVisitor(PhantomData))
    }
}

struct OnePassVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OnePassVisitor<T> {
    type Value = OnePass<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("GreenPay's JSON envelope")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<OnePass<T>, A::Error> {
        let mut head = HeadTaken {
            map,
            success: None,
            code_seen: false,
        };
        let body = T::deserialize(MapAccessDeserializer::new(&mut head))?;
        Ok(OnePass {
            success: head.success,
            body,
        })
    }
}

/// The envelope's map with `status` and `code` read out of it.
struct HeadTaken<A> {
    map: A,
    success: Option<bool>,
    code_seen: bool,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for &mut HeadTaken<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            match self.map.next_key::<EnvelopeKey<'de>>()? {
                None => return Ok(None),
                Some(EnvelopeKey::Status) => {
                    if self.success.is_some() {
                        return Err(de::Error::duplicate_field("status"));
                    }
                    let success = self.map.next_value::<StatusIsSuccess>()?.0;
                    if !success {
                        // A FAIL envelope: stop here; `decode` reads the head on its own.
                        return Err(de::Error::custom("not a successful envelope"));
                    }
                    self.success = Some(success);
                }
                Some(EnvelopeKey::Code) => {
                    if self.code_seen {
                        return Err(de::Error::duplicate_field("code"));
                    }
                    self.map.next_value::<CodeShape>()?;
                    self.code_seen = true;
                }
                Some(EnvelopeKey::Borrowed(key)) => {
                    return seed
                        .deserialize(BorrowedStrDeserializer::new(key))
                        .map(Some);
                }
                Some(EnvelopeKey::Owned(key)) => {
                    return seed.deserialize(StringDeserializer::new(key)).map(Some);
                }
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// A key of the envelope: borrowed from the body unless it had escapes.
enum EnvelopeKey<'de> {
    Status,
    Code,
    Borrowed(&'de str),
    Owned(String),
}

impl<'de> Deserialize<'de> for EnvelopeKey<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = EnvelopeKey<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(match v {
                    "status" => EnvelopeKey::Status,
                    "code" => EnvelopeKey::Code,
                    other => EnvelopeKey::Borrowed(other),
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(match v {
                    "status" => EnvelopeKey::Status,
                    "code" => EnvelopeKey::Code,
                    other => EnvelopeKey::Owned(other.to_owned()),
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

/// `status` read as [`WireStatus::is_success`] would answer, without copying it.
struct StatusIsSuccess(bool);

impl<'de> Deserialize<'de> for StatusIsSuccess {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = StatusIsSuccess;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"SUCCESS\", \"FAIL\" or a status number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StatusIsSuccess, E> {
                Ok(StatusIsSuccess(v.eq_ignore_ascii_case("SUCCESS")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<StatusIsSuccess, E> {
                Ok(StatusIsSuccess(v == 200))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<StatusIsSuccess, E> {
                i64::try_from(v)
                    .map(|n| StatusIsSuccess(n == 200))
                    .map_err(|_| E::custom("status number out of range"))
            }
        }
        d.deserialize_any(V)
    }
}

/// `code` checked for the shapes [`Head`] accepts (text, number, boolean, null), not copied:
/// only a failed envelope needs its value, and that one is re-read by [`Head`].
struct CodeShape;

impl<'de> Deserialize<'de> for CodeShape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = CodeShape;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, a number or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<CodeShape, E> {
                Ok(CodeShape)
            }
            fn visit_unit<E: de::Error>(self) -> Result<CodeShape, E> {
                Ok(CodeShape)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<CodeShape, E> {
                Ok(CodeShape)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<CodeShape, E> {
                Ok(CodeShape)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<CodeShape, E> {
                Ok(CodeShape)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<CodeShape, E> {
                Ok(CodeShape)
            }
        }
        d.deserialize_any(V)
    }
}

/// Decodes a GreenPay answer into `T` (the whole body), or the error it carries.
///
/// A successful answer is decoded **once**: `T` and the envelope's `status`/`code` in the same
/// pass ([`OnePass`]). Anything else — a FAIL envelope (whose `result` is `[]`, which `T` does
/// not read), a missing `status`, a body `T` does not fit — is decoded again the way it always
/// was, the envelope's head first, so errors are exactly what they were.
///
/// - not JSON: on a 2xx a [`Error::Decode`] (for a write, the pipeline makes that an
///   [`Error::OutcomeUnknown`]); otherwise the generic mapping of [`Response::error`]
///   (`Http` with a redacted excerpt, `Unauthorized`, `NotFound`, `RateLimited`, …);
/// - `status` `"SUCCESS"` or `200`: the body decoded as `T`;
/// - any other `status` with a 2xx (`"FAIL"`, a non-200 number, an unknown word):
///   [`Error::Api`] with the HTTP status, the body's `code` and its `errors`;
/// - any other `status` with a non-2xx HTTP status: [`Error::Api`] only when the body is
///   GreenPay's exact FAIL envelope ([`is_fail_envelope`]); any other JSON (a gateway's
///   `{"status":504,"error":"Gateway Timeout"}`) is not GreenPay speaking and gets the generic
///   mapping of [`Response::error`] (`Http`, `Unauthorized`, …).
pub(crate) fn decode<T: DeserializeOwned>(response: &Response) -> Result<T, Error> {
    let http_status = response.status();
    if !response.looks_like_json() {
        return Err(if http_status.is_success() {
            response.decode_error(".", "expected GreenPay's JSON envelope")
        } else {
            response.error()
        });
    }
    if let Ok(OnePass {
        success: Some(true),
        body,
    }) = serde_json::from_slice::<OnePass<T>>(response.body())
    {
        return Ok(body);
    }
    let head: Head = match response.json::<Object<Head>>() {
        Ok(Object(head)) => head,
        Err(e) if http_status.is_success() => return Err(e),
        Err(_) => return Err(response.error()),
    };
    match head.status {
        Some(status) if status.is_success() => response.json(),
        // A non-2xx answer is GreenPay's refusal only in GreenPay's exact FAIL shape; a
        // gateway's JSON (`{"status":504,"error":"Gateway Timeout"}`) gets the generic mapping.
        Some(_) if !http_status.is_success() && !is_fail_envelope(response.body()) => {
            Err(response.error())
        }
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

/// [`decode_plain`]'s successful answer decoded in **one pass**: `T` is the whole body (its
/// models read `status` too), and `status` and `code` are read on the way — taken out of the
/// map, checked as [`Head`] reads them, then handed on to `T` — so a successful answer is read
/// once instead of three times ([`is_fail_envelope`], [`Head`], `T`). A refusing `status`, a
/// `status` or `code` [`Head`] would not read, a repeated `status`, `code` or `errors`, or a
/// body `T` does not fit stops the pass: [`decode_plain`] then decodes the way it always did,
/// so every error is exactly what it was.
struct PlainOnePass<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for PlainOnePass<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = PlainOnePass<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object from GreenPay")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let mut watched = HeadWatched {
                    map,
                    pending: WatchedKey::Other,
                    status_seen: false,
                    code_seen: false,
                    errors_seen: false,
                };
                T::deserialize(MapAccessDeserializer::new(&mut watched)).map(PlainOnePass)
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

/// The answer's map with `status` and `code` read (and checked) on their way to `T`.
struct HeadWatched<A> {
    map: A,
    /// The key just handed to `T`, when its value must be checked before `T` reads it.
    pending: WatchedKey,
    status_seen: bool,
    code_seen: bool,
    errors_seen: bool,
}

/// The keys of an answer the one pass watches; every other key is [`WatchedKey::Other`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum WatchedKey {
    Other,
    Status,
    Code,
    Errors,
}

impl WatchedKey {
    fn of(key: &str) -> Self {
        match key {
            "status" => WatchedKey::Status,
            "code" => WatchedKey::Code,
            "errors" => WatchedKey::Errors,
            _ => WatchedKey::Other,
        }
    }
}

/// `T`'s key seed, told which watched key (if any) it reads: the key is parsed once, by the
/// body's deserializer, and handed to `T` as it is (borrowed unless it had escapes).
struct KeyTap<'w, K> {
    seed: K,
    seen: &'w mut WatchedKey,
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for KeyTap<'_, K> {
    type Value = K::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<K::Value, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de, K: DeserializeSeed<'de>> Visitor<'de> for KeyTap<'_, K> {
    type Value = K::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<K::Value, E> {
        *self.seen = WatchedKey::of(key);
        self.seed.deserialize(BorrowedStrDeserializer::new(key))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<K::Value, E> {
        *self.seen = WatchedKey::of(key);
        self.seed.deserialize(StrDeserializer::new(key))
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for &mut HeadWatched<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let mut seen = WatchedKey::Other;
        let key = self.map.next_key_seed(KeyTap {
            seed,
            seen: &mut seen,
        })?;
        let repeated = match seen {
            WatchedKey::Other => return Ok(key),
            WatchedKey::Status => std::mem::replace(&mut self.status_seen, true),
            WatchedKey::Code => std::mem::replace(&mut self.code_seen, true),
            WatchedKey::Errors => std::mem::replace(&mut self.errors_seen, true),
        };
        if repeated {
            return Err(de::Error::custom("a repeated status, code or errors"));
        }
        self.pending = seen;
        Ok(key)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match std::mem::replace(&mut self.pending, WatchedKey::Other) {
            WatchedKey::Status => {
                let value: serde_json::Value = self.map.next_value()?;
                let refused = match &value {
                    serde_json::Value::String(t) => !t.eq_ignore_ascii_case("SUCCESS"),
                    serde_json::Value::Number(n) => !matches!(n.as_i64(), Some(200 | 201)),
                    // Not a status `Head` reads: the slow path reports it.
                    _ => true,
                };
                if refused {
                    return Err(de::Error::custom("not a successful answer"));
                }
                seed.deserialize(value).map_err(de::Error::custom)
            }
            WatchedKey::Code => {
                let value: serde_json::Value = self.map.next_value()?;
                text_or_number::option(&value).map_err(de::Error::custom)?;
                seed.deserialize(value).map_err(de::Error::custom)
            }
            WatchedKey::Other | WatchedKey::Errors => self.map.next_value_seed(seed),
        }
    }
}

/// Decodes an answer that is not always wrapped in GreenPay's envelope (payment orders,
/// tokenization sessions, token payments): GreenPay's FAIL envelope, or a body whose `status`
/// is neither `"SUCCESS"` nor `200`/`201`, is GreenPay's refusal ([`Error::Api`]); any other
/// non-2xx answer gets the generic mapping; a 2xx body is `T` (a decode error otherwise).
pub(crate) fn decode_plain<T: DeserializeOwned>(response: &Response) -> Result<T, Error> {
    let http_status = response.status();
    if !response.looks_like_json() {
        return Err(if http_status.is_success() {
            response.decode_error(".", "expected a JSON answer from GreenPay")
        } else {
            response.error()
        });
    }
    // A successful answer: one pass ([`PlainOnePass`]); anything else as below.
    if http_status.is_success()
        && let Ok(PlainOnePass(body)) = serde_json::from_slice::<PlainOnePass<T>>(response.body())
    {
        return Ok(body);
    }
    let fail = is_fail_envelope(response.body());
    if !http_status.is_success() && !fail {
        return Err(response.error());
    }
    let head: Head = match response.json::<Object<Head>>() {
        Ok(Object(head)) => head,
        Err(e) if http_status.is_success() => return Err(e),
        Err(_) => return Err(response.error()),
    };
    let refused = match &head.status {
        None => false,
        Some(WireStatus::Text(t)) => !t.eq_ignore_ascii_case("SUCCESS"),
        Some(WireStatus::Number(n)) => !matches!(n, 200 | 201),
    };
    if fail || refused {
        return Err(Error::Api {
            status: http_status,
            code: head
                .code
                .or_else(|| head.status.as_ref().and_then(WireStatus::number)),
            message: None,
            messages: head.errors,
            field_errors: Default::default(),
            request_id: response.request_id(),
        });
    }
    response.json()
}

/// Whether `body` is GreenPay's own FAIL envelope: a JSON object whose `status` is `"FAIL"` and
/// which carries both `code` and an `errors` array. Only that shape is GreenPay refusing; any
/// other error body (a gateway's `{"status":504,"error":"Gateway Timeout"}`) is not GreenPay
/// speaking, and after a write it leaves the outcome open.
pub(crate) fn is_fail_envelope(body: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct FailHead {
        status: String,
        code: serde_json::Value,
        // Required: a FAIL envelope always carries its list of errors.
        #[serde(rename = "errors")]
        _errors: Vec<serde_json::Value>,
    }
    serde_json::from_slice::<Object<FailHead>>(body)
        .is_ok_and(|Object(head)| head.status == "FAIL" && !head.code.is_null())
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

    /// The pre-one-pass decoder: the head first, then the whole body as `T`.
    fn two_pass<T: DeserializeOwned>(status: StatusCode, body: &str) -> Result<T, Error> {
        let response = Response::for_tests(status, "application/json", body.as_bytes());
        let head: Head = match response.json() {
            Ok(head) => head,
            Err(e) if status.is_success() => return Err(e),
            Err(_) => return Err(response.error()),
        };
        match head.status {
            Some(s) if s.is_success() => response.json(),
            Some(_) => Err(Error::Api {
                status,
                code: None,
                message: None,
                messages: head.errors,
                field_errors: Default::default(),
                request_id: None,
            }),
            None => Err(response.decode_error("status", "missing envelope status")),
        }
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Result1 {
        id: String,
        #[serde(default)]
        status: Option<String>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Wrapped {
        result: Result1,
        #[serde(rename = "_signature", default)]
        signature: Option<String>,
        #[serde(default, deserialize_with = "messages")]
        errors: Vec<String>,
    }

    #[test]
    fn one_pass_agrees_with_the_two_passes() {
        let bodies = [
            r#"{"status":"SUCCESS","code":200,"result":{"id":"a","status":"approved"}}"#,
            r#"{"result":{"id":"a"},"_signature":"ff","code":"200","status":"success"}"#,
            r#"{"status":200,"result":{"id":"a"},"errors":[]}"#,
            r#"{"status":"SUCCESS","code":true,"result":{"id":"a"},"errors":"x"}"#,
            r#"{"st\u0061tus":"FAIL","status":"SUCCESS","r\u0065sult":{"id":"\u0061"}}"#,
            r#"{"status":"SUCCESS","code":null,"result":{"id":"a"},"extra":[1,{"b":2}]}"#,
            r#"{"status":"FAIL","code":500,"result":[],"errors":["x"]}"#,
            r#"{"status":"FAIL","result":{"id":"a"}}"#,
            r#"{"status":"SUCCESS","status":"SUCCESS","result":{"id":"a"}}"#,
            r#"{"status":"SUCCESS","code":{"x":1},"result":{"id":"a"}}"#,
            r#"{"status":"SUCCESS","code":1.5,"result":{"id":"a"}}"#,
            r#"{"status":"SUCCESS","result":[]}"#,
            r#"{"status":"SUCCESS"}"#,
            r#"{"code":200,"result":{"id":"a"}}"#,
            r#"{"status":18446744073709551615,"result":{"id":"a"}}"#,
            r#"{"status":true,"result":{"id":"a"}}"#,
            r#"[{"status":"SUCCESS"}]"#,
            r#"{"status":"SUCCESS","result":{"id":"a"}} trailing"#,
        ];
        for body in bodies {
            let one = decode::<Wrapped>(&Response::for_tests(
                StatusCode::OK,
                "application/json",
                body.as_bytes(),
            ));
            let two = two_pass::<Wrapped>(StatusCode::OK, body);
            match (&one, &two) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{body}"),
                (Err(a), Err(b)) => assert_eq!(
                    std::mem::discriminant(a),
                    std::mem::discriminant(b),
                    "{body}: {a:?} vs {b:?}"
                ),
                _ => panic!("{body}: {one:?} vs {two:?}"),
            }
        }
        let ok = decode::<Wrapped>(&Response::for_tests(
            StatusCode::OK,
            "application/json",
            br#"{"status":"SUCCESS","result":{"id":"a","status":"approved"},"_signature":"ff"}"#,
        ))
        .unwrap();
        assert_eq!(ok.result.status.as_deref(), Some("approved"));
        assert_eq!(ok.signature.as_deref(), Some("ff"));
    }

    #[test]
    fn only_greenpays_exact_fail_shape_is_its_refusal() {
        for body in [
            r#"{"code":500,"status":"FAIL","result":[],"errors":["Merchant doesn't exist."]}"#,
            r#"{"status":"FAIL","code":"500","errors":[]}"#,
            r#"{"status":"FAIL","code":500,"errors":[{"msg":"a"}],"result":{}}"#,
        ] {
            assert!(is_fail_envelope(body.as_bytes()), "{body}");
        }
        for body in [
            r#"{"status":504,"error":"Gateway Timeout"}"#,
            r#"{"status":"error"}"#,
            r#"{"status":"FAIL"}"#,
            r#"{"status":"FAIL","errors":["x"]}"#,
            r#"{"status":"FAIL","code":500}"#,
            r#"{"status":"FAIL","code":null,"errors":["x"]}"#,
            r#"{"status":"FAIL","code":500,"errors":"x"}"#,
            r#"{"status":"fail","code":500,"errors":["x"]}"#,
            r#"{"status":500,"code":500,"errors":["x"]}"#,
            r#"[{"status":"FAIL","code":500,"errors":[]}]"#,
            "<html>502 Bad Gateway</html>",
            "",
        ] {
            assert!(!is_fail_envelope(body.as_bytes()), "{body}");
        }
    }

    #[test]
    fn a_gateways_json_error_is_not_an_api_error() {
        for (http, body) in [
            (
                StatusCode::GATEWAY_TIMEOUT,
                r#"{"status":504,"error":"Gateway Timeout"}"#,
            ),
            (StatusCode::BAD_GATEWAY, r#"{"status":"error"}"#),
            (StatusCode::BAD_REQUEST, r#"{"status":"FAIL"}"#),
        ] {
            match run(http, body) {
                Err(Error::Http { status, .. }) => assert_eq!(status, http, "{body}"),
                other => panic!("{body}: {other:?}"),
            }
        }
        assert!(matches!(
            run(StatusCode::FORBIDDEN, r#"{"status":"error"}"#),
            Err(Error::Unauthorized { .. })
        ));
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
