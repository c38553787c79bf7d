//! The planted secrets and the scanner that must never find them.
//!
//! Every client of the matrix is built with these values as its credentials; the fault
//! server's error pages and bodies echo them back (as a provider or a proxy might); the
//! notification verifiers are keyed with [`WEBHOOK_SECRET`]. Every `Debug`, `{:#?}` and
//! `Display` rendering of clients, builders, requests, verifiers and errors, and every log
//! line of the run, goes through [`scan`].

use std::collections::HashMap;
use std::sync::OnceLock;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};

// The canaries mix upper and lower case letters outside the hex range with digits, so that no
// 8-byte window of one can occur by chance in a type name (`ClientId`, `WebhookSecret`), an
// English word or a random hex or base64 identifier generated during the run.

/// The API key / bearer token canary (TS Pay's API key, JataPay's token).
pub const API_KEY: &str = "cnryQk7fWx3a9cZv11e0";
/// The shop secret canary (beGateway's secret key, JataPay's client secret, GreenPay's
/// merchant secret).
pub const SHOP_SECRET: &str = "cnryJs5dYe2bGu8bTw40";
/// JataPay's client id: the SDK treats it as a secret too.
pub const CLIENT_ID: &str = "cnryXc93Pb1fKm7r";
/// The webhook secret canary (TS Pay's HMAC key).
pub const WEBHOOK_SECRET: &str = "cnryHw4aVd0cRq2dNy";
/// beGateway's shop id: not a secret (it is sent in clear in Basic auth's user part).
pub const SHOP_ID: &str = "361";
/// GreenPay's merchant id: not a secret (it names the merchant).
pub const MERCHANT_ID: &str = "merchant-1";
/// A test card number, planted in bodies the fault server sends back.
pub const PAN: &str = "4111111111111111";
/// A test CVV, planted next to [`PAN`]. Three digits occur everywhere (ports, amounts), so it
/// is only reported when it follows a `cvv`/`cvc`/`verification_value` key.
pub const CVV: &str = "123";

/// The length of the windows [`find`] looks for.
pub const WINDOW: usize = 8;

/// Every secret canary, with a name for the report.
pub const SECRETS: &[(&str, &str)] = &[
    ("API key", API_KEY),
    ("shop secret", SHOP_SECRET),
    ("client id", CLIENT_ID),
    ("webhook secret", WEBHOOK_SECRET),
    ("PAN", PAN),
];

/// Each provider's credentials as the `user:secret` pair a `Basic` header would carry (TS Pay
/// and the token have no user part: the key stands as the user with an empty password).
///
/// ```
/// let pairs = payments_reliability::canary::basic_pairs();
/// assert!(pairs.iter().any(|(provider, _)| *provider == "begateway"));
/// ```
pub fn basic_pairs() -> Vec<(&'static str, String)> {
    vec![
        ("begateway", format!("{SHOP_ID}:{SHOP_SECRET}")),
        ("jatapay", format!("{CLIENT_ID}:{SHOP_SECRET}")),
        ("tspay", format!("{API_KEY}:")),
        ("greenpay", format!("{MERCHANT_ID}:{SHOP_SECRET}")),
    ]
}

/// A JSON fragment carrying the PAN and CVV the way a provider echo would (`"number"`,
/// `"cvv"`), to splice into bodies the fault server sends.
///
/// ```
/// assert!(payments_reliability::canary::card_json().contains("4111111111111111"));
/// ```
pub fn card_json() -> String {
    format!(r#"{{"number":"{PAN}","cvv":"{CVV}","holder":"CANARY HOLDER"}}"#)
}

/// `text` with every character written as a JSON `\uXXXX` escape (a JSON encoder that escapes
/// everything, as some proxies' debug pages do).
///
/// ```
/// assert_eq!(payments_reliability::canary::json_escaped("a/"), "\\u0061\\u002f");
/// ```
pub fn json_escaped(text: &str) -> String {
    text.encode_utf16()
        .map(|unit| format!("\\u{unit:04x}"))
        .collect()
}

/// `text` with every byte percent-encoded (`%63%6e…`).
///
/// ```
/// assert_eq!(payments_reliability::canary::url_encoded("a:"), "%61%3A");
/// ```
pub fn url_encoded(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// Every 8-byte window of every secret but the PAN (whose windows are runs of digits), with
/// the secret's name, and a table of the windows' first two bytes (a cheap first test for
/// each position of a scanned text).
struct Windows {
    by_window: HashMap<&'static [u8], &'static str>,
    starts: Vec<bool>,
}

fn windows() -> &'static Windows {
    static WINDOWS: OnceLock<Windows> = OnceLock::new();
    WINDOWS.get_or_init(|| {
        let mut by_window = HashMap::new();
        let mut starts = vec![false; 1 << 16];
        for (name, value) in SECRETS.iter().filter(|(name, _)| *name != "PAN") {
            for window in value.as_bytes().windows(WINDOW) {
                by_window.insert(window, *name);
                if let [a, b, ..] = window
                    && let Some(slot) = starts.get_mut(pair(*a, *b))
                {
                    *slot = true;
                }
            }
        }
        Windows { by_window, starts }
    })
}

fn pair(a: u8, b: u8) -> usize {
    (usize::from(a) << 8) | usize::from(b)
}

/// The names of the secrets an 8-byte window of which occurs in `bytes`, added to `found`.
fn find_windows(bytes: &[u8], found: &mut Vec<&'static str>) {
    let table = windows();
    for window in bytes.windows(WINDOW) {
        let [a, b, ..] = window else {
            continue;
        };
        if table.starts.get(pair(*a, *b)) != Some(&true) {
            continue;
        }
        if let Some(name) = table.by_window.get(window)
            && !found.contains(name)
        {
            found.push(name);
        }
    }
}

/// The canaries found in `text`: their names, empty when it is clean.
///
/// A secret counts if any 8-byte window of it appears (a prefix, a tail or a middle cut out by
/// an excerpt count as much as the whole value), in `text` itself or in one of its decoded
/// renderings: percent-decoded, with JSON `\uXXXX` escapes resolved, and every base64 run
/// (standard or URL-safe alphabet, at any alignment) decoded — so a `Basic` header echo counts.
/// The PAN counts whole; the CVV only next to a card-verification key.
///
/// ```
/// use payments_reliability::canary::{find, json_escaped, url_encoded, API_KEY, SHOP_SECRET};
/// assert!(find("all clear").is_empty());
/// assert_eq!(find(&format!("key={API_KEY}")), vec!["API key"]);
/// assert_eq!(find(&format!("key={}…", &SHOP_SECRET[..8])), vec!["shop secret"]);
/// assert_eq!(find(&url_encoded(SHOP_SECRET)), vec!["shop secret"]);
/// assert_eq!(find(&json_escaped(SHOP_SECRET)), vec!["shop secret"]);
/// assert_eq!(find(r#"{"cvv":"123"}"#), vec!["CVV"]);
/// assert!(find("port 8123").is_empty());
/// ```
pub fn find(text: &str) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = Vec::new();
    let mut renderings = vec![text.as_bytes().to_vec()];
    if text.contains('%') {
        renderings.push(percent_decoded(text));
    }
    if text.contains("\\u") || text.contains("\\/") {
        renderings.push(json_unescaped(text).into_bytes());
    }
    renderings.extend(base64_decoded(text));
    for bytes in &renderings {
        find_windows(bytes, &mut found);
        if !found.contains(&"PAN") && bytes.windows(PAN.len()).any(|w| w == PAN.as_bytes()) {
            found.push("PAN");
        }
    }
    if cvv_near_key(text) {
        found.push("CVV");
    }
    found.sort_by_key(|name| SECRETS.iter().position(|(n, _)| n == name));
    found
}

fn percent_decoded(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(value)) => {
                out.push(value);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

fn json_unescaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let tail = rest.get(at..).unwrap_or_default();
        let unit = tail
            .strip_prefix("\\u")
            .and_then(|h| h.get(..4))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        if let Some(c) = unit {
            out.push(c);
            rest = tail.get(6..).unwrap_or_default();
        } else if let Some(after) = tail.strip_prefix("\\/") {
            out.push('/');
            rest = after;
        } else {
            out.push('\\');
            rest = tail.get(1..).unwrap_or_default();
        }
    }
    out.push_str(rest);
    out
}

/// Lenient engines: no padding required, trailing bits allowed (a run cut short still
/// decodes its prefix).
fn engines() -> [GeneralPurpose; 2] {
    let config = GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent);
    [
        GeneralPurpose::new(&alphabet::STANDARD, config),
        GeneralPurpose::new(&alphabet::URL_SAFE, config),
    ]
}

/// Every run of base64 characters of at least 12 of them, decoded at each of the four
/// alignments (by the URL-safe alphabet when the run holds `-` or `_`, else the standard one).
fn base64_decoded(text: &str) -> Vec<Vec<u8>> {
    let is_b64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_');
    let [standard, url_safe] = engines();
    let mut out = Vec::new();
    for run in text.split(|c: char| !is_b64(c)).filter(|r| r.len() >= 12) {
        let engine = if run.contains(['-', '_']) {
            &url_safe
        } else {
            &standard
        };
        {
            for skip in 0..4 {
                let Some(part) = run.get(skip..) else {
                    continue;
                };
                let usable = part.len() - part.len() % 4;
                if let Some(aligned) = part.get(..usable)
                    && let Ok(decoded) = engine.decode(aligned)
                {
                    out.push(decoded);
                }
            }
        }
    }
    out
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
