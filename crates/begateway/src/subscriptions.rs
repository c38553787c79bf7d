//! Plans and subscriptions on the API host: create a plan; create, read and cancel a
//! subscription; subscription statuses.
//!
//! Documented on bePaid's pages (<https://docs.bepaid.by/en/payment_management/subscriptions/plans/>,
//! `…/subscriptions/subscriptions/`): `POST {api}/plans` with `test`, `title`, `currency`,
//! `plan{amount, interval, interval_unit: hour|day|month}`, `trial{…}`, `language`; `POST
//! {api}/subscriptions` with `plan` (an id or full details), `customer`, `tracking_id`; the
//! statuses `pending`, `trial`, `trial_processing`, `processing`, `active`, `failed`, `error`,
//! `canceled`. **Inferred** (not on a stored page): the answers' shapes (`id` plus the request's
//! fields; the subscription's status read from `state` or `status`), `GET
//! {api}/subscriptions/{id}`, `POST {api}/subscriptions/{id}/cancel`, and `notification_url` /
//! `return_url` on a subscription. Creates are not keyed: never repeated once they may have
//! reached beGateway.
//!
//! ```no_run
//! use begateway::{CreatePlan, CreateSubscription, Currency, IntervalUnit, Money};
//!
//! # async fn run(client: begateway::Client) -> begateway::Result<()> {
//! let plan = client
//!     .subscriptions()
//!     .create_plan(&CreatePlan::new("Pro monthly", Money::parse("9.90", Currency::USD)?, 1, IntervalUnit::Month).test(true))
//!     .await?;
//! let subscription = client
//!     .subscriptions()
//!     .create(&CreateSubscription::new(plan.id.clone(), "order-42").notification_url("https://shop.example/begateway/notify"))
//!     .await?;
//! println!("{} is {}", subscription.id, subscription.status.as_str());
//! # Ok(()) }
//! ```

use payments_common::http::Request;
use payments_common::{Currency, ErrorKind, Money, Reconciliation, validate};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::currency;
use crate::error::Error;
use crate::products::Language;

payments_common::id_type! {
    /// A plan's id.
    pub struct PlanId;
}

payments_common::id_type! {
    /// A subscription's id.
    pub struct SubscriptionId;
}

payments_common::open_enum! {
    /// The unit of a plan's interval (`interval_unit`).
    pub enum IntervalUnit {
        /// Hours.
        Hour = "hour",
        /// Days.
        Day = "day",
        /// Months.
        Month = "month",
    }
}

payments_common::open_enum! {
    /// A subscription's status. Documented values; anything else is kept as `Unknown`.
    pub enum SubscriptionStatus {
        /// Newly created, not processed yet.
        Pending = "pending",
        /// Active or cancelled, in a trial period.
        Trial = "trial",
        /// Collecting an overdue trial balance.
        TrialProcessing = "trial_processing",
        /// Collecting an overdue balance.
        Processing = "processing",
        /// Active, paid and up to date.
        Active = "active",
        /// bePaid could not collect the overdue balance.
        Failed = "failed",
        /// An error while collecting the overdue balance.
        Error = "error",
        /// Cancelled: will not renew.
        Canceled = "canceled",
        /// Tokenizing the customer's card (seen in the record; inferred).
        Tokenizing = "tokenizing",
        /// Sending the customer to a payment page (seen in the record; inferred).
        Redirecting = "redirecting",
    }
}

impl SubscriptionStatus {
    /// Whether the subscription is in good standing (`active` or `trial`).
    pub fn is_active(&self) -> bool {
        matches!(self, SubscriptionStatus::Active | SubscriptionStatus::Trial)
    }

    /// Whether it will never charge again (`canceled`, `failed`, `error`).
    pub fn is_ended(&self) -> bool {
        matches!(
            self,
            SubscriptionStatus::Canceled | SubscriptionStatus::Failed | SubscriptionStatus::Error
        )
    }
}

/// `POST {api}/plans`: what to charge and how often.
#[derive(Debug, Clone)]
pub struct CreatePlan {
    title: String,
    amount: Money,
    interval: u32,
    unit: IntervalUnit,
    test: bool,
    language: Option<Language>,
}

impl CreatePlan {
    /// A plan `title` charging `amount` every `interval` `unit`s.
    pub fn new(title: impl Into<String>, amount: Money, interval: u32, unit: IntervalUnit) -> Self {
        CreatePlan {
            title: title.into(),
            amount,
            interval,
            unit,
            test: false,
            language: None,
        }
    }

    /// Test mode (`test`).
    pub fn test(mut self, test: bool) -> Self {
        self.test = test;
        self
    }

    /// The payment page's language (`language`).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// Checks every field (operation `plans.create`).
    pub fn build(self) -> Result<Self, Error> {
        self.validate().map_err(Error::at("plans.create"))?;
        Ok(self)
    }

    fn validate(&self) -> Result<(), ErrorKind> {
        validate::text("title", &self.title, 255)?;
        validate::positive_amount("plan.amount", self.amount)?;
        currency::wire(self.amount)?;
        if self.interval == 0 {
            return Err(ErrorKind::invalid("plan.interval", "must be at least 1"));
        }
        if let IntervalUnit::Unknown(v) = &self.unit {
            return Err(ErrorKind::invalid(
                "plan.interval_unit",
                format!("must be hour, day or month (got {v:?})"),
            ));
        }
        Ok(())
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct PlanTerms {
    #[serde(deserialize_with = "payments_common::serde::int_or_string::deserialize")]
    amount: i64,
    #[serde(deserialize_with = "payments_common::serde::int_or_string::deserialize")]
    interval: i64,
    interval_unit: IntervalUnit,
}

#[derive(Serialize)]
struct PlanBody<'a> {
    test: bool,
    title: &'a str,
    currency: Currency,
    plan: PlanTerms,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a Language>,
}

/// A plan as beGateway returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Plan {
    /// The plan's id, for [`CreateSubscription::new`].
    pub id: PlanId,
    /// The title.
    #[serde(default)]
    pub title: Option<String>,
    /// The currency.
    pub currency: Currency,
    /// Test mode.
    #[serde(default)]
    pub test: bool,
    #[serde(rename = "plan")]
    terms: PlanTerms,
}

impl Plan {
    /// The amount charged each interval, at ISO 4217 scale (`None` when the wire value has no
    /// exact ISO-scale form).
    pub fn amount(&self) -> Option<Money> {
        currency::money_from_wire(self.terms.amount, self.currency)
    }

    /// The raw `plan.amount` integer, in beGateway's minor units.
    pub fn amount_minor_wire(&self) -> i64 {
        self.terms.amount
    }

    /// How many units between charges.
    pub fn interval(&self) -> i64 {
        self.terms.interval
    }

    /// The unit of the interval.
    pub fn interval_unit(&self) -> &IntervalUnit {
        &self.terms.interval_unit
    }
}

/// `POST {api}/subscriptions`: subscribe a customer to a plan, for your order `tracking_id`.
#[derive(Debug, Clone)]
pub struct CreateSubscription {
    plan: PlanId,
    tracking_id: String,
    notification_url: Option<String>,
    return_url: Option<String>,
    customer_email: Option<String>,
}

impl CreateSubscription {
    /// A subscription to `plan` for the order `tracking_id`.
    pub fn new(plan: PlanId, tracking_id: impl Into<String>) -> Self {
        CreateSubscription {
            plan,
            tracking_id: tracking_id.into(),
            notification_url: None,
            return_url: None,
            customer_email: None,
        }
    }

    /// Where beGateway posts the subscription's notifications (`notification_url`).
    pub fn notification_url(mut self, url: impl Into<String>) -> Self {
        self.notification_url = Some(url.into());
        self
    }

    /// Where the customer returns after paying (`return_url`).
    pub fn return_url(mut self, url: impl Into<String>) -> Self {
        self.return_url = Some(url.into());
        self
    }

    /// The customer's e-mail address (`customer.email`).
    pub fn customer_email(mut self, email: impl Into<String>) -> Self {
        self.customer_email = Some(email.into());
        self
    }

    /// Checks every field (operation `subscriptions.create`).
    pub fn build(self) -> Result<Self, Error> {
        self.validate().map_err(Error::at("subscriptions.create"))?;
        Ok(self)
    }

    fn validate(&self) -> Result<(), ErrorKind> {
        validate::path_id("plan.id", self.plan.as_str())?;
        validate::text("tracking_id", &self.tracking_id, 255)?;
        for (field, url) in [
            ("notification_url", &self.notification_url),
            ("return_url", &self.return_url),
        ] {
            if let Some(url) = url {
                validate::callback_url(field, url, validate::DEFAULT_MAX_URL_LEN)?;
            }
        }
        if let Some(email) = &self.customer_email {
            validate::text("customer.email", email, 255)?;
            if !email.contains('@') {
                return Err(ErrorKind::invalid(
                    "customer.email",
                    "is not an e-mail address",
                ));
            }
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct PlanRef<'a> {
    id: &'a str,
}

#[derive(Serialize)]
struct CustomerRef<'a> {
    email: &'a str,
}

#[derive(Serialize)]
struct SubscriptionBody<'a> {
    plan: PlanRef<'a>,
    tracking_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    notification_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    return_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer: Option<CustomerRef<'a>>,
}

impl CreatePlan {
    /// The wire body (checked by the caller).
    pub(crate) fn wire_body(&self) -> Result<impl Serialize + '_, ErrorKind> {
        Ok(PlanBody {
            test: self.test,
            title: &self.title,
            currency: self.amount.currency(),
            plan: PlanTerms {
                amount: currency::wire(self.amount)?,
                interval: i64::from(self.interval),
                interval_unit: self.unit.clone(),
            },
            language: self.language.as_ref(),
        })
    }
}

impl CreateSubscription {
    /// The wire body (checked by the caller).
    pub(crate) fn wire_body(&self) -> Result<impl Serialize + '_, ErrorKind> {
        Ok(SubscriptionBody {
            plan: PlanRef {
                id: self.plan.as_str(),
            },
            tracking_id: &self.tracking_id,
            notification_url: self.notification_url.as_deref(),
            return_url: self.return_url.as_deref(),
            customer: self
                .customer_email
                .as_deref()
                .map(|email| CustomerRef { email }),
        })
    }
}

/// A subscription as beGateway returns it (and as its notifications carry it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Subscription {
    /// The subscription's id.
    pub id: SubscriptionId,
    /// Its status (read from `state`, or `status`; inferred).
    #[serde(alias = "state")]
    pub status: SubscriptionStatus,
    /// Your order reference.
    #[serde(default)]
    pub tracking_id: Option<String>,
    /// Where to send the customer to pay, when beGateway asks for it.
    #[serde(default)]
    pub redirect_url: Option<String>,
    /// The plan, as sent (kept as received).
    #[serde(default)]
    pub plan: Option<serde_json::Value>,
}

#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
impl Subscription {
    /// A subscription for tests of your own code (feature `test-util`).
    pub fn for_tests(id: impl Into<String>, status: SubscriptionStatus) -> Subscription {
        Subscription {
            id: SubscriptionId::new(id),
            status,
            tracking_id: None,
            redirect_url: None,
            plan: None,
        }
    }
}

/// Plans and subscriptions, from [`Client::subscriptions`].
#[derive(Debug, Clone, Copy)]
pub struct Subscriptions<'a> {
    client: &'a Client,
}

impl<'a> Subscriptions<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Subscriptions { client }
    }

    /// `POST {api}/plans` → the plan (200 or 201).
    pub async fn create_plan(&self, request: &CreatePlan) -> Result<Plan, Error> {
        self.create_plan_kind(request)
            .await
            .map_err(Error::at("plans.create"))
    }

    async fn create_plan_kind(&self, request: &CreatePlan) -> Result<Plan, ErrorKind> {
        request.validate()?;
        let body = request.wire_body()?;
        let url = self.client.api_url(&["plans"]);
        let http = Request::post("begateway.plans.create", url)
            .json(&body)?
            .reconcile_with(Reconciliation::merchant_reference(request.title.clone()));
        self.send(self.client.authorize(http)?).await
    }

    /// `POST {api}/subscriptions` → the subscription (200 or 201).
    pub async fn create(&self, request: &CreateSubscription) -> Result<Subscription, Error> {
        self.create_kind(request)
            .await
            .map_err(Error::at("subscriptions.create"))
    }

    async fn create_kind(&self, request: &CreateSubscription) -> Result<Subscription, ErrorKind> {
        request.validate()?;
        let body = request.wire_body()?;
        let url = self.client.api_url(&["subscriptions"]);
        let http = Request::post("begateway.subscriptions.create", url)
            .json(&body)?
            .reconcile_with(Reconciliation::merchant_reference(
                request.tracking_id.clone(),
            ));
        self.send(self.client.authorize(http)?).await
    }

    /// `GET {api}/subscriptions/{id}` → the subscription; an answer about another one →
    /// [`ErrorKind::Decode`] (path `id`).
    pub async fn get(&self, id: &SubscriptionId) -> Result<Subscription, Error> {
        self.get_kind(id)
            .await
            .map_err(Error::at("subscriptions.get"))
    }

    async fn get_kind(&self, id: &SubscriptionId) -> Result<Subscription, ErrorKind> {
        validate::path_id("subscription_id", id.as_str())?;
        let url = self.client.api_url(&["subscriptions", id.as_str()]);
        let http = self
            .client
            .authorize(Request::get("begateway.subscriptions.get", url))?;
        self.client
            .http()
            .execute(http, |r| match r.status().as_u16() {
                200 => {
                    let s: Subscription = r.json()?;
                    if s.id != *id {
                        return Err(r.decode_error(
                            "id",
                            "the answer is about another subscription than the one asked for",
                        ));
                    }
                    Ok(s)
                }
                _ => Err(self.client.map_error(&r)),
            })
            .await
    }

    /// `POST {api}/subscriptions/{id}/cancel` → the subscription, now `canceled` (inferred
    /// path). Cancelling twice is harmless at beGateway, but the call is not repeated
    /// automatically once it may have been delivered: read the subscription to reconcile.
    pub async fn cancel(&self, id: &SubscriptionId) -> Result<Subscription, Error> {
        self.cancel_kind(id)
            .await
            .map_err(Error::at("subscriptions.cancel"))
    }

    async fn cancel_kind(&self, id: &SubscriptionId) -> Result<Subscription, ErrorKind> {
        validate::path_id("subscription_id", id.as_str())?;
        let url = self
            .client
            .api_url(&["subscriptions", id.as_str(), "cancel"]);
        let http = Request::post("begateway.subscriptions.cancel", url)
            .reconcile_with(Reconciliation::merchant_reference(id.as_str()));
        self.send(self.client.authorize(http)?).await
    }

    async fn send<T: serde::de::DeserializeOwned>(&self, http: Request) -> Result<T, ErrorKind> {
        self.client
            .http()
            .execute(http, |r| match r.status().as_u16() {
                200 | 201 => r.json(),
                _ => Err(self.client.map_error(&r)),
            })
            .await
    }
}
