//! TS Pay's API-key activation page in a real browser: headless Chromium driven through
//! chromedriver (see `browser/webdriver.rs`). A key issued with the AppSecret is refused until
//! the merchant opens its `loginUrl`, sees the "activate" button and presses it; then the key
//! works. The page is screenshotted to `<target dir>/browser-screenshots/tspay-activate.png`.
//!
//! Needs the Debian packages `chromium` and `chromium-driver`; without them the test says why
//! on the real standard error and passes, unless `PAYMENTS_BROWSER_TESTS=required` (then it
//! fails). `PAYMENTS_BROWSER_TESTS=off` skips it.

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "browser/webdriver.rs"]
mod webdriver;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use payments_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

use webdriver::{Driver, Tools};

/// How long the browser may take to show the activation's result after the click.
const RESULT_TIMEOUT: Duration = Duration::from_secs(10);

fn skip(why: &str) {
    use std::io::Write as _;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "\n{why}");
    let _ = err.flush();
}

/// `GET /auth/` with `key`: the status and TS Pay's message.
async fn check(http: &reqwest::Client, base: &str, key: &str) -> (u16, Value) {
    let resp = http
        .get(format!("{base}/auth/"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_key_is_activated_with_the_button_on_its_login_url() {
    let required = std::env::var("PAYMENTS_BROWSER_TESTS").is_ok_and(|v| v == "required");
    if std::env::var("PAYMENTS_BROWSER_TESTS").is_ok_and(|v| v == "off") {
        skip("TS Pay browser test skipped: PAYMENTS_BROWSER_TESTS=off");
        return;
    }
    let Some(tools): Option<Tools> = webdriver::find_tools() else {
        assert!(
            !required,
            "PAYMENTS_BROWSER_TESTS=required but chromedriver or chromium was not found"
        );
        skip(
            "TS Pay browser test skipped: install chromium and chromium-driver, or set \
             PAYMENTS_BROWSER_TESTS=required to make this a failure",
        );
        return;
    };
    let started = Instant::now();
    let sandbox = Sandbox::start(SandboxConfig::new()).await.unwrap();
    let base = sandbox.tspay_url();
    let http = reqwest::Client::new();
    let app_secret = sandbox.tspay_credentials().app_secret.clone();
    let issued: Value = http
        .post(format!("{base}/auth/api-key"))
        .bearer_auth(&app_secret)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = issued["apiKey"].as_str().unwrap().to_owned();
    let login = issued["loginUrl"].as_str().unwrap().to_owned();
    let (status, body) = check(&http, &base, &key).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (401, Some("API key not active"))
    );

    let driver = Driver::start(&tools).await.unwrap();
    let session = driver.session(&tools).await.unwrap();
    session.goto(&login).await.unwrap();
    let button = session.find("#activate").await.unwrap();
    assert_eq!(session.text(&button).await.unwrap(), "Activate");
    let png = session.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    // Under the build's target directory (`CARGO_TARGET_DIR` when set, else the workspace's).
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("tspay-activate.png"), &png).unwrap();
    // Still refused: opening the page activates nothing.
    assert_eq!(check(&http, &base, &key).await.0, 401);

    session.click(&button).await.unwrap();
    // The form posts back to the page's own URL: the browser stays on the loginUrl.
    let at = session
        .wait_for_url(RESULT_TIMEOUT, |url| url == login)
        .await
        .unwrap();
    assert_eq!(session.current_url().await.unwrap(), at);
    let deadline = Instant::now() + RESULT_TIMEOUT;
    let shown = loop {
        if let Ok(result) = session.find("#result").await
            && let Ok(text) = session.text(&result).await
        {
            break text;
        }
        assert!(
            Instant::now() < deadline,
            "no result page within {RESULT_TIMEOUT:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(shown, "API key active");
    let (status, body) = check(&http, &base, &key).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["x-auth-type"], "API_KEY");

    session.quit().await.unwrap();
    drop(driver);
    sandbox.shutdown().await;
    println!(
        "TS Pay activation in a real browser in {:.1?} ({})",
        started.elapsed(),
        tools.chromium.display()
    );
}
