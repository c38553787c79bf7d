//! Checks every request builder runs before anything is sent.
//!
//! Each returns [`Error::InvalidRequest`] naming the field; none ever puts a credential's value
//! in its message.

use std::net::IpAddr;

use secrecy::{ExposeSecret, SecretString};
use url::{Host, Url};

use crate::error::Error;
use crate::money::Money;

/// The longest URL accepted where a provider documents no limit.
pub const DEFAULT_MAX_URL_LEN: usize = 2048;

/// A required text field: not blank, at most `max_chars` characters (Unicode scalar values,
/// so a multibyte character counts once), no control characters.
///
/// ```
/// use payments_common::validate;
/// assert!(validate::text("name", "Pro plan", 255).is_ok());
/// assert!(validate::text("name", "  ", 255).is_err());
/// assert!(validate::text("name", &"é".repeat(256), 255).is_err());
/// assert!(validate::text("name", "a\r\nb", 255).is_err());
/// ```
pub fn text(field: &str, value: &str, max_chars: usize) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::invalid(field, "is required and must not be blank"));
    }
    optional_text(field, value, max_chars)
}

/// An optional text field when present: at most `max_chars` characters, no control characters
/// (it may be empty).
///
/// ```
/// assert!(payments_common::validate::optional_text("note", "", 10).is_ok());
/// assert!(payments_common::validate::optional_text("note", "x\u{0}", 10).is_err());
/// ```
pub fn optional_text(field: &str, value: &str, max_chars: usize) -> Result<(), Error> {
    let count = value.chars().count();
    if count > max_chars {
        return Err(Error::invalid(
            field,
            format!("is {count} characters long; the maximum is {max_chars}"),
        ));
    }
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(Error::invalid(field, "contains control characters"));
    }
    Ok(())
}

/// A credential (API key, secret, id): not empty, no whitespace or control characters
/// anywhere (a pasted newline is the usual cause). The error never contains the value.
///
/// ```
/// use secrecy::SecretString;
/// use payments_common::validate;
/// assert!(validate::credential("secret_key", &SecretString::from("abc123")).is_ok());
/// let err = validate::credential("secret_key", &SecretString::from("abc123\n")).unwrap_err();
/// assert!(!err.to_string().contains("abc123"));
/// ```
pub fn credential(field: &str, value: &SecretString) -> Result<(), Error> {
    plain_credential(field, value.expose_secret())
}

/// The same check for a credential that is not secret on its own (a shop id, a client id).
///
/// ```
/// assert!(payments_common::validate::plain_credential("shop_id", "").is_err());
/// assert!(payments_common::validate::plain_credential("shop_id", "361").is_ok());
/// ```
pub fn plain_credential(field: &str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid(field, "is empty"));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            field,
            "contains whitespace or control characters",
        ));
    }
    Ok(())
}

/// An idempotency key: 1 to 255 visible ASCII characters.
///
/// ```
/// assert!(payments_common::validate::idempotency_key("order-42-attempt").is_ok());
/// assert!(payments_common::validate::idempotency_key(&"k".repeat(256)).is_err());
/// assert!(payments_common::validate::idempotency_key("a\nb").is_err());
/// ```
pub fn idempotency_key(key: &str) -> Result<(), Error> {
    const FIELD: &str = "idempotency_key";
    if key.is_empty() {
        return Err(Error::invalid(FIELD, "is empty"));
    }
    if key.len() > 255 {
        return Err(Error::invalid(FIELD, "is longer than 255 characters"));
    }
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid(
            FIELD,
            "may only contain visible ASCII characters",
        ));
    }
    Ok(())
}

/// An amount that must be greater than zero.
///
/// ```
/// use payments_common::{validate, Currency, Money};
/// assert!(validate::positive_amount("amount", Money::from_minor_units(1, Currency::EUR)).is_ok());
/// assert!(validate::positive_amount("amount", Money::zero(Currency::EUR)).is_err());
/// ```
pub fn positive_amount(field: &str, amount: Money) -> Result<(), Error> {
    if amount.is_positive() {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("must be greater than zero (got {amount})"),
        ))
    }
}

/// A card number (PAN): 12 to 19 ASCII digits passing the Luhn check. The refusal names
/// `field` and never quotes the number. Callers drop the spaces or dashes a customer typed
/// first.
///
/// ```
/// use payments_common::validate;
/// assert!(validate::card_number("number", "4242424242424242").is_ok());
/// assert!(validate::card_number("number", "4242424242424241").is_err()); // the Luhn check
/// assert!(validate::card_number("number", "4242 4242 4242 4242").is_err()); // digits only
/// ```
pub fn card_number(field: &str, number: &str) -> Result<(), Error> {
    if !(12..=19).contains(&number.len()) || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(field, "must be 12 to 19 digits"));
    }
    if !luhn(number) {
        return Err(Error::invalid(field, "fails the Luhn check"));
    }
    Ok(())
}

/// Luhn over ASCII digits: from the right, every second digit is doubled and its two digits
/// summed (`7` counts as 1 + 4 = 5); the total must be a multiple of ten.
fn luhn(digits: &str) -> bool {
    const DOUBLED: [u8; 10] = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9];
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        let d = b.wrapping_sub(b'0');
        let counted = if i % 2 == 1 {
            DOUBLED.get(usize::from(d)).copied().unwrap_or(d)
        } else {
            d
        };
        sum += u32::from(counted);
    }
    sum.is_multiple_of(10)
}

/// The largest whole number of major units a JavaScript (IEEE 754 double) peer reads exactly
/// from a JSON number: 2^53.
pub const JS_EXACT_INTEGER_LIMIT: u64 = 1 << 53;

/// An amount that a JavaScript peer reads exactly when it is sent as a JSON number in major
/// units (as GreenPay's API takes it): at most [`JS_EXACT_INTEGER_LIMIT`] (2^53) whole units,
/// and at most 15 significant digits when it has a fraction. Anything longer would be rounded
/// by the peer's parser, so it is refused before sending.
///
/// ```
/// use payments_common::{validate, Currency, Money};
/// let ok = Money::parse("9007199254740992", Currency::JPY)?;
/// assert!(validate::js_safe_amount("amount", ok).is_ok());
/// let too_big = Money::parse("9007199254740993", Currency::JPY)?;
/// let err = validate::js_safe_amount("amount", too_big).unwrap_err();
/// assert_eq!(err.invalid_field(), Some("amount"));
/// let long = Money::parse("1234567890123.45", Currency::USD)?; // 15 digits: fine
/// assert!(validate::js_safe_amount("amount", long).is_ok());
/// let longer = Money::parse("12345678901234.56", Currency::USD)?; // 16 digits
/// assert!(validate::js_safe_amount("amount", longer).is_err());
/// # Ok::<(), payments_common::MoneyError>(())
/// ```
pub fn js_safe_amount(field: &str, amount: Money) -> Result<(), Error> {
    // Worked out on the amount's shortest decimal form, without writing it out: `digits`
    // holds its figures and `scale` of them are decimals.
    let (_, digits, scale) = amount.minimal_parts();
    // 10^scale beyond u64 means no figure is a whole unit.
    let whole = 10u64
        .checked_pow(u32::from(scale))
        .map_or(0, |unit| digits / unit);
    if whole > JS_EXACT_INTEGER_LIMIT {
        return Err(Error::invalid(
            field,
            format!(
                "more than {JS_EXACT_INTEGER_LIMIT} whole units, which the provider's JSON \
                 parser does not read exactly"
            ),
        ));
    }
    // With a fraction, every figure is significant: the leading ones are not zeros (an
    // integer has none) and the trailing zeros are gone.
    let significant = digits.checked_ilog10().map_or(1, |log| log + 1);
    if scale > 0 && significant > 15 {
        return Err(Error::invalid(
            field,
            "more than 15 significant digits, which the provider's JSON parser does not \
             read exactly",
        ));
    }
    Ok(())
}

/// A URL the provider will send the customer or a notification to: absolute, `https` (plain
/// `http` only to a loopback host, for local development), no user name or password, no
/// whitespace or control characters, at most `max_len` bytes.
///
/// ```
/// use payments_common::validate;
/// assert!(validate::callback_url("return_url", "https://shop.example/return?o=1", 2048).is_ok());
/// assert!(validate::callback_url("return_url", "http://127.0.0.1:8080/cb", 2048).is_ok());
/// for bad in ["http://shop.example/", "javascript:alert(1)", "/relative", "https://u:p@shop.example/",
///             "https://shop.example/a b", "https://shop.example/\r\nX: y"] {
///     assert!(validate::callback_url("return_url", bad, 2048).is_err(), "{bad}");
/// }
/// ```
pub fn callback_url(field: &str, value: &str, max_len: usize) -> Result<Url, Error> {
    if value.len() > max_len {
        return Err(Error::invalid(
            field,
            format!("is longer than {max_len} bytes"),
        ));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            field,
            "contains whitespace or control characters",
        ));
    }
    let url = Url::parse(value)
        .map_err(|e| Error::invalid(field, format!("is not an absolute URL ({e})")))?;
    check_web_url(field, &url)?;
    Ok(url)
}

/// A provider base URL: like [`callback_url`], and without query or fragment.
///
/// ```
/// use payments_common::validate;
/// assert!(validate::base_url("base_url", "https://api.begateway.com").is_ok());
/// assert!(validate::base_url("base_url", "http://localhost:4010").is_ok());
/// assert!(validate::base_url("base_url", "http://api.begateway.com").is_err());
/// ```
pub fn base_url(field: &str, value: &str) -> Result<Url, Error> {
    let url = callback_url(field, value, DEFAULT_MAX_URL_LEN)?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid(field, "must not have a query or fragment"));
    }
    Ok(url)
}

fn check_web_url(field: &str, url: &Url) -> Result<(), Error> {
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(url) => {}
        "http" => {
            return Err(Error::invalid(
                field,
                "must use https (plain http is only allowed to a loopback host)",
            ));
        }
        other => {
            return Err(Error::invalid(
                field,
                format!("scheme {other:?} is not allowed; use https"),
            ));
        }
    }
    if url.host().is_none() {
        return Err(Error::invalid(field, "has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid(
            field,
            "must not contain a user name or password",
        ));
    }
    Ok(())
}

/// Whether the URL's host is loopback (`localhost`, 127.0.0.0/8, `::1`).
///
/// ```
/// let u = url::Url::parse("http://127.0.0.2:1/")?;
/// assert!(payments_common::validate::is_loopback(&u));
/// # Ok::<(), url::ParseError>(())
/// ```
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// `base` with `segments` appended as path segments, each percent-encoded (an id containing
/// `/` or `?` cannot change the path).
///
/// ```
/// let base = url::Url::parse("https://api.example.com/v1")?;
/// let url = payments_common::validate::endpoint(&base, &["products", "prd_1/../x"]);
/// assert_eq!(url.as_str(), "https://api.example.com/v1/products/prd_1%2F..%2Fx");
/// # Ok::<(), url::ParseError>(())
/// ```
pub fn endpoint(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

/// An identifier that goes into a URL path: 1 to 255 characters, none of which could change
/// which endpoint is called.
///
/// Refused: the empty id, `.` and `..` (URL resolution drops or climbs them, so
/// `products/..` would call `products`'s parent), the path, query and fragment delimiters
/// `/`, `\`, `?` and `#`, `%` (so no percent-encoded form of those, like `%2e%2e` or `%2F`,
/// can reach a server that decodes it), whitespace and control characters. The error names
/// the field and never quotes the value.
///
/// ```
/// use payments_common::validate::path_id;
/// assert!(path_id("product_id", "prd_ed27b047d3ccd1a6").is_ok());
/// assert!(path_id("uid", "1-310b0da80b").is_ok());
/// for bad in ["", ".", "..", "a/b", "a\\b", "a?b", "a#b", "%2e%2e", "%2F", "a b", "a\nb", "a\u{7f}"] {
///     assert!(path_id("product_id", bad).is_err(), "{bad:?}");
/// }
/// ```
pub fn path_id(field: &str, value: &str) -> Result<(), Error> {
    if value.is_empty() || value.chars().count() > 255 {
        return Err(Error::invalid(field, "must be 1 to 255 characters"));
    }
    if value == "." || value == ".." {
        return Err(Error::invalid(
            field,
            "must not be `.` or `..` (they would change the endpoint)",
        ));
    }
    if value
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '/' | '\\' | '?' | '#' | '%'))
    {
        return Err(Error::invalid(
            field,
            "must not contain whitespace, control characters, `/`, `\\`, `?`, `#` or `%`",
        ));
    }
    Ok(())
}
