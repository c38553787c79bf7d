//! The pieces of the common SDK shape every provider crate builds on: per-call options on a
//! handle of the same client, the last response's record, the application's own reqwest
//! settings under the pipeline's guarantees, errors that name the host and root cause, and the
//! axum extractor for verified notifications.

use std::time::Duration;

use payments_common::http::{
    HttpClient, HttpConfig, Request, RequestOptions, Response, RetryPolicy,
};
use payments_common::testing::{Fault, FaultServer, Reply};
use payments_common::{Error, StatusCode};

fn client() -> HttpClient {
    HttpClient::new(
        "test",
        "payments-common-tests/0",
        HttpConfig::default()
            .attempt_timeout(Duration::from_secs(20))
            .deadline(Duration::from_secs(30))
            .retry(
                RetryPolicy::default()
                    .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
            ),
    )
    .unwrap()
}

fn ok_json(r: Response) -> Result<serde_json::Value, Error> {
    match r.status().as_u16() {
        200 | 201 => r.json(),
        _ => Err(r.error()),
    }
}

#[tokio::test]
async fn options_add_headers_and_replace_the_idempotency_key() {
    let server = FaultServer::start(vec![Fault::Respond(
        Reply::json(201, r#"{"ok":true}"#).header("x-request-id", "req-77"),
    )])
    .await;
    let http = client();
    let handle = http.with_options(
        RequestOptions::new()
            .header("X-Correlation-Id", "order-42")
            .idempotency_key("caller-key-1"),
    );
    let request = Request::post("test.charge", server.url("/charges"))
        .idempotency_key("requestid", "generated-key")
        .unwrap()
        .json(&serde_json::json!({"amount": 100}))
        .unwrap();
    handle.execute(request, ok_json).await.unwrap();
    let seen = &server.requests()[0];
    assert_eq!(seen.header("x-correlation-id"), Some("order-42"));
    assert_eq!(seen.header("requestid"), Some("caller-key-1"));
    let meta = handle.last_response().expect("recorded");
    assert_eq!(meta.status(), StatusCode::CREATED);
    assert_eq!(meta.request_id(), Some("req-77"));
    assert_eq!(meta.attempts(), 1);
    // The record belongs to the handle the call went through.
    assert!(http.last_response().is_none());
}

#[tokio::test]
async fn a_key_on_an_unkeyed_write_and_a_reserved_header_are_refused_before_sending() {
    let server = FaultServer::start(vec![]).await;
    let http = client();
    let keyed = http.with_options(RequestOptions::new().idempotency_key("k-1"));
    let err = keyed
        .execute(Request::post("test.create", server.url("/x")), ok_json)
        .await
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some("idempotency_key"), "{err}");
    let auth = http.with_options(RequestOptions::new().header("authorization", "Basic eA=="));
    let err = auth
        .execute(Request::get("test.get", server.url("/x")), ok_json)
        .await
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some("headers.authorization"));
    let zero = http.with_options(RequestOptions::new().deadline(Duration::ZERO));
    let err = zero
        .execute(Request::get("test.get", server.url("/x")), ok_json)
        .await
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some("deadline"));
    assert_eq!(server.attempts(), 0, "nothing may be sent");
}

#[tokio::test]
async fn a_per_call_retry_policy_and_deadline_override_the_client() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::bad_gateway_html())]).await;
    let http = client();
    let never = http.with_options(RequestOptions::new().retry(RetryPolicy::never()));
    let err = never
        .execute(Request::get("test.get", server.url("/x")), ok_json)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::BAD_GATEWAY));
    assert_eq!(server.attempts(), 1, "the handle's policy allows no retry");

    let hang = FaultServer::start(vec![Fault::Hang]).await;
    let short = http.with_options(RequestOptions::new().deadline(Duration::from_secs(1)));
    let started = std::time::Instant::now();
    let err = short
        .execute(Request::get("test.get", hang.url("/x")), ok_json)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    // The client's own deadline is 30 s: only the handle's 1 s can have stopped the call.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn the_applications_reqwest_settings_cannot_turn_redirects_on() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::redirect(
        "https://elsewhere.example/steal",
    ))])
    .await;
    let http = HttpClient::new(
        "test",
        "payments-common-tests/0",
        HttpConfig::default().configure_reqwest(|b| {
            b.redirect(reqwest::redirect::Policy::limited(5))
                .default_headers({
                    let mut h = reqwest::header::HeaderMap::new();
                    h.insert("x-tenant", "shop-1".parse().unwrap());
                    h
                })
        }),
    )
    .unwrap();
    let err = http
        .execute(Request::get("test.get", server.url("/x")), ok_json)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedRedirect { .. }), "{err:?}");
    let seen = &server.requests()[0];
    assert_eq!(
        seen.header("x-tenant"),
        Some("shop-1"),
        "the application's setting applies"
    );
    assert!(
        seen.header("user-agent")
            .unwrap()
            .starts_with("payments-common-tests/0")
    );
}

#[tokio::test]
async fn a_refused_connection_names_the_host_and_the_root_cause() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let http = client();
    let url = format!("http://127.0.0.1:{port}/x").parse().unwrap();
    let err = http
        .with_options(RequestOptions::new().retry(RetryPolicy::never()))
        .execute(Request::get("test.get", url), ok_json)
        .await
        .unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.starts_with("could not connect to 127.0.0.1: "),
        "{shown}"
    );
    assert!(shown.to_lowercase().contains("refused"), "{shown}");
    assert!(shown.ends_with("(1 attempt(s))"), "{shown}");
}

#[cfg(feature = "axum")]
mod extractor {
    use axum::Router;
    use axum::extract::FromRef;
    use axum::routing::post;
    use payments_common::axum::Verified;
    use payments_common::{ErrorKind, HeaderMap, Provider, VerifyNotification};

    mod demo {
        payments_common::provider_error!(payments_common::Provider::JataPay);
    }

    /// A verifier that accepts the body `signed:<text>` with header `x-sig: ok`.
    #[derive(Clone)]
    struct DemoVerifier;

    impl VerifyNotification for DemoVerifier {
        type Event = String;
        type Error = demo::Error;
        fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<String, demo::Error> {
            let op = "webhook.verify";
            if headers.get("x-sig").map(|v| v.as_bytes()) != Some(b"ok") {
                return Err(demo::Error::new(
                    op,
                    ErrorKind::signature("signature mismatch"),
                ));
            }
            std::str::from_utf8(body)
                .ok()
                .and_then(|b| b.strip_prefix("signed:"))
                .map(str::to_owned)
                .ok_or_else(|| demo::Error::new(op, ErrorKind::invalid("body", "unreadable")))
        }
    }

    #[derive(Clone)]
    struct AppState {
        verifier: DemoVerifier,
    }

    impl FromRef<AppState> for DemoVerifier {
        fn from_ref(state: &AppState) -> Self {
            state.verifier.clone()
        }
    }

    async fn handler(Verified(event): Verified<DemoVerifier>) -> String {
        format!("got {event}")
    }

    #[tokio::test]
    async fn forgeries_get_401_unreadable_400_and_genuine_ones_reach_the_handler() {
        let app = Router::new()
            .route("/notify", post(handler))
            .with_state(AppState {
                verifier: DemoVerifier,
            });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let url = format!("http://{addr}/notify");
        let http = reqwest::Client::new();
        let send = |sig: &'static str, body: &'static str| {
            http.post(&url).header("x-sig", sig).body(body).send()
        };
        let ok = send("ok", "signed:paid").await.unwrap();
        assert_eq!(ok.status(), 200);
        assert_eq!(ok.text().await.unwrap(), "got paid");
        let forged = send("forged", "signed:paid").await.unwrap();
        assert_eq!(forged.status(), 401);
        assert_eq!(forged.text().await.unwrap(), "notification not verified");
        let unreadable = send("ok", "garbage").await.unwrap();
        assert_eq!(unreadable.status(), 400);
        assert_eq!(Provider::JataPay.name(), "JataPay");
    }
}

#[tokio::test]
async fn a_per_call_attempt_timeout_overrides_the_clients() {
    let hang = FaultServer::start(vec![Fault::Hang]).await;
    // The client allows 20 s per attempt and 30 s in all; the handle 1 s per attempt, no retry.
    let handle = client().with_options(
        RequestOptions::new()
            .attempt_timeout(Duration::from_secs(1))
            .retry(RetryPolicy::never()),
    );
    let started = std::time::Instant::now();
    let err = handle
        .execute(Request::get("test.get", hang.url("/x")), ok_json)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 1, .. }), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "only the handle's 1 s attempt timeout can have stopped it: {:?}",
        started.elapsed()
    );
}

#[test]
fn a_request_reports_its_method_and_body_as_built() {
    let url: payments_common::Url = "https://api.example.com/orders".parse().unwrap();
    let post = Request::post("test.create", url.clone())
        .json(&serde_json::json!({"amount": 100}))
        .unwrap();
    assert_eq!(post.method(), reqwest::Method::POST);
    assert_eq!(post.body(), Some(&br#"{"amount":100}"#[..]));
    let get = Request::get("test.get", url);
    assert_eq!(get.method(), reqwest::Method::GET);
    assert_eq!(get.body(), None);
}

#[test]
fn a_requests_debug_and_traces_name_the_operation_and_the_path_template_only() {
    let url: payments_common::Url = "https://api.example.com/credit_cards/tok_live_secret"
        .parse()
        .unwrap();
    let plain = Request::get("test.cards.get", url.clone());
    assert_eq!(plain.operation(), "test.cards.get");
    assert_eq!(plain.traced_path(), "/credit_cards/tok_live_secret");
    let hidden = Request::get("test.cards.get", url).trace_path_as("/credit_cards/{token}");
    assert_eq!(hidden.traced_path(), "/credit_cards/{token}");
    let shown = format!("{hidden:?}");
    assert!(shown.contains("test.cards.get"), "{shown}");
    assert!(shown.contains("/credit_cards/{token}"), "{shown}");
    assert!(!shown.contains("tok_live_secret"), "{shown}");
}
