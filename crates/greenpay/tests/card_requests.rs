//! The card and token-payment writes as GreenPay receives them, over httpmock: the exact JSON
//! body and headers of `orders().pay_with_token` (`POST /tokenPayment`), `cards().session`
//! (`POST /tokenize`), `cards().delete` (`POST /deleteToken`), and both requests of
//! `cards().tokenize` and `cards().update` (the session on the merchant host, then the
//! encrypted card on the checkout host with the session's `liszt-token`), the card opened with
//! the private half of the key the client encrypted to; and the headers of checkout v2's
//! `orders().create_v2` (its exact body is checked in `orders.rs`).
#![cfg(all(feature = "webhooks", feature = "tokenization"))]

mod common;

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use common::{MERCHANT_ID, SECRET, fixture, fixture_json};
use greenpay::orders::TokenPayment;
use greenpay::tokenization::Card;
use greenpay::{CardToken, Client, Currency, ErrorKind, Money, PaymentOutcome};
use httpmock::{HttpMockRequest, MockServer};
use rsa::RsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::EncodePublicKey;
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer};
use serde_json::{Value, json};

/// The token of `cards.tokenize.response.json`.
const TOKEN: &str = "f4a3e2d1-c0b9-4a87-9654-3210fedcba98";

/// GreenPay's key pair as these tests play it: the client encrypts cards to its public half;
/// the tests open them and sign the answers with the private half.
struct Key(RsaPrivateKey);

impl Key {
    fn new() -> Key {
        Key(RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap())
    }

    fn public_base64(&self) -> String {
        let der = self.0.to_public_key().to_public_key_der().unwrap();
        base64::engine::general_purpose::STANDARD.encode(der.as_bytes())
    }

    /// `_signature` over `status:<status>,requestId:<request_id>`, hex.
    fn sign(&self, status: &str, request_id: &str) -> String {
        let message = format!("status:{status},requestId:{request_id}");
        let signature = SigningKey::<Sha256>::new(self.0.clone()).sign(message.as_bytes());
        signature
            .to_vec()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The card JSON inside a `{session, ld, lk}` envelope: `lk` opened with the private key
    /// (`{"k":[16 bytes],"s":counter}`), then `ld` run through AES-128-CTR again under that
    /// key and counter (CTR is its own inverse).
    fn open(&self, envelope: &Value) -> Value {
        let lk = base64::engine::general_purpose::STANDARD
            .decode(envelope["lk"].as_str().unwrap())
            .unwrap();
        let pair: Value =
            serde_json::from_slice(&self.0.decrypt(rsa::Pkcs1v15Encrypt, &lk).unwrap()).unwrap();
        let key: [u8; 16] = pair["k"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| u8::try_from(b.as_u64().unwrap()).unwrap())
            .collect::<Vec<u8>>()
            .try_into()
            .unwrap();
        let counter = u8::try_from(pair["s"].as_u64().unwrap()).unwrap();
        let ld = unhex(envelope["ld"].as_str().unwrap());
        let plain = unhex(&greenpay::__bench::aes_ctr_hex(&key, counter, &ld));
        serde_json::from_slice(&plain).unwrap()
    }
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len() / 2)
        .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

fn client(server: &MockServer, key: Option<&Key>) -> Client {
    let mut builder = Client::builder(common::credentials())
        .base_url(format!("{}/merchant", server.base_url()))
        .checkout_base_url(format!("{}/checkout", server.base_url()))
        .http_config(common::fast_config());
    if let Some(key) = key {
        builder = builder.public_key(key.public_base64());
    }
    builder.build().unwrap()
}

fn card() -> Card {
    Card::new("Jane Doe", "4242 4242 4242 4242", "123", 12, 2030).nickname("work card")
}

/// The card JSON the client must have encrypted (the AES-CTR vector's plaintext), with the
/// token of an update.
fn expected_card(token: Option<&str>) -> Value {
    let vector = fixture_json("cards.tokenize.request.aes-ctr-vector.json");
    let mut card: Value = serde_json::from_str(vector["plaintext"].as_str().unwrap()).unwrap();
    if let Some(token) = token {
        card["token"] = token.into();
    }
    card
}

/// The tokenization answer for `request_id`, signed with `key`.
fn tokenized_answer(key: &Key, request_id: &str) -> String {
    let mut answer = fixture_json("cards.tokenize.response.json");
    answer["requestId"] = request_id.into();
    answer["_signature"] = key.sign("200", request_id).into();
    answer.to_string()
}

#[tokio::test]
async fn create_v2_sends_json_with_the_credentials_in_the_body_and_no_auth_header() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/v2/createOrder")
                .header("content-type", "application/json")
                .header_missing("authorization")
                .header_missing("liszt-token")
                .is_true(|request: &HttpMockRequest| {
                    request
                        .headers()
                        .get("user-agent")
                        .and_then(|v| v.to_str().ok())
                        .is_some_and(|v| v.starts_with("greenpay/"))
                })
                .json_body(fixture_json("orders.create.request.json"));
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture("orders.create_v2.response.json"));
        })
        .await;
    let client = Client::builder(common::credentials())
        .base_url("http://127.0.0.1:9/unused")
        .checkout_v2_base_url(format!("{}/v2", server.base_url()))
        .http_config(common::fast_config())
        .build()
        .unwrap();
    let order = greenpay::orders::CreateOrder::new(
        Money::parse("14.50", Currency::USD).unwrap(),
        "Parking ticket",
        "order-1001",
    )
    .callback("https://shop.example/greenpay/return");
    let session = client.orders().create_v2(&order).await.unwrap();
    mock.assert_calls_async(1).await;
    let expected = fixture_json("orders.create_v2.response.json");
    assert_eq!(session.session, expected["session"].as_str().unwrap());
    assert_eq!(session.message.as_deref(), Some("Order created"));
}

#[tokio::test]
async fn a_token_payment_sends_the_fixture_body_and_reads_the_charge() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/merchant/tokenPayment")
                .header("content-type", "application/json")
                .json_body(fixture_json("orders.pay_with_token.request.json"));
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture("orders.pay_with_token.response.json"));
        })
        .await;
    let payment = TokenPayment::new(
        Money::parse("100", Currency::CRC).unwrap(),
        "Test sale",
        "order-7",
        CardToken::new(TOKEN),
    );
    let paid = client(&server, None)
        .orders()
        .pay_with_token(&payment)
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    assert_eq!(paid.order_id.as_deref(), Some("order-7"));
    assert_eq!(paid.authorization.as_deref(), Some("533735"));
    assert_eq!(paid.outcome(), PaymentOutcome::Paid);
}

#[tokio::test]
async fn a_refused_token_payment_is_definitive_sent_once_and_never_shows_the_token() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST").path("/merchant/tokenPayment");
            then.status(500)
                .header("content-type", "application/json")
                .body(format!(
                    r#"{{"status":"FAIL","code":500,"result":[],"errors":["token {TOKEN} is not valid"]}}"#
                ));
        })
        .await;
    let payment = TokenPayment::new(
        Money::parse("20", Currency::USD).unwrap(),
        "Order 8",
        "order-8",
        CardToken::new(TOKEN),
    );
    let err = client(&server, None)
        .orders()
        .pay_with_token(&payment)
        .await
        .unwrap_err();
    mock.assert_calls_async(1).await;
    assert!(matches!(err.kind(), ErrorKind::Api { .. }), "{err:?}");
    assert!(!err.is_retryable());
    assert_eq!(err.operation(), "orders.pay_with_token");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("is not valid"), "{shown}");
}

#[tokio::test]
async fn a_card_session_sends_the_fixture_body_without_terminal() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/merchant/tokenize")
                .header("content-type", "application/json")
                .json_body(fixture_json("cards.session.request.json"));
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture("cards.session.response.json"));
        })
        .await;
    let order = greenpay::cards::TokenizationOrder::new("xwr-123455")
        .callback("https://shop.example/cards/return");
    let session = client(&server, None).cards().session(&order).await.unwrap();
    mock.assert_calls_async(1).await;
    let expected = fixture_json("cards.session.response.json");
    assert_eq!(session.session, expected["session"].as_str().unwrap());
    assert_eq!(session.token.expose(), expected["token"].as_str().unwrap());
}

#[tokio::test]
async fn deleting_a_token_sends_token_request_id_and_credentials_only() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/merchant/deleteToken")
                .header("content-type", "application/json")
                .json_body(json!({
                    "token": TOKEN,
                    "requestId": "req-del-1",
                    "merchantId": MERCHANT_ID,
                    "secret": SECRET,
                }));
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture("cards.delete.response.json"));
        })
        .await;
    let c = client(&server, None);
    c.cards()
        .delete(&CardToken::new(TOKEN), "req-del-1")
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    // An answer that may not be GreenPay's (a proxy's page) leaves the delete's outcome open:
    // it is not sent again.
    let proxy = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/merchant/deleteToken")
                .body_includes("req-del-2");
            then.status(502)
                .header("content-type", "text/html")
                .body(format!("<html>upstream said token={TOKEN}</html>"));
        })
        .await;
    let err = c
        .cards()
        .delete(&CardToken::new(TOKEN), "req-del-2")
        .await
        .unwrap_err();
    proxy.assert_calls_async(1).await;
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(
        err.reconciliation()
            .and_then(|r| r.merchant_reference.as_deref()),
        Some("req-del-2")
    );
    assert!(!format!("{err} {err:?}").contains(TOKEN));
}

#[tokio::test]
async fn tokenize_sends_the_session_request_then_exactly_session_ld_lk_with_the_liszt_token() {
    let key = Key::new();
    let server = MockServer::start_async().await;
    let session_fixture = fixture_json("cards.session.response.json");
    let liszt = session_fixture["token"].as_str().unwrap().to_owned();
    let session = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/merchant/tokenize")
                .header("content-type", "application/json")
                .json_body(json!({
                    "requestId": "xwr-123455", "merchantId": MERCHANT_ID, "secret": SECRET
                }));
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture("cards.session.response.json"));
        })
        .await;
    let (kept, matcher) = keep_body();
    let sealed = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/checkout/tokenize")
                .header("content-type", "application/json")
                .header("liszt-token", liszt.as_str())
                .header_missing("authorization")
                .is_true(matcher);
            then.status(200)
                .header("content-type", "application/json")
                .body(tokenized_answer(&key, "xwr-123455"));
        })
        .await;
    let tokenized = client(&server, Some(&key))
        .cards()
        .tokenize(&card(), "xwr-123455")
        .await
        .unwrap();
    session.assert_calls_async(1).await;
    sealed.assert_calls_async(1).await;
    assert_eq!(tokenized.token.as_str(), TOKEN);
    assert_eq!(tokenized.request_id.as_deref(), Some("xwr-123455"));

    let envelope = kept.lock().unwrap().clone().expect("a JSON body");
    let keys: Vec<&str> = envelope
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["ld", "lk", "session"],
        "the envelope alone: {envelope}"
    );
    assert_eq!(envelope["session"], session_fixture["session"]);
    assert_eq!(key.open(&envelope), expected_card(None));
}

#[tokio::test]
async fn update_sends_both_requests_to_tokenize_update_with_the_token_inside_the_card() {
    let key = Key::new();
    let server = MockServer::start_async().await;
    let session_fixture = fixture_json("cards.session.response.json");
    let liszt = session_fixture["token"].as_str().unwrap().to_owned();
    let session = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/merchant/tokenize/update")
                .header("content-type", "application/json")
                .json_body(json!({
                    "requestId": "req-upd-1", "merchantId": MERCHANT_ID, "secret": SECRET
                }));
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture("cards.session.response.json"));
        })
        .await;
    let (kept, matcher) = keep_body();
    let sealed = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/checkout/tokenize/update")
                .header("content-type", "application/json")
                .header("liszt-token", liszt.as_str())
                .is_true(matcher);
            then.status(200)
                .header("content-type", "application/json")
                .body(tokenized_answer(&key, "req-upd-1"));
        })
        .await;
    let updated = client(&server, Some(&key))
        .cards()
        .update(&CardToken::new(TOKEN), &card(), "req-upd-1")
        .await
        .unwrap();
    session.assert_calls_async(1).await;
    sealed.assert_calls_async(1).await;
    assert_eq!(updated.token.as_str(), TOKEN);

    let envelope = kept.lock().unwrap().clone().expect("a JSON body");
    assert_eq!(envelope["session"], session_fixture["session"]);
    assert_eq!(
        envelope.as_object().unwrap().len(),
        3,
        "session, ld and lk only: {envelope}"
    );
    assert_eq!(key.open(&envelope), expected_card(Some(TOKEN)));
}

#[tokio::test]
async fn a_refused_card_is_definitive_and_its_error_shows_neither_the_card_nor_the_session_token() {
    let key = Key::new();
    let server = MockServer::start_async().await;
    let session_fixture = fixture_json("cards.session.response.json");
    let liszt = session_fixture["token"].as_str().unwrap().to_owned();
    server
        .mock_async(|when, then| {
            when.method("POST").path("/merchant/tokenize");
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture("cards.session.response.json"));
        })
        .await;
    let sealed = server
        .mock_async(|when, then| {
            when.method("POST").path("/checkout/tokenize");
            then.status(400)
                .header("content-type", "application/json")
                .body(format!(
                    r#"{{"status":"FAIL","code":400,"result":[],"errors":["card 4242424242424242 cvc 123 refused for session {liszt}"]}}"#
                ));
        })
        .await;
    let err = client(&server, Some(&key))
        .cards()
        .tokenize(&card(), "req-9")
        .await
        .unwrap_err();
    sealed.assert_calls_async(1).await;
    assert!(matches!(err.kind(), ErrorKind::Api { .. }), "{err:?}");
    assert!(!err.is_retryable());
    assert_eq!(err.operation(), "cards.tokenize");
    let shown = format!("{err} {err:?}");
    for secret in ["4242424242424242", "cvc 123", liszt.as_str()] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains("refused"), "{shown}");
}

/// A matcher that accepts any request and keeps its JSON body (the last one seen), for the
/// envelope's checks after the call.
fn keep_body() -> (
    Arc<Mutex<Option<Value>>>,
    impl Fn(&HttpMockRequest) -> bool + Send + Sync + 'static,
) {
    let kept = Arc::new(Mutex::new(None));
    let store = kept.clone();
    let matcher = move |request: &HttpMockRequest| {
        let body: Option<Value> = serde_json::from_slice(&request.body().0).ok();
        *store.lock().unwrap() = body;
        true
    };
    (kept, matcher)
}
