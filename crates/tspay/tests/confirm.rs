//! `Client::confirm_payment`: the charges of an order read from TS Pay (httpmock) and judged
//! against the order the merchant expects them to pay.

use std::time::Duration;

use httpmock::MockServer;
use tspay::{
    Client, Credentials, Currency, ErrorKind, ExpectedPayment, HttpConfig, Money, OrderKey,
    PaymentOutcome, PaymentVerdict,
};

fn eur(minor: i64) -> Money {
    Money::from_minor_units(minor, Currency::EUR)
}

fn client(server: &MockServer) -> Client {
    Client::builder(Credentials::new("confirm-api-key"))
        .base_url(server.base_url())
        .http_config(HttpConfig::default().attempt_timeout(Duration::from_secs(10)))
        .build()
        .unwrap()
}

/// Serves `body` as the charges of `key` (and only of `key`).
async fn serve<'a>(server: &'a MockServer, key: &str, body: &str) -> httpmock::Mock<'a> {
    let path = format!("/charges/orders/{key}");
    let body = body.to_owned();
    server
        .mock_async(|when, then| {
            when.method("GET")
                .path(path)
                .header("authorization", "Bearer confirm-api-key");
            then.status(200)
                .header("content-type", "application/json")
                .body(body);
        })
        .await
}

const PAID_42: &str = r#"[{"chargeKey":"ch_1","orderKey":"ok_42","amount":"1450","currency":"EUR","state":"active"}]"#;

#[tokio::test]
async fn the_paid_charges_of_the_expected_order_and_amount_are_paid() {
    let server = MockServer::start_async().await;
    let mock = serve(&server, "ok_42", PAID_42).await;
    let verdict = client(&server)
        .confirm_payment(
            &OrderKey::new("ok_42"),
            &ExpectedPayment::new("ok_42", eur(1450)),
        )
        .await
        .unwrap();
    assert_eq!(verdict, PaymentVerdict::Paid);
    assert!(verdict.is_paid());
    mock.assert_async().await;
}

/// The forged return: order 44's return presents order 42's genuinely paid key. The read is
/// real and paid — but for another order.
#[tokio::test]
async fn a_paid_key_of_another_order_is_other_order() {
    let server = MockServer::start_async().await;
    let mock = serve(&server, "ok_42", PAID_42).await;
    let verdict = client(&server)
        .confirm_payment(
            &OrderKey::new("ok_42"),
            &ExpectedPayment::new("ok_44", eur(1450)),
        )
        .await
        .unwrap();
    assert_eq!(
        verdict,
        PaymentVerdict::OtherOrder {
            found: Some("ok_42".into())
        }
    );
    assert!(!verdict.is_paid());
    mock.assert_async().await;
}

#[tokio::test]
async fn a_paid_charge_for_another_amount_is_an_amount_mismatch() {
    let server = MockServer::start_async().await;
    serve(
        &server,
        "ok_42",
        r#"[{"orderKey":"ok_42","amount":"1","currency":"EUR","state":"active"}]"#,
    )
    .await;
    let verdict = client(&server)
        .confirm_payment(
            &OrderKey::new("ok_42"),
            &ExpectedPayment::new("ok_42", eur(1450)),
        )
        .await
        .unwrap();
    assert_eq!(
        verdict,
        PaymentVerdict::AmountMismatch {
            expected: eur(1450),
            found: Some(eur(1))
        }
    );
}

#[tokio::test]
async fn an_order_without_a_collected_charge_is_not_paid() {
    for (body, outcome) in [
        ("[]", PaymentOutcome::Pending),
        (
            r#"[{"orderKey":"ok_42","amount":"1450","state":"failed"}]"#,
            PaymentOutcome::Failed,
        ),
        (
            r#"[{"orderKey":"ok_42","amount":"1450","state":"refunded"}]"#,
            PaymentOutcome::Refunded,
        ),
        (
            r#"[{"orderKey":"ok_42","amount":"1450","state":"pending"}]"#,
            PaymentOutcome::Pending,
        ),
    ] {
        let server = MockServer::start_async().await;
        serve(&server, "ok_42", body).await;
        let verdict = client(&server)
            .confirm_payment(
                &OrderKey::new("ok_42"),
                &ExpectedPayment::new("ok_42", eur(1450)),
            )
            .await
            .unwrap();
        assert_eq!(verdict, PaymentVerdict::NotPaid { outcome }, "{body}");
    }
}

/// An answer for the key asked for that carries another order's charge is not judged at all.
#[tokio::test]
async fn an_answer_about_another_order_is_a_decode_error_not_a_verdict() {
    let server = MockServer::start_async().await;
    serve(&server, "ok_44", PAID_42).await;
    let err = client(&server)
        .confirm_payment(
            &OrderKey::new("ok_44"),
            &ExpectedPayment::new("ok_44", eur(1450)),
        )
        .await
        .unwrap_err()
        .into_kind();
    assert!(
        matches!(&err, ErrorKind::Decode { path, .. } if path == "[0].orderKey"),
        "{err:?}"
    );
}

/// Errors of the read are errors, not verdicts: an unknown order is `NotFound`.
#[tokio::test]
async fn an_unknown_order_is_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(404)
                .header("content-type", "application/json")
                .body(r#"{"statusCode":404,"message":"Order not found"}"#);
        })
        .await;
    let err = client(&server)
        .confirm_payment(
            &OrderKey::new("ok_9"),
            &ExpectedPayment::new("ok_9", eur(1450)),
        )
        .await
        .unwrap_err()
        .into_kind();
    assert!(matches!(err, ErrorKind::NotFound { .. }), "{err:?}");
}
