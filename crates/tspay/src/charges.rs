//! The payment outcome: `GET /{itemId}/charges/orders/{orderKey}` (or
//! `GET /charges/orders/{orderKey}`), "Esito pagamento".
//!
//! The page says only that the call returns "all details of the charge" and gives no response
//! schema. The models here follow the public integration: its mock answers a JSON array of
//! charges, `[]` while the order is unpaid, each charge with `amount` (a string there),
//! `currency`, `chargeKey`, `orderKey`, `state`, `payMethod{type, card{brand,last4}}`, `order`,
//! `createdOn`, `modifiedOn`; its client also accepts a single charge object and an object
//! wrapping the list under `charges`, `items`, `data` or `results`, because the real shape is
//! unknown. This crate accepts all of these.

use std::fmt;

use payments_common::http::Request;
use payments_common::{Currency, Money, PaymentOutcome, validate};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use time::OffsetDateTime;

use crate::client::{Client, PathStyle, Route, resolve_style};
use crate::error;
use crate::error::KResult;
use crate::ids::{ChargeKey, ItemId, OrderKey};
use crate::link::SourceType;
use crate::{Error, Result};

payments_common::open_enum! {
    /// A charge's `state`, as the public integration handles it (the page lists none; the
    /// back office shows IN ATTESA, IN ESECUZIONE, ESEGUITO, FALLITO, RIMBORSATO and dispute
    /// states, whose API values are not public). Any other value is kept as `Unknown`.
    pub enum ChargeState {
        /// Collected: the integration treats it as paid.
        Active = "active",
        /// In progress.
        Pending = "pending",
        /// Failed.
        Failed = "failed",
        /// Failed with an error.
        Error = "error",
        /// Refunded after collection.
        Refunded = "refunded",
        /// Not paid yet (the mock's state of an order before payment).
        Unpaid = "unpaid",
    }
}

impl ChargeState {
    /// The provider-independent reading: `active` → paid, `refunded` → refunded,
    /// `failed`/`error` → failed, anything else (`pending`, `unpaid`, unknown) → pending.
    ///
    /// ```
    /// use tspay::{ChargeState, PaymentOutcome};
    /// assert_eq!(ChargeState::Active.outcome(), PaymentOutcome::Paid);
    /// assert_eq!(ChargeState::from("disputed").outcome(), PaymentOutcome::Pending);
    /// ```
    pub fn outcome(&self) -> PaymentOutcome {
        match self {
            ChargeState::Active => PaymentOutcome::Paid,
            ChargeState::Refunded => PaymentOutcome::Refunded,
            ChargeState::Failed | ChargeState::Error => PaymentOutcome::Failed,
            _ => PaymentOutcome::Pending,
        }
    }
}

/// How a charge was paid (`payMethod`), as the public integration's mock shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PayMethod {
    /// `type`: the kind of source (`card`, `paypal`, `sepa_debit`, `pis_charge`, …).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SourceType>,
    /// `card`: the card's brand and last digits, for card payments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<CardSummary>,
}

/// The masked card of a card payment (`payMethod.card`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CardSummary {
    /// `brand`: the card network (e.g. `visa`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// `last4`: the last four digits of the card number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last4: Option<String>,
}

/// One charge of an order.
///
/// Required: `amount` (a JSON number or a numeric string, in minor units) and `state`.
/// `currency` defaults to EUR when absent (the integration treats EUR as the only currency).
/// Everything else is optional because no schema is documented. Unknown fields (such as the
/// mock's `order` echo of the request) are ignored.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Charge {
    /// `chargeKey`: the charge's identifier.
    pub charge_key: Option<ChargeKey>,
    /// `orderKey`: the order the charge belongs to.
    pub order_key: Option<OrderKey>,
    /// `amount` and `currency`: the amount charged.
    pub amount: Money,
    /// `state`: the charge's state.
    pub state: ChargeState,
    /// `payMethod`: how it was paid.
    pub pay_method: Option<PayMethod>,
    /// `createdOn`: when the charge was created.
    pub created_on: Option<OffsetDateTime>,
    /// `modifiedOn`: when the charge last changed.
    pub modified_on: Option<OffsetDateTime>,
}

impl Charge {
    /// This charge's reading as a [`PaymentOutcome`] (see [`ChargeState::outcome`]).
    ///
    /// ```
    /// let c: tspay::Charge = serde_json::from_str(r#"{"amount":"1450","currency":"EUR","state":"active"}"#)?;
    /// assert_eq!(c.outcome(), tspay::PaymentOutcome::Paid);
    /// assert_eq!(c.amount.minor_units(), 1450);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn outcome(&self) -> PaymentOutcome {
        self.state.outcome()
    }
}

/// The wire form written by `Serialize` (amount as integer minor units, RFC 3339 times).
#[derive(Serialize)]
struct ChargeOut<'a> {
    #[serde(rename = "chargeKey", skip_serializing_if = "Option::is_none")]
    charge_key: Option<&'a ChargeKey>,
    #[serde(rename = "orderKey", skip_serializing_if = "Option::is_none")]
    order_key: Option<&'a OrderKey>,
    amount: i64,
    currency: &'a str,
    state: &'a ChargeState,
    #[serde(rename = "payMethod", skip_serializing_if = "Option::is_none")]
    pay_method: Option<&'a PayMethod>,
    #[serde(
        rename = "createdOn",
        with = "payments_common::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    created_on: Option<OffsetDateTime>,
    #[serde(
        rename = "modifiedOn",
        with = "payments_common::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    modified_on: Option<OffsetDateTime>,
}

impl Serialize for Charge {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        ChargeOut {
            charge_key: self.charge_key.as_ref(),
            order_key: self.order_key.as_ref(),
            amount: self.amount.minor_units(),
            currency: self.amount.currency().code(),
            state: &self.state,
            pay_method: self.pay_method.as_ref(),
            created_on: self.created_on,
            modified_on: self.modified_on,
        }
        .serialize(s)
    }
}

/// An `i64` sent as a number or a numeric string.
struct IntOrString(i64);

impl<'de> Deserialize<'de> for IntOrString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        payments_common::serde::int_or_string::deserialize(d).map(IntOrString)
    }
}

/// An optional timestamp in any of the forms of
/// [`payments_common::serde::parse_flexible_datetime`] (RFC 3339, RFC 1123, a date alone,
/// epoch milliseconds as digits) or epoch milliseconds as a JSON number; `null` is absent.
///
/// Read by one visitor straight from the JSON value (`visit_str`, `visit_u64`, `visit_i64`,
/// `visit_unit`): no `Option` layer around a second dispatch.
struct FlexTime(Option<OffsetDateTime>);

struct FlexTimeVisitor;

impl FlexTimeVisitor {
    fn millis<E: de::Error>(millis: i64) -> std::result::Result<FlexTime, E> {
        payments_common::serde::from_epoch_millis(millis)
            .map(|t| FlexTime(Some(t)))
            .map_err(E::custom)
    }
}

impl<'de> Visitor<'de> for FlexTimeVisitor {
    type Value = FlexTime;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a timestamp (RFC 3339, RFC 1123, a date, or epoch milliseconds) or null")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<FlexTime, E> {
        payments_common::serde::parse_flexible_datetime(v)
            .map(|t| FlexTime(Some(t)))
            .map_err(E::custom)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<FlexTime, E> {
        let v = i64::try_from(v).map_err(|_| E::custom("epoch milliseconds out of range"))?;
        Self::millis(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<FlexTime, E> {
        Self::millis(v)
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<FlexTime, E> {
        Ok(FlexTime(None))
    }
    fn visit_none<E: de::Error>(self) -> std::result::Result<FlexTime, E> {
        Ok(FlexTime(None))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<FlexTime, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Deserialize<'de> for FlexTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(FlexTimeVisitor)
    }
}

/// The keys an object may wrap its list of charges under, in the order they are tried: the
/// first of them (in this order, not in document order) whose value is a list or a charge is
/// read; a `null`, string, number or boolean under one of them is skipped.
pub(crate) const WRAPPER_KEYS: [&str; 4] = ["charges", "items", "data", "results"];

/// A key of a charge object or of a wrapper of charges, recognised without allocating it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Amount,
    Currency,
    ChargeKey,
    OrderKey,
    State,
    PayMethod,
    CreatedOn,
    ModifiedOn,
    /// `charges`, `items`, `data` or `results`: a list of charges, with its rank in
    /// [`WRAPPER_KEYS`].
    Wrapper(usize),
    /// Any other key.
    Other,
}

impl Field {
    pub(crate) fn from_name(name: &str) -> Field {
        match name {
            "amount" => Field::Amount,
            "currency" => Field::Currency,
            "chargeKey" => Field::ChargeKey,
            "orderKey" => Field::OrderKey,
            "state" => Field::State,
            "payMethod" => Field::PayMethod,
            "createdOn" => Field::CreatedOn,
            "modifiedOn" => Field::ModifiedOn,
            _ => WRAPPER_KEYS
                .iter()
                .position(|k| *k == name)
                .map_or(Field::Other, Field::Wrapper),
        }
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct FieldVisitor;
        impl Visitor<'_> for FieldVisitor {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Field, E> {
                Ok(Field::from_name(v))
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> std::result::Result<Field, E> {
                Ok(std::str::from_utf8(v).map_or(Field::Other, Field::from_name))
            }
        }
        d.deserialize_identifier(FieldVisitor)
    }
}

/// The fields of a charge, gathered key by key so that one object can be read either as a
/// charge or as a wrapper of charges without buffering it.
#[derive(Default)]
pub(crate) struct ChargeFields {
    amount: Option<i64>,
    currency: Option<Currency>,
    charge_key: Option<ChargeKey>,
    order_key: Option<OrderKey>,
    state: Option<ChargeState>,
    pay_method: Option<PayMethod>,
    created_on: Option<OffsetDateTime>,
    modified_on: Option<OffsetDateTime>,
    seen: bool,
}

impl ChargeFields {
    /// Reads the value of `key` if it is a charge field; `false` if it is not (its value is
    /// still unread).
    pub(crate) fn read<'de, A: MapAccess<'de>>(
        &mut self,
        key: Field,
        map: &mut A,
    ) -> std::result::Result<bool, A::Error> {
        match key {
            Field::Amount => self.amount = Some(map.next_value::<IntOrString>()?.0),
            Field::Currency => self.currency = map.next_value()?,
            Field::ChargeKey => self.charge_key = map.next_value()?,
            Field::OrderKey => self.order_key = map.next_value()?,
            Field::State => self.state = map.next_value()?,
            Field::PayMethod => self.pay_method = map.next_value()?,
            Field::CreatedOn => self.created_on = map.next_value::<FlexTime>()?.0,
            Field::ModifiedOn => self.modified_on = map.next_value::<FlexTime>()?.0,
            Field::Wrapper(_) | Field::Other => return Ok(false),
        }
        self.seen = true;
        Ok(true)
    }

    /// Builds the charge; `fallback_state` stands in for a missing or empty (`""`) `state` (a
    /// notification's `event.state`). Without a fallback, an empty state is kept as it is (an
    /// unknown state, which reads as pending).
    pub(crate) fn finish<E: de::Error>(
        self,
        fallback_state: Option<ChargeState>,
    ) -> std::result::Result<Charge, E> {
        let minor = self.amount.ok_or_else(|| E::missing_field("amount"))?;
        let (own, empty) = match self.state {
            Some(s) if s.as_str().is_empty() => (None, Some(s)),
            other => (other, None),
        };
        let state = own
            .or(fallback_state)
            .or(empty)
            .ok_or_else(|| E::missing_field("state"))?;
        Ok(Charge {
            charge_key: self.charge_key,
            order_key: self.order_key,
            amount: Money::from_minor_units(minor, self.currency.unwrap_or(Currency::EUR)),
            state,
            pay_method: self.pay_method,
            created_on: self.created_on,
            modified_on: self.modified_on,
        })
    }
}

/// Reads the fields of one charge object (unknown keys skipped).
pub(crate) struct ChargeFieldsVisitor;

impl<'de> Visitor<'de> for ChargeFieldsVisitor {
    type Value = ChargeFields;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a charge object")
    }
    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<ChargeFields, A::Error> {
        let mut fields = ChargeFields::default();
        while let Some(key) = map.next_key::<Field>()? {
            if !fields.read(key, &mut map)? {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(fields)
    }
}

impl<'de> Deserialize<'de> for ChargeFields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_map(ChargeFieldsVisitor)
    }
}

impl<'de> Deserialize<'de> for Charge {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_map(ChargeFieldsVisitor)?.finish(None)
    }
}

/// The charges of one order, whatever shape the answer came in, and what they mean.
///
/// Accepted: a bare array of charges, `[]` (nothing paid yet), `null`, a single charge object,
/// or an object wrapping any of these under `charges`, `items`, `data` or `results`. Those keys
/// are tried in that fixed order, whatever their order in the document, and a key whose value
/// cannot hold charges (`null`, a string, a number, a boolean) is skipped:
/// `{"data": null, "charges": [..]}` reads the `charges`, and `{"results": [..], "charges": [..]}`
/// reads the `charges` too. An object with none of these keys and no charge field reads as no
/// charges. Serialized back as a bare array.
///
/// ```
/// use tspay::{OrderCharges, PaymentOutcome};
/// for body in [r#"[]"#, r#"{"data":[]}"#, r#"null"#] {
///     let c: OrderCharges = serde_json::from_str(body)?;
///     assert!(c.is_empty());
///     assert_eq!(c.outcome(), PaymentOutcome::Pending);
/// }
/// let single: OrderCharges = serde_json::from_str(r#"{"amount":1450,"currency":"EUR","state":"active"}"#)?;
/// assert_eq!(single.outcome(), PaymentOutcome::Paid);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
#[non_exhaustive]
pub struct OrderCharges {
    /// The charges, in the order received.
    pub charges: Vec<Charge>,
}

impl OrderCharges {
    /// Whether there are no charges (the order is not paid yet).
    ///
    /// ```
    /// let c: tspay::OrderCharges = serde_json::from_str("[]")?;
    /// assert!(c.is_empty());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.charges.is_empty()
    }

    /// The order's reading, by precedence over its charges:
    ///
    /// 1. any `active` charge → [`PaymentOutcome::Paid`];
    /// 2. else any charge not settled (`pending`, `unpaid`, or a state this SDK does not
    ///    know) → [`PaymentOutcome::Pending`];
    /// 3. else any `refunded` → [`PaymentOutcome::Refunded`];
    /// 4. else any `failed` or `error` → [`PaymentOutcome::Failed`];
    /// 5. no charges → [`PaymentOutcome::Pending`].
    ///
    /// A charge still in progress outranks every final state but paid: it may still be
    /// collected, so an order with a refunded or failed attempt and a pending one is pending.
    /// Unknown states rank with pending (not after failed, as the public integration ranks
    /// them): TS Pay has dispute states whose API values are not published, and a disputed
    /// charge was collected, so it must not read as a final failure.
    ///
    /// ```
    /// use tspay::{OrderCharges, PaymentOutcome};
    /// let c: OrderCharges = serde_json::from_str(
    ///     r#"[{"amount":1450,"state":"failed"},{"amount":1450,"state":"active"}]"#)?;
    /// assert_eq!(c.outcome(), PaymentOutcome::Paid);
    /// let c: OrderCharges = serde_json::from_str(
    ///     r#"[{"amount":1450,"state":"refunded"},{"amount":1450,"state":"pending"}]"#)?;
    /// assert_eq!(c.outcome(), PaymentOutcome::Pending);
    /// let c: OrderCharges = serde_json::from_str(r#"[{"amount":1450,"state":"error"}]"#)?;
    /// assert_eq!(c.outcome(), PaymentOutcome::Failed);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn outcome(&self) -> PaymentOutcome {
        let has = |wanted: PaymentOutcome| self.charges.iter().any(|c| c.outcome() == wanted);
        [
            PaymentOutcome::Paid,
            PaymentOutcome::Pending,
            PaymentOutcome::Refunded,
            PaymentOutcome::Failed,
        ]
        .into_iter()
        .find(|o| has(*o))
        .unwrap_or(PaymentOutcome::Pending)
    }

    /// The first `active` (paid) charge, to cross-check its amount and currency against the
    /// order before fulfilling it.
    ///
    /// ```
    /// let c: tspay::OrderCharges = serde_json::from_str(r#"[{"amount":"1450","state":"active","chargeKey":"ch_1"}]"#)?;
    /// assert_eq!(c.paid_charge().and_then(|c| c.charge_key.as_ref()).map(|k| k.as_str()), Some("ch_1"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn paid_charge(&self) -> Option<&Charge> {
        self.charges.iter().find(|c| c.state == ChargeState::Active)
    }

    /// The index of the first charge that names an order key other than `order_key`.
    pub(crate) fn foreign_charge(&self, order_key: &OrderKey) -> Option<usize> {
        self.charges
            .iter()
            .position(|c| c.order_key.as_ref().is_some_and(|k| k != order_key))
    }
}

/// Reads any accepted shape into a list of charges.
struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Vec<Charge>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of charges, a charge, or an object wrapping them")
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_none<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut charges = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(charge) = seq.next_element::<Charge>()? {
            charges.push(charge);
        }
        Ok(charges)
    }
    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut fields = ChargeFields::default();
        // One slot per wrapper key, so that the fixed order decides, not the document's.
        let mut wrapped: [Option<Vec<Charge>>; WRAPPER_KEYS.len()] = Default::default();
        while let Some(key) = map.next_key::<Field>()? {
            match key {
                Field::Wrapper(rank) => {
                    let list = map.next_value::<WrappedList>()?.0;
                    if let Some(slot) = wrapped.get_mut(rank) {
                        *slot = slot.take().or(list);
                    }
                }
                other => {
                    if !fields.read(other, &mut map)? {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
        }
        match wrapped.into_iter().flatten().next() {
            Some(list) => Ok(list),
            None if fields.seen => Ok(vec![fields.finish(None)?]),
            None => Ok(Vec::new()),
        }
    }
}

/// The value under a wrapper key: a list of charges in any accepted shape (an array, a charge,
/// a nested wrapper), or `None` for a value that cannot hold charges (`null`, a string, a
/// number, a boolean), which is skipped.
struct WrappedList(Option<Vec<Charge>>);

struct WrappedVisitor;

impl<'de> Visitor<'de> for WrappedVisitor {
    type Value = WrappedList;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of charges, a charge, or a value to skip")
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<WrappedList, E> {
        Ok(WrappedList(None))
    }
    fn visit_none<E: de::Error>(self) -> std::result::Result<WrappedList, E> {
        Ok(WrappedList(None))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<WrappedList, E> {
        Ok(WrappedList(None))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> std::result::Result<WrappedList, E> {
        Ok(WrappedList(None))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> std::result::Result<WrappedList, E> {
        Ok(WrappedList(None))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<WrappedList, E> {
        Ok(WrappedList(None))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> std::result::Result<WrappedList, E> {
        Ok(WrappedList(None))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<WrappedList, A::Error> {
        ShapeVisitor.visit_seq(seq).map(|l| WrappedList(Some(l)))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<WrappedList, A::Error> {
        ShapeVisitor.visit_map(map).map(|l| WrappedList(Some(l)))
    }
}

impl<'de> Deserialize<'de> for WrappedList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(WrappedVisitor)
    }
}

impl<'de> Deserialize<'de> for OrderCharges {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(ShapeVisitor)
            .map(|charges| OrderCharges { charges })
    }
}

/// The payment outcome; from [`Client::charges`].
#[derive(Debug)]
pub struct Charges<'a> {
    client: &'a Client,
    style: Option<PathStyle>,
}

impl<'a> Charges<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Charges {
            client,
            style: None,
        }
    }

    /// Uses `/{itemId}/charges/orders/{orderKey}` with this item id for this call.
    ///
    /// ```no_run
    /// # async fn run(client: tspay::Client) -> tspay::Result<()> {
    /// let c = client.charges().item_id("company-42").of_order(&tspay::OrderKey::new("ok_1")).await?;
    /// # Ok(()) }
    /// ```
    pub fn item_id(mut self, item_id: impl Into<ItemId>) -> Self {
        self.style = Some(PathStyle::Gateway {
            item_id: item_id.into(),
        });
        self
    }

    /// Uses this path style for this call.
    ///
    /// ```no_run
    /// # async fn run(client: tspay::Client) -> tspay::Result<()> {
    /// let c = client.charges().path_style(tspay::PathStyle::Direct).of_order(&tspay::OrderKey::new("ok_1")).await?;
    /// # Ok(()) }
    /// ```
    pub fn path_style(mut self, style: PathStyle) -> Self {
        self.style = Some(style);
        self
    }

    /// The charges of the order `order_key` and, through [`OrderCharges::outcome`], whether
    /// it is paid. A read: retried on timeouts, broken connections and 5xx.
    ///
    /// The key must be a single path segment
    /// ([`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) on `orderKey`
    /// otherwise, nothing sent). A charge in the answer that names another `orderKey` makes
    /// the answer an [`ErrorKind::Decode`](crate::ErrorKind::Decode): it is not the answer to
    /// the question asked. Charges that name no order key are taken as the order's. Errors
    /// name the operation `"charges.of_order"`.
    ///
    /// To decide whether to fulfil an order, prefer
    /// [`Client::confirm_payment`](crate::Client::confirm_payment), which also checks the
    /// order and the amount.
    ///
    /// ```no_run
    /// # async fn run(client: tspay::Client) -> tspay::Result<()> {
    /// let charges = client.charges().of_order(&tspay::OrderKey::new("ok_1")).await?;
    /// if charges.outcome() == tspay::PaymentOutcome::Paid { /* fulfil */ }
    /// # Ok(()) }
    /// ```
    pub async fn of_order(&self, order_key: &OrderKey) -> Result<OrderCharges> {
        self.fetch(order_key)
            .await
            .map_err(Error::at("charges.of_order"))
    }

    pub(crate) async fn fetch(&self, order_key: &OrderKey) -> KResult<OrderCharges> {
        const OPERATION: &str = "tspay.charges.of_order";
        validate::path_id("orderKey", order_key.as_str())?;
        let style = resolve_style(self.client, self.style.as_ref())?;
        let url = style.url(
            self.client.base_url(),
            Route::ChargesOfOrder(order_key.as_str()),
        );
        let request = Request::get(OPERATION, url).bearer_auth(self.client.api_key())?;
        self.client
            .http()
            .execute(request, |response| {
                if !response.status().is_success() {
                    return Err(error::map_error(&response));
                }
                let charges: OrderCharges = response.json()?;
                match charges.foreign_charge(order_key) {
                    Some(index) => Err(response.decode_error(
                        &format!("[{index}].orderKey"),
                        "the charge is for another order than the one asked for",
                    )),
                    None => Ok(charges),
                }
            })
            .await
    }
}
