//! Decimal amounts sent as JSON numbers are read from their exact text, never through `f64`:
//! excess precision is an error, as it is for strings, and long amounts stay exact.

use payments_common::http::{Response, decode_body};
use payments_common::{Currency, Error, Money, MoneyError, StatusCode};
use serde::Deserialize;

#[derive(Deserialize, Debug)]
struct Priced {
    #[serde(deserialize_with = "payments_common::serde::decimal_text::deserialize")]
    amount: String,
}

/// A model that turns the text into `Money` while decoding, as provider models do.
#[derive(Deserialize, Debug)]
struct Charge {
    #[serde(deserialize_with = "usd_amount")]
    amount: Money,
}

fn usd_amount<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
    let text = payments_common::serde::decimal_text::deserialize(d)?;
    Money::parse(&text, Currency::USD).map_err(serde::de::Error::custom)
}

fn usd(json: &str) -> Result<Money, MoneyError> {
    let p: Priced = serde_json::from_str(json).unwrap();
    Money::parse(&p.amount, Currency::USD)
}

#[test]
fn a_json_number_with_excess_precision_is_an_error_not_a_rounding() {
    assert_eq!(
        usd(r#"{"amount":100.000000000000001}"#),
        Err(MoneyError::Precision {
            currency: Currency::USD,
            exponent: 2
        })
    );
    // As for the same digits in a string.
    assert_eq!(
        usd(r#"{"amount":"100.000000000000001"}"#),
        usd(r#"{"amount":100.000000000000001}"#)
    );
    // Trailing zeros do not change the value.
    assert_eq!(
        usd(r#"{"amount":100.000000000000000}"#)
            .unwrap()
            .minor_units(),
        10_000
    );
}

#[test]
fn a_long_json_number_is_read_exactly() {
    let m = usd(r#"{"amount":12345678901234567.89}"#).unwrap();
    assert_eq!(m.to_decimal_string(), "12345678901234567.89");
    assert_eq!(m.minor_units(), 1_234_567_890_123_456_789);
    // One digit more no longer fits: an overflow, never a rounded value.
    assert_eq!(
        usd(r#"{"amount":123456789012345678.89}"#),
        Err(MoneyError::Overflow)
    );
    assert_eq!(usd(r#"{"amount":1.5e2}"#).unwrap().minor_units(), 15_000);
}

#[test]
fn every_serde_json_entry_point_reads_the_exact_text() {
    let body = br#"{"amount": 5500.000000000000001}"#;
    let from_slice: Priced = serde_json::from_slice(body).unwrap();
    let from_reader: Priced = serde_json::from_reader(&body[..]).unwrap();
    for p in [from_slice, from_reader] {
        assert_eq!(p.amount, "5500.000000000000001");
    }
    // The pipeline's decoder: the fast path, and the path-tracking retry after a failure.
    let fast: Priced = decode_body(StatusCode::OK, body, 1024).unwrap();
    assert_eq!(fast.amount, "5500.000000000000001");
    let r = Response::for_tests(StatusCode::OK, "application/json", body);
    match r.json::<Charge>() {
        Err(Error::Decode { path, message, .. }) => {
            assert_eq!(path, "amount", "{message}");
            assert!(message.contains("decimal digit"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let ok = Response::for_tests(
        StatusCode::OK,
        "application/json",
        br#"{"amount":12345678901234567.89}"#,
    );
    assert_eq!(
        ok.json::<Charge>().unwrap().amount.to_decimal_string(),
        "12345678901234567.89"
    );
}

#[test]
fn a_buffering_decoder_refuses_a_fractional_number_instead_of_rounding_it() {
    #[derive(Deserialize, Debug)]
    #[serde(untagged)]
    enum Either {
        Priced(Priced),
    }
    let Either::Priced(p) = serde_json::from_str(r#"{"amount":"10.5"}"#).unwrap();
    assert_eq!(p.amount, "10.5");
    let Either::Priced(p) = serde_json::from_str(r#"{"amount":10}"#).unwrap();
    assert_eq!(p.amount, "10");
    assert!(serde_json::from_str::<Either>(r#"{"amount":100.000000000000001}"#).is_err());
}

#[test]
fn non_numbers_are_refused() {
    for body in [
        r#"{"amount":true}"#,
        r#"{"amount":null}"#,
        r#"{"amount":{}}"#,
        r#"{"amount":[1]}"#,
    ] {
        assert!(serde_json::from_str::<Priced>(body).is_err(), "{body}");
    }
}

#[test]
fn amounts_a_javascript_peer_would_round_are_refused_before_sending() {
    #[derive(serde::Serialize)]
    struct Body {
        #[serde(serialize_with = "payments_common::serde::decimal_text::serialize_money")]
        amount: Money,
    }
    let limit = Money::parse("9007199254740992", Currency::JPY).unwrap();
    assert_eq!(
        serde_json::to_string(&Body { amount: limit }).unwrap(),
        r#"{"amount":9007199254740992}"#
    );
    let above = Money::parse("9007199254740993", Currency::JPY).unwrap();
    assert!(serde_json::to_string(&Body { amount: above }).is_err());
    let err = payments_common::validate::js_safe_amount("amount", above).unwrap_err();
    assert_eq!(err.invalid_field(), Some("amount"));
    let negative = Money::parse("-9007199254740993", Currency::JPY).unwrap();
    assert!(payments_common::validate::js_safe_amount("amount", negative).is_err());
    // A fraction is written as its own digits.
    let cents = Money::parse("1234567890123.45", Currency::USD).unwrap();
    assert_eq!(
        serde_json::to_string(&Body { amount: cents }).unwrap(),
        r#"{"amount":1234567890123.45}"#
    );
}
