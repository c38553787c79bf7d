//! Every documented (or reconstructed) GreenPay JSON example: responses decode into their
//! typed models (snapshotted), requests equal what the typed builders serialize plus the
//! credentials the client adds.

mod common;

use common::{MERCHANT_ID, SECRET, TERMINAL, fixture, fixture_json, with_credentials};
use greenpay::subscriptions::{
    Cadence, CancelSubscription, CreateSubscription, CreatedSubscription, InitialPayment,
    ListPayments, ListSubscriptions, ManualPayment, ManualPaymentResult, PaymentPage, Plan,
    SubscriptionFilters, SubscriptionPage, SubscriptionRecord, SubscriptionStatus, UpdateAmount,
    UpdateCardToken,
};
use greenpay::{Currency, Error, FailureKind, Money, PaymentOutcome, SubscriptionId};

/// The `result` of a SUCCESS envelope, typed.
fn result<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let body = fixture_json(name);
    assert_eq!(body["status"], "SUCCESS", "{name}");
    serde_json::from_value(body["result"].clone()).unwrap()
}

fn usd(text: &str) -> Money {
    Money::parse(text, Currency::USD).unwrap()
}

fn sub_id() -> SubscriptionId {
    SubscriptionId::new("9541b344c3d45d421acd454d61251cde")
}

// ----- requests -----

#[test]
fn pay_request_of_the_page() {
    // The page's placeholder body (trailing comma repaired); no `terminal`.
    let request = ManualPayment::new(SubscriptionId::new(
        "id returned when subscription was created",
    ));
    let expected = fixture_json("subscriptions.pay.request.json");
    let actual = with_credentials(
        serde_json::to_value(&request).unwrap(),
        "your merchantid",
        "your secret",
        None,
    );
    assert_eq!(actual, expected);
    insta::assert_json_snapshot!(
        "subscriptions.pay.request",
        serde_json::to_value(&request).unwrap()
    );
}

#[test]
fn pay_request_of_the_unirest_sample() {
    let request = ManualPayment::new(SubscriptionId::new("b69cd5773eac06bf25a702bac02e8079"));
    let expected = fixture_json("subscriptions.pay.request.unirest.json");
    assert_eq!(
        with_credentials(
            serde_json::to_value(&request).unwrap(),
            MERCHANT_ID,
            SECRET,
            None
        ),
        expected
    );
    insta::assert_json_snapshot!(
        "subscriptions.pay.request.unirest",
        serde_json::to_value(&request).unwrap()
    );
}

fn create_request() -> CreateSubscription {
    let start = time::OffsetDateTime::from_unix_timestamp(1_539_302_400).unwrap();
    CreateSubscription::new(
        "UserBot",
        "Monthly plan",
        "d4b8e5f1-7c2a-4e8b-9f3d-0a1b2c3d4e5f".into(),
        Plan::new(usd("100"), Cadence::monthly()).start_date(start),
    )
    .initial_payment(InitialPayment::new(usd("100.00"), "Initial payment"))
}

#[test]
fn create_request_matches() {
    let request = create_request();
    let request = request.build().unwrap();
    let expected = fixture_json("subscriptions.create.request.json");
    assert_eq!(
        with_credentials(
            serde_json::to_value(&request).unwrap(),
            MERCHANT_ID,
            SECRET,
            Some(TERMINAL)
        ),
        expected
    );
    insta::assert_json_snapshot!(
        "subscriptions.create.request",
        serde_json::to_value(&request).unwrap()
    );
}

#[test]
fn cancel_request_matches() {
    let request = CancelSubscription::new(sub_id(), "UserBot", "Customer request");
    let expected = fixture_json("subscriptions.cancel.request.json");
    assert_eq!(
        with_credentials(
            serde_json::to_value(&request).unwrap(),
            MERCHANT_ID,
            SECRET,
            Some(TERMINAL)
        ),
        expected
    );
    insta::assert_json_snapshot!(
        "subscriptions.cancel.request",
        serde_json::to_value(&request).unwrap()
    );
}

#[test]
fn update_amount_request_matches() {
    let request = UpdateAmount::new(
        sub_id(),
        "UserBot",
        Money::parse("5500.99", Currency::CRC).unwrap(),
    );
    let expected = fixture_json("subscriptions.update_amount.request.json");
    assert_eq!(
        with_credentials(
            serde_json::to_value(&request).unwrap(),
            MERCHANT_ID,
            SECRET,
            Some(TERMINAL)
        ),
        expected
    );
    insta::assert_json_snapshot!(
        "subscriptions.update_amount.request",
        serde_json::to_value(&request).unwrap()
    );
}

#[test]
fn update_card_token_request_matches() {
    let request = UpdateCardToken::new(
        sub_id(),
        "UserBot",
        "0f9e8d7c-6b5a-4c3d-2e1f-a0b1c2d3e4f5".into(),
    );
    let expected = fixture_json("subscriptions.update_card_token.request.json");
    assert_eq!(
        with_credentials(
            serde_json::to_value(&request).unwrap(),
            MERCHANT_ID,
            SECRET,
            Some(TERMINAL)
        ),
        expected
    );
    insta::assert_json_snapshot!(
        "subscriptions.update_card_token.request",
        serde_json::to_value(&request).unwrap()
    );
}

#[test]
fn list_request_matches() {
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
    let request = request.build().unwrap();
    let expected = fixture_json("subscriptions.list.request.json");
    assert_eq!(
        with_credentials(
            serde_json::to_value(&request).unwrap(),
            MERCHANT_ID,
            SECRET,
            Some(TERMINAL)
        ),
        expected
    );
    insta::assert_json_snapshot!(
        "subscriptions.list.request",
        serde_json::to_value(&request).unwrap()
    );
}

#[test]
fn list_payments_request_matches() {
    let request = ListPayments::new(sub_id(), 1, 10);
    let expected = fixture_json("subscriptions.list_payments.request.json");
    assert_eq!(
        with_credentials(
            serde_json::to_value(&request).unwrap(),
            MERCHANT_ID,
            SECRET,
            Some(TERMINAL)
        ),
        expected
    );
    insta::assert_json_snapshot!(
        "subscriptions.list_payments.request",
        serde_json::to_value(&request).unwrap()
    );
}

// ----- responses -----

#[test]
fn pay_response_approved() {
    let paid: ManualPaymentResult = result("subscriptions.pay.response.approved.json");
    assert_eq!(paid.order.amount, usd("100"));
    assert_eq!(paid.outcome(), PaymentOutcome::Paid);
    assert_eq!(paid.order_status, SubscriptionStatus::Active);
    insta::assert_debug_snapshot!("subscriptions.pay.response.approved", paid);
}

/// The typed error the client returns for a FAIL body (served by a mock, HTTP 500).
async fn decode_failure(name: &str) -> Error {
    let server = httpmock::MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST").path("/subscriptions/pay");
            then.status(500)
                .header("content-type", "application/json")
                .body(fixture(name));
        })
        .await;
    common::client(&server.base_url())
        .subscriptions()
        .pay(&ManualPayment::new(sub_id()))
        .await
        .unwrap_err()
}

#[tokio::test]
async fn pay_failure_merchant_not_found() {
    let err = decode_failure("subscriptions.pay.response.merchant-not-found.json").await;
    assert_eq!(err.failure_kind(), Some(FailureKind::MerchantNotFound));
    insta::assert_debug_snapshot!("subscriptions.pay.response.merchant-not-found", err);
}

#[tokio::test]
async fn pay_failure_not_payable() {
    let err = decode_failure("subscriptions.pay.response.not-payable.json").await;
    assert_eq!(
        err.failure_kind(),
        Some(FailureKind::SubscriptionNotPayable)
    );
    insta::assert_debug_snapshot!("subscriptions.pay.response.not-payable", err);
}

#[test]
fn create_response_with_initial_payment() {
    let created: CreatedSubscription =
        serde_json::from_str(&fixture("subscriptions.create.response.json")).unwrap();
    assert_eq!(
        created.subscription_id.as_str(),
        "9541b344c3d45d421acd454d61251cde"
    );
    assert_eq!(
        created.next_payment_date,
        Some(time::macros::date!(2018 - 10 - 12))
    );
    assert_eq!(
        created
            .result
            .initial_payment
            .as_ref()
            .unwrap()
            .authorization
            .as_deref(),
        Some("533793")
    );
    insta::assert_debug_snapshot!("subscriptions.create.response", created);
}

#[test]
fn create_response_without_initial_payment() {
    let created: CreatedSubscription = serde_json::from_str(&fixture(
        "subscriptions.create.response.no-initial-payment.json",
    ))
    .unwrap();
    assert!(created.result.initial_payment.is_none());
    insta::assert_debug_snapshot!("subscriptions.create.response.no-initial-payment", created);
}

#[test]
fn cancel_response() {
    let record: SubscriptionRecord = result("subscriptions.cancel.response.json");
    assert_eq!(record.status, SubscriptionStatus::Cancelled);
    assert_eq!(
        record.amount(),
        Some(Money::parse("5500.99", Currency::CRC).unwrap())
    );
    let debug = format!("{record:?}");
    assert!(
        !debug.contains(SECRET),
        "the echoed secret must not be kept"
    );
    insta::assert_debug_snapshot!("subscriptions.cancel.response", record);
}

#[test]
fn update_amount_response() {
    let record: SubscriptionRecord = result("subscriptions.update_amount.response.json");
    assert!(!format!("{record:#?}").contains(SECRET));
    insta::assert_debug_snapshot!("subscriptions.update_amount.response", record);
}

#[test]
fn update_card_token_response() {
    let record: SubscriptionRecord = result("subscriptions.update_card_token.response.json");
    assert_eq!(
        record.card_tokens[0].as_str(),
        "0f9e8d7c-6b5a-4c3d-2e1f-a0b1c2d3e4f5"
    );
    assert!(!serde_json::to_string(&record).unwrap().contains(SECRET));
    insta::assert_debug_snapshot!("subscriptions.update_card_token.response", record);
}

#[test]
fn list_response() {
    let page: SubscriptionPage = result("subscriptions.list.response.json");
    assert_eq!(page.entries[0].amount, usd("10"));
    assert_eq!(page.entries[0].cadence, Some(Cadence::monthly()));
    assert_eq!(page.entries[1].status, SubscriptionStatus::Cancelled);
    assert_eq!(page.entries[1].cadence.as_ref().unwrap().every, 15);
    assert_eq!(page.entries[1].end_date, None);
    assert_eq!(
        page.entries[0].start_date.unwrap().unix_timestamp(),
        1_536_991_200
    );
    insta::assert_debug_snapshot!("subscriptions.list.response", page);
}

#[test]
fn list_payments_response() {
    let page: PaymentPage = result("subscriptions.list_payments.response.json");
    let payment = &page.entries[0];
    assert!(payment.payment_result.is_none());
    assert_eq!(payment.outcome(), PaymentOutcome::Pending);
    let retry = payment.payment_retries[0].result.as_ref().unwrap();
    assert_eq!(retry.status, Some(500));
    assert_eq!(retry.outcome(), PaymentOutcome::Failed);
    assert_eq!(retry.amount, Some(usd("100")));
    insta::assert_debug_snapshot!("subscriptions.list_payments.response", page);
}

#[test]
fn list_payments_also_reads_the_correct_spelling() {
    let body = fixture("subscriptions.list_payments.response.json").replace("attemp_", "attempt_");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    let page: PaymentPage = serde_json::from_value(body["result"].clone()).unwrap();
    assert_eq!(
        page.entries[0].payment_retries[0]
            .result
            .as_ref()
            .unwrap()
            .status,
        Some(500)
    );
}
