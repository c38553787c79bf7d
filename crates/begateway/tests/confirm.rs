//! `Transactions::confirm`: a payment is confirmed **for a given order** — each verdict from a
//! transaction read answered by httpmock, and the input refused before anything is sent.

mod common;

use begateway::{
    Currency, ErrorKind, ExpectedPayment, Money, PaymentOutcome, PaymentVerdict, TransactionUid,
    currency,
};
use common::client;
use httpmock::MockServer;
use serde_json::json;

const UID: &str = "1-310b0da80b";

fn usd(text: &str) -> Money {
    Money::parse(text, Currency::USD).unwrap()
}

/// A successful live payment of order 42, 9.90 USD, with fields replaced by `patch`.
fn transaction(patch: serde_json::Value) -> String {
    let mut t = json!({
        "uid": UID,
        "status": "successful",
        "message": "Successfully processed",
        "amount": 990,
        "currency": "USD",
        "description": "Order 42",
        "type": "payment",
        "payment_method_type": "credit_card",
        "tracking_id": "order-42",
        "test": false,
    });
    for (k, v) in patch.as_object().unwrap() {
        if v.is_null() {
            t.as_object_mut().unwrap().remove(k);
        } else {
            t[k] = v.clone();
        }
    }
    json!({ "transaction": t }).to_string()
}

/// The verdict `confirm` gives for `expected` when beGateway answers `body`.
async fn verdict(body: String, expected: &ExpectedPayment) -> PaymentVerdict {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET").path(format!("/transactions/{UID}"));
            then.status(200)
                .header("content-type", "application/json")
                .body(body);
        })
        .await;
    let v = client(&server.base_url())
        .transactions()
        .confirm(&TransactionUid::new(UID), expected)
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    v
}

#[tokio::test]
async fn the_paid_payment_of_the_order_is_paid() {
    let expected = ExpectedPayment::new("order-42", usd("9.90"));
    assert_eq!(
        verdict(transaction(json!({})), &expected).await,
        PaymentVerdict::Paid
    );
}

#[tokio::test]
async fn a_paid_uid_of_another_order_is_other_order() {
    // The issue's replay: order 42's genuine paid uid presented on order 44's return.
    let expected = ExpectedPayment::new("order-44", usd("9.90"));
    assert_eq!(
        verdict(transaction(json!({})), &expected).await,
        PaymentVerdict::OtherOrder {
            found: Some("order-42".into())
        }
    );
}

#[tokio::test]
async fn a_payment_without_tracking_id_is_other_order() {
    let expected = ExpectedPayment::new("order-42", usd("9.90"));
    assert_eq!(
        verdict(transaction(json!({"tracking_id": null})), &expected).await,
        PaymentVerdict::OtherOrder { found: None }
    );
}

#[tokio::test]
async fn the_reference_is_compared_whole_and_exactly() {
    // tracking_id may hold several values separated by ';' at beGateway; confirm does not
    // split it: only the whole value is the order's reference.
    for stored in ["order-42;order-44", "ORDER-42", "order-42 ", "order-4"] {
        let expected = ExpectedPayment::new("order-42", usd("9.90"));
        assert!(
            matches!(
                verdict(transaction(json!({"tracking_id": stored})), &expected).await,
                PaymentVerdict::OtherOrder { .. }
            ),
            "{stored:?}"
        );
    }
}

#[tokio::test]
async fn a_test_payment_for_a_live_order_is_mode_mismatch() {
    let expected = ExpectedPayment::new("order-42", usd("9.90"));
    assert_eq!(
        verdict(transaction(json!({"test": true})), &expected).await,
        PaymentVerdict::ModeMismatch {
            expected_test: false
        }
    );
    let expected = expected.test(true);
    assert_eq!(
        verdict(transaction(json!({})), &expected).await,
        PaymentVerdict::ModeMismatch {
            expected_test: true
        }
    );
}

#[tokio::test]
async fn another_currency_is_currency_mismatch() {
    let expected = ExpectedPayment::new("order-42", usd("9.90"));
    assert_eq!(
        verdict(transaction(json!({"currency": "EUR"})), &expected).await,
        PaymentVerdict::CurrencyMismatch {
            expected: usd("9.90"),
            found: Money::parse("9.90", Currency::EUR).unwrap()
        }
    );
}

#[tokio::test]
async fn another_or_no_amount_is_amount_mismatch() {
    let expected = ExpectedPayment::new("order-42", usd("9.90"));
    assert_eq!(
        verdict(transaction(json!({"amount": 1})), &expected).await,
        PaymentVerdict::AmountMismatch {
            expected: usd("9.90"),
            found: Some(usd("0.01"))
        }
    );
    assert_eq!(
        verdict(transaction(json!({"amount": null})), &expected).await,
        PaymentVerdict::AmountMismatch {
            expected: usd("9.90"),
            found: None
        }
    );
}

#[tokio::test]
async fn a_failed_authorized_or_refunded_transaction_is_not_paid() {
    let expected = ExpectedPayment::new("order-42", usd("9.90"));
    for (patch, outcome) in [
        (json!({"status": "failed"}), PaymentOutcome::Failed),
        (json!({"status": "incomplete"}), PaymentOutcome::Pending),
        (json!({"type": "authorization"}), PaymentOutcome::Pending),
        (json!({"type": "refund"}), PaymentOutcome::Refunded),
    ] {
        assert_eq!(
            verdict(transaction(patch.clone()), &expected).await,
            PaymentVerdict::NotPaid { outcome },
            "{patch}"
        );
    }
}

#[tokio::test]
async fn amounts_are_compared_at_iso_scale() {
    // IDR: beGateway's wire integer counts whole rupiah (exponent 0), ISO has 2 decimals.
    let idr = Money::parse("15000", Currency::IDR).unwrap();
    let body = transaction(json!({"amount": 15000, "currency": "IDR"}));
    let expected = ExpectedPayment::new("order-42", idr);
    assert_eq!(verdict(body.clone(), &expected).await, PaymentVerdict::Paid);
    // The same amount built with beGateway's exponent is rescaled, not misread.
    let bg_scale = Money::parse("15000", currency::currency(Currency::IDR).unwrap()).unwrap();
    let expected = ExpectedPayment::new("order-42", bg_scale);
    assert_eq!(verdict(body, &expected).await, PaymentVerdict::Paid);
    // MOP: 1 decimal at beGateway, 2 in ISO.
    let body = transaction(json!({"amount": 125, "currency": "MOP"}));
    let expected = ExpectedPayment::new("order-42", Money::parse("12.50", Currency::MOP).unwrap());
    assert_eq!(verdict(body, &expected).await, PaymentVerdict::Paid);
}

#[tokio::test]
async fn bad_expectations_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let catch_all = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(500);
        })
        .await;
    let c = client(&server.base_url());
    let uid = TransactionUid::new(UID);
    let field = |r: Result<PaymentVerdict, begateway::Error>| match r
        .map_err(begateway::Error::into_kind)
    {
        Err(ErrorKind::InvalidRequest { field, .. }) => field,
        other => panic!("expected InvalidRequest, got {other:?}"),
    };
    let empty = ExpectedPayment::new("", usd("9.90"));
    assert_eq!(
        field(c.transactions().confirm(&uid, &empty).await),
        "tracking_id"
    );
    // UGX has 2 decimals at beGateway but none in ISO: 7.50 has no ISO-scale form.
    let ugx = Money::parse("7.50", currency::currency(Currency::UGX).unwrap()).unwrap();
    let odd = ExpectedPayment::new("order-42", ugx);
    assert_eq!(field(c.transactions().confirm(&uid, &odd).await), "amount");
    catch_all.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_transaction_that_is_not_found_is_an_error_not_a_verdict() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path(format!("/transactions/{UID}"));
            then.status(404)
                .header("content-type", "application/json")
                .body(r#"{"message":"Record not found"}"#);
        })
        .await;
    let err = client(&server.base_url())
        .transactions()
        .confirm(
            &TransactionUid::new(UID),
            &ExpectedPayment::new("order-42", usd("9.90")),
        )
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::NotFound { .. }), "{err:?}");
}
