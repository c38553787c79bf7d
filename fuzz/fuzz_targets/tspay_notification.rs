//! TS Pay's notification: the parser, and verification with a valid signature (so the fuzzer
//! reaches the parser through the verifier too) and with the input as the header.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tspay::{HeaderMap, Notification, SIGNATURE_HEADER, WebhookVerifier};

fuzz_target!(|data: &[u8]| {
    let _ = Notification::parse(data);
    if let Ok(verifier) = WebhookVerifier::new("fuzz-webhook-secret") {
        let (headers, body) = tspay::test_util::sign_notification("fuzz-webhook-secret", data);
        let _ = verifier.verify(&headers, &body);
        let mut forged = HeaderMap::new();
        if let Ok(value) = data.try_into() {
            forged.insert(SIGNATURE_HEADER, value);
        }
        let _ = verifier.verify(&forged, b"{}");
    }
});
