//! beGateway's response decoders.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<begateway::Product>(data);
    let _ = serde_json::from_slice::<Vec<begateway::Product>>(data);
    let _ = serde_json::from_slice::<begateway::Transaction>(data);
});
