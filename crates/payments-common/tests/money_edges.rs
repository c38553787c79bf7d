//! `Money` at the edges a payment amount meets: zero and negative amounts print without a
//! stray sign, `Display`/`Debug` show the exact amount and currency, the sign tests split
//! exactly at zero, and the arithmetic answers with the exact minor units.

use payments_common::{Currency, Money, MoneyError};

#[test]
fn zero_and_negative_amounts_print_exactly() {
    assert_eq!(Money::zero(Currency::EUR).to_decimal_string(), "0.00");
    assert_eq!(Money::zero(Currency::JPY).to_decimal_string(), "0");
    assert_eq!(Money::zero(Currency::KWD).to_decimal_string(), "0.000");
    assert_eq!(Money::zero(Currency::EUR).to_minimal_decimal_string(), "0");
    assert_eq!(
        Money::from_minor_units(-1, Currency::EUR).to_decimal_string(),
        "-0.01"
    );
    assert_eq!(
        Money::from_minor_units(-1450, Currency::EUR).to_minimal_decimal_string(),
        "-14.5"
    );
    assert_eq!(
        Money::from_minor_units(-7, Currency::JPY).to_decimal_string(),
        "-7"
    );
    assert_eq!(
        Money::from_minor_units(i64::MIN, Currency::JPY).to_decimal_string(),
        "-9223372036854775808"
    );
    assert_eq!(
        Money::from_minor_units(123_456, Currency::CLF).to_decimal_string(),
        "12.3456"
    );
}

#[test]
fn display_and_debug_show_the_exact_amount_and_currency() {
    let amount = Money::from_minor_units(1450, Currency::EUR);
    assert_eq!(amount.to_string(), "14.50 EUR");
    assert_eq!(format!("{amount:?}"), "Money(14.50 EUR)");
    assert_eq!(Money::zero(Currency::USD).to_string(), "0.00 USD");
}

#[test]
fn the_sign_tests_split_exactly_at_zero() {
    let eur = |minor| Money::from_minor_units(minor, Currency::EUR);
    assert!(eur(1).is_positive());
    assert!(!eur(0).is_positive());
    assert!(!eur(-1).is_positive());
    assert!(eur(0).is_zero());
    assert!(!eur(1).is_zero());
    assert!(!eur(-1).is_zero());
}

#[test]
fn arithmetic_gives_the_exact_minor_units_or_an_error() {
    let eur = |minor| Money::from_minor_units(minor, Currency::EUR);
    assert_eq!(eur(150).checked_add(eur(275)), Ok(eur(425)));
    assert_eq!(eur(150).checked_sub(eur(275)), Ok(eur(-125)));
    assert_eq!(eur(150).checked_mul(3), Ok(eur(450)));
    assert_eq!(eur(150).checked_mul(-2), Ok(eur(-300)));
    assert_eq!(eur(150).checked_neg(), Ok(eur(-150)));
    assert_eq!(eur(-150).checked_neg(), Ok(eur(150)));
    assert_eq!(eur(i64::MAX).checked_add(eur(1)), Err(MoneyError::Overflow));
    assert_eq!(eur(i64::MIN).checked_sub(eur(1)), Err(MoneyError::Overflow));
    assert_eq!(eur(i64::MAX).checked_mul(2), Err(MoneyError::Overflow));
    assert_eq!(eur(i64::MIN).checked_neg(), Err(MoneyError::Overflow));
    assert!(matches!(
        eur(1).checked_add(Money::from_minor_units(1, Currency::USD)),
        Err(MoneyError::CurrencyMismatch { .. })
    ));
    assert!(matches!(
        eur(1).checked_sub(Money::from_minor_units(1, Currency::EUR.with_exponent(0))),
        Err(MoneyError::ScaleMismatch { .. })
    ));
}

#[test]
fn parsing_keeps_every_digit_and_the_sign() {
    assert_eq!(
        Money::parse("-14.5", Currency::EUR).map(|m| m.minor_units()),
        Ok(-1450)
    );
    assert_eq!(
        Money::parse("-0", Currency::EUR).map(|m| m.minor_units()),
        Ok(0)
    );
    assert_eq!(
        Money::parse("92233720368547758.07", Currency::EUR).map(|m| m.minor_units()),
        Ok(i64::MAX)
    );
    assert_eq!(
        Money::parse("-92233720368547758.08", Currency::EUR).map(|m| m.minor_units()),
        Ok(i64::MIN)
    );
    assert_eq!(
        Money::parse("92233720368547758.08", Currency::EUR),
        Err(MoneyError::Overflow)
    );
    assert_eq!(
        Money::parse("0.1", Currency::CLF).map(|m| m.minor_units()),
        Ok(1000)
    );
}

#[test]
fn wire_amounts_of_any_exponent_convert_to_the_iso_scale_exactly() {
    // More decimals on the wire than ISO 4217 has: divided exactly, or refused.
    let jpy2 = Currency::JPY.with_exponent(2);
    assert_eq!(
        Money::from_minor_units(12_300, jpy2).to_iso_scale(),
        Ok(Money::from_minor_units(123, Currency::JPY))
    );
    assert!(matches!(
        Money::from_minor_units(12_345, jpy2).to_iso_scale(),
        Err(MoneyError::Precision { .. })
    ));
    let usd5 = Currency::USD.with_exponent(5);
    assert_eq!(
        Money::from_minor_units(1_234_000, usd5).to_iso_scale(),
        Ok(Money::from_minor_units(1_234, Currency::USD))
    );
    // Fewer decimals on the wire: multiplied.
    let kwd1 = Currency::KWD.with_exponent(1);
    assert_eq!(
        Money::from_minor_units(25, kwd1).to_iso_scale(),
        Ok(Money::from_minor_units(2_500, Currency::KWD))
    );
    let idr0 = Currency::IDR.with_exponent(0);
    assert_eq!(
        Money::from_minor_units(15_000, idr0).to_iso_scale(),
        Ok(Money::from_minor_units(1_500_000, Currency::IDR))
    );
}
