//! Canary tests: a secret placed in every credential-carrying type and error appears in no
//! `Debug`, `{:#?}`, `Display` or log line.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use payments_common::http::{HttpClient, HttpConfig, Request, RetryPolicy};
use payments_common::testing::{Fault, FaultServer, Reply};
use payments_common::{Error, SecretString, StatusCode};

const CANARY: &str = "CANARY-5ecr3t-9f81";

fn assert_clean(label: &str, text: &str) {
    assert!(!text.contains(CANARY), "{label} leaks the canary: {text}");
}

fn assert_all_renderings_clean(label: &str, value: &(impl std::fmt::Debug + ?Sized)) {
    assert_clean(label, &format!("{value:?}"));
    assert_clean(label, &format!("{value:#?}"));
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn no_canary_in_requests_errors_or_trace_logs() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let secret = SecretString::from(CANARY);
    let echo = format!(r#"{{"status":"FAIL","secret":"{CANARY}","note":"{CANARY}"}}"#);
    let server = FaultServer::start(vec![
        Fault::Respond(Reply::html(502, &format!("<p>{CANARY}</p>"))),
        Fault::Respond(Reply::json(500, &echo)),
        Fault::Respond(Reply::json(200, &echo)),
        Fault::ResetAfterRequest,
    ])
    .await;
    let config = HttpConfig::default()
        .attempt_timeout(Duration::from_millis(300))
        .retry(RetryPolicy::never());
    let http = HttpClient::new("test", "t/0", config)
        .unwrap()
        .redact_in_errors(vec![secret.clone()]);
    assert_all_renderings_clean("client", &http);

    let mut errors: Vec<Error> = Vec::new();
    for _ in 0..4 {
        let request = Request::post("test.write", server.url("/pay"))
            .bearer_auth(&secret)
            .unwrap()
            .json(&serde_json::json!({ "amount": 1 }))
            .unwrap();
        assert_all_renderings_clean("request", &request);
        let result = http
            .execute(request, |r| {
                assert_all_renderings_clean("response", &r);
                if r.status() == StatusCode::OK {
                    r.json::<Vec<u8>>().map(|_| ())
                } else {
                    Err(r.error())
                }
            })
            .await;
        errors.push(result.unwrap_err());
    }
    errors.push(Error::invalid(
        "secret_key",
        "contains whitespace or control characters",
    ));
    for error in &errors {
        assert_all_renderings_clean("error", error);
        assert_clean("error display", &error.to_string());
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            assert_clean("error source", &cause.to_string());
            source = cause.source();
        }
    }
    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("payments.http"),
        "the capture saw the spans: {logs}"
    );
    assert_clean("trace logs", &logs);
    // The server did receive the credential: it was sent, just never shown.
    let sent = server.requests()[0]
        .header("authorization")
        .unwrap()
        .to_owned();
    assert_eq!(sent, format!("Bearer {CANARY}"));
}

#[test]
fn basic_auth_header_is_sensitive_and_correct() {
    let request = Request::get("t.get", "https://api.example.com/".parse().unwrap())
        .basic_auth("361", &SecretString::from(CANARY))
        .unwrap();
    assert_all_renderings_clean("request", &request);
}

#[test]
fn credential_validation_never_echoes_the_value() {
    let bad = SecretString::from(format!("{CANARY}\n"));
    let err = payments_common::validate::credential("secret_key", &bad).unwrap_err();
    assert_clean("credential error", &err.to_string());
    assert_all_renderings_clean("credential error", &err);
    assert_eq!(err.invalid_field(), Some("secret_key"));
}

/// A path that holds a secret (a card token) is shown in traces as its template only.
#[tokio::test(flavor = "current_thread")]
async fn a_secret_in_the_path_is_traced_as_its_template() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = FaultServer::start(vec![Fault::Respond(Reply::json(200, "{}"))]).await;
    let http = HttpClient::new("test", "t/0", HttpConfig::default()).unwrap();
    let request = Request::get(
        "test.cards.get",
        server.url(&format!("/credit_cards/{CANARY}")),
    )
    .trace_path_as("/credit_cards/{token}");
    assert_all_renderings_clean("request", &request);
    http.execute(request, |r| r.json::<serde_json::Value>())
        .await
        .unwrap();
    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("/credit_cards/{token}"), "{logs}");
    assert_clean("trace logs", &logs);
    assert_eq!(server.requests()[0].path, format!("/credit_cards/{CANARY}"));
}
