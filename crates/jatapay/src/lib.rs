//! Client for the [JataPay](https://www.jatapay.it) API: client-credentials token,
//! subscriptions (`abbonamenti`), one-off payments (`pagamenti`) and the hosted payment
//! gateway.
//!
//! The flow JataPay documents:
//!
//! 1. create a subscription (or a one-off payment) with the amount, a `callback_url` and a
//!    product description → its id;
//! 2. redirect the customer to the hosted gateway, [`Client::gateway_url`];
//! 3. the customer pays and is sent back to `callback_url`;
//! 4. **the return proves nothing** — anyone can open that URL, and JataPay documents no
//!    signature or status on it, and a genuine paid id of *another* order proves nothing
//!    about this one. Confirm the subscription server-side for this order
//!    ([`Subscriptions::confirm`]: its `callback_url` is the order reference, then the amount
//!    and the state) and act only on [`PaymentVerdict::Paid`].
//!
//! # Quickstart
//!
//! ```no_run
//! use jatapay::{
//!     Client, Credentials, Currency, ExpectedPayment, GatewayRequest, Money, PaymentVerdict,
//!     SecretString, StatusReading,
//! };
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder(Credentials::new(
//!     SecretString::from(std::env::var("JATAPAY_CLIENT_ID")?),
//!     SecretString::from(std::env::var("JATAPAY_CLIENT_SECRET")?),
//! ))
//! .build()?;
//!
//! // 1. Create the subscription: 20.00 EUR (sent as `importo: 2000` cents).
//! let request = GatewayRequest::new(
//!     Money::parse("20.00", Currency::EUR)?,
//!     "https://shop.example/jatapay/return?order=42",
//!     "Piano mensile",
//! )
//! .note("Ordine 42");
//! let created = client.subscriptions().create(&request).await?;
//! // Store `created.id` with order 42 *before* redirecting.
//!
//! // 2. Redirect the customer's browser here.
//! let redirect_to = client.gateway_url(&created.id)?;
//! println!("303 See Other, Location: {redirect_to}");
//!
//! // 3. Later, when the customer comes back to the return URL (or whenever you like):
//! //    do NOT trust the redirect; confirm the stored id server-side, for order 42. JataPay
//! //    documents no paid state: `Inferred` trusts the inferred `attiva`/`completata`.
//! let expected = ExpectedPayment::new(
//!     "https://shop.example/jatapay/return?order=42",
//!     Money::parse("20.00", Currency::EUR)?,
//! );
//! match client.subscriptions().confirm(&created.id, &expected, StatusReading::Inferred).await? {
//!     PaymentVerdict::Paid => { /* activate the service */ }
//!     other => { /* not (yet) paid for order 42: {other} says why */ }
//! }
//! # Ok(()) }
//! ```
//!
//! # What JataPay does and does not document
//!
//! - Documented: the token exchange, the create-subscription body and answer, the gateway URL,
//!   the subscription read-back with one status value (`iniziata`).
//! - Not documented, so inferred or guessed here (and said so where it matters): the key of the
//!   one-off payment's id ([`CreatedPayment`]); error bodies (`{"msg": ...}` with 401 or 422 is
//!   read as [`ErrorKind::Unauthorized`], other `msg` bodies as [`ErrorKind::NotFound`] (404)
//!   or [`ErrorKind::Api`], HTML pages as [`ErrorKind::Http`] with a short redacted excerpt);
//!   any status
//!   other than `iniziata`; token lifetime and refresh; idempotency; that one-off payments use
//!   the same gateway URL as subscriptions.
//! - Because JataPay documents no idempotency key, creates are never repeated once they may
//!   have reached JataPay: such failures are [`ErrorKind::OutcomeUnknown`].
//! - No separate sandbox host: test or live is decided by the credentials, so the client
//!   builder has no `environment` (the host overrides serve the local sandbox and proxies).
//! - **No notifications.** JataPay documents no server-to-server notification (no webhook, no
//!   signature): the customer's return to `callback_url` carries nothing verifiable. So this
//!   crate has no `WebhookVerifier` and no `webhooks` or `axum` feature; a payment is learnt
//!   only by reading it back ([`Subscriptions::confirm`]).
//!
//! # Deadline and tokens
//!
//! [`HttpConfig::deadline`] covers a whole call: waiting for a token, the request, a new token
//! after a 401 and the repeat. One token exchange is in flight at a time; calls that need a
//! token meanwhile share its result, token or error. After a 401 the request is repeated once
//! with a new token — safe for creates too, because HTTP defines 401 as "the request has not
//! been applied because it lacks valid authentication credentials" (RFC 9110, 15.5.2).
//!
//! # Per-call options
//!
//! [`Client::with_options`] gives a handle on the same client (same pool, same token cache)
//! whose calls use other [`RequestOptions`]: deadline, attempt timeout, retry policy, extra
//! headers. They apply to the API call and to a token exchange it starts.
//! [`Client::last_response`] is the status and request id of the handle's last answer.
//!
//! # Errors
//!
//! Every operation returns [`Result`], whose [`Error`] is this crate's own type: it says the
//! provider (JataPay) and the operation (`subscriptions.create`, `subscriptions.get`,
//! `subscriptions.confirm`, `payments.create`, `token.create`, `gateway.url`,
//! `gateway_request.build`, `client.build`), and [`Error::kind`] is the shared [`ErrorKind`] to
//! match on. `Display` leads with both:
//!
//! ```
//! use jatapay::{Client, Credentials, ErrorKind, SecretString};
//! let err = Client::builder(Credentials::token(SecretString::from("t")))
//!     .api_base_url("http://api.example")
//!     .build()
//!     .unwrap_err();
//! assert!(err.to_string().starts_with("JataPay client.build: "));
//! assert!(matches!(err.kind(), ErrorKind::InvalidRequest { .. }));
//! ```
//!
//! Nothing secret (client secret, tokens) ever appears in an error, a `Debug` output or a log
//! line.
//!
//! # Testing your own code
//!
//! With the `test-util` feature, every response type has a `for_tests` constructor
//! (`Subscription::for_tests`, `CreatedSubscription::for_tests`, `CreatedPayment::for_tests`,
//! `Token::for_tests`). JataPay sends no notification, so there is nothing to sign.

// docs.rs builds with `--cfg docsrs`: each feature-gated item shows the feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod auth;
mod client;
mod error;
mod ids;
mod payments;
mod request;
mod subscriptions;
mod tokens;
mod wire;

pub use auth::{Token, TokenRequest};
pub use client::{
    Client, ClientBuilder, Credentials, DEFAULT_API_BASE_URL, DEFAULT_AUTH_BASE_URL,
    DEFAULT_GATEWAY_BASE_URL,
};
pub use error::{Error, Result};
pub use ids::{GatewayId, MerchantId, PaymentId, SubscriptionId, UserId};
pub use payments::{CreatedPayment, Payments};
pub use payments_common::http::{HttpConfig, RequestOptions, ResponseMeta, RetryPolicy};
pub use payments_common::{
    Currency, ErrorKind, ExposeSecret, Money, MoneyError, PaymentOutcome, ProviderError,
    Reconciliation, SecretString, StatusCode, Url,
};
pub use payments_common::{ExpectedPayment, ObservedPayment, PaymentVerdict};
pub use request::{
    DEFAULT_CUSTOMER, GatewayRequest, MAX_AMOUNT_CENTS, MAX_CALLBACK_URL_BYTES, MAX_CUSTOMER_CHARS,
    MAX_DESCRIPTION_CHARS, MAX_NOTE_CHARS,
};
pub use subscriptions::{
    CreatedSubscription, StatusReading, Subscription, SubscriptionStatus, Subscriptions,
};
