//! `serde` adapters for the wire quirks several providers share.
//!
//! Use them with `#[serde(with = "…")]` or `#[serde(deserialize_with = "…")]`:
//!
//! ```
//! use serde::Deserialize;
//! use time::OffsetDateTime;
//!
//! #[derive(Deserialize)]
//! struct Product {
//!     #[serde(deserialize_with = "payments_common::serde::int_or_string::deserialize")]
//!     amount: i64,
//!     #[serde(default, deserialize_with = "payments_common::serde::int_or_string::deserialize_option")]
//!     quantity: Option<i64>,
//!     #[serde(with = "payments_common::serde::rfc3339")]
//!     created_at: OffsetDateTime,
//! }
//! let p: Product = serde_json::from_str(r#"{"amount":"990","quantity":null,"created_at":"2022-12-20T18:54:42.033Z"}"#)?;
//! assert_eq!(p.amount, 990);
//! assert_eq!(p.quantity, None);
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::fmt;

use serde::Deserialize;
use serde::Serializer;
use serde::de::{self, Deserializer, Visitor};
use time::format_description::well_known::{Rfc2822, Rfc3339};
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// Integers sent as JSON numbers or as numeric strings (`990` or `"990"`).
///
/// A string must be an optional `-` and ASCII digits; fractions, exponents and blanks are errors.
pub mod int_or_string {
    use super::*;

    struct IntVisitor;

    impl<'de> Visitor<'de> for IntVisitor {
        type Value = i64;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an integer or a string of digits")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
            Ok(v)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
            i64::try_from(v).map_err(|_| E::custom("integer out of range"))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
            parse_int(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }

    fn parse_int(v: &str) -> Option<i64> {
        let digits = v.strip_prefix('-').unwrap_or(v);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        v.parse().ok()
    }

    /// Deserializes an `i64` from a number or a numeric string.
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// struct A { #[serde(deserialize_with = "payments_common::serde::int_or_string::deserialize")] n: i64 }
    /// assert_eq!(serde_json::from_str::<A>(r#"{"n":"-5"}"#)?.n, -5);
    /// assert!(serde_json::from_str::<A>(r#"{"n":"5.0"}"#).is_err());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        d.deserialize_any(IntVisitor)
    }

    /// Deserializes an `Option<i64>`: `null` is `None`. Use with `#[serde(default)]` so that an
    /// absent field is `None` too.
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// struct A { #[serde(default, deserialize_with = "payments_common::serde::int_or_string::deserialize_option")] n: Option<i64> }
    /// assert_eq!(serde_json::from_str::<A>(r#"{"n":null}"#)?.n, None);
    /// assert_eq!(serde_json::from_str::<A>(r#"{}"#)?.n, None);
    /// assert_eq!(serde_json::from_str::<A>(r#"{"n":"7"}"#)?.n, Some(7));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn deserialize_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        struct OptVisitor;
        impl<'de> Visitor<'de> for OptVisitor {
            type Value = Option<i64>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("null, an integer or a string of digits")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(IntVisitor).map(Some)
            }
        }
        d.deserialize_option(OptVisitor)
    }
}

/// Exact decimal text of an amount sent as a JSON number (`100`, `5500.99`) or a string
/// (`"10"`), for providers that count in major units. Feed the text to
/// [`Money::parse`](crate::Money::parse) with the currency.
///
/// A JSON number is read from **its own text**, never through `f64`: `100.000000000000001`
/// stays `100.000000000000001` (which `Money::parse` then refuses for USD as excess
/// precision, as it does for the same string) and `12345678901234567.89` stays exact. A number
/// in exponent form (`1.5e2`) is written out in plain digits (`150`).
///
/// The exact text is available when the value is decoded by serde_json directly
/// (`from_slice`, `from_str`, `from_reader`, also through `serde_path_to_error` and custom
/// `MapAccess` wrappers). Where a decoder buffers the value first (`#[serde(untagged)]`,
/// `#[serde(flatten)]`), serde has already turned a fractional number into an `f64`: this
/// adapter then refuses it (an error, not a rounding); integers and strings are still read
/// exactly. A `serde_json::Value` holds fractional numbers as `f64` too: do not decode amounts
/// from one.
pub mod decimal_text {
    use super::*;

    /// The name serde_json's `raw_value` feature recognises to hand a value over as its text.
    const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

    /// The longest exponent accepted in a JSON number (`1e40`): beyond that no amount fits.
    const MAX_EXPONENT: i64 = 40;

    /// Receives the value's raw JSON text (serde_json) or, from a buffering decoder, the value.
    struct RawVisitor;

    impl<'de> Visitor<'de> for RawVisitor {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal number or a string holding one")
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
            // serde_json hands a raw value over as a one-entry map: the token, then the text.
            let key: Option<std::borrow::Cow<'de, str>> = map.next_key()?;
            if key.as_deref() != Some(RAW_VALUE_TOKEN) {
                return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
            }
            let raw: std::borrow::Cow<'de, str> = map.next_value()?;
            from_raw_json(&raw).map_err(de::Error::custom)
        }
        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
            // A buffering decoder (or a serde_json::Value) passed the value itself.
            d.deserialize_any(BufferedVisitor)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            BufferedVisitor.visit_i64(v)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            BufferedVisitor.visit_u64(v)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
            BufferedVisitor.visit_f64(v)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            BufferedVisitor.visit_str(v)
        }
    }

    /// The value as a buffering decoder passes it: integers and strings are exact; a
    /// fractional number has already been turned into an `f64`, whose text is not the
    /// provider's, so it is refused.
    struct BufferedVisitor;

    impl Visitor<'_> for BufferedVisitor {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal number or a string holding one")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<String, E> {
            Err(E::custom(
                "a fractional JSON number reached the amount through a buffering decoder, \
                 where its exact text is lost; decode the amount with serde_json directly",
            ))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
    }

    /// The decimal text of a raw JSON value: a string's content, or a number's digits
    /// (exponent form written out).
    fn from_raw_json(raw: &str) -> Result<String, String> {
        let raw = raw.trim();
        if raw.starts_with('"') {
            return serde_json::from_str::<String>(raw).map_err(|e| e.to_string());
        }
        plain_decimal(raw).ok_or_else(|| {
            let shown: String = raw.chars().take(40).collect();
            format!("expected a decimal number or a string holding one, found `{shown}`")
        })
    }

    /// A JSON number's text (`-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`) in plain decimal
    /// digits, or `None` when it is not one (or its exponent is beyond any amount).
    fn plain_decimal(number: &str) -> Option<String> {
        let (mantissa, exponent) = match number.find(['e', 'E']) {
            Some(at) => {
                let exp = number.get(at + 1..)?;
                let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                // JSON allows leading zeros in an exponent (`1e002` is 100). Past them, a
                // long exponent is beyond any amount: no parse overflow to worry about.
                let value: i64 = if digits.trim_start_matches('0').len() > 4 {
                    MAX_EXPONENT + 1
                } else {
                    digits.parse().ok()?
                };
                let value = if exp.starts_with('-') { -value } else { value };
                (number.get(..at)?, value)
            }
            None => (number, 0),
        };
        let (negative, unsigned) = match mantissa.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, mantissa),
        };
        let (int_part, frac_part) = match unsigned.split_once('.') {
            Some((i, f)) => (i, f),
            None => (unsigned, ""),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int_part.is_empty()
            || !digits(int_part)
            || (int_part.len() > 1 && int_part.starts_with('0'))
            || (unsigned.contains('.') && frac_part.is_empty())
            || !digits(frac_part)
        {
            return None;
        }
        if exponent == 0 {
            return Some(mantissa.to_owned());
        }
        if exponent.abs() > MAX_EXPONENT {
            return None;
        }
        // Move the decimal point `exponent` places in the digit string.
        let all: String = [int_part, frac_part].concat();
        let point = i64::try_from(int_part.len()).ok()? + exponent;
        let (int_digits, frac_digits) = if point <= 0 {
            let zeros = "0".repeat(usize::try_from(-point).ok()?);
            ("0".to_owned(), format!("{zeros}{all}"))
        } else {
            let point = usize::try_from(point).ok()?;
            if point >= all.len() {
                (format!("{all:0<point$}"), String::new())
            } else {
                let (i, f) = all.split_at(point);
                (i.to_owned(), f.to_owned())
            }
        };
        let int_digits = int_digits.trim_start_matches('0');
        let int_digits = if int_digits.is_empty() {
            "0"
        } else {
            int_digits
        };
        let sign = if negative { "-" } else { "" };
        Some(if frac_digits.is_empty() {
            format!("{sign}{int_digits}")
        } else {
            format!("{sign}{int_digits}.{frac_digits}")
        })
    }

    /// Deserializes the decimal text.
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// struct A { #[serde(deserialize_with = "payments_common::serde::decimal_text::deserialize")] amount: String }
    /// assert_eq!(serde_json::from_str::<A>(r#"{"amount":5500.99}"#)?.amount, "5500.99");
    /// assert_eq!(serde_json::from_str::<A>(r#"{"amount":100}"#)?.amount, "100");
    /// assert_eq!(serde_json::from_str::<A>(r#"{"amount":"10"}"#)?.amount, "10");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        d.deserialize_newtype_struct(RAW_VALUE_TOKEN, RawVisitor)
    }

    /// Serializes `money` as a JSON number in major units with exactly its decimal text
    /// (`100`, `5500.99`). Amounts a JavaScript peer would not read exactly are refused (see
    /// [`validate::js_safe_amount`](crate::validate::js_safe_amount), which a request builder
    /// calls first to name the field): more than 2^53 whole units, or more than 15 significant
    /// digits with a fraction.
    ///
    /// ```
    /// use payments_common::{Currency, Money};
    /// #[derive(serde::Serialize)]
    /// struct A { #[serde(serialize_with = "payments_common::serde::decimal_text::serialize_money")] amount: Money }
    /// let a = A { amount: Money::parse("5500.99", Currency::CRC).unwrap() };
    /// assert_eq!(serde_json::to_string(&a)?, r#"{"amount":5500.99}"#);
    /// let b = A { amount: Money::parse("100.00", Currency::USD).unwrap() };
    /// assert_eq!(serde_json::to_string(&b)?, r#"{"amount":100}"#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn serialize_money<S: Serializer>(money: &crate::Money, s: S) -> Result<S::Ok, S::Error> {
        crate::validate::js_safe_amount("amount", *money)
            .map_err(|e| serde::ser::Error::custom(e.to_string()))?;
        let (_, _, scale) = money.minimal_parts();
        if scale == 0 {
            // A whole number of major units: the division is exact, and the sign is kept.
            // (10^exponent beyond i64 leaves only zero with no decimals.)
            let whole = 10i64
                .checked_pow(u32::from(money.currency().exponent()))
                .map_or(0, |unit| money.minor_units() / unit);
            return s.serialize_i64(whole);
        }
        // The amount's own digits, written as the JSON number's text: no float on the way.
        let raw = serde_json::value::RawValue::from_string(money.to_minimal_decimal_string())
            .map_err(serde::ser::Error::custom)?;
        serde::Serialize::serialize(&raw, s)
    }

    #[cfg(test)]
    mod tests {
        use super::plain_decimal;

        #[test]
        fn json_number_text_is_written_out_exactly() {
            for (number, plain) in [
                ("100", Some("100")),
                ("-0.05", Some("-0.05")),
                ("100.000000000000001", Some("100.000000000000001")),
                ("1.5e2", Some("150")),
                ("1.5E+2", Some("150")),
                ("1450e-2", Some("14.50")),
                ("5e-3", Some("0.005")),
                ("-12.5e1", Some("-125")),
                ("0e5", Some("0")),
                ("1e999999999999", None),
                // Leading zeros in an exponent are valid JSON and do not count as its length.
                ("1e002", Some("100")),
                ("1e0000000002", Some("100")),
                ("1e0040", Some("10000000000000000000000000000000000000000")),
                ("1e40", Some("10000000000000000000000000000000000000000")),
                ("1e-40", Some("0.0000000000000000000000000000000000000001")),
                ("1e41", None),
                ("1e-41", None),
                ("1e00041", None),
                ("1e99999", None),
                // Only digits after the one sign of an exponent or in a fraction.
                ("1e++5", None),
                ("1e+-5", None),
                ("1.2x", None),
                ("1.-5", None),
                ("-", None),
                ("01", None),
                ("1.", None),
                (".5", None),
                ("1e", None),
                ("--1", None),
                ("true", None),
                ("", None),
            ] {
                assert_eq!(plain_decimal(number).as_deref(), plain, "{number}");
            }
        }
    }
}

/// RFC 3339 timestamps (`2022-12-20T18:54:42.033Z`), the `time` crate's own adapter.
pub use time::serde::rfc3339;

/// Parses an HTTP-date / RFC 1123 timestamp such as `Thu, 25 Jan 2024 15:07:46 GMT`.
///
/// ```
/// let t = payments_common::serde::parse_http_date("Thu, 25 Jan 2024 15:07:46 GMT")?;
/// assert_eq!(t.unix_timestamp(), 1_706_195_266);
/// # Ok::<(), time::error::Parse>(())
/// ```
pub fn parse_http_date(text: &str) -> Result<OffsetDateTime, time::error::Parse> {
    // An HTTP-date is an RFC 2822 date with the zone `GMT`: `time`'s RFC 2822 parser reads it
    // in a fraction of the cost of a general format description (which stays the fallback).
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc2822) {
        return Ok(t.to_offset(UtcOffset::UTC));
    }
    let format = format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    PrimitiveDateTime::parse(text, format).map(PrimitiveDateTime::assume_utc)
}

/// Formats a timestamp as an HTTP-date (`Thu, 25 Jan 2024 15:07:46 GMT`), in UTC.
///
/// ```
/// let t = payments_common::serde::parse_http_date("Thu, 25 Jan 2024 15:07:46 GMT")?;
/// assert_eq!(payments_common::serde::format_http_date(t), "Thu, 25 Jan 2024 15:07:46 GMT");
/// # Ok::<(), time::error::Parse>(())
/// ```
pub fn format_http_date(t: OffsetDateTime) -> String {
    let format = format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    t.to_offset(UtcOffset::UTC)
        .format(format)
        .unwrap_or_default()
}

/// Parses any of the timestamp forms providers send: RFC 3339, RFC 3339 with a `+hhmm`
/// offset, RFC 1123 / HTTP-date, a date alone (midnight UTC), or epoch milliseconds.
///
/// ```
/// use payments_common::serde::parse_flexible_datetime as parse;
/// assert_eq!(parse("2018-10-12")?.unix_timestamp(), 1_539_302_400);
/// assert_eq!(parse("1536991200000")?.unix_timestamp(), 1_536_991_200);
/// assert_eq!(parse("2030-12-30T21:21:46+0000")?.year(), 2030);
/// assert!(parse("tomorrow").is_err());
/// # Ok::<(), String>(())
/// ```
pub fn parse_flexible_datetime(text: &str) -> Result<OffsetDateTime, String> {
    // An HTTP-date starts with its weekday; every other form starts with a digit. Going to the
    // right parser first keeps a JataPay date from paying for a failed RFC 3339 attempt.
    if text.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return parse_http_date(text).map_err(|e| format!("not an RFC 1123 date ({e}): {text:?}"));
    }
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(t);
    }
    let compact_offset = format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]][offset_hour sign:mandatory][offset_minute]"
    );
    if let Ok(t) = OffsetDateTime::parse(text, compact_offset) {
        return Ok(t);
    }
    if let Ok(d) = Date::parse(text, format_description!("[year]-[month]-[day]")) {
        return Ok(d.midnight().assume_utc());
    }
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        let millis: i64 = text
            .parse()
            .map_err(|_| format!("epoch milliseconds out of range: {text:?}"))?;
        return from_epoch_millis(millis);
    }
    Err(format!("not a recognised timestamp: {text:?}"))
}

/// The instant `millis` milliseconds after the Unix epoch, or an error naming the value when
/// it is out of `time`'s range.
///
/// ```
/// let t = payments_common::serde::from_epoch_millis(1_536_991_200_000)?;
/// assert_eq!(t.unix_timestamp(), 1_536_991_200);
/// assert!(payments_common::serde::from_epoch_millis(i64::MAX).is_err());
/// # Ok::<(), String>(())
/// ```
pub fn from_epoch_millis(millis: i64) -> Result<OffsetDateTime, String> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .map_err(|_| format!("epoch milliseconds out of range: {millis}"))
}

struct FlexibleVisitor;

impl Visitor<'_> for FlexibleVisitor {
    type Value = OffsetDateTime;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a timestamp (RFC 3339, RFC 1123, a date, or epoch milliseconds)")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        from_epoch_millis(v).map_err(E::custom)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        let v = i64::try_from(v).map_err(|_| E::custom("epoch milliseconds out of range"))?;
        from_epoch_millis(v).map_err(E::custom)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        parse_flexible_datetime(v).map_err(E::custom)
    }
}

/// Timestamps in any form [`parse_flexible_datetime`] reads, also epoch milliseconds as a JSON
/// number; serialized back as RFC 3339.
///
/// ```
/// use time::OffsetDateTime;
/// #[derive(serde::Deserialize, serde::Serialize)]
/// struct A { #[serde(with = "payments_common::serde::flexible_datetime")] at: OffsetDateTime }
/// let a: A = serde_json::from_str(r#"{"at":1536991200000}"#)?;
/// assert_eq!(serde_json::to_string(&a)?, r#"{"at":"2018-09-15T06:00:00Z"}"#);
/// let b: A = serde_json::from_str(r#"{"at":"Thu, 25 Jan 2024 15:07:46 GMT"}"#)?;
/// assert_eq!(b.at.unix_timestamp(), 1_706_195_266);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub mod flexible_datetime {
    use super::*;

    /// Deserializes a timestamp in any accepted form.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        d.deserialize_any(FlexibleVisitor)
    }

    /// Serializes as RFC 3339.
    pub fn serialize<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        rfc3339::serialize(t, s)
    }

    /// The same for `Option<OffsetDateTime>`: `null` (or, with `#[serde(default)]`, absence)
    /// is `None`.
    ///
    /// ```
    /// use time::OffsetDateTime;
    /// #[derive(serde::Deserialize, serde::Serialize)]
    /// struct A { #[serde(default, with = "payments_common::serde::flexible_datetime::option")] at: Option<OffsetDateTime> }
    /// assert!(serde_json::from_str::<A>(r#"{"at":null}"#)?.at.is_none());
    /// assert!(serde_json::from_str::<A>(r#"{"at":"2019-01-15T00:00:00.000Z"}"#)?.at.is_some());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub mod option {
        use super::*;

        /// Deserializes an optional timestamp.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<OffsetDateTime>, D::Error> {
            struct OptVisitor;
            impl<'de> Visitor<'de> for OptVisitor {
                type Value = Option<OffsetDateTime>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("null or a timestamp")
                }
                fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                    Ok(None)
                }
                fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                    Ok(None)
                }
                fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                    d.deserialize_any(FlexibleVisitor).map(Some)
                }
            }
            d.deserialize_option(OptVisitor)
        }

        /// Serializes as RFC 3339 or `null`.
        pub fn serialize<S: Serializer>(
            t: &Option<OffsetDateTime>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            rfc3339::option::serialize(t, s)
        }
    }
}

/// RFC 1123 / HTTP-date timestamps (`Thu, 25 Jan 2024 15:07:46 GMT`), as JataPay sends them.
///
/// ```
/// use time::OffsetDateTime;
/// #[derive(serde::Deserialize, serde::Serialize)]
/// struct A { #[serde(with = "payments_common::serde::rfc1123")] at: OffsetDateTime }
/// let a: A = serde_json::from_str(r#"{"at":"Thu, 25 Jan 2024 15:07:46 GMT"}"#)?;
/// assert_eq!(serde_json::to_string(&a)?, r#"{"at":"Thu, 25 Jan 2024 15:07:46 GMT"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub mod rfc1123 {
    use super::*;
    use serde::Deserialize;

    /// Deserializes an HTTP-date.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        parse_http_date(&text)
            .map_err(|e| de::Error::custom(format_args!("not an RFC 1123 date ({e}): {text:?}")))
    }

    /// Serializes as an HTTP-date in UTC.
    pub fn serialize<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_http_date(*t))
    }
}

/// Epoch milliseconds, as a JSON number or a string of digits (GreenPay sends both).
///
/// ```
/// use time::OffsetDateTime;
/// #[derive(serde::Deserialize, serde::Serialize)]
/// struct A { #[serde(with = "payments_common::serde::epoch_millis")] at: OffsetDateTime }
/// let a: A = serde_json::from_str(r#"{"at":"1536991200000"}"#)?;
/// assert_eq!(serde_json::to_string(&a)?, r#"{"at":1536991200000}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub mod epoch_millis {
    use super::*;

    /// Deserializes epoch milliseconds from a number or a string of digits.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let millis = int_or_string::deserialize(d)?;
        from_epoch_millis(millis).map_err(de::Error::custom)
    }

    /// Serializes as a JSON number of milliseconds.
    pub fn serialize<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        let millis = t.unix_timestamp_nanos() / 1_000_000;
        s.serialize_i64(i64::try_from(millis).map_err(serde::ser::Error::custom)?)
    }
}

/// A calendar date alone (`2018-10-12`).
///
/// ```
/// use time::Date;
/// #[derive(serde::Deserialize, serde::Serialize)]
/// struct A { #[serde(with = "payments_common::serde::date_only")] on: Date }
/// let a: A = serde_json::from_str(r#"{"on":"2018-10-12"}"#)?;
/// assert_eq!(serde_json::to_string(&a)?, r#"{"on":"2018-10-12"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub mod date_only {
    use super::*;
    use serde::Deserialize;

    /// Deserializes `YYYY-MM-DD`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Date::parse(&text, format_description!("[year]-[month]-[day]"))
            .map_err(|e| de::Error::custom(format_args!("not a YYYY-MM-DD date ({e}): {text:?}")))
    }

    /// Serializes as `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        let text = d
            .format(format_description!("[year]-[month]-[day]"))
            .map_err(serde::ser::Error::custom)?;
        s.serialize_str(&text)
    }
}

/// `T` read only from a JSON **object**.
///
/// A struct derived with serde also reads a JSON array, positionally: `["FAIL", 500]` would be
/// `{"status": "FAIL", "code": 500}`. No provider's error body or envelope is an array, so a
/// reader that decides "this is the provider's own refusal" must not accept one: an array
/// from a proxy or gateway is JSON of another shape, and gets the generic mapping.
///
/// ```
/// use payments_common::serde::Object;
/// #[derive(serde::Deserialize)]
/// struct Refusal { status: String, code: u16 }
///
/// let Object(r) = serde_json::from_str::<Object<Refusal>>(r#"{"status":"FAIL","code":500}"#)?;
/// assert_eq!((r.status.as_str(), r.code), ("FAIL", 500));
/// // The derived reader alone would take the array; through `Object` it is refused.
/// assert!(serde_json::from_str::<Refusal>(r#"["FAIL",500]"#).is_ok());
/// assert!(serde_json::from_str::<Object<Refusal>>(r#"["FAIL",500]"#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
            type Value = Object<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Object<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Object)
            }
        }
        d.deserialize_map(ObjectVisitor(std::marker::PhantomData))
    }
}
