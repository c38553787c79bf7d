//! beGateway's return-URL parser: only lookup handles come out, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let params = begateway::ReturnParams::parse(&String::from_utf8_lossy(data));
    let _ = (params.uid(), params.token());
});
