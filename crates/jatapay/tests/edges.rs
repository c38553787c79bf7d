//! Edges of the promises that the broader suites leave loose: the exact amount cap, the error
//! mapping's generic cases (rate limits, redirects, JSON 404 without a message), the attempt
//! counts a deadline or a failed repeat reports, and the `Debug` of a token.

#[macro_use]
mod common;

use std::time::Duration;

use common::{builder_at, credentials, fast_config, hang_config};
use jatapay::{
    Client, Credentials, Currency, ErrorKind, GatewayRequest, HttpConfig, Money, RetryPolicy,
    SecretString, StatusCode, SubscriptionId, Token,
};
use payments_common::testing::{Fault, FaultServer, Reply};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SUB: &str = "65b279426d2f219d702a7f69";

fn request(cents: i64) -> GatewayRequest {
    GatewayRequest::new(
        Money::from_minor_units(cents, Currency::EUR),
        "https://e-commerce.example.com/callback_url",
        "Prodotto",
    )
}

fn token_reply(token: &str) -> Fault {
    Fault::Respond(Reply::json(
        200,
        &format!(r#"{{"token":"{token}","refresh_token":"r"}}"#),
    ))
}

fn expired() -> Fault {
    Fault::Respond(Reply::json(401, r#"{"msg":"Token has expired"}"#))
}

fn token_client(server: &FaultServer, config: HttpConfig) -> Client {
    builder_at(
        server.base_url().as_str(),
        Credentials::token(SecretString::from("tok-1")),
    )
    .http_config(config)
    .build()
    .unwrap()
}

#[test]
fn the_amount_cap_is_2_pow_53_minus_1_cents() {
    // The largest integer every JSON parser keeps exactly.
    assert_eq!(jatapay::MAX_AMOUNT_CENTS, 9_007_199_254_740_991);
    request(9_007_199_254_740_991).build().unwrap();
    let err = request(9_007_199_254_740_992).build().unwrap_err();
    assert_eq!(err.invalid_field(), Some("importo"));
}

#[tokio::test]
async fn a_429_keeps_its_meaning_whatever_the_body_says() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(
        429,
        r#"{"msg":"slow down"}"#,
    ))])
    .await;
    let client = token_client(&server, fast_config().retry(RetryPolicy::never()));
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::RateLimited { status, .. } if *status == StatusCode::TOO_MANY_REQUESTS),
        "{err:?}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_redirect_keeps_its_meaning_whatever_the_body_says() {
    let server = FaultServer::start(vec![Fault::Respond(
        Reply::json(302, r#"{"msg":"moved"}"#).header("location", "https://elsewhere.example/x"),
    )])
    .await;
    let client = token_client(&server, fast_config());
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::UnexpectedRedirect { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_json_404_without_a_message_is_not_found_not_an_html_page() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(
        404,
        r#"{"error":"nope"}"#,
    ))])
    .await;
    let client = token_client(&server, fast_config());
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::NotFound { message: None, .. }),
        "{err:?}"
    );
}

#[test]
fn a_tokens_debug_names_its_fields_and_hides_their_values() {
    let token: Token =
        serde_json::from_str(r#"{"token":"eyJ.secret.a","refresh_token":"eyJ.secret.b"}"#).unwrap();
    let shown = format!("{token:?}");
    assert_eq!(
        shown,
        r#"Token { token: "[REDACTED]", refresh_token: Some("[REDACTED]") }"#
    );
}

/// A client with both hosts on `server`, overall deadline `deadline` and an attempt timeout
/// far above it.
fn deadline_client(server: &FaultServer, deadline: Duration) -> Client {
    builder_at(server.base_url().as_str(), credentials())
        .http_config(
            fast_config()
                .attempt_timeout(Duration::from_secs(20))
                .deadline(deadline),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_deadline_during_the_refresh_after_a_401_counts_the_refused_attempt_and_the_wait() {
    // Token, the read refused with 401, then the new exchange never answers.
    let server = FaultServer::start(vec![token_reply("tok-A"), expired(), Fault::Hang]).await;
    let client = deadline_client(&server, Duration::from_millis(1500));
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Timeout { .. }), "{err:?}");
    // One API request sent, and the call was waiting for a token when the deadline ran out.
    assert_eq!(err.attempts(), Some(2), "{err:?}");
}

#[tokio::test]
async fn a_deadline_with_the_request_in_flight_counts_that_request() {
    let server = FaultServer::start(vec![token_reply("tok-A"), Fault::Hang]).await;
    let client = deadline_client(&server, Duration::from_millis(1500));
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Timeout { .. }), "{err:?}");
    assert_eq!(err.attempts(), Some(1), "{err:?}");
}

#[tokio::test]
async fn a_repeat_that_times_out_counts_the_refused_attempt_too() {
    // Token, 401, new token, then the repeat hangs on every attempt (short attempt timeout).
    let server = FaultServer::start(vec![
        token_reply("tok-A"),
        expired(),
        token_reply("tok-B"),
        Fault::Hang,
    ])
    .await;
    let client = builder_at(server.base_url().as_str(), credentials())
        .http_config(hang_config())
        .build()
        .unwrap();
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    // The repeat: 1 + 2 retries, all timed out; plus the attempt refused with 401.
    assert!(
        matches!(err.kind(), ErrorKind::Timeout { attempts: 4, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_repeat_that_cannot_connect_counts_the_refused_attempt_too() {
    // The token host answers twice; the API host answers one 401 and then stops listening, so
    // the repeat with the new token finds nothing there.
    let auth = FaultServer::start(vec![token_reply("tok-A"), token_reply("tok-B")]).await;
    let api = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api_url = format!("http://{}", api.local_addr().unwrap());
    let once = tokio::spawn(async move {
        let (mut stream, _) = api.accept().await.unwrap();
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buf).await.unwrap();
            assert!(n > 0, "the request ended early");
            seen.extend_from_slice(&buf[..n]);
        }
        let body = r#"{"msg":"Token has expired"}"#;
        let reply = format!(
            "HTTP/1.1 401 UNAUTHORIZED\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(reply.as_bytes()).await.unwrap();
        stream.shutdown().await.unwrap();
        // `api` is dropped here: nothing listens on the port any more.
        String::from_utf8_lossy(&seen).into_owned()
    });
    let client = Client::builder(credentials())
        .auth_base_url(auth.base_url().as_str())
        .api_base_url(api_url)
        .http_config(fast_config())
        .build()
        .unwrap();
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    let first = once.await.unwrap();
    assert!(first.contains("Bearer tok-A"), "{first}");
    assert_eq!(auth.attempts(), 2, "a new token was fetched for the repeat");
    // The repeat: 1 + 2 retries refused; plus the attempt refused with 401.
    assert!(
        matches!(err.kind(), ErrorKind::Connect { attempts: 4, .. }),
        "{err:?}"
    );
}

#[test]
fn each_state_reads_as_documented_and_as_inferred() {
    use jatapay::{PaymentOutcome, Subscription, SubscriptionStatus};
    for (stato, inferred) in [
        ("iniziata", PaymentOutcome::Pending),
        ("attiva", PaymentOutcome::Paid),
        ("completata", PaymentOutcome::Paid),
        ("annullata", PaymentOutcome::Failed),
        ("sospesa", PaymentOutcome::Pending),
        ("pagata", PaymentOutcome::Pending),
    ] {
        let status = SubscriptionStatus::from(stato);
        assert_eq!(status.inferred_outcome(), inferred, "{stato}");
        // JataPay documents no paid or failed state: the documented reading stays pending.
        assert_eq!(status.outcome(), PaymentOutcome::Pending, "{stato}");
        let read: Subscription = serde_json::from_str(&format!(
            r#"{{"_id":"{SUB}","importo":2000,"stato":"{stato}"}}"#
        ))
        .unwrap();
        assert_eq!(read.inferred_outcome(), inferred, "{stato}");
        assert_eq!(read.outcome(), PaymentOutcome::Pending, "{stato}");
    }
}

#[test]
fn validate_refuses_what_build_refuses_without_consuming_the_request() {
    let usd = GatewayRequest::new(
        Money::from_minor_units(990, Currency::USD),
        "https://shop.example/r",
        "Pro",
    );
    let err = usd.validate().unwrap_err();
    assert_eq!(
        (err.operation(), err.invalid_field()),
        ("gateway_request.validate", Some("importo"))
    );
    let err = request(2000).customer("").validate().unwrap_err();
    assert_eq!(err.invalid_field(), Some("cliente"));
    request(2000).validate().unwrap();
}

#[tokio::test]
async fn a_call_refused_with_a_token_already_replaced_reuses_the_new_one() {
    use httpmock::MockServer;
    const SLOW: &str = "65b279426d2f219d702a7f70";
    let server = MockServer::start_async().await;
    let exchange = server
        .mock_async(|when, then| {
            when.method("POST").path("/token");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"token":"tok-B","refresh_token":"r"}"#);
        })
        .await;
    let read = |id: &str| format!(r#"{{"_id":"{id}","importo":2000,"stato":"iniziata"}}"#);
    for (id, delay) in [(SUB, Duration::ZERO), (SLOW, Duration::from_millis(1500))] {
        // The stale token is refused, on the slow path only after a while.
        server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(format!("/entity/subscriptions/{id}"))
                    .header("authorization", "Bearer tok-A");
                then.status(401)
                    .header("content-type", "application/json")
                    .body(r#"{"msg":"Token has expired"}"#)
                    .delay(delay);
            })
            .await;
        server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(format!("/entity/subscriptions/{id}"))
                    .header("authorization", "Bearer tok-B");
                then.status(200)
                    .header("content-type", "application/json")
                    .body(read(id));
            })
            .await;
    }
    // The token held at start is A; the client credentials replace it after a 401.
    let client = builder_at(
        &server.base_url(),
        credentials().with_token(SecretString::from("tok-A")),
    )
    .build()
    .unwrap();
    // The slow call leaves with A first; the quick one is refused, replaces A with B and
    // succeeds while the slow one still waits for its 401.
    let slow = {
        let client = client.clone();
        tokio::spawn(async move { client.subscriptions().get(&SubscriptionId::new(SLOW)).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    client
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap();
    assert_eq!(exchange.calls_async().await, 1);
    // Refused with A after B was obtained: B is reused, not exchanged for a third token.
    let read = slow.await.unwrap().unwrap();
    assert_eq!(read.id.as_str(), SLOW);
    assert_eq!(
        exchange.calls_async().await,
        1,
        "one exchange for both calls"
    );
}

#[test]
fn credentials_debug_says_what_is_configured_without_any_value() {
    let both = credentials().with_token(SecretString::from("tok-CANARY"));
    assert_eq!(
        format!("{both:?}"),
        r#"Credentials { client_id: Some("***"), client_secret: Some("***"), token: Some("***") }"#
    );
    let token_only = Credentials::token(SecretString::from("tok-CANARY"));
    assert_eq!(
        format!("{token_only:?}"),
        r#"Credentials { client_id: None, client_secret: None, token: Some("***") }"#
    );
}

#[test]
fn client_and_builder_debug_show_the_hosts_and_hide_the_credentials() {
    let builder = Client::builder(credentials()).api_base_url("https://api.example");
    let shown = format!("{builder:?}");
    assert!(
        shown.starts_with("ClientBuilder { credentials: Credentials {"),
        "{shown}"
    );
    assert!(
        shown.contains(r#"api_base_url: Some("https://api.example")"#),
        "{shown}"
    );
    let client = builder.build().unwrap();
    let shown = format!("{client:?}");
    assert!(
        shown.starts_with(r#"Client { auth_base_url: "https://auth.jatajata.com/", api_base_url: "https://api.example/""#),
        "{shown}"
    );
    assert!(shown.contains(r#"credentials: Some("***")"#), "{shown}");
    assert!(!shown.contains(common::CLIENT_SECRET), "{shown}");
}
