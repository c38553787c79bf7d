//! Card transactions on the gateway host, with idempotent retries: payment and authorization
//! (with a card token, or card data for PCI-compliant merchants), capture, void and refund
//! against a parent transaction.
//!
//! Every request is `POST {gateway}/transactions/{payments|authorizations|captures|voids|refunds}`
//! with the body `{"request": {...}}`, and the answer is `{"transaction": {...}}` (the same
//! [`Transaction`] as a status query). Paths and shapes follow beGateway's official SDKs
//! (`docs/providers/begateway.md#card-transactions`).
//!
//! # Idempotent retries
//!
//! beGateway honours a `RequestID` header on host-to-host requests: the same id within 24 hours
//! is the same operation, and a repeat returns the first answer. Every write of this module
//! sends one — generated for each call, or yours through
//! [`RequestOptions::idempotency_key`](crate::RequestOptions::idempotency_key) — so it is retried
//! on timeouts, broken connections and 5xx answers **with the same id**: a retry can never
//! charge twice. The generated id is 32 hex digits from the process's random hashing seed, a
//! counter and the clock (unique per call, not a secret).
//!
//! ```no_run
//! use begateway::{ChargeRequest, Currency, Money, PaymentSource, SecretString};
//!
//! # async fn run(client: begateway::Client) -> begateway::Result<()> {
//! let request = ChargeRequest::new(
//!     Money::parse("9.90", Currency::USD)?,
//!     "Order 42",
//!     "order-42",
//!     PaymentSource::Token(SecretString::from("a-card-token-from-tokenization")),
//! )
//! .test(true)
//! .build()?;
//! let payment = client.card_transactions().payment(&request).await?;
//! println!("{} is {}", payment.uid, payment.status.as_str());
//! # Ok(()) }
//! ```

use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use payments_common::http::Request;
use payments_common::{ErrorKind, ExposeSecret, Money, SecretString, validate};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::client::Client;
use crate::currency;
use crate::error::Error;
use crate::products::Language;
use crate::transactions::{Envelope, Transaction, TransactionUid};

/// The header beGateway reads its idempotency key from.
pub const REQUEST_ID_HEADER: &str = "requestid";

/// The longest `description` / `tracking_id` accepted (characters; the card API's documented
/// limit for `description`, inferred for `tracking_id`).
pub const MAX_TEXT_CHARS: usize = 255;

/// What pays: a card token from an earlier tokenization, or the card itself (PCI DSS merchants
/// only). Every part of the card is a secret: `Debug` never shows it.
#[derive(Clone)]
#[non_exhaustive]
pub enum PaymentSource {
    /// `credit_card.token`: a token beGateway issued for a card.
    Token(SecretString),
    /// `credit_card.{number, verification_value, holder, exp_month, exp_year}`.
    Card(Card),
}

impl fmt::Debug for PaymentSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PaymentSource::Token(_) => f.write_str("Token(***)"),
            PaymentSource::Card(card) => f.debug_tuple("Card").field(card).finish(),
        }
    }
}

/// Card data, for merchants allowed to handle it (PCI DSS). `Debug` shows the holder only.
///
/// ```
/// use begateway::Card;
/// let card = Card::new("4200000000000000", "123", "JOHN DOE", 1, 2030);
/// assert!(!format!("{card:?}").contains("4200"));
/// ```
#[derive(Clone)]
pub struct Card {
    number: SecretString,
    verification_value: SecretString,
    holder: String,
    exp_month: u8,
    exp_year: u16,
}

impl Card {
    /// A card: its number, its verification value (CVC), the holder's name and the expiry.
    pub fn new(
        number: impl Into<SecretString>,
        verification_value: impl Into<SecretString>,
        holder: impl Into<String>,
        exp_month: u8,
        exp_year: u16,
    ) -> Self {
        Card {
            number: number.into(),
            verification_value: verification_value.into(),
            holder: holder.into(),
            exp_month,
            exp_year,
        }
    }

    fn validate(&self) -> Result<(), ErrorKind> {
        valid_card_number("credit_card.number", self.number.expose_secret())?;
        let cvc = self.verification_value.expose_secret();
        if !(3..=4).contains(&cvc.len()) || !cvc.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ErrorKind::invalid(
                "credit_card.verification_value",
                "must be 3 or 4 digits",
            ));
        }
        validate::text("credit_card.holder", &self.holder, 64)?;
        if !(1..=12).contains(&self.exp_month) {
            return Err(ErrorKind::invalid(
                "credit_card.exp_month",
                "must be 1 to 12",
            ));
        }
        if !(2000..=2099).contains(&self.exp_year) {
            return Err(ErrorKind::invalid(
                "credit_card.exp_year",
                "must be a four-digit year",
            ));
        }
        Ok(())
    }
}

impl fmt::Debug for Card {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Card")
            .field("number", &"***")
            .field("verification_value", &"***")
            .field("holder", &self.holder)
            .finish_non_exhaustive()
    }
}

/// A card number: 12 to 19 digits passing the Luhn check (`field` names it in the error).
pub(crate) fn valid_card_number(field: &str, number: &str) -> Result<(), ErrorKind> {
    validate::card_number(field, number)
}

/// A payment or an authorization (`{"request": {...}}`): amount, description, your order
/// reference (`tracking_id`), and what pays.
///
/// ```
/// use begateway::{ChargeRequest, Currency, Money, PaymentSource, SecretString};
/// let request = ChargeRequest::new(
///     Money::parse("9.90", Currency::USD)?,
///     "Order 42",
///     "order-42",
///     PaymentSource::Token(SecretString::from("tok")),
/// )
/// .test(true)
/// .notification_url("https://shop.example/begateway/notify")
/// .build()?;
/// assert!(!format!("{request:?}").contains("tok\""));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct ChargeRequest {
    amount: Money,
    /// `amount` in beGateway's minor units, converted once (`None`: not convertible; the
    /// checks report why).
    amount_wire: Option<i64>,
    description: String,
    tracking_id: String,
    source: PaymentSource,
    test: bool,
    return_url: Option<String>,
    notification_url: Option<String>,
}

impl ChargeRequest {
    /// A charge of `amount` for the order `tracking_id`, paid by `source`; live mode.
    pub fn new(
        amount: Money,
        description: impl Into<String>,
        tracking_id: impl Into<String>,
        source: PaymentSource,
    ) -> Self {
        ChargeRequest {
            amount,
            amount_wire: currency::wire(amount).ok(),
            description: description.into(),
            tracking_id: tracking_id.into(),
            source,
            test: false,
            return_url: None,
            notification_url: None,
        }
    }

    /// Test mode (`test`): no real money moves.
    pub fn test(mut self, test: bool) -> Self {
        self.test = test;
        self
    }

    /// Where the customer returns after a 3-D Secure step (`return_url`).
    pub fn return_url(mut self, url: impl Into<String>) -> Self {
        self.return_url = Some(url.into());
        self
    }

    /// Where beGateway posts the transaction's notifications (`notification_url`).
    pub fn notification_url(mut self, url: impl Into<String>) -> Self {
        self.notification_url = Some(url.into());
        self
    }

    /// Checks every field (operation `card.charge`); the operations check again before
    /// sending.
    pub fn build(self) -> Result<Self, Error> {
        self.validate().map_err(Error::at("card.charge"))?;
        Ok(self)
    }

    fn validate(&self) -> Result<(), ErrorKind> {
        validate::positive_amount("amount", self.amount)?;
        currency::wire(self.amount)?;
        validate::text("description", &self.description, MAX_TEXT_CHARS)?;
        validate::text("tracking_id", &self.tracking_id, MAX_TEXT_CHARS)?;
        for (field, url) in [
            ("return_url", &self.return_url),
            ("notification_url", &self.notification_url),
        ] {
            if let Some(url) = url {
                validate::callback_url(field, url, validate::DEFAULT_MAX_URL_LEN)?;
            }
        }
        match &self.source {
            PaymentSource::Token(token) => {
                validate::credential("credit_card.token", token)?;
            }
            PaymentSource::Card(card) => card.validate()?,
        }
        Ok(())
    }
}

/// What pays, borrowed (a credit's token, or a charge's source).
enum PaymentSourceRef<'a> {
    Token(&'a SecretString),
    Card(&'a Card),
}

impl<'a> From<&'a PaymentSource> for PaymentSourceRef<'a> {
    fn from(source: &'a PaymentSource) -> Self {
        match source {
            PaymentSource::Token(token) => PaymentSourceRef::Token(token),
            PaymentSource::Card(card) => PaymentSourceRef::Card(card),
        }
    }
}

impl ChargeRequest {
    /// The wire body, `{"request": {...}}` (checked by the caller).
    pub(crate) fn wire_body(&self) -> Result<impl Serialize + '_, ErrorKind> {
        Ok(ChargeBody {
            request: self,
            amount: wire_amount(self.amount, self.amount_wire)?,
        })
    }
}

impl FollowUp {
    /// The wire body, `{"request": {...}}` (checked by the caller).
    pub(crate) fn wire_body(&self) -> Result<impl Serialize + '_, ErrorKind> {
        Ok(FollowUpBody {
            request: FollowUpInner {
                parent_uid: self.parent_uid.as_str(),
                amount: wire_amount(self.amount, self.amount_wire)?,
                reason: self.reason.as_deref(),
            },
        })
    }
}

impl CreditRequest {
    /// The wire body, `{"request": {...}}` (checked by the caller).
    pub(crate) fn wire_body(&self) -> Result<impl Serialize + '_, ErrorKind> {
        Ok(CreditBody {
            request: self,
            amount: wire_amount(self.amount, self.amount_wire)?,
        })
    }
}

/// The wire amount converted when the request was made, or the conversion's error.
fn wire_amount(amount: Money, converted: Option<i64>) -> Result<i64, ErrorKind> {
    match converted {
        Some(wire) => Ok(wire),
        None => currency::wire(amount),
    }
}

/// A month as two digits (`"05"`), as beGateway's card sections take it.
pub(crate) fn two_digits(month: u8) -> std::borrow::Cow<'static, str> {
    const MONTHS: [&str; 13] = [
        "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12",
    ];
    match MONTHS.get(usize::from(month)) {
        Some(m) => std::borrow::Cow::Borrowed(m),
        None => std::borrow::Cow::Owned(format!("{month:02}")),
    }
}

/// The card part of a charge, written with the secrets exposed (the body only).
struct CardBody<'a>(&'a PaymentSourceRef<'a>);

impl Serialize for CardBody<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        match self.0 {
            PaymentSourceRef::Token(token) => {
                map.serialize_entry("token", token.expose_secret())?;
            }
            PaymentSourceRef::Card(card) => {
                map.serialize_entry("number", card.number.expose_secret())?;
                map.serialize_entry(
                    "verification_value",
                    card.verification_value.expose_secret(),
                )?;
                map.serialize_entry("holder", &card.holder)?;
                map.serialize_entry("exp_month", &two_digits(card.exp_month))?;
                map.serialize_entry("exp_year", &card.exp_year)?;
            }
        }
        map.end()
    }
}

/// `{"request": {...}}` of a charge.
struct ChargeBody<'a> {
    request: &'a ChargeRequest,
    amount: i64,
}

impl Serialize for ChargeBody<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Inner<'a>(&'a ChargeBody<'a>);
        impl Serialize for Inner<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let r = self.0.request;
                let mut map = s.serialize_map(None)?;
                map.serialize_entry("amount", &self.0.amount)?;
                map.serialize_entry("currency", r.amount.currency().code())?;
                map.serialize_entry("description", &r.description)?;
                map.serialize_entry("tracking_id", &r.tracking_id)?;
                map.serialize_entry("test", &r.test)?;
                if let Some(url) = &r.return_url {
                    map.serialize_entry("return_url", url)?;
                }
                if let Some(url) = &r.notification_url {
                    map.serialize_entry("notification_url", url)?;
                }
                map.serialize_entry("credit_card", &CardBody(&PaymentSourceRef::from(&r.source)))?;
                map.end()
            }
        }
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("request", &Inner(self))?;
        map.end()
    }
}

/// A capture, void or refund of a parent transaction (`parent_uid`), for `amount` (a partial
/// capture or refund is a smaller amount than the parent's).
///
/// ```
/// use begateway::{Currency, FollowUp, Money, TransactionUid};
/// let refund = FollowUp::new(TransactionUid::new("1-310b0da80b"), Money::parse("2.50", Currency::USD)?)
///     .reason("customer returned one item")
///     .build()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct FollowUp {
    parent_uid: TransactionUid,
    amount: Money,
    /// `amount` in beGateway's minor units, converted once.
    amount_wire: Option<i64>,
    reason: Option<String>,
}

impl FollowUp {
    /// A follow-up of `parent_uid` for `amount`.
    pub fn new(parent_uid: TransactionUid, amount: Money) -> Self {
        FollowUp {
            parent_uid,
            amount,
            amount_wire: currency::wire(amount).ok(),
            reason: None,
        }
    }

    /// Why (`reason`; required by beGateway for refunds, so [`CardTransactions::refund`]
    /// refuses a refund without one).
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    /// Checks every field (operation `card.follow_up`).
    pub fn build(self) -> Result<Self, Error> {
        self.validate(false).map_err(Error::at("card.follow_up"))?;
        Ok(self)
    }

    fn validate(&self, refund: bool) -> Result<(), ErrorKind> {
        validate::path_id("parent_uid", self.parent_uid.as_str())?;
        validate::positive_amount("amount", self.amount)?;
        currency::wire(self.amount)?;
        match &self.reason {
            Some(reason) => validate::text("reason", reason, MAX_TEXT_CHARS)?,
            None if refund => return Err(ErrorKind::invalid("reason", "is required for a refund")),
            None => {}
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct FollowUpInner<'a> {
    parent_uid: &'a str,
    amount: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct FollowUpBody<'a> {
    request: FollowUpInner<'a>,
}

/// A credit (a payout) to a card saved earlier (`credit_card.token`): `POST
/// {gateway}/transactions/credits` with `amount`, `currency`, `description`, `tracking_id`,
/// `language`, `credit_card.token` (the bodies of beGateway's official PHP and Ruby SDKs;
/// `test` and `notification_url` as on every gateway transaction, inferred). The token is a secret:
/// `Debug` never shows it.
///
/// ```
/// use begateway::{CreditRequest, Currency, Money, SecretString};
/// let credit = CreditRequest::new(
///     Money::parse("25.00", Currency::USD)?,
///     "Winnings for order 42",
///     "payout-42",
///     SecretString::from("a-card-token-from-tokenization"),
/// )
/// .test(true)
/// .build()?;
/// assert!(!format!("{credit:?}").contains("a-card-token"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct CreditRequest {
    amount: Money,
    /// `amount` in beGateway's minor units, converted once.
    amount_wire: Option<i64>,
    description: String,
    tracking_id: String,
    token: SecretString,
    test: bool,
    language: Option<Language>,
    notification_url: Option<String>,
}

impl CreditRequest {
    /// A credit of `amount` to the card behind `token`, described as `description`, for your
    /// reference `tracking_id`; live mode.
    pub fn new(
        amount: Money,
        description: impl Into<String>,
        tracking_id: impl Into<String>,
        token: impl Into<SecretString>,
    ) -> Self {
        CreditRequest {
            amount,
            amount_wire: currency::wire(amount).ok(),
            description: description.into(),
            tracking_id: tracking_id.into(),
            token: token.into(),
            test: false,
            language: None,
            notification_url: None,
        }
    }

    /// Test mode (`test: true`; not sent in live mode): no real money moves.
    pub fn test(mut self, test: bool) -> Self {
        self.test = test;
        self
    }

    /// The language of beGateway's messages to the customer (`language`).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// Where beGateway posts the credit's notifications (`notification_url`).
    pub fn notification_url(mut self, url: impl Into<String>) -> Self {
        self.notification_url = Some(url.into());
        self
    }

    /// Checks every field (operation `card.credit`); the operation checks again before
    /// sending.
    pub fn build(self) -> Result<Self, Error> {
        self.validate().map_err(Error::at("card.credit"))?;
        Ok(self)
    }

    fn validate(&self) -> Result<(), ErrorKind> {
        validate::positive_amount("amount", self.amount)?;
        currency::wire(self.amount)?;
        validate::text("description", &self.description, MAX_TEXT_CHARS)?;
        validate::text("tracking_id", &self.tracking_id, MAX_TEXT_CHARS)?;
        if let Some(url) = &self.notification_url {
            validate::callback_url("notification_url", url, validate::DEFAULT_MAX_URL_LEN)?;
        }
        validate::credential("credit_card.token", &self.token)
    }
}

/// `{"request": {...}}` of a credit, the token exposed (the body only).
struct CreditBody<'a> {
    request: &'a CreditRequest,
    amount: i64,
}

impl Serialize for CreditBody<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Inner<'a>(&'a CreditBody<'a>);
        impl Serialize for Inner<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let r = self.0.request;
                let mut map = s.serialize_map(None)?;
                map.serialize_entry("amount", &self.0.amount)?;
                map.serialize_entry("currency", r.amount.currency().code())?;
                map.serialize_entry("description", &r.description)?;
                map.serialize_entry("tracking_id", &r.tracking_id)?;
                if let Some(language) = &r.language {
                    map.serialize_entry("language", language)?;
                }
                if r.test {
                    map.serialize_entry("test", &true)?;
                }
                if let Some(url) = &r.notification_url {
                    map.serialize_entry("notification_url", url)?;
                }
                map.serialize_entry("credit_card", &CardBody(&PaymentSourceRef::Token(&r.token)))?;
                map.end()
            }
        }
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("request", &Inner(self))?;
        map.end()
    }
}

/// The answer of a tokenization: the transaction, and the token beGateway issued for the
/// card (a secret: `Debug` never shows it; charge the card again with
/// [`PaymentSource::Token`], pay out to it with [`CreditRequest`]).
///
/// ```
/// use begateway::{ExposeSecret, SecretString, Tokenization, Transaction, TransactionStatus};
/// # #[cfg(feature = "test-util")] {
/// let t = Tokenization::for_tests(
///     Transaction::for_tests("1-310b0da80b", TransactionStatus::Successful),
///     "40bd0015",
/// );
/// assert_eq!(t.token.expose_secret(), "40bd0015");
/// assert!(!format!("{t:?}").contains("40bd0015"));
/// # }
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Tokenization {
    /// The tokenization transaction (`type` `tokenization`).
    pub transaction: Transaction,
    /// The card's token (`transaction.credit_card.token`).
    pub token: SecretString,
}

impl Tokenization {
    /// A tokenization of `transaction` with `token`, for tests (feature `test-util`).
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn for_tests(transaction: Transaction, token: impl Into<SecretString>) -> Tokenization {
        Tokenization {
            transaction,
            token: token.into(),
        }
    }
}

/// `transaction.credit_card.token` of a tokenization's answer (the rest is read as a
/// [`Transaction`]).
#[derive(serde::Deserialize)]
struct TokenProbe {
    transaction: TokenProbeTransaction,
}

#[derive(serde::Deserialize)]
struct TokenProbeTransaction {
    #[serde(default)]
    credit_card: Option<TokenProbeCard>,
}

#[derive(serde::Deserialize)]
struct TokenProbeCard {
    #[serde(default)]
    token: Option<String>,
}

/// The card token of a tokenization's answer, if it has one.
fn answered_card_token(body: &[u8]) -> Option<String> {
    let probe: TokenProbe = serde_json::from_slice(body).ok()?;
    probe
        .transaction
        .credit_card?
        .token
        .filter(|t| !t.is_empty())
}

/// A fresh `RequestID`: 32 hex digits, unique per call.
pub(crate) fn request_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut words = [0u64; 2];
    for (i, word) in words.iter_mut().enumerate() {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(n);
        h.write_u128(nanos);
        h.write_u32(std::process::id());
        h.write_usize(i);
        *word = h.finish();
    }
    format!("{:016x}{:016x}", words[0], words[1])
}

/// Card transactions on the gateway host, from [`Client::card_transactions`]. Every write
/// carries a `RequestID` and is retried with it (see the module docs).
#[derive(Debug, Clone, Copy)]
pub struct CardTransactions<'a> {
    client: &'a Client,
}

impl<'a> CardTransactions<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        CardTransactions { client }
    }

    /// `POST {gateway}/transactions/payments`: authorize and capture at once.
    pub async fn payment(&self, request: &ChargeRequest) -> Result<Transaction, Error> {
        self.charge("payments", "begateway.card.payment", request)
            .await
            .map_err(Error::at("card.payment"))
    }

    /// `POST {gateway}/transactions/authorizations`: reserve the amount, to capture or void
    /// later.
    pub async fn authorization(&self, request: &ChargeRequest) -> Result<Transaction, Error> {
        self.charge("authorizations", "begateway.card.authorization", request)
            .await
            .map_err(Error::at("card.authorization"))
    }

    /// `POST {gateway}/transactions/captures`: capture (part of) an authorization.
    pub async fn capture(&self, request: &FollowUp) -> Result<Transaction, Error> {
        self.follow_up("captures", "begateway.card.capture", request, false)
            .await
            .map_err(Error::at("card.capture"))
    }

    /// `POST {gateway}/transactions/voids`: cancel an authorization.
    pub async fn void(&self, request: &FollowUp) -> Result<Transaction, Error> {
        self.follow_up("voids", "begateway.card.void", request, false)
            .await
            .map_err(Error::at("card.void"))
    }

    /// `POST {gateway}/transactions/refunds`: refund (part of) a payment or capture; a
    /// `reason` is required.
    pub async fn refund(&self, request: &FollowUp) -> Result<Transaction, Error> {
        self.follow_up("refunds", "begateway.card.refund", request, true)
            .await
            .map_err(Error::at("card.refund"))
    }

    /// `POST {gateway}/transactions/credits`: pay `request`'s amount out to a saved card.
    pub async fn credit(&self, request: &CreditRequest) -> Result<Transaction, Error> {
        self.credit_kind(request)
            .await
            .map_err(Error::at("card.credit"))
    }

    async fn credit_kind(&self, request: &CreditRequest) -> Result<Transaction, ErrorKind> {
        request.validate()?;
        self.send("credits", "begateway.card.credit", &request.wire_body()?)
            .await
            .map_err(|e| e.redact(&[request.token.expose_secret()]))
    }

    /// `POST {gateway}/transactions/tokenizations`: check and save the card of `request`
    /// (card data: [`PaymentSource::Card`]; a token is refused, naming `credit_card.number`),
    /// answered with the transaction and the card's new token. An answer without a token is
    /// [`ErrorKind::Decode`] (path `transaction.credit_card.token`).
    pub async fn tokenization(&self, request: &ChargeRequest) -> Result<Tokenization, Error> {
        self.tokenization_kind(request)
            .await
            .map_err(Error::at("card.tokenization"))
    }

    async fn tokenization_kind(&self, request: &ChargeRequest) -> Result<Tokenization, ErrorKind> {
        if matches!(request.source, PaymentSource::Token(_)) {
            return Err(ErrorKind::invalid(
                "credit_card.number",
                "is required: a tokenization saves card data, not a token",
            ));
        }
        request.validate()?;
        let http = self.keyed(
            "tokenizations",
            "begateway.card.tokenization",
            &request.wire_body()?,
        )?;
        let card_secrets: Vec<&str> = match &request.source {
            PaymentSource::Card(card) => vec![
                card.number.expose_secret(),
                card.verification_value.expose_secret(),
            ],
            PaymentSource::Token(token) => vec![token.expose_secret()],
        };
        let answer = self
            .client
            .http()
            .execute(http, |r| match r.status().as_u16() {
                200 | 201 => {
                    let token = answered_card_token(r.body());
                    let secrets: Vec<&str> = token.iter().map(String::as_str).collect();
                    let transaction = r
                        .json::<Envelope>()
                        .map_err(|e| e.redact(&secrets))?
                        .transaction;
                    match token {
                        Some(token) => Ok(Tokenization {
                            transaction,
                            token: SecretString::from(token),
                        }),
                        None => Err(r.decode_error(
                            "transaction.credit_card.token",
                            "the tokenization's answer holds no card token",
                        )),
                    }
                }
                _ => Err(self.client.map_error(&r)),
            })
            .await;
        answer.map_err(|e| e.redact(&card_secrets))
    }

    async fn charge(
        &self,
        segment: &str,
        operation: &'static str,
        request: &ChargeRequest,
    ) -> Result<Transaction, ErrorKind> {
        request.validate()?;
        self.send(segment, operation, &request.wire_body()?).await
    }

    async fn follow_up(
        &self,
        segment: &str,
        operation: &'static str,
        request: &FollowUp,
        refund: bool,
    ) -> Result<Transaction, ErrorKind> {
        request.validate(refund)?;
        self.send(segment, operation, &request.wire_body()?).await
    }

    async fn send(
        &self,
        segment: &str,
        operation: &'static str,
        body: &impl Serialize,
    ) -> Result<Transaction, ErrorKind> {
        let http = self.keyed(segment, operation, body)?;
        self.client
            .http()
            .execute(http, |r| match r.status().as_u16() {
                200 | 201 => Ok(r.json::<Envelope>()?.transaction),
                _ => Err(self.client.map_error(&r)),
            })
            .await
    }
}

impl CardTransactions<'_> {
    /// `POST {gateway}/transactions/{segment}` with `body`, a fresh `RequestID` and Basic auth.
    fn keyed(
        &self,
        segment: &str,
        operation: &'static str,
        body: &impl Serialize,
    ) -> Result<Request, ErrorKind> {
        let url = self.client.gateway_url(&["transactions", segment]);
        let http = Request::post(operation, url)
            .idempotency_key(REQUEST_ID_HEADER, &request_id())?
            .json(body)?;
        self.client.authorize(http)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_unique_hex() {
        let a = request_id();
        let b = request_id();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn card_numbers_are_checked_with_luhn_under_the_given_field() {
        assert!(valid_card_number("credit_card.number", "4200000000000000").is_ok());
        assert!(valid_card_number("credit_card.number", "4012888888881881").is_ok());
        let refused = valid_card_number("credit_card.number", "4200000000000001").unwrap_err();
        assert_eq!(refused.invalid_field(), Some("credit_card.number"));
    }
}
