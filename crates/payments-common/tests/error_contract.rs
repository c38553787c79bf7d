//! What `payments_common::Error` promises a merchant's backend, variant by variant: the status,
//! request id and attempt count it reports, whether a call may be repeated, the exact bounds of
//! its `Display`, the notes counting what was dropped, and that masking a secret also reaches
//! the error's `source` chain while an error with nothing to mask keeps its typed cause.

use std::collections::BTreeMap;
use std::time::Duration;

use payments_common::http::{HttpClient, HttpConfig, Request, RetryPolicy};
use payments_common::redact::MAX_PROVIDER_ITEMS;
use payments_common::{Error, MoneyError, Reconciliation, StatusCode, TransportKind};

fn api(status: StatusCode, messages: Vec<String>) -> Error {
    Error::Api {
        status,
        code: None,
        message: None,
        messages,
        field_errors: BTreeMap::new(),
        request_id: None,
    }
}

fn http(status: StatusCode) -> Error {
    Error::Http {
        status,
        content_type: Some("text/html".into()),
        excerpt: "<html>busy</html>".into(),
        request_id: Some("req-http".into()),
    }
}

fn decode(status: StatusCode) -> Error {
    let source = serde_json::from_str::<u32>("true").unwrap_err();
    Error::Decode {
        status,
        path: ".".into(),
        message: source.to_string(),
        excerpt: "true".into(),
        source: Box::new(source),
    }
}

/// An error, with the status, request id and attempts it should report.
type Case = (Error, Option<StatusCode>, Option<&'static str>, Option<u32>);

/// Every variant, with the status, request id and attempts it should report.
fn every_variant() -> Vec<Case> {
    vec![
        (Error::invalid("amount", "negative"), None, None, None),
        (
            Error::Connect {
                attempts: 3,
                source: "refused".into(),
            },
            None,
            None,
            Some(3),
        ),
        (
            Error::Timeout {
                attempts: 4,
                source: None,
            },
            None,
            None,
            Some(4),
        ),
        (
            Error::Transport {
                kind: TransportKind::Reset,
                attempts: 5,
                source: "reset".into(),
            },
            None,
            None,
            Some(5),
        ),
        (
            http(StatusCode::BAD_GATEWAY),
            Some(StatusCode::BAD_GATEWAY),
            Some("req-http"),
            None,
        ),
        (
            Error::Api {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: Some("F.1".into()),
                message: None,
                messages: vec![],
                field_errors: BTreeMap::new(),
                request_id: Some("req-api".into()),
            },
            Some(StatusCode::UNPROCESSABLE_ENTITY),
            Some("req-api"),
            None,
        ),
        (
            Error::Unauthorized {
                status: StatusCode::FORBIDDEN,
                message: None,
                request_id: Some("req-401".into()),
            },
            Some(StatusCode::FORBIDDEN),
            Some("req-401"),
            None,
        ),
        (
            Error::NotFound {
                message: None,
                request_id: Some("req-404".into()),
            },
            Some(StatusCode::NOT_FOUND),
            Some("req-404"),
            None,
        ),
        (
            Error::RateLimited {
                status: StatusCode::SERVICE_UNAVAILABLE,
                retry_after: Some(Duration::from_secs(7)),
                request_id: Some("req-429".into()),
            },
            Some(StatusCode::SERVICE_UNAVAILABLE),
            Some("req-429"),
            None,
        ),
        (
            decode(StatusCode::CREATED),
            Some(StatusCode::CREATED),
            None,
            None,
        ),
        (
            Error::ResponseTooLarge {
                status: StatusCode::ACCEPTED,
                limit: 10,
            },
            Some(StatusCode::ACCEPTED),
            None,
            None,
        ),
        (
            Error::UnexpectedRedirect {
                status: StatusCode::FOUND,
                location: None,
            },
            Some(StatusCode::FOUND),
            None,
            None,
        ),
        (Error::signature("bad tag"), None, None, None),
    ]
}

#[test]
fn each_variant_reports_its_status_request_id_and_attempts() {
    for (error, status, request_id, attempts) in every_variant() {
        assert_eq!(error.status(), status, "{error:?}");
        assert_eq!(error.request_id(), request_id, "{error:?}");
        assert_eq!(error.attempts(), attempts, "{error:?}");
        assert!(!error.is_outcome_unknown(), "{error:?}");
        // An unknown outcome reports what its cause reports, and is never to be repeated.
        let unknown = Error::OutcomeUnknown {
            operation: "test.create",
            reconciliation: Reconciliation::merchant_reference("order-1"),
            source: Box::new(error),
        };
        assert_eq!(unknown.status(), status, "{unknown:?}");
        assert_eq!(unknown.request_id(), request_id, "{unknown:?}");
        assert_eq!(unknown.attempts(), attempts, "{unknown:?}");
        assert!(unknown.is_outcome_unknown());
        assert!(!unknown.is_retryable());
    }
}

#[test]
fn only_transient_failures_may_be_repeated() {
    let retryable: Vec<bool> = every_variant()
        .into_iter()
        .map(|(e, ..)| e.is_retryable())
        .collect();
    assert_eq!(
        retryable,
        [
            false, // invalid request
            true,  // connect
            true,  // timeout
            true,  // transport
            true,  // HTTP 502
            false, // API error 422
            false, // unauthorized
            false, // not found
            true,  // rate limited
            false, // decode
            false, // too large
            false, // redirect
            false, // signature
        ]
    );
    // A status decides for plain HTTP and API errors: 5xx and 409 may be repeated.
    for (status, expected) in [
        (StatusCode::INTERNAL_SERVER_ERROR, true),
        (StatusCode::SERVICE_UNAVAILABLE, true),
        (StatusCode::CONFLICT, true),
        (StatusCode::BAD_REQUEST, false),
        (StatusCode::UNPROCESSABLE_ENTITY, false),
        (StatusCode::OK, false),
    ] {
        assert_eq!(http(status).is_retryable(), expected, "HTTP {status}");
        assert_eq!(api(status, vec![]).is_retryable(), expected, "API {status}");
    }
}

#[test]
fn constructors_and_conversions_fill_the_fields_a_caller_reads() {
    let e = Error::invalid("billing.email", "not an address");
    assert_eq!(e.invalid_field(), Some("billing.email"));
    assert_eq!(
        e.to_string(),
        "invalid request: billing.email: not an address"
    );
    let e = Error::signature("header missing");
    assert_eq!(e.invalid_field(), None);
    assert_eq!(e.to_string(), "signature invalid: header missing");
    // A money error is a refused amount, named as such, saying why.
    let e = Error::from(MoneyError::Overflow);
    assert_eq!(e.invalid_field(), Some("amount"));
    assert_eq!(
        e.to_string(),
        format!("invalid request: amount: {}", MoneyError::Overflow)
    );
    let r = Reconciliation::merchant_reference("order-42");
    assert_eq!(r.merchant_reference.as_deref(), Some("order-42"));
    assert_eq!(r.idempotency_key, None);
}

#[test]
fn a_transport_error_says_what_broke_and_its_innermost_cause() {
    #[derive(Debug)]
    struct Wrapper(std::io::Error);
    impl std::fmt::Display for Wrapper {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("client error (Connect)")
        }
    }
    impl std::error::Error for Wrapper {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }
    for (kind, text) in [
        (TransportKind::Reset, "connection reset"),
        (TransportKind::Truncated, "body truncated"),
        (TransportKind::Other, "transport error"),
    ] {
        let e = Error::Transport {
            kind,
            attempts: 2,
            source: Box::new(Wrapper(std::io::Error::other("peer went away\r\nFAKE"))),
        };
        assert_eq!(kind.to_string(), text);
        assert_eq!(
            e.to_string(),
            format!("transport failed ({text}): peer went away\\r\\nFAKE (2 attempt(s))")
        );
    }
    let e = Error::Connect {
        attempts: 1,
        source: Box::new(Wrapper(std::io::Error::other("no route"))),
    };
    assert_eq!(e.to_string(), "could not connect: no route (1 attempt(s))");
}

#[tokio::test]
async fn a_refused_connection_names_the_host_and_the_systems_reason() {
    // A port nothing listens on any more: the connection is refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let http = HttpClient::new(
        "test",
        "t/0",
        HttpConfig::default().retry(RetryPolicy::never()),
    )
    .unwrap();
    let error = http
        .execute(
            Request::get(
                "test.read",
                format!("http://127.0.0.1:{port}/v1/secret-path?key=sk_123456")
                    .parse()
                    .unwrap(),
            ),
            |_| Ok(()),
        )
        .await
        .unwrap_err();
    let Error::Connect { attempts, source } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*attempts, 1);
    let shown = error.to_string();
    assert!(
        shown.starts_with("could not connect to 127.0.0.1"),
        "{shown}"
    );
    assert!(shown.to_lowercase().contains("refused"), "{shown}");
    assert!(shown.ends_with("(1 attempt(s))"), "{shown}");
    assert!(
        !shown.contains("secret-path") && !shown.contains("sk_123456"),
        "{shown}"
    );
    // The chain goes on past the host to the transport's own error.
    assert!(
        source.to_string().starts_with("talking to 127.0.0.1"),
        "{source}"
    );
    let inner = std::error::Error::source(source.as_ref()).expect("the transport's error");
    assert!(!inner.to_string().contains("secret-path"), "{inner}");
}

/// The `Display` prefix of an `Api` error with status 400 and no code.
const PREFIX: &str = "provider error (HTTP 400 Bad Request)";
const MAX_DISPLAY: usize = 4096;

/// Messages of 200 bytes filling the `Display` until `room` bytes are left for one more item
/// after its separator, with `1 <= room <= 200`.
fn filler() -> (Vec<String>, usize) {
    let mut messages = Vec::new();
    let mut len = PREFIX.len();
    while MAX_DISPLAY - len - 2 > 200 {
        messages.push(format!("{:03}{}", messages.len(), "m".repeat(197)));
        len += 2 + 200;
    }
    let room = MAX_DISPLAY - len - 2;
    assert!(room >= 1, "{room}");
    (messages, room)
}

#[test]
fn an_api_error_display_shows_items_up_to_exactly_its_bound() {
    let (mut messages, room) = filler();
    messages.push("x".repeat(room));
    let shown = api(StatusCode::BAD_REQUEST, messages.clone()).to_string();
    assert_eq!(shown.len(), MAX_DISPLAY, "{shown}");
    assert_eq!(shown, format!("{PREFIX}: {}", messages.join("; ")));
    assert!(!shown.contains("not shown"), "{shown}");
}

#[test]
fn an_api_error_display_counts_the_items_past_its_bound_in_order() {
    let (mut messages, room) = filler();
    let kept = messages.len();
    // One byte too many, then a short one that would fit: both are counted, not shown, so
    // the items shown are always the first ones.
    messages.push("x".repeat(room + 1));
    messages.push("c".into());
    let shown = api(StatusCode::BAD_REQUEST, messages.clone()).to_string();
    assert_eq!(
        shown,
        format!(
            "{PREFIX}: {}; … 2 more not shown",
            messages[..kept].join("; ")
        )
    );
    // No items: the prefix alone, without a separator or a note.
    let shown = api(StatusCode::BAD_REQUEST, vec![]).to_string();
    assert_eq!(shown, PREFIX);
    let fields: BTreeMap<String, Vec<String>> = (0..40)
        .map(|i| (format!("{i:02}{}", "f".repeat(150)), vec!["e".repeat(150)]))
        .collect();
    let e = Error::Api {
        status: StatusCode::BAD_REQUEST,
        code: None,
        message: None,
        messages: vec![],
        field_errors: fields,
        request_id: None,
    };
    let shown = e.to_string();
    assert!(shown.len() <= MAX_DISPLAY + 64, "{}", shown.len());
    let listed = shown.matches(": eeee").count();
    assert!(listed > 0 && listed < 40, "{listed}");
    assert!(
        shown.ends_with(&format!("; … {} more not shown", 40 - listed)),
        "{shown}"
    );
}

fn messages_of(error: &Error) -> &[String] {
    match error {
        Error::Api { messages, .. } => messages,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_number_of_messages_kept_is_exactly_bounded() {
    let n = MAX_PROVIDER_ITEMS;
    let list = |count: usize| (0..count).map(|i| format!("m{i}")).collect::<Vec<_>>();
    let all = api(StatusCode::BAD_REQUEST, list(n)).bounded();
    assert_eq!(messages_of(&all), list(n).as_slice());
    for extra in [1, 2] {
        let cut = api(StatusCode::BAD_REQUEST, list(n + extra)).bounded();
        let mut expected = list(n);
        expected.push(format!("… {extra} more not shown"));
        assert_eq!(messages_of(&cut), expected.as_slice());
    }
}

#[test]
fn the_number_of_fields_with_errors_kept_is_exactly_bounded() {
    let n = MAX_PROVIDER_ITEMS;
    let with_fields = |count: usize| Error::Api {
        status: StatusCode::BAD_REQUEST,
        code: None,
        message: None,
        messages: vec![],
        field_errors: (0..count)
            .map(|i| (format!("f{i:02}"), vec!["bad".to_owned()]))
            .collect(),
        request_id: None,
    };
    let Error::Api {
        messages,
        field_errors,
        ..
    } = with_fields(n).bounded()
    else {
        unreachable!()
    };
    assert_eq!(field_errors.len(), n);
    assert!(messages.is_empty(), "{messages:?}");
    for extra in [1, 2] {
        let Error::Api {
            messages,
            field_errors,
            ..
        } = with_fields(n + extra).bounded()
        else {
            unreachable!()
        };
        assert_eq!(field_errors.len(), n);
        assert_eq!(
            messages,
            [format!("… {extra} more field(s) with errors not shown")]
        );
    }
}

const SECRET: &str = "sk_live_5f3a9c";

/// The error and every error in its `source` chain, rendered.
fn chain(error: &Error) -> Vec<String> {
    let mut shown = vec![error.to_string(), format!("{error:?}")];
    let mut next = std::error::Error::source(error);
    while let Some(e) = next {
        shown.push(e.to_string());
        shown.push(format!("{e:?}"));
        next = e.source();
    }
    shown
}

#[test]
fn a_masked_decode_error_drops_the_typed_cause_that_quoted_the_secret() {
    let source = serde_json::from_str::<u32>(&format!("\"{SECRET}\"")).unwrap_err();
    assert!(source.to_string().contains(SECRET));
    let error = Error::Decode {
        status: StatusCode::OK,
        path: "key".into(),
        message: source.to_string(),
        excerpt: format!("{{\"key\":\"{SECRET}\"}}"),
        source: Box::new(source),
    }
    .redact(&[SECRET]);
    for text in chain(&error) {
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains(&SECRET[..8]), "{text}");
    }
    assert!(error.to_string().contains("***"), "{error}");
}

#[test]
fn a_decode_error_with_nothing_to_mask_keeps_its_typed_cause() {
    let error = decode(StatusCode::OK).redact(&[SECRET]);
    let source = std::error::Error::source(&error).expect("the decoder's error");
    let json = source
        .downcast_ref::<serde_json::Error>()
        .expect("still a serde_json::Error");
    assert_eq!((json.line(), json.column()), (1, 4));
    let error = decode(StatusCode::OK).bounded();
    let source = std::error::Error::source(&error).expect("the decoder's error");
    assert!(source.downcast_ref::<serde_json::Error>().is_some());
}

#[test]
fn a_short_provider_text_with_a_secret_is_masked_in_every_variant() {
    let echo = format!("key {SECRET} refused");
    let errors = [
        Error::Http {
            status: StatusCode::BAD_GATEWAY,
            content_type: Some(echo.clone()),
            excerpt: echo.clone(),
            request_id: Some(echo.clone()),
        },
        Error::Api {
            status: StatusCode::BAD_REQUEST,
            code: Some(echo.clone()),
            message: Some(echo.clone()),
            messages: vec![echo.clone()],
            field_errors: [(echo.clone(), vec![echo.clone()])].into(),
            request_id: Some(echo.clone()),
        },
        Error::Unauthorized {
            status: StatusCode::UNAUTHORIZED,
            message: Some(echo.clone()),
            request_id: Some(echo.clone()),
        },
        Error::NotFound {
            message: Some(echo.clone()),
            request_id: Some(echo.clone()),
        },
        Error::RateLimited {
            status: StatusCode::TOO_MANY_REQUESTS,
            retry_after: None,
            request_id: Some(echo.clone()),
        },
        Error::UnexpectedRedirect {
            status: StatusCode::FOUND,
            location: Some(echo.clone()),
        },
        Error::OutcomeUnknown {
            operation: "test.create",
            reconciliation: Reconciliation::default(),
            source: Box::new(Error::NotFound {
                message: Some(echo),
                request_id: None,
            }),
        },
    ];
    for error in errors {
        let masked = error.redact(&[SECRET]);
        for text in chain(&masked) {
            assert!(!text.contains(SECRET), "{text}");
        }
        assert!(
            format!("{masked:?}").contains("key *** refused"),
            "{masked:?}"
        );
    }
    // Text with nothing to mask or cut comes back as it was.
    let kept = Error::NotFound {
        message: Some("no such order".into()),
        request_id: Some("r-1".into()),
    }
    .redact(&[SECRET]);
    assert_eq!(kept.to_string(), "not found: no such order");
    assert_eq!(kept.request_id(), Some("r-1"));
}
