//! The benchmark cases are sound: every arm decodes its body, every encoder writes the same
//! JSON as the others and as the fixture, and SDK clients pool their connections.

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;

use payments_bench::arms::{Clients, Op, Side};
use payments_bench::{decode, encode, fixtures, server};
use serde_json::Value;

#[test]
fn every_decode_arm_decodes_its_body() {
    let cases = decode::cases();
    assert_eq!(cases.len(), 36);
    for case in &cases {
        let response = case.response();
        for arm in decode::Arm::ALL.into_iter().filter(|a| case.has(*a)) {
            assert!(case.run(arm, &response), "{} {:?}", case.name, arm);
        }
    }
    let names: BTreeSet<&str> = cases.iter().map(|c| c.name).collect();
    assert_eq!(names.len(), cases.len(), "case names are unique");
}

#[test]
fn the_generated_list_matches_the_baseline() {
    let list = fixtures::list100();
    assert_eq!(list.len(), 63_591);
    let value: Vec<Value> = serde_json::from_slice(&list).unwrap();
    assert_eq!(value.len(), 100);
    assert_eq!(value[42]["id"], "prd_9a1f6c2e4b7d0042");
    assert_eq!(value[42]["amount"], 13032);
    assert_eq!(fixtures::BASELINE_PRODUCT.len(), 634);
}

/// beGateway's request fixtures carry `amount`/`quantity` as digit strings and a date-only
/// `expired_at`; the crate sends integers and a full timestamp (fixtures/begateway/README.md).
fn normalize(mut value: Value) -> Value {
    if let Some(object) = value.as_object_mut() {
        for key in ["amount", "quantity"] {
            if let Some(Value::String(s)) = object.get(key) {
                let n: i64 = s.parse().unwrap();
                object.insert(key.to_owned(), Value::from(n));
            }
        }
        if let Some(Value::String(s)) = object.get("expired_at")
            && s.len() == 10
        {
            let full = format!("{s}T00:00:00+00:00");
            object.insert("expired_at".to_owned(), Value::from(full));
        }
    }
    value
}

#[test]
fn every_encoder_writes_the_fixture() {
    let cases = encode::cases().unwrap();
    assert_eq!(cases.len(), 21);
    for case in &cases {
        let fixture = normalize(serde_json::from_slice(case.fixture).unwrap());
        for arm in encode::Arm::ALL {
            let written: Value = serde_json::from_slice(&case.run(arm)).unwrap();
            assert_eq!(written, fixture, "{} {:?}", case.name, arm);
        }
    }
}

/// One pooled `reqwest::Client` per SDK client, never one per request: 50 sequential calls
/// per operation open a handful of connections at most (hyper may open a second one when the
/// next request starts before the previous connection is back in the pool), where a client
/// per request would open 50.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sdk_clients_reuse_one_pooled_connection() {
    let (base, connections) = server::spawn_in_process().await.unwrap();
    let clients = Clients::new(&base).unwrap();
    for op in Op::ALL {
        let before = connections.load(Ordering::Relaxed);
        for _ in 0..50 {
            clients.call(op, Side::Sdk).await.unwrap();
        }
        let opened = connections.load(Ordering::Relaxed) - before;
        assert!(
            (1..=5).contains(&opened),
            "{}: {opened} connections for 50 calls",
            op.name()
        );
    }
    // Clones share the pool too.
    let clone = clients.clone();
    let before = connections.load(Ordering::Relaxed);
    for _ in 0..10 {
        clone
            .call(Op::BegatewayProductGet, Side::Sdk)
            .await
            .unwrap();
    }
    assert!(connections.load(Ordering::Relaxed) - before <= 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_arms_decode_the_served_bodies() {
    let (base, _) = server::spawn_in_process().await.unwrap();
    let clients = Clients::new(&base).unwrap();
    for op in Op::ALL {
        clients.call(op, Side::Raw).await.unwrap();
    }
}
