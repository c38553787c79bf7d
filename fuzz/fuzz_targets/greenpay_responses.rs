//! GreenPay's response decoders (the `result` of each answer, or the whole body for the
//! created subscription) and the cadence: a value or an error, never a panic.
#![no_main]

use greenpay::subscriptions::{
    Cadence, CreatedSubscription, ManualPaymentResult, PaymentPage, SubscriptionPage,
    SubscriptionRecord,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<CreatedSubscription>(data);
    let _ = serde_json::from_slice::<ManualPaymentResult>(data);
    let _ = serde_json::from_slice::<SubscriptionRecord>(data);
    let _ = serde_json::from_slice::<SubscriptionPage>(data);
    let _ = serde_json::from_slice::<PaymentPage>(data);
    let _ = serde_json::from_slice::<Cadence>(data);
});
