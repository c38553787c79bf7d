//! Rows S4 and S5: decoders under byte soup, and forward compatibility.
//!
//! S4 feeds every public response and notification decoder arbitrary bytes, mutated fixtures
//! (bytes flipped, deleted, inserted) and fixtures with one value replaced by a wrong type:
//! the decoder must return a value or a typed error, never panic. Decoders only reachable
//! through a client (the error envelopes) are driven through the fault server, with fewer
//! cases. Cases per decoder: 256, or `PROPTEST_CASES`.
//!
//! S5 decodes, for every response type, a fixture with an extra field in every object and a
//! never-seen enum value, and checks the value is kept (`Unknown("…")`, and written back).
//!
//! Adding a provider is one module with a `run()`.

pub mod begateway;
pub mod greenpay;
pub mod jatapay;
pub mod tspay;

use std::future::Future;

use payments_common::testing::{Fault, FaultServer, Reply};
use payments_reliability::{CaseEnd, DEADLINE, report, run_case};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

/// Cases per decoder: `PROPTEST_CASES`, else 256.
pub fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// One mutation of a byte string.
#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Delete(usize),
    Insert(usize, u8),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    proptest::collection::vec(
        prop_oneof![
            (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Flip(i, b)),
            any::<usize>().prop_map(Edit::Delete),
            (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Insert(i, b)),
        ],
        1..8,
    )
}

fn apply(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for edit in edits {
        let len = out.len().max(1);
        match *edit {
            Edit::Flip(i, b) => {
                if let Some(x) = out.get_mut(i % len) {
                    *x ^= b.max(1);
                }
            }
            Edit::Delete(i) => {
                if !out.is_empty() {
                    out.remove(i % len);
                }
            }
            Edit::Insert(i, b) => out.insert(i % (out.len() + 1), b),
        }
    }
    out
}

/// Values of the wrong type (and awkward right-typed ones) to put in place of a leaf.
fn wrong_values() -> Vec<Value> {
    vec![
        Value::Null,
        Value::Bool(true),
        serde_json::json!(1.5),
        serde_json::json!(-1),
        serde_json::json!(u64::MAX),
        serde_json::json!(i64::MIN),
        serde_json::json!("x"),
        serde_json::json!(""),
        serde_json::json!("1e999"),
        serde_json::json!("9223372036854775808"),
        serde_json::json!([]),
        serde_json::json!({}),
        serde_json::json!("é".repeat(300)),
    ]
}

fn leaves(value: &Value, path: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                leaves(
                    v,
                    format!("{path}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                leaves(v, format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(path);
}

fn replace_one(seed: &[u8], which: usize, with: usize) -> Vec<u8> {
    let Ok(mut value) = serde_json::from_slice::<Value>(seed) else {
        return seed.to_vec();
    };
    let mut paths = Vec::new();
    leaves(&value, String::new(), &mut paths);
    let Some(path) = paths.get(which % paths.len().max(1)).cloned() else {
        return seed.to_vec();
    };
    let values = wrong_values();
    if let (Some(slot), Some(new)) = (value.pointer_mut(&path), values.get(with % values.len())) {
        *slot = new.clone();
    }
    serde_json::to_vec(&value).unwrap_or_else(|_| seed.to_vec())
}

/// Feeds `decode` arbitrary bytes, mutated `seeds` and wrong-typed `seeds`, `cases()` of each
/// kind, and records the counts under `name`. `decode` returns whatever it likes; only a
/// panic breaks the rule (proptest catches it and reports the smallest input).
pub fn soup(name: &str, seeds: &[Vec<u8>], decode: impl Fn(&[u8]) + std::panic::RefUnwindSafe) {
    let n = cases();
    let mut total = 0usize;
    let mut failed = 0usize;
    let mut failure = None;
    let mut record = |result: Result<(), String>, what: &str| {
        total += n as usize;
        if let Err(e) = result {
            failed += 1;
            failure = Some(format!("{what}: {e}"));
        }
    };
    let bytes = proptest::collection::vec(any::<u8>(), 0..512);
    let r = runner(n).run(&bytes, |b| {
        decode(&b);
        Ok(())
    });
    record(r.map_err(|e| e.to_string()), "arbitrary bytes");
    for seed in seeds.iter().filter(|s| !s.is_empty()) {
        let r = runner(n).run(&edits(), |e| {
            decode(&apply(seed, &e));
            Ok(())
        });
        record(r.map_err(|e| e.to_string()), "mutated fixture");
        let r = runner(n).run(&(any::<usize>(), any::<usize>()), |(which, with)| {
            decode(&replace_one(seed, which, with));
            Ok(())
        });
        record(r.map_err(|e| e.to_string()), "wrong-typed fixture");
    }
    if seeds.iter().all(Vec::is_empty) {
        failed += 1;
        failure = Some("no fixture to mutate".to_owned());
    }
    report::soup(name, total, failed, failure);
}

/// Byte soup through a client: `cases` bodies (arbitrary bytes and mutated `seeds`) served as
/// `status` JSON replies to `call`; each call must return (no panic, no hang).
pub async fn soup_through_client<F, Fut>(
    name: &str,
    status: u16,
    seeds: &[Vec<u8>],
    cases: u32,
    call: F,
) where
    F: Fn(payments_common::Url) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    let mut runner = runner(cases);
    let strategy = (
        proptest::collection::vec(any::<u8>(), 0..256),
        edits(),
        any::<usize>(),
        any::<bool>(),
    );
    let mut failed = 0;
    let mut failure = None;
    for _ in 0..cases {
        let Ok(tree) = strategy.new_tree(&mut runner) else {
            continue;
        };
        let (bytes, edits, seed, arbitrary) = tree.current();
        let body = match seeds.get(seed % seeds.len().max(1)) {
            Some(s) if !arbitrary => apply(s, &edits),
            _ => bytes,
        };
        let server = FaultServer::start(vec![Fault::Respond(Reply {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body,
        })])
        .await;
        let rendered = call(server.base_url());
        match run_case(name, DEADLINE, rendered).await {
            CaseEnd::Done(text) => {
                payments_reliability::canary::scan(name, &text);
            }
            other => {
                failed += 1;
                failure = Some(format!("{other:?}"));
            }
        }
    }
    report::soup(name, cases as usize, failed, failure);
}

/// Adds `"x_future_field": {...}` to every object of `value` (S5).
pub fn add_extra_fields(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for v in map.values_mut() {
                add_extra_fields(v);
            }
            map.insert(
                "x_future_field".to_owned(),
                serde_json::json!({"nested": [1, "two", null], "flag": true}),
            );
        }
        Value::Array(items) => items.iter_mut().for_each(add_extra_fields),
        _ => {}
    }
}

/// S5: `seed` with extra fields everywhere and `enums` (JSON pointer → never-seen value) set;
/// decoded by `check`, which says whether the values were kept.
pub fn forward(
    label: &str,
    seed: &[u8],
    enums: &[(&str, &str)],
    check: impl FnOnce(&[u8]) -> Result<bool, String>,
) {
    let Ok(mut value) = serde_json::from_slice::<Value>(seed) else {
        report::forward_compat(label, false, "the fixture is not JSON");
        return;
    };
    add_extra_fields(&mut value);
    for (pointer, new) in enums {
        match value.pointer_mut(pointer) {
            Some(slot) => *slot = Value::String((*new).to_owned()),
            None => {
                report::forward_compat(label, false, &format!("no {pointer} in the fixture"));
                return;
            }
        }
    }
    let bytes = serde_json::to_vec(&value).unwrap_or_default();
    match payments_reliability::catch(label, || check(&bytes)) {
        Some(Ok(true)) => report::forward_compat(label, true, ""),
        Some(Ok(false)) => {
            report::forward_compat(label, false, "decoded, but a value was not kept");
        }
        Some(Err(e)) => report::forward_compat(label, false, &e),
        None => report::forward_compat(label, false, "panicked"),
    }
}

/// Whether a value serialized back (`serde_json::to_value(&decoded)`) writes every one of
/// `values`.
pub fn written_back(serialized: Result<Value, serde_json::Error>, values: &[&str]) -> bool {
    let text = serialized.map(|v| v.to_string()).unwrap_or_default();
    values.iter().all(|v| text.contains(v))
}
