//! Helpers for testing your own code without a network (feature `test-util`): a
//! `for_tests` constructor on every response and notification type (the identifying fields
//! as arguments, the rest defaulted; set the public fields afterwards), and [`TestSigner`],
//! a fixed RSA test key that signs notifications the crate's own [`WebhookVerifier`] accepts.
//!
//! ```
//! use greenpay::test_util::TestSigner;
//! use greenpay::VerifiedEvent;
//!
//! let signer = TestSigner::new();
//! let (headers, body) = signer.checkout_notification("order-42", 200);
//! match signer.verifier().verify(&headers, &body)? {
//!     VerifiedEvent::Checkout(checkout) => assert_eq!(checkout.order_id(), "order-42"),
//!     other => panic!("{other:?}"),
//! }
//! # Ok::<(), greenpay::Error>(())
//! ```
//!
//! The key is published in this crate's source: it proves nothing outside tests.

use crate::webhook::VerifiedTokenization;
use payments_common::signature::to_hex;
use payments_common::{Currency, HeaderMap, Money};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer};

use crate::subscriptions::{
    AttemptResult, CreatedSubscription, CreationResult, InitialPaymentResult, ManualPaymentResult,
    Page, PaymentAttempt, PaymentOrder, PaymentStatus, PurchaseOrder, ScheduledCharge,
    SubscriptionPayment, SubscriptionRecord, SubscriptionStatus, SubscriptionSummary,
};
use crate::webhook::{
    CheckoutResult, NotifiedOrder, ProcessorResult, SubscriptionCharge,
    SubscriptionPaymentNotification, VerifiedCharge, VerifiedCheckout, VerifiedSubscriptionPayment,
    signed_string,
};
use crate::{SubscriptionId, WebhookVerifier};

/// The test key's private half (PKCS#8 PEM, 1024 bits like GreenPay's keys).
const TEST_PRIVATE_KEY: &str = "-----BEGIN PRIVATE KEY-----\nMIICdQIBADANBgkqhkiG9w0BAQEFAASCAl8wggJbAgEAAoGBAMB8GZe+ba5dDD4n\nsdRBfSzCbgzyuFi1T0GSKvG1aGE0nSpdpnNuZ9MDrN7+fBO5/zelb47Yo+HuXsDf\nV/pjEh51HpqjDamhcFCGjOZkooeYEmsAFrNSOmInQL8TaN4sLi7slhoaBdiGeGIs\nYKf5U6YQmTV0TckZ4hdaQezpqvrjAgMBAAECgYBdm/zWT0YIBjhuAd/52d+GZQgg\nQ+pjOcnRmcRIyHB61ZuZfvH0MT1M4fywdhLhhRMZfNtEHReWSNbL9dJTctrcHE/j\n7dYbNCa+s6alYl72FPMgAVdFCKe6mtjgfSx4IBJ816m8Gm57T/IWhRkQCGOW23nh\nZM7QrVDrfQxTQ+WQAQJBAPLgrw1Wgws5HnSQpUPwD9RvG6sJtQ4bWzkSVgCWn56g\nqsah2A1/S6fbBDMNdiahZCvV1Q53lwbW+Ik1ZqQRSzMCQQDK4mqTMWxqgVNFmuWN\npGRTwbpZO7icsYHE5nrjbIwTH0ajEvFPAsb4d4gyhF/RxIMvrlNMxlglR5RsXBJ6\nmxGRAkBeYx0EhPNmYCtKx4/CaD/uocNR4/Ld6Zm5Azwy/FZJ8kyL5wesryS6te3a\n3UdmWeAw/OfQuH8T5GUwBXW/Gw1rAkBjC2mv9f7Rd9UpM9dA8LIx2W+ZxHf5twZ9\nE2+GuyUe6LPZRJQdWGO+RMxurQUCKQdKLbZo0qORf4JL7B7xT+ahAkAYCej9nbtg\n0wn64hG7eqtDA13W4kXzJrtE/ovQ5AF5NT++7pJwok10rUf9GtQMm8JZ1+raQxHS\nxxBWd79+ev3q\n-----END PRIVATE KEY-----";

/// The test key's public half as GreenPay publishes its own: bare base64 DER.
///
/// ```
/// assert!(greenpay::WebhookVerifier::new(greenpay::test_util::TEST_PUBLIC_KEY).is_ok());
/// ```
pub const TEST_PUBLIC_KEY: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDAfBmXvm2uXQw+J7HUQX0swm4M8rhYtU9BkirxtWhhNJ0qXaZzbmfTA6ze/nwTuf83pW+O2KPh7l7A31f6YxIedR6aow2poXBQhozmZKKHmBJrABazUjpiJ0C/E2jeLC4u7JYaGgXYhnhiLGCn+VOmEJk1dE3JGeIXWkHs6ar64wIDAQAB";

/// Signs GreenPay notifications with the fixed test key ([`TEST_PUBLIC_KEY`]), exactly as
/// the crate's verifier expects: RSA PKCS#1 v1.5 over SHA-256 of [`signed_string`], in hex.
///
/// ```
/// use greenpay::test_util::TestSigner;
/// let signer = TestSigner::new();
/// let (headers, body) = signer.subscription_payment_notification(&[("9541b344c3d45d421acd454d61251cde_2", "approved")]);
/// assert!(signer.verifier().verify(&headers, &body).is_ok());
/// ```
#[derive(Clone)]
pub struct TestSigner {
    key: SigningKey<Sha256>,
}

impl std::fmt::Debug for TestSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TestSigner(test key)")
    }
}

impl Default for TestSigner {
    fn default() -> Self {
        TestSigner::new()
    }
}

impl TestSigner {
    /// The signer of the fixed test key.
    ///
    /// ```
    /// let signer = greenpay::test_util::TestSigner::new();
    /// ```
    #[allow(clippy::expect_used)]
    pub fn new() -> Self {
        // The constant is a valid key (the unit test below reads it): a failure is a bug of
        // this crate's test helpers, never a runtime condition.
        let key = rsa::RsaPrivateKey::from_pkcs8_pem(TEST_PRIVATE_KEY)
            .expect("the test key constant is a PKCS#8 RSA key");
        TestSigner {
            key: SigningKey::<Sha256>::new(key),
        }
    }

    /// A verifier of this signer's key.
    ///
    /// ```
    /// let verifier = greenpay::test_util::TestSigner::new().verifier();
    /// ```
    #[allow(clippy::expect_used)]
    pub fn verifier(&self) -> WebhookVerifier {
        WebhookVerifier::new(TEST_PUBLIC_KEY).expect("the test public key is valid")
    }

    /// The hex `_signature` of `fields` (`k1:v1,k2:v2`).
    ///
    /// ```
    /// let signer = greenpay::test_util::TestSigner::new();
    /// assert_eq!(signer.sign(&[("status", "200")]).len(), 256);
    /// ```
    pub fn sign<K: AsRef<str>, V: AsRef<str>>(&self, fields: &[(K, V)]) -> String {
        to_hex(&self.key.sign(signed_string(fields).as_bytes()).to_vec())
    }

    /// A checkout result for `order_id` with `status` (`200` for a processed payment), signed
    /// over `status` and `orderId`: the headers (none are needed) and the body, as GreenPay
    /// would post them.
    ///
    /// ```
    /// let (_, body) = greenpay::test_util::TestSigner::new().checkout_notification("order-1", 200);
    /// assert!(String::from_utf8(body).unwrap().contains("order-1"));
    /// ```
    pub fn checkout_notification(&self, order_id: &str, status: i64) -> (HeaderMap, Vec<u8>) {
        let status_text = status.to_string();
        let signature = self.sign(&[("status", status_text.as_str()), ("orderId", order_id)]);
        let body = serde_json::json!({
            "status": status,
            "orderId": order_id,
            "authorization": "123456",
            "last4": "4242",
            "brand": "VISA",
            "result": {"success": status == 200, "resp_code": "00"},
            "_signature": signature,
        });
        (HeaderMap::new(), body.to_string().into_bytes())
    }

    /// A subscription payment notification with one charge per `(order_reference, status)`
    /// (`approved` charges under `approved`, the others under `rejected`), each signed over
    /// `status` and `orderId`.
    ///
    /// ```
    /// let signer = greenpay::test_util::TestSigner::new();
    /// let (headers, body) = signer.subscription_payment_notification(&[("9541b344c3d45d421acd454d61251cde_1", "rejected")]);
    /// assert!(signer.verifier().verify(&headers, &body).is_ok());
    /// ```
    pub fn subscription_payment_notification(
        &self,
        charges: &[(&str, &str)],
    ) -> (HeaderMap, Vec<u8>) {
        let mut approved = Vec::new();
        let mut rejected = Vec::new();
        for (reference, status) in charges {
            let subscription = reference.rsplit_once('_').map_or(*reference, |(id, _)| id);
            let charge = serde_json::json!({
                "status": status,
                "orderStatus": "ACTIVE",
                "order": {"orderReference": reference, "subscriptionId": subscription},
                "_signature": self.sign(&[("status", *status), ("orderId", *reference)]),
            });
            if *status == "approved" {
                approved.push(charge);
            } else {
                rejected.push(charge);
            }
        }
        let body = serde_json::json!({"approved": approved, "rejected": rejected});
        (HeaderMap::new(), body.to_string().into_bytes())
    }
}

impl CreatedSubscription {
    /// A creation answer for `subscription_id`, without an initial payment.
    ///
    /// ```
    /// let created = greenpay::subscriptions::CreatedSubscription::for_tests("9541b344c3d45d421acd454d61251cde");
    /// assert_eq!(created.subscription_id.as_str(), "9541b344c3d45d421acd454d61251cde");
    /// ```
    pub fn for_tests(subscription_id: &str) -> Self {
        CreatedSubscription {
            subscription_id: SubscriptionId::new(subscription_id),
            next_payment_date: None,
            result: CreationResult::default(),
            errors: Vec::new(),
            signature: None,
        }
    }
}

impl CreationResult {
    /// A creation result: `success` and no initial payment.
    ///
    /// ```
    /// assert_eq!(greenpay::subscriptions::CreationResult::for_tests(true).success, Some(true));
    /// ```
    pub fn for_tests(success: bool) -> Self {
        CreationResult {
            success: Some(success),
            initial_payment: None,
        }
    }
}

impl InitialPaymentResult {
    /// An initial charge `order_id` (`<subscriptionId>_0`), authorized.
    ///
    /// ```
    /// let r = greenpay::subscriptions::InitialPaymentResult::for_tests("s_0");
    /// assert_eq!(r.order_id, "s_0");
    /// ```
    pub fn for_tests(order_id: &str) -> Self {
        InitialPaymentResult {
            order_id: order_id.to_owned(),
            authorization: Some("123456".to_owned()),
            errors: Vec::new(),
        }
    }
}

impl ManualPaymentResult {
    /// A manual payment of `amount` with `status`, charge `<subscription_id>_1`.
    ///
    /// ```
    /// use greenpay::subscriptions::{ManualPaymentResult, PaymentStatus};
    /// use greenpay::{Currency, Money};
    /// let amount = Money::from_minor_units(10000, Currency::USD);
    /// let paid = ManualPaymentResult::for_tests("9541b344c3d45d421acd454d61251cde", PaymentStatus::Approved, amount);
    /// assert_eq!(paid.order.order_reference, "9541b344c3d45d421acd454d61251cde_1");
    /// ```
    pub fn for_tests(subscription_id: &str, status: PaymentStatus, amount: Money) -> Self {
        ManualPaymentResult {
            status,
            order_status: SubscriptionStatus::Active,
            merchant_id: None,
            order: PaymentOrder::for_tests(
                &format!("{subscription_id}_1"),
                subscription_id,
                amount,
            ),
            signature: None,
        }
    }
}

impl PaymentOrder {
    /// The charge `order_reference` of `subscription_id` for `amount`.
    ///
    /// ```
    /// use greenpay::{Currency, Money, subscriptions::PaymentOrder};
    /// let o = PaymentOrder::for_tests("s_1", "s", Money::from_minor_units(500, Currency::CRC));
    /// assert_eq!(o.currency, Currency::CRC);
    /// ```
    pub fn for_tests(order_reference: &str, subscription_id: &str, amount: Money) -> Self {
        PaymentOrder {
            order_reference: order_reference.to_owned(),
            subscription_id: SubscriptionId::new(subscription_id),
            user: None,
            amount,
            currency: amount.currency(),
            date: None,
            authorization: Some("123456".to_owned()),
            details: None,
            errors: Vec::new(),
            reason: Some("Manual payment".to_owned()),
        }
    }
}

impl SubscriptionRecord {
    /// A record `id` in `status`, one monthly charge of 10 USD.
    ///
    /// ```
    /// use greenpay::subscriptions::{SubscriptionRecord, SubscriptionStatus};
    /// let r = SubscriptionRecord::for_tests("3", SubscriptionStatus::Cancelled);
    /// assert!(r.amount().is_some());
    /// ```
    pub fn for_tests(id: &str, status: SubscriptionStatus) -> Self {
        SubscriptionRecord {
            id: id.to_owned(),
            merchant_id: None,
            status,
            user_id: None,
            user_type: None,
            card_tokens: Vec::new(),
            purchase_order: Some(PurchaseOrder::for_tests(Currency::USD)),
        }
    }
}

impl PurchaseOrder {
    /// A purchase order in `currency` with one monthly charge of 10 units.
    ///
    /// ```
    /// let p = greenpay::subscriptions::PurchaseOrder::for_tests(greenpay::Currency::USD);
    /// assert_eq!(p.subscription.len(), 1);
    /// ```
    pub fn for_tests(currency: Currency) -> Self {
        PurchaseOrder {
            currency,
            optional: None,
            terminal: None,
            description: None,
            subscription: vec![ScheduledCharge::for_tests(Money::from_minor_units(
                1000, currency,
            ))],
        }
    }
}

impl ScheduledCharge {
    /// A monthly charge of `amount`.
    ///
    /// ```
    /// use greenpay::{Currency, Money, subscriptions::ScheduledCharge};
    /// let c = ScheduledCharge::for_tests(Money::from_minor_units(1000, Currency::USD));
    /// assert!(c.cadence.is_some());
    /// ```
    pub fn for_tests(amount: Money) -> Self {
        ScheduledCharge {
            amount,
            cadence: Some(crate::subscriptions::Cadence::monthly()),
            start_date: None,
            end_date: None,
        }
    }
}

impl<T> Page<T> {
    /// A single page holding `entries`.
    ///
    /// ```
    /// let page = greenpay::subscriptions::Page::for_tests(vec![1, 2]);
    /// assert_eq!(page.total_entries, Some(2));
    /// ```
    pub fn for_tests(entries: Vec<T>) -> Self {
        let total = i64::try_from(entries.len()).unwrap_or(i64::MAX);
        Page {
            entries,
            page: Some(1),
            total_entries: Some(total),
            total_pages: Some(1),
        }
    }
}

impl SubscriptionSummary {
    /// Subscription `id` in `status`, charging `amount` monthly.
    ///
    /// ```
    /// use greenpay::subscriptions::{SubscriptionStatus, SubscriptionSummary};
    /// use greenpay::{Currency, Money};
    /// let amount = Money::from_minor_units(1000, Currency::USD);
    /// let s = SubscriptionSummary::for_tests("9541b344c3d45d421acd454d61251cde", SubscriptionStatus::Active, amount);
    /// assert_eq!(s.currency, Currency::USD);
    /// ```
    pub fn for_tests(id: &str, status: SubscriptionStatus, amount: Money) -> Self {
        SubscriptionSummary {
            id: SubscriptionId::new(id),
            status,
            user_id: None,
            description: None,
            currency: amount.currency(),
            amount,
            start_date: None,
            end_date: None,
            cadence: Some(crate::subscriptions::Cadence::monthly()),
            next_payment_date: None,
        }
    }
}

impl SubscriptionPayment {
    /// The paid charge `reference_number` of `amount` (`payment_result.status` 200).
    ///
    /// ```
    /// use greenpay::{Currency, Money, PaymentOutcome, subscriptions::SubscriptionPayment};
    /// let p = SubscriptionPayment::for_tests("s_2", Money::from_minor_units(1000, Currency::USD));
    /// assert_eq!(p.outcome(), PaymentOutcome::Paid);
    /// ```
    pub fn for_tests(reference_number: &str, amount: Money) -> Self {
        SubscriptionPayment {
            id: "1".to_owned(),
            reference_number: Some(reference_number.to_owned()),
            payment_date: None,
            payment_result: Some(AttemptResult::for_tests(reference_number, 200, amount)),
            payment_retries: Vec::new(),
        }
    }
}

impl PaymentAttempt {
    /// An attempt whose result is `result`.
    ///
    /// ```
    /// use greenpay::{Currency, Money, subscriptions::{AttemptResult, PaymentAttempt}};
    /// let failed = AttemptResult::for_tests("s_2", 400, Money::from_minor_units(1000, Currency::USD));
    /// assert!(PaymentAttempt::for_tests(failed).result.is_some());
    /// ```
    pub fn for_tests(result: AttemptResult) -> Self {
        PaymentAttempt {
            date: None,
            result: Some(result),
        }
    }
}

impl AttemptResult {
    /// The result of charge `order_id`: `status` (200 is paid) for `amount`.
    ///
    /// ```
    /// use greenpay::{Currency, Money, PaymentOutcome, subscriptions::AttemptResult};
    /// let r = AttemptResult::for_tests("s_2", 200, Money::from_minor_units(1000, Currency::USD));
    /// assert_eq!(r.outcome(), PaymentOutcome::Paid);
    /// ```
    pub fn for_tests(order_id: &str, status: i64, amount: Money) -> Self {
        AttemptResult {
            status: Some(status),
            order_id: Some(order_id.to_owned()),
            authorization: (status == 200).then(|| "123456".to_owned()),
            amount: Some(amount),
            currency: Some(amount.currency()),
            errors: Vec::new(),
        }
    }
}

impl CheckoutResult {
    /// An unverified checkout result for `order_id` whose processor reported `success`.
    ///
    /// ```
    /// use greenpay::webhook::{CheckoutOutcome, CheckoutResult};
    /// assert_eq!(CheckoutResult::for_tests("order-1", false).outcome(), CheckoutOutcome::Declined);
    /// ```
    pub fn for_tests(order_id: &str, success: bool) -> Self {
        CheckoutResult {
            status: Some(200),
            order_id: Some(order_id.to_owned()),
            authorization: None,
            last4: Some("4242".to_owned()),
            brand: Some("VISA".to_owned()),
            errors: Vec::new(),
            callback: None,
            result: Some(ProcessorResult::for_tests(success)),
            signature: None,
        }
    }
}

impl ProcessorResult {
    /// A processor answer: `success`, response code `00` or `05`.
    ///
    /// ```
    /// let r = greenpay::webhook::ProcessorResult::for_tests(true);
    /// assert_eq!(r.resp_code.as_deref(), Some("00"));
    /// ```
    pub fn for_tests(success: bool) -> Self {
        ProcessorResult {
            success: Some(success),
            resp_code: Some(if success { "00" } else { "05" }.to_owned()),
            authorization_id_resp: None,
            retrieval_ref_num: None,
            systems_trace_audit_number: None,
            time_local_tran: None,
            date_local_tran: None,
            mti: Some("0210".to_owned()),
            proc_code: None,
            network_international_id: None,
            merchant_id: None,
            card_acceptor_terminal_id: None,
            reserved_private4: None,
        }
    }
}

impl SubscriptionPaymentNotification {
    /// An unverified notification listing `approved` charges.
    ///
    /// ```
    /// use greenpay::subscriptions::PaymentStatus;
    /// use greenpay::webhook::{SubscriptionCharge, SubscriptionPaymentNotification};
    /// let charge = SubscriptionCharge::for_tests("s_1", PaymentStatus::Approved);
    /// assert_eq!(SubscriptionPaymentNotification::for_tests(vec![charge]).approved.len(), 1);
    /// ```
    pub fn for_tests(approved: Vec<SubscriptionCharge>) -> Self {
        SubscriptionPaymentNotification {
            approved,
            rejected: Vec::new(),
        }
    }
}

impl SubscriptionCharge {
    /// An unsigned charge `order_reference` (`<subscriptionId>_<n>`) with `status`.
    ///
    /// ```
    /// use greenpay::{PaymentOutcome, subscriptions::PaymentStatus, webhook::SubscriptionCharge};
    /// assert_eq!(SubscriptionCharge::for_tests("s_1", PaymentStatus::Approved).outcome(), PaymentOutcome::Paid);
    /// ```
    pub fn for_tests(order_reference: &str, status: PaymentStatus) -> Self {
        SubscriptionCharge {
            status,
            order_status: Some(SubscriptionStatus::Active),
            order: NotifiedOrder::for_tests(order_reference),
            errors: Vec::new(),
            signature: None,
        }
    }
}

impl NotifiedOrder {
    /// The order `order_reference` (`<subscriptionId>_<n>`; the subscription id is the part
    /// before the last `_`).
    ///
    /// ```
    /// let o = greenpay::webhook::NotifiedOrder::for_tests("sub_3");
    /// assert_eq!(o.subscription_id.as_str(), "sub");
    /// ```
    pub fn for_tests(order_reference: &str) -> Self {
        let subscription = order_reference
            .rsplit_once('_')
            .map_or(order_reference, |(id, _)| id);
        NotifiedOrder {
            order_reference: order_reference.to_owned(),
            subscription_id: SubscriptionId::new(subscription),
            user: None,
            errors: Vec::new(),
        }
    }
}

impl VerifiedCheckout {
    /// What a verified checkout result for `order_id` with `status` proves.
    ///
    /// ```
    /// let v = greenpay::webhook::VerifiedCheckout::for_tests("order-1", 200);
    /// assert_eq!(v.order_id(), "order-1");
    /// ```
    pub fn for_tests(order_id: &str, status: i64) -> Self {
        VerifiedCheckout {
            order_id: order_id.to_owned(),
            status: Some(status),
        }
    }
}

impl VerifiedSubscriptionPayment {
    /// A verified notification of `charges`.
    ///
    /// ```
    /// use greenpay::subscriptions::PaymentStatus;
    /// use greenpay::webhook::{VerifiedCharge, VerifiedSubscriptionPayment};
    /// let charge = VerifiedCharge::for_tests("s_1", PaymentStatus::Approved);
    /// assert_eq!(VerifiedSubscriptionPayment::for_tests(vec![charge]).charges().len(), 1);
    /// ```
    pub fn for_tests(charges: Vec<VerifiedCharge>) -> Self {
        VerifiedSubscriptionPayment { charges }
    }
}

impl VerifiedCharge {
    /// A verified charge `order_reference` with `status`.
    ///
    /// ```
    /// use greenpay::subscriptions::PaymentStatus;
    /// let c = greenpay::webhook::VerifiedCharge::for_tests("sub_1", PaymentStatus::Approved);
    /// assert_eq!(c.subscription_id().unwrap().as_str(), "sub");
    /// ```
    pub fn for_tests(order_reference: &str, status: PaymentStatus) -> Self {
        VerifiedCharge {
            order_reference: order_reference.to_owned(),
            status,
        }
    }
}

impl VerifiedTokenization {
    /// A verified tokenization result for `request_id` with `status`.
    ///
    /// ```
    /// let t = greenpay::webhook::VerifiedTokenization::for_tests("req-1", 200);
    /// assert_eq!(t.request_id(), "req-1");
    /// ```
    pub fn for_tests(request_id: &str, status: i64) -> Self {
        VerifiedTokenization {
            request_id: request_id.to_owned(),
            status: Some(status),
        }
    }
}

impl crate::orders::OrderSession {
    /// An order session `session` (token `test-token`).
    ///
    /// ```
    /// let s = greenpay::orders::OrderSession::for_tests("sess-1");
    /// assert_eq!(s.session, "sess-1");
    /// ```
    pub fn for_tests(session: &str) -> Self {
        crate::orders::OrderSession {
            session: session.to_owned(),
            token: crate::orders::SessionToken::new("test-token"),
            status_code: None,
            message: None,
        }
    }
}

impl crate::orders::TokenPaymentResult {
    /// A token payment answer for `order_id`: charged (`success`) or declined.
    ///
    /// ```
    /// use greenpay::{PaymentOutcome, orders::TokenPaymentResult};
    /// assert_eq!(TokenPaymentResult::for_tests("order-7", false).outcome(), PaymentOutcome::Failed);
    /// ```
    pub fn for_tests(order_id: &str, success: bool) -> Self {
        crate::orders::TokenPaymentResult {
            status: Some(200),
            order_id: Some(order_id.to_owned()),
            authorization: success.then(|| "123456".to_owned()),
            last4: Some("4242".to_owned()),
            brand: Some("VISA".to_owned()),
            errors: if success {
                Vec::new()
            } else {
                vec!["Card declined.".to_owned()]
            },
            success: Some(success),
            signature: None,
        }
    }
}

impl crate::cards::TokenizedCard {
    /// A tokenized card `token` for request `request_id`, ending in 4242.
    ///
    /// ```
    /// let t = greenpay::cards::TokenizedCard::for_tests("tok-1", "req-1");
    /// assert_eq!(t.token.as_str(), "tok-1");
    /// ```
    pub fn for_tests(token: &str, request_id: &str) -> Self {
        crate::cards::TokenizedCard {
            token: crate::CardToken::new(token),
            last_digits: Some("4242".to_owned()),
            bin: Some("424242".to_owned()),
            expiration_date: Some("3012".to_owned()),
            brand: Some("VISA".to_owned()),
            nickname: None,
            request_id: Some(request_id.to_owned()),
            status: Some(200),
            signature: None,
        }
    }
}

impl TestSigner {
    /// A tokenization result (`/newCard`) for `request_id` with `token`, signed over `status`
    /// and `requestId`.
    ///
    /// ```
    /// let signer = greenpay::test_util::TestSigner::new();
    /// let (headers, body) = signer.tokenization_notification("req-1", "tok-1");
    /// assert!(signer.verifier().verify(&headers, &body).is_ok());
    /// ```
    pub fn tokenization_notification(&self, request_id: &str, token: &str) -> (HeaderMap, Vec<u8>) {
        let body = serde_json::json!({
            "status": 200,
            "requestId": request_id,
            "result": {"token": token, "last_digits": "4242", "bin": "424242"},
            "expiration_date": "3012",
            "brand": "VISA",
            "errors": [],
            "_signature": self.sign(&[("status", "200"), ("requestId", request_id)]),
        });
        (HeaderMap::new(), body.to_string().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signer_signs_what_the_verifier_accepts_and_nothing_else() {
        let signer = TestSigner::new();
        let verifier = signer.verifier();
        let (headers, body) = signer.checkout_notification("order-9", 200);
        assert!(verifier.verify(&headers, &body).is_ok());
        let tampered = String::from_utf8(body)
            .unwrap()
            .replace("order-9", "order-8");
        assert!(verifier.verify(&headers, tampered.as_bytes()).is_err());
    }
}
