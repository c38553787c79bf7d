//! `Subscriptions::confirm`: a subscription is judged against the order it should pay (its
//! `callback_url`), the amount and its state; reads by id refuse an answer about another id.

#[macro_use]
mod common;

use common::client_at;
use httpmock::{Mock, MockServer};
use jatapay::{
    Currency, ErrorKind, ExpectedPayment, Money, PaymentOutcome, PaymentVerdict, StatusReading,
    SubscriptionId,
};
use payments_common::testing::FaultServer;
use serde_json::{Value, json};

const SUB_ID: &str = "65b279426d2f219d702a7f69";
const ORDER_42: &str = "https://shop.example/jatapay/return?order=42";
const ORDER_41: &str = "https://shop.example/jatapay/return?order=41";

fn eur(cents: i64) -> Money {
    Money::from_minor_units(cents, Currency::EUR)
}

fn order_42() -> ExpectedPayment {
    ExpectedPayment::new(ORDER_42, eur(2000))
}

/// The documented read-back with `changes` applied (a `null` removes a key).
fn subscription(changes: Value) -> String {
    let mut body: Value = fixture_json!("subscriptions.get.response.json");
    for (key, value) in changes.as_object().unwrap() {
        if value.is_null() {
            body.as_object_mut().unwrap().remove(key);
        } else {
            body[key] = value.clone();
        }
    }
    body.to_string()
}

async fn serve<'a>(server: &'a MockServer, body: String) -> Mock<'a> {
    let token = json!({ "token": "tok-1", "refresh_token": "r" }).to_string();
    server
        .mock_async(|when, then| {
            when.method("POST").path("/token");
            then.status(200)
                .header("content-type", "application/json")
                .body(token);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method("GET")
                .path(format!("/entity/subscriptions/{SUB_ID}"))
                .header("authorization", "Bearer tok-1");
            then.status(200)
                .header("content-type", "application/json")
                .body(body);
        })
        .await
}

async fn confirm(body: String, reading: StatusReading) -> jatapay::Result<PaymentVerdict> {
    let server = MockServer::start_async().await;
    let read = serve(&server, body).await;
    let verdict = client_at(&server.base_url())
        .subscriptions()
        .confirm(&SubscriptionId::new(SUB_ID), &order_42(), reading)
        .await;
    read.assert_calls_async(1).await;
    verdict
}

#[tokio::test]
async fn an_active_subscription_of_this_order_for_the_amount_is_paid_under_the_inferred_reading() {
    let body = subscription(json!({ "callback_url": ORDER_42, "stato": "attiva" }));
    let verdict = confirm(body, StatusReading::Inferred).await.unwrap();
    assert_eq!(verdict, PaymentVerdict::Paid);
}

#[tokio::test]
async fn under_the_documented_reading_nothing_is_paid() {
    let body = subscription(json!({ "callback_url": ORDER_42, "stato": "attiva" }));
    let verdict = confirm(body, StatusReading::Documented).await.unwrap();
    assert_eq!(
        verdict,
        PaymentVerdict::NotPaid {
            outcome: PaymentOutcome::Pending
        }
    );
}

#[tokio::test]
async fn a_started_subscription_of_this_order_is_not_paid() {
    let body = subscription(json!({ "callback_url": ORDER_42 }));
    let verdict = confirm(body, StatusReading::Inferred).await.unwrap();
    assert_eq!(
        verdict,
        PaymentVerdict::NotPaid {
            outcome: PaymentOutcome::Pending
        }
    );
}

#[tokio::test]
async fn a_paid_subscription_of_another_order_is_other_order() {
    let body = subscription(json!({ "callback_url": ORDER_41, "stato": "attiva" }));
    let verdict = confirm(body, StatusReading::Inferred).await.unwrap();
    assert_eq!(
        verdict,
        PaymentVerdict::OtherOrder {
            found: Some(ORDER_41.to_owned())
        }
    );
    assert!(!verdict.is_paid());
}

#[tokio::test]
async fn a_subscription_read_back_without_callback_url_is_not_confirmed_for_any_order() {
    let body = subscription(json!({ "callback_url": null, "stato": "attiva" }));
    let verdict = confirm(body, StatusReading::Inferred).await.unwrap();
    assert_eq!(verdict, PaymentVerdict::OtherOrder { found: None });
}

#[tokio::test]
async fn a_paid_subscription_of_this_order_for_another_amount_is_amount_mismatch() {
    let body = subscription(json!({
        "callback_url": ORDER_42, "stato": "attiva", "importo": 1999
    }));
    let verdict = confirm(body, StatusReading::Inferred).await.unwrap();
    assert_eq!(
        verdict,
        PaymentVerdict::AmountMismatch {
            expected: eur(2000),
            found: Some(eur(1999))
        }
    );
}

#[tokio::test]
async fn an_answer_about_another_subscription_is_a_decode_error() {
    let body = subscription(json!({
        "_id": "65b278baa103dca4496d968e", "callback_url": ORDER_42, "stato": "attiva"
    }));
    let err = confirm(body.clone(), StatusReading::Inferred)
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Decode { path, .. } if path == "_id"),
        "{err:?}"
    );

    let server = MockServer::start_async().await;
    let _read = serve(&server, body).await;
    let err = client_at(&server.base_url())
        .subscriptions()
        .get(&SubscriptionId::new(SUB_ID))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Decode { path, .. } if path == "_id"),
        "{err:?}"
    );
}

#[tokio::test]
async fn confirming_a_path_changing_id_sends_nothing() {
    let server = FaultServer::start(vec![]).await;
    let client = client_at(server.base_url().as_str());
    for bad in ["", ".", "..", "%2e%2e", "a/b"] {
        let err = client
            .subscriptions()
            .confirm(
                &SubscriptionId::new(bad),
                &order_42(),
                StatusReading::Inferred,
            )
            .await
            .unwrap_err();
        assert_eq!(err.invalid_field(), Some("id"), "{bad:?}");
    }
    assert_eq!(server.attempts(), 0);
}
