//! The example shop end to end against the sandbox: one order paid through beGateway, one
//! through TS Pay, each marked paid only after its verified notification and a server-side
//! confirmation; forged notifications are refused by the extractors before the handlers run.

use std::time::Duration;

use payments_sandbox::{RunningSandbox, Sandbox, SandboxConfig};
use serde_json::{Value, json};
use shop::Shop;

struct Running {
    sandbox: RunningSandbox,
    url: String,
    http: reqwest::Client,
}

async fn start() -> Running {
    let sandbox = Sandbox::start(SandboxConfig::new()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let providers = shop::sandbox::providers(&sandbox, &url).await.unwrap();
    let app = Shop::new(providers, url.clone()).router();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    Running { sandbox, url, http }
}

impl Running {
    async fn order(&self, provider: &str, amount: &str, currency: &str) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}/orders", self.url))
            .json(&json!({"provider": provider, "amount": amount, "currency": currency}))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn state(&self, id: &str) -> String {
        let order: Value = self
            .http
            .get(format!("{}/orders/{id}", self.url))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        order["state"].as_str().unwrap().to_owned()
    }

    /// The customer presses Pay on the hosted page (its form, submitted over plain HTTP, with
    /// the query parameters of the URL the shop gave them).
    async fn pay(&self, pay_url: &str) {
        let (page, query) = pay_url.split_once('?').unwrap_or((pay_url, ""));
        let mut body = String::from("decision=pay");
        if !query.is_empty() {
            body.push('&');
            body.push_str(query);
        }
        let answer = self
            .http
            .post(page)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_redirection(), "{}", answer.status());
    }

    /// Waits (up to 20 s: the sandbox delivers before redirecting, so this is slack for a busy
    /// machine) for the order to become `paid`.
    async fn paid(&self, id: &str) -> bool {
        for _ in 0..200 {
            if self.state(id).await == "paid" {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    }
}

#[tokio::test]
async fn orders_through_both_providers_are_paid_after_verified_and_confirmed_notifications() {
    let shop = start().await;

    let (status, begateway) = shop.order("begateway", "9.90", "usd").await;
    assert_eq!(status, 201, "{begateway}");
    let (status, tspay) = shop.order("tspay", "14.50", "EUR").await;
    assert_eq!(status, 201, "{tspay}");
    for order in [&begateway, &tspay] {
        assert_eq!(order["state"], "pending");
    }

    shop.pay(begateway["pay_url"].as_str().unwrap()).await;
    shop.pay(tspay["pay_url"].as_str().unwrap()).await;
    assert!(
        shop.paid(begateway["id"].as_str().unwrap()).await,
        "beGateway order not paid"
    );
    assert!(
        shop.paid(tspay["id"].as_str().unwrap()).await,
        "TS Pay order not paid"
    );

    // Both notifications reached the shop and were accepted.
    let accepted: Vec<_> = shop
        .sandbox
        .deliveries()
        .into_iter()
        .filter(|d| d.url.contains("/notify/"))
        .collect();
    assert!(accepted.len() >= 2, "{accepted:?}");
    shop.sandbox.shutdown().await;
}

#[tokio::test]
async fn forged_notifications_are_refused_and_change_nothing() {
    let shop = start().await;
    let (_, order) = shop.order("tspay", "14.50", "EUR").await;
    let id = order["id"].as_str().unwrap();

    // A TS Pay notification claiming the order's payment, with a made-up signature.
    let forged = json!({
        "event": {"entity": "charge", "state": "active"},
        "payload": {"orderKey": order["reference"], "state": "active", "amount": 1450}
    });
    let answer = shop
        .http
        .post(format!("{}/notify/tspay", shop.url))
        .header("x-message-hash", "0".repeat(64))
        .json(&forged)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 401);

    // A beGateway notification without the shop's credentials.
    let answer = shop
        .http
        .post(format!("{}/notify/begateway", shop.url))
        .json(
            &json!({"transaction": {"uid": "1-forged", "status": "successful", "tracking_id": id}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 401);

    assert_eq!(shop.state(id).await, "pending");
    shop.sandbox.shutdown().await;
}

#[tokio::test]
async fn bad_orders_are_refused_with_the_field_and_nothing_is_created() {
    let shop = start().await;
    let (status, body) = shop.order("tspay", "14.505", "EUR").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.as_str().unwrap().contains("amount"), "{body}");
    let (status, body) = shop.order("begateway", "1.00", "E1R").await;
    assert_eq!(status, 422, "{body}");
    shop.sandbox.shutdown().await;
}
