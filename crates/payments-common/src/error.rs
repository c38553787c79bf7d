//! The one error type every provider crate returns.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

use crate::redact::{MAX_PROVIDER_ITEMS, Masker, bounded, bounded_to};

/// The longest [`Display`](fmt::Display) of an [`Error::Api`], in bytes: the messages past it
/// are counted, not printed.
const MAX_API_DISPLAY_BYTES: usize = 4096;

/// A boxed cause, kept in the [`std::error::Error::source`] chain.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong when calling a payment provider, or verifying what it sent.
///
/// The variants answer the question a merchant's backend has to ask after a failure:
///
/// | variant | was anything sent? | safe to try again? |
/// | --- | --- | --- |
/// | [`InvalidRequest`](Error::InvalidRequest) | no | after fixing the input |
/// | [`Connect`](Error::Connect) | no | yes |
/// | [`Timeout`](Error::Timeout), [`Transport`](Error::Transport) on reads | maybe | yes |
/// | [`OutcomeUnknown`](Error::OutcomeUnknown) | yes, may have been applied | only after reconciling |
/// | [`Http`](Error::Http), [`Api`](Error::Api), [`Unauthorized`](Error::Unauthorized), [`NotFound`](Error::NotFound) | yes, answered | see [`Error::is_retryable`] |
/// | [`RateLimited`](Error::RateLimited) | yes, refused | after the delay |
/// | [`Decode`](Error::Decode), [`ResponseTooLarge`](Error::ResponseTooLarge) | yes | reads only |
/// | [`SignatureInvalid`](Error::SignatureInvalid) | (a notification) | never trust the payload |
///
/// No variant ever holds a credential: bodies are cut to an excerpt of at most
/// [`MAX_EXCERPT_BYTES`](crate::MAX_EXCERPT_BYTES) with secrets the provider may echo masked,
/// and transport errors are stored without their URL.
///
/// ```
/// use payments_common::Error;
///
/// fn describe(err: &Error) -> &'static str {
///     match err {
///         Error::InvalidRequest { .. } => "fix the input: nothing was sent",
///         Error::OutcomeUnknown { .. } => "reconcile before retrying",
///         e if e.is_retryable() => "try again later",
///         _ => "give up",
///     }
/// }
/// let err = Error::invalid("amount", "must be greater than zero");
/// assert_eq!(describe(&err), "fix the input: nothing was sent");
/// assert_eq!(err.to_string(), "invalid request: amount: must be greater than zero");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request was refused before anything was sent: a field is missing, malformed or out
    /// of range.
    #[error("invalid request: {field}: {reason}")]
    InvalidRequest {
        /// The offending field, as the provider names it (dotted for nested fields).
        field: String,
        /// What is wrong with it.
        reason: String,
    },

    /// No connection could be made (refused, DNS failure, TLS handshake): nothing was sent.
    #[error("could not connect{}: {} ({attempts} attempt(s))", host_of(source), root_cause(source.as_ref()))]
    Connect {
        /// How many attempts were made.
        attempts: u32,
        /// The transport's error, without the URL.
        #[source]
        source: BoxError,
    },

    /// An attempt, or the overall deadline, ran out before a complete answer arrived.
    #[error("timed out after {attempts} attempt(s)")]
    Timeout {
        /// How many attempts were made.
        attempts: u32,
        /// The transport's error, if there was one (the overall deadline has none).
        #[source]
        source: Option<BoxError>,
    },

    /// The connection broke after the request was sent: reset, or a body cut short.
    #[error("transport failed ({kind}){}: {} ({attempts} attempt(s))", host_of(source), root_cause(source.as_ref()))]
    Transport {
        /// What broke.
        kind: TransportKind,
        /// How many attempts were made.
        attempts: u32,
        /// The transport's error, without the URL.
        #[source]
        source: BoxError,
    },

    /// A write may have reached the provider and no definitive answer came back. It was **not**
    /// repeated, because the provider does not honour an idempotency key for it: look the
    /// operation up with the reconciliation handles before trying again.
    #[error("outcome unknown for {operation}: the provider may have applied it ({source})")]
    OutcomeUnknown {
        /// The operation, e.g. `"begateway.products.create"`.
        operation: &'static str,
        /// What identifies the operation at the provider, to look it up.
        reconciliation: Reconciliation,
        /// What went wrong.
        #[source]
        source: Box<Error>,
    },

    /// The provider (or a proxy in front of it) answered with a body that is not its JSON.
    #[error("HTTP {status} from the provider ({}): {}", bounded(content_type.as_deref().unwrap_or("no content type")), crate::redact::bounded_to(excerpt, crate::MAX_EXCERPT_BYTES))]
    Http {
        /// The HTTP status.
        status: StatusCode,
        /// The response's `Content-Type`, if any.
        content_type: Option<String>,
        /// A short, redacted excerpt of the body.
        excerpt: String,
        /// The provider's request id header, if any.
        request_id: Option<String>,
    },

    /// The provider answered with a structured error.
    #[error("{}", ApiDisplay(self))]
    Api {
        /// The HTTP status (some providers send errors with 200).
        status: StatusCode,
        /// The provider's own error code, if it sends one.
        code: Option<String>,
        /// The provider's message, if any.
        message: Option<String>,
        /// Messages not tied to a field.
        messages: Vec<String>,
        /// Messages per field, keyed by dotted path (`billing_address.first_name`).
        field_errors: BTreeMap<String, Vec<String>>,
        /// The provider's request id header, if any.
        request_id: Option<String>,
    },

    /// The credentials were refused (401/403, or the provider's equivalent).
    #[error("unauthorized (HTTP {status}){}", message.as_ref().map(|m| format!(": {}", bounded(m))).unwrap_or_default())]
    Unauthorized {
        /// The HTTP status.
        status: StatusCode,
        /// The provider's message, if any (never the credentials).
        message: Option<String>,
        /// The provider's request id header, if any.
        request_id: Option<String>,
    },

    /// The resource does not exist.
    #[error("not found{}", message.as_ref().map(|m| format!(": {}", bounded(m))).unwrap_or_default())]
    NotFound {
        /// The provider's message, if any.
        message: Option<String>,
        /// The provider's request id header, if any.
        request_id: Option<String>,
    },

    /// The provider asked to slow down (429, or 503 with a `Retry-After` above the retry cap).
    #[error("rate limited (HTTP {status}){}", retry_after.map(|d| format!(", retry after {} s", d.as_secs())).unwrap_or_default())]
    RateLimited {
        /// The HTTP status.
        status: StatusCode,
        /// The delay the provider asked for, if it said.
        retry_after: Option<Duration>,
        /// The provider's request id header, if any.
        request_id: Option<String>,
    },

    /// The response did not have the expected shape.
    #[error(
        "could not decode the HTTP {status} response at `{}`: {}",
        bounded(path),
        bounded(message)
    )]
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// The JSON path of the offending value (`.` for the document itself).
        path: String,
        /// What the decoder expected.
        message: String,
        /// A short, redacted excerpt of the body.
        excerpt: String,
        /// The decoder's error.
        #[source]
        source: BoxError,
    },

    /// The response body was larger than the configured cap; it was not read whole.
    #[error("response body larger than the {limit}-byte cap")]
    ResponseTooLarge {
        /// The HTTP status.
        status: StatusCode,
        /// The cap in bytes.
        limit: usize,
    },

    /// The provider answered with a redirect, which API calls never follow.
    #[error("unexpected redirect (HTTP {status}){}", location.as_ref().map(|l| format!(" to {}", bounded(l))).unwrap_or_default())]
    UnexpectedRedirect {
        /// The HTTP status.
        status: StatusCode,
        /// Scheme and host of the `Location` header (never its path or query).
        location: Option<String>,
    },

    /// A notification's signature or credentials did not verify: do not trust its payload.
    #[error("signature invalid: {reason}")]
    SignatureInvalid {
        /// Why (never the expected value).
        reason: String,
    },
}

/// What broke in a [`Error::Transport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The connection was reset or closed before a complete response head arrived.
    Reset,
    /// The response body ended before its declared end (length mismatch, unterminated chunks).
    Truncated,
    /// Any other failure while exchanging bytes.
    Other,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Reset => "connection reset",
            TransportKind::Truncated => "body truncated",
            TransportKind::Other => "transport error",
        })
    }
}

/// What identifies a write at the provider, so that an [`Error::OutcomeUnknown`] can be
/// reconciled: look it up before creating it again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Reconciliation {
    /// The idempotency key sent with every attempt, if the operation had one.
    pub idempotency_key: Option<String>,
    /// The merchant's own reference for the operation (order id, tracking id), if any.
    pub merchant_reference: Option<String>,
}

impl Reconciliation {
    /// A handle made of the merchant's own reference.
    ///
    /// ```
    /// let r = payments_common::Reconciliation::merchant_reference("order-42");
    /// assert_eq!(r.merchant_reference.as_deref(), Some("order-42"));
    /// ```
    pub fn merchant_reference(reference: impl Into<String>) -> Self {
        Reconciliation {
            idempotency_key: None,
            merchant_reference: Some(reference.into()),
        }
    }
}

/// The host a transport error happened at, attached by the pipeline (never a path or query).
#[derive(Debug)]
pub(crate) struct AtHost {
    pub(crate) host: String,
    pub(crate) source: BoxError,
}

impl fmt::Display for AtHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "talking to {}", self.host)
    }
}

impl std::error::Error for AtHost {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// `" to {host}"` when the pipeline recorded the host.
fn host_of(source: &BoxError) -> String {
    match source.downcast_ref::<AtHost>() {
        Some(at) => format!(" to {}", bounded(&at.host)),
        None => String::new(),
    }
}

/// The innermost cause's message (the operating system's, for a refused connection), with
/// control characters escaped.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut root = error;
    while let Some(next) = root.source() {
        root = next;
    }
    bounded(&root.to_string()).into_owned()
}

struct ApiDisplay<'a>(&'a Error);

impl fmt::Display for ApiDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Error::Api {
            status,
            code,
            message,
            messages,
            field_errors,
            ..
        } = self.0
        else {
            return Ok(());
        };
        let mut out = format!("provider error (HTTP {status}");
        if let Some(code) = code {
            out.push_str(", code ");
            out.push_str(&bounded(code));
        }
        out.push(')');
        let items = message
            .iter()
            .chain(messages.iter())
            .map(|m| bounded(m).into_owned())
            .chain(field_errors.iter().map(|(field, msgs)| {
                let msgs: Vec<_> = msgs.iter().map(|m| bounded(m)).collect();
                format!("{}: {}", bounded(field), msgs.join(", "))
            }));
        let mut sep = ": ";
        let mut hidden = 0usize;
        for item in items {
            if hidden > 0 || out.len() + sep.len() + item.len() > MAX_API_DISPLAY_BYTES {
                hidden += 1;
                continue;
            }
            out.push_str(sep);
            out.push_str(&item);
            sep = "; ";
        }
        if hidden > 0 {
            out.push_str(&format!("{sep}… {hidden} more not shown"));
        }
        f.write_str(&out)
    }
}

/// Masks `secrets` in a provider-supplied text, then escapes its control characters and cuts
/// it to `max_bytes`; the text is returned as it was when nothing had to change.
fn clean(text: String, secrets: &Masker<'_>, max_bytes: usize) -> String {
    let masked = secrets.mask(&text);
    match bounded_to(&masked, max_bytes) {
        Cow::Borrowed(_) if matches!(masked, Cow::Borrowed(_)) => text,
        other => other.into_owned(),
    }
}

/// At most [`MAX_PROVIDER_ITEMS`] of `items`, each cleaned, and a note of how many were dropped.
fn clean_list(items: Vec<String>, secrets: &Masker<'_>) -> Vec<String> {
    let total = items.len();
    let mut kept: Vec<String> = items
        .into_iter()
        .take(MAX_PROVIDER_ITEMS)
        .map(|t| clean(t, secrets, crate::redact::MAX_PROVIDER_TEXT_BYTES))
        .collect();
    if total > MAX_PROVIDER_ITEMS {
        kept.push(format!("… {} more not shown", total - MAX_PROVIDER_ITEMS));
    }
    kept
}

impl Error {
    /// This error with each of `secrets` (those of at least 4 bytes) masked as `***`, in every
    /// rendering [`redact::mask_all`](crate::redact::mask_all) knows (raw, JSON-escaped,
    /// URL-encoded, base64), in the texts a provider supplied — API codes, messages and
    /// per-field messages and field names, body excerpts, decode paths and messages, content
    /// types, request ids, redirect locations, also inside [`Error::OutcomeUnknown`] — and
    /// every such text then **bounded** (see [`Error::bounded`]). Masking comes first, so no
    /// part of a secret survives at a cut.
    ///
    /// Providers sometimes quote what they were sent — a refused key, a whole echoed request.
    /// [`HttpClient::execute`](crate::http::HttpClient::execute) applies this with the secrets
    /// registered by [`HttpClient::redact_in_errors`](crate::http::HttpClient::redact_in_errors)
    /// and the request's own credentials to every error it returns; a crate with secrets that
    /// appear later (a token fetched at run time) calls it itself.
    ///
    /// ```
    /// use payments_common::{Error, StatusCode};
    /// let e = Error::Api {
    ///     status: StatusCode::UNPROCESSABLE_ENTITY,
    ///     code: None,
    ///     message: Some(r#"key sk_live\/123 refused"#.into()),
    ///     messages: vec![],
    ///     field_errors: Default::default(),
    ///     request_id: None,
    /// };
    /// let shown = e.redact(&["sk_live/123"]).to_string();
    /// assert!(!shown.contains("123"), "{shown}");
    /// ```
    pub fn redact(self, secrets: &[&str]) -> Self {
        use crate::redact::MAX_PROVIDER_TEXT_BYTES as MAX;
        let masker = Masker::new(secrets);
        let text = |t: String| clean(t, &masker, MAX);
        let opt = |t: Option<String>| t.map(|t| clean(t, &masker, MAX));
        match self {
            Error::Api {
                status,
                code,
                message,
                messages,
                field_errors,
                request_id,
            } => {
                let total_fields = field_errors.len();
                let mut fields: BTreeMap<String, Vec<String>> = BTreeMap::new();
                for (field, msgs) in field_errors.into_iter().take(MAX_PROVIDER_ITEMS) {
                    // Two names cut to the same text keep both their messages.
                    fields
                        .entry(text(field))
                        .or_default()
                        .extend(clean_list(msgs, &masker));
                }
                let mut messages = clean_list(messages, &masker);
                if total_fields > MAX_PROVIDER_ITEMS {
                    messages.push(format!(
                        "… {} more field(s) with errors not shown",
                        total_fields - MAX_PROVIDER_ITEMS
                    ));
                }
                Error::Api {
                    status,
                    code: opt(code),
                    message: opt(message),
                    messages,
                    field_errors: fields,
                    request_id: opt(request_id),
                }
            }
            Error::Unauthorized {
                status,
                message,
                request_id,
            } => Error::Unauthorized {
                status,
                message: opt(message),
                request_id: opt(request_id),
            },
            Error::NotFound {
                message,
                request_id,
            } => Error::NotFound {
                message: opt(message),
                request_id: opt(request_id),
            },
            Error::RateLimited {
                status,
                retry_after,
                request_id,
            } => Error::RateLimited {
                status,
                retry_after,
                request_id: opt(request_id),
            },
            Error::Http {
                status,
                content_type,
                excerpt,
                request_id,
            } => Error::Http {
                status,
                content_type: opt(content_type),
                excerpt: clean(excerpt, &masker, crate::MAX_EXCERPT_BYTES),
                request_id: opt(request_id),
            },
            Error::Decode {
                status,
                path,
                message,
                excerpt,
                source,
            } => {
                let cleaned = text(message.clone());
                // serde's own message quotes the offending value: keep the typed source only
                // when nothing had to be masked or cut in it.
                let source: BoxError = if cleaned == message {
                    source
                } else {
                    cleaned.clone().into()
                };
                Error::Decode {
                    status,
                    path: text(path),
                    message: cleaned,
                    excerpt: clean(excerpt, &masker, crate::MAX_EXCERPT_BYTES),
                    source,
                }
            }
            Error::UnexpectedRedirect { status, location } => Error::UnexpectedRedirect {
                status,
                location: opt(location),
            },
            Error::OutcomeUnknown {
                operation,
                reconciliation,
                source,
            } => Error::OutcomeUnknown {
                operation,
                reconciliation,
                source: Box::new(source.redact(secrets)),
            },
            other => other,
        }
    }

    /// This error with every text a provider supplied made safe to print and store: control
    /// characters escaped (a CR/LF cannot forge a log line), each text cut to
    /// [`MAX_PROVIDER_TEXT_BYTES`](crate::redact::MAX_PROVIDER_TEXT_BYTES) (excerpts to
    /// [`MAX_EXCERPT_BYTES`](crate::MAX_EXCERPT_BYTES)), and at most
    /// [`MAX_PROVIDER_ITEMS`](crate::redact::MAX_PROVIDER_ITEMS) messages, field names, and
    /// messages per field kept, with a note of how many were dropped. The pipeline applies it
    /// (through [`Error::redact`]) to every error it returns.
    ///
    /// ```
    /// use payments_common::{Error, StatusCode};
    /// let e = Error::Api {
    ///     status: StatusCode::BAD_REQUEST,
    ///     code: None,
    ///     message: Some(format!("bad\r\nINFO forged {}", "x".repeat(1 << 20))),
    ///     messages: vec!["m".into(); 1000],
    ///     field_errors: Default::default(),
    ///     request_id: None,
    /// }
    /// .bounded();
    /// let shown = e.to_string();
    /// assert!(shown.len() < 8192 && !shown.contains('\n'));
    /// match e {
    ///     Error::Api { messages, .. } => assert_eq!(messages.len(), 21),
    ///     _ => unreachable!(),
    /// }
    /// ```
    pub fn bounded(self) -> Self {
        self.redact(&[])
    }

    /// An [`Error::InvalidRequest`] for `field`.
    ///
    /// ```
    /// let e = payments_common::Error::invalid("currency", "not accepted by the provider");
    /// assert_eq!(e.invalid_field(), Some("currency"));
    /// ```
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidRequest {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// An [`Error::SignatureInvalid`].
    ///
    /// ```
    /// let e = payments_common::Error::signature("header missing");
    /// assert_eq!(e.to_string(), "signature invalid: header missing");
    /// ```
    pub fn signature(reason: impl Into<String>) -> Self {
        Error::SignatureInvalid {
            reason: reason.into(),
        }
    }

    /// The field an [`Error::InvalidRequest`] is about.
    ///
    /// ```
    /// assert_eq!(payments_common::Error::invalid("amount", "x").invalid_field(), Some("amount"));
    /// ```
    pub fn invalid_field(&self) -> Option<&str> {
        match self {
            Error::InvalidRequest { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The HTTP status of the provider's answer, when there was one.
    ///
    /// ```
    /// use payments_common::{Error, StatusCode};
    /// let e = Error::NotFound { message: None, request_id: None };
    /// assert_eq!(e.status(), Some(StatusCode::NOT_FOUND));
    /// assert_eq!(Error::invalid("x", "y").status(), None);
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Http { status, .. }
            | Error::Api { status, .. }
            | Error::Unauthorized { status, .. }
            | Error::RateLimited { status, .. }
            | Error::Decode { status, .. }
            | Error::ResponseTooLarge { status, .. }
            | Error::UnexpectedRedirect { status, .. } => Some(*status),
            Error::NotFound { .. } => Some(StatusCode::NOT_FOUND),
            Error::OutcomeUnknown { source, .. } => source.status(),
            _ => None,
        }
    }

    /// The provider's request id (from its response headers), when it sent one.
    ///
    /// ```
    /// use payments_common::{Error, StatusCode};
    /// let e = Error::Unauthorized { status: StatusCode::UNAUTHORIZED, message: None, request_id: Some("r-1".into()) };
    /// assert_eq!(e.request_id(), Some("r-1"));
    /// ```
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Http { request_id, .. }
            | Error::Api { request_id, .. }
            | Error::Unauthorized { request_id, .. }
            | Error::NotFound { request_id, .. }
            | Error::RateLimited { request_id, .. } => request_id.as_deref(),
            Error::OutcomeUnknown { source, .. } => source.request_id(),
            _ => None,
        }
    }

    /// Whether the same call may be made again as it is, later: transient failures
    /// (connect, timeout, transport, 5xx, rate limiting, 409). Invalid input, refused
    /// credentials, missing resources, bad signatures, decode failures and — above all —
    /// [`Error::OutcomeUnknown`] are not: an unknown outcome must be reconciled first.
    ///
    /// ```
    /// use payments_common::{Error, StatusCode};
    /// let limited = Error::RateLimited { status: StatusCode::TOO_MANY_REQUESTS, retry_after: None, request_id: None };
    /// assert!(limited.is_retryable());
    /// assert!(!Error::invalid("amount", "negative").is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connect { .. }
            | Error::Timeout { .. }
            | Error::Transport { .. }
            | Error::RateLimited { .. } => true,
            Error::Http { status, .. } | Error::Api { status, .. } => {
                status.is_server_error() || *status == StatusCode::CONFLICT
            }
            _ => false,
        }
    }

    /// Whether this is an [`Error::OutcomeUnknown`]: the write may have been applied.
    ///
    /// ```
    /// assert!(!payments_common::Error::invalid("a", "b").is_outcome_unknown());
    /// ```
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, Error::OutcomeUnknown { .. })
    }

    /// How many attempts were made, for transport-level errors.
    ///
    /// ```
    /// assert_eq!(payments_common::Error::invalid("a", "b").attempts(), None);
    /// ```
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Connect { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::Transport { attempts, .. } => Some(*attempts),
            Error::OutcomeUnknown { source, .. } => source.attempts(),
            _ => None,
        }
    }
}

impl From<crate::MoneyError> for Error {
    fn from(e: crate::MoneyError) -> Self {
        Error::invalid("amount", e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_display_lists_code_messages_and_fields() {
        let mut fields = BTreeMap::new();
        fields.insert(
            "currency".to_owned(),
            vec!["is unknown".to_owned(), "is bad".to_owned()],
        );
        let e = Error::Api {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: Some("F.1000".into()),
            message: Some("Currency is unknown".into()),
            messages: vec![],
            field_errors: fields,
            request_id: None,
        };
        assert_eq!(
            e.to_string(),
            "provider error (HTTP 422 Unprocessable Entity, code F.1000): Currency is unknown; currency: is unknown, is bad"
        );
    }

    #[test]
    fn outcome_unknown_delegates_status_and_is_never_retryable() {
        let inner = Error::Http {
            status: StatusCode::BAD_GATEWAY,
            content_type: None,
            excerpt: String::new(),
            request_id: Some("rid".into()),
        };
        assert!(inner.is_retryable());
        let e = Error::OutcomeUnknown {
            operation: "x.create",
            reconciliation: Reconciliation::default(),
            source: Box::new(inner),
        };
        assert_eq!(e.status(), Some(StatusCode::BAD_GATEWAY));
        assert_eq!(e.request_id(), Some("rid"));
        assert!(!e.is_retryable());
        assert!(std::error::Error::source(&e).is_some());
    }
}
