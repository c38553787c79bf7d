//! Helpers for testing your own code against this crate without a network (feature
//! `test-util`): constructors for every response and notification type, and a signer that
//! produces notifications [`WebhookVerifier`] accepts.
//!
//! ```
//! use tspay::{ChargeState, Currency, Money, Notification, OrderKey};
//!
//! let mut charge = tspay::Charge::for_tests(Money::from_minor_units(1450, Currency::EUR), ChargeState::Active);
//! charge.order_key = Some(OrderKey::new("ok_1"));
//! let notification = Notification::for_tests(charge);
//! let body = serde_json::to_vec(&notification)?;
//! let (headers, body) = tspay::test_util::sign_notification("whsec_test", &body);
//! let verified = tspay::WebhookVerifier::new("whsec_test")?.verify(&headers, &body)?;
//! assert_eq!(verified, notification);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use payments_common::{HeaderMap, Money, ProviderUrl, SecretString};

use crate::charges::{Charge, ChargeState, OrderCharges};
use crate::ids::OrderKey;
use crate::link::LinkCreated;
use crate::webhook::{
    EventEntity, Notification, NotificationEvent, SIGNATURE_HEADER, WebhookVerifier,
};

/// `(headers, body)` of a notification signed with `secret` as TS Pay signs it:
/// `X-Message-Hash` set to the lower-case hex HMAC-SHA256 of the body.
///
/// # Panics
///
/// When `secret` is not a usable webhook secret (empty, or with whitespace): a test helper.
///
/// ```
/// let (headers, body) = tspay::test_util::sign_notification("whsec_test", br#"{"event":{"entity":"tspay_charge"},"payload":{"amount":1,"state":"pending"}}"#);
/// assert_eq!(headers["x-message-hash"].len(), 64);
/// assert!(tspay::WebhookVerifier::new("whsec_test")?.verify(&headers, &body).is_ok());
/// # Ok::<(), tspay::Error>(())
/// ```
#[allow(clippy::expect_used)]
pub fn sign_notification(secret: impl Into<SecretString>, body: &[u8]) -> (HeaderMap, Vec<u8>) {
    let verifier = WebhookVerifier::new(secret).expect("a usable webhook secret");
    let mut headers = HeaderMap::new();
    headers.insert(
        SIGNATURE_HEADER,
        verifier
            .sign(body)
            .parse()
            .expect("hex is a valid header value"),
    );
    (headers, body.to_vec())
}

impl LinkCreated {
    /// A created link: its order key and the URL to send the customer to.
    ///
    /// ```
    /// let link = tspay::LinkCreated::for_tests("ok_1", "https://pay.example.com/ok_1");
    /// assert_eq!(link.order_key.as_str(), "ok_1");
    /// ```
    pub fn for_tests(order_key: impl Into<String>, url: impl Into<String>) -> Self {
        LinkCreated {
            order_key: OrderKey::new(order_key.into()),
            url: ProviderUrl::new(url),
        }
    }
}

impl Charge {
    /// A charge of `amount` in `state`; every other field empty (set the public fields).
    ///
    /// ```
    /// use tspay::{Charge, ChargeState, Currency, Money, PaymentOutcome};
    /// let c = Charge::for_tests(Money::from_minor_units(1450, Currency::EUR), ChargeState::Active);
    /// assert_eq!(c.outcome(), PaymentOutcome::Paid);
    /// ```
    pub fn for_tests(amount: Money, state: ChargeState) -> Self {
        Charge {
            charge_key: None,
            order_key: None,
            amount,
            state,
            pay_method: None,
            created_on: None,
            modified_on: None,
        }
    }
}

impl OrderCharges {
    /// The charges of an order, as [`Charges::of_order`](crate::Charges::of_order) returns them.
    ///
    /// ```
    /// use tspay::{Charge, ChargeState, Currency, Money, OrderCharges, PaymentOutcome};
    /// let c = OrderCharges::for_tests(vec![Charge::for_tests(Money::from_minor_units(5, Currency::EUR), ChargeState::Failed)]);
    /// assert_eq!(c.outcome(), PaymentOutcome::Failed);
    /// ```
    pub fn for_tests(charges: Vec<Charge>) -> Self {
        OrderCharges { charges }
    }
}

impl NotificationEvent {
    /// A charge event (`entity` `tspay_charge`) with `state`.
    ///
    /// ```
    /// let e = tspay::NotificationEvent::for_tests(tspay::ChargeState::Active);
    /// assert_eq!(e.entity, tspay::EventEntity::Charge);
    /// ```
    pub fn for_tests(state: ChargeState) -> Self {
        NotificationEvent {
            entity: EventEntity::Charge,
            state: Some(state),
        }
    }
}

impl Notification {
    /// A charge notification about `payload`, its event carrying the charge's state; no
    /// `merchantRef` (set the public fields).
    ///
    /// ```
    /// use tspay::{Charge, ChargeState, Currency, Money, Notification};
    /// let n = Notification::for_tests(Charge::for_tests(Money::from_minor_units(1, Currency::EUR), ChargeState::Refunded));
    /// assert_eq!(n.outcome(), tspay::PaymentOutcome::Refunded);
    /// ```
    pub fn for_tests(payload: Charge) -> Self {
        Notification {
            event: NotificationEvent::for_tests(payload.state.clone()),
            merchant_ref: None,
            payload,
        }
    }
}

impl crate::ApiKeyIssued {
    /// An issued key in state `init`, with its activation URL; no `authKey`.
    ///
    /// ```
    /// let issued = tspay::ApiKeyIssued::for_tests("tsk_test_1", "https://pay.example.com/activate/1");
    /// assert_eq!(issued.state, Some(tspay::ApiKeyState::Init));
    /// ```
    pub fn for_tests(api_key: impl Into<SecretString>, login_url: impl Into<String>) -> Self {
        crate::ApiKeyIssued {
            api_key: api_key.into(),
            auth_key: None,
            login_url: ProviderUrl::new(login_url),
            state: Some(crate::ApiKeyState::Init),
        }
    }
}

impl crate::AuthInfo {
    /// What `GET /auth/` says about a working API key of merchant `merchant_ref`.
    ///
    /// ```
    /// let info = tspay::AuthInfo::for_tests("MERCHANT1");
    /// assert_eq!(info.auth_type, Some(tspay::AuthType::ApiKey));
    /// ```
    pub fn for_tests(merchant_ref: impl Into<String>) -> Self {
        crate::AuthInfo {
            auth_type: Some(crate::AuthType::ApiKey),
            app_ref: None,
            merchant_ref: Some(crate::MerchantRef::new(merchant_ref.into())),
            state: None,
        }
    }
}

impl crate::WebhookRegistered {
    /// A registration answer carrying `secret`; no id, no echoed fields.
    ///
    /// ```
    /// let registered = tspay::WebhookRegistered::for_tests("whsec_test");
    /// assert!(tspay::WebhookVerifier::new(registered.secret).is_ok());
    /// ```
    pub fn for_tests(secret: impl Into<SecretString>) -> Self {
        crate::WebhookRegistered {
            secret: secret.into(),
            id: None,
            event: None,
            endpoint: None,
        }
    }
}
