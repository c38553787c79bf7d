//! A minimal W3C WebDriver client over plain reqwest, for chromedriver + headless Chromium.
//!
//! Only what the browser test needs: start chromedriver on a free loopback port, open one
//! session, navigate, find an element by CSS selector, read its text, click it, read the current
//! URL, take a screenshot, and quit. The driver process (and the Chromium it started) is killed
//! when [`Driver`] is dropped, also when the test panics.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

/// The key of a web element reference in W3C WebDriver responses.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Where chromedriver and Chromium were found.
#[derive(Debug, Clone)]
pub struct Tools {
    /// The chromedriver executable.
    pub chromedriver: PathBuf,
    /// The Chromium (or Chrome) executable.
    pub chromium: PathBuf,
}

/// Finds `name` in `PATH`, else at `/usr/bin/<name>`.
fn which(name: &str) -> Option<PathBuf> {
    let from_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|candidate| is_executable(candidate))
    });
    from_path.or_else(|| {
        let fallback = Path::new("/usr/bin").join(name);
        is_executable(&fallback).then_some(fallback)
    })
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    path.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Finds chromedriver and a Chromium binary, or `None` if either is missing.
pub fn find_tools() -> Option<Tools> {
    let chromedriver = which("chromedriver")?;
    let chromium = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .find_map(|name| which(name))?;
    Some(Tools {
        chromedriver,
        chromium,
    })
}

/// A running chromedriver; killed (with its whole process group) on drop.
pub struct Driver {
    child: Child,
    base: String,
    http: reqwest::Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // chromedriver runs in its own process group (see `start`), so this also ends the
        // Chromium processes it spawned if the session was not closed cleanly.
        let pid = self.child.id();
        let _ = Command::new("kill")
            .arg("-KILL")
            .arg("--")
            .arg(format!("-{pid}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free loopback port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("no free loopback port: {e}"))
}

impl Driver {
    /// Spawns `chromedriver --port=<free port>` and waits (≤ 15 s) until `/status` says ready.
    pub async fn start(tools: &Tools) -> Result<Driver, String> {
        use std::os::unix::process::CommandExt as _;
        let port = free_port()?;
        let child = Command::new(&tools.chromedriver)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot spawn {}: {e}", tools.chromedriver.display()))?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| format!("reqwest client: {e}"))?;
        let mut driver = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            http,
        };
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(Some(status)) = driver.child.try_wait() {
                return Err(format!("chromedriver exited early with {status}"));
            }
            let ready = match driver
                .http
                .get(format!("{}/status", driver.base))
                .send()
                .await
            {
                Ok(resp) => resp
                    .json::<Value>()
                    .await
                    .map(|v| v["value"]["ready"] == json!(true))
                    .unwrap_or(false),
                Err(_) => false,
            };
            if ready {
                return Ok(driver);
            }
            if Instant::now() > deadline {
                return Err("chromedriver did not become ready within 15 s".to_owned());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Opens a headless Chromium session.
    pub async fn session(&self, tools: &Tools) -> Result<Session<'_>, String> {
        let mut options = json!({
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--window-size=1024,768"
            ]
        });
        options["binary"] = json!(tools.chromium.to_string_lossy());
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": options
                }
            }
        });
        let value = self
            .call(reqwest::Method::POST, "/session", Some(caps))
            .await?;
        let id = value["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no sessionId in {value}"))?
            .to_owned();
        Ok(Session { driver: self, id })
    }

    /// One WebDriver command; returns the response's `value`, or the WebDriver error.
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let response = request
            .send()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let status = response.status();
        let mut value: Value = response
            .json()
            .await
            .map_err(|e| format!("{method} {path}: not JSON: {e}"))?;
        if !status.is_success() {
            return Err(format!(
                "{method} {path}: HTTP {status}: {} {}",
                value["value"]["error"], value["value"]["message"]
            ));
        }
        Ok(value["value"].take())
    }
}

/// A WebDriver session (one browser window).
pub struct Session<'d> {
    driver: &'d Driver,
    id: String,
}

impl Session<'_> {
    fn path(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.id)
    }

    /// Navigates to `url` and waits for the page load.
    pub async fn goto(&self, url: &str) -> Result<(), String> {
        self.driver
            .call(
                reqwest::Method::POST,
                &self.path("/url"),
                Some(json!({ "url": url })),
            )
            .await
            .map(drop)
    }

    /// The browser's current URL.
    pub async fn current_url(&self) -> Result<String, String> {
        let value = self
            .driver
            .call(reqwest::Method::GET, &self.path("/url"), None)
            .await?;
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("current URL is not a string: {value}"))
    }

    /// The first element matching a CSS selector.
    pub async fn find(&self, css: &str) -> Result<String, String> {
        let value = self
            .driver
            .call(
                reqwest::Method::POST,
                &self.path("/element"),
                Some(json!({ "using": "css selector", "value": css })),
            )
            .await?;
        value[ELEMENT_KEY]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("no element reference for {css}: {value}"))
    }

    /// The rendered text of an element.
    pub async fn text(&self, element: &str) -> Result<String, String> {
        let value = self
            .driver
            .call(
                reqwest::Method::GET,
                &self.path(&format!("/element/{element}/text")),
                None,
            )
            .await?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    /// Clicks an element.
    pub async fn click(&self, element: &str) -> Result<(), String> {
        self.driver
            .call(
                reqwest::Method::POST,
                &self.path(&format!("/element/{element}/click")),
                Some(json!({})),
            )
            .await
            .map(drop)
    }

    /// A PNG screenshot of the viewport.
    pub async fn screenshot(&self) -> Result<Vec<u8>, String> {
        let value = self
            .driver
            .call(reqwest::Method::GET, &self.path("/screenshot"), None)
            .await?;
        let b64 = value
            .as_str()
            .ok_or_else(|| format!("screenshot is not a string: {value}"))?;
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| format!("screenshot is not base64: {e}"))
    }

    /// Polls (every 50 ms, up to `timeout`) until `done(current URL)` holds; returns that URL.
    pub async fn wait_for_url(
        &self,
        timeout: Duration,
        done: impl Fn(&str) -> bool,
    ) -> Result<String, String> {
        let deadline = Instant::now() + timeout;
        let mut last = String::new();
        loop {
            // A navigation in progress may fail the command transiently; keep polling.
            if let Ok(url) = self.current_url().await {
                if done(&url) {
                    return Ok(url);
                }
                last = url;
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "the browser did not reach the expected URL within {timeout:?}; it is at {last}"
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Closes the session (and its browser).
    pub async fn quit(self) -> Result<(), String> {
        self.driver
            .call(reqwest::Method::DELETE, &self.path(""), None)
            .await
            .map(drop)
    }
}
