//! The bounds of what an error may print, at their exact edges: a body excerpt is at most
//! `MAX_EXCERPT_BYTES` (512) bytes, `…` included, and a text that fits is never cut; a
//! provider-supplied text is at most `MAX_PROVIDER_TEXT_BYTES` (256). Escaped control
//! characters and multibyte characters count with their printed length.

use payments_common::MAX_EXCERPT_BYTES;
use payments_common::redact::{MAX_PROVIDER_TEXT_BYTES, bounded, excerpt};

/// The content an excerpt keeps before it must cut: room is left for the 3-byte `…`.
const ROOM: usize = MAX_EXCERPT_BYTES - '…'.len_utf8();

#[test]
fn an_excerpt_that_fits_is_kept_whole_and_one_byte_more_is_cut_to_the_cap() {
    assert_eq!(MAX_EXCERPT_BYTES, 512);
    let fits = "a".repeat(ROOM);
    assert_eq!(excerpt(fits.as_bytes(), &[]), fits);
    let over = "a".repeat(ROOM + 1);
    let cut = excerpt(over.as_bytes(), &[]);
    assert_eq!(cut.len(), MAX_EXCERPT_BYTES);
    assert_eq!(cut, format!("{}…", "a".repeat(ROOM)));
    let huge = "b".repeat(1 << 20);
    let cut = excerpt(huge.as_bytes(), &[]);
    assert_eq!(cut.len(), MAX_EXCERPT_BYTES);
    assert!(cut.ends_with('…'));
}

#[test]
fn an_excerpt_never_splits_a_character_or_an_escape() {
    // 2-byte characters: 254 of them (508 bytes) fit in the 509 bytes of room, a 255th not.
    let wide = "é".repeat(400);
    let cut = excerpt(wide.as_bytes(), &[]);
    assert_eq!(cut, format!("{}…", "é".repeat(254)));
    // A line break is printed as the two characters `\n` and counts as two bytes.
    let mut text = "a".repeat(ROOM - 1);
    text.push('\n');
    let cut = excerpt(text.as_bytes(), &[]);
    assert_eq!(cut, format!("{}…", "a".repeat(ROOM - 1)));
    let mut text = "a".repeat(ROOM - 2);
    text.push('\n');
    assert_eq!(
        excerpt(text.as_bytes(), &[]),
        format!("{}\\n", "a".repeat(ROOM - 2))
    );
}

#[test]
fn a_provider_text_is_bounded_to_256_bytes_and_kept_whole_when_it_fits() {
    assert_eq!(MAX_PROVIDER_TEXT_BYTES, 256);
    let fits = "m".repeat(MAX_PROVIDER_TEXT_BYTES);
    assert_eq!(bounded(&fits), fits);
    let over = "m".repeat(MAX_PROVIDER_TEXT_BYTES + 1);
    let cut = bounded(&over);
    assert!(cut.len() <= MAX_PROVIDER_TEXT_BYTES, "{}", cut.len());
    assert_eq!(cut, format!("{}…", "m".repeat(MAX_PROVIDER_TEXT_BYTES - 3)));
    // A short text with a control character is escaped, not cut.
    assert_eq!(bounded("a\tb"), "a\\tb");
    assert_eq!(bounded(""), "");
}

/// A secret inside a base64 run is masked wherever the run is cut: whatever bytes surround the
/// secret in the encoded text, and with a stray symbol after the run (a length of 4n + 1,
/// which is never valid base64 and must be read without its last symbol).
#[test]
fn a_base64_run_holding_a_secret_is_masked_whatever_its_alignment_and_length() {
    use base64::Engine as _;
    let secret = "pk_live_51Hq2x";
    for prefix in ["", "u", "us", "usr", "user:"] {
        for suffix in ["", "!", "!!", "!!!"] {
            let plain = format!("{prefix}{secret}{suffix}");
            let encoded = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&plain);
            for stray in ["", "Q"] {
                let text = format!("auth {encoded}{stray} end");
                let masked = payments_common::redact::mask_all(&text, &[secret]);
                assert_eq!(masked, "auth *** end", "{plain:?} {stray:?}: {masked}");
            }
        }
    }
}

/// The base64 of a secret is masked even when a JSON encoder escaped its `/` as `\/` (which
/// splits the base64 run, so only the rendering-by-rendering match can see it).
#[test]
fn a_json_escaped_base64_rendering_is_masked() {
    use base64::Engine as _;
    let secret = "k??????k";
    let encoded = base64::engine::general_purpose::STANDARD_NO_PAD.encode(secret);
    assert!(encoded.contains('/'), "{encoded}");
    let escaped = encoded.replace('/', "\\/");
    let text = format!(r#"{{"echo":"{escaped}"}}"#);
    let masked = payments_common::redact::mask_all(&text, &[secret]);
    assert_eq!(masked, r#"{"echo":"***"}"#);
}

/// Only the secret's own renderings are masked: `+` stands for a space in URL encoding, not for
/// any character, so a text that differs from the secret in one place is kept.
#[test]
fn a_text_that_only_resembles_the_secret_is_kept() {
    let mask = |text: &str| payments_common::redact::mask_all(text, &["tok3n"]).into_owned();
    assert_eq!(mask("tok+n"), "tok+n");
    assert_eq!(mask("tok4n"), "tok4n");
    assert_eq!(mask("tok%33n"), "***");
    assert_eq!(mask("tok%34n"), "tok%34n");
    assert_eq!(mask("a+b"), "a+b");
    let spaced = |text: &str| payments_common::redact::mask_all(text, &["my pass"]).into_owned();
    assert_eq!(spaced("my+pass"), "***");
    assert_eq!(spaced("my%20pass"), "***");
}

/// A backslash in a secret, written `\\` by a JSON encoder, is still the secret.
#[test]
fn a_json_escaped_backslash_is_part_of_the_secret() {
    let secret = r"ab\cd\ef";
    let text = r#"{"echo":"ab\\cd\\ef"}"#;
    assert_eq!(
        payments_common::redact::mask_all(text, &[secret]),
        r#"{"echo":"***"}"#
    );
}

/// A line break in a secret, written `\n` by a JSON encoder, is still the secret; so is a raw
/// backslash pair in a secret echoed as is.
#[test]
fn json_escaped_line_breaks_and_raw_backslashes_are_part_of_the_secret() {
    let mask =
        |text: &str, secret: &str| payments_common::redact::mask_all(text, &[secret]).into_owned();
    assert_eq!(
        mask(r#"{"e":"pass\nword"}"#, "pass\nword"),
        r#"{"e":"***"}"#
    );
    assert_eq!(mask(r"raw a\\b end", r"a\\b"), "raw *** end");
    assert_eq!(mask(r"raw ab\cd end", r"ab\cd"), "raw *** end");
}
