//! Every text a provider supplies in an error is bounded and has its control characters
//! escaped by the pipeline, however the error was built: a 1 MB message with CR/LF cannot
//! become a 1 MB `Display` or a forged log line.

use std::collections::BTreeMap;

use payments_common::http::{HttpClient, HttpConfig, Request, RetryPolicy};
use payments_common::testing::{Fault, FaultServer, Reply};
use payments_common::{Error, StatusCode};

/// 1 MB of text with line breaks that would forge a log line.
fn huge() -> String {
    format!("refused\r\nINFO payment captured\n{}", "y".repeat(1 << 20))
}

/// The error `build` returns from a handler, as the pipeline hands it back.
async fn through_pipeline(build: impl FnOnce(StatusCode) -> Error) -> Error {
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(422, "{}"))]).await;
    let http = HttpClient::new(
        "test",
        "t/0",
        HttpConfig::default().retry(RetryPolicy::never()),
    )
    .unwrap();
    http.execute(Request::get("test.read", server.url("/v1")), |r| {
        Err::<(), _>(build(r.status()))
    })
    .await
    .unwrap_err()
}

fn assert_bounded(label: &str, error: &Error) {
    let shown = error.to_string();
    assert!(
        shown.len() <= 8 * 1024,
        "{label}: Display is {} bytes",
        shown.len()
    );
    assert!(
        !shown.contains(['\r', '\n']),
        "{label}: raw CR/LF in {shown}"
    );
    let debug = format!("{error:?}");
    assert!(
        debug.len() <= 32 * 1024,
        "{label}: Debug is {} bytes",
        debug.len()
    );
}

#[tokio::test]
async fn a_one_megabyte_api_message_with_crlf_is_bounded_and_escaped() {
    let error = through_pipeline(|status| Error::Api {
        status,
        code: Some(huge()),
        message: Some(huge()),
        messages: vec![huge(); 3],
        field_errors: [(huge(), vec![huge()])].into(),
        request_id: Some(huge()),
    })
    .await;
    assert_bounded("api", &error);
    let Error::Api {
        code,
        message,
        messages,
        field_errors,
        request_id,
        ..
    } = &error
    else {
        panic!("{error:?}");
    };
    for text in [code, message, request_id]
        .into_iter()
        .flatten()
        .chain(messages)
        .chain(field_errors.keys())
        .chain(field_errors.values().flatten())
    {
        assert!(text.len() <= 256, "{} bytes", text.len());
        assert!(!text.contains(['\r', '\n']));
        assert!(text.starts_with("refused\\r\\nINFO"), "{text}");
    }
}

#[tokio::test]
async fn the_number_of_messages_and_field_errors_kept_is_bounded() {
    let fields: BTreeMap<String, Vec<String>> = (0..1000)
        .map(|i| (format!("field_{i:04}"), vec!["bad".to_owned(); 1000]))
        .collect();
    let error = through_pipeline(|status| Error::Api {
        status,
        code: None,
        message: None,
        messages: (0..1000).map(|i| format!("message {i}")).collect(),
        field_errors: fields,
        request_id: None,
    })
    .await;
    assert_bounded("counts", &error);
    let Error::Api {
        messages,
        field_errors,
        ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(field_errors.len(), 20);
    assert!(
        field_errors.values().all(|v| v.len() == 21),
        "{field_errors:?}"
    );
    assert_eq!(messages.len(), 22, "{messages:?}");
    assert_eq!(messages[20], "… 980 more not shown");
    assert_eq!(messages[21], "… 980 more field(s) with errors not shown");
}

#[tokio::test]
async fn every_other_provider_text_in_an_error_is_bounded_and_escaped() {
    type Build = Box<dyn FnOnce(StatusCode) -> Error>;
    let cases: Vec<(&str, Build)> = vec![
        (
            "unauthorized",
            Box::new(|status| Error::Unauthorized {
                status,
                message: Some(huge()),
                request_id: Some(huge()),
            }),
        ),
        (
            "not found",
            Box::new(|_| Error::NotFound {
                message: Some(huge()),
                request_id: Some(huge()),
            }),
        ),
        (
            "decode",
            Box::new(|status| Error::Decode {
                status,
                path: huge(),
                message: huge(),
                excerpt: huge(),
                source: huge().into(),
            }),
        ),
        (
            "http",
            Box::new(|status| Error::Http {
                status,
                content_type: Some(huge()),
                excerpt: huge(),
                request_id: Some(huge()),
            }),
        ),
        (
            "redirect",
            Box::new(|_| Error::UnexpectedRedirect {
                status: StatusCode::FOUND,
                location: Some(huge()),
            }),
        ),
        (
            "rate limited",
            Box::new(|_| Error::RateLimited {
                status: StatusCode::TOO_MANY_REQUESTS,
                retry_after: None,
                request_id: Some(huge()),
            }),
        ),
    ];
    for (label, build) in cases {
        let error = through_pipeline(build).await;
        assert_bounded(label, &error);
        if let Some(source) = std::error::Error::source(&error) {
            let shown = source.to_string();
            assert!(
                shown.len() <= 1024 && !shown.contains('\n'),
                "{label}: source {shown}"
            );
        }
        if let Some(id) = error.request_id() {
            assert!(id.len() <= 256 && !id.contains('\n'), "{label}: {id}");
        }
    }
}

#[test]
fn display_is_bounded_even_for_an_error_built_outside_the_pipeline() {
    let error = Error::Api {
        status: StatusCode::BAD_REQUEST,
        code: Some(huge()),
        message: Some(huge()),
        messages: vec![format!("line\r\n{}", "m".repeat(4000)); 500],
        field_errors: (0..500)
            .map(|i| (format!("f{i}\n"), vec!["bad\r\n".repeat(100); 50]))
            .collect(),
        request_id: None,
    };
    assert_bounded_display(&error);
    let error = Error::NotFound {
        message: Some(huge()),
        request_id: None,
    };
    assert_bounded_display(&error);
}

fn assert_bounded_display(error: &Error) {
    let shown = error.to_string();
    assert!(shown.len() <= 8 * 1024, "Display is {} bytes", shown.len());
    assert!(!shown.contains(['\r', '\n']));
}
