//! Plans and subscriptions: exact requests and decoded answers over httpmock, statuses as an
//! open enum, bad inputs refused with nothing sent.

mod common;

use begateway::{
    CreatePlan, CreateSubscription, Currency, IntervalUnit, Money, PlanId, SubscriptionId,
    SubscriptionStatus,
};
use common::{SECRET, SHOP_ID, basic, client};
use httpmock::MockServer;
use payments_common::testing::FaultServer;
use serde_json::json;

fn usd(text: &str) -> Money {
    Money::parse(text, Currency::USD).unwrap()
}

#[tokio::test]
async fn a_plan_is_created_with_the_documented_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/plans")
                .header("authorization", basic(SHOP_ID, SECRET))
                .is_false(|r| r.headers().contains_key("requestid"))
                .json_body(json!({"test": true, "title": "Pro monthly", "currency": "USD",
                    "plan": {"amount": 990, "interval": 1, "interval_unit": "month"},
                    "language": "en"}));
            then.status(201)
                .header("content-type", "application/json")
                .json_body(json!({"id": "pln_8a2c0d1b", "title": "Pro monthly", "currency": "USD",
                    "test": true, "plan": {"amount": 990, "interval": 1, "interval_unit": "month"}}));
        })
        .await;
    let plan = client(&server.base_url())
        .subscriptions()
        .create_plan(
            &CreatePlan::new("Pro monthly", usd("9.90"), 1, IntervalUnit::Month)
                .test(true)
                .language(begateway::Language::En),
        )
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(plan.id.as_str(), "pln_8a2c0d1b");
    assert_eq!(plan.amount(), Some(usd("9.90")));
    assert_eq!(plan.interval(), 1);
    assert_eq!(plan.interval_unit(), &IntervalUnit::Month);
}

#[tokio::test]
async fn subscriptions_are_created_read_and_cancelled() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method("POST").path("/subscriptions").json_body(json!({
                "plan": {"id": "pln_8a2c0d1b"}, "tracking_id": "order-42",
                "notification_url": "https://shop.example/begateway/notify",
                "customer": {"email": "customer@example.com"}}));
            then.status(201)
                .header("content-type", "application/json")
                .json_body(json!({"id": "sbs_1f2e3d4c", "state": "pending",
                    "tracking_id": "order-42",
                    "redirect_url": "https://checkout.begateway.com/v2/confirm_order/sbs_1f2e3d4c/361"}));
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            when.method("GET").path("/subscriptions/sbs_1f2e3d4c");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(
                    json!({"id": "sbs_1f2e3d4c", "state": "active", "tracking_id": "order-42"}),
                );
        })
        .await;
    let cancel = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/subscriptions/sbs_1f2e3d4c/cancel");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"id": "sbs_1f2e3d4c", "status": "canceled"}));
        })
        .await;
    let c = client(&server.base_url());
    let created = c
        .subscriptions()
        .create(
            &CreateSubscription::new(PlanId::new("pln_8a2c0d1b"), "order-42")
                .notification_url("https://shop.example/begateway/notify")
                .customer_email("customer@example.com"),
        )
        .await
        .unwrap();
    assert_eq!(created.status, SubscriptionStatus::Pending);
    assert!(created.redirect_url.is_some());
    let id = created.id.clone();
    let read = c.subscriptions().get(&id).await.unwrap();
    assert!(read.status.is_active());
    let cancelled = c.subscriptions().cancel(&id).await.unwrap();
    assert!(cancelled.status.is_ended());
    create.assert_async().await;
    get.assert_async().await;
    cancel.assert_async().await;
    // An unseen status is kept, and neither active nor ended.
    let s: begateway::Subscription =
        serde_json::from_str(r#"{"id":"sbs_1","state":"notified"}"#).unwrap();
    assert_eq!(s.status, SubscriptionStatus::Unknown("notified".into()));
    assert!(!s.status.is_active() && !s.status.is_ended());
}

#[tokio::test]
async fn an_answer_about_another_subscription_is_refused() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/subscriptions/sbs_a");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"id": "sbs_b", "state": "active"}));
        })
        .await;
    let err = client(&server.base_url())
        .subscriptions()
        .get(&SubscriptionId::new("sbs_a"))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), begateway::ErrorKind::Decode { path, .. } if path == "id"),
        "{err:?}"
    );
    assert_eq!(err.operation(), "subscriptions.get");
}

#[tokio::test]
async fn bad_plans_and_subscriptions_are_refused_before_sending() {
    let server = FaultServer::start(vec![]).await;
    let c = client(server.base_url().as_str());
    for (plan, field) in [
        (
            CreatePlan::new("", usd("9.90"), 1, IntervalUnit::Month),
            "title",
        ),
        (
            CreatePlan::new("t", usd("0"), 1, IntervalUnit::Month),
            "plan.amount",
        ),
        (
            CreatePlan::new("t", usd("1"), 0, IntervalUnit::Day),
            "plan.interval",
        ),
        (
            CreatePlan::new("t", usd("1"), 1, IntervalUnit::from("week")),
            "plan.interval_unit",
        ),
    ] {
        let err = c.subscriptions().create_plan(&plan).await.unwrap_err();
        assert_eq!(err.invalid_field(), Some(field), "{err}");
        assert_eq!(plan.build().unwrap_err().invalid_field(), Some(field));
    }
    for (sub, field) in [
        (CreateSubscription::new(PlanId::new("../x"), "o"), "plan.id"),
        (CreateSubscription::new(PlanId::new("p"), ""), "tracking_id"),
        (
            CreateSubscription::new(PlanId::new("p"), "o")
                .notification_url("http://shop.example/n"),
            "notification_url",
        ),
        (
            CreateSubscription::new(PlanId::new("p"), "o").customer_email("nope"),
            "customer.email",
        ),
    ] {
        let err = c.subscriptions().create(&sub).await.unwrap_err();
        assert_eq!(err.invalid_field(), Some(field), "{err}");
    }
    let err = c
        .subscriptions()
        .cancel(&SubscriptionId::new("a/b"))
        .await
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some("subscription_id"));
    assert_eq!(server.attempts(), 0);
}
