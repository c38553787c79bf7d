//! Every value that goes into a URL path segment is checked before anything is sent: a value
//! that would change the path (`.`, `..`, `%2e%2e`, `a/b`, `a?b`, the empty string) is
//! [`ErrorKind::InvalidRequest`] naming the parameter, and the server sees nothing (a catch-all
//! httpmock mock asserts zero calls). A read by id also checks that the answer is about the id
//! asked for.

mod common;

use begateway::{
    Currency, ErrorKind, ExpectedPayment, Money, ProductId, ReturnParams, TransactionUid,
    UpdateProduct,
};
use common::{client, fixture, transaction_body};
use httpmock::MockServer;

/// Values that, sent as a path segment, would reach another resource (or none).
const PATH_CHANGING: [&str; 6] = [".", "..", "%2e%2e", "a/b", "a?b", ""];

fn field_of<T: std::fmt::Debug>(result: Result<T, begateway::Error>) -> String {
    match result.map_err(begateway::Error::into_kind) {
        Err(ErrorKind::InvalidRequest { field, .. }) => field,
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

#[tokio::test]
async fn path_changing_ids_are_refused_before_sending_on_every_path_parameter() {
    let server = MockServer::start_async().await;
    let catch_all = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(204);
        })
        .await;
    let c = client(&server.base_url());
    let expected = ExpectedPayment::new("order-44", Money::parse("9.90", Currency::USD).unwrap());
    for id in PATH_CHANGING {
        assert_eq!(
            field_of(c.products().get(&ProductId::new(id)).await),
            "product_id",
            "products().get({id:?})"
        );
        assert_eq!(
            field_of(
                c.products()
                    .update(&ProductId::new(id), &UpdateProduct::new().quantity(1))
                    .await
            ),
            "product_id",
            "products().update({id:?})"
        );
        assert_eq!(
            field_of(c.transactions().get(&TransactionUid::new(id)).await),
            "uid",
            "transactions().get({id:?})"
        );
        assert_eq!(
            field_of(
                c.transactions()
                    .confirm(&TransactionUid::new(id), &expected)
                    .await
            ),
            "uid",
            "transactions().confirm({id:?})"
        );
        assert_eq!(
            field_of(c.transactions().by_tracking_id(id).await),
            "tracking_id",
            "transactions().by_tracking_id({id:?})"
        );
    }
    catch_all.assert_calls_async(0).await;
}

#[test]
fn a_return_with_a_path_changing_uid_or_token_has_no_lookup_handle() {
    for id in PATH_CHANGING {
        let encoded: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect();
        let params =
            ReturnParams::parse(&format!("uid={encoded}&token={encoded}&status=successful"));
        assert_eq!(params.uid(), None, "uid={id:?}");
        assert_eq!(params.token(), None, "token={id:?}");
    }
    // The literal text `uid=..` as a customer would type it, and its percent-encoded form.
    for query in [
        "uid=..",
        "uid=.",
        "uid=%2e%2e",
        "uid=%252e%252e",
        "uid=a%2Fb",
        "uid=a%3Fb",
    ] {
        assert_eq!(ReturnParams::parse(query).uid(), None, "{query}");
    }
}

#[tokio::test]
async fn a_transaction_read_answered_about_another_uid_is_a_decode_error() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET").path("/transactions/1-asked");
            then.status(200)
                .header("content-type", "application/json")
                .body(transaction_body("1-other", "successful"));
        })
        .await;
    let err = client(&server.base_url())
        .transactions()
        .get(&TransactionUid::new("1-asked"))
        .await
        .unwrap_err();
    mock.assert_calls_async(1).await;
    assert!(
        matches!(err.kind(), ErrorKind::Decode { path, .. } if path == "transaction.uid"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_product_read_answered_about_another_id_is_a_decode_error() {
    let server = MockServer::start_async().await;
    // The documented product body is about prd_ed27b047d3ccd1a6.
    let mock = server
        .mock_async(|when, then| {
            when.method("GET").path("/products/prd_0000000000000000");
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture("products.get.response.200.json"));
        })
        .await;
    let err = client(&server.base_url())
        .products()
        .get(&ProductId::new("prd_0000000000000000"))
        .await
        .unwrap_err();
    mock.assert_calls_async(1).await;
    assert!(
        matches!(err.kind(), ErrorKind::Decode { path, .. } if path == "id"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_read_answered_about_the_id_asked_for_is_accepted() {
    let server = MockServer::start_async().await;
    let product = fixture("products.get.response.200.json");
    let id: serde_json::Value = serde_json::from_str(&product).unwrap();
    let id = id["id"].as_str().unwrap().to_owned();
    server
        .mock_async(|when, then| {
            when.method("GET").path(format!("/products/{id}"));
            then.status(200)
                .header("content-type", "application/json")
                .body(&product);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/transactions/1-asked");
            then.status(200)
                .header("content-type", "application/json")
                .body(transaction_body("1-asked", "successful"));
        })
        .await;
    let c = client(&server.base_url());
    assert_eq!(
        c.products()
            .get(&ProductId::new(&id))
            .await
            .unwrap()
            .id
            .as_str(),
        id
    );
    let t = c
        .transactions()
        .get(&TransactionUid::new("1-asked"))
        .await
        .unwrap();
    assert_eq!(t.uid.as_str(), "1-asked");
}
