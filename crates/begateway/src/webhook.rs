//! Verification of beGateway notifications (feature `webhooks`).
//!
//! beGateway POSTs a notification to the product's / payment's `notification_url` when a
//! transaction becomes pending, expired, failed or successful. The body is the same
//! `{"transaction": {...}}` as a [status query](crate::Transactions::get). It carries two
//! proofs (<https://docs.bepaid.by/en/dev_tools/webhooks/>; `docs/providers/begateway.md#notifications`):
//!
//! - HTTP Basic `shop_id:secret_key` in `Authorization`;
//! - `Content-Signature`: base64 of an RSA PKCS#1 v1.5 SHA-256 signature of the raw body, made
//!   with the shop's private key held by the gateway; the public key is in the back office
//!   (bare base64 DER, or PEM).
//!
//! [`WebhookVerifier::verify`] always checks the Basic credentials (constant-time), and, when a
//! public key is configured, **also** requires a valid `Content-Signature`: a missing header is
//! rejected, never a fallback to Basic alone (the weakness of the PHP SDK). Verification runs
//! over the raw bytes before any JSON parsing. Both proofs cover the whole body, so the
//! returned [`Notification`] holds the whole transaction. Notifications may be delivered more
//! than once: deduplicate by [`Transaction::uid`] and [`Transaction::status`]. A verified
//! notification says that a transaction changed, not that it pays a given order: confirm it
//! for the order with [`Transactions::confirm`](crate::Transactions::confirm) before
//! fulfilling.
//!
//! ```no_run
//! use begateway::{Credentials, HeaderMap, WebhookVerifier};
//!
//! # fn handle(headers: &HeaderMap, raw_body: &[u8]) -> begateway::Result<()> {
//! let verifier = WebhookVerifier::new(Credentials::new("361", "shop-secret-key"))?
//!     .public_key("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA…")?;
//! let notification = verifier.verify(headers, raw_body)?;
//! let transaction = &notification.transaction;
//! println!("{} is {:?}", transaction.uid, transaction.outcome());
//! # Ok(()) }
//! ```

use std::fmt;

use payments_common::signature::{RsaPublicKey, constant_time_eq, from_base64};
use payments_common::{ErrorKind, ExposeSecret, HeaderMap, StatusCode, VerifyNotification};

use crate::client::Credentials;
use crate::error::Error;
use crate::subscriptions::Subscription;
use crate::transactions::{Envelope, Transaction};

/// The largest notification body accepted (1 MiB); real ones are a few KiB.
pub const MAX_NOTIFICATION_BYTES: usize = 1 << 20;

/// The operation named by the verifier's errors.
const VERIFY: &str = "webhook.verify";

/// A verified notification: what the Basic credentials (and, with a public key configured,
/// the `Content-Signature`) prove — the whole body, which is one transaction.
///
/// ```
/// # #[cfg(feature = "test-util")] {
/// use begateway::{Notification, Transaction, TransactionStatus};
/// let n = Notification::for_tests(Transaction::for_tests("1-310b0da80b", TransactionStatus::Successful));
/// assert_eq!(n.transaction.uid.as_str(), "1-310b0da80b");
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Notification {
    /// The transaction the notification is about, as beGateway sent it.
    pub transaction: Transaction,
    /// Whether a `Content-Signature` was verified too (always, when the verifier has a public
    /// key; never otherwise).
    pub signature_verified: bool,
}

#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
impl Notification {
    /// A notification for tests of your own handlers (feature `test-util`), about
    /// `transaction`, without a verified signature.
    pub fn for_tests(transaction: Transaction) -> Notification {
        Notification {
            transaction,
            signature_verified: false,
        }
    }
}

/// Checks notifications against the shop's credentials and, optionally, its public key.
///
/// ```
/// use begateway::{Credentials, WebhookVerifier};
/// let verifier = WebhookVerifier::new(Credentials::new("361", "shop-secret-key"))?;
/// assert!(!verifier.requires_signature());
/// # Ok::<(), begateway::Error>(())
/// ```
#[derive(Clone)]
pub struct WebhookVerifier {
    credentials: Credentials,
    public_key: Option<RsaPublicKey>,
}

impl WebhookVerifier {
    /// A verifier for the shop's credentials (checked like the client's: not empty, no
    /// whitespace; operation `webhook.configure`). Add the public key with
    /// [`WebhookVerifier::public_key`] to require signed notifications.
    pub fn new(credentials: Credentials) -> Result<Self, Error> {
        credentials
            .validate()
            .map_err(Error::at("webhook.configure"))?;
        Ok(WebhookVerifier {
            credentials,
            public_key: None,
        })
    }

    /// The shop's RSA public key from the back office: bare base64 DER (as beGateway shows
    /// it, with or without line breaks) or PEM. From then on every notification must carry a
    /// valid `Content-Signature`.
    pub fn public_key(mut self, key: &str) -> Result<Self, Error> {
        self.public_key = Some(RsaPublicKey::parse(key).map_err(Error::at("webhook.configure"))?);
        Ok(self)
    }

    /// Whether a public key is configured (and signatures therefore required).
    pub fn requires_signature(&self) -> bool {
        self.public_key.is_some()
    }

    /// Verifies a notification from its request headers and raw body, exactly as received:
    /// the Basic credentials in `Authorization` must match; if a public key is configured,
    /// `Content-Signature` must be present and valid over `body`. Then the body is decoded.
    ///
    /// Errors (operation `webhook.verify`): [`ErrorKind::SignatureInvalid`] (never says which
    /// byte or value was expected); [`ErrorKind::Decode`] for a verified body that is not a
    /// transaction (status 200 stands for "as received").
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<Notification, Error> {
        self.verify_kind(headers, body).map_err(Error::at(VERIFY))
    }

    fn verify_kind(&self, headers: &HeaderMap, body: &[u8]) -> Result<Notification, ErrorKind> {
        self.check_proofs(headers, body)?;
        Ok(Notification {
            transaction: self.parse(body)?,
            signature_verified: self.public_key.is_some(),
        })
    }

    /// Verifies a **subscription** notification (sent to a subscription's
    /// `notification_url`): the same proofs as [`WebhookVerifier::verify`], then the body is
    /// decoded as the subscription (bare, as the subscription API answers, or wrapped in
    /// `{"subscription": {...}}`; both inferred). Operation `webhook.verify_subscription`.
    ///
    /// ```
    /// # #[cfg(feature = "test-util")] {
    /// use begateway::{Credentials, WebhookVerifier, SubscriptionStatus};
    /// let creds = Credentials::new("361", "shop-secret-key");
    /// let body = br#"{"id":"sbs_1","state":"active","tracking_id":"order-42"}"#;
    /// let (headers, _) = begateway::test_util::notification(&creds, &begateway::Transaction::for_tests("x", begateway::TransactionStatus::Successful));
    /// let s = WebhookVerifier::new(creds)?.verify_subscription(&headers, body)?;
    /// assert_eq!(s.status, SubscriptionStatus::Active);
    /// # }
    /// # Ok::<(), begateway::Error>(())
    /// ```
    pub fn verify_subscription(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Subscription, Error> {
        self.check_proofs(headers, body)
            .and_then(|()| self.parse_subscription(body))
            .map_err(Error::at("webhook.verify_subscription"))
    }

    /// The Basic credentials always; the signature too when a key is configured.
    fn check_proofs(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), ErrorKind> {
        if body.len() > MAX_NOTIFICATION_BYTES {
            return Err(ErrorKind::signature("notification body larger than 1 MiB"));
        }
        self.verify_basic_auth(header(headers, "authorization")?)?;
        if let Some(key) = &self.public_key {
            let signature = header(headers, "content-signature")?
                .ok_or_else(|| ErrorKind::signature("Content-Signature header missing"))?;
            let signature = from_base64(signature)
                .ok_or_else(|| ErrorKind::signature("Content-Signature is not base64"))?;
            key.verify_pkcs1_sha256(body, &signature)?;
        }
        Ok(())
    }

    fn parse_subscription(&self, raw_body: &[u8]) -> Result<Subscription, ErrorKind> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Shape {
            Wrapped { subscription: Subscription },
            Bare(Subscription),
        }
        let secret = self.credentials.secret_key().expose_secret();
        payments_common::http::decode_body::<Shape>(
            StatusCode::OK,
            raw_body,
            MAX_NOTIFICATION_BYTES,
        )
        .map(|shape| match shape {
            Shape::Wrapped { subscription } | Shape::Bare(subscription) => subscription,
        })
        .map_err(|e| e.redact(&[secret]))
    }

    /// Checks `Authorization: Basic base64(shop_id:secret_key)` against the configured
    /// credentials, in constant time (both parts are always compared).
    fn verify_basic_auth(&self, authorization: Option<&str>) -> Result<(), ErrorKind> {
        let header =
            authorization.ok_or_else(|| ErrorKind::signature("Authorization header missing"))?;
        let encoded = header
            .trim()
            .strip_prefix("Basic ")
            .or_else(|| header.trim().strip_prefix("basic "))
            .ok_or_else(|| ErrorKind::signature("Authorization is not Basic"))?;
        let decoded = from_base64(encoded)
            .ok_or_else(|| ErrorKind::signature("Authorization is not base64"))?;
        let split = decoded.iter().position(|b| *b == b':');
        let (user, key) = match split {
            Some(i) => (
                decoded.get(..i).unwrap_or_default(),
                decoded.get(i + 1..).unwrap_or_default(),
            ),
            None => (decoded.as_slice(), &[][..]),
        };
        let user_ok = constant_time_eq(user, self.credentials.shop_id().as_bytes());
        let key_ok = constant_time_eq(
            key,
            self.credentials.secret_key().expose_secret().as_bytes(),
        );
        if user_ok & key_ok {
            Ok(())
        } else {
            Err(ErrorKind::signature(
                "Basic credentials do not match the shop",
            ))
        }
    }

    fn parse(&self, raw_body: &[u8]) -> Result<Transaction, ErrorKind> {
        // serde quotes offending values; the secret key must not be one of them.
        let secret = self.credentials.secret_key().expose_secret();
        payments_common::http::decode_body::<Envelope>(
            StatusCode::OK,
            raw_body,
            MAX_NOTIFICATION_BYTES,
        )
        .map(|envelope| envelope.transaction)
        .map_err(|e| e.redact(&[secret]))
    }
}

/// A header's value as text; a value that is not visible ASCII is a refusal (a genuine
/// notification never sends one).
fn header<'h>(headers: &'h HeaderMap, name: &str) -> Result<Option<&'h str>, ErrorKind> {
    let mut values = headers.get_all(name).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(ErrorKind::signature(format!("more than one {name} header")));
    }
    value
        .to_str()
        .map(Some)
        .map_err(|_| ErrorKind::signature(format!("{name} header is not visible ASCII")))
}

impl VerifyNotification for WebhookVerifier {
    type Event = Notification;
    type Error = Error;

    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<Notification, Error> {
        WebhookVerifier::verify(self, headers, body)
    }
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("credentials", &self.credentials)
            .field("public_key", &self.public_key)
            .finish()
    }
}
