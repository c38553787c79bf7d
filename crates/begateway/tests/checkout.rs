//! Checkouts: the exact request (no RequestID: a checkout create is not keyed), the answer,
//! the checkout error shape, and the query by token.

mod common;

use begateway::{CheckoutToken, CheckoutType, CreateCheckout, Currency, Language, Money};
use common::{SECRET, SHOP_ID, basic, client_with_checkout};
use httpmock::MockServer;
use serde_json::json;

fn request() -> CreateCheckout {
    CreateCheckout::new(
        CheckoutType::Payment,
        Money::parse("12.50", Currency::USD).unwrap(),
        "Order 42",
        "order-42",
    )
    .test(true)
    .language(Language::En)
    .notification_url("https://shop.example/begateway/notify")
    .success_url("https://shop.example/orders/42/paid")
    .decline_url("https://shop.example/orders/42/declined")
    .customer_email("customer@example.com")
}

const TOKEN: &str = "3241e439f8c1c6c7a8e8c1b8b8c2f1a9d0e7c6b5a4f3e2d1c0b9a8f7e6d5c4b3";

#[tokio::test]
async fn create_sends_the_documented_body_without_a_request_id() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/ctp/api/checkouts")
                .header("authorization", basic(SHOP_ID, SECRET))
                .header("x-api-version", "2")
                .is_false(|r| r.headers().contains_key("requestid"))
                .json_body(json!({"checkout": {
                    "transaction_type": "payment", "test": true,
                    "order": {"amount": 1250, "currency": "USD", "description": "Order 42",
                        "tracking_id": "order-42"},
                    "settings": {"language": "en",
                        "notification_url": "https://shop.example/begateway/notify",
                        "success_url": "https://shop.example/orders/42/paid",
                        "decline_url": "https://shop.example/orders/42/declined"},
                    "customer": {"email": "customer@example.com"}
                }}));
            then.status(200)
                .header("content-type", "application/json")
                .body(format!(
                    r#"{{"checkout":{{"token":"{TOKEN}","redirect_url":"https://checkout.begateway.com/v2/checkout?token={TOKEN}"}}}}"#
                ));
        })
        .await;
    let c = client_with_checkout(&server.base_url());
    let checkout = c.checkouts().create(&request()).await.unwrap();
    mock.assert_async().await;
    assert_eq!(checkout.token.as_str(), TOKEN);
    assert!(checkout.redirect_url.as_str().ends_with(TOKEN));
    insta::assert_json_snapshot!("checkouts.create.response", checkout);
}

#[tokio::test]
async fn the_checkout_error_shape_is_a_definitive_api_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST").path("/ctp/api/checkouts");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"checkout":{"status":"error","message":"Shop is not active"}}"#);
        })
        .await;
    let err = client_with_checkout(&server.base_url())
        .checkouts()
        .create(&request())
        .await
        .unwrap_err();
    assert_eq!(err.provider_message(), Some("Shop is not active"));
    assert!(!err.is_retryable());
    assert_eq!(err.operation(), "checkouts.create");
}

#[tokio::test]
async fn a_checkout_reads_back_with_its_result() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path_includes("/ctp/api/checkouts/");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"checkout": {
                    "token": TOKEN, "shop_id": 361, "transaction_type": "payment",
                    "finished": true, "status": "successful", "test": true,
                    "order": {"amount": 1250, "currency": "USD", "description": "Order 42",
                        "tracking_id": "order-42"},
                    "gateway_response": {"payment": {"uid": "1-310b0da80b", "auth_code": "654321",
                        "bank_code": "05", "rrn": "999", "ref_id": "777888",
                        "message": "Payment was approved", "gateway_id": 317,
                        "billing_descriptor": "TEST GATEWAY BILLING DESCRIPTOR",
                        "status": "successful"}}
                }}));
        })
        .await;
    let c = client_with_checkout(&server.base_url());
    let state = c.checkouts().get(&CheckoutToken::new(TOKEN)).await.unwrap();
    assert!(state.finished);
    assert_eq!(state.transaction_uid().unwrap().as_str(), "1-310b0da80b");
    assert_eq!(
        state.order.as_ref().unwrap().amount(),
        Money::parse("12.50", Currency::USD).ok()
    );
    insta::assert_json_snapshot!("checkouts.get.response", state);
    // An answer about another token than the one asked for is refused.
    let err = c
        .checkouts()
        .get(&CheckoutToken::new("other-token"))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), begateway::ErrorKind::Decode { path, .. } if path == "checkout.token"),
        "{err:?}"
    );
}

#[tokio::test]
async fn bad_checkouts_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let c = client_with_checkout(&server.base_url());
    let zero = CreateCheckout::new(
        CheckoutType::Payment,
        Money::parse("0", Currency::USD).unwrap(),
        "d",
        "o",
    );
    assert_eq!(
        c.checkouts()
            .create(&zero)
            .await
            .unwrap_err()
            .invalid_field(),
        Some("order.amount")
    );
    let url = request().success_url("http://shop.example/paid");
    assert_eq!(
        c.checkouts()
            .create(&url)
            .await
            .unwrap_err()
            .invalid_field(),
        Some("settings.success_url")
    );
    let email = request().customer_email("not-an-address");
    assert_eq!(
        email.build().unwrap_err().invalid_field(),
        Some("customer.email")
    );
    // A key on a checkout create (not keyed at beGateway) is refused, not dropped.
    let keyed = c.with_options(begateway::RequestOptions::new().idempotency_key("k-1"));
    assert_eq!(
        keyed
            .checkouts()
            .create(&request())
            .await
            .unwrap_err()
            .invalid_field(),
        Some("idempotency_key")
    );
}

#[tokio::test]
async fn payment_methods_customer_fields_and_the_customer_are_sent_exactly() {
    use begateway::{CheckoutCustomer, CustomerField, EripParams, PaymentMethodType};
    let request = request()
        .customer(
            CheckoutCustomer::new()
                .email("jake@example.com")
                .first_name("Jake")
                .last_name("Doe")
                .country("GB")
                .city("London")
                .state("LND")
                .zip("NW1 6XE")
                .address("Baker street 221b")
                .phone("+442079460000")
                .birth_date("1980-02-29"),
        )
        .visible_fields([CustomerField::Phone, CustomerField::BirthDate])
        .read_only_fields([CustomerField::Email, CustomerField::FirstName])
        .payment_methods([
            PaymentMethodType::CreditCard,
            PaymentMethodType::Erip,
            PaymentMethodType::from("apple_pay"),
        ])
        .erip(
            EripParams::new("order-42")
                .service_no(99999999)
                .order_id(42),
        );
    let expected = json!({"checkout": {
        "transaction_type": "payment", "test": true,
        "order": {"amount": 1250, "currency": "USD", "description": "Order 42",
            "tracking_id": "order-42"},
        "settings": {"language": "en",
            "notification_url": "https://shop.example/begateway/notify",
            "success_url": "https://shop.example/orders/42/paid",
            "decline_url": "https://shop.example/orders/42/declined",
            "customer_fields": {"visible": ["phone", "birth_date"],
                "read_only": ["email", "first_name"]}},
        "customer": {"email": "jake@example.com", "first_name": "Jake", "last_name": "Doe",
            "country": "GB", "city": "London", "state": "LND", "zip": "NW1 6XE",
            "address": "Baker street 221b", "phone": "+442079460000",
            "birth_date": "1980-02-29"},
        "payment_method": {"types": ["credit_card", "erip", "apple_pay"],
            "erip": {"account_number": "order-42", "service_no": 99999999, "order_id": 42}}
    }});
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/ctp/api/checkouts")
                .header("authorization", basic(SHOP_ID, SECRET))
                .is_false(|r| r.headers().contains_key("requestid"))
                .json_body(expected.clone());
            then.status(200)
                .header("content-type", "application/json")
                .body(format!(
                    r#"{{"checkout":{{"token":"{TOKEN}","redirect_url":"https://checkout.begateway.com/v2/checkout?token={TOKEN}"}}}}"#
                ));
        })
        .await;
    let sent = serde_json::to_value(begateway::__bench::checkout_body(request.clone())).unwrap();
    assert_eq!(sent, expected);
    insta::assert_json_snapshot!("checkouts.create.request.sections", sent);
    client_with_checkout(&server.base_url())
        .checkouts()
        .create(&request.build().unwrap())
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn bad_sections_are_refused_naming_the_field_with_nothing_sent() {
    use begateway::{CheckoutCustomer, CustomerField, EripParams, PaymentMethodType};
    let server = payments_common::testing::FaultServer::start(vec![]).await;
    let c = client_with_checkout(server.base_url().as_str());
    let cases = [
        (
            request().customer(CheckoutCustomer::new().country("gb")),
            "customer.country",
        ),
        (
            request().customer(CheckoutCustomer::new().phone("call me")),
            "customer.phone",
        ),
        (
            request().customer(CheckoutCustomer::new().birth_date("1980-02-30")),
            "customer.birth_date",
        ),
        (
            request().customer(CheckoutCustomer::new().email("nope")),
            "customer.email",
        ),
        (
            request().customer(CheckoutCustomer::new().first_name("")),
            "customer.first_name",
        ),
        (
            request().visible_fields([CustomerField::Phone, CustomerField::Phone]),
            "settings.customer_fields.visible",
        ),
        (
            request().read_only_fields([CustomerField::from("Not A Field")]),
            "settings.customer_fields.read_only",
        ),
        (
            request().hidden_fields([CustomerField::from("")]),
            "settings.customer_fields.hidden",
        ),
        (
            request().payment_methods([PaymentMethodType::from("credit card")]),
            "payment_method.types",
        ),
        (
            request().payment_methods([PaymentMethodType::Erip, PaymentMethodType::Erip]),
            "payment_method.types",
        ),
        (
            request().erip(EripParams::new("order-42")),
            "payment_method.types",
        ),
        (
            request()
                .payment_methods([PaymentMethodType::Erip])
                .erip(EripParams::new("")),
            "payment_method.erip.account_number",
        ),
    ];
    for (request, field) in cases {
        let err = c.checkouts().create(&request).await.unwrap_err();
        assert_eq!(err.invalid_field(), Some(field), "{err}");
        assert_eq!(request.build().unwrap_err().invalid_field(), Some(field));
    }
    assert_eq!(server.attempts(), 0);
}
