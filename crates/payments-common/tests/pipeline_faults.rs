//! The HTTP pipeline against a misbehaving server: rows F1–F21 of the reliability matrix that
//! make sense without a provider. Every test asserts the error variant, the exact number of
//! attempts the server saw (or the error reports, where no server can see them), and that the
//! call returned within its deadline plus a margin.
//!
//! Timing is tied to the configured deadlines, never to the machine's speed: a test that
//! expects a definitive answer (the server answers at once) runs with seconds-long attempt
//! timeouts and deadline, so a busy machine cannot turn it into a timeout; only the tests of a
//! hang (F4, F5, the overall deadline) use short ones, and they assert "returned within the
//! deadline + [`MARGIN`]".

use std::time::{Duration, Instant};

use payments_common::http::{HttpClient, HttpConfig, Request, RequestKind, Response, RetryPolicy};
use payments_common::testing::{Fault, FaultServer, Reply};
use payments_common::{Error, StatusCode, TransportKind, Url};

const N: u32 = 2;
/// The deadline of a call that expects a definitive answer: far above anything a busy machine
/// adds to an answer the server gives at once.
const DEADLINE: Duration = Duration::from_secs(30);
/// The attempt timeout of such a call.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);
/// The attempt timeout of a call that tests a hang: it expires once per attempt, yet is long
/// enough for every attempt to reach the server on a busy machine.
const HANG_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(2);
/// The deadline of a call that tests a hang: every attempt fits twice over.
const HANG_DEADLINE: Duration = Duration::from_secs(15);
/// How far past its deadline a call may return.
const MARGIN: Duration = Duration::from_secs(5);
/// The longest `Retry-After` honoured.
const RETRY_AFTER_CAP: Duration = Duration::from_secs(2);

fn config(attempt_timeout: Duration, deadline: Duration) -> HttpConfig {
    HttpConfig::default()
        .connect_timeout(Duration::from_secs(5))
        .attempt_timeout(attempt_timeout)
        .deadline(deadline)
        .max_body_bytes(1024 * 1024)
        .retry(
            RetryPolicy::default()
                .with_max_retries(N)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
                .with_retry_after_cap(RETRY_AFTER_CAP),
        )
}

/// A client for calls that expect a definitive answer.
fn client() -> HttpClient {
    HttpClient::new(
        "test",
        "payments-common-tests/0",
        config(ATTEMPT_TIMEOUT, DEADLINE),
    )
    .unwrap()
}

/// A client for calls that test a hang.
fn hang_client() -> HttpClient {
    HttpClient::new(
        "test",
        "payments-common-tests/0",
        config(HANG_ATTEMPT_TIMEOUT, HANG_DEADLINE),
    )
    .unwrap()
}

fn request(kind: RequestKind, url: Url) -> Request {
    match kind {
        RequestKind::Read => Request::get("test.read", url),
        RequestKind::IdempotentWrite => Request::post("test.write", url)
            .json(&serde_json::json!({"amount": 1450}))
            .unwrap()
            .idempotency_key("requestid", "key-7f1c")
            .unwrap(),
        _ => Request::post("test.write", url)
            .json(&serde_json::json!({"amount": 1450}))
            .unwrap(),
    }
}

/// A provider-like mapping: 2xx decodes `{"id": ...}`, a JSON error body becomes `Api`, the
/// rest the generic error.
fn handle(response: Response) -> Result<String, Error> {
    #[derive(serde::Deserialize)]
    struct Created {
        id: String,
    }
    #[derive(serde::Deserialize)]
    struct ApiError {
        message: Option<String>,
        code: Option<String>,
    }
    let status = response.status();
    if status.is_success() {
        return response.json::<Created>().map(|c| c.id);
    }
    if response.looks_like_json()
        && !matches!(status.as_u16(), 401 | 403 | 404 | 429)
        && let Ok(body) = response.json::<ApiError>()
    {
        return Err(Error::Api {
            status,
            code: body.code,
            message: body.message,
            messages: Vec::new(),
            field_errors: Default::default(),
            request_id: response.request_id(),
        });
    }
    Err(response.error())
}

async fn call(kind: RequestKind, url: Url) -> Result<String, Error> {
    call_with(&client(), DEADLINE, kind, url).await
}

/// Calls with `http`, whose deadline is `deadline`, and asserts it returned within the
/// deadline + [`MARGIN`].
async fn call_with(
    http: &HttpClient,
    deadline: Duration,
    kind: RequestKind,
    url: Url,
) -> Result<String, Error> {
    let started = Instant::now();
    let result = http.execute(request(kind, url), handle).await;
    assert!(
        started.elapsed() <= deadline + MARGIN,
        "took {:?}",
        started.elapsed()
    );
    result
}

async fn run(fault: Fault, kind: RequestKind) -> (Result<String, Error>, FaultServer) {
    let server = FaultServer::start(vec![fault]).await;
    let result = call(kind, server.url("/v1/orders")).await;
    (result, server)
}

/// [`run`] for a fault that hangs: the short-timeout client.
async fn run_hang(fault: Fault, kind: RequestKind) -> (Result<String, Error>, FaultServer) {
    let server = FaultServer::start(vec![fault]).await;
    let result = call_with(
        &hang_client(),
        HANG_DEADLINE,
        kind,
        server.url("/v1/orders"),
    )
    .await;
    (result, server)
}

fn assert_outcome_unknown(result: &Result<String, Error>) -> &Error {
    match result {
        Err(Error::OutcomeUnknown {
            operation, source, ..
        }) => {
            assert_eq!(*operation, "test.write");
            source
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
}

#[tokio::test]
async fn f1_refused_connection_is_retried_for_every_kind() {
    for kind in [
        RequestKind::Read,
        RequestKind::Write,
        RequestKind::IdempotentWrite,
    ] {
        let url = FaultServer::refused_url("/v1/orders").await;
        let err = call(kind, url).await.unwrap_err();
        assert!(matches!(err, Error::Connect { .. }), "{err:?}");
        assert_eq!(err.attempts(), Some(1 + N), "{kind:?}");
    }
}

#[tokio::test]
async fn f2_unresolvable_host_is_a_connect_error_after_retries() {
    let url = Url::parse("http://payments-sdk-fault.invalid/v1").unwrap();
    let err = call(RequestKind::Read, url).await.unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert_eq!(err.attempts(), Some(1 + N));
}

#[tokio::test]
async fn f3_tls_handshake_failure_is_not_retried() {
    let server = FaultServer::start(vec![Fault::NotTls]).await;
    let url = Url::parse(&server.url("/v1").as_str().replace("http://", "https://")).unwrap();
    let err = call(RequestKind::Read, url).await.unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f4_no_answer_times_out_reads_and_keyed_writes_retry_unkeyed_writes_do_not() {
    let (result, server) = run_hang(Fault::Hang, RequestKind::Read).await;
    assert!(matches!(result, Err(Error::Timeout { .. })), "{result:?}");
    assert_eq!(server.attempts(), 3);

    let (result, server) = run_hang(Fault::Hang, RequestKind::IdempotentWrite).await;
    assert!(matches!(result, Err(Error::Timeout { .. })), "{result:?}");
    assert_eq!(server.attempts(), 3);
    let keys: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("requestid").unwrap().to_owned())
        .collect();
    assert_eq!(keys, vec!["key-7f1c"; 3], "the same key on every attempt");

    let (result, server) = run_hang(Fault::Hang, RequestKind::Write).await;
    assert!(matches!(
        assert_outcome_unknown(&result),
        Error::Timeout { .. }
    ));
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f5_stalled_body_is_a_timeout_not_a_decode_error() {
    let (result, server) = run_hang(Fault::StalledBody, RequestKind::Read).await;
    assert!(matches!(result, Err(Error::Timeout { .. })), "{result:?}");
    assert_eq!(server.attempts(), 3);
    let (result, server) = run_hang(Fault::StalledBody, RequestKind::Write).await;
    assert!(matches!(
        assert_outcome_unknown(&result),
        Error::Timeout { .. }
    ));
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f6_reset_after_request_is_a_transport_error() {
    let (result, server) = run(Fault::ResetAfterRequest, RequestKind::Read).await;
    assert!(
        matches!(
            result,
            Err(Error::Transport {
                kind: TransportKind::Reset,
                ..
            })
        ),
        "{result:?}"
    );
    assert_eq!(server.attempts(), 3);
    let (result, server) = run(Fault::ResetAfterRequest, RequestKind::IdempotentWrite).await;
    assert!(matches!(result, Err(Error::Transport { .. })), "{result:?}");
    assert_eq!(server.attempts(), 3);
    let (result, server) = run(Fault::ResetAfterRequest, RequestKind::Write).await;
    assert!(matches!(
        assert_outcome_unknown(&result),
        Error::Transport { .. }
    ));
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f7_f8_truncated_bodies_are_transport_errors_not_decode_errors() {
    for fault in [Fault::TruncatedBody, Fault::UnterminatedChunked] {
        let (result, server) = run(fault.clone(), RequestKind::Read).await;
        assert!(
            matches!(
                result,
                Err(Error::Transport {
                    kind: TransportKind::Truncated,
                    ..
                })
            ),
            "{fault:?}: {result:?}"
        );
        assert_eq!(server.attempts(), 3);
        let (result, server) = run(fault, RequestKind::Write).await;
        assert!(matches!(
            assert_outcome_unknown(&result),
            Error::Transport { .. }
        ));
        assert_eq!(server.attempts(), 1);
    }
}

#[tokio::test]
async fn f9_proxy_html_502_is_an_http_error_with_a_bounded_excerpt() {
    let (result, server) = run(Fault::Respond(Reply::bad_gateway_html()), RequestKind::Read).await;
    match result {
        Err(Error::Http {
            status,
            content_type,
            excerpt,
            ..
        }) => {
            assert_eq!(status, StatusCode::BAD_GATEWAY);
            assert_eq!(content_type.as_deref(), Some("text/html"));
            assert!(excerpt.contains("502 Bad Gateway") && excerpt.len() <= 512);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.attempts(), 3);
    let (result, server) = run(
        Fault::Respond(Reply::bad_gateway_html()),
        RequestKind::Write,
    )
    .await;
    assert!(matches!(
        assert_outcome_unknown(&result),
        Error::Http { .. }
    ));
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f10_retry_after_is_waited_for() {
    let server = FaultServer::start(vec![
        Fault::Respond(Reply::unavailable_retry_after(1)),
        Fault::Respond(Reply::json(200, r#"{"id":"ok"}"#)),
    ])
    .await;
    let started = Instant::now();
    let id = call(RequestKind::Read, server.url("/v1")).await.unwrap();
    assert_eq!(id, "ok");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(server.attempts(), 2);
}

#[tokio::test]
async fn f11_retry_after_above_the_cap_stops_at_once() {
    // 5 s is above the 2 s cap and far inside the 30 s deadline: only the cap can stop the
    // retry (a client that ignored it would wait 5 s and try again).
    let (result, server) = run(
        Fault::Respond(Reply::unavailable_retry_after(5)),
        RequestKind::Read,
    )
    .await;
    assert!(
        matches!(
            result,
            Err(Error::Http {
                status: StatusCode::SERVICE_UNAVAILABLE,
                ..
            })
        ),
        "{result:?}"
    );
    assert_eq!(
        server.attempts(),
        1,
        "the Retry-After above the cap was waited for"
    );
}

/// F10/deadline: a `Retry-After` the policy honours (20 s, within a 30 s cap) that would end
/// after the deadline (10 s): the deadline is checked before the sleep, so the call returns at
/// once with the 503 after 1 attempt — well before the `Retry-After` would end (a client that
/// slept would return after 20 s; the bound is the deadline + 2 s).
#[tokio::test]
async fn f10_a_retry_after_ending_after_the_deadline_returns_at_once_with_the_last_error() {
    let deadline = Duration::from_secs(10);
    let http = HttpClient::new(
        "test",
        "payments-common-tests/0",
        config(deadline, deadline).retry(
            RetryPolicy::default()
                .with_max_retries(N)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
                .with_retry_after_cap(Duration::from_secs(30)),
        ),
    )
    .unwrap();
    let server = FaultServer::start(vec![Fault::Respond(Reply::unavailable_retry_after(20))]).await;
    let started = Instant::now();
    let result = http
        .execute(request(RequestKind::Read, server.url("/v1/orders")), handle)
        .await;
    let elapsed = started.elapsed();
    assert!(
        matches!(
            result,
            Err(Error::Http {
                status: StatusCode::SERVICE_UNAVAILABLE,
                ..
            }) | Err(Error::RateLimited { .. })
        ),
        "{result:?}"
    );
    assert_eq!(server.attempts(), 1);
    assert!(
        elapsed < deadline + Duration::from_secs(2),
        "slept into a Retry-After that ends after the deadline: returned after {elapsed:?}"
    );
}

#[tokio::test]
async fn f12_429_without_retry_after_is_rate_limited_without_retry() {
    let (result, server) = run(
        Fault::Respond(Reply::too_many_requests()),
        RequestKind::Read,
    )
    .await;
    assert!(
        matches!(
            result,
            Err(Error::RateLimited {
                retry_after: None,
                ..
            })
        ),
        "{result:?}"
    );
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f13_500_with_provider_json_is_an_api_error() {
    let body = r#"{"code":"E500","message":"internal"}"#;
    let (result, server) = run(Fault::Respond(Reply::json(500, body)), RequestKind::Read).await;
    assert!(
        matches!(&result, Err(Error::Api { code: Some(c), .. }) if c == "E500"),
        "{result:?}"
    );
    assert_eq!(server.attempts(), 3);
    let (result, server) = run(Fault::Respond(Reply::json(500, body)), RequestKind::Write).await;
    assert!(
        matches!(assert_outcome_unknown(&result), Error::Api { .. }),
        "{result:?}"
    );
    assert_eq!(server.attempts(), 1);

    // Unless the body is the provider's own definitive refusal, as the operation recognises it.
    fn provider_envelope(body: &[u8]) -> bool {
        body.starts_with(br#"{"code":"E500""#)
    }
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(500, body))]).await;
    let write = request(RequestKind::Write, server.url("/v1")).final_errors_when(provider_envelope);
    let result = client().execute(write, handle).await;
    assert!(matches!(&result, Err(Error::Api { .. })), "{result:?}");
    assert_eq!(server.attempts(), 1);

    // A read answered with the provider's final envelope is not asked again either...
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(500, body))]).await;
    let req = request(RequestKind::Read, server.url("/v1")).final_errors_when(provider_envelope);
    let result = client().execute(req, handle).await;
    assert!(matches!(&result, Err(Error::Api { .. })), "{result:?}");
    assert_eq!(server.attempts(), 1);

    // ...but a proxy's HTML 5xx page in front of it still is.
    let server = FaultServer::start(vec![Fault::Respond(Reply::html(
        502,
        "<html>bad gateway</html>",
    ))])
    .await;
    let req = request(RequestKind::Read, server.url("/v1")).final_errors_when(provider_envelope);
    let result = client().execute(req, handle).await;
    assert!(matches!(&result, Err(Error::Http { .. })), "{result:?}");
    assert_eq!(server.attempts(), 3);

    // And so is a proxy's JSON error page: JSON alone is not the provider speaking. On a write
    // it leaves the outcome open (the provider behind the proxy may have applied it).
    for proxy in [
        r#"{"status":504,"error":"Gateway Timeout"}"#,
        r#"{"status":"error"}"#,
    ] {
        let server = FaultServer::start(vec![Fault::Respond(Reply::json(504, proxy))]).await;
        let req =
            request(RequestKind::Read, server.url("/v1")).final_errors_when(provider_envelope);
        let result = client().execute(req, handle).await;
        assert!(result.is_err(), "{result:?}");
        assert_eq!(server.attempts(), 3, "{proxy}");

        let server = FaultServer::start(vec![Fault::Respond(Reply::json(504, proxy))]).await;
        let write =
            request(RequestKind::Write, server.url("/v1")).final_errors_when(provider_envelope);
        let result = client().execute(write, handle).await;
        let err = result.expect_err("a proxy's answer is not a success");
        assert!(
            matches!(err, Error::OutcomeUnknown { .. }),
            "{proxy}: {err:?}"
        );
        assert!(!err.is_retryable(), "{proxy}");
        assert_eq!(server.attempts(), 1, "{proxy}");
    }
}

#[tokio::test]
async fn a_write_answered_with_an_undocumented_success_or_redirect_is_outcome_unknown() {
    // The handler expects 201; 202, 204 and a 3xx prove nothing about whether it was applied.
    for status in [202u16, 204, 302, 303] {
        let server = FaultServer::start(vec![Fault::Respond(Reply::json(status, "{}"))]).await;
        let result = client()
            .execute(
                request(RequestKind::Write, server.url("/v1")),
                |r| match r.status().as_u16() {
                    201 => Ok(()),
                    _ => Err(r.error()),
                },
            )
            .await;
        let err = result.expect_err("only 201 is a success here");
        assert!(
            matches!(err, Error::OutcomeUnknown { .. }),
            "{status}: {err:?}"
        );
        assert_eq!(server.attempts(), 1, "{status}");
    }
    // A 4xx is a definitive refusal.
    let server = FaultServer::start(vec![Fault::Respond(Reply::html(400, "bad"))]).await;
    let result = client()
        .execute(request(RequestKind::Write, server.url("/v1")), |r| {
            Err::<(), _>(r.error())
        })
        .await;
    assert!(matches!(result, Err(Error::Http { .. })), "{result:?}");
}

#[tokio::test]
async fn f14_client_errors_are_typed_and_never_retried() {
    let cases = [
        (400, "api"),
        (401, "unauthorized"),
        (403, "unauthorized"),
        (404, "not_found"),
        (422, "api"),
    ];
    for (status, expected) in cases {
        let reply = Reply::json(status, r#"{"message":"nope"}"#);
        let (result, server) = run(Fault::Respond(reply), RequestKind::Read).await;
        let err = result.unwrap_err();
        let got = match err {
            Error::Api { .. } => "api",
            Error::Unauthorized { .. } => "unauthorized",
            Error::NotFound { .. } => "not_found",
            _ => "other",
        };
        assert_eq!(got, expected, "{status}: {err:?}");
        assert_eq!(server.attempts(), 1, "{status}");
    }
}

#[tokio::test]
async fn f15_200_with_html_is_a_decode_error_and_a_possibly_applied_write() {
    let reply = Reply::html(200, "<html>maintenance</html>");
    let (result, server) = run(Fault::Respond(reply.clone()), RequestKind::Read).await;
    assert!(
        matches!(
            result,
            Err(Error::Decode {
                status: StatusCode::OK,
                ..
            })
        ),
        "{result:?}"
    );
    assert_eq!(server.attempts(), 1);
    let (result, server) = run(Fault::Respond(reply), RequestKind::Write).await;
    assert!(matches!(
        assert_outcome_unknown(&result),
        Error::Decode { .. }
    ));
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f16_200_with_empty_body_is_a_decode_error() {
    let (result, server) = run(Fault::Respond(Reply::empty(200)), RequestKind::Read).await;
    assert!(matches!(result, Err(Error::Decode { .. })), "{result:?}");
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f17_wrong_field_type_names_the_path() {
    let (result, server) = run(
        Fault::Respond(Reply::json(200, r#"{"id": 12.5}"#)),
        RequestKind::Read,
    )
    .await;
    match result {
        Err(Error::Decode { path, .. }) => assert_eq!(path, "id"),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f18_oversized_body_is_refused_without_reading_it() {
    let (result, server) = run(
        Fault::Respond(Reply::oversized_json(8 * 1024 * 1024)),
        RequestKind::Read,
    )
    .await;
    assert!(
        matches!(
            result,
            Err(Error::ResponseTooLarge {
                limit: 1_048_576,
                ..
            })
        ),
        "{result:?}"
    );
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn f19_redirects_are_never_followed() {
    let other =
        FaultServer::start(vec![Fault::Respond(Reply::json(200, r#"{"id":"stolen"}"#))]).await;
    let redirect = Reply::redirect(other.url("/collect").as_str());
    let (result, server) = run(Fault::Respond(redirect), RequestKind::Write).await;
    // A write answered with a redirect may still have been applied: the outcome is open.
    let Err(Error::OutcomeUnknown { source, .. }) = result else {
        panic!("{result:?}");
    };
    match *source {
        Error::UnexpectedRedirect { status, location } => {
            assert_eq!(status, StatusCode::FOUND);
            assert_eq!(location.as_deref(), Some("http://127.0.0.1"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.attempts(), 1);
    assert_eq!(
        other.attempts(),
        0,
        "no request, and no credential, reached the other host"
    );
}

#[tokio::test]
async fn f20_charge_recorded_then_reset_never_charges_twice() {
    let fault = Fault::ChargeThenReset {
        key_header: "requestid",
        reply: Reply::json(201, r#"{"id":"charge-1"}"#),
    };
    let (result, server) = run(fault.clone(), RequestKind::IdempotentWrite).await;
    assert_eq!(result.unwrap(), "charge-1");
    assert_eq!(server.attempts(), 2);
    assert_eq!(server.charges(), 1);

    let (result, server) = run(fault, RequestKind::Write).await;
    assert!(matches!(
        assert_outcome_unknown(&result),
        Error::Transport { .. }
    ));
    assert_eq!(server.attempts(), 1, "an unkeyed write is never re-sent");
    assert_eq!(server.charges(), 1);
}

#[tokio::test]
async fn f21_idempotency_conflict_is_retried_then_reported() {
    let reply = Reply::json(
        409,
        r#"{"code":"idempotency_conflict","message":"in flight"}"#,
    );
    let (result, server) = run(Fault::Respond(reply), RequestKind::IdempotentWrite).await;
    assert!(
        matches!(
            result,
            Err(Error::Api {
                status: StatusCode::CONFLICT,
                ..
            })
        ),
        "{result:?}"
    );
    assert_eq!(server.attempts(), 3);
}

#[tokio::test]
async fn overall_deadline_bounds_all_attempts() {
    // The attempts alone would take 3 × 60 s: only the 1 s deadline can end the call
    // within the deadline + the margin.
    let server = FaultServer::start(vec![Fault::Hang]).await;
    let deadline = Duration::from_secs(1);
    let config = HttpConfig::default()
        .attempt_timeout(Duration::from_secs(60))
        .deadline(deadline)
        .retry(
            RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(2)),
        );
    let http = HttpClient::new("test", "t/0", config).unwrap();
    let started = Instant::now();
    let err = http
        .execute(Request::get("test.read", server.url("/")), handle)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(
        started.elapsed() < deadline + MARGIN,
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn one_pool_per_client_and_connections_are_reused() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(200, r#"{"id":"x"}"#))]).await;
    let http = client();
    let clone = http.clone();
    assert!(http.shares_pool_with(&clone));
    assert!(!http.shares_pool_with(&client()));
    for _ in 0..3 {
        clone
            .execute(Request::get("test.read", server.url("/")), handle)
            .await
            .unwrap();
    }
    assert_eq!(server.attempts(), 3);
    let agent = server.requests()[0]
        .header("user-agent")
        .unwrap()
        .to_owned();
    assert!(
        agent.starts_with("payments-common-tests/0 payments-common/"),
        "{agent}"
    );
}
