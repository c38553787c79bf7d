//! Every documented JSON example of fixtures/jatapay/ against the typed models.

#[macro_use]
mod common;

use jatapay::{
    CreatedSubscription, Currency, ExposeSecret, GatewayRequest, MerchantId, Money, PaymentOutcome,
    Subscription, SubscriptionId, SubscriptionStatus, Token, TokenRequest,
};

#[test]
fn subscriptions_create_request_matches_the_builder() {
    let expected = fixture_json!("subscriptions.create.request.json");
    let request = GatewayRequest::new(
        Money::parse("20.00", Currency::EUR).unwrap(),
        "https://e-commerce.example.com/callback_url",
        "Abbonamento di esempio",
    )
    .note("Dilazione per motivo esempio");
    request.validate().unwrap();
    let built = serde_json::to_value(&request).unwrap();
    assert_eq!(built, expected);
    insta::assert_json_snapshot!("subscriptions.create.request", built);
    // And it reads back into the same typed request.
    let decoded: GatewayRequest = serde_json::from_value(expected).unwrap();
    assert_eq!(decoded, request);
}

#[test]
fn subscriptions_create_response_decodes() {
    let created: CreatedSubscription =
        serde_json::from_str(&fixture!("subscriptions.create.response.json")).unwrap();
    assert_eq!(created.id, SubscriptionId::new("65b278baa103dca4496d968e"));
    insta::assert_debug_snapshot!("subscriptions.create.response", created);
    assert_eq!(
        serde_json::to_value(&created).unwrap(),
        fixture_json!("subscriptions.create.response.json")
    );
}

#[test]
fn subscriptions_get_response_decodes_every_field() {
    let subscription: Subscription =
        serde_json::from_str(&fixture!("subscriptions.get.response.json")).unwrap();
    assert_eq!(subscription.id.as_str(), "65b279426d2f219d702a7f69");
    assert_eq!(
        subscription.amount,
        Money::from_minor_units(2000, Currency::EUR)
    );
    assert_eq!(subscription.status, SubscriptionStatus::Iniziata);
    assert_eq!(subscription.outcome(), PaymentOutcome::Pending);
    assert_eq!(
        subscription.merchant,
        Some(MerchantId::new("60c5d53a052bf51a1ca1e1b5"))
    );
    assert_eq!(
        subscription.start_date.unwrap().unix_timestamp(),
        1_706_195_266
    );
    assert_eq!(
        subscription.created_at.unwrap().unix_timestamp(),
        1_706_195_266
    );
    assert_eq!(subscription.number, Some(170));
    assert_eq!(subscription.number_text.as_deref(), Some("170"));
    assert_eq!(subscription.client.as_deref(), Some("JataPay"));
    assert_eq!(subscription.customer.as_deref(), Some("open"));
    insta::assert_debug_snapshot!("subscriptions.get.response", subscription);
    // Serializing gives the wire document back, dates in RFC 1123 included.
    assert_eq!(
        serde_json::to_value(&subscription).unwrap(),
        fixture_json!("subscriptions.get.response.json")
    );
}

#[test]
fn token_create_request_matches_the_builder() {
    let built = serde_json::to_value(TokenRequest::client_credentials()).unwrap();
    assert_eq!(built, fixture_json!("token.create.request.json"));
    insta::assert_json_snapshot!("token.create.request", built);
}

#[test]
fn token_create_response_decodes_and_stays_secret() {
    let token: Token = serde_json::from_str(&fixture!("token.create.response.json")).unwrap();
    assert_eq!(token.token.expose_secret(), "IL_TOKEN_DI_ACCESSO");
    assert_eq!(
        token.refresh_token.as_ref().unwrap().expose_secret(),
        "IL_REFRESH_TOKEN"
    );
    let debug = format!("{token:?}");
    assert!(!debug.contains("IL_TOKEN_DI_ACCESSO") && !debug.contains("IL_REFRESH_TOKEN"));
    insta::assert_debug_snapshot!("token.create.response", token);
}

/// Forward compatibility (reliability matrix S5): unknown fields are ignored and a never-seen
/// `stato` is kept and still reads as pending.
#[test]
fn subscription_with_unknown_fields_and_status_decodes() {
    let mut value = fixture_json!("subscriptions.get.response.json");
    value["stato"] = "pagata_forse".into();
    value["nuovo_campo"] = serde_json::json!({"a": [1, 2]});
    value["importo"] = "2000".into();
    let subscription: Subscription = serde_json::from_value(value).unwrap();
    assert_eq!(
        subscription.status,
        SubscriptionStatus::Unknown("pagata_forse".into())
    );
    assert_eq!(subscription.status.as_str(), "pagata_forse");
    assert_eq!(subscription.outcome(), PaymentOutcome::Pending);
    assert_eq!(subscription.amount.minor_units(), 2000);
    assert_eq!(
        serde_json::to_value(&subscription.status).unwrap(),
        "pagata_forse"
    );
}

#[test]
fn subscription_with_only_required_fields_and_iso_dates_decodes() {
    let s: Subscription = serde_json::from_str(
        r#"{"_id":"65b279426d2f219d702a7f69","importo":1,"stato":"iniziata","data_inizio":"2024-01-25T15:07:46Z"}"#,
    )
    .unwrap();
    assert_eq!(s.start_date.unwrap().unix_timestamp(), 1_706_195_266);
    assert_eq!(s.callback_url, None);
}

#[test]
fn subscription_decode_errors_name_the_field() {
    use payments_common::http::Response;
    for (body, field) in [
        (
            r#"{"_id":"a","importo":20.5,"stato":"iniziata"}"#,
            "importo",
        ),
        (
            r#"{"_id":"a","importo":"20,00","stato":"iniziata"}"#,
            "importo",
        ),
        (r#"{"_id":"a","stato":"iniziata"}"#, "importo"),
        (
            r#"{"_id":"a","importo":1,"stato":"iniziata","data_inizio":"ieri"}"#,
            "data_inizio",
        ),
    ] {
        let response =
            Response::for_tests(jatapay::StatusCode::OK, "application/json", body.as_bytes());
        match response.json::<Subscription>() {
            Err(jatapay::ErrorKind::Decode { path, message, .. }) => {
                assert!(
                    path.contains(field) || message.contains(field),
                    "{body}: {path} {message}"
                );
            }
            other => panic!("{body}: {other:?}"),
        }
    }
}
