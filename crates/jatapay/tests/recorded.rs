//! Every recorded response under `fixtures/jatapay/recorded/` (written by
//! `cargo xtask fixtures record --provider jatapay`) decodes into the crate's typed model for
//! its operation, snapshotted like the documented fixtures in `fixtures.rs`.

use std::path::PathBuf;

use jatapay::{CreatedPayment, CreatedSubscription, Subscription, Token};

/// `(file name, text)` of every `*.response.json` in the recorded folder, sorted; empty if the
/// folder does not exist.
fn recorded_responses() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/jatapay/recorded");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = entries
        .map(|entry| entry.unwrap().path())
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?.to_owned();
            name.ends_with(".response.json")
                .then(|| (name, std::fs::read_to_string(&path).unwrap()))
        })
        .collect();
    out.sort();
    out
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
