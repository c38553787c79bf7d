//! Shared helpers of the greenpay integration tests.
#![allow(dead_code, reason = "each test file uses a different subset")]

use std::time::Duration;

use greenpay::{Client, Credentials, HttpConfig, RetryPolicy};

/// The merchant id of GreenPay's examples.
pub const MERCHANT_ID: &str = "143b28c9-32ad-4635-8ed8-d6abfb6863a0";
/// The terminal of GreenPay's examples.
pub const TERMINAL: &str = "deKokoTest-eb29-BNCR-CRC";
/// The secret of the page's unirest example.
pub const SECRET: &str = "QUY5MzBEMkRDMzVCMDFCRDc2NzEwRjZCQjE3NjhFNkE0NjhEQ0MxRjkxQzkzMjAwNzVDNUVGNkY5RTc0N0M0NzkzNUEyQUZFQjczMEYyODEyRjJEMDc5Q0ExNTk1NTA0NjdCMkNBODg1N0Q4MzY2MjI0NEREMUVGQjk4NTcwMzg=";

/// Reads `fixtures/greenpay/<name>`.
pub fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../fixtures/greenpay/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The fixture parsed as JSON.
pub fn fixture_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

/// Millisecond backoffs, but attempt timeouts and a deadline far above anything a loopback
/// answer needs on a busy machine: a test that expects a definitive answer must never see
/// a timeout instead.
pub fn fast_config() -> HttpConfig {
    HttpConfig::default()
        .attempt_timeout(Duration::from_secs(20))
        .deadline(Duration::from_secs(60))
        .retry(
            RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
}

/// The attempt timeout of [`hang_config`].
pub const HANG_ATTEMPT_TIMEOUT: Duration = Duration::from_millis(300);

/// Short timeouts, only for tests of a server that never answers (they assert the call
/// returned within the deadline plus a generous margin, never a tighter time).
pub fn hang_config() -> HttpConfig {
    HttpConfig::default()
        .attempt_timeout(HANG_ATTEMPT_TIMEOUT)
        .deadline(Duration::from_secs(5))
        .retry(
            RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
}

/// The example credentials.
pub fn credentials() -> Credentials {
    Credentials::new(MERCHANT_ID, TERMINAL, SECRET)
}

/// A client of `base` with the example credentials.
pub fn client(base: &str) -> Client {
    Client::builder(credentials())
        .base_url(base)
        .http_config(fast_config())
        .build()
        .unwrap()
}

/// `body` with the credentials a client adds (`terminal` only when asked).
pub fn with_credentials(
    mut body: serde_json::Value,
    merchant: &str,
    secret: &str,
    terminal: Option<&str>,
) -> serde_json::Value {
    let obj = body.as_object_mut().unwrap();
    obj.insert("merchantId".into(), merchant.into());
    obj.insert("secret".into(), secret.into());
    if let Some(t) = terminal {
        obj.insert("terminal".into(), t.into());
    }
    body
}
