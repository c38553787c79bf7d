//! One-off payments (`pagamenti`): `POST /scrivi_pagamento`.

use payments_common::http::Request;
use payments_common::validate;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::ids::PaymentId;
use crate::request::GatewayRequest;
use crate::{Error, Result, auth, error};

/// The one-off payment operations, from [`Client::payments`].
#[derive(Debug, Clone, Copy)]
pub struct Payments<'a> {
    pub(crate) client: &'a Client,
}

impl Payments<'_> {
    /// Creates a one-off payment: `POST /scrivi_pagamento`, with the same body as a
    /// subscription. Then send the customer to [`Client::gateway_url`] with the returned id
    /// (that payments use the same gateway path is inferred, not documented).
    ///
    /// Validation, no retry after the request may have been sent, and
    /// [`ErrorKind::OutcomeUnknown`](payments_common::ErrorKind::OutcomeUnknown)(crate::ErrorKind::OutcomeUnknown) work as for
    /// [`Subscriptions::create`](crate::Subscriptions::create). The answer's id key is not
    /// publicly documented: see [`CreatedPayment`].
    ///
    /// ```no_run
    /// # async fn run(client: jatapay::Client) -> jatapay::Result<()> {
    /// use jatapay::{Currency, GatewayRequest, Money};
    /// let payment = client
    ///     .payments()
    ///     .create(&GatewayRequest::new(Money::parse("49.90", Currency::EUR)?, "https://shop.example/return/43", "Ordine 43"))
    ///     .await?;
    /// let redirect_to = client.gateway_url(&payment.id)?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, request: &GatewayRequest) -> Result<CreatedPayment> {
        request.check().map_err(Error::at("payments.create"))?;
        let url = validate::endpoint(&self.client.inner.api_base, &["scrivi_pagamento"]);
        let http_request = Request::post("jatapay.payments.create", url)
            .json(request)
            .map_err(Error::at("payments.create"))?;
        auth::call(self.client, http_request, error::json_or_error)
            .await
            .map_err(Error::at("payments.create"))
    }
}

/// The answer of `POST /scrivi_pagamento`.
///
/// **The key holding the id is not publicly documented.** By analogy with the subscription's
/// `id_abbonamento` it is probably `id_pagamento` (a guess), so the SDK takes the first of
/// `id_pagamento`, `id_abbonamento`, `_id` and `id` that is present, and fails with a
/// [`ErrorKind::Decode`](payments_common::ErrorKind::Decode)(crate::ErrorKind::Decode) naming them when none is. It serializes back as
/// `id_pagamento`.
///
/// ```
/// use jatapay::CreatedPayment;
/// let a: CreatedPayment = serde_json::from_str(r#"{"id_pagamento":"65b278baa103dca4496d968f"}"#)?;
/// let b: CreatedPayment = serde_json::from_str(r#"{"_id":"65b278baa103dca4496d968f"}"#)?;
/// assert_eq!(a, b);
/// assert!(serde_json::from_str::<CreatedPayment>(r#"{"ok":true}"#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawCreatedPayment")]
#[non_exhaustive]
pub struct CreatedPayment {
    /// The new payment's id (from `id_pagamento`, `id_abbonamento`, `_id` or `id`).
    #[serde(rename = "id_pagamento")]
    pub id: PaymentId,
}

#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
impl CreatedPayment {
    /// The answer of a create, for tests of your own code (feature `test-util`).
    ///
    /// ```
    /// use jatapay::{CreatedPayment, PaymentId};
    /// let created = CreatedPayment::for_tests(PaymentId::new("65b278baa103dca4496d968f"));
    /// assert_eq!(created.id.as_str(), "65b278baa103dca4496d968f");
    /// ```
    pub fn for_tests(id: PaymentId) -> Self {
        CreatedPayment { id }
    }
}

/// Every key the id may come under, decoded in one pass.
#[derive(Deserialize)]
struct RawCreatedPayment {
    id_pagamento: Option<PaymentId>,
    id_abbonamento: Option<PaymentId>,
    #[serde(rename = "_id")]
    underscore_id: Option<PaymentId>,
    id: Option<PaymentId>,
}

impl TryFrom<RawCreatedPayment> for CreatedPayment {
    type Error = &'static str;

    fn try_from(raw: RawCreatedPayment) -> std::result::Result<Self, Self::Error> {
        raw.id_pagamento
            .or(raw.id_abbonamento)
            .or(raw.underscore_id)
            .or(raw.id)
            .map(|id| CreatedPayment { id })
            .ok_or("no payment id: expected one of `id_pagamento`, `id_abbonamento`, `_id`, `id`")
    }
}
