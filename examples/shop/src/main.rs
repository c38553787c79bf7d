//! Runs the example shop against the local sandbox:
//!
//! ```sh
//! cargo run -p shop
//! ```
//!
//! then create an order and pay it as the printed instructions say.

#![allow(clippy::print_stdout, reason = "an example prints what it does")]

use payments_sandbox::{Sandbox, SandboxConfig};
use shop::Shop;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start(SandboxConfig::new()).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let public_url = format!("http://{}", listener.local_addr()?);
    let providers = shop::sandbox::providers(&sandbox, &public_url).await?;
    println!("sandbox (beGateway and TS Pay) at {}", sandbox.base_url());
    println!("shop at {public_url}; try:");
    println!(
        "  curl -s -X POST {public_url}/orders -H 'content-type: application/json' \\\n    -d '{{\"provider\":\"tspay\",\"amount\":\"14.50\",\"currency\":\"eur\"}}'"
    );
    println!("  then open the pay_url it answers, pay, and GET {public_url}/orders/<id>");
    println!("Ctrl-C stops both.");
    let app = Shop::new(providers, public_url).router();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    sandbox.shutdown().await;
    Ok(())
}
