//! TS Pay's notification: the parser, and verify-then-parse with a valid signature (so the
//! fuzzer reaches the parser through the verifier too) and with the input as the header.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tspay::SecretString;
use tspay::webhook::{Notification, WebhookVerifier};

fuzz_target!(|data: &[u8]| {
    let _ = Notification::parse(data);
    if let Ok(verifier) = WebhookVerifier::new(SecretString::from("fuzz-webhook-secret")) {
        let header = verifier.sign(data);
        let _ = verifier.verify_and_parse(data, Some(&header));
        let _ = verifier.verify(b"{}", Some(&String::from_utf8_lossy(data)));
    }
});
