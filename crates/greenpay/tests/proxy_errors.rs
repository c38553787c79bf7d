//! A JSON error from something in front of GreenPay (a gateway, a load balancer) is not
//! GreenPay's answer.
//!
//! A Spring Cloud or nginx-lua gateway answers a timeout with `504 {"status":504,"error":
//! "Gateway Timeout"}`; others write `502 {"status":"error"}`. Behind it, GreenPay may have
//! charged the card. So for every write such an answer leaves the outcome open
//! (`OutcomeUnknown`, never retryable, asked once), for the two reads it is retried like any
//! 5xx, and only GreenPay's own FAIL envelope (`status` "FAIL" with `code` and `errors`) is a
//! definitive refusal, whatever the HTTP status.

mod common;

use common::{MERCHANT_ID, SECRET, TERMINAL, fast_config};
use greenpay::subscriptions::{
    Cadence, CancelSubscription, CreateSubscription, ListPayments, ListSubscriptions,
    ManualPayment, Plan, UpdateAmount, UpdateCardToken,
};
use greenpay::{
    CardToken, Client, Credentials, Currency, Error, ErrorKind, FailureKind, Money, StatusCode,
    SubscriptionId,
};
use payments_common::testing::{Fault, FaultServer, Reply};

/// The two proxy bodies, with their HTTP status.
const PROXY_ANSWERS: [(u16, &str); 2] = [
    (504, r#"{"status":504,"error":"Gateway Timeout"}"#),
    (502, r#"{"status":"error"}"#),
];

/// GreenPay's own refusal, as its manual-payment page prints it.
const FAIL_ENVELOPE: &str =
    r#"{"code":500,"status":"FAIL","result":[],"errors":["Merchant doesn't exist."]}"#;

const SUBSCRIPTION: &str = "9541b344c3d45d421acd454d61251cde";

fn client(server: &FaultServer) -> Client {
    Client::builder(Credentials::new(MERCHANT_ID, TERMINAL, SECRET))
        .base_url(server.base_url().as_str())
        .http_config(fast_config())
        .build()
        .unwrap()
}

fn id() -> SubscriptionId {
    SubscriptionId::new(SUBSCRIPTION)
}

fn usd(text: &str) -> Money {
    Money::parse(text, Currency::USD).unwrap()
}

/// Every write of the crate: (operation name, call).
async fn write(client: &Client, operation: &str) -> Result<(), Error> {
    let s = client.subscriptions();
    match operation {
        "greenpay.subscriptions.create" => {
            let plan = Plan::new(usd("10"), Cadence::monthly());
            let request = CreateSubscription::new("user-42", "Pro", CardToken::new("tok-1"), plan);
            s.create(&request).await.map(drop)
        }
        "greenpay.subscriptions.pay" => s.pay(&ManualPayment::new(id())).await.map(drop),
        "greenpay.subscriptions.cancel" => s
            .cancel(&CancelSubscription::new(id(), "user-42", "asked"))
            .await
            .map(drop),
        "greenpay.subscriptions.update_amount" => s
            .update_amount(&UpdateAmount::new(id(), "user-42", usd("12")))
            .await
            .map(drop),
        "greenpay.subscriptions.update_card_token" => s
            .update_card_token(&UpdateCardToken::new(
                id(),
                "user-42",
                CardToken::new("tok-2"),
            ))
            .await
            .map(drop),
        other => panic!("no such write {other}"),
    }
}

const WRITES: [&str; 5] = [
    "greenpay.subscriptions.create",
    "greenpay.subscriptions.pay",
    "greenpay.subscriptions.cancel",
    "greenpay.subscriptions.update_amount",
    "greenpay.subscriptions.update_card_token",
];

async fn read(client: &Client, operation: &str) -> Result<(), Error> {
    let s = client.subscriptions();
    match operation {
        "greenpay.subscriptions.list" => s.list(&ListSubscriptions::new(1, 10)).await.map(drop),
        "greenpay.subscriptions.list_payments" => s
            .list_payments(&ListPayments::new(id(), 1, 10))
            .await
            .map(drop),
        other => panic!("no such read {other}"),
    }
}

const READS: [&str; 2] = [
    "greenpay.subscriptions.list",
    "greenpay.subscriptions.list_payments",
];

#[tokio::test]
async fn a_proxy_json_5xx_on_every_write_is_outcome_unknown_not_retryable_and_asked_once() {
    for operation in WRITES {
        for (status, body) in PROXY_ANSWERS {
            let server = FaultServer::start(vec![Fault::Respond(Reply::json(status, body))]).await;
            let err = write(&client(&server), operation).await.unwrap_err();
            let ErrorKind::OutcomeUnknown {
                operation: op,
                source,
                ..
            } = err.kind()
            else {
                panic!("{operation} {status}: {err:?}");
            };
            assert_eq!(*op, operation);
            assert!(!err.is_retryable(), "{operation} {status}: retryable");
            assert_eq!(server.attempts(), 1, "{operation} {status}: asked again");
            // The cause is the gateway's HTTP answer, not an error claiming to be GreenPay's.
            match source.as_ref() {
                ErrorKind::Http { status: s, .. } => assert_eq!(s.as_u16(), status),
                other => panic!("{operation} {status}: cause {other:?}"),
            }
            assert_eq!(err.failure_kind(), None, "{operation} {status}");
        }
    }
}

#[tokio::test]
async fn a_proxy_json_5xx_on_a_read_is_retried_like_any_5xx_then_an_http_error() {
    for operation in READS {
        for (status, body) in PROXY_ANSWERS {
            let server = FaultServer::start(vec![Fault::Respond(Reply::json(status, body))]).await;
            let err = read(&client(&server), operation).await.unwrap_err();
            match err.kind() {
                ErrorKind::Http { status: s, .. } => assert_eq!(s.as_u16(), status),
                other => panic!("{operation} {status}: {other:?}"),
            }
            assert!(err.is_retryable(), "{operation} {status}");
            assert_eq!(server.attempts(), 3, "{operation} {status}: default policy");
        }
    }
}

#[tokio::test]
async fn a_read_answered_by_a_proxy_then_by_greenpay_succeeds() {
    let ok = r#"{"status":"SUCCESS","code":200,"result":{"entries":[],"page":1,"totalEntries":0,"totalPages":0},"errors":[]}"#;
    for operation in READS {
        let server = FaultServer::start(vec![
            Fault::Respond(Reply::json(504, PROXY_ANSWERS[0].1)),
            Fault::Respond(Reply::json(502, PROXY_ANSWERS[1].1)),
            Fault::Respond(Reply::json(200, ok)),
        ])
        .await;
        read(&client(&server), operation).await.unwrap();
        assert_eq!(server.attempts(), 3, "{operation}");
    }
}

#[tokio::test]
async fn greenpays_fail_envelope_with_500_is_a_final_api_error_on_every_operation() {
    for operation in WRITES.iter().chain(READS.iter()) {
        let server =
            FaultServer::start(vec![Fault::Respond(Reply::json(500, FAIL_ENVELOPE))]).await;
        let client = client(&server);
        let err = if WRITES.contains(operation) {
            write(&client, operation).await
        } else {
            read(&client, operation).await
        }
        .unwrap_err();
        match err.kind() {
            ErrorKind::Api {
                status,
                code,
                messages,
                ..
            } => {
                assert_eq!(*status, StatusCode::INTERNAL_SERVER_ERROR, "{operation}");
                assert_eq!(code.as_deref(), Some("500"), "{operation}");
                assert_eq!(messages, &["Merchant doesn't exist.".to_owned()]);
            }
            other => panic!("{operation}: {other:?}"),
        }
        assert_eq!(err.failure_kind(), Some(FailureKind::MerchantNotFound));
        assert_eq!(server.attempts(), 1, "{operation}: GreenPay has spoken");
    }
}

#[tokio::test]
async fn a_fail_lookalike_without_code_or_errors_on_a_write_is_outcome_unknown() {
    for body in [
        r#"{"status":"FAIL"}"#,
        r#"{"status":"FAIL","errors":["x"]}"#,
        r#"{"status":"FAIL","code":500}"#,
        r#"{"status":"fail","code":500,"errors":["x"]}"#,
    ] {
        let server = FaultServer::start(vec![Fault::Respond(Reply::json(500, body))]).await;
        let err = client(&server)
            .subscriptions()
            .pay(&ManualPayment::new(id()))
            .await
            .unwrap_err();
        assert!(err.is_outcome_unknown(), "{body}: {err:?}");
        assert!(!err.is_retryable(), "{body}");
        assert_eq!(server.attempts(), 1, "{body}");
    }
}

#[tokio::test]
async fn a_proxy_json_4xx_is_an_http_error_not_greenpays_refusal() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(
        400,
        r#"{"status":400,"error":"Bad Request","path":"/subscriptions/pay"}"#,
    ))])
    .await;
    let err = client(&server)
        .subscriptions()
        .pay(&ManualPayment::new(id()))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Http { status, .. } if *status == StatusCode::BAD_REQUEST),
        "{err:?}"
    );
    assert_eq!(err.failure_kind(), None);
    assert_eq!(server.attempts(), 1);
}
