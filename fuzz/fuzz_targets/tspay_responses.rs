//! TS Pay's response decoders (every accepted shape of the charges answer).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<tspay::LinkCreated>(data);
    let _ = serde_json::from_slice::<tspay::OrderCharges>(data);
});
