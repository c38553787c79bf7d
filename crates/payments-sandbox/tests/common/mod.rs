//! Shared helpers for the sandbox's own HTTP tests.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use payments_sandbox::{RunningSandbox, Sandbox, SandboxConfig};
use serde_json::Value;

pub async fn start() -> RunningSandbox {
    start_with(SandboxConfig::new()).await
}

pub async fn start_with(config: SandboxConfig) -> RunningSandbox {
    Sandbox::start(config).await.expect("sandbox starts")
}

/// A client that never follows redirects, so tests can assert `Location`.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

pub async fn json_of(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await.expect("body");
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| panic!("not JSON ({status}): {}", String::from_utf8_lossy(&bytes)));
    (status, value)
}

pub async fn post_json(
    c: &reqwest::Client,
    url: &str,
    body: &Value,
    auth: Auth<'_>,
) -> reqwest::Response {
    auth.apply(
        c.post(url)
            .header("Content-Type", "application/json")
            .body(body.to_string()),
    )
    .send()
    .await
    .expect("request")
}

pub async fn get(c: &reqwest::Client, url: &str, auth: Auth<'_>) -> reqwest::Response {
    auth.apply(c.get(url)).send().await.expect("request")
}

/// Submits a hosted page's form.
pub async fn decide(c: &reqwest::Client, page_url: &str, decision: &str) -> reqwest::Response {
    c.post(page_url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("decision={decision}"))
        .send()
        .await
        .expect("form post")
}

pub fn location(resp: &reqwest::Response) -> String {
    resp.headers()
        .get("location")
        .expect("Location header")
        .to_str()
        .expect("ascii")
        .to_owned()
}

#[derive(Clone, Copy)]
pub enum Auth<'a> {
    None,
    Basic(&'a str, &'a str),
    Bearer(&'a str),
    Raw(&'a str),
}

impl Auth<'_> {
    fn apply(self, rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        use base64::Engine as _;
        match self {
            Auth::None => rb,
            Auth::Basic(u, p) => rb.header(
                "Authorization",
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"))
                ),
            ),
            Auth::Bearer(t) => rb.header("Authorization", format!("Bearer {t}")),
            Auth::Raw(v) => rb.header("Authorization", v),
        }
    }
}

/// A received notification.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// A merchant endpoint that records every POST it receives and answers 200.
pub struct Listener {
    pub base_url: String,
    pub received: Arc<Mutex<Vec<Received>>>,
}

impl Listener {
    pub async fn start() -> Self {
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        async fn record(
            State(store): State<Arc<Mutex<Vec<Received>>>>,
            uri: axum::http::Uri,
            headers: HeaderMap,
            body: Bytes,
        ) -> StatusCode {
            store.lock().unwrap().push(Received {
                path: uri.path().to_owned(),
                headers,
                body,
            });
            StatusCode::OK
        }
        let app = Router::new()
            .route("/{*rest}", post(record))
            .with_state(received.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self { base_url, received }
    }

    pub fn take(&self) -> Vec<Received> {
        std::mem::take(&mut *self.received.lock().unwrap())
    }
}

pub fn header<'a>(r: &'a Received, name: &str) -> &'a str {
    r.headers
        .get(name)
        .unwrap_or_else(|| panic!("missing header {name}"))
        .to_str()
        .unwrap()
}

/// Verifies an RSA PKCS#1 v1.5 SHA-256 signature with a base64 SPKI DER public key.
pub fn rsa_verify(public_key_b64: &str, msg: &[u8], sig: &[u8]) -> bool {
    use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
    use base64::Engine as _;
    let der = base64::engine::general_purpose::STANDARD
        .decode(public_key_b64)
        .expect("base64 key");
    UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der)
        .verify(msg, sig)
        .is_ok()
}

pub fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

pub fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}
