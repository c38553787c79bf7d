//! A JataPay subscription, end to end, against the local sandbox: create it, send the customer
//! to the hosted gateway, let them pay, then read the subscription back server-side.
//!
//! Run it (no setup, nothing leaves 127.0.0.1):
//!
//! ```sh
//! cargo run -p jatapay --example subscription
//! ```
//!
//! Against the real JataPay, drop the sandbox and build the client with the credentials from the
//! "Sviluppatori" section of your dashboard and the default hosts:
//!
//! ```ignore
//! let client = Client::builder(Credentials::new(
//!     SecretString::from(std::env::var("JATAPAY_CLIENT_ID")?),
//!     SecretString::from(std::env::var("JATAPAY_CLIENT_SECRET")?),
//! ))
//! .build()?;
//! ```
//!
//! and use an `https` callback URL of your shop. There the customer opens the gateway URL in
//! their own browser; here a plain HTTP client plays the customer.

#![allow(clippy::print_stdout, reason = "an example prints what it does")]

use jatapay::{
    Client, Credentials, Currency, ExpectedPayment, GatewayRequest, Money, SecretString,
    StatusReading,
};
use payments_sandbox::{Sandbox, SandboxConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A local JataPay on 127.0.0.1 (ephemeral port) with its test credentials.
    let sandbox = Sandbox::start(SandboxConfig::new()).await?;
    let creds = sandbox.jatapay_credentials();

    let client = Client::builder(Credentials::new(
        SecretString::from(creds.client_id.clone()),
        SecretString::from(creds.client_secret.clone()),
    ))
    .auth_base_url(sandbox.jatapay_auth_url())
    .api_base_url(sandbox.jatapay_api_url())
    .gateway_base_url(sandbox.jatapay_dashboard_url())
    .build()?;

    // Your shop's return page: here a one-shot listener on an ephemeral port, so that the
    // customer really lands somewhere when JataPay sends them back.
    let shop = ShopReturnPage::start().await?;

    // 1. Create the subscription: 20.00 EUR a month (sent as `importo: 2000` cents). The return
    //    URL names the order: it is how a subscription is tied to order 42 when confirming.
    let return_url = shop.url("/jatapay/return?order=42");
    let return_url = return_url.as_str();
    let amount = Money::parse("20.00", Currency::EUR)?;
    let request = GatewayRequest::new(amount, return_url, "Piano mensile").note("Ordine 42");
    let created = client.subscriptions().create(&request).await?;
    println!("created subscription {}", created.id);

    // 2. Redirect the customer's browser to the hosted gateway.
    let gateway = client.gateway_url(&created.id)?;
    println!("redirect the customer to {gateway}");

    // 3. The customer pays (here: the gateway's Pay button, submitted over plain HTTP).
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let answer = browser
        .post(gateway.as_str())
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=pay")
        .send()
        .await?;
    let back_to = answer
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    println!(
        "customer paid; JataPay answered {} and sends them back to {back_to}",
        answer.status()
    );
    let landed = browser.get(back_to).send().await?.text().await?;
    println!("the customer's browser follows: your return page says {landed:?}");

    // 4. The return proves nothing (anyone can open that URL): read the subscription back.
    let subscription = client.subscriptions().get(&created.id).await?;
    println!(
        "read back: stato={} importo={} (outcome: {:?}, inferred outcome: {:?})",
        subscription.status.as_str(),
        subscription.amount,
        subscription.outcome(),
        subscription.inferred_outcome()
    );
    // JataPay documents only `iniziata`, so `outcome()` reads every `stato` as Pending;
    // `inferred_outcome()` trusts the undocumented names (`attiva` = paid, as the sandbox
    // says once the customer pays). Confirm them with JataPay before shipping on them.

    // 5. What to act on: the subscription confirmed for order 42 (its callback URL, the amount,
    //    the state under the inferred reading). Only `Paid` means "activate order 42".
    let expected = ExpectedPayment::new(return_url, amount);
    let verdict = client
        .subscriptions()
        .confirm(&created.id, &expected, StatusReading::Inferred)
        .await?;
    println!("confirmed for order 42: {verdict}");

    sandbox.shutdown().await;
    Ok(())
}

/// A stand-in for the shop's return page: answers every request with a short text and records
/// nothing — the return proves nothing, the confirmation above is what counts.
struct ShopReturnPage {
    base: String,
}

impl ShopReturnPage {
    async fn start() -> std::io::Result<Self> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut head = [0u8; 4096];
                let _ = socket.read(&mut head).await;
                let body = "Thank you: we are checking your payment with JataPay.";
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(reply.as_bytes()).await;
            }
        });
        Ok(ShopReturnPage { base })
    }

    fn url(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.base)
    }
}
