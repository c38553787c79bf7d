//! A beGateway payment link, end to end, against the local sandbox: create a product, let the
//! customer pay on its page, verify the signed notification, then confirm the payment for the
//! order.
//!
//! Run it (no setup, nothing leaves 127.0.0.1):
//!
//! ```sh
//! cargo run -p begateway --example pay_by_link --features webhooks
//! ```
//!
//! Against the real beGateway (or a white-label such as bePaid), drop the sandbox and build the
//! client with your shop id and secret key (and the white-label's hosts, if any):
//!
//! ```ignore
//! let credentials = Credentials::new(std::env::var("BEGATEWAY_SHOP_ID")?, std::env::var("BEGATEWAY_SECRET_KEY")?);
//! let client = Client::builder(credentials.clone()).build()?;
//! let verifier = WebhookVerifier::new(credentials)?.public_key(&std::env::var("BEGATEWAY_PUBLIC_KEY")?)?;
//! ```
//!
//! and use `https` return and notification URLs of your shop. There the customer opens
//! `product.pay_url` in their own browser; here a plain HTTP client plays the customer.

#![allow(clippy::print_stdout, reason = "an example prints what it does")]

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use begateway::{
    Client, CreateProduct, Credentials, Currency, ExpectedPayment, Language, Money, ReturnParams,
    Transaction, WebhookVerifier,
};
use payments_sandbox::{Sandbox, SandboxConfig};
use tokio::sync::mpsc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A local beGateway on 127.0.0.1 (ephemeral port) with its test shop and public key.
    let sandbox = Sandbox::start(SandboxConfig::new()).await?;
    let shop_creds = sandbox.begateway_credentials();
    let credentials = Credentials::new(shop_creds.shop_id.clone(), shop_creds.secret_key.clone());
    let client = Client::builder(credentials.clone())
        .api_base_url(sandbox.begateway_api_url())
        .gateway_base_url(sandbox.begateway_gateway_url())
        .build()?;
    let verifier = WebhookVerifier::new(credentials)?.public_key(&shop_creds.public_key)?;

    // Your notification endpoint.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let shop = format!("http://{}", listener.local_addr()?);
    let (notifications, mut received) = mpsc::channel(8);
    let app = Router::new()
        .route("/begateway/notify", post(notify))
        .with_state((verifier, notifications));
    tokio::spawn(async move { axum::serve(listener, app).await });

    // 1. A product with its payment link: 9.90 USD, unlimited stock, no deadline.
    let price = Money::parse("9.90", Currency::USD)?;
    let request = CreateProduct::new("Pro plan", "Monthly access", price)
        .infinite()
        .immortal()
        .language(Language::En)
        .return_url(format!("{shop}/begateway/return?order=42"))
        .notification_url(format!("{shop}/begateway/notify"));
    let product = client.products().create(&request).await?;
    println!(
        "product {}: redirect the customer to {}",
        product.id, product.pay_url
    );

    // 2. The customer pays order 42 (here: the page's Pay button, submitted over plain HTTP);
    //    the payment carries the order reference as its tracking_id.
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let answer = browser
        .post(product.pay_url.as_str())
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=pay&tracking_id=order-42")
        .send()
        .await?;
    let back_to = answer
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    println!("customer paid; beGateway sends them back to {back_to}");

    // 3. The verified notification.
    // The sandbox delivers before redirecting; a real provider may take longer (or retry).
    let waited = tokio::time::timeout(std::time::Duration::from_secs(5), received.recv()).await;
    if let Ok(Some(transaction)) = waited {
        println!(
            "verified notification: transaction {} is {} ({})",
            transaction.uid,
            transaction.status.as_str(),
            transaction
                .amount
                .map_or_else(|| "no amount".to_owned(), |m| m.to_string())
        );
    } else {
        println!("no verified notification received within 5 s");
    }

    // 4. The return's query string is only a lookup handle: ask beGateway whether that
    //    transaction is the paid payment of order 42.
    let back = ReturnParams::from_url(&back_to.parse()?);
    let expected = ExpectedPayment::new("order-42", price).test(product.test);
    if let Some(uid) = back.uid() {
        let verdict = client.transactions().confirm(uid, &expected).await?;
        println!("transaction {uid} for order 42: {verdict}");
    }

    sandbox.shutdown().await;
    Ok(())
}

/// `POST /begateway/notify`: checks the Basic credentials and `Content-Signature` over the raw
/// body, then passes the transaction on. Anything unverified is refused and never parsed.
async fn notify(
    State((verifier, notifications)): State<(WebhookVerifier, mpsc::Sender<Transaction>)>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    match verifier.verify(&headers, &body) {
        Ok(notification) => {
            let _ = notifications.send(notification.transaction).await;
            StatusCode::OK
        }
        Err(_) => StatusCode::UNAUTHORIZED,
    }
}
