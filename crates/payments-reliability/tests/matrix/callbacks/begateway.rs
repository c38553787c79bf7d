//! beGateway: notifications with Basic credentials and `Content-Signature` (RSA-SHA256 over
//! the raw body, Base64), and the return to the shop (`ReturnParams`).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use begateway::{PaymentOutcome, ReturnParams, Transaction, TransactionStatus, WebhookVerifier};
use payments_common::Error;
use payments_common::testing::{Fault, FaultServer, Reply};
use payments_reliability::canary::{self, SHOP_ID, SHOP_SECRET};
use payments_reliability::report;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer};

use super::{accept, decode, guarded, reject, reject_forged, signature, tampered};
use crate::faults::begateway::{UID, client, credentials, transaction};

/// Verifies a notification made of `body` and the two headers, as a web framework hands them
/// over; the transaction, with the shared error kind the harness works on.
fn verify(
    verifier: &WebhookVerifier,
    body: &[u8],
    authorization: Option<&str>,
    signature: Option<&str>,
) -> Result<Transaction, Error> {
    let mut headers = begateway::HeaderMap::new();
    for (name, value) in [
        ("authorization", authorization),
        ("content-signature", signature),
    ] {
        if let Some(v) = value {
            let v = v
                .parse()
                .map_err(|_| Error::signature(format!("{name} is not a header value")))?;
            headers.insert(name, v);
        }
    }
    Ok(verifier.verify(&headers, body)?.transaction)
}

fn basic(user: &str, key: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{key}")))
}

/// Runs beGateway's callback rows.
pub async fn run() {
    let Ok(private) = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048) else {
        report::callback(
            "begateway keys",
            true,
            false,
            "could not generate an RSA key",
        );
        return;
    };
    let public = private.to_public_key();
    let der = public
        .to_public_key_der()
        .map(|d| STANDARD.encode(d.as_bytes()))
        .unwrap_or_default();
    let pem = public.to_public_key_pem(LineEnding::LF).unwrap_or_default();
    let signer = SigningKey::<Sha256>::new(private);
    let sign = |body: &[u8]| STANDARD.encode(signer.sign(body).to_bytes());

    let plain = WebhookVerifier::new(credentials());
    let keyed = WebhookVerifier::new(credentials()).and_then(|v| v.public_key(&der));
    let keyed_pem = WebhookVerifier::new(credentials()).and_then(|v| v.public_key(&pem));
    let (Ok(plain), Ok(keyed), Ok(keyed_pem)) = (plain, keyed, keyed_pem) else {
        report::callback(
            "begateway verifiers",
            true,
            false,
            "a verifier could not be built",
        );
        return;
    };
    canary::scan_debug("begateway WebhookVerifier", &keyed);
    let auth = basic(SHOP_ID, SHOP_SECRET);
    let body = transaction("successful").into_bytes();
    let sig = sign(&body);
    let paid = |t: &Transaction| t.outcome() == PaymentOutcome::Paid;

    // W1.
    accept(
        "begateway W1 signed (DER key)",
        guarded("b W1", || verify(&keyed, &body, Some(&auth), Some(&sig))),
        paid,
    );
    accept(
        "begateway W1 signed (PEM key)",
        guarded("b W1", || {
            verify(&keyed_pem, &body, Some(&auth), Some(&sig))
        }),
        paid,
    );
    accept(
        "begateway W1 Basic only, no key configured",
        guarded("b W1", || verify(&plain, &body, Some(&auth), None)),
        paid,
    );
    accept(
        "begateway W1 with header names in another case",
        guarded("b W1", || {
            let mut headers = begateway::HeaderMap::new();
            headers.insert(
                "Authorization",
                auth.parse().map_err(|_| Error::signature("auth"))?,
            );
            headers.insert(
                "Content-Signature",
                sig.parse().map_err(|_| Error::signature("sig"))?,
            );
            Ok(keyed.verify(&headers, &body)?.transaction)
        }),
        paid,
    );
    // W2.
    for at in [0, 25, body.len() / 2, body.len() - 2] {
        let changed = tampered(&body, at);
        reject(
            &format!("begateway W2 byte {at} changed"),
            guarded("b W2", || verify(&keyed, &changed, Some(&auth), Some(&sig))),
            signature,
        );
    }
    // W3: key configured, signature absent: no fallback to Basic.
    reject(
        "begateway W3 signature absent",
        guarded("b W3", || verify(&keyed, &body, Some(&auth), None)),
        signature,
    );
    // W4.
    let truncated = sig.get(..sig.len() / 2).unwrap_or("").to_owned();
    let short = STANDARD.encode([1u8; 10]);
    for (label, header) in [
        ("not base64", "%%%not base64%%%"),
        ("truncated", truncated.as_str()),
        ("wrong length", short.as_str()),
        ("empty", ""),
    ] {
        reject(
            &format!("begateway W4 {label}"),
            guarded("b W4", || verify(&keyed, &body, Some(&auth), Some(header))),
            signature,
        );
    }
    // W5: Basic credentials, with and without a key configured.
    let prefix = &SHOP_SECRET[..SHOP_SECRET.len() - 1];
    let longer = format!("{SHOP_SECRET}x");
    let cases = [
        ("wrong shop id", basic("362", SHOP_SECRET)),
        ("wrong key", basic(SHOP_ID, "not-the-secret")),
        ("prefix of the key", basic(SHOP_ID, prefix)),
        ("key plus a suffix", basic(SHOP_ID, &longer)),
        (
            "no colon",
            format!("Basic {}", STANDARD.encode(SHOP_SECRET)),
        ),
        ("Bearer instead of Basic", format!("Bearer {SHOP_SECRET}")),
        ("not base64", "Basic ???".to_owned()),
    ];
    for (label, header) in &cases {
        reject(
            &format!("begateway W5 {label} (key configured)"),
            guarded("b W5", || verify(&keyed, &body, Some(header), Some(&sig))),
            signature,
        );
        reject(
            &format!("begateway W5 {label} (no key)"),
            guarded("b W5", || verify(&plain, &body, Some(header), None)),
            signature,
        );
    }
    reject(
        "begateway W5 Authorization absent",
        guarded("b W5", || verify(&plain, &body, None, None)),
        signature,
    );
    // W6: duplicates identifiable by uid + status.
    let first = guarded("b W6", || verify(&keyed, &body, Some(&auth), Some(&sig)));
    let second = guarded("b W6", || verify(&keyed, &body, Some(&auth), Some(&sig)));
    let id = |r: &Option<Result<Transaction, Error>>| {
        r.as_ref()
            .and_then(|r| r.as_ref().ok())
            .map(|t| (t.uid.clone(), t.status.clone()))
    };
    let same = id(&first).is_some() && id(&first) == id(&second);
    accept(
        "begateway W6 duplicate has the same uid+status",
        second,
        |_| same,
    );
    // W8.
    let malformed = format!(
        r#"{{"transaction":{{"uid":"{UID}","status":"successful","amount":"ten","currency":"USD","credit_card":{}}}}}"#,
        canary::card_json()
    );
    let s = sign(malformed.as_bytes());
    reject(
        "begateway W8 malformed",
        guarded("b W8", || {
            verify(&keyed, malformed.as_bytes(), Some(&auth), Some(&s))
        }),
        decode,
    );
    let not_json = b"<html>not json</html>".to_vec();
    let s = sign(&not_json);
    reject(
        "begateway W8 not JSON",
        guarded("b W8", || verify(&keyed, &not_json, Some(&auth), Some(&s))),
        decode,
    );
    let huge = format!(r#"{{"transaction":{{"pad":"{}"}}}}"#, "a".repeat(1 << 20));
    let s = sign(huge.as_bytes());
    reject(
        "begateway W8 body over 1 MiB",
        guarded("b W8", || {
            verify(&keyed, huge.as_bytes(), Some(&auth), Some(&s))
        }),
        decode,
    );
    let future =
        transaction("chargeback_pending").replacen('{', r#"{"x_future":[1,2,{"deep":true}],"#, 2);
    let s = sign(future.as_bytes());
    accept(
        "begateway W8 unknown fields and status kept as Unknown",
        guarded("b W8", || {
            verify(&keyed, future.as_bytes(), Some(&auth), Some(&s))
        }),
        |t| {
            matches!(&t.status, TransactionStatus::Unknown(v) if v == "chargeback_pending")
                && t.outcome() == PaymentOutcome::Pending
        },
    );

    // W7: a forged `status=successful` return; the query says failed.
    let params = ReturnParams::parse(&format!("order=42&uid={UID}&status=successful&token=tok-1"));
    canary::scan_debug("begateway ReturnParams", &params);
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(
        200,
        &transaction("failed"),
    ))])
    .await;
    let outcome = match (client(&server.base_url()), params.uid()) {
        (Ok(c), Some(uid)) => c
            .transactions()
            .get(uid)
            .await
            .map(|t| t.outcome())
            .map_err(Error::from),
        (Err(e), _) => Err(e),
        (_, None) => Err(Error::invalid("uid", "the return parser lost the uid")),
    };
    reject_forged(
        "begateway W7 forged successful return",
        outcome,
        PaymentOutcome::Failed,
    );
    let debug = format!("{params:?}");
    report::callback(
        "begateway W7 ReturnParams keeps no status",
        false,
        !debug.contains("successful"),
        &format!("ReturnParams kept the forged status: {debug}"),
    );
    report::not_applicable(
        "begateway",
        "notifications",
        "W6 timestamp",
        "beGateway signs no timestamp; the duplicate half of W6 is run",
    );
}
