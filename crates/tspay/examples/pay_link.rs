//! A TS Pay pay link, end to end, against the local sandbox: register a webhook, create the
//! link, let the customer pay, verify the signed notification, then confirm the outcome.
//!
//! Run it (no setup, nothing leaves 127.0.0.1):
//!
//! ```sh
//! cargo run -p tspay --example pay_link --features webhooks
//! ```
//!
//! Against the real TS Pay, drop the sandbox and build the client with your API key and the host
//! named in your contract:
//!
//! ```ignore
//! let client = Client::builder(SecretString::from(std::env::var("TSPAY_API_KEY")?), Environment::Staging)
//!     .build()?;
//! ```
//!
//! register your public `https` webhook endpoint with TS Pay (`POST /notification/webhook`, not
//! covered by this crate) and keep the `secret` it returns for [`WebhookVerifier::new`]. There
//! the customer opens `link.url` in their own browser; here a plain HTTP client plays the
//! customer.

#![allow(clippy::print_stdout, reason = "an example prints what it does")]

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use payments_sandbox::{Sandbox, SandboxConfig};
use tokio::sync::mpsc;
use tspay::{
    Client, Credentials, Currency, ExpectedPayment, Money, Notification, PayLinkRequest, Template,
    WebhookRegistration, WebhookVerifier,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A local TS Pay on 127.0.0.1 (ephemeral port) with its test API key.
    let sandbox = Sandbox::start(SandboxConfig::new()).await?;
    let client = Client::builder(Credentials::new(
        sandbox.tspay_credentials().api_key.clone(),
    ))
    .base_url(sandbox.tspay_url())
    .build()?;

    // Your webhook endpoint, registered with TS Pay; keep the returned secret.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let shop = format!("http://{}", listener.local_addr()?);
    let registered = client
        .webhooks()
        .register(&WebhookRegistration::new(format!("{shop}/tspay/webhook")))
        .await?;
    let verifier = WebhookVerifier::new(registered.secret)?;
    let (notifications, mut received) = mpsc::channel(8);
    let app = Router::new()
        .route("/tspay/webhook", post(webhook))
        .with_state((verifier, notifications));
    tokio::spawn(async move { axum::serve(listener, app).await });

    // 1. The link: 14.50 EUR, payable once.
    let amount = Money::parse("14.50", Currency::EUR)?;
    let request = PayLinkRequest::new(
        Template::new("Shop S.r.l.", "Ordine 42").payment_ref("Ordine #42"),
        amount,
    )
    .callback_url(format!("{shop}/tspay/return?order=42"))
    .external_ref("order-42")
    .build()?;
    let link = client.pay_links().create(&request).await?;
    println!(
        "order {}: redirect the customer to {}",
        link.order_key, link.url
    );

    // 2. The customer pays (here: the page's Pay button, submitted over plain HTTP).
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let answer = browser
        .post(link.url.as_str())
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=pay")
        .send()
        .await?;
    println!("customer paid; TS Pay answered {}", answer.status());

    // 3. The verified notification (a hint: confirm before fulfilling).
    // The sandbox delivers before redirecting; a real provider may take longer (or retry).
    let waited = tokio::time::timeout(std::time::Duration::from_secs(5), received.recv()).await;
    if let Ok(Some(notification)) = waited {
        println!(
            "verified notification: charge {} is {} ({})",
            notification
                .payload
                .charge_key
                .as_ref()
                .map_or("-", |k| k.as_str()),
            notification.payload.state.as_str(),
            notification.payload.amount
        );
    } else {
        println!("no verified notification received within 5 s");
    }

    // 4. The payment confirmed for order 42 (the key stored with it, its amount), read from
    //    TS Pay: this is what counts.
    let expected = ExpectedPayment::new(link.order_key.as_str(), amount);
    let verdict = client.confirm_payment(&link.order_key, &expected).await?;
    println!("order 42 ({}): {verdict}", link.order_key);

    sandbox.shutdown().await;
    Ok(())
}

/// `POST /tspay/webhook`: verifies `X-Message-Hash` over the raw body, then passes the
/// notification on. Anything unverified is refused and never parsed.
async fn webhook(
    State((verifier, notifications)): State<(WebhookVerifier, mpsc::Sender<Notification>)>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    match verifier.verify(&headers, &body) {
        Ok(notification) => {
            let _ = notifications.send(notification).await;
            StatusCode::OK
        }
        Err(_) => StatusCode::UNAUTHORIZED,
    }
}
