//! Transport and server faults (reliability matrix 7.1) against a raw TCP fault server.
//!
//! Most tests use a supplied token so that every attempt the server counts is the API call
//! itself; `token_exchange_*` exercise the exchange.

#[macro_use]
mod common;

use std::time::{Duration, Instant};

use common::{HANG_ATTEMPT, builder_at, fast_config, hang_config};
use jatapay::{
    Client, Credentials, Currency, Error, ErrorKind, GatewayRequest, Money, SecretString,
    StatusCode, SubscriptionId,
};
use payments_common::TransportKind;
use payments_common::testing::{Fault, FaultServer, Reply};

const SUB: &str = "65b279426d2f219d702a7f69";

fn request() -> GatewayRequest {
    GatewayRequest::new(
        Money::from_minor_units(2000, Currency::EUR),
        "https://e-commerce.example.com/callback_url",
        "Prodotto",
    )
}

fn token_client(server: &FaultServer) -> Client {
    builder_at(
        server.base_url().as_str(),
        Credentials::token(SecretString::from("tok-CANARY")),
    )
    .build()
    .unwrap()
}

/// A supplied-token client with short per-attempt timeouts, for servers that never answer.
fn hang_client(server: &FaultServer) -> Client {
    builder_at(
        server.base_url().as_str(),
        Credentials::token(SecretString::from("tok-CANARY")),
    )
    .http_config(hang_config())
    .build()
    .unwrap()
}

fn subscription_json() -> String {
    fixture!("subscriptions.get.response.json")
}

fn assert_outcome_unknown(err: &Error, check: impl Fn(&ErrorKind) -> bool) {
    match err.kind() {
        ErrorKind::OutcomeUnknown {
            operation, source, ..
        } => {
            assert_eq!(*operation, "jatapay.subscriptions.create");
            assert!(check(source), "unexpected cause: {source:?}");
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
}

#[tokio::test]
async fn f1_connection_refused_is_connect_after_three_attempts_even_for_a_write() {
    let url = FaultServer::refused_url("/").await;
    let client = builder_at(
        url.as_str(),
        Credentials::token(SecretString::from("tok-CANARY")),
    )
    .build()
    .unwrap();
    let err = client.subscriptions().create(&request()).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Connect { attempts: 3, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn f4_write_that_hangs_is_outcome_unknown_after_one_attempt() {
    let server = FaultServer::start(vec![Fault::Hang]).await;
    let started = Instant::now();
    let err = hang_client(&server)
        .subscriptions()
        .create(&request())
        .await
        .unwrap_err();
    assert_outcome_unknown(&err, |e| matches!(e, ErrorKind::Timeout { .. }));
    assert_eq!(server.attempts(), 1);
    // One attempt, not repeated: back after one attempt timeout (plus a generous margin).
    assert!(started.elapsed() < HANG_ATTEMPT + Duration::from_secs(2));
}

#[tokio::test]
async fn f4_read_that_hangs_is_a_timeout_after_three_attempts() {
    let server = FaultServer::start(vec![Fault::Hang]).await;
    let err = hang_client(&server)
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Timeout { attempts: 3, .. }),
        "{err:?}"
    );
    assert_eq!(server.attempts(), 3);
}

#[tokio::test]
async fn f5_stalled_body_on_a_read_is_a_timeout() {
    let server = FaultServer::start(vec![Fault::StalledBody]).await;
    let err = hang_client(&server)
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Timeout { .. }), "{err:?}");
    assert_eq!(server.attempts(), 3);
}

#[tokio::test]
async fn f6_write_reset_after_the_request_is_outcome_unknown_after_one_attempt() {
    let server = FaultServer::start(vec![Fault::ResetAfterRequest]).await;
    let err = token_client(&server)
        .subscriptions()
        .create(&request())
        .await
        .unwrap_err();
    assert_outcome_unknown(&err, |e| matches!(e, ErrorKind::Transport { .. }));
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f6_read_reset_is_retried_and_then_succeeds() {
    let server = FaultServer::start(vec![
        Fault::ResetAfterRequest,
        Fault::Respond(Reply::json(200, &subscription_json())),
    ])
    .await;
    let subscription = token_client(&server)
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap();
    assert_eq!(subscription.id.as_str(), SUB);
    assert_eq!(server.attempts(), 2);
}

#[tokio::test]
async fn f7_truncated_body_on_a_write_is_outcome_unknown_not_decode() {
    let server = FaultServer::start(vec![Fault::TruncatedBody]).await;
    let err = token_client(&server)
        .subscriptions()
        .create(&request())
        .await
        .unwrap_err();
    assert_outcome_unknown(&err, |e| {
        matches!(
            e,
            ErrorKind::Transport {
                kind: TransportKind::Truncated,
                ..
            }
        )
    });
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f8_unterminated_chunked_body_on_a_read_is_truncated() {
    let server = FaultServer::start(vec![Fault::UnterminatedChunked]).await;
    let err = token_client(&server)
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Transport {
                kind: TransportKind::Truncated,
                attempts: 3,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn f9_read_on_a_502_page_is_retried_three_times_then_http_502() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::bad_gateway_html())]).await;
    let err = token_client(&server)
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    match err.kind() {
        ErrorKind::Http {
            status,
            content_type,
            excerpt,
            ..
        } => {
            assert_eq!(*status, StatusCode::BAD_GATEWAY);
            assert_eq!(content_type.as_deref(), Some("text/html"));
            assert!(excerpt.contains("502 Bad Gateway") && excerpt.len() <= 512);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.attempts(), 3);
}

#[tokio::test]
async fn f9_write_on_a_502_page_is_outcome_unknown_after_one_attempt() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::bad_gateway_html())]).await;
    let err = token_client(&server)
        .subscriptions()
        .create(&request())
        .await
        .unwrap_err();
    assert_outcome_unknown(
        &err,
        |e| matches!(e, ErrorKind::Http { status, .. } if *status == StatusCode::BAD_GATEWAY),
    );
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f11_retry_after_above_the_cap_stops_at_once() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::unavailable_retry_after(60))]).await;
    let started = Instant::now();
    let err = token_client(&server)
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(server.attempts(), 1);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn f12_429_without_retry_after_is_rate_limited_once() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::too_many_requests())]).await;
    let err = token_client(&server)
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::RateLimited { .. }),
        "{err:?}"
    );
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f15_200_html_on_a_write_is_outcome_unknown_with_a_decode_cause() {
    let server =
        FaultServer::start(vec![Fault::Respond(Reply::html(200, "<html>ok</html>"))]).await;
    let err = token_client(&server)
        .subscriptions()
        .create(&request())
        .await
        .unwrap_err();
    assert_outcome_unknown(
        &err,
        |e| matches!(e, ErrorKind::Decode { status, .. } if *status == StatusCode::OK),
    );
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f16_200_empty_body_on_a_read_is_decode() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::empty(200))]).await;
    let err = token_client(&server)
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err:?}");
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f17_amount_as_float_is_decode_naming_importo() {
    let body = subscription_json().replace("\"importo\": 2000", "\"importo\": 20.5");
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(200, &body))]).await;
    let err = token_client(&server)
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Decode { path, .. } if path == "importo"),
        "{err:?}"
    );
}

#[tokio::test]
async fn f18_oversized_answer_is_response_too_large() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::oversized_json(64 * 1024))]).await;
    let client = builder_at(
        server.base_url().as_str(),
        Credentials::token(SecretString::from("tok-CANARY")),
    )
    .http_config(fast_config().max_body_bytes(16 * 1024))
    .build()
    .unwrap();
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::ResponseTooLarge { .. }),
        "{err:?}"
    );
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f19_redirect_on_a_post_is_not_followed_and_leaves_the_outcome_open() {
    let other = FaultServer::start(vec![]).await;
    let server = FaultServer::start(vec![Fault::Respond(Reply::redirect(
        other.url("/steal").as_str(),
    ))])
    .await;
    let err = token_client(&server)
        .subscriptions()
        .create(&request())
        .await
        .unwrap_err();
    // A write answered with a redirect may have been applied before the redirect was sent.
    assert_outcome_unknown(&err, |e| matches!(e, ErrorKind::UnexpectedRedirect { .. }));
    assert_eq!(server.attempts(), 1);
    assert_eq!(other.attempts(), 0);
}

#[tokio::test]
async fn f20_unkeyed_write_that_charged_then_reset_is_never_resent() {
    let server = FaultServer::start(vec![Fault::ChargeThenReset {
        key_header: "idempotency-key",
        reply: Reply::json(200, r#"{"id_abbonamento":"65b278baa103dca4496d968e"}"#),
    }])
    .await;
    let err = token_client(&server)
        .subscriptions()
        .create(&request())
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(server.charges(), 1);
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn token_exchange_is_retried_as_a_read_on_a_reset() {
    let server = FaultServer::start(vec![
        Fault::ResetAfterRequest,
        Fault::Respond(Reply::json(
            200,
            r#"{"token":"tok-1","refresh_token":"ref-1"}"#,
        )),
        Fault::Respond(Reply::json(200, &subscription_json())),
    ])
    .await;
    let client = common::client_at(server.base_url().as_str());
    client
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].path, "/token");
    assert_eq!(requests[1].path, "/token");
    assert_eq!(requests[2].path, format!("/entity/subscriptions/{SUB}"));
    assert_eq!(requests[2].header("authorization"), Some("Bearer tok-1"));
}

#[tokio::test]
async fn a_write_whose_token_exchange_fails_is_not_an_unknown_outcome() {
    // The exchange fails on every attempt: the create itself was never sent.
    let server = FaultServer::start(vec![Fault::Respond(Reply::bad_gateway_html())]).await;
    let client = common::client_at(server.base_url().as_str());
    let err = client.subscriptions().create(&request()).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Http { status, .. } if *status == StatusCode::BAD_GATEWAY),
        "{err:?}"
    );
    assert!(server.requests().iter().all(|r| r.path == "/token"));
    assert_eq!(server.attempts(), 3);
}

#[tokio::test]
async fn expired_token_rotation_sends_the_new_token_on_the_repeat() {
    let server = FaultServer::start(vec![
        Fault::Respond(Reply::json(
            200,
            r#"{"token":"tok-1","refresh_token":"r1"}"#,
        )),
        Fault::Respond(Reply::json(401, r#"{"msg":"Token has expired"}"#)),
        Fault::Respond(Reply::json(
            200,
            r#"{"token":"tok-2","refresh_token":"r2"}"#,
        )),
        Fault::Respond(Reply::json(
            200,
            r#"{"id_abbonamento":"65b278baa103dca4496d968e"}"#,
        )),
    ])
    .await;
    let client = common::client_at(server.base_url().as_str());
    let created = client.subscriptions().create(&request()).await.unwrap();
    assert_eq!(created.id.as_str(), "65b278baa103dca4496d968e");
    let requests = server.requests();
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/token",
            "/scrivi_abbonamento",
            "/token",
            "/scrivi_abbonamento"
        ]
    );
    assert_eq!(requests[1].header("authorization"), Some("Bearer tok-1"));
    assert_eq!(requests[3].header("authorization"), Some("Bearer tok-2"));
    assert_eq!(requests[1].body, requests[3].body);
}
