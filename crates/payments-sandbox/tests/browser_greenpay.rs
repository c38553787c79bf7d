//! GreenPay's hosted pages in a real browser: headless Chromium driven through chromedriver
//! (see `browser/webdriver.rs`). A payment order paid, and another declined, on the hosted
//! payment form (the browser lands on the order's callback with the result appended, and the
//! order cannot be paid twice); a card saved on the hosted tokenization form (the browser lands
//! on the callback, and the returned token charges). Screenshots go to
//! `<target dir>/browser-screenshots/greenpay-*.png`.
//!
//! Needs the Debian packages `chromium` and `chromium-driver`; without them the test says why
//! on the real standard error and passes, unless `PAYMENTS_BROWSER_TESTS=required` (then it
//! fails). `PAYMENTS_BROWSER_TESTS=off` skips it.

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "browser/webdriver.rs"]
mod webdriver;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use axum::Router;
use base64::Engine as _;
use payments_sandbox::{RunningSandbox, Sandbox, SandboxConfig};
use serde_json::{Value, json};

use webdriver::{Driver, Session, Tools};

/// How long the browser may take to land on the callback after a click.
const REDIRECT_TIMEOUT: Duration = Duration::from_secs(10);

fn skip(why: &str) {
    use std::io::Write as _;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "\n{why}");
    let _ = err.flush();
}

/// A merchant site that answers every GET (the callbacks) with "returned".
async fn merchant() -> String {
    let app = Router::new().fallback(|| async { "returned" });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

/// `POST <url>` with the sandbox credentials added to `body`.
async fn post(sandbox: &RunningSandbox, url: &str, mut body: Value) -> Value {
    let c = sandbox.greenpay_credentials();
    body["merchantId"] = c.merchant_id.clone().into();
    body["secret"] = c.secret.clone().into();
    reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn screenshot(name: &str, png: &[u8]) {
    assert!(png.starts_with(b"\x89PNG"), "{name}: a PNG screenshot");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("greenpay-{name}.png")), png).unwrap();
}

/// The JSON result the hosted form appended to `callback` (URL-safe base64).
fn appended(url: &str, callback: &str) -> Value {
    let data = url
        .strip_prefix(&format!("{callback}/"))
        .unwrap_or_else(|| panic!("{url} is not under {callback}"));
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(data)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

async fn click_and_land(session: &Session<'_>, button: &str, callback: &str) -> String {
    let element = session.find(button).await.unwrap();
    session.click(&element).await.unwrap();
    session
        .wait_for_url(REDIRECT_TIMEOUT, |url| url.starts_with(callback))
        .await
        .unwrap()
}

async fn payment_form(session: &Session<'_>, sandbox: &RunningSandbox, merchant: &str) {
    for (reference, button, success) in
        [("order-b1", "#pay", true), ("order-b2", "#decline", false)]
    {
        let callback = format!("{merchant}/greenpay/return");
        let order = post(
            sandbox,
            &sandbox.greenpay_url(),
            json!({"amount": 14.5, "currency": "USD", "description": "Parking ticket",
                   "orderReference": reference, "callback": callback}),
        )
        .await;
        let page = format!(
            "{}/{}",
            sandbox.greenpay_checkout_form_url(),
            order["session"].as_str().unwrap()
        );
        session.goto(&page).await.unwrap();
        let amount = session
            .text(&session.find("#amount").await.unwrap())
            .await
            .unwrap();
        assert_eq!(amount, "14.50 USD");
        screenshot(
            &format!("checkout-{reference}"),
            &session.screenshot().await.unwrap(),
        );
        let landed = click_and_land(session, button, &callback).await;
        let result = appended(&landed, &callback);
        assert_eq!(result["orderId"], reference);
        assert_eq!(result["result"]["success"], success, "{result}");
        assert!(result["_signature"].as_str().is_some_and(|s| !s.is_empty()));
        // The order pays once: its page is gone.
        session.goto(&page).await.unwrap();
        assert!(
            session.find("#pay").await.is_err(),
            "{reference}: the form is still there"
        );
    }
}

async fn tokenization_form(session: &Session<'_>, sandbox: &RunningSandbox, merchant: &str) {
    let callback = format!("{merchant}/greenpay/cards");
    let order = post(
        sandbox,
        &format!("{}/tokenize", sandbox.greenpay_url()),
        json!({"requestId": "req-browser-1", "callback": callback}),
    )
    .await;
    let page = format!(
        "{}/{}",
        sandbox.greenpay_tokenize_form_url(),
        order["session"].as_str().unwrap()
    );
    session.goto(&page).await.unwrap();
    screenshot("tokenize-form", &session.screenshot().await.unwrap());
    let landed = click_and_land(session, "#pay", &callback).await;
    let result = appended(&landed, &callback);
    assert_eq!(result["status"], 200, "{result}");
    assert_eq!(result["requestId"], "req-browser-1");
    assert_eq!(result["result"]["last_digits"], "4242");
    let token = result["result"]["token"].as_str().unwrap().to_owned();
    // The token the browser brought back charges.
    let mut body = json!({"amount": 5, "currency": "USD", "description": "x",
                          "orderReference": "order-b3", "token": token});
    body["terminal"] = sandbox.greenpay_credentials().terminal.clone().into();
    let charged = post(
        sandbox,
        &format!("{}/tokenPayment", sandbox.greenpay_url()),
        body,
    )
    .await;
    assert_eq!(charged["result"]["success"], true, "{charged}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn greenpay_hosted_forms_in_a_real_browser() {
    let required = std::env::var("PAYMENTS_BROWSER_TESTS").is_ok_and(|v| v == "required");
    if std::env::var("PAYMENTS_BROWSER_TESTS").is_ok_and(|v| v == "off") {
        skip("GreenPay browser test skipped: PAYMENTS_BROWSER_TESTS=off");
        return;
    }
    let Some(tools): Option<Tools> = webdriver::find_tools() else {
        assert!(
            !required,
            "PAYMENTS_BROWSER_TESTS=required but chromedriver or chromium was not found"
        );
        skip(
            "GreenPay browser test skipped: install chromium and chromium-driver, or set \
             PAYMENTS_BROWSER_TESTS=required to make this a failure",
        );
        return;
    };
    let started = Instant::now();
    let sandbox = Sandbox::start(SandboxConfig::new()).await.unwrap();
    let merchant = merchant().await;
    let driver = Driver::start(&tools).await.unwrap();
    let session = driver.session(&tools).await.unwrap();

    payment_form(&session, &sandbox, &merchant).await;
    tokenization_form(&session, &sandbox, &merchant).await;

    session.quit().await.unwrap();
    drop(driver);
    sandbox.shutdown().await;
    println!(
        "GreenPay hosted forms in a real browser in {:.1?} ({})",
        started.elapsed(),
        tools.chromium.display()
    );
}
