//! Notification promises the mutation run found unasserted: the 256 KiB cap is the documented
//! size (a large genuine notification passes, one byte over the cap does not), the merchant
//! reference of a verified notification is kept, a signature of the wrong length is named as
//! malformed, and the verifier's `Debug` names the type with the secret redacted.
#![cfg(all(feature = "webhooks", feature = "test-util"))]

use tspay::MAX_NOTIFICATION_BYTES;
use tspay::{
    ErrorKind, HeaderMap, PaymentOutcome, SIGNATURE_HEADER, SecretString, WebhookVerifier,
};

const SECRET: &str = "whsec_canary_0123456789";

const BODY: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/tspay/webhook.request.charge-active.json"
));

fn verifier() -> WebhookVerifier {
    WebhookVerifier::new(SecretString::from(SECRET)).unwrap()
}

/// The fixture padded with JSON whitespace to exactly `len` bytes, signed as TS Pay signs it.
fn signed(len: usize) -> (HeaderMap, Vec<u8>) {
    let mut body = BODY.as_bytes().to_vec();
    assert!(body.len() <= len);
    body.resize(len, b' ');
    tspay::test_util::sign_notification(SECRET, &body)
}

#[test]
fn the_cap_is_256_kib_and_a_genuine_notification_up_to_it_is_accepted() {
    assert_eq!(MAX_NOTIFICATION_BYTES, 256 * 1024);
    for len in [BODY.len(), 2 * 1024, 64 * 1024, MAX_NOTIFICATION_BYTES] {
        let (headers, body) = signed(len);
        let n = verifier()
            .verify(&headers, &body)
            .unwrap_or_else(|e| panic!("{len} bytes: {e}"));
        assert_eq!(n.outcome(), PaymentOutcome::Paid, "{len} bytes");
    }
    // Genuinely signed but one byte over the cap: refused, not decoded.
    let (headers, body) = signed(MAX_NOTIFICATION_BYTES + 1);
    let err = verifier().verify(&headers, &body).unwrap_err();
    assert_eq!(err.operation(), "webhook.verify");
    assert!(
        matches!(err.kind(), ErrorKind::Decode { message, .. } if message.contains("larger than")),
        "{:?}",
        err.kind()
    );
}

#[test]
fn a_verified_notification_keeps_its_merchant_ref() {
    let (headers, body) = tspay::test_util::sign_notification(SECRET, BODY.as_bytes());
    let n = verifier().verify(&headers, &body).unwrap();
    assert_eq!(
        n.merchant_ref.as_ref().map(|m| m.as_str()),
        Some("MOCKMERCHANT")
    );
    assert_eq!(n.payload.amount.minor_units(), 1450);
}

#[test]
fn a_signature_of_the_wrong_length_is_reported_as_malformed() {
    // Valid hex / base64 that does not decode to 32 bytes: the message says the header is not
    // an HMAC-SHA256 (the sender's bug), not that the body was tampered with.
    for header in [
        "00".repeat(31),
        "00".repeat(33),
        "AAAAAAAAAAAAAAAAAAAAAA==".to_owned(),
        format!("sha256={}", "ab".repeat(16)),
    ] {
        let mut headers = HeaderMap::new();
        headers.insert(SIGNATURE_HEADER, header.parse().unwrap());
        let err = verifier()
            .verify(&headers, BODY.as_bytes())
            .unwrap_err()
            .into_kind();
        assert!(
            matches!(&err, ErrorKind::SignatureInvalid { .. }),
            "{header}: {err:?}"
        );
        assert!(
            err.to_string()
                .contains("is not a hex or base64 HMAC-SHA256"),
            "{header}: {err}"
        );
    }
}

#[test]
fn the_verifier_debug_names_itself_and_redacts_the_secret() {
    let text = format!("{:?}", verifier());
    assert!(text.starts_with("WebhookVerifier"), "{text}");
    assert!(text.contains("[REDACTED]"), "{text}");
    assert!(!text.contains(&SECRET[..8]), "{text}");
}

#[test]
fn a_body_that_is_not_an_object_says_what_was_expected() {
    // Signed, so the refusal comes from decoding: the message tells the integrator what shape
    // TS Pay's notification has.
    for body in [&b"[]"[..], b"\"text\"", b"42"] {
        let (headers, body) = tspay::test_util::sign_notification(SECRET, body);
        let err = verifier().verify(&headers, &body).unwrap_err().into_kind();
        assert!(matches!(&err, ErrorKind::Decode { .. }), "{err:?}");
        assert!(
            format!("{err:?}").contains("a TS Pay notification object"),
            "{err:?}"
        );
    }
}
