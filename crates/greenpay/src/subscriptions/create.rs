//! Creating a subscription (`POST /subscriptions`).

use payments_common::{Currency, Error, Money};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::{Cadence, CardToken, SubscriptionId, validation};
use crate::wire;

/// The charge plan of a new subscription (one entry of `subscription[]`): amount, cadence
/// and optional start and end.
///
/// ```
/// use greenpay::subscriptions::{Cadence, Plan};
/// use greenpay::{Currency, Money};
/// let plan = Plan::new(Money::parse("5500.99", Currency::CRC)?, Cadence::monthly());
/// assert_eq!(
///     serde_json::to_value(&plan)?,
///     serde_json::json!({"amount": 5500.99, "cadence": {"mode": "EVERY", "unit": "MONTH", "every": 1}})
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    #[serde(
        rename = "startDate",
        skip_serializing_if = "Option::is_none",
        serialize_with = "wire::serialize_option_epoch_millis"
    )]
    start_date: Option<OffsetDateTime>,
    #[serde(
        rename = "endDate",
        skip_serializing_if = "Option::is_none",
        serialize_with = "wire::serialize_option_epoch_millis"
    )]
    end_date: Option<OffsetDateTime>,
    #[serde(serialize_with = "payments_common::serde::decimal_text::serialize_money")]
    amount: Money,
    cadence: Cadence,
}

impl Plan {
    /// Charges `amount` (in USD, CRC or GTQ; sent in major units) on `cadence`.
    pub fn new(amount: Money, cadence: Cadence) -> Self {
        Plan {
            start_date: None,
            end_date: None,
            amount,
            cadence,
        }
    }

    /// `startDate` (sent as epoch milliseconds): the first charge. Without it GreenPay
    /// starts the subscription on creation (*inferred*: the page does not say).
    pub fn start_date(mut self, at: OffsetDateTime) -> Self {
        self.start_date = Some(at);
        self
    }

    /// `endDate` (sent as epoch milliseconds): no charge after it. Without it the
    /// subscription never expires.
    pub fn end_date(mut self, at: OffsetDateTime) -> Self {
        self.end_date = Some(at);
        self
    }

    /// The amount of each charge.
    pub fn amount(&self) -> Money {
        self.amount
    }
}

/// `initialPayment`: a charge made at creation, before the plan starts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InitialPayment {
    #[serde(serialize_with = "payments_common::serde::decimal_text::serialize_money")]
    amount: Money,
    description: String,
}

impl InitialPayment {
    /// Charges `amount` now, described as `description`. Its currency must be the plan's.
    pub fn new(amount: Money, description: impl Into<String>) -> Self {
        InitialPayment {
            amount,
            description: description.into(),
        }
    }
}

/// The body of `POST /subscriptions` (the client adds `merchantId`, `secret` and `terminal`).
///
/// `currency` is the plan's. GreenPay documents one plan per subscription in every example;
/// this builder sends exactly one.
///
/// ```
/// use greenpay::subscriptions::{Cadence, CreateSubscription, InitialPayment, Plan};
/// use greenpay::{CardToken, Currency, Money};
/// let request = CreateSubscription::new(
///     "user-42",
///     "Pro plan",
///     CardToken::new("d4b8e5f1-token"),
///     Plan::new(Money::parse("100", Currency::USD)?, Cadence::monthly()),
/// )
/// .initial_payment(InitialPayment::new(Money::parse("10", Currency::USD)?, "Setup fee"));
/// let request = request.build()?;
/// assert_eq!(serde_json::to_value(&request)?["currency"], "USD");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateSubscription {
    #[serde(rename = "userId")]
    user_id: String,
    description: String,
    currency: Currency,
    tokens: Vec<CardToken>,
    #[serde(rename = "initialPayment", skip_serializing_if = "Option::is_none")]
    initial_payment: Option<InitialPayment>,
    subscription: [Plan; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    optional: Option<serde_json::Map<String, serde_json::Value>>,
}

impl CreateSubscription {
    /// A subscription of customer `user_id` (`userId`, the merchant's own id for the
    /// customer), described as `description`, charged to `token` on `plan`.
    pub fn new(
        user_id: impl Into<String>,
        description: impl Into<String>,
        token: CardToken,
        plan: Plan,
    ) -> Self {
        CreateSubscription {
            user_id: user_id.into(),
            description: description.into(),
            currency: plan.amount.currency(),
            tokens: vec![token],
            initial_payment: None,
            subscription: [plan],
            optional: None,
        }
    }

    /// Adds another card token to `tokens` (GreenPay's order of use is undocumented).
    pub fn token(mut self, token: CardToken) -> Self {
        self.tokens.push(token);
        self
    }

    /// Charges `initialPayment` at creation.
    pub fn initial_payment(mut self, payment: InitialPayment) -> Self {
        self.initial_payment = Some(payment);
        self
    }

    /// `optional`: free-form merchant data GreenPay keeps with the subscription (its keys are
    /// not documented).
    pub fn optional(mut self, data: serde_json::Map<String, serde_json::Value>) -> Self {
        self.optional = Some(data);
        self
    }

    /// The customer id.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The card tokens, as text (masked in the operation's errors).
    pub(crate) fn token_texts(&self) -> Vec<&str> {
        self.tokens.iter().map(CardToken::as_str).collect()
    }

    /// Checks the request before anything is sent: `userId` and `description` (1–255
    /// characters, this SDK's limit), at least one token, amounts positive in USD, CRC or
    /// GTQ, the initial payment in the plan's currency, the cadence `EVERY n MONTH`, and the
    /// end after the start.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        validation::text("userId", &self.user_id)?;
        validation::text("description", &self.description)?;
        for token in &self.tokens {
            validation::id("tokens", token.as_str())?;
        }
        let [plan] = &self.subscription;
        validation::amount("subscription[0].amount", plan.amount)?;
        plan.cadence.validate("subscription[0].cadence")?;
        if let (Some(start), Some(end)) = (plan.start_date, plan.end_date)
            && end <= start
        {
            return Err(Error::invalid(
                "subscription[0].endDate",
                "must be after startDate",
            ));
        }
        if let Some(initial) = &self.initial_payment {
            validation::amount("initialPayment.amount", initial.amount)?;
            if initial.amount.currency() != self.currency {
                return Err(Error::invalid(
                    "initialPayment.amount",
                    "must be in the plan's currency",
                ));
            }
            validation::text("initialPayment.description", &initial.description)?;
        }
        Ok(())
    }
}

/// What `POST /subscriptions` returns. Unlike every other endpoint, its envelope has a
/// **numeric** `status` (`200`) and no `code`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreatedSubscription {
    /// `subscriptionId`: the new subscription's id, for every later call.
    #[serde(rename = "subscriptionId")]
    pub subscription_id: SubscriptionId,
    /// `nextPaymentDate`: the date of the next scheduled charge (date only).
    #[serde(rename = "nextPaymentDate", default, with = "date_or_timestamp")]
    pub next_payment_date: Option<Date>,
    /// `result`: the initial payment's result (empty without one).
    #[serde(default, deserialize_with = "wire::object_or_empty")]
    pub result: CreationResult,
    /// `errors`: messages (empty on success).
    #[serde(default, deserialize_with = "crate::envelope::messages")]
    pub errors: Vec<String>,
    /// `_signature`: GreenPay's RSA signature of the answer (hex). Which fields it covers is
    /// undocumented; see the `webhooks` feature's verifier.
    #[serde(
        rename = "_signature",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub signature: Option<String>,
}

/// `result` of a creation: `{}` without an initial payment.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreationResult {
    /// `success`: whether the initial payment went through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    /// `initialPayment`: the initial charge, when one was requested.
    #[serde(
        rename = "initialPayment",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub initial_payment: Option<InitialPaymentResult>,
}

/// The initial charge made at creation (`result.initialPayment`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InitialPaymentResult {
    /// `orderId`: the charge's reference (`<subscriptionId>_0`).
    #[serde(rename = "orderId")]
    pub order_id: String,
    /// `authorization`: the bank's authorization code.
    #[serde(default, deserialize_with = "wire::text_or_number::option")]
    pub authorization: Option<String>,
    /// `errors`: why it failed, if it did.
    #[serde(default, deserialize_with = "crate::envelope::messages")]
    pub errors: Vec<String>,
}

/// `nextPaymentDate`: documented as `2018-10-12`; a full timestamp is also read (its date
/// taken in UTC), since the list endpoint writes this date that way.
mod date_or_timestamp {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let Some(text) = Option::<String>::deserialize(d)? else {
            return Ok(None);
        };
        payments_common::serde::parse_flexible_datetime(&text)
            .map(|t| Some(t.to_offset(time::UtcOffset::UTC).date()))
            .map_err(serde::de::Error::custom)
    }

    pub(super) fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => payments_common::serde::date_only::serialize(d, s),
            None => s.serialize_none(),
        }
    }
}
