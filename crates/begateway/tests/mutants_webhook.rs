//! Notification limits and verifier rendering that the mutation run found unasserted: the
//! 1 MiB cap is inclusive (a body of exactly 1 MiB is verified, one byte more is refused before
//! any parsing), and the verifier's `Debug` names the type without showing the secret.
#![cfg(feature = "webhooks")]

mod common;

use begateway::webhook::MAX_NOTIFICATION_BYTES;
use begateway::{Credentials, ErrorKind, WebhookVerifier};
use common::{SECRET, SHOP_ID, basic, notify_headers, transaction_body};

fn basic_only() -> WebhookVerifier {
    WebhookVerifier::new(Credentials::new(SHOP_ID, SECRET)).unwrap()
}

/// `body` padded with JSON whitespace to exactly `len` bytes.
fn padded(body: &str, len: usize) -> Vec<u8> {
    let mut bytes = body.as_bytes().to_vec();
    assert!(bytes.len() <= len);
    bytes.resize(len, b' ');
    bytes
}

#[test]
fn the_cap_is_exactly_one_mebibyte_and_inclusive() {
    assert_eq!(MAX_NOTIFICATION_BYTES, 1024 * 1024);
    let headers = notify_headers(Some(&basic(SHOP_ID, SECRET)), None);
    let body = transaction_body("1-cap", "successful");

    let at_cap = padded(&body, MAX_NOTIFICATION_BYTES);
    let n = basic_only()
        .verify(&headers, &at_cap)
        .expect("a genuine notification of exactly 1 MiB is accepted");
    assert_eq!(n.transaction.uid.as_str(), "1-cap");

    // One byte more is refused by the verifier itself (a signature-class refusal, so a
    // framework answers 401), not later by the decoder.
    let over = padded(&body, MAX_NOTIFICATION_BYTES + 1);
    let err = basic_only().verify(&headers, &over).unwrap_err();
    assert_eq!(err.operation(), "webhook.verify");
    assert!(
        matches!(err.kind(), ErrorKind::SignatureInvalid { .. }),
        "{:?}",
        err.kind()
    );
    // Far over the cap: the same refusal.
    let far = padded(&body, 4 * MAX_NOTIFICATION_BYTES);
    assert!(matches!(
        basic_only().verify(&headers, &far).unwrap_err().kind(),
        ErrorKind::SignatureInvalid { .. }
    ));
}

#[test]
fn a_notification_well_over_a_kibibyte_is_accepted() {
    let headers = notify_headers(Some(&basic(SHOP_ID, SECRET)), None);
    let body = padded(&transaction_body("1-big", "failed"), 64 * 1024);
    let n = basic_only().verify(&headers, &body).unwrap();
    assert_eq!(n.transaction.uid.as_str(), "1-big");
    assert!(!n.signature_verified);
}

#[test]
fn the_verifier_debug_names_itself_and_hides_the_secret() {
    let text = format!("{:?}", basic_only());
    assert!(text.starts_with("WebhookVerifier"), "{text}");
    assert!(text.contains("public_key: None"), "{text}");
    assert!(!text.contains(SECRET), "{text}");
    assert!(!text.contains(&SECRET[..8]), "{text}");
}
