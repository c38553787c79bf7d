//! Client for TS Pay (TeamSystem Payments S.p.A.): pay links, links to save a payment source,
//! the payment outcome of an order, and (feature `webhooks`) verification of notifications.
//!
//! # Flow
//!
//! 1. Create a pay link ([`Client::pay_links`]) and store its [`OrderKey`] with your order.
//! 2. Redirect the customer to the link's `url`.
//! 3. Confirm: on a verified notification (feature `webhooks`, `webhook::WebhookVerifier`) or
//!    when the customer returns, call [`Client::confirm_payment`] with the order key named and
//!    the [`ExpectedPayment`] of **your** order (its stored key and amount). The customer coming
//!    back to `callbackUrl` proves nothing, and a paid key of another order is refused.
//!
//! ```no_run
//! use tspay::{Client, Currency, Environment, ExpectedPayment, Money, PayLinkRequest, PaymentVerdict, SecretString, Template};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder(SecretString::from(std::env::var("TSPAY_API_KEY").unwrap_or_default()), Environment::Staging)
//!     .build()?;
//!
//! // 1. The link.
//! let amount = Money::parse("14.50", Currency::EUR)?;
//! let request = PayLinkRequest::new(
//!     Template::new("Shop S.r.l.", "Ordine 42").payment_ref("Ordine #42"),
//!     amount,
//! )
//! .callback_url("https://shop.example/tspay/return?order=42".parse()?)
//! .external_ref("order-42");
//! let link = client.pay_links().create(&request).await?;
//!
//! // 2. Redirect the customer to `link.url`; store `link.order_key` with order 42.
//! println!("redirect to {}", link.url);
//!
//! // 3. Later (on the notification, or when the customer returns): ask TS Pay whether order
//! //    42 — its stored key, its amount — is paid.
//! let expected = ExpectedPayment::new(link.order_key.as_str(), amount);
//! match client.confirm_payment(&link.order_key, &expected).await? {
//!     PaymentVerdict::Paid => { /* fulfil order 42 */ }
//!     PaymentVerdict::NotPaid { .. } => { /* not yet: wait for the notification */ }
//!     other => eprintln!("not fulfilled: {other}"),
//! }
//! # Ok(()) }
//! ```
//!
//! # What the record says, and what this crate chose
//!
//! The only documentation page (TS Digital "tspay-gateway" book) gives field tables for
//! `link2pay` and `link2save` and the outcome route — but no base URL, no authentication, no
//! status codes, no error bodies and no response schema for the outcome. The rest comes from
//! the only public integration (a third-party plugin and its mock), not from TS Pay:
//!
//! - **Hosts** ([`Environment`]): `api-staging.tspay.app` / `api.tspay.app`, unconfirmed; the
//!   caller always chooses.
//! - **Routes** ([`PathStyle`]): the page's `/{itemId}/…` or the integration's `/orders/…`.
//! - **Auth**: `Authorization: Bearer <api key>`.
//! - **Money**: integer euro cents; only EUR is accepted.
//! - **Outcome**: an array, `[]`, a single object or a wrapper — all read by [`OrderCharges`]
//!   (wrapper keys tried in a fixed order; see there). A charge naming another order than the
//!   one asked for makes the answer an [`Error::Decode`].
//! - **Path parameters** (`orderKey`, `itemId`): one path segment each; `.`, `..`, `/`, `?`,
//!   `#`, `%`, whitespace and empty values are [`Error::InvalidRequest`], nothing sent.
//! - **Errors**: NestJS-style `{statusCode, message: string | [string], error?}` bodies (seen
//!   in the integration's mock; the array form is inferred). 401/403 → [`Error::Unauthorized`],
//!   404 → [`Error::NotFound`], 429 → [`Error::RateLimited`], other statuses with that body →
//!   [`Error::Api`] (`code` = `error`, `message` = a string message, `messages` = an array),
//!   anything else (an HTML proxy page) → [`Error::Http`] with a redacted excerpt. For link
//!   creation, any 5xx is [`Error::OutcomeUnknown`]: the link may exist.
//!
//! Every call goes through one pooled HTTP pipeline (`payments_common::http`): timeouts always
//! set, bounded bodies, no redirects, reads retried; link creation is never repeated once it
//! may have reached TS Pay, and an ambiguous failure is [`Error::OutcomeUnknown`].
//!
//! # Not covered
//!
//! Registering webhooks (`POST /notification/webhook`), the API-key lifecycle
//! (`POST /auth/api-key`), charging a saved source, refunds and disputes: none is documented on
//! the page.

// docs.rs builds with `--cfg docsrs`: each feature-gated item shows the feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod charges;
mod client;
mod confirm;
mod error;
mod ids;
mod link;
mod pay_link;
mod save_link;
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub mod webhook;

pub use charges::{CardSummary, Charge, ChargeState, Charges, OrderCharges, PayMethod};
pub use client::{Client, ClientBuilder, Environment, PathStyle};
pub use ids::{ChargeKey, ItemId, MerchantRef, OrderKey};
pub use link::{
    LinkCreated, Locale, MAX_AMOUNT_CENTS, MAX_METADATA_ENTRIES, MAX_TEXT_CHARS, SourceType,
    Template, UseLimit,
};
pub use pay_link::{PayLinkRequest, PayLinks};
pub use payments_common::http::{HttpConfig, RetryPolicy};
pub use payments_common::{
    Currency, Error, ExpectedPayment, Money, ObservedPayment, PaymentOutcome, PaymentVerdict,
    ProviderUrl, Reconciliation, SecretString, StatusCode, Url,
};
pub use save_link::{SaveLinkRequest, SaveLinks};

/// **Not part of the API** — for the benchmarks (`crates/payments-bench`) only; may change or
/// disappear in any release.
#[doc(hidden)]
pub mod __bench {
    /// The error-body mapping every operation runs on a non-success answer, exactly as the
    /// client calls it (`api_key` is masked in messages quoted from the body).
    pub fn map_error(response: &payments_common::http::Response, api_key: &str) -> crate::Error {
        crate::error::map_error(response).redact(&[api_key])
    }
}

/// The result of every fallible call of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
