//! Constructors and signing helpers for testing your own code without a network (feature
//! `test-util`).
//!
//! Every response and notification type has a `for_tests(..)` constructor taking its
//! identifying fields (the rest defaulted; set the public fields afterwards), and
//! [`notification`] / [`signed_notification`] produce a notification request that this crate's
//! own [`WebhookVerifier`](crate::WebhookVerifier) accepts.
//!
//! ```
//! use begateway::{Credentials, TransactionStatus, Transaction, WebhookVerifier, test_util};
//!
//! let credentials = Credentials::new("361", "shop-secret-key");
//! let mut paid = Transaction::for_tests("1-310b0da80b", TransactionStatus::Successful);
//! paid.tracking_id = Some("order-42".into());
//! let (headers, body) = test_util::notification(&credentials, &paid);
//! let verified = WebhookVerifier::new(credentials)?.verify(&headers, &body)?;
//! assert_eq!(verified.transaction.tracking_id.as_deref(), Some("order-42"));
//! # Ok::<(), begateway::Error>(())
//! ```

use base64::Engine as _;
use payments_common::{ExposeSecret, HeaderMap};

use crate::client::Credentials;
use crate::transactions::Transaction;

/// The request beGateway would send for `transaction`: `Authorization: Basic
/// base64(shop_id:secret_key)`, `Content-Type: application/json`, and the body
/// `{"transaction": {...}}`. A verifier without a public key accepts it.
pub fn notification(credentials: &Credentials, transaction: &Transaction) -> (HeaderMap, Vec<u8>) {
    let body =
        serde_json::to_vec(&serde_json::json!({ "transaction": transaction })).unwrap_or_default();
    (headers(credentials), body)
}

/// [`notification`] with a `Content-Signature` too: `sign` receives the exact body bytes and
/// returns the RSA PKCS#1 v1.5 SHA-256 signature made with the private key whose public half
/// the verifier holds (in a test, a key you generate, e.g. with the `rsa` crate).
///
/// ```
/// use begateway::{Credentials, TransactionStatus, Transaction, test_util};
/// let t = Transaction::for_tests("1-a", TransactionStatus::Failed);
/// let (headers, body) = test_util::signed_notification(&Credentials::new("1", "k"), &t, |_| vec![1, 2, 3]);
/// assert_eq!(headers["content-signature"], "AQID");
/// assert!(body.starts_with(br#"{"transaction":"#));
/// ```
pub fn signed_notification(
    credentials: &Credentials,
    transaction: &Transaction,
    sign: impl FnOnce(&[u8]) -> Vec<u8>,
) -> (HeaderMap, Vec<u8>) {
    let (mut headers, body) = notification(credentials, transaction);
    let signature = base64::engine::general_purpose::STANDARD.encode(sign(&body));
    if let Ok(value) = signature.parse() {
        headers.insert("content-signature", value);
    }
    (headers, body)
}

fn headers(credentials: &Credentials) -> HeaderMap {
    let pair = format!(
        "{}:{}",
        credentials.shop_id(),
        credentials.secret_key().expose_secret()
    );
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    );
    let mut headers = HeaderMap::new();
    if let Ok(value) = basic.parse() {
        headers.insert("authorization", value);
    }
    if let Ok(value) = "application/json".parse() {
        headers.insert("content-type", value);
    }
    headers
}
