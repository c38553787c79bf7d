//! The pipeline's limits at their exact edges, over real HTTP on loopback:
//!
//! - the body cap holds while a chunked body streams in (no `Content-Length` to check first):
//!   a body one byte over the cap is refused, one of exactly the cap is read;
//! - a `Content-Length` of exactly the cap is read, one byte more is refused before the body;
//! - a `Retry-After` of exactly the cap is honoured, anything longer stops at once.
//!
//! Timing: every call here expects a definitive answer, so the attempt timeout and deadline
//! are seconds long, far above what a busy machine adds.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use payments_common::http::{
    AttemptClass, Decision, HttpClient, HttpConfig, Request, RequestKind, RetryPolicy, decide,
};
use payments_common::{Error, StatusCode, Url};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The body cap of these tests.
const CAP: usize = 64 * 1024;

fn client() -> HttpClient {
    HttpClient::new(
        "test",
        "payments-common-tests/0",
        HttpConfig::default()
            .connect_timeout(Duration::from_secs(5))
            .attempt_timeout(Duration::from_secs(20))
            .deadline(Duration::from_secs(30))
            .max_body_bytes(CAP)
            .retry(
                RetryPolicy::default()
                    .with_max_retries(2)
                    .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
            ),
    )
    .unwrap()
}

/// How the test server frames its 200 body.
#[derive(Clone, Copy)]
enum Framing {
    /// `Transfer-Encoding: chunked`, in chunks of at most 16 KiB.
    Chunked,
    /// A `Content-Length` header.
    Length,
}

/// A server that answers every request with a 200 of `body_len` bytes framed as `framing`;
/// returns its URL and the number of requests it has seen.
async fn serve(body_len: usize, framing: Framing) -> (Url, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = Url::parse(&format!(
        "http://{}/v1/items",
        listener.local_addr().unwrap()
    ))
    .unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                counter.fetch_add(1, Ordering::SeqCst);
                let body = vec![b'x'; body_len];
                let result = match framing {
                    Framing::Length => {
                        let mut out = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body_len}\r\nConnection: close\r\n\r\n"
                        )
                        .into_bytes();
                        out.extend_from_slice(&body);
                        stream.write_all(&out).await
                    }
                    Framing::Chunked => {
                        let mut out = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
                        for chunk in body.chunks(16 * 1024) {
                            out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                            out.extend_from_slice(chunk);
                            out.extend_from_slice(b"\r\n");
                        }
                        out.extend_from_slice(b"0\r\n\r\n");
                        stream.write_all(&out).await
                    }
                };
                // The client may hang up as soon as it has seen enough: not an error here.
                let _ = result;
                let _ = stream.shutdown().await;
            });
        }
    });
    (url, seen)
}

async fn get(body_len: usize, framing: Framing) -> (Result<usize, Error>, usize) {
    let (url, seen) = serve(body_len, framing).await;
    let result = client()
        .send(&Request::get("test.read", url))
        .await
        .map(|response| response.body().len());
    (result, seen.load(Ordering::SeqCst))
}

#[track_caller]
fn assert_too_large(result: &Result<usize, Error>) {
    match result {
        Err(Error::ResponseTooLarge { status, limit }) => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(*limit, CAP);
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
}

#[tokio::test]
async fn a_chunked_body_one_byte_over_the_cap_is_refused_while_streaming_and_not_retried() {
    let (result, attempts) = get(CAP + 1, Framing::Chunked).await;
    assert_too_large(&result);
    assert_eq!(attempts, 1, "an oversized body is final, never retried");
}

#[tokio::test]
async fn a_chunked_body_far_over_the_cap_is_refused() {
    let (result, attempts) = get(16 * CAP, Framing::Chunked).await;
    assert_too_large(&result);
    assert_eq!(attempts, 1);
}

#[tokio::test]
async fn a_chunked_body_of_exactly_the_cap_is_read_whole() {
    let (result, attempts) = get(CAP, Framing::Chunked).await;
    assert_eq!(result.unwrap(), CAP);
    assert_eq!(attempts, 1);
}

#[tokio::test]
async fn a_content_length_of_exactly_the_cap_is_read_and_one_more_byte_is_refused() {
    let (result, _) = get(CAP, Framing::Length).await;
    assert_eq!(result.unwrap(), CAP);
    let (result, attempts) = get(CAP + 1, Framing::Length).await;
    assert_too_large(&result);
    assert_eq!(attempts, 1);
}

#[test]
fn a_retry_after_of_exactly_the_cap_is_honoured_and_a_longer_one_stops() {
    let cap = Duration::from_secs(3);
    let policy = RetryPolicy::default().with_retry_after_cap(cap);
    for status in [429, 503] {
        let at_cap = AttemptClass::Status {
            status,
            retry_after: Some(cap),
        };
        assert_eq!(
            decide(&policy, RequestKind::Read, 1, at_cap, 1000),
            Decision::Retry { after: cap },
            "{status}"
        );
        let over = AttemptClass::Status {
            status,
            retry_after: Some(cap + Duration::from_nanos(1)),
        };
        assert_eq!(
            decide(&policy, RequestKind::Read, 1, over, 1000),
            Decision::Stop,
            "{status}"
        );
    }
}

/// A deadline that is already spent when the call starts sends nothing, and says so: a
/// timeout after 0 attempts.
#[tokio::test]
async fn a_spent_deadline_sends_nothing_and_reports_zero_attempts() {
    let (url, seen) = serve(16, Framing::Length).await;
    let http = HttpClient::new(
        "test",
        "payments-common-tests/0",
        HttpConfig::default().deadline(Duration::from_nanos(1)),
    )
    .unwrap();
    let error = http
        .send(&Request::get("test.read", url))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(error.attempts(), Some(0));
    assert_eq!(seen.load(Ordering::SeqCst), 0);
}
