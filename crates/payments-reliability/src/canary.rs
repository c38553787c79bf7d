//! The planted secrets and the scanner that must never find them.
//!
//! Every client of the matrix is built with these values as its credentials; the fault
//! server's error pages and bodies echo them back (as a provider or a proxy might); the
//! notification verifiers are keyed with [`WEBHOOK_SECRET`]. Every `Debug`, `{:#?}` and
//! `Display` rendering of clients, builders, requests, verifiers and errors, and every log
//! line of the run, goes through [`scan`].

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The API key / bearer token canary (TS Pay's API key, JataPay's token).
pub const API_KEY: &str = "cnryApiKey-7f3a9c11e0";
/// The shop secret canary (beGateway's secret key, JataPay's client secret).
pub const SHOP_SECRET: &str = "cnryShopSecret-5d2e8b40";
/// JataPay's client id: the SDK treats it as a secret too.
pub const CLIENT_ID: &str = "cnryClientId-93b1f7";
/// The webhook secret canary (TS Pay's HMAC key).
pub const WEBHOOK_SECRET: &str = "cnryWebhookSecret-c4a0d2";
/// beGateway's shop id: not a secret (it is sent in clear in Basic auth's user part).
pub const SHOP_ID: &str = "361";
/// A test card number, planted in bodies the fault server sends back.
pub const PAN: &str = "4111111111111111";
/// A test CVV, planted next to [`PAN`]. Three digits occur everywhere (ports, amounts), so it
/// is only reported when it follows a `cvv`/`cvc`/`verification_value` key.
pub const CVV: &str = "123";

/// Every secret canary, with a name for the report.
pub const SECRETS: &[(&str, &str)] = &[
    ("API key", API_KEY),
    ("shop secret", SHOP_SECRET),
    ("client id", CLIENT_ID),
    ("webhook secret", WEBHOOK_SECRET),
    ("PAN", PAN),
];

/// A JSON fragment carrying the PAN and CVV the way a provider echo would (`"number"`,
/// `"cvv"`), to splice into bodies the fault server sends.
///
/// ```
/// assert!(payments_reliability::canary::card_json().contains("4111111111111111"));
/// ```
pub fn card_json() -> String {
    format!(r#"{{"number":"{PAN}","cvv":"{CVV}","holder":"CANARY HOLDER"}}"#)
}

/// What the canaries look like in a `Basic` header: base64 of `user:secret`.
fn encoded_forms() -> Vec<(String, String)> {
    vec![
        (
            "beGateway Basic credentials".to_owned(),
            STANDARD.encode(format!("{SHOP_ID}:{SHOP_SECRET}")),
        ),
        (
            "JataPay Basic credentials".to_owned(),
            STANDARD.encode(format!("{CLIENT_ID}:{SHOP_SECRET}")),
        ),
    ]
}

/// The canaries found in `text`: their names, empty when it is clean.
///
/// A canary counts if it appears whole, as its distinctive tail (the last 8 characters, which
/// catches a value cut by an excerpt), or base64-encoded in a Basic header; the CVV only next
/// to a card-verification key.
///
/// ```
/// use payments_reliability::canary::{find, API_KEY};
/// assert!(find("all clear").is_empty());
/// assert_eq!(find(&format!("key={API_KEY}")), vec!["API key"]);
/// assert_eq!(find(r#"{"cvv":"123"}"#), vec!["CVV"]);
/// assert!(find("port 8123").is_empty());
/// ```
pub fn find(text: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    for (name, value) in SECRETS {
        let tail = value.get(value.len().saturating_sub(8)..).unwrap_or(value);
        if text.contains(value) || (*name != "PAN" && text.contains(tail)) {
            found.push(*name);
        }
    }
    for (_, encoded) in encoded_forms() {
        if text.contains(&encoded) {
            found.push("Basic credentials (base64)");
        }
    }
    if cvv_near_key(text) {
        found.push("CVV");
    }
    found
}

fn cvv_near_key(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["cvv", "cvc", "verification_value"].iter().any(|key| {
        lower.match_indices(key).any(|(at, _)| {
            let from = at + key.len();
            let window = lower.get(from..(from + 16).min(lower.len())).unwrap_or("");
            window.contains(CVV)
        })
    })
}

/// Scans `text`, rendered from `what`, and records every canary found in the
/// [`report`](crate::report). Returns whether it was clean.
///
/// ```
/// assert!(payments_reliability::canary::scan("doc", "nothing secret"));
/// ```
pub fn scan(what: &str, text: &str) -> bool {
    crate::report::scanned();
    let found = find(text);
    for name in &found {
        crate::report::leak(what, name, text);
    }
    found.is_empty()
}

/// Scans `Debug`, `{:#?}` and `Display` of `value`.
///
/// ```
/// assert!(payments_reliability::canary::scan_all("doc", &payments_common::Error::invalid("a", "b")));
/// ```
pub fn scan_all<T: std::fmt::Debug + std::fmt::Display + ?Sized>(what: &str, value: &T) -> bool {
    let debug = scan(what, &format!("{value:?}"));
    let pretty = scan(what, &format!("{value:#?}"));
    let display = scan(what, &format!("{value}"));
    debug && pretty && display
}

/// Scans `Debug` and `{:#?}` of `value` (for types without `Display`).
///
/// ```
/// assert!(payments_reliability::canary::scan_debug("doc", &Some(1)));
/// ```
pub fn scan_debug<T: std::fmt::Debug + ?Sized>(what: &str, value: &T) -> bool {
    let debug = scan(what, &format!("{value:?}"));
    let pretty = scan(what, &format!("{value:#?}"));
    debug && pretty
}

/// Scans an error: `Debug`, `{:#?}`, `Display`, and the `Display` of every error in its
/// `source()` chain (wrapped transport and decoder errors).
///
/// ```
/// assert!(payments_reliability::canary::scan_error("doc", &payments_common::Error::invalid("a", "b")));
/// ```
pub fn scan_error(what: &str, error: &payments_common::Error) -> bool {
    let mut clean = scan_all(what, error);
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        clean &= scan(what, &inner.to_string());
        clean &= scan(what, &format!("{inner:?}"));
        source = inner.source();
    }
    clean
}
