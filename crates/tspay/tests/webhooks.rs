//! Notification verification (reliability matrix 7.3): valid, tampered, missing and malformed
//! signatures; parsing only after verification.
#![cfg(feature = "webhooks")]

use tspay::webhook::{EventEntity, Notification, SIGNATURE_HEADER, WebhookVerifier};
use tspay::{ChargeState, Error, PaymentOutcome, SecretString};

const SECRET: &str = "whsec_canary_0123456789";

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/tspay/",
            $name
        ))
    };
}

fn verifier() -> WebhookVerifier {
    WebhookVerifier::new(SecretString::from(SECRET)).unwrap()
}

fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(TABLE[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn signature_bytes(body: &[u8]) -> Vec<u8> {
    payments_common::signature::from_hex(&verifier().sign(body)).unwrap()
}

#[test]
fn w1_known_vector_in_every_accepted_encoding() {
    // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), a published vector.
    let v = WebhookVerifier::new(SecretString::from("key")).unwrap();
    let body = b"The quick brown fox jumps over the lazy dog";
    let hex = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";
    assert_eq!(v.sign(body), hex);
    let raw = payments_common::signature::from_hex(hex).unwrap();
    for header in [
        hex.to_owned(),
        hex.to_uppercase(),
        format!("sha256={hex}"),
        format!("SHA256={}", hex.to_uppercase()),
        format!("  {hex}  "),
        base64(&raw),
        format!("sha256={}", base64(&raw)),
    ] {
        v.verify(body, Some(&header))
            .unwrap_or_else(|e| panic!("{header}: {e}"));
    }
}

#[test]
fn w1_valid_notification_is_accepted_and_typed() {
    let body = fixture!("webhook.request.charge-active.json").as_bytes();
    let header = verifier().sign(body);
    let n = verifier().verify_and_parse(body, Some(&header)).unwrap();
    assert_eq!(n.event.entity, EventEntity::Charge);
    assert_eq!(n.outcome(), PaymentOutcome::Paid);
    assert_eq!(n.payload.amount.minor_units(), 1450);
    let b64 = base64(&signature_bytes(body));
    assert!(verifier().verify_and_parse(body, Some(&b64)).is_ok());
}

#[test]
fn w2_body_changed_by_one_byte_is_rejected() {
    let body = fixture!("webhook.request.charge-active.json").as_bytes();
    let header = verifier().sign(body);
    for i in [0, body.len() / 2, body.len() - 1] {
        let mut tampered = body.to_vec();
        tampered[i] ^= 0x01;
        let err = verifier()
            .verify_and_parse(&tampered, Some(&header))
            .unwrap_err();
        assert!(matches!(err, Error::SignatureInvalid { .. }), "{err:?}");
    }
    let other = WebhookVerifier::new(SecretString::from("another-secret")).unwrap();
    assert!(matches!(
        other.verify(body, Some(&header)),
        Err(Error::SignatureInvalid { .. })
    ));
}

#[test]
fn w3_missing_signature_is_rejected() {
    let body = fixture!("webhook.request.charge-active.json").as_bytes();
    let err = verifier().verify_and_parse(body, None).unwrap_err();
    assert!(
        matches!(&err, Error::SignatureInvalid { reason } if reason.contains(SIGNATURE_HEADER)),
        "{err:?}"
    );
}

#[test]
fn w4_malformed_signatures_are_rejected_without_panic() {
    let body = fixture!("webhook.request.charge-active.json").as_bytes();
    let hex = verifier().sign(body);
    let b64 = base64(&signature_bytes(body));
    let malformed = [
        String::new(),
        "sha256=".to_owned(),
        "sha256".to_owned(),
        hex[..63].to_owned(),
        hex[..62].to_owned(),
        format!("{hex}00"),
        format!("sha256={}", &hex[..40]),
        format!("sha256={}", &b64[..40]),
        b64[..40].to_owned(),
        "zz".repeat(32),
        "!!!!".to_owned(),
        "é".repeat(32),
        "\u{0}".repeat(64),
        format!("md5={hex}"),
        "t=1,v1=abc".to_owned(),
    ];
    for header in &malformed {
        let err = verifier().verify_and_parse(body, Some(header)).unwrap_err();
        assert!(
            matches!(err, Error::SignatureInvalid { .. }),
            "{header:?}: {err:?}"
        );
    }
    println!("malformed signatures tried: {}", malformed.len());
}

#[test]
fn verification_runs_before_parsing() {
    let garbage = b"{not json";
    let err = verifier()
        .verify_and_parse(garbage, Some(&"0".repeat(64)))
        .unwrap_err();
    assert!(
        matches!(err, Error::SignatureInvalid { .. }),
        "bad signature wins: {err:?}"
    );
    let err = verifier()
        .verify_and_parse(garbage, Some(&verifier().sign(garbage)))
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[test]
fn w8_malformed_huge_and_forward_compatible_bodies() {
    for (body, path) in [
        (&br#"{"event":{"entity":"tspay_charge"},"payload":{"amount":"x","state":"active"}}"#[..], "payload.amount"),
        (br#"{"event":{"entity":"tspay_charge"}}"#, "."),
        (br#"{"event":{"entity":"tspay_charge"},"payload":{"amount":1}}"#, "."),
        (br#"[]"#, "."),
        (b"", "."),
        (br#"{"event":{"entity":"tspay_charge"},"payload":{"amount":1,"state":"active"}} trailing"#, "."),
    ] {
        let err = Notification::parse(body).unwrap_err();
        assert!(matches!(&err, Error::Decode { path: p, .. } if p == path), "{}: {err:?}", String::from_utf8_lossy(body));
    }
    let huge = format!(
        r#"{{"event":{{"entity":"tspay_charge"}},"pad":"{}"}}"#,
        "a".repeat(300 * 1024)
    );
    assert!(matches!(
        Notification::parse(huge.as_bytes()),
        Err(Error::Decode { .. })
    ));

    let body = br#"{"event":{"entity":"tspay_dispute","state":"opened","extra":1},"merchantRef":"M","new":true,
        "payload":{"amount":1450,"state":"chargeback_open","unknown":{"x":[1,2]}}}"#;
    let n = Notification::parse(body).unwrap();
    assert_eq!(n.event.entity, EventEntity::Unknown("tspay_dispute".into()));
    assert_eq!(
        n.payload.state,
        ChargeState::Unknown("chargeback_open".into())
    );
    assert_eq!(n.outcome(), PaymentOutcome::Pending);
    let round = serde_json::to_value(&n).unwrap();
    assert_eq!(round["payload"]["state"], "chargeback_open");
    assert_eq!(round["event"]["entity"], "tspay_dispute");
}

#[test]
fn verifier_debug_hides_the_secret() {
    let v = verifier();
    for text in [format!("{v:?}"), format!("{v:#?}")] {
        assert!(!text.contains(SECRET), "{text}");
    }
}
