//! Confirming that an order is paid: read its charges from TS Pay and judge them against what
//! the merchant expects.

use payments_common::{ExpectedPayment, ObservedPayment, PaymentOutcome, PaymentVerdict};

use crate::charges::{ChargeState, OrderCharges};
use crate::client::Client;
use crate::ids::OrderKey;
use crate::{Error, Result};

impl Client {
    /// Whether the charges of `order_key` are the payment `expected` describes: reads them from
    /// TS Pay (`GET …/charges/orders/{orderKey}`, server to server) and returns the
    /// [`PaymentVerdict`]. Only [`PaymentVerdict::Paid`] means "fulfil the order".
    ///
    /// - `order_key` is the key the customer's return or a notification names (or the one you
    ///   stored; then the order check below cannot fail).
    /// - `expected.reference()` is the **order key you stored with your order** when you
    ///   created its link ([`LinkCreated::order_key`](crate::LinkCreated::order_key)) — never a
    ///   value taken from the return. TS Pay ties a charge to an order by this key only.
    /// - `expected.amount()`: the order's amount in EUR.
    /// - Test or live: TS Pay marks no charge as a test; the host you call (staging or
    ///   production) decides it, so the mode is not compared.
    ///
    /// The verdict, in the order checked: the key read is not the expected one →
    /// [`PaymentVerdict::OtherOrder`] (a paid key of another order replayed on this order's
    /// return); no `active` charge → [`PaymentVerdict::NotPaid`] with the order's
    /// [`OrderCharges::outcome`]; an `active` charge in another currency →
    /// [`PaymentVerdict::CurrencyMismatch`]; for another amount →
    /// [`PaymentVerdict::AmountMismatch`] (with several `active` charges, one for the expected
    /// amount is preferred); else [`PaymentVerdict::Paid`].
    ///
    /// Errors (operation `"payments.confirm"`) are those of
    /// [`Charges::of_order`](crate::Charges::of_order), with the client's path style: a
    /// malformed key is [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest)
    /// (nothing sent), and an answer about another order is
    /// [`ErrorKind::Decode`](crate::ErrorKind::Decode).
    ///
    /// ```no_run
    /// use tspay::{Currency, ExpectedPayment, Money, OrderKey, PaymentVerdict};
    /// # async fn run(client: tspay::Client, stored_key: String, returned_key: String) -> Result<(), Box<dyn std::error::Error>> {
    /// // `stored_key` was saved with order 42 when its link was created.
    /// let expected = ExpectedPayment::new(stored_key, Money::parse("14.50", Currency::EUR)?);
    /// match client.confirm_payment(&OrderKey::new(returned_key), &expected).await? {
    ///     PaymentVerdict::Paid => { /* fulfil order 42 */ }
    ///     other => println!("not fulfilled: {other}"),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn confirm_payment(
        &self,
        order_key: &OrderKey,
        expected: &ExpectedPayment,
    ) -> Result<PaymentVerdict> {
        let charges = self
            .charges()
            .fetch(order_key)
            .await
            .map_err(Error::at("payments.confirm"))?;
        Ok(judge(&charges, order_key, expected))
    }
}

/// The verdict on `charges`, read for `order_key` (every order key they carry is `order_key`:
/// the read checked it).
pub(crate) fn judge(
    charges: &OrderCharges,
    order_key: &OrderKey,
    expected: &ExpectedPayment,
) -> PaymentVerdict {
    let reference = Some(order_key.as_str());
    let mut paid = charges
        .charges
        .iter()
        .filter(|c| c.state == ChargeState::Active);
    let chosen = paid
        .clone()
        .find(|c| c.amount == expected.amount())
        .or_else(|| paid.next());
    let observed = match chosen {
        Some(charge) => ObservedPayment {
            reference,
            amount: Some(charge.amount),
            test: None,
            outcome: PaymentOutcome::Paid,
        },
        // Nothing collected: only the order can disagree, and the verdict is "not paid" with
        // the order's reading; there is no collected amount to compare.
        None => ObservedPayment {
            reference,
            amount: Some(expected.amount()),
            test: None,
            outcome: match charges.outcome() {
                // Defensive: `outcome()` says paid only when an `active` charge exists.
                PaymentOutcome::Paid => PaymentOutcome::Pending,
                other => other,
            },
        },
    };
    expected.judge(&observed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use payments_common::{Currency, Money};

    fn eur(minor: i64) -> Money {
        Money::from_minor_units(minor, Currency::EUR)
    }

    fn charges(body: &str) -> OrderCharges {
        serde_json::from_str(body).unwrap()
    }

    #[test]
    fn a_matching_active_charge_is_preferred_among_several() {
        let c =
            charges(r#"[{"amount":"100","state":"active"},{"amount":"1450","state":"active"}]"#);
        let expected = ExpectedPayment::new("ok_1", eur(1450));
        assert_eq!(
            judge(&c, &OrderKey::new("ok_1"), &expected),
            PaymentVerdict::Paid
        );
    }

    #[test]
    fn an_active_charge_in_another_currency_is_a_currency_mismatch() {
        let c = charges(r#"[{"amount":"1450","currency":"USD","state":"active"}]"#);
        let expected = ExpectedPayment::new("ok_1", eur(1450));
        assert!(matches!(
            judge(&c, &OrderKey::new("ok_1"), &expected),
            PaymentVerdict::CurrencyMismatch { .. }
        ));
    }

    #[test]
    fn refunded_and_failed_orders_are_not_paid_with_their_reading() {
        let expected = ExpectedPayment::new("ok_1", eur(1450));
        for (body, outcome) in [
            (
                r#"[{"amount":"1450","state":"refunded"}]"#,
                PaymentOutcome::Refunded,
            ),
            (
                r#"[{"amount":"1","state":"failed"}]"#,
                PaymentOutcome::Failed,
            ),
            ("[]", PaymentOutcome::Pending),
        ] {
            assert_eq!(
                judge(&charges(body), &OrderKey::new("ok_1"), &expected),
                PaymentVerdict::NotPaid { outcome },
                "{body}"
            );
        }
    }
}
