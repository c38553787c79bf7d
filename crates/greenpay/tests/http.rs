//! Every operation against httpmock: exact method, path, content type and JSON body
//! (credentials inside the body, `terminal` only where the endpoint takes it), and each
//! documented success and failure shape.

mod common;

use common::{client, fixture, fixture_json};
use greenpay::subscriptions::{
    Cadence, CancelSubscription, CreateSubscription, InitialPayment, ListPayments,
    ListSubscriptions, ManualPayment, Plan, SubscriptionFilters, SubscriptionStatus, UpdateAmount,
    UpdateCardToken,
};
use greenpay::{Currency, ErrorKind, FailureKind, Money, PaymentOutcome, SubscriptionId};
use httpmock::MockServer;

fn usd(text: &str) -> Money {
    Money::parse(text, Currency::USD).unwrap()
}

fn sub_id() -> SubscriptionId {
    SubscriptionId::new("9541b344c3d45d421acd454d61251cde")
}

/// Serves `response` (status, body) at POST `path` when the body is exactly `body`.
async fn serve<'a>(
    server: &'a MockServer,
    path: &str,
    body: serde_json::Value,
    status: u16,
    response: String,
) -> httpmock::Mock<'a> {
    let path = path.to_owned();
    server
        .mock_async(move |when, then| {
            when.method("POST")
                .path(path)
                .header("content-type", "application/json")
                .json_body(body);
            then.status(status)
                .header("content-type", "application/json")
                .body(response);
        })
        .await
}

#[tokio::test]
async fn pay_sends_the_documented_body_without_terminal() {
    let server = MockServer::start_async().await;
    let m = serve(
        &server,
        "/subscriptions/pay",
        fixture_json("subscriptions.pay.request.unirest.json"),
        200,
        fixture("subscriptions.pay.response.approved.json"),
    )
    .await;
    let paid = client(&server.base_url())
        .subscriptions()
        .pay(&ManualPayment::new(SubscriptionId::new(
            "b69cd5773eac06bf25a702bac02e8079",
        )))
        .await
        .unwrap();
    m.assert_async().await;
    assert_eq!(paid.outcome(), PaymentOutcome::Paid);
    assert_eq!(paid.order.amount, usd("100"));
    assert_eq!(paid.order.authorization.as_deref(), Some("533735"));
}

#[tokio::test]
async fn pay_failures_are_api_errors_whatever_the_http_status() {
    for (status, name, kind) in [
        (
            200,
            "subscriptions.pay.response.merchant-not-found.json",
            FailureKind::MerchantNotFound,
        ),
        (
            500,
            "subscriptions.pay.response.merchant-not-found.json",
            FailureKind::MerchantNotFound,
        ),
        (
            200,
            "subscriptions.pay.response.not-payable.json",
            FailureKind::SubscriptionNotPayable,
        ),
        (
            500,
            "subscriptions.pay.response.not-payable.json",
            FailureKind::SubscriptionNotPayable,
        ),
        (
            400,
            "subscriptions.pay.response.not-payable.json",
            FailureKind::SubscriptionNotPayable,
        ),
    ] {
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method("POST").path("/subscriptions/pay");
                then.status(status)
                    .header("content-type", "application/json")
                    .body(fixture(name));
            })
            .await;
        let err = client(&server.base_url())
            .subscriptions()
            .pay(&ManualPayment::new(sub_id()))
            .await
            .unwrap_err();
        assert_eq!(m.calls_async().await, 1, "never retried");
        match err.kind() {
            ErrorKind::Api {
                status: s,
                code,
                messages,
                ..
            } => {
                assert_eq!(s.as_u16(), status);
                assert_eq!(code.as_deref(), Some("500"));
                assert_eq!(messages.len(), 1);
            }
            other => panic!("{name} {status}: {other:?}"),
        }
        assert_eq!(err.failure_kind(), Some(kind), "{name}");
    }
}

#[tokio::test]
async fn create_sends_credentials_and_terminal() {
    let server = MockServer::start_async().await;
    let m = serve(
        &server,
        "/subscriptions",
        fixture_json("subscriptions.create.request.json"),
        200,
        fixture("subscriptions.create.response.json"),
    )
    .await;
    let start = time::OffsetDateTime::from_unix_timestamp(1_539_302_400).unwrap();
    let request = CreateSubscription::new(
        "UserBot",
        "Monthly plan",
        "d4b8e5f1-7c2a-4e8b-9f3d-0a1b2c3d4e5f".into(),
        Plan::new(usd("100"), Cadence::monthly()).start_date(start),
    )
    .initial_payment(InitialPayment::new(usd("100"), "Initial payment"));
    let created = client(&server.base_url())
        .subscriptions()
        .create(&request)
        .await
        .unwrap();
    m.assert_async().await;
    assert_eq!(created.subscription_id, sub_id());
    assert_eq!(
        created.result.initial_payment.unwrap().order_id,
        "9541b344c3d45d421acd454d61251cde_0"
    );
}

#[tokio::test]
async fn create_with_a_fail_envelope_is_an_api_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST").path("/subscriptions");
            then.status(500)
                .header("content-type", "application/json")
                .body(
                    r#"{"status":"FAIL","code":500,"result":[],"errors":["Invalid card token."]}"#,
                );
        })
        .await;
    let request = CreateSubscription::new(
        "UserBot",
        "Plan",
        "tok".into(),
        Plan::new(usd("1"), Cadence::monthly()),
    );
    let err = client(&server.base_url())
        .subscriptions()
        .create(&request)
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Api { messages, .. } if messages == &["Invalid card token.".to_owned()]),
        "{err:?}"
    );
    assert_eq!(err.failure_kind(), Some(FailureKind::Other));
}

#[tokio::test]
async fn cancel_sends_the_body_and_reads_the_record() {
    let server = MockServer::start_async().await;
    let m = serve(
        &server,
        "/subscriptions/cancel",
        fixture_json("subscriptions.cancel.request.json"),
        200,
        fixture("subscriptions.cancel.response.json"),
    )
    .await;
    let record = client(&server.base_url())
        .subscriptions()
        .cancel(&CancelSubscription::new(
            sub_id(),
            "UserBot",
            "Customer request",
        ))
        .await
        .unwrap();
    m.assert_async().await;
    assert_eq!(record.status, SubscriptionStatus::Cancelled);
}

#[tokio::test]
async fn update_amount_sends_major_units() {
    let server = MockServer::start_async().await;
    let m = serve(
        &server,
        "/subscriptions/update",
        fixture_json("subscriptions.update_amount.request.json"),
        200,
        fixture("subscriptions.update_amount.response.json"),
    )
    .await;
    let record = client(&server.base_url())
        .subscriptions()
        .update_amount(&UpdateAmount::new(
            sub_id(),
            "UserBot",
            Money::parse("5500.99", Currency::CRC).unwrap(),
        ))
        .await
        .unwrap();
    m.assert_async().await;
    assert_eq!(record.amount().unwrap().minor_units(), 550_099);
}

#[tokio::test]
async fn update_card_token_sends_the_token() {
    let server = MockServer::start_async().await;
    let m = serve(
        &server,
        "/subscriptions/update/card_token",
        fixture_json("subscriptions.update_card_token.request.json"),
        200,
        fixture("subscriptions.update_card_token.response.json"),
    )
    .await;
    let record = client(&server.base_url())
        .subscriptions()
        .update_card_token(&UpdateCardToken::new(
            sub_id(),
            "UserBot",
            "0f9e8d7c-6b5a-4c3d-2e1f-a0b1c2d3e4f5".into(),
        ))
        .await
        .unwrap();
    m.assert_async().await;
    assert_eq!(record.status, SubscriptionStatus::Active);
}

#[tokio::test]
async fn list_sends_filters_and_reads_the_page() {
    let server = MockServer::start_async().await;
    let m = serve(
        &server,
        "/subscriptions/list",
        fixture_json("subscriptions.list.request.json"),
        200,
        fixture("subscriptions.list.response.json"),
    )
    .await;
    let request = ListSubscriptions::new(1, 10).filters(
        SubscriptionFilters::new()
            .status(SubscriptionStatus::Active)
            .status(SubscriptionStatus::OnHold)
            .status(SubscriptionStatus::Pending)
            .status(SubscriptionStatus::Cancelled)
            .user("UserBot")
            .min_amount(usd("5"))
            .max_amount(usd("100")),
    );
    let page = client(&server.base_url())
        .subscriptions()
        .list(&request)
        .await
        .unwrap();
    m.assert_async().await;
    assert_eq!(page.entries.len(), 2);
    assert_eq!(page.total_entries, Some(15));
}

#[tokio::test]
async fn list_payments_sends_the_body_and_reads_retries() {
    let server = MockServer::start_async().await;
    let m = serve(
        &server,
        "/subscriptions/list/payments",
        fixture_json("subscriptions.list_payments.request.json"),
        200,
        fixture("subscriptions.list_payments.response.json"),
    )
    .await;
    let page = client(&server.base_url())
        .subscriptions()
        .list_payments(&ListPayments::new(sub_id(), 1, 10))
        .await
        .unwrap();
    m.assert_async().await;
    assert_eq!(page.entries[0].payment_retries.len(), 1);
}

#[tokio::test]
async fn an_html_error_page_is_an_http_error_not_a_panic() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST").path("/subscriptions/list");
            then.status(404)
                .header("content-type", "text/html")
                .body("<html><body>Cannot POST</body></html>");
        })
        .await;
    let err = client(&server.base_url())
        .subscriptions()
        .list(&ListSubscriptions::new(1, 10))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::NotFound { .. } | ErrorKind::Http { .. }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_success_body_of_the_wrong_shape_is_a_decode_error_with_its_path() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST").path("/subscriptions/list");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"status":"SUCCESS","code":200,"result":{"entries":[{"id":"x","status":"ACTIVE","currency":"USD","amount":"ten"}]}}"#);
        })
        .await;
    let err = client(&server.base_url())
        .subscriptions()
        .list(&ListSubscriptions::new(1, 10))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err:?}");
}
