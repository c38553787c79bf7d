//! Every recorded response under `fixtures/greenpay/recorded/` (written by
//! `cargo xtask fixtures record --provider greenpay`) decodes into the crate's typed model for
//! its operation, snapshotted like the documented fixtures in `fixtures.rs`.
//!
//! GreenPay wraps most payloads in a `{"status": "SUCCESS", "result": …}` envelope (the manual
//! payment adds `_signature`) that only the client unwraps, so each recorded body is served by
//! httpmock on its operation's path and read through the public client method, as the SDK
//! reads a live answer. The request sent is a valid placeholder (the mock matches method and
//! path only): the recorded requests are checked by the recording itself, not here.

mod common;

use std::path::PathBuf;

use common::client;
use greenpay::subscriptions::{
    Cadence, CancelSubscription, CreateSubscription, ListPayments, ListSubscriptions,
    ManualPayment, Plan, UpdateAmount, UpdateCardToken,
};
use greenpay::{CardToken, Currency, Money, SubscriptionId};

/// `(file name, text)` of every recorded `*.response.json`, sorted.
fn recorded_responses() -> Vec<(String, String)> {
    payments_common::testing::recorded_responses(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/greenpay/recorded"),
    )
}

/// The `POST` path of each recorded operation.
fn path_of(operation: &str) -> Option<&'static str> {
    Some(match operation {
        "subscriptions.create" => "/subscriptions",
        "subscriptions.pay" => "/subscriptions/pay",
        "subscriptions.cancel" => "/subscriptions/cancel",
        "subscriptions.update_amount" => "/subscriptions/update",
        "subscriptions.update_card_token" => "/subscriptions/update/card_token",
        "subscriptions.list" => "/subscriptions/list",
        "subscriptions.list_payments" => "/subscriptions/list/payments",
        _ => return None,
    })
}

fn usd(text: &str) -> Money {
    Money::parse(text, Currency::USD).unwrap()
}

#[tokio::test]
async fn recorded_responses_decode_into_the_typed_models() {
    let id = SubscriptionId::new("27ed3bec6703b5ac1b3267b23dc0944c");
    for (name, text) in recorded_responses() {
        let operation = name.strip_suffix(".response.json").unwrap();
        let snapshot = format!("recorded.{operation}.response");
        let Some(path) = path_of(operation) else {
            panic!(
                "recorded {name}: no typed model is known for operation {operation:?}; add it to tests/recorded.rs"
            );
        };
        let server = httpmock::MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method("POST").path(path);
                then.status(200)
                    .header("content-type", "application/json")
                    .body(&text);
            })
            .await;
        let client = client(&server.base_url());
        let subscriptions = client.subscriptions();
        match operation {
            "subscriptions.create" => {
                let request = CreateSubscription::new(
                    "user-42",
                    "Pro plan",
                    CardToken::new("tok-visa-4242"),
                    Plan::new(usd("10"), Cadence::monthly()),
                );
                let created = subscriptions
                    .create(&request)
                    .await
                    .unwrap_or_else(|e| panic!("recorded {name}: {e}"));
                insta::assert_debug_snapshot!(snapshot, created);
            }
            "subscriptions.pay" => {
                let paid = subscriptions
                    .pay(&ManualPayment::new(id.clone()))
                    .await
                    .unwrap_or_else(|e| panic!("recorded {name}: {e}"));
                insta::assert_debug_snapshot!(snapshot, paid);
            }
            "subscriptions.cancel" => {
                let request = CancelSubscription::new(id.clone(), "user-42", "recorded");
                let record = subscriptions
                    .cancel(&request)
                    .await
                    .unwrap_or_else(|e| panic!("recorded {name}: {e}"));
                insta::assert_debug_snapshot!(snapshot, record);
            }
            "subscriptions.update_amount" => {
                let request = UpdateAmount::new(id.clone(), "user-42", usd("12.50"));
                let record = subscriptions
                    .update_amount(&request)
                    .await
                    .unwrap_or_else(|e| panic!("recorded {name}: {e}"));
                insta::assert_debug_snapshot!(snapshot, record);
            }
            "subscriptions.update_card_token" => {
                let request =
                    UpdateCardToken::new(id.clone(), "user-42", CardToken::new("tok-new"));
                let record = subscriptions
                    .update_card_token(&request)
                    .await
                    .unwrap_or_else(|e| panic!("recorded {name}: {e}"));
                insta::assert_debug_snapshot!(snapshot, record);
            }
            "subscriptions.list" => {
                let page = subscriptions
                    .list(&ListSubscriptions::new(1, 10))
                    .await
                    .unwrap_or_else(|e| panic!("recorded {name}: {e}"));
                insta::assert_debug_snapshot!(snapshot, page);
            }
            "subscriptions.list_payments" => {
                let page = subscriptions
                    .list_payments(&ListPayments::new(id.clone(), 1, 10))
                    .await
                    .unwrap_or_else(|e| panic!("recorded {name}: {e}"));
                insta::assert_debug_snapshot!(snapshot, page);
            }
            other => unreachable!("{other}: path_of knows it"),
        }
        mock.assert_async().await;
    }
}

/// The recording keeps no credential: the `secret` key (in every request body, and echoed in
/// `purchase_order.secret`) and every credential value are `[REDACTED]`.
#[test]
fn recorded_bodies_keep_no_secret() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/greenpay/recorded");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let body: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut secrets = Vec::new();
        collect_secrets(&body, &mut secrets);
        assert!(
            secrets.iter().all(|s| s == "[REDACTED]"),
            "{}: unredacted secret",
            path.display()
        );
        // The sandbox's credentials (payments-sandbox README) never appear.
        for value in [
            "8c0b9a52-6a4f-4a5e-9d3c-5b1f0e2a7c41",
            "c2FuZGJveC1ncmVlbnBheS1zZWNyZXQ=",
            "sandbox-eb29-BNCR-USD",
        ] {
            assert!(!text.contains(value), "{}: {value}", path.display());
        }
    }
}

/// Every value under a `secret` key, at any depth.
fn collect_secrets(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                if key == "secret" {
                    out.push(child.as_str().unwrap_or("<not a string>").to_owned());
                } else {
                    collect_secrets(child, out);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_secrets(i, out)),
        _ => {}
    }
}
