//! The subscription API: create, manual payment, update amount or card, cancel, list, and
//! the payments of a subscription.
//!
//! Every call is a `POST` with a JSON body that also carries the credentials (see
//! [`Credentials`](crate::Credentials)). Writes (create, pay, cancel, update) are never
//! repeated once they may have reached GreenPay, which honours no idempotency key: an
//! ambiguous failure is [`ErrorKind::OutcomeUnknown`], to reconcile
//! with [`Subscriptions::list_payments`] or [`Subscriptions::list`] before trying again.
//! The two lists are reads (sent as `POST`) and are retried on transient failures.

mod confirm;
mod create;
mod list;
mod manage;
mod model;
mod pay;
mod payments;
pub(crate) mod validation;

pub use create::{
    CreateSubscription, CreatedSubscription, CreationResult, InitialPayment, InitialPaymentResult,
    Plan,
};
pub use list::{
    ListSubscriptions, Page, SubscriptionFilters, SubscriptionPage, SubscriptionSummary,
};
pub use manage::{CancelSubscription, UpdateAmount, UpdateCardToken};
pub use model::{
    Cadence, CadenceMode, CadenceUnit, PurchaseOrder, ScheduledCharge, SubscriptionRecord,
    SubscriptionStatus,
};
pub use pay::{ManualPayment, ManualPaymentResult, PaymentOrder, PaymentStatus};
pub use payments::{AttemptResult, ListPayments, PaymentAttempt, PaymentPage, SubscriptionPayment};

use payments_common::{ErrorKind, Reconciliation};
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::client::{Client, Terminal, public_operation};

mod stream;

/// `Error::at` for an internal operation name (`greenpay.subscriptions.pay`).
pub(crate) fn at(operation: &'static str) -> impl FnOnce(ErrorKind) -> Error {
    Error::at(public_operation(operation))
}

payments_common::id_type! {
    /// A subscription's id, as returned by [`Subscriptions::create`] (32 hex digits, e.g.
    /// `9541b344c3d45d421acd454d61251cde`).
    pub struct SubscriptionId;
}

/// A card token obtained from GreenPay's tokenization. With the merchant's credentials it
/// charges the card, so `Debug` never shows it (errors and logs neither): only its last four
/// characters when it has at least 16, to tell tokens apart in logs. It has no `Display`, so
/// `{}` cannot print it by accident: [`CardToken::as_str`] gives it where you store or send it.
///
/// ```
/// let token = greenpay::CardToken::new("f4a3e2d1-c0b9-4a87-9654-3210fedcba98");
/// assert_eq!(format!("{token:?}"), "CardToken(…ba98)");
/// assert_eq!(format!("{:?}", greenpay::CardToken::new("tok-1")), "CardToken([REDACTED])");
/// assert_eq!(token.as_str(), "f4a3e2d1-c0b9-4a87-9654-3210fedcba98");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CardToken(String);

impl CardToken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        CardToken(token.into())
    }

    /// The token as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for CardToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let chars = self.0.chars().count();
        if chars >= 16 {
            let last4: String = self.0.chars().skip(chars - 4).collect();
            write!(f, "CardToken(…{last4})")
        } else {
            f.write_str("CardToken([REDACTED])")
        }
    }
}

impl From<String> for CardToken {
    fn from(token: String) -> Self {
        CardToken(token)
    }
}

impl From<&str> for CardToken {
    fn from(token: &str) -> Self {
        CardToken(token.to_owned())
    }
}

impl Serialize for CardToken {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CardToken {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(CardToken)
    }
}

/// `build()` for a request type: every check of the operation, before anything is sent.
macro_rules! build_method {
    ($ty:ty, $op:literal) => {
        impl $ty {
            #[doc = concat!(
                "Runs every check the operation `", $op, "` runs before sending, and returns the \
                 request: an [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) \
                 naming the wire field otherwise (the operation checks again before sending).\n\n\
                 See the type's example."
            )]
            pub fn build(self) -> Result<Self, Error> {
                self.validate().map_err(Error::at($op))?;
                Ok(self)
            }
        }
    };
}

build_method!(CreateSubscription, "subscriptions.create");
build_method!(ManualPayment, "subscriptions.pay");
build_method!(CancelSubscription, "subscriptions.cancel");
build_method!(UpdateAmount, "subscriptions.update_amount");
build_method!(UpdateCardToken, "subscriptions.update_card_token");
build_method!(ListSubscriptions, "subscriptions.list");
build_method!(ListPayments, "subscriptions.list_payments");

/// The subscription API of a [`Client`]: `client.subscriptions()`.
#[derive(Debug, Clone, Copy)]
pub struct Subscriptions<'a> {
    client: &'a Client,
}

/// The envelope of the endpoints whose payload is `result`.
#[derive(Deserialize)]
struct Data<T> {
    result: T,
}

/// The envelope of the manual payment: `result` and the answer's `_signature`.
#[derive(Deserialize)]
struct Signed<T> {
    result: T,
    #[serde(rename = "_signature", default)]
    signature: Option<String>,
}

impl<'a> Subscriptions<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Subscriptions { client }
    }

    /// Sends a write about one subscription (with `terminal`) and returns the record GreenPay
    /// answers with. Unkeyed: reconciled by the subscription id if the outcome is unknown.
    async fn change<B: Serialize>(
        &self,
        operation: &'static str,
        segments: &[&str],
        request: &B,
        subscription_id: &SubscriptionId,
        secrets: &[&str],
    ) -> Result<SubscriptionRecord, Error> {
        let http = self
            .client
            .post(operation, segments, request, Terminal::Include)
            .map_err(at(operation))?
            .reconcile_with(Reconciliation::merchant_reference(subscription_id.as_str()));
        // `secrets`: what this call sends besides the credentials that an answer must not
        // make the error show (the new card token).
        self.client
            .call_masking(http, secrets, |r| {
                crate::envelope::decode::<Data<SubscriptionRecord>>(r)
            })
            .await
            .map(|d| d.result)
    }

    /// Creates a subscription: `POST /subscriptions` (operation
    /// `subscriptions.create`). Sends `merchantId`, `secret` and `terminal`.
    ///
    /// ```no_run
    /// use greenpay::subscriptions::{Cadence, CreateSubscription, Plan};
    /// use greenpay::{CardToken, Currency, Money};
    /// # async fn run(client: greenpay::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let plan = Plan::new(Money::parse("100", Currency::USD)?, Cadence::monthly());
    /// let request = CreateSubscription::new("user-42", "Pro plan", CardToken::new("f4a3…"), plan);
    /// let created = client.subscriptions().create(&request).await?;
    /// println!("{} next charge on {:?}", created.subscription_id, created.next_payment_date);
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, request: &CreateSubscription) -> Result<CreatedSubscription, Error> {
        const OP: &str = "greenpay.subscriptions.create";
        request.validate().map_err(at(OP))?;
        let http = self
            .client
            .post(OP, &["subscriptions"], request, Terminal::Include)
            .map_err(at(OP))?
            .reconcile_with(Reconciliation::merchant_reference(request.user_id()));
        // The card tokens are masked in every error, should an answer quote them.
        self.client
            .call_masking(http, &request.token_texts(), crate::envelope::decode)
            .await
    }

    /// Charges a subscription now: `POST /subscriptions/pay` (operation
    /// `subscriptions.pay`), the manual payment of GreenPay's documentation page.
    ///
    /// Sends `subscriptionId`, `merchantId` and `secret` — **without** `terminal`, as the page
    /// documents. A subscription that is inactive or on hold is refused with an
    /// [`ErrorKind::Api`] whose [`failure_kind`](crate::Error::failure_kind) is
    /// [`SubscriptionNotPayable`](crate::FailureKind::SubscriptionNotPayable); wrong
    /// credentials give [`MerchantNotFound`](crate::FailureKind::MerchantNotFound).
    ///
    /// Never retried once sent: on a timeout, a broken connection or an unreadable answer the
    /// result is [`ErrorKind::OutcomeUnknown`] (reconciliation handle: the subscription id), and
    /// [`Subscriptions::list_payments`] tells whether the charge happened.
    pub async fn pay(&self, request: &ManualPayment) -> Result<ManualPaymentResult, Error> {
        const OP: &str = "greenpay.subscriptions.pay";
        request.validate().map_err(at(OP))?;
        let http = self
            .client
            .post(OP, &["subscriptions", "pay"], request, Terminal::Omit)
            .map_err(at(OP))?
            .reconcile_with(Reconciliation::merchant_reference(
                request.subscription_id().as_str(),
            ));
        self.client
            .call::<Signed<ManualPaymentResult>>(http)
            .await
            .map(|d| ManualPaymentResult {
                signature: d.signature,
                ..d.result
            })
    }

    /// Cancels a subscription (final): `POST /subscriptions/cancel` (operation
    /// `subscriptions.cancel`). Returns the subscription record, status
    /// [`SubscriptionStatus::Cancelled`].
    pub async fn cancel(&self, request: &CancelSubscription) -> Result<SubscriptionRecord, Error> {
        const OP: &str = "greenpay.subscriptions.cancel";
        request.validate().map_err(at(OP))?;
        self.change(
            OP,
            &["subscriptions", "cancel"],
            request,
            request.subscription_id(),
            &[],
        )
        .await
    }

    /// Changes the amount of the next charges: `POST /subscriptions/update` (operation
    /// `subscriptions.update_amount`). Returns the updated subscription record.
    pub async fn update_amount(&self, request: &UpdateAmount) -> Result<SubscriptionRecord, Error> {
        const OP: &str = "greenpay.subscriptions.update_amount";
        request.validate().map_err(at(OP))?;
        self.change(
            OP,
            &["subscriptions", "update"],
            request,
            request.subscription_id(),
            &[],
        )
        .await
    }

    /// Replaces the card a subscription is charged to: `POST /subscriptions/update/card_token`
    /// (operation `subscriptions.update_card_token`). Returns the updated record.
    pub async fn update_card_token(
        &self,
        request: &UpdateCardToken,
    ) -> Result<SubscriptionRecord, Error> {
        const OP: &str = "greenpay.subscriptions.update_card_token";
        request.validate().map_err(at(OP))?;
        self.change(
            OP,
            &["subscriptions", "update", "card_token"],
            request,
            request.subscription_id(),
            &[request.token().as_str()],
        )
        .await
    }

    /// Lists subscriptions, a page at a time: `POST /subscriptions/list` (operation
    /// `subscriptions.list`). A read: retried on transient failures.
    pub async fn list(&self, request: &ListSubscriptions) -> Result<SubscriptionPage, Error> {
        const OP: &str = "greenpay.subscriptions.list";
        request.validate().map_err(at(OP))?;
        let http = self
            .client
            .post(OP, &["subscriptions", "list"], request, Terminal::Include)
            .map_err(at(OP))?
            .as_read();
        self.client
            .call::<Data<SubscriptionPage>>(http)
            .await
            .map(|d| d.result)
    }

    /// Lists the payments of one subscription, with their retries: `POST
    /// /subscriptions/list/payments` (operation `subscriptions.list_payments`).
    /// A read: retried on transient failures.
    pub async fn list_payments(&self, request: &ListPayments) -> Result<PaymentPage, Error> {
        const OP: &str = "greenpay.subscriptions.list_payments";
        request.validate().map_err(at(OP))?;
        let http = self
            .client
            .post(
                OP,
                &["subscriptions", "list", "payments"],
                request,
                Terminal::Include,
            )
            .map_err(at(OP))?
            .as_read();
        self.client
            .call::<Data<PaymentPage>>(http)
            .await
            .map(|d| d.result)
    }
}
