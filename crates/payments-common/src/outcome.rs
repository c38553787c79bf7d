//! The provider-independent reading of a payment's state.

/// What a merchant needs to know about a payment, whatever the provider calls its states.
///
/// Each provider crate maps its own statuses onto it, and anything it does not recognise as
/// settled — an unknown or new status included — reads as [`PaymentOutcome::Pending`]: an SDK
/// never calls a payment paid or failed unless the provider said so explicitly.
///
/// ```
/// use payments_common::PaymentOutcome;
/// assert_eq!(PaymentOutcome::default(), PaymentOutcome::Pending);
/// assert!(PaymentOutcome::Paid.is_final());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum PaymentOutcome {
    /// The provider confirmed the money was collected.
    Paid,
    /// Not settled yet, or not known: the default.
    #[default]
    Pending,
    /// The provider reported a failure, decline, expiry or error.
    Failed,
    /// The payment was collected and then refunded.
    Refunded,
}

impl PaymentOutcome {
    /// Whether the outcome will not change by itself (paid, failed or refunded).
    ///
    /// ```
    /// assert!(!payments_common::PaymentOutcome::Pending.is_final());
    /// ```
    pub fn is_final(&self) -> bool {
        !matches!(self, PaymentOutcome::Pending)
    }
}
