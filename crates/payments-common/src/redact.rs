//! Short, redacted excerpts of response bodies for error messages, and the masking of
//! secrets in every rendering they take on the wire.

use std::borrow::Cow;

use secrecy::{ExposeSecret, SecretString};

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
/// `token`, `password`, …) masked, and each of `secrets` masked wherever it appears, in every
/// rendering [`mask_all`] knows (raw, JSON-escaped, URL-encoded, base64).
///
/// Masking is done on the whole body, before the excerpt is cut, so no part of a secret
/// survives at the cut.
///
/// ```
/// let body = br#"{"status":"FAIL","purchase_order":{"secret":"s3cr3t"},"note":"s3cr3t"}"#;
/// let text = payments_common::redact::excerpt(body, &["s3cr3t"]);
/// assert!(!text.contains("s3cr3t"));
/// assert!(text.starts_with(r#"{"status":"FAIL""#));
/// ```
pub fn excerpt(body: &[u8], secrets: &[&str]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = mask_all(&text, secrets);
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
    out
}

/// `text` with every occurrence of each of `secrets` (those of at least 4 bytes) replaced by
/// `***`, in every rendering a secret takes on the wire:
///
/// - raw;
/// - JSON-escaped, by any encoder: `\/` for `/`, `\"`, `\\`, `\n`-style short escapes, and
///   `\uXXXX` (upper- or lower-case hex, surrogate pairs beyond the BMP) for any character;
/// - URL-encoded: `%XX` for any byte (upper- or lower-case hex) and `+` for a space;
/// - base64 (standard and URL-safe alphabets, with or without padding) of the secret.
///
/// These may be mixed within one occurrence (an encoder that escapes only some characters).
/// The base64 of `user:secret` that HTTP Basic authentication sends is a secret of its own:
/// register it with [`basic_credentials`] (the pipeline does that for
/// [`Request::basic_auth`](crate::http::Request::basic_auth)).
///
/// Provider crates with secrets known only at run time (a token fetched from the provider)
/// call this, or [`Error::redact`](crate::Error::redact), themselves.
///
/// ```
/// use payments_common::redact::mask_all;
/// let secret = "p@ss/wörd 1";
/// for echoed in [
///     "key p@ss/wörd 1 refused",
///     r#"{"key":"p@ss\/w\u00f6rd 1"}"#,
///     r#"{"key":"p@ss\/w\u00F6rd 1"}"#,
///     "key=p%40ss%2Fw%C3%B6rd+1",
///     "cEBzcy93w7ZyZCAx",
/// ] {
///     assert!(!mask_all(echoed, &[secret]).contains("ss"), "{echoed}");
/// }
/// assert_eq!(mask_all("nothing here", &[secret]), "nothing here");
/// ```
pub fn mask_all<'a>(text: &'a str, secrets: &[&str]) -> Cow<'a, str> {
    Masker::new(secrets).mask(text)
}

/// The renderings of a set of secrets, computed once and applied to many texts (every text of
/// one error): what [`mask_all`] does for one text.
pub(crate) struct Masker<'s> {
    raw: Vec<&'s [u8]>,
    patterns: Vec<Vec<char>>,
    /// The bytes a rendering can start with: a pattern's first character (its first UTF-8
    /// byte), or the start of an encoding of it (`\`, `%`, `+`). Other positions are skipped.
    starts: [bool; 256],
}

impl<'s> Masker<'s> {
    /// The renderings of `secrets` (those of at least [`MIN_SECRET_BYTES`]).
    pub(crate) fn new(secrets: &[&'s str]) -> Self {
        let secrets: Vec<&str> = secrets
            .iter()
            .copied()
            .filter(|s| s.len() >= MIN_SECRET_BYTES)
            .collect();
        let patterns: Vec<Vec<char>> = secrets.iter().flat_map(|s| renderings(s)).collect();
        let mut starts = [false; 256];
        for b in [b'\\', b'%', b'+'] {
            starts[usize::from(b)] = true;
        }
        for first in patterns.iter().filter_map(|p| p.first()) {
            let mut utf8 = [0u8; 4];
            if let Some(&b) = first.encode_utf8(&mut utf8).as_bytes().first() {
                starts[usize::from(b)] = true;
            }
        }
        Masker {
            raw: secrets.iter().map(|s| s.as_bytes()).collect(),
            patterns,
            starts,
        }
    }

    /// `text` with every rendering masked, as [`mask_all`] describes.
    pub(crate) fn mask<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.raw.is_empty() || text.is_empty() {
            return Cow::Borrowed(text);
        }
        // Whole base64 runs first (`base64(user:secret)` as one mask), then every rendering.
        match mask_base64_holding(text, &self.raw) {
            Some(masked) => match mask_renderings(&masked, &self.patterns, &self.starts) {
                Some(again) => Cow::Owned(again),
                None => Cow::Owned(masked),
            },
            None => match mask_renderings(text, &self.patterns, &self.starts) {
                Some(masked) => Cow::Owned(masked),
                None => Cow::Borrowed(text),
            },
        }
    }
}

/// `text` with every rendering of each of `patterns` (see [`match_pattern`]) replaced by
/// `***`, or `None` when there is none.
fn mask_renderings(text: &str, patterns: &[Vec<char>], starts: &[bool; 256]) -> Option<String> {
    let mut out: Option<String> = None;
    let mut i = 0;
    // Everything before `copied` is already in `out` (when `out` exists).
    let mut copied = 0;
    let bytes = text.as_bytes();
    while i < text.len() {
        if !bytes.get(i).is_some_and(|&b| starts[usize::from(b)]) {
            // No rendering starts with this byte (a UTF-8 continuation byte never does).
            i += 1;
            continue;
        }
        let rest = text.get(i..).unwrap_or("");
        let Some(first) = rest.chars().next() else {
            break;
        };
        let matched = patterns.iter().filter_map(|p| match_pattern(rest, p)).max();
        match matched {
            Some(len) if len > 0 => {
                let buf = out.get_or_insert_with(|| String::with_capacity(text.len()));
                buf.push_str(text.get(copied..i).unwrap_or(""));
                buf.push_str(MASK);
                i += len;
                copied = i;
            }
            _ => i += first.len_utf8(),
        }
    }
    let mut buf = out?;
    buf.push_str(text.get(copied..).unwrap_or(""));
    Some(buf)
}

/// `text` with every base64 run that decodes to bytes holding one of `secrets` replaced by
/// `***`, or `None` when there is none: this catches `base64(anything:secret)` — a Basic
/// `Authorization` header reflected by a proxy — whatever the user part is.
fn mask_base64_holding(text: &str, secrets: &[&[u8]]) -> Option<String> {
    use base64::Engine as _;
    use base64::alphabet::{STANDARD, URL_SAFE};
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    // Lenient: no padding expected, stray bits in the last symbol allowed (a run cut at
    // either end still decodes).
    let config = GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true);
    let standard = GeneralPurpose::new(&STANDARD, config);
    let url_safe_engine = GeneralPurpose::new(&URL_SAFE, config);
    // The shortest base64 that can hold the shortest of the secrets: ordinary words of an
    // error message are shorter than that, and are not decoded at all.
    let shortest = secrets
        .iter()
        .map(|s| s.len())
        .min()
        .unwrap_or(MIN_SECRET_BYTES)
        .max(MIN_SECRET_BYTES);
    let min_run = shortest * 4 / 3;
    let bytes = text.as_bytes();
    let is_b64 = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_');
    let holds_secret = |run: &[u8]| {
        // The run may start mid-way through an encoded block: try each alignment.
        (0..4).any(|skip| {
            let Some(part) = run.get(skip..) else {
                return false;
            };
            // A length of 4n + 1 is never valid base64: drop the stray symbol.
            let len = part.len() - usize::from(part.len() % 4 == 1);
            let Some(usable) = part.get(..len).filter(|u| u.len() >= min_run) else {
                return false;
            };
            let url_safe = usable.iter().any(|b| matches!(b, b'-' | b'_'));
            let decoded = if url_safe {
                url_safe_engine.decode(usable)
            } else {
                standard.decode(usable)
            };
            decoded.is_ok_and(|d| secrets.iter().any(|s| d.windows(s.len()).any(|w| w == *s)))
        })
    };
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes.get(i).copied().is_some_and(is_b64) {
            i += 1;
            continue;
        }
        let start = i;
        while bytes.get(i).copied().is_some_and(is_b64) {
            i += 1;
        }
        let run = bytes.get(start..i).unwrap_or_default();
        let mut end = i;
        while bytes.get(end) == Some(&b'=') {
            end += 1;
        }
        if run.len() >= min_run && holds_secret(run) {
            let buf = out.get_or_insert_with(|| String::with_capacity(text.len()));
            buf.push_str(text.get(copied..start).unwrap_or(""));
            buf.push_str(MASK);
            copied = end;
        }
        i = end;
    }
    let mut buf = out?;
    buf.push_str(text.get(copied..).unwrap_or(""));
    Some(buf)
}

/// The base64 of `user:secret`, as HTTP Basic authentication sends it: register it as a
/// secret (with [`HttpClient::redact_in_errors`](crate::http::HttpClient::redact_in_errors))
/// when a crate builds a Basic `Authorization` header itself, so that a proxy page that
/// reflects the header is masked too.
///
/// ```
/// use payments_common::redact::{basic_credentials, mask_all};
/// use payments_common::{ExposeSecret, SecretString};
/// let pair = basic_credentials("42", &SecretString::from("shop-secret"));
/// assert_eq!(pair.expose_secret(), "NDI6c2hvcC1zZWNyZXQ=");
/// let page = "<p>Authorization: Basic NDI6c2hvcC1zZWNyZXQ=</p>";
/// assert_eq!(mask_all(page, &[pair.expose_secret()]), "<p>Authorization: Basic ***</p>");
/// ```
pub fn basic_credentials(user: &str, secret: &SecretString) -> SecretString {
    SecretString::from(encode_basic(user, secret.expose_secret()))
}

/// `base64(user:password)`, standard alphabet with padding.
pub(crate) fn encode_basic(user: &str, password: &str) -> String {
    use base64::Engine as _;
    let mut raw = Vec::with_capacity(user.len() + password.len() + 1);
    raw.extend_from_slice(user.as_bytes());
    raw.push(b':');
    raw.extend_from_slice(password.as_bytes());
    let out = base64::engine::general_purpose::STANDARD.encode(&raw);
    // Best effort: do not leave the joined credentials around longer than needed.
    raw.iter_mut().for_each(|b| *b = 0);
    out
}

/// Secrets shorter than this are not masked (they would mask ordinary words).
const MIN_SECRET_BYTES: usize = 4;

/// The literal forms of `secret` searched for: the secret itself and its base64 encodings
/// without padding (a prefix of the padded form, so the padded form is masked too, up to its
/// `=`). Each is then matched in any escaped rendering by [`match_pattern`].
fn renderings(secret: &str) -> Vec<Vec<char>> {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    let mut out: Vec<Vec<char>> = vec![secret.chars().collect()];
    for encoded in [
        STANDARD_NO_PAD.encode(secret),
        URL_SAFE_NO_PAD.encode(secret),
    ] {
        let chars: Vec<char> = encoded.chars().collect();
        if !out.contains(&chars) {
            out.push(chars);
        }
    }
    out
}

/// The length in bytes of the rendering of `pattern` at the start of `text`, if there is one.
fn match_pattern(text: &str, pattern: &[char]) -> Option<usize> {
    let mut at = 0;
    for (i, &c) in pattern.iter().enumerate() {
        let here = text.get(at..)?;
        let raw = here.starts_with(c).then(|| c.len_utf8());
        match (match_encoded(here, c), raw) {
            // A `\` or `%` may be the character itself or the start of an encoding (`\\` is a
            // JSON-escaped backslash): when both read, try the encoding, then the raw one.
            (Some(encoded), Some(raw)) => {
                let rest = pattern.get(i + 1..)?;
                return [encoded, raw]
                    .into_iter()
                    .find_map(|len| Some(at + len + match_pattern(here.get(len..)?, rest)?));
            }
            (Some(len), None) | (None, Some(len)) => at += len,
            (None, None) => return None,
        }
    }
    Some(at)
}

/// The length in bytes of one encoded rendering of `c` (JSON escape, `%XX`, `+` for a space)
/// at the start of `text`, if there is one.
fn match_encoded(text: &str, c: char) -> Option<usize> {
    let bytes = text.as_bytes();
    match bytes.first()? {
        b'\\' => match_json_escape(text, c),
        b'%' => {
            let mut utf8 = [0u8; 4];
            let mut at = 0;
            for &b in c.encode_utf8(&mut utf8).as_bytes() {
                if *bytes.get(at)? != b'%' || hex_value(bytes.get(at + 1..at + 3)?)? != u32::from(b)
                {
                    return None;
                }
                at += 3;
            }
            Some(at)
        }
        b'+' if c == ' ' => Some(1),
        _ => None,
    }
}

/// The length of a JSON escape of `c` at the start of `text` (which starts with a backslash).
fn match_json_escape(text: &str, c: char) -> Option<usize> {
    let short = match c {
        '"' => Some("\\\""),
        '\\' => Some("\\\\"),
        '/' => Some("\\/"),
        '\n' => Some("\\n"),
        '\r' => Some("\\r"),
        '\t' => Some("\\t"),
        '\u{8}' => Some("\\b"),
        '\u{c}' => Some("\\f"),
        _ => None,
    };
    if let Some(short) = short
        && text.starts_with(short)
    {
        return Some(short.len());
    }
    let unit = |at: usize| -> Option<u32> {
        let b = text.as_bytes().get(at..at + 6)?;
        if b.first() != Some(&b'\\') || b.get(1) != Some(&b'u') {
            return None;
        }
        hex_value(b.get(2..6)?)
    };
    let code = u32::from(c);
    if code <= 0xFFFF {
        return (unit(0)? == code).then_some(6);
    }
    let v = code - 0x1_0000;
    let (high, low) = (0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
    (unit(0)? == high && unit(6)? == low).then_some(12)
}

/// The value of ASCII hex digits (either case).
fn hex_value(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |acc, &d| {
        let v = char::from(d).to_digit(16)?;
        Some(acc * 16 + v)
    })
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
pub fn bounded(text: &str) -> Cow<'_, str> {
    bounded_to(text, MAX_PROVIDER_TEXT_BYTES)
}

/// At most this many provider messages (and, separately, field names, and messages per field)
/// are kept in an [`Error::Api`](crate::Error::Api); a note says how many more were dropped.
pub const MAX_PROVIDER_ITEMS: usize = 20;

/// [`bounded`] with another cap (at least 4 bytes).
pub(crate) fn bounded_to(text: &str, max_bytes: usize) -> Cow<'_, str> {
    if text.len() <= max_bytes && !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let limit = max_bytes.saturating_sub('…'.len_utf8());
    let mut out = String::with_capacity(max_bytes.min(text.len() + 8));
    for ch in text.chars() {
        let escaped: String = if ch.is_control() {
            ch.escape_default().collect()
        } else {
            ch.to_string()
        };
        if out.len() + escaped.len() > limit {
            out.push('…');
            break;
        }
        out.push_str(&escaped);
    }
    Cow::Owned(out)
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

    const SECRET: &str = "sk/live+ö 9\"Q";

    fn assert_masked(label: &str, echoed: &str) {
        let masked = mask_all(echoed, &[SECRET]);
        assert!(masked.contains("***"), "{label}: {masked}");
        for piece in ["sk", "live", "9", "Q"] {
            assert!(
                !masked.contains(piece),
                "{label}: {piece} survives in {masked}"
            );
        }
    }

    #[test]
    fn mask_all_masks_the_raw_secret() {
        assert_masked("raw", &format!("echo {SECRET} back"));
    }

    #[test]
    fn mask_all_masks_json_escaped_renderings() {
        // serde_json's own escaping (quote only), then PHP-style (`\/`, `\u00f6`), upper-case
        // hex, every character as `\u00XX`, and a mix.
        let serde = serde_json::to_string(SECRET).unwrap();
        assert_masked("serde_json", &format!("{{\"echo\":{serde}}}"));
        assert_masked("php", r#"{"echo":"sk\/live+\u00f6 9\"Q"}"#);
        assert_masked("upper hex", r#"{"echo":"sk\/live+\u00F6 9\u0022Q"}"#);
        let all: String = SECRET
            .chars()
            .map(|c| format!("\\u{:04X}", u32::from(c)))
            .collect();
        assert_masked("every char escaped", &format!("x {all} y"));
        // Beyond the BMP: a surrogate pair.
        let emoji = "key-😀-secret";
        let masked = mask_all(r#""key-\ud83d\ude00-secret""#, &[emoji]);
        assert_eq!(masked, r#""***""#);
    }

    #[test]
    fn mask_all_masks_url_encoded_renderings() {
        // application/x-www-form-urlencoded (space as `+`), RFC 3986 (space as %20), lower-case hex.
        assert_masked("form", "secret=sk%2Flive%2B%C3%B6+9%22Q&x=1");
        assert_masked("rfc3986", "secret=sk%2Flive%2B%C3%B6%209%22Q");
        assert_masked("lower hex", "secret=sk%2flive%2b%c3%b6%209%22Q");
        assert_masked(
            "all encoded",
            "secret=%73%6B%2F%6C%69%76%65%2B%C3%B6%20%39%22%51",
        );
    }

    #[test]
    fn mask_all_masks_base64_renderings() {
        use base64::Engine as _;
        use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
        let std = STANDARD.encode(SECRET);
        let text = format!("token {std} end");
        let masked = mask_all(&text, &[SECRET]);
        assert!(!masked.contains(std.trim_end_matches('=')), "{masked}");
        let url = URL_SAFE_NO_PAD.encode(SECRET);
        assert!(!mask_all(&url, &[SECRET]).contains(&url));
        // The Basic pair, registered as a secret of its own.
        let pair = basic_credentials("shop-7", &SecretString::from(SECRET));
        let page = format!("<pre>Authorization: Basic {}</pre>", pair.expose_secret());
        let masked = mask_all(&page, &[SECRET, pair.expose_secret()]);
        assert!(
            masked.starts_with("<pre>Authorization: Basic ***"),
            "{masked}"
        );
        assert!(!masked.contains(&pair.expose_secret()[..8]), "{masked}");
    }

    #[test]
    fn mask_all_masks_base64_of_any_user_and_the_secret() {
        use base64::Engine as _;
        use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
        // The user is not known to the caller: the decoded bytes are searched for the secret.
        for user in ["merchant-1", "42", "a much longer user name with spaces"] {
            let pair = STANDARD.encode(format!("{user}:{SECRET}"));
            let page = format!("<pre>Authorization: Basic {pair}</pre><p>end</p>");
            let masked = mask_all(&page, &[SECRET]);
            assert_eq!(
                masked, "<pre>Authorization: Basic ***</pre><p>end</p>",
                "{user}"
            );
            let url = URL_SAFE_NO_PAD.encode(format!("{user}:{SECRET}"));
            assert_eq!(mask_all(&format!("t={url}&x=1"), &[SECRET]), "t=***&x=1");
        }
        // Base64 that does not hold the secret is left alone.
        let other = STANDARD.encode("merchant-1:something-else");
        assert_eq!(mask_all(&other, &[SECRET]), other);
    }

    #[test]
    fn mask_all_leaves_other_text_and_short_secrets_alone() {
        assert_eq!(
            mask_all("a \\u0041 %41 + b", &[SECRET]),
            "a \\u0041 %41 + b"
        );
        assert_eq!(mask_all("abc abc", &["abc"]), "abc abc");
        assert!(matches!(mask_all("clean", &[SECRET]), Cow::Borrowed(_)));
    }

    #[test]
    fn excerpt_masks_every_rendering_before_cutting() {
        // Long secrets shrink to `***` when masked, so bytes from far into the body reach the
        // excerpt: a copy straddling any pre-masking window would leave its prefix behind.
        let long = format!("LONGSECRET-{}", "x".repeat(89));
        let mut body = format!("{long} ").repeat(25);
        body.push_str(r#"{"echo":"sk\/live+\u00f6 9\"Q"}"#);
        let e = excerpt(body.as_bytes(), &[&long, SECRET]);
        for piece in ["LONGSECRET", "live"] {
            assert!(!e.contains(piece), "{piece} in {e}");
        }
        assert!(e.ends_with(r#"{"echo":"***"}"#), "{e}");
        assert!(e.len() <= MAX_EXCERPT_BYTES);
    }
}
