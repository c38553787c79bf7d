//! What a provider crate reads off a `Response`, over real HTTP on loopback: the request id
//! from each of the usual headers (cleaned and bounded), `Retry-After`, the JSON sniffing, the
//! generic error of every status class with a redirect's path never shown, decoding with the
//! path of the offending value, the decode cap at its exact edge, and a `Debug` that never
//! shows the body.
#![cfg(feature = "test-util")]

use std::time::Duration;

use payments_common::http::{HttpClient, HttpConfig, Request, Response, RetryPolicy, decode_body};
use payments_common::testing::{Fault, FaultServer, Reply};
use payments_common::{Error, StatusCode};

/// Sends one GET to a server that answers with `reply`, without retries.
async fn fetch(reply: Reply) -> Response {
    let server = FaultServer::start(vec![Fault::Respond(reply)]).await;
    let http = HttpClient::new(
        "test",
        "payments-common-tests/0",
        HttpConfig::default()
            .attempt_timeout(Duration::from_secs(20))
            .deadline(Duration::from_secs(30))
            .retry(RetryPolicy::never()),
    )
    .unwrap();
    http.send(&Request::get("test.read", server.url("/v1/items")))
        .await
        .unwrap()
}

#[tokio::test]
async fn the_request_id_is_read_from_each_usual_header_cleaned_and_bounded() {
    for header in [
        "X-Request-Id",
        "Request-Id",
        "X-Correlation-Id",
        "x-amzn-RequestId",
    ] {
        let response = fetch(Reply::json(200, "{}").header(header, "req-42")).await;
        assert_eq!(response.request_id().as_deref(), Some("req-42"), "{header}");
    }
    let response = fetch(Reply::json(200, "{}").header("X-Other-Id", "req-42")).await;
    assert_eq!(response.request_id(), None);
    let long = "r".repeat(300);
    let response = fetch(Reply::json(200, "{}").header("X-Request-Id", &long)).await;
    assert_eq!(response.request_id(), Some("r".repeat(128)));
    let response = fetch(Reply::json(200, "{}").header("X-Request-Id", "a\tb")).await;
    assert_eq!(response.request_id().as_deref(), Some("ab"));
    // The first of the usual headers wins.
    let response = fetch(
        Reply::json(200, "{}")
            .header("X-Correlation-Id", "second")
            .header("X-Request-Id", "first"),
    )
    .await;
    assert_eq!(response.request_id().as_deref(), Some("first"));
}

#[tokio::test]
async fn headers_and_retry_after_read_back() {
    let response = fetch(Reply::json(503, "{}").header("Retry-After", "7")).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(response.header("retry-after"), Some("7"));
    assert_eq!(response.content_type(), Some("application/json"));
    assert!(response.headers().contains_key("content-type"));
    assert_eq!(response.body(), b"{}");
    let response = fetch(Reply::json(503, "{}").header("Retry-After", "soon")).await;
    assert_eq!(response.retry_after(), None);
    let response = fetch(Reply::json(503, "{}")).await;
    assert_eq!(response.retry_after(), None);
    assert_eq!(response.header("x-missing"), None);
}

#[test]
fn json_is_sniffed_from_the_first_visible_byte() {
    let sniff =
        |body: &[u8]| Response::for_tests(StatusCode::OK, "text/html", body).looks_like_json();
    assert!(sniff(b"{\"a\":1}"));
    assert!(sniff(b"[1]"));
    assert!(sniff(b" \r\n\t{}"));
    assert!(!sniff(b""));
    assert!(!sniff(b"   "));
    assert!(!sniff(b"<html>{}</html>"));
    assert!(!sniff(b"\"text\""));
}

#[tokio::test]
async fn each_status_class_gets_its_generic_error() {
    let error = fetch(Reply::redirect("https://evil.example/steal?token=abc"))
        .await
        .error();
    match error {
        Error::UnexpectedRedirect { status, location } => {
            assert_eq!(status, StatusCode::FOUND);
            assert_eq!(location.as_deref(), Some("https://evil.example"));
        }
        other => panic!("{other:?}"),
    }
    let error = fetch(Reply::redirect("/login?token=abc")).await.error();
    match error {
        Error::UnexpectedRedirect { location, .. } => {
            assert_eq!(location.as_deref(), Some("(relative location)"));
        }
        other => panic!("{other:?}"),
    }
    let error = fetch(Reply::empty(304)).await.error();
    assert!(
        matches!(error, Error::UnexpectedRedirect { location: None, .. }),
        "{error:?}"
    );
    for code in [401, 403] {
        let error = fetch(Reply::json(code, "{}").header("X-Request-Id", "r1"))
            .await
            .error();
        match error {
            Error::Unauthorized {
                status, request_id, ..
            } => {
                assert_eq!(status.as_u16(), code);
                assert_eq!(request_id.as_deref(), Some("r1"));
            }
            other => panic!("{code}: {other:?}"),
        }
    }
    let error = fetch(Reply::json(404, "{}").header("X-Request-Id", "r2"))
        .await
        .error();
    assert!(
        matches!(&error, Error::NotFound { request_id: Some(id), .. } if id == "r2"),
        "{error:?}"
    );
    let error = fetch(Reply::json(429, "{}").header("Retry-After", "3"))
        .await
        .error();
    assert!(
        matches!(error, Error::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(3)),
        "{error:?}"
    );
    for code in [400, 409, 418, 500, 502] {
        let error = fetch(Reply::html(code, "<h1>down</h1>")).await.error();
        match error {
            Error::Http {
                status,
                content_type,
                excerpt,
                ..
            } => {
                assert_eq!(status.as_u16(), code);
                assert_eq!(content_type.as_deref(), Some("text/html"));
                assert_eq!(excerpt, "<h1>down</h1>");
            }
            other => panic!("{code}: {other:?}"),
        }
    }
}

#[derive(Debug, serde::Deserialize)]
struct Item {
    #[allow(dead_code, reason = "decoded to check the decoder, not read")]
    amount: i64,
}

#[test]
fn decoding_names_the_offending_path_and_masks_the_excerpt() {
    let response = Response::for_tests(
        StatusCode::OK,
        "application/json",
        br#"{"amount":"x","token":"tok_123456"}"#,
    );
    match response.json::<Item>() {
        Err(Error::Decode {
            status,
            path,
            excerpt,
            ..
        }) => {
            assert_eq!(status, StatusCode::OK);
            assert_eq!(path, "amount");
            assert!(!excerpt.contains("tok_123456"), "{excerpt}");
        }
        other => panic!("{other:?}"),
    }
    let error = response.decode_error("result.items", "expected an array");
    match error {
        Error::Decode { path, message, .. } => {
            assert_eq!(path, "result.items");
            assert_eq!(message, "expected an array");
        }
        other => panic!("{other:?}"),
    }
    // Trailing bytes after a complete value are an error of the whole document.
    match decode_body::<Item>(StatusCode::OK, br#"{"amount":5} x"#, 1024) {
        Err(Error::Decode { path, .. }) => assert_eq!(path, "."),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_decode_cap_is_exact() {
    let body = br#"{"amount":5}"#;
    assert!(decode_body::<Item>(StatusCode::OK, body, body.len()).is_ok());
    match decode_body::<Item>(StatusCode::OK, body, body.len() - 1) {
        Err(Error::Decode { path, message, .. }) => {
            assert_eq!(path, ".");
            assert!(message.contains(&(body.len() - 1).to_string()), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn debug_shows_the_shape_never_the_body() {
    let response = Response::for_tests(
        StatusCode::CREATED,
        "application/json",
        br#"{"card":"4111111111111111"}"#,
    );
    let debug = format!("{response:?}");
    assert!(debug.contains("201"), "{debug}");
    assert!(debug.contains("application/json"), "{debug}");
    assert!(debug.contains("body_bytes: 27"), "{debug}");
    assert!(!debug.contains("4111"), "{debug}");
}
