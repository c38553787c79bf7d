//! Hosted checkout (payment token) on the checkout host: create a checkout for any amount and
//! order, send the customer to its `redirect_url`, then read the checkout back by token.
//!
//! `POST {checkout}/ctp/api/checkouts` with `{"checkout": {...}}` answers
//! `{"checkout": {"token": "…", "redirect_url": "…"}}`; `GET {checkout}/ctp/api/checkouts/{token}`
//! answers the checkout with `finished` and the gateway's result. Shapes from beGateway's PHP and
//! Ruby SDKs (`docs/providers/begateway.md#checkout`, inferred). Like product writes, a
//! checkout create is **not** keyed (beGateway documents no idempotency key for it): it is
//! never repeated once it may have reached beGateway.
//!
//! ```no_run
//! use begateway::{CreateCheckout, CheckoutType, Currency, Money};
//!
//! # async fn run(client: begateway::Client) -> begateway::Result<()> {
//! let request = CreateCheckout::new(CheckoutType::Payment, Money::parse("9.90", Currency::USD)?, "Order 42", "order-42")
//!     .notification_url("https://shop.example/begateway/notify")
//!     .success_url("https://shop.example/orders/42/paid")
//!     .test(true)
//!     .build()?;
//! let checkout = client.checkouts().create(&request).await?;
//! println!("send the customer to {}", checkout.redirect_url);
//! let state = client.checkouts().get(&checkout.token).await?;
//! println!("finished: {}", state.finished);
//! # Ok(()) }
//! ```

use payments_common::http::Request;
use payments_common::{Currency, ErrorKind, Money, ProviderUrl, Reconciliation, validate};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::currency;
use crate::error::Error;
use crate::products::{AdditionalData, ExpiredAt, Language, format_expired_at};
use crate::transactions::{ProcessorDetails, TransactionUid};

payments_common::id_type! {
    /// A checkout's token (64 hex digits at beGateway).
    pub struct CheckoutToken;
}

payments_common::open_enum! {
    /// What a checkout does (`transaction_type`).
    pub enum CheckoutType {
        /// Authorize and capture at once.
        Payment = "payment",
        /// Reserve the amount; capture later.
        Authorization = "authorization",
        /// Save the card (a token to charge later), no money moves.
        Tokenization = "tokenization",
    }
}

payments_common::open_enum! {
    /// A payment method the hosted page offers (`payment_method.types[]`): the names of
    /// beGateway's official PHP SDK (`credit_card`, `halva`, `erip`, `emexvoucher`). Others
    /// your shop has are sent as given ([`PaymentMethodType::Unknown`]).
    pub enum PaymentMethodType {
        /// Bank cards.
        CreditCard = "credit_card",
        /// Halva instalment cards.
        Halva = "halva",
        /// ERIP, Belarus's settlement system (parameters: [`EripParams`]).
        Erip = "erip",
        /// Emex vouchers.
        Emexvoucher = "emexvoucher",
    }
}

payments_common::open_enum! {
    /// A customer field of the hosted page (`settings.customer_fields.visible[]` /
    /// `read_only[]`): the names of beGateway's official PHP SDK.
    pub enum CustomerField {
        /// First name.
        FirstName = "first_name",
        /// Last name.
        LastName = "last_name",
        /// E-mail address.
        Email = "email",
        /// Street address.
        Address = "address",
        /// City.
        City = "city",
        /// State or region.
        State = "state",
        /// Postal code.
        Zip = "zip",
        /// Phone number.
        Phone = "phone",
        /// Country.
        Country = "country",
        /// Date of birth.
        BirthDate = "birth_date",
    }
}

/// The ERIP section of `payment_method` (`payment_method.erip`): the account the customer
/// pays into, and optionally ERIP's service number and your order number (fields of
/// beGateway's official PHP SDK).
///
/// ```
/// use begateway::EripParams;
/// let erip = EripParams::new("order-42").service_no(99999999).order_id(42);
/// # let _ = erip;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EripParams {
    account_number: String,
    service_no: Option<u64>,
    order_id: Option<u64>,
}

impl EripParams {
    /// ERIP parameters for the account `account_number`.
    pub fn new(account_number: impl Into<String>) -> Self {
        EripParams {
            account_number: account_number.into(),
            service_no: None,
            order_id: None,
        }
    }

    /// ERIP's service number (`service_no`).
    pub fn service_no(mut self, service_no: u64) -> Self {
        self.service_no = Some(service_no);
        self
    }

    /// Your order number (`order_id`).
    pub fn order_id(mut self, order_id: u64) -> Self {
        self.order_id = Some(order_id);
        self
    }
}

/// The customer a checkout is for (`customer`): every field optional, pre-filled on the
/// hosted page (make them read-only with [`CreateCheckout::read_only_fields`]).
///
/// ```
/// use begateway::CheckoutCustomer;
/// let customer = CheckoutCustomer::new()
///     .email("jake@example.com")
///     .first_name("Jake")
///     .address("Baker street 221b")
///     .city("London")
///     .country("GB");
/// # let _ = customer;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckoutCustomer {
    email: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    country: Option<String>,
    city: Option<String>,
    state: Option<String>,
    zip: Option<String>,
    address: Option<String>,
    phone: Option<String>,
    birth_date: Option<String>,
}

macro_rules! customer_setters {
    ($($(#[$doc:meta])* $name:ident;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, value: impl Into<String>) -> Self {
                self.$name = Some(value.into());
                self
            }
        )*
    };
}

impl CheckoutCustomer {
    /// No field set.
    pub fn new() -> Self {
        CheckoutCustomer::default()
    }

    customer_setters! {
        /// E-mail address (`customer.email`).
        email;
        /// First name (`customer.first_name`).
        first_name;
        /// Last name (`customer.last_name`).
        last_name;
        /// Country, ISO 3166-1 alpha-2 (`customer.country`, e.g. `GB`).
        country;
        /// City (`customer.city`).
        city;
        /// State or region (`customer.state`; `US`/`CA` two-letter codes at beGateway).
        state;
        /// Postal code (`customer.zip`).
        zip;
        /// Street address (`customer.address`).
        address;
        /// Phone number (`customer.phone`).
        phone;
        /// Date of birth, `YYYY-MM-DD` (`customer.birth_date`).
        birth_date;
    }

    fn is_empty(&self) -> bool {
        *self == CheckoutCustomer::default()
    }

    fn validate(&self) -> Result<(), ErrorKind> {
        for (field, value) in [
            ("customer.first_name", &self.first_name),
            ("customer.last_name", &self.last_name),
            ("customer.city", &self.city),
            ("customer.state", &self.state),
            ("customer.zip", &self.zip),
            ("customer.address", &self.address),
        ] {
            if let Some(v) = value {
                validate::text(field, v, 255)?;
            }
        }
        if let Some(email) = &self.email {
            validate::text("customer.email", email, 255)?;
            if !email.contains('@') {
                return Err(ErrorKind::invalid(
                    "customer.email",
                    "is not an e-mail address",
                ));
            }
        }
        if let Some(country) = &self.country
            && (country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()))
        {
            return Err(ErrorKind::invalid(
                "customer.country",
                "must be an ISO 3166-1 alpha-2 code (two capital letters)",
            ));
        }
        if let Some(phone) = &self.phone {
            let digits = phone.strip_prefix('+').unwrap_or(phone);
            if !(5..=20).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ErrorKind::invalid(
                    "customer.phone",
                    "must be 5 to 20 digits, optionally after a +",
                ));
            }
        }
        if let Some(date) = &self.birth_date {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            if time::Date::parse(date, &format).is_err() {
                return Err(ErrorKind::invalid(
                    "customer.birth_date",
                    "must be a date as YYYY-MM-DD",
                ));
            }
        }
        Ok(())
    }
}

/// `POST {checkout}/ctp/api/checkouts`: a hosted checkout for `amount` and your order
/// reference (`order.tracking_id`).
#[derive(Debug, Clone)]
pub struct CreateCheckout {
    kind: CheckoutType,
    amount: Money,
    description: String,
    tracking_id: String,
    expires_at: Option<time::OffsetDateTime>,
    additional_data: Option<AdditionalData>,
    test: bool,
    language: Option<Language>,
    notification_url: Option<String>,
    success_url: Option<String>,
    decline_url: Option<String>,
    fail_url: Option<String>,
    cancel_url: Option<String>,
    customer: CheckoutCustomer,
    visible: Vec<CustomerField>,
    read_only: Vec<CustomerField>,
    hidden: Vec<CustomerField>,
    payment_methods: Vec<PaymentMethodType>,
    erip: Option<EripParams>,
}

impl CreateCheckout {
    /// A checkout of type `kind` for `amount`, described as `description`, for the order
    /// `tracking_id`.
    pub fn new(
        kind: CheckoutType,
        amount: Money,
        description: impl Into<String>,
        tracking_id: impl Into<String>,
    ) -> Self {
        CreateCheckout {
            kind,
            amount,
            description: description.into(),
            tracking_id: tracking_id.into(),
            expires_at: None,
            additional_data: None,
            test: false,
            language: None,
            notification_url: None,
            success_url: None,
            decline_url: None,
            fail_url: None,
            cancel_url: None,
            customer: CheckoutCustomer::default(),
            visible: Vec::new(),
            read_only: Vec::new(),
            hidden: Vec::new(),
            payment_methods: Vec::new(),
            erip: None,
        }
    }

    /// Until when the checkout can be paid (`order.expired_at`), sent as RFC 3339 with its
    /// offset and no fraction (`2030-12-31T23:59:59+03:00`), as for products. Without it,
    /// beGateway applies its own lifetime.
    ///
    /// ```
    /// use begateway::{CheckoutType, CreateCheckout, Currency, Money};
    /// let request = CreateCheckout::new(CheckoutType::Payment, Money::from_minor_units(990, Currency::USD), "Order 42", "order-42")
    ///     .expires_at(time::macros::datetime!(2030-12-31 23:59:59 +03:00))
    ///     .build()?;
    /// # Ok::<(), begateway::Error>(())
    /// ```
    pub fn expires_at(mut self, at: time::OffsetDateTime) -> Self {
        self.expires_at = Some(at);
        self
    }

    /// Free-form data attached to the order (`order.additional_data`): receipt lines,
    /// contract fields, any other key.
    ///
    /// ```
    /// use begateway::{AdditionalData, CheckoutType, CreateCheckout, Currency, Money};
    /// let mut data = AdditionalData::default();
    /// data.receipt_text = vec!["Thank you for your order".into()];
    /// let request = CreateCheckout::new(CheckoutType::Payment, Money::from_minor_units(990, Currency::USD), "Order 42", "order-42")
    ///     .additional_data(data)
    ///     .build()?;
    /// # Ok::<(), begateway::Error>(())
    /// ```
    pub fn additional_data(mut self, data: AdditionalData) -> Self {
        self.additional_data = Some(data);
        self
    }

    /// Test mode (`test`).
    pub fn test(mut self, test: bool) -> Self {
        self.test = test;
        self
    }

    /// The page's language (`settings.language`).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// Where beGateway posts notifications (`settings.notification_url`).
    pub fn notification_url(mut self, url: impl Into<String>) -> Self {
        self.notification_url = Some(url.into());
        self
    }

    /// Where the customer goes after a successful payment (`settings.success_url`).
    pub fn success_url(mut self, url: impl Into<String>) -> Self {
        self.success_url = Some(url.into());
        self
    }

    /// Where the customer goes after a decline (`settings.decline_url`).
    pub fn decline_url(mut self, url: impl Into<String>) -> Self {
        self.decline_url = Some(url.into());
        self
    }

    /// Where the customer goes after an error (`settings.fail_url`).
    pub fn fail_url(mut self, url: impl Into<String>) -> Self {
        self.fail_url = Some(url.into());
        self
    }

    /// Where the customer goes when they cancel (`settings.cancel_url`).
    pub fn cancel_url(mut self, url: impl Into<String>) -> Self {
        self.cancel_url = Some(url.into());
        self
    }

    /// The customer's e-mail address (`customer.email`; the same as
    /// [`CheckoutCustomer::email`]).
    pub fn customer_email(mut self, email: impl Into<String>) -> Self {
        self.customer.email = Some(email.into());
        self
    }

    /// The customer (`customer`), replacing any e-mail set before.
    pub fn customer(mut self, customer: CheckoutCustomer) -> Self {
        self.customer = customer;
        self
    }

    /// The customer fields the page shows (`settings.customer_fields.visible`).
    pub fn visible_fields(mut self, fields: impl IntoIterator<Item = CustomerField>) -> Self {
        self.visible = fields.into_iter().collect();
        self
    }

    /// The customer fields the page shows but does not let the customer change
    /// (`settings.customer_fields.read_only`; fill them with [`CreateCheckout::customer`]).
    pub fn read_only_fields(mut self, fields: impl IntoIterator<Item = CustomerField>) -> Self {
        self.read_only = fields.into_iter().collect();
        self
    }

    /// The customer fields the page hides (`settings.customer_fields.hidden`; in the official
    /// Ruby SDK's test data, not on the checkout page: inferred).
    pub fn hidden_fields(mut self, fields: impl IntoIterator<Item = CustomerField>) -> Self {
        self.hidden = fields.into_iter().collect();
        self
    }

    /// The payment methods the page offers, in order (`payment_method.types`); without it,
    /// every method of your shop.
    pub fn payment_methods(mut self, types: impl IntoIterator<Item = PaymentMethodType>) -> Self {
        self.payment_methods = types.into_iter().collect();
        self
    }

    /// ERIP's parameters (`payment_method.erip`); [`PaymentMethodType::Erip`] must be among
    /// [`CreateCheckout::payment_methods`].
    pub fn erip(mut self, params: EripParams) -> Self {
        self.erip = Some(params);
        self
    }

    /// Checks every field (operation `checkouts.create`); the operation checks again before
    /// sending.
    pub fn build(self) -> Result<Self, Error> {
        self.validate().map_err(Error::at("checkouts.create"))?;
        Ok(self)
    }

    fn validate(&self) -> Result<(), ErrorKind> {
        match &self.kind {
            CheckoutType::Tokenization => {
                if self.amount.minor_units() < 0 {
                    return Err(ErrorKind::invalid("order.amount", "must not be negative"));
                }
            }
            CheckoutType::Unknown(v) => {
                return Err(ErrorKind::invalid(
                    "transaction_type",
                    format!("must be payment, authorization or tokenization (got {v:?})"),
                ));
            }
            _ => validate::positive_amount("order.amount", self.amount)?,
        }
        currency::wire(self.amount).map_err(|e| rename(e, "order.amount"))?;
        validate::text("order.description", &self.description, 255)?;
        validate::text("order.tracking_id", &self.tracking_id, 255)?;
        if let Some(at) = self.expires_at {
            format_expired_at(at).map_err(|e| rename(e, "order.expired_at"))?;
        }
        for (field, url) in [
            ("settings.notification_url", &self.notification_url),
            ("settings.success_url", &self.success_url),
            ("settings.decline_url", &self.decline_url),
            ("settings.fail_url", &self.fail_url),
            ("settings.cancel_url", &self.cancel_url),
        ] {
            if let Some(url) = url {
                validate::callback_url(field, url, validate::DEFAULT_MAX_URL_LEN)?;
            }
        }
        self.customer.validate()?;
        for (field, list) in [
            ("settings.customer_fields.visible", &self.visible),
            ("settings.customer_fields.read_only", &self.read_only),
            ("settings.customer_fields.hidden", &self.hidden),
        ] {
            for (i, f) in list.iter().enumerate() {
                wire_name(field, f.as_str())?;
                if list[..i].contains(f) {
                    return Err(ErrorKind::invalid(
                        field,
                        format!("lists {:?} twice", f.as_str()),
                    ));
                }
            }
        }
        for (i, t) in self.payment_methods.iter().enumerate() {
            wire_name("payment_method.types", t.as_str())?;
            if self.payment_methods[..i].contains(t) {
                return Err(ErrorKind::invalid(
                    "payment_method.types",
                    format!("lists {:?} twice", t.as_str()),
                ));
            }
        }
        if let Some(erip) = &self.erip {
            if !self.payment_methods.contains(&PaymentMethodType::Erip) {
                return Err(ErrorKind::invalid(
                    "payment_method.types",
                    "must list erip when ERIP parameters are given",
                ));
            }
            validate::text(
                "payment_method.erip.account_number",
                &erip.account_number,
                30,
            )?;
        }
        Ok(())
    }
}

impl CreateCheckout {
    /// The wire body, `{"checkout": {...}}` (checked by the caller).
    pub(crate) fn wire_body(&self) -> Result<impl Serialize + '_, ErrorKind> {
        let any_fields =
            !(self.visible.is_empty() && self.read_only.is_empty() && self.hidden.is_empty());
        let customer_fields = any_fields.then(|| CustomerFieldsBody {
            visible: &self.visible,
            read_only: &self.read_only,
            hidden: &self.hidden,
        });
        Ok(CheckoutBody {
            checkout: CheckoutInner {
                transaction_type: &self.kind,
                test: self.test,
                order: OrderBody {
                    amount: currency::wire(self.amount)?,
                    currency: self.amount.currency(),
                    description: &self.description,
                    tracking_id: &self.tracking_id,
                    expired_at: self.expires_at.map(ExpiredAt),
                    additional_data: self.additional_data.as_ref(),
                },
                settings: SettingsBody {
                    language: self.language.as_ref(),
                    notification_url: self.notification_url.as_deref(),
                    success_url: self.success_url.as_deref(),
                    decline_url: self.decline_url.as_deref(),
                    fail_url: self.fail_url.as_deref(),
                    cancel_url: self.cancel_url.as_deref(),
                    customer_fields,
                },
                customer: (!self.customer.is_empty()).then(|| CustomerBody::from(&self.customer)),
                payment_method: (!self.payment_methods.is_empty()).then(|| PaymentMethodBody {
                    types: &self.payment_methods,
                    erip: self.erip.as_ref().map(|e| EripBody {
                        account_number: &e.account_number,
                        service_no: e.service_no,
                        order_id: e.order_id,
                    }),
                }),
            },
        })
    }
}

/// A value of an open list (`[a-z0-9_]`, 1 to 64 characters; `field` names it).
fn wire_name(field: &str, name: &str) -> Result<(), ErrorKind> {
    if name.is_empty()
        || name.len() > 64
        || !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(ErrorKind::invalid(
            field,
            format!("{name:?} is not a name of lowercase letters, digits and _"),
        ));
    }
    Ok(())
}

/// An `amount` refusal from the currency rules, renamed to the field it is under here.
fn rename(e: ErrorKind, field: &str) -> ErrorKind {
    match e {
        ErrorKind::InvalidRequest { reason, .. } => ErrorKind::invalid(field, reason),
        other => other,
    }
}

#[derive(Serialize)]
struct OrderBody<'a> {
    amount: i64,
    currency: Currency,
    description: &'a str,
    tracking_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    expired_at: Option<ExpiredAt>,
    #[serde(skip_serializing_if = "Option::is_none")]
    additional_data: Option<&'a AdditionalData>,
}

#[derive(Serialize)]
struct SettingsBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a Language>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notification_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    success_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    decline_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fail_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cancel_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer_fields: Option<CustomerFieldsBody<'a>>,
}

#[derive(Serialize)]
struct CustomerFieldsBody<'a> {
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    visible: &'a [CustomerField],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    read_only: &'a [CustomerField],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    hidden: &'a [CustomerField],
}

#[derive(Serialize)]
struct CustomerBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    zip: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    birth_date: Option<&'a str>,
}

impl<'a> From<&'a CheckoutCustomer> for CustomerBody<'a> {
    fn from(c: &'a CheckoutCustomer) -> Self {
        CustomerBody {
            email: c.email.as_deref(),
            first_name: c.first_name.as_deref(),
            last_name: c.last_name.as_deref(),
            country: c.country.as_deref(),
            city: c.city.as_deref(),
            state: c.state.as_deref(),
            zip: c.zip.as_deref(),
            address: c.address.as_deref(),
            phone: c.phone.as_deref(),
            birth_date: c.birth_date.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct EripBody<'a> {
    account_number: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    service_no: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order_id: Option<u64>,
}

#[derive(Serialize)]
struct PaymentMethodBody<'a> {
    types: &'a [PaymentMethodType],
    #[serde(skip_serializing_if = "Option::is_none")]
    erip: Option<EripBody<'a>>,
}

#[derive(Serialize)]
struct CheckoutInner<'a> {
    transaction_type: &'a CheckoutType,
    test: bool,
    order: OrderBody<'a>,
    settings: SettingsBody<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer: Option<CustomerBody<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_method: Option<PaymentMethodBody<'a>>,
}

#[derive(Serialize)]
struct CheckoutBody<'a> {
    checkout: CheckoutInner<'a>,
}

/// A created checkout: its token and where to send the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Checkout {
    /// The checkout's token, for [`Checkouts::get`] (and the `token` of the customer's return).
    pub token: CheckoutToken,
    /// The hosted payment page: send the customer here. Kept as sent.
    pub redirect_url: ProviderUrl,
}

/// The order of a checkout, as beGateway reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CheckoutOrder {
    /// The raw `amount` integer, in beGateway's minor units for `currency`.
    #[serde(
        rename = "amount",
        deserialize_with = "payments_common::serde::int_or_string::deserialize"
    )]
    pub amount_minor_wire: i64,
    /// The currency.
    pub currency: Currency,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
    /// Your order reference.
    #[serde(default)]
    pub tracking_id: Option<String>,
}

impl CheckoutOrder {
    /// The amount at ISO 4217 scale (`None` when the wire value has no exact ISO-scale form).
    pub fn amount(&self) -> Option<Money> {
        currency::money_from_wire(self.amount_minor_wire, self.currency)
    }
}

/// The payment result a finished checkout reports (`gateway_response.payment`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "CheckoutPaymentWire")]
#[non_exhaustive]
pub struct CheckoutPayment {
    /// The transaction's uid: confirm it with
    /// [`Transactions::confirm`](crate::Transactions::confirm).
    #[serde(default)]
    pub uid: Option<TransactionUid>,
    /// The processor's details.
    #[serde(flatten)]
    pub details: ProcessorDetails,
}

/// `gateway_response` of a checkout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GatewayResponse {
    /// The payment (or authorization) result.
    #[serde(default, alias = "authorization")]
    pub payment: Option<CheckoutPayment>,
}

/// A checkout read back by token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CheckoutState {
    /// The token.
    pub token: CheckoutToken,
    /// What the checkout does.
    #[serde(default)]
    pub transaction_type: Option<CheckoutType>,
    /// Whether the customer finished it (paid, declined or failed).
    #[serde(default)]
    pub finished: bool,
    /// beGateway's status of the checkout, when sent (`successful`, `failed`, `error`, …).
    #[serde(default)]
    pub status: Option<String>,
    /// The order.
    #[serde(default)]
    pub order: Option<CheckoutOrder>,
    /// The gateway's result, once finished.
    #[serde(default)]
    pub gateway_response: Option<GatewayResponse>,
    /// Test mode.
    #[serde(default)]
    pub test: bool,
}

impl CheckoutState {
    /// The uid of the transaction the checkout produced, once finished.
    pub fn transaction_uid(&self) -> Option<&TransactionUid> {
        self.gateway_response
            .as_ref()?
            .payment
            .as_ref()?
            .uid
            .as_ref()
    }
}

/// `{"checkout": {...}}` answers, and the checkout error shape (`checkout.status == "error"`).
/// `gateway_response.payment` on the wire: the uid and the processor's fields side by side,
/// read in one pass (a `flatten` would buffer the whole object first).
#[derive(Deserialize)]
struct CheckoutPaymentWire {
    #[serde(default)]
    uid: Option<TransactionUid>,
    #[serde(default)]
    auth_code: Option<String>,
    #[serde(default)]
    bank_code: Option<String>,
    #[serde(default)]
    rrn: Option<String>,
    #[serde(default)]
    ref_id: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default, deserialize_with = "crate::transactions::text_or_number")]
    gateway_id: Option<String>,
    #[serde(default)]
    billing_descriptor: Option<String>,
    #[serde(default)]
    status: Option<crate::transactions::TransactionStatus>,
}

impl From<CheckoutPaymentWire> for CheckoutPayment {
    fn from(w: CheckoutPaymentWire) -> Self {
        CheckoutPayment {
            uid: w.uid,
            details: ProcessorDetails {
                auth_code: w.auth_code,
                bank_code: w.bank_code,
                rrn: w.rrn,
                ref_id: w.ref_id,
                message: w.message,
                gateway_id: w.gateway_id,
                billing_descriptor: w.billing_descriptor,
                status: w.status,
            },
        }
    }
}

#[derive(Deserialize)]
struct Envelope<T> {
    checkout: T,
}

#[derive(Deserialize)]
struct StatusProbe {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// The checkout error shape: `{"checkout": {"status": "error", "message": "..."}}`.
fn checkout_error(r: &payments_common::http::Response) -> Option<ErrorKind> {
    let probe = serde_json::from_slice::<Envelope<StatusProbe>>(r.body()).ok()?;
    (probe.checkout.status.as_deref() == Some("error")).then(|| ErrorKind::Api {
        status: r.status(),
        code: None,
        message: probe.checkout.message,
        messages: Vec::new(),
        field_errors: Default::default(),
        request_id: r.request_id(),
    })
}

/// The checkout operations, from [`Client::checkouts`].
#[derive(Debug, Clone, Copy)]
pub struct Checkouts<'a> {
    client: &'a Client,
}

impl<'a> Checkouts<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Checkouts { client }
    }

    /// `POST {checkout}/ctp/api/checkouts` → the token and redirect URL. A 2xx answer with
    /// `checkout.status == "error"` is [`ErrorKind::Api`] with beGateway's message (a
    /// definitive refusal). Not repeated once it may have reached beGateway.
    pub async fn create(&self, request: &CreateCheckout) -> Result<Checkout, Error> {
        let result = self.create_kind(request).await;
        match result {
            Ok(c) => Ok(c),
            Err(e) => {
                let definitive = matches!(e, ErrorKind::Api { .. });
                let e = Error::new("checkouts.create", e);
                Err(if definitive { e.definitive() } else { e })
            }
        }
    }

    async fn create_kind(&self, request: &CreateCheckout) -> Result<Checkout, ErrorKind> {
        request.validate()?;
        let body = request.wire_body()?;
        let url = self.client.checkout_url(&["ctp", "api", "checkouts"]);
        let http = Request::post("begateway.checkouts.create", url)
            .json(&body)?
            .reconcile_with(Reconciliation::merchant_reference(
                request.tracking_id.clone(),
            ));
        let http = self.client.authorize_checkout(http)?;
        self.client
            .http()
            .execute(http, |r| match r.status().as_u16() {
                200 | 201 => match checkout_error(&r) {
                    Some(e) => Err(e),
                    None => Ok(r.json::<Envelope<Checkout>>()?.checkout),
                },
                _ => Err(checkout_error(&r).unwrap_or_else(|| self.client.map_error(&r))),
            })
            .await
    }

    /// `GET {checkout}/ctp/api/checkouts/{token}` → the checkout, with `finished` and the
    /// gateway's result. An answer about another token → [`ErrorKind::Decode`] (path
    /// `checkout.token`).
    pub async fn get(&self, token: &CheckoutToken) -> Result<CheckoutState, Error> {
        self.get_kind(token)
            .await
            .map_err(Error::at("checkouts.get"))
    }

    async fn get_kind(&self, token: &CheckoutToken) -> Result<CheckoutState, ErrorKind> {
        validate::path_id("token", token.as_str())?;
        let url = self
            .client
            .checkout_url(&["ctp", "api", "checkouts", token.as_str()]);
        let http = self
            .client
            .authorize_checkout(Request::get("begateway.checkouts.get", url))?;
        self.client
            .http()
            .execute(http, |r| match r.status().as_u16() {
                200 => {
                    let state = r.json::<Envelope<CheckoutState>>()?.checkout;
                    if state.token != *token {
                        return Err(r.decode_error(
                            "checkout.token",
                            "the answer is about another checkout than the one asked for",
                        ));
                    }
                    Ok(state)
                }
                _ => Err(checkout_error(&r).unwrap_or_else(|| self.client.map_error(&r))),
            })
            .await
    }
}
