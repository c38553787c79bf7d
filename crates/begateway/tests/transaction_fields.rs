//! A beGateway transaction as a user reads it: what its status and type mean, the amount at
//! ISO scale, the informative fields read leniently (a timestamp that is not one is `None`, a
//! gateway id written as a number is text), the wire shape written back, and the queries by
//! uid and by tracking id over httpmock on loopback.

mod common;

use begateway::{
    Currency, Money, PaymentOutcome, ProductId, Transaction, TransactionStatus, TransactionUid,
};
use common::{client, transaction_body};
use httpmock::MockServer;
use serde_json::json;

fn transaction(value: serde_json::Value) -> Transaction {
    serde_json::from_value(value).unwrap()
}

#[test]
fn the_status_alone_reads_as_paid_failed_or_pending() {
    assert_eq!(
        TransactionStatus::Successful.outcome(),
        PaymentOutcome::Paid
    );
    for failed in ["failed", "expired", "error", "deleted"] {
        assert_eq!(
            TransactionStatus::from(failed).outcome(),
            PaymentOutcome::Failed,
            "{failed}"
        );
    }
    for pending in ["pending", "incomplete", "on_review", "permanent_declined?"] {
        assert_eq!(
            TransactionStatus::from(pending).outcome(),
            PaymentOutcome::Pending,
            "{pending}"
        );
    }
    // With no type, a successful transaction is a payment.
    let t = transaction(json!({"uid": "1-a", "status": "successful"}));
    assert_eq!(t.outcome(), PaymentOutcome::Paid);
    let t = transaction(json!({"uid": "1-a", "status": "failed", "type": "refund"}));
    assert_eq!(t.outcome(), PaymentOutcome::Failed);
}

#[test]
fn the_amount_is_iso_scale_money_and_the_wire_integer_stays_readable() {
    let t = transaction(
        json!({"uid": "1-a", "status": "successful", "amount": 15000, "currency": "IDR"}),
    );
    assert_eq!(
        t.amount,
        Some(Money::parse("15000", Currency::IDR).unwrap())
    );
    assert_eq!(t.amount_minor_wire, Some(15000));
    // Without a currency there is no money, only the wire integer.
    let t = transaction(json!({"uid": "1-a", "status": "successful", "amount": "990"}));
    assert_eq!(t.amount, None);
    assert_eq!(t.amount_minor_wire, Some(990));
}

#[test]
fn informative_fields_are_read_leniently() {
    let t = transaction(json!({
        "uid": "1-a", "status": "successful",
        "created_at": "2024-01-25T15:07:46Z",
        "updated_at": "2020-11-20T10: 42: 28.786Z",
        "payment": {"gateway_id": 317, "status": "successful"},
        "authorization": {"gateway_id": "gw-9"},
        "capture": {"gateway_id": 18446744073709551615u64},
        "refund": {"gateway_id": -4},
    }));
    let created = t.created_at.unwrap();
    assert_eq!(
        (created.year(), created.hour(), created.second()),
        (2024, 15, 46)
    );
    assert_eq!(
        t.updated_at, None,
        "an unreadable timestamp is no timestamp"
    );
    assert_eq!(t.payment.unwrap().gateway_id.as_deref(), Some("317"));
    assert_eq!(t.authorization.unwrap().gateway_id.as_deref(), Some("gw-9"));
    assert_eq!(
        t.capture.unwrap().gateway_id.as_deref(),
        Some("18446744073709551615")
    );
    assert_eq!(t.refund.unwrap().gateway_id.as_deref(), Some("-4"));
    let t = transaction(json!({"uid": "1-a", "status": "successful", "created_at": 1706195266}));
    assert_eq!(t.created_at, None);
}

#[test]
fn the_product_is_read_from_additional_data_when_sent() {
    let t = transaction(json!({"uid": "1-a", "status": "successful",
        "additional_data": {"product_id": "prd_1"}}));
    assert_eq!(t.product_id(), Some(ProductId::new("prd_1")));
    for data in [
        json!({}),
        json!({"product_id": 5}),
        json!({"other": "prd_1"}),
    ] {
        let t = transaction(json!({"uid": "1-a", "status": "successful", "additional_data": data}));
        assert_eq!(t.product_id(), None, "{data}");
    }
    assert_eq!(
        transaction(json!({"uid": "1-a", "status": "x"})).product_id(),
        None
    );
}

#[test]
fn serializing_writes_the_wire_shape_back() {
    let body: serde_json::Value =
        serde_json::from_str(&transaction_body("1-310b0da80b", "successful")).unwrap();
    let t = transaction(body["transaction"].clone());
    let written = serde_json::to_value(&t).unwrap();
    assert_eq!(written["uid"], "1-310b0da80b");
    assert_eq!(written["status"], "successful");
    assert_eq!(written["amount"], 990);
    assert_eq!(written["currency"], "USD");
    assert_eq!(written["tracking_id"], "order-42");
    assert_eq!(written["type"], "payment");
    // Read back, it is the same transaction.
    assert_eq!(transaction(written), t);
}

#[cfg(feature = "test-util")]
#[test]
fn a_transaction_for_tests_carries_a_consistent_amount() {
    let mut t = Transaction::for_tests("1-a", TransactionStatus::Successful);
    assert_eq!(t.uid, TransactionUid::new("1-a"));
    assert_eq!(t.outcome(), PaymentOutcome::Paid);
    assert!(t.test);
    t.set_amount(Money::parse("15000", Currency::IDR).unwrap());
    assert_eq!(
        t.amount,
        Some(Money::parse("15000", Currency::IDR).unwrap())
    );
    assert_eq!(t.currency, Some(Currency::IDR));
    assert_eq!(t.amount_minor_wire, Some(15000));
}

#[tokio::test]
async fn a_tracking_id_query_returns_every_transaction_in_either_shape() {
    let server = MockServer::start_async().await;
    let one: serde_json::Value =
        serde_json::from_str(&transaction_body("1-a", "successful")).unwrap();
    let many = json!({"transactions": [one["transaction"].clone(), one["transaction"].clone()],
        "transaction": one["transaction"].clone()});
    server
        .mock_async(|when, then| {
            when.method("GET").path("/transactions/tracking_id/order-1");
            then.status(200)
                .header("content-type", "application/json")
                .body(one.to_string());
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/transactions/tracking_id/order-3");
            then.status(200)
                .header("content-type", "application/json")
                .body(many.to_string());
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/transactions/tracking_id/order-0");
            then.status(200)
                .header("content-type", "application/json")
                .body("{}");
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/transactions/tracking_id/order-x");
            then.status(401)
                .header("content-type", "application/json")
                .body(r#"{"message":"Unauthorized"}"#);
        })
        .await;
    let c = client(&server.base_url());
    let t = c.transactions();
    assert_eq!(t.by_tracking_id("order-1").await.unwrap().len(), 1);
    let all = t.by_tracking_id("order-3").await.unwrap();
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(|x| x.uid == TransactionUid::new("1-a")));
    assert!(t.by_tracking_id("order-0").await.unwrap().is_empty());
    let err = t.by_tracking_id("order-x").await.unwrap_err();
    assert_eq!(err.operation(), "transactions.by_tracking_id");
    assert!(matches!(
        err.kind(),
        begateway::ErrorKind::Unauthorized { .. }
    ));
}

#[tokio::test]
async fn a_query_answered_about_another_transaction_is_refused() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/transactions/1-asked");
            then.status(200)
                .header("content-type", "application/json")
                .body(transaction_body("1-other", "successful"));
        })
        .await;
    let err = client(&server.base_url())
        .transactions()
        .get(&TransactionUid::new("1-asked"))
        .await
        .unwrap_err();
    assert_eq!(err.operation(), "transactions.get");
    match err.kind() {
        begateway::ErrorKind::Decode { path, .. } => assert_eq!(path, "transaction.uid"),
        other => panic!("{other:?}"),
    }
}
