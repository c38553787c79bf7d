//! The pipeline masks the secrets registered with `HttpClient::redact_in_errors` in every error
//! it returns, including the provider errors that a crate's own handler builds.
//!
//! (A file of its own: `secrets.rs` captures the TRACE log with a thread-scoped subscriber,
//! which another test running at the same time in the same binary would disturb.)

use payments_common::http::{HttpClient, HttpConfig, Request, RetryPolicy};
use payments_common::testing::{Fault, FaultServer, Reply};
use payments_common::{Error, SecretString, StatusCode};

const CANARY: &str = "CANARY-5ecr3t-9f81";

fn assert_clean(label: &str, value: &impl std::fmt::Debug) {
    for text in [format!("{value:?}"), format!("{value:#?}")] {
        assert!(!text.contains(CANARY), "{label}: {text}");
    }
}

/// A provider error built by a crate's own handler (not by the pipeline) that quotes the
/// credential comes out of `execute` with the registered secret masked, in every text field,
/// also when the write's outcome is unknown.
#[tokio::test]
async fn provider_errors_built_by_handlers_are_masked_by_the_pipeline() {
    let secret = SecretString::from(CANARY);
    let quoting = |status: StatusCode| Error::Api {
        status,
        code: Some(format!("bad-{CANARY}")),
        message: Some(format!("key {CANARY} refused")),
        messages: vec![format!("secret={CANARY}")],
        field_errors: [(format!("f.{CANARY}"), vec![CANARY.to_owned()])]
            .into_iter()
            .collect(),
        request_id: None,
    };
    let body = r#"{"error":"refused"}"#;
    for status in [422, 500] {
        let server = FaultServer::start(vec![Fault::Respond(Reply::json(status, body))]).await;
        let http = HttpClient::new(
            "test",
            "t/0",
            HttpConfig::default().retry(RetryPolicy::never()),
        )
        .unwrap()
        .redact_in_errors(vec![secret.clone()]);
        // A read answered 422; a write answered 500 (its outcome is then unknown).
        let request = if status == 422 {
            Request::get("test.read", server.url("/x"))
        } else {
            Request::post("test.write", server.url("/x"))
        };
        let error = http
            .execute(request, |r| Err::<(), _>(quoting(r.status())))
            .await
            .unwrap_err();
        assert_eq!(error.is_outcome_unknown(), status == 500, "{error:?}");
        assert_clean("handler error", &error);
        assert!(!error.to_string().contains(CANARY), "{error}");
        assert!(format!("{error:?}").contains("***"), "{error:?}");
    }
}
