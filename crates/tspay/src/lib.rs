//! Client for TS Pay (TeamSystem Payments S.p.A.): pay links, links to save a payment source,
//! the payment outcome of an order, and (feature `webhooks`) verification of notifications.
//!
//! # Getting started
//!
//! Once per merchant: request an API key with your AppSecret ([`Onboarding`]), have the
//! merchant activate it at its `loginUrl`, check it ([`Client::check_key`]), and register your
//! notification endpoint ([`Client::webhooks`]); the registration's secret goes straight into
//! `WebhookVerifier::new` (feature `webhooks`). These routes come from the public integration,
//! not from TS Pay's documentation page; each inferred shape is said where it is used.
//!
//! # Flow
//!
//! 1. Create a pay link ([`Client::pay_links`]) and store its [`OrderKey`] with your order.
//! 2. Redirect the customer to the link's `url`.
//! 3. Confirm: on a verified notification (feature `webhooks`, `WebhookVerifier`) or when the
//!    customer returns, call [`Client::confirm_payment`] with the order key named and the
//!    [`ExpectedPayment`] of **your** order (its stored key and amount). The customer coming
//!    back to `callbackUrl` proves nothing, and a paid key of another order is refused.
//!
//! ```no_run
//! use tspay::{Client, Credentials, Currency, ExpectedPayment, Money, PayLinkRequest, PaymentVerdict, Template};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! // The default environment is the sandbox; `.environment(Environment::Production)` goes live.
//! let client = Client::builder(Credentials::new(std::env::var("TSPAY_API_KEY")?)).build()?;
//!
//! // 1. The link.
//! let amount = Money::parse("14.50", Currency::EUR)?;
//! let request = PayLinkRequest::new(
//!     Template::new("Shop S.r.l.", "Ordine 42").payment_ref("Ordine #42"),
//!     amount,
//! )
//! .callback_url("https://shop.example/tspay/return?order=42")
//! .external_ref("order-42")
//! .build()?;
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
//! # Errors
//!
//! Every operation returns this crate's [`Error`]: [`Error::operation`] names the operation
//! (`"pay_links.create"`, `"charges.of_order"`, `"webhook.verify"`, `"client.build"`, …),
//! [`Error::kind`] is the shared [`ErrorKind`] to match on, and TS Pay's own words are
//! [`Error::tspay_messages`] and [`Error::tspay_error`]. `Display` reads
//! `TS Pay pay_links.create: …`.
//!
//! # What the record says, and what this crate chose
//!
//! The only documentation page (TS Digital "tspay-gateway" book) gives field tables for
//! `link2pay` and `link2save` and the outcome route — but no base URL, no authentication, no
//! status codes, no error bodies and no response schema for the outcome. The rest comes from
//! the only public integration (a third-party plugin and its mock), not from TS Pay:
//!
//! - **Hosts** ([`Environment`]): `api-staging.tspay.app` (the default, [`Environment::Sandbox`])
//!   / `api.tspay.app`, inferred from the public integration and unconfirmed by TS Pay;
//!   [`ClientBuilder::base_url`] calls any other host.
//! - **Routes** ([`PathStyle`]): the page's `/{itemId}/…` or the integration's `/orders/…`.
//! - **Auth**: `Authorization: Bearer <api key>`.
//! - **Money**: integer euro cents; only EUR is accepted.
//! - **Outcome**: an array, `[]`, a single object or a wrapper — all read by [`OrderCharges`]
//!   (wrapper keys tried in a fixed order; see there). A charge naming another order than the
//!   one asked for makes the answer an [`ErrorKind::Decode`].
//! - **Path parameters** (`orderKey`, `itemId`): one path segment each; `.`, `..`, `/`, `?`,
//!   `#`, `%`, whitespace and empty values are [`ErrorKind::InvalidRequest`], nothing sent.
//! - **Errors**: NestJS-style `{statusCode, message: string | [string], error?}` bodies (seen
//!   in the integration's mock; the array form is inferred). 401/403 →
//!   [`ErrorKind::Unauthorized`], 404 → [`ErrorKind::NotFound`], 429 →
//!   [`ErrorKind::RateLimited`], other statuses with that body → [`ErrorKind::Api`] (`code` =
//!   `error`, `message` = a string message, `messages` = an array), anything else (an HTML
//!   proxy page) → [`ErrorKind::Http`] with a redacted excerpt. For link creation, any 5xx is
//!   [`ErrorKind::OutcomeUnknown`]: the link may exist.
//!
//! Every call goes through one pooled HTTP pipeline (`payments_common::http`): timeouts always
//! set, bounded bodies, no redirects, reads retried; link creation is never repeated once it
//! may have reached TS Pay, and an ambiguous failure is [`ErrorKind::OutcomeUnknown`].
//! [`Client::with_options`] sets a deadline, retry policy or extra headers per call, and
//! [`Client::last_response`] gives the status and request id of a success.
//!
//! # Not covered
//!
//! Charging a saved source, refunds and disputes: no public source shows them.

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
mod onboarding;
mod pay_link;
mod save_link;
#[cfg(feature = "webhooks")]
mod webhook;
mod webhooks;

#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util;

/// The [axum](https://docs.rs/axum) extractor for verified TS Pay notifications (feature
/// `axum`): a forgery is answered `401` and never reaches the handler.
///
/// ```no_run
/// use axum::{Router, extract::FromRef, routing::post};
/// use tspay::axum::Verified;
///
/// #[derive(Clone)]
/// struct Shop {
///     tspay: tspay::WebhookVerifier,
/// }
///
/// impl FromRef<Shop> for tspay::WebhookVerifier {
///     fn from_ref(shop: &Shop) -> Self {
///         shop.tspay.clone()
///     }
/// }
///
/// async fn notified(Verified(notification): Verified<tspay::WebhookVerifier>) -> &'static str {
///     // confirm notification.payload.order_key for its order, then fulfil
///     let _ = notification.outcome();
///     "OK"
/// }
///
/// # fn main() -> Result<(), tspay::Error> {
/// let state = Shop { tspay: tspay::WebhookVerifier::new("whsec_from_registration")? };
/// let app: Router = Router::new().route("/tspay/notify", post(notified)).with_state(state);
/// # let _ = app; Ok(()) }
/// ```
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum {
    pub use payments_common::axum::{Rejected, Verified};
}

pub use charges::{CardSummary, Charge, ChargeState, Charges, OrderCharges, PayMethod};
pub use client::{Client, ClientBuilder, Credentials, Environment, PathStyle};
pub use error::{Error, Result};
pub use ids::{ChargeKey, ItemId, MerchantRef, OrderKey};
pub use link::{
    LinkCreated, Locale, MAX_AMOUNT_CENTS, MAX_METADATA_ENTRIES, MAX_TEXT_CHARS, SourceType,
    Template, UseLimit,
};
pub use onboarding::{
    ApiKeyIssued, ApiKeyState, AppSecret, AuthInfo, AuthType, KeyStatus, Onboarding,
    OnboardingBuilder,
};
pub use pay_link::{PayLinkRequest, PayLinks};
pub use payments_common::http::{HttpConfig, RequestOptions, ResponseMeta, RetryPolicy};
pub use payments_common::{
    Currency, ErrorKind, ExpectedPayment, ExposeSecret, HeaderMap, Money, ObservedPayment,
    PaymentOutcome, PaymentVerdict, ProviderError, ProviderUrl, Reconciliation, SecretString,
    StatusCode, Url,
};
pub use save_link::{SaveLinkRequest, SaveLinks};
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub use webhook::{
    EventEntity, MAX_NOTIFICATION_BYTES, Notification, NotificationEvent, SIGNATURE_HEADER,
    WebhookVerifier,
};
pub use webhooks::{ALL_CHARGE_EVENTS, WebhookRegistered, WebhookRegistration, Webhooks};

/// **Not part of the API** — for the benchmarks (`crates/payments-bench`) only; may change or
/// disappear in any release.
#[doc(hidden)]
pub mod __bench {
    /// The error-body mapping every operation runs on a non-success answer, exactly as the
    /// client calls it (`api_key` is masked in messages quoted from the body).
    pub fn map_error(
        response: &payments_common::http::Response,
        api_key: &str,
    ) -> payments_common::ErrorKind {
        crate::error::map_error(response).redact(&[api_key])
    }
}
