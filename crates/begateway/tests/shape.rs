//! The common SDK shape: errors that say who and what, per-call options on a handle of the
//! same client, and the last response's record on success.

mod common;

use std::time::Duration;

use begateway::{
    Client, Credentials, ErrorKind, Provider, ProviderError, RequestOptions, RetryPolicy,
    StatusCode,
};
use common::{SECRET, SHOP_ID, client, fast_config, fixture};
use payments_common::testing::{Fault, FaultServer, Reply};

/// Another provider crate's error, declared the way every provider crate declares its own.
mod other {
    payments_common::provider_error!(payments_common::Provider::TsPay);
}

/// A shop's own error: a `From` for each provider's error can coexist only because they are
/// distinct types.
#[derive(Debug)]
enum ShopError {
    Card(begateway::Error),
    Other(other::Error),
}

impl From<begateway::Error> for ShopError {
    fn from(e: begateway::Error) -> Self {
        ShopError::Card(e)
    }
}

impl From<other::Error> for ShopError {
    fn from(e: other::Error) -> Self {
        ShopError::Other(e)
    }
}

async fn list_products(base: &str) -> Result<usize, ShopError> {
    Ok(client(base).products().list().await?.len())
}

#[tokio::test]
async fn errors_name_the_provider_and_the_operation() {
    // Nothing listens on a port that was just free.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let err = match list_products(&base).await.unwrap_err() {
        ShopError::Card(e) => e,
        ShopError::Other(e) => panic!("{e}"),
    };
    assert_eq!(err.provider(), Provider::BeGateway);
    assert_eq!(err.operation(), "products.list");
    let shown = err.to_string();
    assert!(
        shown.starts_with("beGateway products.list: could not connect to 127.0.0.1: "),
        "{shown}"
    );
    assert!(matches!(err.kind(), ErrorKind::Connect { .. }), "{err:?}");
    // Generic code sees the same through the trait.
    fn describe(e: &impl ProviderError) -> String {
        format!("{} {}", e.provider(), e.operation())
    }
    assert_eq!(describe(&err), "beGateway products.list");
    let other = other::Error::new("charges.create", ErrorKind::invalid("amount", "negative"));
    assert!(matches!(ShopError::from(other), ShopError::Other(_)));
    // Builder and request errors carry their operation too.
    let err = Client::builder(Credentials::new(SHOP_ID, SECRET))
        .api_base_url("ftp://api.example")
        .build()
        .unwrap_err();
    assert_eq!(err.operation(), "client.build");
    assert_eq!(err.invalid_field(), Some("api_base_url"));
    assert!(
        err.to_string().starts_with("beGateway client.build: "),
        "{err}"
    );
}

#[tokio::test]
async fn a_per_call_header_reaches_the_server_and_the_request_id_of_a_success_is_readable() {
    let server = FaultServer::start(vec![Fault::Respond(
        Reply::json(200, &fixture("products.list.response.200.json"))
            .header("x-request-id", "req-42"),
    )])
    .await;
    let client = Client::builder(Credentials::new(SHOP_ID, SECRET))
        .api_base_url(server.base_url().as_str())
        .http_config(fast_config())
        .build()
        .unwrap();
    let handle = client.with_options(
        RequestOptions::new()
            .header("X-Correlation-Id", "order-42")
            .deadline(Duration::from_secs(20)),
    );
    let products = handle.products().list().await.unwrap();
    assert!(!products.is_empty());
    let seen = &server.requests()[0];
    assert_eq!(seen.header("x-correlation-id"), Some("order-42"));
    assert!(seen.header("authorization").unwrap().starts_with("Basic "));
    let meta = handle.last_response().expect("recorded on success");
    assert_eq!(meta.status(), StatusCode::OK);
    assert_eq!(meta.request_id(), Some("req-42"));
    assert_eq!(meta.attempts(), 1);
    // The record belongs to the handle; the client it came from made no call.
    assert!(client.last_response().is_none());
}

#[tokio::test]
async fn per_call_options_are_checked_before_sending() {
    let server = FaultServer::start(vec![]).await;
    let client = client(server.base_url().as_str());
    // beGateway honours no key on product writes: refused, not silently dropped.
    let keyed = client.with_options(RequestOptions::new().idempotency_key("k-1"));
    let err = keyed
        .products()
        .update(
            &begateway::ProductId::new("prd_1"),
            &begateway::UpdateProduct::new().name("n"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some("idempotency_key"), "{err}");
    assert_eq!(err.operation(), "products.update");
    let auth = client.with_options(RequestOptions::new().header("authorization", "Basic eA=="));
    let err = auth.products().list().await.unwrap_err();
    assert_eq!(err.invalid_field(), Some("headers.authorization"));
    assert_eq!(server.attempts(), 0, "nothing may be sent");
}

#[tokio::test]
async fn a_per_call_retry_policy_overrides_the_clients() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::bad_gateway_html())]).await;
    let client = client(server.base_url().as_str());
    let err = client
        .with_options(RequestOptions::new().retry(RetryPolicy::never()))
        .products()
        .list()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::BAD_GATEWAY));
    assert_eq!(server.attempts(), 1);
}
