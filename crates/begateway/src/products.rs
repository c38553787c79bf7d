//! Products and payment links (`{api}/products`): create, get, list, update.
//!
//! A *product* is a priced item with a hosted payment page: create it, send the customer to
//! its [`Product::pay_url`], and learn the result from a verified notification or a
//! [transaction query](crate::transactions). Source: the beGateway "Products API" page
//! (Russian; English at <https://doc.begateway.com/en/integration/pay_by_link/products_api/>) and
//! `docs/providers/begateway.md#products`.
//!
//! Choices where the page is silent or contradicts itself (also in `fixtures/begateway/README.md`):
//!
//! - `amount` is sent as a JSON integer (the page's table says integer, its examples send a
//!   string, responses return integers); `quantity` likewise (the table says string).
//! - `expired_at` is sent as RFC 3339 with a numeric offset and no fraction
//!   (`2023-12-31T00:00:00+00:00`), the format the table describes; the page's example sends a
//!   bare date, which this crate reads (in responses) as midnight UTC.
//! - `quantity` XOR `infinite`, and `expired_at` XOR `immortal`: each pair is one setter
//!   taking an enum ([`Quantity`], [`Expiry`]), which sends both wire fields
//!   (`Quantity::Limited(10)` sends `"quantity": 10, "infinite": false`; `Expiry::At(..)` sends
//!   `"immortal": false` too), and a create must choose one of each (bePaid's English page
//!   marks `quantity` and `expired_at` as conditionally required).
//! - `name` and `description` are limited to 255 characters: the page gives no limit; 255 is
//!   the card API's documented limit for `description`, *inferred* to apply here too.
//! - `language` is always sent (the page marks it required yet says it defaults to `en`);
//!   [`CreateProduct::new`] starts with [`Language::En`].
//! - The extra fields `notification_url`, `success_url`, `fail_url` and `additional_data` come
//!   from beGateway's PHP SDK, not from the page.

use std::fmt;

use payments_common::http::Request;
use payments_common::{Currency, ErrorKind, Money, ProviderUrl, Reconciliation, validate};
use serde::{Deserialize, Serialize, Serializer};
use time::OffsetDateTime;
use time::macros::format_description;

use crate::client::Client;
use crate::currency;
use crate::error::Error;

/// The longest `name` / `description` accepted (characters; *inferred*, see the module docs).
pub const MAX_TEXT_CHARS: usize = 255;

payments_common::id_type! {
    /// A product id: `prd_` followed by 16 hex digits (`prd_ed27b047d3ccd1a6`).
    pub struct ProductId;
}

payments_common::open_enum! {
    /// The language of the hosted payment page (`language`). The page links to a list it does
    /// not include; these codes are those of beGateway's PHP SDK (`lib/Language.php`). The
    /// server falls back to `en` for codes it does not support (PHP SDK behaviour).
    pub enum Language {
        /// English (`en`), the default.
        En = "en",
        /// Spanish (`es`).
        Es = "es",
        /// Turkish (`tr`).
        Tr = "tr",
        /// German (`de`).
        De = "de",
        /// Italian (`it`).
        It = "it",
        /// Russian (`ru`).
        Ru = "ru",
        /// Chinese (`zh`).
        Zh = "zh",
        /// French (`fr`).
        Fr = "fr",
        /// Danish (`da`).
        Da = "da",
        /// Finnish (`fi`).
        Fi = "fi",
        /// Norwegian (`no`).
        No = "no",
        /// Polish (`pl`).
        Pl = "pl",
        /// Swedish (`sv`).
        Sv = "sv",
        /// Japanese (`ja`).
        Ja = "ja",
        /// Belarusian (`be`).
        Be = "be",
        /// Georgian (`ka`).
        Ka = "ka",
        /// Ukrainian (`uk`).
        Uk = "uk",
        /// Latvian (`lv`).
        Lv = "lv",
        /// Azerbaijani (`az`).
        Az = "az",
        /// Romanian (`ro`).
        Ro = "ro",
    }
}

payments_common::open_enum! {
    /// A transaction type. Products accept only `payment` (authorize and capture at once, the
    /// default) and `authorization` (reserve the amount; capture later). Transactions report
    /// the other values; their singular names are *inferred* from the gateway's endpoint names
    /// (`/transactions/captures`, …).
    pub enum TransactionType {
        /// Authorization and capture at once.
        Payment = "payment",
        /// A check of the card and a reservation of the amount.
        Authorization = "authorization",
        /// Capture of an authorization.
        Capture = "capture",
        /// Cancellation of an authorization.
        Void = "void",
        /// Refund of a payment or capture.
        Refund = "refund",
        /// A credit (money sent to a card).
        Credit = "credit",
        /// A payout.
        Payout = "payout",
        /// A chargeback.
        Chargeback = "chargeback",
        /// A card tokenization.
        Tokenization = "tokenization",
        /// A card-to-card transfer.
        P2p = "p2p",
    }
}

payments_common::open_enum! {
    /// A customer field shown on the payment page and made mandatory there (`visible_fields`).
    pub enum VisibleField {
        /// First name.
        FirstName = "first_name",
        /// Last name.
        LastName = "last_name",
        /// Country.
        Country = "country",
        /// State or region.
        State = "state",
        /// City.
        City = "city",
        /// Street address.
        Address = "address",
        /// Postal code.
        Zip = "zip",
        /// Phone number.
        Phone = "phone",
        /// Date of birth.
        BirthDate = "birth_date",
        /// E-mail address.
        Email = "email",
        /// Taxpayer identification number.
        TaxpayerId = "taxpayer_id",
    }
}

/// How many units of a product can be sold: `quantity` or `"infinite": true` on the wire.
///
/// A `u32` converts into [`Quantity::Limited`], so `.quantity(10)` reads naturally.
///
/// ```
/// use begateway::{CreateProduct, Currency, Expiry, Money, Quantity};
/// let price = Money::parse("9.90", Currency::USD)?;
/// let limited = CreateProduct::new("Mug", "Blue mug", price).quantity(10).expiry(Expiry::Never);
/// assert_eq!(serde_json::to_value(&limited)?["infinite"], false);
/// let unlimited = CreateProduct::new("E-book", "PDF", price).quantity(Quantity::Unlimited);
/// assert_eq!(serde_json::to_value(&unlimited)?["infinite"], true);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// This many units in stock (`quantity`, with `"infinite": false`); at least 1 on create.
    Limited(u32),
    /// Unlimited stock (`"infinite": true`, no `quantity`), e.g. a virtual product.
    Unlimited,
}

impl From<u32> for Quantity {
    fn from(units: u32) -> Self {
        Quantity::Limited(units)
    }
}

/// Until when a product can be paid: `expired_at` or `"immortal": true` on the wire.
///
/// ```
/// use begateway::{CreateProduct, Currency, Expiry, Money};
/// use time::macros::datetime;
/// let request = CreateProduct::new("Mug", "Blue mug", Money::parse("9.90", Currency::USD)?)
///     .quantity(1)
///     .expiry(Expiry::At(datetime!(2030-12-31 00:00 UTC)));
/// let json = serde_json::to_value(&request.build()?)?;
/// assert_eq!(json["expired_at"], "2030-12-31T00:00:00+00:00");
/// assert_eq!(json["immortal"], false);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// The payment deadline (`expired_at`, sent as RFC 3339 with its offset, whole seconds;
    /// with `"immortal": false`).
    At(OffsetDateTime),
    /// No payment deadline (`"immortal": true`, no `expired_at`).
    Never,
}

/// `additional_data`: free-form data attached to the product. The page only shows it empty
/// (`{}`); `receipt_text` and `contract` are the fields beGateway's PHP SDK sends, and any
/// other key is kept in [`AdditionalData::other`].
///
/// ```
/// let mut data = begateway::AdditionalData::default();
/// data.receipt_text = vec!["Thank you!".into()];
/// assert_eq!(serde_json::to_string(&data)?, r#"{"receipt_text":["Thank you!"]}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AdditionalData {
    /// Lines printed on the customer's receipt.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub receipt_text: Vec<String>,
    /// Contract fields (PHP SDK: which tokens or ids the gateway returns).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contract: Vec<String>,
    /// Any other key, kept as received.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

/// A product as beGateway returns it (create 201, get 200, list 200).
///
/// `amount`/`quantity` are read from numbers or numeric strings; `quantity` may be `null`. A
/// wire `amount` that has no exact ISO-scale form (see [`crate::currency::money_from_wire`])
/// is refused as a decode error naming `amount`. Serializing writes the wire shape back
/// (`price` is not a wire field).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ProductWire")]
#[non_exhaustive]
pub struct Product {
    /// The product id (`prd_…`), for [`Products::get`] and [`Products::update`].
    pub id: ProductId,
    /// The price as exact money at **ISO 4217 scale**, converted exactly from beGateway's
    /// exponent (an `IDR` product with wire `amount` 15000 costs 15 000 rupiah: `Money`
    /// minor units `1_500_000`).
    #[serde(skip_serializing)]
    pub price: Money,
    /// Product name.
    pub name: String,
    /// Product description.
    pub description: String,
    /// Currency, with its ISO 4217 exponent.
    pub currency: Currency,
    /// The raw `amount` integer as beGateway sent it: minor units of **beGateway's** exponent
    /// for `currency` (IDR has 0 decimals there, 2 in ISO 4217; see [`crate::currency`]).
    /// [`Product::price`] is the same amount as [`Money`].
    #[serde(rename = "amount")]
    pub amount_minor_wire: i64,
    /// Units in stock; `null` (or `0`) when `infinite` is true.
    pub quantity: Option<i64>,
    /// Whether the stock is unlimited.
    pub infinite: bool,
    /// Language of the payment page.
    pub language: Language,
    /// `payment` or `authorization`.
    pub transaction_type: TransactionType,
    /// When the product was created.
    #[serde(with = "payments_common::serde::flexible_datetime")]
    pub created_at: OffsetDateTime,
    /// When the product was last changed.
    #[serde(with = "payments_common::serde::flexible_datetime")]
    pub updated_at: OffsetDateTime,
    /// Whether this is a test product (no real money moves).
    #[serde(default)]
    pub test: bool,
    /// Additional data attached to the product.
    #[serde(default)]
    pub additional_data: AdditionalData,
    /// The payment link: send the customer here (`{api}/products/{id}/pay`). Kept as the
    /// text beGateway sent; [`ProviderUrl::parse`] gives a [`Url`](payments_common::Url).
    pub pay_url: ProviderUrl,
    /// The same link as `pay_url` in every documented example. Kept as sent;
    /// [`ProviderUrl::parse`] gives a [`Url`](payments_common::Url).
    pub payment_url: ProviderUrl,
    /// The checkout confirmation link (`{checkout}/v2/confirm_order/{id}/{shop_id}`). Kept as
    /// sent; [`ProviderUrl::parse`] gives a [`Url`](payments_common::Url).
    pub confirm_url: ProviderUrl,
    /// Until when the product can be paid. Not in any documented response; read when sent
    /// (a bare date reads as midnight UTC).
    #[serde(
        default,
        with = "payments_common::serde::flexible_datetime::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub expired_at: Option<OffsetDateTime>,
    /// Whether the product never expires. Not in any documented response; read when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub immortal: Option<bool>,
    /// Customer fields shown on the payment page. Not in any documented response; read when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_fields: Option<Vec<VisibleField>>,
    /// Where the customer returns after paying. Not in any documented response; read when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
}

#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
impl Product {
    /// A product for tests of your own code (feature `test-util`): its id, name and price;
    /// quantity 1, language `en`, type `payment`, created now, links under
    /// `https://api.begateway.com`. Set the public fields for anything else.
    ///
    /// ```
    /// use begateway::{Currency, Money, Product, ProductId};
    /// let p = Product::for_tests("prd_ed27b047d3ccd1a6", "Mug", Money::parse("9.90", Currency::USD)?);
    /// assert_eq!(p.id, ProductId::new("prd_ed27b047d3ccd1a6"));
    /// assert_eq!(p.amount_minor_wire, 990);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn for_tests(id: impl Into<String>, name: impl Into<String>, price: Money) -> Product {
        let id = ProductId::new(id);
        let price = currency::to_iso(price, "amount").unwrap_or(price);
        let link = |path: String| ProviderUrl::new(format!("https://api.begateway.com{path}"));
        let now = OffsetDateTime::now_utc();
        Product {
            pay_url: link(format!("/products/{id}/pay")),
            payment_url: link(format!("/products/{id}/pay")),
            confirm_url: ProviderUrl::new(format!(
                "https://checkout.begateway.com/v2/confirm_order/{id}/1"
            )),
            id,
            price,
            name: name.into(),
            description: String::new(),
            currency: price.currency(),
            amount_minor_wire: currency::wire(price).unwrap_or(price.minor_units()),
            quantity: Some(1),
            infinite: false,
            language: Language::En,
            transaction_type: TransactionType::Payment,
            created_at: now,
            updated_at: now,
            test: true,
            additional_data: AdditionalData::default(),
            expired_at: None,
            immortal: Some(true),
            visible_fields: None,
            return_url: None,
        }
    }
}

/// The wire shape of [`Product`], read in one pass and then checked.
#[derive(Deserialize)]
struct ProductWire {
    id: ProductId,
    name: String,
    description: String,
    currency: Currency,
    #[serde(deserialize_with = "payments_common::serde::int_or_string::deserialize")]
    amount: i64,
    #[serde(
        default,
        deserialize_with = "payments_common::serde::int_or_string::deserialize_option"
    )]
    quantity: Option<i64>,
    #[serde(default)]
    infinite: bool,
    language: Language,
    transaction_type: TransactionType,
    #[serde(with = "payments_common::serde::flexible_datetime")]
    created_at: OffsetDateTime,
    #[serde(with = "payments_common::serde::flexible_datetime")]
    updated_at: OffsetDateTime,
    #[serde(default)]
    test: bool,
    #[serde(default)]
    additional_data: AdditionalData,
    pay_url: ProviderUrl,
    payment_url: ProviderUrl,
    confirm_url: ProviderUrl,
    #[serde(default, with = "payments_common::serde::flexible_datetime::option")]
    expired_at: Option<OffsetDateTime>,
    #[serde(default)]
    immortal: Option<bool>,
    #[serde(default)]
    visible_fields: Option<Vec<VisibleField>>,
    #[serde(default)]
    return_url: Option<String>,
}

/// The message of a wire amount that has no exact ISO-scale form.
pub(crate) fn unrepresentable(amount: i64, currency: Currency) -> String {
    format!(
        "{amount} in {} cannot be written exactly at ISO 4217 scale",
        currency.code()
    )
}

impl TryFrom<ProductWire> for Product {
    type Error = String;

    fn try_from(w: ProductWire) -> Result<Self, String> {
        let price = currency::money_from_wire(w.amount, w.currency)
            .ok_or_else(|| unrepresentable(w.amount, w.currency))?;
        Ok(Product {
            id: w.id,
            price,
            name: w.name,
            description: w.description,
            currency: w.currency,
            amount_minor_wire: w.amount,
            quantity: w.quantity,
            infinite: w.infinite,
            language: w.language,
            transaction_type: w.transaction_type,
            created_at: w.created_at,
            updated_at: w.updated_at,
            test: w.test,
            additional_data: w.additional_data,
            pay_url: w.pay_url,
            payment_url: w.payment_url,
            confirm_url: w.confirm_url,
            expired_at: w.expired_at,
            immortal: w.immortal,
            visible_fields: w.visible_fields,
            return_url: w.return_url,
        })
    }
}

/// The fields shared by create and update.
#[derive(Debug, Clone, Default)]
struct Fields {
    name: Option<String>,
    description: Option<String>,
    price: Option<Money>,
    send_currency: bool,
    currency: Option<Currency>,
    quantity: Option<Quantity>,
    visible_fields: Option<Vec<VisibleField>>,
    test: Option<bool>,
    expiry: Option<Expiry>,
    return_url: Option<String>,
    notification_url: Option<String>,
    success_url: Option<String>,
    fail_url: Option<String>,
    shop_id: Option<String>,
    language: Option<Language>,
    transaction_type: Option<TransactionType>,
    additional_data: Option<AdditionalData>,
}

/// `expired_at` on the wire: RFC 3339 with a numeric offset, whole seconds.
pub(crate) fn format_expired_at(t: OffsetDateTime) -> Result<String, ErrorKind> {
    let format = format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second][offset_hour sign:mandatory]:[offset_minute]"
    );
    t.format(format)
        .map_err(|e| ErrorKind::invalid("expired_at", format!("cannot be formatted: {e}")))
}

/// `expired_at` written straight into the serializer, in the format of [`format_expired_at`]
/// (`2023-12-31T00:00:00+00:00`), from a stack buffer: no `String` and no format-description
/// interpretation per encode. Years outside 0000–9999 go through [`format_expired_at`].
pub(crate) struct ExpiredAt(pub(crate) OffsetDateTime);

impl Serialize for ExpiredAt {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        let Ok(year) = u16::try_from(t.year()) else {
            return s.serialize_str(&format_expired_at(t).map_err(serde::ser::Error::custom)?);
        };
        if year > 9999 {
            return s.serialize_str(&format_expired_at(t).map_err(serde::ser::Error::custom)?);
        }
        let offset = t.offset();
        let digits = |n: u16, out: &mut [u8]| {
            let mut n = n;
            for b in out.iter_mut().rev() {
                // `n % 10` is a single digit: the cast cannot truncate.
                *b = b'0' + (n % 10) as u8;
                n /= 10;
            }
        };
        let mut buf = *b"0000-00-00T00:00:00+00:00";
        digits(year, &mut buf[0..4]);
        digits(u16::from(u8::from(t.month())), &mut buf[5..7]);
        digits(u16::from(t.day()), &mut buf[8..10]);
        digits(u16::from(t.hour()), &mut buf[11..13]);
        digits(u16::from(t.minute()), &mut buf[14..16]);
        digits(u16::from(t.second()), &mut buf[17..19]);
        if offset.is_negative() {
            buf[19] = b'-';
        }
        digits(
            u16::from(offset.whole_hours().unsigned_abs()),
            &mut buf[20..22],
        );
        digits(
            u16::from(offset.minutes_past_hour().unsigned_abs()),
            &mut buf[23..25],
        );
        // Only ASCII digits and separators were written.
        s.serialize_str(std::str::from_utf8(&buf).map_err(serde::ser::Error::custom)?)
    }
}

/// The wire form, written field by field straight from [`Fields`] (no intermediate struct):
/// absent fields are skipped, in this order.
impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let amount = self
            .price
            .map(currency::wire)
            .transpose()
            .map_err(serde::ser::Error::custom)?;
        let currency = match (self.price, self.currency) {
            (Some(p), _) if self.send_currency => Some(p.currency()),
            (_, c) => c,
        };
        let mut map = s.serialize_map(None)?;
        if let Some(v) = &self.name {
            map.serialize_entry("name", v)?;
        }
        if let Some(v) = &self.description {
            map.serialize_entry("description", v)?;
        }
        if let Some(v) = &currency {
            map.serialize_entry("currency", v)?;
        }
        if let Some(v) = &amount {
            map.serialize_entry("amount", v)?;
        }
        match self.quantity {
            Some(Quantity::Limited(units)) => {
                map.serialize_entry("quantity", &units)?;
                map.serialize_entry("infinite", &false)?;
            }
            Some(Quantity::Unlimited) => map.serialize_entry("infinite", &true)?,
            None => {}
        }
        if let Some(v) = &self.visible_fields {
            map.serialize_entry("visible_fields", v)?;
        }
        if let Some(v) = &self.test {
            map.serialize_entry("test", v)?;
        }
        match self.expiry {
            Some(Expiry::Never) => map.serialize_entry("immortal", &true)?,
            Some(Expiry::At(at)) => {
                map.serialize_entry("immortal", &false)?;
                map.serialize_entry("expired_at", &ExpiredAt(at))?;
            }
            None => {}
        }
        for (key, value) in [
            ("return_url", &self.return_url),
            ("notification_url", &self.notification_url),
            ("success_url", &self.success_url),
            ("fail_url", &self.fail_url),
            ("shop_id", &self.shop_id),
        ] {
            if let Some(v) = value {
                map.serialize_entry(key, v)?;
            }
        }
        if let Some(v) = &self.language {
            map.serialize_entry("language", v)?;
        }
        if let Some(v) = &self.transaction_type {
            map.serialize_entry("transaction_type", v)?;
        }
        if let Some(v) = &self.additional_data {
            map.serialize_entry("additional_data", v)?;
        }
        map.end()
    }
}

impl Fields {
    fn validate(&self, create: bool) -> Result<(), ErrorKind> {
        for (field, value) in [("name", &self.name), ("description", &self.description)] {
            match value {
                Some(v) => validate::text(field, v, MAX_TEXT_CHARS)?,
                None if create => return Err(ErrorKind::invalid(field, "is required")),
                None => {}
            }
        }
        if let Some(price) = self.price {
            currency::check(price.currency())?;
            validate::positive_amount("amount", price)?;
            currency::wire(price)?;
        } else if create {
            return Err(ErrorKind::invalid("amount", "is required"));
        }
        if let Some(c) = self.currency {
            currency::check(c)?;
        }
        match self.quantity {
            Some(Quantity::Limited(0)) if create => {
                return Err(ErrorKind::invalid("quantity", "must be at least 1 (got 0)"));
            }
            None if create => {
                return Err(ErrorKind::invalid(
                    "quantity",
                    "is required: Quantity::Limited(n) or Quantity::Unlimited",
                ));
            }
            _ => {}
        }
        match self.expiry {
            Some(Expiry::At(at)) => {
                format_expired_at(at)?;
            }
            None if create => {
                return Err(ErrorKind::invalid(
                    "expired_at",
                    "is required: Expiry::At(time) or Expiry::Never",
                ));
            }
            _ => {}
        }
        for (field, url) in [
            ("return_url", &self.return_url),
            ("notification_url", &self.notification_url),
            ("success_url", &self.success_url),
            ("fail_url", &self.fail_url),
        ] {
            if let Some(url) = url {
                validate::callback_url(field, url, validate::DEFAULT_MAX_URL_LEN)?;
            }
        }
        if let Some(shop_id) = &self.shop_id {
            validate::plain_credential("shop_id", shop_id)?;
        }
        if let Some(Language::Unknown(code)) = &self.language
            && (code.len() != 2 || !code.bytes().all(|b| b.is_ascii_lowercase()))
        {
            return Err(ErrorKind::invalid(
                "language",
                "must be a two-letter lower-case code",
            ));
        }
        match &self.transaction_type {
            None | Some(TransactionType::Payment | TransactionType::Authorization) => {}
            Some(other) => {
                return Err(ErrorKind::invalid(
                    "transaction_type",
                    format!(
                        "must be payment or authorization (got {:?})",
                        other.as_str()
                    ),
                ));
            }
        }
        for field in self.visible_fields.iter().flatten() {
            if let VisibleField::Unknown(v) = field
                && (v.is_empty()
                    || v.len() > 64
                    || !v.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
            {
                return Err(ErrorKind::invalid(
                    "visible_fields",
                    "values are lower-case field names",
                ));
            }
        }
        Ok(())
    }
}

/// Builder methods shared by [`CreateProduct`] and [`UpdateProduct`].
macro_rules! shared_setters {
    () => {
        /// How many units can be sold: [`Quantity::Limited`] (`quantity`, with
        /// `"infinite": false`; a plain `u32` converts) or [`Quantity::Unlimited`]
        /// (`"infinite": true`).
        pub fn quantity(mut self, quantity: impl Into<Quantity>) -> Self {
            self.0.quantity = Some(quantity.into());
            self
        }

        /// Shorthand for `.quantity(Quantity::Unlimited)`.
        pub fn infinite(self) -> Self {
            self.quantity(Quantity::Unlimited)
        }

        /// Customer fields shown on the payment page and made mandatory there.
        pub fn visible_fields(mut self, fields: impl IntoIterator<Item = VisibleField>) -> Self {
            self.0.visible_fields = Some(fields.into_iter().collect());
            self
        }

        /// Whether this is a test product (`test`).
        pub fn test(mut self, test: bool) -> Self {
            self.0.test = Some(test);
            self
        }

        /// Until when the product can be paid: [`Expiry::At`] (`expired_at`, with
        /// `"immortal": false`) or [`Expiry::Never`] (`"immortal": true`).
        pub fn expiry(mut self, expiry: Expiry) -> Self {
            self.0.expiry = Some(expiry);
            self
        }

        /// Shorthand for `.expiry(Expiry::Never)`.
        pub fn immortal(self) -> Self {
            self.expiry(Expiry::Never)
        }

        /// Where the customer is sent after paying (`return_url`). Without it, beGateway uses
        /// the shop's registered URL. Must be `https` (checked by `validate`). The customer's
        /// arrival there proves nothing: see [`ReturnParams`](crate::ReturnParams).
        pub fn return_url(mut self, url: impl Into<String>) -> Self {
            self.0.return_url = Some(url.into());
            self
        }

        /// Where beGateway posts payment notifications (`notification_url`; PHP SDK field).
        pub fn notification_url(mut self, url: impl Into<String>) -> Self {
            self.0.notification_url = Some(url.into());
            self
        }

        /// Where the customer goes after a successful payment (`success_url`; PHP SDK field).
        pub fn success_url(mut self, url: impl Into<String>) -> Self {
            self.0.success_url = Some(url.into());
            self
        }

        /// Where the customer goes after a failed payment (`fail_url`; PHP SDK field).
        pub fn fail_url(mut self, url: impl Into<String>) -> Self {
            self.0.fail_url = Some(url.into());
            self
        }

        /// The shop id (`shop_id`; sent as a string as in the page's examples). Optional: the
        /// credentials already name the shop.
        pub fn shop_id(mut self, shop_id: impl Into<String>) -> Self {
            self.0.shop_id = Some(shop_id.into());
            self
        }

        /// Language of the payment page (`language`).
        pub fn language(mut self, language: Language) -> Self {
            self.0.language = Some(language);
            self
        }

        /// `payment` (default at beGateway) or `authorization` (`transaction_type`).
        pub fn transaction_type(mut self, kind: TransactionType) -> Self {
            self.0.transaction_type = Some(kind);
            self
        }

        /// Free-form data attached to the product (`additional_data`).
        pub fn additional_data(mut self, data: AdditionalData) -> Self {
            self.0.additional_data = Some(data);
            self
        }
    };
}

/// `POST /products`: a new product. Name, description, price and language are required, and
/// a [`Quantity`] and an [`Expiry`].
///
/// ```
/// use begateway::{CreateProduct, Currency, Expiry, Language, Money, Quantity};
///
/// let request = CreateProduct::new("Pro plan", "Monthly access", Money::parse("9.90", Currency::USD)?)
///     .quantity(Quantity::Unlimited)
///     .expiry(Expiry::Never)
///     .language(Language::En)
///     .return_url("https://shop.example/thanks")
///     .build()?;
/// let json = serde_json::to_value(&request)?;
/// assert_eq!(json["amount"], 990);
/// assert_eq!(json["currency"], "USD");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct CreateProduct(Fields);

impl CreateProduct {
    /// A product named `name` with `description`, sold at `price`, page language `en`.
    pub fn new(name: impl Into<String>, description: impl Into<String>, price: Money) -> Self {
        CreateProduct(Fields {
            name: Some(name.into()),
            description: Some(description.into()),
            price: Some(price),
            send_currency: true,
            language: Some(Language::En),
            ..Fields::default()
        })
    }

    shared_setters!();

    /// Checks every field as beGateway documents it ([`ErrorKind::InvalidRequest`] naming the
    /// wire field, operation `products.create`); [`Products::create`] checks again before
    /// sending.
    pub fn build(self) -> Result<Self, Error> {
        self.0
            .validate(true)
            .map_err(Error::at("products.create"))?;
        Ok(self)
    }
}

impl Serialize for CreateProduct {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl fmt::Debug for CreateProduct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CreateProduct").field(&self.0).finish()
    }
}

/// `PUT /products/{id}`: change some fields of a product (all optional; the page says the
/// parameters are those of create).
///
/// ```
/// use begateway::{UpdateProduct, Currency, Money};
/// let request = UpdateProduct::new().amount(Money::parse("9.50", Currency::EUR)?).quantity(5).build()?;
/// assert_eq!(serde_json::to_string(&request)?, r#"{"amount":950,"quantity":5,"infinite":false}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default)]
pub struct UpdateProduct(Fields);

impl UpdateProduct {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        UpdateProduct::default()
    }

    /// A new name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.0.name = Some(name.into());
        self
    }

    /// A new description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.0.description = Some(description.into());
        self
    }

    /// A new price: sends `amount` **and** `currency`.
    pub fn price(mut self, price: Money) -> Self {
        self.0.price = Some(price);
        self.0.send_currency = true;
        self
    }

    /// A new amount in the product's current currency: sends `amount` only, as the page's
    /// example does. `amount`'s currency only tells how to scale it to minor units; it must
    /// be the product's currency.
    pub fn amount(mut self, amount: Money) -> Self {
        self.0.price = Some(amount);
        self.0.send_currency = false;
        self
    }

    /// A new currency alone (`currency`).
    pub fn currency(mut self, currency: Currency) -> Self {
        self.0.currency = Some(currency);
        self
    }

    shared_setters!();

    /// Checks the fields that are set (operation `products.update`); [`Products::update`]
    /// checks again before sending.
    pub fn build(self) -> Result<Self, Error> {
        self.0
            .validate(false)
            .map_err(Error::at("products.update"))?;
        Ok(self)
    }
}

impl Serialize for UpdateProduct {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl fmt::Debug for UpdateProduct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("UpdateProduct").field(&self.0).finish()
    }
}

/// The product operations, from [`Client::products`].
#[derive(Debug, Clone, Copy)]
pub struct Products<'a> {
    client: &'a Client,
}

impl<'a> Products<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Products { client }
    }

    /// `POST {api}/products` → 201 with the product. 422 → [`ErrorKind::Api`] with per-field
    /// messages. Not repeated after it may have reached beGateway (no idempotency key is
    /// documented for products): a timeout or broken connection is
    /// [`ErrorKind::OutcomeUnknown`] whose reconciliation handle is the product name — look for it
    /// with [`Products::list`] before creating it again.
    pub async fn create(&self, request: &CreateProduct) -> Result<Product, Error> {
        self.create_kind(request)
            .await
            .map_err(Error::at("products.create"))
    }

    async fn create_kind(&self, request: &CreateProduct) -> Result<Product, ErrorKind> {
        request.0.validate(true)?;
        let url = self.client.api_url(&["products"]);
        let reference = request.0.name.clone().unwrap_or_default();
        let http = Request::post("begateway.products.create", url)
            .json(request)?
            .reconcile_with(Reconciliation::merchant_reference(reference));
        let http = self.client.authorize(http)?;
        self.client
            .http()
            .execute(http, |r| match r.status().as_u16() {
                200 | 201 => r.json(),
                _ => Err(self.client.map_error(&r)),
            })
            .await
    }

    /// `GET {api}/products/{id}` → 200 with the product. The page's "302 with an error body"
    /// becomes [`ErrorKind::Api`] with status 302 and beGateway's message (or
    /// [`ErrorKind::UnexpectedRedirect`] without a JSON body: redirects are never followed);
    /// 401 → [`ErrorKind::Unauthorized`], 404 → [`ErrorKind::NotFound`]; an answer about another
    /// product than `id` → [`ErrorKind::Decode`] (path `id`).
    pub async fn get(&self, id: &ProductId) -> Result<Product, Error> {
        self.get_kind(id).await.map_err(Error::at("products.get"))
    }

    async fn get_kind(&self, id: &ProductId) -> Result<Product, ErrorKind> {
        validate::path_id("product_id", id.as_str())?;
        let url = self.client.api_url(&["products", id.as_str()]);
        let http = self
            .client
            .authorize(Request::get("begateway.products.get", url))?;
        self.client
            .http()
            .execute(http, |r| match r.status().as_u16() {
                200 => {
                    let product: Product = r.json()?;
                    if product.id != *id {
                        return Err(r.decode_error(
                            "id",
                            "the answer is about another product than the one asked for",
                        ));
                    }
                    Ok(product)
                }
                _ => Err(self.client.map_error(&r)),
            })
            .await
    }

    /// `GET {api}/products` → 200 with a bare JSON array of every product (no pagination is
    /// documented).
    pub async fn list(&self) -> Result<Vec<Product>, Error> {
        self.list_kind().await.map_err(Error::at("products.list"))
    }

    async fn list_kind(&self) -> Result<Vec<Product>, ErrorKind> {
        let url = self.client.api_url(&["products"]);
        let http = self
            .client
            .authorize(Request::get("begateway.products.list", url))?;
        self.client
            .http()
            .execute(http, |r| match r.status().as_u16() {
                200 => r.json(),
                _ => Err(self.client.map_error(&r)),
            })
            .await
    }

    /// `PUT {api}/products/{id}` → 204 with an empty body (a 200 is accepted too, its body
    /// ignored). Not repeated after it may have reached beGateway: a timeout is
    /// [`ErrorKind::OutcomeUnknown`]; read the product with [`Products::get`] to reconcile.
    pub async fn update(&self, id: &ProductId, request: &UpdateProduct) -> Result<(), Error> {
        self.update_kind(id, request)
            .await
            .map_err(Error::at("products.update"))
    }

    async fn update_kind(&self, id: &ProductId, request: &UpdateProduct) -> Result<(), ErrorKind> {
        validate::path_id("product_id", id.as_str())?;
        request.0.validate(false)?;
        let url = self.client.api_url(&["products", id.as_str()]);
        let http = Request::put("begateway.products.update", url)
            .json(request)?
            .reconcile_with(Reconciliation::merchant_reference(id.as_str()));
        let http = self.client.authorize(http)?;
        self.client
            .http()
            .execute(http, |r| match r.status().as_u16() {
                200 | 204 => Ok(()),
                _ => Err(self.client.map_error(&r)),
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{datetime, offset};

    #[test]
    fn expired_at_is_written_as_the_format_description_writes_it() {
        let times = [
            datetime!(2023-12-31 00:00 UTC),
            datetime!(0001-01-01 00:00:00 UTC),
            datetime!(9999-12-31 23:59:59.999 UTC),
            datetime!(2024-02-29 12:34:56 UTC).to_offset(offset!(+05:30)),
            datetime!(2024-02-29 12:34:56 UTC).to_offset(offset!(-00:30)),
            datetime!(2024-02-29 12:34:56 UTC).to_offset(offset!(-11:45)),
            datetime!(2024-07-01 09:08:07 UTC).to_offset(offset!(+14:00)),
        ];
        for t in times {
            let written = serde_json::to_string(&ExpiredAt(t)).unwrap();
            let expected = serde_json::to_string(&format_expired_at(t).unwrap()).unwrap();
            assert_eq!(written, expected, "{t}");
        }
    }
}
