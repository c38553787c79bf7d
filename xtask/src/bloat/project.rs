//! The throwaway projects `cargo xtask bloat` measures: one per provider crate (default
//! features) and the bare stack, each a binary that makes one call.

use std::path::Path;

/// Names accepted by `--only`, in report order (each bare stack first: ratios are against it).
/// The `-ring` pair measures the opt-in `ring` crypto provider: a provider crate with
/// `default-features = false, features = ["ring"]` against reqwest with `rustls-no-provider`
/// and rustls's ring provider.
pub(crate) const NAMES: [&str; 7] = [
    "bare",
    "jatapay",
    "tspay",
    "greenpay",
    "begateway",
    "bare-ring",
    "begateway-ring",
];

/// Peers measured only when named with `--only`: async-stripe 1.0 with one resource (checkout
/// sessions), the best-known Rust payments SDK, built with rustls and ring. Its binary only
/// links the crates (no call is made): its build time is the figure compared.
pub(crate) const PEERS: [&str; 1] = ["async-stripe"];

const ASYNC_STRIPE_DEPS: &str = r#"async-stripe = { version = "=1.0.0-rc.10", default-features = false, features = ["rustls-tls-webpki-roots", "rustls-ring"] }
async-stripe-checkout = { version = "=1.0.0-rc.10", features = ["checkout_session"] }
"#;

/// The bare stack this project is compared with.
pub(crate) fn baseline(name: &str) -> &'static str {
    if name.ends_with("-ring") {
        "bare-ring"
    } else {
        "bare"
    }
}

/// The bare stack: reqwest with the provider crates' features (rustls, json, no defaults),
/// serde, serde_json and tokio.
const BARE_DEPS: &str = r#"reqwest = { version = "0.13", default-features = false, features = ["rustls", "json"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
"#;

/// The bare stack with the ring provider, as an application would set it up by hand.
const BARE_RING_DEPS: &str = r#"reqwest = { version = "0.13", default-features = false, features = ["rustls-no-provider", "json"] }
rustls = { version = "0.23", default-features = false, features = ["std", "ring"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
"#;

const BARE_MAIN: &str = r#"#[derive(serde::Deserialize)]
struct Product {
    id: String,
    amount: i64,
}

#[tokio::main]
async fn main() {
    // (the `bare-ring` project installs the ring provider here)
    let client = reqwest::Client::new();
    let result = async {
        client
            .get("http://127.0.0.1:9/products/prd_1")
            .basic_auth("361", Some("secret"))
            .send()
            .await?
            .error_for_status()?
            .json::<Product>()
            .await
    }
    .await;
    println!("{}", result.map(|p| format!("{} {}", p.id, p.amount)).is_ok());
}
"#;

fn provider_main(name: &str) -> &'static str {
    match name {
        "jatapay" => {
            r#"#[tokio::main]
async fn main() {
    let client = jatapay::Client::builder(jatapay::Credentials::token(jatapay::SecretString::from("token")))
        .api_base_url("http://127.0.0.1:9")
        .build();
    let ok = match client {
        Ok(c) => c.subscriptions().get(&jatapay::SubscriptionId::new("65b279426d2f219d702a7f69")).await.is_ok(),
        Err(_) => false,
    };
    println!("{ok}");
}
"#
        }
        "tspay" => {
            r#"#[tokio::main]
async fn main() {
    let ok = match tspay::Client::builder(tspay::Credentials::new("key")).base_url("http://127.0.0.1:9").build() {
        Ok(c) => c.charges().of_order(&tspay::OrderKey::new("ok_1")).await.is_ok(),
        Err(_) => false,
    };
    println!("{ok}");
}
"#
        }
        "greenpay" => {
            r#"#[tokio::main]
async fn main() {
    let client = greenpay::Client::builder(greenpay::Credentials::new("merchant", "terminal", greenpay::SecretString::from("secret")))
        .base_url("http://127.0.0.1:9")
        .build();
    let ok = match client {
        Ok(c) => c
            .subscriptions()
            .pay(&greenpay::subscriptions::ManualPayment::new(greenpay::SubscriptionId::new("9541b344c3d45d421acd454d61251cde")))
            .await
            .is_ok(),
        Err(_) => false,
    };
    println!("{ok}");
}
"#
        }
        _ => {
            r#"#[tokio::main]
async fn main() {
    let client = begateway::Client::builder(begateway::Credentials::new("361", begateway::SecretString::from("secret")))
        .api_base_url("http://127.0.0.1:9")
        .build();
    let ok = match client {
        Ok(c) => c.products().get(&begateway::ProductId::new("prd_1")).await.is_ok(),
        Err(_) => false,
    };
    println!("{ok}");
}
"#
        }
    }
}

/// `Cargo.toml` and `src/main.rs` of the project `name`; provider crates by path from `root`.
pub(crate) fn files(root: &Path, name: &str) -> (String, String) {
    let deps = match name {
        "bare" => BARE_DEPS.to_owned(),
        "bare-ring" => BARE_RING_DEPS.to_owned(),
        "async-stripe" => ASYNC_STRIPE_DEPS.to_owned(),
        _ => match name.strip_suffix("-ring") {
            Some(krate) => format!(
                "{krate} = {{ path = {:?}, default-features = false, features = [\"ring\"] }}\n",
                root.join("crates").join(krate).display().to_string()
            ),
            None => format!(
                "{name} = {{ path = {:?} }}\n",
                root.join("crates").join(name).display().to_string()
            ),
        },
    };
    let manifest = format!(
        r#"# Generated by `cargo xtask bloat`; throwaway.
[package]
name = "bloat-{name}"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
{deps}tokio = {{ version = "1", default-features = false, features = ["rt-multi-thread", "macros"] }}

# Not a member of the repository's workspace.
[workspace]
"#
    );
    let main = match name {
        "bare" => BARE_MAIN.to_owned(),
        "async-stripe" => "#[tokio::main]\nasync fn main() {}\n".to_owned(),
        "bare-ring" => BARE_MAIN.replace(
            "    // (the `bare-ring` project installs the ring provider here)\n",
            "    let _ = rustls::crypto::ring::default_provider().install_default();\n",
        ),
        _ => provider_main(name.strip_suffix("-ring").unwrap_or(name)).to_owned(),
    };
    (manifest, main)
}
