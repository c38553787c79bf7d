//! What the sandbox prints is exactly what each SDK's client builder takes: for each provider,
//! build the real client from those values and complete a call.
//!
//! Two sources: [`payments_sandbox::RunningSandbox::client_settings`] of an in-process sandbox,
//! and the text the `payments-sandbox` binary prints on start-up (parsed back line by line).

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};

use payments_sandbox::{ClientSettings, Sandbox, SandboxConfig};

/// The printed values, by `(section, key)`; the top lines are in section `""`.
struct Values(HashMap<(String, String), String>);

impl Values {
    fn parse(text: &str) -> Values {
        let mut section = String::new();
        let mut map = HashMap::new();
        for line in text.lines() {
            let line = line.trim();
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = name.to_owned();
            } else if let Some((key, value)) = line.split_once(" = ")
                && !line.starts_with('#')
            {
                map.insert((section.clone(), key.to_owned()), value.to_owned());
            }
        }
        Values(map)
    }

    fn from_settings(s: &ClientSettings) -> Values {
        let mut map = HashMap::new();
        let mut put = |section: &str, key: &str, value: &str| {
            map.insert((section.to_owned(), key.to_owned()), value.to_owned());
        };
        put("", "base_url", &s.base_url);
        put("jatapay", "auth_base_url", &s.jatapay.auth_base_url);
        put("jatapay", "api_base_url", &s.jatapay.api_base_url);
        put("jatapay", "gateway_base_url", &s.jatapay.gateway_base_url);
        put("jatapay", "client_id", &s.jatapay.client_id);
        put("jatapay", "client_secret", &s.jatapay.client_secret);
        put("tspay", "base_url", &s.tspay.base_url);
        put("tspay", "api_key", &s.tspay.api_key);
        put("tspay", "item_id", &s.tspay.item_id);
        put("tspay", "app_secret", &s.tspay.app_secret);
        put("greenpay", "base_url", &s.greenpay.base_url);
        put("greenpay", "merchant_id", &s.greenpay.merchant_id);
        put("greenpay", "terminal", &s.greenpay.terminal);
        put("greenpay", "secret", &s.greenpay.secret);
        put("greenpay", "public_key", &s.greenpay.public_key);
        put("begateway", "api_base_url", &s.begateway.api_base_url);
        put(
            "begateway",
            "gateway_base_url",
            &s.begateway.gateway_base_url,
        );
        put("begateway", "shop_id", &s.begateway.shop_id);
        put("begateway", "secret_key", &s.begateway.secret_key);
        put("begateway", "public_key", &s.begateway.public_key);
        Values(map)
    }

    fn get(&self, section: &str, key: &str) -> String {
        self.0
            .get(&(section.to_owned(), key.to_owned()))
            .unwrap_or_else(|| panic!("no `{key}` in [{section}]"))
            .clone()
    }
}

const CALLBACK: &str = "http://127.0.0.1:9/shop/return?order=42";

async fn jatapay_call(v: &Values) {
    use jatapay::{Client, Credentials, Currency, GatewayRequest, Money, SecretString};
    let client = Client::builder(Credentials::new(
        SecretString::from(v.get("jatapay", "client_id")),
        SecretString::from(v.get("jatapay", "client_secret")),
    ))
    .auth_base_url(v.get("jatapay", "auth_base_url"))
    .api_base_url(v.get("jatapay", "api_base_url"))
    .gateway_base_url(v.get("jatapay", "gateway_base_url"))
    .build()
    .unwrap();
    let request = GatewayRequest::new(
        Money::parse("20.00", Currency::EUR).unwrap(),
        CALLBACK,
        "Piano mensile",
    );
    let created = client.subscriptions().create(&request).await.unwrap();
    let read = client.subscriptions().get(&created.id).await.unwrap();
    assert_eq!(read.id, created.id);
    // The hosted page the client points the customer at is served.
    let page = client.gateway_url(&created.id).unwrap();
    let status = reqwest::get(page.as_str()).await.unwrap().status();
    assert_eq!(status, 200, "jatapay gateway page {page}");
}

async fn tspay_call(v: &Values) {
    use tspay::{Client, Credentials, Currency, Money, PayLinkRequest, Template};
    let client = Client::builder(Credentials::new(v.get("tspay", "api_key")))
        .base_url(v.get("tspay", "base_url"))
        .item_id(v.get("tspay", "item_id"))
        .build()
        .unwrap();
    let link = client
        .pay_links()
        .create(&PayLinkRequest::new(
            Template::new("Shop", "Order 42"),
            Money::parse("14.50", Currency::EUR).unwrap(),
        ))
        .await
        .unwrap();
    let charges = client.charges().of_order(&link.order_key).await.unwrap();
    assert!(charges.charges.is_empty());
    // The printed AppSecret issues API keys through the SDK.
    let issued = tspay::Onboarding::builder(tspay::AppSecret::new(v.get("tspay", "app_secret")))
        .base_url(v.get("tspay", "base_url"))
        .build()
        .unwrap()
        .request_api_key()
        .await
        .unwrap();
    assert_eq!(issued.state, Some(tspay::ApiKeyState::Init));
}

async fn greenpay_call(v: &Values) {
    use greenpay::subscriptions::ListSubscriptions;
    use greenpay::{Client, Credentials};
    let client = Client::builder(Credentials::new(
        v.get("greenpay", "merchant_id"),
        v.get("greenpay", "terminal"),
        v.get("greenpay", "secret"),
    ))
    .base_url(v.get("greenpay", "base_url"))
    .build()
    .unwrap();
    let page = client
        .subscriptions()
        .list(&ListSubscriptions::new(1, 10))
        .await
        .unwrap();
    assert!(page.entries.is_empty());
}

async fn begateway_call(v: &Values) {
    use begateway::{Client, CreateProduct, Credentials, Currency, Money};
    let client = Client::builder(Credentials::new(
        v.get("begateway", "shop_id"),
        v.get("begateway", "secret_key"),
    ))
    .api_base_url(v.get("begateway", "api_base_url"))
    .gateway_base_url(v.get("begateway", "gateway_base_url"))
    .build()
    .unwrap();
    let product = client
        .products()
        .create(
            &CreateProduct::new(
                "Basic",
                "Monthly access",
                Money::parse("9.90", Currency::USD).unwrap(),
            )
            .immortal()
            .infinite(),
        )
        .await
        .unwrap();
    let listed = client.products().list().await.unwrap();
    assert!(listed.iter().any(|p| p.id == product.id));
}

async fn one_call_per_provider(v: &Values) {
    jatapay_call(v).await;
    tspay_call(v).await;
    greenpay_call(v).await;
    begateway_call(v).await;
}

#[tokio::test]
async fn client_settings_build_a_working_client_for_every_provider() {
    let sandbox = Sandbox::start(SandboxConfig::new()).await.unwrap();
    let settings = sandbox.client_settings();
    one_call_per_provider(&Values::from_settings(&settings)).await;
    // The printed form carries the same values.
    let printed = Values::parse(&settings.to_string());
    assert_eq!(
        printed.get("jatapay", "auth_base_url"),
        settings.jatapay.auth_base_url
    );
    assert_eq!(
        printed.get("greenpay", "base_url"),
        settings.greenpay.base_url
    );
    sandbox.shutdown().await;
}

/// Kills the sandbox process when the test ends, also on a panic.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_printed_by_the_binary_build_a_working_client_for_every_provider() {
    let state = std::env::temp_dir().join(format!("sandbox-printed-{}", std::process::id()));
    let mut child = Process(
        Command::new(env!("CARGO_BIN_EXE_payments-sandbox"))
            .args(["--port", "0", "--reset", "--state"])
            .arg(&state)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let text = tokio::task::spawn_blocking(move || {
        let mut text = String::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            let done = line.starts_with("Press Ctrl-C");
            text.push_str(&line);
            text.push('\n');
            if done {
                break;
            }
        }
        text
    })
    .await
    .unwrap();
    assert!(text.contains("Press Ctrl-C"), "the banner ends: {text}");
    let values = Values::parse(&text);
    one_call_per_provider(&values).await;
    drop(child);
    let _ = std::fs::remove_dir_all(&state);
}
