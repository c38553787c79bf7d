//! Transaction status queries on the gateway host — how a merchant confirms a payment made
//! through a payment link (besides a verified notification).
//!
//! Not on the products page: the endpoints, the `{"transaction": {...}}` envelope and the field
//! list come from beGateway's official SDKs (providers.md §4.1 "Gateway transactions", tagged
//! SDK). `GET /transactions/tracking_id/{id}` may match several transactions; this crate
//! accepts both `{"transaction": {...}}` and `{"transactions": [...]}` there (*inferred*).

use payments_common::http::Request;
use payments_common::{Currency, Error, Money, PaymentOutcome, validate};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::client::Client;
use crate::currency;
use crate::products::TransactionType;

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Transaction {
    /// The transaction's id.
    pub uid: TransactionUid,
    /// Its status; see [`Transaction::outcome`].
    pub status: TransactionStatus,
    /// The gateway's message (`"Successfully processed"`, a decline reason, …).
    #[serde(default)]
    pub message: Option<String>,
    /// Amount in minor units of beGateway's exponent for `currency`; see [`Transaction::money`].
    #[serde(deserialize_with = "payments_common::serde::int_or_string::deserialize")]
    pub amount: i64,
    /// Currency, with beGateway's exponent.
    #[serde(deserialize_with = "currency::serde_currency::deserialize")]
    pub currency: Currency,
    /// Description of the order.
    #[serde(default)]
    pub description: Option<String>,
    /// The transaction's type (`payment`, `authorization`, `refund`, …).
    #[serde(rename = "type", default)]
    pub kind: Option<TransactionType>,
    /// The payment method (`credit_card`, an alternative method's name, …).
    #[serde(default)]
    pub payment_method_type: Option<String>,
    /// The merchant's own reference, as sent with the payment.
    #[serde(default)]
    pub tracking_id: Option<String>,
    /// Whether this is a test transaction.
    #[serde(default)]
    pub test: bool,
    /// When it was created (not in the stored record's field list; read when sent).
    #[serde(
        default,
        with = "payments_common::serde::flexible_datetime::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<OffsetDateTime>,
    /// When it last changed (not in the stored record's field list; read when sent).
    #[serde(
        default,
        with = "payments_common::serde::flexible_datetime::option",
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
}

impl Transaction {
    /// The amount as exact money.
    pub fn money(&self) -> Money {
        Money::from_minor_units(self.amount, self.currency)
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

fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
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

    /// `GET {gateway}/transactions/{uid}` → the transaction. 404 → [`Error::NotFound`].
    ///
    /// This — or a verified notification — is how to learn a payment's status; the customer's
    /// return to the shop ([`crate::ReturnParams`]) proves nothing.
    pub async fn get(&self, uid: &TransactionUid) -> Result<Transaction, Error> {
        validate::path_id("uid", uid.as_str())?;
        let url = self.client.gateway_url(&["transactions", uid.as_str()]);
        let http = self
            .client
            .authorize(Request::get("begateway.transactions.get", url))?;
        self.client
            .http()
            .execute(http, |r| match r.status().as_u16() {
                200 => r.json::<Envelope>().map(|e| e.transaction),
                _ => Err(self.client.map_error(&r)),
            })
            .await
    }

    /// `GET {gateway}/transactions/tracking_id/{tracking_id}` → every transaction with the
    /// merchant's `tracking_id` (an empty list if the answer holds none).
    pub async fn by_tracking_id(&self, tracking_id: &str) -> Result<Vec<Transaction>, Error> {
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
