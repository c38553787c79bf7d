//! Transaction status queries on the gateway host — how a merchant confirms a payment made
//! through a payment link (besides a verified notification).
//!
//! Not on the products page: the endpoints, the `{"transaction": {...}}` envelope and the field
//! list come from beGateway's official SDKs (`docs/providers/begateway.md#transactions`, tagged
//! inferred). `GET /transactions/tracking_id/{id}` may match several transactions; this crate
//! accepts both `{"transaction": {...}}` and `{"transactions": [...]}` there (*inferred*).

use payments_common::http::Request;
use payments_common::{
    Currency, ErrorKind, ExpectedPayment, Money, ObservedPayment, PaymentOutcome, PaymentVerdict,
    validate,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::client::Client;
use crate::currency;
use crate::error::Error;
use crate::products::{ProductId, TransactionType};

payments_common::id_type! {
    /// A transaction's unique id at beGateway (`uid`).
    pub struct TransactionUid;
}

payments_common::open_enum! {
    /// A transaction status (`status`). Values from beGateway's SDKs and bePaid's APM status
    /// page; anything else is kept as `Unknown` and reads as pending.
    pub enum TransactionStatus {
        /// The transaction went through.
        Successful = "successful",
        /// Declined or failed.
        Failed = "failed",
        /// Not finished: the customer has not completed it (e.g. 3-D Secure).
        Incomplete = "incomplete",
        /// Waiting for the processor or the customer.
        Pending = "pending",
        /// Not completed in time.
        Expired = "expired",
        /// A processing error.
        Error = "error",
        /// Deleted (alternative payment methods).
        Deleted = "deleted",
    }
}

impl TransactionStatus {
    /// The provider-independent reading of the status alone: `successful` → paid;
    /// `failed`, `expired`, `error`, `deleted` → failed; everything else (including unknown
    /// values) → pending. [`Transaction::outcome`] also looks at the transaction type.
    ///
    /// ```
    /// use begateway::{PaymentOutcome, TransactionStatus};
    /// assert_eq!(TransactionStatus::Successful.outcome(), PaymentOutcome::Paid);
    /// assert_eq!(TransactionStatus::Expired.outcome(), PaymentOutcome::Failed);
    /// assert_eq!(TransactionStatus::from("on_review").outcome(), PaymentOutcome::Pending);
    /// ```
    pub fn outcome(&self) -> PaymentOutcome {
        match self {
            TransactionStatus::Successful => PaymentOutcome::Paid,
            TransactionStatus::Failed
            | TransactionStatus::Expired
            | TransactionStatus::Error
            | TransactionStatus::Deleted => PaymentOutcome::Failed,
            _ => PaymentOutcome::Pending,
        }
    }
}

/// The card used, as reported (`credit_card`). The card token the gateway may also send is
/// deliberately not kept: it can charge the card again and must not end up in logs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreditCard {
    /// Card holder's name.
    #[serde(default)]
    pub holder: Option<String>,
    /// A masked card number.
    #[serde(default)]
    pub stamp: Option<String>,
    /// Card brand (`visa`, `master`, …).
    #[serde(default)]
    pub brand: Option<String>,
    /// Last four digits.
    #[serde(default)]
    pub last_4: Option<String>,
    /// First digit.
    #[serde(default)]
    pub first_1: Option<String>,
    /// Expiry month.
    #[serde(
        default,
        deserialize_with = "payments_common::serde::int_or_string::deserialize_option"
    )]
    pub exp_month: Option<i64>,
    /// Expiry year.
    #[serde(
        default,
        deserialize_with = "payments_common::serde::int_or_string::deserialize_option"
    )]
    pub exp_year: Option<i64>,
}

/// The customer, as reported (`customer`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Customer {
    /// The customer's IP address.
    #[serde(default)]
    pub ip: Option<String>,
    /// The customer's e-mail address.
    #[serde(default)]
    pub email: Option<String>,
}

/// The processor's details of a transaction: the section named after its type (`payment`,
/// `authorization`, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProcessorDetails {
    /// Authorization code from the issuer.
    #[serde(default)]
    pub auth_code: Option<String>,
    /// The bank's response code.
    #[serde(default)]
    pub bank_code: Option<String>,
    /// Retrieval reference number.
    #[serde(default)]
    pub rrn: Option<String>,
    /// The processor's reference id.
    #[serde(default)]
    pub ref_id: Option<String>,
    /// The processor's message.
    #[serde(default)]
    pub message: Option<String>,
    /// The processing gateway's id (a number or a string).
    #[serde(default, deserialize_with = "text_or_number")]
    pub gateway_id: Option<String>,
    /// What appears on the customer's statement.
    #[serde(default)]
    pub billing_descriptor: Option<String>,
    /// The processor's status.
    #[serde(default)]
    pub status: Option<TransactionStatus>,
}

/// A transaction, from a status query or a notification.
///
/// Serializing writes the wire shape back (`amount` is written from
/// [`Transaction::amount_minor_wire`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct Transaction {
    /// The transaction's id.
    pub uid: TransactionUid,
    /// The amount as exact money at **ISO 4217 scale** (`IDR` wire `15000` is 15 000 rupiah:
    /// `Money` minor units `1_500_000`), converted exactly from beGateway's exponent. `None`
    /// when the transaction has no `amount` or no `currency` (a recipient tokenization), or
    /// when the wire value has no exact ISO-scale form (see
    /// [`crate::currency::money_from_wire`]; [`Transaction::amount_minor_wire`] still has it):
    /// such a transaction never confirms as paid.
    #[serde(skip)]
    pub amount: Option<Money>,
    /// Its status; see [`Transaction::outcome`].
    pub status: TransactionStatus,
    /// The gateway's message (`"Successfully processed"`, a decline reason, …).
    #[serde(default)]
    pub message: Option<String>,
    /// The raw `amount` integer as beGateway sent it: minor units of **beGateway's** exponent
    /// for `currency` (IDR has 0 decimals there, 2 in ISO 4217; see [`crate::currency`]).
    /// Absent for some transaction types (a recipient tokenization has none).
    /// [`Transaction::amount`] is the same amount as [`Money`].
    #[serde(
        rename = "amount",
        default,
        deserialize_with = "payments_common::serde::int_or_string::deserialize_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub amount_minor_wire: Option<i64>,
    /// Currency, with its ISO 4217 exponent. Absent for some transaction types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// Description of the order.
    #[serde(default)]
    pub description: Option<String>,
    /// The transaction's type (`payment`, `authorization`, `refund`, …).
    #[serde(rename = "type", default)]
    pub kind: Option<TransactionType>,
    /// The payment method (`credit_card`, an alternative method's name, …).
    #[serde(default)]
    pub payment_method_type: Option<String>,
    /// The merchant's own order reference stored with the payment: what
    /// [`Transactions::confirm`] compares with [`ExpectedPayment::reference`].
    #[serde(default)]
    pub tracking_id: Option<String>,
    /// Whether this is a test transaction.
    #[serde(default)]
    pub test: bool,
    /// When it was created (not in the SDKs' field list; read when sent). A value that is not
    /// a timestamp reads as `None` rather than refusing the whole transaction.
    #[serde(
        default,
        deserialize_with = "lenient_datetime",
        serialize_with = "payments_common::serde::flexible_datetime::option::serialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<OffsetDateTime>,
    /// When it last changed (not in the SDKs' field list; read when sent). A value that is
    /// not a timestamp reads as `None`.
    #[serde(
        default,
        deserialize_with = "lenient_datetime",
        serialize_with = "payments_common::serde::flexible_datetime::option::serialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_at: Option<OffsetDateTime>,
    /// The card used, for card payments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_card: Option<CreditCard>,
    /// The customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// Processor details of a `payment`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<ProcessorDetails>,
    /// Processor details of an `authorization`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<ProcessorDetails>,
    /// Processor details of a `capture`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture: Option<ProcessorDetails>,
    /// Processor details of a `refund`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund: Option<ProcessorDetails>,
    /// Processor details of a `void`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub void: Option<ProcessorDetails>,
    /// Processor details of a `credit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<ProcessorDetails>,
    /// The parent transaction of a capture, void or refund (`parent_uid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_uid: Option<TransactionUid>,
    /// Where to send the customer for 3-D Secure when the status is `incomplete`
    /// (`redirect_url`). Kept as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    /// Free-form data stored with the transaction (`additional_data`), kept as received. Not in
    /// the transaction field list of beGateway's SDKs; read when sent. See
    /// [`Transaction::product_id`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_data: Option<serde_json::Map<String, serde_json::Value>>,
}

impl<'de> Deserialize<'de> for Transaction {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut t = Transaction::deserialize(d)?;
        if let (Some(amount), Some(currency)) = (t.amount_minor_wire, t.currency) {
            t.amount = currency::money_from_wire(amount, currency);
        }
        Ok(t)
    }
}

impl Serialize for Transaction {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Transaction::serialize(self, s)
    }
}

#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
impl Transaction {
    /// A transaction for tests of your own code (feature `test-util`): its uid and status,
    /// type `payment`, test mode, nothing else. Set the public fields for the rest (with
    /// [`Transaction::set_amount`] for the amount).
    ///
    /// ```
    /// use begateway::{Currency, Money, PaymentOutcome, Transaction, TransactionStatus};
    /// let mut t = Transaction::for_tests("1-310b0da80b", TransactionStatus::Successful);
    /// t.set_amount(Money::parse("9.90", Currency::USD)?);
    /// assert_eq!(t.amount_minor_wire, Some(990));
    /// assert_eq!(t.outcome(), PaymentOutcome::Paid);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn for_tests(uid: impl Into<String>, status: TransactionStatus) -> Transaction {
        Transaction {
            uid: TransactionUid::new(uid),
            amount: None,
            status,
            message: None,
            amount_minor_wire: None,
            currency: None,
            description: None,
            kind: Some(TransactionType::Payment),
            payment_method_type: Some("credit_card".to_owned()),
            tracking_id: None,
            test: true,
            created_at: None,
            updated_at: None,
            credit_card: None,
            customer: None,
            payment: None,
            authorization: None,
            capture: None,
            refund: None,
            void: None,
            credit: None,
            parent_uid: None,
            redirect_url: None,
            additional_data: None,
        }
    }

    /// Sets [`Transaction::amount`], [`Transaction::currency`] and
    /// [`Transaction::amount_minor_wire`] together, consistently (feature `test-util`).
    pub fn set_amount(&mut self, amount: Money) {
        let iso = currency::to_iso(amount, "amount").unwrap_or(amount);
        self.amount = Some(iso);
        self.currency = Some(iso.currency());
        self.amount_minor_wire = Some(currency::wire(iso).unwrap_or(iso.minor_units()));
    }
}

impl Transaction {
    /// The product the payment was made through, read from `additional_data.product_id`
    /// when beGateway sends it there (not documented: a shape to tolerate, not to rely on;
    /// the order tie [`Transactions::confirm`] checks is [`Transaction::tracking_id`]).
    ///
    /// ```
    /// use begateway::Transaction;
    /// let t: Transaction = serde_json::from_str(
    ///     r#"{"uid":"1-a","status":"successful","additional_data":{"product_id":"prd_1"}}"#)?;
    /// assert_eq!(t.product_id(), Some(begateway::ProductId::new("prd_1")));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn product_id(&self) -> Option<ProductId> {
        self.additional_data
            .as_ref()?
            .get("product_id")?
            .as_str()
            .map(ProductId::new)
    }

    /// The verdict on this transaction for `expected` (already at ISO scale).
    fn judge(&self, expected: &ExpectedPayment) -> PaymentVerdict {
        expected.judge(&ObservedPayment {
            reference: self.tracking_id.as_deref(),
            amount: self.amount,
            test: Some(self.test),
            outcome: self.outcome(),
        })
    }

    /// What the transaction means for the merchant, defaulting to pending:
    ///
    /// - `failed`, `expired`, `error`, `deleted` → [`PaymentOutcome::Failed`];
    /// - `successful` `payment` or `capture` (or with no type) → [`PaymentOutcome::Paid`];
    /// - `successful` `refund` → [`PaymentOutcome::Refunded`];
    /// - `successful` `authorization` → [`PaymentOutcome::Pending`]: the amount is only
    ///   reserved until captured;
    /// - anything else → [`PaymentOutcome::Pending`].
    pub fn outcome(&self) -> PaymentOutcome {
        match (self.status.outcome(), &self.kind) {
            (
                PaymentOutcome::Paid,
                None | Some(TransactionType::Payment | TransactionType::Capture),
            ) => PaymentOutcome::Paid,
            (PaymentOutcome::Paid, Some(TransactionType::Refund)) => PaymentOutcome::Refunded,
            (PaymentOutcome::Paid, _) => PaymentOutcome::Pending,
            (other, _) => other,
        }
    }
}

/// `{"transaction": {...}}`, the envelope of queries and notifications.
#[derive(Deserialize)]
pub(crate) struct Envelope {
    pub(crate) transaction: Transaction,
}

/// One transaction or several, as a tracking-id query may return.
#[derive(Deserialize)]
struct ManyEnvelope {
    #[serde(default)]
    transaction: Option<Transaction>,
    #[serde(default)]
    transactions: Option<Vec<Transaction>>,
}

/// A timestamp that is informative only: unreadable text (the Ruby SDK's sample notification
/// has `"2020-11-20T10: 42: 28.786Z"`) or a non-string reads as `None`.
fn lenient_datetime<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<OffsetDateTime>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(text) => {
            payments_common::serde::parse_flexible_datetime(&text).ok()
        }
        _ => None,
    })
}

pub(crate) fn text_or_number<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Int(i64),
        Uint(u64),
    }
    Ok(Option::<Raw>::deserialize(d)?.map(|raw| match raw {
        Raw::Text(t) => t,
        Raw::Int(i) => i.to_string(),
        Raw::Uint(u) => u.to_string(),
    }))
}

/// The transaction queries, from [`Client::transactions`]. Both are reads (retried on
/// transient failures) on the gateway host.
#[derive(Debug, Clone, Copy)]
pub struct Transactions<'a> {
    client: &'a Client,
}

impl<'a> Transactions<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Transactions { client }
    }

    /// `GET {gateway}/transactions/{uid}` → the transaction. 404 → [`ErrorKind::NotFound`]; an
    /// answer about another transaction than `uid` → [`ErrorKind::Decode`] (path
    /// `transaction.uid`).
    ///
    /// This tells a transaction's status, not which order it pays: to confirm the payment of
    /// an order, use [`Transactions::confirm`].
    pub async fn get(&self, uid: &TransactionUid) -> Result<Transaction, Error> {
        self.get_kind(uid)
            .await
            .map_err(Error::at("transactions.get"))
    }

    async fn get_kind(&self, uid: &TransactionUid) -> Result<Transaction, ErrorKind> {
        validate::path_id("uid", uid.as_str())?;
        let url = self.client.gateway_url(&["transactions", uid.as_str()]);
        let http = self
            .client
            .authorize(Request::get("begateway.transactions.get", url))?;
        self.client
            .http()
            .execute(http, |r| match r.status().as_u16() {
                200 => {
                    let transaction = r.json::<Envelope>()?.transaction;
                    if transaction.uid != *uid {
                        return Err(r.decode_error(
                            "transaction.uid",
                            "the answer is about another transaction than the one asked for",
                        ));
                    }
                    Ok(transaction)
                }
                _ => Err(self.client.map_error(&r)),
            })
            .await
    }

    /// Confirms that transaction `uid` is the paid payment of the order `expected` describes:
    /// reads it from beGateway ([`Transactions::get`], server to server) and returns
    /// [`ExpectedPayment::judge`]'s verdict. Only [`PaymentVerdict::Paid`] means "fulfil the
    /// order".
    ///
    /// - the order reference is the transaction's [`tracking_id`](Transaction::tracking_id),
    ///   compared whole and exactly (a transaction with another `tracking_id`, or none, is
    ///   [`PaymentVerdict::OtherOrder`]: a genuine paid `uid` replayed on another order's
    ///   return is refused);
    /// - test or live: the transaction's `test` flag;
    /// - the amount: [`Transaction::amount`], at ISO scale (`expected`'s amount is rescaled to
    ///   ISO scale first, exactly, so one built with [`crate::currency::currency`] works too);
    /// - paid: [`Transaction::outcome`] is [`PaymentOutcome::Paid`] (a successful
    ///   authorization is only reserved money, a refund is not a payment).
    ///
    /// Errors: [`ErrorKind::InvalidRequest`] (`uid`, `tracking_id` for an empty reference,
    /// `amount` for an amount that has no ISO-scale form), nothing sent; then those of
    /// [`Transactions::get`].
    ///
    /// ```no_run
    /// use begateway::{Currency, ExpectedPayment, Money, PaymentVerdict, ReturnParams};
    /// # async fn run(client: begateway::Client) -> begateway::Result<()> {
    /// // The customer came back to https://shop.example/orders/44/return?uid=…
    /// let back = ReturnParams::parse("uid=1-310b0da80b&status=successful");
    /// let expected = ExpectedPayment::new("order-44", Money::parse("9.90", Currency::USD)?);
    /// if let Some(uid) = back.uid() {
    ///     match client.transactions().confirm(uid, &expected).await? {
    ///         PaymentVerdict::Paid => { /* fulfil order 44 */ }
    ///         other => println!("not paid: {other}"),
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn confirm(
        &self,
        uid: &TransactionUid,
        expected: &ExpectedPayment,
    ) -> Result<PaymentVerdict, Error> {
        self.confirm_kind(uid, expected)
            .await
            .map_err(Error::at("transactions.confirm"))
    }

    async fn confirm_kind(
        &self,
        uid: &TransactionUid,
        expected: &ExpectedPayment,
    ) -> Result<PaymentVerdict, ErrorKind> {
        validate::path_id("uid", uid.as_str())?;
        if expected.reference().is_empty() {
            return Err(ErrorKind::invalid(
                "tracking_id",
                "the expected order reference is empty",
            ));
        }
        let amount = currency::to_iso(expected.amount(), "amount")?;
        let expected = ExpectedPayment::new(expected.reference(), amount).test(expected.is_test());
        let transaction = self.get_kind(uid).await?;
        Ok(transaction.judge(&expected))
    }

    /// `GET {gateway}/transactions/tracking_id/{tracking_id}` → every transaction with the
    /// merchant's `tracking_id` (an empty list if the answer holds none).
    pub async fn by_tracking_id(&self, tracking_id: &str) -> Result<Vec<Transaction>, Error> {
        self.by_tracking_id_kind(tracking_id)
            .await
            .map_err(Error::at("transactions.by_tracking_id"))
    }

    async fn by_tracking_id_kind(&self, tracking_id: &str) -> Result<Vec<Transaction>, ErrorKind> {
        validate::path_id("tracking_id", tracking_id)?;
        let url = self
            .client
            .gateway_url(&["transactions", "tracking_id", tracking_id]);
        let http = self
            .client
            .authorize(Request::get("begateway.transactions.by_tracking_id", url))?;
        self.client
            .http()
            .execute(http, |r| match r.status().as_u16() {
                200 => {
                    let many = r.json::<ManyEnvelope>()?;
                    let mut all = many.transactions.unwrap_or_default();
                    all.extend(many.transaction);
                    Ok(all)
                }
                _ => Err(self.client.map_error(&r)),
            })
            .await
    }
}
