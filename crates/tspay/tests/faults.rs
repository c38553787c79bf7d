//! Transport and server faults (reliability matrix 7.1) against a raw TCP fault server:
//! the typed error and the exact number of attempts the server saw.

use std::time::{Duration, Instant};

use payments_common::TransportKind;
use payments_common::testing::{Fault, FaultServer, Reply};
use tspay::{
    Client, Credentials, Currency, ErrorKind, HttpConfig, Money, OrderKey, PayLinkRequest,
    RetryPolicy, SaveLinkRequest, StatusCode, Template,
};

/// For tests that expect a definitive answer (a status, a reset, a truncated body): an attempt
/// timeout far above anything a busy machine adds, so the answer is never a timeout instead.
fn config() -> HttpConfig {
    HttpConfig::default()
        .attempt_timeout(Duration::from_secs(10))
        .retry(
            RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
}

/// The attempt timeout of the hang tests (F4, F5), where the timeout is the behaviour tested.
const HANG_ATTEMPT: Duration = Duration::from_millis(300);

/// Only for tests of a hang: a short attempt timeout.
fn hang_config() -> HttpConfig {
    config().attempt_timeout(HANG_ATTEMPT)
}

fn client_for(base: payments_common::Url, config: HttpConfig) -> Client {
    Client::builder(Credentials::new("fault-api-key"))
        .base_url(base)
        .http_config(config)
        .build()
        .unwrap()
}

fn client(server: &FaultServer) -> Client {
    client_for(server.base_url(), config())
}

fn hang_client(server: &FaultServer) -> Client {
    client_for(server.base_url(), hang_config())
}

fn pay() -> PayLinkRequest {
    PayLinkRequest::new(
        Template::new("Shop", "Ordine 7"),
        Money::from_minor_units(1450, Currency::EUR),
    )
    .external_ref("order-7")
}

fn save() -> SaveLinkRequest {
    SaveLinkRequest::new(Template::new("Shop", "Abbonamento")).context_id("contract-9")
}

async fn read(client: &Client) -> Result<tspay::OrderCharges, tspay::Error> {
    client.charges().of_order(&OrderKey::new("ok_1")).await
}

fn assert_outcome_unknown(err: &ErrorKind, operation: &str, reference: &str) -> ErrorKind {
    match err {
        ErrorKind::OutcomeUnknown {
            operation: op,
            reconciliation,
            source,
        } => {
            assert_eq!(*op, operation);
            assert_eq!(
                reconciliation.merchant_reference.as_deref(),
                Some(reference)
            );
            match &**source {
                ErrorKind::Timeout { attempts, .. } => ErrorKind::Timeout {
                    attempts: *attempts,
                    source: None,
                },
                ErrorKind::Transport { kind, attempts, .. } => ErrorKind::Transport {
                    kind: *kind,
                    attempts: *attempts,
                    source: "x".into(),
                },
                ErrorKind::Http { status, .. } => ErrorKind::Http {
                    status: *status,
                    content_type: None,
                    excerpt: String::new(),
                    request_id: None,
                },
                ErrorKind::Decode { status, .. } => ErrorKind::Http {
                    status: *status,
                    content_type: None,
                    excerpt: "decode".into(),
                    request_id: None,
                },
                other => panic!("unexpected cause {other:?}"),
            }
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
}

#[tokio::test]
async fn f6_write_reset_after_request_is_outcome_unknown_after_one_attempt() {
    let server = FaultServer::start(vec![Fault::ResetAfterRequest]).await;
    let err = client(&server)
        .pay_links()
        .create(&pay())
        .await
        .unwrap_err()
        .into_kind();
    assert!(matches!(
        assert_outcome_unknown(&err, "tspay.link2pay.create", "order-7"),
        ErrorKind::Transport { .. }
    ));
    assert_eq!(server.attempts(), 1);

    let server = FaultServer::start(vec![Fault::ResetAfterRequest]).await;
    let err = client(&server)
        .save_links()
        .create(&save())
        .await
        .unwrap_err()
        .into_kind();
    assert_outcome_unknown(&err, "tspay.link2save.create", "contract-9");
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f6_read_reset_is_retried_then_transport() {
    let server = FaultServer::start(vec![Fault::ResetAfterRequest]).await;
    let err = read(&client(&server)).await.unwrap_err().into_kind();
    assert!(
        matches!(err, ErrorKind::Transport { attempts: 3, .. }),
        "{err:?}"
    );
    assert_eq!(server.attempts(), 3);
}

#[tokio::test]
async fn f6_read_reset_then_success_recovers() {
    let server = FaultServer::start(vec![
        Fault::ResetAfterRequest,
        Fault::Respond(Reply::json(200, "[]")),
    ])
    .await;
    assert!(read(&client(&server)).await.unwrap().is_empty());
    assert_eq!(server.attempts(), 2);
}

#[tokio::test]
async fn f4_write_hang_is_outcome_unknown_after_one_attempt() {
    let server = FaultServer::start(vec![Fault::Hang]).await;
    let started = Instant::now();
    let err = hang_client(&server)
        .pay_links()
        .create(&pay())
        .await
        .unwrap_err()
        .into_kind();
    assert!(matches!(
        assert_outcome_unknown(&err, "tspay.link2pay.create", "order-7"),
        ErrorKind::Timeout { attempts: 1, .. }
    ));
    assert_eq!(server.attempts(), 1);
    // One attempt, then the outcome is open: returned within its timeout plus a generous margin.
    assert!(started.elapsed() < HANG_ATTEMPT + Duration::from_secs(2));
}

#[tokio::test]
async fn f4_read_hang_is_retried_then_timeout() {
    let server = FaultServer::start(vec![Fault::Hang]).await;
    let err = read(&hang_client(&server)).await.unwrap_err().into_kind();
    assert!(
        matches!(err, ErrorKind::Timeout { attempts: 3, .. }),
        "{err:?}"
    );
    assert_eq!(server.attempts(), 3);
}

#[tokio::test]
async fn f5_stalled_body_is_a_timeout_not_a_decode_error() {
    let server = FaultServer::start(vec![Fault::StalledBody]).await;
    let err = read(&hang_client(&server)).await.unwrap_err().into_kind();
    assert!(matches!(err, ErrorKind::Timeout { .. }), "{err:?}");
    assert_eq!(server.attempts(), 3);
}

#[tokio::test]
async fn f7_f8_truncated_bodies_are_transport_truncated() {
    for fault in [Fault::TruncatedBody, Fault::UnterminatedChunked] {
        let server = FaultServer::start(vec![fault]).await;
        let err = read(&client(&server)).await.unwrap_err().into_kind();
        assert!(
            matches!(
                err,
                ErrorKind::Transport {
                    kind: TransportKind::Truncated,
                    attempts: 3,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(server.attempts(), 3);
    }
    let server = FaultServer::start(vec![Fault::TruncatedBody]).await;
    let err = client(&server)
        .pay_links()
        .create(&pay())
        .await
        .unwrap_err()
        .into_kind();
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f9_read_on_502_html_is_retried_then_http_502() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::bad_gateway_html())]).await;
    let err = read(&client(&server)).await.unwrap_err().into_kind();
    match &err {
        ErrorKind::Http {
            status,
            content_type,
            excerpt,
            ..
        } => {
            assert_eq!(*status, StatusCode::BAD_GATEWAY);
            assert_eq!(content_type.as_deref(), Some("text/html"));
            assert!(excerpt.len() <= payments_common::MAX_EXCERPT_BYTES);
            assert!(excerpt.contains("502 Bad Gateway"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.attempts(), 3);
}

#[tokio::test]
async fn f9_write_on_502_html_is_outcome_unknown_after_one_attempt() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::bad_gateway_html())]).await;
    let err = client(&server)
        .pay_links()
        .create(&pay())
        .await
        .unwrap_err()
        .into_kind();
    assert!(matches!(
        assert_outcome_unknown(&err, "tspay.link2pay.create", "order-7"),
        ErrorKind::Http { .. }
    ));
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f10_read_503_with_retry_after_waits_then_succeeds() {
    let server = FaultServer::start(vec![
        Fault::Respond(Reply::unavailable_retry_after(1)),
        Fault::Respond(Reply::json(200, "[]")),
    ])
    .await;
    let started = Instant::now();
    read(&client(&server)).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(server.attempts(), 2);
}

#[tokio::test]
async fn f11_f12_rate_limits_are_not_retried() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::unavailable_retry_after(60))]).await;
    let err = read(&client(&server)).await.unwrap_err().into_kind();
    assert_eq!(
        err.status(),
        Some(StatusCode::SERVICE_UNAVAILABLE),
        "{err:?}"
    );
    assert_eq!(server.attempts(), 1);

    let server = FaultServer::start(vec![Fault::Respond(Reply::too_many_requests())]).await;
    let err = read(&client(&server)).await.unwrap_err().into_kind();
    assert!(matches!(err, ErrorKind::RateLimited { .. }), "{err:?}");
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f13_read_500_json_is_retried_then_api() {
    let body = r#"{"statusCode":500,"message":"Internal server error"}"#;
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(500, body))]).await;
    let err = read(&client(&server)).await.unwrap_err().into_kind();
    assert!(
        matches!(err, ErrorKind::Api { status, .. } if status == StatusCode::INTERNAL_SERVER_ERROR),
        "{err:?}"
    );
    assert_eq!(server.attempts(), 3);
}

#[tokio::test]
async fn f14_client_errors_are_not_retried() {
    for (status, body) in [
        (400, r#"{"statusCode":400,"message":"bad"}"#),
        (401, r#"{"statusCode":401,"message":"Unauthorized"}"#),
        (403, r#"{"statusCode":403,"message":"Forbidden"}"#),
        (404, r#"{"statusCode":404,"message":"Order not found"}"#),
        (422, r#"{"statusCode":422,"message":["amount too large"]}"#),
    ] {
        let server = FaultServer::start(vec![Fault::Respond(Reply::json(status, body))]).await;
        let err = read(&client(&server)).await.unwrap_err().into_kind();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{err:?}");
        assert_eq!(server.attempts(), 1);
    }
}

#[tokio::test]
async fn f15_f16_f17_bad_success_bodies_are_decode_errors() {
    for (body, path) in [
        ("<html>ok</html>", "."),
        ("", "."),
        (r#"[{"amount":14.5,"state":"active"}]"#, "[0].amount"),
    ] {
        let server = FaultServer::start(vec![Fault::Respond(Reply::json(200, body))]).await;
        let err = read(&client(&server)).await.unwrap_err().into_kind();
        assert!(
            matches!(&err, ErrorKind::Decode { path: p, .. } if p == path),
            "{body}: {err:?}"
        );
        assert_eq!(server.attempts(), 1);
    }
    let server =
        FaultServer::start(vec![Fault::Respond(Reply::html(200, "<html>ok</html>"))]).await;
    let err = client(&server)
        .pay_links()
        .create(&pay())
        .await
        .unwrap_err()
        .into_kind();
    assert_outcome_unknown(&err, "tspay.link2pay.create", "order-7");
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f18_oversized_body_is_response_too_large() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::oversized_json(64 * 1024))]).await;
    let client = client_for(server.base_url(), config().max_body_bytes(16 * 1024));
    let err = read(&client).await.unwrap_err().into_kind();
    assert!(matches!(err, ErrorKind::ResponseTooLarge { .. }), "{err:?}");
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f19_redirect_is_not_followed() {
    let other = FaultServer::start(vec![]).await;
    let target = other.url("/steal");
    let server = FaultServer::start(vec![Fault::Respond(Reply::redirect(target.as_str()))]).await;
    let err = client(&server)
        .pay_links()
        .create(&pay())
        .await
        .unwrap_err()
        .into_kind();
    // A write answered with a redirect may still have been applied: its outcome is open.
    match &err {
        ErrorKind::OutcomeUnknown { source, .. } => {
            assert!(
                matches!(**source, ErrorKind::UnexpectedRedirect { .. }),
                "{err:?}"
            );
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
    assert_eq!(server.attempts(), 1);
    assert_eq!(other.attempts(), 0);
}

#[tokio::test]
async fn f1_connection_refused_is_connect_error_for_any_method() {
    let base = FaultServer::refused_url("/").await;
    let client = client_for(base, config());
    let err = read(&client).await.unwrap_err().into_kind();
    assert!(
        matches!(err, ErrorKind::Connect { attempts: 3, .. }),
        "{err:?}"
    );
    let err = client
        .pay_links()
        .create(&pay())
        .await
        .unwrap_err()
        .into_kind();
    assert!(
        matches!(err, ErrorKind::Connect { attempts: 3, .. }),
        "nothing was sent, so it may be retried: {err:?}"
    );
}

#[tokio::test]
async fn f20_unkeyed_write_is_never_re_sent() {
    let server = FaultServer::start(vec![Fault::ChargeThenReset {
        key_header: "idempotency-key",
        reply: Reply::json(201, "{}"),
    }])
    .await;
    let err = client(&server)
        .pay_links()
        .create(&pay())
        .await
        .unwrap_err()
        .into_kind();
    assert!(err.is_outcome_unknown());
    assert_eq!(server.charges(), 1);
    assert_eq!(server.attempts(), 1);
}
