//! The SDK shape every provider crate shares, as TS Pay applies it: errors that name TS Pay
//! and the operation and are a type of their own, the client built from credentials with the
//! sandbox as default environment, per-call options on a handle of the same client, the last
//! response's record on success, and the test-util constructors used as a user would.

use std::any::TypeId;
use std::time::Duration;

use httpmock::MockServer;
use payments_common::{Provider, ProviderError};
use tspay::{
    Client, Credentials, Currency, Environment, ErrorKind, HttpConfig, Money, OrderKey,
    PayLinkRequest, RequestOptions, RetryPolicy, StatusCode, Template,
};

mod other_provider {
    payments_common::provider_error!(payments_common::Provider::BeGateway);
}

fn client(server: &MockServer) -> Client {
    Client::builder(Credentials::new("k-1"))
        .base_url(server.base_url())
        .http_config(
            HttpConfig::default()
                .attempt_timeout(Duration::from_secs(10))
                .retry(RetryPolicy::never()),
        )
        .build()
        .unwrap()
}

fn pay() -> PayLinkRequest {
    PayLinkRequest::new(
        Template::new("Shop", "Ordine 1"),
        Money::from_minor_units(990, Currency::EUR),
    )
}

#[tokio::test]
async fn errors_lead_with_ts_pay_and_the_operation_and_keep_the_messages() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST").path("/orders/link2pay");
            then.status(400)
                .header("content-type", "application/json")
                .body(r#"{"statusCode":400,"message":["amount must be a positive number","currency must be EUR"],"error":"Bad Request"}"#);
        })
        .await;
    let err = client(&server)
        .pay_links()
        .create(&pay())
        .await
        .unwrap_err();
    assert!(
        err.to_string().starts_with("TS Pay pay_links.create: "),
        "{err}"
    );
    assert_eq!(err.provider(), Provider::TsPay);
    assert_eq!(err.operation(), "pay_links.create");
    assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST));
    assert_eq!(
        err.tspay_messages(),
        ["amount must be a positive number", "currency must be EUR"]
    );
    assert_eq!(err.tspay_error(), Some("Bad Request"));
    assert!(matches!(err.kind(), ErrorKind::Api { .. }));

    let err = client(&server)
        .charges()
        .of_order(&OrderKey::new("a/b"))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("TS Pay charges.of_order: invalid request: orderKey"),
        "{err}"
    );
    assert!(err.tspay_messages().is_empty());
    let err = Client::builder(Credentials::new("")).build().unwrap_err();
    assert!(
        err.to_string().starts_with("TS Pay client.build: "),
        "{err}"
    );
}

/// A shop using two providers converts each one's error into its own type.
#[derive(Debug)]
enum ShopError {
    TsPay(tspay::Error),
    Other(other_provider::Error),
}

impl From<tspay::Error> for ShopError {
    fn from(e: tspay::Error) -> Self {
        ShopError::TsPay(e)
    }
}

impl From<other_provider::Error> for ShopError {
    fn from(e: other_provider::Error) -> Self {
        ShopError::Other(e)
    }
}

#[test]
fn the_crates_error_is_its_own_type() {
    assert_ne!(
        TypeId::of::<tspay::Error>(),
        TypeId::of::<other_provider::Error>()
    );
    assert_ne!(TypeId::of::<tspay::Error>(), TypeId::of::<ErrorKind>());
    let ours: ShopError =
        tspay::Error::new("charges.of_order", ErrorKind::invalid("orderKey", "x")).into();
    let theirs: ShopError =
        other_provider::Error::new("products.create", ErrorKind::invalid("price", "x")).into();
    assert!(matches!(ours, ShopError::TsPay(e) if e.provider() == Provider::TsPay));
    assert!(matches!(theirs, ShopError::Other(e) if e.provider() == Provider::BeGateway));
    fn generic(e: &impl ProviderError) -> String {
        format!("{} {}", e.provider(), e.operation())
    }
    let e = tspay::Error::new("webhook.verify", ErrorKind::signature("x"));
    assert_eq!(generic(&e), "TS Pay webhook.verify");
}

#[test]
fn the_default_environment_is_the_sandbox_and_production_is_one_line() {
    let sandbox = Client::builder(Credentials::new("k")).build().unwrap();
    assert_eq!(
        sandbox.base_url().as_str(),
        "https://api-staging.tspay.app/"
    );
    let live = Client::builder(Credentials::new("k"))
        .environment(Environment::Production)
        .build()
        .unwrap();
    assert_eq!(live.base_url().as_str(), "https://api.tspay.app/");
    let err = Client::builder(Credentials::new("k"))
        .base_url("http://api.tspay.app")
        .build()
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some("base_url"));
}

#[tokio::test]
async fn a_handle_with_options_sends_its_header_and_records_the_request_id() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/charges/orders/ok_1")
                .header("x-correlation-id", "order-42")
                .header("authorization", "Bearer k-1");
            then.status(200)
                .header("content-type", "application/json")
                .header("x-request-id", "req-tspay-7")
                .body("[]");
        })
        .await;
    let client = client(&server);
    let handle = client.with_options(RequestOptions::new().header("X-Correlation-Id", "order-42"));
    let charges = handle
        .charges()
        .of_order(&OrderKey::new("ok_1"))
        .await
        .unwrap();
    assert!(charges.is_empty());
    mock.assert_async().await;
    let meta = handle.last_response().expect("a success is recorded");
    assert_eq!(meta.status(), StatusCode::OK);
    assert_eq!(meta.request_id(), Some("req-tspay-7"));
    assert_eq!(meta.attempts(), 1);
    assert!(
        client.last_response().is_none(),
        "the record is the handle's"
    );
}

#[tokio::test]
async fn an_idempotency_key_on_a_link_write_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(201).body("{}");
        })
        .await;
    let keyed = client(&server).with_options(RequestOptions::new().idempotency_key("order-42"));
    let err = keyed.pay_links().create(&pay()).await.unwrap_err();
    assert_eq!(err.invalid_field(), Some("idempotency_key"), "{err}");
    assert_eq!(err.operation(), "pay_links.create");
    let err = client(&server)
        .with_options(RequestOptions::new().header("Authorization", "Bearer other"))
        .pay_links()
        .create(&pay())
        .await
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some("headers.Authorization"));
    assert_eq!(any.calls_async().await, 0, "nothing was sent");
}

#[test]
fn test_util_builds_every_response_and_a_notification_the_verifier_accepts() {
    use tspay::{Charge, ChargeState, LinkCreated, Notification, OrderCharges, PaymentOutcome};

    let link = LinkCreated::for_tests("ok_1", "https://pay.example.com/ok_1");
    assert_eq!(link.url.as_str(), "https://pay.example.com/ok_1");
    let mut charge = Charge::for_tests(
        Money::from_minor_units(1450, Currency::EUR),
        ChargeState::Active,
    );
    charge.order_key = Some(link.order_key);
    let charges = OrderCharges::for_tests(vec![charge.clone()]);
    assert_eq!(charges.outcome(), PaymentOutcome::Paid);

    // A handler of the shop's, tested without a network.
    fn shop_handler(
        verifier: &tspay::WebhookVerifier,
        headers: &tspay::HeaderMap,
        body: &[u8],
    ) -> u16 {
        match verifier.verify(headers, body) {
            Ok(n) if n.outcome() == PaymentOutcome::Paid => 200,
            Ok(_) => 202,
            Err(_) => 401,
        }
    }
    let verifier = tspay::WebhookVerifier::new("whsec_shop").unwrap();
    let body = serde_json::to_vec(&Notification::for_tests(charge)).unwrap();
    let (headers, body) = tspay::test_util::sign_notification("whsec_shop", &body);
    assert_eq!(shop_handler(&verifier, &headers, &body), 200);
    let (forged, body) = tspay::test_util::sign_notification("whsec_not_the_shops", &body);
    assert_eq!(shop_handler(&verifier, &forged, &body), 401);
}
