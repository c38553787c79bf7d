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
//! - `quantity` XOR `infinite`, and `expired_at` XOR `immortal`: the builder sets the pair
//!   together (`.quantity(10)` also sends `"infinite": false`; `.expires_at(..)` also sends
//!   `"immortal": false`), and a create must choose one of each (bePaid's English page marks
//!   `quantity` and `expired_at` as conditionally required).
//! - `name` and `description` are limited to 255 characters: the page gives no limit; 255 is
//!   the card API's documented limit for `description`, *inferred* to apply here too.
//! - `language` is always sent (the page marks it required yet says it defaults to `en`);
//!   [`CreateProduct::new`] starts with [`Language::En`].
//! - The extra fields `notification_url`, `success_url`, `fail_url` and `additional_data` come
//!   from beGateway's PHP SDK, not from the page.

use std::fmt;

use payments_common::http::Request;
use payments_common::{Currency, Error, Money, ProviderUrl, Reconciliation, validate};
use serde::{Deserialize, Serialize, Serializer};
use time::OffsetDateTime;
use time::macros::format_description;

use crate::client::Client;
use crate::currency;

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
/// `amount`/`quantity` are read from numbers or numeric strings; `quantity` may be `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Product {
    /// The product id (`prd_…`), for [`Products::get`] and [`Products::update`].
    pub id: ProductId,
    /// Product name.
    pub name: String,
    /// Product description.
    pub description: String,
    /// Currency, with its ISO 4217 exponent.
    pub currency: Currency,
    /// The raw `amount` integer as beGateway sent it: minor units of **beGateway's** exponent
    /// for `currency` (IDR has 0 decimals there, 2 in ISO 4217; see [`crate::currency`]).
    /// [`Product::price`] gives it as [`Money`].
    #[serde(
        rename = "amount",
        deserialize_with = "payments_common::serde::int_or_string::deserialize"
    )]
    pub amount_minor_wire: i64,
    /// Units in stock; `null` (or `0`) when `infinite` is true.
    #[serde(
        default,
        deserialize_with = "payments_common::serde::int_or_string::deserialize_option"
    )]
    pub quantity: Option<i64>,
    /// Whether the stock is unlimited.
    #[serde(default)]
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

impl Product {
    /// The price as exact money at **ISO 4217 scale**, converted exactly from beGateway's
    /// exponent (an `IDR` product with wire `amount` 15000 costs 15 000 rupiah: `Money` minor
    /// units `1_500_000`). `None` when the wire value cannot be written at ISO scale (see
    /// [`crate::currency::money_from_wire`]).
    ///
    /// ```
    /// # let product: begateway::Product = serde_json::from_str(r#"{"id":"prd_1","name":"n","description":"d",
    /// #   "currency":"USD","amount":990,"quantity":10,"infinite":false,"language":"en","transaction_type":"payment",
    /// #   "created_at":"2022-12-20T18:54:42.033Z","updated_at":"2022-12-20T18:54:42.033Z","test":false,
    /// #   "additional_data":{},"pay_url":"https://api.begateway.com/products/prd_1/pay",
    /// #   "payment_url":"https://api.begateway.com/products/prd_1/pay",
    /// #   "confirm_url":"https://checkout.begateway.com/v2/confirm_order/prd_1/1"}"#)?;
    /// assert_eq!(product.price().map(|p| p.to_string()), Some("9.90 USD".into()));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn price(&self) -> Option<Money> {
        currency::money_from_wire(self.amount_minor_wire, self.currency)
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
    quantity: Option<i64>,
    infinite: Option<bool>,
    visible_fields: Option<Vec<VisibleField>>,
    test: Option<bool>,
    immortal: Option<bool>,
    expired_at: Option<OffsetDateTime>,
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
fn format_expired_at(t: OffsetDateTime) -> Result<String, Error> {
    let format = format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second][offset_hour sign:mandatory]:[offset_minute]"
    );
    t.format(format)
        .map_err(|e| Error::invalid("expired_at", format!("cannot be formatted: {e}")))
}

/// `expired_at` written straight into the serializer, in the format of [`format_expired_at`]
/// (`2023-12-31T00:00:00+00:00`), from a stack buffer: no `String` and no format-description
/// interpretation per encode. Years outside 0000–9999 go through [`format_expired_at`].
struct ExpiredAt(OffsetDateTime);

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
            .map(currency::wire_amount)
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
        if let Some(v) = &self.quantity {
            map.serialize_entry("quantity", v)?;
        }
        if let Some(v) = &self.infinite {
            map.serialize_entry("infinite", v)?;
        }
        if let Some(v) = &self.visible_fields {
            map.serialize_entry("visible_fields", v)?;
        }
        if let Some(v) = &self.test {
            map.serialize_entry("test", v)?;
        }
        if let Some(v) = &self.immortal {
            map.serialize_entry("immortal", v)?;
        }
        if let Some(v) = self.expired_at {
            map.serialize_entry("expired_at", &ExpiredAt(v))?;
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
    fn validate(&self, create: bool) -> Result<(), Error> {
        for (field, value) in [("name", &self.name), ("description", &self.description)] {
            match value {
                Some(v) => validate::text(field, v, MAX_TEXT_CHARS)?,
                None if create => return Err(Error::invalid(field, "is required")),
                None => {}
            }
        }
        if let Some(price) = self.price {
            currency::currency(price.currency())?;
            validate::positive_amount("amount", price)?;
            currency::wire_amount(price)?;
        } else if create {
            return Err(Error::invalid("amount", "is required"));
        }
        if let Some(c) = self.currency {
            currency::currency(c)?;
        }
        match (self.quantity, self.infinite) {
            (Some(_), Some(true)) => {
                return Err(Error::invalid(
                    "quantity",
                    "must not be sent when infinite is true",
                ));
            }
            (Some(q), _) if q < 0 || (create && q == 0) => {
                return Err(Error::invalid(
                    "quantity",
                    format!("must be at least {} (got {q})", u8::from(create)),
                ));
            }
            (None, None | Some(false)) if create => {
                return Err(Error::invalid(
                    "quantity",
                    "is required unless infinite is true",
                ));
            }
            _ => {}
        }
        match (self.expired_at, self.immortal) {
            (Some(_), Some(true)) => {
                return Err(Error::invalid(
                    "expired_at",
                    "must not be sent when immortal is true",
                ));
            }
            (None, None | Some(false)) if create => {
                return Err(Error::invalid(
                    "expired_at",
                    "is required unless immortal is true",
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
            return Err(Error::invalid(
                "language",
                "must be a two-letter lower-case code",
            ));
        }
        match &self.transaction_type {
            None | Some(TransactionType::Payment | TransactionType::Authorization) => {}
            Some(other) => {
                return Err(Error::invalid(
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
                return Err(Error::invalid(
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
        /// Units in stock (`quantity`); also sends `"infinite": false`.
        pub fn quantity(mut self, quantity: i64) -> Self {
            self.0.quantity = Some(quantity);
            self.0.infinite = Some(false);
            self
        }

        /// Unlimited stock (`"infinite": true`, no `quantity`), e.g. a virtual product.
        pub fn infinite(mut self) -> Self {
            self.0.infinite = Some(true);
            self.0.quantity = None;
            self
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

        /// No payment deadline (`"immortal": true`, no `expired_at`).
        pub fn immortal(mut self) -> Self {
            self.0.immortal = Some(true);
            self.0.expired_at = None;
            self
        }

        /// The payment deadline (`expired_at`, sent as RFC 3339 with its offset, whole
        /// seconds); also sends `"immortal": false`.
        pub fn expires_at(mut self, at: OffsetDateTime) -> Self {
            self.0.expired_at = Some(at);
            self.0.immortal = Some(false);
            self
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

/// `POST /products`: a new product. Name, description, price and language are required; choose
/// [`quantity`](CreateProduct::quantity) or [`infinite`](CreateProduct::infinite), and
/// [`expires_at`](CreateProduct::expires_at) or [`immortal`](CreateProduct::immortal).
///
/// ```
/// use begateway::{CreateProduct, Currency, Language, Money};
///
/// let request = CreateProduct::new("Pro plan", "Monthly access", Money::parse("9.90", Currency::USD)?)
///     .infinite()
///     .immortal()
///     .language(Language::En)
///     .return_url("https://shop.example/thanks");
/// request.validate()?;
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

    /// Checks every field as beGateway documents it; nothing is sent if this fails
    /// ([`Error::InvalidRequest`] naming the wire field).
    pub fn validate(&self) -> Result<(), Error> {
        self.0.validate(true)
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
/// let request = UpdateProduct::new().amount(Money::parse("9.50", Currency::EUR)?).quantity(5);
/// request.validate()?;
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

    /// Checks the fields that are set; nothing is sent if this fails.
    pub fn validate(&self) -> Result<(), Error> {
        self.0.validate(false)
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

    /// `POST {api}/products` → 201 with the product. 422 → [`Error::Api`] with per-field
    /// messages. Not repeated after it may have reached beGateway (no idempotency key is
    /// documented for products): a timeout or broken connection is
    /// [`Error::OutcomeUnknown`] whose reconciliation handle is the product name — look for it
    /// with [`Products::list`] before creating it again.
    pub async fn create(&self, request: &CreateProduct) -> Result<Product, Error> {
        request.validate()?;
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
    /// becomes [`Error::Api`] with status 302 and beGateway's message (or
    /// [`Error::UnexpectedRedirect`] without a JSON body: redirects are never followed);
    /// 401 → [`Error::Unauthorized`], 404 → [`Error::NotFound`]; an answer about another
    /// product than `id` → [`Error::Decode`] (path `id`).
    pub async fn get(&self, id: &ProductId) -> Result<Product, Error> {
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
    /// [`Error::OutcomeUnknown`]; read the product with [`Products::get`] to reconcile.
    pub async fn update(&self, id: &ProductId, request: &UpdateProduct) -> Result<(), Error> {
        validate::path_id("product_id", id.as_str())?;
        request.validate()?;
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
