//! Test utilities (feature `test-util`): a raw TCP server on loopback that misbehaves on
//! purpose, one scripted fault per attempt, and counts what it saw.
//!
//! `httpmock` can delay a response but cannot reset a connection, cut a body short or stall
//! it; this server can, so every transport row of the reliability matrix can be tested against
//! real sockets.
//!
//! ```
//! use payments_common::testing::{Fault, FaultServer, Reply};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! // First attempt: the connection is reset after the request; then a 200.
//! let server = FaultServer::start(vec![Fault::ResetAfterRequest, Fault::Respond(Reply::json(200, "{}"))]).await;
//! let url = server.url("/products");
//! assert_eq!(server.attempts(), 0);
//! # }
//! ```

#![allow(
    clippy::expect_used,
    reason = "test support: a server that cannot bind loopback cannot test anything"
)]
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

/// A complete HTTP/1.1 response the server writes.
#[derive(Debug, Clone)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Headers besides `Content-Length` and `Connection`.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
}

impl Reply {
    /// A JSON reply.
    pub fn json(status: u16, body: &str) -> Self {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// An HTML reply (a proxy's error page).
    pub fn html(status: u16, body: &str) -> Self {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "text/html".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// A reply with an empty body.
    pub fn empty(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// The same reply with one more header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// A proxy's 502 page.
    pub fn bad_gateway_html() -> Self {
        Reply::html(
            502,
            "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
        )
    }

    /// 503 with `Retry-After: <seconds>`.
    pub fn unavailable_retry_after(seconds: u64) -> Self {
        Reply::html(503, "<h1>503 Service Unavailable</h1>")
            .header("Retry-After", &seconds.to_string())
    }

    /// 429 without `Retry-After`.
    pub fn too_many_requests() -> Self {
        Reply::json(429, r#"{"message":"Too Many Requests"}"#)
    }

    /// 200 with `bytes` of valid JSON (a string array), to exceed a body cap.
    pub fn oversized_json(bytes: usize) -> Self {
        let mut body = Vec::with_capacity(bytes);
        body.push(b'[');
        while body.len() + 6 < bytes {
            body.extend_from_slice(b"\"abc\",");
        }
        body.extend_from_slice(b"\"a\"]");
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body,
        }
    }

    /// A 302 to `location`.
    pub fn redirect(location: &str) -> Self {
        Reply::empty(302).header("Location", location)
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status)).into_bytes();
        for (name, value) in &self.headers {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n",
                self.body.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(&self.body);
        out
    }
}

/// What the server does with one attempt.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Fault {
    /// Reads the request and never answers (until the server is dropped).
    Hang,
    /// Reads the request, then resets the connection (RST) before any response byte.
    ResetAfterRequest,
    /// Sends headers announcing 100 bytes, writes 10, and closes.
    TruncatedBody,
    /// Sends a chunked response with one chunk and no terminating chunk, and closes.
    UnterminatedChunked,
    /// Sends headers announcing 100 bytes, writes 4, and stalls.
    StalledBody,
    /// Answers with a complete response.
    Respond(Reply),
    /// Answers bytes that are not TLS to whatever the client sent (for `https://` clients).
    NotTls,
    /// A provider with an idempotency store: a request whose `key_header` value was not seen
    /// before is recorded as one charge and the connection is reset before replying; a repeat
    /// with the same key gets `reply` without a new charge. A request without the header is
    /// charged and reset every time.
    ChargeThenReset {
        /// The idempotency header's name (lower case).
        key_header: &'static str,
        /// The reply to a repeated key.
        reply: Reply,
    },
}

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// Method.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    requests: Vec<RecordedRequest>,
    charges: usize,
    idempotency: HashMap<String, Reply>,
}

/// A misbehaving HTTP server on `127.0.0.1`, stopped when dropped.
pub struct FaultServer {
    port: u16,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultServer {
    /// Starts the server: attempt *n* gets `script[n]`, and attempts past the end get the last
    /// fault again. An empty script answers every attempt with an empty 200.
    pub async fn start(script: Vec<Fault>) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let port = listener.local_addr().expect("local addr").port();
        let state = Arc::new(Mutex::new(State::default()));
        let script = Arc::new(script);
        let shared = state.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let state = shared.clone();
                let script = script.clone();
                tokio::spawn(async move { serve(stream, state, script).await });
            }
        });
        FaultServer { port, state, task }
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> Url {
        Url::parse(&format!("http://127.0.0.1:{}{path}", self.port)).expect("loopback url")
    }

    /// The base URL, `http://127.0.0.1:<port>/`.
    pub fn base_url(&self) -> Url {
        self.url("/")
    }

    /// How many requests the server has read (one per attempt that reached it).
    pub fn attempts(&self) -> usize {
        lock(&self.state).requests.len()
    }

    /// The requests read so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state).requests.clone()
    }

    /// How many charges a [`Fault::ChargeThenReset`] recorded.
    pub fn charges(&self) -> usize {
        lock(&self.state).charges
    }

    /// A loopback URL where nothing listens (connections are refused).
    pub async fn refused_url(path: &str) -> Url {
        // A socket bound but never listening refuses connections, and keeping it bound for
        // the life of the process stops another server from being given the same port.
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket
            .bind("127.0.0.1:0".parse().expect("loopback address"))
            .expect("bind loopback");
        let port = socket.local_addr().expect("local addr").port();
        lock(&REFUSING).push(socket);
        Url::parse(&format!("http://127.0.0.1:{port}{path}")).expect("loopback url")
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The sockets behind [`FaultServer::refused_url`], bound (never listening) until the process ends.
static REFUSING: Mutex<Vec<tokio::net::TcpSocket>> = Mutex::new(Vec::new());

fn lock<T>(state: &Mutex<T>) -> MutexGuard<'_, T> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>, script: Arc<Vec<Fault>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let index = {
        let mut s = lock(&state);
        s.requests.push(request.clone());
        s.requests.len() - 1
    };
    let fault = script
        .get(index)
        .or_else(|| script.last())
        .cloned()
        .unwrap_or(Fault::Respond(Reply::empty(200)));
    match fault {
        Fault::Hang => std::future::pending::<()>().await,
        Fault::ResetAfterRequest => reset(stream),
        Fault::TruncatedBody => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(br#"{"id":"pr"#).await;
            let _ = stream.flush().await;
        }
        Fault::UnterminatedChunked => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(b"a\r\n{\"id\":\"pr\r\n").await;
            let _ = stream.flush().await;
        }
        Fault::StalledBody => {
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(b"{\"id").await;
            let _ = stream.flush().await;
            std::future::pending::<()>().await;
        }
        Fault::Respond(reply) => write_reply(&mut stream, &reply).await,
        Fault::NotTls => {
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                .await;
            // Close with a FIN, not a reset: drain what the client still sends (the rest of its
            // handshake), so that it sees a bad TLS answer rather than a broken connection.
            let _ = stream.shutdown().await;
            let mut sink = [0_u8; 1024];
            let _ = tokio::time::timeout(Duration::from_millis(500), async {
                while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
            })
            .await;
        }
        Fault::ChargeThenReset { key_header, reply } => {
            let key = request.header(key_header).map(str::to_owned);
            let replay = {
                let mut s = lock(&state);
                match key.as_ref().and_then(|k| s.idempotency.get(k).cloned()) {
                    Some(stored) => Some(stored),
                    None => {
                        s.charges += 1;
                        if let Some(k) = key {
                            s.idempotency.insert(k, reply);
                        }
                        None
                    }
                }
            };
            match replay {
                Some(stored) => write_reply(&mut stream, &stored).await,
                None => reset(stream),
            }
        }
    }
}

async fn write_reply(stream: &mut TcpStream, reply: &Reply) {
    let _ = stream.write_all(&reply.to_bytes()).await;
    let _ = stream.flush().await;
    let _ = stream.shutdown().await;
}

fn reset(stream: TcpStream) {
    // SO_LINGER 0 turns the close into a RST.
    let _ = stream.set_zero_linger();
    drop(stream);
}

/// Reads one request (head and `Content-Length` body); `None` if the client hung up or the
/// first bytes are not HTTP (a TLS ClientHello is still recorded).
async fn read_request(stream: &mut TcpStream) -> Option<RecordedRequest> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(pos) = find(&buf, b"\r\n\r\n") {
            break pos;
        }
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if read == 0 {
            return None;
        }
        buf.extend_from_slice(chunk.get(..read)?);
        if buf.first() == Some(&0x16) {
            // A TLS handshake record: record it as an attempt with no HTTP content.
            return Some(RecordedRequest {
                method: "TLS".into(),
                path: String::new(),
                headers: Vec::new(),
                body: Vec::new(),
            });
        }
    };
    let head = String::from_utf8_lossy(buf.get(..head_end)?).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let path = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buf.get(head_end + 4..)?.to_vec();
    while body.len() < length {
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(chunk.get(..read)?);
    }
    Some(RecordedRequest {
        method,
        path,
        headers,
        body,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        409 => "Conflict",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// `(file name, text)` of every `*.response.json` file in `dir` (a provider's
/// `fixtures/<provider>/recorded/`, written by `cargo xtask fixtures record`), sorted by name;
/// empty if the folder does not exist. For the snapshot suites that decode recorded answers.
///
/// ```
/// let none = payments_common::testing::recorded_responses(std::path::Path::new("/nonexistent"));
/// assert!(none.is_empty());
/// ```
///
/// # Panics
///
/// If a file of the folder cannot be read (a test helper: the failure is the test's).
#[allow(
    clippy::panic,
    reason = "a test helper: an unreadable fixture fails the test"
)]
pub fn recorded_responses(dir: &std::path::Path) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?.to_owned();
            name.ends_with(".response.json").then(|| {
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                (name, text)
            })
        })
        .collect();
    out.sort();
    out
}
