//! Shared helpers of the begateway integration tests.
#![allow(dead_code, reason = "each test file uses a different subset")]

use std::time::Duration;

use base64::Engine as _;
use begateway::{Client, Credentials, HttpConfig, RetryPolicy};

pub const SHOP_ID: &str = "361";
pub const SECRET: &str = "b8647b68898b084b836474ed8d61ffe117c9a01168d867f24953b776ddcb134d";

/// Reads `fixtures/begateway/<name>`.
pub fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../fixtures/begateway/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The fixture parsed as JSON.
pub fn fixture_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

/// `Basic base64(shop_id:secret)`.
pub fn basic(shop_id: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{shop_id}:{secret}"))
    )
}

/// For tests that expect a definitive answer: millisecond backoffs (two retries), and
/// timeouts far above anything a loopback server needs even on a busy machine (10 s per
/// attempt, 30 s in all), so that only the fault under test decides the outcome.
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

/// The deadline of [`hang_config`].
pub const HANG_DEADLINE: Duration = Duration::from_secs(2);

/// For tests of a hang (a server that never answers or stalls): short timeouts; such a test
/// asserts only "returned within [`HANG_DEADLINE`] + a generous margin".
pub fn hang_config() -> HttpConfig {
    fast_config()
        .attempt_timeout(HANG_ATTEMPT)
        .deadline(HANG_DEADLINE)
}

/// The margin a hang test allows above the deadline before calling it a hang.
pub const MARGIN: Duration = Duration::from_secs(2);

/// A client whose API and gateway hosts are both `base`.
pub fn client(base: &str) -> Client {
    client_with(base, base)
}

/// A client with [`hang_config`], for tests of a hang.
pub fn hang_client(base: &str) -> Client {
    Client::builder(Credentials::new(SHOP_ID, SECRET))
        .api_base_url(base)
        .gateway_base_url(base)
        .http_config(hang_config())
        .build()
        .unwrap()
}

/// A client with separate API and gateway hosts.
pub fn client_with(api: &str, gateway: &str) -> Client {
    Client::builder(Credentials::new(SHOP_ID, SECRET))
        .api_base_url(api)
        .gateway_base_url(gateway)
        .http_config(fast_config())
        .build()
        .unwrap()
}

/// A transaction body as the gateway's status query returns it (shape from beGateway's SDKs,
/// `docs/providers/begateway.md#transactions`; not on the products page).
pub fn transaction_body(uid: &str, status: &str) -> String {
    format!(
        r#"{{"transaction":{{"uid":"{uid}","status":"{status}","message":"Successfully processed","amount":990,
"currency":"USD","description":"product","type":"payment","payment_method_type":"credit_card",
"tracking_id":"order-42","test":true,"created_at":"2024-01-25T15:07:46Z",
"credit_card":{{"holder":"JOHN DOE","stamp":"b3e6dd1a","token":"tok-should-not-be-kept","brand":"visa",
"last_4":"0000","first_1":"4","exp_month":5,"exp_year":2030}},
"customer":{{"ip":"127.0.0.1","email":"john@example.com"}},
"payment":{{"auth_code":"654321","bank_code":"05","rrn":"999","ref_id":"777888","message":"Payment was approved",
"gateway_id":317,"billing_descriptor":"TEST GATEWAY BILLING DESCRIPTOR","status":"{status}"}},
"some_future_field":{{"x":1}}}}}}"#
    )
}

/// The headers of a notification request: `Authorization` and `Content-Signature` when given.
pub fn notify_headers(
    authorization: Option<&str>,
    signature: Option<&str>,
) -> begateway::HeaderMap {
    let mut headers = begateway::HeaderMap::new();
    if let Some(a) = authorization {
        headers.insert("authorization", a.parse().unwrap());
    }
    if let Some(s) = signature {
        headers.insert("content-signature", s.parse().unwrap());
    }
    headers
}

/// The shared error kind of a result, for matching.
pub trait KindOf<T> {
    /// `self` with the crate's error turned into its kind.
    fn kind(self) -> Result<T, begateway::ErrorKind>;
}

impl<T> KindOf<T> for Result<T, begateway::Error> {
    fn kind(self) -> Result<T, begateway::ErrorKind> {
        self.map_err(begateway::Error::into_kind)
    }
}

/// A client whose API, checkout and gateway hosts are all `base`.
pub fn client_with_checkout(base: &str) -> Client {
    Client::builder(Credentials::new(SHOP_ID, SECRET))
        .api_base_url(base)
        .checkout_base_url(base)
        .gateway_base_url(base)
        .http_config(fast_config())
        .build()
        .unwrap()
}
