//! Every operation against httpmock: exact method, path, headers and body; every documented
//! status mapped to the right typed value or error.

mod common;

use begateway::{
    Client, CreateProduct, Credentials, Currency, ErrorKind, Language, Money, PaymentOutcome,
    ProductId, ReturnParams, TransactionStatus, TransactionType, TransactionUid, UpdateProduct,
};
use common::{SECRET, SHOP_ID, basic, client, client_with, fast_config, fixture, transaction_body};
use httpmock::MockServer;
use serde_json::json;

fn product_request() -> CreateProduct {
    CreateProduct::new(
        "product",
        "description",
        Money::parse("9.90", Currency::USD).unwrap(),
    )
    .infinite()
    .test(false)
    .immortal()
    .return_url("https://return-url.com")
    .shop_id("1")
    .language(Language::En)
    .transaction_type(TransactionType::Payment)
}

fn product_request_json() -> serde_json::Value {
    json!({
        "name": "product",
        "description": "description",
        "currency": "USD",
        "amount": 990,
        "infinite": true,
        "test": false,
        "immortal": true,
        "return_url": "https://return-url.com",
        "shop_id": "1",
        "language": "en",
        "transaction_type": "payment"
    })
}

fn json_error(status: u16, body: &str) -> impl FnOnce(httpmock::Then) -> httpmock::Then {
    let body = body.to_owned();
    move |then| {
        then.status(status)
            .header("content-type", "application/json")
            .body(body)
    }
}

#[tokio::test]
async fn create_posts_the_exact_body_with_basic_auth_and_decodes_201() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/products")
                .header("authorization", basic(SHOP_ID, SECRET))
                .header("accept", "application/json")
                .header("content-type", "application/json")
                .header_missing("x-api-version")
                .json_body(product_request_json());
            then.status(201)
                .header("content-type", "application/json")
                .body(fixture("products.create.response.201.json"));
        })
        .await;
    let product = client(&server.base_url())
        .products()
        .create(&product_request())
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(product.id, ProductId::new("prd_ed27b047d3ccd1a6"));
    assert_eq!(product.price.minor_units(), 990);
}

#[tokio::test]
async fn create_422_is_an_api_error_with_field_messages() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/products")
                .json_body(product_request_json());
            json_error(422, &fixture("products.create.response.422.json"))(then);
        })
        .await;
    let err = client(&server.base_url())
        .products()
        .create(&product_request())
        .await
        .unwrap_err();
    mock.assert_calls_async(1).await;
    match err.into_kind() {
        ErrorKind::Api {
            status,
            field_errors,
            ..
        } => {
            assert_eq!(status.as_u16(), 422);
            assert_eq!(
                field_errors["currency"],
                vec![
                    "is not in ISO 4217 Alpha-3 format",
                    "is unknown ISO 4217 Alpha-3 code"
                ]
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn create_401_is_unauthorized_and_not_retried() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST").path("/products");
            json_error(401, r#"{"message":"Unauthorized"}"#)(then);
        })
        .await;
    let err = client(&server.base_url())
        .products()
        .create(&product_request())
        .await
        .unwrap_err();
    mock.assert_calls_async(1).await;
    assert!(
        matches!(err.kind(), ErrorKind::Unauthorized { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn get_decodes_200() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/products/prd_ed27b047d3ccd1a6")
                .header("authorization", basic(SHOP_ID, SECRET))
                .header("accept", "application/json")
                .header_missing("content-type");
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture("products.get.response.200.json"));
        })
        .await;
    let product = client(&server.base_url())
        .products()
        .get(&ProductId::new("prd_ed27b047d3ccd1a6"))
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(product.name, "product");
}

#[tokio::test]
async fn get_302_with_error_body_is_an_api_error_and_not_followed() {
    let server = MockServer::start_async().await;
    let elsewhere = MockServer::start_async().await;
    let target = elsewhere.mock_async(|when, then| {
        when.any_request();
        then.status(200);
    });
    let target = target.await;
    let location = elsewhere.url("/login");
    let mock = server
        .mock_async(|when, then| {
            when.method("GET").path("/products/prd_missing");
            then.status(302)
                .header("content-type", "application/json")
                .header("location", location.as_str())
                .body(r#"{"message":"Product not found"}"#);
        })
        .await;
    let err = client(&server.base_url())
        .products()
        .get(&ProductId::new("prd_missing"))
        .await
        .unwrap_err();
    mock.assert_calls_async(1).await;
    target.assert_calls_async(0).await;
    match err.into_kind() {
        ErrorKind::Api {
            status, message, ..
        } => {
            assert_eq!(status.as_u16(), 302);
            assert_eq!(message.as_deref(), Some("Product not found"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn get_302_without_json_is_an_unexpected_redirect() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET").path("/products/prd_x");
            then.status(302)
                .header("location", "https://login.example/sign_in?token=abc");
        })
        .await;
    let err = client(&server.base_url())
        .products()
        .get(&ProductId::new("prd_x"))
        .await
        .unwrap_err();
    mock.assert_calls_async(1).await;
    match err.kind() {
        ErrorKind::UnexpectedRedirect { status, location } => {
            assert_eq!(status.as_u16(), 302);
            assert_eq!(location.as_deref(), Some("https://login.example"));
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.to_string().contains("token=abc"));
}

#[tokio::test]
async fn get_401_and_404_are_typed() {
    let server = MockServer::start_async().await;
    let unauthorized = server
        .mock_async(|when, then| {
            when.method("GET").path("/products/prd_a");
            json_error(401, r#"{"message":"Unauthorized"}"#)(then);
        })
        .await;
    let missing = server
        .mock_async(|when, then| {
            when.method("GET").path("/products/prd_b");
            json_error(404, r#"{"message":"Record not found"}"#)(then);
        })
        .await;
    let c = client(&server.base_url());
    let err = c
        .products()
        .get(&ProductId::new("prd_a"))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Unauthorized { message: Some(m), .. } if m == "Unauthorized"),
        "{err:?}"
    );
    let err = c
        .products()
        .get(&ProductId::new("prd_b"))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::NotFound { message: Some(m), .. } if m == "Record not found"),
        "{err:?}"
    );
    unauthorized.assert_calls_async(1).await;
    missing.assert_calls_async(1).await;
}

#[tokio::test]
async fn list_decodes_the_bare_array() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/products")
                .header("authorization", basic(SHOP_ID, SECRET))
                .header("accept", "application/json");
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture("products.list.response.200.json"));
        })
        .await;
    let products = client(&server.base_url()).products().list().await.unwrap();
    mock.assert_async().await;
    assert_eq!(products.len(), 3);
    assert_eq!(products[2].quantity, None);
}

#[tokio::test]
async fn list_401_is_unauthorized() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET").path("/products");
            then.status(401)
                .header("content-type", "text/html")
                .body("<h1>401</h1>");
        })
        .await;
    let err = client(&server.base_url())
        .products()
        .list()
        .await
        .unwrap_err();
    mock.assert_calls_async(1).await;
    assert!(
        matches!(err.kind(), ErrorKind::Unauthorized { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn update_puts_the_exact_body_and_accepts_204() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("PUT")
                .path("/products/prd_1567bece456ac4aa")
                .header("authorization", basic(SHOP_ID, SECRET))
                .header("accept", "application/json")
                .header("content-type", "application/json")
                .json_body(json!({"amount": 950, "infinite": false, "quantity": 5}));
            then.status(204);
        })
        .await;
    let request = UpdateProduct::new()
        .amount(Money::parse("9.50", Currency::EUR).unwrap())
        .quantity(5);
    client(&server.base_url())
        .products()
        .update(&ProductId::new("prd_1567bece456ac4aa"), &request)
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn update_price_sends_amount_and_currency_and_422_is_typed() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("PUT")
                .path("/products/prd_1")
                .json_body(json!({"amount": 125, "currency": "MOP"}));
            json_error(
                422,
                r#"{"message":"Amount is too small","errors":{"amount":["is too small"]}}"#,
            )(then);
        })
        .await;
    let request = UpdateProduct::new().price(Money::parse("12.50", Currency::MOP).unwrap());
    let err = client(&server.base_url())
        .products()
        .update(&ProductId::new("prd_1"), &request)
        .await
        .unwrap_err();
    mock.assert_calls_async(1).await;
    assert!(
        matches!(err.kind(), ErrorKind::Api { field_errors, .. } if field_errors["amount"] == ["is too small"]),
        "{err:?}"
    );
}

#[tokio::test]
async fn api_version_header_is_sent_when_configured() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/products")
                .header("x-api-version", "2");
            then.status(200)
                .header("content-type", "application/json")
                .body("[]");
        })
        .await;
    let c = Client::builder(Credentials::new(SHOP_ID, SECRET))
        .api_base_url(server.base_url())
        .api_version("2")
        .http_config(fast_config())
        .build()
        .unwrap();
    assert!(c.products().list().await.unwrap().is_empty());
    mock.assert_async().await;
}

#[tokio::test]
async fn transaction_query_uses_the_gateway_host() {
    let api = MockServer::start_async().await;
    let gateway = MockServer::start_async().await;
    let body = transaction_body("1-310b0da80b", "successful");
    let mock = gateway
        .mock_async(|when, then| {
            when.method("GET")
                .path("/transactions/1-310b0da80b")
                .header("authorization", basic(SHOP_ID, SECRET))
                .header("accept", "application/json");
            then.status(200)
                .header("content-type", "application/json")
                .body(body);
        })
        .await;
    let c = client_with(&api.base_url(), &gateway.base_url());
    let t = c
        .transactions()
        .get(&TransactionUid::new("1-310b0da80b"))
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(t.status, TransactionStatus::Successful);
    assert_eq!(t.kind, Some(TransactionType::Payment));
    assert_eq!(t.outcome(), PaymentOutcome::Paid);
    assert_eq!(t.amount.unwrap().to_string(), "9.90 USD");
    assert_eq!(
        t.payment.as_ref().unwrap().gateway_id.as_deref(),
        Some("317")
    );
    assert!(!format!("{t:?}").contains("tok-should-not-be-kept"));
    insta::assert_json_snapshot!("transactions.get", t);
}

#[tokio::test]
async fn tracking_id_query_accepts_one_or_many() {
    let server = MockServer::start_async().await;
    let one = transaction_body("1-a", "failed");
    let mock_one = server
        .mock_async(|when, then| {
            when.method("GET").path("/transactions/tracking_id/order-1");
            then.status(200)
                .header("content-type", "application/json")
                .body(one);
        })
        .await;
    let a: serde_json::Value = serde_json::from_str(&transaction_body("1-b", "pending")).unwrap();
    let b: serde_json::Value =
        serde_json::from_str(&transaction_body("1-c", "successful")).unwrap();
    let many = json!({"transactions": [a["transaction"], b["transaction"]]}).to_string();
    let mock_many = server
        .mock_async(|when, then| {
            when.method("GET").path("/transactions/tracking_id/order-2");
            then.status(200)
                .header("content-type", "application/json")
                .body(many);
        })
        .await;
    let c = client(&server.base_url());
    let found = c.transactions().by_tracking_id("order-1").await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].outcome(), PaymentOutcome::Failed);
    let found = c.transactions().by_tracking_id("order-2").await.unwrap();
    let uids: Vec<&str> = found.iter().map(|t| t.uid.as_str()).collect();
    assert_eq!(uids, ["1-b", "1-c"]);
    mock_one.assert_async().await;
    mock_many.assert_async().await;
}

#[tokio::test]
async fn transaction_404_is_not_found() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET").path("/transactions/1-nope");
            json_error(404, r#"{"response":{"message":"Record not found"}}"#)(then);
        })
        .await;
    let err = client(&server.base_url())
        .transactions()
        .get(&TransactionUid::new("1-nope"))
        .await
        .unwrap_err();
    mock.assert_calls_async(1).await;
    assert!(
        matches!(err.kind(), ErrorKind::NotFound { message: Some(m), .. } if m == "Record not found"),
        "{err:?}"
    );
}

/// W7: a forged return URL says successful; the status query says failed; failed wins.
#[tokio::test]
async fn forged_return_url_is_only_a_lookup_handle() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET").path("/transactions/1-forged");
            then.status(200)
                .header("content-type", "application/json")
                .body(transaction_body("1-forged", "failed"));
        })
        .await;
    let back = ReturnParams::parse("?order=42&status=successful&uid=1-forged&token=t0k");
    let uid = back.uid().unwrap();
    let t = client(&server.base_url())
        .transactions()
        .get(uid)
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(t.outcome(), PaymentOutcome::Failed);
    assert_eq!(back.token(), Some("t0k"));
}

#[test]
fn transaction_outcomes_default_to_pending() {
    let outcome = |status: &str, kind: &str| {
        let mut v: serde_json::Value =
            serde_json::from_str(&transaction_body("1-x", status)).unwrap();
        v["transaction"]["type"] = kind.into();
        let e: serde_json::Value = v["transaction"].clone();
        serde_json::from_value::<begateway::Transaction>(e)
            .unwrap()
            .outcome()
    };
    assert_eq!(outcome("successful", "payment"), PaymentOutcome::Paid);
    assert_eq!(outcome("successful", "capture"), PaymentOutcome::Paid);
    assert_eq!(outcome("successful", "refund"), PaymentOutcome::Refunded);
    assert_eq!(
        outcome("successful", "authorization"),
        PaymentOutcome::Pending
    );
    assert_eq!(outcome("successful", "void"), PaymentOutcome::Pending);
    for failed in ["failed", "expired", "error", "deleted"] {
        assert_eq!(
            outcome(failed, "payment"),
            PaymentOutcome::Failed,
            "{failed}"
        );
    }
    for pending in ["pending", "incomplete", "on_review", ""] {
        assert_eq!(
            outcome(pending, "payment"),
            PaymentOutcome::Pending,
            "{pending}"
        );
    }
}
