//! A secret is masked in every rendering it can take on the wire — raw, JSON-escaped,
//! URL-encoded, base64, and the base64 of `user:secret` that Basic authentication sends —
//! in the errors the pipeline returns, before anything is cut.

use payments_common::http::{HttpClient, HttpConfig, Request, Response, RetryPolicy};
use payments_common::testing::{Fault, FaultServer, Reply};
use payments_common::{Error, SecretString, StatusCode};

/// A secret with characters that encoders escape: `/`, `+`, a space, a non-ASCII letter.
const SECRET: &str = "sk/live+ö 9Qz";
/// Pieces of the secret that must not survive in any rendering.
const PIECES: &[&str] = &["sk/live", "sk\\/live", "sk%2F", "sk%2f", "9Qz"];

fn client(register: bool) -> HttpClient {
    let http = HttpClient::new(
        "test",
        "t/0",
        HttpConfig::default().retry(RetryPolicy::never()),
    )
    .unwrap();
    if register {
        http.redact_in_errors(vec![SecretString::from(SECRET)])
    } else {
        http
    }
}

fn assert_masked(label: &str, error: &Error, extra: &[&str]) {
    for text in [
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
    ] {
        for piece in PIECES.iter().chain(extra) {
            assert!(
                !text.contains(piece),
                "{label}: {piece:?} survives in {text}"
            );
        }
    }
}

/// Sends a read to a server answering `reply`, the handler mapping the answer generically.
async fn error_for(
    reply: Reply,
    request: impl FnOnce(&FaultServer) -> Request,
    register: bool,
) -> Error {
    let server = FaultServer::start(vec![Fault::Respond(reply)]).await;
    client(register)
        .execute(request(&server), |r: Response| Err::<(), _>(r.error()))
        .await
        .unwrap_err()
}

#[tokio::test]
async fn proxy_page_reflecting_the_basic_authorization_header_is_masked() {
    use base64::Engine as _;
    let secret = SecretString::from(SECRET);
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("shop-7:{SECRET}"));
    let page = format!("<h1>502</h1><pre>GET /v1\nAuthorization: Basic {encoded}\n</pre>");
    let error = error_for(
        Reply::html(502, &page),
        |s| {
            Request::get("test.read", s.url("/v1"))
                .basic_auth("shop-7", &secret)
                .unwrap()
        },
        true,
    )
    .await;
    assert!(matches!(error, Error::Http { .. }), "{error:?}");
    assert_masked("basic pair", &error, &[&encoded[..12]]);
    assert!(error.to_string().contains("Basic ***"), "{error}");
}

#[tokio::test]
async fn base64_of_the_secret_alone_is_masked() {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(SECRET);
    let error = error_for(
        Reply::html(400, &format!("<p>bad token {encoded}</p>")),
        |s| Request::get("test.read", s.url("/v1")),
        true,
    )
    .await;
    assert_masked("base64", &error, &[&encoded[..12]]);
}

#[tokio::test]
async fn json_escaped_secret_echoed_by_the_provider_is_masked() {
    // PHP-style escaping: `\/` for `/`, `\u00f6` (and `\u00F6`) for `ö`.
    for echoed in [
        r"sk\/live+\u00f6 9Qz",
        r"sk\/live+\u00F6 9Qz",
        r"sk\u002flive\u002B\u00f6\u00209Qz",
    ] {
        let body = format!(r#"{{"status":"FAIL","echo":"{echoed}"}}"#);
        let error = error_for(
            Reply::html(400, &body),
            |s| Request::get("test.read", s.url("/v1")),
            true,
        )
        .await;
        assert_masked(echoed, &error, &[]);
        // The same text in a message a provider crate's own handler put in `Api`.
        let server = FaultServer::start(vec![Fault::Respond(Reply::json(422, &body))]).await;
        let error = client(true)
            .execute(Request::get("test.read", server.url("/v1")), |r| {
                Err::<(), _>(Error::Api {
                    status: r.status(),
                    code: Some(echoed.to_owned()),
                    message: Some(format!("refused {echoed}")),
                    messages: vec![echoed.to_owned()],
                    field_errors: [(echoed.to_owned(), vec![echoed.to_owned()])].into(),
                    request_id: None,
                })
            })
            .await
            .unwrap_err();
        assert_masked(echoed, &error, &[]);
    }
}

#[tokio::test]
async fn url_encoded_secret_in_a_reflected_page_is_masked() {
    for echoed in ["sk%2Flive%2B%C3%B6+9Qz", "sk%2flive%2b%c3%b6%209Qz"] {
        let error = error_for(
            Reply::html(
                400,
                &format!("<p>You sent: grant_type=x&secret={echoed}</p>"),
            ),
            |s| Request::get("test.read", s.url("/v1")),
            true,
        )
        .await;
        assert_masked(echoed, &error, &[]);
    }
}

#[tokio::test]
async fn a_bearer_token_is_masked_in_its_requests_errors_without_registration() {
    let token = SecretString::from(SECRET);
    let error = error_for(
        Reply::json(500, &format!(r#"{{"echo":"Bearer {SECRET}"}}"#)),
        |s| {
            Request::get("test.read", s.url("/v1"))
                .bearer_auth(&token)
                .unwrap()
        },
        false,
    )
    .await;
    assert_masked("bearer", &error, &[]);
}

#[tokio::test]
async fn a_secret_is_masked_before_a_long_provider_message_is_cut() {
    // The secret starts 240 bytes in: a cut at 256 bytes before masking would keep its prefix.
    let message = format!("{}{SECRET} and more text after it", "x".repeat(240));
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(422, "{}"))]).await;
    let error = client(true)
        .execute(Request::get("test.read", server.url("/v1")), |r| {
            Err::<(), _>(Error::Api {
                status: r.status(),
                code: None,
                message: Some(message.clone()),
                messages: vec![],
                field_errors: Default::default(),
                request_id: None,
            })
        })
        .await
        .unwrap_err();
    assert_masked("cut", &error, &["sk/", "sk"]);
    assert!(error.to_string().contains("***"), "{error}");
    // The helper a crate with a run-time secret calls does the same.
    let shown = Error::Api {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: None,
        message: Some(message),
        messages: vec![],
        field_errors: Default::default(),
        request_id: None,
    }
    .redact(&[SECRET])
    .to_string();
    assert!(!shown.contains("sk"), "{shown}");
}

#[tokio::test]
async fn base64_of_an_unknown_user_and_the_registered_secret_is_masked() {
    // The client never sent Basic credentials (the secret travels in the body), yet a proxy
    // shows `Authorization: Basic base64(merchant:secret)`: the decoded run holds the secret.
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("merchant-1:{SECRET}"));
    let page = format!("<pre>upstream refused; Authorization: Basic {encoded}</pre>");
    let error = error_for(
        Reply::html(502, &page),
        |s| Request::get("test.read", s.url("/v1")),
        true,
    )
    .await;
    assert_masked(
        "unknown user",
        &error,
        &[&encoded[..12], &encoded[encoded.len() - 8..]],
    );
}
