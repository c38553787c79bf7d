//! The wire adapters of `payments_common::serde`, as provider models use them: integers sent as
//! numbers or strings, exact decimal amounts, and every timestamp form, each at its edges, and
//! the errors a malformed value gives (naming what was expected).

use payments_common::serde::{
    decimal_text, format_http_date, from_epoch_millis, parse_flexible_datetime, parse_http_date,
};
use payments_common::{Currency, Money};
use serde::de::IntoDeserializer;
use serde::de::value::{BoolDeserializer, Error as ValueError};
use serde::{Deserialize, Serialize};
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

#[derive(Deserialize, Debug)]
struct Count {
    #[serde(deserialize_with = "payments_common::serde::int_or_string::deserialize")]
    n: i64,
}

#[derive(Deserialize, Debug)]
struct MaybeCount {
    #[serde(
        default,
        deserialize_with = "payments_common::serde::int_or_string::deserialize_option"
    )]
    n: Option<i64>,
}

fn count(json: &str) -> Result<i64, String> {
    serde_json::from_str::<Count>(json)
        .map(|c| c.n)
        .map_err(|e| e.to_string())
}

#[test]
fn an_integer_is_read_from_a_number_or_a_string_of_digits() {
    assert_eq!(count(r#"{"n":990}"#), Ok(990));
    assert_eq!(count(r#"{"n":-5}"#), Ok(-5));
    assert_eq!(count(r#"{"n":"990"}"#), Ok(990));
    assert_eq!(count(r#"{"n":"-5"}"#), Ok(-5));
    assert_eq!(count(r#"{"n":"0"}"#), Ok(0));
    assert_eq!(
        count(&format!(r#"{{"n":{}}}"#, i64::MAX)),
        Ok(i64::MAX),
        "the largest number"
    );
    assert_eq!(count(&format!(r#"{{"n":"{}"}}"#, i64::MIN)), Ok(i64::MIN));
}

#[test]
fn an_integer_that_is_not_exactly_digits_is_refused() {
    // A fraction, an exponent, a blank, a plus sign, nothing: never a guess.
    for json in [
        r#"{"n":"5.0"}"#,
        r#"{"n":"1e3"}"#,
        r#"{"n":" 5"}"#,
        r#"{"n":"5 "}"#,
        r#"{"n":"+5"}"#,
        r#"{"n":"-"}"#,
        r#"{"n":""}"#,
        r#"{"n":"--5"}"#,
        r#"{"n":"5a"}"#,
        r#"{"n":5.5}"#,
    ] {
        assert!(count(json).is_err(), "{json} was accepted");
    }
    // A number or a string past i64 is an error, not a wrapped value.
    let over = u64::MAX.to_string();
    let err = count(&format!(r#"{{"n":{over}}}"#)).unwrap_err();
    assert!(err.contains("integer out of range"), "{err}");
    assert!(count(&format!(r#"{{"n":"{over}"}}"#)).is_err());
}

#[test]
fn a_wrong_type_names_the_accepted_forms() {
    let err = count(r#"{"n":true}"#).unwrap_err();
    assert!(
        err.contains("expected an integer or a string of digits"),
        "{err}"
    );
    let err = count(r#"{"n":"5.0"}"#).unwrap_err();
    assert!(
        err.contains("expected an integer or a string of digits"),
        "{err}"
    );
    // The optional form, from a format whose values are not JSON (its own visitor answers).
    let err = payments_common::serde::int_or_string::deserialize_option(BoolDeserializer::<
        ValueError,
    >::new(true))
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("expected null, an integer or a string of digits"),
        "{err}"
    );
}

#[test]
fn an_optional_integer_is_none_when_null_or_absent() {
    let read = |json: &str| serde_json::from_str::<MaybeCount>(json).map(|c| c.n);
    assert_eq!(read(r#"{"n":null}"#).unwrap(), None);
    assert_eq!(read(r#"{}"#).unwrap(), None);
    assert_eq!(read(r#"{"n":"7"}"#).unwrap(), Some(7));
    assert_eq!(read(r#"{"n":-7}"#).unwrap(), Some(-7));
    assert_eq!(read(r#"{"n":0}"#).unwrap(), Some(0));
    assert!(read(r#"{"n":"7.5"}"#).is_err());
}

#[derive(Deserialize, Debug)]
struct Priced {
    #[serde(deserialize_with = "payments_common::serde::decimal_text::deserialize")]
    amount: String,
}

fn amount(json: &str) -> Result<String, String> {
    serde_json::from_str::<Priced>(json)
        .map(|p| p.amount)
        .map_err(|e| e.to_string())
}

#[test]
fn an_amount_keeps_the_digits_the_provider_sent() {
    assert_eq!(amount(r#"{"amount":5500.99}"#).unwrap(), "5500.99");
    assert_eq!(amount(r#"{"amount":-0.05}"#).unwrap(), "-0.05");
    assert_eq!(amount(r#"{"amount":100}"#).unwrap(), "100");
    assert_eq!(amount(r#"{"amount": 100 }"#).unwrap(), "100");
    assert_eq!(amount(r#"{"amount":"10.50"}"#).unwrap(), "10.50");
    // A string is its content, escapes decoded.
    assert_eq!(amount(r#"{"amount":"1\u0030"}"#).unwrap(), "10");
    // Exponent forms, written out in plain digits.
    assert_eq!(amount(r#"{"amount":1.5e2}"#).unwrap(), "150");
    assert_eq!(amount(r#"{"amount":1450E-2}"#).unwrap(), "14.50");
    assert_eq!(amount(r#"{"amount":5e-3}"#).unwrap(), "0.005");
    // JSON allows leading zeros in an exponent: `1e002` is 100, not an error.
    assert_eq!(amount(r#"{"amount":1e002}"#).unwrap(), "100");
    assert_eq!(amount(r#"{"amount":25e+0000001}"#).unwrap(), "250");
}

#[test]
fn an_amount_beyond_any_currency_or_not_a_number_is_refused_with_its_text() {
    let err = amount(r#"{"amount":1e41}"#).unwrap_err();
    assert!(
        err.contains("expected a decimal number or a string holding one, found `1e41`"),
        "{err}"
    );
    assert!(amount(r#"{"amount":1e99999}"#).is_err());
    let err = amount(r#"{"amount":true}"#).unwrap_err();
    assert!(err.contains("found `true`"), "{err}");
    // A long value is quoted only in part.
    let long = format!(r#"{{"amount":[{}1]}}"#, "1,".repeat(40));
    let err = amount(&long).unwrap_err();
    assert!(
        err.contains(&format!("found `[{}`", &"1,".repeat(40)[..39])),
        "{err}"
    );
    assert!(!err.contains(&"1,".repeat(21)), "{err}");
}

#[test]
fn an_amount_from_a_buffering_decoder_is_exact_or_refused() {
    #[derive(Deserialize, Debug)]
    #[serde(untagged)]
    enum Either {
        Priced(Priced),
    }
    let read = |json: &str| serde_json::from_str::<Either>(json).map(|Either::Priced(p)| p.amount);
    assert_eq!(read(r#"{"amount":-10}"#).unwrap(), "-10");
    assert_eq!(read(r#"{"amount":10}"#).unwrap(), "10");
    assert_eq!(read(r#"{"amount":"10.5"}"#).unwrap(), "10.5");
    assert!(read(r#"{"amount":10.5}"#).is_err());
}

#[test]
fn an_amount_in_a_flattened_part_that_is_not_a_number_says_what_was_expected() {
    // `#[serde(flatten)]` buffers the value before the adapter sees it.
    #[derive(Deserialize, Debug)]
    struct Order {
        #[serde(flatten)]
        price: Priced,
    }
    let order: Order = serde_json::from_str(r#"{"amount":"10.50","id":"o-1"}"#).unwrap();
    assert_eq!(order.price.amount, "10.50");
    let err = serde_json::from_str::<Order>(r#"{"amount":true}"#)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("expected a decimal number or a string holding one"),
        "{err}"
    );
}

#[test]
fn an_amount_from_another_format_is_exact_or_refused() {
    // Formats whose deserializers hand the value to the visitor directly (as serde's own
    // value deserializers do): integers and strings are exact, a float is refused and the
    // error names what was expected.
    let d = IntoDeserializer::<ValueError>::into_deserializer(-42_i64);
    assert_eq!(decimal_text::deserialize(d).unwrap(), "-42");
    let d = IntoDeserializer::<ValueError>::into_deserializer(42_u64);
    assert_eq!(decimal_text::deserialize(d).unwrap(), "42");
    let d = IntoDeserializer::<ValueError>::into_deserializer("12.34");
    assert_eq!(decimal_text::deserialize(d).unwrap(), "12.34");
    let d = IntoDeserializer::<ValueError>::into_deserializer(12.5_f64);
    let err = decimal_text::deserialize(d).unwrap_err().to_string();
    assert!(err.contains("buffering decoder"), "{err}");
    let err = decimal_text::deserialize(BoolDeserializer::<ValueError>::new(true))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("expected a decimal number or a string holding one"),
        "{err}"
    );
    // A map that is not serde_json's raw value is not an amount.
    let map = std::collections::BTreeMap::from([("amount", "10")]);
    let err = decimal_text::deserialize(IntoDeserializer::<ValueError>::into_deserializer(map))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("expected a decimal number or a string holding one"),
        "{err}"
    );
}

#[derive(Serialize)]
struct Body {
    #[serde(serialize_with = "payments_common::serde::decimal_text::serialize_money")]
    amount: Money,
}

#[test]
fn an_amount_is_sent_as_a_json_number_with_its_own_digits() {
    let json = |text: &str, currency| {
        serde_json::to_string(&Body {
            amount: Money::parse(text, currency).unwrap(),
        })
        .unwrap()
    };
    assert_eq!(json("5500.99", Currency::CRC), r#"{"amount":5500.99}"#);
    assert_eq!(json("100.00", Currency::USD), r#"{"amount":100}"#);
    assert_eq!(json("100.50", Currency::USD), r#"{"amount":100.5}"#);
    assert_eq!(json("-0.05", Currency::USD), r#"{"amount":-0.05}"#);
    assert_eq!(json("0", Currency::JPY), r#"{"amount":0}"#);
    // What is sent reads back as the same amount.
    let back: Priced = serde_json::from_str(&json("1234.56", Currency::EUR)).unwrap();
    assert_eq!(back.amount, "1234.56");
}

#[test]
fn http_dates_parse_and_format_in_utc() {
    let t = parse_http_date("Thu, 25 Jan 2024 15:07:46 GMT").unwrap();
    assert_eq!(t, datetime!(2024-01-25 15:07:46 UTC));
    assert_eq!(format_http_date(t), "Thu, 25 Jan 2024 15:07:46 GMT");
    // Another offset is written in UTC.
    assert_eq!(
        format_http_date(datetime!(2024-01-25 17:07:46 +02:00)),
        "Thu, 25 Jan 2024 15:07:46 GMT"
    );
    assert!(parse_http_date("25 Jan 2024").is_err());
    assert!(parse_http_date("").is_err());
}

#[test]
fn every_timestamp_form_a_provider_sends_is_read() {
    let read = |text: &str| parse_flexible_datetime(text).unwrap();
    assert_eq!(
        read("2022-12-20T18:54:42.033Z"),
        datetime!(2022-12-20 18:54:42.033 UTC)
    );
    assert_eq!(
        read("2030-12-30T21:21:46+0100"),
        datetime!(2030-12-30 21:21:46 +01:00)
    );
    assert_eq!(
        read("Thu, 25 Jan 2024 15:07:46 GMT"),
        datetime!(2024-01-25 15:07:46 UTC)
    );
    assert_eq!(read("2018-10-12"), datetime!(2018-10-12 00:00 UTC));
    assert_eq!(read("1536991200000"), datetime!(2018-09-15 06:00 UTC));
    assert_eq!(
        read("1536991200123"),
        datetime!(2018-09-15 06:00:00.123 UTC)
    );
    assert_eq!(read("0"), OffsetDateTime::UNIX_EPOCH);
}

#[test]
fn an_unreadable_timestamp_says_why() {
    for text in ["", "12:00", "2024-13-45", "2024-01-25T", "soon-ish"] {
        let err = parse_flexible_datetime(text).unwrap_err();
        assert!(!err.is_empty(), "{text}");
        assert!(err.contains(&format!("{text:?}")), "{text}: {err}");
    }
    // Digits and dashes that are no date are not taken for epoch milliseconds.
    for text in ["", "12:00", "2024-13-45"] {
        let err = parse_flexible_datetime(text).unwrap_err();
        assert!(err.starts_with("not a recognised timestamp"), "{err}");
    }
    let err = parse_flexible_datetime("Someday, 1 Jan 2024").unwrap_err();
    assert!(err.starts_with("not an RFC 1123 date"), "{err}");
    let err = parse_flexible_datetime("99999999999999999999").unwrap_err();
    assert!(err.starts_with("epoch milliseconds out of range"), "{err}");
}

#[test]
fn epoch_milliseconds_are_exact_and_bounded() {
    assert_eq!(
        from_epoch_millis(1_536_991_200_123).unwrap(),
        datetime!(2018-09-15 06:00:00.123 UTC)
    );
    assert_eq!(
        from_epoch_millis(-1).unwrap(),
        datetime!(1969-12-31 23:59:59.999 UTC)
    );
    let err = from_epoch_millis(i64::MAX).unwrap_err();
    assert!(err.contains(&i64::MAX.to_string()), "{err}");
}

#[derive(Deserialize, Serialize, Debug, PartialEq)]
struct Flexible {
    #[serde(with = "payments_common::serde::flexible_datetime")]
    at: OffsetDateTime,
}

#[derive(Deserialize, Serialize, Debug, PartialEq)]
struct MaybeFlexible {
    #[serde(default, with = "payments_common::serde::flexible_datetime::option")]
    at: Option<OffsetDateTime>,
}

#[test]
fn a_flexible_timestamp_reads_numbers_and_strings_and_writes_rfc3339() {
    let read = |json: &str| serde_json::from_str::<Flexible>(json).map(|f| f.at);
    assert_eq!(
        read(r#"{"at":1536991200000}"#).unwrap(),
        datetime!(2018-09-15 06:00 UTC)
    );
    assert_eq!(
        read(r#"{"at":-1000}"#).unwrap(),
        datetime!(1969-12-31 23:59:59 UTC)
    );
    assert_eq!(
        read(r#"{"at":"Thu, 25 Jan 2024 15:07:46 GMT"}"#).unwrap(),
        datetime!(2024-01-25 15:07:46 UTC)
    );
    let err = read(&format!(r#"{{"at":{}}}"#, u64::MAX)).unwrap_err();
    assert!(err.to_string().contains("out of range"), "{err}");
    assert!(read(&format!(r#"{{"at":{}}}"#, i64::MAX)).is_err());
    assert!(read(&format!(r#"{{"at":{}}}"#, i64::MIN)).is_err());
    let err = read(r#"{"at":true}"#).unwrap_err().to_string();
    assert!(
        err.contains("expected a timestamp (RFC 3339, RFC 1123, a date, or epoch milliseconds)"),
        "{err}"
    );
    assert_eq!(
        serde_json::to_string(&Flexible {
            at: datetime!(2018-09-15 06:00:00.5 UTC)
        })
        .unwrap(),
        r#"{"at":"2018-09-15T06:00:00.5Z"}"#
    );
}

#[test]
fn an_optional_flexible_timestamp_is_none_when_null_or_absent() {
    let read = |json: &str| serde_json::from_str::<MaybeFlexible>(json).map(|f| f.at);
    assert_eq!(read(r#"{"at":null}"#).unwrap(), None);
    assert_eq!(read(r#"{}"#).unwrap(), None);
    assert_eq!(
        read(r#"{"at":"2019-01-15T00:00:00.000Z"}"#).unwrap(),
        Some(datetime!(2019-01-15 00:00 UTC))
    );
    assert_eq!(
        read(r#"{"at":1536991200000}"#).unwrap(),
        Some(datetime!(2018-09-15 06:00 UTC))
    );
    assert!(read(r#"{"at":"later"}"#).is_err());
    let err = payments_common::serde::flexible_datetime::option::deserialize(BoolDeserializer::<
        ValueError,
    >::new(true))
    .unwrap_err()
    .to_string();
    assert!(err.contains("expected null or a timestamp"), "{err}");
    let write = |at| serde_json::to_string(&MaybeFlexible { at }).unwrap();
    assert_eq!(
        write(Some(datetime!(2019-01-15 00:00 UTC))),
        r#"{"at":"2019-01-15T00:00:00Z"}"#
    );
    assert_eq!(write(None), r#"{"at":null}"#);
}

#[test]
fn rfc1123_epoch_millis_and_date_only_round_trip() {
    #[derive(Deserialize, Serialize, Debug, PartialEq)]
    struct Dates {
        #[serde(with = "payments_common::serde::rfc1123")]
        http: OffsetDateTime,
        #[serde(with = "payments_common::serde::epoch_millis")]
        millis: OffsetDateTime,
        #[serde(with = "payments_common::serde::date_only")]
        on: Date,
    }
    let json =
        r#"{"http":"Thu, 25 Jan 2024 15:07:46 GMT","millis":"1536991200123","on":"2018-10-12"}"#;
    let dates: Dates = serde_json::from_str(json).unwrap();
    assert_eq!(
        dates,
        Dates {
            http: datetime!(2024-01-25 15:07:46 UTC),
            millis: datetime!(2018-09-15 06:00:00.123 UTC),
            on: date!(2018 - 10 - 12),
        }
    );
    assert_eq!(
        serde_json::to_string(&dates).unwrap(),
        r#"{"http":"Thu, 25 Jan 2024 15:07:46 GMT","millis":1536991200123,"on":"2018-10-12"}"#
    );
    // Milliseconds as a JSON number too.
    let dates: Dates = serde_json::from_str(
        r#"{"http":"Thu, 25 Jan 2024 15:07:46 GMT","millis":1536991200000,"on":"2018-10-12"}"#,
    )
    .unwrap();
    assert_eq!(dates.millis, datetime!(2018-09-15 06:00 UTC));
    // Each refuses what is not its form, and says which form it wanted.
    for (json, wanted) in [
        (
            r#"{"http":"2024-01-25","millis":0,"on":"2018-10-12"}"#,
            "not an RFC 1123 date",
        ),
        (
            r#"{"http":"Thu, 25 Jan 2024 15:07:46 GMT","millis":"soon","on":"2018-10-12"}"#,
            "an integer or a string of digits",
        ),
        (
            &format!(
                r#"{{"http":"Thu, 25 Jan 2024 15:07:46 GMT","millis":{},"on":"2018-10-12"}}"#,
                i64::MAX
            ),
            "epoch milliseconds out of range",
        ),
        (
            r#"{"http":"Thu, 25 Jan 2024 15:07:46 GMT","millis":0,"on":"12/10/2018"}"#,
            "not a YYYY-MM-DD date",
        ),
    ] {
        let err = serde_json::from_str::<Dates>(json).unwrap_err().to_string();
        assert!(err.contains(wanted), "{json}: {err}");
    }
}

#[test]
fn a_provider_body_is_read_only_from_a_json_object() {
    use payments_common::serde::Object;
    #[derive(Debug, Deserialize, PartialEq)]
    struct Refusal {
        status: String,
        code: u16,
    }
    let Object(read) =
        serde_json::from_str::<Object<Refusal>>(r#"{"code":500,"status":"FAIL"}"#).unwrap();
    assert_eq!(
        read,
        Refusal {
            status: "FAIL".into(),
            code: 500
        }
    );
    // The derived reader alone takes an array positionally; through Object it is refused,
    // and the error says what was expected.
    assert!(serde_json::from_str::<Refusal>(r#"["FAIL",500]"#).is_ok());
    let err = serde_json::from_str::<Object<Refusal>>(r#"["FAIL",500]"#).unwrap_err();
    assert!(err.to_string().contains("a JSON object"), "{err}");
    for other in [r#""FAIL""#, "500", "null", "true"] {
        assert!(
            serde_json::from_str::<Object<Refusal>>(other).is_err(),
            "{other}"
        );
    }
    // A field of the wrong type inside the object is still refused.
    assert!(serde_json::from_str::<Object<Refusal>>(r#"{"status":"FAIL","code":"x"}"#).is_err());
}
