//! The models several endpoints share: subscription statuses, the cadence, and the
//! subscription record that cancel and both updates return.

use std::fmt;

use payments_common::{Currency, Error, Money};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::CardToken;
use crate::wire;

payments_common::open_enum! {
    /// A subscription's state.
    ///
    /// GreenPay's general page lists Not paid, Active, On hold (after three failed charges),
    /// Pending (the bank refused the authorisation) and Cancelled (final). The wire spellings
    /// `ACTIVE`, `NOT_PAID` and `CANCELLED` appear in responses; `ON_HOLD`, `PENDING` and
    /// `CANCELED` only in the list-filter example, so their response spelling is *inferred*.
    /// `CANCELLED` and `CANCELED` both read as [`SubscriptionStatus::Cancelled`].
    pub enum SubscriptionStatus {
        /// `ACTIVE`: charged on its cadence.
        Active = "ACTIVE",
        /// `NOT_PAID`: the last charge was not collected.
        NotPaid = "NOT_PAID",
        /// `ON_HOLD`: three charges failed; GreenPay stops retrying.
        OnHold = "ON_HOLD",
        /// `PENDING`: the bank authorisation failed.
        Pending = "PENDING",
        /// `CANCELLED` (or `CANCELED`): final.
        Cancelled = "CANCELLED" | "CANCELED",
    }
}

payments_common::open_enum! {
    /// How a cadence counts: GreenPay documents only `EVERY`.
    pub enum CadenceMode {
        /// `EVERY`: every `every` units.
        Every = "EVERY",
    }
}

payments_common::open_enum! {
    /// The unit of a cadence. GreenPay supports only `MONTH` for new subscriptions; `DAY`
    /// appears in a list example (`"EVERY 15 DAY"`) and is accepted when reading.
    pub enum CadenceUnit {
        /// `MONTH`.
        Month = "MONTH",
        /// `DAY` (seen in a list example only).
        Day = "DAY",
    }
}

/// How often a subscription is charged.
///
/// GreenPay writes it as an object in create and update (`{"day":15,"mode":"EVERY",
/// "unit":"MONTH","every":1}`) and as text in lists (`"EVERY 1 MONTH"`, `"EVERY 15 DAY"`);
/// both read into this one type, which is always written back as the object.
///
/// ```
/// use greenpay::subscriptions::{Cadence, CadenceUnit};
/// let c: Cadence = serde_json::from_str(r#""EVERY 15 DAY""#)?;
/// assert_eq!((c.every, c.unit.clone()), (15, CadenceUnit::Day));
/// let m: Cadence = serde_json::from_str(r#"{"day":15,"mode":"EVERY","unit":"MONTH","every":1}"#)?;
/// assert_eq!(m, Cadence::monthly().on_day(15));
/// assert_eq!(serde_json::to_string(&Cadence::every_months(3))?, r#"{"mode":"EVERY","unit":"MONTH","every":3}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct Cadence {
    /// `day`: the day of the month charges fall on (in update/cancel records; not documented
    /// as a create parameter, so only sent when set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day: Option<u8>,
    /// `mode`: `EVERY`.
    pub mode: CadenceMode,
    /// `unit`: `MONTH` (or `DAY` when read from a list).
    pub unit: CadenceUnit,
    /// `every`: how many units between charges.
    pub every: u32,
}

impl Cadence {
    /// Once a month.
    pub fn monthly() -> Self {
        Cadence::every_months(1)
    }

    /// Every `months` months.
    pub fn every_months(months: u32) -> Self {
        Cadence {
            day: None,
            mode: CadenceMode::Every,
            unit: CadenceUnit::Month,
            every: months,
        }
    }

    /// Sets the day of the month (`day`; 1–31). Undocumented as a create parameter: GreenPay
    /// shows it only in the records it returns.
    pub fn on_day(mut self, day: u8) -> Self {
        self.day = Some(day);
        self
    }

    /// Checks what GreenPay documents for new subscriptions: `EVERY` n `MONTH`, n ≥ 1.
    pub(crate) fn validate(&self, field: &str) -> Result<(), Error> {
        if self.mode != CadenceMode::Every {
            return Err(Error::invalid(
                format!("{field}.mode"),
                "GreenPay supports only EVERY",
            ));
        }
        if self.unit != CadenceUnit::Month {
            return Err(Error::invalid(
                format!("{field}.unit"),
                "GreenPay supports only MONTH",
            ));
        }
        if self.every == 0 {
            return Err(Error::invalid(
                format!("{field}.every"),
                "must be at least 1",
            ));
        }
        if let Some(day) = self.day
            && !(1..=31).contains(&day)
        {
            return Err(Error::invalid(
                format!("{field}.day"),
                "must be between 1 and 31",
            ));
        }
        Ok(())
    }
}

impl fmt::Display for Cadence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.mode, self.every, self.unit)
    }
}

impl<'de> Deserialize<'de> for Cadence {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Object {
            #[serde(
                default,
                deserialize_with = "payments_common::serde::int_or_string::deserialize_option"
            )]
            day: Option<i64>,
            mode: CadenceMode,
            unit: CadenceUnit,
            #[serde(deserialize_with = "payments_common::serde::int_or_string::deserialize")]
            every: i64,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Text(String),
            Object(Object),
        }
        match Wire::deserialize(d)? {
            Wire::Text(text) => parse_cadence(&text).map_err(de::Error::custom),
            Wire::Object(o) => Ok(Cadence {
                day: o
                    .day
                    .map(|d| {
                        u8::try_from(d).map_err(|_| de::Error::custom("cadence day out of range"))
                    })
                    .transpose()?,
                mode: o.mode,
                unit: o.unit,
                every: u32::try_from(o.every)
                    .map_err(|_| de::Error::custom("cadence every out of range"))?,
            }),
        }
    }
}

/// `"EVERY 1 MONTH"` → mode, count, unit.
fn parse_cadence(text: &str) -> Result<Cadence, String> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    match parts.as_slice() {
        [mode, every, unit] => {
            let every = every
                .parse::<u32>()
                .map_err(|_| format!("cadence count is not a number: {text:?}"))?;
            Ok(Cadence {
                day: None,
                mode: CadenceMode::from(*mode),
                unit: CadenceUnit::from(*unit),
                every,
            })
        }
        _ => Err(format!("cadence is not \"<MODE> <n> <UNIT>\": {text:?}")),
    }
}

/// One scheduled charge of a subscription record (`purchase_order.subscription[]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ScheduledCharge {
    /// `amount`: what each charge collects (major units on the wire, e.g. `5500.99`), in the
    /// purchase order's currency.
    #[serde(serialize_with = "payments_common::serde::decimal_text::serialize_money")]
    pub amount: Money,
    /// `cadence`: how often it is charged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cadence: Option<Cadence>,
    /// `startDate`: the first charge (epoch milliseconds on the wire).
    #[serde(
        rename = "startDate",
        serialize_with = "wire::serialize_option_epoch_millis"
    )]
    pub start_date: Option<OffsetDateTime>,
    /// `endDate`: when charges stop; `None` means never.
    #[serde(
        rename = "endDate",
        serialize_with = "wire::serialize_option_epoch_millis"
    )]
    pub end_date: Option<OffsetDateTime>,
}

/// The purchase order inside a subscription record (`purchase_order`).
///
/// GreenPay echoes the merchant's **secret** in `purchase_order.secret`; this SDK drops it on
/// decoding, so it is never kept, printed or logged.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PurchaseOrder {
    /// `currency`: the currency of every amount of the subscription.
    pub currency: Currency,
    /// `optional`: the merchant's free-form data given at creation, as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optional: Option<serde_json::Value>,
    /// `terminal`: the terminal the subscription is charged through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminal: Option<String>,
    /// `description`: the subscription's description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `subscription`: the scheduled charges (one in every documented example).
    pub subscription: Vec<ScheduledCharge>,
}

impl<'de> Deserialize<'de> for PurchaseOrder {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Charge {
            #[serde(deserialize_with = "payments_common::serde::decimal_text::deserialize")]
            amount: String,
            #[serde(default)]
            cadence: Option<Cadence>,
            #[serde(
                rename = "startDate",
                default,
                with = "payments_common::serde::flexible_datetime::option"
            )]
            start_date: Option<OffsetDateTime>,
            #[serde(
                rename = "endDate",
                default,
                with = "payments_common::serde::flexible_datetime::option"
            )]
            end_date: Option<OffsetDateTime>,
        }
        // `secret` is deliberately not a field: the echoed merchant secret is skipped unread.
        #[derive(Deserialize)]
        struct Order {
            currency: Currency,
            #[serde(default)]
            optional: Option<serde_json::Value>,
            #[serde(default)]
            terminal: Option<String>,
            #[serde(default)]
            description: Option<String>,
            #[serde(default)]
            subscription: Vec<Charge>,
        }
        let o = Order::deserialize(d)?;
        let subscription = o
            .subscription
            .into_iter()
            .map(|c| {
                Ok(ScheduledCharge {
                    amount: wire::money(&c.amount, o.currency).map_err(de::Error::custom)?,
                    cadence: c.cadence,
                    start_date: c.start_date,
                    end_date: c.end_date,
                })
            })
            .collect::<Result<Vec<_>, D::Error>>()?;
        Ok(PurchaseOrder {
            currency: o.currency,
            optional: o.optional,
            terminal: o.terminal,
            description: o.description,
            subscription,
        })
    }
}

/// A subscription as cancel, update amount and update card token return it (`result`).
///
/// GreenPay's excerpt of this record is cut off; fields it does not show are ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SubscriptionRecord {
    /// `id`: GreenPay's internal record number (`"3"`) — **not** the 32-hex
    /// [`SubscriptionId`](super::SubscriptionId) the other endpoints take.
    #[serde(deserialize_with = "wire::text_or_number::required")]
    pub id: String,
    /// `merchant_id`: the merchant's id.
    #[serde(default)]
    pub merchant_id: Option<String>,
    /// `status`: the subscription's state (`CANCELLED` after a cancel).
    pub status: SubscriptionStatus,
    /// `user_id`: the merchant's customer id given at creation.
    #[serde(default)]
    pub user_id: Option<String>,
    /// `user_type`: undocumented (always `1` in the examples).
    #[serde(
        default,
        deserialize_with = "payments_common::serde::int_or_string::deserialize_option"
    )]
    pub user_type: Option<i64>,
    /// `card_tokens`: the card tokens charged.
    #[serde(default)]
    pub card_tokens: Vec<CardToken>,
    /// `purchase_order`: what is charged and when (its echoed `secret` is dropped).
    #[serde(default)]
    pub purchase_order: Option<PurchaseOrder>,
}

impl SubscriptionRecord {
    /// The amount of the first scheduled charge, if the record has one.
    pub fn amount(&self) -> Option<Money> {
        self.purchase_order
            .as_ref()
            .and_then(|p| p.subscription.first())
            .map(|c| c.amount)
    }
}
