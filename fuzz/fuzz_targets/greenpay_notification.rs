//! GreenPay's notifications: both parsers, the `_signature` check over the parsed fields, the
//! input as the signature, and the input as the public key text.
#![no_main]

use greenpay::webhook::{SignatureVerifier, parse_checkout, parse_subscription_payment};
use libfuzzer_sys::fuzz_target;

/// A throwaway 1024-bit public key (bare base64 DER, as GreenPay publishes its key).
const KEY: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC9YR0NGXbFc30XY+XNTvN8Ia9T1u2wtRNY4LjJMsKtZLGdPdDv3crml2zFCpwiPE8HzLHLCTugbQoBk+Oe4a6xRmI3sdKOZSUyKmDNB9GcGOb5FE0CshSnEJ0W0iuslEHyeQiyIuZoI3ejVSXw+s732UcmZnDrdLlHLvGjKuLfBwIDAQAB";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = SignatureVerifier::new(&text);
    let Ok(verifier) = SignatureVerifier::new(KEY) else {
        return;
    };
    if let Ok(r) = parse_checkout(data) {
        let _ = r.outcome();
        let _ = verifier.verify(
            &r.signed_fields(),
            r.signature.as_deref().unwrap_or_default(),
        );
    }
    if let Ok(n) = parse_subscription_payment(data) {
        for c in n.approved.iter().chain(&n.rejected) {
            let _ = c.outcome();
            let _ = verifier.verify(
                &c.signed_fields(),
                c.signature.as_deref().unwrap_or_default(),
            );
        }
    }
    let _ = verifier.verify(&[("status", "200"), ("orderId", "order-1001")], &text);
});
