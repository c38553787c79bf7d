//! The checkout's `order` section beyond amount and reference: `expired_at` (RFC 3339 with its
//! offset, as for products) and `additional_data`, sent exactly and only when set.

mod common;

use begateway::{AdditionalData, CheckoutType, CreateCheckout, Currency, Money};
use common::client_with_checkout;
use httpmock::MockServer;
use serde_json::json;
use time::macros::datetime;

fn checkout() -> CreateCheckout {
    CreateCheckout::new(
        CheckoutType::Payment,
        Money::from_minor_units(4299, Currency::GBP),
        "Order 42",
        "order-42",
    )
}

const ANSWER: &str = r#"{"checkout":{"token":"3241e439f8c87d941d92621a4bdc030d4c9a69c67f3b0cfe12de4a13cc34aa51","redirect_url":"https://checkout.begateway.com/v2/checkout?token=3241e439f8c87d941d92621a4bdc030d4c9a69c67f3b0cfe12de4a13cc34aa51"}}"#;

#[tokio::test]
async fn the_orders_expiry_and_additional_data_are_sent_exactly() {
    let mut data = AdditionalData::default();
    data.receipt_text = vec!["Thank you for your order".into()];
    data.contract = vec!["recurring".into()];
    data.other.insert("meta".into(), json!({"channel": "web"}));
    let request = checkout()
        .expires_at(datetime!(2030-12-31 23:59:59 +03:00))
        .additional_data(data)
        .build()
        .unwrap();
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/ctp/api/checkouts")
                .json_body(json!({"checkout": {
                    "transaction_type": "payment",
                    "test": false,
                    "order": {
                        "amount": 4299,
                        "currency": "GBP",
                        "description": "Order 42",
                        "tracking_id": "order-42",
                        "expired_at": "2030-12-31T23:59:59+03:00",
                        "additional_data": {
                            "receipt_text": ["Thank you for your order"],
                            "contract": ["recurring"],
                            "meta": {"channel": "web"}
                        }
                    },
                    "settings": {}
                }}));
            then.status(200)
                .header("content-type", "application/json")
                .body(ANSWER);
        })
        .await;
    client_with_checkout(&server.base_url())
        .checkouts()
        .create(&request)
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn without_them_the_order_carries_neither_key() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/ctp/api/checkouts")
                .json_body(json!({"checkout": {
                    "transaction_type": "payment",
                    "test": false,
                    "order": {
                        "amount": 4299,
                        "currency": "GBP",
                        "description": "Order 42",
                        "tracking_id": "order-42"
                    },
                    "settings": {}
                }}));
            then.status(200)
                .header("content-type", "application/json")
                .body(ANSWER);
        })
        .await;
    client_with_checkout(&server.base_url())
        .checkouts()
        .create(&checkout())
        .await
        .unwrap();
    mock.assert_async().await;
}
