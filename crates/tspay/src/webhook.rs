//! Notifications (feature `webhooks`): verify `X-Message-Hash`, then parse the event.
//!
//! None of this is on the documentation page. From the public integration (which cites TS
//! Pay's "notifiche" page): a webhook is registered with `POST /notification/webhook` and
//! `{"event":"tspay_charge.*","endpoint":"https://…"}`, and the answer holds a `secret`; each
//! delivery carries `X-Message-Hash`, the HMAC-SHA256 of the raw body keyed with that secret;
//! the body is `{"event":{"entity":"tspay_charge","state":…},"merchantRef":…,"payload":{charge}}`.
//! The encoding of the hash is not certain, so hex (either case) and standard base64 are both
//! accepted, each with or without a `sha256=` prefix (any case).
//!
//! Verification runs over the raw bytes before any parsing and fails closed: a missing,
//! malformed or wrong hash is [`Error::SignatureInvalid`]. A notification is a hint that
//! something changed: confirm with [`Client::confirm_payment`](crate::Client::confirm_payment)
//! (the payload's `orderKey`, and the order key and amount stored with your order) before
//! fulfilling, and deduplicate deliveries by `chargeKey` and `state`.
//!
//! ```
//! use tspay::webhook::WebhookVerifier;
//! use tspay::{PaymentOutcome, SecretString};
//!
//! let verifier = WebhookVerifier::new(SecretString::from("whsec_test"))?;
//! let body = br#"{"event":{"entity":"tspay_charge","state":"active"},"merchantRef":"M1",
//!     "payload":{"chargeKey":"ch_1","orderKey":"ok_1","amount":"1450","currency":"EUR","state":"active"}}"#;
//! let header = verifier.sign(body); // what TS Pay would send
//! let notification = verifier.verify_and_parse(body, Some(&header))?;
//! assert_eq!(notification.payload.outcome(), PaymentOutcome::Paid);
//! assert!(verifier.verify_and_parse(body, None).is_err());
//! # Ok::<(), tspay::Error>(())
//! ```

use std::fmt;

use payments_common::signature;
use payments_common::{ExposeSecret, PaymentOutcome, SecretString, StatusCode, validate};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::charges::{Charge, ChargeFields, ChargeState};
use crate::ids::MerchantRef;
use crate::{Error, Result};

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "X-Message-Hash";

/// The largest notification body parsed, in bytes.
pub const MAX_NOTIFICATION_BYTES: usize = 256 * 1024;

/// Verifies and parses TS Pay notifications with the webhook's secret.
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
    /// A verifier for the `secret` TS Pay returned when the webhook was registered. An empty
    /// secret or one with whitespace is refused (the message never contains it).
    ///
    /// ```
    /// use tspay::{webhook::WebhookVerifier, SecretString};
    /// assert!(WebhookVerifier::new(SecretString::from("")).is_err());
    /// ```
    pub fn new(secret: SecretString) -> Result<Self> {
        validate::credential("webhook_secret", &secret)?;
        Ok(WebhookVerifier { secret })
    }

    /// Checks `X-Message-Hash` (`header`, `None` when absent) against the raw body, in
    /// constant time. Accepted encodings: hex (either case) or standard base64, each with or
    /// without a `sha256=` prefix.
    ///
    /// ```
    /// use tspay::{webhook::WebhookVerifier, SecretString};
    /// let v = WebhookVerifier::new(SecretString::from("s3cret"))?;
    /// let hex = v.sign(b"{}");
    /// assert!(v.verify(b"{}", Some(&hex.to_uppercase())).is_ok());
    /// assert!(v.verify(b"{}", Some(&format!("sha256={hex}"))).is_ok());
    /// assert!(v.verify(b"{ }", Some(&hex)).is_err());
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn verify(&self, raw_body: &[u8], header: Option<&str>) -> Result<()> {
        let header = header
            .ok_or_else(|| Error::signature(format!("{SIGNATURE_HEADER} header is missing")))?;
        let tag = decode_tag(header)?;
        signature::verify_hmac_sha256(self.secret.expose_secret().as_bytes(), raw_body, &tag)
    }

    /// Verifies, then parses the notification.
    ///
    /// A payload without `state`, or with an empty one (`""`), takes the event's `state` (as the
    /// public integration does).
    /// A body that does not parse is [`Error::Decode`] (its `status` is a nominal 200: a
    /// notification has no HTTP status of its own).
    ///
    /// ```
    /// use tspay::{webhook::WebhookVerifier, SecretString};
    /// let v = WebhookVerifier::new(SecretString::from("s3cret"))?;
    /// let body = br#"{"event":{"entity":"tspay_charge","state":"failed"},"payload":{"amount":100}}"#;
    /// let n = v.verify_and_parse(body, Some(&v.sign(body)))?;
    /// assert_eq!(n.payload.state, tspay::ChargeState::Failed);
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn verify_and_parse(&self, raw_body: &[u8], header: Option<&str>) -> Result<Notification> {
        self.verify(raw_body, header)?;
        Notification::parse(raw_body)
    }

    /// The lower-case hex HMAC-SHA256 of `raw_body`: what TS Pay is understood to send in
    /// `X-Message-Hash`. For tests and local tools.
    ///
    /// ```
    /// use tspay::{webhook::WebhookVerifier, SecretString};
    /// let v = WebhookVerifier::new(SecretString::from("s3cret"))?;
    /// assert_eq!(v.sign(b"x").len(), 64);
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn sign(&self, raw_body: &[u8]) -> String {
        signature::to_hex(&signature::hmac_sha256(
            self.secret.expose_secret().as_bytes(),
            raw_body,
        ))
    }
}

/// Decodes the header's tag: 32 bytes from hex or standard base64, either with an optional
/// `sha256=` prefix (any case).
fn decode_tag(header: &str) -> Result<Vec<u8>> {
    let value = header.trim();
    let bad = || {
        Error::signature(format!(
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
pub struct Event {
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
    pub event: Event,
    /// `merchantRef`: the merchant's code at TS Pay; compare it with yours.
    #[serde(rename = "merchantRef", skip_serializing_if = "Option::is_none")]
    pub merchant_ref: Option<MerchantRef>,
    /// `payload`: the charge.
    pub payload: Charge,
}

impl Notification {
    /// Parses a notification body **without verifying it**; use
    /// [`WebhookVerifier::verify_and_parse`] for anything received over the network.
    ///
    /// ```
    /// let n = tspay::webhook::Notification::parse(br#"{"event":{"entity":"tspay_charge"},"payload":{"amount":"5","state":"pending"}}"#)?;
    /// assert_eq!(n.outcome(), tspay::PaymentOutcome::Pending);
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn parse(raw_body: &[u8]) -> Result<Notification> {
        payments_common::http::decode_body(StatusCode::OK, raw_body, MAX_NOTIFICATION_BYTES)
    }

    /// The charge's reading as a [`PaymentOutcome`]. Confirm with a status query before
    /// fulfilling.
    ///
    /// ```
    /// let n = tspay::webhook::Notification::parse(br#"{"event":{"entity":"tspay_charge"},"payload":{"amount":"5","state":"refunded"}}"#)?;
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
        let mut event: Option<Event> = None;
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
