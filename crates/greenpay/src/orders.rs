//! Payment orders: GreenPay's one-off payments. An order is created on the merchant host
//! (`POST /`) or on checkout v2 (`POST /createOrder`), answering a `session` and a `token`
//! valid for 30 minutes; the customer then pays it on GreenPay's hosted form
//! ([`Client::checkout_url`]) and GreenPay posts the checkout result to the merchant's webhook
//! base (verify it with `WebhookVerifier`, feature `webhooks`).
//!
//! Creating an order is a write GreenPay honours no idempotency key for: it is never repeated
//! once it may have been sent, and an ambiguous failure is an
//! [`ErrorKind::OutcomeUnknown`] whose reconciliation handle is the order reference (create a
//! new order with a new reference rather than guessing).

use std::fmt;

use payments_common::http::Response;
use payments_common::{Currency, ErrorKind, Money, Reconciliation, SecretString, Url, validate};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use crate::client::{Client, Host, Terminal, public_operation};
use crate::subscriptions::validation;
use crate::{Error, envelope};

/// The lifetime GreenPay documents for an order's `session` and `token`: 30 minutes from the
/// order's creation. After it, create a new order.
pub const SESSION_LIFETIME: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// A payment order: `amount` (major units on the wire, as GreenPay writes amounts),
/// `currency`, `description`, `orderReference` (the merchant's unique order id) and the
/// `callback` URL GreenPay's hosted form returns the customer to.
///
/// ```
/// use greenpay::orders::CreateOrder;
/// use greenpay::{Currency, Money};
/// let order = CreateOrder::new(Money::parse("14.50", Currency::USD)?, "Parking ticket", "order-42")
///     .callback("https://shop.example/greenpay/return")
///     .build()?;
/// assert_eq!(
///     serde_json::to_value(&order)?,
///     serde_json::json!({
///         "amount": 14.5, "currency": "USD", "description": "Parking ticket",
///         "orderReference": "order-42", "callback": "https://shop.example/greenpay/return"
///     })
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateOrder {
    #[serde(serialize_with = "payments_common::serde::decimal_text::serialize_money")]
    amount: Money,
    currency: Currency,
    description: String,
    #[serde(rename = "orderReference")]
    order_reference: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    callback: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    additional: Option<serde_json::Map<String, serde_json::Value>>,
}

impl CreateOrder {
    /// An order of `amount` (USD, CRC or GTQ; checkout v2 takes CRC and USD) described as
    /// `description`, under the merchant's unique `order_reference`.
    pub fn new(
        amount: Money,
        description: impl Into<String>,
        order_reference: impl Into<String>,
    ) -> Self {
        CreateOrder {
            amount,
            currency: amount.currency(),
            description: description.into(),
            order_reference: order_reference.into(),
            callback: None,
            additional: None,
        }
    }

    /// `callback`: where GreenPay's hosted form sends the customer back (with the result,
    /// base64-encoded, appended as a path segment). Required for the hosted form; `https`, or
    /// `http` to a loopback host.
    pub fn callback(mut self, url: impl Into<String>) -> Self {
        self.callback = Some(url.into());
        self
    }

    /// `additional`: the customer, addresses, products and details GreenPay's page lists
    /// (free-form here; their keys are GreenPay's).
    pub fn additional(mut self, data: serde_json::Map<String, serde_json::Value>) -> Self {
        self.additional = Some(data);
        self
    }

    /// The order reference.
    pub fn order_reference(&self) -> &str {
        &self.order_reference
    }

    /// The amount.
    pub fn amount(&self) -> Money {
        self.amount
    }

    /// Runs every check [`Orders::create`] runs before sending (operation `orders.create`):
    /// amount positive in USD, CRC or GTQ, `description` and `orderReference` 1–255
    /// characters, `callback` an absolute `https` URL (or `http` to loopback).
    pub fn build(self) -> Result<Self, Error> {
        self.validate().map_err(Error::at("orders.create"))?;
        Ok(self)
    }

    pub(crate) fn validate(&self) -> Result<(), ErrorKind> {
        validation::amount("amount", self.amount)?;
        validation::text("description", &self.description)?;
        validation::id("orderReference", &self.order_reference)?;
        if let Some(callback) = &self.callback {
            validate::callback_url("callback", callback, 2048)?;
        }
        Ok(())
    }
}

/// The `token` of an order or tokenization session: a bearer credential for 30 minutes (sent
/// as the `liszt-token` header). Never shown by `Debug`.
///
/// ```
/// let token = greenpay::orders::SessionToken::new("eyJhbGciOi...");
/// assert_eq!(format!("{token:?}"), "SessionToken([REDACTED])");
/// ```
#[derive(Clone)]
pub struct SessionToken(SecretString);

impl SessionToken {
    /// A token as GreenPay issued it.
    pub fn new(token: impl Into<String>) -> Self {
        SessionToken(SecretString::from(token.into()))
    }

    /// The token, for the one header that carries it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken([REDACTED])")
    }
}

impl PartialEq for SessionToken {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl<'de> Deserialize<'de> for SessionToken {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(SessionToken::new)
    }
}

/// What creating an order (or a tokenization session) answers: `session` and `token`, **valid
/// for 30 minutes** ([`SESSION_LIFETIME`]) from creation; after that, create a new order.
///
/// ```
/// # fn run(client: greenpay::Client, session: greenpay::orders::OrderSession) -> greenpay::Result<()> {
/// let pay_here = client.checkout_url(&session)?; // send the customer here
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct OrderSession {
    /// `session`: the order's session id (it names the hosted form's page).
    pub session: String,
    /// `token`: the session's bearer token (`liszt-token`), a secret.
    pub token: SessionToken,
    /// `statusCode` (checkout v2 only).
    #[serde(
        rename = "statusCode",
        default,
        deserialize_with = "payments_common::serde::int_or_string::deserialize_option"
    )]
    pub status_code: Option<i64>,
    /// `message` (checkout v2 only).
    #[serde(default)]
    pub message: Option<String>,
}

/// The payment orders of a [`Client`]: `client.orders()`.
#[derive(Debug, Clone, Copy)]
pub struct Orders<'a> {
    client: &'a Client,
}

impl<'a> Orders<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Orders { client }
    }

    /// Creates a payment order on the merchant host: `POST /` (operation `orders.create`),
    /// with `secret`, `merchantId` and `terminal` in the body. An unkeyed write: never
    /// repeated once it may have been sent ([`ErrorKind::OutcomeUnknown`] with the order
    /// reference).
    ///
    /// ```no_run
    /// use greenpay::orders::CreateOrder;
    /// use greenpay::{Currency, Money};
    /// # async fn run(client: greenpay::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let order = CreateOrder::new(Money::parse("14.50", Currency::USD)?, "Ticket", "order-42")
    ///     .callback("https://shop.example/greenpay/return");
    /// let session = client.orders().create(&order).await?;
    /// let redirect_to = client.checkout_url(&session)?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, order: &CreateOrder) -> Result<OrderSession, Error> {
        self.send(Host::Merchant, "greenpay.orders.create", &[], order)
            .await
    }

    /// Creates a payment order on checkout v2: `POST /createOrder` of the v2 host (operation
    /// `orders.create_v2`), answering `session`, `token`, `statusCode` and `message`. v2 takes
    /// CRC and USD only, and a terminal UUID issued for v2.
    ///
    /// ```no_run
    /// # use greenpay::orders::CreateOrder;
    /// # use greenpay::{Currency, Money};
    /// # async fn run(client: greenpay::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let order = CreateOrder::new(Money::parse("5000", Currency::CRC)?, "Ticket", "order-43");
    /// let session = client.orders().create_v2(&order).await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_v2(&self, order: &CreateOrder) -> Result<OrderSession, Error> {
        const OP: &str = "greenpay.orders.create_v2";
        if !matches!(order.currency, Currency::CRC | Currency::USD) {
            return Err(Error::new(
                public_operation(OP),
                ErrorKind::invalid("currency", "checkout v2 takes CRC or USD"),
            ));
        }
        self.send(Host::CheckoutV2, OP, &["createOrder"], order)
            .await
    }

    async fn send(
        &self,
        host: Host,
        operation: &'static str,
        segments: &[&str],
        order: &CreateOrder,
    ) -> Result<OrderSession, Error> {
        let at = Error::at(public_operation(operation));
        order.validate().map_err(at)?;
        let request = self
            .client
            .post_to(host, operation, segments, order, Terminal::Include)
            .map_err(Error::at(public_operation(operation)))?
            .reconcile_with(Reconciliation::merchant_reference(order.order_reference()));
        self.client.call_with(request, decode_session).await
    }
}

/// A session answer: GreenPay's FAIL envelope is its refusal; otherwise `{session, token}`.
pub(crate) fn decode_session(response: &Response) -> Result<OrderSession, ErrorKind> {
    envelope::decode_plain(response)
}

impl Client {
    /// The hosted payment form's page for `session`: `<checkout form host>/<session>`
    /// (documented). Send the customer there; the form returns them to the order's `callback`
    /// with the result, and GreenPay posts the signed checkout result to your webhook base.
    /// A session that is empty or could change the path is refused (operation
    /// `orders.checkout_url`).
    ///
    /// ```
    /// # use greenpay::{Client, Credentials};
    /// let client = Client::builder(Credentials::new("m", "t", "s")).build()?;
    /// let session: greenpay::orders::OrderSession =
    ///     serde_json::from_str(r#"{"session":"8f1e0c6a-5d3b","token":"t"}"#).unwrap();
    /// assert_eq!(
    ///     client.checkout_url(&session)?.as_str(),
    ///     "https://sandbox-checkoutform.greenpay.me/8f1e0c6a-5d3b"
    /// );
    /// # Ok::<(), greenpay::Error>(())
    /// ```
    pub fn checkout_url(&self, session: &OrderSession) -> Result<Url, Error> {
        validate::path_id("session", &session.session).map_err(Error::at("orders.checkout_url"))?;
        Ok(validate::endpoint(
            self.checkout_form_base_url(),
            &[session.session.as_str()],
        ))
    }
}

/// A one-off payment charged to a card token: `POST <merchant>/tokenPayment` with `amount`,
/// `currency`, `description`, `orderReference` and `token` (the client adds `secret`,
/// `merchantId` and `terminal`). The endpoint and body come from GreenPay's public SDKs
/// (inferred; no GreenPay page shows them).
///
/// ```
/// use greenpay::orders::TokenPayment;
/// use greenpay::{CardToken, Currency, Money};
/// let payment = TokenPayment::new(Money::parse("100", Currency::CRC)?, "Test sale", "order-7", CardToken::new("tok-1"))
///     .build()?;
/// assert_eq!(serde_json::to_value(&payment)?["orderReference"], "order-7");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TokenPayment {
    #[serde(serialize_with = "payments_common::serde::decimal_text::serialize_money")]
    amount: Money,
    currency: Currency,
    description: String,
    #[serde(rename = "orderReference")]
    order_reference: String,
    token: crate::CardToken,
}

impl TokenPayment {
    /// Charges `amount` to `token` for the merchant's order `order_reference`.
    pub fn new(
        amount: Money,
        description: impl Into<String>,
        order_reference: impl Into<String>,
        token: crate::CardToken,
    ) -> Self {
        TokenPayment {
            amount,
            currency: amount.currency(),
            description: description.into(),
            order_reference: order_reference.into(),
            token,
        }
    }

    /// The order reference.
    pub fn order_reference(&self) -> &str {
        &self.order_reference
    }

    /// Runs every check [`Orders::pay_with_token`] runs before sending (operation
    /// `orders.pay_with_token`).
    pub fn build(self) -> Result<Self, Error> {
        self.validate()
            .map_err(Error::at("orders.pay_with_token"))?;
        Ok(self)
    }

    pub(crate) fn validate(&self) -> Result<(), ErrorKind> {
        validation::amount("amount", self.amount)?;
        validation::text("description", &self.description)?;
        validation::id("orderReference", &self.order_reference)?;
        validation::id("token", self.token.as_str())
    }
}

/// What a token payment answers (the shape of a checkout result; inferred). It comes straight
/// from GreenPay over TLS, so its `result.success` is GreenPay's word for this call.
///
/// ```
/// let paid: greenpay::orders::TokenPaymentResult = serde_json::from_str(
///     r#"{"status":200,"orderId":"order-7","authorization":"123456","errors":[],"result":{"success":true}}"#,
/// ).unwrap();
/// assert_eq!(paid.outcome(), greenpay::PaymentOutcome::Paid);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TokenPaymentResult {
    /// `status` (`200` once processed, declines included).
    #[serde(
        default,
        deserialize_with = "payments_common::serde::int_or_string::deserialize_option"
    )]
    pub status: Option<i64>,
    /// `orderId`: the order reference.
    #[serde(
        rename = "orderId",
        default,
        deserialize_with = "crate::wire::text_or_number::option"
    )]
    pub order_id: Option<String>,
    /// `authorization`: the bank's authorization code.
    #[serde(default, deserialize_with = "crate::wire::text_or_number::option")]
    pub authorization: Option<String>,
    /// `last4`.
    #[serde(default, deserialize_with = "crate::wire::text_or_number::option")]
    pub last4: Option<String>,
    /// `brand`.
    #[serde(default)]
    pub brand: Option<String>,
    /// `errors`: why the charge failed, if it did.
    #[serde(default, deserialize_with = "crate::envelope::messages")]
    pub errors: Vec<String>,
    /// `result.success`: whether the card was charged.
    #[serde(default, rename = "result", deserialize_with = "success_of")]
    pub success: Option<bool>,
    /// `_signature` over `status` and `orderId` (inferred).
    #[serde(
        rename = "_signature",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub signature: Option<String>,
}

fn success_of<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    struct R {
        #[serde(default)]
        success: Option<bool>,
    }
    Ok(Option::<R>::deserialize(d)?.and_then(|r| r.success))
}

impl TokenPaymentResult {
    /// `Paid` when GreenPay answered `status` 200 with `result.success` true and no errors;
    /// `Failed` when it reported a decline; `Pending` otherwise.
    pub fn outcome(&self) -> payments_common::PaymentOutcome {
        use payments_common::PaymentOutcome;
        match (self.status, self.success) {
            (Some(200), Some(true)) if self.errors.is_empty() => PaymentOutcome::Paid,
            (_, Some(false)) => PaymentOutcome::Failed,
            _ if !self.errors.is_empty() => PaymentOutcome::Failed,
            _ => PaymentOutcome::Pending,
        }
    }
}

impl Orders<'_> {
    /// Charges a card token now: `POST <merchant>/tokenPayment` (operation
    /// `orders.pay_with_token`). An unkeyed write: never repeated once it may have been sent;
    /// after an ambiguous failure ([`ErrorKind::OutcomeUnknown`], handle: the order
    /// reference) the card may have been charged — check before charging again.
    ///
    /// ```no_run
    /// use greenpay::orders::TokenPayment;
    /// use greenpay::{CardToken, Currency, Money, PaymentOutcome};
    /// # async fn run(client: greenpay::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let payment = TokenPayment::new(Money::parse("20", Currency::USD)?, "Order 7", "order-7", CardToken::new("tok-1"));
    /// let paid = client.orders().pay_with_token(&payment).await?.outcome() == PaymentOutcome::Paid;
    /// # Ok(()) }
    /// ```
    pub async fn pay_with_token(
        &self,
        payment: &TokenPayment,
    ) -> Result<TokenPaymentResult, Error> {
        const OP: &str = "greenpay.orders.pay_with_token";
        let at = || Error::at(public_operation(OP));
        payment.validate().map_err(at())?;
        let request = self
            .client
            .post(OP, &["tokenPayment"], payment, Terminal::Include)
            .map_err(at())?
            .reconcile_with(Reconciliation::merchant_reference(
                payment.order_reference(),
            ));
        // The card token is masked in every error, should an answer quote it.
        self.client
            .call_masking(request, &[payment.token.as_str()], |r: &Response| {
                envelope::decode_plain(r)
            })
            .await
    }
}
