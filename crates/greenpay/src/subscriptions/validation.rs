//! The input checks the request builders share.
//!
//! GreenPay documents no length limits; the limits here are this SDK's choice (generous
//! enough for every documented example, small enough to catch a misplaced blob), written on
//! each builder.

use payments_common::{Error, Money, validate};

use crate::SUPPORTED_CURRENCIES;

/// Maximum characters of a free text (`description`, `userId`, `user`, `reason`): this SDK's
/// choice, GreenPay documents none.
pub(crate) const MAX_TEXT: usize = 255;

/// Maximum characters of an id or token (`subscriptionId`, card tokens): this SDK's choice.
pub(crate) const MAX_ID: usize = 128;

/// An amount GreenPay can take: a documented currency (USD, CRC, GTQ) and greater than zero.
/// (Excess precision cannot reach here: [`Money::parse`] refuses it.)
pub(crate) fn amount(field: &str, amount: Money) -> Result<(), Error> {
    if !SUPPORTED_CURRENCIES.contains(&amount.currency()) {
        return Err(Error::invalid(
            field,
            format!(
                "currency {} is not supported by GreenPay (USD, CRC, GTQ)",
                amount.currency()
            ),
        ));
    }
    validate::positive_amount(field, amount)?;
    // GreenPay's side reads JSON numbers as IEEE doubles: refuse what it would not read exactly.
    validate::js_safe_amount(field, amount)
}

/// A required id or token: not blank, no whitespace or control characters, at most
/// [`MAX_ID`] characters.
pub(crate) fn id(field: &str, value: &str) -> Result<(), Error> {
    validate::text(field, value, MAX_ID)?;
    if value.chars().any(char::is_whitespace) {
        return Err(Error::invalid(field, "must not contain whitespace"));
    }
    Ok(())
}

/// A subscription id: [`id`], and nothing that could address another resource were it ever
/// part of a URL (`.`, `..`, `/`, `\`, `?`, `#`, `%`), by `validate::path_id`. GreenPay
/// sends every id inside the JSON body, never in the path, and its ids are 32 hex digits;
/// refusing these characters costs nothing and keeps the id safe wherever it travels.
pub(crate) fn subscription_id(value: &crate::SubscriptionId) -> Result<(), Error> {
    id("subscriptionId", value.as_str())?;
    validate::path_id("subscriptionId", value.as_str())
}

/// A required free text of at most [`MAX_TEXT`] characters.
pub(crate) fn text(field: &str, value: &str) -> Result<(), Error> {
    validate::text(field, value, MAX_TEXT)
}

/// `page` ≥ 1 and `pageSize` 1–100, as GreenPay documents.
pub(crate) fn paging(page: u32, page_size: u32) -> Result<(), Error> {
    if page == 0 {
        return Err(Error::invalid("page", "must be at least 1"));
    }
    if !(1..=100).contains(&page_size) {
        return Err(Error::invalid("pageSize", "must be between 1 and 100"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use payments_common::Currency;

    /// 2^53: the largest whole number a JavaScript peer reads exactly.
    const MAX_JS_WHOLE: u64 = 1 << 53;

    #[test]
    fn whole_amounts_up_to_2_pow_53_pass_and_above_are_refused() {
        let usd = |major: u64| Money::parse(&major.to_string(), Currency::USD).unwrap();
        assert!(amount("amount", usd(MAX_JS_WHOLE)).is_ok());
        assert!(amount("amount", usd(MAX_JS_WHOLE - 1)).is_ok());
        let err = amount("amount", usd(MAX_JS_WHOLE + 1)).unwrap_err();
        assert_eq!(err.invalid_field(), Some("amount"));
        assert!(amount("amount", usd(90_000_000_000_000_000)).is_err());
        let decimal = |t: &str| Money::parse(t, Currency::USD).unwrap();
        assert!(amount("amount", decimal("1234567890123.45")).is_ok());
        assert!(amount("amount", decimal("12345678901234.56")).is_err());
        assert!(amount("amount", decimal("5500.99")).is_ok());
    }
}
