//! Secret probes (reliability matrix 7.4, S1/S2): canary credentials and tokens appear in no
//! Debug or Display output of the client, its builder, requests, models or errors.

#[macro_use]
mod common;

use common::{CLIENT_SECRET, builder_at, client_at, credentials};
use httpmock::MockServer;
use jatapay::{
    Client, Credentials, Currency, GatewayRequest, Money, SecretString, SubscriptionId, Token,
};
use payments_common::testing::{Fault, FaultServer, Reply};

const TOKEN: &str = "tok-CANARY-9f8e7d";
const CANARIES: &[&str] = &[CLIENT_SECRET, TOKEN, "CANARY"];

fn assert_clean(what: &str, text: &str) {
    for canary in CANARIES {
        assert!(!text.contains(canary), "{what} leaks {canary}: {text}");
    }
}

fn assert_clean_debug_display<T: std::fmt::Debug + std::fmt::Display>(what: &str, value: &T) {
    assert_clean(what, &format!("{value:?}"));
    assert_clean(what, &format!("{value:#?}"));
    assert_clean(what, &format!("{value}"));
}

fn assert_clean_debug<T: std::fmt::Debug>(what: &str, value: &T) {
    assert_clean(what, &format!("{value:?}"));
    assert_clean(what, &format!("{value:#?}"));
}

fn request() -> GatewayRequest {
    GatewayRequest::new(
        Money::from_minor_units(2000, Currency::EUR),
        "https://e-commerce.example.com/callback_url",
        "Prodotto",
    )
}

#[test]
fn client_builder_credentials_and_token_never_show_secrets() {
    let builder = Client::builder(credentials().with_token(SecretString::from(TOKEN)));
    assert_clean_debug("builder", &builder);
    let client = builder.build().unwrap();
    assert_clean_debug("client", &client);
    let clone = client.clone();
    assert_clean_debug("clone", &clone);
    assert_clean_debug("client", &client);
    assert_clean_debug("credentials", &credentials());
    let token: Token = serde_json::from_str(&format!(
        r#"{{"token":"{TOKEN}","refresh_token":"{TOKEN}-r"}}"#
    ))
    .unwrap();
    assert_clean_debug("token", &token);
    assert_clean_debug("request", &request());
}

#[tokio::test]
async fn errors_never_show_secrets_even_when_the_provider_echoes_them() {
    let server = MockServer::start_async().await;
    // The token endpoint refuses and echoes the secret in its message.
    let _token = server
        .mock_async(|when, then| {
            when.method("POST").path("/token");
            then.status(401)
                .header("content-type", "application/json")
                .body(format!(r#"{{"msg":"bad client_secret {CLIENT_SECRET}"}}"#));
        })
        .await;
    let client = client_at(&server.base_url());
    let err = client.subscriptions().create(&request()).await.unwrap_err();
    assert!(
        matches!(err.kind(), jatapay::ErrorKind::Unauthorized { .. }),
        "{err:?}"
    );
    assert_clean_debug_display("token refusal", &err);
}

#[tokio::test]
async fn api_errors_echoing_the_token_are_masked() {
    let server = MockServer::start_async().await;
    let echo = format!(r#"{{"msg":"Token {TOKEN} has expired"}}"#);
    let _api = server
        .mock_async(|when, then| {
            when.path_includes("/entity/subscriptions/");
            then.status(401)
                .header("content-type", "application/json")
                .body(echo);
        })
        .await;
    let client = builder_at(
        &server.base_url(),
        Credentials::token(SecretString::from(TOKEN)),
    )
    .build()
    .unwrap();
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new("65b279426d2f219d702a7f69"))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), jatapay::ErrorKind::Unauthorized { message: Some(m), .. } if m.contains("***")),
        "{err:?}"
    );
    assert_clean_debug_display("401 echo", &err);
}

#[tokio::test]
async fn html_and_decode_errors_echoing_secrets_are_masked() {
    // An HTML page that prints the token and secret, then a token answer that is malformed.
    let page = format!("<h1>Bad Gateway</h1><p>token={TOKEN} secret={CLIENT_SECRET}</p>");
    let server = FaultServer::start(vec![Fault::Respond(Reply::html(502, &page))]).await;
    let client = builder_at(
        server.base_url().as_str(),
        credentials().with_token(SecretString::from(TOKEN)),
    )
    .build()
    .unwrap();
    let err = client.subscriptions().create(&request()).await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_clean_debug_display("502 page", &err);

    let bad_token = format!(r#"{{"token":42,"refresh_token":"{TOKEN}"}}"#);
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(200, &bad_token))]).await;
    let client = builder_at(server.base_url().as_str(), credentials())
        .build()
        .unwrap();
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new("65b279426d2f219d702a7f69"))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), jatapay::ErrorKind::Decode { .. }),
        "{err:?}"
    );
    assert_clean_debug_display("token decode", &err);
}

#[tokio::test]
async fn transport_errors_never_show_secrets() {
    let url = FaultServer::refused_url("/").await;
    let client = Client::builder(Credentials::new(
        SecretString::from("jp-client"),
        SecretString::from(CLIENT_SECRET),
    ))
    .auth_base_url(url.as_str())
    .api_base_url(url.as_str())
    .build()
    .unwrap();
    let err = client.subscriptions().create(&request()).await.unwrap_err();
    assert_clean_debug_display("connect", &err);
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        assert_clean("cause", &format!("{cause} {cause:?}"));
        source = cause.source();
    }
}

/// Fails if any 8-byte window of `secret` appears in the error's Display or Debug.
fn assert_no_window_of(secret: &str, what: &str, err: &jatapay::Error) {
    let texts = [format!("{err}"), format!("{err:?}"), format!("{err:#?}")];
    for window in secret.as_bytes().windows(8) {
        let window = std::str::from_utf8(window).unwrap();
        for text in &texts {
            assert!(
                !text.contains(window),
                "{what} leaks `{window}` of a secret: {text}"
            );
        }
    }
}

/// `offset` bytes of text, then `secret`, then more text. Provider texts are cut at 256 bytes
/// (messages) and 512 bytes (body excerpts): offsets 250 and 500 make the secret straddle the
/// cuts.
fn echo_at(offset: usize, secret: &str) -> String {
    format!("{}{secret} was refused", "x".repeat(offset))
}

const OFFSETS: [usize; 2] = [250, 500];

#[tokio::test]
async fn a_token_refusal_echoing_the_client_secret_across_a_cut_leaves_no_part_of_it() {
    for offset in OFFSETS {
        let server = MockServer::start_async().await;
        let message = echo_at(offset, CLIENT_SECRET);
        let _token = server
            .mock_async(|when, then| {
                when.method("POST").path("/token");
                then.status(401)
                    .header("content-type", "application/json")
                    .body(serde_json::json!({ "msg": message }).to_string());
            })
            .await;
        let client = client_at(&server.base_url());
        let err = client
            .subscriptions()
            .get(&SubscriptionId::new("65b279426d2f219d702a7f69"))
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), jatapay::ErrorKind::Unauthorized { .. }),
            "{err:?}"
        );
        assert_no_window_of(CLIENT_SECRET, "token refusal", &err);
    }
}

#[tokio::test]
async fn an_api_message_echoing_the_fetched_token_across_a_cut_leaves_no_part_of_it() {
    for offset in OFFSETS {
        let server = MockServer::start_async().await;
        let fetched = "tok-FETCHED-0123456789abcdef";
        let body = serde_json::json!({ "token": fetched, "refresh_token": "r" }).to_string();
        let _token = server
            .mock_async(|when, then| {
                when.method("POST").path("/token");
                then.status(200)
                    .header("content-type", "application/json")
                    .body(body);
            })
            .await;
        let message = echo_at(offset, fetched);
        let _api = server
            .mock_async(|when, then| {
                when.path_includes("/entity/subscriptions/");
                then.status(400)
                    .header("content-type", "application/json")
                    .body(serde_json::json!({ "msg": message }).to_string());
            })
            .await;
        let client = client_at(&server.base_url());
        let err = client
            .subscriptions()
            .get(&SubscriptionId::new("65b279426d2f219d702a7f69"))
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), jatapay::ErrorKind::Api { .. }),
            "{err:?}"
        );
        assert_no_window_of(fetched, "API message", &err);
    }
}

#[tokio::test]
async fn an_html_page_echoing_the_fetched_token_across_a_cut_leaves_no_part_of_it() {
    for offset in OFFSETS {
        let server = MockServer::start_async().await;
        let fetched = "tok-FETCHED-fedcba9876543210";
        let body = serde_json::json!({ "token": fetched, "refresh_token": "r" }).to_string();
        let _token = server
            .mock_async(|when, then| {
                when.method("POST").path("/token");
                then.status(200)
                    .header("content-type", "application/json")
                    .body(body);
            })
            .await;
        let page = format!("<html><body>{}</body></html>", echo_at(offset, fetched));
        let _api = server
            .mock_async(|when, then| {
                when.path_includes("/entity/subscriptions/");
                then.status(404)
                    .header("content-type", "text/html")
                    .body(page);
            })
            .await;
        let client = client_at(&server.base_url());
        let err = client
            .subscriptions()
            .get(&SubscriptionId::new("65b279426d2f219d702a7f69"))
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), jatapay::ErrorKind::Http { .. }),
            "{err:?}"
        );
        assert_no_window_of(fetched, "HTML excerpt", &err);
    }
}

#[tokio::test]
async fn a_proxy_page_reflecting_the_basic_pair_on_an_api_call_is_masked() {
    let pair = common::BASIC.trim_start_matches("Basic ");
    let page = format!(
        "<html><h1>502 Bad Gateway</h1><pre>upstream refused; Authorization: Basic {pair}</pre></html>"
    );
    let server = MockServer::start_async().await;
    let _token = server
        .mock_async(|when, then| {
            when.method("POST").path("/token");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"token":"tok-1","refresh_token":"r"}"#);
        })
        .await;
    let _api = server
        .mock_async(|when, then| {
            when.path_includes("/entity/subscriptions/");
            then.status(502)
                .header("content-type", "text/html")
                .body(page);
        })
        .await;
    let err = client_at(&server.base_url())
        .subscriptions()
        .get(&SubscriptionId::new("65b279426d2f219d702a7f69"))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), jatapay::ErrorKind::Http { .. }),
        "{err:?}"
    );
    assert_no_window_of(pair, "proxy page", &err);
}

#[tokio::test]
async fn a_refresh_refused_with_an_echo_of_the_token_being_replaced_masks_it() {
    // The token endpoint issues T1; the API refuses it (401); the refresh exchange is refused
    // with a body that quotes T1. T1 is no longer the token in use, but it is still a secret.
    let replaced = "tok-REPLACED-0123456789abcdef";
    let issued = serde_json::json!({ "token": replaced, "refresh_token": "r" }).to_string();
    let echo = serde_json::json!({ "msg": format!("token {replaced} revoked") }).to_string();
    let server = FaultServer::start(vec![
        Fault::Respond(Reply::json(200, &issued)),
        Fault::Respond(Reply::json(401, r#"{"msg":"Token has expired"}"#)),
        Fault::Respond(Reply::json(401, &echo)),
    ])
    .await;
    let base = server.url("/").as_str().trim_end_matches('/').to_owned();
    let client = client_at(&base);
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new("65b279426d2f219d702a7f69"))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), jatapay::ErrorKind::Unauthorized { .. }),
        "{err:?}"
    );
    assert_eq!(
        server.attempts(),
        3,
        "exchange, refused call, refused refresh"
    );
    assert_no_window_of(replaced, "refresh refusal", &err);
}
