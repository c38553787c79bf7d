//! Every rule of `payments_common::validate` at its edges: the longest value accepted and the
//! first one refused, each kind of forbidden character, and the field named in every refusal.
//! These are the checks every request builder of every provider crate runs before sending.

use payments_common::validate::{
    self, DEFAULT_MAX_URL_LEN, JS_EXACT_INTEGER_LIMIT, base_url, callback_url, endpoint,
    idempotency_key, is_loopback, js_safe_amount, optional_text, path_id, plain_credential,
    positive_amount,
};
use payments_common::{Currency, Error, Money, SecretString, Url};

/// The refusal names `field`, and its message does not quote `value`.
#[track_caller]
fn refused(result: Result<impl std::fmt::Debug, Error>, field: &str, value: &str) {
    let error = result.expect_err("the value must be refused");
    assert_eq!(error.invalid_field(), Some(field), "{error}");
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    if value.len() >= 4 {
        assert!(
            !error.to_string().contains(value),
            "the refusal quotes the value: {error}"
        );
    }
}

#[test]
fn text_counts_characters_not_bytes_and_refuses_blank_and_control_characters() {
    assert!(validate::text("name", &"a".repeat(10), 10).is_ok());
    refused(validate::text("name", &"a".repeat(11), 10), "name", "");
    // A two-byte character counts once: 10 of them are 20 bytes and still fit.
    assert!(validate::text("name", &"é".repeat(10), 10).is_ok());
    refused(validate::text("name", &"é".repeat(11), 10), "name", "");
    for blank in ["", " ", "\t\n "] {
        refused(validate::text("name", blank, 10), "name", "");
    }
    refused(validate::text("name", "a\u{7}b", 10), "name", "");
    refused(validate::text("name", "a\u{85}b", 10), "name", "");
    // A tab inside a text is allowed; other control characters are not.
    assert!(validate::text("name", "a\tb", 10).is_ok());
    // Spaces around a visible character are not a blank text.
    assert!(validate::text("name", " x ", 3).is_ok());
}

#[test]
fn optional_text_may_be_empty_but_not_too_long_or_with_control_characters() {
    assert!(optional_text("note", "", 0).is_ok());
    assert!(optional_text("note", "  ", 2).is_ok());
    assert!(optional_text("note", "ab", 2).is_ok());
    refused(optional_text("note", "abc", 2), "note", "");
    refused(optional_text("note", "a\rb", 10), "note", "");
    assert!(optional_text("note", "a\tb", 10).is_ok());
}

#[test]
fn credentials_refuse_empty_whitespace_and_control_characters_without_quoting_them() {
    assert!(plain_credential("shop_id", "361").is_ok());
    refused(plain_credential("shop_id", ""), "shop_id", "");
    for bad in [
        "sk_live 1234",
        "sk_live\t1234",
        "sk_live1234\n",
        "sk_live\u{7f}1234",
    ] {
        refused(plain_credential("shop_id", bad), "shop_id", bad);
    }
    // A non-breaking space is whitespace too.
    refused(plain_credential("shop_id", "sk\u{a0}1234"), "shop_id", "");
    let secret = SecretString::from("sk_live_9f8e7d6c\r\n");
    refused(
        validate::credential("secret_key", &secret),
        "secret_key",
        "sk_live_9f8e7d6c",
    );
    assert!(validate::credential("secret_key", &SecretString::from("sk_live_9f8e")).is_ok());
}

#[test]
fn idempotency_keys_are_1_to_255_visible_ascii_characters() {
    assert!(idempotency_key("k").is_ok());
    assert!(idempotency_key(&"k".repeat(255)).is_ok());
    assert!(idempotency_key("order-42_attempt.1~!").is_ok());
    refused(idempotency_key(""), "idempotency_key", "");
    refused(idempotency_key(&"k".repeat(256)), "idempotency_key", "");
    for bad in ["a b", "a\nb", "caf\u{e9}", "a\u{7f}"] {
        refused(idempotency_key(bad), "idempotency_key", "");
    }
}

#[test]
fn positive_amounts_exclude_zero_and_negatives() {
    assert!(positive_amount("amount", Money::from_minor_units(1, Currency::EUR)).is_ok());
    refused(
        positive_amount("amount", Money::zero(Currency::EUR)),
        "amount",
        "",
    );
    refused(
        positive_amount("amount", Money::from_minor_units(-1, Currency::EUR)),
        "amount",
        "",
    );
}

#[test]
fn js_safe_amounts_stop_at_2_pow_53_whole_units_and_15_significant_digits() {
    let limit = i64::try_from(JS_EXACT_INTEGER_LIMIT).unwrap();
    let jpy = |units: i64| Money::from_minor_units(units, Currency::JPY);
    assert!(js_safe_amount("amount", jpy(limit)).is_ok());
    assert!(js_safe_amount("amount", jpy(-limit)).is_ok());
    refused(js_safe_amount("amount", jpy(limit + 1)), "amount", "");
    refused(js_safe_amount("amount", jpy(-limit - 1)), "amount", "");
    refused(js_safe_amount("amount", jpy(i64::MAX)), "amount", "");
    // With a fraction: 15 significant digits are read exactly, 16 are not — whatever the
    // digits are (a zero inside must not end the count).
    let usd = |text: &str| Money::parse(text, Currency::USD).unwrap();
    assert!(js_safe_amount("amount", usd("1234567890123.45")).is_ok());
    assert!(js_safe_amount("amount", usd("-1234567890123.45")).is_ok());
    refused(
        js_safe_amount("amount", usd("12345678901234.56")),
        "amount",
        "",
    );
    refused(
        js_safe_amount("amount", usd("10000000000000.01")),
        "amount",
        "",
    );
    refused(
        js_safe_amount("amount", usd("99999999999999.99")),
        "amount",
        "",
    );
    // Leading zeros of a fraction are not significant; trailing zeros are dropped.
    assert!(js_safe_amount("amount", usd("0.01")).is_ok());
    assert!(js_safe_amount("amount", usd("90071992547409.90")).is_ok());
    let clf = Money::parse("0.0001", Currency::CLF).unwrap();
    assert!(js_safe_amount("amount", clf).is_ok());
}

#[test]
fn callback_urls_are_absolute_https_without_credentials_within_the_length() {
    let ok = "https://shop.example/r";
    assert_eq!(
        callback_url("return_url", ok, ok.len()).unwrap().as_str(),
        ok
    );
    refused(
        callback_url("return_url", ok, ok.len() - 1),
        "return_url",
        "",
    );
    for loopback in [
        "http://localhost:8080/cb",
        "http://LOCALHOST/cb",
        "http://127.0.0.1/cb",
        "http://127.9.9.9/cb",
        "http://[::1]:3000/cb",
    ] {
        assert!(
            callback_url("return_url", loopback, DEFAULT_MAX_URL_LEN).is_ok(),
            "{loopback}"
        );
    }
    for bad in [
        "http://shop.example/cb",
        "http://10.0.0.1/cb",
        "http://localhost.shop.example/cb",
        "ftp://shop.example/cb",
        "javascript:alert(1)",
        "/relative/path",
        "https://user@shop.example/cb",
        "https://:pass@shop.example/cb",
        "https://user:pass@shop.example/cb",
        "https://shop.example/a b",
        "https://shop.example/a\tb",
        "https://shop.example/\r\nX-Injected: 1",
        "https://shop.example/\u{a0}",
    ] {
        refused(
            callback_url("return_url", bad, DEFAULT_MAX_URL_LEN),
            "return_url",
            "",
        );
    }
}

#[test]
fn base_urls_take_no_query_or_fragment() {
    assert_eq!(
        base_url("base_url", "https://api.example.com/v1")
            .unwrap()
            .as_str(),
        "https://api.example.com/v1"
    );
    assert!(base_url("base_url", "http://127.0.0.1:4010").is_ok());
    refused(
        base_url("base_url", "https://api.example.com/?x=1"),
        "base_url",
        "",
    );
    refused(
        base_url("base_url", "https://api.example.com/#top"),
        "base_url",
        "",
    );
    refused(
        base_url("base_url", "http://api.example.com"),
        "base_url",
        "",
    );
    let long = format!(
        "https://api.example.com/{}",
        "a".repeat(DEFAULT_MAX_URL_LEN)
    );
    refused(base_url("base_url", &long), "base_url", "");
}

#[test]
fn loopback_is_localhost_127_0_0_0_8_and_ipv6_one_only() {
    let url = |s: &str| Url::parse(s).unwrap();
    assert!(is_loopback(&url("http://localhost/")));
    assert!(is_loopback(&url("http://LocalHost:1/")));
    assert!(is_loopback(&url("http://127.0.0.2/")));
    assert!(is_loopback(&url("http://[::1]/")));
    assert!(!is_loopback(&url("http://128.0.0.1/")));
    assert!(!is_loopback(&url("http://[::2]/")));
    assert!(!is_loopback(&url("http://example.com/")));
    assert!(!is_loopback(&url("mailto:someone@localhost")));
}

#[test]
fn endpoint_appends_percent_encoded_segments() {
    let base = Url::parse("https://api.example.com/v1").unwrap();
    assert_eq!(
        endpoint(&base, &["products", "a/b?c#d"]).as_str(),
        "https://api.example.com/v1/products/a%2Fb%3Fc%23d"
    );
    // A base with a trailing slash gives no empty segment.
    let slash = Url::parse("https://api.example.com/v1/").unwrap();
    assert_eq!(
        endpoint(&slash, &["products"]).as_str(),
        "https://api.example.com/v1/products"
    );
    assert_eq!(endpoint(&base, &[]).as_str(), "https://api.example.com/v1");
}

#[test]
fn path_ids_refuse_dot_segments_delimiters_and_encodings() {
    assert!(path_id("id", "prd_1").is_ok());
    assert!(path_id("id", "...").is_ok());
    assert!(path_id("id", ".a").is_ok());
    assert!(path_id("id", &"x".repeat(255)).is_ok());
    assert!(path_id("id", &"é".repeat(255)).is_ok());
    refused(path_id("id", ""), "id", "");
    refused(path_id("id", &"x".repeat(256)), "id", "");
    for bad in [
        ".",
        "..",
        "a/b",
        "a\\b",
        "a?b",
        "a#b",
        "%2e%2e",
        "%2F",
        "a b",
        "a\nb",
        "a\u{7f}",
        "a\u{3000}b",
    ] {
        refused(path_id("id", bad), "id", "");
    }
}

/// Card numbers: 12 to 19 digits passing the Luhn check. Most of the scheme test numbers below
/// have digits whose double is 10 or more, so the reduction of a doubled digit is exercised;
/// each with its last digit changed fails.
#[test]
fn card_numbers_are_12_to_19_digits_passing_luhn() {
    for valid in [
        "4242424242424242",
        "5555555555554444",
        "4012888888881881",
        "378282246310005",
        "6011111111111117",
        "5105105105105100",
        "4000056655665556",
        "000000000000",
        "0000000000000000000",
    ] {
        assert!(validate::card_number("number", valid).is_ok(), "{valid}");
        let mut changed: Vec<u8> = valid.bytes().collect();
        let last = changed.len() - 1;
        changed[last] = if changed[last] == b'9' {
            b'0'
        } else {
            changed[last] + 1
        };
        let changed = String::from_utf8(changed).unwrap();
        refused(
            validate::card_number("number", &changed),
            "number",
            &changed,
        );
    }
    for bad in [
        "00000000000",
        "00000000000000000000",
        "4242 4242 4242 4242",
        "4242-4242-4242-4242",
        "42424242424242a2",
        "",
    ] {
        refused(
            validate::card_number("card.cardNumber", bad),
            "card.cardNumber",
            bad,
        );
    }
}
