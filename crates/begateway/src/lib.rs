//! A typed async client for [beGateway](https://begateway.com) and its white-labels (bePaid, …):
//! products and payment links, transaction status, and verified notifications.
//!
//! - [`Client`]: HTTP Basic `shop_id:secret_key`, `Accept: application/json`, the API host
//!   (`https://api.begateway.com`, or a white-label's) and the gateway host configurable;
//! - [`Products`]: create, get, list and update products — each has a hosted payment page,
//!   [`Product::pay_url`];
//! - [`Transactions`]: confirm that a payment is the paid payment **of a given order**
//!   ([`Transactions::confirm`] → [`PaymentVerdict`]); query a transaction by `uid` or by your
//!   `tracking_id`;
//! - `WebhookVerifier` (feature `webhooks`): `verify(&headers, &body)` checks a
//!   notification's Basic credentials and `Content-Signature`, then reads its transaction;
//!   `axum::Verified` (feature `axum`) does it in an axum extractor;
//! - [`Checkouts`]: a hosted checkout for any amount and order (payment, authorization or
//!   tokenization), and the checkout read back by token;
//! - [`Subscriptions`]: plans, and subscriptions created, read and cancelled;
//! - [`CardTransactions`]: card payments and authorizations (card token or card data),
//!   captures, voids and refunds — every write carries a `RequestID`, so it is retried on
//!   timeouts and resets with the same id and can never charge twice;
//! - [`ReturnParams`]: the lookup handles of the customer's return to your shop — which prove
//!   nothing by themselves;
//! - [`currency`]: beGateway's own minor-unit table (MOP has 1 decimal, IDR 0, KWD 3). Every
//!   [`Money`] this crate returns is at ISO 4217 scale; the raw wire integers are the fields
//!   named `amount_minor_wire`.
//!
//! # Quickstart
//!
//! Create a product for the order, send the customer to its payment page, then confirm the
//! payment **for that order** with [`Transactions::confirm`] — never by the customer's return
//! alone, and never by a transaction's status alone: a genuine paid `uid` of order 42 can be
//! replayed on the return of order 44.
//!
//! ```no_run
//! use begateway::{
//!     Client, CreateProduct, Credentials, Currency, ExpectedPayment, Expiry, Language, Money,
//!     PaymentVerdict, Quantity, ReturnParams,
//! };
//!
//! # async fn run() -> begateway::Result<()> {
//! let client = Client::builder(Credentials::new("361", "shop-secret-key")).build()?;
//! let price = Money::parse("9.90", Currency::USD)?;
//!
//! // 1. A product with a payment link, for order 44.
//! let product = client
//!     .products()
//!     .create(
//!         &CreateProduct::new("Order 44", "Pro plan, one month", price)
//!             .quantity(Quantity::Limited(1))
//!             .expiry(Expiry::Never)
//!             .language(Language::En)
//!             .return_url("https://shop.example/orders/44/return")
//!             .notification_url("https://shop.example/begateway/notify"),
//!     )
//!     .await?;
//!
//! // 2. Send the customer to the hosted payment page; the payment must carry the order's
//! //    reference as its tracking_id (here "order-44").
//! println!("redirect to {}?tracking_id=order-44", product.pay_url);
//!
//! // 3. The customer comes back to https://shop.example/orders/44/return?uid=…&status=…
//! //    The query string is only a lookup handle: ask beGateway whether that transaction
//! //    is the paid payment of order 44.
//! let back = ReturnParams::parse("uid=1-310b0da80b&status=successful");
//! let expected = ExpectedPayment::new("order-44", price);
//! if let Some(uid) = back.uid() {
//!     match client.transactions().confirm(uid, &expected).await? {
//!         PaymentVerdict::Paid => { /* fulfil order 44 */ }
//!         other => println!("order 44 not paid: {other}"),
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! With the `webhooks` feature, `WebhookVerifier::verify(&headers, &body)` checks a
//! notification and returns the same [`Transaction`]; confirm its `uid` for your order with
//! [`Transactions::confirm`] before fulfilling.
//!
//! # Errors
//!
//! Every operation returns this crate's [`Error`]: `Display` leads with `beGateway` and the
//! operation (`"beGateway products.create: …"`), [`Error::kind`] is the shared [`ErrorKind`],
//! and beGateway's per-field messages are [`Error::field_errors`]. Invalid input is refused
//! before anything is sent ([`ErrorKind::InvalidRequest`] naming the wire field); beGateway's 422 bodies become
//! [`ErrorKind::Api`] with per-field messages (`billing_address.first_name`); a write that may have
//! reached beGateway without a definitive answer becomes [`ErrorKind::OutcomeUnknown`] and is never
//! repeated automatically.
//!
//! # Not covered
//!
//! Credits, payouts and tokenizations, card-token management, and product deletion (not
//! documented).

// docs.rs builds with `--cfg docsrs`: each feature-gated item shows the feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod card;
pub mod card_tokens;
pub mod checkout;
pub mod client;
pub mod currency;
mod error;
pub mod products;
pub mod return_params;
pub mod subscriptions;
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util;
pub mod transactions;
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub mod webhook;

/// The axum extractor for verified beGateway notifications (feature `axum`).
///
/// ```
/// use axum::{Router, extract::FromRef, routing::post};
/// use begateway::axum::Verified;
/// use begateway::{Credentials, WebhookVerifier};
///
/// #[derive(Clone)]
/// struct AppState { begateway: WebhookVerifier }
///
/// impl FromRef<AppState> for WebhookVerifier {
///     fn from_ref(state: &AppState) -> Self { state.begateway.clone() }
/// }
///
/// async fn notified(Verified(notification): Verified<WebhookVerifier>) -> &'static str {
///     // Confirm notification.transaction.uid for its order before fulfilling.
///     let _ = notification.transaction.uid;
///     "OK"
/// }
///
/// let verifier = WebhookVerifier::new(Credentials::new("361", "shop-secret-key"))?;
/// let app: Router = Router::new()
///     .route("/begateway/notify", post(notified))
///     .with_state(AppState { begateway: verifier });
/// # Ok::<(), begateway::Error>(())
/// ```
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum {
    pub use payments_common::axum::{Rejected, Verified};
}

pub use card::{
    Card, CardTransactions, ChargeRequest, CreditRequest, FollowUp, PaymentSource, Tokenization,
};
pub use card_tokens::{CardToken, CardTokens, CreateCardToken, UpdateCardToken};
pub use checkout::{
    Checkout, CheckoutCustomer, CheckoutOrder, CheckoutPayment, CheckoutState, CheckoutToken,
    CheckoutType, Checkouts, CreateCheckout, CustomerField, EripParams, GatewayResponse,
    PaymentMethodType,
};
pub use client::{
    Client, ClientBuilder, Credentials, DEFAULT_API_URL, DEFAULT_CHECKOUT_URL, DEFAULT_GATEWAY_URL,
};
pub use error::{Error, Result};
pub use payments_common::http::{HttpConfig, RequestOptions, ResponseMeta, RetryPolicy};
pub use payments_common::{
    Currency, ErrorKind, ExpectedPayment, ExposeSecret, HeaderMap, Money, ObservedPayment,
    PaymentOutcome, PaymentVerdict, Provider, ProviderError, ProviderUrl, Reconciliation,
    SecretString, StatusCode, Url,
};
pub use products::{
    AdditionalData, CreateProduct, Expiry, Language, Product, ProductId, Products, Quantity,
    TransactionType, UpdateProduct, VisibleField,
};
pub use return_params::ReturnParams;
pub use subscriptions::{
    CreatePlan, CreateSubscription, IntervalUnit, Plan, PlanId, Subscription, SubscriptionId,
    SubscriptionStatus, Subscriptions,
};
pub use transactions::{
    CreditCard, Customer, ProcessorDetails, Transaction, TransactionStatus, TransactionUid,
    Transactions,
};
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub use webhook::{Notification, WebhookVerifier};

/// **Not part of the API** — for the benchmarks (`crates/payments-bench`) only; may change or
/// disappear in any release.
#[doc(hidden)]
pub mod __bench {
    /// The error-body mapping every operation runs on a non-success answer, exactly as the
    /// client calls it (`secrets`: the secret key, masked in messages quoted from the body).
    pub fn map_error(
        response: &payments_common::http::Response,
        secrets: &[&str],
    ) -> payments_common::ErrorKind {
        crate::error::map_error(response).redact(secrets)
    }

    /// A request owned, serializing as the exact body the client sends for it.
    macro_rules! wire_bodies {
        ($($(#[$doc:meta])* $fn:ident($ty:ty);)*) => {$(
            $(#[$doc])*
            pub fn $fn(request: $ty) -> impl serde::Serialize + 'static {
                struct Owned($ty);
                impl serde::Serialize for Owned {
                    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                        match self.0.wire_body() {
                            Ok(body) => body.serialize(s),
                            Err(e) => Err(<S::Error as serde::ser::Error>::custom(e)),
                        }
                    }
                }
                Owned(request)
            }
        )*};
    }

    wire_bodies! {
        /// The body of a payment, authorization or tokenization (`{"request": {...}}`).
        charge_body(crate::ChargeRequest);
        /// The body of a capture, void or refund.
        follow_up_body(crate::FollowUp);
        /// The body of a credit.
        credit_body(crate::CreditRequest);
        /// The body of a checkout create (`{"checkout": {...}}`).
        checkout_body(crate::CreateCheckout);
        /// The body of a plan create.
        plan_body(crate::CreatePlan);
        /// The body of a subscription create.
        subscription_body(crate::CreateSubscription);
        /// The body of a card-token create.
        card_token_body(crate::CreateCardToken);
    }
}
