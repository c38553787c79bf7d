//! GreenPay's failure kinds read from the FAIL envelope over httpmock on loopback, in the cases
//! the mutation run found unasserted: when several messages are present the more specific
//! "impossible to pay manually" is not overridden by a later "subscription not found"; both
//! documented spellings of the unknown merchant are recognised; and the definitive FAIL
//! envelope, even with HTTP 500, is one attempt and not retryable.

mod common;

use common::client;
use greenpay::subscriptions::ManualPayment;
use greenpay::{ErrorKind, FailureKind, SubscriptionId};
use httpmock::MockServer;

async fn pay_answered_with(status: u16, errors: &[&str]) -> (greenpay::Error, usize) {
    let server = MockServer::start_async().await;
    let body = serde_json::json!({"code": 500, "status": "FAIL", "result": [], "errors": errors})
        .to_string();
    let m = server
        .mock_async(|when, then| {
            when.method("POST").path("/subscriptions/pay");
            then.status(status)
                .header("content-type", "application/json")
                .body(body);
        })
        .await;
    let err = client(&server.base_url())
        .subscriptions()
        .pay(&ManualPayment::new(SubscriptionId::new(
            "9541b344c3d45d421acd454d61251cde",
        )))
        .await
        .unwrap_err();
    (err, m.calls_async().await)
}

#[tokio::test]
async fn not_payable_is_kept_when_a_later_message_says_not_found() {
    let (err, _) = pay_answered_with(
        200,
        &["Impossible to pay manually.", "Subscription not found."],
    )
    .await;
    assert_eq!(
        err.failure_kind(),
        Some(FailureKind::SubscriptionNotPayable)
    );
    let (err, _) = pay_answered_with(
        200,
        &["Subscription not found.", "Impossible to pay manually."],
    )
    .await;
    assert_eq!(
        err.failure_kind(),
        Some(FailureKind::SubscriptionNotPayable)
    );
    let (err, _) = pay_answered_with(200, &["Something else.", "Subscription not found."]).await;
    assert_eq!(err.failure_kind(), Some(FailureKind::SubscriptionNotFound));
}

#[tokio::test]
async fn both_spellings_of_the_unknown_merchant_are_recognised_in_any_position() {
    for errors in [
        &["Merchant does not exist."][..],
        &["Merchant doesn't exist."][..],
        &["Subscription not found.", "\"Merchant does not exist\""][..],
    ] {
        let (err, _) = pay_answered_with(200, errors).await;
        assert_eq!(
            err.failure_kind(),
            Some(FailureKind::MerchantNotFound),
            "{errors:?}"
        );
    }
    // A message that merely contains the words is not the documented answer.
    let (err, _) = pay_answered_with(200, &["The merchant does not exist yet, retry later"]).await;
    assert_eq!(err.failure_kind(), Some(FailureKind::Other));
}

#[tokio::test]
async fn the_fail_envelope_with_http_500_is_final_after_one_attempt() {
    let (err, calls) = pay_answered_with(500, &["Merchant doesn't exist."]).await;
    assert!(
        matches!(err.kind(), ErrorKind::Api { .. }),
        "{:?}",
        err.kind()
    );
    assert!(!err.is_retryable());
    assert_eq!(calls, 1);
    assert_eq!(err.failure_kind(), Some(FailureKind::MerchantNotFound));
}

#[tokio::test]
async fn a_non_greenpay_answer_has_no_failure_kind() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(404)
                .header("content-type", "text/html")
                .body("<html>not here</html>");
        })
        .await;
    let err = client(&server.base_url())
        .subscriptions()
        .pay(&ManualPayment::new(SubscriptionId::new(
            "9541b344c3d45d421acd454d61251cde",
        )))
        .await
        .unwrap_err();
    assert_eq!(err.failure_kind(), None);
}
