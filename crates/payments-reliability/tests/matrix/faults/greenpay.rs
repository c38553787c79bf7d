//! GreenPay's operations for the fault rows. Every call is a `POST` whose JSON body carries the
//! credentials; the five writes are unkeyed (GreenPay honours no idempotency key), the two
//! lists are sent as reads.
//!
//! The card tokenization writes (`cards.tokenize`, `cards.update`, feature `tokenization`) take
//! two requests: the session on the merchant host, then the encrypted card to the checkout host
//! with the session's `liszt-token`. Their session answer is served as the prefix, so every
//! row's fault hits the card's write; its success is a tokenization answer signed with the
//! matrix's own stand-in for GreenPay's key ([`greenpay_key`]). What such a write may see echoed
//! is the session token it holds (a canary, [`ORDER_TOKEN`]).
//!
//! GreenPay's envelope decides, not the HTTP status (`{"status":"FAIL","code":…,"errors":[…]}`):
//! the crate maps every FAIL body to `Api`, whatever the status, so F14 expects `Api` for
//! 401/403/404 too (the HTTP status of a FAIL body is undocumented).

use std::sync::{Arc, OnceLock};

use greenpay::cards::TokenizationOrder;
use greenpay::orders::{CreateOrder, TokenPayment};
use greenpay::subscriptions::{
    Cadence, CancelSubscription, CreateSubscription, ListPayments, ListSubscriptions,
    ManualPayment, Plan, UpdateAmount, UpdateCardToken,
};
use greenpay::tokenization::Card;
use greenpay::{CardToken, Client, Credentials, SubscriptionId};
use payments_common::http::HttpConfig;
use payments_common::signature::to_hex;
use payments_common::testing::{Fault, Reply};
use payments_common::{Currency, Error, Money, Url};
use payments_reliability::canary::{self, API_KEY, MERCHANT_ID, SHOP_SECRET};
use payments_reliability::{fixture, patient_config};
use rsa::RsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer};

use super::{Call, Mapped, Op};

/// A subscription id.
pub const SUB: &str = "9541b344c3d45d421acd454d61251cde";

/// The canary credentials.
pub fn credentials() -> Credentials {
    Credentials::new(MERCHANT_ID, "terminal-1", SHOP_SECRET)
}

/// A client on `base`.
pub fn sdk_client(base: &Url) -> Result<Client, Error> {
    client_with(base, patient_config())
}

/// A client on `base` with the given HTTP settings (its build error as the shared kind the
/// harness works on).
pub fn client_with(base: &Url, config: HttpConfig) -> Result<Client, Error> {
    Client::builder(credentials())
        .base_url(base.as_str())
        .checkout_v2_base_url(base.as_str())
        .http_config(config)
        .build()
        .map_err(greenpay::Error::into_kind)
}

/// A client on `base` whose confirmation answers with the shared error kind, for the
/// cross-order replay rows (`callbacks/replays.rs` works on `payments_common::Error`).
pub fn client(base: &Url) -> Result<KindClient, Error> {
    sdk_client(base).map(KindClient)
}

/// [`Client`] with its errors as the shared [`Error`] kind (see [`client`]).
pub struct KindClient(Client);

impl KindClient {
    /// The subscription API, errors as kinds.
    pub fn subscriptions(&self) -> KindSubscriptions<'_> {
        KindSubscriptions(&self.0)
    }
}

/// `client.subscriptions()` with its errors as the shared [`Error`] kind.
pub struct KindSubscriptions<'a>(&'a Client);

impl KindSubscriptions<'_> {
    /// [`greenpay::subscriptions::Subscriptions::confirm_payment`].
    pub async fn confirm_payment(
        &self,
        subscription: &SubscriptionId,
        expected: &payments_common::ExpectedPayment,
    ) -> Result<payments_common::PaymentVerdict, Error> {
        self.0
            .subscriptions()
            .confirm_payment(subscription, expected)
            .await
            .map_err(greenpay::Error::into_kind)
    }
}

/// The session token (`liszt-token`) of the tokenization sessions the matrix serves: a canary,
/// since it is a bearer credential for 30 minutes.
pub const ORDER_TOKEN: &str = API_KEY;

/// The matrix's stand-in for GreenPay's RSA key pair (1024 bits, as GreenPay's): cards are
/// encrypted to its public half, tokenization answers signed with it. `None` if it could not
/// be generated (the rows that need it then fail).
pub fn greenpay_key() -> Option<&'static RsaPrivateKey> {
    static KEY: OnceLock<Option<RsaPrivateKey>> = OnceLock::new();
    KEY.get_or_init(|| RsaPrivateKey::new(&mut rand::thread_rng(), 1024).ok())
        .as_ref()
}

/// The public half of [`greenpay_key`], PEM (empty if there is no key: the client then
/// refuses to build, naming `public_key`).
pub fn public_key_pem() -> String {
    greenpay_key()
        .and_then(|k| k.to_public_key().to_public_key_pem(LineEnding::LF).ok())
        .unwrap_or_default()
}

/// GreenPay's `_signature` (RSA PKCS#1 v1.5 over SHA-256, hex) of `fields` with
/// [`greenpay_key`].
pub fn sign(fields: &[(&str, &str)]) -> String {
    let message = greenpay::webhook::signed_string(fields);
    greenpay_key()
        .map(|k| {
            to_hex(
                &SigningKey::<Sha256>::new(k.clone())
                    .sign(message.as_bytes())
                    .to_vec(),
            )
        })
        .unwrap_or_default()
}

/// A client whose merchant, checkout and checkout v2 hosts are all `base`, holding the
/// public key of [`greenpay_key`] (card tokenization needs it).
pub fn card_client(base: &Url, config: HttpConfig) -> Result<Client, Error> {
    Client::builder(credentials())
        .base_url(base.as_str())
        .checkout_base_url(base.as_str())
        .checkout_v2_base_url(base.as_str())
        .public_key(public_key_pem())
        .http_config(config)
        .build()
        .map_err(greenpay::Error::into_kind)
}

/// The canary card: the PAN and CVV canaries, valid otherwise.
pub fn card() -> Card {
    Card::new("CANARY HOLDER", canary::PAN, canary::CVV, 12, 2030).nickname("work card")
}

/// A tokenization session answer whose token is [`ORDER_TOKEN`].
pub fn session_answer() -> String {
    format!(r#"{{"session":"7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a","token":"{ORDER_TOKEN}"}}"#)
}

/// GreenPay's tokenization answer for `request_id` with card token `token`, signed over
/// `status` and `requestId` with [`greenpay_key`].
pub fn tokenized_answer(request_id: &str, token: &str) -> String {
    serde_json::json!({
        "status": 200,
        "requestId": request_id,
        "result": {"token": token, "last_digits": "1111", "bin": "411111"},
        "expiration_date": "3012",
        "brand": "VISA",
        "nickname": "work card",
        "errors": [],
        "_signature": sign(&[("status", "200"), ("requestId", request_id)]),
    })
    .to_string()
}

/// A card write (`cards.tokenize`, `cards.update`): its session answer served first.
fn card_op(label: &'static str, call: Call) -> Op {
    Op {
        ok: Reply::json(200, &tokenized_answer("req-1", "tok-new")),
        wrong_type: Some((
            Reply::json(
                200,
                r#"{"status":200,"requestId":"req-1","result":{"token":12.5},"errors":[]}"#,
            ),
            "result.token",
        )),
        echo: ORDER_TOKEN.to_owned(),
        prefix: vec![Fault::Respond(Reply::json(200, &session_answer()))],
        ..op(label, true, "cards.tokenize.response.json", call)
    }
}

fn usd(cents: i64) -> Money {
    Money::from_minor_units(cents, Currency::USD)
}

/// A valid create request.
pub fn create() -> CreateSubscription {
    CreateSubscription::new(
        "user-42",
        "Monthly plan",
        CardToken::new("tok-1"),
        Plan::new(usd(1000), Cadence::monthly()),
    )
}

fn error_body(status: u16, echo: &str) -> Reply {
    Reply::json(
        status,
        &format!(
            r#"{{"status":"FAIL","code":{status},"result":[],"errors":["rejected {echo}"],"card":{}}}"#,
            canary::card_json()
        ),
    )
}

fn mapped(_status: u16) -> Mapped {
    Mapped::Api
}

fn fixture_reply(file: &str) -> Reply {
    Reply::json(200, &String::from_utf8_lossy(&fixture("greenpay", file)))
}

fn op(label: &'static str, write: bool, file: &str, call: Call) -> Op {
    Op {
        provider: "greenpay",
        label: label.to_owned(),
        operation: label,
        write,
        ok: fixture_reply(file),
        wrong_type: Some((
            Reply::json(
                200,
                r#"{"status":"SUCCESS","code":200,"result":12.5,"errors":[]}"#,
            ),
            "result",
        )),
        error_body,
        mapped,
        echo: SHOP_SECRET.to_owned(),
        api_errors_final: true,
        call,
        prefix: Vec::new(),
        ok_tail: Vec::new(),
        skip: &[],
    }
}

/// [`op`] for an answer without GreenPay's `result` envelope: the wrong type is put in
/// `field` instead.
fn plain_op(label: &'static str, write: bool, file: &str, field: &'static str, call: Call) -> Op {
    Op {
        wrong_type: Some((
            Reply::json(
                200,
                &format!(r#"{{"{field}":12.5,"token":"t","errors":[]}}"#),
            ),
            field,
        )),
        ..op(label, write, file, call)
    }
}

fn order() -> CreateOrder {
    CreateOrder::new(usd(1450), "Parking ticket", "order-1001")
}

fn id() -> SubscriptionId {
    SubscriptionId::new(SUB)
}

/// Every GreenPay operation.
pub fn ops() -> Vec<Op> {
    vec![
        card_op(
            "greenpay.cards.tokenize",
            Arc::new(|base, config| {
                Box::pin(async move {
                    Ok(format!(
                        "{:?}",
                        card_client(&base, config)?
                            .cards()
                            .tokenize(&card(), "req-1")
                            .await
                            .map_err(greenpay::Error::into_kind)?
                    ))
                })
            }),
        ),
        card_op(
            "greenpay.cards.update",
            Arc::new(|base, config| {
                Box::pin(async move {
                    Ok(format!(
                        "{:?}",
                        card_client(&base, config)?
                            .cards()
                            .update(&CardToken::new("tok-1"), &card(), "req-1")
                            .await
                            .map_err(greenpay::Error::into_kind)?
                    ))
                })
            }),
        ),
        plain_op(
            "greenpay.orders.create",
            true,
            "orders.create.response.json",
            "session",
            Arc::new(|base, config| {
                Box::pin(async move {
                    Ok(format!(
                        "{:?}",
                        client_with(&base, config)?
                            .orders()
                            .create(&order())
                            .await
                            .map_err(greenpay::Error::into_kind)?
                    ))
                })
            }),
        ),
        plain_op(
            "greenpay.orders.create_v2",
            true,
            "orders.create_v2.response.json",
            "session",
            Arc::new(|base, config| {
                Box::pin(async move {
                    Ok(format!(
                        "{:?}",
                        client_with(&base, config)?
                            .orders()
                            .create_v2(&order())
                            .await
                            .map_err(greenpay::Error::into_kind)?
                    ))
                })
            }),
        ),
        plain_op(
            "greenpay.orders.pay_with_token",
            true,
            "orders.pay_with_token.response.json",
            "orderId",
            Arc::new(|base, config| {
                Box::pin(async move {
                    let payment =
                        TokenPayment::new(usd(2000), "Order 7", "order-7", CardToken::new("tok-1"));
                    Ok(format!(
                        "{:?}",
                        client_with(&base, config)?
                            .orders()
                            .pay_with_token(&payment)
                            .await
                            .map_err(greenpay::Error::into_kind)?
                    ))
                })
            }),
        ),
        plain_op(
            "greenpay.cards.session",
            true,
            "cards.session.response.json",
            "session",
            Arc::new(|base, config| {
                Box::pin(async move {
                    let order = TokenizationOrder::new("req-1")
                        .callback("https://shop.example/cards/return");
                    Ok(format!(
                        "{:?}",
                        client_with(&base, config)?
                            .cards()
                            .session(&order)
                            .await
                            .map_err(greenpay::Error::into_kind)?
                    ))
                })
            }),
        ),
        Op {
            // Its answer is only checked for success: no field to give a wrong type.
            wrong_type: None,
            ..op(
                "greenpay.cards.delete",
                true,
                "cards.delete.response.json",
                Arc::new(|base, config| {
                    Box::pin(async move {
                        client_with(&base, config)?
                            .cards()
                            .delete(&CardToken::new("tok-1"), "req-2")
                            .await
                            .map_err(greenpay::Error::into_kind)?;
                        Ok("deleted".to_owned())
                    })
                }),
            )
        },
        op(
            "greenpay.subscriptions.create",
            true,
            "subscriptions.create.response.json",
            Arc::new(|base, config| {
                Box::pin(async move {
                    Ok(format!(
                        "{:?}",
                        client_with(&base, config)?
                            .subscriptions()
                            .create(&create())
                            .await
                            .map_err(greenpay::Error::into_kind)?
                    ))
                })
            }),
        ),
        op(
            "greenpay.subscriptions.pay",
            true,
            "subscriptions.pay.response.approved.json",
            Arc::new(|base, config| {
                Box::pin(async move {
                    Ok(format!(
                        "{:?}",
                        client_with(&base, config)?
                            .subscriptions()
                            .pay(&ManualPayment::new(id()))
                            .await
                            .map_err(greenpay::Error::into_kind)?
                    ))
                })
            }),
        ),
        op(
            "greenpay.subscriptions.cancel",
            true,
            "subscriptions.cancel.response.json",
            Arc::new(|base, config| {
                Box::pin(async move {
                    let req = CancelSubscription::new(id(), "user-42", "customer request");
                    Ok(format!(
                        "{:?}",
                        client_with(&base, config)?
                            .subscriptions()
                            .cancel(&req)
                            .await
                            .map_err(greenpay::Error::into_kind)?
                    ))
                })
            }),
        ),
        op(
            "greenpay.subscriptions.update_amount",
            true,
            "subscriptions.update_amount.response.json",
            Arc::new(|base, config| {
                Box::pin(async move {
                    let req = UpdateAmount::new(id(), "user-42", usd(1200));
                    Ok(format!(
                        "{:?}",
                        client_with(&base, config)?
                            .subscriptions()
                            .update_amount(&req)
                            .await
                            .map_err(greenpay::Error::into_kind)?
                    ))
                })
            }),
        ),
        op(
            "greenpay.subscriptions.update_card_token",
            true,
            "subscriptions.update_card_token.response.json",
            Arc::new(|base, config| {
                Box::pin(async move {
                    let req = UpdateCardToken::new(id(), "user-42", CardToken::new("tok-2"));
                    Ok(format!(
                        "{:?}",
                        client_with(&base, config)?
                            .subscriptions()
                            .update_card_token(&req)
                            .await
                            .map_err(greenpay::Error::into_kind)?
                    ))
                })
            }),
        ),
        op(
            "greenpay.subscriptions.list",
            false,
            "subscriptions.list.response.json",
            Arc::new(|base, config| {
                Box::pin(async move {
                    Ok(format!(
                        "{:?}",
                        client_with(&base, config)?
                            .subscriptions()
                            .list(&ListSubscriptions::new(1, 10))
                            .await
                            .map_err(greenpay::Error::into_kind)?
                    ))
                })
            }),
        ),
        op(
            "greenpay.subscriptions.list_payments",
            false,
            "subscriptions.list_payments.response.json",
            Arc::new(|base, config| {
                Box::pin(async move {
                    Ok(format!(
                        "{:?}",
                        client_with(&base, config)?
                            .subscriptions()
                            .list_payments(&ListPayments::new(id(), 1, 10))
                            .await
                            .map_err(greenpay::Error::into_kind)?
                    ))
                })
            }),
        ),
    ]
}

/// Rows that apply differently to GreenPay.
pub fn not_applicable() {
    payments_reliability::report::not_applicable(
        "greenpay",
        "*",
        "F13 retry",
        "a FAIL envelope is GreenPay's definitive answer even with HTTP 500 (a wrong merchant is documented as code 500): Api after 1 attempt, never OutcomeUnknown",
    );
    payments_reliability::report::not_applicable(
        "greenpay",
        "*",
        "F14 variants",
        "the envelope decides, not the HTTP status: every FAIL body is Api (401/403/404 included)",
    );
}
