//! The manual payment of a subscription (`POST /subscriptions/pay`, GreenPay's page
//! "pago manual de una suscripción").

use payments_common::{Currency, Error, Money, PaymentOutcome};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{SubscriptionId, SubscriptionStatus, validation};
use crate::wire;

/// The body of a manual payment: `{"subscriptionId": …}` (the client adds `merchantId` and
/// `secret`; the page sends no `terminal`, and neither does this SDK).
///
/// ```
/// use greenpay::subscriptions::ManualPayment;
/// let request = ManualPayment::new("9541b344c3d45d421acd454d61251cde".into());
/// assert_eq!(
///     serde_json::to_value(&request)?,
///     serde_json::json!({"subscriptionId": "9541b344c3d45d421acd454d61251cde"})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManualPayment {
    #[serde(rename = "subscriptionId")]
    subscription_id: SubscriptionId,
}

impl ManualPayment {
    /// Charges subscription `subscription_id` now.
    pub fn new(subscription_id: SubscriptionId) -> Self {
        ManualPayment { subscription_id }
    }

    /// The subscription to charge.
    pub fn subscription_id(&self) -> &SubscriptionId {
        &self.subscription_id
    }

    /// Checks the request: `subscriptionId` is required, without whitespace, at most 128
    /// characters (GreenPay documents 32 hex digits).
    pub(crate) fn validate(&self) -> Result<(), Error> {
        validation::subscription_id(&self.subscription_id)
    }
}

payments_common::open_enum! {
    /// The result of a charge (`result.status`). GreenPay documents `approved`; `rejected` is
    /// *inferred* (from the subscription notification, whose non-approved list is not
    /// documented either).
    pub enum PaymentStatus {
        /// `approved`: the card was charged.
        Approved = "approved",
        /// `rejected`: the charge was refused (inferred spelling).
        Rejected = "rejected",
    }
}

impl PaymentStatus {
    /// The provider-independent reading: `approved` is [`PaymentOutcome::Paid`], `rejected`
    /// [`PaymentOutcome::Failed`], anything else [`PaymentOutcome::Pending`].
    ///
    /// ```
    /// use greenpay::{subscriptions::PaymentStatus, PaymentOutcome};
    /// assert_eq!(PaymentStatus::Approved.outcome(), PaymentOutcome::Paid);
    /// assert_eq!(PaymentStatus::from("in_review").outcome(), PaymentOutcome::Pending);
    /// ```
    pub fn outcome(&self) -> PaymentOutcome {
        match self {
            PaymentStatus::Approved => PaymentOutcome::Paid,
            PaymentStatus::Rejected => PaymentOutcome::Failed,
            PaymentStatus::Unknown(_) => PaymentOutcome::Pending,
        }
    }
}

/// What a manual payment returns (`result` of the envelope).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ManualPaymentResult {
    /// `status`: the charge's result (`approved`, …).
    pub status: PaymentStatus,
    /// `orderStatus`: the subscription's state after the charge (`ACTIVE`, …).
    #[serde(rename = "orderStatus")]
    pub order_status: SubscriptionStatus,
    /// `merchantId`: the merchant charged for.
    #[serde(rename = "merchantId", default)]
    pub merchant_id: Option<String>,
    /// `order`: the charge.
    pub order: PaymentOrder,
    /// `_signature` of the answer (next to `result` in the envelope): GreenPay's RSA
    /// signature, hex. Which fields it covers is *inferred* (`status` and the order
    /// reference); verify it with `WebhookVerifier::verify_fields` (feature `webhooks`) if you
    /// rely on it. `None` when the answer carries none.
    #[serde(
        rename = "_signature",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub signature: Option<String>,
}

impl ManualPaymentResult {
    /// The provider-independent reading of [`ManualPaymentResult::status`].
    pub fn outcome(&self) -> PaymentOutcome {
        self.status.outcome()
    }
}

/// The charge a manual payment made (`result.order`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PaymentOrder {
    /// `order_reference` (also read from `orderReference`): the charge's reference,
    /// `<subscriptionId>_<n>`.
    #[serde(rename = "order_reference")]
    pub order_reference: String,
    /// `subscriptionId`: the subscription charged.
    #[serde(rename = "subscriptionId")]
    pub subscription_id: SubscriptionId,
    /// `user`: the merchant's customer id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// `amount`: what was charged (major units on the wire, `100` = 100.00).
    #[serde(serialize_with = "payments_common::serde::decimal_text::serialize_money")]
    pub amount: Money,
    /// `currency`: the currency of `amount`.
    pub currency: Currency,
    /// `date`: when the charge was made.
    #[serde(with = "payments_common::serde::flexible_datetime::option")]
    pub date: Option<OffsetDateTime>,
    /// `authorization`: the bank's authorization code (`None` when refused).
    pub authorization: Option<String>,
    /// `details`: free text (empty in the example).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// `errors`: why the charge failed, if it did.
    pub errors: Vec<String>,
    /// `reason`: why the charge was made (`"Manual payment"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl<'de> Deserialize<'de> for PaymentOrder {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            #[serde(rename = "order_reference", alias = "orderReference")]
            order_reference: String,
            #[serde(rename = "subscriptionId")]
            subscription_id: SubscriptionId,
            #[serde(default)]
            user: Option<String>,
            #[serde(deserialize_with = "payments_common::serde::decimal_text::deserialize")]
            amount: String,
            currency: Currency,
            #[serde(default, with = "payments_common::serde::flexible_datetime::option")]
            date: Option<OffsetDateTime>,
            #[serde(default, deserialize_with = "wire::text_or_number::option")]
            authorization: Option<String>,
            #[serde(default)]
            details: Option<String>,
            #[serde(default, deserialize_with = "crate::envelope::messages")]
            errors: Vec<String>,
            #[serde(default)]
            reason: Option<String>,
        }
        let w = Wire::deserialize(d)?;
        Ok(PaymentOrder {
            amount: wire::money(&w.amount, w.currency).map_err(de::Error::custom)?,
            order_reference: w.order_reference,
            subscription_id: w.subscription_id,
            user: w.user,
            currency: w.currency,
            date: w.date,
            authorization: w.authorization,
            details: w.details,
            errors: w.errors,
            reason: w.reason,
        })
    }
}
