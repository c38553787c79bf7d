//! The checks of the subscription writes and listings at their edges (an end date equal to the
//! start, equal amount filters), what their builders hand back, and the card tokens of a
//! subscription masked in the errors of its creation.

mod common;

use common::client;
use greenpay::subscriptions::{
    Cadence, CreateSubscription, ListSubscriptions, Plan, SubscriptionFilters,
};
use greenpay::{CardToken, Currency, Error, ErrorKind, Money};
use httpmock::{Mock, MockServer};
use time::macros::datetime;

fn usd(text: &str) -> Money {
    Money::parse(text, Currency::USD).unwrap()
}

/// The field a refusal names, or `None` when the request was sent (any other error).
fn refused_field(result: Result<impl std::fmt::Debug, Error>) -> Option<String> {
    match result.unwrap_err().kind() {
        ErrorKind::InvalidRequest { field, .. } => Some(field.to_string()),
        _ => None,
    }
}

async fn answer_everything_with_503(server: &MockServer) -> Mock<'_> {
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(503);
        })
        .await
}

fn subscription(plan: Plan) -> CreateSubscription {
    CreateSubscription::new(
        "user-7",
        "Gym",
        CardToken::new("tok_a1b2c3d4e5f60718"),
        plan,
    )
}

#[tokio::test]
async fn a_subscription_must_end_after_it_starts() {
    let server = MockServer::start_async().await;
    let any = answer_everything_with_503(&server).await;
    let subs = client(&server.base_url());
    let subs = subs.subscriptions();
    let start = datetime!(2027-01-01 00:00 UTC);

    let same_day = Plan::new(usd("10"), Cadence::monthly())
        .start_date(start)
        .end_date(start);
    assert_eq!(
        refused_field(subs.create(&subscription(same_day)).await).as_deref(),
        Some("subscription[0].endDate")
    );
    let before = Plan::new(usd("10"), Cadence::monthly())
        .start_date(start)
        .end_date(datetime!(2026-12-31 00:00 UTC));
    assert_eq!(
        refused_field(subs.create(&subscription(before)).await).as_deref(),
        Some("subscription[0].endDate")
    );
    assert_eq!(
        any.calls_async().await,
        0,
        "nothing is sent for a refused subscription"
    );

    let after = Plan::new(usd("10"), Cadence::monthly())
        .start_date(start)
        .end_date(datetime!(2027-12-31 00:00 UTC));
    assert_eq!(refused_field(subs.create(&subscription(after)).await), None);
    assert_eq!(
        any.calls_async().await,
        1,
        "a subscription that ends after its start is sent"
    );
}

#[tokio::test]
async fn amount_filters_may_be_equal_but_not_reversed() {
    let server = MockServer::start_async().await;
    let any = answer_everything_with_503(&server).await;
    let client = client(&server.base_url());
    let list = |min: &str, max: &str| {
        ListSubscriptions::new(1, 50).filters(
            SubscriptionFilters::new()
                .min_amount(usd(min))
                .max_amount(usd(max)),
        )
    };

    assert_eq!(
        refused_field(client.subscriptions().list(&list("20", "10")).await).as_deref(),
        Some("filters.maxAmount")
    );
    assert_eq!(any.calls_async().await, 0);
    assert_eq!(
        refused_field(client.subscriptions().list(&list("10", "10")).await),
        None
    );
    // A listing is a read: the 503 is retried, so at least one call.
    assert!(
        any.calls_async().await >= 1,
        "equal bounds are a valid filter"
    );
}

#[test]
fn builders_hand_back_what_they_were_given() {
    let request = subscription(Plan::new(usd("10"), Cadence::monthly()));
    assert_eq!(request.user_id(), "user-7");
    let page = ListSubscriptions::new(3, 50);
    assert_eq!((page.page_number(), page.page_size()), (3, 50));
}

/// A refusal that quotes the subscription's card tokens in its messages is reported without
/// them: every token of the request is masked, the second one included.
#[tokio::test]
async fn the_card_tokens_of_a_subscription_are_masked_in_its_errors() {
    const FIRST: &str = "tok_a1b2c3d4e5f60718";
    const SECOND: &str = "tok_9f8e7d6c5b4a3210";
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST").path("/subscriptions");
            then.status(400)
                .header("content-type", "application/json")
                .body(format!(
                    r#"{{"status":"FAIL","code":400,"errors":["card {FIRST} expired","card {SECOND} declined"]}}"#
                ));
        })
        .await;
    let request =
        subscription(Plan::new(usd("10"), Cadence::monthly())).token(CardToken::new(SECOND));
    let error = client(&server.base_url())
        .subscriptions()
        .create(&request)
        .await
        .unwrap_err();

    let text = format!("{error:?} {error}");
    assert!(matches!(error.kind(), ErrorKind::Api { .. }), "{text}");
    assert!(
        text.contains("expired") && text.contains("declined"),
        "{text}"
    );
    for token in [FIRST, SECOND] {
        for window in token.as_bytes().windows(8) {
            let part = std::str::from_utf8(window).unwrap();
            assert!(
                !text.contains(part),
                "part of {token} ({part}) leaked: {text}"
            );
        }
    }
}

/// A charge attempt reads `Paid` on 200 only, `Failed` on a 4xx or 5xx status, and `Pending`
/// on anything else (no status, another number).
#[test]
fn a_charge_attempt_reads_its_outcome_from_its_status() {
    use greenpay::PaymentOutcome;
    use greenpay::subscriptions::AttemptResult;
    let cases = [
        (r#"{"status":200}"#, PaymentOutcome::Paid),
        (r#"{"status":"200"}"#, PaymentOutcome::Paid),
        (
            r#"{"status":400,"errors":["Declined"]}"#,
            PaymentOutcome::Failed,
        ),
        (r#"{"status":500}"#, PaymentOutcome::Failed),
        (r#"{"status":599}"#, PaymentOutcome::Failed),
        (r#"{"status":201}"#, PaymentOutcome::Pending),
        (r#"{"status":302}"#, PaymentOutcome::Pending),
        (r#"{"status":600}"#, PaymentOutcome::Pending),
        (r#"{}"#, PaymentOutcome::Pending),
    ];
    for (body, expected) in cases {
        let attempt: AttemptResult = serde_json::from_str(body).unwrap();
        assert_eq!(attempt.outcome(), expected, "{body}");
    }
}

#[test]
fn a_payments_listing_hands_back_its_page() {
    let page = greenpay::subscriptions::ListPayments::new(
        "9541b344c3d45d421acd454d61251cde".into(),
        2,
        10,
    );
    assert_eq!((page.page_number(), page.page_size()), (2, 10));
}

/// A cadence reads as GreenPay writes it: mode, count, unit.
#[test]
fn a_cadence_reads_as_greenpay_writes_it() {
    assert_eq!(Cadence::monthly().to_string(), "EVERY 1 MONTH");
    assert_eq!(Cadence::every_months(3).to_string(), "EVERY 3 MONTH");
}
