//! beGateway's error bodies as a user reads them from `begateway::Error`, over httpmock on
//! loopback: every field refused (nested sections by their dotted path), the messages not tied
//! to a field, the main message and the code of each documented shape (validation, legacy
//! `response` wrapper, API v3, P2P `error_code`), which status gives which kind, and a body that
//! is none of those shapes falling back to the generic mapping.

mod common;

use begateway::{ErrorKind, ProductId, StatusCode};
use common::client;
use httpmock::MockServer;

/// The error of `GET /products/prd_x` answered with `status` and the JSON `body`.
async fn error_for(status: u16, body: &str) -> begateway::Error {
    let server = MockServer::start_async().await;
    let body = body.to_owned();
    server
        .mock_async(move |when, then| {
            when.method("GET").path("/products/prd_x");
            then.status(status)
                .header("content-type", "application/json")
                .header("x-request-id", "req-7f3a")
                .body(body);
        })
        .await;
    client(&server.base_url())
        .products()
        .get(&ProductId::new("prd_x"))
        .await
        .unwrap_err()
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn a_validation_answer_names_every_field_and_keeps_the_rest_apart() {
    let err = error_for(
        422,
        r#"{"message":"Validation failed","errors":{
            "amount":["must be greater than 0","is not a number"],
            "currency":"is invalid",
            "billing_address":{"first_name":["is blank"],"address":{"line":["too long"]}},
            "base":["Shop is inactive",{"detail":"Gateway is off"},["nested"]],
            "ignored_number":5,"ignored_flag":true,"ignored_null":null}}"#,
    )
    .await;
    assert_eq!(err.operation(), "products.get");
    assert!(matches!(err.kind(), ErrorKind::Api { .. }), "{err:?}");
    assert_eq!(err.status(), Some(StatusCode::UNPROCESSABLE_ENTITY));
    assert_eq!(err.request_id(), Some("req-7f3a"));
    assert_eq!(err.provider_message(), Some("Validation failed"));
    assert_eq!(err.code(), None);
    assert_eq!(
        err.field_error("amount"),
        Some(&strings(&["must be greater than 0", "is not a number"])[..])
    );
    assert_eq!(
        err.field_error("currency"),
        Some(&strings(&["is invalid"])[..])
    );
    assert_eq!(
        err.field_error("billing_address.first_name"),
        Some(&strings(&["is blank"])[..])
    );
    assert_eq!(
        err.field_error("billing_address.address.line"),
        Some(&strings(&["too long"])[..])
    );
    assert_eq!(err.field_error("billing_address"), None);
    let fields: Vec<&str> = err.field_errors().keys().map(String::as_str).collect();
    assert_eq!(
        fields,
        [
            "amount",
            "billing_address.address.line",
            "billing_address.first_name",
            "currency"
        ]
    );
    // `errors.base` is not a field: its messages, nested ones included, are the messages.
    assert_eq!(
        err.messages(),
        strings(&["Shop is inactive", "Gateway is off", "nested"])
    );
}

#[tokio::test]
async fn errors_as_plain_text_or_a_list_are_messages() {
    let err = error_for(500, r#"{"errors":"Net::ReadTimeout"}"#).await;
    assert_eq!(err.messages(), strings(&["Net::ReadTimeout"]));
    assert_eq!(err.provider_message(), None);
    assert!(err.field_errors().is_empty());
    assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));

    let err = error_for(400, r#"{"errors":["first",{"a":"second"},3]}"#).await;
    assert_eq!(err.messages(), strings(&["first", "second"]));
    assert!(err.field_errors().is_empty());
}

#[tokio::test]
async fn the_legacy_wrapper_is_read_only_when_the_outer_body_says_nothing() {
    let err = error_for(
        422,
        r#"{"response":{"message":"Amount is invalid","errors":{"amount":["is invalid"]}}}"#,
    )
    .await;
    assert_eq!(err.provider_message(), Some("Amount is invalid"));
    assert_eq!(
        err.field_error("amount"),
        Some(&strings(&["is invalid"])[..])
    );

    // An outer message wins over the wrapper.
    let err = error_for(
        422,
        r#"{"message":"outer","response":{"message":"inner","errors":{"x":["y"]}}}"#,
    )
    .await;
    assert_eq!(err.provider_message(), Some("outer"));
    assert!(err.field_errors().is_empty());
    // So do outer errors.
    let err = error_for(
        422,
        r#"{"errors":{"amount":["outer"]},"response":{"message":"inner"}}"#,
    )
    .await;
    assert_eq!(err.provider_message(), None);
    assert_eq!(err.field_error("amount"), Some(&strings(&["outer"])[..]));
}

#[tokio::test]
async fn the_v3_shape_gives_its_code_and_friendly_message() {
    let err = error_for(
        400,
        r#"{"code":"F.1000","friendly_message":"Try another card","message":"Declined","errors":{}}"#,
    )
    .await;
    assert_eq!(err.code(), Some("F.1000"));
    assert_eq!(err.provider_message(), Some("Declined"));
    assert_eq!(err.messages(), strings(&["Try another card"]));

    // A friendly message that repeats the message is not listed twice; an empty one is none.
    let err = error_for(
        400,
        r#"{"code":"F.1","friendly_message":"Declined","message":"Declined"}"#,
    )
    .await;
    assert!(err.messages().is_empty(), "{:?}", err.messages());
    let err = error_for(
        400,
        r#"{"code":"F.2","friendly_message":"","message":"Declined"}"#,
    )
    .await;
    assert!(err.messages().is_empty(), "{:?}", err.messages());

    // A P2P check's `error_code` is the code; `code` wins when both are there.
    let err = error_for(400, r#"{"error_code":"p2p_forbidden","message":"No"}"#).await;
    assert_eq!(err.code(), Some("p2p_forbidden"));
    let err = error_for(400, r#"{"code":"F.3","error_code":"p2p_forbidden"}"#).await;
    assert_eq!(err.code(), Some("F.3"));
    // A code alone is a beGateway answer.
    assert!(matches!(err.kind(), ErrorKind::Api { .. }), "{err:?}");
}

#[tokio::test]
async fn a_body_that_says_nothing_gets_the_generic_mapping() {
    for body in [
        r#"{"message":""}"#,
        r#"{"errors":{}}"#,
        r#"{"errors":{"count":5}}"#,
        r#"{"friendly_message":""}"#,
        r#"{"status":"error"}"#,
        // JSON of another shape: an array is never one of beGateway's error bodies (a
        // serde-derived reader would take its items positionally as `message`, `code`, …).
        r#"["Validation failed"]"#,
        r#"["m", "friendly", "F.1"]"#,
    ] {
        let err = error_for(422, body).await;
        assert!(
            matches!(err.kind(), ErrorKind::Http { .. }),
            "{body}: {err:?}"
        );
        assert_eq!(err.provider_message(), None, "{body}");
        assert!(err.messages().is_empty(), "{body}");
        assert!(err.field_errors().is_empty(), "{body}");
        assert_eq!(err.code(), None, "{body}");
    }
}

#[tokio::test]
async fn the_status_decides_the_kind_and_the_summary_comes_along() {
    for status in [401, 403] {
        let err = error_for(status, r#"{"errors":{"base":["Shop is blocked"]}}"#).await;
        match err.kind() {
            ErrorKind::Unauthorized {
                status: s,
                message,
                request_id,
            } => {
                assert_eq!(s.as_u16(), status);
                // No `message`: the first message not tied to a field is the summary.
                assert_eq!(message.as_deref(), Some("Shop is blocked"));
                assert_eq!(request_id.as_deref(), Some("req-7f3a"));
            }
            other => panic!("{status}: {other:?}"),
        }
        assert_eq!(err.provider_message(), Some("Shop is blocked"));
        assert!(err.messages().is_empty());
        assert_eq!(err.code(), None);
    }
    let err = error_for(404, r#"{"message":"Record not found","errors":["other"]}"#).await;
    match err.kind() {
        ErrorKind::NotFound {
            message,
            request_id,
        } => {
            assert_eq!(message.as_deref(), Some("Record not found"));
            assert_eq!(request_id.as_deref(), Some("req-7f3a"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.provider_message(), Some("Record not found"));
    assert!(err.field_errors().is_empty());
    // 429 keeps its meaning whatever the body says.
    let err = error_for(429, r#"{"message":"Too many requests"}"#).await;
    assert!(
        matches!(err.kind(), ErrorKind::RateLimited { .. }),
        "{err:?}"
    );
    assert_eq!(err.provider_message(), None);
    // Any other status with a beGateway body is its answer, with that status.
    let err = error_for(503, r#"{"message":"Gateway is temporarily unavailable"}"#).await;
    assert!(matches!(err.kind(), ErrorKind::Api { .. }), "{err:?}");
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(
        err.provider_message(),
        Some("Gateway is temporarily unavailable")
    );
}

#[test]
fn an_amount_that_does_not_parse_is_a_money_parse_error_and_converts_back() {
    fn price() -> begateway::Result<begateway::Money> {
        Ok(begateway::Money::parse("9.999", begateway::Currency::USD)?)
    }
    let err = price().unwrap_err();
    assert_eq!(err.operation(), "money.parse");
    assert!(
        err.to_string().starts_with("beGateway money.parse: "),
        "{err}"
    );
    assert!(err.field_errors().is_empty());
    assert_eq!(err.provider_message(), None);
    let kind: ErrorKind = price().unwrap_err().into();
    assert!(matches!(kind, ErrorKind::InvalidRequest { .. }), "{kind:?}");
    assert_eq!(kind.to_string(), err.kind().to_string());
}
