//! End-to-end: every public operation of the SDK against the local sandbox
//! (`payments-sandbox`): create (with and without an initial payment), manual payment
//! (approved, declined card, unknown subscription, wrong credentials), cancel, update amount,
//! update card token, list with paging and filters, list payments, and the subscription-payment
//! notification delivered to the merchant, parsed and its `_signature` verified.
//!
//! The sandbox's choices (see its README): a card token containing `decline` is refused, and
//! `_signature` signs `status:<status>,orderId:<orderId>` (GreenPay's signed string is
//! undocumented; this is the SDK's inferred field set too).
#![cfg(feature = "webhooks")]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use greenpay::subscriptions::{Cadence, SubscriptionPayment};
use greenpay::subscriptions::{
    CadenceUnit, CancelSubscription, CreateSubscription, InitialPayment, ListPayments,
    ListSubscriptions, ManualPayment, PaymentStatus, Plan, SubscriptionFilters, SubscriptionStatus,
    UpdateAmount, UpdateCardToken,
};
use greenpay::webhook::{SubscriptionCharge, WebhookVerifier, parse_subscription_payment};
use greenpay::{
    CardToken, Client, Credentials, Currency, Error, ErrorKind, FailureKind, Money, PaymentOutcome,
    SubscriptionId,
};
use payments_sandbox::{RunningSandbox, Sandbox, SandboxConfig};
use time::{Date, Month, OffsetDateTime};

const GOOD_TOKEN: &str = "tok-visa-4242";
const DECLINED_TOKEN: &str = "tok-decline-0002";
const WRONG_SECRET: &str = "d3Jvbmctc2VjcmV0LWNhbmFyeQ==";

async fn sandbox() -> RunningSandbox {
    Sandbox::start(SandboxConfig::new()).await.unwrap()
}

fn credentials(sandbox: &RunningSandbox) -> Credentials {
    let c = sandbox.greenpay_credentials();
    Credentials::new(c.merchant_id.clone(), c.terminal.clone(), c.secret.clone())
}

fn client_with(sandbox: &RunningSandbox, credentials: Credentials) -> Client {
    Client::builder(credentials)
        .base_url(sandbox.greenpay_url())
        .build()
        .unwrap()
}

fn client(sandbox: &RunningSandbox) -> Client {
    client_with(sandbox, credentials(sandbox))
}

fn verifier(sandbox: &RunningSandbox) -> WebhookVerifier {
    WebhookVerifier::new(&sandbox.greenpay_credentials().public_key).unwrap()
}

fn money(text: &str, currency: Currency) -> Money {
    Money::parse(text, currency).unwrap()
}

fn usd(text: &str) -> Money {
    money(text, Currency::USD)
}

fn subscription(user: &str, token: &str, amount: Money) -> CreateSubscription {
    CreateSubscription::new(
        user,
        "Pro plan",
        CardToken::new(token),
        Plan::new(amount, Cadence::monthly()),
    )
}

async fn create(client: &Client, user: &str, token: &str, amount: Money) -> SubscriptionId {
    client
        .subscriptions()
        .create(&subscription(user, token, amount))
        .await
        .unwrap()
        .subscription_id
}

async fn payments(client: &Client, id: &SubscriptionId) -> Vec<SubscriptionPayment> {
    client
        .subscriptions()
        .list_payments(&ListPayments::new(id.clone(), 1, 100))
        .await
        .unwrap()
        .entries
}

/// The calendar date `months` months after `date`, clamped to the month's last day.
fn add_months(date: Date, months: u8) -> Date {
    let mut month = date.month();
    let mut year = date.year();
    for _ in 0..months {
        if month == Month::December {
            year += 1;
        }
        month = month.next();
    }
    let day = date.day().min(time::util::days_in_month(month, year));
    Date::from_calendar_date(year, month, day).unwrap()
}

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The merchant's webhook base: records every body posted to
/// `/gp/subscription/payment/results`.
struct Merchant {
    base: String,
    received: Arc<Mutex<Vec<Bytes>>>,
}

impl Merchant {
    async fn start() -> Self {
        type Store = Arc<Mutex<Vec<Bytes>>>;
        async fn record(State(store): State<Store>, body: Bytes) -> StatusCode {
            store.lock().unwrap().push(body);
            StatusCode::OK
        }
        let received = Store::default();
        let app = Router::new()
            .route("/gp/subscription/payment/results", post(record))
            .with_state(received.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/gp", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Merchant { base, received }
    }

    /// Everything received so far (the sandbox notifies before it answers the payment).
    fn take(&self) -> Vec<Bytes> {
        std::mem::take(&mut *self.received.lock().unwrap())
    }
}

/// Verifies a notified charge over the (inferred) signed fields `status` and `orderId`.
fn verify_charge(verifier: &WebhookVerifier, charge: &SubscriptionCharge) -> Result<(), Error> {
    verifier.verify_fields(
        &charge.signed_fields(),
        charge.signature.as_deref().unwrap_or_default(),
    )
}

fn api_messages(err: &Error) -> Vec<String> {
    match err.kind() {
        ErrorKind::Api { messages, .. } => messages.clone(),
        other => panic!("expected Api, got {other:?}"),
    }
}

#[tokio::test]
async fn create_without_initial_payment() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let before = OffsetDateTime::now_utc().date();
    let created = client
        .subscriptions()
        .create(&subscription("user-1", GOOD_TOKEN, usd("100.00")))
        .await
        .unwrap();
    let after = OffsetDateTime::now_utc().date();
    let id = created.subscription_id.as_str();
    assert!(is_hex(id, 32), "{id}");
    assert!(created.errors.is_empty());
    assert_eq!(created.result.success, None);
    assert_eq!(created.result.initial_payment, None);
    // No startDate: the subscription starts now, so the next charge is a month from today.
    let next = created.next_payment_date.unwrap();
    assert!(
        next == add_months(before, 1) || next == add_months(after, 1),
        "{next}"
    );
    // The create answer is signed over status 200 and the subscription id (sandbox choice).
    let signature = created.signature.as_deref().unwrap();
    assert!(is_hex(signature, 512), "2048-bit key: {signature}");
    verifier(&sandbox)
        .verify_fields(&[("status", "200"), ("orderId", id)], signature)
        .unwrap();
    assert!(matches!(
        verifier(&sandbox)
            .verify_fields(&[("status", "200"), ("orderId", "another")], signature)
            .map_err(greenpay::Error::into_kind),
        Err(ErrorKind::SignatureInvalid { .. })
    ));
    // Nothing charged yet.
    assert!(payments(&client, &created.subscription_id).await.is_empty());
}

#[tokio::test]
async fn create_with_initial_payment_start_and_end() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let start = (OffsetDateTime::now_utc() + time::Duration::days(10))
        .replace_nanosecond(0)
        .unwrap();
    let end = start + time::Duration::days(400);
    let request = CreateSubscription::new(
        "user-2",
        "Plan Pro anual",
        CardToken::new(GOOD_TOKEN),
        Plan::new(usd("25.50"), Cadence::monthly())
            .start_date(start)
            .end_date(end),
    )
    .initial_payment(InitialPayment::new(usd("10.00"), "Setup fee"));
    let created = client.subscriptions().create(&request).await.unwrap();
    let id = created.subscription_id.clone();
    assert_eq!(created.result.success, Some(true));
    let initial = created.result.initial_payment.as_ref().unwrap();
    assert_eq!(initial.order_id, format!("{id}_0"));
    let authorization = initial.authorization.clone().unwrap();
    assert!(
        authorization.len() == 6 && authorization.bytes().all(|b| b.is_ascii_digit()),
        "{authorization}"
    );
    assert!(initial.errors.is_empty());
    // A future start: the next charge is the start itself.
    assert_eq!(created.next_payment_date, Some(start.date()));

    // The initial payment is the subscription's first payment, for its own amount.
    let entries = payments(&client, &id).await;
    assert_eq!(entries.len(), 1);
    let first = &entries[0];
    assert_eq!(first.reference_number.as_deref(), Some(&*format!("{id}_0")));
    assert_eq!(first.outcome(), PaymentOutcome::Paid);
    assert!(first.payment_retries.is_empty());
    let result = first.payment_result.as_ref().unwrap();
    assert_eq!(result.status, Some(200));
    assert_eq!(result.amount, Some(usd("10.00")));
    assert_eq!(result.currency, Some(Currency::USD));
    assert_eq!(
        result.authorization.as_deref(),
        Some(authorization.as_str())
    );
    assert_eq!(result.order_id.as_deref(), Some(&*format!("{id}_0")));

    // The list shows the plan as created.
    let page = client
        .subscriptions()
        .list(&ListSubscriptions::new(1, 10))
        .await
        .unwrap();
    let summary = &page.entries[0];
    assert_eq!(summary.id, id);
    assert_eq!(summary.status, SubscriptionStatus::Active);
    assert_eq!(summary.user_id.as_deref(), Some("user-2"));
    assert_eq!(summary.description.as_deref(), Some("Plan Pro anual"));
    assert_eq!(summary.amount, usd("25.50"));
    assert_eq!(summary.currency, Currency::USD);
    assert_eq!(summary.start_date, Some(start));
    assert_eq!(summary.end_date, Some(end));
    let cadence = summary.cadence.as_ref().unwrap();
    assert_eq!((cadence.every, &cadence.unit), (1, &CadenceUnit::Month));
    assert_eq!(summary.next_payment_date, Some(start));
}

#[tokio::test]
async fn declined_initial_payment_creates_nothing() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let request = subscription("user-3", DECLINED_TOKEN, usd("100"))
        .initial_payment(InitialPayment::new(usd("5"), "Setup fee"));
    let err = client.subscriptions().create(&request).await.unwrap_err();
    assert_eq!(err.failure_kind(), Some(FailureKind::Other));
    assert_eq!(
        api_messages(&err),
        ["Initial payment was rejected: card declined."]
    );
    let page = client
        .subscriptions()
        .list(&ListSubscriptions::new(1, 10))
        .await
        .unwrap();
    assert_eq!(page.total_entries, Some(0));
    assert!(page.entries.is_empty());
}

#[tokio::test]
async fn manual_payments_approved_notified_and_listed() {
    let sandbox = sandbox().await;
    let merchant = Merchant::start().await;
    sandbox.set_greenpay_webhook(&merchant.base);
    let client = client(&sandbox);
    let verifier = verifier(&sandbox);
    let id = create(&client, "user-4", GOOD_TOKEN, usd("100.00")).await;

    let mut references = Vec::new();
    for n in 0..2 {
        let paid = client
            .subscriptions()
            .pay(&ManualPayment::new(id.clone()))
            .await
            .unwrap();
        assert_eq!(paid.status, PaymentStatus::Approved);
        assert_eq!(paid.outcome(), PaymentOutcome::Paid);
        assert_eq!(paid.order_status, SubscriptionStatus::Active);
        assert_eq!(
            paid.merchant_id.as_deref(),
            Some(sandbox.greenpay_credentials().merchant_id.as_str())
        );
        let order = &paid.order;
        assert_eq!(order.order_reference, format!("{id}_{n}"));
        // The answer's own `_signature` (over the inferred status + orderId) is kept and verifies.
        let answer_signature = paid.signature.as_deref().expect("the pay answer is signed");
        verifier
            .verify_fields(
                &[
                    ("status", "approved"),
                    ("orderId", order.order_reference.as_str()),
                ],
                answer_signature,
            )
            .unwrap();
        assert_eq!(order.subscription_id, id);
        assert_eq!(order.user.as_deref(), Some("user-4"));
        assert_eq!(order.amount, usd("100.00"));
        assert_eq!(order.currency, Currency::USD);
        assert!(order.errors.is_empty());
        assert_eq!(order.reason.as_deref(), Some("Manual payment"));
        assert!(order.date.is_some());
        let authorization = order.authorization.clone().unwrap();

        // The notification arrived before the answer; parse it, then verify its signature.
        let received = merchant.take();
        assert_eq!(received.len(), 1);
        let notification = parse_subscription_payment(&received[0]).unwrap();
        assert!(notification.rejected.is_empty());
        assert_eq!(notification.approved.len(), 1);
        let charge = &notification.approved[0];
        assert_eq!(charge.status, PaymentStatus::Approved);
        assert_eq!(charge.outcome(), PaymentOutcome::Paid);
        assert_eq!(charge.order_status, Some(SubscriptionStatus::Active));
        assert_eq!(charge.order.order_reference, order.order_reference);
        assert_eq!(charge.order.subscription_id, id);
        assert_eq!(charge.order.user.as_deref(), Some("user-4"));
        assert!(charge.errors.is_empty());
        verify_charge(&verifier, charge).unwrap();

        // A tampered copy (another charge reference, or a "rejected" turned "approved")
        // does not verify.
        let body = String::from_utf8(received[0].to_vec()).unwrap();
        let forged = body.replace(&order.order_reference, &format!("{id}_9"));
        let forged = parse_subscription_payment(forged.as_bytes()).unwrap();
        assert!(matches!(
            verify_charge(&verifier, &forged.approved[0]).map_err(greenpay::Error::into_kind),
            Err(ErrorKind::SignatureInvalid { .. })
        ));
        let signature = charge.signature.as_deref().unwrap();
        assert!(
            verifier
                .verify_fields(
                    &[("status", "rejected"), ("orderId", &order.order_reference)],
                    signature
                )
                .is_err()
        );
        references.push((order.order_reference.clone(), authorization));
    }

    // The server's word: both payments, paid, for exactly 100.00 USD.
    let entries = payments(&client, &id).await;
    assert_eq!(entries.len(), 2);
    for (entry, (reference, authorization)) in entries.iter().zip(&references) {
        assert_eq!(entry.reference_number.as_deref(), Some(reference.as_str()));
        assert_eq!(entry.outcome(), PaymentOutcome::Paid);
        let result = entry.payment_result.as_ref().unwrap();
        assert_eq!(result.amount, Some(usd("100.00")));
        assert_eq!(
            result.authorization.as_deref(),
            Some(authorization.as_str())
        );
        assert!(entry.payment_retries.is_empty());
        assert!(entry.payment_date.is_some());
    }

    // Every delivery was answered 200 by the merchant.
    let deliveries = sandbox.deliveries();
    assert_eq!(deliveries.len(), 2);
    assert!(deliveries.iter().all(|d| d.provider == "greenpay"
        && d.status == Some(200)
        && d.url == format!("{}/subscription/payment/results", merchant.base)));
}

#[tokio::test]
async fn declined_card_is_refused_notified_as_rejected_and_listed_as_retry() {
    let sandbox = sandbox().await;
    let merchant = Merchant::start().await;
    sandbox.set_greenpay_webhook(&merchant.base);
    let client = client(&sandbox);
    let verifier = verifier(&sandbox);
    let id = create(&client, "user-5", DECLINED_TOKEN, usd("42.00")).await;

    let err = client
        .subscriptions()
        .pay(&ManualPayment::new(id.clone()))
        .await
        .unwrap_err();
    assert_eq!(err.failure_kind(), Some(FailureKind::Other));
    assert_eq!(api_messages(&err), ["Payment rejected: card declined."]);
    assert!(!err.is_outcome_unknown());

    let received = merchant.take();
    assert_eq!(received.len(), 1);
    let notification = parse_subscription_payment(&received[0]).unwrap();
    assert!(notification.approved.is_empty());
    let charge = &notification.rejected[0];
    assert_eq!(charge.status, PaymentStatus::Rejected);
    assert_eq!(charge.outcome(), PaymentOutcome::Failed);
    assert_eq!(charge.order.order_reference, format!("{id}_0"));
    assert_eq!(charge.errors, ["Card declined."]);
    verify_charge(&verifier, charge).unwrap();

    // Listed with no result and one failed attempt: not settled (GreenPay retries).
    let entries = payments(&client, &id).await;
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!(entry.payment_result, None);
    assert_eq!(entry.outcome(), PaymentOutcome::Pending);
    assert_eq!(entry.payment_retries.len(), 1);
    let attempt = entry.payment_retries[0].result.as_ref().unwrap();
    assert_eq!(attempt.status, Some(500));
    assert_eq!(attempt.outcome(), PaymentOutcome::Failed);
    assert_eq!(attempt.amount, Some(usd("42.00")));
    assert_eq!(attempt.authorization, None);
    assert_eq!(attempt.errors, ["Card declined."]);
    assert!(entry.payment_retries[0].date.is_some());
}

#[tokio::test]
async fn unknown_subscription_is_not_payable() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let unknown = SubscriptionId::new("00000000000000000000000000000000");
    let err = client
        .subscriptions()
        .pay(&ManualPayment::new(unknown.clone()))
        .await
        .unwrap_err();
    assert_eq!(
        err.failure_kind(),
        Some(FailureKind::SubscriptionNotPayable)
    );
    match err.kind() {
        ErrorKind::Api {
            status,
            code,
            messages,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(code.as_deref(), Some("500"));
            assert_eq!(
                messages,
                &["Subscription not found. Impossible to pay manually."]
            );
        }
        other => panic!("expected Api, got {other:?}"),
    }
    // The other subscription calls refuse it the same way ("Subscription not found.").
    let errors = [
        client
            .subscriptions()
            .cancel(&CancelSubscription::new(unknown.clone(), "user", "reason"))
            .await
            .unwrap_err(),
        client
            .subscriptions()
            .update_amount(&UpdateAmount::new(unknown.clone(), "user", usd("1")))
            .await
            .unwrap_err(),
        client
            .subscriptions()
            .update_card_token(&UpdateCardToken::new(
                unknown.clone(),
                "user",
                CardToken::new(GOOD_TOKEN),
            ))
            .await
            .unwrap_err(),
        client
            .subscriptions()
            .list_payments(&ListPayments::new(unknown.clone(), 1, 10))
            .await
            .unwrap_err(),
    ];
    for err in &errors {
        assert_eq!(api_messages(err), ["Subscription not found."]);
        assert_eq!(err.failure_kind(), Some(FailureKind::SubscriptionNotFound));
    }
}

#[tokio::test]
async fn a_fail_envelope_sent_with_http_500_is_still_a_final_api_error() {
    let sandbox = Sandbox::start(SandboxConfig::new().greenpay_fail_http_status(500))
        .await
        .unwrap();
    let client = client(&sandbox);
    let err = client
        .subscriptions()
        .pay(&ManualPayment::new(SubscriptionId::new(
            "00000000000000000000000000000000",
        )))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Api { status, .. } if status.as_u16() == 500),
        "{err:?}"
    );
    assert_eq!(
        err.failure_kind(),
        Some(FailureKind::SubscriptionNotPayable)
    );
}

#[tokio::test]
async fn wrong_credentials_are_merchant_not_found() {
    let sandbox = sandbox().await;
    let c = sandbox.greenpay_credentials();
    let wrong = client_with(
        &sandbox,
        Credentials::new(c.merchant_id.clone(), c.terminal.clone(), WRONG_SECRET),
    );
    let id = create(&client(&sandbox), "user-6", GOOD_TOKEN, usd("100")).await;
    let errors = [
        wrong
            .subscriptions()
            .pay(&ManualPayment::new(id.clone()))
            .await
            .unwrap_err(),
        wrong
            .subscriptions()
            .create(&subscription("user-6", GOOD_TOKEN, usd("100")))
            .await
            .unwrap_err(),
        wrong
            .subscriptions()
            .cancel(&CancelSubscription::new(id.clone(), "user-6", "reason"))
            .await
            .unwrap_err(),
        wrong
            .subscriptions()
            .list(&ListSubscriptions::new(1, 10))
            .await
            .unwrap_err(),
        wrong
            .subscriptions()
            .list_payments(&ListPayments::new(id.clone(), 1, 10))
            .await
            .unwrap_err(),
    ];
    for err in &errors {
        assert_eq!(
            err.failure_kind(),
            Some(FailureKind::MerchantNotFound),
            "{err:?}"
        );
        assert_eq!(api_messages(err), ["Merchant doesn't exist."]);
        let shown = format!("{err:?}{err:#?}{err}");
        assert!(!shown.contains(WRONG_SECRET) && !shown.contains(&c.secret));
    }
    // An unknown merchant id is the same refusal; an unknown terminal is another one.
    let other_merchant = client_with(
        &sandbox,
        Credentials::new(
            "00000000-0000-0000-0000-000000000000",
            c.terminal.clone(),
            c.secret.clone(),
        ),
    );
    let err = other_merchant
        .subscriptions()
        .pay(&ManualPayment::new(id.clone()))
        .await
        .unwrap_err();
    assert_eq!(err.failure_kind(), Some(FailureKind::MerchantNotFound));
    let other_terminal = client_with(
        &sandbox,
        Credentials::new(c.merchant_id.clone(), "another-terminal", c.secret.clone()),
    );
    let err = other_terminal
        .subscriptions()
        .list(&ListSubscriptions::new(1, 10))
        .await
        .unwrap_err();
    assert_eq!(err.failure_kind(), Some(FailureKind::Other));
    assert_eq!(api_messages(&err), ["Terminal doesn't exist."]);
    // Manual payment sends no terminal, so a wrong terminal does not stop it.
    let paid = other_terminal
        .subscriptions()
        .pay(&ManualPayment::new(id.clone()))
        .await
        .unwrap();
    assert_eq!(paid.outcome(), PaymentOutcome::Paid);
    // Nothing was charged by the refused calls.
    assert_eq!(payments(&client(&sandbox), &id).await.len(), 1);
}

#[tokio::test]
async fn cancel_then_pay_is_not_payable() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let secret = sandbox.greenpay_credentials().secret.clone();
    let id = create(&client, "user-7", GOOD_TOKEN, usd("19.99")).await;
    let record = client
        .subscriptions()
        .cancel(&CancelSubscription::new(
            id.clone(),
            "user-7",
            "Customer request",
        ))
        .await
        .unwrap();
    assert_eq!(record.status, SubscriptionStatus::Cancelled);
    assert_eq!(record.id, "1");
    assert_ne!(record.id, id.as_str());
    assert_eq!(record.user_id.as_deref(), Some("user-7"));
    assert_eq!(
        record.merchant_id.as_deref(),
        Some(sandbox.greenpay_credentials().merchant_id.as_str())
    );
    assert_eq!(record.card_tokens, [CardToken::new(GOOD_TOKEN)]);
    assert_eq!(record.amount(), Some(usd("19.99")));
    let order = record.purchase_order.as_ref().unwrap();
    assert_eq!(order.currency, Currency::USD);
    assert_eq!(order.description.as_deref(), Some("Pro plan"));
    assert_eq!(
        order.terminal.as_deref(),
        Some(sandbox.greenpay_credentials().terminal.as_str())
    );
    assert_eq!(
        order.subscription[0].cadence,
        Some(Cadence::monthly().on_day(order.subscription[0].start_date.unwrap().day()))
    );
    // GreenPay echoes the secret in purchase_order.secret: it is dropped.
    assert!(!format!("{record:?}{record:#?}").contains(&secret));
    assert!(!serde_json::to_string(&record).unwrap().contains(&secret));

    let err = client
        .subscriptions()
        .pay(&ManualPayment::new(id.clone()))
        .await
        .unwrap_err();
    assert_eq!(
        err.failure_kind(),
        Some(FailureKind::SubscriptionNotPayable)
    );
    let err = client
        .subscriptions()
        .cancel(&CancelSubscription::new(id.clone(), "user-7", "again"))
        .await
        .unwrap_err();
    assert_eq!(api_messages(&err), ["Subscription is already cancelled."]);
    let err = client
        .subscriptions()
        .update_amount(&UpdateAmount::new(id.clone(), "user-7", usd("5")))
        .await
        .unwrap_err();
    assert_eq!(
        api_messages(&err),
        ["Subscription not found. Impossible to update."]
    );
    assert_eq!(err.failure_kind(), Some(FailureKind::SubscriptionNotFound));
    assert!(payments(&client, &id).await.is_empty());

    // Cancelling someone else's subscription (another `user`) is refused.
    let other = create(&client, "user-8", GOOD_TOKEN, usd("1")).await;
    let err = client
        .subscriptions()
        .cancel(&CancelSubscription::new(
            other.clone(),
            "user-7",
            "not mine",
        ))
        .await
        .unwrap_err();
    assert_eq!(api_messages(&err), ["Subscription not found."]);
}

#[tokio::test]
async fn update_amount_is_read_back_and_charged() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let id = create(&client, "user-9", GOOD_TOKEN, usd("100.00")).await;
    let record = client
        .subscriptions()
        .update_amount(&UpdateAmount::new(id.clone(), "user-9", usd("150.50")))
        .await
        .unwrap();
    assert_eq!(record.status, SubscriptionStatus::Active);
    assert_eq!(record.amount(), Some(usd("150.50")));

    let page = client
        .subscriptions()
        .list(&ListSubscriptions::new(1, 10).filters(SubscriptionFilters::new().user("user-9")))
        .await
        .unwrap();
    assert_eq!(page.entries.len(), 1);
    assert_eq!(page.entries[0].id, id);
    assert_eq!(page.entries[0].amount, usd("150.50"));

    let paid = client
        .subscriptions()
        .pay(&ManualPayment::new(id.clone()))
        .await
        .unwrap();
    assert_eq!(paid.order.amount, usd("150.50"));
    let entries = payments(&client, &id).await;
    assert_eq!(
        entries[0].payment_result.as_ref().unwrap().amount,
        Some(usd("150.50"))
    );
}

#[tokio::test]
async fn amounts_are_exact_in_every_currency() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    for (text, currency) in [
        ("5500.99", Currency::CRC),
        ("0.01", Currency::USD),
        ("1234567.89", Currency::GTQ),
        ("100.10", Currency::USD),
    ] {
        let amount = money(text, currency);
        let id = create(&client, "user-money", GOOD_TOKEN, amount).await;
        let paid = client
            .subscriptions()
            .pay(&ManualPayment::new(id.clone()))
            .await
            .unwrap();
        assert_eq!(paid.order.amount, amount);
        assert_eq!(paid.order.currency, currency);
        let entries = payments(&client, &id).await;
        assert_eq!(
            entries[0].payment_result.as_ref().unwrap().amount,
            Some(amount)
        );
        let updated = money("7.70", currency);
        let record = client
            .subscriptions()
            .update_amount(&UpdateAmount::new(id.clone(), "user-money", updated))
            .await
            .unwrap();
        assert_eq!(record.amount(), Some(updated));
        assert_eq!(record.purchase_order.unwrap().currency, currency);
    }
    let page = client
        .subscriptions()
        .list(&ListSubscriptions::new(1, 10))
        .await
        .unwrap();
    let amounts: Vec<Money> = page.entries.iter().map(|s| s.amount).collect();
    assert_eq!(
        amounts,
        [
            money("7.70", Currency::CRC),
            usd("7.70"),
            money("7.70", Currency::GTQ),
            usd("7.70")
        ]
    );
}

#[tokio::test]
async fn update_card_token_changes_the_card_charged() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    // A declined card replaced by a good one: the next charge goes through.
    let id = create(&client, "user-10", DECLINED_TOKEN, usd("30")).await;
    let err = client
        .subscriptions()
        .pay(&ManualPayment::new(id.clone()))
        .await
        .unwrap_err();
    assert_eq!(api_messages(&err), ["Payment rejected: card declined."]);
    let record = client
        .subscriptions()
        .update_card_token(&UpdateCardToken::new(
            id.clone(),
            "user-10",
            CardToken::new("tok-mastercard-5454"),
        ))
        .await
        .unwrap();
    assert_eq!(record.card_tokens, [CardToken::new("tok-mastercard-5454")]);
    assert_eq!(record.status, SubscriptionStatus::Active);
    let paid = client
        .subscriptions()
        .pay(&ManualPayment::new(id.clone()))
        .await
        .unwrap();
    assert_eq!(paid.outcome(), PaymentOutcome::Paid);
    assert_eq!(paid.order.order_reference, format!("{id}_1"));
    let outcomes: Vec<PaymentOutcome> = payments(&client, &id)
        .await
        .iter()
        .map(SubscriptionPayment::outcome)
        .collect();
    assert_eq!(outcomes, [PaymentOutcome::Pending, PaymentOutcome::Paid]);

    // And the other way round.
    let record = client
        .subscriptions()
        .update_card_token(&UpdateCardToken::new(
            id.clone(),
            "user-10",
            CardToken::new(DECLINED_TOKEN),
        ))
        .await
        .unwrap();
    assert_eq!(record.card_tokens, [CardToken::new(DECLINED_TOKEN)]);
    let err = client
        .subscriptions()
        .pay(&ManualPayment::new(id.clone()))
        .await
        .unwrap_err();
    assert_eq!(err.failure_kind(), Some(FailureKind::Other));
}

#[tokio::test]
async fn list_pages_and_filters() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let a = create(&client, "alice", GOOD_TOKEN, usd("10")).await;
    let b = create(&client, "alice", GOOD_TOKEN, usd("20")).await;
    let c = create(&client, "bob", GOOD_TOKEN, usd("30")).await;
    let d = create(&client, "bob", GOOD_TOKEN, usd("40")).await;
    let e = create(&client, "carol", GOOD_TOKEN, usd("50")).await;
    client
        .subscriptions()
        .cancel(&CancelSubscription::new(c.clone(), "bob", "moved"))
        .await
        .unwrap();

    let ids = |page: &greenpay::subscriptions::SubscriptionPage| -> Vec<SubscriptionId> {
        page.entries.iter().map(|s| s.id.clone()).collect()
    };
    let list = |request: ListSubscriptions| {
        let client = client.clone();
        async move { client.subscriptions().list(&request).await.unwrap() }
    };

    let first = list(ListSubscriptions::new(1, 2)).await;
    assert_eq!(
        (first.page, first.total_entries, first.total_pages),
        (Some(1), Some(5), Some(3))
    );
    assert_eq!(ids(&first), [a.clone(), b.clone()]);
    let third = list(ListSubscriptions::new(3, 2)).await;
    assert_eq!(ids(&third), std::slice::from_ref(&e));
    let beyond = list(ListSubscriptions::new(4, 2)).await;
    assert!(beyond.entries.is_empty());
    assert_eq!(beyond.total_entries, Some(5));

    let active = list(
        ListSubscriptions::new(1, 100)
            .filters(SubscriptionFilters::new().status(SubscriptionStatus::Active)),
    )
    .await;
    assert_eq!(ids(&active), [a.clone(), b.clone(), d.clone(), e.clone()]);
    let cancelled = list(
        ListSubscriptions::new(1, 100)
            .filters(SubscriptionFilters::new().status(SubscriptionStatus::Cancelled)),
    )
    .await;
    assert_eq!(ids(&cancelled), std::slice::from_ref(&c));
    assert_eq!(cancelled.entries[0].status, SubscriptionStatus::Cancelled);
    let both = list(
        ListSubscriptions::new(1, 100).filters(
            SubscriptionFilters::new()
                .status(SubscriptionStatus::Active)
                .status(SubscriptionStatus::Cancelled),
        ),
    )
    .await;
    assert_eq!(both.total_entries, Some(5));

    let bob =
        list(ListSubscriptions::new(1, 100).filters(SubscriptionFilters::new().user("bob"))).await;
    assert_eq!(ids(&bob), [c.clone(), d.clone()]);
    let bob_active = list(
        ListSubscriptions::new(1, 100).filters(
            SubscriptionFilters::new()
                .user("bob")
                .status(SubscriptionStatus::Active),
        ),
    )
    .await;
    assert_eq!(ids(&bob_active), std::slice::from_ref(&d));

    let middle = list(
        ListSubscriptions::new(1, 100).filters(
            SubscriptionFilters::new()
                .min_amount(usd("20"))
                .max_amount(usd("40")),
        ),
    )
    .await;
    assert_eq!(ids(&middle), [b.clone(), c.clone(), d.clone()]);
    let amounts: Vec<Money> = middle.entries.iter().map(|s| s.amount).collect();
    assert_eq!(amounts, [usd("20"), usd("30"), usd("40")]);
    let nobody =
        list(ListSubscriptions::new(1, 10).filters(SubscriptionFilters::new().user("dave"))).await;
    assert!(nobody.entries.is_empty());
    assert_eq!(
        (nobody.total_entries, nobody.total_pages),
        (Some(0), Some(0))
    );
}

#[tokio::test]
async fn list_payments_pages() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let id = create(&client, "user-11", GOOD_TOKEN, usd("9.99")).await;
    for _ in 0..3 {
        client
            .subscriptions()
            .pay(&ManualPayment::new(id.clone()))
            .await
            .unwrap();
    }
    let first = client
        .subscriptions()
        .list_payments(&ListPayments::new(id.clone(), 1, 2))
        .await
        .unwrap();
    assert_eq!(
        (first.page, first.total_entries, first.total_pages),
        (Some(1), Some(3), Some(2))
    );
    let second = client
        .subscriptions()
        .list_payments(&ListPayments::new(id.clone(), 2, 2))
        .await
        .unwrap();
    let references: Vec<String> = first
        .entries
        .iter()
        .chain(&second.entries)
        .map(|p| p.reference_number.clone().unwrap())
        .collect();
    assert_eq!(
        references,
        [format!("{id}_0"), format!("{id}_1"), format!("{id}_2")]
    );
    assert!(
        first
            .entries
            .iter()
            .chain(&second.entries)
            .all(|p| p.outcome() == PaymentOutcome::Paid
                && p.payment_result.as_ref().unwrap().amount == Some(usd("9.99")))
    );
    // Payments of another subscription are not mixed in.
    let other = create(&client, "user-11", GOOD_TOKEN, usd("1")).await;
    assert!(payments(&client, &other).await.is_empty());
}

#[tokio::test]
async fn notification_delivery_failure_does_not_fail_the_payment() {
    let sandbox = Sandbox::start(SandboxConfig::new().notification_timeout(Duration::from_secs(1)))
        .await
        .unwrap();
    // Nothing listens there.
    sandbox.set_greenpay_webhook("http://127.0.0.1:9/gp");
    let client = client(&sandbox);
    let id = create(&client, "user-12", GOOD_TOKEN, usd("12")).await;
    let paid = client
        .subscriptions()
        .pay(&ManualPayment::new(id.clone()))
        .await
        .unwrap();
    assert_eq!(paid.outcome(), PaymentOutcome::Paid);
    let deliveries = sandbox.deliveries();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].status, None);
    assert!(deliveries[0].error.is_some());
    // The body that could not be delivered is still a valid, verifiable notification.
    let notification = parse_subscription_payment(deliveries[0].body.as_bytes()).unwrap();
    verify_charge(&verifier(&sandbox), &notification.approved[0]).unwrap();
    assert_eq!(
        payments(&client, &id).await[0].outcome(),
        PaymentOutcome::Paid
    );
}
