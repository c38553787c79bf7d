//! beGateway's own exponent table as a user meets it through `begateway::currency`: an amount
//! in a currency with an unusual exponent is converted exactly both ways, an amount beGateway
//! cannot take is refused naming the field and saying why, and the errors name the operation.

use begateway::currency::{currency, exponent, iso, money_from_wire, parse_currency, wire_amount};
use begateway::{Currency, ErrorKind, Money};

fn reason(err: &begateway::Error) -> &str {
    match err.kind() {
        ErrorKind::InvalidRequest { reason, .. } => reason,
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_amount_with_an_unusual_exponent_is_sent_exactly() {
    // (amount as ISO text, currency, beGateway's integer)
    let cases = [
        ("15000", Currency::IDR, 15_000), // ISO 2, beGateway 0
        ("12.5", Currency::MOP, 125),     // ISO 2, beGateway 1
        ("0.1", Currency::MOP, 1),
        ("5", Currency::IQD, 5),       // ISO 3, beGateway 0
        ("2.5", Currency::KWD, 2_500), // 3 on both sides
        ("9.90", Currency::USD, 990),  // 2 on both sides
        ("7", Currency::UGX, 700),     // ISO 0, beGateway 2
        ("-3", Currency::UGX, -300),
        ("1000", Currency::JPY, 1_000), // 0 on both sides
        ("0", Currency::IDR, 0),
    ];
    for (text, iso_currency, wire) in cases {
        let money = Money::parse(text, iso_currency).unwrap();
        assert_eq!(wire_amount(money).unwrap(), wire, "{text} {iso_currency}");
        // The same amount read back from the wire is the same ISO-scale money.
        assert_eq!(
            money_from_wire(wire, iso_currency),
            Some(money),
            "{text} {iso_currency}"
        );
    }
}

#[test]
fn more_decimals_than_begateway_takes_are_refused_never_rounded() {
    for (text, c) in [
        ("1.50", Currency::IDR),
        ("0.01", Currency::IDR),
        ("12.55", Currency::MOP),
        ("5.001", Currency::IQD),
        ("-0.05", Currency::MOP),
    ] {
        let err = wire_amount(Money::parse(text, c).unwrap()).unwrap_err();
        assert_eq!(err.operation(), "currency.check");
        assert_eq!(err.invalid_field(), Some("amount"), "{text} {c}");
        assert!(
            reason(&err).contains("has more decimals than beGateway allows"),
            "{text} {c}: {err}"
        );
        assert!(reason(&err).contains(c.code()), "{err}");
    }
    // An amount too large for beGateway's integer is an overflow, not a rounding.
    let err = wire_amount(Money::from_minor_units(i64::MAX / 10, Currency::UGX)).unwrap_err();
    assert_eq!(err.invalid_field(), Some("amount"));
    assert_eq!(reason(&err), "does not fit in 64-bit minor units");
    // The largest amount that fits is sent as it is.
    assert_eq!(
        wire_amount(Money::from_minor_units(i64::MAX / 100, Currency::UGX)).unwrap(),
        i64::MAX / 100 * 100
    );
}

#[test]
fn begateways_exponent_is_found_whatever_exponent_the_currency_carries() {
    for (c, bg) in [
        (Currency::IDR, 0),
        (Currency::MOP, 1),
        (Currency::KWD, 3),
        (Currency::UGX, 2),
        (Currency::USD, 2),
        (Currency::BHD, 3),
        (Currency::XPF, 0),
    ] {
        assert_eq!(exponent(c), bg, "{c}");
        let wire_scale = currency(c).unwrap();
        assert_eq!(wire_scale.exponent(), bg, "{c}");
        assert_eq!(wire_scale.code(), c.code());
        assert_eq!(exponent(wire_scale), bg, "{c} at wire scale");
        // Back to the ISO currency every returned `Money` carries.
        assert_eq!(iso(wire_scale), c);
        assert_eq!(iso(c), c);
    }
    // An amount built on the wire-scale currency is sent as it is.
    let wire_mop = Money::parse("0.5", currency(Currency::MOP).unwrap()).unwrap();
    assert_eq!(wire_amount(wire_mop).unwrap(), 5);
    let wire_idr = Money::parse("15000", currency(Currency::IDR).unwrap()).unwrap();
    assert_eq!(wire_amount(wire_idr).unwrap(), 15_000);
}

#[test]
fn codes_are_parsed_in_any_case_and_fund_codes_are_refused() {
    let mop = parse_currency("mop").unwrap();
    assert_eq!((mop.code(), mop.exponent()), ("MOP", 1));
    assert_eq!(parse_currency("Idr").unwrap().exponent(), 0);
    assert_eq!(parse_currency("EUR").unwrap(), Currency::EUR);
    for fund in ["CLF", "UYI", "clf"] {
        let err = parse_currency(fund).unwrap_err();
        assert_eq!(err.operation(), "currency.check");
        assert_eq!(err.invalid_field(), Some("currency"), "{fund}");
        assert!(reason(&err).contains("fund code"), "{err}");
    }
    let err = parse_currency("u$d").unwrap_err();
    assert_eq!(err.operation(), "currency.check");
    assert_eq!(err.invalid_field(), Some("currency"));
    assert!(reason(&err).contains("\"u$d\""), "{err}");
    // A fund code is refused for an amount too, naming the currency.
    let clf = Currency::from_code("CLF").unwrap();
    let err = wire_amount(Money::from_minor_units(1, clf)).unwrap_err();
    assert_eq!(err.invalid_field(), Some("currency"));
    let err = currency(clf).unwrap_err();
    assert_eq!(err.operation(), "currency.check");
    assert!(reason(&err).starts_with("CLF "), "{err}");
}

#[test]
fn a_wire_amount_without_an_exact_iso_form_or_too_large_reads_as_nothing() {
    // beGateway gives UGX 2 decimals, ISO none.
    assert_eq!(
        money_from_wire(700, Currency::UGX),
        Some(Money::parse("7", Currency::UGX).unwrap())
    );
    assert_eq!(money_from_wire(750, Currency::UGX), None);
    assert_eq!(money_from_wire(-750, Currency::UGX), None);
    // IDR: wire 0 decimals, ISO 2: multiplying by 100 must not overflow silently.
    assert_eq!(money_from_wire(i64::MAX / 10, Currency::IDR), None);
    assert_eq!(
        money_from_wire(i64::MAX / 100, Currency::IDR).map(|m| m.minor_units()),
        Some(i64::MAX / 100 * 100)
    );
    // Read with the wire-scale currency too: the result is at ISO scale.
    let m = money_from_wire(125, currency(Currency::MOP).unwrap()).unwrap();
    assert_eq!(m.currency(), Currency::MOP);
    assert_eq!(m.to_decimal_string(), "12.50");
}
