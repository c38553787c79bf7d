//! What GreenPay posts to the merchant (feature `webhooks`): the `_signature` verifier
//! [`WebhookVerifier`] (re-exported at the crate root), what it proves ([`VerifiedEvent`]),
//! and the typed, **unverified** readings of the checkout result and of the subscription
//! payment notification.
//!
//! GreenPay posts JSON to routes the merchant registers on one base: `/` (checkout results),
//! `/subscription/payment/results` (subscription charges), `/newCard` and `/bulkResume`
//! (not typed here).
//!
//! # The signature — partly inferred
//!
//! GreenPay signs with RSA PKCS#1 v1.5 over SHA-256 (its keys are 1024-bit, so 256 hex digits;
//! 1023-bit and larger keys verify too),
//! writing the signature in hex in `_signature`, and publishes its public key as bare base64
//! DER. **Which fields are signed is not documented**: GreenPay's own tokenization flow (as
//! implemented by the `cayasso/greenpay` SDK) signs `status:<status>,requestId:<requestId>`,
//! i.e. `key:value` pairs joined by commas. For checkout results and subscription charges,
//! `status` and `orderId` is *inferred*. [`WebhookVerifier::verify`] checks those and returns
//! only them; [`WebhookVerifier::verify_fields`] takes another field list, should GreenPay
//! name one. (cayasso's `webhooks.validate`, an HMAC keyed with the public key, is not
//! copied: it cannot be what GreenPay does.)
//!
//! ```
//! use greenpay::WebhookVerifier;
//! use greenpay::webhook::signed_string;
//! assert_eq!(signed_string(&[("status", "200"), ("orderId", "order-1")]), "status:200,orderId:order-1");
//! assert!(WebhookVerifier::new("not a key").is_err());
//! ```

use payments_common::signature::{RsaPublicKey, from_hex};
use payments_common::{Error as ErrorKind, HeaderMap, PaymentOutcome, StatusCode};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Serialize};

use crate::subscriptions::{PaymentStatus, SubscriptionStatus};
use crate::wire::text_or_number;
use crate::{Error, SubscriptionId};

/// The string GreenPay signs: `k1:v1,k2:v2` for `fields` in the order given.
pub fn signed_string<K: AsRef<str>, V: AsRef<str>>(fields: &[(K, V)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}:{}", k.as_ref(), v.as_ref()))
        .collect::<Vec<_>>()
        .join(",")
}

/// GreenPay's public key, with the verifier its size needs.
#[derive(Debug, Clone)]
struct SignatureVerifier {
    key: VerifyingKey,
}

/// Verifies what GreenPay posts — checkout results and subscription payment notifications —
/// by their `_signature` (RSA PKCS#1 v1.5 over SHA-256, hex) with GreenPay's public key, and
/// returns only what the signature proves ([`VerifiedEvent`]).
///
/// GreenPay carries its signature in the body, not in a header: the headers are taken for the
/// one verification pattern every crate of this family follows, and are not read.
///
/// ```no_run
/// use greenpay::{HeaderMap, VerifiedEvent, WebhookVerifier};
/// # fn run(headers: &HeaderMap, body: &[u8], key: &str) -> greenpay::Result<()> {
/// let verifier = WebhookVerifier::new(key)?; // bare base64 DER, as GreenPay gives it, or PEM
/// match verifier.verify(headers, body)? {
///     VerifiedEvent::Checkout(checkout) => println!("a genuine result for order {}", checkout.order_id()),
///     VerifiedEvent::SubscriptionPayment(payment) => {
///         for charge in payment.charges() {
///             // Confirm with `subscriptions().confirm_payment` before fulfilling.
///             println!("{} {}", charge.order_reference(), charge.status());
///         }
///     }
///     _ => {}
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct WebhookVerifier {
    key: SignatureVerifier,
}

/// The key, with the verifier its size needs.
#[derive(Clone)]
enum VerifyingKey {
    /// 1024 bits and more: payments-common's verifier.
    Standard(RsaPublicKey),
    /// Exactly 1023 bits, which that verifier refuses: checked with the `rsa` crate.
    Short(rsa::RsaPublicKey),
}

impl std::fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyingKey::Standard(key) => key.fmt(f),
            VerifyingKey::Short(_) => f.write_str("RsaPublicKey(1023 bits)"),
        }
    }
}

/// The smallest modulus accepted, in bits: GreenPay's keys are 1024-bit, and a 1023-bit key
/// (a 1024-bit generation whose modulus came out one bit short, as in the `cayasso/greenpay`
/// SDK's tests) verifies too. Anything smaller is refused when the verifier is built.
pub const MIN_KEY_BITS: usize = 1023;

impl SignatureVerifier {
    /// The key read from bare base64 DER or PEM; under [`MIN_KEY_BITS`] refused.
    fn new(public_key: &str) -> Result<Self, ErrorKind> {
        let bits = modulus_bits(public_key);
        match bits {
            Some(bits) if bits < MIN_KEY_BITS => Err(ErrorKind::invalid(
                "public_key",
                format!(
                    "is a {bits}-bit RSA key; GreenPay's keys are 1024-bit and at least \
                     {MIN_KEY_BITS} bits are required"
                ),
            )),
            Some(bits) if bits < 1024 => {
                let key = short_key(public_key)
                    .ok_or_else(|| ErrorKind::invalid("public_key", "is not an RSA public key"))?;
                Ok(SignatureVerifier {
                    key: VerifyingKey::Short(key),
                })
            }
            _ => Ok(SignatureVerifier {
                key: VerifyingKey::Standard(RsaPublicKey::parse(public_key)?),
            }),
        }
    }

    /// Checks `signature_hex` over [`signed_string`]`(fields)`.
    fn verify<K: AsRef<str>, V: AsRef<str>>(
        &self,
        fields: &[(K, V)],
        signature_hex: &str,
    ) -> Result<(), ErrorKind> {
        if signature_hex.is_empty() {
            return Err(ErrorKind::signature("_signature is missing"));
        }
        let signature =
            from_hex(signature_hex).ok_or_else(|| ErrorKind::signature("_signature is not hex"))?;
        let message = signed_string(fields);
        match &self.key {
            VerifyingKey::Standard(key) => key.verify_pkcs1_sha256(message.as_bytes(), &signature),
            VerifyingKey::Short(key) => {
                use rsa::sha2::{Digest, Sha256};
                let digest = Sha256::digest(message.as_bytes());
                key.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest, &signature)
                    .map_err(|_| ErrorKind::signature("RSA-SHA256 signature does not verify"))
            }
        }
    }
}

/// The DER of a PEM or bare-base64 key (armor lines and blanks dropped).
fn key_der(public_key: &str) -> Option<Vec<u8>> {
    let body: String = public_key
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----"))
        .collect();
    payments_common::signature::from_base64(&body)
}

/// The key read by the `rsa` crate (SubjectPublicKeyInfo or PKCS#1 DER); `None` for what it
/// cannot read, such as keys over its 4096-bit limit (left to payments-common's parser).
fn short_key(public_key: &str) -> Option<rsa::RsaPublicKey> {
    use rsa::pkcs1::DecodeRsaPublicKey;
    use rsa::pkcs8::DecodePublicKey;
    let der = key_der(public_key)?;
    rsa::RsaPublicKey::from_public_key_der(&der)
        .or_else(|_| rsa::RsaPublicKey::from_pkcs1_der(&der))
        .ok()
}

/// The modulus size in bits, when the `rsa` crate reads the key.
fn modulus_bits(public_key: &str) -> Option<usize> {
    use rsa::traits::PublicKeyParts;
    short_key(public_key).map(|key| key.n().bits())
}

impl WebhookVerifier {
    /// A verifier for GreenPay's public key, as GreenPay gives it (bare base64 DER) or as PEM.
    ///
    /// Refuses ([`ErrorKind::InvalidRequest`] on `public_key`, operation `webhook.verifier`)
    /// what is not an RSA public key, and keys under [`MIN_KEY_BITS`] (1023) bits — at
    /// construction, so a key is never accepted only to fail every signature. 1023-bit keys
    /// are accepted and their signatures verify.
    ///
    /// ```
    /// use greenpay::WebhookVerifier;
    /// // A 1023-bit key (the one in the `cayasso/greenpay` SDK's tests): accepted.
    /// let key = "MIGeMA0GCSqGSIb3DQEBAQUAA4GMADCBiAKBgGxr+2pRdVQroW+0bE3TSPJTFiUZ\
    ///            23jj9xxnHU2UZi73fQ6tC5SW+Gmu6RQY5ptbBiGQrCnlAz33A7e8JoyAGB+8TEYI\
    ///            sEG/wUtbjAhQwx4MJBwuGJ4e7G5jnQ8xUIsLXp7bJuJ7tvyueM8tpUJakIUmvtDO\
    ///            JVsRJGJy65XUHTlvAgMBAAE=";
    /// assert!(WebhookVerifier::new(key).is_ok());
    /// assert_eq!(WebhookVerifier::new("abc123").unwrap_err().invalid_field(), Some("public_key"));
    /// ```
    pub fn new(public_key: &str) -> Result<Self, Error> {
        SignatureVerifier::new(public_key)
            .map(|key| WebhookVerifier { key })
            .map_err(Error::at("webhook.verifier"))
    }

    /// Verifies a notification GreenPay posted — its raw body exactly as received — and
    /// returns only what its `_signature` proves (operation `webhook.verify`):
    ///
    /// - a checkout result (a body with `orderId` or a top-level `_signature`):
    ///   [`VerifiedEvent::Checkout`], the order and
    ///   the `status` (inferred signed fields). Whether the card was charged is not signed;
    /// - a tokenization result (a body with `requestId` and no `orderId`, posted to
    ///   `/newCard`): [`VerifiedEvent::Tokenization`], signed over `status` and `requestId`
    ///   (inferred from GreenPay's tokenization answers);
    /// - a subscription payment notification (a body with `approved` or `rejected`): every
    ///   charge must carry a `_signature` that verifies over its `status` and order reference
    ///   (inferred), and [`VerifiedEvent::SubscriptionPayment`] lists those two per charge —
    ///   not the list it was posted under, nor amounts, which are unsigned.
    ///
    /// A missing, malformed or wrong signature is an [`ErrorKind::SignatureInvalid`]; a body
    /// that is not JSON, larger than [`MAX_NOTIFICATION_BYTES`], or neither shape, an
    /// [`ErrorKind::Decode`] or [`ErrorKind::InvalidRequest`]. `headers` are not read:
    /// GreenPay signs in the body.
    ///
    /// ```
    /// use greenpay::{ErrorKind, HeaderMap, WebhookVerifier};
    /// # fn run(verifier: WebhookVerifier) {
    /// let forged = br#"{"status":200,"orderId":"order-1","_signature":"00ff"}"#;
    /// let err = verifier.verify(&HeaderMap::new(), forged).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::SignatureInvalid { .. }));
    /// # }
    /// ```
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<VerifiedEvent, Error> {
        let _ = headers;
        self.verify_body(body).map_err(Error::at("webhook.verify"))
    }

    fn verify_body(&self, body: &[u8]) -> Result<VerifiedEvent, ErrorKind> {
        /// Which notification a body is, read without keeping anything.
        #[derive(Deserialize)]
        struct Shape {
            #[serde(rename = "orderId", default)]
            order_id: Option<IgnoredAny>,
            #[serde(default)]
            approved: Option<IgnoredAny>,
            #[serde(default)]
            rejected: Option<IgnoredAny>,
            #[serde(rename = "_signature", default)]
            signature: Option<IgnoredAny>,
            #[serde(rename = "requestId", default)]
            request_id: Option<IgnoredAny>,
        }
        let shape: Shape = parse(body)?;
        if shape.request_id.is_some() && shape.order_id.is_none() {
            #[derive(Deserialize)]
            struct Tokenized {
                #[serde(
                    default,
                    deserialize_with = "payments_common::serde::int_or_string::deserialize_option"
                )]
                status: Option<i64>,
                #[serde(
                    rename = "requestId",
                    default,
                    deserialize_with = "text_or_number::option"
                )]
                request_id: Option<String>,
                #[serde(rename = "_signature", default)]
                signature: Option<String>,
            }
            let t: Tokenized = parse(body)?;
            let request_id = t
                .request_id
                .filter(|r| !r.is_empty())
                .ok_or_else(|| ErrorKind::signature("the notification names no requestId"))?;
            let status = t.status.map(|s| s.to_string()).unwrap_or_default();
            self.key.verify(
                &[
                    ("status", status.as_str()),
                    ("requestId", request_id.as_str()),
                ],
                t.signature.as_deref().unwrap_or_default(),
            )?;
            return Ok(VerifiedEvent::Tokenization(VerifiedTokenization {
                request_id,
                status: t.status,
            }));
        }
        if shape.approved.is_some() || shape.rejected.is_some() {
            let notification: SubscriptionPaymentNotification = parse(body)?;
            let mut charges = Vec::new();
            for charge in notification.approved.iter().chain(&notification.rejected) {
                self.key.verify(
                    &charge.signed_fields(),
                    charge.signature.as_deref().unwrap_or_default(),
                )?;
                charges.push(VerifiedCharge {
                    order_reference: charge.order.order_reference.clone(),
                    status: charge.status.clone(),
                });
            }
            if charges.is_empty() {
                return Err(ErrorKind::signature(
                    "the notification carries no signed charge",
                ));
            }
            return Ok(VerifiedEvent::SubscriptionPayment(
                VerifiedSubscriptionPayment { charges },
            ));
        }
        if shape.order_id.is_some() || shape.signature.is_some() {
            let result: CheckoutResult = parse(body)?;
            return self.verify_checkout(&result).map(VerifiedEvent::Checkout);
        }
        Err(ErrorKind::invalid(
            "body",
            "neither a checkout result (orderId) nor a subscription payment notification \
             (approved / rejected)",
        ))
    }

    /// Checks `signature_hex` (a `_signature` value) over [`signed_string`]`(fields)`, for a
    /// field list other than the inferred one (should GreenPay name its own). An
    /// [`ErrorKind::SignatureInvalid`] when it is missing, not hex, or does not verify
    /// (operation `webhook.verify`).
    ///
    /// ```no_run
    /// # fn run(verifier: greenpay::WebhookVerifier, signature: &str) -> greenpay::Result<()> {
    /// verifier.verify_fields(&[("status", "200"), ("orderId", "order-1")], signature)?;
    /// # Ok(()) }
    /// ```
    pub fn verify_fields<K: AsRef<str>, V: AsRef<str>>(
        &self,
        fields: &[(K, V)],
        signature_hex: &str,
    ) -> Result<(), Error> {
        self.key
            .verify(fields, signature_hex)
            .map_err(Error::at("webhook.verify"))
    }

    /// A checkout result's signature over the inferred fields, and the order it names.
    fn verify_checkout(&self, result: &CheckoutResult) -> Result<VerifiedCheckout, ErrorKind> {
        self.key.verify(
            &result.signed_fields(),
            result.signature.as_deref().unwrap_or_default(),
        )?;
        let order_id = result
            .order_id
            .clone()
            .filter(|id| !id.is_empty())
            .ok_or_else(|| ErrorKind::signature("the notification names no orderId"))?;
        Ok(VerifiedCheckout {
            order_id,
            status: result.status,
        })
    }
}

impl WebhookVerifier {
    /// Reads what GreenPay's hosted tokenization form appended to your `callback` (the last
    /// path segment: the result in base64, standard or URL-safe) for the tokenization you
    /// started under `request_id`, and verifies its `_signature` over `status` and `requestId`
    /// (operation `cards.form_return`). The customer's browser carried it, so it is refused
    /// unless the signature verifies, the status is 200 and it names `request_id` (a result
    /// of another tokenization replayed here is refused).
    ///
    /// The card token itself is **not** covered by the signature (inferred field set): it is
    /// returned in [`TokenizationReturn::card`] as the form gave it; GreenPay refuses tokens
    /// that are not the merchant's when they are used.
    ///
    /// ```no_run
    /// # fn run(verifier: greenpay::WebhookVerifier, data: &str) -> greenpay::Result<()> {
    /// let returned = verifier.verify_form_return(data, "req-8f2c")?;
    /// save_card_token(returned.card.token.as_str());
    /// # Ok(()) }
    /// # fn save_card_token(_: &str) {}
    /// ```
    pub fn verify_form_return(
        &self,
        data: &str,
        request_id: &str,
    ) -> Result<TokenizationReturn, Error> {
        self.form_return(data, request_id)
            .map_err(Error::at("cards.form_return"))
    }

    fn form_return(&self, data: &str, request_id: &str) -> Result<TokenizationReturn, ErrorKind> {
        let standard: String = data
            .trim()
            .chars()
            .map(|c| match c {
                '-' => '+',
                '_' => '/',
                other => other,
            })
            .collect();
        let padded = format!("{standard}{}", "=".repeat((4 - standard.len() % 4) % 4));
        let json = payments_common::signature::from_base64(&padded)
            .ok_or_else(|| ErrorKind::invalid("data", "is not base64"))?;
        let card: crate::cards::TokenizedCard = parse(&json)?;
        let named = card.request_id.as_deref().unwrap_or_default();
        if named != request_id {
            return Err(ErrorKind::signature(
                "the result names another tokenization request",
            ));
        }
        let status = card.status.map(|s| s.to_string()).unwrap_or_default();
        self.key.verify(
            &[("status", status.as_str()), ("requestId", request_id)],
            card.signature.as_deref().unwrap_or_default(),
        )?;
        if card.status != Some(200) {
            return Err(ErrorKind::invalid("status", "the card was not tokenized"));
        }
        Ok(TokenizationReturn {
            tokenization: VerifiedTokenization {
                request_id: request_id.to_owned(),
                status: card.status,
            },
            card,
        })
    }
}

/// What the hosted tokenization form returned ([`WebhookVerifier::verify_form_return`]): the
/// signed part, and the card as the form described it.
///
/// ```
/// # fn run(r: greenpay::webhook::TokenizationReturn) {
/// assert_eq!(r.tokenization.status(), Some(200));
/// let token = r.card.token;
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TokenizationReturn {
    /// What the signature proves: the request id and the status.
    pub tokenization: VerifiedTokenization,
    /// The token and card details as returned (not covered by the signature).
    pub card: crate::cards::TokenizedCard,
}

impl payments_common::VerifyNotification for WebhookVerifier {
    type Event = VerifiedEvent;
    type Error = Error;

    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<VerifiedEvent, Error> {
        WebhookVerifier::verify(self, headers, body)
    }
}

/// What a verified GreenPay notification proves ([`WebhookVerifier::verify`]).
///
/// ```
/// # fn run(event: greenpay::VerifiedEvent) {
/// use greenpay::VerifiedEvent;
/// match event {
///     VerifiedEvent::Checkout(c) => println!("order {}", c.order_id()),
///     VerifiedEvent::SubscriptionPayment(p) => println!("{} charges", p.charges().len()),
///     _ => {}
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifiedEvent {
    /// A checkout result: which order (never whether it was paid).
    Checkout(VerifiedCheckout),
    /// A subscription payment notification: which charges, with their signed status.
    SubscriptionPayment(VerifiedSubscriptionPayment),
    /// A tokenization result (posted to `<webhook base>/newCard`): which tokenization request
    /// and its status. The card token in the body is **not** signed (inferred field set:
    /// `status`, `requestId`), so it is not here: take the token from the tokenization call's
    /// own answer.
    Tokenization(VerifiedTokenization),
}

/// What a verified tokenization result proves: the merchant's `requestId` and the `status`.
///
/// ```
/// # fn run(t: greenpay::webhook::VerifiedTokenization) {
/// println!("tokenization {} ended with status {:?}", t.request_id(), t.status());
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedTokenization {
    pub(crate) request_id: String,
    pub(crate) status: Option<i64>,
}

impl VerifiedTokenization {
    /// The `requestId` the tokenization was requested under.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The signed `status` (`200` for a tokenized card).
    pub fn status(&self) -> Option<i64> {
        self.status
    }
}

/// The charges of a verified subscription payment notification.
///
/// ```
/// # fn run(payment: greenpay::webhook::VerifiedSubscriptionPayment) {
/// for charge in payment.charges() {
///     println!("{}: {}", charge.order_reference(), charge.status());
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedSubscriptionPayment {
    pub(crate) charges: Vec<VerifiedCharge>,
}

impl VerifiedSubscriptionPayment {
    /// Every charge of the notification (all of them verified).
    pub fn charges(&self) -> &[VerifiedCharge] {
        &self.charges
    }
}

/// One verified subscription charge: its order reference and `status`, the two fields its
/// signature covers (inferred). Read the amount from
/// [`Subscriptions::confirm_payment`](crate::subscriptions::Subscriptions::confirm_payment),
/// never from the notification.
///
/// ```
/// # fn run(charge: &greenpay::webhook::VerifiedCharge) {
/// if let Some(subscription) = charge.subscription_id() {
///     println!("charge {} of {subscription}", charge.order_reference());
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCharge {
    pub(crate) order_reference: String,
    pub(crate) status: PaymentStatus,
}

impl VerifiedCharge {
    /// The charge's reference, `<subscriptionId>_<n>`.
    pub fn order_reference(&self) -> &str {
        &self.order_reference
    }

    /// The charge's signed `status` (`approved`, …). Not proof of payment for *your* order:
    /// confirm with `subscriptions().confirm_payment`.
    pub fn status(&self) -> &PaymentStatus {
        &self.status
    }

    /// The subscription the reference names (the part before the last `_`), if it has that
    /// shape.
    pub fn subscription_id(&self) -> Option<SubscriptionId> {
        self.order_reference
            .rsplit_once('_')
            .filter(|(id, n)| !id.is_empty() && !n.is_empty())
            .map(|(id, _)| SubscriptionId::new(id))
    }
}

/// The largest notification body parsed: GreenPay's notifications are a few hundred bytes, so
/// anything bigger is refused (as [`ErrorKind::Decode`]) before it is read.
pub const MAX_NOTIFICATION_BYTES: usize = 256 * 1024;

/// Parses a body GreenPay posted, keeping the JSON path of a bad field.
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ErrorKind> {
    payments_common::http::decode_body(StatusCode::OK, body, MAX_NOTIFICATION_BYTES)
}

/// Reads a checkout result (posted to the merchant's `/`) **without verifying it**: for
/// logging and support only; act on [`WebhookVerifier::verify`]. Bodies over
/// [`MAX_NOTIFICATION_BYTES`] are refused (operation `webhook.parse`).
///
/// ```
/// let body = br#"{"status":200,"orderId":"order-1","result":{"success":false}}"#;
/// let unverified = greenpay::webhook::parse_checkout(body)?;
/// assert_eq!(unverified.order_id.as_deref(), Some("order-1"));
/// # Ok::<(), greenpay::Error>(())
/// ```
pub fn parse_checkout(body: &[u8]) -> Result<CheckoutResult, Error> {
    parse(body).map_err(Error::at("webhook.parse"))
}

/// Reads a subscription payment notification (posted to `/subscription/payment/results`)
/// **without verifying it**: for logging and support only; act on
/// [`WebhookVerifier::verify`]. Bodies over [`MAX_NOTIFICATION_BYTES`] are refused (operation
/// `webhook.parse`).
///
/// ```
/// let body = br#"{"approved":[]}"#;
/// assert!(greenpay::webhook::parse_subscription_payment(body)?.approved.is_empty());
/// # Ok::<(), greenpay::Error>(())
/// ```
pub fn parse_subscription_payment(body: &[u8]) -> Result<SubscriptionPaymentNotification, Error> {
    parse(body).map_err(Error::at("webhook.parse"))
}

/// The result of a checkout payment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CheckoutResult {
    /// `status`: `200` for a processed payment (the other values are undocumented).
    #[serde(
        default,
        deserialize_with = "payments_common::serde::int_or_string::deserialize_option"
    )]
    pub status: Option<i64>,
    /// `orderId`: the merchant's order id.
    #[serde(
        rename = "orderId",
        default,
        deserialize_with = "text_or_number::option"
    )]
    pub order_id: Option<String>,
    /// `authorization`: the bank's authorization code.
    #[serde(default, deserialize_with = "text_or_number::option")]
    pub authorization: Option<String>,
    /// `last4`: the card's last four digits.
    #[serde(default, deserialize_with = "text_or_number::option")]
    pub last4: Option<String>,
    /// `brand`: the card brand.
    #[serde(default)]
    pub brand: Option<String>,
    /// `errors`: why the payment failed, if it did.
    #[serde(default, deserialize_with = "crate::envelope::messages")]
    pub errors: Vec<String>,
    /// `callback`: the merchant's callback URL of the order.
    #[serde(default)]
    pub callback: Option<String>,
    /// `result`: the processor's answer (ISO 8583 fields).
    #[serde(default)]
    pub result: Option<ProcessorResult>,
    /// `_signature`: GreenPay's RSA signature, hex.
    #[serde(rename = "_signature", default)]
    pub signature: Option<String>,
}

impl CheckoutResult {
    /// What this notification can tell on its own — **never "paid"**.
    ///
    /// `_signature` covers `status` and `orderId` only (inferred), and GreenPay sends
    /// `status: 200` for declines too: whether the card was charged (`result.success`,
    /// `resp_code`, `errors`) is not signed, so anyone holding a genuine signed decline can flip
    /// `success` to `true` and the signature still verifies. This reading therefore gives
    /// [`CheckoutOutcome::Declined`] when the notification itself reports a decline (reading a
    /// decline as "not paid" never ships an order) and [`CheckoutOutcome::Unconfirmed`]
    /// otherwise, success claims included. GreenPay offers no server-side read of a checkout
    /// order (its public API reads subscriptions and their payments only), so this SDK cannot
    /// confirm a checkout payment for you: check the order in GreenPay's dashboard or your
    /// settlement report before fulfilling it.
    ///
    /// ```
    /// use greenpay::webhook::{CheckoutOutcome, parse_checkout};
    /// let body = br#"{"status":200,"orderId":"order-1","result":{"success":true},"_signature":"ab"}"#;
    /// assert_eq!(parse_checkout(body)?.outcome(), CheckoutOutcome::Unconfirmed);
    /// let body = br#"{"status":200,"orderId":"order-1","result":{"success":false}}"#;
    /// assert_eq!(parse_checkout(body)?.outcome(), CheckoutOutcome::Declined);
    /// # Ok::<(), greenpay::Error>(())
    /// ```
    pub fn outcome(&self) -> CheckoutOutcome {
        let declined = self.result.as_ref().and_then(|r| r.success) == Some(false);
        if declined {
            CheckoutOutcome::Declined
        } else {
            CheckoutOutcome::Unconfirmed
        }
    }

    /// The fields this SDK *guesses* GreenPay signs for a checkout result: `status` and
    /// `orderId` (undocumented; pass your own list to [`WebhookVerifier::verify_fields`] if
    /// GreenPay tells you otherwise).
    pub fn signed_fields(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "status",
                self.status.map(|s| s.to_string()).unwrap_or_default(),
            ),
            ("orderId", self.order_id.clone().unwrap_or_default()),
        ]
    }
}

/// What a checkout notification can say about its payment on its own: never "paid" (see
/// [`CheckoutResult::outcome`]).
///
/// ```
/// use greenpay::PaymentOutcome;
/// use greenpay::webhook::CheckoutOutcome;
/// assert_eq!(PaymentOutcome::from(CheckoutOutcome::Unconfirmed), PaymentOutcome::Pending);
/// assert_eq!(PaymentOutcome::from(CheckoutOutcome::Declined), PaymentOutcome::Failed);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CheckoutOutcome {
    /// The notification reports a decline (`result.success` is `false`). Not signed either,
    /// but a decline read as "not paid" never ships an order.
    Declined,
    /// Anything else, a claimed success included: the signature does not cover the result,
    /// and GreenPay offers no read of a checkout order that would confirm it. Confirm the
    /// payment in GreenPay's dashboard or settlement report before fulfilling.
    Unconfirmed,
}

impl From<CheckoutOutcome> for PaymentOutcome {
    /// `Declined` is [`PaymentOutcome::Failed`], `Unconfirmed` [`PaymentOutcome::Pending`]:
    /// never [`PaymentOutcome::Paid`].
    fn from(outcome: CheckoutOutcome) -> Self {
        match outcome {
            CheckoutOutcome::Declined => PaymentOutcome::Failed,
            CheckoutOutcome::Unconfirmed => PaymentOutcome::Pending,
        }
    }
}

/// What a verified checkout notification proves: **which order** it is about, nothing more
/// (from [`WebhookVerifier::verify`]).
///
/// ```
/// # fn run(verified: greenpay::webhook::VerifiedCheckout) {
/// println!("GreenPay signed a result for order {}", verified.order_id());
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCheckout {
    pub(crate) order_id: String,
    pub(crate) status: Option<i64>,
}

impl VerifiedCheckout {
    /// The `orderId` the signature covers: the merchant's order the notification is about.
    pub fn order_id(&self) -> &str {
        &self.order_id
    }

    /// The `status` the signature covers (`200` for declines too, so it says nothing about
    /// payment).
    pub fn status(&self) -> Option<i64> {
        self.status
    }
}

/// The processor's answer inside a checkout result (`result`), as GreenPay forwards it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProcessorResult {
    /// `success`: whether the payment was approved.
    #[serde(default)]
    pub success: Option<bool>,
    /// `resp_code`: the ISO 8583 response code (`"00"` approved).
    #[serde(default, deserialize_with = "text_or_number::option")]
    pub resp_code: Option<String>,
    /// `authorization_id_resp`: the authorization code.
    #[serde(default, deserialize_with = "text_or_number::option")]
    pub authorization_id_resp: Option<String>,
    /// `retrieval_ref_num`: the retrieval reference number.
    #[serde(default, deserialize_with = "text_or_number::option")]
    pub retrieval_ref_num: Option<String>,
    /// `systems_trace_audit_number`: the STAN.
    #[serde(default, deserialize_with = "text_or_number::option")]
    pub systems_trace_audit_number: Option<String>,
    /// `time_local_tran`: local time of the transaction (`hhmmss`).
    #[serde(default, deserialize_with = "text_or_number::option")]
    pub time_local_tran: Option<String>,
    /// `date_local_tran`: local date of the transaction (`MMDD`).
    #[serde(default, deserialize_with = "text_or_number::option")]
    pub date_local_tran: Option<String>,
    /// `mti`: the message type (`"0210"`).
    #[serde(default, deserialize_with = "text_or_number::option")]
    pub mti: Option<String>,
    /// `proc_code`: the processing code.
    #[serde(default, deserialize_with = "text_or_number::option")]
    pub proc_code: Option<String>,
    /// `network_international_id`: the network id.
    #[serde(default, deserialize_with = "text_or_number::option")]
    pub network_international_id: Option<String>,
    /// `merchant_id`: the processor's merchant number — an **integer** here (485), unlike the
    /// UUID `merchantId` elsewhere; kept as text.
    #[serde(default, deserialize_with = "text_or_number::option")]
    pub merchant_id: Option<String>,
    /// `card_acceptor_terminal_id`: the terminal.
    #[serde(default, deserialize_with = "text_or_number::option")]
    pub card_acceptor_terminal_id: Option<String>,
    /// `reserved_private4`: undocumented.
    #[serde(default, deserialize_with = "text_or_number::option")]
    pub reserved_private4: Option<String>,
}

/// The subscription payment notification: the charges GreenPay made, by result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SubscriptionPaymentNotification {
    /// `approved`: the charges that went through.
    #[serde(default)]
    pub approved: Vec<SubscriptionCharge>,
    /// `rejected`: the charges that failed. **A guess**: GreenPay documents only `approved`;
    /// read when present, empty otherwise.
    #[serde(default)]
    pub rejected: Vec<SubscriptionCharge>,
}

/// One charge of a subscription payment notification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SubscriptionCharge {
    /// `status`: the charge's result (`approved`).
    pub status: PaymentStatus,
    /// `orderStatus`: the subscription's state after it.
    #[serde(rename = "orderStatus", default)]
    pub order_status: Option<SubscriptionStatus>,
    /// `order`: which charge.
    pub order: NotifiedOrder,
    /// `errors`: why it failed, if it did (undocumented; read when present).
    #[serde(default, deserialize_with = "crate::envelope::messages")]
    pub errors: Vec<String>,
    /// `_signature`: a signature of the item, if GreenPay sends one (undocumented).
    #[serde(
        rename = "_signature",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub signature: Option<String>,
}

impl SubscriptionCharge {
    /// The provider-independent reading of [`SubscriptionCharge::status`].
    pub fn outcome(&self) -> PaymentOutcome {
        self.status.outcome()
    }

    /// The fields this SDK *guesses* GreenPay signs for a subscription charge: `status` and
    /// `orderId` = the order reference (undocumented, as for checkout results; pass your own
    /// list to [`WebhookVerifier::verify_fields`] if GreenPay tells you otherwise). Only these are
    /// covered: read amounts from a server-side query, not from the notification.
    pub fn signed_fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("status", self.status.as_str().to_owned()),
            ("orderId", self.order.order_reference.clone()),
        ]
    }
}

/// The charge a notification is about (`order`). Here GreenPay writes `orderReference` in
/// camelCase (the manual payment answer has `order_reference`); both are read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NotifiedOrder {
    /// `orderReference`: the charge's reference (`<subscriptionId>_<n>`).
    #[serde(rename = "orderReference", alias = "order_reference")]
    pub order_reference: String,
    /// `subscriptionId`: the subscription charged.
    #[serde(rename = "subscriptionId")]
    pub subscription_id: SubscriptionId,
    /// `user`: the merchant's customer id.
    #[serde(default)]
    pub user: Option<String>,
    /// `errors`: why this order's charge failed, when GreenPay writes them inside the order
    /// (as the manual payment answer does in `order.errors`); empty otherwise. The charge's
    /// own [`SubscriptionCharge::errors`] are kept apart.
    #[serde(
        default,
        deserialize_with = "crate::envelope::messages",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub errors: Vec<String>,
}
