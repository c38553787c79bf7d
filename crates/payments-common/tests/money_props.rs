//! Property tests of `Money` (10,000 cases each): printing then parsing is the identity,
//! checked arithmetic never panics, and every malformed or over-precise decimal is rejected.

use payments_common::{Currency, Money, MoneyError};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 10_000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn currency() -> impl Strategy<Value = Currency> {
    proptest::sample::select(Currency::all().to_vec())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn print_then_parse_is_identity(minor in any::<i64>(), currency in currency()) {
        let money = Money::from_minor_units(minor, currency);
        let text = money.to_decimal_string();
        prop_assert_eq!(Money::parse(&text, currency), Ok(money));
        let minimal = money.to_minimal_decimal_string();
        prop_assert_eq!(Money::parse(&minimal, currency), Ok(money));
    }

    #[test]
    fn checked_arithmetic_never_panics(a in any::<i64>(), b in any::<i64>(), k in any::<i64>(), currency in currency()) {
        let x = Money::from_minor_units(a, currency);
        let y = Money::from_minor_units(b, currency);
        match x.checked_add(y) {
            Ok(sum) => prop_assert_eq!(Some(sum.minor_units()), a.checked_add(b)),
            Err(e) => prop_assert_eq!(e, MoneyError::Overflow),
        }
        match x.checked_sub(y) {
            Ok(diff) => prop_assert_eq!(Some(diff.minor_units()), a.checked_sub(b)),
            Err(e) => prop_assert_eq!(e, MoneyError::Overflow),
        }
        prop_assert_eq!(x.checked_mul(k).ok().map(|m| m.minor_units()), a.checked_mul(k));
        prop_assert_eq!(x.checked_neg().ok().map(|m| m.minor_units()), a.checked_neg());
    }

    #[test]
    fn excess_precision_is_rejected_never_rounded(
        minor in -1_000_000_000i64..1_000_000_000,
        currency in currency(),
        extra in 1u8..=9,
    ) {
        // One more non-zero digit than the currency allows (I3).
        let mut text = Money::from_minor_units(minor, currency).to_decimal_string();
        if currency.exponent() == 0 {
            text.push('.');
        }
        text.push(char::from(b'0' + extra));
        let is_precision = matches!(Money::parse(&text, currency), Err(MoneyError::Precision { .. }));
        prop_assert!(is_precision, "{} {}", text, currency);
    }

    #[test]
    fn malformed_decimals_are_rejected(
        minor in any::<i64>(),
        currency in currency(),
        junk in prop::sample::select(vec!["e3", "E3", " ", ",", "+", "_", "NaN", "inf", "..", "0x", "\u{a0}", "١"]),
        at_start in any::<bool>(),
    ) {
        // Rows I6 and the syntax half of I5: exponents, blanks, separators, signs, words.
        let text = Money::from_minor_units(minor, currency).to_decimal_string();
        let bad = if at_start { format!("{junk}{text}") } else { format!("{text}{junk}") };
        prop_assert!(Money::parse(&bad, currency).is_err(), "{:?} accepted", bad);
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,40}", currency in currency()) {
        let _ = Money::parse(&text, currency);
    }

    #[test]
    fn overflowing_amounts_are_rejected(currency in currency(), digits in 20usize..40) {
        // Row I5: a value whose minor units exceed i64.
        let text = "9".repeat(digits);
        prop_assert_eq!(Money::parse(&text, currency), Err(MoneyError::Overflow));
    }
}

#[test]
fn documented_invalid_strings_from_rows_i3_to_i6() {
    let precision = [
        ("1.5", Currency::JPY),
        ("10.001", Currency::USD),
        ("1.2345", Currency::BHD),
    ];
    for (text, currency) in precision {
        assert!(
            matches!(
                Money::parse(text, currency),
                Err(MoneyError::Precision { .. })
            ),
            "{text}"
        );
    }
    for text in ["1e3", " 10", "10,00", "NaN", "+5", ""] {
        assert_eq!(
            Money::parse(text, Currency::EUR),
            Err(MoneyError::Syntax),
            "{text:?}"
        );
    }
    assert_eq!(
        Money::parse("92233720368547758.08", Currency::EUR),
        Err(MoneyError::Overflow)
    );
}

/// The shortest text as a reader of the full text would write it: trailing fractional zeros
/// and a bare point removed.
fn trimmed(full: &str) -> &str {
    if full.contains('.') {
        full.trim_end_matches('0').trim_end_matches('.')
    } else {
        full
    }
}

/// Whether a JavaScript peer reads `minimal` exactly, judged on the text itself: at most 2^53
/// whole units, and at most 15 significant figures when there is a fraction.
fn js_reads_exactly(minimal: &str) -> bool {
    let unsigned = minimal.trim_start_matches('-');
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let whole_ok = whole.parse::<u64>().is_ok_and(|w| w <= 1 << 53);
    let significant = whole
        .bytes()
        .chain(fraction.bytes())
        .skip_while(|b| *b == b'0')
        .count();
    whole_ok && (fraction.is_empty() || significant <= 15)
}

#[derive(serde::Serialize)]
struct Amount {
    #[serde(serialize_with = "payments_common::serde::decimal_text::serialize_money")]
    amount: Money,
}

proptest! {
    #![proptest_config(config())]

    /// Amounts near every power of ten and of every sign, in every currency.
    #[test]
    fn the_shortest_text_is_the_full_text_trimmed(
        minor in prop_oneof![
            any::<i64>(),
            -1_000_000i64..1_000_000,
            // Amounts below one unit (`0.5`, `0.005`) and just above it.
            -1_000i64..1_000,
            Just(0i64),
            Just(i64::MIN),
        ],
        zeros in 0u32..6,
        currency in currency(),
    ) {
        let minor = minor.checked_mul(10i64.pow(zeros)).unwrap_or(minor);
        let money = Money::from_minor_units(minor, currency);
        let full = money.to_decimal_string();
        prop_assert_eq!(money.to_minimal_decimal_string(), trimmed(&full));
    }

    /// The JSON-number limit is judged like the text a peer would read, and what passes is
    /// written as exactly that text.
    #[test]
    fn a_js_safe_amount_is_written_as_its_shortest_text(
        minor in prop_oneof![
            any::<i64>(),
            -1_000_000i64..1_000_000,
            -1_000i64..1_000,
            (1i64 << 53) * 100 - 1_000..(1i64 << 53) * 100 + 1_000,
            999_999_999_999_990i64..1_000_000_000_000_010,
        ],
        currency in currency(),
    ) {
        let money = Money::from_minor_units(minor, currency);
        let minimal = money.to_minimal_decimal_string();
        let safe = payments_common::validate::js_safe_amount("amount", money).is_ok();
        prop_assert_eq!(safe, js_reads_exactly(&minimal), "{}", minimal);
        let written = serde_json::to_string(&Amount { amount: money });
        if safe {
            prop_assert_eq!(written.ok(), Some(format!(r#"{{"amount":{minimal}}}"#)));
        } else {
            prop_assert!(written.is_err());
        }
    }
}
