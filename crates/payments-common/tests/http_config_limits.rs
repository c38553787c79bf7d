//! Extreme `HttpConfig` and `RetryPolicy` values never panic: timeouts of `Duration::MAX`
//! saturate, zero timeouts are refused when the client is built, extreme backoffs and
//! `Retry-After` values are handled as RFC 9110 says — each through a real request.

use std::time::{Duration, Instant};

use payments_common::http::{HttpClient, HttpConfig, Request, RetryPolicy};
use payments_common::testing::{Fault, FaultServer, Reply};
use payments_common::{Error, StatusCode};

/// Generous: these calls expect a definitive answer.
const DEADLINE: Duration = Duration::from_secs(20);

fn base() -> HttpConfig {
    HttpConfig::default()
        .connect_timeout(Duration::from_secs(5))
        .attempt_timeout(Duration::from_secs(10))
        .deadline(DEADLINE)
        .retry(
            RetryPolicy::default()
                .with_max_retries(2)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
}

async fn read(config: HttpConfig, script: Vec<Fault>) -> (Result<String, Error>, usize) {
    let server = FaultServer::start(script).await;
    let http = HttpClient::new("test", "t/0", config).unwrap();
    let started = Instant::now();
    let result = http
        .execute(Request::get("test.read", server.url("/v1")), |r| {
            if r.status().is_success() {
                Ok(String::from_utf8_lossy(r.body()).into_owned())
            } else {
                Err(r.error())
            }
        })
        .await;
    assert!(
        started.elapsed() < DEADLINE + Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    (result, server.attempts())
}

/// One `HttpConfig` setter applied with an extreme value.
type Setter = fn(HttpConfig) -> HttpConfig;

fn ok() -> Vec<Fault> {
    vec![Fault::Respond(Reply::json(200, r#"{"id":"ok"}"#))]
}

#[tokio::test]
async fn timeouts_of_duration_max_saturate_and_calls_succeed() {
    let setters: [(&str, Setter); 3] = [
        ("connect_timeout", |c| c.connect_timeout(Duration::MAX)),
        ("attempt_timeout", |c| c.attempt_timeout(Duration::MAX)),
        ("deadline", |c| c.deadline(Duration::MAX)),
    ];
    for (label, set) in setters {
        let config = set(base());
        let (result, attempts) = read(config.clone(), ok()).await;
        assert_eq!(result.unwrap(), r#"{"id":"ok"}"#, "{label}");
        assert_eq!(attempts, 1, "{label}");
    }
    let all = base()
        .connect_timeout(Duration::MAX)
        .attempt_timeout(Duration::MAX)
        .deadline(Duration::MAX);
    assert_eq!(all.get_connect_timeout(), HttpConfig::MAX_TIMEOUT);
    assert_eq!(all.get_attempt_timeout(), HttpConfig::MAX_TIMEOUT);
    assert_eq!(all.get_deadline(), HttpConfig::MAX_TIMEOUT);
    let (result, _) = read(all, ok()).await;
    assert!(result.is_ok(), "{result:?}");
}

#[tokio::test]
async fn zero_timeouts_are_refused_when_the_client_is_built() {
    let setters: [(&str, Setter); 3] = [
        ("connect_timeout", |c| c.connect_timeout(Duration::ZERO)),
        ("attempt_timeout", |c| c.attempt_timeout(Duration::ZERO)),
        ("deadline", |c| c.deadline(Duration::ZERO)),
    ];
    for (field, set) in setters {
        match HttpClient::new("test", "t/0", set(base())) {
            Err(e) => assert_eq!(e.invalid_field(), Some(field), "{e}"),
            Ok(_) => panic!("{field}: a zero timeout was accepted"),
        }
    }
}

#[tokio::test]
async fn backoffs_of_duration_max_stop_within_the_deadline_instead_of_panicking() {
    let unavailable = || {
        vec![
            Fault::Respond(Reply::html(503, "<h1>503</h1>")),
            Fault::Respond(Reply::json(200, r#"{"id":"ok"}"#)),
        ]
    };
    for (label, policy) in [
        (
            "backoff MAX",
            RetryPolicy::default().with_backoff(Duration::MAX, Duration::MAX),
        ),
        (
            "max backoff MAX",
            RetryPolicy::default().with_backoff(Duration::from_secs(3600), Duration::MAX),
        ),
    ] {
        let (result, attempts) = read(base().retry(policy), unavailable()).await;
        assert!(
            matches!(
                result,
                Err(Error::Http {
                    status: StatusCode::SERVICE_UNAVAILABLE,
                    ..
                })
            ),
            "{label}: {result:?}"
        );
        assert_eq!(attempts, 1, "{label}: the wait would pass the deadline");
    }
    // Zero backoff: the retry comes at once.
    let zero = RetryPolicy::default().with_backoff(Duration::ZERO, Duration::ZERO);
    let (result, attempts) = read(base().retry(zero), unavailable()).await;
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(attempts, 2);
}

#[tokio::test]
async fn retry_after_caps_of_duration_max_and_zero() {
    let huge = "99999999999999999999999999";
    let script = |after: &str| {
        vec![
            Fault::Respond(Reply::html(503, "<h1>503</h1>").header("Retry-After", after)),
            Fault::Respond(Reply::json(200, r#"{"id":"ok"}"#)),
        ]
    };
    // No cap at all, and an overflowing Retry-After: the wait passes the deadline, so stop.
    let uncapped = base().retry(
        RetryPolicy::default()
            .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
            .with_retry_after_cap(Duration::MAX),
    );
    let (result, attempts) = read(uncapped, script(huge)).await;
    assert!(matches!(result, Err(Error::Http { .. })), "{result:?}");
    assert_eq!(attempts, 1);
    // A zero cap: `Retry-After: 0` is honoured, `1` stops at once.
    let zero_cap = base().retry(
        RetryPolicy::default()
            .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
            .with_retry_after_cap(Duration::ZERO),
    );
    let (result, attempts) = read(zero_cap.clone(), script("0")).await;
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(attempts, 2);
    let (result, attempts) = read(zero_cap, script("1")).await;
    assert!(result.is_err());
    assert_eq!(attempts, 1);
}

#[tokio::test]
async fn an_overflowing_retry_after_on_429_is_rate_limited_with_the_saturated_delay() {
    let reply = Reply::json(429, r#"{"message":"slow down"}"#)
        .header("Retry-After", "99999999999999999999999999");
    let (result, attempts) = read(base(), vec![Fault::Respond(reply)]).await;
    match result {
        Err(Error::RateLimited { retry_after, .. }) => {
            assert_eq!(retry_after, Some(Duration::from_secs(u64::MAX)));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(attempts, 1);
}

#[tokio::test]
async fn a_fractional_retry_after_is_ignored_as_if_absent() {
    // On a 503 read: retried after the ordinary backoff.
    let script = vec![
        Fault::Respond(Reply::html(503, "<h1>503</h1>").header("Retry-After", "0.5")),
        Fault::Respond(Reply::json(200, r#"{"id":"ok"}"#)),
    ];
    let (result, attempts) = read(base(), script).await;
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(attempts, 2);
    // On a 429: rate limited, no delay known, not retried.
    let reply = Reply::json(429, "{}").header("Retry-After", "1.5");
    let (result, attempts) = read(base(), vec![Fault::Respond(reply)]).await;
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
    assert_eq!(attempts, 1);
}
