//! How JataPay puts money and dates on the wire, declared once.
//!
//! - `importo` is an integer number of euro cents (JSON number; a numeric string is tolerated
//!   when reading). Only EUR exists at JataPay.
//! - Dates are RFC 1123 / HTTP-dates (`Thu, 25 Jan 2024 15:07:46 GMT`); reading also accepts
//!   RFC 3339 in case the backend changes its serialisation, and writing uses RFC 1123.

use payments_common::{Currency, Money};
use serde::{Deserializer, Serializer};
use time::OffsetDateTime;

/// The only currency JataPay documents.
pub(crate) const CURRENCY: Currency = Currency::EUR;

/// `importo`: euro cents.
pub(crate) mod cents {
    use super::*;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        let cents = payments_common::serde::int_or_string::deserialize(d)?;
        Ok(Money::from_minor_units(cents, CURRENCY))
    }

    pub(crate) fn serialize<S: Serializer>(money: &Money, s: S) -> Result<S::Ok, S::Error> {
        if money.currency() != CURRENCY {
            return Err(serde::ser::Error::custom("importo must be in EUR"));
        }
        s.serialize_i64(money.minor_units())
    }
}

/// Optional RFC 1123 dates (RFC 3339 also read).
pub(crate) mod http_date_option {
    use super::*;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        payments_common::serde::flexible_datetime::option::deserialize(d)
    }

    pub(crate) fn serialize<S: Serializer>(
        t: &Option<OffsetDateTime>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&payments_common::serde::format_http_date(*t)),
            None => s.serialize_none(),
        }
    }
}
