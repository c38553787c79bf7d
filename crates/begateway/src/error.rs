//! The crate's [`Error`] (what went wrong, in which operation, at beGateway) and how
//! beGateway's error bodies map onto its [`ErrorKind`].
//!
//! Shapes recognised (`docs/providers/begateway.md#errors`):
//!
//! - validation (422, also other statuses): `{"message": "...", "errors": {"currency": ["..."]}}`,
//!   where a value may be an array of strings, a single string, or a nested object for a
//!   section (`{"billing_address": {"first_name": ["..."]}}` → `billing_address.first_name`);
//!   `errors.base` holds messages not tied to a field; `errors` may itself be a plain string;
//! - legacy wrapper: `{"response": {"message": "...", "errors": {...}}}`;
//! - API v3: `{"code": "F.1000", "friendly_message": "...", "message": "...", "errors": {}}`;
//! - `error_code` (P2P checks) is read as the code.
//!
//! Status decides the kind: 401/403 → [`ErrorKind::Unauthorized`], 404 →
//! [`ErrorKind::NotFound`] (with the provider's message), 429 → [`ErrorKind::RateLimited`]; any
//! other status whose body is one of the shapes above → [`ErrorKind::Api`] — including the
//! documented *302 with an error body* of `GET /products/{id}`. Anything else (an HTML page, a
//! 302 without such a body, JSON of another shape) falls back to [`Response::error`].

use std::collections::BTreeMap;

use payments_common::ErrorKind;
use payments_common::http::Response;
use payments_common::serde::Object;
use serde::Deserialize;

payments_common::provider_error!(payments_common::Provider::BeGateway);

/// beGateway's own detail on an error: the per-field messages of a validation answer, the
/// messages not tied to a field, and the code of the v3 shape.
///
/// ```
/// use begateway::{Error, ErrorKind, StatusCode};
///
/// let e = Error::new("products.create", ErrorKind::Api {
///     status: StatusCode::UNPROCESSABLE_ENTITY,
///     code: None,
///     message: Some("Validation failed".into()),
///     messages: vec!["Shop is inactive".into()],
///     field_errors: [("billing_address.first_name".to_owned(), vec!["is blank".to_owned()])].into(),
///     request_id: None,
/// });
/// assert_eq!(e.field_error("billing_address.first_name"), Some(&["is blank".to_owned()][..]));
/// assert_eq!(e.messages(), ["Shop is inactive"]);
/// assert!(e.to_string().starts_with("beGateway products.create: "));
/// ```
impl Error {
    /// Every field beGateway refused, with its messages (`billing_address.first_name` for a
    /// nested section); empty for an error that is not a beGateway answer.
    pub fn field_errors(&self) -> &BTreeMap<String, Vec<String>> {
        static EMPTY: BTreeMap<String, Vec<String>> = BTreeMap::new();
        match self.kind() {
            ErrorKind::Api { field_errors, .. } => field_errors,
            _ => &EMPTY,
        }
    }

    /// beGateway's messages for one field (its wire path, e.g. `"amount"` or
    /// `"credit_card.number"`).
    pub fn field_error(&self, field: &str) -> Option<&[String]> {
        self.field_errors().get(field).map(Vec::as_slice)
    }

    /// The messages not tied to a field (`errors.base`, a v3 `friendly_message`, a plain-text
    /// `errors`).
    pub fn messages(&self) -> &[String] {
        match self.kind() {
            ErrorKind::Api { messages, .. } => messages,
            _ => &[],
        }
    }

    /// beGateway's main message (`message`), for an answer that had one.
    pub fn provider_message(&self) -> Option<&str> {
        match self.kind() {
            ErrorKind::Api { message, .. } => message.as_deref(),
            ErrorKind::Unauthorized { message, .. } | ErrorKind::NotFound { message, .. } => {
                message.as_deref()
            }
            _ => None,
        }
    }

    /// The code of the v3 shape (`"F.1000"`) or of a P2P check (`error_code`).
    pub fn code(&self) -> Option<&str> {
        match self.kind() {
            ErrorKind::Api { code, .. } => code.as_deref(),
            _ => None,
        }
    }
}

/// An amount that could not be read (`Money::parse(..)?` in a function returning this crate's
/// result): operation `money.parse`.
///
/// ```
/// fn price() -> begateway::Result<begateway::Money> {
///     Ok(begateway::Money::parse("9.999", begateway::Currency::USD)?)
/// }
/// assert_eq!(price().unwrap_err().operation(), "money.parse");
/// ```
impl From<payments_common::MoneyError> for Error {
    fn from(e: payments_common::MoneyError) -> Self {
        Error::new("money.parse", ErrorKind::from(e))
    }
}

/// What went wrong, without the provider and the operation: lets `?` hand this crate's error
/// to code that works on the shared [`ErrorKind`] (the same as [`Error::into_kind`]).
///
/// ```
/// fn shared() -> Result<(), begateway::ErrorKind> {
///     begateway::Client::builder(begateway::Credentials::new("", "k")).build()?;
///     Ok(())
/// }
/// assert_eq!(shared().unwrap_err().invalid_field(), Some("shop_id"));
/// ```
impl From<Error> for ErrorKind {
    fn from(e: Error) -> Self {
        e.into_kind()
    }
}

/// Every error body shape, decoded in one pass (all fields optional).
#[derive(Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    friendly_message: Option<String>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    error_code: Option<String>,
    #[serde(default)]
    errors: Option<ErrorNode>,
    #[serde(default)]
    response: Option<Box<ErrorBody>>,
}

/// A value under `errors`: a message, a list, a section, or anything else (ignored).
///
/// Read by one visitor on the JSON value's own type (what `#[serde(untagged)]` would do by
/// buffering the value and trying each variant in turn, formatting an error per miss).
enum ErrorNode {
    Text(String),
    List(Vec<ErrorNode>),
    Section(BTreeMap<String, ErrorNode>),
    Other,
}

impl<'de> Deserialize<'de> for ErrorNode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{self, MapAccess, SeqAccess, Visitor};
        use std::fmt;

        struct NodeVisitor;
        impl<'de> Visitor<'de> for NodeVisitor {
            type Value = ErrorNode;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ErrorNode, E> {
                Ok(ErrorNode::Text(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<ErrorNode, E> {
                Ok(ErrorNode::Text(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ErrorNode, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(16));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(ErrorNode::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ErrorNode, A::Error> {
                let mut section = BTreeMap::new();
                while let Some((key, value)) = map.next_entry::<String, ErrorNode>()? {
                    section.insert(key, value);
                }
                Ok(ErrorNode::Section(section))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<ErrorNode, E> {
                Ok(ErrorNode::Other)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<ErrorNode, E> {
                Ok(ErrorNode::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<ErrorNode, E> {
                Ok(ErrorNode::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<ErrorNode, E> {
                Ok(ErrorNode::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<ErrorNode, E> {
                Ok(ErrorNode::Other)
            }
            fn visit_none<E: de::Error>(self) -> Result<ErrorNode, E> {
                Ok(ErrorNode::Other)
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<ErrorNode, D::Error> {
                d.deserialize_any(self)
            }
        }
        d.deserialize_any(NodeVisitor)
    }
}

/// What an error body says, flattened.
#[derive(Debug, Default, PartialEq)]
struct Flattened {
    code: Option<String>,
    message: Option<String>,
    messages: Vec<String>,
    field_errors: BTreeMap<String, Vec<String>>,
}

impl ErrorBody {
    fn flatten(self) -> Option<Flattened> {
        // The legacy wrapper carries the real body inside.
        let body = match self.response {
            Some(inner) if self.message.is_none() && self.errors.is_none() => *inner,
            _ => self,
        };
        let mut out = Flattened {
            code: body.code.or(body.error_code),
            message: body.message.filter(|m| !m.is_empty()),
            ..Flattened::default()
        };
        if let Some(friendly) = body.friendly_message.filter(|m| !m.is_empty())
            && out.message.as_deref() != Some(friendly.as_str())
        {
            out.messages.push(friendly);
        }
        match body.errors {
            Some(ErrorNode::Section(map)) => {
                for (key, node) in map {
                    if key == "base" {
                        collect_messages(node, &mut out.messages);
                    } else {
                        flatten_node(&key, node, &mut out.field_errors);
                    }
                }
            }
            Some(node) => collect_messages(node, &mut out.messages),
            None => {}
        }
        let recognised = out.code.is_some()
            || out.message.is_some()
            || !out.messages.is_empty()
            || !out.field_errors.is_empty();
        recognised.then_some(out)
    }
}

fn collect_messages(node: ErrorNode, out: &mut Vec<String>) {
    match node {
        ErrorNode::Text(t) => out.push(t),
        ErrorNode::List(items) => items.into_iter().for_each(|i| collect_messages(i, out)),
        ErrorNode::Section(map) => map.into_values().for_each(|v| collect_messages(v, out)),
        ErrorNode::Other => {}
    }
}

fn flatten_node(path: &str, node: ErrorNode, out: &mut BTreeMap<String, Vec<String>>) {
    match node {
        ErrorNode::Text(t) => out.entry(path.to_owned()).or_default().push(t),
        ErrorNode::List(items) => items.into_iter().for_each(|i| flatten_node(path, i, out)),
        ErrorNode::Section(map) => {
            for (key, child) in map {
                flatten_node(&format!("{path}.{key}"), child, out);
            }
        }
        ErrorNode::Other => {}
    }
}

/// Maps a non-success response onto the shared error kind. (The pipeline masks the secret key in
/// every message taken from the body: the client registers it with `redact_in_errors`.)
pub(crate) fn map_error(response: &Response) -> ErrorKind {
    let status = response.status();
    let code = status.as_u16();
    let parsed = if response.looks_like_json() {
        // Only an object: a derived reader would take a JSON array positionally.
        serde_json::from_slice::<Object<ErrorBody>>(response.body())
            .ok()
            .and_then(|Object(body)| body.flatten())
    } else {
        None
    };
    let Some(body) = parsed else {
        return response.error();
    };
    let request_id = response.request_id();
    let summary = body
        .message
        .clone()
        .or_else(|| body.messages.first().cloned());
    match code {
        401 | 403 => ErrorKind::Unauthorized {
            status,
            message: summary,
            request_id,
        },
        404 => ErrorKind::NotFound {
            message: summary,
            request_id,
        },
        429 => response.error(),
        _ => ErrorKind::Api {
            status,
            code: body.code,
            message: body.message,
            messages: body.messages,
            field_errors: body.field_errors,
            request_id,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use payments_common::ErrorKind as Error;
    use payments_common::StatusCode;

    fn map(status: u16, body: &str) -> Error {
        let status = StatusCode::from_u16(status).unwrap();
        // As the client's pipeline does: the registered secret key is masked.
        map_error(&Response::for_tests(
            status,
            "application/json",
            body.as_bytes(),
        ))
        .redact(&["s3cret-key"])
    }

    fn fields(e: &Error) -> BTreeMap<String, Vec<String>> {
        match e {
            Error::Api { field_errors, .. } => field_errors.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn nested_sections_strings_arrays_and_base() {
        let e = map(
            422,
            r#"{"message":"m","errors":{"base":["not tied"],"amount":"must be > 0",
                "billing_address":{"first_name":["is blank"],"address":{"line":["x","y"]}},
                "credit_card":{"number":["is invalid"]},"count":5}}"#,
        );
        let f = fields(&e);
        assert_eq!(f["amount"], vec!["must be > 0"]);
        assert_eq!(f["billing_address.first_name"], vec!["is blank"]);
        assert_eq!(f["billing_address.address.line"], vec!["x", "y"]);
        assert_eq!(f["credit_card.number"], vec!["is invalid"]);
        assert!(!f.contains_key("count"));
        let Error::Api {
            messages, message, ..
        } = e
        else {
            unreachable!()
        };
        assert_eq!(messages, vec!["not tied"]);
        assert_eq!(message.as_deref(), Some("m"));
    }

    #[test]
    fn legacy_and_v3_shapes() {
        let e = map(
            422,
            r#"{"response":{"message":"Amount is invalid","errors":{"gateway":"Gateway is temporarily unavailable"}}}"#,
        );
        assert_eq!(
            fields(&e)["gateway"],
            vec!["Gateway is temporarily unavailable"]
        );
        let e = map(
            400,
            r#"{"code":"F.1000","friendly_message":"Try another card","message":"Declined","errors":{}}"#,
        );
        let Error::Api {
            code,
            message,
            messages,
            ..
        } = e
        else {
            panic!()
        };
        assert_eq!(code.as_deref(), Some("F.1000"));
        assert_eq!(message.as_deref(), Some("Declined"));
        assert_eq!(messages, vec!["Try another card"]);
        let e = map(
            500,
            r#"{"errors":"Net::ReadTimeout","message":"Net::ReadTimeout"}"#,
        );
        let Error::Api { messages, .. } = e else {
            panic!()
        };
        assert_eq!(messages, vec!["Net::ReadTimeout"]);
    }

    #[test]
    fn statuses_and_fallbacks() {
        assert!(matches!(
            map(401, r#"{"message":"Unauthorized"}"#),
            Error::Unauthorized {
                message: Some(_),
                ..
            }
        ));
        assert!(matches!(
            map(404, r#"{"message":"Record not found"}"#),
            Error::NotFound {
                message: Some(_),
                ..
            }
        ));
        assert!(matches!(
            map(302, r#"{"message":"Product not found"}"#),
            Error::Api { .. }
        ));
        assert!(matches!(map(302, ""), Error::UnexpectedRedirect { .. }));
        assert!(matches!(map(422, "[]"), Error::Http { .. }));
        assert!(matches!(map(422, "{}"), Error::Http { .. }));
        assert!(matches!(map(422, "{not json"), Error::Http { .. }));
        let html = Response::for_tests(StatusCode::BAD_GATEWAY, "text/html", b"<html>502</html>");
        assert!(matches!(map_error(&html), Error::Http { .. }));
        let e = map(
            422,
            r#"{"message":"bad s3cret-key","errors":{"secret_key":["s3cret-key is wrong"]}}"#,
        );
        assert!(!format!("{e:?}").contains("s3cret-key"), "{e:?}");
    }
}
