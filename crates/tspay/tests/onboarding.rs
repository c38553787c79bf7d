//! Onboarding and webhook registration against httpmock: the API-key request with the
//! AppSecret, the key check, and the webhook registration whose secret goes straight into the
//! verifier — exact method, path, headers and body; every answer typed; secrets never in an
//! error or a `Debug`.

use std::time::Duration;

use httpmock::MockServer;
use tspay::{
    ApiKeyState, AppSecret, AuthType, Client, Credentials, ErrorKind, HttpConfig, KeyStatus,
    Onboarding, RetryPolicy, StatusCode, WebhookRegistration,
};

const APP_SECRET: &str = "as_canary_6f1e2d3c4b5a";
const API_KEY: &str = "test-api-key-123";

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/tspay/",
            $name
        ))
    };
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

/// Generous attempt timeout (every test expects an answer), short backoff.
fn fast() -> HttpConfig {
    HttpConfig::default()
        .attempt_timeout(Duration::from_secs(10))
        .retry(
            RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
}

fn onboarding(server: &MockServer) -> Onboarding {
    Onboarding::builder(AppSecret::new(APP_SECRET))
        .base_url(server.base_url())
        .http_config(fast())
        .build()
        .unwrap()
}

fn client(server: &MockServer, key: &str) -> Client {
    Client::builder(Credentials::new(key))
        .base_url(server.base_url())
        .http_config(fast())
        .build()
        .unwrap()
}

fn assert_no_secret(text: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!text.contains(s), "leaks {s}: {text}");
    }
}

#[tokio::test]
async fn an_api_key_is_requested_with_the_app_secret_and_typed() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/auth/api-key")
                .header("authorization", format!("Bearer {APP_SECRET}"))
                .header("content-type", "application/json")
                .json_body(json(fixture!("api-key.request.json")));
            then.status(201)
                .header("content-type", "application/json")
                .body(fixture!("api-key.response.json"));
        })
        .await;
    let issued = onboarding(&server).request_api_key().await.unwrap();
    mock.assert_async().await;
    use tspay::ExposeSecret as _;
    assert_eq!(
        issued.api_key.expose_secret(),
        "tsk_test_5b1f0c9e2d8a4f7b9c3e6a1d0f2b8c4e"
    );
    assert_eq!(
        issued.auth_key.as_ref().unwrap().expose_secret(),
        "ak_7d3e9f1a2b4c6d8e"
    );
    assert_eq!(issued.state, Some(ApiKeyState::Init));
    assert_eq!(
        issued.login_url.as_str(),
        "https://app-staging.example.com/auth/login/3f6c1b2a-8d4e-4a7f-9b0c-5e2d1f7a6c43"
    );
    let shown = format!("{issued:?}");
    assert_no_secret(&shown, &["tsk_test_5b1f", "ak_7d3e9f1a2b4c6d8e"]);
    insta::assert_snapshot!("api-key.response", shown);
    // The key goes straight into the client's credentials.
    let client = Client::builder(Credentials::new(issued.api_key))
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("tsk_test"));
}

#[tokio::test]
async fn a_wrong_app_secret_is_unauthorized_and_never_quoted() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST").path("/auth/api-key");
            then.status(401)
                .header("content-type", "application/json")
                .body(format!(
                    r#"{{"statusCode":401,"message":"Unknown app secret {APP_SECRET}"}}"#
                ));
        })
        .await;
    let err = onboarding(&server).request_api_key().await.unwrap_err();
    assert_eq!(err.operation(), "api_keys.create");
    assert!(
        matches!(err.kind(), ErrorKind::Unauthorized { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("TS Pay api_keys.create: unauthorized"),
        "{err}"
    );
    assert_no_secret(&format!("{err} {err:?}"), &[APP_SECRET]);
    let err = Onboarding::builder(AppSecret::new(format!("{APP_SECRET} ")))
        .build()
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some("app_secret"));
    assert_no_secret(&format!("{err} {err:?}"), &[APP_SECRET]);
}

#[tokio::test]
async fn the_key_request_is_a_write_never_repeated_after_a_5xx() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST").path("/auth/api-key");
            then.status(502)
                .header("content-type", "text/html")
                .body("<h1>Bad Gateway</h1>");
        })
        .await;
    let err = onboarding(&server).request_api_key().await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(
        mock.calls_async().await,
        1,
        "a key may have been issued: not repeated"
    );
}

#[tokio::test]
async fn a_half_readable_answer_never_leaks_the_issued_key() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST").path("/auth/api-key");
            then.status(201)
                .header("content-type", "application/json")
                .body(r#"{"apiKey":"tsk_leaky_0123456789","authKey":"ak_leaky_42","loginUrl":12}"#);
        })
        .await;
    let err = onboarding(&server).request_api_key().await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Decode { path, .. } if path == "loginUrl")
            || err.is_outcome_unknown(),
        "{err:?}"
    );
    let mut shown = format!("{err} {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        shown.push_str(&cause.to_string());
        source = cause.source();
    }
    assert_no_secret(&shown, &["tsk_leaky_0123456789", "ak_leaky_42"]);
}

#[tokio::test]
async fn a_key_check_reads_valid_not_activated_and_refused() {
    let server = MockServer::start_async().await;
    let valid = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/auth/")
                .header("authorization", format!("Bearer {API_KEY}"));
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture!("auth.response.json"));
        })
        .await;
    let status = client(&server, API_KEY).check_key().await.unwrap();
    valid.assert_async().await;
    let KeyStatus::Valid(info) = &status else {
        panic!("{status:?}")
    };
    assert_eq!(info.auth_type, Some(AuthType::ApiKey));
    assert_eq!(info.app_ref.as_deref(), Some("EDD-MOCK"));
    assert_eq!(
        info.merchant_ref.as_ref().map(|m| m.as_str()),
        Some("MOCKMERCHANT")
    );
    assert!(status.is_valid());
    insta::assert_debug_snapshot!("auth.response", status);

    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/auth/")
                .header("authorization", "Bearer init-key");
            then.status(401)
                .header("content-type", "application/json")
                .body(fixture!("auth.response.401-not-active.json"));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/auth/")
                .header("authorization", "Bearer wrong-key");
            then.status(401)
                .header("content-type", "application/json")
                .body(fixture!("error.response.401.json"));
        })
        .await;
    let status = client(&server, "init-key").check_key().await.unwrap();
    assert_eq!(
        status,
        KeyStatus::NotActivated {
            message: Some("API key not active".into())
        }
    );
    let status = client(&server, "wrong-key").check_key().await.unwrap();
    assert_eq!(
        status,
        KeyStatus::Refused {
            status: StatusCode::UNAUTHORIZED,
            message: Some("Unauthorized".into())
        }
    );

    // A state of `init` in a 200 answer also reads as not activated.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/auth/");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"x-auth-type":"API_KEY","state":"init"}"#);
        })
        .await;
    assert_eq!(
        client(&server, API_KEY).check_key().await.unwrap(),
        KeyStatus::NotActivated { message: None }
    );
}

#[tokio::test]
async fn other_key_check_failures_are_errors_of_auth_check() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/auth/");
            then.status(404)
                .header("content-type", "application/json")
                .body(fixture!("error.response.404.json"));
        })
        .await;
    let err = client(&server, API_KEY).check_key().await.unwrap_err();
    assert_eq!(err.operation(), "auth.check");
    assert!(matches!(err.kind(), ErrorKind::NotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn a_webhook_is_registered_and_its_secret_verifies_notifications() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/notification/webhook")
                .header("authorization", format!("Bearer {API_KEY}"))
                .header("content-type", "application/json")
                .json_body(json(fixture!("webhook-registration.request.json")));
            then.status(201)
                .header("content-type", "application/json")
                .body(fixture!("webhook-registration.response.json"));
        })
        .await;
    let registration = WebhookRegistration::new("https://shop.example.com/tspay/notify")
        .build()
        .unwrap();
    assert_eq!(
        serde_json::to_value(&registration).unwrap(),
        json(fixture!("webhook-registration.request.json"))
    );
    let registered = client(&server, API_KEY)
        .webhooks()
        .register(&registration)
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(registered.id.as_deref(), Some("wh_3c2b1a09f8e7d6c5"));
    let shown = format!("{registered:?}");
    assert_no_secret(&shown, &["whsec_9f8e7d6c5b4a"]);
    insta::assert_snapshot!("webhook-registration.response", shown);

    // The answer's secret plugs straight into the verifier.
    let verifier = tspay::WebhookVerifier::new(registered.secret).unwrap();
    let body = fixture!("webhook.request.charge-active.json").as_bytes();
    let (headers, body) =
        tspay::test_util::sign_notification("whsec_9f8e7d6c5b4a39281706f5e4d3c2b1a0", body);
    assert!(verifier.verify(&headers, &body).is_ok());
    let (forged, body) = tspay::test_util::sign_notification("whsec_other", &body);
    assert!(verifier.verify(&forged, &body).is_err());
}

#[tokio::test]
async fn a_secret_only_answer_is_enough() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST").path("/notification/webhook");
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture!("webhook-registration.response.secret-only.json"));
        })
        .await;
    let registered = client(&server, API_KEY)
        .webhooks()
        .register(
            &WebhookRegistration::new("https://shop.example.com/n").event("tspay_charge.active"),
        )
        .await
        .unwrap();
    assert!(registered.id.is_none() && registered.endpoint.is_none());
    assert!(tspay::WebhookVerifier::new(registered.secret).is_ok());
}

#[tokio::test]
async fn bad_registrations_are_refused_before_sending_and_a_5xx_is_not_repeated() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(500)
                .header("content-type", "application/json")
                .body(r#"{"statusCode":500,"message":"Internal server error"}"#);
        })
        .await;
    let c = client(&server, API_KEY);
    for (endpoint, event, field) in [
        ("http://shop.example.com/n", "tspay_charge.*", "endpoint"),
        ("/relative", "tspay_charge.*", "endpoint"),
        ("https://shop.example.com/a b", "tspay_charge.*", "endpoint"),
        ("https://shop.example.com/n", "", "event"),
        ("https://shop.example.com/n", "tspay\r\ncharge", "event"),
    ] {
        let err = c
            .webhooks()
            .register(&WebhookRegistration::new(endpoint).event(event))
            .await
            .unwrap_err();
        assert_eq!(
            err.invalid_field(),
            Some(field),
            "{endpoint} {event:?}: {err}"
        );
        assert_eq!(err.operation(), "webhooks.register");
    }
    assert_eq!(mock.calls_async().await, 0, "nothing sent");
    let err = c
        .webhooks()
        .register(&WebhookRegistration::new("https://shop.example.com/n"))
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(err.tspay_messages(), ["Internal server error"]);
    assert_eq!(
        mock.calls_async().await,
        1,
        "a registration is not repeated"
    );
}
