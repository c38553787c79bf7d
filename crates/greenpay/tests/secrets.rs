//! A canary secret appears in no Debug or Display of the client, its builder, the
//! credentials, the requests, the responses that echo it, or the errors.

mod common;

use common::{MERCHANT_ID, TERMINAL, fast_config};
use greenpay::subscriptions::{ManualPayment, SubscriptionRecord};
use greenpay::{Client, Credentials, Error, SubscriptionId};
use payments_common::testing::{Fault, FaultServer, Reply};

const CANARY: &str = "Q0FOQVJZLXNlY3JldC0xMjM0NTY3ODkw";

fn assert_clean(text: &str) {
    assert!(!text.contains(CANARY), "secret leaked: {text}");
}

fn show<T: std::fmt::Debug>(value: &T) {
    assert_clean(&format!("{value:?}"));
    assert_clean(&format!("{value:#?}"));
}

fn show_error(err: &Error) {
    show(err);
    assert_clean(&err.to_string());
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        assert_clean(&format!("{s} {s:?}"));
        source = s.source();
    }
}

fn builder(base: &str) -> greenpay::ClientBuilder {
    Client::builder(Credentials::new(MERCHANT_ID, TERMINAL, CANARY))
        .base_url(base)
        .http_config(fast_config())
}

#[test]
fn client_builder_and_credentials_hide_the_secret() {
    let credentials = Credentials::new(MERCHANT_ID, TERMINAL, CANARY);
    show(&credentials);
    let b = builder("http://127.0.0.1:9");
    show(&b);
    let client = b.build().unwrap();
    show(&client);
    show(&client.subscriptions());
    show(&ManualPayment::new(SubscriptionId::new(
        "9541b344c3d45d421acd454d61251cde",
    )));
}

#[test]
fn a_bad_secret_is_not_quoted() {
    let err = Client::builder(Credentials::new(
        MERCHANT_ID,
        TERMINAL,
        format!("{CANARY} x"),
    ))
    .build()
    .unwrap_err();
    show_error(&err);
}

#[tokio::test]
async fn an_echoed_secret_is_not_kept_in_the_record() {
    let body =
        common::fixture("subscriptions.cancel.response.json").replace(common::SECRET, CANARY);
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(200, &body))]).await;
    let client = builder(server.base_url().as_str()).build().unwrap();
    let record: SubscriptionRecord = client
        .subscriptions()
        .cancel(&greenpay::subscriptions::CancelSubscription::new(
            SubscriptionId::new("9541b344c3d45d421acd454d61251cde"),
            "UserBot",
            "Customer request",
        ))
        .await
        .unwrap();
    show(&record);
    assert_clean(&serde_json::to_string(&record).unwrap());
    // The secret did go out in the body, as GreenPay requires.
    assert!(String::from_utf8_lossy(&server.requests()[0].body).contains(CANARY));
}

#[tokio::test]
async fn errors_with_an_echoed_secret_are_masked() {
    for (status, body) in [
        (
            200,
            format!(
                r#"{{"status":"SUCCESS","code":200,"result":{{"id":"3","status":5,"purchase_order":{{"secret":"{CANARY}"}}}}}}"#
            ),
        ),
        (502, format!("<html>upstream said secret={CANARY}</html>")),
        (
            500,
            format!(
                r#"{{"status":"FAIL","code":500,"result":[],"errors":["bad secret {CANARY}"]}}"#
            ),
        ),
    ] {
        let reply = if status == 502 {
            Reply::html(status, &body)
        } else {
            Reply::json(status, &body)
        };
        let server = FaultServer::start(vec![Fault::Respond(reply)]).await;
        let client = builder(server.base_url().as_str()).build().unwrap();
        let err = client
            .subscriptions()
            .cancel(&greenpay::subscriptions::CancelSubscription::new(
                SubscriptionId::new("9541b344c3d45d421acd454d61251cde"),
                "UserBot",
                "r",
            ))
            .await
            .unwrap_err();
        show_error(&err);
        let err = client
            .subscriptions()
            .pay(&ManualPayment::new(SubscriptionId::new("abc")))
            .await
            .unwrap_err();
        show_error(&err);
    }
}
