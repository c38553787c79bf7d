//! Payment orders, the hosted form, card tokenization and token payments: exact bodies and
//! headers against httpmock, and the whole path against the sandbox (which decrypts what the
//! crate encrypts with its own RSA private key and AES-128-CTR).
#![cfg(all(feature = "webhooks", feature = "tokenization"))]

mod common;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::routing::{get, post};
use common::{MERCHANT_ID, SECRET, TERMINAL, fixture, fixture_json};
use greenpay::orders::{CreateOrder, TokenPayment};
use greenpay::subscriptions::{Cadence, CreateSubscription, ManualPayment, PaymentStatus, Plan};
use greenpay::tokenization::Card;
use greenpay::{
    CardToken, Client, Credentials, Currency, ErrorKind, HeaderMap, Money, PaymentOutcome,
    VerifiedEvent, WebhookVerifier,
};
use httpmock::MockServer;
use payments_sandbox::{RunningSandbox, Sandbox, SandboxConfig};

fn usd(text: &str) -> Money {
    Money::parse(text, Currency::USD).unwrap()
}

fn order() -> CreateOrder {
    CreateOrder::new(usd("14.50"), "Parking ticket", "order-1001")
        .callback("https://shop.example/greenpay/return")
}

#[tokio::test]
async fn an_order_sends_the_documented_body_to_the_merchant_root_and_reads_session_and_token() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/")
                .header("content-type", "application/json")
                .json_body(fixture_json("orders.create.request.json"));
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture("orders.create.response.json"));
        })
        .await;
    let client = common::client(&server.base_url());
    let session = client.orders().create(&order()).await.unwrap();
    m.assert_calls_async(1).await;
    let expected = fixture_json("orders.create.response.json");
    assert_eq!(session.session, expected["session"].as_str().unwrap());
    assert_eq!(session.token.expose(), expected["token"].as_str().unwrap());
    assert!(!format!("{session:?}").contains(expected["token"].as_str().unwrap()));
    let url = client.checkout_url(&session).unwrap();
    assert_eq!(
        url.as_str(),
        format!(
            "https://sandbox-checkoutform.greenpay.me/{}",
            session.session
        )
    );
}

#[tokio::test]
async fn checkout_v2_posts_create_order_and_reads_status_code_and_message() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/createOrder")
                .json_body(fixture_json("orders.create.request.json"));
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture("orders.create_v2.response.json"));
        })
        .await;
    let client = Client::builder(common::credentials())
        .base_url("http://127.0.0.1:9/unused")
        .checkout_v2_base_url(server.base_url())
        .http_config(common::fast_config())
        .build()
        .unwrap();
    let session = client.orders().create_v2(&order()).await.unwrap();
    m.assert_calls_async(1).await;
    assert_eq!(session.status_code, Some(200));
    let gtq = CreateOrder::new(Money::parse("10", Currency::GTQ).unwrap(), "x", "order-2");
    let err = client.orders().create_v2(&gtq).await.unwrap_err();
    assert_eq!(err.invalid_field(), Some("currency"));
    m.assert_calls_async(1).await;
}

#[tokio::test]
async fn order_refusals_are_definitive_and_a_proxy_error_leaves_the_outcome_unknown() {
    let server = MockServer::start_async().await;
    let fail = server
        .mock_async(|when, then| {
            when.method("POST").path("/").body_includes("order-fail");
            then.status(500)
                .header("content-type", "application/json")
                .body(r#"{"code":500,"status":"FAIL","result":[],"errors":["Merchant doesn't exist."]}"#);
        })
        .await;
    let proxy = server
        .mock_async(|when, then| {
            when.method("POST").path("/").body_includes("order-proxy");
            then.status(502)
                .header("content-type", "text/html")
                .body("<html>502 Bad Gateway</html>");
        })
        .await;
    let client = common::client(&server.base_url());
    let refused = client
        .orders()
        .create(&CreateOrder::new(usd("1"), "x", "order-fail"))
        .await
        .unwrap_err();
    assert!(
        matches!(refused.kind(), ErrorKind::Api { .. }),
        "{refused:?}"
    );
    assert!(!refused.is_retryable());
    assert_eq!(
        refused.failure_kind(),
        Some(greenpay::FailureKind::MerchantNotFound)
    );
    assert!(refused.to_string().starts_with("GreenPay orders.create: "));
    fail.assert_calls_async(1).await;
    let unknown = client
        .orders()
        .create(&CreateOrder::new(usd("1"), "x", "order-proxy"))
        .await
        .unwrap_err();
    assert!(unknown.is_outcome_unknown(), "{unknown:?}");
    assert_eq!(
        unknown
            .reconciliation()
            .and_then(|r| r.merchant_reference.as_deref()),
        Some("order-proxy")
    );
    proxy.assert_calls_async(1).await;
}

#[tokio::test]
async fn bad_orders_and_cards_are_refused_by_field_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let client = common::client(&server.base_url());
    for (order, field) in [
        (CreateOrder::new(usd("0.01"), "", "o-1"), "description"),
        (CreateOrder::new(usd("1"), "x", "o 1"), "orderReference"),
        (
            CreateOrder::new(usd("1"), "x", "o-1").callback("http://shop.example/r"),
            "callback",
        ),
        (
            CreateOrder::new(Money::parse("1", Currency::EUR).unwrap(), "x", "o-1"),
            "amount",
        ),
    ] {
        let err = client.orders().create(&order).await.unwrap_err();
        assert_eq!(err.invalid_field(), Some(field), "{err}");
    }
    let token = CardToken::new("tok-1");
    let err = client
        .orders()
        .pay_with_token(&TokenPayment::new(usd("1"), "x", "", token))
        .await
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some("orderReference"));
    let with_key = Client::builder(common::credentials())
        .base_url(server.base_url())
        .public_key(greenpay::test_util::TEST_PUBLIC_KEY)
        .build()
        .unwrap();
    for (card, field) in [
        (
            Card::new("Jane", "4242424242424241", "123", 12, 2030),
            "card.cardNumber",
        ),
        (
            Card::new("Jane", "4242", "123", 12, 2030),
            "card.cardNumber",
        ),
        (
            Card::new("Jane", "4242424242424242", "12", 12, 2030),
            "card.cvc",
        ),
        (
            Card::new("Jane", "4242424242424242", "123", 13, 2030),
            "card.expirationDate.month",
        ),
        (
            Card::new("", "4242424242424242", "123", 12, 2030),
            "card.cardHolder",
        ),
    ] {
        let err = with_key.cards().tokenize(&card, "req-1").await.unwrap_err();
        assert_eq!(err.invalid_field(), Some(field), "{err}");
        assert!(!err.to_string().contains("4242424242424"), "{err}");
    }
    // Without GreenPay's key nothing can be encrypted.
    let card = Card::new("Jane", "4242424242424242", "123", 12, 2030);
    let err = client.cards().tokenize(&card, "req-1").await.unwrap_err();
    assert_eq!(err.invalid_field(), Some("public_key"));
    any.assert_calls_async(0).await;
}

#[test]
fn the_envelope_matches_an_independent_aes_ctr_and_its_key_decrypts_with_the_private_key() {
    use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
    let vector = fixture_json("cards.tokenize.request.aes-ctr-vector.json");
    let key_hex = vector["key_hex"].as_str().unwrap();
    let aes_key: [u8; 16] = (0..16)
        .map(|i| u8::from_str_radix(&key_hex[2 * i..2 * i + 2], 16).unwrap())
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    let counter = u8::try_from(vector["counter"].as_u64().unwrap()).unwrap();
    let card = Card::new("Jane Doe", "4242424242424242", "123", 12, 2030).nickname("work card");
    // The card JSON the crate encrypts is the vector's plaintext, byte for byte.
    let plaintext = greenpay::__bench::card_plaintext(&card);
    assert_eq!(
        String::from_utf8(plaintext.clone()).unwrap(),
        vector["plaintext"].as_str().unwrap()
    );
    // ld: byte for byte what Python's `cryptography` produced.
    assert_eq!(
        greenpay::__bench::aes_ctr_hex(&aes_key, counter, &plaintext),
        vector["ld_hex"].as_str().unwrap()
    );
    // The whole envelope with a real RSA key: lk opens with the private key to the pair.
    let private = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap();
    let public = private.to_public_key().to_public_key_der().unwrap();
    let public_b64 = base64_der(public.as_bytes());
    let key = greenpay::__bench::key(&public_b64).unwrap();
    let sealed = greenpay::__bench::seal_card(&key, &card, "sess-1", &aes_key, counter).unwrap();
    assert_eq!(sealed.ld(), vector["ld_hex"].as_str().unwrap());
    assert_eq!(sealed.session(), "sess-1");
    let lk = base64_decode(sealed.lk());
    let pair = private.decrypt(rsa::Pkcs1v15Encrypt, &lk).unwrap();
    assert_eq!(
        String::from_utf8(pair).unwrap(),
        vector["lk_plaintext"].as_str().unwrap()
    );
    // Debug of the envelope shows no ciphertext; of the card, no number or code.
    let shown = format!("{sealed:?} {card:?}");
    assert!(
        !shown.contains(sealed.ld()) && !shown.contains("4242424242424242"),
        "{shown}"
    );
    let _ = rsa::RsaPrivateKey::from_pkcs8_der; // (the PKCS#8 decoder is what test_util uses)
}

fn base64_der(der: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(der)
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}

#[tokio::test]
async fn tokenization_sends_liszt_token_and_the_envelope_and_verifies_the_answer() {
    let signer = greenpay::test_util::TestSigner::new();
    let server = MockServer::start_async().await;
    let session = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/merchant/tokenize")
                .json_body(serde_json::json!({
                    "requestId": "req-42", "merchantId": MERCHANT_ID, "secret": SECRET
                }));
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture("cards.session.response.json"));
        })
        .await;
    let other_session = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/merchant/tokenize")
                .json_body(serde_json::json!({
                    "requestId": "req-43", "merchantId": MERCHANT_ID, "secret": SECRET
                }));
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture("cards.session.response.json"));
        })
        .await;
    let session_fixture = fixture_json("cards.session.response.json");
    let liszt = session_fixture["token"].as_str().unwrap().to_owned();
    let answer = {
        let mut a = fixture_json("cards.tokenize.response.json");
        a["requestId"] = "req-42".into();
        a["_signature"] = signer
            .sign(&[("status", "200"), ("requestId", "req-42")])
            .into();
        a.to_string()
    };
    let tokenize = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/checkout/tokenize")
                .header("liszt-token", liszt.as_str())
                .json_body_includes(format!(
                    r#"{{"session":"{}"}}"#,
                    session_fixture["session"].as_str().unwrap()
                ))
                .body_excludes("secret")
                .body_excludes("4242424242424242");
            then.status(200)
                .header("content-type", "application/json")
                .body(answer);
        })
        .await;
    let client = Client::builder(common::credentials())
        .base_url(format!("{}/merchant", server.base_url()))
        .checkout_base_url(format!("{}/checkout", server.base_url()))
        .public_key(greenpay::test_util::TEST_PUBLIC_KEY)
        .http_config(common::fast_config())
        .build()
        .unwrap();
    let card = Card::new("Jane Doe", "4242424242424242", "123", 12, 2030);
    let tokenized = client.cards().tokenize(&card, "req-42").await.unwrap();
    session.assert_calls_async(1).await;
    let expected = fixture_json("cards.tokenize.response.json");
    assert_eq!(
        tokenized.token.as_str(),
        expected["result"]["token"].as_str().unwrap()
    );
    assert_eq!(tokenized.last_digits.as_deref(), Some("4242"));
    // An answer naming another request, or not signed by GreenPay's key, is refused.
    let err = client.cards().tokenize(&card, "req-43").await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::SignatureInvalid { .. }),
        "{err:?}"
    );
    assert_eq!(err.operation(), "cards.tokenize");
    other_session.assert_calls_async(1).await;
    tokenize.assert_calls_async(2).await;
    // The session token and the card never show in the error.
    assert!(!format!("{err:?} {err}").contains(&liszt));
    let _ = TERMINAL;
}

/// The merchant's side: records what GreenPay posts, and the customer's return.
struct Merchant {
    base: String,
    received: Arc<Mutex<Vec<(String, Bytes)>>>,
}

impl Merchant {
    async fn start() -> Self {
        type Store = Arc<Mutex<Vec<(String, Bytes)>>>;
        async fn record(State(store): State<Store>, uri: Uri, body: Bytes) -> StatusCode {
            store.lock().unwrap().push((uri.path().to_owned(), body));
            StatusCode::OK
        }
        async fn returned(State(store): State<Store>, Path(data): Path<String>) -> &'static str {
            store
                .lock()
                .unwrap()
                .push(("return".to_owned(), Bytes::from(data)));
            "thanks"
        }
        let received = Store::default();
        let app = Router::new()
            .route("/gp/", post(record))
            .route("/gp/newCard", post(record))
            .route("/return/{data}", get(returned))
            .with_state(received.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Merchant { base, received }
    }

    fn take(&self, path: &str) -> Vec<Bytes> {
        let mut all = self.received.lock().unwrap();
        let (mine, rest): (Vec<_>, Vec<_>) = all.drain(..).partition(|(p, _)| p == path);
        *all = rest;
        mine.into_iter().map(|(_, b)| b).collect()
    }
}

async fn sandbox() -> RunningSandbox {
    Sandbox::start(SandboxConfig::new()).await.unwrap()
}

fn sandbox_client(sandbox: &RunningSandbox) -> Client {
    let c = sandbox.greenpay_credentials();
    Client::builder(Credentials::new(
        c.merchant_id.clone(),
        c.terminal.clone(),
        c.secret.clone(),
    ))
    .base_url(sandbox.greenpay_url())
    .checkout_base_url(sandbox.greenpay_checkout_url())
    .checkout_v2_base_url(sandbox.greenpay_checkout_v2_url())
    .checkout_form_base_url(sandbox.greenpay_checkout_form_url())
    .tokenize_form_base_url(sandbox.greenpay_tokenize_form_url())
    .public_key(c.public_key.clone())
    .build()
    .unwrap()
}

async fn register_webhook(sandbox: &RunningSandbox, merchant: &Merchant) {
    let answer = reqwest::Client::new()
        .post(format!("{}/_sandbox/webhook", sandbox.greenpay_url()))
        .json(&serde_json::json!({ "url": format!("{}/gp", merchant.base) }))
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success());
}

#[tokio::test]
async fn an_order_paid_on_the_hosted_form_is_notified_signed_and_returns_the_customer() {
    let sandbox = sandbox().await;
    let merchant = Merchant::start().await;
    register_webhook(&sandbox, &merchant).await;
    let client = sandbox_client(&sandbox);
    let verifier = WebhookVerifier::new(&sandbox.greenpay_credentials().public_key).unwrap();
    for (reference, decision, success) in [
        ("order-pay", "pay", true),
        ("order-decline", "decline", false),
    ] {
        let order = CreateOrder::new(usd("14.50"), "Parking", reference)
            .callback(format!("{}/return", merchant.base));
        let session = client.orders().create(&order).await.unwrap();
        let page_url = client.checkout_url(&session).unwrap();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let page = http
            .get(page_url.as_str())
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("14.50 USD") && page.contains(reference),
            "{page}"
        );
        let answer = http
            .post(page_url.as_str())
            .form(&[("decision", decision)])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303);
        let location = answer.headers()["location"].to_str().unwrap().to_owned();
        assert!(
            location.starts_with(&format!("{}/return/", merchant.base)),
            "{location}"
        );
        // The notification: its signature proves the order, never that it was paid.
        let posted = merchant.take("/gp/");
        assert_eq!(posted.len(), 1);
        match verifier.verify(&HeaderMap::new(), &posted[0]).unwrap() {
            VerifiedEvent::Checkout(c) => assert_eq!(c.order_id(), reference),
            other => panic!("{other:?}"),
        }
        let unverified = greenpay::webhook::parse_checkout(&posted[0]).unwrap();
        assert_eq!(
            unverified.result.as_ref().and_then(|r| r.success),
            Some(success)
        );
        // A session pays once.
        let again = http
            .post(page_url.as_str())
            .form(&[("decision", "pay")])
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 410);
    }
    // Checkout v2 answers a session too.
    let v2 = client
        .orders()
        .create_v2(&CreateOrder::new(usd("3"), "v2", "order-v2"))
        .await
        .unwrap();
    assert_eq!(v2.status_code, Some(200));
}

#[tokio::test]
async fn a_card_tokenized_through_the_sandbox_pays_a_subscription_and_a_token_payment() {
    let sandbox = sandbox().await;
    let merchant = Merchant::start().await;
    register_webhook(&sandbox, &merchant).await;
    let client = sandbox_client(&sandbox);
    let verifier = WebhookVerifier::new(&sandbox.greenpay_credentials().public_key).unwrap();
    let card = Card::new("Jane Doe", "4242 4242 4242 4242", "123", 12, 2030).nickname("work");
    let tokenized = client.cards().tokenize(&card, "req-sbx-1").await.unwrap();
    assert_eq!(tokenized.last_digits.as_deref(), Some("4242"));
    assert_eq!(tokenized.brand.as_deref(), Some("VISA"));
    // The sandbox decrypted the card: its /newCard notification verifies for this request.
    let posted = merchant.take("/gp/newCard");
    match verifier.verify(&HeaderMap::new(), &posted[0]).unwrap() {
        VerifiedEvent::Tokenization(t) => assert_eq!(t.request_id(), "req-sbx-1"),
        other => panic!("{other:?}"),
    }
    // Subscribe with the token, charge it.
    let sub = client
        .subscriptions()
        .create(&CreateSubscription::new(
            "user-1",
            "Plan",
            tokenized.token.clone(),
            Plan::new(usd("10"), Cadence::monthly()),
        ))
        .await
        .unwrap();
    let paid = client
        .subscriptions()
        .pay(&ManualPayment::new(sub.subscription_id.clone()))
        .await
        .unwrap();
    assert_eq!(paid.status, PaymentStatus::Approved);
    // A one-off payment with the token.
    let charged = client
        .orders()
        .pay_with_token(&TokenPayment::new(
            usd("20"),
            "Order 7",
            "order-7",
            tokenized.token.clone(),
        ))
        .await
        .unwrap();
    assert_eq!(charged.outcome(), PaymentOutcome::Paid);
    // The decline test card gives a token that is declined.
    let decline = Card::new("Jane Doe", "4000000000000002", "123", 12, 2030);
    let declined = client
        .cards()
        .tokenize(&decline, "req-sbx-2")
        .await
        .unwrap();
    let refused = client
        .orders()
        .pay_with_token(&TokenPayment::new(
            usd("20"),
            "Order 8",
            "order-8",
            declined.token.clone(),
        ))
        .await
        .unwrap();
    assert_eq!(refused.outcome(), PaymentOutcome::Failed);
    // Update keeps the token; delete ends it.
    let updated = client
        .cards()
        .update(
            &tokenized.token,
            &Card::new("Jane Doe", "5555555555554444", "321", 1, 2031),
            "req-sbx-3",
        )
        .await
        .unwrap();
    assert_eq!(updated.token, tokenized.token);
    assert_eq!(updated.brand.as_deref(), Some("MASTERCARD"));
    client
        .cards()
        .delete(&tokenized.token, "req-sbx-4")
        .await
        .unwrap();
    let gone = client
        .orders()
        .pay_with_token(&TokenPayment::new(
            usd("1"),
            "x",
            "order-9",
            tokenized.token.clone(),
        ))
        .await
        .unwrap_err();
    assert!(matches!(gone.kind(), ErrorKind::Api { .. }), "{gone:?}");
    // A tampered envelope is refused by the sandbox (it really decrypts).
    let session = client
        .cards()
        .session(&greenpay::cards::TokenizationOrder::new("req-sbx-5"))
        .await
        .unwrap();
    let sealed = client.cards().encrypt(&card, &session).unwrap();
    let mut ld = sealed.ld().to_owned();
    ld.replace_range(0..2, if &ld[0..2] == "00" { "01" } else { "00" });
    let tampered = reqwest::Client::new()
        .post(format!("{}/tokenize", sandbox.greenpay_checkout_url()))
        .header("liszt-token", session.token.expose())
        .json(&serde_json::json!({"session": session.session, "ld": ld, "lk": sealed.lk()}))
        .send()
        .await
        .unwrap();
    assert!(tampered.status().is_success() || tampered.status().is_client_error());
    let body: serde_json::Value = tampered.json().await.unwrap();
    assert_eq!(body["status"], "FAIL", "{body}");
}

#[tokio::test]
async fn a_card_typed_on_the_hosted_tokenization_form_comes_back_as_a_verified_token() {
    use greenpay::cards::TokenizationOrder;
    let sandbox = sandbox().await;
    let merchant = Merchant::start().await;
    register_webhook(&sandbox, &merchant).await;
    let client = sandbox_client(&sandbox);
    let verifier = WebhookVerifier::new(&sandbox.greenpay_credentials().public_key).unwrap();
    let order = TokenizationOrder::new("req-form-1").callback(format!("{}/return", merchant.base));
    let session = client.cards().session(&order).await.unwrap();
    let form = client.cards().form_url(&session).unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = http
        .get(form.as_str())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"pay\""), "{page}");
    let answer = http
        .post(form.as_str())
        .form(&[
            ("decision", "pay"),
            ("cardHolder", "Jane Doe"),
            ("cardNumber", "5555555555554444"),
            ("cvc", "321"),
            ("month", "1"),
            ("year", "31"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 303);
    let location = answer.headers()["location"].to_str().unwrap().to_owned();
    let data = location.rsplit('/').next().unwrap();
    let returned = verifier.verify_form_return(data, "req-form-1").unwrap();
    assert_eq!(returned.tokenization.request_id(), "req-form-1");
    assert_eq!(returned.card.brand.as_deref(), Some("MASTERCARD"));
    // Another tokenization's result replayed on this return is refused.
    let err = verifier.verify_form_return(data, "req-form-2").unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::SignatureInvalid { .. }),
        "{err:?}"
    );
    // A tampered result is refused.
    let mut bytes = data.as_bytes().to_vec();
    let last = bytes.len() - 5;
    bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
    assert!(
        verifier
            .verify_form_return(std::str::from_utf8(&bytes).unwrap(), "req-form-1")
            .is_err()
    );
    // The token charges.
    let charged = client
        .orders()
        .pay_with_token(&TokenPayment::new(
            usd("5"),
            "x",
            "order-form",
            returned.card.token.clone(),
        ))
        .await
        .unwrap();
    assert_eq!(charged.outcome(), PaymentOutcome::Paid);
    // /newCard carried the same signed result.
    let posted = merchant.take("/gp/newCard");
    assert!(matches!(
        verifier.verify(&HeaderMap::new(), &posted[0]).unwrap(),
        VerifiedEvent::Tokenization(_)
    ));
}
