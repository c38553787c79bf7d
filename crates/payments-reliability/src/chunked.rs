//! A raw TCP server on loopback that answers every request with a body far over the matrix's
//! body cap, sent `Transfer-Encoding: chunked` with no `Content-Length`: the cap can only hold
//! if the client counts the bytes while it streams them (row F18c).
//!
//! The fault server of `payments_common::testing` always announces a `Content-Length`, which
//! lets a client refuse the body from the headers alone; this one does not.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use payments_reliability::chunked::ChunkedServer;
//! let server = ChunkedServer::start(200, 4 * 1024 * 1024).await.expect("loopback");
//! assert_eq!(server.attempts(), 0);
//! assert!(server.base_url().as_str().starts_with("http://127.0.0.1:"));
//! # }
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use payments_common::Url;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The size of each chunk the server writes.
const CHUNK: usize = 64 * 1024;

/// How long one connection may take in all before the server gives up on it (a client that
/// stopped reading without closing).
const CONNECTION_LIMIT: Duration = Duration::from_secs(60);

/// The server; stopped when dropped.
pub struct ChunkedServer {
    base: Url,
    attempts: Arc<AtomicUsize>,
    completed: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl ChunkedServer {
    /// Starts the server: every request is answered with `status` and a JSON array of
    /// `total` bytes in 64 KiB chunks, then the terminating chunk.
    ///
    /// # Errors
    ///
    /// If loopback cannot be bound.
    pub async fn start(status: u16, total: usize) -> std::io::Result<ChunkedServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let base =
            Url::parse(&format!("http://127.0.0.1:{port}/")).map_err(std::io::Error::other)?;
        let attempts = Arc::new(AtomicUsize::new(0));
        let completed = Arc::new(AtomicUsize::new(0));
        let (seen, done) = (attempts.clone(), completed.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (seen, done) = (seen.clone(), done.clone());
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(
                        CONNECTION_LIMIT,
                        serve(stream, status, total, seen, done),
                    )
                    .await;
                });
            }
        });
        Ok(ChunkedServer {
            base,
            attempts,
            completed,
            task,
        })
    }

    /// `http://127.0.0.1:<port>/`.
    pub fn base_url(&self) -> Url {
        self.base.clone()
    }

    /// How many requests the server has read (one per attempt that reached it).
    pub fn attempts(&self) -> usize {
        self.attempts.load(Ordering::SeqCst)
    }

    /// How many bodies the server wrote to the end: a client that holds the cap while
    /// streaming stops reading long before, so this stays 0.
    pub fn completed(&self) -> usize {
        self.completed.load(Ordering::SeqCst)
    }
}

impl Drop for ChunkedServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    status: u16,
    total: usize,
    attempts: Arc<AtomicUsize>,
    completed: Arc<AtomicUsize>,
) {
    if !read_request(&mut stream).await {
        return;
    }
    attempts.fetch_add(1, Ordering::SeqCst);
    let head = format!(
        "HTTP/1.1 {status} Status\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let item = b"\"abc\",";
    let mut body = Vec::with_capacity(CHUNK);
    let mut written = 0;
    let mut first = true;
    while written < total {
        body.clear();
        if first {
            body.push(b'[');
            first = false;
        }
        while body.len() + item.len() <= CHUNK && written + body.len() + item.len() + 4 < total {
            body.extend_from_slice(item);
        }
        if written + body.len() + item.len() + 4 >= total {
            body.extend_from_slice(b"\"a\"]");
        }
        written += body.len();
        if write_chunk(&mut stream, &body).await.is_err() {
            return;
        }
        if body.ends_with(b"]") {
            break;
        }
    }
    if stream.write_all(b"0\r\n\r\n").await.is_err() || stream.flush().await.is_err() {
        return;
    }
    completed.fetch_add(1, Ordering::SeqCst);
    let _ = stream.shutdown().await;
}

async fn write_chunk(stream: &mut TcpStream, data: &[u8]) -> std::io::Result<()> {
    stream
        .write_all(format!("{:x}\r\n", data.len()).as_bytes())
        .await?;
    stream.write_all(data).await?;
    stream.write_all(b"\r\n").await
}

/// Reads one request head and its `Content-Length` body; `false` if the client hung up.
async fn read_request(stream: &mut TcpStream) -> bool {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => buf.extend_from_slice(chunk.get(..n).unwrap_or_default()),
            _ => return false,
        }
    };
    let head = String::from_utf8_lossy(buf.get(..head_end).unwrap_or_default()).into_owned();
    let length = head
        .split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buf.len().saturating_sub(head_end + 4);
    while body < length {
        match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => body += n,
            _ => break,
        }
    }
    true
}
