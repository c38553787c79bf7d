//! Path parameters and reads by id: an id that would change the route is refused before
//! anything is sent, and an answer about another order than the one asked for is a decode
//! error, never a result.

use std::time::Duration;

use httpmock::MockServer;
use tspay::{
    Client, Credentials, Currency, ErrorKind, ExpectedPayment, HttpConfig, ItemId, Money, OrderKey,
    PathStyle, PayLinkRequest, SaveLinkRequest, Template,
};

/// Values that would change the endpoint (`.`/`..` segments, an encoded `..`, a second segment,
/// a query) or name nothing.
const BAD: [&str; 6] = [".", "..", "%2e%2e", "a/b", "a?b", ""];

fn builder(server: &MockServer) -> tspay::ClientBuilder {
    Client::builder(Credentials::new("ids-api-key"))
        .base_url(server.base_url())
        .http_config(HttpConfig::default().attempt_timeout(Duration::from_secs(10)))
}

fn pay() -> PayLinkRequest {
    PayLinkRequest::new(
        Template::new("Shop", "Ordine 7"),
        Money::from_minor_units(1450, Currency::EUR),
    )
}

fn save() -> SaveLinkRequest {
    SaveLinkRequest::new(Template::new("Shop", "Abbonamento"))
}

fn assert_invalid(err: &ErrorKind, field: &str, value: &str) {
    assert!(
        matches!(err, ErrorKind::InvalidRequest { .. }),
        "{field}={value:?}: {err:?}"
    );
    assert_eq!(err.invalid_field(), Some(field), "{value:?}: {err:?}");
}

#[tokio::test]
async fn a_bad_order_key_is_refused_and_nothing_is_sent() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200)
                .header("content-type", "application/json")
                .body("[]");
        })
        .await;
    let client = builder(&server).build().unwrap();
    let gateway = builder(&server).item_id("item-1").build().unwrap();
    let expected = ExpectedPayment::new("ok_1", Money::from_minor_units(1450, Currency::EUR));
    for value in BAD {
        let key = OrderKey::new(value);
        for c in [&client, &gateway] {
            let err = c.charges().of_order(&key).await.unwrap_err().into_kind();
            assert_invalid(&err, "orderKey", value);
            let err = c
                .confirm_payment(&key, &expected)
                .await
                .unwrap_err()
                .into_kind();
            assert_invalid(&err, "orderKey", value);
        }
    }
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test]
async fn a_bad_item_id_is_refused_wherever_it_is_given_and_nothing_is_sent() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"orderKey":"ok_1","url":"https://pay.example/1"}"#);
        })
        .await;
    let client = builder(&server).build().unwrap();
    let key = OrderKey::new("ok_1");
    for value in BAD {
        // On the client.
        let err = builder(&server)
            .item_id(value)
            .build()
            .unwrap_err()
            .into_kind();
        assert_invalid(&err, "itemId", value);
        let err = builder(&server)
            .path_style(PathStyle::Gateway {
                item_id: ItemId::new(value),
            })
            .build()
            .unwrap_err()
            .into_kind();
        assert_invalid(&err, "itemId", value);
        // Per call, on every operation.
        let err = client
            .pay_links()
            .item_id(value)
            .create(&pay())
            .await
            .unwrap_err()
            .into_kind();
        assert_invalid(&err, "itemId", value);
        let err = client
            .save_links()
            .item_id(value)
            .create(&save())
            .await
            .unwrap_err()
            .into_kind();
        assert_invalid(&err, "itemId", value);
        let err = client
            .charges()
            .item_id(value)
            .of_order(&key)
            .await
            .unwrap_err()
            .into_kind();
        assert_invalid(&err, "itemId", value);
        let err = client
            .charges()
            .path_style(PathStyle::Gateway {
                item_id: ItemId::new(value),
            })
            .of_order(&key)
            .await
            .unwrap_err()
            .into_kind();
        assert_invalid(&err, "itemId", value);
        let gateway = || PathStyle::Gateway {
            item_id: ItemId::new(value),
        };
        let err = client
            .pay_links()
            .path_style(gateway())
            .create(&pay())
            .await
            .unwrap_err()
            .into_kind();
        assert_invalid(&err, "itemId", value);
        let err = client
            .save_links()
            .path_style(gateway())
            .create(&save())
            .await
            .unwrap_err()
            .into_kind();
        assert_invalid(&err, "itemId", value);
    }
    assert_eq!(any.calls_async().await, 0);
}

/// The outcome of `ok_1` answered with a charge of `ok_2` (a mixed-up cache, a proxy, a wrong
/// route): a decode error naming the field, not ok_2's charges presented as ok_1's.
#[tokio::test]
async fn charges_of_another_order_are_a_decode_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/charges/orders/ok_1");
            then.status(200)
                .header("content-type", "application/json")
                .body(
                    r#"[{"amount":"1450","orderKey":"ok_1","state":"failed"},
                        {"amount":"1450","orderKey":"ok_2","state":"active"}]"#,
                );
        })
        .await;
    let err = builder(&server)
        .build()
        .unwrap()
        .charges()
        .of_order(&OrderKey::new("ok_1"))
        .await
        .unwrap_err()
        .into_kind();
    match &err {
        ErrorKind::Decode { path, message, .. } => {
            assert_eq!(path, "[1].orderKey", "{err:?}");
            assert!(message.contains("another order"), "{message}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

/// Charges that do not say which order they belong to are taken as the answer for the order
/// asked for (the route named it); the same goes for a wrapped list.
#[tokio::test]
async fn charges_without_an_order_key_or_with_the_one_asked_for_are_accepted() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/charges/orders/ok_1");
            then.status(200)
                .header("content-type", "application/json")
                .body(
                    r#"{"charges":[{"amount":"1450","state":"failed"},
                        {"amount":"1450","orderKey":"ok_1","state":"active"}]}"#,
                );
        })
        .await;
    let charges = builder(&server)
        .build()
        .unwrap()
        .charges()
        .of_order(&OrderKey::new("ok_1"))
        .await
        .unwrap();
    assert_eq!(charges.charges.len(), 2);
}
