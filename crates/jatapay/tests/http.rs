//! Every operation against httpmock: exact method, path, headers and body; every documented
//! (and inferred) answer → the right typed value or typed error.

#[macro_use]
mod common;

use common::{BASIC, builder_at, client_at, credentials};
use httpmock::{Mock, MockServer};
use jatapay::{
    Client, Credentials, Currency, ErrorKind, GatewayRequest, Money, PaymentId, PaymentOutcome,
    SecretString, StatusCode, SubscriptionId, SubscriptionStatus,
};
use serde_json::json;

const SUB_ID: &str = "65b279426d2f219d702a7f69";

fn request() -> GatewayRequest {
    GatewayRequest::new(
        Money::parse("20.00", Currency::EUR).unwrap(),
        "https://e-commerce.example.com/callback_url",
        "Abbonamento di esempio",
    )
    .note("Dilazione per motivo esempio")
}

/// `POST /token` with the exact Basic header and body, answering `token`.
async fn token_mock<'a>(server: &'a MockServer, token: &str) -> Mock<'a> {
    let body = json!({ "token": token, "refresh_token": format!("refresh-{token}") }).to_string();
    server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/token")
                .header("authorization", BASIC)
                .header("content-type", "application/json")
                .json_body(json!({ "grant_type": "client_credentials" }));
            then.status(200)
                .header("content-type", "application/json")
                .body(body);
        })
        .await
}

async fn get_mock<'a>(
    server: &'a MockServer,
    token: &str,
    status: u16,
    content_type: &str,
    body: &str,
) -> Mock<'a> {
    let bearer = format!("Bearer {token}");
    let body = body.to_owned();
    let content_type = content_type.to_owned();
    server
        .mock_async(|when, then| {
            when.method("GET")
                .path(format!("/entity/subscriptions/{SUB_ID}"))
                .header("authorization", bearer)
                .header("accept", "application/json");
            then.status(status)
                .header("content-type", content_type)
                .body(body);
        })
        .await
}

fn json_401(msg: &str) -> String {
    json!({ "msg": msg }).to_string()
}

// ---------------------------------------------------------------- operations

#[tokio::test]
async fn create_subscription_fetches_a_token_then_posts_the_exact_body() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server, "tok-1").await;
    let create = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/scrivi_abbonamento")
                .header("authorization", "Bearer tok-1")
                .header("content-type", "application/json")
                .json_body(fixture_json!("subscriptions.create.request.json"));
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture!("subscriptions.create.response.json"));
        })
        .await;
    let client = client_at(&server.base_url());
    let created = client.subscriptions().create(&request()).await.unwrap();
    assert_eq!(created.id, SubscriptionId::new("65b278baa103dca4496d968e"));
    assert_eq!(
        client.gateway_url(&created.id).unwrap().as_str(),
        format!("{}/gateway/65b278baa103dca4496d968e", server.base_url())
    );
    token.assert_async().await;
    create.assert_async().await;
}

#[tokio::test]
async fn create_subscription_omits_an_absent_note() {
    let server = MockServer::start_async().await;
    let _token = token_mock(&server, "tok-1").await;
    let create = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/scrivi_abbonamento")
                .json_body(json!({
                    "importo": 990,
                    "callback_url": "http://127.0.0.1:9/return",
                    "descrizione_prodotto": "Pro",
                    "cliente": "open"
                }));
            then.status(201)
                .header("content-type", "application/json")
                .body(r#"{"id_abbonamento":"65b278baa103dca4496d968e"}"#);
        })
        .await;
    let client = client_at(&server.base_url());
    let request = GatewayRequest::new(
        Money::from_minor_units(990, Currency::EUR),
        "http://127.0.0.1:9/return",
        "Pro",
    );
    client.subscriptions().create(&request).await.unwrap();
    create.assert_async().await;
}

#[tokio::test]
async fn get_subscription_decodes_the_documented_answer() {
    let server = MockServer::start_async().await;
    let _token = token_mock(&server, "tok-1").await;
    let get = get_mock(
        &server,
        "tok-1",
        200,
        "application/json",
        &fixture!("subscriptions.get.response.json"),
    )
    .await;
    let client = client_at(&server.base_url());
    let subscription = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB_ID))
        .await
        .unwrap();
    assert_eq!(subscription.id.as_str(), SUB_ID);
    assert_eq!(
        subscription.amount,
        Money::from_minor_units(2000, Currency::EUR)
    );
    assert_eq!(subscription.status, SubscriptionStatus::Iniziata);
    assert_eq!(subscription.outcome(), PaymentOutcome::Pending);
    get.assert_async().await;
}

#[tokio::test]
async fn create_payment_posts_the_same_body_and_reads_the_id_tolerantly() {
    for (answer, expected) in [
        (
            r#"{"id_pagamento":"65b278baa103dca4496d9601"}"#,
            "65b278baa103dca4496d9601",
        ),
        (
            r#"{"id_abbonamento":"65b278baa103dca4496d9602"}"#,
            "65b278baa103dca4496d9602",
        ),
        (
            r#"{"_id":"65b278baa103dca4496d9603","stato":"iniziata"}"#,
            "65b278baa103dca4496d9603",
        ),
        (
            r#"{"id":"65b278baa103dca4496d9604"}"#,
            "65b278baa103dca4496d9604",
        ),
    ] {
        let server = MockServer::start_async().await;
        let _token = token_mock(&server, "tok-1").await;
        let pay = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path("/scrivi_pagamento")
                    .header("authorization", "Bearer tok-1")
                    .header("content-type", "application/json")
                    .json_body(fixture_json!("subscriptions.create.request.json"));
                then.status(200)
                    .header("content-type", "application/json")
                    .body(answer);
            })
            .await;
        let client = client_at(&server.base_url());
        let payment = client.payments().create(&request()).await.unwrap();
        assert_eq!(payment.id, PaymentId::new(expected));
        assert_eq!(
            client.gateway_url(&payment.id).unwrap().as_str(),
            format!("{}/gateway/{expected}", server.base_url())
        );
        pay.assert_async().await;
    }
}

#[tokio::test]
async fn create_payment_without_any_id_key_is_a_decode_error_flagged_outcome_unknown() {
    let server = MockServer::start_async().await;
    let _token = token_mock(&server, "tok-1").await;
    let pay = server
        .mock_async(|when, then| {
            when.method("POST").path("/scrivi_pagamento");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"ok":true}"#);
        })
        .await;
    let client = client_at(&server.base_url());
    let err = client.payments().create(&request()).await.unwrap_err();
    // The payment may exist (JataPay answered 200) but its id is unreadable: the write's outcome
    // is unknown, and the cause is the decode error naming the keys tried.
    match err.kind() {
        ErrorKind::OutcomeUnknown {
            operation, source, ..
        } => {
            assert_eq!(*operation, "jatapay.payments.create");
            match source.as_ref() {
                ErrorKind::Decode { message, .. } => {
                    assert!(message.contains("id_pagamento"), "{message}");
                }
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
    pay.assert_calls_async(1).await;
}

#[tokio::test]
async fn gateway_url_uses_the_default_host_and_refuses_path_changing_ids() {
    let client = Client::builder(Credentials::token(SecretString::from("t0ken")))
        .build()
        .unwrap();
    let url = client
        .gateway_url(&SubscriptionId::new("65b278baa103dca4496d968e"))
        .unwrap();
    assert_eq!(
        url.as_str(),
        "https://dashboard.jatapay.com/gateway/65b278baa103dca4496d968e"
    );
    for bad in ["", ".", "..", "%2e%2e", "a/b", "a/../b?x"] {
        let err = client.gateway_url(&SubscriptionId::new(bad)).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::InvalidRequest { field, .. } if field == "id"),
            "{bad:?}: {err:?}"
        );
        let err = client.gateway_url(&PaymentId::new(bad)).unwrap_err();
        assert_eq!(err.invalid_field(), Some("id"), "{bad:?}");
    }
}

// ---------------------------------------------------------------- token cache

#[tokio::test]
async fn token_is_fetched_once_and_cached_across_calls() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server, "tok-1").await;
    let get = get_mock(
        &server,
        "tok-1",
        200,
        "application/json",
        &fixture!("subscriptions.get.response.json"),
    )
    .await;
    let client = client_at(&server.base_url());
    for _ in 0..2 {
        client
            .subscriptions()
            .get(&SubscriptionId::new(SUB_ID))
            .await
            .unwrap();
    }
    token.assert_calls_async(1).await;
    get.assert_calls_async(2).await;
}

#[tokio::test]
async fn token_is_shared_by_clones() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server, "tok-1").await;
    let get = get_mock(
        &server,
        "tok-1",
        200,
        "application/json",
        &fixture!("subscriptions.get.response.json"),
    )
    .await;
    let client = client_at(&server.base_url());
    let clone = client.clone();
    client
        .subscriptions()
        .get(&SubscriptionId::new(SUB_ID))
        .await
        .unwrap();
    clone
        .subscriptions()
        .get(&SubscriptionId::new(SUB_ID))
        .await
        .unwrap();
    token.assert_calls_async(1).await;
    get.assert_calls_async(2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_first_calls_fetch_one_token() {
    let server = MockServer::start_async().await;
    let body = json!({ "token": "tok-1", "refresh_token": "r" }).to_string();
    let token = server
        .mock_async(|when, then| {
            when.method("POST").path("/token");
            then.status(200)
                .header("content-type", "application/json")
                .delay(std::time::Duration::from_millis(150))
                .body(body);
        })
        .await;
    let get = get_mock(
        &server,
        "tok-1",
        200,
        "application/json",
        &fixture!("subscriptions.get.response.json"),
    )
    .await;
    let client = client_at(&server.base_url());
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .subscriptions()
                    .get(&SubscriptionId::new(SUB_ID))
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    token.assert_calls_async(1).await;
    get.assert_calls_async(8).await;
}

#[tokio::test]
async fn a_supplied_token_skips_the_exchange() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server, "never").await;
    let get = get_mock(
        &server,
        "user-token",
        200,
        "application/json",
        &fixture!("subscriptions.get.response.json"),
    )
    .await;
    let client = builder_at(
        &server.base_url(),
        Credentials::token(SecretString::from("user-token")),
    )
    .build()
    .unwrap();
    client
        .subscriptions()
        .get(&SubscriptionId::new(SUB_ID))
        .await
        .unwrap();
    token.assert_calls_async(0).await;
    get.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_refused_supplied_token_without_credentials_is_unauthorized() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server, "never").await;
    let get = get_mock(
        &server,
        "user-token",
        401,
        "application/json",
        &json_401("Token has expired"),
    )
    .await;
    let client = builder_at(
        &server.base_url(),
        Credentials::token(SecretString::from("user-token")),
    )
    .build()
    .unwrap();
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB_ID))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Unauthorized { status, message: Some(m), .. } if *status == StatusCode::UNAUTHORIZED && m == "Token has expired"),
        "{err:?}"
    );
    token.assert_calls_async(0).await;
    get.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_refused_supplied_token_is_replaced_through_the_credentials() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server, "fresh").await;
    let stale = get_mock(
        &server,
        "user-token",
        401,
        "application/json",
        &json_401("Token has expired"),
    )
    .await;
    let fresh = get_mock(
        &server,
        "fresh",
        200,
        "application/json",
        &fixture!("subscriptions.get.response.json"),
    )
    .await;
    let client = builder_at(
        &server.base_url(),
        credentials().with_token(SecretString::from("user-token")),
    )
    .build()
    .unwrap();
    client
        .subscriptions()
        .get(&SubscriptionId::new(SUB_ID))
        .await
        .unwrap();
    token.assert_calls_async(1).await;
    stale.assert_calls_async(1).await;
    fresh.assert_calls_async(1).await;
}

/// Token expiry: the API refuses the cached token once; the client fetches a new one and
/// repeats the request once.
#[tokio::test]
async fn an_expired_token_is_replaced_once_and_the_request_repeated_once() {
    let server = MockServer::start_async().await;
    let first_token = token_mock(&server, "tok-1").await;
    first_token.up_to_n_times_async(1).await;
    let second_token = token_mock(&server, "tok-2").await;
    let expired = get_mock(
        &server,
        "tok-1",
        401,
        "application/json",
        &json_401("Token has expired"),
    )
    .await;
    let ok = get_mock(
        &server,
        "tok-2",
        200,
        "application/json",
        &fixture!("subscriptions.get.response.json"),
    )
    .await;
    let client = client_at(&server.base_url());
    let subscription = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB_ID))
        .await
        .unwrap();
    assert_eq!(subscription.id.as_str(), SUB_ID);
    first_token.assert_calls_async(1).await;
    second_token.assert_calls_async(1).await;
    expired.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
    // The new token is cached for the next call.
    client
        .subscriptions()
        .get(&SubscriptionId::new(SUB_ID))
        .await
        .unwrap();
    second_token.assert_calls_async(1).await;
    ok.assert_calls_async(2).await;
}

/// A 401 means nothing was done, so even a write is repeated once after re-authenticating.
#[tokio::test]
async fn a_write_refused_with_401_is_repeated_once_with_the_new_token() {
    let server = MockServer::start_async().await;
    let first_token = token_mock(&server, "tok-1").await;
    first_token.up_to_n_times_async(1).await;
    let _second_token = token_mock(&server, "tok-2").await;
    let refused = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/scrivi_abbonamento")
                .header("authorization", "Bearer tok-1");
            then.status(401)
                .header("content-type", "application/json")
                .body(json_401("Token has expired"));
        })
        .await;
    let accepted = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/scrivi_abbonamento")
                .header("authorization", "Bearer tok-2")
                .json_body(fixture_json!("subscriptions.create.request.json"));
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture!("subscriptions.create.response.json"));
        })
        .await;
    let client = client_at(&server.base_url());
    client.subscriptions().create(&request()).await.unwrap();
    refused.assert_calls_async(1).await;
    accepted.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_second_401_is_unauthorized_without_a_loop() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server, "tok-1").await;
    let api = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(format!("/entity/subscriptions/{SUB_ID}"));
            then.status(401)
                .header("content-type", "application/json")
                .body(json_401("Signature verification failed"));
        })
        .await;
    let client = client_at(&server.base_url());
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB_ID))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Unauthorized { message: Some(m), .. } if m == "Signature verification failed"),
        "{err:?}"
    );
    token.assert_calls_async(2).await;
    api.assert_calls_async(2).await;
}

#[tokio::test]
async fn refused_credentials_at_the_token_endpoint_are_unauthorized_and_nothing_else_is_sent() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method("POST").path("/token");
            then.status(401)
                .header("content-type", "application/json")
                .body(json_401("Bad username or password"));
        })
        .await;
    let api = server
        .mock_async(|when, then| {
            when.path("/scrivi_abbonamento");
            then.status(200);
        })
        .await;
    let client = client_at(&server.base_url());
    let err = client.subscriptions().create(&request()).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Unauthorized { message: Some(m), .. } if m == "Bad username or password"),
        "{err:?}"
    );
    token.assert_calls_async(1).await;
    api.assert_calls_async(0).await;
}

#[tokio::test]
async fn authenticate_replaces_the_cached_token() {
    let server = MockServer::start_async().await;
    let first = token_mock(&server, "tok-1").await;
    first.up_to_n_times_async(1).await;
    let second = token_mock(&server, "tok-2").await;
    let get = get_mock(
        &server,
        "tok-2",
        200,
        "application/json",
        &fixture!("subscriptions.get.response.json"),
    )
    .await;
    let client = client_at(&server.base_url());
    client.authenticate().await.unwrap();
    client.authenticate().await.unwrap();
    client
        .subscriptions()
        .get(&SubscriptionId::new(SUB_ID))
        .await
        .unwrap();
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
    get.assert_calls_async(1).await;
    let token_only = Client::builder(Credentials::token(SecretString::from("t0ken")))
        .build()
        .unwrap();
    assert_eq!(
        token_only.authenticate().await.unwrap_err().invalid_field(),
        Some("credentials")
    );
}

// ---------------------------------------------------------------- error shapes

#[tokio::test]
async fn a_422_msg_is_unauthorized_and_not_retried() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server, "tok-1").await;
    let get = get_mock(
        &server,
        "tok-1",
        422,
        "application/json",
        &json_401("Not enough segments"),
    )
    .await;
    let client = client_at(&server.base_url());
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB_ID))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Unauthorized { status, message: Some(m), .. } if *status == StatusCode::UNPROCESSABLE_ENTITY && m == "Not enough segments"),
        "{err:?}"
    );
    token.assert_calls_async(1).await;
    get.assert_calls_async(1).await;
}

#[tokio::test]
async fn an_html_404_is_an_http_error_with_an_excerpt() {
    let server = MockServer::start_async().await;
    let _token = token_mock(&server, "tok-1").await;
    let page = "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.</p>\n";
    let get = get_mock(&server, "tok-1", 404, "text/html; charset=utf-8", page).await;
    let client = client_at(&server.base_url());
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB_ID))
        .await
        .unwrap_err();
    match err.kind() {
        ErrorKind::Http {
            status,
            content_type,
            excerpt,
            ..
        } => {
            assert_eq!(*status, StatusCode::NOT_FOUND);
            assert_eq!(content_type.as_deref(), Some("text/html; charset=utf-8"));
            assert!(
                excerpt.contains("Not Found") && excerpt.len() <= 512,
                "{excerpt}"
            );
        }
        other => panic!("{other:?}"),
    }
    get.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_json_404_with_msg_is_not_found() {
    let server = MockServer::start_async().await;
    let _token = token_mock(&server, "tok-1").await;
    let _get = get_mock(
        &server,
        "tok-1",
        404,
        "application/json",
        &json!({"msg": "Abbonamento non trovato"}).to_string(),
    )
    .await;
    let client = client_at(&server.base_url());
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB_ID))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::NotFound { message: Some(m), .. } if m == "Abbonamento non trovato"),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_html_405_on_a_write_is_an_http_error_not_an_unknown_outcome() {
    let server = MockServer::start_async().await;
    let _token = token_mock(&server, "tok-1").await;
    let create = server
        .mock_async(|when, then| {
            when.method("POST").path("/scrivi_abbonamento");
            then.status(405)
                .header("content-type", "text/html; charset=utf-8")
                .body("<!doctype html>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n");
        })
        .await;
    let client = client_at(&server.base_url());
    let err = client.subscriptions().create(&request()).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Http { status, excerpt, .. } if *status == StatusCode::METHOD_NOT_ALLOWED && excerpt.contains("Method Not Allowed")),
        "{err:?}"
    );
    create.assert_calls_async(1).await;
}

#[tokio::test]
async fn an_html_500_on_a_read_is_retried_then_an_http_error() {
    let server = MockServer::start_async().await;
    let _token = token_mock(&server, "tok-1").await;
    let page = "<!doctype html>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n";
    let get = get_mock(&server, "tok-1", 500, "text/html; charset=utf-8", page).await;
    let client = client_at(&server.base_url());
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB_ID))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Http { status, excerpt, .. } if *status == StatusCode::INTERNAL_SERVER_ERROR && excerpt.contains("Internal Server Error")),
        "{err:?}"
    );
    get.assert_calls_async(3).await;
}

#[tokio::test]
async fn an_html_500_on_a_write_is_an_unknown_outcome_sent_once() {
    let server = MockServer::start_async().await;
    let _token = token_mock(&server, "tok-1").await;
    let create = server
        .mock_async(|when, then| {
            when.method("POST").path("/scrivi_abbonamento");
            then.status(500)
                .header("content-type", "text/html")
                .body("<h1>Internal Server Error</h1>");
        })
        .await;
    let client = client_at(&server.base_url());
    let err = client.subscriptions().create(&request()).await.unwrap_err();
    match err.kind() {
        ErrorKind::OutcomeUnknown {
            operation, source, ..
        } => {
            assert_eq!(*operation, "jatapay.subscriptions.create");
            assert!(
                matches!(source.as_ref(), ErrorKind::Http { status, .. } if *status == StatusCode::INTERNAL_SERVER_ERROR)
            );
        }
        other => panic!("{other:?}"),
    }
    create.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_json_error_with_msg_on_another_status_is_an_api_error() {
    let server = MockServer::start_async().await;
    let _token = token_mock(&server, "tok-1").await;
    let _create = server
        .mock_async(|when, then| {
            when.method("POST").path("/scrivi_abbonamento");
            then.status(400)
                .header("content-type", "application/json")
                .body(r#"{"msg":"importo non valido"}"#);
        })
        .await;
    let client = client_at(&server.base_url());
    let err = client.subscriptions().create(&request()).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Api { status, message: Some(m), .. } if *status == StatusCode::BAD_REQUEST && m == "importo non valido"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_json_array_error_is_not_read_as_jatapays_message() {
    // A derived reader takes `["importo non valido", "campo importo"]` positionally as `msg`
    // and `message`: a gateway's JSON array would then pass for JataPay's own refusal.
    let server = MockServer::start_async().await;
    let _token = token_mock(&server, "tok-1").await;
    let _create = server
        .mock_async(|when, then| {
            when.method("POST").path("/scrivi_abbonamento");
            then.status(400)
                .header("content-type", "application/json")
                .body(r#"["importo non valido", "campo importo"]"#);
        })
        .await;
    let client = client_at(&server.base_url());
    let err = client.subscriptions().create(&request()).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Http { status, .. } if *status == StatusCode::BAD_REQUEST),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_single_quoted_doc_verbatim_answer_is_a_typed_decode_error_not_a_panic() {
    let server = MockServer::start_async().await;
    let _token = token_mock(&server, "tok-1").await;
    let _get = get_mock(
        &server,
        "tok-1",
        200,
        "application/json",
        "{\n'id_abbonamento': '65b278baa103dca4496d968e'\n}",
    )
    .await;
    let client = client_at(&server.base_url());
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new(SUB_ID))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Decode { status, .. } if *status == StatusCode::OK),
        "{err:?}"
    );
}

/// Many calls refused with the same expired token replace it once, not once each.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_401s_replace_the_token_once() {
    let server = MockServer::start_async().await;
    let first_token = token_mock(&server, "tok-1").await;
    first_token.up_to_n_times_async(1).await;
    let second_token = token_mock(&server, "tok-2").await;
    let expired = get_mock(
        &server,
        "tok-1",
        401,
        "application/json",
        &json_401("Token has expired"),
    )
    .await;
    let ok = get_mock(
        &server,
        "tok-2",
        200,
        "application/json",
        &fixture!("subscriptions.get.response.json"),
    )
    .await;
    let client = client_at(&server.base_url());
    client.authenticate().await.unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .subscriptions()
                    .get(&SubscriptionId::new(SUB_ID))
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    first_token.assert_calls_async(1).await;
    second_token.assert_calls_async(1).await;
    let refused = expired.calls_async().await;
    assert!((1..=8).contains(&refused), "{refused}");
    ok.assert_calls_async(8).await;
}

#[test]
fn the_client_is_clone_send_sync_and_its_futures_are_send() {
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    fn assert_send<T: Send>(_: &T) {}
    assert_traits::<Client>();
    let client = Client::builder(Credentials::token(SecretString::from("t0ken")))
        .build()
        .unwrap();
    let request = request();
    let id = SubscriptionId::new(SUB_ID);
    assert_send(&client.subscriptions().create(&request));
    assert_send(&client.subscriptions().get(&id));
    assert_send(&client.payments().create(&request));
    assert_send(&client.authenticate());
}
