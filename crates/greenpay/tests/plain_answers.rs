//! The decoder of GreenPay's answers that come without its `result` envelope (order sessions,
//! the card token, the token payment, a token delete), as the client runs it
//! (`greenpay::__bench::decode_plain`): a successful answer is read in one pass, and whatever
//! is not plainly a success — a refusing `status` however it is spelled, a repeated key, a
//! `status` or `code` of the wrong shape — is never read as one.

use greenpay::ErrorKind;
use greenpay::cards::TokenizedCard;
use greenpay::orders::{OrderSession, TokenPaymentResult};
use payments_common::StatusCode;
use payments_common::http::Response;

fn response(status: u16, body: &str) -> Response {
    Response::for_tests(
        StatusCode::from_u16(status).unwrap(),
        "application/json",
        body.as_bytes(),
    )
}

fn decode<T: serde::de::DeserializeOwned>(status: u16, body: &str) -> Result<T, ErrorKind> {
    greenpay::__bench::decode_plain::<T>(&response(status, body))
}

#[test]
fn successful_answers_decode_with_their_own_status_and_code() {
    let session: OrderSession = decode(200, r#"{"session":"s-1","token":"t-1"}"#).unwrap();
    assert_eq!(session.session, "s-1");
    assert_eq!(session.token.expose(), "t-1");
    let v2: OrderSession = decode(
        200,
        r#"{"session":"s-2","token":"t-2","statusCode":200,"message":"ok"}"#,
    )
    .unwrap();
    assert_eq!(v2.status_code, Some(200));
    // The model reads the `status` the decoder watched on its way.
    let card: TokenizedCard = decode(
        200,
        r#"{"status":200,"code":"200","requestId":"r-1","result":{"token":"tok-1"}}"#,
    )
    .unwrap();
    assert_eq!(card.status, Some(200));
    assert_eq!(card.request_id.as_deref(), Some("r-1"));
    let paid: TokenPaymentResult = decode(
        201,
        r#"{"status":201,"orderId":"o-1","errors":[],"result":{"success":true}}"#,
    )
    .unwrap();
    assert_eq!(paid.status, Some(201));
    assert_eq!(paid.success, Some(true));
    let ok: serde::de::IgnoredAny = decode(
        200,
        r#"{"status":"success","code":200,"result":{},"errors":[]}"#,
    )
    .unwrap();
    let _ = ok;
}

#[test]
fn a_refusing_status_is_greenpays_refusal_however_it_is_spelled() {
    for body in [
        r#"{"status":"FAIL","code":500,"result":[],"errors":["Merchant doesn't exist."]}"#,
        r#"{"session":"s","token":"t","status":"FAIL","code":500,"errors":["Merchant doesn't exist."]}"#,
        // An escaped key is the same key.
        r#"{"session":"s","token":"t","st\u0061tus":"FAIL","code":500,"errors":["Merchant doesn't exist."]}"#,
        r#"{"session":"s","token":"t","status":500,"errors":["Merchant doesn't exist."]}"#,
        r#"{"session":"s","token":"t","status":"DECLINED","errors":["Merchant doesn't exist."]}"#,
    ] {
        let err = decode::<OrderSession>(200, body).unwrap_err();
        match err {
            ErrorKind::Api { code, messages, .. } => {
                let expected = if body.contains("DECLINED") {
                    None
                } else {
                    Some("500")
                };
                assert_eq!(code.as_deref(), expected, "{body}");
                assert_eq!(messages, ["Merchant doesn't exist."], "{body}");
            }
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[test]
fn what_the_envelope_head_would_not_read_is_never_a_success() {
    for body in [
        // `status` of a shape GreenPay never sends.
        r#"{"session":"s","token":"t","status":true}"#,
        r#"{"session":"s","token":"t","status":200.0}"#,
        // `code` of a shape the head does not read.
        r#"{"session":"s","token":"t","status":"SUCCESS","code":{"x":1}}"#,
        // Repeated keys: which one counts is undefined, so neither does.
        r#"{"session":"s","token":"t","status":"SUCCESS","status":"FAIL"}"#,
        r#"{"session":"s","token":"t","code":200,"code":500}"#,
        r#"{"session":"s","token":"t","errors":[],"errors":["refused"]}"#,
    ] {
        let err = decode::<OrderSession>(200, body).unwrap_err();
        assert!(
            matches!(err, ErrorKind::Decode { .. } | ErrorKind::Api { .. }),
            "{body}: {err:?}"
        );
    }
}

#[test]
fn a_non_success_http_status_is_greenpays_refusal_only_in_its_fail_shape() {
    let fail = r#"{"status":"FAIL","code":400,"result":[],"errors":["Invalid card."]}"#;
    assert!(matches!(
        decode::<TokenizedCard>(400, fail),
        Err(ErrorKind::Api { .. })
    ));
    // A proxy's JSON, even one that would decode as the model, is not GreenPay speaking.
    let proxy = r#"{"session":"s","token":"t","status":504,"error":"Gateway Timeout"}"#;
    assert!(matches!(
        decode::<OrderSession>(504, proxy),
        Err(ErrorKind::Http { .. })
    ));
    let success_shape = r#"{"session":"s","token":"t"}"#;
    assert!(matches!(
        decode::<OrderSession>(502, success_shape),
        Err(ErrorKind::Http { .. })
    ));
}

#[test]
fn a_success_that_does_not_fit_the_model_is_a_decode_error_naming_the_field() {
    let err = decode::<OrderSession>(200, r#"{"session":7,"token":"t"}"#).unwrap_err();
    match err {
        ErrorKind::Decode { path, .. } => assert_eq!(path, "session"),
        other => panic!("{other:?}"),
    }
    let err = decode::<OrderSession>(200, "<html>maintenance</html>").unwrap_err();
    assert!(matches!(err, ErrorKind::Decode { .. }), "{err:?}");
}
