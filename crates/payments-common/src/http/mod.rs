//! The HTTP pipeline every provider crate calls.
//!
//! One pooled [`reqwest::Client`] per SDK client; connect, per-attempt and overall timeouts
//! always set; a response body cap; redirects never followed; a `tracing` span per attempt
//! (provider, operation, attempt, method, status, latency — never headers or bodies); and the
//! retry policy of [`decide`]: reads are retried, writes are repeated only when nothing was
//! sent or when the provider honours their idempotency key, otherwise the caller gets
//! [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown).

mod client;
mod config;
mod options;
mod request;
mod response;
mod retry;

pub use client::HttpClient;
pub use config::{HttpConfig, ReqwestCustomizer};
pub use options::{RequestOptions, ResponseMeta};
pub use request::Request;
pub use response::{Response, decode_body};
pub use retry::{AttemptClass, Decision, RequestKind, RetryPolicy, decide};
