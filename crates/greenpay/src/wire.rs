//! What goes on the wire, and the few GreenPay-specific adapters the models share.

use std::fmt;

use payments_common::{Currency, Money, SecretString};
use secrecy::ExposeSecret;
use serde::de::{self, Deserializer, IgnoredAny, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A request body with the credentials GreenPay expects inside it.
#[derive(Serialize)]
pub(crate) struct Authenticated<'a, T: Serialize> {
    #[serde(flatten)]
    pub(crate) body: &'a T,
    #[serde(rename = "merchantId")]
    pub(crate) merchant_id: &'a str,
    #[serde(rename = "secret", serialize_with = "expose_secret")]
    pub(crate) secret: &'a SecretString,
    #[serde(rename = "terminal", skip_serializing_if = "Option::is_none")]
    pub(crate) terminal: Option<&'a str>,
}

/// The one place the secret leaves its wrapper: while the body is serialized.
fn expose_secret<S: Serializer>(secret: &&SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(secret.expose_secret())
}

/// Deserializes `T` from an object, reading an empty array (`"result": []`) or `null` as
/// `T::default()`.
///
/// GreenPay sends `result` as an object on success and `[]` on failure. The object is handed
/// to `T` directly (no buffering), so a decode error keeps the JSON path of the bad field.
pub(crate) fn object_or_empty<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de> + Default> Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object, an empty array or null")
        }
        fn visit_unit<E: de::Error>(self) -> Result<T, E> {
            Ok(T::default())
        }
        fn visit_none<E: de::Error>(self) -> Result<T, E> {
            Ok(T::default())
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
            match seq.next_element::<IgnoredAny>()? {
                None => Ok(T::default()),
                Some(_) => Err(de::Error::custom(
                    "expected an object or an empty array, found a non-empty array",
                )),
            }
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_any(V(std::marker::PhantomData))
}

/// A scalar that GreenPay may send as a string or a number (ISO 8583 fields, ids), kept as text.
pub(crate) mod text_or_number {
    use super::*;

    struct TextVisitor;

    impl Visitor<'_> for TextVisitor {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string, a number or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
    }

    /// `Option<String>` from a string, an integer, a boolean or `null`.
    pub(crate) fn option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(TextVisitor)
    }

    /// `String` from a string or an integer.
    pub(crate) fn required<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        option(d)?.ok_or_else(|| de::Error::custom("expected a string or a number, found null"))
    }
}

/// A GreenPay major-unit amount (decimal text) in `currency`, exactly.
pub(crate) fn money(text: &str, currency: Currency) -> Result<Money, String> {
    Money::parse(text, currency).map_err(|e| format!("amount {text:?} in {currency}: {e}"))
}

/// Serializes an optional [`Money`] as a major-unit number (`None` is skipped by the caller).
pub(crate) fn serialize_option_money<S: Serializer>(
    m: &Option<Money>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match m {
        Some(m) => payments_common::serde::decimal_text::serialize_money(m, s),
        None => s.serialize_none(),
    }
}

/// Serializes an optional timestamp as epoch milliseconds (`None` is skipped by the caller).
pub(crate) fn serialize_option_epoch_millis<S: Serializer>(
    t: &Option<time::OffsetDateTime>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => payments_common::serde::epoch_millis::serialize(t, s),
        None => s.serialize_none(),
    }
}
