//! A typed client for the [GreenPay](https://greenpay.me) subscription API (Costa Rica and
//! Guatemala): create a subscription, charge it manually, change its amount or card, cancel
//! it, list subscriptions and their payments — and, with the `webhooks` feature, parse and
//! verify what GreenPay posts back.
//!
//! GreenPay has no authentication header: the merchant's `merchantId`, `secret` and (for most
//! endpoints) `terminal` travel **inside every JSON body**. This crate keeps the secret a
//! [`SecretString`] and exposes it only while a body is serialized; it never appears in
//! `Debug` output, logs or errors, and the copy GreenPay echoes back in
//! `purchase_order.secret` is dropped on decoding.
//!
//! GreenPay amounts are **major units** (`100` is one hundred dollars, `5500.99` colones):
//! they are read into exact [`Money`] values and written back without floating-point
//! arithmetic. Accepted currencies: USD, CRC and GTQ.
//!
//! # Quickstart
//!
//! ```no_run
//! use greenpay::subscriptions::ManualPayment;
//! use greenpay::{Client, Credentials, Environment, SubscriptionId};
//!
//! # async fn run() -> greenpay::Result<()> {
//! // Sandbox is the default environment: going live is `.environment(Environment::Production)`.
//! let client = Client::builder(Credentials::new(
//!     "143b28c9-32ad-4635-8ed8-d6abfb6863a0", // merchantId
//!     "deKokoTest-eb29-BNCR-CRC",             // terminal
//!     std::env::var("GREENPAY_SECRET").unwrap_or_default(),
//! ))
//! .environment(Environment::Sandbox)
//! .build()?;
//!
//! let id = SubscriptionId::new("9541b344c3d45d421acd454d61251cde");
//! match client.subscriptions().pay(&ManualPayment::new(id)).await {
//!     Ok(payment) => println!("{} charged: {:?}", payment.order.amount, payment.outcome()),
//!     Err(e) if e.failure_kind() == Some(greenpay::FailureKind::SubscriptionNotPayable) => {
//!         println!("the subscription is inactive or on hold");
//!     }
//!     // A manual payment is never retried once sent: reconcile before paying again.
//!     Err(e) if e.is_outcome_unknown() => println!("check the payments list before retrying"),
//!     Err(e) => return Err(e),
//! }
//! # Ok(()) }
//! ```
//!
//! # Confirming a charge
//!
//! Neither a notification nor the customer's word proves that an order was paid. A
//! subscription charge is confirmed from GreenPay's own payments list with
//! [`Subscriptions::confirm_payment`](subscriptions::Subscriptions::confirm_payment), which
//! returns a [`PaymentVerdict`] (`Paid` only for a paid charge of *that* subscription, for
//! exactly the amount expected). GreenPay offers no read of a checkout order, so a checkout
//! notification never reads as paid (feature `webhooks`: `webhook::CheckoutOutcome`).
//!
//! # What this crate does not cover
//!
//! Payment orders and the hosted checkout (`createOrder`, card tokenization with the
//! `liszt-token` AES/RSA envelope) are not implemented: subscriptions are charged with card
//! tokens you already hold.
//!
//! # Where the documentation is silent
//!
//! Choices made where GreenPay's public record is silent or contradictory are written on the
//! items they concern and in `fixtures/greenpay/README.md`; facts the record only infers are
//! marked *inferred* or *undocumented*.

// docs.rs builds with `--cfg docsrs`: each feature-gated item shows the feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod cards;
mod client;
mod envelope;
mod error;
#[cfg(feature = "tokenization")]
mod keys;
pub mod orders;
pub mod subscriptions;
#[cfg(feature = "tokenization")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokenization")))]
pub mod tokenization;
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub mod webhook;
mod wire;

pub use client::{Client, ClientBuilder, Credentials, Environment};
pub use error::{Error, FailureKind, Result};
pub use payments_common::http::{HttpConfig, RequestOptions, ResponseMeta, RetryPolicy};
pub use payments_common::{
    Currency, ErrorKind, ExpectedPayment, HeaderMap, Money, ObservedPayment, PaymentOutcome,
    PaymentVerdict, Provider, ProviderError, Reconciliation, SecretString, StatusCode,
};
pub use subscriptions::{CardToken, SubscriptionId};
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub use webhook::{VerifiedEvent, WebhookVerifier};

/// The [axum](https://docs.rs/axum) extractor for verified GreenPay notifications (feature
/// `axum`): a handler taking `Verified<WebhookVerifier>` receives only notifications whose
/// `_signature` verified; forgeries are answered `401` and never reach it.
///
/// ```no_run
/// use axum::{Router, extract::FromRef, routing::post};
/// use greenpay::axum::Verified;
/// use greenpay::{VerifiedEvent, WebhookVerifier};
///
/// #[derive(Clone)]
/// struct AppState {
///     greenpay: WebhookVerifier,
/// }
///
/// impl FromRef<AppState> for WebhookVerifier {
///     fn from_ref(state: &AppState) -> Self {
///         state.greenpay.clone()
///     }
/// }
///
/// async fn notified(Verified(event): Verified<WebhookVerifier>) -> &'static str {
///     if let VerifiedEvent::Checkout(checkout) = event {
///         println!("GreenPay signed a result for order {}", checkout.order_id());
///     }
///     "OK"
/// }
///
/// let app: Router<AppState> = Router::new().route("/greenpay/notify", post(notified));
/// ```
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum {
    pub use payments_common::axum::{Rejected, Verified};
}

#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util;

/// **Not part of the API** — for the benchmarks (`crates/payments-bench`) only; may change or
/// disappear in any release.
#[doc(hidden)]
pub mod __bench {
    /// The envelope decoder the client runs on every GreenPay answer, exactly as the client
    /// calls it (`T` is the whole body: the crate's private `{"result": …, "_signature": …}`
    /// wrappers or a model of the same shape).
    pub fn decode_envelope<T: serde::de::DeserializeOwned>(
        response: &payments_common::http::Response,
    ) -> Result<T, payments_common::ErrorKind> {
        crate::envelope::decode(response)
    }

    /// The decoder of the answers without GreenPay's `result` envelope (order sessions, the
    /// tokenization answer, the token payment answer), exactly as the client calls it: a FAIL
    /// envelope is GreenPay's refusal, anything else is `T` at the top level.
    pub fn decode_plain<T: serde::de::DeserializeOwned>(
        response: &payments_common::http::Response,
    ) -> Result<T, payments_common::ErrorKind> {
        crate::envelope::decode_plain(response)
    }

    /// A request body as the client sends it: `body`'s fields with the credentials
    /// (`merchantId`, `secret` and, with `terminal`, `terminal`), serialized through the
    /// client's own wire type.
    pub fn authenticated<T: serde::Serialize + 'static>(
        credentials: crate::Credentials,
        body: T,
        terminal: bool,
    ) -> impl serde::Serialize + 'static {
        Authenticated {
            credentials,
            body,
            terminal,
        }
    }

    /// The body of `orders().create` and `orders().create_v2` (the same body on both hosts).
    pub fn order_body(
        credentials: crate::Credentials,
        order: crate::orders::CreateOrder,
    ) -> impl serde::Serialize + 'static {
        authenticated(credentials, order, true)
    }

    /// The body of `orders().pay_with_token`.
    pub fn token_payment_body(
        credentials: crate::Credentials,
        payment: crate::orders::TokenPayment,
    ) -> impl serde::Serialize + 'static {
        authenticated(credentials, payment, true)
    }

    /// The body of `cards().session` (no `terminal`).
    pub fn card_session_body(
        credentials: crate::Credentials,
        order: crate::cards::TokenizationOrder,
    ) -> impl serde::Serialize + 'static {
        authenticated(credentials, order, false)
    }

    struct Authenticated<T> {
        credentials: crate::Credentials,
        body: T,
        terminal: bool,
    }

    impl<T: serde::Serialize> serde::Serialize for Authenticated<T> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            crate::wire::Authenticated {
                body: &self.body,
                merchant_id: &self.credentials.merchant_id,
                secret: &self.credentials.secret,
                terminal: self.terminal.then_some(self.credentials.terminal.as_str()),
            }
            .serialize(s)
        }
    }

    /// GreenPay's public key, parsed once (feature `tokenization`).
    #[cfg(feature = "tokenization")]
    #[derive(Debug, Clone)]
    pub struct Key(crate::keys::PublicKey);

    /// Parses GreenPay's public key (bare base64 DER or PEM).
    #[cfg(feature = "tokenization")]
    pub fn key(public_key: &str) -> Result<Key, payments_common::ErrorKind> {
        crate::keys::PublicKey::parse(public_key).map(Key)
    }

    /// The card JSON the tokenization envelope encrypts.
    #[cfg(feature = "tokenization")]
    pub fn card_plaintext(card: &crate::tokenization::Card) -> Vec<u8> {
        card.plaintext_for_bench()
    }

    /// One whole tokenization encryption of `card` for `session`, with a fixed AES key and
    /// counter (the RSA padding stays random): the envelope the client sends.
    #[cfg(feature = "tokenization")]
    pub fn seal_card(
        key: &Key,
        card: &crate::tokenization::Card,
        session: &str,
        aes_key: &[u8; 16],
        counter: u8,
    ) -> Result<crate::tokenization::EncryptedCard, payments_common::ErrorKind> {
        crate::tokenization::seal_with(
            &key.0,
            &card.plaintext_for_bench(),
            session,
            aes_key,
            counter,
        )
    }

    /// `ld` alone: AES-128-CTR of `plaintext`, hex.
    #[cfg(feature = "tokenization")]
    pub fn aes_ctr_hex(aes_key: &[u8; 16], counter: u8, plaintext: &[u8]) -> String {
        crate::tokenization::aes_ctr_hex(aes_key, counter, plaintext)
    }

    /// `lk` alone: the key and counter, RSA PKCS#1 v1.5 encrypted, base64.
    #[cfg(feature = "tokenization")]
    pub fn wrap_key(
        key: &Key,
        aes_key: &[u8; 16],
        counter: u8,
    ) -> Result<String, payments_common::ErrorKind> {
        crate::tokenization::wrap_key(&key.0, aes_key, counter, &mut rsa::rand_core::OsRng)
    }
}

/// The currencies GreenPay documents: US dollars, Costa Rican colones and Guatemalan quetzales.
pub const SUPPORTED_CURRENCIES: [Currency; 3] = [Currency::USD, Currency::CRC, Currency::GTQ];
