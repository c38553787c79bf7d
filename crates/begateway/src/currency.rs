//! beGateway's own currency exponent table, and how amounts go on the wire.
//!
//! beGateway sends and receives `amount` as an integer of *minor units*, but its idea of a minor
//! unit is not always ISO 4217's. Its official PHP SDK (`lib/Money.php`) hard-codes the table this
//! module follows:
//!
//! | exponent | currencies |
//! | --- | --- |
//! | 0 | BIF, BYR, CLF, CLP, CVE, DJF, GNF, IDR, IQD, IRR, ISK, JPY, KMF, KPW, KRW, LAK, LBP, MMK, PYG, RWF, SLL, STD, UYI, VND, VUV, XAF, XOF, XPF |
//! | 1 | MOP |
//! | 3 | BHD, JOD, KWD, LYD, OMR, TND |
//! | 2 | every other currency |
//!
//! So `IDR 15000` is sent as `15000` (ISO would say `1500000`), `MOP 12.5` as `125`, and `IQD 5`
//! as `5`. (BYR, SLL and STD are superseded codes that [`Currency`] does not know.)
//!
//! Every [`Money`] this crate returns is at **ISO 4217 scale** (its currency carries the ISO
//! exponent): the wire integer is converted exactly ([`money_from_wire`]); the raw integer stays
//! readable as the `amount_minor_wire` fields. Every [`Money`] sent is converted exactly to
//! beGateway's integer ([`wire_amount`]), or refused.
//!
//! Choice where the sources disagree: the PHP table ends in "otherwise 2", so `UGX`, which ISO
//! gives 0 decimals, is treated as 2 here, as beGateway's own SDK does. Fund codes
//! ([`Currency::is_fund`], e.g. `CLF`, `UYI`) are accounting units, not currencies a customer
//! pays in, and are refused.
//!
//! ```
//! use begateway::{currency, Currency, Money};
//!
//! let mop = currency::currency(Currency::MOP)?;
//! assert_eq!(mop.exponent(), 1);
//! // An amount built with the ISO currency is rescaled exactly, never rounded.
//! assert_eq!(currency::wire_amount(Money::parse("12.50", Currency::MOP)?)?, 125);
//! assert!(currency::wire_amount(Money::parse("12.55", Currency::MOP)?).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use payments_common::{Currency, ErrorKind, Money};

use crate::error::Error;

/// The operation named by the errors of this module's public functions.
const OPERATION: &str = "currency.check";

/// Every currency whose beGateway exponent is not 2 (its PHP SDK's lists; ISO disagrees for
/// several), sorted by code for a binary search: a lookup costs a few comparisons of 3-byte
/// codes, not a scan of string lists nor a UTF-8 check of the code. (The PHP lists' `BYR`,
/// `SLL` and `STD` are superseded codes [`Currency`] does not know: they cannot reach here.)
const NOT_TWO: &[(Currency, u8)] = &[
    (Currency::BHD, 3),
    (Currency::BIF, 0),
    (Currency::CLF, 0),
    (Currency::CLP, 0),
    (Currency::CVE, 0),
    (Currency::DJF, 0),
    (Currency::GNF, 0),
    (Currency::IDR, 0),
    (Currency::IQD, 0),
    (Currency::IRR, 0),
    (Currency::ISK, 0),
    (Currency::JOD, 3),
    (Currency::JPY, 0),
    (Currency::KMF, 0),
    (Currency::KPW, 0),
    (Currency::KRW, 0),
    (Currency::KWD, 3),
    (Currency::LAK, 0),
    (Currency::LBP, 0),
    (Currency::LYD, 3),
    (Currency::MMK, 0),
    (Currency::MOP, 1),
    (Currency::OMR, 3),
    (Currency::PYG, 0),
    (Currency::RWF, 0),
    (Currency::TND, 3),
    (Currency::UYI, 0),
    (Currency::VND, 0),
    (Currency::VUV, 0),
    (Currency::XAF, 0),
    (Currency::XOF, 0),
    (Currency::XPF, 0),
];

/// The number of decimals beGateway uses for `currency` (see the module table).
///
/// ```
/// use begateway::{currency::exponent, Currency};
/// assert_eq!(exponent(Currency::USD), 2);
/// assert_eq!(exponent(Currency::IDR), 0);
/// assert_eq!(exponent(Currency::MOP), 1);
/// assert_eq!(exponent(Currency::KWD), 3);
/// ```
pub fn exponent(currency: Currency) -> u8 {
    // `Currency` orders by code first; the exponent is normalised on both sides so that a
    // currency already carrying beGateway's exponent is found too.
    let key = currency.with_exponent(0);
    NOT_TWO
        .binary_search_by(|(c, _)| c.with_exponent(0).cmp(&key))
        .ok()
        .and_then(|i| NOT_TWO.get(i))
        .map_or(2, |(_, e)| *e)
}

/// `currency` with beGateway's exponent, or [`ErrorKind::InvalidRequest`] (`currency`) for a fund
/// code.
///
/// Note that [`Currency`] equality includes the exponent: `currency(Currency::MOP)?` is not
/// `== Currency::MOP`; compare [`Currency::code`] when in doubt. This is the wire scale: the
/// [`Money`] values this crate returns carry the ISO exponent ([`iso`]), so build amounts to
/// compare with them from the plain ISO [`Currency`].
///
/// ```
/// use begateway::{currency::currency, Currency};
/// assert_eq!(currency(Currency::IDR)?.exponent(), 0);
/// assert_eq!(currency(Currency::USD)?, Currency::USD);
/// assert_eq!(currency(Currency::CLF).unwrap_err().invalid_field(), Some("currency"));
/// # Ok::<(), begateway::Error>(())
/// ```
pub fn currency(currency: Currency) -> Result<Currency, Error> {
    check(currency).map_err(Error::at(OPERATION))
}

/// [`currency`], with the shared error kind (for the crate's operations).
pub(crate) fn check(currency: Currency) -> Result<Currency, ErrorKind> {
    if currency.is_fund() {
        return Err(ErrorKind::invalid(
            "currency",
            format!(
                "{} is an ISO 4217 fund code, not a currency beGateway charges in",
                currency.code()
            ),
        ));
    }
    Ok(currency.with_exponent(exponent(currency)))
}

/// Parses an alpha-3 code into a currency with beGateway's exponent.
///
/// ```
/// use begateway::currency::parse_currency;
/// assert_eq!(parse_currency("MOP")?.exponent(), 1);
/// assert_eq!(parse_currency("mop")?.code(), "MOP");
/// for bad in ["u$d", "US", "EURO", "", "ABC", "XAU", "XXX", "CLF"] {
///     assert_eq!(parse_currency(bad).unwrap_err().invalid_field(), Some("currency"), "{bad}");
/// }
/// # Ok::<(), begateway::Error>(())
/// ```
pub fn parse_currency(code: &str) -> Result<Currency, Error> {
    let iso = Currency::from_code(code)
        .map_err(|e| ErrorKind::invalid("currency", format!("{e}: {code:?}")))
        .map_err(Error::at(OPERATION))?;
    currency(iso)
}

/// The integer `amount` beGateway expects for `money`: its minor units rescaled, exactly, to
/// beGateway's exponent for the currency.
///
/// Errors ([`ErrorKind::InvalidRequest`] naming `amount` or `currency`): a fund code; more decimals
/// than beGateway's exponent allows (`IDR 1.50`); overflow.
///
/// ```
/// use begateway::{currency::wire_amount, Currency, Money};
/// assert_eq!(wire_amount(Money::parse("9.90", Currency::USD)?)?, 990);
/// assert_eq!(wire_amount(Money::parse("15000", Currency::IDR)?)?, 15000);
/// assert_eq!(wire_amount(Money::parse("1.5", Currency::IDR)?).unwrap_err().invalid_field(), Some("amount"));
/// assert_eq!(wire_amount(Money::parse("2.5", Currency::KWD)?)?, 2500);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn wire_amount(money: Money) -> Result<i64, Error> {
    wire(money).map_err(Error::at(OPERATION))
}

/// [`wire_amount`], with the shared error kind (for the crate's operations).
pub(crate) fn wire(money: Money) -> Result<i64, ErrorKind> {
    let target = check(money.currency())?;
    let from = money.currency().exponent();
    let to = target.exponent();
    rescale(money.minor_units(), from, to).ok_or_else(|| {
        if to < from
            && money
                .minor_units()
                .checked_rem(10_i64.pow(u32::from(from - to).min(18)))
                .is_some_and(|r| r != 0)
        {
            ErrorKind::invalid(
                "amount",
                format!(
                    "{money} has more decimals than beGateway allows for {} ({to}); it is not rounded",
                    target.code()
                ),
            )
        } else {
            ErrorKind::invalid("amount", "does not fit in 64-bit minor units")
        }
    })
}

/// `currency` with its ISO 4217 exponent, whatever exponent it carried (the one every
/// [`Money`] this crate returns uses).
///
/// ```
/// use begateway::{currency::{currency, iso}, Currency};
/// assert_eq!(iso(currency(Currency::IDR)?), Currency::IDR);
/// assert_eq!(iso(Currency::IDR).exponent(), 2);
/// # Ok::<(), begateway::Error>(())
/// ```
pub fn iso(currency: Currency) -> Currency {
    Currency::from_code(currency.code()).unwrap_or(currency)
}

/// Rescales `minor` units from exponent `from` to exponent `to`, exactly: `None` when the
/// value has more decimals than `to` allows, or on overflow.
fn rescale(minor: i64, from: u8, to: u8) -> Option<i64> {
    if to >= from {
        minor.checked_mul(10_i64.checked_pow(u32::from(to - from))?)
    } else {
        let factor = 10_i64.checked_pow(u32::from(from - to))?;
        (minor % factor == 0).then(|| minor / factor)
    }
}

/// The ISO-scale [`Money`] for an `amount` integer beGateway sent in `currency`: the wire
/// integer is read with beGateway's exponent for the currency and rescaled, exactly, to ISO
/// 4217's (`IDR` wire `15000` is 15 000 rupiah, `Money` minor units `1_500_000`).
///
/// `None` when the value cannot be written at ISO scale (beGateway gives `UGX` 2 decimals,
/// ISO none: wire `750` would be 7.50 shillings) or overflows. Fund codes are read too, since
/// this reads what the provider reported.
///
/// ```
/// use begateway::{currency::money_from_wire, Currency, Money};
/// assert_eq!(money_from_wire(15000, Currency::IDR), Some(Money::parse("15000", Currency::IDR)?));
/// assert_eq!(money_from_wire(15000, Currency::IDR).map(|m| m.minor_units()), Some(1_500_000));
/// assert_eq!(money_from_wire(125, Currency::MOP).map(|m| m.to_decimal_string()), Some("12.50".into()));
/// assert_eq!(money_from_wire(990, Currency::USD).map(|m| m.to_decimal_string()), Some("9.90".into()));
/// assert_eq!(money_from_wire(700, Currency::UGX), Some(Money::parse("7", Currency::UGX)?));
/// assert_eq!(money_from_wire(750, Currency::UGX), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn money_from_wire(amount: i64, currency: Currency) -> Option<Money> {
    let iso = iso(currency);
    let minor = rescale(amount, exponent(currency), iso.exponent())?;
    Some(Money::from_minor_units(minor, iso))
}

/// `money` at ISO scale (its currency with the ISO 4217 exponent), rescaled exactly, or
/// [`ErrorKind::InvalidRequest`] naming `field` when that is not possible.
pub(crate) fn to_iso(money: Money, field: &str) -> Result<Money, ErrorKind> {
    let iso = iso(money.currency());
    rescale(
        money.minor_units(),
        money.currency().exponent(),
        iso.exponent(),
    )
    .map(|minor| Money::from_minor_units(minor, iso))
    .ok_or_else(|| {
        ErrorKind::invalid(
            field,
            format!(
                "{money} cannot be written with {}'s ISO 4217 exponent ({})",
                iso.code(),
                iso.exponent()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exceptions_to_iso_follow_begateways_table() {
        // (code, ISO exponent, beGateway exponent)
        let table = [
            ("MOP", 2, 1),
            ("IDR", 2, 0),
            ("IQD", 3, 0),
            ("IRR", 2, 0),
            ("KPW", 2, 0),
            ("LAK", 2, 0),
            ("LBP", 2, 0),
            ("MMK", 2, 0),
            ("CVE", 2, 0),
            ("UGX", 0, 2),
            ("BHD", 3, 3),
            ("JOD", 3, 3),
            ("KWD", 3, 3),
            ("LYD", 3, 3),
            ("OMR", 3, 3),
            ("TND", 3, 3),
            ("JPY", 0, 0),
            ("KRW", 0, 0),
            ("USD", 2, 2),
            ("EUR", 2, 2),
            ("BYN", 2, 2),
        ];
        for (code, iso, bg) in table {
            let c = Currency::from_code(code).unwrap();
            assert_eq!(c.exponent(), iso, "ISO {code}");
            assert_eq!(exponent(c), bg, "beGateway {code}");
            assert_eq!(currency(c).unwrap().exponent(), bg, "{code}");
        }
    }

    #[test]
    fn the_table_is_sorted_and_matches_the_php_sdk_lists() {
        assert!(
            NOT_TWO.windows(2).all(|w| w[0].0.code() < w[1].0.code()),
            "sorted by code, no duplicates"
        );
        let zero = [
            "BIF", "BYR", "CLF", "CLP", "CVE", "DJF", "GNF", "IDR", "IQD", "IRR", "ISK", "JPY",
            "KMF", "KPW", "KRW", "LAK", "LBP", "MMK", "PYG", "RWF", "SLL", "STD", "UYI", "VND",
            "VUV", "XAF", "XOF", "XPF",
        ];
        let three = ["BHD", "JOD", "KWD", "LYD", "OMR", "TND"];
        let unknown = ["BYR", "SLL", "STD"];
        for code in unknown {
            assert!(Currency::from_code(code).is_err(), "{code} is unknown");
        }
        assert_eq!(NOT_TWO.len(), zero.len() + three.len() + 1 - unknown.len());
        for c in Currency::all() {
            let code = c.code();
            let expected = if zero.contains(&code) {
                0
            } else if three.contains(&code) {
                3
            } else if code == "MOP" {
                1
            } else {
                2
            };
            assert_eq!(exponent(*c), expected, "{code}");
            assert_eq!(
                exponent(c.with_exponent(expected)),
                expected,
                "{code} rescaled"
            );
        }
    }

    #[test]
    fn funds_are_refused() {
        for c in Currency::all().iter().filter(|c| c.is_fund()) {
            assert_eq!(
                currency(*c).unwrap_err().invalid_field(),
                Some("currency"),
                "{c}"
            );
        }
    }

    #[test]
    fn rescaling_is_exact() {
        let iso_mop = Money::parse("0.5", Currency::MOP).unwrap();
        assert_eq!(wire_amount(iso_mop).unwrap(), 5);
        let bg_mop = Money::parse("0.5", currency(Currency::MOP).unwrap()).unwrap();
        assert_eq!(wire_amount(bg_mop).unwrap(), 5);
        assert_eq!(
            wire_amount(Money::parse("5", Currency::IQD).unwrap()).unwrap(),
            5
        );
        assert!(wire_amount(Money::parse("5.001", Currency::IQD).unwrap()).is_err());
        assert_eq!(
            wire_amount(Money::parse("7", Currency::UGX).unwrap()).unwrap(),
            700
        );
        assert!(wire_amount(Money::from_minor_units(i64::MAX, Currency::UGX)).is_err());
    }
}
