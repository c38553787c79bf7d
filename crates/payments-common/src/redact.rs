//! Short, redacted excerpts of response bodies for error messages.

/// The longest body excerpt an [`Error`](crate::Error) ever carries, in bytes.
pub const MAX_EXCERPT_BYTES: usize = 512;

/// JSON keys whose string values are masked in excerpts, wherever they appear.
const SENSITIVE_KEYS: &[&str] = &[
    "secret",
    "secret_key",
    "client_secret",
    "password",
    "token",
    "refresh_token",
    "access_token",
    "apiKey",
    "api_key",
    "authKey",
    "authorization",
    "number",
    "cvv",
    "cvc",
    "verification_value",
];

const MASK: &str = "***";

/// A body excerpt safe to put in an error: at most [`MAX_EXCERPT_BYTES`] bytes, invalid UTF-8
/// replaced, control characters escaped, the string values of sensitive JSON keys (`secret`,
/// `token`, `password`, …) masked, and each of `secrets` masked wherever it appears.
///
/// ```
/// let body = br#"{"status":"FAIL","purchase_order":{"secret":"s3cr3t"},"note":"s3cr3t"}"#;
/// let text = payments_common::redact::excerpt(body, &["s3cr3t"]);
/// assert!(!text.contains("s3cr3t"));
/// assert!(text.starts_with(r#"{"status":"FAIL""#));
/// ```
pub fn excerpt(body: &[u8], secrets: &[&str]) -> String {
    // Mask on a bounded prefix (generous, so a secret straddling the cut is still found).
    let window = body
        .get(..body.len().min(MAX_EXCERPT_BYTES * 4))
        .unwrap_or(body);
    let mut text = String::from_utf8_lossy(window).into_owned();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        text = text.replace(secret, MASK);
    }
    let text = mask_sensitive_values(&text);
    let mut out = String::with_capacity(MAX_EXCERPT_BYTES.min(text.len()) + 3);
    for ch in text.chars() {
        let escaped: String = if ch.is_control() {
            ch.escape_default().collect()
        } else {
            ch.to_string()
        };
        if out.len() + escaped.len() > MAX_EXCERPT_BYTES - 3 {
            out.push('…');
            return out;
        }
        out.push_str(&escaped);
    }
    if body.len() > window.len() {
        out.push('…');
    }
    out
}

/// The longest provider-supplied text (a message, a code, a field name) an error or verdict
/// prints, in bytes.
pub const MAX_PROVIDER_TEXT_BYTES: usize = 256;

/// A provider-supplied text made safe to print: control characters escaped (so a CR/LF cannot
/// forge a log line) and cut to at most [`MAX_PROVIDER_TEXT_BYTES`] bytes, with `…` marking a
/// cut.
///
/// ```
/// use payments_common::redact::{bounded, MAX_PROVIDER_TEXT_BYTES};
/// assert_eq!(bounded("card declined"), "card declined");
/// assert_eq!(bounded("a\r\nINFO forged"), "a\\r\\nINFO forged");
/// assert!(bounded(&"x".repeat(1 << 20)).len() <= MAX_PROVIDER_TEXT_BYTES);
/// ```
pub fn bounded(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= MAX_PROVIDER_TEXT_BYTES && !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(MAX_PROVIDER_TEXT_BYTES);
    for ch in text.chars() {
        let escaped: String = if ch.is_control() {
            ch.escape_default().collect()
        } else {
            ch.to_string()
        };
        if out.len() + escaped.len() > MAX_PROVIDER_TEXT_BYTES - '…'.len_utf8() {
            out.push('…');
            break;
        }
        out.push_str(&escaped);
    }
    std::borrow::Cow::Owned(out)
}

/// Replaces the string value following `"<sensitive key>":` with a mask.
fn mask_sensitive_values(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        let (before, from_quote) = rest.split_at(start);
        out.push_str(before);
        let Some((key, after_key)) = read_json_string(from_quote) else {
            out.push_str(from_quote);
            return out;
        };
        out.push_str(key);
        rest = after_key;
        let inner = key.get(1..key.len() - 1).unwrap_or("");
        if !SENSITIVE_KEYS.iter().any(|k| k.eq_ignore_ascii_case(inner)) {
            continue;
        }
        let trimmed = rest.trim_start();
        let Some(after_colon) = trimmed.strip_prefix(':') else {
            continue;
        };
        let value_start = after_colon.trim_start();
        if let Some((_value, after_value)) = value_start
            .strip_prefix('"')
            .and_then(|_| read_json_string(value_start))
        {
            out.push_str(&rest[..rest.len() - value_start.len()]);
            out.push('"');
            out.push_str(MASK);
            out.push('"');
            rest = after_value;
        }
    }
    out.push_str(rest);
    out
}

/// Splits a leading JSON string literal (quotes included) off `s`, which starts with `"`.
fn read_json_string(s: &str) -> Option<(&str, &str)> {
    let mut escaped = false;
    for (i, b) in s.bytes().enumerate().skip(1) {
        match b {
            b'\\' if !escaped => escaped = true,
            b'"' if !escaped => return Some(s.split_at(i + 1)),
            _ => escaped = false,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_and_escaped() {
        let long = "é".repeat(2000);
        let e = excerpt(long.as_bytes(), &[]);
        assert!(e.len() <= MAX_EXCERPT_BYTES, "{}", e.len());
        assert!(e.ends_with('…'));
        let e = excerpt(b"<html>\r\n<h1>502</h1>\x00", &[]);
        assert_eq!(e, "<html>\\r\\n<h1>502</h1>\\u{0}");
    }

    #[test]
    fn masks_sensitive_keys_and_known_secrets() {
        let body = br#"{"token": "abc.def", "Secret":"x\"y", "msg":"ok", "refresh_token":"r"}"#;
        let e = excerpt(body, &[]);
        assert_eq!(
            e,
            r#"{"token": "***", "Secret":"***", "msg":"ok", "refresh_token":"***"}"#
        );
        let e = excerpt(b"echo CANARY-123 back", &["CANARY-123"]);
        assert_eq!(e, "echo *** back");
    }

    #[test]
    fn tolerates_garbage() {
        for body in [
            &b"\"unterminated"[..],
            b"\"secret\":",
            b"\"secret\": 5",
            &[0xff, 0xfe, b'"'],
        ] {
            let _ = excerpt(body, &[]);
        }
    }
}
