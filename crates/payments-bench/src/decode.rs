//! Decode cases: one per documented response fixture (plus the baseline product and the
//! generated 100-product list), each with four arms.
//!
//! - [`Arm::Sdk`] — the exact path the client runs on a 2xx answer —
//!   `payments_common::http::Response::json::<Model>()` (serde_path_to_error around
//!   serde_json), on a `Response` built once outside the loop;
//! - [`Arm::Model`] — `serde_json::from_slice::<Model>` (the model's own cost);
//! - [`Arm::Value`] — `serde_json::from_slice::<serde_json::Value>`;
//! - [`Arm::Bare`] — `serde_json::from_slice` into the hand-written struct of [`crate::bare`].
//!
//! GreenPay decodes through its envelope function, reached through the crate's
//! `#[doc(hidden)] greenpay::__bench::decode_envelope` (not part of its API); `T` is
//! [`GreenPaySigned`], the same shape as the crate's private `{"result", "_signature"}` wrapper
//! of the manual payment. Its model arm decodes that wrapper with `serde_json::from_slice`.
//! GreenPay's answers without that envelope (order sessions, the card token, the token
//! payment) go through `greenpay::__bench::decode_plain`, the decoder the client runs on them;
//! the checkout result notification through `greenpay::webhook::parse_checkout`, the JSON
//! read of the verifier's body (the `_signature` check comes on top and is not measured here).
//!
//! Error cases (`…error…`, `…422`, `…not-payable`) decode a documented error body through the
//! exact mapping the client runs on a non-success answer (`begateway::__bench::map_error`,
//! `tspay::__bench::map_error`, GreenPay's envelope), reached the same way; they have no
//! model arm, and the SDK arm counts as decoded when it yields [`payments_common::Error::Api`].

use std::hint::black_box;

use payments_common::http::Response;
use payments_common::{Error, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::{bare, fixtures};

/// One way of decoding a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arm {
    /// The client's path: `Response::json::<Model>()`.
    Sdk,
    /// `serde_json::from_slice::<Model>`.
    Model,
    /// `serde_json::from_slice::<serde_json::Value>`.
    Value,
    /// `serde_json::from_slice::<bare::…>`.
    Bare,
}

impl Arm {
    /// Every arm, in report order.
    pub const ALL: [Arm; 4] = [Arm::Sdk, Arm::Model, Arm::Value, Arm::Bare];

    /// The arm's name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Arm::Sdk => "sdk",
            Arm::Model => "model",
            Arm::Value => "value",
            Arm::Bare => "bare",
        }
    }

    /// Parses [`Arm::name`].
    pub fn parse(text: &str) -> Option<Arm> {
        Arm::ALL.into_iter().find(|a| a.name() == text)
    }
}

/// A body and its decoders.
pub struct DecodeCase {
    /// `<provider>/<fixture stem>`.
    pub name: &'static str,
    /// The bytes decoded.
    pub body: Vec<u8>,
    /// The HTTP status the SDK arm's response carries (200, or the error's status).
    pub status: u16,
    sdk: Option<fn(&Response) -> bool>,
    model: Option<fn(&[u8]) -> bool>,
    bare: fn(&[u8]) -> bool,
}

impl DecodeCase {
    /// The response the SDK arm decodes (build it once, outside any timed loop).
    pub fn response(&self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK);
        Response::for_tests(status, "application/json", &self.body)
    }

    /// Whether the case has this arm.
    pub fn has(&self, arm: Arm) -> bool {
        match arm {
            Arm::Sdk => self.sdk.is_some(),
            Arm::Model => self.model.is_some(),
            Arm::Value | Arm::Bare => true,
        }
    }

    /// Decodes once through `arm`; `true` when it decoded.
    pub fn run(&self, arm: Arm, response: &Response) -> bool {
        match arm {
            Arm::Sdk => self.sdk.is_some_and(|f| f(response)),
            Arm::Model => self.model.is_some_and(|f| f(&self.body)),
            Arm::Value => slice::<serde_json::Value>(&self.body),
            Arm::Bare => (self.bare)(&self.body),
        }
    }
}

fn sdk<T: DeserializeOwned>(response: &Response) -> bool {
    let value = response.json::<T>();
    let ok = value.is_ok();
    drop(black_box(value));
    ok
}

fn slice<T: DeserializeOwned>(body: &[u8]) -> bool {
    let value = serde_json::from_slice::<T>(black_box(body));
    let ok = value.is_ok();
    drop(black_box(value));
    ok
}

/// The manual payment's envelope as the crate's private `Signed<T>` has it: `result` and the
/// answer's `_signature` (status and code are read by the envelope decoder itself).
#[derive(Deserialize)]
pub struct GreenPaySigned<T> {
    /// `result`.
    pub result: T,
    /// `_signature`.
    #[serde(rename = "_signature", default)]
    pub signature: Option<String>,
}

/// GreenPay's client path: the envelope decoder, exactly as the client calls it.
/// beGateway's `{"transaction": …}` / `{"checkout": …}` envelopes, as the client reads them
/// (the crate's own envelopes are private; these are field for field the same).
#[derive(serde::Deserialize)]
pub struct BegatewayTx<T> {
    transaction: T,
}

/// See [`BegatewayTx`].
#[derive(serde::Deserialize)]
pub struct BegatewayCheckout<T> {
    checkout: T,
}

impl<T> BegatewayTx<T> {
    /// The transaction.
    pub fn into_inner(self) -> T {
        self.transaction
    }
}

impl<T> BegatewayCheckout<T> {
    /// The checkout.
    pub fn into_inner(self) -> T {
        self.checkout
    }
}

fn greenpay_sdk<T: DeserializeOwned>(response: &Response) -> bool {
    let value = greenpay::__bench::decode_envelope::<T>(response);
    let ok = value.is_ok();
    drop(black_box(value));
    ok
}

/// Secret masked by the error mappings (as the clients pass their credentials).
const SECRET: &str = "b8647b68898b084b836474ed8d61ffe117c9a01168d867f24953b776ddcb134d";

fn is_api(error: Error) -> bool {
    let ok = matches!(error, Error::Api { .. });
    drop(black_box(error));
    ok
}

fn begateway_error(response: &Response) -> bool {
    is_api(begateway::__bench::map_error(response, &[SECRET]))
}

fn tspay_error(response: &Response) -> bool {
    is_api(tspay::__bench::map_error(response, SECRET))
}

fn greenpay_error(response: &Response) -> bool {
    match greenpay::__bench::decode_envelope::<
        GreenPaySigned<greenpay::subscriptions::ManualPaymentResult>,
    >(response)
    {
        Ok(value) => {
            drop(black_box(value));
            false
        }
        Err(e) => is_api(e),
    }
}

fn greenpay_plain<T: DeserializeOwned>(response: &Response) -> bool {
    let value = greenpay::__bench::decode_plain::<T>(response);
    let ok = value.is_ok();
    drop(black_box(value));
    ok
}

/// A checkout result notification, read as the crate reads its JSON
/// (`greenpay::webhook::parse_checkout`; the verifier then checks `_signature`).
fn greenpay_checkout(response: &Response) -> bool {
    let value = greenpay::webhook::parse_checkout(black_box(response.body()));
    let ok = value.is_ok();
    drop(black_box(value));
    ok
}

macro_rules! case {
    ($name:literal, $body:expr, sdk: $model:ty, bare: $bare:ty) => {
        DecodeCase {
            name: $name,
            body: $body.to_vec(),
            status: 200,
            sdk: Some(sdk::<$model>),
            model: Some(slice::<$model>),
            bare: slice::<$bare>,
        }
    };
    ($name:literal, $body:expr, greenpay: $model:ty, bare: $bare:ty) => {
        DecodeCase {
            name: $name,
            body: $body.to_vec(),
            status: 200,
            sdk: Some(greenpay_sdk::<$model>),
            model: Some(slice::<$model>),
            bare: slice::<$bare>,
        }
    };
    ($name:literal, $body:expr, greenpay_plain: $model:ty, bare: $bare:ty) => {
        DecodeCase {
            name: $name,
            body: $body.to_vec(),
            status: 200,
            sdk: Some(greenpay_plain::<$model>),
            model: Some(slice::<$model>),
            bare: slice::<$bare>,
        }
    };
    ($name:literal, $body:expr, status: $status:literal, error: $map:expr, bare: $bare:ty) => {
        DecodeCase {
            name: $name,
            body: $body.to_vec(),
            status: $status,
            sdk: Some($map),
            model: None,
            bare: slice::<$bare>,
        }
    };
}

/// Every decode case.
pub fn cases() -> Vec<DecodeCase> {
    use fixtures::*;
    vec![
        case!("begateway/baseline.product", BASELINE_PRODUCT, sdk: begateway::Product, bare: bare::Product),
        case!("begateway/baseline.list100", list100(), sdk: Vec<begateway::Product>, bare: Vec<bare::Product>),
        case!("begateway/products.get.response.200", BEGATEWAY_PRODUCT_GET, sdk: begateway::Product, bare: bare::Product),
        case!("begateway/products.create.response.201", BEGATEWAY_PRODUCT_CREATE, sdk: begateway::Product, bare: bare::Product),
        case!("begateway/products.list.response.200", BEGATEWAY_PRODUCT_LIST, sdk: Vec<begateway::Product>, bare: Vec<bare::Product>),
        case!("begateway/card.payment.response", BEGATEWAY_CARD_PAYMENT, sdk: BegatewayTx<begateway::Transaction>, bare: bare::BegatewayTransactionEnvelope),
        case!("begateway/card.authorization.response", BEGATEWAY_CARD_AUTHORIZATION, sdk: BegatewayTx<begateway::Transaction>, bare: bare::BegatewayTransactionEnvelope),
        case!("begateway/card.refund.response", BEGATEWAY_CARD_REFUND, sdk: BegatewayTx<begateway::Transaction>, bare: bare::BegatewayTransactionEnvelope),
        case!("begateway/checkouts.get.response", BEGATEWAY_CHECKOUT_GET, sdk: BegatewayCheckout<begateway::CheckoutState>, bare: bare::BegatewayCheckoutEnvelope),
        case!("begateway/card_tokens.create.response", BEGATEWAY_CARD_TOKEN, sdk: begateway::CardToken, bare: bare::BegatewayCardToken),
        case!("begateway/plans.create.response", BEGATEWAY_PLAN, sdk: begateway::Plan, bare: bare::BegatewayPlan),
        case!("begateway/subscriptions.get.response", BEGATEWAY_SUBSCRIPTION, sdk: begateway::Subscription, bare: bare::BegatewaySubscription),
        case!("begateway/checkouts.create.response", BEGATEWAY_CHECKOUT_CREATED, sdk: BegatewayCheckout<begateway::Checkout>, bare: bare::BegatewayCheckoutCreatedEnvelope),
        case!("tspay/charges.response.array", TSPAY_CHARGES_ARRAY, sdk: tspay::OrderCharges, bare: Vec<bare::Charge<String>>),
        case!("tspay/charges.response.data", TSPAY_CHARGES_DATA, sdk: tspay::OrderCharges, bare: bare::ChargesData),
        case!("tspay/charges.response.empty", TSPAY_CHARGES_EMPTY, sdk: tspay::OrderCharges, bare: Vec<bare::Charge<String>>),
        case!("tspay/charges.response.single", TSPAY_CHARGES_SINGLE, sdk: tspay::OrderCharges, bare: bare::Charge<i64>),
        case!("tspay/charges.response.wrapped", TSPAY_CHARGES_WRAPPED, sdk: tspay::OrderCharges, bare: bare::ChargesWrapped),
        case!("tspay/link2pay.response", TSPAY_LINK2PAY_RESPONSE, sdk: tspay::LinkCreated, bare: bare::LinkCreated),
        case!("tspay/link2save.response", TSPAY_LINK2SAVE_RESPONSE, sdk: tspay::LinkCreated, bare: bare::LinkCreated),
        case!("tspay/api-key.response", TSPAY_API_KEY_RESPONSE, sdk: tspay::ApiKeyIssued, bare: bare::ApiKeyIssued),
        case!("tspay/auth.response", TSPAY_AUTH_RESPONSE, sdk: tspay::AuthInfo, bare: bare::AuthInfo),
        case!("tspay/webhook-registration.response", TSPAY_WEBHOOK_REGISTRATION_RESPONSE, sdk: tspay::WebhookRegistered, bare: bare::WebhookRegistered),
        case!("jatapay/subscriptions.get.response", JATAPAY_SUBSCRIPTION_GET, sdk: jatapay::Subscription, bare: bare::Subscription),
        case!("jatapay/subscriptions.create.response", JATAPAY_SUBSCRIPTION_CREATE, sdk: jatapay::CreatedSubscription, bare: bare::CreatedSubscription),
        case!("jatapay/token.create.response", JATAPAY_TOKEN, sdk: jatapay::Token, bare: bare::Token),
        case!("greenpay/subscriptions.pay.response.approved", GREENPAY_PAY_APPROVED, greenpay: GreenPaySigned<greenpay::subscriptions::ManualPaymentResult>, bare: bare::GreenPayPay),
        case!("greenpay/orders.create.response", GREENPAY_ORDER_CREATE, greenpay_plain: greenpay::orders::OrderSession, bare: bare::GreenPaySession),
        case!("greenpay/orders.create_v2.response", GREENPAY_ORDER_CREATE_V2, greenpay_plain: greenpay::orders::OrderSession, bare: bare::GreenPaySessionV2),
        case!("greenpay/cards.tokenize.response", GREENPAY_CARD_TOKENIZED, greenpay_plain: greenpay::cards::TokenizedCard, bare: bare::GreenPayTokenized),
        case!("greenpay/orders.pay_with_token.response", GREENPAY_TOKEN_PAYMENT, greenpay_plain: greenpay::orders::TokenPaymentResult, bare: bare::GreenPayTokenPayment),
        DecodeCase {
            name: "greenpay/webhooks.checkout.notification",
            body: GREENPAY_CHECKOUT_NOTIFICATION.to_vec(),
            status: 200,
            sdk: Some(greenpay_checkout),
            model: Some(slice::<greenpay::webhook::CheckoutResult>),
            bare: slice::<bare::GreenPayCheckout>,
        },
        case!("begateway/products.create.response.422", BEGATEWAY_PRODUCT_422, status: 422, error: begateway_error, bare: bare::BegatewayError),
        case!("tspay/error.response.400", TSPAY_ERROR_400, status: 400, error: tspay_error, bare: bare::TspayError),
        case!("tspay/error.response.400-messages", TSPAY_ERROR_400_MESSAGES, status: 400, error: tspay_error, bare: bare::TspayError),
        case!("greenpay/subscriptions.pay.response.not-payable", GREENPAY_PAY_NOT_PAYABLE, status: 200, error: greenpay_error, bare: bare::GreenPayFail),
    ]
}

/// The case called `name`.
pub fn find(name: &str) -> Option<DecodeCase> {
    cases().into_iter().find(|c| c.name == name)
}
