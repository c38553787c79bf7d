//! The pipeline's settings read back as they were set: `HttpConfig`'s documented defaults, its
//! setters and getters, the 24-hour ceiling of every timeout, the zero timeouts refused by
//! name when a client is built, what its `Debug` shows, and the per-call `RequestOptions` and
//! `ResponseMeta` accessors an application reads.

use std::time::Duration;

use payments_common::http::{HttpClient, HttpConfig, RequestOptions, ResponseMeta, RetryPolicy};
use payments_common::{Error, StatusCode};

#[test]
fn the_defaults_are_the_documented_ones() {
    let c = HttpConfig::default();
    assert_eq!(c.get_connect_timeout(), Duration::from_secs(10));
    assert_eq!(c.get_attempt_timeout(), Duration::from_secs(30));
    assert_eq!(c.get_deadline(), Duration::from_secs(60));
    assert_eq!(c.get_max_body_bytes(), 4 * 1024 * 1024);
    assert_eq!(*c.get_retry(), RetryPolicy::default());
    assert_eq!(c.get_user_agent_suffix(), None);
}

#[test]
fn every_setting_reads_back_as_set() {
    let policy = RetryPolicy::default()
        .with_max_retries(4)
        .with_backoff(Duration::from_millis(3), Duration::from_millis(40))
        .with_retry_after_cap(Duration::from_secs(7));
    let c = HttpConfig::default()
        .connect_timeout(Duration::from_secs(2))
        .attempt_timeout(Duration::from_secs(3))
        .deadline(Duration::from_secs(4))
        .max_body_bytes(12345)
        .retry(policy)
        .user_agent_suffix("shop/1.2");
    assert_eq!(c.get_connect_timeout(), Duration::from_secs(2));
    assert_eq!(c.get_attempt_timeout(), Duration::from_secs(3));
    assert_eq!(c.get_deadline(), Duration::from_secs(4));
    assert_eq!(c.get_max_body_bytes(), 12345);
    assert_eq!(*c.get_retry(), policy);
    assert_eq!(c.get_retry().max_retries, 4);
    assert_eq!(c.get_retry().initial_backoff, Duration::from_millis(3));
    assert_eq!(c.get_retry().max_backoff, Duration::from_millis(40));
    assert_eq!(c.get_retry().retry_after_cap, Duration::from_secs(7));
    assert_eq!(c.get_user_agent_suffix(), Some("shop/1.2"));
}

#[test]
fn timeouts_longer_than_24_hours_are_taken_as_24_hours() {
    let day = HttpConfig::MAX_TIMEOUT;
    assert_eq!(day, Duration::from_secs(86_400));
    let c = HttpConfig::default()
        .connect_timeout(Duration::MAX)
        .attempt_timeout(day + Duration::from_nanos(1))
        .deadline(Duration::from_secs(u64::MAX));
    assert_eq!(c.get_connect_timeout(), day);
    assert_eq!(c.get_attempt_timeout(), day);
    assert_eq!(c.get_deadline(), day);
    // Exactly 24 hours, and anything shorter, is kept.
    let c = HttpConfig::default()
        .deadline(day)
        .attempt_timeout(day - Duration::from_nanos(1));
    assert_eq!(c.get_deadline(), day);
    assert_eq!(c.get_attempt_timeout(), day - Duration::from_nanos(1));
}

#[test]
fn a_zero_timeout_is_refused_by_name_when_the_client_is_built() {
    for (field, config) in [
        (
            "connect_timeout",
            HttpConfig::default().connect_timeout(Duration::ZERO),
        ),
        (
            "attempt_timeout",
            HttpConfig::default().attempt_timeout(Duration::ZERO),
        ),
        ("deadline", HttpConfig::default().deadline(Duration::ZERO)),
    ] {
        let error = HttpClient::new("test", "payments-common-tests/0", config).unwrap_err();
        assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
        assert_eq!(error.invalid_field(), Some(field));
    }
    let one_nano = HttpConfig::default()
        .connect_timeout(Duration::from_nanos(1))
        .attempt_timeout(Duration::from_nanos(1))
        .deadline(Duration::from_nanos(1));
    assert!(HttpClient::new("test", "payments-common-tests/0", one_nano).is_ok());
}

#[test]
fn debug_shows_every_setting_and_whether_reqwest_is_customised() {
    let plain = format!(
        "{:?}",
        HttpConfig::default()
            .max_body_bytes(4321)
            .user_agent_suffix("shop/9")
    );
    for part in [
        "HttpConfig",
        "connect_timeout: 10s",
        "attempt_timeout: 30s",
        "deadline: 60s",
        "max_body_bytes: 4321",
        "max_retries: 2",
        "shop/9",
        "configure_reqwest: false",
    ] {
        assert!(plain.contains(part), "{part} missing from {plain}");
    }
    let custom = format!(
        "{:?}",
        HttpConfig::default().configure_reqwest(|builder| builder.pool_max_idle_per_host(1))
    );
    assert!(custom.contains("configure_reqwest: true"), "{custom}");
}

#[test]
fn request_options_read_back_and_zero_timeouts_are_refused_when_used() {
    let options = RequestOptions::new()
        .deadline(Duration::from_secs(3))
        .idempotency_key("order-42");
    assert_eq!(options.get_deadline(), Some(Duration::from_secs(3)));
    assert_eq!(options.get_idempotency_key(), Some("order-42"));
    let empty = RequestOptions::new();
    assert_eq!(empty.get_deadline(), None);
    assert_eq!(empty.get_idempotency_key(), None);
}

#[test]
fn response_meta_reads_back() {
    let meta = ResponseMeta::new(StatusCode::CREATED, Some("req-9".to_owned()), 3);
    assert_eq!(meta.status(), StatusCode::CREATED);
    assert_eq!(meta.request_id(), Some("req-9"));
    assert_eq!(meta.attempts(), 3);
    let bare = ResponseMeta::new(StatusCode::OK, None, 1);
    assert_eq!(bare.request_id(), None);
    assert_eq!(bare.attempts(), 1);
}

#[test]
fn a_client_reports_the_settings_it_was_built_with() {
    let http = HttpClient::new(
        "test",
        "payments-common-tests/0",
        HttpConfig::default()
            .attempt_timeout(Duration::from_secs(3))
            .deadline(Duration::from_secs(9))
            .max_body_bytes(4321)
            .user_agent_suffix("shop/1.2"),
    )
    .unwrap();
    let config = http.config();
    assert_eq!(config.get_attempt_timeout(), Duration::from_secs(3));
    assert_eq!(config.get_deadline(), Duration::from_secs(9));
    assert_eq!(config.get_max_body_bytes(), 4321);
    assert_eq!(config.get_user_agent_suffix(), Some("shop/1.2"));
    // A handle with per-call options keeps the client's settings and pool.
    let handle = http.with_options(RequestOptions::new().deadline(Duration::from_secs(2)));
    assert_eq!(handle.config().get_max_body_bytes(), 4321);
    assert!(handle.shares_pool_with(&http));
}

#[test]
fn a_client_debug_names_its_provider_and_settings() {
    let http = HttpClient::new(
        "greenpay",
        "payments-common-tests/0",
        HttpConfig::default().max_body_bytes(4321),
    )
    .unwrap();
    let debug = format!("{http:?}");
    assert!(debug.starts_with("HttpClient"), "{debug}");
    assert!(debug.contains("greenpay"), "{debug}");
    assert!(debug.contains("max_body_bytes: 4321"), "{debug}");
}
