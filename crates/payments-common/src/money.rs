//! Exact money: an integer number of minor units bound to its currency.
//!
//! Nothing in this module uses floating point. Decimal strings are parsed and printed digit by
//! digit; arithmetic is checked; a value with more significant decimals than the currency has
//! is rejected, never rounded.

use std::fmt;

use crate::currency::Currency;

/// An amount of money: minor units (`i64`) and the currency they belong to.
///
/// **Money is in ISO 4217 minor units**: `Money::parse("14.50", Currency::EUR)` is 1450 euro
/// cents, `Money::parse("1000", Currency::JPY)` is 1000 yen, `Money::parse("150", Currency::IDR)`
/// is 15000 sen. A provider whose wire table uses another exponent for a currency (beGateway's
/// IDR with 0 decimals, MOP with 1) converts its integers to ISO scale at its boundary; a
/// [`Currency`] built with [`Currency::with_exponent`] carries its own scale, and arithmetic
/// never mixes two scales silently: [`Money::checked_add`] and [`Money::checked_sub`] of two
/// amounts of the same code at different scales are [`MoneyError::ScaleMismatch`], and such
/// amounts are never equal. [`Money::to_iso_scale`] converts exactly.
///
/// ```
/// use payments_common::{Currency, Money};
///
/// let price = Money::parse("14.50", Currency::EUR)?;
/// assert_eq!(price.minor_units(), 1450);
/// assert_eq!(price.to_decimal_string(), "14.50");
/// assert_eq!(price.to_string(), "14.50 EUR");
///
/// // Excess precision is an error, not a rounding.
/// assert!(Money::parse("10.001", Currency::USD).is_err());
/// # Ok::<(), payments_common::MoneyError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

/// Why an amount could not be parsed or computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// The text is not a plain decimal number (`"1e3"`, `" 10"`, `"10,00"`, `"+5"`, `"NaN"`, `""`).
    #[error("not a plain decimal amount: expected digits with an optional '-' and '.'")]
    Syntax,
    /// More non-zero decimal digits than the currency's minor unit allows.
    #[error("{currency} has {exponent} decimal digit(s); the amount has more")]
    Precision {
        /// The currency of the amount.
        currency: Currency,
        /// Its number of decimal digits.
        exponent: u8,
    },
    /// The value does not fit in an `i64` number of minor units.
    #[error("the amount does not fit in 64-bit minor units")]
    Overflow,
    /// Two amounts of different currencies were combined.
    #[error("currency mismatch: {left} and {right}")]
    CurrencyMismatch {
        /// The left operand's currency.
        left: Currency,
        /// The right operand's currency.
        right: Currency,
    },
    /// Two amounts of the same currency counted at different scales (an ISO 4217 amount and a
    /// provider's wire amount with another exponent) were combined.
    #[error("{currency} amounts at different scales: {left} and {right} decimal digit(s)")]
    ScaleMismatch {
        /// The currency.
        currency: Currency,
        /// The left operand's number of decimal digits.
        left: u8,
        /// The right operand's number of decimal digits.
        right: u8,
    },
}

impl Money {
    /// An amount from a count of minor units (cents for EUR, yen for JPY).
    ///
    /// ```
    /// use payments_common::{Currency, Money};
    /// assert_eq!(Money::from_minor_units(990, Currency::USD).to_decimal_string(), "9.90");
    /// ```
    pub const fn from_minor_units(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    /// Zero in `currency`.
    ///
    /// ```
    /// use payments_common::{Currency, Money};
    /// assert!(Money::zero(Currency::EUR).is_zero());
    /// ```
    pub const fn zero(currency: Currency) -> Self {
        Money { minor: 0, currency }
    }

    /// Parses a decimal amount in major units, exactly.
    ///
    /// Accepted: an optional leading `-`, one or more ASCII digits, optionally `.` followed by
    /// one or more digits. Trailing zeros beyond the currency's exponent are accepted because they
    /// do not change the value (`"10.500"` USD is 1050 cents); any other extra digit is
    /// [`MoneyError::Precision`].
    ///
    /// ```
    /// use payments_common::{Currency, Money, MoneyError};
    /// assert_eq!(Money::parse("1000", Currency::JPY)?.minor_units(), 1000);
    /// assert_eq!(Money::parse("-0.05", Currency::EUR)?.minor_units(), -5);
    /// assert!(matches!(Money::parse("1.5", Currency::JPY), Err(MoneyError::Precision { .. })));
    /// assert_eq!(Money::parse("1e3", Currency::EUR), Err(MoneyError::Syntax));
    /// # Ok::<(), MoneyError>(())
    /// ```
    pub fn parse(text: &str, currency: Currency) -> Result<Self, MoneyError> {
        let (negative, unsigned) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (int_part, frac_part) = match unsigned.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (unsigned, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(int_part) || frac_part.is_some_and(|f| !all_digits(f)) {
            return Err(MoneyError::Syntax);
        }
        let exponent = usize::from(currency.exponent());
        let frac = frac_part.unwrap_or("");
        let (kept, excess) = frac.split_at(frac.len().min(exponent));
        if excess.bytes().any(|b| b != b'0') {
            return Err(MoneyError::Precision {
                currency,
                exponent: currency.exponent(),
            });
        }
        // Accumulate as a negative number so that i64::MIN is representable.
        let mut acc: i64 = 0;
        let padding = exponent - kept.len();
        let digits = int_part
            .bytes()
            .chain(kept.bytes())
            .chain(std::iter::repeat_n(b'0', padding));
        for digit in digits {
            acc = acc
                .checked_mul(10)
                .and_then(|v| v.checked_sub(i64::from(digit - b'0')))
                .ok_or(MoneyError::Overflow)?;
        }
        let minor = if negative {
            acc
        } else {
            acc.checked_neg().ok_or(MoneyError::Overflow)?
        };
        Ok(Money { minor, currency })
    }

    /// The amount in minor units.
    ///
    /// ```
    /// use payments_common::{Currency, Money};
    /// assert_eq!(Money::parse("2.5", Currency::KWD)?.minor_units(), 2500);
    /// # Ok::<(), payments_common::MoneyError>(())
    /// ```
    pub const fn minor_units(&self) -> i64 {
        self.minor
    }

    /// The currency.
    ///
    /// ```
    /// use payments_common::{Currency, Money};
    /// assert_eq!(Money::zero(Currency::CRC).currency(), Currency::CRC);
    /// ```
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// The exact decimal text in major units, with exactly `exponent` decimals
    /// (`"14.50"`, `"1000"`, `"-0.005"`).
    ///
    /// ```
    /// use payments_common::{Currency, Money};
    /// assert_eq!(Money::from_minor_units(-5, Currency::BHD).to_decimal_string(), "-0.005");
    /// assert_eq!(Money::from_minor_units(1000, Currency::JPY).to_decimal_string(), "1000");
    /// ```
    pub fn to_decimal_string(&self) -> String {
        let exponent = usize::from(self.currency.exponent());
        let digits = self.minor.unsigned_abs().to_string();
        let sign = if self.minor < 0 { "-" } else { "" };
        if exponent == 0 {
            return format!("{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = exponent + 1);
        let (int_part, frac_part) = padded.split_at(padded.len() - exponent);
        format!("{sign}{int_part}.{frac_part}")
    }

    /// The shortest exact decimal text: trailing fractional zeros removed (`"100"`, `"5500.99"`,
    /// `"0.5"`), the form providers that count in major units print.
    ///
    /// ```
    /// use payments_common::{Currency, Money};
    /// assert_eq!(Money::from_minor_units(10000, Currency::USD).to_minimal_decimal_string(), "100");
    /// assert_eq!(Money::from_minor_units(550099, Currency::CRC).to_minimal_decimal_string(), "5500.99");
    /// assert_eq!(Money::from_minor_units(50, Currency::USD).to_minimal_decimal_string(), "0.5");
    /// ```
    pub fn to_minimal_decimal_string(&self) -> String {
        let (negative, mut digits, scale) = self.minimal_parts();
        // The digits of a u64, least significant first, written from the end of the buffer.
        let mut buf = [0u8; 20];
        let mut start = buf.len();
        loop {
            start -= 1;
            // `digits % 10` is below 10: the cast cannot truncate.
            buf[start] = b'0' + (digits % 10) as u8;
            digits /= 10;
            if digits == 0 {
                break;
            }
        }
        let figures = &buf[start..];
        let scale = usize::from(scale);
        let mut text = String::with_capacity(figures.len() + scale + 3);
        if negative {
            text.push('-');
        }
        let push =
            |text: &mut String, bytes: &[u8]| text.extend(bytes.iter().map(|&b| char::from(b)));
        if scale == 0 {
            push(&mut text, figures);
        } else if figures.len() > scale {
            let (whole, fraction) = figures.split_at(figures.len() - scale);
            push(&mut text, whole);
            text.push('.');
            push(&mut text, fraction);
        } else {
            text.push_str("0.");
            text.extend(std::iter::repeat_n('0', scale - figures.len()));
            push(&mut text, figures);
        }
        text
    }

    /// The shortest exact decimal form as parts, without building any text: whether the amount
    /// is negative, its digits with the fraction's trailing zeros removed, and how many of
    /// those digits are decimals (`USD 5.50` is `(false, 55, 1)`, `USD 100.00` is
    /// `(false, 100, 0)`).
    pub(crate) fn minimal_parts(&self) -> (bool, u64, u8) {
        let mut digits = self.minor.unsigned_abs();
        let mut scale = self.currency.exponent();
        while scale > 0 && digits.is_multiple_of(10) {
            digits /= 10;
            scale -= 1;
        }
        (self.minor < 0, digits, scale)
    }

    /// Whether the amount is greater than zero.
    ///
    /// ```
    /// use payments_common::{Currency, Money};
    /// assert!(Money::from_minor_units(1, Currency::EUR).is_positive());
    /// assert!(!Money::zero(Currency::EUR).is_positive());
    /// ```
    pub const fn is_positive(&self) -> bool {
        self.minor > 0
    }

    /// Whether the amount is zero.
    ///
    /// ```
    /// use payments_common::{Currency, Money};
    /// assert!(Money::zero(Currency::USD).is_zero());
    /// ```
    pub const fn is_zero(&self) -> bool {
        self.minor == 0
    }

    /// `self + other`, or an error on overflow or different currencies.
    ///
    /// ```
    /// use payments_common::{Currency, Money};
    /// let a = Money::parse("1.25", Currency::EUR)?;
    /// assert_eq!(a.checked_add(a)?.to_decimal_string(), "2.50");
    /// assert!(a.checked_add(Money::zero(Currency::USD)).is_err());
    /// # Ok::<(), payments_common::MoneyError>(())
    /// ```
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(&other)?;
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, ..self })
    }

    /// `self - other`, or an error on overflow or different currencies.
    ///
    /// ```
    /// use payments_common::{Currency, Money};
    /// let a = Money::parse("1.00", Currency::EUR)?;
    /// let b = Money::parse("0.01", Currency::EUR)?;
    /// assert_eq!(a.checked_sub(b)?.to_decimal_string(), "0.99");
    /// # Ok::<(), payments_common::MoneyError>(())
    /// ```
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(&other)?;
        let minor = self
            .minor
            .checked_sub(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, ..self })
    }

    /// `self × factor` (a quantity), or [`MoneyError::Overflow`].
    ///
    /// ```
    /// use payments_common::{Currency, Money};
    /// let unit = Money::parse("9.90", Currency::USD)?;
    /// assert_eq!(unit.checked_mul(3)?.to_decimal_string(), "29.70");
    /// # Ok::<(), payments_common::MoneyError>(())
    /// ```
    pub fn checked_mul(self, factor: i64) -> Result<Money, MoneyError> {
        let minor = self.minor.checked_mul(factor).ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, ..self })
    }

    /// `-self`, or [`MoneyError::Overflow`] for the most negative value.
    ///
    /// ```
    /// use payments_common::{Currency, Money};
    /// assert_eq!(Money::from_minor_units(5, Currency::EUR).checked_neg()?.minor_units(), -5);
    /// # Ok::<(), payments_common::MoneyError>(())
    /// ```
    pub fn checked_neg(self) -> Result<Money, MoneyError> {
        let minor = self.minor.checked_neg().ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, ..self })
    }

    /// The same amount at the ISO 4217 scale of its currency, exactly: a provider's wire
    /// amount counted with another exponent (beGateway's IDR in whole rupiah) becomes ISO minor
    /// units. [`MoneyError::Precision`] when digits would be lost, [`MoneyError::Overflow`]
    /// when the result does not fit.
    ///
    /// ```
    /// use payments_common::{Currency, Money, MoneyError};
    /// let wire = Money::from_minor_units(15000, Currency::IDR.with_exponent(0));
    /// let iso = wire.to_iso_scale()?;
    /// assert_eq!(iso, Money::parse("15000", Currency::IDR)?);
    /// assert_eq!(iso.minor_units(), 1_500_000);
    /// let mop = Money::from_minor_units(5, Currency::MOP.with_exponent(1));
    /// assert_eq!(mop.to_iso_scale()?.to_decimal_string(), "0.50");
    /// # Ok::<(), MoneyError>(())
    /// ```
    pub fn to_iso_scale(self) -> Result<Money, MoneyError> {
        let iso = Currency::from_code(self.currency.code()).map_err(|_| MoneyError::Syntax)?;
        let (from, to) = (self.currency.exponent(), iso.exponent());
        let minor = if to >= from {
            10i64
                .checked_pow(u32::from(to - from))
                .and_then(|f| self.minor.checked_mul(f))
                .ok_or(MoneyError::Overflow)?
        } else {
            let divisor = 10i64
                .checked_pow(u32::from(from - to))
                .ok_or(MoneyError::Overflow)?;
            if self.minor % divisor != 0 {
                return Err(MoneyError::Precision {
                    currency: iso,
                    exponent: to,
                });
            }
            self.minor / divisor
        };
        Ok(Money {
            minor,
            currency: iso,
        })
    }

    fn same_currency(&self, other: &Money) -> Result<(), MoneyError> {
        if self.currency.code() != other.currency.code() {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            })
        } else if self.currency.exponent() != other.currency.exponent() {
            Err(MoneyError::ScaleMismatch {
                currency: self.currency,
                left: self.currency.exponent(),
                right: other.currency.exponent(),
            })
        } else {
            Ok(())
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.to_decimal_string(), self.currency)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({} {})", self.to_decimal_string(), self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documented_examples() {
        assert_eq!(
            Money::parse("14.50", Currency::EUR).unwrap().minor_units(),
            1450
        );
        assert_eq!(
            Money::parse("1000", Currency::JPY).unwrap().minor_units(),
            1000
        );
        let mop1 = Currency::MOP.with_exponent(1);
        assert_eq!(Money::parse("0.5", mop1).unwrap().minor_units(), 5);
        assert_eq!(
            Money::parse("5500.99", Currency::CRC)
                .unwrap()
                .minor_units(),
            550_099
        );
        assert_eq!(
            Money::parse("10.500", Currency::USD).unwrap().minor_units(),
            1050
        );
    }

    #[test]
    fn rejects_bad_syntax() {
        for bad in [
            "", "-", ".", "1.", ".5", "1e3", " 10", "10 ", "10,00", "NaN", "+5", "--1", "1.2.3",
            "١٢",
        ] {
            assert_eq!(
                Money::parse(bad, Currency::EUR),
                Err(MoneyError::Syntax),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn rejects_excess_precision() {
        for (text, cur) in [
            ("1.5", Currency::JPY),
            ("10.001", Currency::USD),
            ("1.2345", Currency::BHD),
        ] {
            assert!(
                matches!(Money::parse(text, cur), Err(MoneyError::Precision { .. })),
                "{text}"
            );
        }
    }

    #[test]
    fn extremes() {
        let min = Money::parse("-92233720368547758.08", Currency::EUR).unwrap();
        assert_eq!(min.minor_units(), i64::MIN);
        assert_eq!(min.to_decimal_string(), "-92233720368547758.08");
        assert_eq!(
            Money::parse("92233720368547758.08", Currency::EUR),
            Err(MoneyError::Overflow)
        );
        assert_eq!(
            Money::parse("99999999999999999999", Currency::JPY),
            Err(MoneyError::Overflow)
        );
        assert_eq!(min.checked_neg(), Err(MoneyError::Overflow));
    }

    #[test]
    fn amounts_of_different_scales_are_never_combined_silently() {
        // beGateway's IDR 15000 (whole rupiah) and ISO IDR 1.00 (100 sen).
        let wire = Money::from_minor_units(15000, Currency::IDR.with_exponent(0));
        let iso = Money::parse("1.00", Currency::IDR).unwrap();
        let mismatch = Err(MoneyError::ScaleMismatch {
            currency: wire.currency(),
            left: 0,
            right: 2,
        });
        assert_eq!(wire.checked_add(iso), mismatch);
        assert_eq!(wire.checked_sub(iso), mismatch);
        assert!(matches!(
            iso.checked_add(wire),
            Err(MoneyError::ScaleMismatch { .. })
        ));
        // The same value at two scales is not "equal" either; converted, it is.
        let same = Money::parse("15000", Currency::IDR).unwrap();
        assert_ne!(wire, same);
        assert_eq!(wire.to_iso_scale(), Ok(same));
        assert_eq!(
            wire.to_iso_scale().unwrap().checked_add(iso).unwrap(),
            Money::parse("15001.00", Currency::IDR).unwrap()
        );
    }

    #[test]
    fn to_iso_scale_is_exact_or_an_error() {
        let mop1 = Currency::MOP.with_exponent(1);
        assert_eq!(
            Money::from_minor_units(5, mop1)
                .to_iso_scale()
                .unwrap()
                .minor_units(),
            50
        );
        let three = Currency::USD.with_exponent(3);
        assert_eq!(
            Money::from_minor_units(1230, three)
                .to_iso_scale()
                .unwrap()
                .minor_units(),
            123
        );
        assert!(matches!(
            Money::from_minor_units(1231, three).to_iso_scale(),
            Err(MoneyError::Precision { .. })
        ));
        assert_eq!(
            Money::from_minor_units(i64::MAX, Currency::IDR.with_exponent(0)).to_iso_scale(),
            Err(MoneyError::Overflow)
        );
        let iso = Money::parse("1.25", Currency::EUR).unwrap();
        assert_eq!(iso.to_iso_scale(), Ok(iso));
    }
}
