//! The loopback server the round-trip and memory measurements call: an axum app on
//! `127.0.0.1:0` serving the documented bodies, plus a raw TCP port that streams a 64 MiB
//! body (for the body-cap check).
//!
//! It runs in a **child process** (the measuring binary re-executes itself with
//! [`SERVER_ENV`] set), so the client's CPU time and RSS are the client's alone. The child
//! exits by itself after its time limit or when its standard input closes (the parent died),
//! and [`ChildServer`] kills it by its PID when dropped.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::fixtures;

/// Set to the time limit in seconds to make a measuring binary act as the server.
pub const SERVER_ENV: &str = "PAYMENTS_BENCH_SERVER";

/// Size of the oversized body streamed by the huge port: 64 MiB.
pub const HUGE_BODY_BYTES: u64 = 64 << 20;

/// Product id served by `GET /products/{id}`.
pub const PRODUCT_ID: &str = "prd_ed27b047d3ccd1a6";
/// Order key served by `GET /charges/orders/{key}`.
pub const ORDER_KEY: &str = "mock_5f1c2a9be03d4c7a81f2e6b0";
/// Subscription served by `GET /entity/subscriptions/{id}`.
pub const JATAPAY_SUBSCRIPTION: &str = "65b279426d2f219d702a7f69";
/// GreenPay subscription paid by `POST /subscriptions/pay`.
pub const GREENPAY_SUBSCRIPTION: &str = "9541b344c3d45d421acd454d61251cde";

/// A running server child process.
pub struct ChildServer {
    child: Child,
    /// Base URL of the axum app (`http://127.0.0.1:PORT`).
    pub base_url: String,
    /// Base URL of the port streaming [`HUGE_BODY_BYTES`] to any request.
    pub huge_url: String,
}

impl ChildServer {
    /// Starts the current executable as the server, with a time limit.
    pub fn spawn(limit: Duration) -> Result<ChildServer, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut child = Command::new(exe)
            .env(SERVER_ENV, limit.as_secs().to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start the server child: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        let mut parts = line.split_whitespace();
        let (Some("PORTS"), Some(app), Some(huge)) = (parts.next(), parts.next(), parts.next())
        else {
            let _ = child.kill();
            return Err(format!("unexpected server greeting {line:?}"));
        };
        Ok(ChildServer {
            base_url: format!("http://127.0.0.1:{app}"),
            huge_url: format!("http://127.0.0.1:{huge}"),
            child,
        })
    }

    /// How many TCP connections the app has accepted so far.
    pub async fn connections(&self, client: &reqwest::Client) -> Result<u64, String> {
        let text = client
            .get(format!("{}/stats/connections", self.base_url))
            .send()
            .await
            .map_err(|e| e.to_string())?
            .text()
            .await
            .map_err(|e| e.to_string())?;
        text.trim()
            .parse()
            .map_err(|_| format!("bad count {text:?}"))
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// If [`SERVER_ENV`] is set, serves until the time limit or until stdin closes, then exits
/// the process. Call it first thing in `main` of every binary that uses [`ChildServer`].
pub fn serve_if_child() {
    let Some(limit) = std::env::var(SERVER_ENV)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    else {
        return;
    };
    // Leave when the parent goes away.
    std::thread::spawn(|| {
        let mut sink = [0u8; 64];
        let mut stdin = std::io::stdin();
        while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
        std::process::exit(0);
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build();
    let code = match runtime {
        Ok(rt) => match rt.block_on(serve(Duration::from_secs(limit))) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("server: {e}");
                1
            }
        },
        Err(e) => {
            eprintln!("server: {e}");
            1
        }
    };
    std::process::exit(code);
}

fn json(body: &'static [u8]) -> ([(axum::http::HeaderName, &'static str); 1], &'static [u8]) {
    ([(CONTENT_TYPE, "application/json")], body)
}

/// The app: the documented bodies on the providers' paths.
pub fn app(connections: Arc<AtomicU64>) -> Router {
    Router::new()
        .route(
            "/products/{id}",
            get(|| async { json(fixtures::BEGATEWAY_PRODUCT_GET) }),
        )
        .route(
            "/charges/orders/{key}",
            get(|| async { json(fixtures::TSPAY_CHARGES_ARRAY) }),
        )
        .route(
            "/entity/subscriptions/{id}",
            get(|| async { json(fixtures::JATAPAY_SUBSCRIPTION_GET) }),
        )
        .route(
            "/subscriptions/pay",
            post(|| async { json(fixtures::GREENPAY_PAY_APPROVED) }),
        )
        .route(
            "/stats/connections",
            get(move || async move { connections.load(Ordering::Relaxed).to_string() }),
        )
}

/// Starts the app in this process (for tests): returns its base URL and the counter of
/// accepted TCP connections. The server task lives as long as the current runtime.
pub async fn spawn_in_process() -> Result<(String, Arc<AtomicU64>), String> {
    let connections = Arc::new(AtomicU64::new(0));
    let counter = connections.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let listener = listener.tap_io(move |tcp| {
        let _ = tcp.set_nodelay(true);
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let app = app(connections.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((format!("http://127.0.0.1:{port}"), connections))
}

async fn serve(limit: Duration) -> Result<(), String> {
    let connections = Arc::new(AtomicU64::new(0));
    let counter = connections.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let app_port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let listener = listener.tap_io(move |tcp| {
        let _ = tcp.set_nodelay(true);
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let huge = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let huge_port = huge.local_addr().map_err(|e| e.to_string())?.port();
    println!("PORTS {app_port} {huge_port}");
    tokio::spawn(serve_huge(huge));
    let server = axum::serve(listener, app(connections));
    match tokio::time::timeout(limit, server).await {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(_) => Ok(()),
    }
}

/// Answers every request with 64 MiB of blanks: a path ending in `/len` with a
/// `Content-Length`, anything else without one (close-delimited), so that both the early
/// refusal and the streaming cap are exercised.
async fn serve_huge(listener: tokio::net::TcpListener) {
    while let Ok((mut tcp, _)) = listener.accept().await {
        tokio::spawn(async move {
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
                match tcp.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            let with_length = head.windows(5).any(|w| w == b"/len ");
            let header = if with_length {
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {HUGE_BODY_BYTES}\r\nconnection: close\r\n\r\n"
                )
            } else {
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n"
                    .to_owned()
            };
            if tcp.write_all(header.as_bytes()).await.is_err() {
                return;
            }
            let chunk = vec![b' '; 64 * 1024];
            let mut sent = 0u64;
            while sent < HUGE_BODY_BYTES {
                if tcp.write_all(&chunk).await.is_err() {
                    return;
                }
                sent += chunk.len() as u64;
            }
            let _ = tcp.shutdown().await;
        });
    }
}
