//! Notification verification (`docs/reliability.md`, W1–W5, W8), with an RSA key pair generated
//! here and bodies signed as beGateway signs them (PKCS#1 v1.5, SHA-256, base64).
#![cfg(feature = "webhooks")]

mod common;

use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use begateway::{Credentials, ErrorKind, PaymentOutcome, TransactionStatus, WebhookVerifier};
use common::{KindOf, SECRET, SHOP_ID, basic, transaction_body};
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

fn is_signature_error(result: Result<begateway::Notification, begateway::Error>) -> bool {
    match result {
        Err(e) => {
            assert_eq!(e.operation(), "webhook.verify");
            matches!(e.kind(), ErrorKind::SignatureInvalid { .. })
        }
        Ok(_) => false,
    }
}

/// W1: a valid signed notification is accepted and typed.
#[test]
fn valid_notification_is_accepted() {
    let body = transaction_body("1-310b0da80b", "successful");
    let signature = sign(keys(), body.as_bytes());
    let t = verifier()
        .verify(
            &common::notify_headers(Some(&auth()), Some(&signature)),
            body.as_bytes(),
        )
        .unwrap();
    assert!(t.signature_verified);
    let t = t.transaction;
    assert_eq!(t.uid.as_str(), "1-310b0da80b");
    assert_eq!(t.status, TransactionStatus::Successful);
    assert_eq!(t.outcome(), PaymentOutcome::Paid);
    // The same with header names in any case, with the PEM form of the key.
    let pem = WebhookVerifier::new(Credentials::new(SHOP_ID, SECRET))
        .unwrap()
        .public_key(&keys().public_pem)
        .unwrap();
    let mut headers = begateway::HeaderMap::new();
    headers.insert("Authorization", auth().parse().unwrap());
    headers.insert("Content-Signature", signature.parse().unwrap());
    assert_eq!(
        pem.verify(&headers, body.as_bytes())
            .unwrap()
            .transaction
            .uid
            .as_str(),
        "1-310b0da80b"
    );
    // Two Authorization headers are a refusal, not a guess at which one counts.
    let mut doubled = headers.clone();
    doubled.append("authorization", basic("362", SECRET).parse().unwrap());
    assert!(is_signature_error(pem.verify(&doubled, body.as_bytes())));
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
        v.verify(
            &common::notify_headers(Some(&auth()), Some(&signature)),
            body.as_bytes()
        )
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
        &common::notify_headers(Some(&auth()), Some(&signature)),
        tampered.as_bytes()
    )));
    let mut bytes = body.into_bytes();
    let last = bytes.len() - 2;
    bytes[last] ^= 0x01;
    assert!(is_signature_error(verifier().verify(
        &common::notify_headers(Some(&auth()), Some(&signature)),
        &bytes
    )));
}

/// W3: signature missing while a key is configured: no fallback to Basic auth.
#[test]
fn missing_signature_fails_closed() {
    let body = transaction_body("1-a", "successful");
    let err = verifier()
        .verify(
            &common::notify_headers(Some(&auth()), None),
            body.as_bytes(),
        )
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
            is_signature_error(verifier().verify(
                &common::notify_headers(Some(&auth()), Some(header)),
                body.as_bytes()
            )),
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
        &common::notify_headers(Some(&auth()), Some(&signature)),
        body.as_bytes()
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
        let result = verifier().verify(
            &common::notify_headers(header.as_deref(), Some(&signature)),
            body.as_bytes(),
        );
        assert!(is_signature_error(result), "{header:?}");
    }
    // Without a public key, Basic auth alone decides.
    let basic_only = WebhookVerifier::new(Credentials::new(SHOP_ID, SECRET)).unwrap();
    assert!(!basic_only.requires_signature());
    assert!(
        basic_only
            .verify(
                &common::notify_headers(Some(&auth()), None),
                body.as_bytes()
            )
            .is_ok()
    );
    assert!(is_signature_error(basic_only.verify(
        &common::notify_headers(Some(&basic(SHOP_ID, prefix)), None),
        body.as_bytes()
    )));
    let plain = basic_only
        .verify(
            &common::notify_headers(Some(&auth()), Some(&signature)),
            body.as_bytes(),
        )
        .unwrap();
    assert!(
        !plain.signature_verified,
        "no key: the signature proves nothing"
    );
}

/// W8: malformed JSON, unknown fields and statuses, oversized bodies.
#[test]
fn verified_bodies_are_decoded_strictly_but_forward_compatibly() {
    let v = verifier();
    let check = |body: &[u8]| {
        v.verify(
            &common::notify_headers(Some(&auth()), Some(&sign(keys(), body))),
            body,
        )
    };
    let t = check(transaction_body("1-a", "on_review").as_bytes())
        .unwrap()
        .transaction;
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
            matches!(check(body).kind(), Err(ErrorKind::Decode { .. })),
            "{:?}",
            String::from_utf8_lossy(body)
        );
    }
    let wrong = transaction_body("1-a", "successful").replace("\"amount\":990", "\"amount\":9.9");
    assert!(
        matches!(check(wrong.as_bytes()).kind(), Err(ErrorKind::Decode { path, .. }) if path == "transaction.amount")
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

/// test-util: the helpers build what the crate's own verifier accepts, as a user's handler
/// test would use them.
#[cfg(feature = "test-util")]
#[test]
fn test_util_notifications_verify() {
    use begateway::{Currency, Money, Transaction, test_util};
    let credentials = Credentials::new(SHOP_ID, SECRET);
    let mut paid = Transaction::for_tests("1-310b0da80b", TransactionStatus::Successful);
    paid.tracking_id = Some("order-42".into());
    paid.set_amount(Money::parse("9.90", Currency::USD).unwrap());
    let (headers, body) = test_util::notification(&credentials, &paid);
    let basic_only = WebhookVerifier::new(credentials.clone()).unwrap();
    let got = basic_only.verify(&headers, &body).unwrap();
    assert_eq!(got.transaction, paid);
    assert_eq!(got.transaction.amount_minor_wire, Some(990));
    // Signed with the key the verifier holds: accepted; with another key: refused.
    let (headers, body) = test_util::signed_notification(&credentials, &paid, |b| {
        keys().signing.sign(b).to_bytes().to_vec()
    });
    assert!(
        verifier()
            .verify(&headers, &body)
            .unwrap()
            .signature_verified
    );
    let other = generate(1024);
    let (headers, body) = test_util::signed_notification(&credentials, &paid, |b| {
        other.signing.sign(b).to_bytes().to_vec()
    });
    assert!(is_signature_error(verifier().verify(&headers, &body)));
    // Unsigned is refused once a key is configured.
    let (headers, body) = test_util::notification(&credentials, &paid);
    assert!(is_signature_error(verifier().verify(&headers, &body)));
}

/// The axum extractor: a genuine notification reaches the handler, a forgery gets 401 and
/// never does, an unreadable verified body gets 400.
#[cfg(feature = "axum")]
#[tokio::test]
async fn axum_extractor_over_a_real_router() {
    use std::sync::{Arc, Mutex};

    use axum::Router;
    use axum::extract::{FromRef, State};
    use axum::routing::post;
    use begateway::axum::Verified;

    #[derive(Clone)]
    struct AppState {
        verifier: WebhookVerifier,
        seen: Arc<Mutex<Vec<String>>>,
    }
    impl FromRef<AppState> for WebhookVerifier {
        fn from_ref(state: &AppState) -> Self {
            state.verifier.clone()
        }
    }
    async fn notified(
        State(state): State<AppState>,
        Verified(n): Verified<WebhookVerifier>,
    ) -> &'static str {
        state
            .seen
            .lock()
            .unwrap()
            .push(n.transaction.uid.to_string());
        "OK"
    }

    let seen = Arc::new(Mutex::new(Vec::new()));
    let app = Router::new()
        .route("/notify", post(notified))
        .with_state(AppState {
            verifier: verifier(),
            seen: Arc::clone(&seen),
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let url = format!("http://{addr}/notify");
    let http = reqwest::Client::new();
    let post = |auth: String, signature: String, body: String| {
        http.post(&url)
            .header("authorization", auth)
            .header("content-signature", signature)
            .body(body)
            .send()
    };

    let body = transaction_body("1-genuine", "successful");
    let good = sign(keys(), body.as_bytes());
    let ok = post(auth(), good.clone(), body.clone()).await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.unwrap(), "OK");

    let forged_body = transaction_body("1-forged", "successful");
    let forged = post(auth(), good.clone(), forged_body).await.unwrap();
    assert_eq!(forged.status(), 401);
    let wrong_shop = post(basic("362", SECRET), good, body).await.unwrap();
    assert_eq!(wrong_shop.status(), 401);

    let unreadable = "{not json".to_owned();
    let signed = sign(keys(), unreadable.as_bytes());
    let bad = post(auth(), signed, unreadable).await.unwrap();
    assert_eq!(bad.status(), 400);

    assert_eq!(*seen.lock().unwrap(), ["1-genuine"]);
}

/// Subscription notifications: the same proofs, the body read as the subscription.
#[test]
fn subscription_notifications_are_verified_then_read() {
    use begateway::SubscriptionStatus;
    let bare = br#"{"id":"sbs_1f2e3d4c","state":"active","tracking_id":"order-42"}"#;
    let wrapped = br#"{"subscription":{"id":"sbs_1f2e3d4c","status":"canceled"}}"#;
    let v = verifier();
    let signed = |body: &[u8]| common::notify_headers(Some(&auth()), Some(&sign(keys(), body)));
    let s = v.verify_subscription(&signed(bare), bare).unwrap();
    assert_eq!(s.id.as_str(), "sbs_1f2e3d4c");
    assert_eq!(s.status, SubscriptionStatus::Active);
    assert_eq!(s.tracking_id.as_deref(), Some("order-42"));
    let s = v.verify_subscription(&signed(wrapped), wrapped).unwrap();
    assert_eq!(s.status, SubscriptionStatus::Canceled);
    // Tampered, unsigned, or another shop's: refused before the body is read.
    let tampered = br#"{"id":"sbs_1f2e3d4c","state":"canceled","tracking_id":"order-42"}"#;
    let err = v.verify_subscription(&signed(bare), tampered).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::SignatureInvalid { .. }),
        "{err}"
    );
    assert_eq!(err.operation(), "webhook.verify_subscription");
    let err = v
        .verify_subscription(&common::notify_headers(Some(&auth()), None), bare)
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::SignatureInvalid { .. }),
        "{err}"
    );
    // A verified body that is not a subscription is a decode error.
    let junk = br#"{"transaction":{"uid":"1"}}"#;
    let err = v.verify_subscription(&signed(junk), junk).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err}");
}
