//! The recording proxy: an axum server on `127.0.0.1:0` that forwards every request (method,
//! path, query, headers, body) to a target base URL with reqwest, answers with the target's
//! response (status, headers, body; redirects are passed through, not followed), and logs both.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, Method, StatusCode, Uri};
use axum::response::Response;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// One request and its response, as seen by the proxy.
#[derive(Debug, Clone)]
pub(crate) struct Exchange {
    /// HTTP method.
    pub(crate) method: String,
    /// Path and query as sent to the target (the target base's path included).
    pub(crate) path: String,
    /// The request body.
    pub(crate) request_body: Bytes,
    /// The response status.
    pub(crate) status: u16,
    /// The response body.
    pub(crate) response_body: Bytes,
}

/// The shared, ordered log of every proxy of one recording.
pub(crate) type Log = Arc<Mutex<Vec<Exchange>>>;

#[derive(Clone)]
struct Forward {
    target: String,
    http: reqwest::Client,
    log: Log,
}

/// A running proxy.
pub(crate) struct Proxy {
    base_url: String,
    target_base: String,
    log: Log,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

/// Headers that describe one connection, not the message: never forwarded.
fn hop_by_hop(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "host"
            | "connection"
            | "keep-alive"
            | "proxy-connection"
            | "transfer-encoding"
            | "te"
            | "trailer"
            | "upgrade"
            | "content-length"
    )
}

impl Proxy {
    /// Starts a proxy forwarding to `target_base` (e.g. `https://api.example.com/v1`), logging
    /// into `log`.
    pub(crate) async fn start(target_base: &str, log: Log) -> Result<Proxy, String> {
        let target = target_base.trim_end_matches('/').to_owned();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| format!("proxy client: {e}"))?;
        let state = Forward {
            target: target.clone(),
            http,
            log: Arc::clone(&log),
        };
        let app = Router::new().fallback(forward).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("proxy: cannot bind 127.0.0.1:0: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("proxy: no local address: {e}"))?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Proxy {
            base_url: format!("http://{addr}"),
            target_base: target,
            log,
            stop,
            task,
        })
    }

    /// The proxy's base URL (`http://127.0.0.1:<port>`), to give to the SDK.
    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The target base URL, without a trailing slash.
    pub(crate) fn target_base(&self) -> &str {
        &self.target_base
    }

    /// The shared log.
    pub(crate) fn log(&self) -> Log {
        Arc::clone(&self.log)
    }

    /// Stops the proxy.
    pub(crate) async fn shutdown(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

async fn forward(
    State(forward): State<Forward>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path_and_query = uri.path_and_query().map_or("/", |pq| pq.as_str());
    let url = format!("{}{path_and_query}", forward.target);
    let mut request = forward.http.request(method.clone(), &url);
    for (name, value) in &headers {
        if !hop_by_hop(name) {
            request = request.header(name, value);
        }
    }
    let result = request.body(body.clone()).send().await;
    let target_path = url::Url::parse(&url).map_or_else(
        |_| path_and_query.to_owned(),
        |u| match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_owned(),
        },
    );
    let upstream = match result {
        Ok(response) => response,
        Err(e) => {
            let message = format!("recording proxy: {method} {url}: {e}");
            return Response::builder()
                .status(StatusCode::BAD_GATEWAY)
                .body(Body::from(message))
                .unwrap_or_default();
        }
    };
    let status = upstream.status();
    let response_headers = upstream.headers().clone();
    let response_body = upstream.bytes().await.unwrap_or_default();
    if let Ok(mut log) = forward.log.lock() {
        log.push(Exchange {
            method: method.to_string(),
            path: target_path,
            request_body: body,
            status: status.as_u16(),
            response_body: response_body.clone(),
        });
    }
    let mut builder = Response::builder().status(status);
    for (name, value) in &response_headers {
        if !hop_by_hop(name) {
            builder = builder.header(name, value);
        }
    }
    builder.body(Body::from(response_body)).unwrap_or_default()
}
