//! What pay links and save links share: the page template, the accepted sources, limits,
//! the language, the created link, and how money goes on the wire.

use std::collections::BTreeMap;
use std::num::NonZeroU32;

use payments_common::{Currency, Money, ProviderUrl, validate};
use serde::{Deserialize, Serialize, Serializer};

use crate::error::{KResult as Result, Kind as Error};
use crate::ids::OrderKey;

/// The longest text field this SDK sends. TS Pay documents no length limits; 255 characters is
/// the SDK's conservative cap (characters, not bytes), not a provider rule.
pub const MAX_TEXT_CHARS: usize = 255;

/// The most metadata entries this SDK sends (an SDK cap; TS Pay documents none).
pub const MAX_METADATA_ENTRIES: usize = 50;

/// The largest amount in cents this SDK sends: 2^53 − 1, the largest integer a JavaScript
/// back end (the error bodies look like NestJS) represents exactly.
pub const MAX_AMOUNT_CENTS: i64 = (1 << 53) - 1;

/// The text and logo of the hosted page the link opens (`template`).
///
/// The page flattens the table; that `title`, `desc`, `paymentRef` and `logo` nest inside
/// `template` is implied by it and confirmed by the public integration, which sends
/// `template{title,desc,paymentRef}`.
///
/// ```
/// use tspay::Template;
/// let t = Template::new("TeamSystem S.p.A.", "Fattura di vendita")
///     .payment_ref("Numero 123 del 15/06/2020")
///     .logo("https://shop.example/logo.png");
/// assert_eq!(
///     serde_json::to_value(&t)?,
///     serde_json::json!({"title": "TeamSystem S.p.A.", "desc": "Fattura di vendita",
///         "paymentRef": "Numero 123 del 15/06/2020", "logo": "https://shop.example/logo.png"})
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Template {
    /// `title`: the title, usually the merchant's company name (e.g. "TeamSystem S.p.A.").
    title: String,
    /// `desc`: the reason for the payment (e.g. "Fattura di vendita").
    desc: String,
    /// `paymentRef`: the invoice's details (e.g. "Numero 123 del 15/06/2020").
    #[serde(rename = "paymentRef", skip_serializing_if = "Option::is_none")]
    payment_ref: Option<String>,
    /// `logo`: link to the image shown as logo ("eventualmente": optional).
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<String>,
}

impl Template {
    /// A template with a title (`title`, usually the merchant's company name) and a reason for
    /// the payment (`desc`). The SDK requires both (the page does not say which are required).
    ///
    /// ```
    /// let t = tspay::Template::new("Shop S.r.l.", "Ordine 42");
    /// # let _ = t;
    /// ```
    pub fn new(title: impl Into<String>, desc: impl Into<String>) -> Self {
        Template {
            title: title.into(),
            desc: desc.into(),
            payment_ref: None,
            logo: None,
        }
    }

    /// `paymentRef`: the invoice's details (e.g. "Numero 123 del 15/06/2020").
    ///
    /// ```
    /// let t = tspay::Template::new("Shop", "Ordine").payment_ref("Ordine #42");
    /// # let _ = t;
    /// ```
    pub fn payment_ref(mut self, payment_ref: impl Into<String>) -> Self {
        self.payment_ref = Some(payment_ref.into());
        self
    }

    /// `logo`: a link to the image shown as logo (https; plain http only to loopback), checked
    /// by the request's `build()` and before sending (field `template.logo`).
    ///
    /// ```
    /// let t = tspay::Template::new("Shop", "Ordine").logo("https://shop.example/logo.png");
    /// # let _ = t;
    /// ```
    pub fn logo(mut self, logo: impl Into<String>) -> Self {
        self.logo = Some(logo.into());
        self
    }

    pub(crate) fn validate(&self) -> Result<()> {
        validate::text("template.title", &self.title, MAX_TEXT_CHARS)?;
        validate::text("template.desc", &self.desc, MAX_TEXT_CHARS)?;
        if let Some(r) = &self.payment_ref {
            validate::text("template.paymentRef", r, MAX_TEXT_CHARS)?;
        }
        if let Some(logo) = &self.logo {
            validate::callback_url("template.logo", logo, validate::DEFAULT_MAX_URL_LEN)?;
        }
        Ok(())
    }
}

payments_common::open_enum! {
    /// A payment source the customer may use (an element of `sourceTypes`).
    ///
    /// The page lists them in prose only — "carta di credito, SDD o entrambi (default)" (credit
    /// card, SEPA direct debit, or both). The wire values are the ones the public integration
    /// sends; that card and SDD are `card` and `sepa_debit` is an inference.
    pub enum SourceType {
        /// Credit or debit card.
        Card = "card",
        /// PayPal (public integration only).
        PayPal = "paypal",
        /// SEPA direct debit ("SDD" on the page).
        SepaDebit = "sepa_debit",
        /// Bank transfer through a payment initiation service (public integration only).
        PisCharge = "pis_charge",
    }
}

payments_common::open_enum! {
    /// The language of the hosted page (`langLocale`), as the public integration sends it.
    /// Not on the documentation page.
    pub enum Locale {
        /// Italian (`it-IT`).
        Italian = "it-IT",
        /// English, written `en-EN` (sic) by the public integration.
        English = "en-EN",
    }
}

/// How many times a link may be used: `maxPaymentsNumber` for pay links, `maxSourceNumber`
/// for save links, where `0` means unlimited. A type, so that no one sends 0 meaning "none".
///
/// ```
/// use std::num::NonZeroU32;
/// use tspay::UseLimit;
/// assert_eq!(serde_json::to_value(UseLimit::Unlimited)?, 0);
/// assert_eq!(serde_json::to_value(UseLimit::ONCE)?, 1);
/// assert_eq!(serde_json::to_value(UseLimit::at_most(NonZeroU32::new(3).unwrap()))?, 3);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UseLimit {
    /// No limit (sent as `0`).
    Unlimited,
    /// At most this many.
    AtMost(NonZeroU32),
}

impl UseLimit {
    /// Exactly one use: the SDK's default for both link kinds.
    pub const ONCE: UseLimit = UseLimit::AtMost(NonZeroU32::MIN);

    /// At most `n` uses.
    ///
    /// ```
    /// # use std::num::NonZeroU32;
    /// assert_eq!(tspay::UseLimit::at_most(NonZeroU32::MIN), tspay::UseLimit::ONCE);
    /// ```
    pub const fn at_most(n: NonZeroU32) -> Self {
        UseLimit::AtMost(n)
    }

    /// The wire number (`0` = unlimited).
    ///
    /// ```
    /// assert_eq!(tspay::UseLimit::Unlimited.wire_value(), 0);
    /// ```
    pub const fn wire_value(self) -> u32 {
        match self {
            UseLimit::Unlimited => 0,
            UseLimit::AtMost(n) => n.get(),
        }
    }
}

impl Default for UseLimit {
    fn default() -> Self {
        UseLimit::ONCE
    }
}

impl Serialize for UseLimit {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_u32(self.wire_value())
    }
}

/// What TS Pay answers when a pay or save link is created: "Nella response l'API fornisce:
/// orderKey, url".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LinkCreated {
    /// `orderKey`: the order's identifier; keep it to query the outcome.
    #[serde(rename = "orderKey")]
    pub order_key: OrderKey,
    /// `url`: the link to send (redirect) the customer to, to complete the operation. Kept as
    /// the text TS Pay sent; [`ProviderUrl::parse`] gives a [`Url`](crate::Url).
    pub url: ProviderUrl,
}

/// Serializes an amount as integer euro cents ("1450 è da considerare come 14,50").
pub(crate) fn cents<S: Serializer>(money: &Money, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_i64(money.minor_units())
}

/// The same for an optional amount (skipped when absent).
pub(crate) fn optional_cents<S: Serializer>(
    money: &Option<Money>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match money {
        Some(m) => s.serialize_i64(m.minor_units()),
        None => s.serialize_none(),
    }
}

/// An amount TS Pay accepts: in EUR (the public integration treats EUR as the only currency;
/// the page counts in euro cents), greater than zero, at most [`MAX_AMOUNT_CENTS`].
///
/// `currency_field` names the field a wrong currency is reported on.
pub(crate) fn check_amount(field: &str, currency_field: &str, amount: Money) -> Result<()> {
    if amount.currency() != Currency::EUR {
        return Err(Error::invalid(
            currency_field,
            format!(
                "TS Pay amounts are in EUR (euro cents); got {}",
                amount.currency()
            ),
        ));
    }
    validate::positive_amount(field, amount)?;
    if amount.minor_units() > MAX_AMOUNT_CENTS {
        return Err(Error::invalid(
            field,
            format!("exceeds the largest amount sent, {MAX_AMOUNT_CENTS} cents"),
        ));
    }
    Ok(())
}

/// Validates the shared optional fields.
pub(crate) fn check_common(
    template: &Template,
    callback_url: Option<&String>,
    source_types: Option<&Vec<SourceType>>,
    external_ref: Option<&String>,
    metadata: &BTreeMap<String, String>,
) -> Result<()> {
    template.validate()?;
    if let Some(url) = callback_url {
        validate::callback_url("callbackUrl", url, validate::DEFAULT_MAX_URL_LEN)?;
    }
    if let Some(types) = source_types {
        if types.is_empty() {
            return Err(Error::invalid(
                "sourceTypes",
                "is empty; leave it unset for the provider's default",
            ));
        }
        for t in types {
            if let SourceType::Unknown(other) = t {
                validate::text("sourceTypes", other, 64)?;
            }
        }
    }
    if let Some(r) = external_ref {
        validate::text("externalRef", r, MAX_TEXT_CHARS)?;
    }
    if metadata.len() > MAX_METADATA_ENTRIES {
        return Err(Error::invalid(
            "metadata",
            format!("has more than {MAX_METADATA_ENTRIES} entries"),
        ));
    }
    for (key, value) in metadata {
        validate::text("metadata", key, MAX_TEXT_CHARS)?;
        validate::optional_text(&format!("metadata.{key}"), value, MAX_TEXT_CHARS)?;
    }
    Ok(())
}

/// Adds `t` to `list` unless it is already there (a set that keeps the caller's order).
pub(crate) fn push_unique(list: &mut Vec<SourceType>, t: SourceType) {
    if !list.contains(&t) {
        list.push(t);
    }
}
