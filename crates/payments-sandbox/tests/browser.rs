//! The hosted payment pages in a real browser: headless Chromium driven through chromedriver's
//! W3C WebDriver protocol (plain reqwest, see `browser/webdriver.rs`).
//!
//! For JataPay, TS Pay and beGateway, with the Pay and with the Decline button: create the
//! object with raw HTTP against an in-process sandbox (the merchant URL pointing at a tiny local
//! "merchant" server), open the hosted page, screenshot it to
//! `target/browser-screenshots/<provider>-<pay|decline>.png`, check the amount, click the button,
//! wait until the browser lands on the merchant's URL, then check the new state through the
//! sandbox API.
//!
//! Needs the Debian packages `chromium` and `chromium-driver`. Without them the test writes why
//! to the real standard error (visible in `cargo test` output, not swallowed by the harness) and
//! passes, unless `PAYMENTS_BROWSER_TESTS=required` is set (then it fails).
//! `PAYMENTS_BROWSER_TESTS=off` skips it the same way even when the browser is installed.

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "browser/webdriver.rs"]
mod webdriver;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::Uri;
use base64::Engine as _;
use payments_sandbox::{RunningSandbox, Sandbox, SandboxConfig};
use serde_json::{Value, json};

use webdriver::{Driver, Session, Tools};

const SKIP_MESSAGE: &str = "browser test skipped: install the Debian packages chromium and chromium-driver (apt-get install -y chromium chromium-driver) or set PAYMENTS_BROWSER_TESTS=required to make this a failure";

/// How long the browser may take to land on the merchant's URL after a click.
const REDIRECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Every request the merchant's site saw: path and query string.
type Hits = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// The merchant's site: answers every GET with "returned" and records path and query.
struct Merchant {
    base_url: String,
    hits: Hits,
}

impl Merchant {
    async fn start() -> Merchant {
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
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Merchant { base_url, hits }
    }

    /// The query strings the merchant saw on `path`.
    fn queries_on(&self, path: &str) -> Vec<Option<String>> {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, q)| q.clone())
            .collect()
    }
}

/// Raw HTTP to the sandbox API (no SDK crate: the sandbox must not depend on them).
struct Api {
    http: reqwest::Client,
}

enum Auth<'a> {
    Basic(&'a str, &'a str),
    Bearer(&'a str),
}

impl Api {
    fn new() -> Api {
        Api {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap(),
        }
    }

    fn auth(rb: reqwest::RequestBuilder, auth: &Auth<'_>) -> reqwest::RequestBuilder {
        match auth {
            Auth::Basic(user, password) => rb.header(
                "authorization",
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
                ),
            ),
            Auth::Bearer(token) => rb.header("authorization", format!("Bearer {token}")),
        }
    }

    async fn send(&self, rb: reqwest::RequestBuilder, what: &str) -> (u16, Value) {
        let resp = rb.send().await.unwrap_or_else(|e| panic!("{what}: {e}"));
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        let value = serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("{what}: not JSON ({status}): {text}"));
        (status, value)
    }

    async fn post(&self, url: &str, body: &Value, auth: &Auth<'_>) -> (u16, Value) {
        let rb = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .body(body.to_string());
        self.send(Self::auth(rb, auth), &format!("POST {url}"))
            .await
    }

    async fn get(&self, url: &str, auth: &Auth<'_>) -> (u16, Value) {
        self.send(Self::auth(self.http.get(url), auth), &format!("GET {url}"))
            .await
    }
}

/// `<workspace>/target/browser-screenshots`.
fn screenshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("..")
        .join("target")
        .join("browser-screenshots")
}

/// Opens `page`, screenshots it as `<name>.png`, checks the amount shown, clicks `button`
/// (`#pay` or `#decline`) and waits until the browser is at `expect_url` (compared without the
/// query string); returns the URL the browser landed on.
async fn open_and_click(
    session: &Session<'_>,
    name: &str,
    page: &str,
    amount: &str,
    button: &str,
    expect_url: &str,
) -> String {
    session
        .goto(page)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let shown = session
        .text(&session.find("#amount").await.unwrap())
        .await
        .unwrap();
    assert_eq!(shown, amount, "{name}: the page shows the amount");

    let png = session.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "{name}: a PNG screenshot");
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, &png).unwrap();
    println!(
        "{name}: screenshot {} ({} bytes)",
        path.canonicalize().unwrap_or(path.clone()).display(),
        png.len()
    );

    let element = session.find(button).await.unwrap();
    session
        .click(&element)
        .await
        .unwrap_or_else(|e| panic!("{name}: click {button}: {e}"));
    session
        .wait_for_url(REDIRECT_TIMEOUT, |url| {
            url.split('?').next() == Some(expect_url)
        })
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

async fn jatapay(session: &Session<'_>, sandbox: &RunningSandbox, merchant: &Merchant, api: &Api) {
    let creds = sandbox.jatapay_credentials();
    let (status, token) = api
        .post(
            &format!("{}/token", sandbox.jatapay_auth_url()),
            &json!({"grant_type": "client_credentials"}),
            &Auth::Basic(&creds.client_id, &creds.client_secret),
        )
        .await;
    assert_eq!(status, 200, "{token}");
    let token = token["token"].as_str().unwrap().to_owned();
    let bearer = Auth::Bearer(&token);

    for (decision, expected_state) in [("pay", "attiva"), ("decline", "annullata")] {
        let callback = format!("{}/jatapay/callback-{decision}", merchant.base_url);
        let (status, created) = api
            .post(
                &format!("{}/scrivi_abbonamento", sandbox.jatapay_api_url()),
                &json!({
                    "importo": 2000,
                    "callback_url": callback,
                    "descrizione_prodotto": "Piano Pro",
                    "note": "browser test"
                }),
                &bearer,
            )
            .await;
        assert_eq!(status, 200, "{created}");
        let id = created["id_abbonamento"].as_str().unwrap();
        let page = format!("{}/gateway/{id}", sandbox.jatapay_dashboard_url());

        let landed = open_and_click(
            session,
            &format!("jatapay-{decision}"),
            &page,
            "20.00 EUR",
            &format!("#{decision}"),
            &callback,
        )
        .await;
        // JataPay documents no query string on the redirect.
        assert_eq!(landed, callback);
        assert_eq!(
            merchant.queries_on(&format!("/jatapay/callback-{decision}")),
            vec![None]
        );

        let (status, read) = api
            .get(
                &format!("{}/entity/subscriptions/{id}", sandbox.jatapay_api_url()),
                &bearer,
            )
            .await;
        assert_eq!(status, 200, "{read}");
        assert_eq!(read["stato"], expected_state, "jatapay-{decision}: {read}");
    }
}

async fn tspay(session: &Session<'_>, sandbox: &RunningSandbox, merchant: &Merchant, api: &Api) {
    let creds = sandbox.tspay_credentials();
    let bearer = Auth::Bearer(&creds.api_key);
    let done = format!("{}/tspay/done", merchant.base_url);
    let cancel = format!("{}/tspay/cancel", merchant.base_url);

    // TS Pay sends a declined customer to cancelUrl, a paying one to callbackUrl.
    for (decision, expected_state, expected_url) in
        [("pay", "active", &done), ("decline", "failed", &cancel)]
    {
        let (status, link) = api
            .post(
                &format!("{}/{}/link2pay", sandbox.tspay_url(), creds.item_id),
                &json!({
                    "amount": 1450,
                    "currency": "EUR",
                    "template": {"title": "TeamSystem S.p.A.", "desc": "Fattura di vendita"},
                    "callbackUrl": done,
                    "cancelUrl": cancel,
                    "maxPaymentsNumber": 1,
                    "externalRef": format!("browser-{decision}")
                }),
                &bearer,
            )
            .await;
        assert_eq!(status, 201, "{link}");
        let order = link["orderKey"].as_str().unwrap();
        let page = link["url"].as_str().unwrap();

        let landed = open_and_click(
            session,
            &format!("tspay-{decision}"),
            page,
            "14.50 EUR",
            &format!("#{decision}"),
            expected_url,
        )
        .await;
        assert_eq!(&landed, expected_url);

        let (status, charges) = api
            .get(
                &format!(
                    "{}/{}/charges/orders/{order}",
                    sandbox.tspay_url(),
                    creds.item_id
                ),
                &bearer,
            )
            .await;
        assert_eq!(status, 200, "{charges}");
        let charges = charges.as_array().unwrap();
        assert_eq!(charges.len(), 1, "tspay-{decision}: {charges:?}");
        assert_eq!(charges[0]["state"], expected_state, "tspay-{decision}");
        assert_eq!(charges[0]["orderKey"], order);
    }
    assert_eq!(merchant.queries_on("/tspay/done").len(), 1);
    assert_eq!(merchant.queries_on("/tspay/cancel").len(), 1);
}

async fn begateway(
    session: &Session<'_>,
    sandbox: &RunningSandbox,
    merchant: &Merchant,
    api: &Api,
) {
    let creds = sandbox.begateway_credentials();
    let basic = Auth::Basic(&creds.shop_id, &creds.secret_key);
    let return_url = format!("{}/begateway/return", merchant.base_url);

    for (decision, expected_status) in [("pay", "successful"), ("decline", "failed")] {
        let (status, product) = api
            .post(
                &format!("{}/products", sandbox.begateway_api_url()),
                &json!({
                    "name": "Pro plan",
                    "description": "Monthly access",
                    "currency": "USD",
                    "amount": 990,
                    "quantity": 1,
                    "language": "en",
                    "return_url": return_url
                }),
                &basic,
            )
            .await;
        assert_eq!(status, 201, "{product}");
        let tracking_id = format!("browser-{decision}");
        let page = format!(
            "{}?tracking_id={tracking_id}",
            product["pay_url"].as_str().unwrap()
        );

        let landed = open_and_click(
            session,
            &format!("begateway-{decision}"),
            &page,
            "9.90 USD",
            &format!("#{decision}"),
            &return_url,
        )
        .await;
        // beGateway appends uid, token and status to the return URL's query.
        let landed = url::Url::parse(&landed).unwrap();
        let query: Vec<(String, String)> = landed.query_pairs().into_owned().collect();
        assert!(
            query
                .iter()
                .any(|(k, v)| k == "status" && v == expected_status),
            "begateway-{decision}: {landed}"
        );
        let uid = query
            .iter()
            .find(|(k, _)| k == "uid")
            .map(|(_, v)| v.clone())
            .unwrap();
        assert!(
            merchant
                .queries_on("/begateway/return")
                .iter()
                .any(|q| q.as_deref() == landed.query()),
            "the merchant saw the browser's query"
        );

        let (status, found) = api
            .get(
                &format!(
                    "{}/transactions/tracking_id/{tracking_id}",
                    sandbox.begateway_gateway_url()
                ),
                &basic,
            )
            .await;
        assert_eq!(status, 200, "{found}");
        let transaction = &found["transaction"];
        assert_eq!(transaction["status"], expected_status, "{found}");
        assert_eq!(transaction["uid"], uid.as_str());
        assert_eq!(transaction["tracking_id"], tracking_id.as_str());
    }
}

/// Says why the test is skipped on the process's real standard error: libtest captures
/// `println!` and `eprintln!` of a passing test, so a skip told through them would show as a
/// plain `ok`. Writing to the `Stderr` handle goes around that capture.
fn skip(why: &str) {
    use std::io::Write as _;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "\n{why}");
    let _ = err.flush();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hosted_pages_in_a_real_browser() {
    let required = std::env::var("PAYMENTS_BROWSER_TESTS").is_ok_and(|v| v == "required");
    if std::env::var("PAYMENTS_BROWSER_TESTS").is_ok_and(|v| v == "off") {
        skip("browser test skipped: PAYMENTS_BROWSER_TESTS=off");
        return;
    }
    let Some(tools): Option<Tools> = webdriver::find_tools() else {
        assert!(
            !required,
            "PAYMENTS_BROWSER_TESTS=required but chromedriver or chromium was not found \
             (apt-get install -y chromium chromium-driver)"
        );
        skip(SKIP_MESSAGE);
        return;
    };
    let started = Instant::now();
    let driver = Driver::start(&tools).await.unwrap();
    let session = driver.session(&tools).await.unwrap();

    let sandbox = Sandbox::start(SandboxConfig::new()).await.unwrap();
    let merchant = Merchant::start().await;
    let api = Api::new();

    jatapay(&session, &sandbox, &merchant, &api).await;
    tspay(&session, &sandbox, &merchant, &api).await;
    begateway(&session, &sandbox, &merchant, &api).await;

    session.quit().await.unwrap();
    drop(driver);
    sandbox.shutdown().await;
    println!(
        "browser test: 3 providers x pay/decline in {:.1?} (chromedriver {}, browser {})",
        started.elapsed(),
        tools.chromedriver.display(),
        tools.chromium.display()
    );
}
