//! Canary secrets (`docs/reliability.md`, S1/S2): the shop secret key appears in no Debug or
//! Display of the client, its builder, credentials, requests, verifiers or errors — even when
//! beGateway echoes it back in an error body.

mod common;

use begateway::{
    Client, ClientBuilder, CreateProduct, Credentials, Currency, Error, ErrorKind, Money,
    ProductId, UpdateProduct,
};
use common::fast_config;
use payments_common::testing::{Fault, FaultServer, Reply};

const CANARY: &str = "CANARY-s3cr3t-9f8e7d6c5b4a";

fn builder(base: &str) -> ClientBuilder {
    Client::builder(Credentials::new("361", CANARY))
        .api_base_url(base)
        .gateway_base_url(base)
        .http_config(fast_config())
}

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(CANARY), "{what} leaks the secret: {text}");
}

fn assert_debug_clean<T: std::fmt::Debug>(what: &str, value: &T) {
    assert_clean(what, &format!("{value:?}"));
    assert_clean(what, &format!("{value:#?}"));
}

fn assert_error_clean(what: &str, err: &Error) {
    assert_debug_clean(what, err);
    assert_clean(what, &err.to_string());
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        assert_clean(what, &s.to_string());
        source = s.source();
    }
}

#[tokio::test]
async fn no_debug_or_display_shows_the_secret() {
    let server = FaultServer::start(vec![]).await;
    let base = server.base_url().to_string();
    let credentials = Credentials::new("361", CANARY);
    assert_debug_clean("credentials", &credentials);
    assert_debug_clean("builder", &builder(&base));
    let client = builder(&base).build().unwrap();
    assert_debug_clean("client", &client);
    assert_debug_clean("products handle", &client.products());
    assert_debug_clean("transactions handle", &client.transactions());
    let request = CreateProduct::new("n", "d", Money::parse("1", Currency::USD).unwrap())
        .infinite()
        .immortal();
    assert_debug_clean("create request", &request);
    assert_debug_clean("update request", &UpdateProduct::new().name("x"));
    #[cfg(feature = "webhooks")]
    {
        let verifier = begateway::WebhookVerifier::new(credentials).unwrap();
        assert_debug_clean("verifier", &verifier);
        let bad = verifier
            .verify(
                &common::notify_headers(Some("Basic bm9wZTpub3Bl"), None),
                b"{}",
            )
            .unwrap_err();
        assert_error_clean("webhook auth error", &bad);
        // A verified body that fails to decode and echoes the secret.
        let auth = common::basic("361", CANARY);
        let echo = format!(
            r#"{{"transaction":{{"uid":"1","status":"failed","amount":"{CANARY}","note":"{CANARY}"}}}}"#
        );
        let err = verifier
            .verify(&common::notify_headers(Some(&auth), None), echo.as_bytes())
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Decode { .. }));
        assert_error_clean("webhook decode error", &err);
    }
}

#[test]
fn credential_validation_errors_do_not_echo_the_secret() {
    for bad in [
        format!("{CANARY}\n"),
        format!(" {CANARY}"),
        format!("{CANARY} x"),
    ] {
        let err = Client::builder(Credentials::new("361", bad.as_str()))
            .build()
            .unwrap_err();
        assert_error_clean("credential error", &err);
    }
}

#[tokio::test]
async fn errors_from_the_wire_do_not_show_the_secret() {
    let echoes = [
        Reply::json(401, &format!(r#"{{"message":"bad key {CANARY}"}}"#)),
        Reply::json(
            422,
            &format!(r#"{{"message":"x","errors":{{"secret_key":["{CANARY} is wrong"]}}}}"#),
        ),
        Reply::html(502, &format!("<html>proxy saw {CANARY}</html>")),
        Reply::json(200, &format!(r#"{{"id":"{CANARY}","amount":"x"}}"#)),
        Reply::json(500, &format!(r#"{{"secret_key":"{CANARY}"}}"#)),
        Reply::json(200, &format!(r#"{{"id":"prd_1","amount":"{CANARY}"}}"#)),
    ];
    for reply in echoes {
        let server = FaultServer::start(vec![Fault::Respond(reply.clone())]).await;
        let client = builder(server.base_url().as_str()).build().unwrap();
        let get = client
            .products()
            .get(&ProductId::new("prd_1"))
            .await
            .unwrap_err();
        let create = client
            .products()
            .create(
                &CreateProduct::new("n", "d", Money::parse("1", Currency::USD).unwrap())
                    .infinite()
                    .immortal(),
            )
            .await
            .unwrap_err();
        for err in [get, create] {
            // Provider messages that quote the secret are the provider's words: the SDK still
            // must not show them verbatim. Structured messages are checked too.
            let text = format!("{err:?} {err}");
            if text.contains(CANARY) {
                panic!("status {}: {text}", reply.status);
            }
            assert_error_clean("wire error", &err);
        }
    }
    let reset = FaultServer::start(vec![Fault::ResetAfterRequest]).await;
    let client = builder(reset.base_url().as_str()).build().unwrap();
    let err = client
        .products()
        .update(&ProductId::new("prd_1"), &UpdateProduct::new().quantity(1))
        .await
        .unwrap_err();
    assert_error_clean("outcome unknown", &err);
}
