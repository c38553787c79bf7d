//! One deadline covers a whole call (token exchange, request, new token after a 401, repeat),
//! and one token exchange is in flight at a time, its result — token or error — shared by every
//! call waiting on it.
//!
//! These are tests of slow and hung servers: they use short deadlines and assert only "returned
//! within the deadline plus a generous margin" (2 s), never anything tighter.

#[macro_use]
mod common;

use std::time::{Duration, Instant};

use common::{BASIC, credentials};
use httpmock::MockServer;
use jatapay::{
    Client, Currency, ErrorKind, GatewayRequest, HttpConfig, Money, StatusCode, SubscriptionId,
};
use payments_common::testing::{Fault, FaultServer};
use serde_json::json;

const SUB_ID: &str = "65b279426d2f219d702a7f69";
/// What every test allows above the configured deadline before calling a call late.
const MARGIN: Duration = Duration::from_secs(2);

/// A client whose three hosts are `base`, with overall deadline `deadline` and a per-attempt
/// timeout far above it (so only the deadline can cut a call short).
fn client_with_deadline(base: &str, deadline: Duration) -> Client {
    Client::builder(credentials())
        .auth_base_url(base)
        .api_base_url(base)
        .gateway_base_url(base)
        .http_config(
            HttpConfig::default()
                .attempt_timeout(Duration::from_secs(30))
                .deadline(deadline),
        )
        .build()
        .unwrap()
}

fn request() -> GatewayRequest {
    GatewayRequest::new(
        Money::from_minor_units(2000, Currency::EUR),
        "https://e-commerce.example.com/callback_url",
        "Prodotto",
    )
}

/// A token endpoint that answers after `delay` and an API that refuses every token after
/// `delay`: without one overall deadline a call chains four slow steps.
async fn slow_token_and_401(server: &MockServer, delay: Duration) {
    let token = json!({ "token": "tok-slow", "refresh_token": "r" }).to_string();
    server
        .mock_async(|when, then| {
            when.method("POST").path("/token");
            then.status(200)
                .header("content-type", "application/json")
                .delay(delay)
                .body(token);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path_not("/token");
            then.status(401)
                .header("content-type", "application/json")
                .delay(delay)
                .body(json!({ "msg": "Token has expired" }).to_string());
        })
        .await;
}

#[tokio::test]
async fn one_deadline_covers_token_fetch_call_refetch_and_repeat_of_a_read() {
    let server = MockServer::start_async().await;
    // Each step alone fits in the deadline; the chain (≈ 4.8 s) does not.
    slow_token_and_401(&server, Duration::from_millis(1200)).await;
    let deadline = Duration::from_millis(1500);
    let client = client_with_deadline(&server.base_url(), deadline);
    let started = Instant::now();
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB_ID))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    eprintln!("read: returned after {elapsed:?} (deadline {deadline:?}): {err}");
    assert!(elapsed < deadline + MARGIN, "took {elapsed:?}");
    assert!(matches!(err.kind(), ErrorKind::Timeout { .. }), "{err:?}");
}

#[tokio::test]
async fn a_write_cut_by_the_deadline_while_it_is_in_flight_is_outcome_unknown() {
    let server = MockServer::start_async().await;
    slow_token_and_401(&server, Duration::from_millis(1200)).await;
    let deadline = Duration::from_millis(1500);
    let client = client_with_deadline(&server.base_url(), deadline);
    let started = Instant::now();
    let err = client.subscriptions().create(&request()).await.unwrap_err();
    let elapsed = started.elapsed();
    eprintln!("write: returned after {elapsed:?} (deadline {deadline:?}): {err}");
    assert!(elapsed < deadline + MARGIN, "took {elapsed:?}");
    // At 1.5 s the first POST (sent at ≈ 1.2 s) has no answer yet: it may have been applied.
    match err.kind() {
        ErrorKind::OutcomeUnknown {
            operation, source, ..
        } => {
            assert_eq!(*operation, "jatapay.subscriptions.create");
            assert!(matches!(**source, ErrorKind::Timeout { .. }), "{source:?}");
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
}

#[tokio::test]
async fn a_write_whose_deadline_ends_during_the_token_fetch_is_a_plain_timeout() {
    let server = MockServer::start_async().await;
    let token = json!({ "token": "tok-slow", "refresh_token": "r" }).to_string();
    server
        .mock_async(|when, then| {
            when.method("POST").path("/token");
            then.status(200)
                .header("content-type", "application/json")
                .delay(Duration::from_secs(3))
                .body(token);
        })
        .await;
    let write = server
        .mock_async(|when, then| {
            when.method("POST").path("/scrivi_abbonamento");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"id_abbonamento":"65b278baa103dca4496d968e"}"#);
        })
        .await;
    let deadline = Duration::from_millis(1500);
    let client = client_with_deadline(&server.base_url(), deadline);
    let started = Instant::now();
    let err = client.subscriptions().create(&request()).await.unwrap_err();
    assert!(started.elapsed() < deadline + MARGIN);
    // Nothing was sent to the API: not an unknown outcome.
    assert!(matches!(err.kind(), ErrorKind::Timeout { .. }), "{err:?}");
    write.assert_calls_async(0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_callers_on_a_hung_token_endpoint_share_one_fetch_and_one_deadline() {
    let server = FaultServer::start(vec![Fault::Hang]).await;
    let deadline = Duration::from_secs(2);
    let client = client_with_deadline(server.base_url().as_str(), deadline);
    let started = Instant::now();
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                let result = client
                    .subscriptions()
                    .get(&SubscriptionId::new(SUB_ID))
                    .await;
                (started.elapsed(), result)
            })
        })
        .collect();
    for task in tasks {
        let (elapsed, result) = task.await.unwrap();
        eprintln!("caller returned after {elapsed:?}");
        assert!(elapsed < deadline + MARGIN, "a caller took {elapsed:?}");
        let err = result.unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Timeout { .. }), "{err:?}");
    }
    assert_eq!(
        server.attempts(),
        1,
        "the token endpoint must see one exchange"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failed_token_fetch_is_shared_by_every_caller_waiting_on_it() {
    let server = MockServer::start_async().await;
    let refused = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/token")
                .header("authorization", BASIC);
            then.status(401)
                .header("content-type", "application/json")
                .delay(Duration::from_millis(500))
                .body(json!({ "msg": "Bad credentials" }).to_string());
        })
        .await;
    // Generous: every answer here is definitive.
    let client = client_with_deadline(&server.base_url(), Duration::from_secs(30));
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .subscriptions()
                    .get(&SubscriptionId::new(SUB_ID))
                    .await
            })
        })
        .collect();
    for task in tasks {
        let err = task.await.unwrap().unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Unauthorized { status, .. } if *status == StatusCode::UNAUTHORIZED),
            "{err:?}"
        );
    }
    refused.assert_calls_async(1).await;
    // The failure is not cached: the next call tries again.
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB_ID))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Unauthorized { .. }),
        "{err:?}"
    );
    refused.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_repeated_write_that_then_fails_counts_both_attempts() {
    let server = FaultServer::start(vec![
        Fault::Respond(payments_common::testing::Reply::json(
            200,
            r#"{"token":"tok-1","refresh_token":"r"}"#,
        )),
        Fault::Respond(payments_common::testing::Reply::json(
            401,
            r#"{"msg":"Token has expired"}"#,
        )),
        Fault::Respond(payments_common::testing::Reply::json(
            200,
            r#"{"token":"tok-2","refresh_token":"r"}"#,
        )),
        Fault::ResetAfterRequest,
    ])
    .await;
    let client = client_with_deadline(server.base_url().as_str(), Duration::from_secs(30));
    let err = client.subscriptions().create(&request()).await.unwrap_err();
    match err.kind() {
        ErrorKind::OutcomeUnknown { source, .. } => {
            assert_eq!(source.attempts(), Some(2), "{source:?}");
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
    assert_eq!(err.attempts(), Some(2));
    assert_eq!(server.attempts(), 4);
}
