//! Transport and server faults against a raw TCP fault server: the typed error and the exact
//! number of attempts the server saw. Every GreenPay write is unkeyed: never repeated.

mod common;

use common::{MERCHANT_ID, SECRET, TERMINAL, fast_config, hang_config};
use greenpay::subscriptions::{ListPayments, ListSubscriptions, ManualPayment, UpdateAmount};
use greenpay::{
    Client, Credentials, Currency, Error, ErrorKind, FailureKind, Money, StatusCode, SubscriptionId,
};
use payments_common::testing::{Fault, FaultServer, Reply};

fn client(server: &FaultServer) -> Client {
    Client::builder(Credentials::new(MERCHANT_ID, TERMINAL, SECRET))
        .base_url(server.base_url().as_str())
        .http_config(fast_config())
        .build()
        .unwrap()
}

fn pay() -> ManualPayment {
    ManualPayment::new(SubscriptionId::new("9541b344c3d45d421acd454d61251cde"))
}

fn assert_unknown(err: &Error, operation: &str) {
    match err.kind() {
        ErrorKind::OutcomeUnknown {
            operation: op,
            reconciliation,
            ..
        } => {
            assert_eq!(*op, operation);
            assert_eq!(
                reconciliation.merchant_reference.as_deref(),
                Some("9541b344c3d45d421acd454d61251cde")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn pay_reset_after_request_is_outcome_unknown_after_one_attempt() {
    let server = FaultServer::start(vec![Fault::ResetAfterRequest]).await;
    let err = client(&server)
        .subscriptions()
        .pay(&pay())
        .await
        .unwrap_err();
    assert_unknown(&err, "greenpay.subscriptions.pay");
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn pay_timeout_is_outcome_unknown_after_one_attempt() {
    let server = FaultServer::start(vec![Fault::Hang]).await;
    let client = Client::builder(Credentials::new(MERCHANT_ID, TERMINAL, SECRET))
        .base_url(server.base_url().as_str())
        .http_config(hang_config())
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.subscriptions().pay(&pay()).await.unwrap_err();
    // One attempt of 300 ms inside a 5 s deadline: returned well within deadline + 2 s.
    assert!(started.elapsed() < std::time::Duration::from_secs(7));
    assert_unknown(&err, "greenpay.subscriptions.pay");
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn pay_502_html_is_outcome_unknown_after_one_attempt() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::bad_gateway_html())]).await;
    let err = client(&server)
        .subscriptions()
        .pay(&pay())
        .await
        .unwrap_err();
    assert_unknown(&err, "greenpay.subscriptions.pay");
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn pay_truncated_body_is_outcome_unknown() {
    let server = FaultServer::start(vec![Fault::TruncatedBody]).await;
    let err = client(&server)
        .subscriptions()
        .pay(&pay())
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn update_reset_is_outcome_unknown() {
    let server = FaultServer::start(vec![Fault::ResetAfterRequest]).await;
    let request = UpdateAmount::new(
        SubscriptionId::new("9541b344c3d45d421acd454d61251cde"),
        "UserBot",
        Money::parse("10", Currency::USD).unwrap(),
    );
    let err = client(&server)
        .subscriptions()
        .update_amount(&request)
        .await
        .unwrap_err();
    assert_unknown(&err, "greenpay.subscriptions.update_amount");
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn pay_fail_envelope_with_500_is_a_definitive_api_error() {
    let body = r#"{"code":500,"status":"FAIL","result":[],"errors":["Subscription not found. Impossible to pay manually."]}"#;
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(500, body))]).await;
    let err = client(&server)
        .subscriptions()
        .pay(&pay())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Api {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.failure_kind(),
        Some(FailureKind::SubscriptionNotPayable)
    );
    // GreenPay's own final answer: never worth repeating, although it came with a 500.
    assert!(!err.is_retryable(), "{err:?}");
    assert!(!err.is_outcome_unknown());
    assert_eq!(err.operation(), "subscriptions.pay");
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn list_is_a_read_retried_on_502_then_http_502() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::bad_gateway_html())]).await;
    let err = client(&server)
        .subscriptions()
        .list(&ListSubscriptions::new(1, 10))
        .await
        .unwrap_err();
    match err.kind() {
        ErrorKind::Http {
            status, excerpt, ..
        } => {
            assert_eq!(*status, StatusCode::BAD_GATEWAY);
            assert!(excerpt.len() <= payments_common::MAX_EXCERPT_BYTES);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.attempts(), 3);
}

#[tokio::test]
async fn list_fail_envelope_with_500_is_final_and_not_asked_again() {
    let body = r#"{"code":500,"status":"FAIL","result":[],"errors":["Merchant doesn't exist."]}"#;
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(500, body))]).await;
    let err = client(&server)
        .subscriptions()
        .list(&ListSubscriptions::new(1, 10))
        .await
        .unwrap_err();
    assert_eq!(
        err.failure_kind(),
        Some(FailureKind::MerchantNotFound),
        "{err:?}"
    );
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn list_payments_recovers_after_a_reset() {
    let ok = r#"{"status":"SUCCESS","code":200,"result":{"entries":[],"page":1,"totalEntries":0,"totalPages":0},"errors":[]}"#;
    let server = FaultServer::start(vec![
        Fault::ResetAfterRequest,
        Fault::Respond(Reply::json(200, ok)),
    ])
    .await;
    let page = client(&server)
        .subscriptions()
        .list_payments(&ListPayments::new(
            SubscriptionId::new("9541b344c3d45d421acd454d61251cde"),
            1,
            10,
        ))
        .await
        .unwrap();
    assert!(page.entries.is_empty());
    assert_eq!(server.attempts(), 2);
}

#[tokio::test]
async fn oversized_answer_is_refused() {
    let server =
        FaultServer::start(vec![Fault::Respond(Reply::oversized_json(8 * 1024 * 1024))]).await;
    let err = client(&server)
        .subscriptions()
        .list(&ListSubscriptions::new(1, 10))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::ResponseTooLarge { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn connection_refused_is_connect_and_nothing_was_sent() {
    let url = FaultServer::refused_url("/").await;
    let client = Client::builder(Credentials::new(MERCHANT_ID, TERMINAL, SECRET))
        .base_url(url.as_str())
        .http_config(fast_config())
        .build()
        .unwrap();
    let err = client.subscriptions().pay(&pay()).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Connect { .. }), "{err:?}");
}

#[tokio::test]
async fn the_body_sent_carries_the_credentials() {
    let ok = r#"{"status":"SUCCESS","code":200,"result":{"entries":[]},"errors":[]}"#;
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(200, ok))]).await;
    client(&server)
        .subscriptions()
        .list(&ListSubscriptions::new(1, 10))
        .await
        .unwrap();
    let sent = &server.requests()[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/subscriptions/list");
    assert!(
        sent.header("authorization").is_none(),
        "GreenPay has no auth header"
    );
    let body: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(body["secret"], SECRET);
    assert_eq!(body["merchantId"], MERCHANT_ID);
    assert_eq!(body["terminal"], TERMINAL);
}
