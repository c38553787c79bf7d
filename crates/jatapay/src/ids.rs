//! Identifiers. JataPay's are 24-hex-digit MongoDB ObjectIds (inferred from their shape).

payments_common::id_type! {
    /// A subscription id: `id_abbonamento` when created, `_id` when read back
    /// (e.g. `65b278baa103dca4496d968e`).
    ///
    /// ```
    /// let id = jatapay::SubscriptionId::new("65b278baa103dca4496d968e");
    /// assert_eq!(id.to_string(), "65b278baa103dca4496d968e");
    /// ```
    pub struct SubscriptionId;
}

payments_common::id_type! {
    /// A one-off payment id, as returned by `POST /scrivi_pagamento` (the response key is not
    /// publicly documented; see [`CreatedPayment`](crate::CreatedPayment)).
    ///
    /// ```
    /// let id = jatapay::PaymentId::new("65b278baa103dca4496d968f");
    /// assert_eq!(id.as_str(), "65b278baa103dca4496d968f");
    /// ```
    pub struct PaymentId;
}

payments_common::id_type! {
    /// A merchant (`esercente`) id.
    ///
    /// ```
    /// let id = jatapay::MerchantId::new("60c5d53a052bf51a1ca1e1b5");
    /// assert_eq!(id.as_str(), "60c5d53a052bf51a1ca1e1b5");
    /// ```
    pub struct MerchantId;
}

payments_common::id_type! {
    /// A JataPay user id (`user`; in the documented example it equals the merchant id).
    ///
    /// ```
    /// let id = jatapay::UserId::new("60c5d53a052bf51a1ca1e1b5");
    /// assert_eq!(id.as_str(), "60c5d53a052bf51a1ca1e1b5");
    /// ```
    pub struct UserId;
}

/// An id the hosted gateway accepts in `/gateway/{id}`: a [`SubscriptionId`] (documented) or
/// a [`PaymentId`] (inferred). Sealed: it cannot be implemented outside this crate.
pub trait GatewayId: sealed::Sealed {
    /// The id as it goes into the gateway URL.
    fn gateway_id(&self) -> &str;
}

impl GatewayId for SubscriptionId {
    fn gateway_id(&self) -> &str {
        self.as_str()
    }
}

impl GatewayId for PaymentId {
    fn gateway_id(&self) -> &str {
        self.as_str()
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::SubscriptionId {}
    impl Sealed for super::PaymentId {}
}
