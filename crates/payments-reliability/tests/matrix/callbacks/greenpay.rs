//! GreenPay: `_signature` (RSA PKCS#1 v1.5 over SHA-256, hex) over `signed_string` of the
//! fields the SDK *infers* GreenPay signs (`status` and `orderId`: undocumented, see
//! `greenpay::webhook`), for checkout results and subscription charges; and W7 as a forged
//! "approved" notification whose status comes from `list_payments` instead.

use greenpay::subscriptions::{
    ListPayments, PaymentStatus, SubscriptionPayment, SubscriptionStatus,
};
use greenpay::webhook::{
    CheckoutOutcome, CheckoutResult, SubscriptionPaymentNotification, parse_checkout,
    parse_subscription_payment, signed_string,
};
use greenpay::{HeaderMap, PaymentOutcome, VerifiedEvent, WebhookVerifier};
use payments_common::Error;
use payments_common::signature::to_hex;
use payments_common::testing::{Fault, FaultServer, Reply};
use payments_reliability::{canary, fixture, report};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer};
use serde_json::Value;

use super::{accept, decode, guarded, reject, reject_forged, signature, tampered};
use crate::faults::greenpay::{SUB, sdk_client};

/// Verifies a checkout result as a merchant's handler does (`WebhookVerifier::verify` on the
/// raw body), then reads the whole body for what the rows inspect beyond the proven order.
fn checkout(verifier: &WebhookVerifier, body: &[u8]) -> Result<CheckoutResult, Error> {
    let verified = verifier
        .verify(&HeaderMap::new(), body)
        .map_err(greenpay::Error::into_kind)?;
    let VerifiedEvent::Checkout(proven) = verified else {
        return Err(Error::invalid(
            "body",
            "verified, but not as a checkout result",
        ));
    };
    let result = parse_checkout(body).map_err(greenpay::Error::into_kind)?;
    if result.order_id.as_deref() != Some(proven.order_id()) {
        return Err(Error::invalid(
            "orderId",
            "the proven order is not the body's",
        ));
    }
    Ok(result)
}

/// Verifies a subscription payment notification (every charge's `_signature`) with
/// `WebhookVerifier::verify`, then reads the whole body.
fn charges(
    verifier: &WebhookVerifier,
    body: &[u8],
) -> Result<SubscriptionPaymentNotification, Error> {
    let verified = verifier
        .verify(&HeaderMap::new(), body)
        .map_err(greenpay::Error::into_kind)?;
    let VerifiedEvent::SubscriptionPayment(proven) = verified else {
        return Err(Error::invalid(
            "body",
            "verified, but not as a payment notification",
        ));
    };
    let n = parse_subscription_payment(body).map_err(greenpay::Error::into_kind)?;
    let listed = n.approved.len() + n.rejected.len();
    if proven.charges().len() != listed {
        return Err(Error::invalid("approved", "not every charge was proven"));
    }
    Ok(n)
}

/// `body` (JSON) with `value` set at `pointer` (`None` removes the last key).
fn with(body: &[u8], pointer: &str, value: Option<&str>) -> Vec<u8> {
    let Ok(mut v) = serde_json::from_slice::<Value>(body) else {
        return body.to_vec();
    };
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    if let Some(Value::Object(map)) = v.pointer_mut(parent) {
        match value {
            Some(s) => {
                map.insert(key.to_owned(), Value::String(s.to_owned()));
            }
            None => {
                map.remove(key);
            }
        }
    }
    serde_json::to_vec(&v).unwrap_or_default()
}

/// The byte offset of the `n`th byte of the first `needle` in `body`.
fn at(body: &[u8], needle: &str, n: usize) -> usize {
    body.windows(needle.len().max(1))
        .position(|w| w == needle.as_bytes())
        .map_or(0, |p| p + n)
}

/// Runs GreenPay's callback rows.
pub async fn run() {
    let mut rng = rand::thread_rng();
    let (Ok(private), Ok(attacker)) = (
        rsa::RsaPrivateKey::new(&mut rng, 1024),
        rsa::RsaPrivateKey::new(&mut rng, 1024),
    ) else {
        report::callback(
            "greenpay keys",
            true,
            false,
            "could not generate an RSA key",
        );
        return;
    };
    let public = private.to_public_key();
    // GreenPay publishes its key as bare base64 DER: the PEM body without armor or breaks.
    let pem = public.to_public_key_pem(LineEnding::LF).unwrap_or_default();
    let der: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let signer = SigningKey::<Sha256>::new(private);
    let forger = SigningKey::<Sha256>::new(attacker);
    let sign =
        |fields: &[(&str, String)]| to_hex(&signer.sign(signed_string(fields).as_bytes()).to_vec());
    let forge =
        |fields: &[(&str, String)]| to_hex(&forger.sign(signed_string(fields).as_bytes()).to_vec());
    let (Ok(verifier), Ok(verifier_pem)) = (WebhookVerifier::new(&der), WebhookVerifier::new(&pem))
    else {
        report::callback(
            "greenpay verifiers",
            true,
            false,
            "a verifier could not be built",
        );
        return;
    };
    canary::scan_debug("greenpay WebhookVerifier", &verifier);

    // The documented bodies, signed with the test key over the inferred field set.
    let checkout_doc = fixture("greenpay", "webhooks.checkout.notification.json");
    let checkout_fields = vec![
        ("status", "200".to_owned()),
        ("orderId", "order-1001".to_owned()),
    ];
    let checkout_sig = sign(&checkout_fields);
    let signed_checkout = with(&checkout_doc, "/_signature", Some(&checkout_sig));
    let charge_doc = fixture(
        "greenpay",
        "webhooks.subscription_payment.notification.json",
    );
    let reference = format!("{SUB}_2");
    let charge_fields = |status: &str| {
        vec![
            ("status", status.to_owned()),
            ("orderId", reference.clone()),
        ]
    };
    let charge_sig = sign(&charge_fields("approved"));
    let signed_charge = with(&charge_doc, "/approved/0/_signature", Some(&charge_sig));

    // W1.
    // Accepted = the signed order is read; the unsigned `result.success` is never taken as
    // paid (GreenPay offers no read of a checkout order, so the SDK says `Unconfirmed`).
    let paid = |r: &CheckoutResult| {
        r.order_id.as_deref() == Some("order-1001") && r.outcome() == CheckoutOutcome::Unconfirmed
    };
    accept(
        "greenpay W1 checkout result (DER key, webhooks.checkout.notification.json)",
        guarded("g W1", || checkout(&verifier, &signed_checkout)),
        paid,
    );
    accept(
        "greenpay W1 checkout result (PEM key)",
        guarded("g W1", || checkout(&verifier_pem, &signed_checkout)),
        paid,
    );
    let upper = with(
        &checkout_doc,
        "/_signature",
        Some(&checkout_sig.to_ascii_uppercase()),
    );
    accept(
        "greenpay W1 checkout result, upper-case hex",
        guarded("g W1", || checkout(&verifier, &upper)),
        paid,
    );
    accept(
        "greenpay W1 subscription charge (webhooks.subscription_payment.notification.json)",
        guarded("g W1", || charges(&verifier, &signed_charge)),
        |n| {
            n.approved.len() == 1
                && n.approved
                    .iter()
                    .all(|c| c.outcome() == PaymentOutcome::Paid)
        },
    );
    // Tokenization results (`/newCard`) and the hosted tokenization form's return: signed over
    // `status` and `requestId` (inferred); the token is not covered.
    let token_doc = fixture("greenpay", "cards.tokenize.response.json");
    let token_sig = sign(&[
        ("status", "200".to_owned()),
        ("requestId", "xwr-123455".to_owned()),
    ]);
    let signed_token = with(&token_doc, "/_signature", Some(&token_sig));
    let tokenization = |v: &WebhookVerifier, body: &[u8]| {
        v.verify(&HeaderMap::new(), body)
            .map_err(greenpay::Error::into_kind)
    };
    accept(
        "greenpay W1 tokenization result (/newCard, cards.tokenize.response.json)",
        guarded("g W1", || tokenization(&verifier, &signed_token)),
        |e| matches!(e, VerifiedEvent::Tokenization(t) if t.request_id() == "xwr-123455"),
    );
    reject(
        "greenpay W2 tokenization result, requestId changed after signing",
        guarded("g W2", || {
            tokenization(
                &verifier,
                &with(&signed_token, "/requestId", Some("xwr-999999")),
            )
        }),
        signature,
    );
    reject(
        "greenpay W3 tokenization result signed by another key",
        guarded("g W3", || {
            let forged = forge(&[
                ("status", "200".to_owned()),
                ("requestId", "xwr-123455".to_owned()),
            ]);
            tokenization(&verifier, &with(&token_doc, "/_signature", Some(&forged)))
        }),
        signature,
    );
    let form_return = {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&signed_token)
    };
    accept(
        "greenpay W1 hosted tokenization form return, its own request",
        guarded("g W1", || {
            verifier
                .verify_form_return(&form_return, "xwr-123455")
                .map_err(greenpay::Error::into_kind)
        }),
        |r| r.tokenization.request_id() == "xwr-123455",
    );
    reject(
        "greenpay W9 hosted tokenization form return replayed for another request",
        guarded("g W9", || {
            verifier
                .verify_form_return(&form_return, "req-of-another-customer")
                .map_err(greenpay::Error::into_kind)
        }),
        signature,
    );
    unsigned_field_rows(
        &verifier,
        &checkout_doc,
        &checkout_sig,
        &charge_doc,
        &sign(&charge_fields("rejected")),
    );
    let rejected_body = format!(
        r#"{{"rejected":[{{"status":"rejected","orderStatus":"ACTIVE","errors":["Card declined."],
        "order":{{"order_reference":"{reference}","subscriptionId":"{SUB}","user":"UserBot"}},
        "_signature":"{}"}}]}}"#,
        sign(&charge_fields("rejected"))
    );
    accept(
        "greenpay W1 subscription charge in `rejected` (inferred list)",
        guarded("g W1", || charges(&verifier, rejected_body.as_bytes())),
        |n| {
            n.rejected
                .iter()
                .all(|c| c.outcome() == PaymentOutcome::Failed)
                && !n.rejected.is_empty()
        },
    );

    // W2: one byte of a signed field changed after signing.
    for (label, needle, n) in [
        ("orderId", "order-1001", 6),
        ("orderId first byte", "order-1001", 0),
        ("status", "\"status\":200", 10),
    ] {
        let body = tampered(&signed_checkout, at(&signed_checkout, needle, n));
        reject(
            &format!("greenpay W2 checkout {label} byte changed"),
            guarded("g W2", || checkout(&verifier, &body)),
            signature,
        );
    }
    for (label, needle, n) in [
        ("orderReference", reference.as_str(), 33),
        ("status", "\"status\":\"approved\"", 10),
    ] {
        let body = tampered(&signed_charge, at(&signed_charge, needle, n));
        reject(
            &format!("greenpay W2 subscription charge {label} byte changed"),
            guarded("g W2", || charges(&verifier, &body)),
            signature,
        );
    }
    // W3: `_signature` absent (or null) while a key is configured.
    let absent = with(&signed_checkout, "/_signature", None);
    reject(
        "greenpay W3 checkout _signature absent",
        guarded("g W3", || checkout(&verifier, &absent)),
        signature,
    );
    let null =
        String::from_utf8_lossy(&signed_checkout).replace(&format!("\"{checkout_sig}\""), "null");
    reject(
        "greenpay W3 checkout _signature null",
        guarded("g W3", || checkout(&verifier, null.as_bytes())),
        signature,
    );
    reject(
        "greenpay W3 subscription charge without _signature (as documented)",
        guarded("g W3", || charges(&verifier, &charge_doc)),
        signature,
    );
    // W4: not hex, truncated, wrong length.
    let truncated = checkout_sig.get(..128).unwrap_or("").to_owned();
    let odd = checkout_sig.get(..255).unwrap_or("").to_owned();
    let long = format!("{checkout_sig}00");
    let prefixed = format!("0x{checkout_sig}");
    let zeros = "0".repeat(256);
    let b64 = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .encode(payments_common::signature::from_hex(&checkout_sig).unwrap_or_default())
    };
    let multibyte = "é".repeat(128);
    for (label, sig) in [
        ("empty", ""),
        ("not hex", "zz-not-a-signature"),
        ("truncated to 128 hex digits", truncated.as_str()),
        ("odd length", odd.as_str()),
        ("258 hex digits", long.as_str()),
        ("0x prefix", prefixed.as_str()),
        ("all zeros", zeros.as_str()),
        ("base64 instead of hex", b64.as_str()),
        ("multibyte", multibyte.as_str()),
    ] {
        let body = with(&checkout_doc, "/_signature", Some(sig));
        reject(
            &format!("greenpay W4 {label}"),
            guarded("g W4", || checkout(&verifier, &body)),
            signature,
        );
    }
    // W5 (the key's analogue): another key; the right key over another string.
    let other_key = with(&checkout_doc, "/_signature", Some(&forge(&checkout_fields)));
    reject(
        "greenpay W5 signed with another key",
        guarded("g W5", || checkout(&verifier, &other_key)),
        signature,
    );
    let swapped: Vec<(&str, String)> = checkout_fields.iter().rev().cloned().collect();
    let reordered = with(&checkout_doc, "/_signature", Some(&sign(&swapped)));
    reject(
        "greenpay W5 fields signed in another order",
        guarded("g W5", || checkout(&verifier, &reordered)),
        signature,
    );
    let other_status = vec![
        ("status", "500".to_owned()),
        ("orderId", "order-1001".to_owned()),
    ];
    let replayed = with(&checkout_doc, "/_signature", Some(&sign(&other_status)));
    reject(
        "greenpay W5 signature of a failed result on a paid one",
        guarded("g W5", || checkout(&verifier, &replayed)),
        signature,
    );
    // W6: a duplicate delivery is identifiable by orderId + status.
    let first = guarded("g W6", || checkout(&verifier, &signed_checkout));
    let second = guarded("g W6", || checkout(&verifier, &signed_checkout));
    let id = |r: &Option<Result<CheckoutResult, Error>>| {
        r.as_ref()
            .and_then(|r| r.as_ref().ok())
            .map(|c| (c.order_id.clone(), c.status))
    };
    let same = id(&first).is_some() && id(&first) == id(&second);
    accept(
        "greenpay W6 duplicate checkout result has the same orderId+status",
        second,
        |_| same,
    );
    let first = guarded("g W6", || charges(&verifier, &signed_charge));
    let second = guarded("g W6", || charges(&verifier, &signed_charge));
    let id = |r: &Option<Result<SubscriptionPaymentNotification, Error>>| {
        r.as_ref()
            .and_then(|r| r.as_ref().ok())
            .and_then(|n| n.approved.first())
            .map(|c| (c.order.order_reference.clone(), c.status.clone()))
    };
    let same = id(&first).is_some() && id(&first) == id(&second);
    accept(
        "greenpay W6 duplicate charge has the same orderReference+status",
        second,
        |_| same,
    );

    // W8: malformed, not JSON, huge-and-cut, unknown fields and status values.
    let malformed = format!(
        r#"{{"status":"x200","orderId":"order-1001","result":{{"success":"yes"}},"card":{},"_signature":"{checkout_sig}"}}"#,
        canary::card_json()
    );
    reject(
        "greenpay W8 checkout malformed",
        guarded("g W8", || checkout(&verifier, malformed.as_bytes())),
        decode,
    );
    let malformed_charge = format!(
        r#"{{"approved":[{{"status":"approved","order":{{"subscriptionId":1}},"card":{}}}]}}"#,
        canary::card_json()
    );
    reject(
        "greenpay W8 subscription charge malformed",
        guarded("g W8", || charges(&verifier, malformed_charge.as_bytes())),
        decode,
    );
    reject(
        "greenpay W8 not JSON",
        guarded("g W8", || checkout(&verifier, b"<html>not json</html>")),
        decode,
    );
    let cut = format!(
        r#"{{"approved":[{{"status":"approved","pad":"{}"#,
        "a".repeat(1 << 20)
    );
    reject(
        "greenpay W8 1 MiB body cut short",
        guarded("g W8", || charges(&verifier, cut.as_bytes())),
        decode,
    );
    let huge = format!(r#"{{"approved":[],"pad":"{}"}}"#, "a".repeat(2 << 20));
    reject(
        "greenpay W8 2 MiB well-formed body",
        guarded("g W8", || {
            parse_subscription_payment(huge.as_bytes()).map_err(greenpay::Error::into_kind)
        }),
        decode,
    );
    let future_status = sign(&charge_fields("chargeback_pending"));
    let future = format!(
        r#"{{"x_future":{{"nested":[1,{{"a":null}}]}},"approved":[{{"status":"chargeback_pending","orderStatus":"PAUSED","x_more":true,
        "order":{{"orderReference":"{reference}","subscriptionId":"{SUB}","user":"UserBot","x_new":1}},"_signature":"{future_status}"}}]}}"#
    );
    accept(
        "greenpay W8 unknown fields and status kept as Unknown",
        guarded("g W8", || charges(&verifier, future.as_bytes())),
        |n| {
            n.approved.first().is_some_and(|c| {
                matches!(&c.status, PaymentStatus::Unknown(v) if v == "chargeback_pending")
                    && matches!(&c.order_status, Some(SubscriptionStatus::Unknown(v)) if v == "PAUSED")
                    && c.outcome() == PaymentOutcome::Pending
            })
        },
    );
    let future_checkout = String::from_utf8_lossy(&signed_checkout).replacen(
        '{',
        r#"{"x_future":[1,2,{"deep":true}],"#,
        2,
    );
    accept(
        "greenpay W8 checkout result with unknown fields",
        guarded("g W8", || checkout(&verifier, future_checkout.as_bytes())),
        paid,
    );

    // W7: a forged "approved" notification (signed with another key) is refused, and the
    // status comes from the server-side read of the subscription's payments.
    let forged = format!(
        r#"{{"approved":[{{"status":"approved","orderStatus":"ACTIVE",
        "order":{{"orderReference":"{reference}","subscriptionId":"{SUB}","user":"UserBot"}},"_signature":"{}"}}]}}"#,
        forge(&charge_fields("approved"))
    );
    reject(
        "greenpay W7 forged approved notification refused",
        guarded("g W7", || charges(&verifier, forged.as_bytes())),
        signature,
    );
    let forged_checkout = with(&checkout_doc, "/_signature", Some(&forge(&checkout_fields)));
    reject(
        "greenpay W7 forged paid checkout result refused",
        guarded("g W7", || checkout(&verifier, &forged_checkout)),
        signature,
    );
    // The notification is only a lookup handle: take the subscription and the reference.
    let handle = parse_subscription_payment(forged.as_bytes())
        .ok()
        .and_then(|n| n.approved.into_iter().next())
        .map(|c| (c.order.subscription_id, c.order.order_reference));
    for (label, result, want) in [
        (
            "server says the charge failed",
            r#"{"status":500,"orderId":"REF","authorization":null,"amount":100,"currency":"USD","errors":["Card declined."]}"#,
            PaymentOutcome::Failed,
        ),
        ("server has no result yet", "null", PaymentOutcome::Pending),
    ] {
        let body = format!(
            r#"{{"status":"SUCCESS","code":200,"result":{{"entries":[{{"id":"8","reference_number":"{reference}",
            "payment_date":"2018-12-11T06:00:00.000Z","payment_result":{},"payment_retries":[]}}],
            "page":1,"totalEntries":1,"totalPages":1}},"errors":[]}}"#,
            result.replace("REF", &reference)
        );
        let server = FaultServer::start(vec![Fault::Respond(Reply::json(200, &body))]).await;
        let outcome = match (sdk_client(&server.base_url()), handle.clone()) {
            (Ok(c), Some((sub, reference))) => c
                .subscriptions()
                .list_payments(&ListPayments::new(sub, 1, 100))
                .await
                .map(|page| {
                    page.entries
                        .iter()
                        .find(|p| p.reference_number.as_deref() == Some(reference.as_str()))
                        .map_or(PaymentOutcome::Pending, SubscriptionPayment::outcome)
                })
                .map_err(greenpay::Error::into_kind),
            (Err(e), _) => Err(e),
            (_, None) => Err(Error::invalid(
                "order",
                "the notification parser lost the handle",
            )),
        };
        reject_forged(
            &format!("greenpay W7 forged approved notification, {label}"),
            outcome,
            want,
        );
    }

    report::not_applicable(
        "greenpay",
        "notifications",
        "W2 unsigned fields",
        "only status and orderId are (inferred to be) signed: a change elsewhere verifies; amounts come from list_payments",
    );
    report::not_applicable(
        "greenpay",
        "notifications",
        "W5 Basic",
        "GreenPay notifications carry an RSA _signature, no Basic credentials; W5 is run as another key and other signed strings",
    );
    report::not_applicable(
        "greenpay",
        "notifications",
        "W6 timestamp",
        "no signed timestamp is known for GreenPay; the duplicate half of W6 is run",
    );
}

/// `body` (JSON) with the JSON `value` set at `pointer` (its parent must exist).
fn with_value(body: &[u8], pointer: &str, value: Value) -> Vec<u8> {
    let Ok(mut v) = serde_json::from_slice::<Value>(body) else {
        return body.to_vec();
    };
    if let Some(slot) = v.pointer_mut(pointer) {
        *slot = value;
    }
    serde_json::to_vec(&v).unwrap_or_default()
}

/// W2/unsigned: notifications tampered in fields the signature does not cover. The signature
/// still verifies, so only the SDK's reading can keep them from counting as paid.
///
/// - a genuine declined checkout result (`result.success: false`, signed) with `success`
///   flipped to `true`: never `Paid` (the control, the untouched decline, is `Declined`);
/// - a genuine rejected subscription charge (signed `status: rejected`) moved into the
///   `approved` list: its outcome comes from the signed status, never `Paid`.
fn unsigned_field_rows(
    verifier: &WebhookVerifier,
    checkout_doc: &[u8],
    checkout_sig: &str,
    charge_doc: &[u8],
    rejected_sig: &str,
) {
    let signed = with(checkout_doc, "/_signature", Some(checkout_sig));
    let declined = with_value(&signed, "/result/success", Value::Bool(false));
    accept(
        "greenpay W2/unsigned control: a signed declined checkout result reads Declined",
        guarded("g W2/unsigned", || checkout(verifier, &declined)),
        |r| r.outcome() == CheckoutOutcome::Declined,
    );
    let flipped = with_value(&declined, "/result/success", Value::Bool(true));
    let result = guarded("g W2/unsigned", || checkout(verifier, &flipped));
    let (passed, detail) = match &result {
        Some(Ok(r)) => (
            PaymentOutcome::from(r.outcome()) != PaymentOutcome::Paid,
            format!("the flipped result reads {:?}", r.outcome()),
        ),
        Some(Err(e)) => (true, format!("refused: {e}")),
        None => (false, "panicked".to_owned()),
    };
    report::callback(
        "greenpay W2/unsigned checkout result.success flipped false -> true: never paid",
        false,
        passed,
        &detail,
    );

    let rejected = with(charge_doc, "/approved/0/status", Some("rejected"));
    let moved = with(&rejected, "/approved/0/_signature", Some(rejected_sig));
    let result = guarded("g W2/unsigned", || charges(verifier, &moved));
    let (passed, detail) = match &result {
        Some(Ok(n)) => (
            n.approved
                .iter()
                .chain(&n.rejected)
                .all(|c| c.outcome() != PaymentOutcome::Paid),
            format!(
                "the moved charge reads {:?}",
                n.approved.iter().map(|c| c.outcome()).collect::<Vec<_>>()
            ),
        ),
        Some(Err(e)) => (true, format!("refused: {e}")),
        None => (false, "panicked".to_owned()),
    };
    report::callback(
        "greenpay W2/unsigned a signed rejected charge listed under approved: never paid",
        false,
        passed,
        &detail,
    );
}
