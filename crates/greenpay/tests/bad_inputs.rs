//! Invalid input is refused before anything is sent: `ErrorKind::InvalidRequest` naming the wire
//! field, and the server saw no request.

mod common;

use common::{MERCHANT_ID, SECRET, TERMINAL, client};
use greenpay::subscriptions::{
    Cadence, CancelSubscription, CreateSubscription, InitialPayment, ListPayments,
    ListSubscriptions, ManualPayment, Plan, SubscriptionFilters, UpdateAmount, UpdateCardToken,
};
use greenpay::{Client, Credentials, Currency, Error, ErrorKind, Money, SubscriptionId};
use httpmock::MockServer;

fn usd(text: &str) -> Money {
    Money::parse(text, Currency::USD).unwrap()
}

fn id() -> SubscriptionId {
    SubscriptionId::new("9541b344c3d45d421acd454d61251cde")
}

fn plan() -> Plan {
    Plan::new(usd("100"), Cadence::monthly())
}

fn field(err: &Error) -> &str {
    match err.kind() {
        ErrorKind::InvalidRequest { field, .. } => field,
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

#[tokio::test]
async fn every_builder_refuses_bad_input_and_sends_nothing() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let client = client(&server.base_url());
    let subs = client.subscriptions();
    let long = "x".repeat(256);

    let cases: Vec<(&str, Error)> = vec![
        (
            "subscriptionId",
            subs.pay(&ManualPayment::new("".into())).await.unwrap_err(),
        ),
        (
            "subscriptionId",
            subs.pay(&ManualPayment::new("a b".into()))
                .await
                .unwrap_err(),
        ),
        (
            "subscriptionId",
            subs.pay(&ManualPayment::new("a\r\nb".into()))
                .await
                .unwrap_err(),
        ),
        (
            "subscriptionId",
            subs.pay(&ManualPayment::new("x".repeat(129).into()))
                .await
                .unwrap_err(),
        ),
        (
            "subscription[0].amount",
            subs.create(&CreateSubscription::new(
                "u",
                "d",
                "t".into(),
                Plan::new(
                    Money::parse("10", Currency::EUR).unwrap(),
                    Cadence::monthly(),
                ),
            ))
            .await
            .unwrap_err(),
        ),
        (
            "subscription[0].amount",
            subs.create(&CreateSubscription::new(
                "u",
                "d",
                "t".into(),
                Plan::new(usd("0"), Cadence::monthly()),
            ))
            .await
            .unwrap_err(),
        ),
        (
            "subscription[0].amount",
            subs.create(&CreateSubscription::new(
                "u",
                "d",
                "t".into(),
                Plan::new(usd("-1"), Cadence::monthly()),
            ))
            .await
            .unwrap_err(),
        ),
        (
            "userId",
            subs.create(&CreateSubscription::new("", "d", "t".into(), plan()))
                .await
                .unwrap_err(),
        ),
        (
            "userId",
            subs.create(&CreateSubscription::new(
                long.as_str(),
                "d",
                "t".into(),
                plan(),
            ))
            .await
            .unwrap_err(),
        ),
        (
            "description",
            subs.create(&CreateSubscription::new("u", "  ", "t".into(), plan()))
                .await
                .unwrap_err(),
        ),
        (
            "tokens",
            subs.create(&CreateSubscription::new("u", "d", "".into(), plan()))
                .await
                .unwrap_err(),
        ),
        (
            "subscription[0].cadence.every",
            subs.create(&CreateSubscription::new(
                "u",
                "d",
                "t".into(),
                Plan::new(usd("1"), Cadence::every_months(0)),
            ))
            .await
            .unwrap_err(),
        ),
        (
            "subscription[0].cadence.day",
            subs.create(&CreateSubscription::new(
                "u",
                "d",
                "t".into(),
                Plan::new(usd("1"), Cadence::monthly().on_day(32)),
            ))
            .await
            .unwrap_err(),
        ),
        (
            "initialPayment.amount",
            subs.create(
                &CreateSubscription::new("u", "d", "t".into(), plan()).initial_payment(
                    InitialPayment::new(Money::parse("1", Currency::CRC).unwrap(), "fee"),
                ),
            )
            .await
            .unwrap_err(),
        ),
        (
            "user",
            subs.cancel(&CancelSubscription::new(id(), "", "r"))
                .await
                .unwrap_err(),
        ),
        (
            "reason",
            subs.cancel(&CancelSubscription::new(id(), "u", long.as_str()))
                .await
                .unwrap_err(),
        ),
        (
            "amount",
            subs.update_amount(&UpdateAmount::new(id(), "u", usd("0")))
                .await
                .unwrap_err(),
        ),
        (
            "amount",
            subs.update_amount(&UpdateAmount::new(
                id(),
                "u",
                Money::parse("1", Currency::JPY).unwrap(),
            ))
            .await
            .unwrap_err(),
        ),
        (
            "token",
            subs.update_card_token(&UpdateCardToken::new(id(), "u", "".into()))
                .await
                .unwrap_err(),
        ),
        (
            "page",
            subs.list(&ListSubscriptions::new(0, 10)).await.unwrap_err(),
        ),
        (
            "pageSize",
            subs.list(&ListSubscriptions::new(1, 0)).await.unwrap_err(),
        ),
        (
            "pageSize",
            subs.list(&ListSubscriptions::new(1, 101))
                .await
                .unwrap_err(),
        ),
        (
            "filters.maxAmount",
            subs.list(
                &ListSubscriptions::new(1, 10).filters(
                    SubscriptionFilters::new()
                        .min_amount(usd("10"))
                        .max_amount(usd("5")),
                ),
            )
            .await
            .unwrap_err(),
        ),
        (
            "pageSize",
            subs.list_payments(&ListPayments::new(id(), 1, 1000))
                .await
                .unwrap_err(),
        ),
    ];
    for (expected, err) in &cases {
        assert_eq!(field(err), *expected, "{err:?}");
    }
    assert_eq!(any.calls_async().await, 0);
}

#[test]
fn excess_precision_never_becomes_money() {
    assert!(Money::parse("10.001", Currency::USD).is_err());
    assert!(Money::parse("1.5", Currency::CRC).is_ok());
}

#[test]
fn unsafe_base_urls_are_refused() {
    for bad in [
        "http://merchant.greenpay.me",
        "javascript:alert(1)",
        "https://user:pass@merchant.greenpay.me",
        "https://merchant.greenpay.me/\r\nX-Injected: 1",
        "ftp://merchant.greenpay.me",
        "",
    ] {
        let err = Client::builder(Credentials::new(MERCHANT_ID, TERMINAL, SECRET))
            .base_url(bad)
            .build()
            .unwrap_err();
        assert_eq!(field(&err), "base_url", "{bad:?}");
    }
    assert!(
        Client::builder(Credentials::new(MERCHANT_ID, TERMINAL, SECRET))
            .base_url("http://127.0.0.1:9")
            .build()
            .is_ok()
    );
}

#[test]
fn credentials_with_whitespace_or_empty_are_refused() {
    for (creds, expected) in [
        (Credentials::new("", TERMINAL, SECRET), "merchantId"),
        (Credentials::new("a b", TERMINAL, SECRET), "merchantId"),
        (Credentials::new(MERCHANT_ID, "t\n", SECRET), "terminal"),
        (
            Credentials::new(MERCHANT_ID, TERMINAL, "secret\n"),
            "secret",
        ),
        (Credentials::new(MERCHANT_ID, TERMINAL, ""), "secret"),
    ] {
        let err = Client::builder(creds).build().unwrap_err();
        assert_eq!(field(&err), expected);
        assert!(!err.to_string().contains("secret\n"));
    }
}

/// 2^53 + 1 major units: a JavaScript peer reads it as 2^53.
fn above_js_safe() -> Money {
    Money::parse("9007199254740993", Currency::USD).unwrap()
}

#[tokio::test]
async fn amounts_a_javascript_peer_cannot_read_exactly_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let client = client(&server.base_url());
    let subs = client.subscriptions();
    let big = above_js_safe();
    let cases: Vec<(&str, Error)> = vec![
        (
            "subscription[0].amount",
            subs.create(&CreateSubscription::new(
                "u",
                "d",
                "t".into(),
                Plan::new(big, Cadence::monthly()),
            ))
            .await
            .unwrap_err(),
        ),
        (
            "initialPayment.amount",
            subs.create(
                &CreateSubscription::new("u", "d", "t".into(), plan())
                    .initial_payment(InitialPayment::new(big, "first")),
            )
            .await
            .unwrap_err(),
        ),
        (
            "amount",
            subs.update_amount(&UpdateAmount::new(id(), "u", big))
                .await
                .unwrap_err(),
        ),
        (
            "amount",
            subs.update_amount(&UpdateAmount::new(
                id(),
                "u",
                Money::parse("12345678901234.56", Currency::USD).unwrap(),
            ))
            .await
            .unwrap_err(),
        ),
        (
            "filters.minAmount",
            subs.list(
                &ListSubscriptions::new(1, 10).filters(SubscriptionFilters::new().min_amount(big)),
            )
            .await
            .unwrap_err(),
        ),
        (
            "filters.maxAmount",
            subs.list(
                &ListSubscriptions::new(1, 10).filters(SubscriptionFilters::new().max_amount(big)),
            )
            .await
            .unwrap_err(),
        ),
    ];
    for (expected, err) in &cases {
        assert_eq!(field(err), *expected, "{err:?}");
    }
    assert_eq!(any.calls_async().await, 0);
    // 2^53 itself is read exactly: accepted by the check.
    let edge = Money::parse("9007199254740992", Currency::USD).unwrap();
    UpdateAmount::new(id(), "u", edge).build().unwrap();
}

#[tokio::test]
async fn subscription_ids_that_could_change_an_endpoint_are_refused_and_nothing_is_sent() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let client = client(&server.base_url());
    let subs = client.subscriptions();
    for bad in [".", "..", "%2e%2e", "a/b", "a\\b", "a?b", "a#b", "%2F"] {
        let bad = SubscriptionId::new(bad);
        let errors = [
            subs.pay(&ManualPayment::new(bad.clone()))
                .await
                .unwrap_err(),
            subs.cancel(&CancelSubscription::new(bad.clone(), "u", "r"))
                .await
                .unwrap_err(),
            subs.update_amount(&UpdateAmount::new(bad.clone(), "u", usd("1")))
                .await
                .unwrap_err(),
            subs.update_card_token(&UpdateCardToken::new(bad.clone(), "u", "t".into()))
                .await
                .unwrap_err(),
            subs.list_payments(&ListPayments::new(bad.clone(), 1, 10))
                .await
                .unwrap_err(),
        ];
        for err in &errors {
            assert_eq!(field(err), "subscriptionId", "{bad}: {err:?}");
        }
    }
    assert_eq!(any.calls_async().await, 0);
}
