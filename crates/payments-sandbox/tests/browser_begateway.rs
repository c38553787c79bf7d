//! beGateway's hosted checkout page in a real browser (headless Chromium through chromedriver,
//! as `browser.rs`): a checkout created over raw HTTP, its page opened and screenshotted
//! (`target/browser-screenshots/begateway-checkout-<pay|decline>.png`), the button clicked, the
//! browser followed to the merchant's success / decline URL with `token`, `uid` and `status`,
//! and the checkout read back finished with the transaction's uid; then the 3-D Secure test
//! card's button, through the challenge page (pass and fail), to the same returns
//! (`begateway-3ds-<pay|decline>.png`).
//!
//! Needs the Debian packages `chromium` and `chromium-driver`; without them the test says why on
//! standard error and passes, unless `PAYMENTS_BROWSER_TESTS=required` (then it fails).
//! `PAYMENTS_BROWSER_TESTS=off` skips it.

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "browser/webdriver.rs"]
mod webdriver;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::Uri;
use base64::Engine as _;
use payments_sandbox::{Sandbox, SandboxConfig};
use serde_json::{Value, json};

use webdriver::{Driver, Tools};

const REDIRECT_TIMEOUT: Duration = Duration::from_secs(10);

type Hits = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// The merchant's site: answers every GET and records path and query.
async fn merchant() -> (String, Hits) {
    async fn returned(State(hits): State<Hits>, uri: Uri) -> &'static str {
        hits.lock()
            .unwrap()
            .push((uri.path().to_owned(), uri.query().map(str::to_owned)));
        "returned"
    }
    let hits: Hits = Arc::default();
    let app = Router::new()
        .fallback(returned)
        .with_state(Arc::clone(&hits));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, hits)
}

fn skip(why: &str) {
    use std::io::Write as _;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "\n{why}");
    let _ = err.flush();
}

async fn call(rb: reqwest::RequestBuilder, shop: &str, key: &str) -> (u16, Value) {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{shop}:{key}"));
    let resp = rb
        .header("authorization", format!("Basic {basic}"))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn begateway_checkout_page_in_a_real_browser() {
    let required = std::env::var("PAYMENTS_BROWSER_TESTS").is_ok_and(|v| v == "required");
    if std::env::var("PAYMENTS_BROWSER_TESTS").is_ok_and(|v| v == "off") {
        skip("browser test skipped: PAYMENTS_BROWSER_TESTS=off");
        return;
    }
    let Some(tools): Option<Tools> = webdriver::find_tools() else {
        assert!(
            !required,
            "PAYMENTS_BROWSER_TESTS=required but chromedriver or chromium was not found"
        );
        skip("browser test skipped: install the Debian packages chromium and chromium-driver");
        return;
    };
    let driver = Driver::start(&tools).await.unwrap();
    let session = driver.session(&tools).await.unwrap();
    let sandbox = Sandbox::start(SandboxConfig::new()).await.unwrap();
    let (base, hits) = merchant().await;
    let creds = sandbox.begateway_credentials();
    let (shop, key) = (creds.shop_id.clone(), creds.secret_key.clone());
    let http = reqwest::Client::new();
    let checkouts = format!("{}/ctp/api/checkouts", sandbox.begateway_checkout_url());

    for (decision, path, expected) in [
        ("pay", "/begateway/paid", "successful"),
        ("decline", "/begateway/declined", "failed"),
    ] {
        let body = json!({"checkout": {
            "transaction_type": "payment", "test": true,
            "order": {"amount": 2500, "currency": "USD", "description": "Order 43",
                "tracking_id": format!("browser-checkout-{decision}")},
            "settings": {"success_url": format!("{base}/begateway/paid"),
                "decline_url": format!("{base}/begateway/declined"), "language": "en"}
        }});
        let (status, created) = call(
            http.post(&checkouts)
                .header("content-type", "application/json")
                .header("x-api-version", "2")
                .body(body.to_string()),
            &shop,
            &key,
        )
        .await;
        assert_eq!(status, 201, "{created}");
        let token = created["checkout"]["token"].as_str().unwrap().to_owned();
        let page = created["checkout"]["redirect_url"]
            .as_str()
            .unwrap()
            .to_owned();

        session.goto(&page).await.unwrap();
        let shown = session
            .text(&session.find("#amount").await.unwrap())
            .await
            .unwrap();
        assert_eq!(shown, "25.00 USD");
        let png = session.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        let dir =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("begateway-checkout-{decision}.png")), &png).unwrap();

        let button = session.find(&format!("#{decision}")).await.unwrap();
        session.click(&button).await.unwrap();
        let target = format!("{base}{path}");
        let landed = session
            .wait_for_url(REDIRECT_TIMEOUT, |url| {
                url.split('?').next() == Some(target.as_str())
            })
            .await
            .unwrap_or_else(|e| panic!("{decision}: {e}"));
        let landed = url::Url::parse(&landed).unwrap();
        let query: Vec<(String, String)> = landed.query_pairs().into_owned().collect();
        let get = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        assert_eq!(get("status").as_deref(), Some(expected), "{landed}");
        assert_eq!(get("token").as_deref(), Some(token.as_str()), "{landed}");
        let uid = get("uid").unwrap();
        assert!(
            hits.lock()
                .unwrap()
                .iter()
                .any(|(p, q)| p == path && q.as_deref() == landed.query()),
            "the merchant saw the browser's return"
        );

        let (status, state) = call(http.get(format!("{checkouts}/{token}")), &shop, &key).await;
        assert_eq!(status, 200, "{state}");
        assert_eq!(state["checkout"]["finished"], true, "{state}");
        assert_eq!(
            state["checkout"]["gateway_response"]["payment"]["uid"],
            uid.as_str()
        );
        assert_eq!(
            state["checkout"]["gateway_response"]["payment"]["status"],
            expected
        );
        // The finished checkout's page refuses a second payment.
        session.goto(&page).await.unwrap();
        assert!(
            session.find("#pay").await.is_err(),
            "{decision}: no Pay button any more"
        );
    }
    // 3-D Secure: the test card's button leads to the challenge page first; its decision
    // (pass or fail) decides the checkout, and only then does the merchant see the customer.
    for (decision, path, expected) in [
        ("pay", "/begateway/paid", "successful"),
        ("decline", "/begateway/declined", "failed"),
    ] {
        let body = json!({"checkout": {
            "transaction_type": "payment", "test": true,
            "order": {"amount": 3000, "currency": "USD", "description": "Order 3DS",
                "tracking_id": format!("browser-3ds-{decision}")},
            "settings": {"success_url": format!("{base}/begateway/paid"),
                "decline_url": format!("{base}/begateway/declined"), "language": "en"}
        }});
        let (status, created) = call(
            http.post(&checkouts)
                .header("content-type", "application/json")
                .header("x-api-version", "2")
                .body(body.to_string()),
            &shop,
            &key,
        )
        .await;
        assert_eq!(status, 201, "{created}");
        let token = created["checkout"]["token"].as_str().unwrap().to_owned();
        let page = created["checkout"]["redirect_url"]
            .as_str()
            .unwrap()
            .to_owned();
        session.goto(&page).await.unwrap();
        let button = session.find("#pay-3ds").await.unwrap();
        session.click(&button).await.unwrap();
        let challenge = session
            .wait_for_url(REDIRECT_TIMEOUT, |url| {
                url.contains("/begateway/gateway/3ds/")
            })
            .await
            .unwrap_or_else(|e| panic!("3ds {decision}: {e}"));
        let shown = session
            .text(&session.find("#amount").await.unwrap())
            .await
            .unwrap();
        assert_eq!(shown, "30.00 USD");
        let png = session.screenshot().await.unwrap();
        let dir =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("begateway-3ds-{decision}.png")), &png).unwrap();
        // Until the challenge is decided, the checkout's transaction is incomplete with the
        // challenge as its redirect URL, and the checkout is not finished.
        let (_, state) = call(http.get(format!("{checkouts}/{token}")), &shop, &key).await;
        assert_eq!(state["checkout"]["finished"], false, "{state}");
        let payment = &state["checkout"]["gateway_response"]["payment"];
        assert_eq!(payment["status"], "incomplete", "{state}");
        assert_eq!(payment["redirect_url"], challenge.as_str(), "{state}");
        assert!(
            !hits
                .lock()
                .unwrap()
                .iter()
                .any(|(_, q)| q.as_deref().is_some_and(|q| q.contains(&token))),
            "the merchant sees nothing before the challenge"
        );

        let button = session.find(&format!("#{decision}")).await.unwrap();
        session.click(&button).await.unwrap();
        let target = format!("{base}{path}");
        let landed = session
            .wait_for_url(REDIRECT_TIMEOUT, |url| {
                url.split('?').next() == Some(target.as_str())
            })
            .await
            .unwrap_or_else(|e| panic!("3ds {decision}: {e}"));
        let landed = url::Url::parse(&landed).unwrap();
        let query: Vec<(String, String)> = landed.query_pairs().into_owned().collect();
        let get = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        assert_eq!(get("status").as_deref(), Some(expected), "{landed}");
        assert_eq!(get("token").as_deref(), Some(token.as_str()), "{landed}");
        let (_, state) = call(http.get(format!("{checkouts}/{token}")), &shop, &key).await;
        assert_eq!(state["checkout"]["finished"], true, "{state}");
        assert_eq!(
            state["checkout"]["gateway_response"]["payment"]["status"],
            expected
        );
        assert_eq!(
            state["checkout"]["gateway_response"]["payment"]["uid"],
            get("uid").unwrap().as_str()
        );
    }
    session.quit().await.unwrap();
    drop(driver);
    sandbox.shutdown().await;
}
