//! Subscriptions (`abbonamenti`): `POST /scrivi_abbonamento` and
//! `GET /entity/subscriptions/{id}`.

use payments_common::http::Request;
use payments_common::{
    ErrorKind, ExpectedPayment, Money, ObservedPayment, PaymentOutcome, PaymentVerdict, validate,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::client::Client;
use crate::ids::{MerchantId, SubscriptionId, UserId};
use crate::request::GatewayRequest;
use crate::{Error, Result, auth, error, wire};

/// The subscription operations, from [`Client::subscriptions`].
#[derive(Debug, Clone, Copy)]
pub struct Subscriptions<'a> {
    pub(crate) client: &'a Client,
}

impl Subscriptions<'_> {
    /// Creates a subscription: `POST /scrivi_abbonamento`. Then send the customer to
    /// [`Client::gateway_url`] with the returned id.
    ///
    /// The request is validated first ([`GatewayRequest::validate`]); nothing is sent if it
    /// fails. JataPay documents no idempotency key, so the call is never repeated once it may
    /// have reached JataPay: a timeout, a broken connection, a 5xx page or an unreadable answer
    /// is [`ErrorKind::OutcomeUnknown`](payments_common::ErrorKind::OutcomeUnknown)(crate::ErrorKind::OutcomeUnknown) — check the dashboard before
    /// creating it again.
    ///
    /// ```no_run
    /// # async fn run(client: jatapay::Client) -> jatapay::Result<()> {
    /// use jatapay::{Currency, GatewayRequest, Money};
    /// let created = client
    ///     .subscriptions()
    ///     .create(&GatewayRequest::new(Money::parse("20.00", Currency::EUR)?, "https://shop.example/return/42", "Piano mensile"))
    ///     .await?;
    /// let redirect_to = client.gateway_url(&created.id)?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, request: &GatewayRequest) -> Result<CreatedSubscription> {
        let op = Error::at("subscriptions.create");
        request.check().map_err(op)?;
        let url = validate::endpoint(&self.client.inner.api_base, &["scrivi_abbonamento"]);
        let http_request = Request::post("jatapay.subscriptions.create", url)
            .json(request)
            .map_err(Error::at("subscriptions.create"))?;
        auth::call(self.client, http_request, error::json_or_error)
            .await
            .map_err(Error::at("subscriptions.create"))
    }

    /// Reads a subscription: `GET /entity/subscriptions/{id}`. This server-side read — not the
    /// customer's return to `callback_url` — is what tells whether the subscription was
    /// activated; see [`Subscription::outcome`].
    ///
    /// ```no_run
    /// # async fn run(client: jatapay::Client) -> jatapay::Result<()> {
    /// use jatapay::{PaymentOutcome, SubscriptionId};
    /// let subscription = client.subscriptions().get(&SubscriptionId::new("65b279426d2f219d702a7f69")).await?;
    /// if subscription.outcome() == PaymentOutcome::Paid {
    ///     // activate the service
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// The id must pass [`validate::path_id`](payments_common::validate::path_id) (not empty,
    /// not `.` or `..`, no `/ \ ? # %`, whitespace or control characters): otherwise
    /// [`ErrorKind::InvalidRequest`](payments_common::ErrorKind::InvalidRequest)(crate::ErrorKind::InvalidRequest) naming `id`, and nothing is
    /// sent. An answer whose `_id` is not the id asked for is an
    /// [`ErrorKind::Decode`](payments_common::ErrorKind::Decode)(crate::ErrorKind::Decode) at `_id`: it describes another subscription.
    pub async fn get(&self, id: &SubscriptionId) -> Result<Subscription> {
        self.read(id).await.map_err(Error::at("subscriptions.get"))
    }

    /// [`get`](Self::get), with the shared error kinds.
    async fn read(&self, id: &SubscriptionId) -> std::result::Result<Subscription, ErrorKind> {
        validate::path_id("id", id.as_str())?;
        let url = validate::endpoint(
            &self.client.inner.api_base,
            &["entity", "subscriptions", id.as_str()],
        );
        auth::call(
            self.client,
            Request::get("jatapay.subscriptions.get", url),
            |response, secrets| {
                if !response.status().is_success() {
                    return Err(error::from_response(&response, secrets));
                }
                let subscription: Subscription = response.json()?;
                if subscription.id != *id {
                    return Err(response.decode_error(
                        "_id",
                        "the answer describes another subscription than the one asked for",
                    ));
                }
                Ok(subscription)
            },
        )
        .await
    }

    /// Confirms that subscription `id` is the paid subscription of the order `expected`
    /// describes: reads it server-side ([`get`](Self::get)) and judges it with
    /// [`ExpectedPayment::judge`]. Only [`PaymentVerdict::Paid`] means "fulfil the order".
    ///
    /// **Which field is the order reference.** JataPay stores no merchant order reference.
    /// What the merchant sets per order, and JataPay returns on the read, is the
    /// `callback_url`: put the order reference in it (for example
    /// `https://shop.example/jatapay/return?order=42`) and pass that exact URL, as sent at
    /// creation, as the expected reference. A subscription created for another order (or read
    /// back without a `callback_url`) is [`PaymentVerdict::OtherOrder`]. Then the amount
    /// (`importo`, EUR) is compared; JataPay has no test flag on a subscription, so the mode is
    /// not checked (test or live is decided by the credentials).
    ///
    /// **Which states count as paid** is `reading`: JataPay documents only `iniziata`, so with
    /// [`StatusReading::Documented`] nothing is ever paid and the verdict is at best
    /// [`PaymentVerdict::NotPaid`]; [`StatusReading::Inferred`] trusts the inferred names
    /// (`attiva`, `completata` paid; see [`SubscriptionStatus::inferred_outcome`]).
    ///
    /// Errors are those of [`get`](Self::get). One-off payments cannot be confirmed: JataPay
    /// documents no read for them.
    ///
    /// ```no_run
    /// # async fn run(client: jatapay::Client) -> jatapay::Result<()> {
    /// use jatapay::{Currency, ExpectedPayment, Money, PaymentVerdict, StatusReading, SubscriptionId};
    /// let expected = ExpectedPayment::new(
    ///     "https://shop.example/jatapay/return?order=42",
    ///     Money::parse("20.00", Currency::EUR)?,
    /// );
    /// let id = SubscriptionId::new("65b279426d2f219d702a7f69");
    /// match client.subscriptions().confirm(&id, &expected, StatusReading::Inferred).await? {
    ///     PaymentVerdict::Paid => { /* fulfil order 42 */ }
    ///     other => println!("not fulfilled: {other}"),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn confirm(
        &self,
        id: &SubscriptionId,
        expected: &ExpectedPayment,
        reading: StatusReading,
    ) -> Result<PaymentVerdict> {
        let subscription = self
            .read(id)
            .await
            .map_err(Error::at("subscriptions.confirm"))?;
        Ok(expected.judge(&subscription.observed(reading)))
    }
}

/// The answer of `POST /scrivi_abbonamento`: `{"id_abbonamento": "<24 hex digits>"}`.
///
/// ```
/// let created: jatapay::CreatedSubscription = serde_json::from_str(r#"{"id_abbonamento":"65b278baa103dca4496d968e"}"#)?;
/// assert_eq!(created.id.as_str(), "65b278baa103dca4496d968e");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreatedSubscription {
    /// `id_abbonamento`: the new subscription's id, for [`Client::gateway_url`] and
    /// [`Subscriptions::get`] (where it comes back as `_id`).
    #[serde(rename = "id_abbonamento")]
    pub id: SubscriptionId,
}

#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
impl CreatedSubscription {
    /// The answer of a create, for tests of your own code (feature `test-util`).
    ///
    /// ```
    /// use jatapay::{CreatedSubscription, SubscriptionId};
    /// let created = CreatedSubscription::for_tests(SubscriptionId::new("65b278baa103dca4496d968e"));
    /// assert_eq!(created.id.as_str(), "65b278baa103dca4496d968e");
    /// ```
    pub fn for_tests(id: SubscriptionId) -> Self {
        CreatedSubscription { id }
    }
}

payments_common::open_enum! {
    /// A subscription's `stato`. Only `iniziata` is documented. `attiva`, `completata`,
    /// `annullata` and `sospesa` are **inferred** names (the Italian words for active,
    /// completed, cancelled and suspended, seen in JataPay's wider record but not documented
    /// by JataPay); any other value is kept in [`SubscriptionStatus::Unknown`].
    ///
    /// ```
    /// use jatapay::{PaymentOutcome, SubscriptionStatus};
    /// assert_eq!(SubscriptionStatus::from("iniziata"), SubscriptionStatus::Iniziata);
    /// assert_eq!(SubscriptionStatus::from("attiva"), SubscriptionStatus::Attiva);
    /// assert_eq!(SubscriptionStatus::from("pagata").as_str(), "pagata");
    /// assert_eq!(SubscriptionStatus::Iniziata.outcome(), PaymentOutcome::Pending);
    /// ```
    pub enum SubscriptionStatus {
        /// `iniziata`: started — created, not (yet) known to be paid.
        Iniziata = "iniziata",
        /// `attiva` (inferred): active — the customer completed the gateway.
        Attiva = "attiva",
        /// `completata` (inferred): completed — a one-off payment was made.
        Completata = "completata",
        /// `annullata` (inferred): cancelled or declined.
        Annullata = "annullata",
        /// `sospesa` (inferred): suspended.
        Sospesa = "sospesa",
    }
}

impl SubscriptionStatus {
    /// The provider-independent reading of this status, **as far as JataPay documents it**.
    ///
    /// JataPay documents only `iniziata`, and no value that means paid or failed, so every
    /// status reads as [`PaymentOutcome::Pending`]: a payments SDK must not call a charge
    /// paid on an undocumented word. If you have confirmed with JataPay what its other states
    /// mean, use [`inferred_outcome`](Self::inferred_outcome), or match on the status yourself.
    pub fn outcome(&self) -> PaymentOutcome {
        PaymentOutcome::Pending
    }

    /// An opt-in reading that trusts the **inferred** state names: `attiva` and `completata`
    /// read as [`PaymentOutcome::Paid`], `annullata` as [`PaymentOutcome::Failed`], anything
    /// else (`iniziata`, `sospesa`, unknown values) as [`PaymentOutcome::Pending`].
    ///
    /// These names are not documented by JataPay; the local sandbox (`payments-sandbox`) uses
    /// them. Prefer [`outcome`](Self::outcome) unless you have confirmed them for your account.
    ///
    /// ```
    /// use jatapay::{PaymentOutcome, SubscriptionStatus};
    /// assert_eq!(SubscriptionStatus::Attiva.inferred_outcome(), PaymentOutcome::Paid);
    /// assert_eq!(SubscriptionStatus::Annullata.inferred_outcome(), PaymentOutcome::Failed);
    /// assert_eq!(SubscriptionStatus::from("pagata").inferred_outcome(), PaymentOutcome::Pending);
    /// ```
    pub fn inferred_outcome(&self) -> PaymentOutcome {
        match self {
            SubscriptionStatus::Attiva | SubscriptionStatus::Completata => PaymentOutcome::Paid,
            SubscriptionStatus::Annullata => PaymentOutcome::Failed,
            _ => PaymentOutcome::Pending,
        }
    }
}

/// A subscription as `GET /entity/subscriptions/{id}` returns it.
///
/// Every documented field is here. `_id`, `importo` and `stato` are required; the others are
/// optional so that an answer missing one still decodes. Meanings marked "inferred" are not
/// documented by JataPay.
///
/// ```
/// use jatapay::{Currency, Money, PaymentOutcome, SubscriptionStatus};
/// let s: jatapay::Subscription = serde_json::from_str(r#"{
///     "_id": "65b279426d2f219d702a7f69", "importo": 2000, "stato": "iniziata",
///     "data_inizio": "Thu, 25 Jan 2024 15:07:46 GMT"
/// }"#)?;
/// assert_eq!(s.amount, Money::from_minor_units(2000, Currency::EUR));
/// assert_eq!(s.status, SubscriptionStatus::Iniziata);
/// assert_eq!(s.outcome(), PaymentOutcome::Pending);
/// assert_eq!(s.start_date.map(|d| d.unix_timestamp()), Some(1_706_195_266));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Subscription {
    /// `_id`: the subscription's id (the `id_abbonamento` returned at creation).
    #[serde(rename = "_id")]
    pub id: SubscriptionId,
    /// `callback_url`: the URL the gateway returns the customer to, as sent at creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// `client`: `"JataPay"` in the documented example; its meaning is not documented
    /// (inferred: the platform that created the subscription). Not the request's `cliente`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// `cliente`: the `cliente` value sent at creation (`"open"`).
    #[serde(rename = "cliente", default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// `data_inizio`: the start date (an RFC 1123 date on the wire).
    #[serde(
        rename = "data_inizio",
        default,
        with = "wire::http_date_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_date: Option<OffsetDateTime>,
    /// `data_inserimento`: when the subscription was recorded (an RFC 1123 date on the wire).
    #[serde(
        rename = "data_inserimento",
        default,
        with = "wire::http_date_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<OffsetDateTime>,
    /// `esercente`: the merchant's id.
    #[serde(rename = "esercente", default, skip_serializing_if = "Option::is_none")]
    pub merchant: Option<MerchantId>,
    /// `importo`: the amount, in EUR (euro cents on the wire).
    #[serde(rename = "importo", with = "wire::cents")]
    pub amount: Money,
    /// `note`: the notes sent at creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// `numero`: the subscription's number (inferred: a per-merchant sequence number).
    #[serde(
        rename = "numero",
        default,
        deserialize_with = "payments_common::serde::int_or_string::deserialize_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub number: Option<i64>,
    /// `numero_txt`: the same number as text.
    #[serde(
        rename = "numero_txt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub number_text: Option<String>,
    /// `stato`: the state (see [`SubscriptionStatus`] and [`Subscription::outcome`]).
    #[serde(rename = "stato")]
    pub status: SubscriptionStatus,
    /// `user`: the JataPay user that owns it (equal to `esercente` in the documented example).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserId>,
}

#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
impl Subscription {
    /// A subscription as a read would return it, for tests of your own code (feature
    /// `test-util`): the id, amount and state given, every optional field absent. Set the
    /// public fields you need afterwards.
    ///
    /// ```
    /// use jatapay::{Currency, ExpectedPayment, Money, PaymentVerdict, StatusReading, Subscription, SubscriptionId, SubscriptionStatus};
    /// let mut s = Subscription::for_tests(
    ///     SubscriptionId::new("65b279426d2f219d702a7f69"),
    ///     Money::from_minor_units(2000, Currency::EUR),
    ///     SubscriptionStatus::Attiva,
    /// );
    /// s.callback_url = Some("https://shop.example/r?order=42".into());
    /// let expected = ExpectedPayment::new("https://shop.example/r?order=42", Money::from_minor_units(2000, Currency::EUR));
    /// assert_eq!(expected.judge(&s.observed(StatusReading::Inferred)), PaymentVerdict::Paid);
    /// ```
    pub fn for_tests(id: SubscriptionId, amount: Money, status: SubscriptionStatus) -> Self {
        Subscription {
            id,
            callback_url: None,
            client: None,
            customer: None,
            start_date: None,
            created_at: None,
            merchant: None,
            amount,
            note: None,
            number: None,
            number_text: None,
            status,
            user: None,
        }
    }
}

impl Subscription {
    /// Whether the subscription is paid, pending or failed, as far as JataPay documents it:
    /// today always [`PaymentOutcome::Pending`] (see [`SubscriptionStatus::outcome`]).
    ///
    /// ```
    /// let s: jatapay::Subscription = serde_json::from_str(r#"{"_id":"a","importo":1,"stato":"pagata"}"#)?;
    /// assert_eq!(s.outcome(), jatapay::PaymentOutcome::Pending);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn outcome(&self) -> PaymentOutcome {
        self.status.outcome()
    }

    /// The opt-in reading that trusts JataPay's **inferred** state names (see
    /// [`SubscriptionStatus::inferred_outcome`]).
    ///
    /// ```
    /// let s: jatapay::Subscription = serde_json::from_str(r#"{"_id":"a","importo":1,"stato":"attiva"}"#)?;
    /// assert_eq!(s.outcome(), jatapay::PaymentOutcome::Pending);
    /// assert_eq!(s.inferred_outcome(), jatapay::PaymentOutcome::Paid);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn inferred_outcome(&self) -> PaymentOutcome {
        self.status.inferred_outcome()
    }

    /// What this subscription says about a payment, for [`ExpectedPayment::judge`]: the
    /// `callback_url` as the order reference, the amount, no test flag, and the outcome under
    /// `reading`.
    ///
    /// ```
    /// use jatapay::{Currency, ExpectedPayment, Money, PaymentVerdict, StatusReading};
    /// let s: jatapay::Subscription = serde_json::from_str(r#"{"_id":"a","importo":2000,"stato":"attiva",
    ///     "callback_url":"https://shop.example/r?order=42"}"#)?;
    /// let expected = ExpectedPayment::new("https://shop.example/r?order=42", Money::from_minor_units(2000, Currency::EUR));
    /// assert_eq!(expected.judge(&s.observed(StatusReading::Inferred)), PaymentVerdict::Paid);
    /// assert!(!expected.judge(&s.observed(StatusReading::Documented)).is_paid());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn observed(&self, reading: StatusReading) -> ObservedPayment<'_> {
        ObservedPayment {
            reference: self.callback_url.as_deref(),
            amount: Some(self.amount),
            test: None,
            outcome: match reading {
                StatusReading::Documented => self.outcome(),
                StatusReading::Inferred => self.inferred_outcome(),
            },
        }
    }
}

/// Which reading of a subscription's `stato` [`Subscriptions::confirm`] uses.
///
/// ```
/// use jatapay::StatusReading;
/// assert_eq!(StatusReading::default(), StatusReading::Documented);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum StatusReading {
    /// Only what JataPay documents ([`SubscriptionStatus::outcome`]): today no state means
    /// paid, so a confirmation is never [`PaymentVerdict::Paid`].
    #[default]
    Documented,
    /// The inferred state names as well ([`SubscriptionStatus::inferred_outcome`]): `attiva`
    /// and `completata` are paid, `annullata` failed.
    Inferred,
}
