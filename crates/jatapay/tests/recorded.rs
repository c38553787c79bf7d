//! Every recorded response under `fixtures/jatapay/recorded/` (written by
//! `cargo xtask fixtures record --provider jatapay`) decodes into the crate's typed model for
//! its operation, snapshotted like the documented fixtures in `fixtures.rs`.

use std::path::PathBuf;

use jatapay::{CreatedPayment, CreatedSubscription, Subscription, Token};

/// `(file name, text)` of every recorded `*.response.json`, sorted.
fn recorded_responses() -> Vec<(String, String)> {
    payments_common::testing::recorded_responses(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/jatapay/recorded"),
    )
}

fn decode<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> T {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("recorded {name}: {e}"))
}

#[test]
fn recorded_responses_decode_into_the_typed_models() {
    for (name, text) in recorded_responses() {
        let operation = name.strip_suffix(".response.json").unwrap();
        let snapshot = format!("recorded.{operation}.response");
        match operation {
            "token.create" => {
                let token: Token = decode(&name, &text);
                insta::assert_debug_snapshot!(snapshot, token);
            }
            "subscriptions.create" => {
                let created: CreatedSubscription = decode(&name, &text);
                insta::assert_debug_snapshot!(snapshot, created);
            }
            "subscriptions.get" => {
                let subscription: Subscription = decode(&name, &text);
                insta::assert_debug_snapshot!(snapshot, subscription);
            }
            "payments.create" => {
                let created: CreatedPayment = decode(&name, &text);
                insta::assert_debug_snapshot!(snapshot, created);
            }
            other => panic!(
                "recorded {name}: no typed model is known for operation {other:?}; add it to tests/recorded.rs"
            ),
        }
    }
}
