//! Every recorded response under `fixtures/begateway/recorded/` (written by
//! `cargo xtask fixtures record --provider begateway`) decodes into the crate's typed model for
//! its operation, snapshotted like the documented fixtures in `fixtures.rs`. Products decode
//! directly, as in `fixtures.rs`; a transaction goes through the public client against
//! httpmock, since its `{"transaction": …}` envelope is unwrapped by the client.

mod common;

use std::path::PathBuf;

use begateway::{Product, TransactionUid};
use common::client;

/// `(file name, text)` of every recorded `*.response.json`, sorted.
fn recorded_responses() -> Vec<(String, String)> {
    payments_common::testing::recorded_responses(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/begateway/recorded"),
    )
}

fn decode<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> T {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("recorded {name}: {e}"))
}

#[tokio::test]
async fn recorded_responses_decode_into_the_typed_models() {
    for (name, text) in recorded_responses() {
        let operation = name.strip_suffix(".response.json").unwrap();
        let snapshot = format!("recorded.{operation}.response");
        match operation {
            "products.create" | "products.get" => {
                let product: Product = decode(&name, &text);
                insta::assert_debug_snapshot!(snapshot, product);
            }
            "products.list" => {
                let products: Vec<Product> = decode(&name, &text);
                insta::assert_debug_snapshot!(snapshot, products);
            }
            "transactions.get" => {
                let envelope: serde_json::Value = decode(&name, &text);
                let uid = envelope["transaction"]["uid"]
                    .as_str()
                    .unwrap_or_else(|| panic!("recorded {name}: no transaction.uid"))
                    .to_owned();
                let server = httpmock::MockServer::start_async().await;
                let mock = server
                    .mock_async(|when, then| {
                        when.method("GET").path(format!("/transactions/{uid}"));
                        then.status(200)
                            .header("content-type", "application/json")
                            .body(&text);
                    })
                    .await;
                let transaction = client(&server.base_url())
                    .transactions()
                    .get(&TransactionUid::new(uid))
                    .await
                    .unwrap_or_else(|e| panic!("recorded {name}: {e}"));
                mock.assert_async().await;
                insta::assert_debug_snapshot!(snapshot, transaction);
            }
            other => panic!(
                "recorded {name}: no typed model is known for operation {other:?}; add it to tests/recorded.rs"
            ),
        }
    }
}
