//! JataPay's response decoders: a value or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<jatapay::Subscription>(data);
    let _ = serde_json::from_slice::<jatapay::CreatedSubscription>(data);
    let _ = serde_json::from_slice::<jatapay::CreatedPayment>(data);
    let _ = serde_json::from_slice::<jatapay::Token>(data);
});
