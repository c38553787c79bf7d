//! Confirming a subscription charge for a given order, from GreenPay's own payments list.
//!
//! GreenPay ties a charge to the merchant's order through the subscription: every charge's
//! reference is `<subscriptionId>_<n>` and `POST /subscriptions/list/payments` lists the
//! charges of one subscription with their result and amount. That list is the only
//! server-side read GreenPay offers; a checkout order (hosted payment page) has none, see
//! `webhook::CheckoutOutcome` (feature `webhooks`).

use payments_common::{ObservedPayment, PaymentOutcome, PaymentVerdict};

use super::{ListPayments, SubscriptionId, SubscriptionPayment, Subscriptions};
use crate::{Error, ExpectedPayment};

/// Pages of 100 payments read at most (10 000 charges: over 800 years of monthly charges).
const MAX_PAGES: u32 = 100;

impl Subscriptions<'_> {
    /// Confirms that the charge `expected.reference()` (its order reference,
    /// `<subscriptionId>_<n>`, as a manual payment or a notification names it) is a **paid**
    /// charge of `subscription` for exactly `expected.amount()`, by reading the subscription's
    /// payments from GreenPay (operation `subscriptions.list_payments`, a read,
    /// retried on transient failures) — never from the notification or the customer.
    ///
    /// The verdict comes from [`ExpectedPayment::judge`]:
    /// - a reference that is not `<subscription>_<n>` is another subscription's charge:
    ///   [`PaymentVerdict::OtherOrder`] without reading anything;
    /// - a reference of this subscription that GreenPay does not list (yet) is
    ///   [`PaymentVerdict::NotPaid`] (`Pending`);
    /// - otherwise the listed charge is judged: its `payment_result.orderId` (when given), its
    ///   amount and currency (`payment_result`, or the last attempt while none succeeded) and
    ///   its outcome (`status` 200 is paid). GreenPay has no test flag on a payment: the
    ///   credentials decide the mode, so [`ExpectedPayment::test`] is not checked.
    ///
    /// ```no_run
    /// use greenpay::{Currency, ExpectedPayment, Money, SubscriptionId};
    /// # async fn run(client: greenpay::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let subscription = SubscriptionId::new("9541b344c3d45d421acd454d61251cde");
    /// let expected = ExpectedPayment::new(
    ///     "9541b344c3d45d421acd454d61251cde_2",
    ///     Money::parse("100", Currency::USD)?,
    /// );
    /// let verdict = client.subscriptions().confirm_payment(&subscription, &expected).await?;
    /// if verdict.is_paid() {
    ///     println!("ship it");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn confirm_payment(
        &self,
        subscription: &SubscriptionId,
        expected: &ExpectedPayment,
    ) -> Result<PaymentVerdict, Error> {
        ListPayments::new(subscription.clone(), 1, 100)
            .validate()
            .map_err(Error::at("subscriptions.confirm_payment"))?;
        let reference = expected.reference();
        let ours = reference
            .strip_prefix(subscription.as_str())
            .and_then(|rest| rest.strip_prefix('_'))
            .is_some_and(|n| !n.is_empty());
        if !ours {
            return Ok(PaymentVerdict::OtherOrder {
                found: Some(reference.to_owned()),
            });
        }
        let mut page = 1;
        loop {
            let listed = self
                .list_payments(&ListPayments::new(subscription.clone(), page, 100))
                .await?;
            if let Some(payment) = listed
                .entries
                .iter()
                .find(|p| p.reference_number.as_deref() == Some(reference))
            {
                return Ok(expected.judge(&observed(payment, reference)));
            }
            let last = listed
                .total_pages
                .is_none_or(|total| i64::from(page) >= total);
            if last || listed.entries.is_empty() || page >= MAX_PAGES {
                return Ok(PaymentVerdict::NotPaid {
                    outcome: PaymentOutcome::Pending,
                });
            }
            page += 1;
        }
    }
}

/// What GreenPay's list says about the charge listed under `reference`.
fn observed<'a>(payment: &'a SubscriptionPayment, reference: &'a str) -> ObservedPayment<'a> {
    let last_attempt = payment
        .payment_retries
        .iter()
        .rev()
        .find_map(|a| a.result.as_ref());
    let result = payment.payment_result.as_ref().or(last_attempt);
    ObservedPayment {
        // The result's own order id, when GreenPay gives one, must name the same charge.
        reference: Some(
            result
                .and_then(|r| r.order_id.as_deref())
                .unwrap_or(reference),
        ),
        amount: result.and_then(|r| r.amount),
        test: None,
        outcome: payment.outcome(),
    }
}
