//! A GreenPay subscription, end to end, against the local sandbox: create it on a card token,
//! charge it manually, verify the signed payment notification, then read its payments back.
//!
//! Run it (no setup, nothing leaves 127.0.0.1):
//!
//! ```sh
//! cargo run -p greenpay --example manual_payment --features webhooks
//! ```
//!
//! Against GreenPay's own sandbox, drop the local one and build the client with the merchant
//! credentials of `https://sandbox-dashboard.greenpay.me` (the default environment is
//! GreenPay's sandbox; `Environment::Production` for real cards):
//!
//! ```ignore
//! let client = Client::builder(Credentials::new(
//!     std::env::var("GREENPAY_MERCHANT_ID")?,
//!     std::env::var("GREENPAY_TERMINAL")?,
//!     std::env::var("GREENPAY_SECRET")?,
//! ))
//! .environment(Environment::Sandbox)
//! .build()?;
//! let verifier = WebhookVerifier::new(&std::env::var("GREENPAY_PUBLIC_KEY")?)?;
//! ```
//!
//! use a card token from GreenPay's tokenization (not covered by this crate), and register an
//! `https` webhook base of your shop in GreenPay's dashboard (here the sandbox-only
//! `set_greenpay_webhook` does it). GreenPay does not document which fields `_signature`
//! covers: `status` and `orderId` is inferred, and is what the local sandbox signs.

#![allow(clippy::print_stdout, reason = "an example prints what it does")]

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use greenpay::subscriptions::{Cadence, CreateSubscription, ListPayments, ManualPayment, Plan};
use greenpay::webhook::{SubscriptionCharge, WebhookVerifier, parse_subscription_payment};
use greenpay::{CardToken, Client, Credentials, Currency, Money};
use payments_sandbox::{Sandbox, SandboxConfig};
use tokio::sync::mpsc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A local GreenPay on 127.0.0.1 (ephemeral port) with its test merchant and public key.
    let sandbox = Sandbox::start(SandboxConfig::new()).await?;
    let creds = sandbox.greenpay_credentials();
    let client = Client::builder(Credentials::new(
        creds.merchant_id.clone(),
        creds.terminal.clone(),
        creds.secret.clone(),
    ))
    .base_url(sandbox.greenpay_url())
    .build()?;
    let verifier = WebhookVerifier::new(&creds.public_key)?;

    // Your webhook base: GreenPay posts subscription charges to
    // `<base>/subscription/payment/results`.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let shop = format!("http://{}", listener.local_addr()?);
    let (notifications, mut received) = mpsc::channel(8);
    let app = Router::new()
        .route("/greenpay/subscription/payment/results", post(results))
        .with_state((verifier, notifications));
    tokio::spawn(async move { axum::serve(listener, app).await });
    sandbox.set_greenpay_webhook(&format!("{shop}/greenpay"));

    // 1. A subscription of 100.00 USD a month, charged to a card tokenized beforehand.
    let amount = Money::parse("100.00", Currency::USD)?;
    let request = CreateSubscription::new(
        "customer-42",
        "Pro plan",
        CardToken::new("tok-example-visa"),
        Plan::new(amount, Cadence::monthly()),
    );
    let created = client.subscriptions().create(&request).await?;
    println!(
        "created subscription {} ({amount} monthly), next payment on {}",
        created.subscription_id,
        created
            .next_payment_date
            .map_or_else(|| "-".to_owned(), |d| d.to_string())
    );

    // 2. Charge it now. A manual payment is never retried by the SDK: on
    //    `ErrorKind::OutcomeUnknown`, read the payments list before paying again.
    let paid = client
        .subscriptions()
        .pay(&ManualPayment::new(created.subscription_id.clone()))
        .await?;
    println!(
        "manual payment {}: {} {} ({:?})",
        paid.order.order_reference,
        paid.status.as_str(),
        paid.order.amount,
        paid.outcome()
    );

    // 3. The notification, verified before it is believed.
    // The sandbox delivers before it answers the payment; GreenPay may take longer.
    let waited = tokio::time::timeout(std::time::Duration::from_secs(5), received.recv()).await;
    if let Ok(Some(charge)) = waited {
        println!(
            "verified notification: {} is {} ({:?})",
            charge.order.order_reference,
            charge.status.as_str(),
            charge.outcome()
        );
    } else {
        println!("no verified notification received within 5 s");
    }

    // 4. The server's word: the subscription's payments.
    let payments = client
        .subscriptions()
        .list_payments(&ListPayments::new(created.subscription_id.clone(), 1, 10))
        .await?;
    for payment in &payments.entries {
        println!(
            "payment {}: {:?} ({})",
            payment.reference_number.as_deref().unwrap_or("-"),
            payment.outcome(),
            payment
                .payment_result
                .as_ref()
                .and_then(|r| r.amount)
                .map_or_else(|| "-".to_owned(), |m| m.to_string())
        );
    }

    sandbox.shutdown().await;
    Ok(())
}

/// `POST /greenpay/subscription/payment/results`: parses the body and passes on each charge
/// whose `_signature` verifies over `status` and `orderId`; anything else is dropped.
async fn results(
    State((verifier, notifications)): State<(WebhookVerifier, mpsc::Sender<SubscriptionCharge>)>,
    body: Bytes,
) -> StatusCode {
    let Ok(notification) = parse_subscription_payment(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    for charge in notification
        .approved
        .into_iter()
        .chain(notification.rejected)
    {
        // `signed_fields()`: status and orderId (the signed set is inferred).
        let signature = charge.signature.as_deref().unwrap_or_default();
        if verifier
            .verify_fields(&charge.signed_fields(), signature)
            .is_ok()
        {
            let _ = notifications.send(charge).await;
        }
    }
    StatusCode::OK
}
