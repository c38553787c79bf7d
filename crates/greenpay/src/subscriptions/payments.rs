//! The payments of a subscription, with their retries (`POST /subscriptions/list/payments`).

use payments_common::{Currency, Error, Money, PaymentOutcome};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::list::Page;
use super::{SubscriptionId, validation};
use crate::wire;

/// The body of `POST /subscriptions/list/payments`: `{subscriptionId, pageSize, page}` (the
/// client adds `merchantId`, `secret` and `terminal`).
///
/// ```
/// use greenpay::subscriptions::ListPayments;
/// let request = ListPayments::new("9541b344c3d45d421acd454d61251cde".into(), 1, 10);
/// assert_eq!(
///     serde_json::to_value(&request)?,
///     serde_json::json!({"subscriptionId": "9541b344c3d45d421acd454d61251cde", "pageSize": 10, "page": 1})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListPayments {
    #[serde(rename = "subscriptionId")]
    subscription_id: SubscriptionId,
    #[serde(rename = "pageSize")]
    page_size: u32,
    page: u32,
}

impl ListPayments {
    /// Page `page` (from 1) of `page_size` (1–100) payments of `subscription_id`.
    pub fn new(subscription_id: SubscriptionId, page: u32, page_size: u32) -> Self {
        ListPayments {
            subscription_id,
            page_size,
            page,
        }
    }

    /// The subscription.
    pub fn subscription_id(&self) -> &SubscriptionId {
        &self.subscription_id
    }

    /// This page with another page number (for the stream of items).
    pub(crate) fn at_page(mut self, page: u32) -> Self {
        self.page = page;
        self
    }

    /// The page number requested (from 1).
    ///
    /// ```
    /// use greenpay::subscriptions::ListPayments;
    /// assert_eq!(ListPayments::new("9541b344c3d45d421acd454d61251cde".into(), 2, 10).page_number(), 2);
    /// ```
    pub fn page_number(&self) -> u32 {
        self.page
    }

    /// The page size requested.
    ///
    /// ```
    /// use greenpay::subscriptions::ListPayments;
    /// assert_eq!(ListPayments::new("9541b344c3d45d421acd454d61251cde".into(), 2, 10).page_size(), 10);
    /// ```
    pub fn page_size(&self) -> u32 {
        self.page_size
    }

    /// Checks `subscriptionId`, `page` ≥ 1 and `pageSize` 1–100.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        validation::subscription_id(&self.subscription_id)?;
        validation::paging(self.page, self.page_size)
    }
}

/// A page of payments.
pub type PaymentPage = Page<SubscriptionPayment>;

/// One scheduled or manual charge of a subscription (`result.entries[]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SubscriptionPayment {
    /// `id`: GreenPay's payment number (`"7"`).
    #[serde(deserialize_with = "wire::text_or_number::required")]
    pub id: String,
    /// `reference_number`: the charge's reference (`<subscriptionId>_<n>`).
    #[serde(default)]
    pub reference_number: Option<String>,
    /// `payment_date`: when the charge was (first) attempted.
    #[serde(default, with = "payments_common::serde::flexible_datetime::option")]
    pub payment_date: Option<OffsetDateTime>,
    /// `payment_result`: the successful attempt; `null` while none succeeded.
    #[serde(default)]
    pub payment_result: Option<AttemptResult>,
    /// `payment_retries`: the failed attempts.
    #[serde(default)]
    pub payment_retries: Vec<PaymentAttempt>,
}

impl SubscriptionPayment {
    /// Paid when `payment_result` says so; failed when it says it failed; pending otherwise
    /// (failed retries alone do not settle a charge: GreenPay keeps retrying).
    pub fn outcome(&self) -> PaymentOutcome {
        self.payment_result
            .as_ref()
            .map_or(PaymentOutcome::Pending, AttemptResult::outcome)
    }
}

/// One attempt at a charge (`payment_retries[]`). GreenPay misspells the keys
/// `attemp_date` / `attemp_result`; `attempt_date` / `attempt_result` are read too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentAttempt {
    /// `attemp_date`: when the attempt was made.
    #[serde(
        rename = "attemp_date",
        alias = "attempt_date",
        default,
        with = "payments_common::serde::flexible_datetime::option"
    )]
    pub date: Option<OffsetDateTime>,
    /// `attemp_result`: what the attempt gave.
    #[serde(rename = "attemp_result", alias = "attempt_result", default)]
    pub result: Option<AttemptResult>,
}

/// The result of an attempt (`payment_result`, `attemp_result`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AttemptResult {
    /// `status`: a number, `200` for an approved charge and `500` in the documented failed
    /// retry (the full set is undocumented).
    pub status: Option<i64>,
    /// `orderId`: the charge's reference.
    #[serde(rename = "orderId")]
    pub order_id: Option<String>,
    /// `authorization`: the bank's authorization code (`null` when refused).
    pub authorization: Option<String>,
    /// `amount` with `currency`: what was charged.
    #[serde(serialize_with = "wire::serialize_option_money")]
    pub amount: Option<Money>,
    /// `currency`: the currency of `amount`.
    pub currency: Option<Currency>,
    /// `errors`: why the attempt failed.
    pub errors: Vec<String>,
}

impl AttemptResult {
    /// `200` is [`PaymentOutcome::Paid`]; another 4xx/5xx number [`PaymentOutcome::Failed`]
    /// (*inferred* from the documented `500` retry); anything else
    /// [`PaymentOutcome::Pending`].
    pub fn outcome(&self) -> PaymentOutcome {
        match self.status {
            Some(200) => PaymentOutcome::Paid,
            Some(400..=599) => PaymentOutcome::Failed,
            _ => PaymentOutcome::Pending,
        }
    }
}

impl<'de> Deserialize<'de> for AttemptResult {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            #[serde(
                default,
                deserialize_with = "payments_common::serde::int_or_string::deserialize_option"
            )]
            status: Option<i64>,
            #[serde(
                rename = "orderId",
                default,
                deserialize_with = "wire::text_or_number::option"
            )]
            order_id: Option<String>,
            #[serde(default, deserialize_with = "wire::text_or_number::option")]
            authorization: Option<String>,
            #[serde(default, deserialize_with = "optional_decimal")]
            amount: Option<String>,
            #[serde(default)]
            currency: Option<Currency>,
            #[serde(default, deserialize_with = "crate::envelope::messages")]
            errors: Vec<String>,
        }
        let w = Wire::deserialize(d)?;
        let amount = match (&w.amount, w.currency) {
            (Some(text), Some(currency)) => {
                Some(wire::money(text, currency).map_err(de::Error::custom)?)
            }
            (Some(_), None) => return Err(de::Error::custom("amount without currency")),
            (None, _) => None,
        };
        Ok(AttemptResult {
            status: w.status,
            order_id: w.order_id,
            authorization: w.authorization,
            amount,
            currency: w.currency,
            errors: w.errors,
        })
    }
}

fn optional_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    struct Text(
        #[serde(deserialize_with = "payments_common::serde::decimal_text::deserialize")] String,
    );
    Ok(Option::<Text>::deserialize(d)?.map(|t| t.0))
}
