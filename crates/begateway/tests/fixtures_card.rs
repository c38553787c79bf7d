//! The documented answers of the card, checkout-query and card-token calls
//! (fixtures/begateway/card.*.json, checkouts.get.response.json, card_tokens.create.response.json;
//! provenance in fixtures/begateway/README.md), each served over loopback and decoded through
//! the client's own call, with an insta snapshot of the typed result.

mod common;

use begateway::{
    CheckoutToken, CreateCardToken, Currency, ExposeSecret, FollowUp, Money, PaymentOutcome,
    PaymentSource, SecretString, TransactionStatus, TransactionUid,
};
use common::{client_with_checkout, fixture};
use httpmock::MockServer;

async fn serving(method: &'static str, path: &'static str, file: &'static str) -> MockServer {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(method).path(path);
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture(file));
        })
        .await;
    server
}

fn charge() -> begateway::ChargeRequest {
    begateway::ChargeRequest::new(
        Money::from_minor_units(100, Currency::USD),
        "Test order",
        "your_uniq_number",
        PaymentSource::Token(SecretString::from("tok")),
    )
}

#[tokio::test]
async fn the_documented_payment_answer_decodes() {
    let server = serving(
        "POST",
        "/transactions/payments",
        "card.payment.response.json",
    )
    .await;
    let t = client_with_checkout(&server.base_url())
        .card_transactions()
        .payment(&charge())
        .await
        .unwrap();
    assert_eq!(t.uid.as_str(), "4107-310b0da80b");
    assert_eq!(t.status, TransactionStatus::Successful);
    assert_eq!(t.outcome(), PaymentOutcome::Paid);
    assert_eq!(t.amount, Some(Money::from_minor_units(100, Currency::USD)));
    assert!(
        !format!("{t:?}").contains("40bd001563085fc3"),
        "the card token is not kept"
    );
    insta::assert_debug_snapshot!("card.payment.response", t);
}

#[tokio::test]
async fn the_documented_authorization_answer_decodes() {
    let server = serving(
        "POST",
        "/transactions/authorizations",
        "card.authorization.response.json",
    )
    .await;
    let t = client_with_checkout(&server.base_url())
        .card_transactions()
        .authorization(&charge())
        .await
        .unwrap();
    assert_eq!(t.status, TransactionStatus::Successful);
    insta::assert_debug_snapshot!("card.authorization.response", t);
}

#[tokio::test]
async fn the_documented_refund_answer_decodes() {
    let server = serving("POST", "/transactions/refunds", "card.refund.response.json").await;
    let t = client_with_checkout(&server.base_url())
        .card_transactions()
        .refund(
            &FollowUp::new(
                TransactionUid::new("4107-310b0da80b"),
                Money::from_minor_units(100, Currency::USD),
            )
            .reason("client request"),
        )
        .await
        .unwrap();
    assert_eq!(t.outcome(), PaymentOutcome::Refunded);
    insta::assert_debug_snapshot!("card.refund.response", t);
}

#[tokio::test]
async fn the_documented_checkout_query_decodes() {
    const TOKEN: &str = "3241e439f8c87d941d92621a4bdc030d4c9a69c67f3b0cfe12de4a13cc34aa51";
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET")
                .path(format!("/ctp/api/checkouts/{TOKEN}"));
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture("checkouts.get.response.json"));
        })
        .await;
    let state = client_with_checkout(&server.base_url())
        .checkouts()
        .get(&CheckoutToken::new(TOKEN))
        .await
        .unwrap();
    assert!(state.finished);
    assert_eq!(
        state.transaction_uid().map(|u| u.as_str().to_owned()),
        Some("1891-5fcb2bda3b".to_owned())
    );
    insta::assert_debug_snapshot!("checkouts.get.response", state);
}

#[tokio::test]
async fn the_documented_card_token_answer_decodes() {
    let server = serving("POST", "/credit_cards", "card_tokens.create.response.json").await;
    let card = client_with_checkout(&server.base_url())
        .card_tokens()
        .create(&CreateCardToken::new(
            "4200000000000000",
            "John Doe",
            1,
            2030,
        ))
        .await
        .unwrap();
    assert_eq!(
        card.token.expose_secret(),
        "7ba647e7013b5cb9df39f17c375783aef81bc8c20f221b962becbd0686cc33af"
    );
    assert_eq!((card.exp_month, card.exp_year), (Some(1), Some(2020)));
    insta::assert_debug_snapshot!("card_tokens.create.response", card);
}
