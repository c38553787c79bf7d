//! Registering the endpoint TS Pay notifies: `POST /notification/webhook` with
//! `{"event": "tspay_charge.*", "endpoint": "https://…"}`, answered with the `secret` that
//! signs every delivery.
//!
//! From the public integration's guide (which cites TS Pay's "notifiche" page); not on the
//! documentation page. The answer's other fields (`id`, and `event` and `endpoint` echoed back)
//! are **inferred** and optional. Whether TS Pay lists or deletes registrations is **unknown**:
//! no public source shows either, so the crate offers neither.

use std::fmt;

use payments_common::http::Request;
use payments_common::{SecretString, validate};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::KResult;
use crate::onboarding::decode_with_secrets;
use crate::{Error, Result};

/// The event pattern the public integration registers: every charge event.
pub const ALL_CHARGE_EVENTS: &str = "tspay_charge.*";

/// The operation named in this module's errors.
const OPERATION: &str = "webhooks.register";

/// A webhook registration: where TS Pay sends notifications, and for which events.
///
/// ```
/// use tspay::WebhookRegistration;
/// let r = WebhookRegistration::new("https://shop.example/tspay/notify").build()?;
/// assert_eq!(
///     serde_json::to_value(&r)?,
///     serde_json::json!({"event": "tspay_charge.*", "endpoint": "https://shop.example/tspay/notify"})
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebhookRegistration {
    /// `event`: the event pattern (`tspay_charge.*` unless set).
    event: String,
    /// `endpoint`: the shop's URL that receives the notifications.
    endpoint: String,
}

impl WebhookRegistration {
    /// A registration of `endpoint` for every charge event ([`ALL_CHARGE_EVENTS`]). The
    /// endpoint must be absolute `https` (plain `http` only to a loopback host, for local
    /// tests); TS Pay must be able to reach it.
    ///
    /// ```
    /// let r = tspay::WebhookRegistration::new("http://shop.example/notify");
    /// assert_eq!(r.build().unwrap_err().invalid_field(), Some("endpoint"));
    /// ```
    pub fn new(endpoint: impl Into<String>) -> Self {
        WebhookRegistration {
            event: ALL_CHARGE_EVENTS.to_owned(),
            endpoint: endpoint.into(),
        }
    }

    /// `event`: another event pattern (the public integration shows only `tspay_charge.*`;
    /// patterns such as `tspay_charge.active` are inferred).
    ///
    /// ```
    /// let r = tspay::WebhookRegistration::new("https://shop.example/n").event("tspay_charge.active");
    /// assert_eq!(serde_json::to_value(&r)?["event"], "tspay_charge.active");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn event(mut self, pattern: impl Into<String>) -> Self {
        self.event = pattern.into();
        self
    }

    /// Checks the registration as [`Webhooks::register`] does before sending (operation
    /// `"webhooks.register"`): `endpoint` a safe absolute URL, `event` 1 to 255 characters
    /// without control characters.
    ///
    /// ```
    /// let err = tspay::WebhookRegistration::new("https://shop.example/n").event("").build().unwrap_err();
    /// assert_eq!(err.invalid_field(), Some("event"));
    /// ```
    pub fn build(self) -> Result<Self> {
        self.check().map_err(Error::at(OPERATION))?;
        Ok(self)
    }

    fn check(&self) -> KResult<()> {
        validate::text("event", &self.event, crate::MAX_TEXT_CHARS)?;
        validate::callback_url("endpoint", &self.endpoint, validate::DEFAULT_MAX_URL_LEN)?;
        Ok(())
    }
}

/// TS Pay's answer to a registration: the `secret` that signs the deliveries, ready for
/// [`WebhookVerifier::new`](crate::WebhookVerifier::new) (feature `webhooks`). `Debug` never
/// shows the secret.
#[derive(Clone, Deserialize)]
#[non_exhaustive]
pub struct WebhookRegistered {
    /// `secret`: the HMAC-SHA256 key of `X-Message-Hash`. Store it with your configuration.
    pub secret: SecretString,
    /// `id`, if TS Pay sends one (inferred field).
    #[serde(default)]
    pub id: Option<String>,
    /// `event`, if echoed (inferred field).
    #[serde(default)]
    pub event: Option<String>,
    /// `endpoint`, if echoed (inferred field).
    #[serde(default)]
    pub endpoint: Option<String>,
}

impl fmt::Debug for WebhookRegistered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookRegistered")
            .field("secret", &"[REDACTED]")
            .field("id", &self.id)
            .field("event", &self.event)
            .field("endpoint", &self.endpoint)
            .finish()
    }
}

/// Webhook registrations; from [`Client::webhooks`].
#[derive(Debug)]
pub struct Webhooks<'a> {
    client: &'a Client,
}

impl Client {
    /// Webhook registrations (`/notification/webhook`).
    ///
    /// ```no_run
    /// # async fn run(client: tspay::Client) -> tspay::Result<()> {
    /// let registered = client
    ///     .webhooks()
    ///     .register(&tspay::WebhookRegistration::new("https://shop.example/tspay/notify"))
    ///     .await?;
    /// # #[cfg(feature = "webhooks")]
    /// let verifier = tspay::WebhookVerifier::new(registered.secret)?;
    /// # Ok(()) }
    /// ```
    pub fn webhooks(&self) -> Webhooks<'_> {
        Webhooks { client: self }
    }
}

impl Webhooks<'_> {
    /// Registers the endpoint (`POST /notification/webhook`) and returns the signing secret.
    ///
    /// Invalid input fails before anything is sent. A write without an idempotency key:
    /// never repeated once it may have reached TS Pay, and an ambiguous failure is
    /// [`ErrorKind::OutcomeUnknown`](crate::ErrorKind::OutcomeUnknown) — the endpoint may be
    /// registered with a secret you never received; register again and use the new answer's
    /// secret. Errors name the operation `"webhooks.register"` and never contain the secret.
    ///
    /// ```no_run
    /// # async fn run(client: tspay::Client) -> tspay::Result<()> {
    /// let registered = client.webhooks().register(&tspay::WebhookRegistration::new("https://shop.example/n")).await?;
    /// # let _ = registered;
    /// # Ok(()) }
    /// ```
    pub async fn register(&self, registration: &WebhookRegistration) -> Result<WebhookRegistered> {
        self.send(registration).await.map_err(Error::at(OPERATION))
    }

    async fn send(&self, registration: &WebhookRegistration) -> KResult<WebhookRegistered> {
        registration.check()?;
        let url = validate::endpoint(self.client.base_url(), &["notification", "webhook"]);
        let request = Request::post("tspay.webhooks.register", url)
            .bearer_auth(self.client.api_key())?
            .json(registration)?;
        self.client
            .http()
            .execute(request, |response| {
                decode_with_secrets(&response, &["secret"])
            })
            .await
    }
}
