//! The shape every provider crate shares: the crate's own error type naming JataPay and the
//! operation, per-call options on a handle of the same client (sharing its token cache), the
//! last response's record on success, and `for_tests` constructors for users' own tests.

#[macro_use]
mod common;

use std::time::{Duration, Instant};

use common::{BASIC, builder_at, credentials};
use jatapay::{
    Client, Credentials, Currency, ErrorKind, GatewayRequest, Money, RequestOptions, RetryPolicy,
    SecretString, StatusCode, SubscriptionId,
};
use payments_common::testing::{Fault, FaultServer, Reply};

const SUB: &str = "65b279426d2f219d702a7f69";

fn request() -> GatewayRequest {
    GatewayRequest::new(
        Money::from_minor_units(2000, Currency::EUR),
        "https://e-commerce.example.com/callback_url",
        "Prodotto",
    )
}

fn token_reply(token: &str) -> Fault {
    Fault::Respond(Reply::json(
        200,
        &format!(r#"{{"token":"{token}","refresh_token":"r-{token}"}}"#),
    ))
}

fn subscription_reply() -> Fault {
    Fault::Respond(
        Reply::json(200, &fixture!("subscriptions.get.response.json"))
            .header("x-request-id", "jp-req-7"),
    )
}

#[tokio::test]
async fn errors_name_jatapay_and_the_operation() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(
        401,
        r#"{"msg":"Token has expired"}"#,
    ))])
    .await;
    let client = builder_at(
        server.base_url().as_str(),
        Credentials::token(SecretString::from("tok-1")),
    )
    .build()
    .unwrap();
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    assert_eq!(err.provider(), payments_common::Provider::JataPay);
    assert_eq!(err.operation(), "subscriptions.get");
    assert!(
        err.to_string()
            .starts_with("JataPay subscriptions.get: unauthorized"),
        "{err}"
    );
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert!(!err.is_retryable());

    let err = client
        .subscriptions()
        .create(&request().note("\u{7}"))
        .await;
    let err = err.unwrap_err();
    assert!(
        err.to_string()
            .starts_with("JataPay subscriptions.create: invalid request: note"),
        "{err}"
    );
    let err = client
        .payments()
        .create(&request().note("\u{7}"))
        .await
        .unwrap_err();
    assert_eq!(err.operation(), "payments.create");
    let err = client
        .subscriptions()
        .confirm(
            &SubscriptionId::new(".."),
            &jatapay::ExpectedPayment::new("r", Money::from_minor_units(1, Currency::EUR)),
            jatapay::StatusReading::Documented,
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.operation(), err.invalid_field()),
        ("subscriptions.confirm", Some("id"))
    );
    let err = client.authenticate().await.unwrap_err();
    assert_eq!(
        (err.operation(), err.invalid_field()),
        ("token.create", Some("credentials"))
    );
    assert_eq!(server.attempts(), 1, "only the first read was sent");
}

mod other_provider {
    payments_common::provider_error!(payments_common::Provider::TsPay);
}

/// A shop's own error, converted from two providers' errors side by side.
#[derive(Debug)]
enum ShopError {
    JataPay(jatapay::Error),
    Other(other_provider::Error),
}

impl From<jatapay::Error> for ShopError {
    fn from(e: jatapay::Error) -> Self {
        ShopError::JataPay(e)
    }
}

impl From<other_provider::Error> for ShopError {
    fn from(e: other_provider::Error) -> Self {
        ShopError::Other(e)
    }
}

#[test]
fn the_crates_error_is_its_own_type() {
    use std::any::TypeId;
    assert_ne!(
        TypeId::of::<jatapay::Error>(),
        TypeId::of::<other_provider::Error>()
    );
    assert_ne!(TypeId::of::<jatapay::Error>(), TypeId::of::<ErrorKind>());
    fn build() -> Result<Client, ShopError> {
        Ok(Client::builder(Credentials::token(SecretString::from("t")))
            .api_base_url("ftp://x")
            .build()?)
    }
    match build().unwrap_err() {
        ShopError::JataPay(e) => {
            assert_eq!(e.operation(), "client.build");
            assert_eq!(e.invalid_field(), Some("api_base_url"));
        }
        other => panic!("{other:?}"),
    }
    let other: ShopError = other_provider::Error::new("x.y", ErrorKind::invalid("f", "bad")).into();
    match other {
        ShopError::Other(e) => assert_eq!(e.provider(), payments_common::Provider::TsPay),
        other => panic!("{other:?}"),
    }
    // Generic code over any provider.
    fn describe(e: &impl payments_common::ProviderError) -> String {
        format!("{}/{}", e.provider(), e.operation())
    }
    let e = jatapay::Error::new("subscriptions.get", ErrorKind::invalid("id", "empty"));
    assert_eq!(describe(&e), "JataPay/subscriptions.get");
}

#[tokio::test]
async fn a_handle_sends_its_headers_on_the_exchange_and_the_call_and_records_the_response() {
    let server = FaultServer::start(vec![token_reply("tok-A"), subscription_reply()]).await;
    let client = builder_at(server.base_url().as_str(), credentials())
        .build()
        .unwrap();
    let handle = client.with_options(RequestOptions::new().header("X-Correlation-Id", "order-42"));
    let subscription = handle
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap();
    assert_eq!(subscription.id.as_str(), SUB);
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].path, "/token");
    assert_eq!(seen[0].header("authorization"), Some(BASIC));
    assert_eq!(seen[0].header("x-correlation-id"), Some("order-42"));
    assert_eq!(seen[1].path, format!("/entity/subscriptions/{SUB}"));
    assert_eq!(seen[1].header("authorization"), Some("Bearer tok-A"));
    assert_eq!(seen[1].header("x-correlation-id"), Some("order-42"));

    let meta = handle.last_response().expect("a success is recorded");
    assert_eq!(meta.status(), StatusCode::OK);
    assert_eq!(meta.request_id(), Some("jp-req-7"));
    assert_eq!(meta.attempts(), 1);
    // The record belongs to the handle the call went through.
    assert!(client.last_response().is_none());
}

#[tokio::test]
async fn the_client_and_its_handles_share_one_token_cache() {
    let server = FaultServer::start(vec![
        token_reply("tok-A"),
        subscription_reply(),
        subscription_reply(),
        subscription_reply(),
    ])
    .await;
    let client = builder_at(server.base_url().as_str(), credentials())
        .build()
        .unwrap();
    client
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap();
    let handle = client.with_options(RequestOptions::new().header("x-tenant", "shop-1"));
    handle
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap();
    client
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap();
    let seen = server.requests();
    let exchanges = seen.iter().filter(|r| r.path == "/token").count();
    assert_eq!(exchanges, 1, "{seen:#?}");
    assert_eq!(seen[2].header("authorization"), Some("Bearer tok-A"));
    assert_eq!(seen[2].header("x-tenant"), Some("shop-1"));
    assert_eq!(
        seen[3].header("x-tenant"),
        None,
        "the client has no options"
    );
    assert_eq!(
        client.last_response().map(|m| m.status()),
        Some(StatusCode::OK)
    );
}

#[tokio::test]
async fn a_refresh_after_401_through_a_handle_replaces_the_token_for_the_client_too() {
    let server = FaultServer::start(vec![
        token_reply("tok-A"),
        subscription_reply(),
        Fault::Respond(Reply::json(401, r#"{"msg":"Token has expired"}"#)),
        token_reply("tok-B"),
        subscription_reply(),
        subscription_reply(),
    ])
    .await;
    let client = builder_at(server.base_url().as_str(), credentials())
        .build()
        .unwrap();
    let sub = SubscriptionId::new(SUB);
    client.subscriptions().get(&sub).await.unwrap();
    let handle = client.with_options(RequestOptions::new().header("x-call", "2"));
    handle.subscriptions().get(&sub).await.unwrap();
    client.subscriptions().get(&sub).await.unwrap();
    let seen = server.requests();
    assert_eq!(seen.len(), 6, "{seen:#?}");
    assert_eq!(seen[3].path, "/token");
    assert_eq!(
        seen[3].header("x-call"),
        Some("2"),
        "the handle's options apply to the exchange its call started"
    );
    assert_eq!(seen[4].header("authorization"), Some("Bearer tok-B"));
    assert_eq!(
        seen[5].header("authorization"),
        Some("Bearer tok-B"),
        "the client uses the token its handle obtained"
    );
    let meta = handle.last_response().unwrap();
    assert_eq!(meta.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_handles_deadline_and_retry_policy_apply_to_its_calls_only() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::bad_gateway_html())]).await;
    let client = builder_at(
        server.base_url().as_str(),
        Credentials::token(SecretString::from("tok-1")),
    )
    .build()
    .unwrap();
    let never = client.with_options(RequestOptions::new().retry(RetryPolicy::never()));
    let err = never
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::BAD_GATEWAY));
    assert_eq!(server.attempts(), 1, "the handle's policy allows no retry");
    client
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    assert_eq!(
        server.attempts(),
        4,
        "the client's own policy retries twice"
    );

    // A hung server: the client's deadline is 30 s and each attempt may take 10 s; only the
    // handle's 1 s deadline can end the call this soon.
    let hang = FaultServer::start(vec![Fault::Hang]).await;
    let client = builder_at(hang.base_url().as_str(), credentials())
        .build()
        .unwrap();
    let short = client.with_options(RequestOptions::new().deadline(Duration::from_secs(1)));
    let started = Instant::now();
    let err = short
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Timeout { .. }), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        hang.requests()[0].path,
        "/token",
        "the deadline covers the exchange"
    );
}

#[tokio::test]
async fn an_idempotency_key_or_a_bad_option_is_refused_before_anything_is_sent() {
    let server = FaultServer::start(vec![]).await;
    let client = builder_at(server.base_url().as_str(), credentials())
        .build()
        .unwrap();
    let keyed = client.with_options(RequestOptions::new().idempotency_key("order-42"));
    let err = keyed.subscriptions().create(&request()).await.unwrap_err();
    assert_eq!(err.invalid_field(), Some("idempotency_key"), "{err}");
    assert_eq!(err.operation(), "subscriptions.create");
    let err = keyed.payments().create(&request()).await.unwrap_err();
    assert_eq!(err.invalid_field(), Some("idempotency_key"), "{err}");
    let reserved = client.with_options(RequestOptions::new().header("Authorization", "Bearer x"));
    let err = reserved
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some("headers.Authorization"), "{err}");
    let zero = client.with_options(RequestOptions::new().deadline(Duration::ZERO));
    let err = zero
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some("deadline"), "{err}");
    assert_eq!(server.attempts(), 0, "nothing may be sent");
}

#[tokio::test]
async fn a_key_on_a_read_is_ignored() {
    let server = FaultServer::start(vec![subscription_reply()]).await;
    let client = builder_at(
        server.base_url().as_str(),
        Credentials::token(SecretString::from("tok-1")),
    )
    .build()
    .unwrap();
    let keyed = client.with_options(RequestOptions::new().idempotency_key("order-42"));
    keyed
        .subscriptions()
        .get(&SubscriptionId::new(SUB))
        .await
        .unwrap();
    assert_eq!(server.requests()[0].header("idempotency-key"), None);
}

#[test]
fn requests_are_checked_at_build() {
    let ok = request().note("Ordine 42").build().unwrap();
    assert_eq!(ok.note.as_deref(), Some("Ordine 42"));
    let err = GatewayRequest::new(
        Money::from_minor_units(2000, Currency::USD),
        "https://shop.example/r",
        "Pro",
    )
    .build()
    .unwrap_err();
    assert_eq!(
        (err.operation(), err.invalid_field()),
        ("gateway_request.build", Some("importo"))
    );
    let err = GatewayRequest::new(
        Money::from_minor_units(2000, Currency::EUR),
        "http://shop.example/r",
        "Pro",
    )
    .build()
    .unwrap_err();
    assert_eq!(err.invalid_field(), Some("callback_url"));
    assert!(
        err.to_string()
            .starts_with("JataPay gateway_request.build: ")
    );
}

#[cfg(feature = "test-util")]
mod for_tests {
    use jatapay::{
        CreatedPayment, CreatedSubscription, Currency, ExpectedPayment, ExposeSecret, Money,
        PaymentId, PaymentVerdict, SecretString, StatusReading, Subscription, SubscriptionId,
        SubscriptionStatus, Token,
    };

    /// A shop's own decision, as a user would write it: fulfil an order when JataPay's read
    /// confirms it.
    fn fulfil(order_url: &str, price: Money, read: &Subscription) -> bool {
        ExpectedPayment::new(order_url, price).judge(&read.observed(StatusReading::Inferred))
            == PaymentVerdict::Paid
    }

    #[test]
    fn users_build_responses_to_test_their_own_handlers() {
        let price = Money::from_minor_units(2000, Currency::EUR);
        let mut read = Subscription::for_tests(
            SubscriptionId::new("65b279426d2f219d702a7f69"),
            price,
            SubscriptionStatus::Attiva,
        );
        read.callback_url = Some("https://shop.example/r?order=42".into());
        assert!(fulfil("https://shop.example/r?order=42", price, &read));
        assert!(!fulfil("https://shop.example/r?order=43", price, &read));
        read.status = SubscriptionStatus::Iniziata;
        assert!(!fulfil("https://shop.example/r?order=42", price, &read));

        let created = CreatedSubscription::for_tests(SubscriptionId::new("a1"));
        assert_eq!(
            serde_json::to_value(&created).unwrap(),
            serde_json::json!({"id_abbonamento": "a1"})
        );
        let payment = CreatedPayment::for_tests(PaymentId::new("p1"));
        assert_eq!(
            serde_json::to_value(&payment).unwrap(),
            serde_json::json!({"id_pagamento": "p1"})
        );
        let token = Token::for_tests(SecretString::from("eyJ.x.y"));
        assert_eq!(token.token.expose_secret(), "eyJ.x.y");
        assert!(!format!("{token:?}").contains("eyJ"));
    }
}
