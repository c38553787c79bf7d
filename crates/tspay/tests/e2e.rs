//! End-to-end: every public operation of the SDK against the local sandbox
//! (`payments-sandbox`): pay and save links in both path styles, the charges of an order before
//! and after the customer acts, a payment confirmed for its order (and a paid key of another
//! order refused), webhooks delivered by the sandbox and verified with the SDK's verifier, and
//! the error mapping of a wrong API key or item id.
#![cfg(feature = "webhooks")]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use payments_sandbox::{RunningSandbox, Sandbox, SandboxConfig};
use tspay::{
    ChargeState, Client, Credentials, Currency, ErrorKind, ExpectedPayment, Money, OrderKey,
    PathStyle, PayLinkRequest, PaymentOutcome, PaymentVerdict, SaveLinkRequest, SecretString,
    SourceType, Template,
};
use tspay::{EventEntity, WebhookVerifier};

async fn sandbox() -> RunningSandbox {
    Sandbox::start(SandboxConfig::new()).await.unwrap()
}

/// A client of the `/orders/…` routes ([`PathStyle::Direct`], the default).
fn client(sandbox: &RunningSandbox) -> Client {
    let key = Credentials::new(sandbox.tspay_credentials().api_key.clone());
    Client::builder(key)
        .base_url(sandbox.tspay_url())
        .build()
        .unwrap()
}

/// A client of the documented `/{itemId}/…` routes.
fn item_client(sandbox: &RunningSandbox) -> Client {
    let c = sandbox.tspay_credentials();
    Client::builder(Credentials::new(c.api_key.clone()))
        .base_url(sandbox.tspay_url())
        .item_id(c.item_id.as_str())
        .build()
        .unwrap()
}

fn eur(text: &str) -> Money {
    Money::parse(text, Currency::EUR).unwrap()
}

const CALLBACK: &str = "http://127.0.0.1:9/shop/return?order=42";
const CANCEL: &str = "http://127.0.0.1:9/shop/cancel?order=42";

fn pay_request(amount: &str) -> PayLinkRequest {
    PayLinkRequest::new(
        Template::new("Shop S.r.l.", "Ordine 42").payment_ref("Ordine #42"),
        eur(amount),
    )
    .callback_url(CALLBACK)
    .cancel_url(CANCEL)
    .external_ref("order-42")
    .metadata("order_id", "42")
}

/// Submits the hosted page's form without following the redirect.
async fn decide(page: &tspay::ProviderUrl, decision: &str) -> (u16, Option<String>) {
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(page.as_str())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("decision={decision}"))
        .send()
        .await
        .unwrap();
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    (response.status().as_u16(), location)
}

/// What the merchant endpoint received: headers and raw body of each POST.
type Store = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// A merchant webhook endpoint recording every POST (headers and raw body); answers 200.
struct Hook {
    url: String,
    received: Store,
}

impl Hook {
    async fn start() -> Self {
        async fn record(State(store): State<Store>, headers: HeaderMap, body: Bytes) -> StatusCode {
            store.lock().unwrap().push((headers, body));
            StatusCode::OK
        }
        let received = Store::default();
        let app = Router::new()
            .route("/tspay/webhook", post(record))
            .with_state(received.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/tspay/webhook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Hook { url, received }
    }

    /// Everything received so far (the sandbox delivers before it redirects the customer).
    fn take(&self) -> Vec<(HeaderMap, Bytes)> {
        std::mem::take(&mut *self.received.lock().unwrap())
    }
}

#[tokio::test]
async fn pay_link_direct_style_paid_with_verified_webhook() {
    let sandbox = sandbox().await;
    let hook = Hook::start().await;
    let verifier = WebhookVerifier::new(SecretString::from(
        sandbox.register_tspay_webhook(&hook.url),
    ))
    .unwrap();
    let client = client(&sandbox);

    let link = client
        .pay_links()
        .create(&pay_request("14.50"))
        .await
        .unwrap();
    assert_eq!(
        link.url.as_str(),
        format!("{}/pay/{}", sandbox.tspay_url(), link.order_key)
    );

    // Before the customer acts: no charge, pending.
    let before = client.charges().of_order(&link.order_key).await.unwrap();
    assert!(before.is_empty());
    assert_eq!(before.outcome(), PaymentOutcome::Pending);
    assert!(before.paid_charge().is_none());

    let (status, location) = decide(&link.url, "pay").await;
    assert_eq!((status, location.as_deref()), (303, Some(CALLBACK)));

    // The webhook: delivered once, verified over the raw body, about this order.
    let received = hook.take();
    assert_eq!(received.len(), 1);
    let (headers, body) = &received[0];
    let notification = verifier.verify(headers, body).unwrap();
    assert_eq!(notification.event.entity, EventEntity::Charge);
    assert_eq!(notification.event.state, Some(ChargeState::Active));
    assert_eq!(
        notification.merchant_ref.as_ref().map(|m| m.as_str()),
        Some(sandbox.tspay_credentials().merchant_ref.as_str())
    );
    assert_eq!(notification.outcome(), PaymentOutcome::Paid);
    assert_eq!(
        notification.payload.order_key.as_ref(),
        Some(&link.order_key)
    );
    assert_eq!(notification.payload.amount, eur("14.50"));
    // A different secret or an altered body does not verify.
    let other = WebhookVerifier::new(SecretString::from("not-the-secret")).unwrap();
    let err = other.verify(headers, body).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::SignatureInvalid { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with("TS Pay webhook.verify: "),
        "{err}"
    );
    let mut altered = body.to_vec();
    altered.extend_from_slice(b" ");
    assert!(verifier.verify(headers, &altered).is_err());

    // After: one active charge, with the amount and card the page used.
    let after = client.charges().of_order(&link.order_key).await.unwrap();
    assert_eq!(after.outcome(), PaymentOutcome::Paid);
    assert_eq!(after.charges.len(), 1);
    let charge = after.paid_charge().unwrap();
    assert_eq!(charge.amount, eur("14.50"));
    assert_eq!(charge.state, ChargeState::Active);
    assert_eq!(charge.order_key.as_ref(), Some(&link.order_key));
    assert_eq!(charge.charge_key, notification.payload.charge_key);
    let method = charge.pay_method.as_ref().unwrap();
    assert_eq!(method.kind, Some(SourceType::Card));
    assert_eq!(
        method.card.as_ref().and_then(|c| c.last4.as_deref()),
        Some("4242")
    );
    assert!(charge.created_on.is_some() && charge.modified_on.is_some());

    // Payable once (maxPaymentsNumber 1): the page is gone.
    let (status, _) = decide(&link.url, "pay").await;
    assert_eq!(status, 410);
}

#[tokio::test]
async fn pay_link_gateway_style_declined() {
    let sandbox = sandbox().await;
    let hook = Hook::start().await;
    let verifier = WebhookVerifier::new(SecretString::from(
        sandbox.register_tspay_webhook(&hook.url),
    ))
    .unwrap();
    let client = item_client(&sandbox);
    assert!(matches!(client.path_style(), PathStyle::Gateway { .. }));

    let link = client
        .pay_links()
        .create(&pay_request("99.99"))
        .await
        .unwrap();
    let before = client.charges().of_order(&link.order_key).await.unwrap();
    assert_eq!(before.outcome(), PaymentOutcome::Pending);

    let (status, location) = decide(&link.url, "decline").await;
    assert_eq!((status, location.as_deref()), (303, Some(CANCEL)));

    let received = hook.take();
    assert_eq!(received.len(), 1);
    let (headers, body) = &received[0];
    let notification = verifier.verify(headers, body).unwrap();
    assert_eq!(notification.payload.state, ChargeState::Failed);
    assert_eq!(notification.outcome(), PaymentOutcome::Failed);

    let after = client.charges().of_order(&link.order_key).await.unwrap();
    assert_eq!(after.outcome(), PaymentOutcome::Failed);
    assert_eq!(after.charges.len(), 1);
    assert_eq!(after.charges[0].state, ChargeState::Failed);
    assert_eq!(after.charges[0].amount, eur("99.99"));
    assert!(after.paid_charge().is_none());

    // Both route generations see the same order; the style can be chosen per call.
    let direct = client
        .charges()
        .path_style(PathStyle::Direct)
        .of_order(&link.order_key)
        .await
        .unwrap();
    assert_eq!(direct, after);
}

#[tokio::test]
async fn pay_link_per_call_item_id_and_direct_style() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let item = sandbox.tspay_credentials().item_id.clone();
    let link = client
        .pay_links()
        .item_id(item.as_str())
        .create(&pay_request("1.00"))
        .await
        .unwrap();
    let (status, _) = decide(&link.url, "pay").await;
    assert_eq!(status, 303);
    let via_item = client
        .charges()
        .item_id(item.as_str())
        .of_order(&link.order_key)
        .await
        .unwrap();
    assert_eq!(via_item.outcome(), PaymentOutcome::Paid);
    assert_eq!(via_item.paid_charge().unwrap().amount, eur("1.00"));

    let link = client
        .pay_links()
        .path_style(PathStyle::Direct)
        .create(&pay_request("2.00"))
        .await
        .unwrap();
    let charges = client.charges().of_order(&link.order_key).await.unwrap();
    assert!(charges.is_empty());
}

/// Two orders, same amount; order 42 is paid. Confirming order 42 with its own key is paid;
/// order 42's real, paid key presented for order 44 is another order's payment; order 44 with
/// its own key is not paid; order 42 expected for another amount is a mismatch.
#[tokio::test]
async fn confirm_payment_refuses_a_paid_key_replayed_for_another_order() {
    let sandbox = sandbox().await;
    for client in [client(&sandbox), item_client(&sandbox)] {
        let link_42 = client
            .pay_links()
            .create(&pay_request("14.50"))
            .await
            .unwrap();
        let link_44 = client
            .pay_links()
            .create(&pay_request("14.50"))
            .await
            .unwrap();
        let expected_42 = ExpectedPayment::new(link_42.order_key.as_str(), eur("14.50"));
        let expected_44 = ExpectedPayment::new(link_44.order_key.as_str(), eur("14.50"));
        assert_eq!(
            client
                .confirm_payment(&link_42.order_key, &expected_42)
                .await
                .unwrap(),
            PaymentVerdict::NotPaid {
                outcome: PaymentOutcome::Pending
            }
        );
        let (status, _) = decide(&link_42.url, "pay").await;
        assert_eq!(status, 303);

        assert_eq!(
            client
                .confirm_payment(&link_42.order_key, &expected_42)
                .await
                .unwrap(),
            PaymentVerdict::Paid
        );
        assert_eq!(
            client
                .confirm_payment(&link_42.order_key, &expected_44)
                .await
                .unwrap(),
            PaymentVerdict::OtherOrder {
                found: Some(link_42.order_key.as_str().to_owned())
            }
        );
        assert_eq!(
            client
                .confirm_payment(&link_44.order_key, &expected_44)
                .await
                .unwrap(),
            PaymentVerdict::NotPaid {
                outcome: PaymentOutcome::Pending
            }
        );
        let cheaper = ExpectedPayment::new(link_42.order_key.as_str(), eur("1.45"));
        assert_eq!(
            client
                .confirm_payment(&link_42.order_key, &cheaper)
                .await
                .unwrap(),
            PaymentVerdict::AmountMismatch {
                expected: eur("1.45"),
                found: Some(eur("14.50"))
            }
        );
    }
}

#[tokio::test]
async fn save_links_in_both_path_styles() {
    let sandbox = sandbox().await;
    let hook = Hook::start().await;
    let verifier = WebhookVerifier::new(SecretString::from(
        sandbox.register_tspay_webhook(&hook.url),
    ))
    .unwrap();
    for client in [client(&sandbox), item_client(&sandbox)] {
        let request = SaveLinkRequest::new(Template::new("Shop S.r.l.", "Abbonamento annuale"))
            .callback_url(CALLBACK)
            .source_type(SourceType::Card)
            .max_amount(eur("1200.00"))
            .context_id("invoice-2024-001")
            .external_ref("customer-7");
        let link = client.save_links().create(&request).await.unwrap();
        assert!(link.url.as_str().ends_with(link.order_key.as_str()));
        assert!(
            client
                .charges()
                .of_order(&link.order_key)
                .await
                .unwrap()
                .is_empty()
        );

        let (status, location) = decide(&link.url, "pay").await;
        assert_eq!((status, location.as_deref()), (303, Some(CALLBACK)));

        // Saving a source moves no money: the sandbox records an `active` charge of 0.
        let after = client.charges().of_order(&link.order_key).await.unwrap();
        assert_eq!(after.charges.len(), 1);
        assert_eq!(after.charges[0].state, ChargeState::Active);
        assert_eq!(after.charges[0].amount, eur("0"));

        let received = hook.take();
        assert_eq!(received.len(), 1);
        let (headers, body) = &received[0];
        let notification = verifier.verify(headers, body).unwrap();
        assert_eq!(
            notification.payload.order_key.as_ref(),
            Some(&link.order_key)
        );
    }
}

#[tokio::test]
async fn wrong_api_key_is_unauthorized() {
    let sandbox = sandbox().await;
    let wrong = Client::builder(Credentials::new("not-the-key"))
        .base_url(sandbox.tspay_url())
        .build()
        .unwrap();
    let err = wrong
        .pay_links()
        .create(&pay_request("14.50"))
        .await
        .unwrap_err()
        .into_kind();
    match &err {
        ErrorKind::Unauthorized { status, .. } => assert_eq!(status.as_u16(), 401),
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    assert!(!format!("{err:?}").contains("not-the-key"));
    let err = wrong
        .save_links()
        .create(&SaveLinkRequest::new(Template::new("S", "O")))
        .await
        .unwrap_err()
        .into_kind();
    assert!(matches!(err, ErrorKind::Unauthorized { .. }), "{err:?}");

    // A real order, read with the wrong key.
    let link = client(&sandbox)
        .pay_links()
        .create(&pay_request("14.50"))
        .await
        .unwrap();
    let err = wrong
        .charges()
        .of_order(&link.order_key)
        .await
        .unwrap_err()
        .into_kind();
    assert!(matches!(err, ErrorKind::Unauthorized { .. }), "{err:?}");
}

#[tokio::test]
async fn unknown_order_and_item_are_not_found() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    match client
        .charges()
        .of_order(&OrderKey::new("00000000-0000-4000-8000-000000000000"))
        .await
        .unwrap_err()
        .into_kind()
    {
        ErrorKind::NotFound { message, .. } => {
            assert_eq!(message.as_deref(), Some("Order not found"));
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    let err = client
        .pay_links()
        .item_id("no-such-item")
        .create(&pay_request("14.50"))
        .await
        .unwrap_err()
        .into_kind();
    assert!(matches!(err, ErrorKind::NotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn webhook_failures_are_recorded_not_fatal() {
    // An endpoint that is down: the customer is still redirected, the delivery is recorded.
    let sandbox = Sandbox::start(SandboxConfig::new().notification_timeout(Duration::from_secs(1)))
        .await
        .unwrap();
    let _secret = sandbox.register_tspay_webhook("http://127.0.0.1:9/down");
    let link = client(&sandbox)
        .pay_links()
        .create(&pay_request("3.00"))
        .await
        .unwrap();
    let (status, _) = decide(&link.url, "pay").await;
    assert_eq!(status, 303);
    let deliveries = sandbox.deliveries();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].status, None);
    let outcome = client(&sandbox)
        .charges()
        .of_order(&link.order_key)
        .await
        .unwrap()
        .outcome();
    assert_eq!(outcome, PaymentOutcome::Paid);
}

/// Getting started with the SDK alone: an API key requested with the AppSecret, refused until
/// the merchant activates it at its `loginUrl`, then checked; the webhook registered through
/// the SDK, its secret straight into the verifier, and a paid link's notification verified.
#[tokio::test]
async fn onboarding_from_the_app_secret_to_a_verified_notification() {
    use tspay::{AppSecret, KeyStatus, Onboarding, WebhookRegistration};
    let sandbox = sandbox().await;
    let creds = sandbox.tspay_credentials().clone();
    let onboarding = Onboarding::builder(AppSecret::new(creds.app_secret.clone()))
        .base_url(sandbox.tspay_url())
        .build()
        .unwrap();
    let issued = onboarding.request_api_key().await.unwrap();
    assert_eq!(issued.state, Some(tspay::ApiKeyState::Init));
    let login_url = issued.login_url.clone();
    let client = Client::builder(Credentials::new(issued.api_key))
        .base_url(sandbox.tspay_url())
        .build()
        .unwrap();
    assert!(matches!(
        client.check_key().await.unwrap(),
        KeyStatus::NotActivated { message: Some(_) }
    ));
    let err = client
        .pay_links()
        .create(&pay_request("1.00"))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Unauthorized { .. }),
        "{err:?}"
    );
    assert_eq!(err.tspay_messages(), ["API key not active"]);

    // The merchant presses "activate" on the loginUrl.
    let activated = reqwest::Client::new()
        .post(login_url.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(activated.status(), 200);
    match client.check_key().await.unwrap() {
        KeyStatus::Valid(info) => assert_eq!(
            info.merchant_ref.as_ref().map(|m| m.as_str()),
            Some(creds.merchant_ref.as_str())
        ),
        other => panic!("expected a valid key, got {other:?}"),
    }

    let hook = Hook::start().await;
    let registered = client
        .webhooks()
        .register(&WebhookRegistration::new(hook.url.as_str()))
        .await
        .unwrap();
    let verifier = WebhookVerifier::new(registered.secret).unwrap();
    let link = client
        .pay_links()
        .create(&pay_request("14.50"))
        .await
        .unwrap();
    decide(&link.url, "pay").await;
    let received = hook.take();
    assert_eq!(received.len(), 1);
    let (headers, body) = &received[0];
    let notification = verifier.verify(headers, body).unwrap();
    assert_eq!(
        notification.payload.order_key.as_ref(),
        Some(&link.order_key)
    );
    assert_eq!(notification.outcome(), PaymentOutcome::Paid);
}
