//! TS Pay: `X-Message-Hash` (HMAC-SHA256 of the raw body, per the public integration — not on
//! TS Pay's documentation page) and the return to `callbackUrl`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use payments_common::testing::{Fault, FaultServer, Reply};
use payments_common::{HeaderMap, ProviderError, Url, signature as hmac};
use payments_reliability::canary::{self, WEBHOOK_SECRET};
use payments_reliability::{fixture, report};
use tspay::{
    ChargeState, Notification, OrderKey, PathStyle, PaymentOutcome, SIGNATURE_HEADER,
    WebhookVerifier,
};

use super::{accept, decode, guarded, reject, reject_forged, signature, tampered};
use crate::faults::tspay::{ORDER_KEY, client};

/// What TS Pay sends in `X-Message-Hash`: the lower-case hex HMAC-SHA256 of the raw body.
fn sign(secret: &str, body: &[u8]) -> String {
    hmac::to_hex(&hmac::hmac_sha256(secret.as_bytes(), body))
}

/// The delivery's headers: `X-Message-Hash: value`, or none.
fn hash_headers(value: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Some(v) = value.and_then(|v| v.as_bytes().try_into().ok()) {
        headers.insert(SIGNATURE_HEADER, v);
    }
    headers
}

fn hex_to_base64(hex: &str) -> String {
    let bytes: Vec<u8> = (0..hex.len() / 2)
        .filter_map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
        .collect();
    STANDARD.encode(bytes)
}

/// Runs TS Pay's callback rows.
pub async fn run() {
    let Ok(verifier) = WebhookVerifier::new(WEBHOOK_SECRET) else {
        report::callback(
            "tspay verifier",
            true,
            false,
            "the verifier could not be built",
        );
        return;
    };
    canary::scan_debug("tspay WebhookVerifier", &verifier);
    let verify = |label: &str, body: &[u8], header: Option<&str>| {
        guarded(label, || {
            verifier
                .verify(&hash_headers(header), body)
                .map_err(ProviderError::into_kind)
        })
    };
    let active = fixture("tspay", "webhook.request.charge-active.json");
    let failed = fixture("tspay", "webhook.request.state-in-event.json");
    let signed = sign(WEBHOOK_SECRET, &active);

    // W1: valid signatures in every accepted encoding.
    let is_paid = |n: &Notification| n.outcome() == PaymentOutcome::Paid;
    accept(
        "tspay W1 hex",
        verify("tspay W1 hex", &active, Some(&signed)),
        is_paid,
    );
    let upper = signed.to_ascii_uppercase();
    accept(
        "tspay W1 upper-case hex",
        verify("tspay W1 upper", &active, Some(&upper)),
        is_paid,
    );
    let prefixed = format!("sha256={signed}");
    accept(
        "tspay W1 sha256= prefix",
        verify("tspay W1 prefix", &active, Some(&prefixed)),
        is_paid,
    );
    let b64 = hex_to_base64(&signed);
    accept(
        "tspay W1 base64",
        verify("tspay W1 base64", &active, Some(&b64)),
        is_paid,
    );
    let failed_sig = sign(WEBHOOK_SECRET, &failed);
    accept(
        "tspay W1 state in event (webhook.request.state-in-event.json)",
        verify("tspay W1 failed", &failed, Some(&failed_sig)),
        |n| n.outcome() == PaymentOutcome::Failed,
    );

    // W2: one byte changed after signing.
    for at in [0, 17, active.len() / 2, active.len() - 2] {
        let body = tampered(&active, at);
        reject(
            &format!("tspay W2 byte {at} changed"),
            verify("tspay W2", &body, Some(&signed)),
            signature,
        );
    }
    // W3: no header.
    reject(
        "tspay W3 header absent",
        verify("tspay W3", &active, None),
        signature,
    );
    // W4: malformed headers.
    let truncated = signed.get(..63).unwrap_or("").to_owned();
    let short_b64 = STANDARD.encode([7u8; 31]);
    let long_hex = format!("{signed}00");
    for (label, header) in [
        ("empty", ""),
        ("not hex or base64", "zz-not-a-signature"),
        ("truncated hex", truncated.as_str()),
        ("base64 of 31 bytes", short_b64.as_str()),
        ("66 hex digits", long_hex.as_str()),
        ("sha256= only", "sha256="),
        (
            "multibyte",
            "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé",
        ),
    ] {
        reject(
            &format!("tspay W4 {label}"),
            verify("tspay W4", &active, Some(header)),
            signature,
        );
    }
    // W5 (the HMAC key's analogue): another secret, a prefix of the secret.
    for (label, secret) in [
        ("another secret", "whsec-other-key"),
        ("prefix of the secret", &WEBHOOK_SECRET[..10]),
    ] {
        let forged = sign(secret, &active);
        reject(
            &format!("tspay W5 {label}"),
            verify("tspay W5", &active, Some(&forged)),
            signature,
        );
    }
    // W6: a duplicate delivery is identifiable by chargeKey + state.
    let first = verify("tspay W6 first", &active, Some(&signed));
    let second = verify("tspay W6 second", &active, Some(&signed));
    let identity = |r: &Option<Result<Notification, payments_common::Error>>| {
        r.as_ref()
            .and_then(|r| r.as_ref().ok())
            .map(|n| (n.payload.charge_key.clone(), n.payload.state.clone()))
    };
    let same = identity(&first).is_some() && identity(&first) == identity(&second);
    accept(
        "tspay W6 duplicate delivery has the same chargeKey+state",
        second,
        |_| same,
    );

    // W8: malformed, huge, unknown fields and status.
    let malformed = format!(
        r#"{{"event":{{"entity":"tspay_charge"}},"payload":{{"amount":"x","card":{}}}"#,
        canary::card_json()
    );
    let sig = sign(WEBHOOK_SECRET, malformed.as_bytes());
    reject(
        "tspay W8 malformed JSON",
        verify("tspay W8", malformed.as_bytes(), Some(&sig)),
        decode,
    );
    let huge = format!(
        r#"{{"event":{{"entity":"tspay_charge","state":"active"}},"pad":"{}"}}"#,
        "a".repeat(300 * 1024)
    );
    let sig = sign(WEBHOOK_SECRET, huge.as_bytes());
    reject(
        "tspay W8 300 KiB body",
        verify("tspay W8 huge", huge.as_bytes(), Some(&sig)),
        decode,
    );
    let future = String::from_utf8_lossy(&active)
        .replace("\"active\"", "\"chargeback_pending\"")
        .replacen('{', r#"{"x_future":{"nested":[1,{"a":null}]},"#, 2);
    let sig = sign(WEBHOOK_SECRET, future.as_bytes());
    accept(
        "tspay W8 unknown fields and status kept as Unknown",
        verify("tspay W8 future", future.as_bytes(), Some(&sig)),
        |n| {
            n.payload.state.as_str() == "chargeback_pending"
                && matches!(n.payload.state, ChargeState::Unknown(_))
                && n.outcome() == PaymentOutcome::Pending
        },
    );

    // W7: the customer comes back to callbackUrl with a forged "paid"; the status comes from
    // GET charges/orders/{orderKey}, which says failed.
    let forged_return =
        format!("https://shop.example/tspay/return?orderKey={ORDER_KEY}&status=paid&state=active");
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(
        200,
        &format!(
            r#"[{{"amount":"1450","currency":"EUR","orderKey":"{ORDER_KEY}","state":"failed"}}]"#
        ),
    ))])
    .await;
    // The return is only a lookup handle: take the order key from it, ignore the rest.
    let handle = Url::parse(&forged_return)
        .ok()
        .and_then(|u| {
            u.query_pairs()
                .find(|(k, _)| k == "orderKey")
                .map(|(_, v)| v.into_owned())
        })
        .unwrap_or_default();
    let outcome = match client(&server.base_url(), PathStyle::Direct) {
        Ok(c) => c
            .charges()
            .of_order(&OrderKey::new(handle))
            .await
            .map(|o| o.outcome())
            .map_err(ProviderError::into_kind),
        Err(e) => Err(e),
    };
    reject_forged(
        "tspay W7 forged paid return",
        outcome,
        PaymentOutcome::Failed,
    );
    report::not_applicable(
        "tspay",
        "notifications",
        "W5 Basic",
        "TS Pay notifications carry an HMAC, no Basic credentials; W5 is run as a wrong or prefix HMAC key",
    );
    report::not_applicable(
        "tspay",
        "notifications",
        "W6 timestamp",
        "no signed timestamp is known for TS Pay notifications; the duplicate half of W6 is run",
    );
}
