//! beGateway's notification verifier: correct Basic credentials (so the body reaches the
//! parser), and the input as the Authorization and Content-Signature headers.
#![no_main]

use libfuzzer_sys::fuzz_target;

const AUTH: &str = "Basic MzYxOmZ1enotc2VjcmV0"; // base64("361:fuzz-secret")

fuzz_target!(|data: &[u8]| {
    let Ok(verifier) = begateway::WebhookVerifier::new(begateway::Credentials::new("361", "fuzz-secret")) else {
        return;
    };
    let _ = verifier.verify(data, Some(AUTH), None);
    let header = String::from_utf8_lossy(data);
    let _ = verifier.verify(b"{}", Some(&header), None);
    let _ = verifier.verify_signature(b"{}", Some(&header));
});
