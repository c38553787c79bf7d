//! Section 7.3: notifications (W1–W8) for every provider that sends them, and the return-URL
//! rule (W7) for every provider: a forged "paid" return is never trusted, the status comes from
//! the server-side read.
//!
//! Adding a provider is one module with a `run()`.

pub mod begateway;
pub mod greenpay;
pub mod jatapay;
pub mod replays;
pub mod tspay;

use payments_common::{Error, PaymentOutcome};
use payments_reliability::{canary, catch, report};

/// Records a case that must be accepted: `result` must be `Ok` and `check` must hold on it.
pub fn accept<T: std::fmt::Debug>(
    label: &str,
    result: Option<Result<T, Error>>,
    check: impl FnOnce(&T) -> bool,
) {
    let (passed, detail) = match result {
        Some(Ok(value)) => {
            canary::scan_debug(label, &value);
            let ok = check(&value);
            (
                ok,
                format!("accepted, but the payload was not as required: {value:?}"),
            )
        }
        Some(Err(err)) => {
            canary::scan_error(label, &err);
            (false, format!("rejected: {err}"))
        }
        None => (false, "panicked".to_owned()),
    };
    report::callback(label, true, passed, &detail);
}

/// Records a case that must be rejected: `result` must be an `Err` that `check` accepts
/// (`SignatureInvalid` for a bad signature, `Decode` for a bad body).
pub fn reject<T: std::fmt::Debug>(
    label: &str,
    result: Option<Result<T, Error>>,
    check: impl FnOnce(&Error) -> bool,
) {
    let (passed, detail) = match result {
        Some(Err(err)) => {
            canary::scan_error(label, &err);
            let ok = check(&err);
            (ok, format!("rejected with the wrong error: {err:?}"))
        }
        Some(Ok(value)) => (false, format!("accepted: {value:?}")),
        None => (false, "panicked".to_owned()),
    };
    report::callback(label, false, passed, &detail);
}

/// `SignatureInvalid`.
pub fn signature(err: &Error) -> bool {
    matches!(err, Error::SignatureInvalid { .. })
}

/// `Decode` (or `SignatureInvalid` for a body refused before parsing).
pub fn decode(err: &Error) -> bool {
    matches!(err, Error::Decode { .. } | Error::SignatureInvalid { .. })
}

/// Runs `f` under `catch_unwind` (a verifier must never panic).
pub fn guarded<T>(label: &str, f: impl FnOnce() -> Result<T, Error>) -> Option<Result<T, Error>> {
    catch(label, f)
}

/// `body` with one byte changed at `at` (wrapping), as an attacker editing a signed body would.
pub fn tampered(body: &[u8], at: usize) -> Vec<u8> {
    let mut out = body.to_vec();
    if let Some(b) = out.get_mut(at % body.len().max(1)) {
        *b = if *b == b'1' { b'2' } else { b'1' };
    }
    out
}

/// W7: the forged "paid" return must not decide; the server-side outcome must be `want`.
pub fn reject_forged(label: &str, outcome: Result<PaymentOutcome, Error>, want: PaymentOutcome) {
    let (passed, detail) = match &outcome {
        Ok(o) => (
            *o == want,
            format!("the server-side read gave {o:?}, expected {want:?}"),
        ),
        Err(e) => {
            canary::scan_error(label, e);
            (false, format!("the server-side read failed: {e}"))
        }
    };
    report::callback(label, false, passed, &detail);
}
