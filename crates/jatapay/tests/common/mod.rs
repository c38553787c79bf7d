//! Shared helpers for the jatapay integration tests.
#![allow(dead_code, unused_macros)]

use std::time::Duration;

use jatapay::{Client, ClientBuilder, Credentials, HttpConfig, RetryPolicy, SecretString};

pub const CLIENT_ID: &str = "jp-client";
/// A canary: must never appear in any Debug/Display output.
pub const CLIENT_SECRET: &str = "jp-secret-CANARY";
/// `Basic base64("jp-client:jp-secret-CANARY")`.
pub const BASIC: &str = "Basic anAtY2xpZW50OmpwLXNlY3JldC1DQU5BUlk=";

/// The text of `fixtures/jatapay/<name>`.
macro_rules! fixture {
    ($name:literal) => {
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/jatapay/",
            $name
        ))
        .expect(concat!("fixture ", $name))
    };
}

/// `fixtures/jatapay/<name>` as a JSON value.
macro_rules! fixture_json {
    ($name:literal) => {
        serde_json::from_str::<serde_json::Value>(&fixture!($name))
            .expect(concat!("valid JSON in ", $name))
    };
}

pub fn credentials() -> Credentials {
    Credentials::new(
        SecretString::from(CLIENT_ID),
        SecretString::from(CLIENT_SECRET),
    )
}

/// Settings for tests that expect a definitive answer: timeouts far above anything a loopback
/// server needs even on a busy machine, retries without waiting.
pub fn fast_config() -> HttpConfig {
    HttpConfig::default()
        .attempt_timeout(Duration::from_secs(10))
        .deadline(Duration::from_secs(30))
        .retry(
            RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
}

/// The per-attempt timeout of [`hang_config`].
pub const HANG_ATTEMPT: Duration = Duration::from_millis(300);

/// Settings for tests of a server that never answers: a short per-attempt timeout, so that
/// they end quickly. Such tests assert only "returned within the timeouts plus a generous
/// margin".
pub fn hang_config() -> HttpConfig {
    fast_config().attempt_timeout(HANG_ATTEMPT)
}

/// A builder with `credentials` whose three hosts are `base`.
pub fn builder_at(base: &str, credentials: Credentials) -> ClientBuilder {
    Client::builder(credentials)
        .auth_base_url(base)
        .api_base_url(base)
        .gateway_base_url(base)
        .http_config(fast_config())
}

pub fn client_at(base: &str) -> Client {
    builder_at(base, credentials()).build().unwrap()
}
