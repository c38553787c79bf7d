//! Identifier newtypes.

payments_common::id_type! {
    /// The `{itemId}` path prefix of the documented routes (by inference a TS Digital resource
    /// id — a company or a document; the page does not say).
    pub struct ItemId;
}

payments_common::id_type! {
    /// An order's key (`orderKey`): "identificativo dell'ordine", returned when a pay or save
    /// link is created and used to query the outcome.
    pub struct OrderKey;
}

payments_common::id_type! {
    /// A charge's key (`chargeKey`), as the public integration reads it (not on the
    /// documentation page).
    pub struct ChargeKey;
}

payments_common::id_type! {
    /// The merchant's code at TS Pay (`merchantRef`, "codice titolare"), carried by
    /// notifications (from the public integration; not on the documentation page).
    pub struct MerchantRef;
}
