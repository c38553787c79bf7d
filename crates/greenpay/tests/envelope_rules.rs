//! GreenPay's answer envelope: which answers are a success, which are GreenPay's own refusal
//! (`Api`, definitive, with its code and messages) and which are not GreenPay speaking.
//!
//! The enveloped answers (subscriptions) are decoded here with the decoder the client runs on
//! every one of them (`greenpay::__bench::decode_envelope`, the same function, exposed for the
//! benchmarks), on `Response`s built for the test, so every status/body pair is covered,
//! including the ones a model with only optional fields would let through. The plain answers
//! (payment orders) go through `orders().create` over httpmock on loopback.

mod common;

use greenpay::ErrorKind;
use greenpay::orders::CreateOrder;
use greenpay::{Currency, Money, StatusCode};
use httpmock::MockServer;
use payments_common::http::Response;
use serde::Deserialize;

/// A model like the crate's wrappers: `{"result": {...}}`.
#[derive(Debug, Deserialize, PartialEq)]
struct Wrapped {
    result: Record,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Record {
    id: String,
}

/// A model every JSON object fits: only the envelope decides whether the answer is a success.
#[derive(Debug, Deserialize, PartialEq)]
struct Loose {
    #[serde(default)]
    result: Option<serde_json::Value>,
}

fn decode<T: serde::de::DeserializeOwned>(status: u16, body: &str) -> Result<T, ErrorKind> {
    let response = Response::for_tests(
        StatusCode::from_u16(status).unwrap(),
        "application/json",
        body.as_bytes(),
    );
    greenpay::__bench::decode_envelope(&response)
}

/// The `Api` error's (HTTP status, code, messages).
fn api(result: Result<impl std::fmt::Debug, ErrorKind>) -> (u16, Option<String>, Vec<String>) {
    match result {
        Err(ErrorKind::Api {
            status,
            code,
            messages,
            ..
        }) => (status.as_u16(), code, messages),
        other => panic!("expected GreenPay's refusal, got {other:?}"),
    }
}

fn is_decode(result: &Result<impl std::fmt::Debug, ErrorKind>) -> bool {
    matches!(result, Err(ErrorKind::Decode { .. }))
}

#[test]
fn success_is_the_word_in_any_case_or_the_number_200() {
    for body in [
        r#"{"status":"SUCCESS","code":200,"result":{"id":"a"}}"#,
        r#"{"status":"success","result":{"id":"a"}}"#,
        r#"{"result":{"id":"a"},"status":"Success","code":"200"}"#,
        r#"{"status":200,"result":{"id":"a"},"errors":[]}"#,
        r#"{"status":"SUCCESS","code":null,"result":{"id":"a"}}"#,
        r#"{"status":"SUCCESS","code":true,"result":{"id":"a"}}"#,
        r#"{"status":"SUCCESS","code":-1,"result":{"id":"a"}}"#,
        // Keys written with escapes are the same keys.
        r#"{"st\u0061tus":"SUCCESS","r\u0065sult":{"id":"a"}}"#,
    ] {
        assert_eq!(
            decode::<Wrapped>(200, body).unwrap(),
            Wrapped {
                result: Record { id: "a".into() }
            },
            "{body}"
        );
    }
}

#[test]
fn any_other_status_is_greenpays_refusal_with_its_code_and_messages() {
    // A word other than SUCCESS, whatever the model would accept.
    assert_eq!(
        api(decode::<Loose>(
            200,
            r#"{"status":"FAIL","code":500,"result":[],"errors":["Merchant doesn't exist."]}"#
        )),
        (
            200,
            Some("500".into()),
            vec!["Merchant doesn't exist.".into()]
        )
    );
    assert_eq!(
        api(decode::<Loose>(200, r#"{"status":"PENDING","result":{}}"#)),
        (200, None, vec![])
    );
    // A number other than 200: it is the code when the body has none.
    assert_eq!(
        api(decode::<Loose>(200, r#"{"status":201,"result":{}}"#)),
        (200, Some("201".into()), vec![])
    );
    assert_eq!(
        api(decode::<Wrapped>(
            200,
            r#"{"status":201,"result":{"id":"a"}}"#
        )),
        (200, Some("201".into()), vec![])
    );
    assert_eq!(
        api(decode::<Loose>(200, r#"{"status":-200,"result":{}}"#)),
        (200, Some("-200".into()), vec![])
    );
    assert_eq!(
        api(decode::<Loose>(
            200,
            r#"{"status":400,"code":"E-17","errors":"alone"}"#
        )),
        (200, Some("E-17".into()), vec!["alone".into()])
    );
    // Messages that are not strings are kept as their JSON text; null is none.
    assert_eq!(
        api(decode::<Loose>(
            200,
            r#"{"status":"FAIL","errors":[{"msg":"a"},"b",3,true]}"#
        ))
        .2,
        vec![
            r#"{"msg":"a"}"#.to_owned(),
            "b".into(),
            "3".into(),
            "true".into()
        ]
    );
    assert!(
        api(decode::<Loose>(200, r#"{"status":"FAIL","errors":null}"#))
            .2
            .is_empty()
    );
    // A FAIL written with an escaped key is still a FAIL.
    let escaped = decode::<Loose>(200, r#"{"st\u0061tus":"FAIL","code":1,"errors":["no"]}"#);
    assert_eq!(api(escaped), (200, Some("1".into()), vec!["no".into()]));
}

#[test]
fn an_ambiguous_or_malformed_envelope_is_never_a_success() {
    for body in [
        // A key given twice: which one GreenPay meant cannot be told.
        r#"{"status":"SUCCESS","status":"SUCCESS","result":{}}"#,
        r#"{"status":"SUCCESS","code":200,"code":200,"result":{}}"#,
        r#"{"st\u0061tus":"FAIL","status":"SUCCESS","result":{}}"#,
        // A status that is neither a word nor a number in range, or a code of another shape.
        r#"{"status":18446744073709551615,"result":{}}"#,
        r#"{"status":true,"result":{}}"#,
        r#"{"status":"SUCCESS","code":{"x":1},"result":{}}"#,
        r#"{"status":"SUCCESS","code":[200],"result":{}}"#,
        // No status at all.
        r#"{"result":{"id":"a"}}"#,
        r#"{"code":200,"result":{}}"#,
        // Not an object: an array is never GreenPay's envelope, whatever it holds (a struct
        // derived with serde would read `["FAIL", 500, [..]]` positionally as a refusal).
        r#"[{"status":"SUCCESS"}]"#,
        r#"["FAIL", 500, ["refused"]]"#,
        "[200]",
        "[1, 2]",
    ] {
        let result = decode::<Loose>(200, body);
        assert!(is_decode(&result), "{body}: {result:?}");
    }
    // A success whose body does not fit the model is a decode error, not a refusal.
    let result = decode::<Wrapped>(200, r#"{"status":200,"result":[]}"#);
    assert!(is_decode(&result), "{result:?}");
    let result = decode::<Wrapped>(200, r#"{"status":"SUCCESS","result":{"id":5}}"#);
    assert!(is_decode(&result), "{result:?}");
    // The missing status is named, and the decode errors say what was expected.
    match decode::<Loose>(200, r#"{"result":{}}"#) {
        Err(ErrorKind::Decode { path, .. }) => assert_eq!(path, "status"),
        other => panic!("{other:?}"),
    }
    for (body, expected) in [
        ("[1, 2]", "expected a JSON object"),
        (
            r#"{"status":true}"#,
            r#"expected "SUCCESS", "FAIL" or a status number"#,
        ),
        (
            r#"{"status":18446744073709551615}"#,
            "status number out of range",
        ),
    ] {
        match decode::<Loose>(200, body) {
            Err(ErrorKind::Decode { message, .. }) => {
                assert!(message.contains(expected), "{body}: {message}");
            }
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[test]
fn only_greenpays_exact_fail_shape_is_its_refusal_on_an_error_status() {
    let fail = r#"{"code":500,"status":"FAIL","result":[],"errors":["Merchant doesn't exist."]}"#;
    for status in [400, 500, 502] {
        assert_eq!(
            api(decode::<Loose>(status, fail)),
            (
                status,
                Some("500".into()),
                vec!["Merchant doesn't exist.".into()]
            )
        );
    }
    // Anything else with an error status is not GreenPay speaking: the generic mapping.
    for (status, body) in [
        (504, r#"{"status":504,"error":"Gateway Timeout"}"#),
        (502, r#"{"status":"error"}"#),
        (400, r#"{"status":"FAIL","errors":["no code"]}"#),
        (400, r#"{"status":"FAIL","code":null,"errors":["x"]}"#),
        (400, r#"{"status":"FAIL","code":500,"errors":"not a list"}"#),
        (400, r#"{"status":"fail","code":500,"errors":["x"]}"#),
        (400, r#"{"errors":["no status"]}"#),
        (400, r#"{"status":{"nested":true}}"#),
        (500, "[]"),
        (500, r#"["FAIL", 500, ["refused"]]"#),
    ] {
        match decode::<Loose>(status, body) {
            Err(ErrorKind::Http { status: s, .. }) => assert_eq!(s.as_u16(), status, "{body}"),
            other => panic!("{status} {body}: {other:?}"),
        }
    }
    assert!(matches!(
        decode::<Loose>(403, r#"{"status":"error"}"#),
        Err(ErrorKind::Unauthorized { .. })
    ));
    // Not JSON: a decode error on a success status, the generic mapping otherwise.
    let html = |status: u16| {
        greenpay::__bench::decode_envelope::<Loose>(&Response::for_tests(
            StatusCode::from_u16(status).unwrap(),
            "text/html",
            b"<html>502 Bad Gateway</html>",
        ))
    };
    assert!(is_decode(&html(200)));
    assert!(matches!(html(502), Err(ErrorKind::Http { .. })));
}

fn order() -> CreateOrder {
    CreateOrder::new(
        Money::parse("14.50", Currency::USD).unwrap(),
        "Parking ticket",
        "order-1001",
    )
}

/// `orders().create` answered with `status` and `body`; the result and the number of calls.
async fn create_order(status: u16, body: &str) -> (Result<String, greenpay::Error>, usize) {
    let server = MockServer::start_async().await;
    let body = body.to_owned();
    let m = server
        .mock_async(move |when, then| {
            when.method("POST").path("/");
            then.status(status)
                .header("content-type", "application/json")
                .body(body);
        })
        .await;
    let result = common::client(&server.base_url())
        .orders()
        .create(&order())
        .await
        .map(|s| s.session);
    (result, m.calls_async().await)
}

#[tokio::test]
async fn a_plain_answer_is_a_success_with_no_status_200_201_or_the_word() {
    for body in [
        r#"{"session":"s-1","token":"t-1"}"#,
        r#"{"status":200,"session":"s-1","token":"t-1"}"#,
        r#"{"status":201,"session":"s-1","token":"t-1"}"#,
        r#"{"status":"success","session":"s-1","token":"t-1"}"#,
        r#"{"status":"SUCCESS","code":200,"session":"s-1","token":"t-1"}"#,
    ] {
        let (result, calls) = create_order(200, body).await;
        assert_eq!(result.unwrap(), "s-1", "{body}");
        assert_eq!(calls, 1);
    }
}

#[tokio::test]
async fn a_plain_answer_with_another_status_is_greenpays_definitive_refusal() {
    // (HTTP status, body, expected code, expected messages)
    let cases: [(u16, &str, Option<&str>, &[&str]); 5] = [
        (
            200,
            r#"{"status":202,"session":"s-1","token":"t-1"}"#,
            Some("202"),
            &[],
        ),
        (
            200,
            r#"{"status":"error","errors":["Invalid terminal"]}"#,
            None,
            &["Invalid terminal"],
        ),
        (
            200,
            r#"{"status":"FAIL","code":null,"errors":[],"session":"s","token":"t"}"#,
            None,
            &[],
        ),
        (
            200,
            r#"{"status":"FAIL","code":"E7","errors":["no"],"result":[]}"#,
            Some("E7"),
            &["no"],
        ),
        (
            400,
            r#"{"status":"FAIL","code":400,"errors":["Invalid amount"],"result":[]}"#,
            Some("400"),
            &["Invalid amount"],
        ),
    ];
    for (status, body, code, messages) in cases {
        let (result, calls) = create_order(status, body).await;
        let err = result.unwrap_err();
        match err.kind() {
            ErrorKind::Api {
                status: s,
                code: c,
                messages: m,
                ..
            } => {
                assert_eq!(s.as_u16(), status, "{body}");
                assert_eq!(c.as_deref(), code, "{body}");
                assert_eq!(m, messages, "{body}");
            }
            other => panic!("{body}: {other:?}"),
        }
        assert!(!err.is_retryable(), "{body}");
        assert_eq!(calls, 1, "{body}");
    }
}

#[tokio::test]
async fn a_plain_answer_that_is_not_greenpays_leaves_the_order_open() {
    for (status, body) in [
        (502, r#"{"status":"error"}"#),
        (504, r#"{"status":504,"error":"Gateway Timeout"}"#),
        (500, r#"{"status":"FAIL","errors":["no code"]}"#),
        // An array, which a serde-derived head would read positionally as `status: 1`.
        (200, "[1, 2]"),
        (200, r#"["FAIL", 500, ["refused"]]"#),
        (500, r#"["FAIL", 500, ["refused"]]"#),
        (200, r#"{"status":{"x":1},"session":"s","token":"t"}"#),
        (200, r#"{"session":"s-1"}"#),
    ] {
        let (result, calls) = create_order(status, body).await;
        let err = result.unwrap_err();
        assert!(
            !matches!(err.kind(), ErrorKind::Api { .. }),
            "{status} {body}: {err:?}"
        );
        assert!(err.is_outcome_unknown(), "{status} {body}: {err:?}");
        assert_eq!(calls, 1, "{status} {body}");
    }
}

#[tokio::test]
async fn a_plain_answer_whose_head_cannot_be_read_says_why() {
    // A success status whose body has an unreadable `status`: the order's outcome is open, and
    // the cause is a decode error, not an HTTP error.
    let (result, _) = create_order(200, r#"{"status":{"x":1},"session":"s","token":"t"}"#).await;
    match result.unwrap_err().kind() {
        ErrorKind::OutcomeUnknown { source, .. } => {
            assert!(matches!(**source, ErrorKind::Decode { .. }), "{source:?}");
        }
        other => panic!("{other:?}"),
    }
    // GreenPay's FAIL shape with an error status, but a `code` no reader takes: the generic
    // mapping of that status, not a decode error.
    let (result, calls) =
        create_order(400, r#"{"status":"FAIL","code":{"x":1},"errors":["x"]}"#).await;
    let err = result.unwrap_err();
    let kind = match err.kind() {
        ErrorKind::OutcomeUnknown { source, .. } => &**source,
        other => other,
    };
    match kind {
        ErrorKind::Http { status, .. } => assert_eq!(status.as_u16(), 400),
        other => panic!("{other:?}"),
    }
    assert_eq!(calls, 1);
}

thread_local! {
    /// How many times [`Counted`] was decoded on this thread.
    static DECODES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// [`Wrapped`], counting its decodes.
#[derive(Debug)]
struct Counted(Wrapped);

impl<'de> Deserialize<'de> for Counted {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        DECODES.with(|n| n.set(n.get() + 1));
        Wrapped::deserialize(d).map(Counted)
    }
}

#[test]
fn a_successful_answer_is_decoded_once() {
    for body in [
        r#"{"status":"SUCCESS","code":200,"result":{"id":"a"},"errors":[]}"#,
        r#"{"result":{"id":"a"},"_signature":"ff","status":200}"#,
    ] {
        DECODES.with(|n| n.set(0));
        let decoded = decode::<Counted>(200, body).unwrap();
        assert_eq!(decoded.0.result.id, "a");
        assert_eq!(DECODES.with(std::cell::Cell::get), 1, "{body}");
    }
    // A refusal is read from the envelope's head: the model is tried at most once.
    DECODES.with(|n| n.set(0));
    assert!(decode::<Counted>(200, r#"{"status":"FAIL","code":500,"errors":["x"]}"#).is_err());
    assert!(DECODES.with(std::cell::Cell::get) <= 1);
}

/// A plain answer's model (an order session's shape) that also reads `status` and `code`, as
/// the crate's token-payment model does, counting its decodes.
#[derive(Debug, Deserialize)]
struct PlainCounted {
    session: String,
    #[serde(default)]
    status: Option<serde_json::Value>,
    #[serde(default)]
    code: Option<serde_json::Value>,
}

#[derive(Debug)]
struct CountedPlain(PlainCounted);

impl<'de> Deserialize<'de> for CountedPlain {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        DECODES.with(|n| n.set(n.get() + 1));
        PlainCounted::deserialize(d).map(CountedPlain)
    }
}

fn decode_plain(status: u16, body: &str) -> (Result<CountedPlain, ErrorKind>, usize) {
    let response = Response::for_tests(
        StatusCode::from_u16(status).unwrap(),
        "application/json",
        body.as_bytes(),
    );
    DECODES.with(|n| n.set(0));
    let decoded = greenpay::__bench::decode_plain::<CountedPlain>(&response);
    (decoded, DECODES.with(std::cell::Cell::get))
}

/// The plain answers (order sessions, card tokens, token payments) are read once when they are
/// a success, and the model still gets `status` and `code` as the body had them: a text or a
/// number, an escaped key included.
#[test]
fn a_plain_successful_answer_is_decoded_once_with_its_status_and_code() {
    let cases = [
        (r#"{"session":"s"}"#, None, None),
        (
            r#"{"status":"SUCCESS","code":"00","session":"s"}"#,
            Some(serde_json::json!("SUCCESS")),
            Some(serde_json::json!("00")),
        ),
        (
            r#"{"session":"s","status":"success","code":7}"#,
            Some(serde_json::json!("success")),
            Some(serde_json::json!(7)),
        ),
        (
            r#"{"status":200,"session":"s"}"#,
            Some(serde_json::json!(200)),
            None,
        ),
        (
            r#"{"session":"s","status":201}"#,
            Some(serde_json::json!(201)),
            None,
        ),
        (
            r#"{"st\u0061tus":"SUCCESS","\u0063ode":"01","session":"s"}"#,
            Some(serde_json::json!("SUCCESS")),
            Some(serde_json::json!("01")),
        ),
        (r#"{"session":"s","errors":[]}"#, None, None),
    ];
    for (body, status, code) in cases {
        let (decoded, decodes) = decode_plain(200, body);
        let CountedPlain(model) = decoded.unwrap_or_else(|e| panic!("{body}: {e:?}"));
        assert_eq!(model.session, "s", "{body}");
        assert_eq!(model.status, status, "{body}");
        assert_eq!(model.code, code, "{body}");
        assert_eq!(decodes, 1, "{body} was decoded {decodes} times");
    }
}

/// What the one pass refuses is decided the way it always was: a refusing `status` is
/// GreenPay's refusal; a repeated `status`, `code` or `errors` is a decode error of the answer.
#[test]
fn a_plain_answer_the_one_pass_refuses_is_decided_by_the_full_reading() {
    for (body, status) in [
        (r#"{"session":"s","status":"FAIL"}"#, None),
        (r#"{"session":"s","status":500,"code":"E1"}"#, Some("E1")),
        (r#"{"session":"s","status":"SUCCESS","code":[1]}"#, None),
    ] {
        let (decoded, _) = decode_plain(200, body);
        match decoded {
            Err(ErrorKind::Api { code, .. }) => assert_eq!(code.as_deref(), status, "{body}"),
            Err(ErrorKind::Decode { .. }) if body.contains("[1]") => {}
            other => panic!("{body}: {other:?}"),
        }
    }
    for body in [
        r#"{"session":"s","status":"SUCCESS","status":"SUCCESS"}"#,
        r#"{"session":"s","code":"1","code":"1"}"#,
        r#"{"session":"s","errors":[],"errors":[]}"#,
    ] {
        let (decoded, _) = decode_plain(200, body);
        assert!(
            matches!(decoded, Err(ErrorKind::Decode { .. })),
            "{body}: {decoded:?}"
        );
    }
}
