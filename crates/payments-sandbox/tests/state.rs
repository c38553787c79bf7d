//! `--state DIR` / `SandboxConfig::state_dir`: keys, TS Pay webhook registrations (with their
//! HMAC secrets), objects and notifications survive a restart on the same directory; `--reset`
//! starts clean.

mod common;

use std::path::PathBuf;

use common::{Auth, Listener, client, decide, get, header, json_of, post_json, start_with};
use payments_sandbox::{RunningSandbox, SandboxConfig};
use serde_json::json;

fn hmac_hex(secret: &str, body: &[u8]) -> String {
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, secret.as_bytes());
    aws_lc_rs::hmac::sign(&key, body)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A fresh directory under the system temp dir (removed at the end of the test).
fn state_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("payments-sandbox-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

async fn start_on(dir: &PathBuf, reset: bool) -> RunningSandbox {
    start_with(SandboxConfig::new().state_dir(dir).reset_state(reset)).await
}

async fn create_product(s: &RunningSandbox) -> String {
    let c = client();
    let creds = s.begateway_credentials().clone();
    let body = json!({
        "name": "Kept", "description": "survives a restart", "currency": "USD", "amount": 990,
        "infinite": true, "immortal": true
    });
    let (status, p) = json_of(
        post_json(
            &c,
            &format!("{}/products", s.begateway_api_url()),
            &body,
            Auth::Basic(&creds.shop_id, &creds.secret_key),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{p}");
    p["id"].as_str().unwrap().to_owned()
}

async fn product_status(s: &RunningSandbox, id: &str) -> u16 {
    let creds = s.begateway_credentials().clone();
    get(
        &client(),
        &format!("{}/products/{id}", s.begateway_api_url()),
        Auth::Basic(&creds.shop_id, &creds.secret_key),
    )
    .await
    .status()
    .as_u16()
}

#[tokio::test]
async fn a_restart_on_the_same_state_dir_keeps_keys_webhook_secrets_and_objects() {
    let dir = state_dir("restart");
    let listener = Listener::start().await;
    let c = client();

    let first = start_on(&dir, false).await;
    let keys = (
        first.begateway_credentials().public_key.clone(),
        first.greenpay_credentials().public_key.clone(),
    );
    let api_key = first.tspay_credentials().api_key.clone();
    let (status, hook) = json_of(
        post_json(
            &c,
            &format!("{}/notification/webhook", first.tspay_url()),
            &json!({"event": "tspay_charge.*", "endpoint": format!("{}/hook", listener.base_url)}),
            Auth::Bearer(&api_key),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{hook}");
    let secret = hook["secret"].as_str().unwrap().to_owned();
    let (status, link) = json_of(
        post_json(
            &c,
            &format!("{}/orders/link2pay", first.tspay_url()),
            &json!({"amount": 700, "callbackUrl": "https://m.example/ok"}),
            Auth::Bearer(&api_key),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{link}");
    let order_key = link["orderKey"].as_str().unwrap().to_owned();
    let product = create_product(&first).await;
    first.shutdown().await;

    let second = start_on(&dir, false).await;
    assert_eq!(second.state_dir(), Some(dir.as_path()));
    assert_eq!(second.begateway_credentials().public_key, keys.0);
    assert_eq!(second.greenpay_credentials().public_key, keys.1);
    assert_eq!(product_status(&second, &product).await, 200);
    // The link made before the restart is still payable, and its notification goes to the
    // webhook registered before the restart, signed with the secret handed out then.
    let page = format!("{}/pay/{order_key}", second.tspay_url());
    let paid = decide(&c, &page, "pay").await;
    assert_eq!(paid.status(), 303);
    let got = listener.take();
    assert_eq!(got.len(), 1, "one notification");
    assert_eq!(
        header(&got[0], "x-message-hash"),
        hmac_hex(&secret, &got[0].body)
    );
    assert_eq!(second.deliveries().len(), 1);
    second.shutdown().await;

    // A third start still sees the notification sent by the second.
    let third = start_on(&dir, false).await;
    assert_eq!(third.deliveries().len(), 1);
    assert_eq!(third.deliveries()[0].status, Some(200));
    third.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn reset_forgets_the_saved_keys_and_objects() {
    let dir = state_dir("reset");
    let first = start_on(&dir, false).await;
    let key = first.begateway_credentials().public_key.clone();
    let product = create_product(&first).await;
    first.shutdown().await;

    let fresh = start_on(&dir, true).await;
    assert_ne!(fresh.begateway_credentials().public_key, key);
    assert_eq!(product_status(&fresh, &product).await, 404);
    fresh.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_state_file_that_is_not_the_sandboxs_is_refused_with_its_path() {
    let dir = state_dir("corrupt");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("state.json"), "not json").unwrap();
    let err = payments_sandbox::Sandbox::start(SandboxConfig::new().state_dir(&dir))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("state.json"), "{err}");
    assert!(err.to_string().contains("--reset"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn without_a_state_dir_each_start_has_new_keys() {
    let a = start_with(SandboxConfig::new()).await;
    let b = start_with(SandboxConfig::new()).await;
    assert_eq!(a.state_dir(), None);
    assert_ne!(
        a.begateway_credentials().public_key,
        b.begateway_credentials().public_key
    );
}
