//! Every operation against httpmock, in both path styles: exact method, path, headers and
//! body; every documented (or recorded) status mapped to its typed value or error.

use std::time::Duration;

use httpmock::MockServer;
use tspay::{
    Client, Credentials, Currency, ErrorKind, HttpConfig, Money, OrderKey, PathStyle,
    PayLinkRequest, PaymentOutcome, RetryPolicy, SaveLinkRequest, SourceType, StatusCode, Template,
};

const API_KEY: &str = "test-api-key-123";
const AUTH: &str = "Bearer test-api-key-123";

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/tspay/",
            $name
        ))
    };
}

/// Every test here expects a definitive answer from httpmock: a generous attempt timeout, so a
/// busy machine never turns an answer into a timeout; only the backoff is short.
fn fast() -> HttpConfig {
    HttpConfig::default()
        .attempt_timeout(Duration::from_secs(10))
        .retry(
            RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
}

fn client(server: &MockServer, item_id: Option<&str>) -> Client {
    let builder = Client::builder(Credentials::new(API_KEY))
        .base_url(server.base_url())
        .http_config(fast());
    match item_id {
        Some(id) => builder.item_id(id),
        None => builder,
    }
    .build()
    .unwrap()
}

fn pay_request() -> PayLinkRequest {
    PayLinkRequest::new(
        Template::new("Example Shop", "Acquisto digitale").payment_ref("Ordine #42"),
        Money::from_minor_units(1450, Currency::EUR),
    )
    .source_type(SourceType::Card)
    .external_ref("edd-order-42")
    .metadata("edd_order_id", "42")
}

fn pay_body() -> serde_json::Value {
    serde_json::json!({
        "template": {"title": "Example Shop", "desc": "Acquisto digitale", "paymentRef": "Ordine #42"},
        "sourceTypes": ["card"],
        "maxPaymentsNumber": 1,
        "amount": 1450,
        "currency": "EUR",
        "externalRef": "edd-order-42",
        "metadata": {"edd_order_id": "42"}
    })
}

fn save_request() -> SaveLinkRequest {
    SaveLinkRequest::new(Template::new("Example Shop", "Abbonamento"))
        .max_amount(Money::from_minor_units(120_000, Currency::EUR))
        .context_id("fattura-1")
}

fn save_body() -> serde_json::Value {
    serde_json::json!({
        "template": {"title": "Example Shop", "desc": "Abbonamento"},
        "maxSourceNumber": 1,
        "maxAmount": 120000,
        "contextId": "fattura-1"
    })
}

async fn link2pay_at(item_id: Option<&str>, path: &str) {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(path)
                .header("authorization", AUTH)
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .json_body(pay_body());
            then.status(201)
                .header("content-type", "application/json")
                .body(fixture!("link2pay.response.json"));
        })
        .await;
    let link = client(&server, item_id)
        .pay_links()
        .create(&pay_request())
        .await
        .unwrap();
    assert_eq!(link.order_key.as_str(), "mock_5f1c2a9be03d4c7a81f2e6b0");
    assert_eq!(
        link.url.as_str(),
        "https://pay.example.com/pay?orderKey=mock_5f1c2a9be03d4c7a81f2e6b0"
    );
    mock.assert_async().await;
}

#[tokio::test]
async fn link2pay_direct_path() {
    link2pay_at(None, "/orders/link2pay").await;
}

#[tokio::test]
async fn link2pay_gateway_path() {
    link2pay_at(Some("item-77"), "/item-77/link2pay").await;
}

#[tokio::test]
async fn link2pay_per_call_item_id_overrides_the_client() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/other-item/link2pay")
                .header("authorization", AUTH);
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture!("link2pay.response.json"));
        })
        .await;
    let client = client(&server, Some("item-77"));
    client
        .pay_links()
        .item_id("other-item")
        .create(&pay_request())
        .await
        .unwrap();
    mock.assert_async().await;
    // And back to the direct routes for one call.
    let direct = server
        .mock_async(|when, then| {
            when.method("POST").path("/orders/link2pay");
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture!("link2pay.response.json"));
        })
        .await;
    client
        .pay_links()
        .path_style(PathStyle::Direct)
        .create(&pay_request())
        .await
        .unwrap();
    direct.assert_async().await;
}

async fn link2save_at(item_id: Option<&str>, path: &str) {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(path)
                .header("authorization", AUTH)
                .header("content-type", "application/json")
                .json_body(save_body());
            then.status(201)
                .header("content-type", "application/json")
                .body(fixture!("link2save.response.json"));
        })
        .await;
    let link = client(&server, item_id)
        .save_links()
        .create(&save_request())
        .await
        .unwrap();
    assert_eq!(link.order_key.as_str(), "mock_9a7e41c0d2b84f6e93a1c5d8");
    mock.assert_async().await;
}

#[tokio::test]
async fn link2save_direct_path() {
    link2save_at(None, "/orders/link2save").await;
}

#[tokio::test]
async fn link2save_gateway_path() {
    link2save_at(Some("item-77"), "/item-77/link2save").await;
}

async fn charges_at(item_id: Option<&str>, path: &str, body: &str) -> tspay::OrderCharges {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(path)
                .header("authorization", AUTH)
                .header("accept", "application/json");
            then.status(200)
                .header("content-type", "application/json")
                .body(body);
        })
        .await;
    let charges = client(&server, item_id)
        .charges()
        .of_order(&OrderKey::new("mock_5f1c2a9be03d4c7a81f2e6b0"))
        .await
        .unwrap();
    mock.assert_async().await;
    charges
}

#[tokio::test]
async fn charges_direct_path_array() {
    let c = charges_at(
        None,
        "/charges/orders/mock_5f1c2a9be03d4c7a81f2e6b0",
        fixture!("charges.response.array.json"),
    )
    .await;
    assert_eq!(c.outcome(), PaymentOutcome::Paid);
}

#[tokio::test]
async fn charges_gateway_path_empty() {
    let c = charges_at(
        Some("item-77"),
        "/item-77/charges/orders/mock_5f1c2a9be03d4c7a81f2e6b0",
        fixture!("charges.response.empty.json"),
    )
    .await;
    assert!(c.is_empty());
    assert_eq!(c.outcome(), PaymentOutcome::Pending);
}

#[tokio::test]
async fn charges_single_and_wrapped_shapes_over_http() {
    let single = charges_at(
        None,
        "/charges/orders/mock_5f1c2a9be03d4c7a81f2e6b0",
        fixture!("charges.response.single.json"),
    )
    .await;
    assert_eq!(single.outcome(), PaymentOutcome::Pending);
    let wrapped = charges_at(
        None,
        "/charges/orders/mock_5f1c2a9be03d4c7a81f2e6b0",
        fixture!("charges.response.wrapped.json"),
    )
    .await;
    assert_eq!(wrapped.outcome(), PaymentOutcome::Refunded);
    let data = charges_at(
        None,
        "/charges/orders/mock_5f1c2a9be03d4c7a81f2e6b0",
        fixture!("charges.response.data.json"),
    )
    .await;
    assert_eq!(data.outcome(), PaymentOutcome::Failed);
    for key in ["items", "results"] {
        let body = format!(r#"{{"{key}":[{{"amount":"990","currency":"EUR","state":"active"}}]}}"#);
        let c = charges_at(None, "/charges/orders/mock_5f1c2a9be03d4c7a81f2e6b0", &body).await;
        assert_eq!(c.charges[0].amount.minor_units(), 990);
    }
}

/// Serves `status` + `body` for every route and returns what link2pay, link2save and the
/// outcome query made of it.
async fn errors_for(status: u16, body: &str) -> [ErrorKind; 3] {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(status)
                .header("content-type", "application/json")
                .body(body);
        })
        .await;
    let client = client(&server, None);
    let pay = client
        .pay_links()
        .create(&pay_request())
        .await
        .unwrap_err()
        .into_kind();
    let save = client
        .save_links()
        .create(&save_request())
        .await
        .unwrap_err()
        .into_kind();
    let read = client
        .charges()
        .of_order(&OrderKey::new("ok_1"))
        .await
        .unwrap_err()
        .into_kind();
    [pay, save, read]
}

#[tokio::test]
async fn status_400_with_a_string_message_is_an_api_error() {
    for err in errors_for(400, fixture!("error.response.400.json")).await {
        match &err {
            ErrorKind::Api {
                status,
                message,
                messages,
                ..
            } => {
                assert_eq!(*status, StatusCode::BAD_REQUEST);
                assert_eq!(message.as_deref(), Some("Invalid LinkToPay payload"));
                assert!(messages.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }
    let [pay, ..] = errors_for(400, fixture!("error.response.400.json")).await;
    insta::assert_snapshot!("error.response.400", pay.to_string());
}

#[tokio::test]
async fn status_400_with_a_message_array_is_an_api_error_with_messages() {
    for err in errors_for(400, fixture!("error.response.400-messages.json")).await {
        match &err {
            ErrorKind::Api {
                code,
                message,
                messages,
                ..
            } => {
                assert_eq!(code.as_deref(), Some("Bad Request"));
                assert_eq!(message, &None);
                assert_eq!(
                    messages,
                    &[
                        "amount must be a positive number",
                        "template.title should not be empty"
                    ]
                );
            }
            other => panic!("{other:?}"),
        }
    }
    let [pay, ..] = errors_for(400, fixture!("error.response.400-messages.json")).await;
    insta::assert_snapshot!("error.response.400-messages", pay.to_string());
}

#[tokio::test]
async fn a_json_array_error_is_not_read_as_ts_pays_error_object() {
    // A derived reader takes `[400, "Invalid LinkToPay payload", "Bad Request"]` positionally as
    // statusCode, message and error: a gateway's JSON array would pass for TS Pay's refusal.
    let body = r#"[400, "Invalid LinkToPay payload", "Bad Request"]"#;
    for err in errors_for(400, body).await {
        assert!(
            matches!(&err, ErrorKind::Http { status, .. } if *status == StatusCode::BAD_REQUEST),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn status_401_is_unauthorized() {
    for err in errors_for(401, fixture!("error.response.401.json")).await {
        assert!(
            matches!(&err, ErrorKind::Unauthorized { status, message: Some(m), .. } if *status == StatusCode::UNAUTHORIZED && m == "Unauthorized"),
            "{err:?}"
        );
        assert!(!err.to_string().contains(API_KEY));
    }
    let [pay, ..] = errors_for(401, fixture!("error.response.401.json")).await;
    insta::assert_snapshot!("error.response.401", pay.to_string());
}

#[tokio::test]
async fn status_404_is_not_found() {
    for err in errors_for(404, fixture!("error.response.404.json")).await {
        assert!(
            matches!(&err, ErrorKind::NotFound { message: Some(m), .. } if m == "Order not found"),
            "{err:?}"
        );
    }
    let [.., read] = errors_for(404, fixture!("error.response.404.json")).await;
    insta::assert_snapshot!("error.response.404", read.to_string());
}

#[tokio::test]
async fn status_403_without_a_body_is_unauthorized() {
    for err in errors_for(403, "").await {
        assert!(matches!(err, ErrorKind::Unauthorized { .. }), "{err:?}");
    }
}

#[tokio::test]
async fn status_500_json_is_outcome_unknown_for_writes_and_api_for_reads() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(500)
                .header("content-type", "application/json")
                .body(r#"{"statusCode":500,"message":"Internal server error"}"#);
        })
        .await;
    let client = client(&server, None);
    let pay = client
        .pay_links()
        .create(&pay_request())
        .await
        .unwrap_err()
        .into_kind();
    match &pay {
        ErrorKind::OutcomeUnknown {
            operation,
            reconciliation,
            source,
        } => {
            assert_eq!(*operation, "tspay.link2pay.create");
            assert_eq!(
                reconciliation.merchant_reference.as_deref(),
                Some("edd-order-42")
            );
            assert!(matches!(**source, ErrorKind::Api { .. }));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        mock.calls_async().await,
        1,
        "an unkeyed write is never repeated"
    );
    let read = client
        .charges()
        .of_order(&OrderKey::new("ok_1"))
        .await
        .unwrap_err()
        .into_kind();
    assert!(
        matches!(read, ErrorKind::Api { status, .. } if status == StatusCode::INTERNAL_SERVER_ERROR),
        "{read:?}"
    );
    assert_eq!(mock.calls_async().await, 1 + 3, "a read is retried twice");
}

#[tokio::test]
async fn success_with_a_body_of_the_wrong_shape() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"[{"amount":14.5,"state":"active"}]"#);
        })
        .await;
    let client = client(&server, None);
    let read = client
        .charges()
        .of_order(&OrderKey::new("ok_1"))
        .await
        .unwrap_err()
        .into_kind();
    match &read {
        ErrorKind::Decode { path, .. } => assert_eq!(path, "[0].amount"),
        other => panic!("{other:?}"),
    }
    // A link answer without `url` may hide a created link: outcome unknown.
    let pay = client
        .pay_links()
        .create(&pay_request())
        .await
        .unwrap_err()
        .into_kind();
    assert!(pay.is_outcome_unknown(), "{pay:?}");
}
