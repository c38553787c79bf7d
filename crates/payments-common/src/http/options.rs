//! Per-call overrides, and what a successful call's response said about itself.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderName, HeaderValue};

use super::RetryPolicy;
use crate::error::Error;

/// Overrides for the calls made through one handle of a client (every provider crate's
/// `Client::with_options`): the deadline and per-attempt timeout, the retry policy, extra
/// headers, and the idempotency key where the provider honours one. The handle shares the
/// client's connection pool and credentials: it is not a second client.
///
/// Values are checked when a call is made, before anything is sent: a zero timeout, a header
/// that is not valid or that the SDK sets itself (`Authorization`, `Content-Type`, `Accept`,
/// `Host`, `User-Agent`, `Content-Length`, the provider's idempotency header), or an
/// idempotency key on a write the provider does not key, is an
/// [`Error::InvalidRequest`] naming it.
///
/// ```
/// use std::time::Duration;
/// use payments_common::http::{RequestOptions, RetryPolicy};
///
/// let options = RequestOptions::new()
///     .deadline(Duration::from_secs(5))
///     .retry(RetryPolicy::never())
///     .header("x-correlation-id", "checkout-42")
///     .idempotency_key("order-42-charge-1");
/// assert_eq!(options.get_deadline(), Some(Duration::from_secs(5)));
/// ```
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    pub(crate) deadline: Option<Duration>,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) idempotency_key: Option<String>,
}

/// Headers the pipeline or the provider crate set themselves: an override would change what the
/// request means or who it authenticates as.
const RESERVED_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "content-type",
    "content-length",
    "transfer-encoding",
    "accept",
    "host",
    "user-agent",
    "cookie",
];

impl RequestOptions {
    /// No overrides: the client's [`HttpConfig`](super::HttpConfig) applies.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// The overall deadline of each call, across attempts and backoffs.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The timeout of each attempt (at most the deadline).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// The retry policy (the safety rules of [`RequestKind`](super::RequestKind) still apply:
    /// a write without an honoured key is never repeated after it may have been sent).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// An extra header on every request (a correlation id, a tenant header of your gateway).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The idempotency key to send instead of a generated one, for the writes whose provider
    /// honours a key (each provider crate's docs say which). Give each logical operation its
    /// own key, and make a new handle for each: two different writes under one key would get
    /// the first one's answer.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// The deadline override, if any.
    pub fn get_deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// The idempotency key override, if any.
    pub fn get_idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }

    /// The extra headers, checked: refused when one cannot be sent or is the SDK's own.
    pub(crate) fn checked_headers(
        &self,
        also_reserved: Option<&str>,
    ) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
        self.headers
            .iter()
            .map(|(name, value)| {
                let field = format!("headers.{}", crate::redact::bounded(name));
                let parsed = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| Error::invalid(field.clone(), "not a valid header name"))?;
                let lower = parsed.as_str();
                if RESERVED_HEADERS.contains(&lower)
                    || also_reserved.is_some_and(|r| r.eq_ignore_ascii_case(lower))
                {
                    return Err(Error::invalid(
                        field,
                        "set by the SDK itself; it cannot be overridden",
                    ));
                }
                let value = HeaderValue::from_str(value).map_err(|_| {
                    Error::invalid(field, "contains characters not allowed in a header")
                })?;
                Ok((parsed, value))
            })
            .collect()
    }

    /// Refuses zero timeouts.
    pub(crate) fn check(&self) -> Result<(), Error> {
        for (field, value) in [
            ("deadline", self.deadline),
            ("attempt_timeout", self.attempt_timeout),
        ] {
            if value.is_some_and(|v| v.is_zero()) {
                return Err(Error::invalid(field, "must be greater than zero"));
            }
        }
        Ok(())
    }
}

/// What the provider's final response said about itself, for a call that succeeded: its status
/// and request id (for support tickets and logs), and how many attempts it took.
///
/// Read it from the handle the call went through (`Client::last_response` in every provider
/// crate).
///
/// ```
/// use payments_common::http::ResponseMeta;
/// use payments_common::StatusCode;
/// let meta = ResponseMeta::new(StatusCode::CREATED, Some("req-1".into()), 1);
/// assert_eq!(meta.status(), StatusCode::CREATED);
/// assert_eq!(meta.request_id(), Some("req-1"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseMeta {
    status: StatusCode,
    request_id: Option<String>,
    attempts: u32,
}

impl ResponseMeta {
    /// A record of a response (for tests of code that reads one).
    pub fn new(status: StatusCode, request_id: Option<String>, attempts: u32) -> Self {
        ResponseMeta {
            status,
            request_id,
            attempts,
        }
    }

    /// The HTTP status of the final response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The provider's request id header (`X-Request-Id` and its siblings), if it sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// How many attempts the call took (1 when the first one answered).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_and_malformed_headers_are_refused_by_name() {
        let refuse = |o: RequestOptions| o.checked_headers(Some("RequestID")).unwrap_err();
        let e = refuse(RequestOptions::new().header("Authorization", "Basic x"));
        assert_eq!(e.invalid_field(), Some("headers.Authorization"));
        let e = refuse(RequestOptions::new().header("requestid", "k"));
        assert_eq!(e.invalid_field(), Some("headers.requestid"));
        let e = refuse(RequestOptions::new().header("bad name", "v"));
        assert_eq!(e.invalid_field(), Some("headers.bad name"));
        let e = refuse(RequestOptions::new().header("x-ok", "line\nbreak"));
        assert_eq!(e.invalid_field(), Some("headers.x-ok"));
        let ok = RequestOptions::new()
            .header("X-Correlation-Id", "c-1")
            .checked_headers(None)
            .unwrap();
        assert_eq!(ok[0].0.as_str(), "x-correlation-id");
    }

    #[test]
    fn zero_timeouts_are_refused() {
        let e = RequestOptions::new()
            .deadline(Duration::ZERO)
            .check()
            .unwrap_err();
        assert_eq!(e.invalid_field(), Some("deadline"));
        assert!(
            RequestOptions::new()
                .attempt_timeout(Duration::from_secs(1))
                .check()
                .is_ok()
        );
    }
}
