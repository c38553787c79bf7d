//! What GreenPay's notification verifier promises, at its edges: which body shape is verified
//! as what, the key sizes accepted (1023 bits and more) and refused, the size cap at its exact
//! byte, every way a signature can be missing or wrong, and the hosted tokenization form's
//! return in each base64 spelling. Signed with the crate's test key (`test_util::TestSigner`)
//! and, for the 1023- and 1022-bit edges, with two fixed keys below.
#![cfg(feature = "test-util")]

use greenpay::subscriptions::PaymentStatus;
use greenpay::test_util::{TEST_PUBLIC_KEY, TestSigner};
use greenpay::webhook::{
    CheckoutOutcome, MAX_NOTIFICATION_BYTES, MIN_KEY_BITS, parse_checkout,
    parse_subscription_payment, signed_string,
};
use greenpay::{
    ErrorKind, HeaderMap, PaymentOutcome, SubscriptionId, VerifiedEvent, WebhookVerifier,
};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey, LineEnding};
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer};
use serde_json::json;

/// A 1023-bit RSA key (a 1024-bit generation one bit short, as GreenPay's older keys can be);
/// a test key, published here, proving nothing.
const KEY_1023_BITS: &str = "-----BEGIN PRIVATE KEY-----
MIICcwIBADANBgkqhkiG9w0BAQEFAASCAl0wggJZAgEAAoGAXotIVdTiGG/gjGXc
sB7Zvl5W44hpcPVo7gFucwiNPKKCPRBqhrEc2Dsyluoq0bnTiHwUfpkMHKAUMcJ6
waNI156hbG+s4GVldBhendbiMleOLMyj5t0QDB9ZKB5e8Treqaqj8J/HeYwRFvwK
SV3A3mRbF6QhPI0IiaoT5ZPGM5MCAwEAAQKBgDhklfH0eCQhX2v/OkKnNDQT63nu
nQ4uo7cLjYj5+dzIBi1MRG4w6MalkMhpxr6wO9e2Qzc8LPhKF6GSokwsDD8ZVqTe
BC0A+y5zylwg0lZSkZKMHUoiePeyTDwQIuxaY3sU3n0nGdAb6rKGvvjlRKtPGUec
VakkNXTlJaZG5prZAkEA+1zQa1tMS/vfcTR5vD+VBT3zIWxf+d8lAQRWq2tg7Kb9
JYyTFGUzItp4Wh6WqUOU9MLg39ErgvVnzYbx0yRrTwJAYEnQfP5XxT7pifv6mlxC
dQ45uSdjk+kKni82Y+BJjM4/dcbBfR0+FtZFPqZ/v0CA4uVVsw+297vvHFopy9nS
fQJAeIRRsYd+l1fWE/LzAx0BGBhRwA60HZutpEUuQNYlDJIsAZra0gaLdASHe736
woESpB/jraweTpXXBSXUQEXP5QJAW4oxVHN1PAc4fT76G3/0ilZQ2E6zI24c8w/N
dJxJMDzwJeckEe8YFRv1zr75mfgX0B3ZIJejCdg4VUr+i1d0/QJATs8OoRyES5Lv
+LfhQqYXUZfSGlMVJUB4Lm8JFzoAyLYKZh8IL0dLJ+uyUCh4HmgHZf4Y6NWbS0JE
olwYpH07bg==
-----END PRIVATE KEY-----";

/// The public half of a 1022-bit RSA key: one bit under [`MIN_KEY_BITS`].
const PUBLIC_KEY_1022_BITS: &str = "-----BEGIN PUBLIC KEY-----
MIGeMA0GCSqGSIb3DQEBAQUAA4GMADCBiAKBgDVQp1a1QNQGtufGDYOKNgI39JV/
/mCJjYsO7LLqF5bHbFbUAmCC1jopBs0aIqAO/14x+K01jYu7w+zNJUaBsLHgrdfM
vpnvSJ8XVvjMtzYibyWeluhMQrhlL6a2VCFwIeO6yQ9X9QycvkLbzuXgNn4n5+VI
HuVzTLVIYb/dIvnjAgMBAAE=
-----END PUBLIC KEY-----";

fn no_headers() -> HeaderMap {
    HeaderMap::new()
}

fn verify(verifier: &WebhookVerifier, body: &serde_json::Value) -> greenpay::Result<VerifiedEvent> {
    verifier.verify(&no_headers(), body.to_string().as_bytes())
}

fn signature_reason<T: std::fmt::Debug>(result: greenpay::Result<T>) -> String {
    match result.map_err(greenpay::Error::into_kind) {
        Err(ErrorKind::SignatureInvalid { reason }) => reason,
        other => panic!("expected a refused signature, got {other:?}"),
    }
}

/// A checkout result signed by `signer` over `status:<status>,orderId:<order_id>`.
fn signed_checkout(signer: &TestSigner, status: &str, order_id: &str) -> serde_json::Value {
    json!({
        "status": 200,
        "orderId": order_id,
        "result": {"success": false},
        "_signature": signer.sign(&[("status", status), ("orderId", order_id)]),
    })
}

#[test]
fn a_1023_bit_key_verifies_and_anything_shorter_is_refused_when_configured() {
    assert_eq!(MIN_KEY_BITS, 1023);
    let private = rsa::RsaPrivateKey::from_pkcs8_pem(KEY_1023_BITS).unwrap();
    let public_pem = private
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    let verifier = WebhookVerifier::new(&public_pem).unwrap();
    // The 1023-bit key is checked by the `rsa` crate, the 1024-bit one by payments-common's
    // verifier: `Debug` says which, never the key.
    assert_eq!(
        format!("{verifier:?}"),
        "WebhookVerifier { key: SignatureVerifier { key: RsaPublicKey(1023 bits) } }"
    );
    let standard = format!("{:?}", WebhookVerifier::new(TEST_PUBLIC_KEY).unwrap());
    assert!(standard.contains("DER bytes"), "{standard}");
    assert!(!standard.contains("1023 bits"), "{standard}");

    let signing = SigningKey::<Sha256>::new(private);
    let sign = |message: &str| -> String {
        signing
            .sign(message.as_bytes())
            .to_vec()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let body = json!({"status": 200, "orderId": "order-1023", "_signature": sign("status:200,orderId:order-1023")});
    match verify(&verifier, &body).unwrap() {
        VerifiedEvent::Checkout(checkout) => assert_eq!(checkout.order_id(), "order-1023"),
        other => panic!("{other:?}"),
    }
    // The same signature over another order does not verify with the short key either.
    let mut forged = body;
    forged["orderId"] = "order-1024".into();
    assert_eq!(
        signature_reason(verify(&verifier, &forged)),
        "RSA-SHA256 signature does not verify"
    );

    let err = WebhookVerifier::new(PUBLIC_KEY_1022_BITS).unwrap_err();
    assert_eq!(err.operation(), "webhook.verifier");
    assert_eq!(err.invalid_field(), Some("public_key"));
    assert!(err.to_string().contains("1022-bit"), "{err}");
}

#[test]
fn each_body_shape_is_verified_as_what_it_is() {
    let signer = TestSigner::new();
    let verifier = signer.verifier();

    // A tokenization result: requestId and no orderId.
    let (headers, body) = signer.tokenization_notification("req-77", "tok-77");
    match verifier.verify(&headers, &body).unwrap() {
        VerifiedEvent::Tokenization(t) => {
            assert_eq!(t.request_id(), "req-77");
            assert_eq!(t.status(), Some(200));
        }
        other => panic!("{other:?}"),
    }
    // A body naming both a requestId and an orderId is a checkout result, signed over the
    // order: a signature over the request id does not make it one.
    let mut both = signed_checkout(&signer, "200", "order-5");
    both["requestId"] = "req-5".into();
    match verify(&verifier, &both).unwrap() {
        VerifiedEvent::Checkout(c) => {
            assert_eq!(c.order_id(), "order-5");
            assert_eq!(c.status(), Some(200));
        }
        other => panic!("{other:?}"),
    }
    both["_signature"] = signer
        .sign(&[("status", "200"), ("requestId", "req-5")])
        .into();
    signature_reason(verify(&verifier, &both));

    // A body with a `_signature` and no orderId is read as a checkout result, and refused for
    // naming no order even when the signature covers the empty id.
    let anonymous =
        json!({"status": 200, "_signature": signer.sign(&[("status", "200"), ("orderId", "")])});
    assert_eq!(
        signature_reason(verify(&verifier, &anonymous)),
        "the notification names no orderId"
    );
    // Neither shape: refused as a bad body, nothing verified.
    let err = verifier
        .verify(&no_headers(), br#"{"status":200,"hello":"world"}"#)
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some("body"));
    assert_eq!(err.operation(), "webhook.verify");
}

#[test]
fn a_tokenization_result_proves_only_its_signed_request() {
    let signer = TestSigner::new();
    let verifier = signer.verifier();
    let (_, body) = signer.tokenization_notification("req-1", "tok-1");
    let mut value: serde_json::Value = serde_json::from_slice(&body).unwrap();
    // Another request under the same signature.
    value["requestId"] = "req-2".into();
    signature_reason(verify(&verifier, &value));
    // The status as text verifies like the number it is.
    let mut text_status = value.clone();
    text_status["requestId"] = "req-1".into();
    text_status["status"] = "200".into();
    match verify(&verifier, &text_status).unwrap() {
        VerifiedEvent::Tokenization(t) => assert_eq!(t.status(), Some(200)),
        other => panic!("{other:?}"),
    }
    // An empty request id proves nothing, whatever is signed.
    let empty = json!({
        "status": 200,
        "requestId": "",
        "_signature": signer.sign(&[("status", "200"), ("requestId", "")]),
    });
    assert_eq!(
        signature_reason(verify(&verifier, &empty)),
        "the notification names no requestId"
    );
    // No signature at all.
    let unsigned = json!({"status": 200, "requestId": "req-1"});
    assert_eq!(
        signature_reason(verify(&verifier, &unsigned)),
        "_signature is missing"
    );
}

#[test]
fn a_missing_or_malformed_signature_is_refused_with_its_reason() {
    let signer = TestSigner::new();
    let verifier = signer.verifier();
    let mut body = signed_checkout(&signer, "200", "order-1");
    body["_signature"] = "".into();
    assert_eq!(
        signature_reason(verify(&verifier, &body)),
        "_signature is missing"
    );
    body.as_object_mut().unwrap().remove("_signature");
    assert_eq!(
        signature_reason(verify(&verifier, &body)),
        "_signature is missing"
    );
    body["_signature"] = "0g".into();
    assert_eq!(
        signature_reason(verify(&verifier, &body)),
        "_signature is not hex"
    );
    // One byte changed in the signature, or one in a signed field: refused.
    let genuine = signed_checkout(&signer, "200", "order-1");
    let signature = genuine["_signature"].as_str().unwrap().to_owned();
    let flipped_digit = if signature.ends_with('0') { "1" } else { "0" };
    let mut wrong = genuine.clone();
    wrong["_signature"] = format!("{}{flipped_digit}", &signature[..signature.len() - 1]).into();
    signature_reason(verify(&verifier, &wrong));
    let mut wrong_status = genuine.clone();
    wrong_status["status"] = 201.into();
    signature_reason(verify(&verifier, &wrong_status));
    assert!(verify(&verifier, &genuine).is_ok());
}

#[test]
fn a_subscription_notification_verifies_every_charge_or_none() {
    let signer = TestSigner::new();
    let verifier = signer.verifier();
    let (headers, body) = signer.subscription_payment_notification(&[
        ("9541b344c3d45d421acd454d61251cde_2", "approved"),
        ("9541b344c3d45d421acd454d61251cde_3", "rejected"),
    ]);
    let payment = match verifier.verify(&headers, &body).unwrap() {
        VerifiedEvent::SubscriptionPayment(p) => p,
        other => panic!("{other:?}"),
    };
    let charges = payment.charges();
    assert_eq!(charges.len(), 2);
    assert_eq!(
        charges[0].order_reference(),
        "9541b344c3d45d421acd454d61251cde_2"
    );
    assert_eq!(charges[0].status(), &PaymentStatus::Approved);
    assert_eq!(charges[1].status(), &PaymentStatus::Rejected);
    assert_eq!(
        charges[1].subscription_id(),
        Some(SubscriptionId::new("9541b344c3d45d421acd454d61251cde"))
    );

    // One charge whose signature does not verify refuses the whole notification.
    let mut value: serde_json::Value = serde_json::from_slice(&body).unwrap();
    value["rejected"][0]["status"] = "approved".into();
    signature_reason(verify(&verifier, &value));
    // Nothing to verify is not a verified notification.
    assert_eq!(
        signature_reason(verify(&verifier, &json!({"approved": [], "rejected": []}))),
        "the notification carries no signed charge"
    );
    // Either list alone is a subscription notification too.
    for (status, absent) in [("rejected", "approved"), ("approved", "rejected")] {
        let (_, body) = signer.subscription_payment_notification(&[("abc_1", status)]);
        let mut one_list: serde_json::Value = serde_json::from_slice(&body).unwrap();
        one_list.as_object_mut().unwrap().remove(absent);
        match verify(&verifier, &one_list).unwrap() {
            VerifiedEvent::SubscriptionPayment(p) => {
                assert_eq!(p.charges()[0].status().as_str(), status);
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn a_charge_reference_names_its_subscription_only_when_it_has_the_shape() {
    let signer = TestSigner::new();
    let verifier = signer.verifier();
    let cases = [
        ("abc_2", Some("abc")),
        ("a_b_12", Some("a_b")),
        ("_2", None),
        ("abc_", None),
        ("abc", None),
    ];
    for (reference, expected) in cases {
        let (headers, body) = signer.subscription_payment_notification(&[(reference, "approved")]);
        let VerifiedEvent::SubscriptionPayment(payment) = verifier.verify(&headers, &body).unwrap()
        else {
            panic!("{reference}")
        };
        assert_eq!(
            payment.charges()[0].subscription_id(),
            expected.map(SubscriptionId::new),
            "{reference}"
        );
    }
}

#[test]
fn the_size_cap_holds_at_its_exact_byte() {
    let signer = TestSigner::new();
    let verifier = signer.verifier();
    let mut body = signed_checkout(&signer, "200", "order-cap");
    body["padding"] = "".into();
    let short = body.to_string().len();
    body["padding"] = "x".repeat(MAX_NOTIFICATION_BYTES - short).into();
    let at_cap = body.to_string();
    assert_eq!(at_cap.len(), MAX_NOTIFICATION_BYTES);
    assert_eq!(MAX_NOTIFICATION_BYTES, 256 * 1024);
    assert!(verifier.verify(&no_headers(), at_cap.as_bytes()).is_ok());
    assert!(parse_checkout(at_cap.as_bytes()).is_ok());
    let over = format!("{at_cap} ");
    for err in [
        verifier.verify(&no_headers(), over.as_bytes()).unwrap_err(),
        parse_checkout(over.as_bytes()).unwrap_err(),
    ] {
        match err.kind() {
            ErrorKind::Decode { message, .. } => assert!(message.contains("larger than")),
            other => panic!("{other:?}"),
        }
    }
    let list = format!(r#"{{"approved":[],"padding":"{}"}}"#, "x".repeat(200_000));
    assert!(parse_subscription_payment(list.as_bytes()).is_ok());
}

#[test]
fn the_verifier_is_the_one_behind_the_shared_trait() {
    let signer = TestSigner::new();
    let verifier = signer.verifier();
    let (headers, body) = signer.checkout_notification("order-trait", 200);
    let event = payments_common::VerifyNotification::verify(&verifier, &headers, &body).unwrap();
    match event {
        VerifiedEvent::Checkout(c) => assert_eq!(c.order_id(), "order-trait"),
        other => panic!("{other:?}"),
    }
    let forged = String::from_utf8(body)
        .unwrap()
        .replace("order-trait", "order-other");
    let err = payments_common::VerifyNotification::verify(&verifier, &headers, forged.as_bytes())
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::SignatureInvalid { .. }));
}

#[test]
fn the_unverified_readings_never_say_paid_and_name_their_signed_fields() {
    let decline =
        parse_checkout(br#"{"status":200,"orderId":"o-1","result":{"success":false}}"#).unwrap();
    assert_eq!(decline.outcome(), CheckoutOutcome::Declined);
    assert_eq!(
        PaymentOutcome::from(decline.outcome()),
        PaymentOutcome::Failed
    );
    assert_eq!(
        decline.signed_fields(),
        [("status", "200".to_owned()), ("orderId", "o-1".to_owned())]
    );
    for body in [
        br#"{"status":200,"orderId":"o-1","result":{"success":true}}"#.as_slice(),
        br#"{"status":200,"orderId":"o-1","result":{}}"#,
        br#"{"status":200,"orderId":"o-1"}"#,
    ] {
        let unconfirmed = parse_checkout(body).unwrap();
        assert_eq!(unconfirmed.outcome(), CheckoutOutcome::Unconfirmed);
        assert_eq!(
            PaymentOutcome::from(unconfirmed.outcome()),
            PaymentOutcome::Pending
        );
    }
    assert_eq!(
        parse_checkout(b"{}").unwrap().signed_fields(),
        [("status", String::new()), ("orderId", String::new())]
    );

    let n = parse_subscription_payment(
        br#"{"approved":[{"status":"approved","order":{"orderReference":"s_1","subscriptionId":"s"}}],
            "rejected":[{"status":"rejected","order":{"order_reference":"s_2","subscriptionId":"s"}}]}"#,
    )
    .unwrap();
    assert_eq!(n.approved[0].outcome(), PaymentOutcome::Paid);
    assert_eq!(n.rejected[0].outcome(), PaymentOutcome::Failed);
    assert_eq!(
        n.rejected[0].signed_fields(),
        [
            ("status", "rejected".to_owned()),
            ("orderId", "s_2".to_owned())
        ]
    );
    assert_eq!(
        signed_string(&n.approved[0].signed_fields()),
        "status:approved,orderId:s_1"
    );
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// What the hosted form appends to the callback: the tokenization result, base64.
fn form_result(signer: &TestSigner, request_id: &str, status: i64, token: &str) -> String {
    let status_text = status.to_string();
    let json = json!({
        "status": status,
        "requestId": request_id,
        "result": {"token": token, "last_digits": "4242", "bin": "424242"},
        "_signature": signer.sign(&[("status", status_text.as_str()), ("requestId", request_id)]),
    });
    base64(json.to_string().as_bytes())
}

#[test]
fn the_form_return_is_read_in_every_base64_spelling_and_length() {
    let signer = TestSigner::new();
    let verifier = signer.verifier();
    let mut lengths_seen = [false; 3];
    let mut url_alphabet_seen = false;
    // Tokens of growing length give every padding length (0, 1 and 2 `=`) and, somewhere, the
    // two characters the URL-safe alphabet replaces.
    for extra in 0..12 {
        let token = format!("tok~~~???{}", "~?".repeat(extra));
        let standard = form_result(&signer, "req-form", 200, &token);
        let padding = standard.len() - standard.trim_end_matches('=').len();
        lengths_seen[padding] = true;
        let url_safe: String = standard
            .trim_end_matches('=')
            .chars()
            .map(|c| match c {
                '+' => '-',
                '/' => '_',
                other => other,
            })
            .collect();
        url_alphabet_seen |= url_safe.contains('-') && url_safe.contains('_');
        for data in [standard.clone(), url_safe, format!("  {standard}\n")] {
            let returned = verifier.verify_form_return(&data, "req-form").unwrap();
            assert_eq!(returned.card.token.as_str(), token);
            assert_eq!(returned.tokenization.request_id(), "req-form");
            assert_eq!(returned.tokenization.status(), Some(200));
        }
    }
    assert_eq!(lengths_seen, [true; 3]);
    assert!(url_alphabet_seen);
}

#[test]
fn a_form_return_for_another_request_or_not_tokenized_is_refused() {
    let signer = TestSigner::new();
    let verifier = signer.verifier();
    let data = form_result(&signer, "req-a", 200, "tok-a");
    // A genuine result of another tokenization, replayed here.
    let err = verifier.verify_form_return(&data, "req-b").unwrap_err();
    assert_eq!(err.operation(), "cards.form_return");
    assert_eq!(
        signature_reason::<()>(Err(err)),
        "the result names another tokenization request"
    );
    // Genuinely signed, but the card was not tokenized.
    let declined = form_result(&signer, "req-a", 400, "tok-a");
    let err = verifier.verify_form_return(&declined, "req-a").unwrap_err();
    assert_eq!(err.invalid_field(), Some("status"));
    // A status changed after signing.
    let forged = {
        let json = json!({
            "status": 200,
            "requestId": "req-a",
            "result": {"token": "tok-a"},
            "_signature": signer.sign(&[("status", "400"), ("requestId", "req-a")]),
        });
        base64(json.to_string().as_bytes())
    };
    signature_reason(verifier.verify_form_return(&forged, "req-a"));
    // Not base64 at all.
    let err = verifier
        .verify_form_return("not*base64", "req-a")
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some("data"));
}
