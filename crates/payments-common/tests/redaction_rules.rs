//! The masking rules at their edges: every JSON short escape a secret may be echoed with is
//! still the secret, an escape that is not JSON (or another character's) is not; sensitive
//! JSON values are found past escaped backslashes and quotes; the Basic pair is the exact
//! base64 a client sends.

use payments_common::redact::{basic_credentials, excerpt, mask_all};
use payments_common::{ExposeSecret, SecretString};

fn mask(text: &str, secret: &str) -> String {
    mask_all(text, &[secret]).into_owned()
}

#[test]
fn a_secret_echoed_with_any_json_short_escape_is_masked() {
    for (ch, escape) in [
        ('"', r#"\""#),
        ('\\', r"\\"),
        ('/', r"\/"),
        ('\n', r"\n"),
        ('\r', r"\r"),
        ('\t', r"\t"),
        ('\u{8}', r"\b"),
        ('\u{c}', r"\f"),
    ] {
        let secret = format!("pw-{ch}-x9");
        let echoed = format!(r#"{{"echo":"pw-{escape}-x9"}}"#);
        assert_eq!(mask(&echoed, &secret), r#"{"echo":"***"}"#, "{escape}");
        // As serde_json writes it (it uses the short form where JSON has one, except `/`).
        let by_serde = format!(r#"{{"echo":{}}}"#, serde_json::to_string(&secret).unwrap());
        assert_eq!(mask(&by_serde, &secret), r#"{"echo":"***"}"#, "{by_serde}");
        // And as the `\u` escape of the same character.
        let unicode = format!(r#"{{"echo":"pw-\u{:04x}-x9"}}"#, u32::from(ch));
        assert_eq!(mask(&unicode, &secret), r#"{"echo":"***"}"#, "{unicode}");
    }
}

#[test]
fn an_escape_of_another_character_or_not_json_leaves_the_text_alone() {
    let secret = "pin-ö-2024";
    assert_eq!(mask(r"pin-\u00f6-2024", secret), "***");
    assert_eq!(mask(r"pin-\u00F6-2024", secret), "***");
    // `\x` and `\U` are not JSON escapes; `\u00f7` is another character.
    for kept in [r"pin-\x00f6-2024", r"pin-\U00f6-2024", r"pin-\u00f7-2024"] {
        assert_eq!(mask(kept, secret), kept);
    }
    // A short escape stands for its own character only.
    assert_eq!(mask(r"ab\ncd", "ab\tcd"), r"ab\ncd");
    assert_eq!(mask(r"ab\/cd", r"ab\cd"), r"ab\/cd");
}

#[test]
fn a_surrogate_pair_must_match_in_both_halves() {
    let secret = "key-😀-secret";
    assert_eq!(mask(r"key-\ud83d\ude00-secret", secret), "***");
    assert_eq!(mask(r"key-\uD83D\uDE00-secret", secret), "***");
    // The same high half with another low half is another character (😁).
    let other = r"key-\ud83d\ude01-secret";
    assert_eq!(mask(other, secret), other);
    // A high half alone is not the character.
    let half = r"key-\ud83d-secret";
    assert_eq!(mask(half, secret), half);
}

#[test]
fn percent_encoding_must_spell_the_secrets_own_bytes() {
    let secret = "ab/ö-key";
    assert_eq!(mask("ab%2F%C3%B6-key", secret), "***");
    assert_eq!(mask("ab%2f%c3%b6-key", secret), "***");
    // Another byte in either half of a two-byte character, or a broken escape: kept.
    for kept in [
        "ab%2F%C3%B7-key",
        "ab%2F%C4%B6-key",
        "ab%2F%C3-key",
        "ab%2-key",
        "ab%%2F%C3%B6-key",
    ] {
        assert_eq!(mask(kept, secret), kept);
    }
}

#[test]
fn a_sensitive_value_is_found_past_escaped_backslashes_and_quotes() {
    let body = br#"{"note":"path C:\\","token":"abc123","msg":"say \"token\"","secret":"x\\\"y"}"#;
    assert_eq!(
        excerpt(body, &[]),
        r#"{"note":"path C:\\","token":"***","msg":"say \"token\"","secret":"***"}"#
    );
    // Spaces around the colon are kept as they were; a value that is not a string is kept.
    assert_eq!(
        excerpt(br#"{"Password" :  "hunter2", "cvv": 123}"#, &[]),
        r#"{"Password" :  "***", "cvv": 123}"#
    );
    // A key that only contains a sensitive word is not sensitive.
    assert_eq!(
        excerpt(br#"{"token_type":"Bearer"}"#, &[]),
        r#"{"token_type":"Bearer"}"#
    );
}

#[test]
fn the_basic_pair_is_the_base64_a_client_sends_and_is_masked_when_reflected() {
    let pair = basic_credentials("42", &SecretString::from("shop-secret"));
    assert_eq!(pair.expose_secret(), "NDI6c2hvcC1zZWNyZXQ=");
    let pair = basic_credentials("", &SecretString::from("pw"));
    assert_eq!(pair.expose_secret(), "OnB3");
    let pair = basic_credentials("merchant", &SecretString::from("s3cr3t-k3y"));
    let page = format!("<p>Authorization: Basic {}</p>", pair.expose_secret());
    assert_eq!(
        mask_all(&page, &[pair.expose_secret()]),
        "<p>Authorization: Basic ***</p>"
    );
}
