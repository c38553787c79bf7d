//! Cancelling a subscription and changing its amount or card.

use payments_common::{Error, Money};
use serde::Serialize;

use super::{CardToken, SubscriptionId, validation};

/// The body of `POST /subscriptions/cancel`: `{subscriptionId, user, reason}` (the client
/// adds `merchantId`, `secret` and `terminal`).
///
/// ```
/// use greenpay::subscriptions::CancelSubscription;
/// let request = CancelSubscription::new("9541b344c3d45d421acd454d61251cde".into(), "user-42", "Customer request");
/// let request = request.build()?;
/// # Ok::<(), greenpay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CancelSubscription {
    #[serde(rename = "subscriptionId")]
    subscription_id: SubscriptionId,
    user: String,
    reason: String,
}

impl CancelSubscription {
    /// Cancels `subscription_id` of customer `user` (the `userId` given at creation) for
    /// `reason`.
    pub fn new(
        subscription_id: SubscriptionId,
        user: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        CancelSubscription {
            subscription_id,
            user: user.into(),
            reason: reason.into(),
        }
    }

    /// The subscription.
    pub fn subscription_id(&self) -> &SubscriptionId {
        &self.subscription_id
    }

    /// Checks `subscriptionId`, `user` and `reason` (required; 255 characters at most,
    /// this SDK's limit).
    pub(crate) fn validate(&self) -> Result<(), Error> {
        validation::subscription_id(&self.subscription_id)?;
        validation::text("user", &self.user)?;
        validation::text("reason", &self.reason)
    }
}

/// The body of `POST /subscriptions/update`: `{subscriptionId, user, amount}`.
///
/// GreenPay takes no currency here: the amount is in the subscription's currency. This SDK
/// sends the amount's major units and checks only that its currency is one GreenPay supports
/// — make it the subscription's.
///
/// ```
/// use greenpay::subscriptions::UpdateAmount;
/// use greenpay::{Currency, Money};
/// let request = UpdateAmount::new("9541b344c3d45d421acd454d61251cde".into(), "user-42", Money::parse("5500.99", Currency::CRC)?);
/// assert_eq!(serde_json::to_value(&request)?["amount"], serde_json::json!(5500.99));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdateAmount {
    #[serde(rename = "subscriptionId")]
    subscription_id: SubscriptionId,
    user: String,
    #[serde(serialize_with = "payments_common::serde::decimal_text::serialize_money")]
    amount: Money,
}

impl UpdateAmount {
    /// Charges `amount` from now on to subscription `subscription_id` of customer `user`.
    pub fn new(subscription_id: SubscriptionId, user: impl Into<String>, amount: Money) -> Self {
        UpdateAmount {
            subscription_id,
            user: user.into(),
            amount,
        }
    }

    /// The subscription.
    pub fn subscription_id(&self) -> &SubscriptionId {
        &self.subscription_id
    }

    /// Checks `subscriptionId`, `user` and `amount` (positive, USD, CRC or GTQ).
    pub(crate) fn validate(&self) -> Result<(), Error> {
        validation::subscription_id(&self.subscription_id)?;
        validation::text("user", &self.user)?;
        validation::amount("amount", self.amount)
    }
}

/// The body of `POST /subscriptions/update/card_token`: `{subscriptionId, user, token}`.
///
/// ```
/// use greenpay::subscriptions::UpdateCardToken;
/// let request = UpdateCardToken::new("9541b344c3d45d421acd454d61251cde".into(), "user-42", "new-token".into());
/// let request = request.build()?;
/// # Ok::<(), greenpay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpdateCardToken {
    #[serde(rename = "subscriptionId")]
    subscription_id: SubscriptionId,
    user: String,
    token: CardToken,
}

impl UpdateCardToken {
    /// Charges subscription `subscription_id` of customer `user` to card `token` from now on.
    pub fn new(subscription_id: SubscriptionId, user: impl Into<String>, token: CardToken) -> Self {
        UpdateCardToken {
            subscription_id,
            user: user.into(),
            token,
        }
    }

    /// The subscription.
    pub fn subscription_id(&self) -> &SubscriptionId {
        &self.subscription_id
    }

    /// The new card token (masked in the operation's errors).
    pub(crate) fn token(&self) -> &CardToken {
        &self.token
    }

    /// Checks `subscriptionId`, `user` and `token`.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        validation::subscription_id(&self.subscription_id)?;
        validation::text("user", &self.user)?;
        validation::id("token", self.token.as_str())
    }
}
