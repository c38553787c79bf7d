//! Notifications (feature `webhooks`): typed parsing of the documented bodies and the
//! `_signature` verifier, with the crate's fixed test key (`test_util::TestSigner`, feature
//! `test-util`): one key for every test instead of a key pair generated per test.
#![cfg(feature = "test-util")]

mod common;

use common::fixture;
use greenpay::subscriptions::PaymentStatus;
use greenpay::test_util::{TEST_PUBLIC_KEY, TestSigner};
use greenpay::webhook::{
    CheckoutOutcome, WebhookVerifier, parse_checkout, parse_subscription_payment, signed_string,
};
use greenpay::{ErrorKind, HeaderMap, PaymentOutcome, VerifiedEvent};
use rsa::pkcs8::{DecodePublicKey, EncodePublicKey};

struct Keys {
    der_base64: String,
    pem: String,
    signer: TestSigner,
}

fn keys() -> Keys {
    // GreenPay publishes the key as bare base64 DER, as `TEST_PUBLIC_KEY` is; the PEM form is
    // the same base64 under armor, in lines of 64 characters.
    let der_base64 = TEST_PUBLIC_KEY.to_owned();
    let mut pem = String::from("-----BEGIN PUBLIC KEY-----\n");
    for line in der_base64.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).unwrap());
        pem.push('\n');
    }
    pem.push_str("-----END PUBLIC KEY-----\n");
    let public = rsa::RsaPublicKey::from_public_key_pem(&pem).unwrap();
    assert!(public.to_public_key_der().unwrap().as_bytes().len() > 100);
    Keys {
        der_base64,
        pem,
        signer: TestSigner::new(),
    }
}

/// The hex signature of `message`, written out as GreenPay signs it (`k1:v1,k2:v2`). The
/// signer takes fields: the message is split into them, and [`signed_string`] must give the
/// message back, so the verifier's string is still checked against a literal.
fn sign(keys: &Keys, message: &str) -> String {
    let fields: Vec<(&str, &str)> = message
        .split(',')
        .map(|pair| pair.split_once(':').unwrap())
        .collect();
    assert_eq!(signed_string(&fields), message);
    keys.signer.sign(&fields)
}

#[test]
fn checkout_notification_parses() {
    let result = parse_checkout(fixture("webhooks.checkout.notification.json").as_bytes()).unwrap();
    // `result.success: true` is not signed: the notification alone never says paid.
    assert_eq!(result.outcome(), CheckoutOutcome::Unconfirmed);
    assert_eq!(
        result.result.as_ref().unwrap().merchant_id.as_deref(),
        Some("485")
    );
    insta::assert_debug_snapshot!("webhooks.checkout.notification", result);
}

#[test]
fn subscription_payment_notification_parses() {
    let n = parse_subscription_payment(
        fixture("webhooks.subscription_payment.notification.json").as_bytes(),
    )
    .unwrap();
    assert_eq!(n.approved.len(), 1);
    assert!(n.rejected.is_empty());
    assert_eq!(n.approved[0].outcome(), PaymentOutcome::Paid);
    assert_eq!(
        n.approved[0].order.order_reference,
        "9541b344c3d45d421acd454d61251cde_2"
    );
    insta::assert_debug_snapshot!("webhooks.subscription_payment.notification", n);
}

#[test]
fn a_rejected_list_is_read_when_present() {
    let body = r#"{"rejected":[{"status":"rejected","orderStatus":"ACTIVE","errors":["Card declined."],
        "order":{"order_reference":"abc_3","subscriptionId":"abc","user":"u"}}]}"#;
    let n = parse_subscription_payment(body.as_bytes()).unwrap();
    assert_eq!(n.rejected[0].status, PaymentStatus::Rejected);
    assert_eq!(n.rejected[0].outcome(), PaymentOutcome::Failed);
}

#[test]
fn a_malformed_body_is_a_decode_error_with_its_path() {
    let err = parse_subscription_payment(
        br#"{"approved":[{"status":"approved","order":{"subscriptionId":1}}]}"#,
    )
    .unwrap_err();
    match err.kind() {
        ErrorKind::Decode { path, .. } => assert!(path.starts_with("approved[0].order"), "{path}"),
        other => panic!("{other:?}"),
    }
    assert!(parse_checkout(b"<html>").is_err());
}

#[test]
fn signatures_verify_with_der_and_pem_keys() {
    let keys = keys();
    let fields = [("status", "200"), ("orderId", "order-1001")];
    let signature = sign(&keys, &signed_string(&fields));
    assert_eq!(signature.len(), 256);
    for key in [&keys.der_base64, &keys.pem] {
        let verifier = WebhookVerifier::new(key).unwrap();
        verifier.verify_fields(&fields, &signature).unwrap();
        verifier
            .verify_fields(&fields, &signature.to_uppercase())
            .unwrap();
        let tampered = [("status", "200"), ("orderId", "order-1002")];
        assert!(matches!(
            verifier
                .verify_fields(&tampered, &signature)
                .map_err(greenpay::Error::into_kind),
            Err(ErrorKind::SignatureInvalid { .. })
        ));
        assert!(matches!(
            verifier
                .verify_fields(&fields, "zz")
                .map_err(greenpay::Error::into_kind),
            Err(ErrorKind::SignatureInvalid { .. })
        ));
        assert!(matches!(
            verifier
                .verify_fields(&fields, "")
                .map_err(greenpay::Error::into_kind),
            Err(ErrorKind::SignatureInvalid { .. })
        ));
    }
}

#[test]
fn the_checkout_result_signature_over_the_guessed_fields() {
    let keys = keys();
    let mut body: serde_json::Value =
        serde_json::from_str(&fixture("webhooks.checkout.notification.json")).unwrap();
    body["_signature"] = sign(&keys, "status:200,orderId:order-1001").into();
    let result = parse_checkout(body.to_string().as_bytes()).unwrap();
    let verifier = WebhookVerifier::new(&keys.der_base64).unwrap();
    verifier
        .verify_fields(
            &result.signed_fields(),
            result.signature.as_deref().unwrap(),
        )
        .unwrap();
    // The fixture's placeholder signature does not verify.
    let original =
        parse_checkout(fixture("webhooks.checkout.notification.json").as_bytes()).unwrap();
    assert!(
        verifier
            .verify_fields(
                &original.signed_fields(),
                original.signature.as_deref().unwrap()
            )
            .is_err()
    );
}

#[test]
fn bad_keys_are_refused() {
    for bad in ["", "not base64!", "AAAA"] {
        assert!(
            matches!(
                WebhookVerifier::new(bad).map_err(greenpay::Error::into_kind),
                Err(ErrorKind::InvalidRequest { .. })
            ),
            "{bad:?}"
        );
    }
}

#[test]
fn oversized_notifications_are_refused_before_parsing() {
    // Well-formed JSON just over the cap: refused as a decode error, not parsed.
    let padding = "x".repeat(greenpay::webhook::MAX_NOTIFICATION_BYTES);
    let body = format!(r#"{{"approved":[],"padding":"{padding}"}}"#);
    for result in [
        parse_subscription_payment(body.as_bytes()).map(|_| ()),
        parse_checkout(body.as_bytes()).map(|_| ()),
    ] {
        match result.map_err(greenpay::Error::into_kind) {
            Err(ErrorKind::Decode { message, .. }) => assert!(message.contains("larger than")),
            other => panic!("{other:?}"),
        }
    }
    // The same shape under the cap parses.
    assert!(parse_subscription_payment(br#"{"approved":[],"padding":"x"}"#).is_ok());
}

/// A genuinely signed checkout decline: GreenPay sends `status: 200` for declines too, and
/// the signature (over `status` and `orderId`) does not cover `result.success`.
fn signed_decline(keys: &Keys) -> serde_json::Value {
    let mut body: serde_json::Value =
        serde_json::from_str(&fixture("webhooks.checkout.notification.json")).unwrap();
    body["result"]["success"] = false.into();
    body["result"]["resp_code"] = "05".into();
    body["errors"] = serde_json::json!(["Card declined."]);
    body["_signature"] = sign(keys, "status:200,orderId:order-1001").into();
    body
}

#[test]
fn a_signed_decline_with_success_flipped_to_true_verifies_but_is_never_read_as_paid() {
    let keys = keys();
    let verifier = WebhookVerifier::new(&keys.der_base64).unwrap();
    let mut body = signed_decline(&keys);
    body["result"]["success"] = true.into();
    body["result"]["resp_code"] = "00".into();
    body["errors"] = serde_json::json!([]);
    let flipped = parse_checkout(body.to_string().as_bytes()).unwrap();
    // The flip is invisible to the signature: it still verifies.
    verifier
        .verify_fields(
            &flipped.signed_fields(),
            flipped.signature.as_deref().unwrap(),
        )
        .unwrap();
    // So nothing read from the notification may say "paid" (whatever type `outcome` returns).
    assert_ne!(format!("{:?}", flipped.outcome()), "Paid");
    assert_ne!(
        format!(
            "{:?}",
            parse_checkout(fixture("webhooks.checkout.notification.json").as_bytes())
                .unwrap()
                .outcome()
        ),
        "Paid",
        "an unsigned success field is never proof of payment"
    );
}

#[test]
fn a_signed_decline_reads_declined_and_verify_checkout_proves_only_the_order() {
    let keys = keys();
    let verifier = WebhookVerifier::new(&keys.der_base64).unwrap();
    let decline = parse_checkout(signed_decline(&keys).to_string().as_bytes()).unwrap();
    assert_eq!(decline.outcome(), CheckoutOutcome::Declined);
    assert_eq!(
        PaymentOutcome::from(decline.outcome()),
        PaymentOutcome::Failed
    );
    let verified = match verifier
        .verify(
            &HeaderMap::new(),
            signed_decline(&keys).to_string().as_bytes(),
        )
        .unwrap()
    {
        VerifiedEvent::Checkout(verified) => verified,
        other => panic!("{other:?}"),
    };
    assert_eq!(verified.order_id(), "order-1001");
    assert_eq!(verified.status(), Some(200));
    // Another order's id under the same signature does not verify.
    let mut other = signed_decline(&keys);
    other["orderId"] = "order-1002".into();
    let err = verifier
        .verify(&HeaderMap::new(), other.to_string().as_bytes())
        .unwrap_err();
    assert_eq!(err.operation(), "webhook.verify");
    assert!(
        err.to_string().starts_with("GreenPay webhook.verify: "),
        "{err}"
    );
    assert!(matches!(err.kind(), ErrorKind::SignatureInvalid { .. }));
    // No orderId: nothing proven, even with a signature over the empty id.
    let mut none = signed_decline(&keys);
    none.as_object_mut().unwrap().remove("orderId");
    none["_signature"] = sign(&keys, "status:200,orderId:").into();
    assert!(matches!(
        verifier
            .verify(&HeaderMap::new(), none.to_string().as_bytes())
            .map_err(greenpay::Error::into_kind),
        Err(ErrorKind::SignatureInvalid { .. })
    ));
}
