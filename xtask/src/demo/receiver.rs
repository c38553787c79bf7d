//! The merchant's web endpoint, on `127.0.0.1:0`: records every request it receives (return
//! URLs, notifications) with its raw body and headers, and answers `200 OK`. Verification is
//! done by the flows with each crate's verifier, so the report can show each check.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use tokio::task::JoinHandle;

/// One request the merchant received.
#[derive(Clone)]
pub(crate) struct Received {
    /// The request path (no query).
    pub(crate) path: String,
    /// The headers, as received.
    pub(crate) headers: HeaderMap,
    /// The raw body: signatures are checked over these exact bytes.
    pub(crate) body: Bytes,
}

impl Received {
    /// The value of header `name`, if present and text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

type Store = Arc<Mutex<Vec<Received>>>;

/// The running endpoint; stopped by [`Receiver::stop`] or when dropped.
pub(crate) struct Receiver {
    base_url: String,
    received: Store,
    task: JoinHandle<()>,
}

impl Receiver {
    /// Binds `127.0.0.1:0` and serves in the background.
    pub(crate) async fn start() -> Result<Self, String> {
        let received = Store::default();
        let app = Router::new().fallback(record).with_state(received.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("could not bind the merchant endpoint: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("could not read the merchant endpoint's address: {e}"))?;
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Receiver {
            base_url: format!("http://{addr}"),
            received,
            task,
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The absolute URL of `path_and_query` on this endpoint.
    pub(crate) fn url(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.base_url)
    }

    /// Waits (at most `timeout`) for a POST to `path` and removes it from the store.
    pub(crate) async fn wait_for(&self, path: &str, timeout: Duration) -> Result<Received, String> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            {
                let mut store = self.received.lock().unwrap_or_else(PoisonError::into_inner);
                if let Some(i) = store.iter().position(|r| r.path == path) {
                    return Ok(store.remove(i));
                }
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(format!(
                    "nothing received at {path} within {} ms",
                    timeout.as_millis()
                ));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Stops serving.
    pub(crate) fn stop(self) {
        self.task.abort();
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn record(
    State(store): State<Store>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    if method == Method::POST {
        store
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Received {
                path: uri.path().to_owned(),
                headers,
                body,
            });
    }
    StatusCode::OK
}
