//! Notification verification (`docs/reliability.md`, W1–W5, W8), with an RSA key pair generated
//! here and bodies signed as beGateway signs them (PKCS#1 v1.5, SHA-256, base64).
#![cfg(feature = "webhooks")]

mod common;

use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use begateway::{Credentials, Error, PaymentOutcome, TransactionStatus, WebhookVerifier};
use common::{SECRET, SHOP_ID, basic, transaction_body};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer};

struct Keys {
    signing: SigningKey<Sha256>,
    /// Bare base64 DER, as the back office shows it.
    public_b64: String,
    public_pem: String,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| generate(2048))
}

fn generate(bits: usize) -> Keys {
    let private = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), bits).unwrap();
    let public = private.to_public_key();
    let der = public.to_public_key_der().unwrap();
    Keys {
        public_b64: STANDARD.encode(der.as_bytes()),
        public_pem: public.to_public_key_pem(LineEnding::LF).unwrap(),
        signing: SigningKey::<Sha256>::new(private),
    }
}

fn sign(keys: &Keys, body: &[u8]) -> String {
    STANDARD.encode(keys.signing.sign(body).to_bytes())
}

fn verifier() -> WebhookVerifier {
    WebhookVerifier::new(Credentials::new(SHOP_ID, SECRET))
        .unwrap()
        .public_key(&keys().public_b64)
        .unwrap()
}

fn auth() -> String {
    basic(SHOP_ID, SECRET)
}

fn is_signature_error(result: Result<begateway::Transaction, Error>) -> bool {
    matches!(result, Err(Error::SignatureInvalid { .. }))
}

/// W1: a valid signed notification is accepted and typed.
#[test]
fn valid_notification_is_accepted() {
    let body = transaction_body("1-310b0da80b", "successful");
    let signature = sign(keys(), body.as_bytes());
    let t = verifier()
        .verify(body.as_bytes(), Some(&auth()), Some(&signature))
        .unwrap();
    assert_eq!(t.uid.as_str(), "1-310b0da80b");
    assert_eq!(t.status, TransactionStatus::Successful);
    assert_eq!(t.outcome(), PaymentOutcome::Paid);
    // The same through a header lookup, with the PEM form of the key.
    let pem = WebhookVerifier::new(Credentials::new(SHOP_ID, SECRET))
        .unwrap()
        .public_key(&keys().public_pem)
        .unwrap();
    let headers = [
        ("authorization", auth()),
        ("content-signature", signature.clone()),
    ];
    let lookup = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(
        pem.verify_headers(body.as_bytes(), lookup)
            .unwrap()
            .uid
            .as_str(),
        "1-310b0da80b"
    );
    // Line-broken base64 key, as copied from a web page.
    let wrapped: String = keys()
        .public_b64
        .as_bytes()
        .chunks(64)
        .map(|c| format!("{}\n", String::from_utf8_lossy(c)))
        .collect();
    let v = WebhookVerifier::new(Credentials::new(SHOP_ID, SECRET))
        .unwrap()
        .public_key(&wrapped)
        .unwrap();
    assert!(
        v.verify(body.as_bytes(), Some(&auth()), Some(&signature))
            .is_ok()
    );
}

/// W2: one byte changed after signing.
#[test]
fn tampered_body_is_rejected() {
    let body = transaction_body("1-a", "failed");
    let signature = sign(keys(), body.as_bytes());
    let tampered = body.replacen("failed", "fa1led", 1);
    assert!(is_signature_error(verifier().verify(
        tampered.as_bytes(),
        Some(&auth()),
        Some(&signature)
    )));
    let mut bytes = body.into_bytes();
    let last = bytes.len() - 2;
    bytes[last] ^= 0x01;
    assert!(is_signature_error(verifier().verify(
        &bytes,
        Some(&auth()),
        Some(&signature)
    )));
}

/// W3: signature missing while a key is configured: no fallback to Basic auth.
#[test]
fn missing_signature_fails_closed() {
    let body = transaction_body("1-a", "successful");
    let err = verifier()
        .verify(body.as_bytes(), Some(&auth()), None)
        .unwrap_err();
    assert!(
        err.to_string().contains("Content-Signature header missing"),
        "{err}"
    );
    assert!(verifier().requires_signature());
}

/// W4: garbage, truncated and wrong-length signatures.
#[test]
fn garbage_signatures_are_rejected_without_panic() {
    let body = transaction_body("1-a", "successful");
    let good = sign(keys(), body.as_bytes());
    let truncated = &good[..good.len() / 2];
    for header in ["", "not base64 !!!", "AAAA", truncated, "====", &good[1..]] {
        assert!(
            is_signature_error(verifier().verify(body.as_bytes(), Some(&auth()), Some(header))),
            "{header:?}"
        );
    }
}

/// A signature by another key.
#[test]
fn wrong_key_is_rejected() {
    let other = generate(1024);
    let body = transaction_body("1-a", "successful");
    let signature = sign(&other, body.as_bytes());
    assert!(is_signature_error(verifier().verify(
        body.as_bytes(),
        Some(&auth()),
        Some(&signature)
    )));
}

/// W5: Basic credentials are always checked, in constant time, prefix matches included.
#[test]
fn basic_auth_is_checked() {
    let body = transaction_body("1-a", "successful");
    let signature = sign(keys(), body.as_bytes());
    let prefix = &SECRET[..SECRET.len() - 1];
    let bad = [
        None,
        Some(basic("362", SECRET)),
        Some(basic(SHOP_ID, prefix)),
        Some(basic(SHOP_ID, &format!("{SECRET}x"))),
        Some(basic(SHOP_ID, "")),
        Some(format!("Bearer {SECRET}")),
        Some("Basic ***".to_owned()),
        Some(format!("Basic {}", STANDARD.encode(SHOP_ID))),
    ];
    for header in bad {
        let result = verifier().verify(body.as_bytes(), header.as_deref(), Some(&signature));
        assert!(is_signature_error(result), "{header:?}");
    }
    // Without a public key, Basic auth alone decides.
    let basic_only = WebhookVerifier::new(Credentials::new(SHOP_ID, SECRET)).unwrap();
    assert!(!basic_only.requires_signature());
    assert!(
        basic_only
            .verify(body.as_bytes(), Some(&auth()), None)
            .is_ok()
    );
    assert!(is_signature_error(basic_only.verify(
        body.as_bytes(),
        Some(&basic(SHOP_ID, prefix)),
        None
    )));
    assert!(
        basic_only
            .verify_signature(body.as_bytes(), Some(&signature))
            .is_err()
    );
}

/// W8: malformed JSON, unknown fields and statuses, oversized bodies.
#[test]
fn verified_bodies_are_decoded_strictly_but_forward_compatibly() {
    let v = verifier();
    let check = |body: &[u8]| v.verify(body, Some(&auth()), Some(&sign(keys(), body)));
    let t = check(transaction_body("1-a", "on_review").as_bytes()).unwrap();
    assert_eq!(t.status, TransactionStatus::Unknown("on_review".into()));
    assert_eq!(t.outcome(), PaymentOutcome::Pending);
    for body in [
        &b"{not json"[..],
        b"",
        b"[]",
        br#"{"transaction":{"uid":"1"}}"#,
        b"\xff\xfe",
    ] {
        assert!(
            matches!(check(body), Err(Error::Decode { .. })),
            "{:?}",
            String::from_utf8_lossy(body)
        );
    }
    let wrong = transaction_body("1-a", "successful").replace("\"amount\":990", "\"amount\":9.9");
    assert!(
        matches!(check(wrong.as_bytes()), Err(Error::Decode { path, .. }) if path == "transaction.amount")
    );
    let huge = vec![b' '; begateway::webhook::MAX_NOTIFICATION_BYTES + 1];
    assert!(is_signature_error(check(&huge)));
}

#[test]
fn bad_public_keys_are_refused() {
    let v = WebhookVerifier::new(Credentials::new(SHOP_ID, SECRET)).unwrap();
    for key in [
        "",
        "not a key",
        "AAAA",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
    ] {
        assert_eq!(
            v.clone().public_key(key).unwrap_err().invalid_field(),
            Some("public_key"),
            "{key:?}"
        );
    }
    assert_eq!(
        WebhookVerifier::new(Credentials::new(SHOP_ID, "with space"))
            .unwrap_err()
            .invalid_field(),
        Some("secret_key")
    );
}
