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
//! over the raw bytes before any JSON parsing. Notifications may be delivered more than once:
//! deduplicate by [`Transaction::uid`] and [`Transaction::status`]. A verified notification
//! says that a transaction changed, not that it pays a given order: confirm it for the order
//! with [`Transactions::confirm`](crate::Transactions::confirm) before fulfilling.
//!
//! ```no_run
//! use begateway::{Credentials, WebhookVerifier};
//!
//! # fn handle(raw_body: &[u8], authorization: Option<&str>, signature: Option<&str>) -> begateway::Result<()> {
//! let verifier = WebhookVerifier::new(Credentials::new("361", "shop-secret-key"))?
//!     .public_key("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA…")?;
//! let transaction = verifier.verify(raw_body, authorization, signature)?;
//! println!("{} is {:?}", transaction.uid, transaction.outcome());
//! # Ok(()) }
//! ```

use std::fmt;

use payments_common::signature::{RsaPublicKey, constant_time_eq, from_base64};
use payments_common::{Error, ExposeSecret, StatusCode};

use crate::client::Credentials;
use crate::transactions::{Envelope, Transaction};

/// The largest notification body accepted (1 MiB); real ones are a few KiB.
pub const MAX_NOTIFICATION_BYTES: usize = 1 << 20;

/// Checks notifications against the shop's credentials and, optionally, its public key.
#[derive(Clone)]
pub struct WebhookVerifier {
    credentials: Credentials,
    public_key: Option<RsaPublicKey>,
}

impl WebhookVerifier {
    /// A verifier for the shop's credentials (checked like the client's: not empty, no
    /// whitespace). Add the public key with [`WebhookVerifier::public_key`] to require signed
    /// notifications.
    pub fn new(credentials: Credentials) -> Result<Self, Error> {
        credentials.validate()?;
        Ok(WebhookVerifier {
            credentials,
            public_key: None,
        })
    }

    /// The shop's RSA public key from the back office: bare base64 DER (as beGateway shows
    /// it, with or without line breaks) or PEM. From then on every notification must carry a
    /// valid `Content-Signature`.
    pub fn public_key(mut self, key: &str) -> Result<Self, Error> {
        self.public_key = Some(RsaPublicKey::parse(key)?);
        Ok(self)
    }

    /// Whether a public key is configured (and signatures therefore required).
    pub fn requires_signature(&self) -> bool {
        self.public_key.is_some()
    }

    /// Verifies a notification and parses it: the Basic credentials in `authorization` must
    /// match; if a public key is configured, `content_signature` must be present and valid
    /// over `raw_body`. Then the body is decoded into a [`Transaction`].
    ///
    /// Errors: [`Error::SignatureInvalid`] (never says which byte or value was expected);
    /// [`Error::Decode`] for a verified body that is not a transaction (status 200 stands for
    /// "as received").
    pub fn verify(
        &self,
        raw_body: &[u8],
        authorization: Option<&str>,
        content_signature: Option<&str>,
    ) -> Result<Transaction, Error> {
        if raw_body.len() > MAX_NOTIFICATION_BYTES {
            return Err(Error::signature("notification body larger than 1 MiB"));
        }
        self.verify_basic_auth(authorization)?;
        if self.public_key.is_some() {
            self.verify_signature(raw_body, content_signature)?;
        }
        self.parse(raw_body)
    }

    /// [`WebhookVerifier::verify`] with the headers looked up by `header(name)` (lower-case
    /// names `authorization` and `content-signature`), for any web framework's header map.
    ///
    /// ```no_run
    /// # fn f(v: &begateway::WebhookVerifier, body: &[u8], headers: &std::collections::HashMap<String, String>) -> begateway::Result<()> {
    /// let transaction = v.verify_headers(body, |name| headers.get(name).map(String::as_str))?;
    /// # Ok(()) }
    /// ```
    pub fn verify_headers<'h>(
        &self,
        raw_body: &[u8],
        header: impl Fn(&str) -> Option<&'h str>,
    ) -> Result<Transaction, Error> {
        self.verify(
            raw_body,
            header("authorization"),
            header("content-signature"),
        )
    }

    /// Checks `Authorization: Basic base64(shop_id:secret_key)` against the configured
    /// credentials, in constant time (both parts are always compared).
    pub fn verify_basic_auth(&self, authorization: Option<&str>) -> Result<(), Error> {
        let header =
            authorization.ok_or_else(|| Error::signature("Authorization header missing"))?;
        let encoded = header
            .trim()
            .strip_prefix("Basic ")
            .or_else(|| header.trim().strip_prefix("basic "))
            .ok_or_else(|| Error::signature("Authorization is not Basic"))?;
        let decoded =
            from_base64(encoded).ok_or_else(|| Error::signature("Authorization is not base64"))?;
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
            Err(Error::signature("Basic credentials do not match the shop"))
        }
    }

    /// Checks `Content-Signature` (base64 RSA-SHA256 over the raw body) with the configured
    /// public key. Errors if no key is configured, the header is missing, not base64, or the
    /// signature does not verify.
    pub fn verify_signature(
        &self,
        raw_body: &[u8],
        content_signature: Option<&str>,
    ) -> Result<(), Error> {
        let key = self
            .public_key
            .as_ref()
            .ok_or_else(|| Error::signature("no public key configured"))?;
        let header = content_signature
            .ok_or_else(|| Error::signature("Content-Signature header missing"))?;
        let signature = from_base64(header)
            .ok_or_else(|| Error::signature("Content-Signature is not base64"))?;
        key.verify_pkcs1_sha256(raw_body, &signature)
    }

    fn parse(&self, raw_body: &[u8]) -> Result<Transaction, Error> {
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

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("credentials", &self.credentials)
            .field("public_key", &self.public_key)
            .finish()
    }
}
