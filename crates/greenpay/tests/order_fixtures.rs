//! The payment-order, tokenization and token-payment fixtures (issue 16): each answer decodes
//! into its typed model, each request serializes to the body sent, and the verified checkout
//! and tokenization events carry what the signature proves (all snapshotted).
#![cfg(all(feature = "test-util", feature = "tokenization"))]

mod common;

use common::{MERCHANT_ID, SECRET, TERMINAL, fixture, fixture_json, with_credentials};
use greenpay::cards::{TokenizationOrder, TokenizedCard};
use greenpay::orders::{CreateOrder, OrderSession, TokenPayment, TokenPaymentResult};
use greenpay::test_util::TestSigner;
use greenpay::webhook::parse_checkout;
use greenpay::{CardToken, Currency, HeaderMap, Money, PaymentOutcome, VerifiedEvent};

fn usd(text: &str) -> Money {
    Money::parse(text, Currency::USD).unwrap()
}

// ----- requests -----

#[test]
fn create_order_request_matches_the_fixture() {
    let request = CreateOrder::new(usd("14.50"), "Parking ticket", "order-1001")
        .callback("https://shop.example/greenpay/return")
        .build()
        .unwrap();
    let body = serde_json::to_value(&request).unwrap();
    assert_eq!(
        with_credentials(body.clone(), MERCHANT_ID, SECRET, Some(TERMINAL)),
        fixture_json("orders.create.request.json")
    );
    assert!(!body.to_string().contains(SECRET));
    insta::assert_json_snapshot!("orders.create.request", body);
}

#[test]
fn tokenization_session_request_body() {
    let request = TokenizationOrder::new("xwr-123455")
        .callback("https://shop.example/cards/return")
        .build()
        .unwrap();
    let body = serde_json::to_value(&request).unwrap();
    assert_eq!(body["requestId"], "xwr-123455");
    insta::assert_json_snapshot!("cards.session.request", body);
}

#[test]
fn token_payment_request_body() {
    let request = TokenPayment::new(
        Money::parse("100", Currency::CRC).unwrap(),
        "Test sale",
        "order-7",
        CardToken::new("f4a3e2d1-c0b9-4a87-9654-3210fedcba98"),
    )
    .build()
    .unwrap();
    let body = serde_json::to_value(&request).unwrap();
    assert_eq!(body["orderReference"], "order-7");
    assert_eq!(body["token"], "f4a3e2d1-c0b9-4a87-9654-3210fedcba98");
    insta::assert_json_snapshot!("orders.pay_with_token.request", body);
}

// ----- responses -----

#[test]
fn order_session_of_the_merchant_host() {
    let session: OrderSession =
        serde_json::from_str(&fixture("orders.create.response.json")).unwrap();
    let raw = fixture_json("orders.create.response.json");
    assert_eq!(session.session, raw["session"]);
    assert_eq!(session.token.expose(), raw["token"]);
    let shown = format!("{session:#?}");
    assert!(!shown.contains(raw["token"].as_str().unwrap()), "{shown}");
    insta::assert_debug_snapshot!("orders.create.response", session);
}

#[test]
fn order_session_of_checkout_v2() {
    let session: OrderSession =
        serde_json::from_str(&fixture("orders.create_v2.response.json")).unwrap();
    assert_eq!(session.status_code, Some(200));
    assert_eq!(session.message.as_deref(), Some("Order created"));
    assert!(!format!("{session:?}").contains("8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a39"));
    insta::assert_debug_snapshot!("orders.create_v2.response", session);
}

#[test]
fn tokenization_session() {
    let session: OrderSession =
        serde_json::from_str(&fixture("cards.session.response.json")).unwrap();
    assert_eq!(session.session, "7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a");
    assert_eq!(session.status_code, None);
    insta::assert_debug_snapshot!("cards.session.response", session);
}

#[test]
fn tokenization_answer() {
    let card: TokenizedCard =
        serde_json::from_str(&fixture("cards.tokenize.response.json")).unwrap();
    assert_eq!(card.token.as_str(), "f4a3e2d1-c0b9-4a87-9654-3210fedcba98");
    assert_eq!(card.last_digits.as_deref(), Some("4242"));
    assert_eq!(card.expiration_date.as_deref(), Some("3012"));
    assert_eq!(card.request_id.as_deref(), Some("xwr-123455"));
    assert_eq!(card.status, Some(200));
    insta::assert_debug_snapshot!("cards.tokenize.response", card);
}

#[test]
fn token_payment_answer() {
    let paid: TokenPaymentResult =
        serde_json::from_str(&fixture("orders.pay_with_token.response.json")).unwrap();
    assert_eq!(paid.outcome(), PaymentOutcome::Paid);
    assert_eq!(paid.order_id.as_deref(), Some("order-7"));
    assert_eq!(paid.authorization.as_deref(), Some("533735"));
    assert_eq!(paid.success, Some(true));
    insta::assert_debug_snapshot!("orders.pay_with_token.response", paid);
}

// ----- verified events -----

/// The fixture with its placeholder `_signature` replaced by the test key's signature over
/// `fields`.
fn resigned(name: &str, signer: &TestSigner, fields: &[(&str, String)]) -> Vec<u8> {
    let mut body = fixture_json(name);
    body["_signature"] = serde_json::Value::String(signer.sign(fields));
    body.to_string().into_bytes()
}

#[test]
fn verified_checkout_event() {
    let signer = TestSigner::new();
    let parsed = parse_checkout(fixture("webhooks.checkout.notification.json").as_bytes()).unwrap();
    let fields = parsed.signed_fields();
    let body = resigned("webhooks.checkout.notification.json", &signer, &fields);
    let event = signer.verifier().verify(&HeaderMap::new(), &body).unwrap();
    assert!(matches!(event, VerifiedEvent::Checkout(_)), "{event:?}");
    // The placeholder signature of the fixture itself is refused.
    let forged = fixture("webhooks.checkout.notification.json");
    assert!(
        signer
            .verifier()
            .verify(&HeaderMap::new(), forged.as_bytes())
            .is_err()
    );
    insta::assert_debug_snapshot!("webhooks.checkout.verified", event);
}

#[test]
fn verified_tokenization_event() {
    let signer = TestSigner::new();
    let fields = [
        ("status", "200".to_owned()),
        ("requestId", "xwr-123455".to_owned()),
    ];
    let body = resigned("cards.tokenize.response.json", &signer, &fields);
    let event = signer.verifier().verify(&HeaderMap::new(), &body).unwrap();
    let VerifiedEvent::Tokenization(tokenized) = &event else {
        panic!("not a tokenization: {event:?}");
    };
    assert_eq!(tokenized.request_id(), "xwr-123455");
    assert_eq!(tokenized.status(), Some(200));
    // Any other requestId under the same signature is refused.
    let mut other = fixture_json("cards.tokenize.response.json");
    other["_signature"] = serde_json::Value::String(signer.sign(&fields));
    other["requestId"] = "xwr-999999".into();
    assert!(
        signer
            .verifier()
            .verify(&HeaderMap::new(), other.to_string().as_bytes())
            .is_err()
    );
    insta::assert_debug_snapshot!("webhooks.tokenization.verified", event);
}
