//! The shared core of the payment-provider SDKs (`jatapay`, `tspay`, `greenpay`, `begateway`).
//!
//! Merchants normally use it through a provider crate, which re-exports what they need:
//!
//! - [`Currency`] and [`Money`]: ISO 4217 currencies and exact integer minor units — no
//!   floating point anywhere on the money path;
//! - [`Error`]: one error type for every provider, telling apart what was never sent, what
//!   failed in transit, what the provider refused and what may have been applied
//!   ([`Error::OutcomeUnknown`]);
//! - [`http`]: the HTTP pipeline (timeouts, body cap, no redirects, safe retries, tracing);
//! - [`serde`]: adapters for the providers' wire quirks;
//! - [`validate`]: the input checks every request builder runs before sending;
//! - `signature` (feature `webhooks`): constant-time comparison, HMAC-SHA256 and RSA
//!   PKCS#1 v1.5 SHA-256 verification for notifications;
//! - `testing` (feature `test-util`): a raw TCP fault server for tests.
//!
//! ```
//! use payments_common::{Currency, Money};
//!
//! let amount = Money::parse("14.50", Currency::EUR)?;
//! assert_eq!(amount.minor_units(), 1450);
//! # Ok::<(), payments_common::MoneyError>(())
//! ```

// docs.rs builds with `--cfg docsrs`: each feature-gated item shows the feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]
// Library code never panics on bad input; tests may (they are separate targets or cfg(test)).
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
mod confirm;
mod currency;
mod error;
pub mod http;
mod macros;
mod money;
mod notification;
mod outcome;
mod provider;
mod provider_url;
pub mod redact;
pub mod serde;
#[cfg(all(feature = "webhooks", any(feature = "rustls", feature = "ring")))]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub mod signature;
#[cfg(all(feature = "webhooks", not(any(feature = "rustls", feature = "ring"))))]
compile_error!(
    "the `webhooks` feature needs a crypto backend: enable `rustls` (the default) or `ring`"
);
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod testing;
pub mod validate;

pub use confirm::{ExpectedPayment, ObservedPayment, PaymentVerdict};
pub use currency::{Currency, CurrencyError};
/// [`Error`] under the name the provider crates use for it: each provider crate's own `Error`
/// carries one of these as its [`kind`](ProviderError::kind).
pub use error::Error as ErrorKind;
pub use error::{BoxError, Error, Reconciliation, TransportKind};
pub use money::{Money, MoneyError};
pub use notification::VerifyNotification;
pub use outcome::PaymentOutcome;
pub use provider::{Provider, ProviderError};
pub use provider_url::ProviderUrl;
pub use redact::MAX_EXCERPT_BYTES;
pub use reqwest::StatusCode;
pub use reqwest::header::HeaderMap;
pub use secrecy::{ExposeSecret, SecretString};
pub use url::Url;

#[doc(hidden)]
pub mod __private {
    //! Re-exports for the macros; not part of the public API.
    pub use crate::provider::{display, is_retryable, reconciliation};
    pub use serde;
}
