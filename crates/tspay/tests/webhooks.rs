//! Notification verification (reliability matrix 7.3): valid, tampered, missing and malformed
//! signatures; parsing only after verification.
#![cfg(all(feature = "webhooks", feature = "test-util"))]

use tspay::{ChargeState, ErrorKind, HeaderMap, PaymentOutcome, SecretString};
use tspay::{EventEntity, Notification, SIGNATURE_HEADER, WebhookVerifier};

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

/// The hex signature TS Pay would send for `body` under `secret`.
fn sign_with(secret: &str, body: &[u8]) -> String {
    let (headers, _) = tspay::test_util::sign_notification(secret, body);
    headers[SIGNATURE_HEADER].to_str().unwrap().to_owned()
}

fn sign(body: &[u8]) -> String {
    sign_with(SECRET, body)
}

fn signature_bytes(body: &[u8]) -> Vec<u8> {
    payments_common::signature::from_hex(&sign(body)).unwrap()
}

/// `verify` with `header` as the one `X-Message-Hash` (none when `None`).
fn check(
    v: &WebhookVerifier,
    body: &[u8],
    header: Option<&str>,
) -> Result<Notification, ErrorKind> {
    let mut headers = HeaderMap::new();
    if let Some(h) = header {
        headers.insert(SIGNATURE_HEADER, h.parse().unwrap());
    }
    v.verify(&headers, body).map_err(tspay::Error::into_kind)
}

#[test]
fn w1_known_vector_in_every_accepted_encoding() {
    // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), a published vector.
    let v = WebhookVerifier::new(SecretString::from("key")).unwrap();
    let body = b"The quick brown fox jumps over the lazy dog";
    let hex = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";
    assert_eq!(sign_with("key", body), hex);
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
        // The signature verifies; the body (the published vector's text) is not a
        // notification, so the answer is a decode error, never a signature error.
        match check(&v, body, Some(&header)) {
            Err(ErrorKind::Decode { .. }) => {}
            other => panic!("{header}: {other:?}"),
        }
    }
}

#[test]
fn w1_valid_notification_is_accepted_and_typed() {
    let body = fixture!("webhook.request.charge-active.json").as_bytes();
    let header = sign(body);
    let n = check(&verifier(), body, Some(&header)).unwrap();
    assert_eq!(n.event.entity, EventEntity::Charge);
    assert_eq!(n.outcome(), PaymentOutcome::Paid);
    assert_eq!(n.payload.amount.minor_units(), 1450);
    let b64 = base64(&signature_bytes(body));
    assert!(check(&verifier(), body, Some(&b64)).is_ok());
}

#[test]
fn w2_body_changed_by_one_byte_is_rejected() {
    let body = fixture!("webhook.request.charge-active.json").as_bytes();
    let header = sign(body);
    for i in [0, body.len() / 2, body.len() - 1] {
        let mut tampered = body.to_vec();
        tampered[i] ^= 0x01;
        let err = check(&verifier(), &tampered, Some(&header)).unwrap_err();
        assert!(matches!(err, ErrorKind::SignatureInvalid { .. }), "{err:?}");
    }
    let other = WebhookVerifier::new(SecretString::from("another-secret")).unwrap();
    assert!(matches!(
        check(&other, body, Some(&header)),
        Err(ErrorKind::SignatureInvalid { .. })
    ));
}

#[test]
fn a_repeated_signature_header_is_rejected() {
    let body = fixture!("webhook.request.charge-active.json").as_bytes();
    let mut headers = HeaderMap::new();
    headers.append(SIGNATURE_HEADER, sign(body).parse().unwrap());
    headers.append(SIGNATURE_HEADER, "0".repeat(64).parse().unwrap());
    let err = verifier().verify(&headers, body).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::SignatureInvalid { reason } if reason.contains("repeated")),
        "{err:?}"
    );
    assert_eq!(err.operation(), "webhook.verify");
    assert!(
        err.to_string()
            .starts_with("TS Pay webhook.verify: signature invalid"),
        "{err}"
    );
}

#[test]
fn w3_missing_signature_is_rejected() {
    let body = fixture!("webhook.request.charge-active.json").as_bytes();
    let err = check(&verifier(), body, None).unwrap_err();
    assert!(
        matches!(&err, ErrorKind::SignatureInvalid { reason } if reason.contains(SIGNATURE_HEADER)),
        "{err:?}"
    );
}

#[test]
fn w4_malformed_signatures_are_rejected_without_panic() {
    let body = fixture!("webhook.request.charge-active.json").as_bytes();
    let hex = sign(body);
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
        format!("md5={hex}"),
        "t=1,v1=abc".to_owned(),
    ];
    for header in &malformed {
        let err = check(&verifier(), body, Some(header)).unwrap_err();
        assert!(
            matches!(err, ErrorKind::SignatureInvalid { .. }),
            "{header:?}: {err:?}"
        );
    }
    // Bytes a header may carry but that are not text: refused, not decoded.
    let mut headers = HeaderMap::new();
    headers.insert(
        SIGNATURE_HEADER,
        reqwest::header::HeaderValue::from_bytes("é".repeat(32).as_bytes()).unwrap(),
    );
    let err = verifier().verify(&headers, body).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::SignatureInvalid { .. }),
        "{err:?}"
    );
    println!("malformed signatures tried: {}", malformed.len() + 1);
}

#[test]
fn verification_runs_before_parsing() {
    let garbage = b"{not json";
    let err = check(&verifier(), garbage, Some(&"0".repeat(64))).unwrap_err();
    assert!(
        matches!(err, ErrorKind::SignatureInvalid { .. }),
        "bad signature wins: {err:?}"
    );
    let err = check(&verifier(), garbage, Some(&sign(garbage))).unwrap_err();
    assert!(matches!(err, ErrorKind::Decode { .. }), "{err:?}");
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
        let err = Notification::parse(body).unwrap_err().into_kind();
        assert!(matches!(&err, ErrorKind::Decode { path: p, .. } if p == path), "{}: {err:?}", String::from_utf8_lossy(body));
    }
    let huge = format!(
        r#"{{"event":{{"entity":"tspay_charge"}},"pad":"{}"}}"#,
        "a".repeat(300 * 1024)
    );
    assert!(matches!(
        Notification::parse(huge.as_bytes()).map_err(tspay::Error::into_kind),
        Err(ErrorKind::Decode { .. })
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
