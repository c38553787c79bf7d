//! Notifications (feature `webhooks`): verify `X-Message-Hash`, then read the event.
//!
//! None of this is on the documentation page. From the public integration (which cites TS
//! Pay's "notifiche" page): a webhook is registered with `POST /notification/webhook` and
//! `{"event":"tspay_charge.*","endpoint":"https://…"}` ([`Client::webhooks`](crate::Client::webhooks)),
//! and the answer holds a `secret`; each delivery carries `X-Message-Hash`, the HMAC-SHA256 of
//! the raw body keyed with that secret; the body is
//! `{"event":{"entity":"tspay_charge","state":…},"merchantRef":…,"payload":{charge}}`.
//! The encoding of the hash is not certain (inferred), so hex (either case) and standard
//! base64 are both accepted, each with or without a `sha256=` prefix (any case).
//!
//! Verification runs over the raw bytes before any parsing and fails closed: a missing,
//! repeated, malformed or wrong hash is [`ErrorKind::SignatureInvalid`](crate::ErrorKind::SignatureInvalid).
//! The HMAC covers the whole body, so the whole [`Notification`] is what the signature proves.
//! A notification is a hint that something changed: confirm with
//! [`Client::confirm_payment`](crate::Client::confirm_payment) (the payload's `orderKey`, and
//! the order key and amount stored with your order) before fulfilling, and deduplicate
//! deliveries by `chargeKey` and `state`.

use std::fmt;

use payments_common::signature;
use payments_common::{
    ExposeSecret, HeaderMap, PaymentOutcome, SecretString, StatusCode, VerifyNotification, validate,
};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::charges::{Charge, ChargeFields, ChargeState};
use crate::error::{KResult, Kind};
use crate::ids::MerchantRef;
use crate::{Error, Result};

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "X-Message-Hash";

/// The largest notification body parsed, in bytes.
pub const MAX_NOTIFICATION_BYTES: usize = 256 * 1024;

/// Verifies TS Pay notifications with the webhook's secret: the `secret` of
/// [`WebhookRegistered`](crate::WebhookRegistered).
///
/// ```
/// use tspay::WebhookVerifier;
///
/// let verifier = WebhookVerifier::new("whsec_test")?;
/// let body = br#"{"event":{"entity":"tspay_charge","state":"active"},"merchantRef":"M1",
///     "payload":{"chargeKey":"ch_1","orderKey":"ok_1","amount":"1450","currency":"EUR","state":"active"}}"#;
/// let mut headers = tspay::HeaderMap::new();
/// headers.insert("x-message-hash", "bd4a10f26e4cd0ec0c9bd5e64bc7ba4e3e32b2c8c7a2de78df7a06f6e2d0d6d4".parse()?);
/// let forged = verifier.verify(&headers, body).unwrap_err();
/// assert!(matches!(forged.kind(), tspay::ErrorKind::SignatureInvalid { .. }));
/// assert_eq!(forged.operation(), "webhook.verify");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct WebhookVerifier {
    secret: SecretString,
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("secret", &"[REDACTED]")
            .finish()
    }
}

impl WebhookVerifier {
    /// A verifier for the `secret` TS Pay returned when the webhook was registered
    /// (`WebhookVerifier::new(registration.secret)`). An empty secret or one with whitespace is
    /// refused (operation `"webhook.new"`; the message never contains it).
    ///
    /// ```
    /// use tspay::WebhookVerifier;
    /// assert!(WebhookVerifier::new("").is_err());
    /// assert!(WebhookVerifier::new(tspay::SecretString::from("s3cret")).is_ok());
    /// ```
    pub fn new(secret: impl Into<SecretString>) -> Result<Self> {
        let secret = secret.into();
        validate::credential("webhook_secret", &secret).map_err(Error::at("webhook.new"))?;
        Ok(WebhookVerifier { secret })
    }

    /// Verifies a notification: `X-Message-Hash` from `headers` against the raw `body`, in
    /// constant time, then reads the body. Returns the [`Notification`] (the HMAC covers the
    /// whole body). Accepted encodings: hex (either case) or standard base64, each with or
    /// without a `sha256=` prefix.
    ///
    /// Errors (operation `"webhook.verify"`): a missing, repeated, malformed or wrong hash is
    /// [`ErrorKind::SignatureInvalid`](crate::ErrorKind::SignatureInvalid); a genuine body that
    /// does not parse is [`ErrorKind::Decode`](crate::ErrorKind::Decode) (its `status` is a
    /// nominal 200: a notification has no HTTP status of its own). A payload without `state`,
    /// or with an empty one, takes the event's `state` (as the public integration does).
    ///
    /// ```
    /// # #[cfg(feature = "test-util")] {
    /// use tspay::{ChargeState, WebhookVerifier};
    /// let body = br#"{"event":{"entity":"tspay_charge","state":"failed"},"payload":{"amount":100}}"#;
    /// let (headers, body) = tspay::test_util::sign_notification("s3cret", body);
    /// let n = WebhookVerifier::new("s3cret")?.verify(&headers, &body)?;
    /// assert_eq!(n.payload.state, ChargeState::Failed);
    /// # }
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<Notification> {
        self.check(headers, body)
            .and_then(|()| Notification::decode(body))
            .map_err(Error::at("webhook.verify"))
    }

    fn check(&self, headers: &HeaderMap, body: &[u8]) -> KResult<()> {
        let mut values = headers.get_all(SIGNATURE_HEADER).iter();
        let value = values
            .next()
            .ok_or_else(|| Kind::signature(format!("{SIGNATURE_HEADER} header is missing")))?;
        if values.next().is_some() {
            return Err(Kind::signature(format!(
                "{SIGNATURE_HEADER} header is repeated"
            )));
        }
        let header = value.to_str().map_err(|_| {
            Kind::signature(format!(
                "{SIGNATURE_HEADER} is not a hex or base64 HMAC-SHA256"
            ))
        })?;
        let tag = decode_tag(header)?;
        signature::verify_hmac_sha256(self.secret.expose_secret().as_bytes(), body, &tag)
    }

    /// The lower-case hex HMAC-SHA256 of `body` under this verifier's secret.
    #[cfg(feature = "test-util")]
    pub(crate) fn sign(&self, body: &[u8]) -> String {
        signature::to_hex(&signature::hmac_sha256(
            self.secret.expose_secret().as_bytes(),
            body,
        ))
    }
}

impl VerifyNotification for WebhookVerifier {
    type Event = Notification;
    type Error = Error;

    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<Notification> {
        WebhookVerifier::verify(self, headers, body)
    }
}

/// Decodes the header's tag: 32 bytes from hex or standard base64, either with an optional
/// `sha256=` prefix (any case).
fn decode_tag(header: &str) -> KResult<Vec<u8>> {
    let value = header.trim();
    let bad = || {
        Kind::signature(format!(
            "{SIGNATURE_HEADER} is not a hex or base64 HMAC-SHA256"
        ))
    };
    let prefixed = value
        .get(..7)
        .filter(|p| p.eq_ignore_ascii_case("sha256="))
        .and_then(|_| value.get(7..));
    // After an optional `sha256=` prefix: 64 characters are hex (a 32-byte tag in base64 is
    // 44 characters, so the two never collide); anything else is read as base64.
    let encoded = prefixed.unwrap_or(value);
    let tag = if encoded.len() == 64 {
        signature::from_hex(encoded)
    } else {
        signature::from_base64(encoded)
    };
    match tag {
        Some(tag) if tag.len() == 32 => Ok(tag),
        _ => Err(bad()),
    }
}

payments_common::open_enum! {
    /// What a notification is about (`event.entity`).
    pub enum EventEntity {
        /// A charge (the events registered as `tspay_charge.*`).
        Charge = "tspay_charge",
    }
}

/// The event of a notification (`event`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NotificationEvent {
    /// `entity`: what the event is about.
    pub entity: EventEntity,
    /// `state`: the entity's new state (for charges, read as the charge state).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<ChargeState>,
}

/// A verified TS Pay notification.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Notification {
    /// `event`: what happened.
    pub event: NotificationEvent,
    /// `merchantRef`: the merchant's code at TS Pay; compare it with yours.
    #[serde(rename = "merchantRef", skip_serializing_if = "Option::is_none")]
    pub merchant_ref: Option<MerchantRef>,
    /// `payload`: the charge.
    pub payload: Charge,
}

impl Notification {
    /// Parses a notification body **without verifying it** (operation `"webhook.parse"`); use
    /// [`WebhookVerifier::verify`] for anything received over the network.
    ///
    /// ```
    /// let n = tspay::Notification::parse(br#"{"event":{"entity":"tspay_charge"},"payload":{"amount":"5","state":"pending"}}"#)?;
    /// assert_eq!(n.outcome(), tspay::PaymentOutcome::Pending);
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn parse(raw_body: &[u8]) -> Result<Notification> {
        Self::decode(raw_body).map_err(Error::at("webhook.parse"))
    }

    pub(crate) fn decode(raw_body: &[u8]) -> KResult<Notification> {
        payments_common::http::decode_body(StatusCode::OK, raw_body, MAX_NOTIFICATION_BYTES)
    }

    /// The charge's reading as a [`PaymentOutcome`]. Confirm with a status query before
    /// fulfilling.
    ///
    /// ```
    /// let n = tspay::Notification::parse(br#"{"event":{"entity":"tspay_charge"},"payload":{"amount":"5","state":"refunded"}}"#)?;
    /// assert_eq!(n.outcome(), tspay::PaymentOutcome::Refunded);
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn outcome(&self) -> PaymentOutcome {
        self.payload.outcome()
    }
}

impl<'de> Deserialize<'de> for Notification {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_map(NotificationVisitor)
    }
}

struct NotificationVisitor;

impl<'de> Visitor<'de> for NotificationVisitor {
    type Value = Notification;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a TS Pay notification object")
    }
    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Notification, A::Error> {
        let mut event: Option<NotificationEvent> = None;
        let mut merchant_ref: Option<MerchantRef> = None;
        let mut payload: Option<ChargeFields> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "event" => event = Some(map.next_value()?),
                "merchantRef" => merchant_ref = map.next_value()?,
                "payload" => payload = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let event = event.ok_or_else(|| de::Error::missing_field("event"))?;
        let payload = payload.ok_or_else(|| de::Error::missing_field("payload"))?;
        let charge = payload
            .finish(event.state.clone())
            .map_err(|e: A::Error| de::Error::custom(format_args!("payload: {e}")))?;
        Ok(Notification {
            event,
            merchant_ref,
            payload: charge,
        })
    }
}
