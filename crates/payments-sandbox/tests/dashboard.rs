//! The dashboard at `/`: objects and their states per provider, the notifications sent with
//! signature, status and the merchant's answer, and its buttons (replay a notification, make
//! the next API call time out or fail with 500, move an object to another state).
//!
//! Objects are created through the real SDK clients (built from `client_settings()`), the
//! customer's decisions are posted to the hosted pages. One test drives the buttons over plain
//! HTTP; the other in headless Chromium, with screenshots in
//! `target/browser-screenshots/dashboard-*.png` (skipped, with the reason on the real stderr,
//! when Chromium is missing, unless `PAYMENTS_BROWSER_TESTS=required`).

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "browser/webdriver.rs"]
#[allow(dead_code)]
mod webdriver;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use payments_sandbox::{RunningSandbox, Sandbox, SandboxConfig};

/// Bodies the merchant received.
type Received = Arc<Mutex<Vec<Bytes>>>;

/// The merchant: answers every notification `{"received":true}`.
async fn merchant() -> (String, Received) {
    async fn record(State(got): State<Received>, body: Bytes) -> &'static str {
        got.lock().unwrap().push(body);
        "{\"received\":true}"
    }
    let got: Received = Arc::default();
    let app = Router::new()
        .route("/{*rest}", post(record))
        .with_state(got.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, got)
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn decide(page: &str, decision: &str) {
    let status = browser()
        .post(page)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("decision={decision}"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 303, "{page}");
}

/// What `populate` made.
struct Made {
    greenpay: greenpay::Client,
    transaction_uid: String,
    tspay_order: String,
}

/// One object (or more) per provider, paid where there is a hosted page, with notifications
/// for TS Pay, GreenPay and beGateway sent to the merchant.
async fn populate(sandbox: &RunningSandbox, merchant: &str) -> Made {
    let v = sandbox.client_settings();
    // JataPay: a subscription, paid on its hosted page.
    let jatapay = jatapay::Client::builder(jatapay::Credentials::new(
        v.jatapay.client_id.clone().into(),
        v.jatapay.client_secret.clone().into(),
    ))
    .auth_base_url(&v.jatapay.auth_base_url)
    .api_base_url(&v.jatapay.api_base_url)
    .gateway_base_url(&v.jatapay.gateway_base_url)
    .build()
    .unwrap();
    let request = jatapay::GatewayRequest::new(
        jatapay::Money::parse("20.00", jatapay::Currency::EUR).unwrap(),
        "http://127.0.0.1:9/back",
        "Monthly plan",
    );
    let sub = jatapay.subscriptions().create(&request).await.unwrap();
    decide(jatapay.gateway_url(&sub.id).unwrap().as_str(), "pay").await;

    // TS Pay: a pay link paid once, notified to a registered webhook.
    sandbox.register_tspay_webhook(&format!("{merchant}/tspay"));
    let tspay = tspay::Client::builder(tspay::Credentials::new(v.tspay.api_key.clone()))
        .base_url(v.tspay.base_url.as_str())
        .item_id(v.tspay.item_id.as_str())
        .build()
        .unwrap();
    let link = tspay
        .pay_links()
        .create(
            &tspay::PayLinkRequest::new(
                tspay::Template::new("Shop", "Order 7"),
                tspay::Money::parse("14.50", tspay::Currency::EUR).unwrap(),
            )
            .callback_url("http://127.0.0.1:9/ok"),
        )
        .await
        .unwrap();
    decide(link.url.as_str(), "pay").await;

    // GreenPay: a subscription and a manual payment, notified to the webhook base.
    sandbox.set_greenpay_webhook(&format!("{merchant}/greenpay"));
    let greenpay = greenpay::Client::builder(greenpay::Credentials::new(
        v.greenpay.merchant_id.clone(),
        v.greenpay.terminal.clone(),
        v.greenpay.secret.clone(),
    ))
    .base_url(&v.greenpay.base_url)
    .build()
    .unwrap();
    use greenpay::subscriptions::{Cadence, CreateSubscription, ManualPayment, Plan};
    let created = greenpay
        .subscriptions()
        .create(&CreateSubscription::new(
            "user-7",
            "Pro plan",
            greenpay::CardToken::new("tok-visa-4242"),
            Plan::new(
                greenpay::Money::parse("25.50", greenpay::Currency::USD).unwrap(),
                Cadence::monthly(),
            ),
        ))
        .await
        .unwrap();
    greenpay
        .subscriptions()
        .pay(&ManualPayment::new(created.subscription_id.clone()))
        .await
        .unwrap();

    // beGateway: a product paid through its link, notified with Content-Signature.
    let begateway = begateway::Client::builder(begateway::Credentials::new(
        v.begateway.shop_id.clone(),
        v.begateway.secret_key.clone(),
    ))
    .api_base_url(&v.begateway.api_base_url)
    .gateway_base_url(&v.begateway.gateway_base_url)
    .build()
    .unwrap();
    let product = begateway
        .products()
        .create(
            &begateway::CreateProduct::new(
                "Basic",
                "Monthly access",
                begateway::Money::parse("9.90", begateway::Currency::USD).unwrap(),
            )
            .immortal()
            .infinite()
            .return_url("http://127.0.0.1:9/back")
            .notification_url(format!("{merchant}/begateway")),
        )
        .await
        .unwrap();
    decide(product.pay_url.as_str(), "pay").await;
    let transaction_uid = sandbox
        .deliveries()
        .iter()
        .rev()
        .find(|d| d.provider == "begateway")
        .map(|d| {
            let v: serde_json::Value = serde_json::from_str(&d.body).unwrap();
            v["transaction"]["uid"].as_str().unwrap().to_owned()
        })
        .unwrap();
    Made {
        greenpay,
        transaction_uid,
        tspay_order: link.order_key.as_str().to_owned(),
    }
}

async fn form(sandbox: &RunningSandbox, path: &str, body: &str) -> reqwest::Response {
    browser()
        .post(format!("{}{path}", sandbox.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

async fn dashboard_html(sandbox: &RunningSandbox) -> String {
    let resp = reqwest::get(format!("{}/", sandbox.base_url()))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.text().await.unwrap()
}

/// One raw GreenPay list call (no SDK retries): its HTTP status.
async fn greenpay_list_status(sandbox: &RunningSandbox) -> u16 {
    let v = sandbox.client_settings().greenpay;
    let body = serde_json::json!({
        "merchantId": v.merchant_id, "secret": v.secret, "terminal": v.terminal,
        "page": 1, "pageSize": 10
    });
    reqwest::Client::new()
        .post(format!("{}/subscriptions/list", v.base_url))
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_lists_objects_and_notifications_and_its_buttons_act() {
    let sandbox = Sandbox::start(SandboxConfig::new()).await.unwrap();
    let (merchant, got) = merchant().await;
    let made = populate(&sandbox, &merchant).await;
    assert_eq!(
        got.lock().unwrap().len(),
        3,
        "tspay, greenpay, begateway notified"
    );

    let html = dashboard_html(&sandbox).await;
    for needle in [
        "JataPay",
        "attiva",
        made.tspay_order.as_str(),
        "ACTIVE",
        made.transaction_uid.as_str(),
        "successful",
        "X-Message-Hash",
        "Content-Signature",
        "{&quot;received&quot;:true}",
    ] {
        assert!(html.contains(needle), "dashboard shows {needle}");
    }

    // Replay: the merchant receives the same body again, and a new row is listed.
    let before = sandbox.deliveries();
    let last = before.len() - 1;
    assert_eq!(
        form(&sandbox, "/_sandbox/replay", &format!("index={last}"))
            .await
            .status(),
        303
    );
    let after = sandbox.deliveries();
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(after[last + 1].body, before[last].body);
    assert_eq!(after[last + 1].headers, before[last].headers);
    let received = got.lock().unwrap().clone();
    assert_eq!(received.len(), 4);
    assert_eq!(received[3], received[2]);

    // Next call 500: exactly one GreenPay call fails with a 5xx, the next one works.
    form(&sandbox, "/_sandbox/fault", "provider=greenpay&kind=500").await;
    assert!(
        dashboard_html(&sandbox)
            .await
            .contains("armed: next API call → 500")
    );
    assert_eq!(greenpay_list_status(&sandbox).await, 500);
    assert_eq!(greenpay_list_status(&sandbox).await, 200);
    // The SDK's client still works (its pipeline may retry a read after a 5xx).
    let page = made
        .greenpay
        .subscriptions()
        .list(&greenpay::subscriptions::ListSubscriptions::new(1, 10))
        .await
        .unwrap();
    assert_eq!(page.entries.len(), 1);

    // Next call timeout: the call is held past the client's deadline, the next one works.
    form(
        &sandbox,
        "/_sandbox/fault",
        "provider=begateway&kind=timeout",
    )
    .await;
    let url = format!(
        "{}/products",
        sandbox.client_settings().begateway.api_base_url
    );
    let creds = sandbox.begateway_credentials().clone();
    let held = reqwest::Client::new()
        .get(&url)
        .basic_auth(&creds.shop_id, Some(&creds.secret_key))
        .timeout(Duration::from_secs(1))
        .send()
        .await;
    assert!(held.is_err_and(|e| e.is_timeout()));
    let ok = reqwest::Client::new()
        .get(&url)
        .basic_auth(&creds.shop_id, Some(&creds.secret_key))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);

    // Move a beGateway transaction: the API now reports the new status.
    let uid = &made.transaction_uid;
    let moved = form(
        &sandbox,
        "/_sandbox/state",
        &format!("provider=begateway&id={uid}&state=expired"),
    )
    .await;
    assert_eq!(moved.status(), 303);
    let tx: serde_json::Value = reqwest::Client::new()
        .get(format!(
            "{}/transactions/{uid}",
            sandbox.client_settings().begateway.gateway_base_url
        ))
        .basic_auth(&creds.shop_id, Some(&creds.secret_key))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(tx["transaction"]["status"], "expired");
    // An unknown state is refused.
    let refused = form(
        &sandbox,
        "/_sandbox/state",
        &format!("provider=begateway&id={uid}&state=bogus"),
    )
    .await;
    assert_eq!(refused.status(), 400);
    // A form posted from another site's page is refused.
    let foreign = browser()
        .post(format!("{}/_sandbox/fault", sandbox.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://evil.example")
        .body("provider=tspay&kind=500")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
    assert!(
        !dashboard_html(&sandbox)
            .await
            .contains("armed: next API call")
    );
}

const SKIP_MESSAGE: &str = "dashboard browser test skipped: install the Debian packages chromium and chromium-driver (apt-get install -y chromium chromium-driver) or set PAYMENTS_BROWSER_TESTS=required to make this a failure";

/// Writes to the real stderr (libtest captures `println!`/`eprintln!` of passing tests).
fn skip(why: &str) {
    use std::io::Write as _;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "\n{why}");
    let _ = err.flush();
}

fn screenshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../target")
        .join("browser-screenshots")
}

async fn screenshot(session: &webdriver::Session<'_>, name: &str) {
    let png = session.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "{name}: a PNG screenshot");
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, &png).unwrap();
    println!(
        "{name}: screenshot {} ({} bytes)",
        path.display(),
        png.len()
    );
}

/// Polls (up to 10 s) until the element `css` exists with the text `expected`.
async fn wait_text(session: &webdriver::Session<'_>, css: &str, expected: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut last = String::new();
    while std::time::Instant::now() < deadline {
        if let Ok(element) = session.find(css).await
            && let Ok(text) = session.text(&element).await
        {
            if text == expected {
                return;
            }
            last = text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css}: expected {expected:?}, last seen {last:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_buttons_in_a_real_browser() {
    let required = std::env::var("PAYMENTS_BROWSER_TESTS").is_ok_and(|v| v == "required");
    if std::env::var("PAYMENTS_BROWSER_TESTS").is_ok_and(|v| v == "off") {
        skip("dashboard browser test skipped: PAYMENTS_BROWSER_TESTS=off");
        return;
    }
    let Some(tools) = webdriver::find_tools() else {
        assert!(
            !required,
            "PAYMENTS_BROWSER_TESTS=required but chromedriver or chromium was not found"
        );
        skip(SKIP_MESSAGE);
        return;
    };
    let driver = webdriver::Driver::start(&tools).await.unwrap();
    let session = driver.session(&tools).await.unwrap();
    let sandbox = Sandbox::start(SandboxConfig::new()).await.unwrap();
    let (merchant, got) = merchant().await;
    let made = populate(&sandbox, &merchant).await;
    let home = format!("{}/", sandbox.base_url());

    session.goto(&home).await.unwrap();
    screenshot(&session, "dashboard-overview").await;
    let title = session.find("h1").await.unwrap();
    assert_eq!(session.text(&title).await.unwrap(), "Payments sandbox");

    // Replay the TS Pay notification.
    let replay = session.find("#tspay button[id^=replay-]").await.unwrap();
    session.click(&replay).await.unwrap();
    wait_text(
        &session,
        "#tspay tr[data-index] + tr[data-index] td.status",
        "200",
    )
    .await;
    assert_eq!(got.lock().unwrap().len(), 4, "the merchant got the replay");

    // Arm "next call: 500" for GreenPay: the page says so, and the next call fails.
    let arm = session.find("#fault-greenpay-500").await.unwrap();
    session.click(&arm).await.unwrap();
    wait_text(&session, "#armed-greenpay", "armed: next API call → 500").await;
    screenshot(&session, "dashboard-fault-armed").await;
    assert_eq!(greenpay_list_status(&sandbox).await, 500);
    assert_eq!(greenpay_list_status(&sandbox).await, 200);

    // Move the beGateway transaction to "failed" (the second option) with its form.
    let uid = &made.transaction_uid;
    let option = session
        .find(&format!(
            "form.move[data-id=\"{uid}\"] option:nth-of-type(2)"
        ))
        .await
        .unwrap();
    session.click(&option).await.unwrap();
    let button = session
        .find(&format!("form.move[data-id=\"{uid}\"] button"))
        .await
        .unwrap();
    session.click(&button).await.unwrap();
    wait_text(
        &session,
        &format!("tr[data-id=\"{uid}\"] td.state"),
        "failed",
    )
    .await;
    session.goto(&format!("{home}#tspay")).await.unwrap();
    screenshot(&session, "dashboard-tspay-replayed").await;
    session.goto(&format!("{home}#greenpay")).await.unwrap();
    screenshot(&session, "dashboard-greenpay").await;
    session.goto(&format!("{home}#begateway")).await.unwrap();
    screenshot(&session, "dashboard-begateway-moved").await;

    session.quit().await.unwrap();
    drop(driver);
    sandbox.shutdown().await;
}
