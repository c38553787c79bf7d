//! Error mapping per status that the mutation run found unasserted (over httpmock on loopback):
//! TS Pay's messages stay readable through `tspay_messages()` for 401 / 404 and through a
//! write's "outcome unknown" wrapper; a 401 whose `message` is a list is summarised; a JSON 429
//! stays a rate limit (retryable, not an API refusal); a body carrying only `message` is still
//! read as TS Pay's error shape.

use std::time::Duration;

use httpmock::MockServer;
use tspay::{
    Client, Credentials, Currency, ErrorKind, HttpConfig, Money, OrderKey, PayLinkRequest,
    RetryPolicy, SourceType, StatusCode, Template,
};

/// A definitive answer is expected from httpmock: a generous attempt timeout, short backoff.
fn config() -> HttpConfig {
    HttpConfig::default()
        .attempt_timeout(Duration::from_secs(10))
        .retry(
            RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
}

async fn serving(status: u16, body: &str) -> (MockServer, Client) {
    let server = MockServer::start_async().await;
    let body = body.to_owned();
    server
        .mock_async(move |when, then| {
            when.any_request();
            then.status(status)
                .header("content-type", "application/json")
                .header("retry-after", "0")
                .body(body);
        })
        .await;
    let client = Client::builder(Credentials::new("test-api-key-123"))
        .base_url(server.base_url())
        .http_config(config())
        .build()
        .unwrap();
    (server, client)
}

async fn read(client: &Client) -> tspay::Error {
    client
        .charges()
        .of_order(&OrderKey::new("ok_1"))
        .await
        .unwrap_err()
}

async fn write(client: &Client) -> tspay::Error {
    let request = PayLinkRequest::new(
        Template::new("Example Shop", "Acquisto digitale"),
        Money::from_minor_units(1450, Currency::EUR),
    )
    .source_type(SourceType::Card);
    client.pay_links().create(&request).await.unwrap_err()
}

#[tokio::test]
async fn unauthorized_and_not_found_keep_ts_pays_message() {
    let (_s, client) = serving(401, r#"{"statusCode":401,"message":"Unauthorized"}"#).await;
    let err = read(&client).await;
    assert!(
        matches!(err.kind(), ErrorKind::Unauthorized { .. }),
        "{err:?}"
    );
    assert_eq!(err.tspay_messages(), ["Unauthorized"]);

    let (_s, client) = serving(404, r#"{"statusCode":404,"message":"Order not found"}"#).await;
    let err = read(&client).await;
    assert!(matches!(err.kind(), ErrorKind::NotFound { .. }), "{err:?}");
    assert_eq!(err.tspay_messages(), ["Order not found"]);
}

#[tokio::test]
async fn a_401_with_a_message_list_is_summarised() {
    let (_s, client) = serving(
        401,
        r#"{"statusCode":401,"message":["key not active","activate it first"]}"#,
    )
    .await;
    let err = read(&client).await;
    match err.kind() {
        ErrorKind::Unauthorized {
            status, message, ..
        } => {
            assert_eq!(*status, StatusCode::UNAUTHORIZED);
            assert_eq!(
                message.as_deref(),
                Some("key not active; activate it first")
            );
        }
        other => panic!("{other:?}"),
    }
    // An empty list summarises to no message at all, never to an empty one.
    let (_s, client) = serving(403, r#"{"statusCode":403,"message":[]}"#).await;
    let err = read(&client).await;
    assert!(
        matches!(err.kind(), ErrorKind::Unauthorized { message: None, .. }),
        "{err:?}"
    );
    assert!(err.tspay_messages().is_empty());
}

#[tokio::test]
async fn a_json_429_stays_a_retryable_rate_limit() {
    let (_s, client) = serving(
        429,
        r#"{"statusCode":429,"message":"ThrottlerException: Too Many Requests"}"#,
    )
    .await;
    let err = read(&client).await;
    assert!(
        matches!(err.kind(), ErrorKind::RateLimited { .. }),
        "{:?}",
        err.kind()
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_body_with_only_a_message_is_ts_pays_error_shape() {
    let (_s, client) = serving(400, r#"{"message":"amount must be a positive number"}"#).await;
    let err = read(&client).await;
    match err.kind() {
        ErrorKind::Api {
            status, message, ..
        } => {
            assert_eq!(*status, StatusCode::BAD_REQUEST);
            assert_eq!(message.as_deref(), Some("amount must be a positive number"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.tspay_messages(), ["amount must be a positive number"]);
}

#[tokio::test]
async fn a_writes_outcome_unknown_still_shows_ts_pays_message_and_error() {
    let (_s, client) = serving(
        500,
        r#"{"statusCode":500,"message":"Internal server error","error":"Internal Server Error"}"#,
    )
    .await;
    let err = write(&client).await;
    assert!(
        matches!(err.kind(), ErrorKind::OutcomeUnknown { .. }),
        "{:?}",
        err.kind()
    );
    assert_eq!(err.tspay_messages(), ["Internal server error"]);
    assert_eq!(err.tspay_error(), Some("Internal Server Error"));
}
