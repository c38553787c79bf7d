//! Confirming a payment **for a given order**: what the merchant expects, what the provider
//! reports, and the verdict.
//!
//! A customer's return URL or a notification names a payment; it does not prove that the
//! payment belongs to the order being returned to. A genuine paid id from order 42, replayed on
//! the return of order 44, is still "paid". Every provider crate therefore offers one
//! confirmation call that reads the payment from the provider (server to server) and compares it
//! with an [`ExpectedPayment`]: the order reference, the amount and currency, and test or live
//! mode. Only [`PaymentVerdict::Paid`] means "ship order 44".

use crate::money::Money;
use crate::outcome::PaymentOutcome;

/// What the merchant expects a payment to be: which order it pays, how much, and whether it is a
/// test payment.
///
/// ```
/// use payments_common::{Currency, ExpectedPayment, Money};
/// let expected = ExpectedPayment::new("order-44", Money::from_minor_units(1450, Currency::EUR))
///     .test(true);
/// assert_eq!(expected.reference(), "order-44");
/// assert!(expected.is_test());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedPayment {
    reference: String,
    amount: Money,
    test: bool,
}

impl ExpectedPayment {
    /// A live payment of `amount` for the merchant's order `reference` (the value the provider
    /// stores with the payment: beGateway's `tracking_id`, TS Pay's order key, …; each provider
    /// crate's confirmation method says which).
    ///
    /// ```
    /// use payments_common::{Currency, ExpectedPayment, Money};
    /// let e = ExpectedPayment::new("42", Money::from_minor_units(990, Currency::USD));
    /// assert!(!e.is_test());
    /// ```
    pub fn new(reference: impl Into<String>, amount: Money) -> Self {
        ExpectedPayment {
            reference: reference.into(),
            amount,
            test: false,
        }
    }

    /// Whether a test-mode (sandbox) payment is expected; the default is live.
    ///
    /// ```
    /// # use payments_common::{Currency, ExpectedPayment, Money};
    /// let e = ExpectedPayment::new("42", Money::from_minor_units(990, Currency::USD)).test(true);
    /// assert!(e.is_test());
    /// ```
    pub fn test(mut self, test: bool) -> Self {
        self.test = test;
        self
    }

    /// The merchant's order reference.
    ///
    /// ```
    /// # use payments_common::{Currency, ExpectedPayment, Money};
    /// assert_eq!(ExpectedPayment::new("42", Money::zero(Currency::USD)).reference(), "42");
    /// ```
    pub fn reference(&self) -> &str {
        &self.reference
    }

    /// The amount expected.
    ///
    /// ```
    /// # use payments_common::{Currency, ExpectedPayment, Money};
    /// let m = Money::from_minor_units(5, Currency::USD);
    /// assert_eq!(ExpectedPayment::new("42", m).amount(), m);
    /// ```
    pub fn amount(&self) -> Money {
        self.amount
    }

    /// Whether a test-mode payment is expected.
    ///
    /// ```
    /// # use payments_common::{Currency, ExpectedPayment, Money};
    /// assert!(!ExpectedPayment::new("42", Money::zero(Currency::USD)).is_test());
    /// ```
    pub fn is_test(&self) -> bool {
        self.test
    }

    /// Compares what the provider reported (read server to server, never taken from the
    /// customer's browser) with this expectation.
    ///
    /// The checks run in a fixed order and the first that fails is the verdict: the order
    /// reference, then test or live mode, then the currency, then the amount, then whether the
    /// provider calls the payment paid. A field the provider did not report counts as not
    /// matching (an SDK never confirms what it could not check), except the mode when the
    /// provider has no test flag on the payment (`test: None`: the credentials decide it).
    ///
    /// ```
    /// use payments_common::{Currency, ExpectedPayment, Money, ObservedPayment, PaymentOutcome, PaymentVerdict};
    /// let eur = |m| Money::from_minor_units(m, Currency::EUR);
    /// let expected = ExpectedPayment::new("order-44", eur(1450));
    /// let paid_42 = ObservedPayment {
    ///     reference: Some("order-42"),
    ///     amount: Some(eur(1450)),
    ///     test: Some(false),
    ///     outcome: PaymentOutcome::Paid,
    /// };
    /// assert!(matches!(expected.judge(&paid_42), PaymentVerdict::OtherOrder { .. }));
    /// let paid_44 = ObservedPayment { reference: Some("order-44"), ..paid_42 };
    /// assert_eq!(expected.judge(&paid_44), PaymentVerdict::Paid);
    /// ```
    pub fn judge(&self, observed: &ObservedPayment<'_>) -> PaymentVerdict {
        if observed.reference != Some(self.reference.as_str()) {
            return PaymentVerdict::OtherOrder {
                found: observed.reference.map(str::to_owned),
            };
        }
        if let Some(test) = observed.test
            && test != self.test
        {
            return PaymentVerdict::ModeMismatch {
                expected_test: self.test,
            };
        }
        let Some(amount) = observed.amount else {
            return PaymentVerdict::AmountMismatch {
                expected: self.amount,
                found: None,
            };
        };
        if amount.currency() != self.amount.currency() {
            return PaymentVerdict::CurrencyMismatch {
                expected: self.amount,
                found: amount,
            };
        }
        if amount != self.amount {
            return PaymentVerdict::AmountMismatch {
                expected: self.amount,
                found: Some(amount),
            };
        }
        match observed.outcome {
            PaymentOutcome::Paid => PaymentVerdict::Paid,
            outcome => PaymentVerdict::NotPaid { outcome },
        }
    }
}

/// What a provider reported about a payment, as a provider crate reads it from its typed answer
/// before calling [`ExpectedPayment::judge`].
///
/// ```
/// use payments_common::{ObservedPayment, PaymentOutcome};
/// let unknown = ObservedPayment { reference: None, amount: None, test: None, outcome: PaymentOutcome::Pending };
/// assert_eq!(unknown.outcome, PaymentOutcome::Pending);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObservedPayment<'a> {
    /// The merchant's order reference the provider stores with the payment, if it reported one.
    pub reference: Option<&'a str>,
    /// The amount the provider reports, if it did.
    pub amount: Option<Money>,
    /// Whether the provider marks the payment as a test payment; `None` where it has no such
    /// flag.
    pub test: Option<bool>,
    /// The provider's state, read through the provider crate's mapping.
    pub outcome: PaymentOutcome,
}

/// The answer to "is this payment the paid payment of my order?".
///
/// Only [`PaymentVerdict::Paid`] means yes; every other verdict says why not. The enum is
/// non-exhaustive: match the verdicts you act on and treat the rest as "not paid".
///
/// ```
/// use payments_common::{Currency, Money, PaymentOutcome, PaymentVerdict};
/// assert!(PaymentVerdict::Paid.is_paid());
/// assert!(!PaymentVerdict::NotPaid { outcome: PaymentOutcome::Pending }.is_paid());
/// assert_eq!(
///     PaymentVerdict::OtherOrder { found: Some("42".into()) }.to_string(),
///     "the payment belongs to another order (42)"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaymentVerdict {
    /// The payment is this order's, for the expected amount, in the expected mode, and the
    /// provider calls it paid.
    Paid,
    /// The payment is this order's but the provider does not (yet) call it paid.
    NotPaid {
        /// The provider's state, as the provider crate reads it.
        outcome: PaymentOutcome,
    },
    /// The payment carries another order's reference (or none): a replayed or mixed-up id.
    OtherOrder {
        /// The reference the provider reports, if any.
        found: Option<String>,
    },
    /// The payment is in another currency than expected.
    CurrencyMismatch {
        /// What was expected.
        expected: Money,
        /// What the provider reports.
        found: Money,
    },
    /// The payment is for another amount than expected (or the provider reported none).
    AmountMismatch {
        /// What was expected.
        expected: Money,
        /// What the provider reports, if anything.
        found: Option<Money>,
    },
    /// A test payment where a live one was expected, or the other way round.
    ModeMismatch {
        /// Whether a test payment was expected.
        expected_test: bool,
    },
}

impl PaymentVerdict {
    /// Whether the order can be treated as paid.
    ///
    /// ```
    /// assert!(payments_common::PaymentVerdict::Paid.is_paid());
    /// ```
    pub fn is_paid(&self) -> bool {
        matches!(self, PaymentVerdict::Paid)
    }
}

impl std::fmt::Display for PaymentVerdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PaymentVerdict::Paid => f.write_str("paid for this order"),
            PaymentVerdict::NotPaid { outcome } => write!(f, "not paid ({outcome:?})"),
            PaymentVerdict::OtherOrder { found: Some(found) } => {
                let found = crate::redact::bounded(found);
                write!(f, "the payment belongs to another order ({found})")
            }
            PaymentVerdict::OtherOrder { found: None } => {
                f.write_str("the payment carries no order reference")
            }
            PaymentVerdict::CurrencyMismatch { expected, found } => {
                write!(f, "currency mismatch: expected {expected}, paid {found}")
            }
            PaymentVerdict::AmountMismatch {
                expected,
                found: Some(found),
            } => write!(f, "amount mismatch: expected {expected}, paid {found}"),
            PaymentVerdict::AmountMismatch {
                expected,
                found: None,
            } => write!(f, "amount unknown: expected {expected}, none reported"),
            PaymentVerdict::ModeMismatch {
                expected_test: true,
            } => f.write_str("a live payment where a test payment was expected"),
            PaymentVerdict::ModeMismatch {
                expected_test: false,
            } => f.write_str("a test payment where a live payment was expected"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::currency::Currency;

    fn eur(minor: i64) -> Money {
        Money::from_minor_units(minor, Currency::EUR)
    }

    fn paid<'a>(reference: &'a str, amount: Money) -> ObservedPayment<'a> {
        ObservedPayment {
            reference: Some(reference),
            amount: Some(amount),
            test: Some(false),
            outcome: PaymentOutcome::Paid,
        }
    }

    #[test]
    fn each_check_has_its_verdict_in_order() {
        let expected = ExpectedPayment::new("44", eur(1450));
        assert_eq!(expected.judge(&paid("44", eur(1450))), PaymentVerdict::Paid);
        assert_eq!(
            expected.judge(&paid("42", eur(1450))),
            PaymentVerdict::OtherOrder {
                found: Some("42".into())
            }
        );
        assert_eq!(
            expected.judge(&ObservedPayment {
                reference: None,
                ..paid("44", eur(1450))
            }),
            PaymentVerdict::OtherOrder { found: None }
        );
        assert_eq!(
            expected.judge(&ObservedPayment {
                test: Some(true),
                ..paid("44", eur(1450))
            }),
            PaymentVerdict::ModeMismatch {
                expected_test: false
            }
        );
        let usd = Money::from_minor_units(1450, Currency::USD);
        assert_eq!(
            expected.judge(&paid("44", usd)),
            PaymentVerdict::CurrencyMismatch {
                expected: eur(1450),
                found: usd
            }
        );
        assert_eq!(
            expected.judge(&paid("44", eur(1449))),
            PaymentVerdict::AmountMismatch {
                expected: eur(1450),
                found: Some(eur(1449))
            }
        );
        assert_eq!(
            expected.judge(&ObservedPayment {
                amount: None,
                ..paid("44", eur(1450))
            }),
            PaymentVerdict::AmountMismatch {
                expected: eur(1450),
                found: None
            }
        );
        assert_eq!(
            expected.judge(&ObservedPayment {
                outcome: PaymentOutcome::Failed,
                ..paid("44", eur(1450))
            }),
            PaymentVerdict::NotPaid {
                outcome: PaymentOutcome::Failed
            }
        );
    }

    #[test]
    fn the_mode_is_checked_only_where_the_provider_reports_it() {
        let expected = ExpectedPayment::new("44", eur(1450)).test(true);
        let observed = ObservedPayment {
            test: None,
            ..paid("44", eur(1450))
        };
        assert_eq!(expected.judge(&observed), PaymentVerdict::Paid);
        assert_eq!(
            expected.judge(&paid("44", eur(1450))),
            PaymentVerdict::ModeMismatch {
                expected_test: true
            }
        );
    }

    #[test]
    fn a_reference_differing_only_in_case_or_spaces_is_another_order() {
        let expected = ExpectedPayment::new("order-44", eur(1450));
        for other in ["ORDER-44", "order-44 ", " order-44", "order-4"] {
            assert!(
                matches!(
                    expected.judge(&paid(other, eur(1450))),
                    PaymentVerdict::OtherOrder { .. }
                ),
                "{other:?}"
            );
        }
    }
}
