//! Listing subscriptions (`POST /subscriptions/list`), and the page shape both lists share.

use payments_common::{Currency, Error, Money};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use time::OffsetDateTime;

use super::{Cadence, SubscriptionId, SubscriptionStatus, validation};
use crate::wire;

/// One page of a list (`result` of both list endpoints).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Page<T> {
    /// `entries`: the items of this page.
    #[serde(default = "Vec::new")]
    pub entries: Vec<T>,
    /// `page`: this page's number (from 1).
    #[serde(
        default,
        deserialize_with = "payments_common::serde::int_or_string::deserialize_option"
    )]
    pub page: Option<i64>,
    /// `totalEntries`: items in all pages.
    #[serde(
        rename = "totalEntries",
        default,
        deserialize_with = "payments_common::serde::int_or_string::deserialize_option"
    )]
    pub total_entries: Option<i64>,
    /// `totalPages`: the number of pages.
    #[serde(
        rename = "totalPages",
        default,
        deserialize_with = "payments_common::serde::int_or_string::deserialize_option"
    )]
    pub total_pages: Option<i64>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            entries: Vec::new(),
            page: None,
            total_entries: None,
            total_pages: None,
        }
    }
}

/// A page of subscriptions.
pub type SubscriptionPage = Page<SubscriptionSummary>;

/// The filters of a subscription list (`filters`; cayasso's SDK sends `filter`, GreenPay's
/// documentation `filters` — this SDK follows the documentation).
///
/// The documented `subsDate` filter is not offered: its format is not documented.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SubscriptionFilters {
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "filter_statuses"
    )]
    status: Vec<SubscriptionStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<String>,
    #[serde(
        rename = "minAmount",
        skip_serializing_if = "Option::is_none",
        serialize_with = "wire::serialize_option_money"
    )]
    min_amount: Option<Money>,
    #[serde(
        rename = "maxAmount",
        skip_serializing_if = "Option::is_none",
        serialize_with = "wire::serialize_option_money"
    )]
    max_amount: Option<Money>,
}

/// The filter example spells the cancelled state `CANCELED`; this SDK sends that spelling.
fn filter_statuses<S: Serializer>(
    statuses: &[SubscriptionStatus],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(statuses.iter().map(|st| match st {
        SubscriptionStatus::Cancelled => "CANCELED",
        other => other.as_str(),
    }))
}

impl SubscriptionFilters {
    /// No filter.
    pub fn new() -> Self {
        SubscriptionFilters::default()
    }

    /// Keeps subscriptions in `status` (may be called several times).
    pub fn status(mut self, status: SubscriptionStatus) -> Self {
        self.status.push(status);
        self
    }

    /// Keeps the subscriptions of customer `user`.
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }

    /// Keeps subscriptions of at least `amount` (`minAmount`, major units).
    pub fn min_amount(mut self, amount: Money) -> Self {
        self.min_amount = Some(amount);
        self
    }

    /// Keeps subscriptions of at most `amount` (`maxAmount`, major units).
    pub fn max_amount(mut self, amount: Money) -> Self {
        self.max_amount = Some(amount);
        self
    }

    fn validate(&self) -> Result<(), Error> {
        if let Some(user) = &self.user {
            validation::text("filters.user", user)?;
        }
        if let Some(min) = self.min_amount {
            validation::amount("filters.minAmount", min)?;
        }
        if let Some(max) = self.max_amount {
            validation::amount("filters.maxAmount", max)?;
        }
        if let (Some(min), Some(max)) = (self.min_amount, self.max_amount)
            && (min.currency() != max.currency() || min.minor_units() > max.minor_units())
        {
            return Err(Error::invalid(
                "filters.maxAmount",
                "must be at least minAmount, in the same currency",
            ));
        }
        Ok(())
    }
}

/// The body of `POST /subscriptions/list`: `{page, pageSize, filters?}` (the client adds
/// `merchantId`, `secret` and `terminal`).
///
/// ```
/// use greenpay::subscriptions::{ListSubscriptions, SubscriptionFilters, SubscriptionStatus};
/// let request = ListSubscriptions::new(1, 50).filters(SubscriptionFilters::new().status(SubscriptionStatus::Active));
/// assert_eq!(
///     serde_json::to_value(&request)?,
///     serde_json::json!({"pageSize": 50, "page": 1, "filters": {"status": ["ACTIVE"]}})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListSubscriptions {
    #[serde(rename = "pageSize")]
    page_size: u32,
    page: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    filters: Option<SubscriptionFilters>,
}

impl ListSubscriptions {
    /// Page `page` (from 1) of `page_size` (1–100) subscriptions.
    pub fn new(page: u32, page_size: u32) -> Self {
        ListSubscriptions {
            page_size,
            page,
            filters: None,
        }
    }

    /// This page with another page number (for the stream of items).
    pub(crate) fn at_page(mut self, page: u32) -> Self {
        self.page = page;
        self
    }

    /// The page number requested (from 1).
    ///
    /// ```
    /// assert_eq!(greenpay::subscriptions::ListSubscriptions::new(3, 50).page_number(), 3);
    /// ```
    pub fn page_number(&self) -> u32 {
        self.page
    }

    /// The page size requested.
    ///
    /// ```
    /// assert_eq!(greenpay::subscriptions::ListSubscriptions::new(3, 50).page_size(), 50);
    /// ```
    pub fn page_size(&self) -> u32 {
        self.page_size
    }

    /// Applies `filters`.
    pub fn filters(mut self, filters: SubscriptionFilters) -> Self {
        self.filters = Some(filters);
        self
    }

    /// Checks `page` ≥ 1, `pageSize` 1–100 and the filters.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        validation::paging(self.page, self.page_size)?;
        if let Some(filters) = &self.filters {
            filters.validate()?;
        }
        Ok(())
    }
}

/// A subscription as the list shows it (`result.entries[]`).
///
/// The list writes amounts as strings (`"10"`), dates as strings of epoch milliseconds and
/// the cadence as text (`"EVERY 1 MONTH"`); all are read into typed values here.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SubscriptionSummary {
    /// `id`: the subscription's id.
    pub id: SubscriptionId,
    /// `status`: its state.
    pub status: SubscriptionStatus,
    /// `user_id`: the merchant's customer id.
    pub user_id: Option<String>,
    /// `description`: the description given at creation.
    pub description: Option<String>,
    /// `currency`: the currency of `amount`.
    pub currency: Currency,
    /// `amount`: each charge (major units on the wire, often as a string).
    #[serde(serialize_with = "payments_common::serde::decimal_text::serialize_money")]
    pub amount: Money,
    /// `startdate`: the first charge.
    #[serde(
        rename = "startdate",
        serialize_with = "wire::serialize_option_epoch_millis"
    )]
    pub start_date: Option<OffsetDateTime>,
    /// `enddate`: the last possible charge; `None` means never.
    #[serde(
        rename = "enddate",
        serialize_with = "wire::serialize_option_epoch_millis"
    )]
    pub end_date: Option<OffsetDateTime>,
    /// `cadence`: how often it is charged.
    pub cadence: Option<Cadence>,
    /// `next_payment_date`: the next scheduled charge.
    #[serde(with = "payments_common::serde::flexible_datetime::option")]
    pub next_payment_date: Option<OffsetDateTime>,
}

impl<'de> Deserialize<'de> for SubscriptionSummary {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            #[serde(deserialize_with = "wire::text_or_number::required")]
            id: String,
            status: SubscriptionStatus,
            #[serde(default)]
            user_id: Option<String>,
            #[serde(default)]
            description: Option<String>,
            currency: Currency,
            #[serde(deserialize_with = "payments_common::serde::decimal_text::deserialize")]
            amount: String,
            #[serde(
                rename = "startdate",
                alias = "startDate",
                default,
                with = "payments_common::serde::flexible_datetime::option"
            )]
            start_date: Option<OffsetDateTime>,
            #[serde(
                rename = "enddate",
                alias = "endDate",
                default,
                with = "payments_common::serde::flexible_datetime::option"
            )]
            end_date: Option<OffsetDateTime>,
            #[serde(default)]
            cadence: Option<Cadence>,
            #[serde(default, with = "payments_common::serde::flexible_datetime::option")]
            next_payment_date: Option<OffsetDateTime>,
        }
        let w = Wire::deserialize(d)?;
        Ok(SubscriptionSummary {
            amount: wire::money(&w.amount, w.currency).map_err(de::Error::custom)?,
            id: SubscriptionId::new(w.id),
            status: w.status,
            user_id: w.user_id,
            description: w.description,
            currency: w.currency,
            start_date: w.start_date,
            end_date: w.end_date,
            cadence: w.cadence,
            next_payment_date: w.next_payment_date,
        })
    }
}
