//! Error answers of the checkout and gateway endpoints (the checkout error shape, the legacy
//! `{"response": {...}}` 422, and the v3 `{"code", "friendly_message", ...}` shape): each maps
//! to a typed error carrying beGateway's message, code and field errors, names beGateway and
//! the operation, never panics, and never quotes the secret key or a card secret.

mod common;

use begateway::{
    Card, ChargeRequest, CheckoutToken, CheckoutType, CreateCheckout, CreditRequest, Currency,
    ErrorKind, FollowUp, Money, PaymentSource, SecretString, TransactionUid,
};
use common::{SECRET, client_with_checkout, fixture};
use httpmock::MockServer;

fn checkout() -> CreateCheckout {
    CreateCheckout::new(
        CheckoutType::Payment,
        Money::from_minor_units(4299, Currency::GBP),
        "Order description",
        "order-4299",
    )
}

fn charge() -> ChargeRequest {
    ChargeRequest::new(
        Money::from_minor_units(100, Currency::USD),
        "Test transaction",
        "your_uniq_number",
        PaymentSource::Card(Card::new("4200000000000000", "123", "John Doe", 5, 2030)),
    )
}

async fn answering(
    method: &'static str,
    path: &'static str,
    status: u16,
    body: String,
) -> MockServer {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(method).path(path);
            then.status(status)
                .header("content-type", "application/json")
                .body(body);
        })
        .await;
    server
}

/// The parts of an `Api` error, or a panic naming what came instead.
fn api(err: &begateway::Error) -> (u16, Option<&str>, Option<&str>) {
    match err.kind() {
        ErrorKind::Api {
            status,
            code,
            message,
            ..
        } => (status.as_u16(), code.as_deref(), message.as_deref()),
        other => panic!("not an Api error: {other:?}"),
    }
}

#[tokio::test]
async fn the_checkout_422_maps_to_field_errors_with_the_message() {
    let server = answering(
        "POST",
        "/ctp/api/checkouts",
        422,
        fixture("checkouts.create.response.422.json"),
    )
    .await;
    let err = client_with_checkout(&server.base_url())
        .checkouts()
        .create(&checkout())
        .await
        .unwrap_err();
    assert_eq!(api(&err), (422, None, Some("BIG ERROR IS RECEIVED!!!")));
    assert_eq!(
        err.field_error("settings.fail_url"),
        Some(&["does not appear to be valid".to_owned()][..])
    );
    assert_eq!(
        err.field_error("order.currency"),
        Some(&["is invalid".to_owned()][..])
    );
    assert!(!err.is_retryable());
    assert!(
        err.to_string().starts_with("beGateway checkouts.create: "),
        "{err}"
    );
}

#[tokio::test]
async fn the_checkout_error_shape_on_a_query_is_an_api_error_with_its_message() {
    let server = answering(
        "GET",
        "/ctp/api/checkouts/tok-1",
        404,
        r#"{"checkout":{"status":"error","message":"Token not found"}}"#.to_owned(),
    )
    .await;
    let err = client_with_checkout(&server.base_url())
        .checkouts()
        .get(&CheckoutToken::new("tok-1"))
        .await
        .unwrap_err();
    assert_eq!(api(&err), (404, None, Some("Token not found")));
    assert_eq!(err.operation(), "checkouts.get");
}

#[tokio::test]
async fn the_v3_shape_maps_to_code_message_and_fields_on_checkout_and_gateway_endpoints() {
    let body = fixture("card.authorization.response.422_v3.json");
    let check = |err: &begateway::Error, operation: &str| {
        assert_eq!(
            api(err),
            (
                422,
                Some("E.1025"),
                Some("Description can't be blank. Currency can't be blank.")
            ),
            "{operation}"
        );
        assert_eq!(err.code(), Some("E.1025"));
        assert!(
            err.messages().iter().any(|m| m == "Invalid request params"),
            "{operation}: the friendly message is kept: {:?}",
            err.messages()
        );
        assert_eq!(
            err.field_error("description"),
            Some(&["can't be blank".to_owned()][..])
        );
        assert_eq!(err.operation(), operation);
        assert!(!err.is_retryable());
    };
    let s = answering("POST", "/ctp/api/checkouts", 422, body.clone()).await;
    let c = client_with_checkout(&s.base_url());
    check(
        &c.checkouts().create(&checkout()).await.unwrap_err(),
        "checkouts.create",
    );
    let s = answering("POST", "/transactions/authorizations", 422, body.clone()).await;
    let c = client_with_checkout(&s.base_url());
    check(
        &c.card_transactions()
            .authorization(&charge())
            .await
            .unwrap_err(),
        "card.authorization",
    );
    let s = answering("POST", "/transactions/credits", 422, body.clone()).await;
    let c = client_with_checkout(&s.base_url());
    let credit = CreditRequest::new(
        Money::from_minor_units(100, Currency::USD),
        "d",
        "t",
        SecretString::from("tok-credit-1"),
    );
    check(
        &c.card_transactions().credit(&credit).await.unwrap_err(),
        "card.credit",
    );
    let s = answering("POST", "/transactions/tokenizations", 422, body).await;
    let c = client_with_checkout(&s.base_url());
    check(
        &c.card_transactions()
            .tokenization(&charge())
            .await
            .unwrap_err(),
        "card.tokenization",
    );
}

#[tokio::test]
async fn the_legacy_422_of_an_authorization_names_the_field() {
    let server = answering(
        "POST",
        "/transactions/authorizations",
        422,
        fixture("card.authorization.response.422.json"),
    )
    .await;
    let err = client_with_checkout(&server.base_url())
        .card_transactions()
        .authorization(&charge())
        .await
        .unwrap_err();
    assert_eq!(
        err.field_error("amount"),
        Some(&["must be greater than 0".to_owned()][..])
    );
    assert!(
        err.provider_message()
            .unwrap()
            .starts_with("Currency can't be blank")
    );
}

#[tokio::test]
async fn secrets_quoted_by_error_answers_are_masked() {
    // An answer that quotes the secret key, the card number, the CVC and a credit's token.
    let quoting = |extra: &str| {
        format!(
            r#"{{"code":"E.1025","friendly_message":"Rejected {SECRET}","message":"Card 4200000000000000 cvc 123 {extra}","errors":{{"base":["{SECRET}"]}}}}"#
        )
    };
    let s = answering("POST", "/transactions/tokenizations", 422, quoting("")).await;
    let err = client_with_checkout(&s.base_url())
        .card_transactions()
        .tokenization(&charge())
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(!shown.contains("4200000000000000"), "{shown}");
    let s = answering(
        "POST",
        "/transactions/credits",
        422,
        quoting("tok-credit-secret-99"),
    )
    .await;
    let credit = CreditRequest::new(
        Money::from_minor_units(100, Currency::USD),
        "d",
        "t",
        SecretString::from("tok-credit-secret-99"),
    );
    let err = client_with_checkout(&s.base_url())
        .card_transactions()
        .credit(&credit)
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(!shown.contains("tok-credit-secret-99"), "{shown}");
    let s = answering("POST", "/ctp/api/checkouts", 200, quoting("")).await;
    let err = client_with_checkout(&s.base_url())
        .checkouts()
        .create(&checkout())
        .await
        .unwrap_err();
    assert!(!format!("{err} {err:?}").contains(SECRET));
}

#[tokio::test]
async fn malformed_answers_of_the_new_endpoints_are_typed_errors_not_panics() {
    for body in [
        "",
        "{",
        "[]",
        r#"{"transaction": 5}"#,
        "\u{0}\u{1}",
        r#"{"checkout":[]}"#,
    ] {
        let s = answering("POST", "/transactions/refunds", 200, body.to_owned()).await;
        let c = client_with_checkout(&s.base_url());
        let refund = FollowUp::new(
            TransactionUid::new("1-p"),
            Money::from_minor_units(1, Currency::USD),
        )
        .reason("r");
        let err = c.card_transactions().refund(&refund).await.unwrap_err();
        // A write answered with an unreadable body may have been applied: its outcome is
        // unknown (keyed: safe to repeat with the same RequestID).
        assert!(
            matches!(
                err.kind(),
                ErrorKind::Decode { .. } | ErrorKind::OutcomeUnknown { .. }
            ),
            "{body:?}: {err:?}"
        );
        let s = answering("GET", "/ctp/api/checkouts/tok-1", 200, body.to_owned()).await;
        let err = client_with_checkout(&s.base_url())
            .checkouts()
            .get(&CheckoutToken::new("tok-1"))
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Decode { .. }),
            "{body:?}: {err:?}"
        );
    }
}
