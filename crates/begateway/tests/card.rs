//! Card transactions: exact requests on the wire (with `RequestID`), idempotent retries with
//! the same id through a server that charges then drops the connection, the caller's own key,
//! and bad inputs refused before anything is sent.

mod common;

use begateway::{
    Card, ChargeRequest, Currency, FollowUp, Money, PaymentOutcome, PaymentSource, RequestOptions,
    SecretString, TransactionStatus, TransactionUid,
};
use common::{SECRET, SHOP_ID, basic, client, transaction_body};
use httpmock::MockServer;
use payments_common::testing::{Fault, FaultServer, Reply};
use serde_json::json;

fn usd(text: &str) -> Money {
    Money::parse(text, Currency::USD).unwrap()
}

fn by_token() -> ChargeRequest {
    ChargeRequest::new(
        usd("9.90"),
        "Order 42",
        "order-42",
        PaymentSource::Token(SecretString::from("tok-8c1f")),
    )
    .test(true)
    .notification_url("https://shop.example/begateway/notify")
}

fn is_request_id(v: &str) -> bool {
    v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit())
}

#[tokio::test]
async fn a_payment_by_token_sends_the_documented_request_with_a_request_id() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/transactions/payments")
                .header("authorization", basic(SHOP_ID, SECRET))
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .header_exists("requestid")
                .json_body(json!({"request": {
                    "amount": 990, "currency": "USD", "description": "Order 42",
                    "tracking_id": "order-42", "test": true,
                    "notification_url": "https://shop.example/begateway/notify",
                    "credit_card": {"token": "tok-8c1f"}
                }}));
            then.status(200)
                .header("content-type", "application/json")
                .body(transaction_body("1-310b0da80b", "successful"));
        })
        .await;
    let t = client(&server.base_url())
        .card_transactions()
        .payment(&by_token())
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(t.uid.as_str(), "1-310b0da80b");
    assert_eq!(t.status, TransactionStatus::Successful);
    assert_eq!(t.outcome(), PaymentOutcome::Paid);
    assert_eq!(t.amount, Some(usd("9.90")));
}

#[tokio::test]
async fn card_data_and_follow_ups_go_to_their_endpoints() {
    let server = MockServer::start_async().await;
    let auth = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/transactions/authorizations")
                .json_body(json!({"request": {
                    "amount": 990, "currency": "USD", "description": "Order 42",
                    "tracking_id": "order-42", "test": false,
                    "credit_card": {"number": "4200000000000000", "verification_value": "123",
                        "holder": "JOHN DOE", "exp_month": "01", "exp_year": 2030}
                }}));
            then.status(200)
                .header("content-type", "application/json")
                .body(
                    transaction_body("1-auth", "successful")
                        .replace("\"payment\"", "\"authorization\""),
                );
        })
        .await;
    let refund = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/transactions/refunds")
                .header_exists("requestid")
                .json_body(json!({"request": {"parent_uid": "1-pay", "amount": 250,
                    "reason": "one item returned"}}));
            then.status(200)
                .header("content-type", "application/json")
                .body(
                    transaction_body("1-refund", "successful").replace("\"payment\"", "\"refund\""),
                );
        })
        .await;
    let capture = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/transactions/captures")
                .json_body(json!({"request": {"parent_uid": "1-auth", "amount": 990}}));
            then.status(200)
                .header("content-type", "application/json")
                .body(
                    transaction_body("1-capture", "successful")
                        .replace("\"payment\"", "\"capture\""),
                );
        })
        .await;
    let c = client(&server.base_url());
    let card = Card::new("4200000000000000", "123", "JOHN DOE", 1, 2030);
    let request = ChargeRequest::new(
        usd("9.90"),
        "Order 42",
        "order-42",
        PaymentSource::Card(card),
    );
    let a = c.card_transactions().authorization(&request).await.unwrap();
    assert_eq!(
        a.outcome(),
        PaymentOutcome::Pending,
        "an authorization only reserves"
    );
    let captured = c
        .card_transactions()
        .capture(&FollowUp::new(TransactionUid::new("1-auth"), usd("9.90")))
        .await
        .unwrap();
    assert_eq!(captured.outcome(), PaymentOutcome::Paid);
    let refunded = c
        .card_transactions()
        .refund(
            &FollowUp::new(TransactionUid::new("1-pay"), usd("2.50")).reason("one item returned"),
        )
        .await
        .unwrap();
    assert_eq!(refunded.outcome(), PaymentOutcome::Refunded);
    auth.assert_async().await;
    capture.assert_async().await;
    refund.assert_async().await;
    // The card never shows in Debug.
    assert!(!format!("{request:?}").contains("4200000000000000"));
    assert!(!format!("{request:?}").contains("123\""));
}

/// F20 keyed: the server records the charge, then drops the connection; the retry carries the
/// same RequestID and gets the first answer; one charge in all.
#[tokio::test]
async fn a_reset_after_the_charge_is_retried_with_the_same_request_id_and_charges_once() {
    let ok = Reply::json(200, &transaction_body("1-310b0da80b", "successful"));
    let server = FaultServer::start(vec![Fault::ChargeThenReset {
        key_header: "requestid",
        reply: ok,
    }])
    .await;
    let t = client(server.base_url().as_str())
        .card_transactions()
        .payment(&by_token())
        .await
        .unwrap();
    assert_eq!(t.uid.as_str(), "1-310b0da80b");
    assert_eq!(server.charges(), 1);
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "the reset attempt and its retry");
    let first = requests[0].header("requestid").unwrap();
    assert!(is_request_id(first), "{first}");
    assert_eq!(requests[1].header("requestid"), Some(first));
    // A new logical call gets a new id.
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(
        200,
        &transaction_body("1-b", "successful"),
    ))])
    .await;
    let c = client(server.base_url().as_str());
    c.card_transactions().payment(&by_token()).await.unwrap();
    c.card_transactions().payment(&by_token()).await.unwrap();
    let requests = server.requests();
    assert_ne!(
        requests[0].header("requestid"),
        requests[1].header("requestid")
    );
}

#[tokio::test]
async fn the_callers_own_key_is_sent_and_reused_on_retry() {
    let ok = Reply::json(200, &transaction_body("1-310b0da80b", "successful"));
    let server = FaultServer::start(vec![Fault::ChargeThenReset {
        key_header: "requestid",
        reply: ok,
    }])
    .await;
    let handle = client(server.base_url().as_str())
        .with_options(RequestOptions::new().idempotency_key("order-42-charge-1"));
    handle
        .card_transactions()
        .payment(&by_token())
        .await
        .unwrap();
    assert_eq!(server.charges(), 1);
    for r in server.requests() {
        assert_eq!(r.header("requestid"), Some("order-42-charge-1"));
    }
    assert_eq!(handle.last_response().unwrap().attempts(), 2);
}

#[tokio::test]
async fn bad_inputs_are_refused_naming_the_field_with_nothing_sent() {
    let server = FaultServer::start(vec![]).await;
    let c = client(server.base_url().as_str());
    let card = |number: &str, cvc: &str, month: u8| {
        ChargeRequest::new(
            usd("9.90"),
            "Order 42",
            "order-42",
            PaymentSource::Card(Card::new(number, cvc, "JOHN DOE", month, 2030)),
        )
    };
    for (request, field) in [
        (card("4200000000000001", "123", 1), "credit_card.number"),
        (card("42000000", "123", 1), "credit_card.number"),
        (
            card("4200000000000000", "12", 1),
            "credit_card.verification_value",
        ),
        (card("4200000000000000", "123", 13), "credit_card.exp_month"),
        (
            ChargeRequest::new(usd("0"), "d", "order-42", PaymentSource::Token("t".into())),
            "amount",
        ),
        (
            ChargeRequest::new(usd("1"), "", "order-42", PaymentSource::Token("t".into())),
            "description",
        ),
        (
            by_token().return_url("http://shop.example/back"),
            "return_url",
        ),
    ] {
        let err = c.card_transactions().payment(&request).await.unwrap_err();
        assert_eq!(err.invalid_field(), Some(field), "{err}");
        assert_eq!(err.operation(), "card.payment");
        assert!(!err.to_string().contains("4200000000000"), "{err}");
        assert_eq!(request.build().unwrap_err().invalid_field(), Some(field));
    }
    let err = c
        .card_transactions()
        .refund(&FollowUp::new(TransactionUid::new("1-pay"), usd("1")))
        .await
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some("reason"));
    let err = c
        .card_transactions()
        .void(&FollowUp::new(TransactionUid::new("../x"), usd("1")))
        .await
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some("parent_uid"));
    assert_eq!(server.attempts(), 0);
}

#[tokio::test]
async fn a_declined_payment_is_a_transaction_and_a_422_names_the_fields() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST").path("/transactions/payments");
            then.status(422).header("content-type", "application/json").body(
                r#"{"message":"Amount must be greater than 0","errors":{"amount":["must be greater than 0"],"credit_card":{"token":["is invalid"]}}}"#,
            );
        })
        .await;
    let err = client(&server.base_url())
        .card_transactions()
        .payment(&by_token())
        .await
        .unwrap_err();
    assert_eq!(
        err.field_error("credit_card.token"),
        Some(&["is invalid".to_owned()][..])
    );
    assert!(!err.is_retryable());
    assert!(
        err.to_string().starts_with("beGateway card.payment: "),
        "{err}"
    );
    let declined = MockServer::start_async().await;
    declined
        .mock_async(|when, then| {
            when.method("POST").path("/transactions/payments");
            then.status(200)
                .header("content-type", "application/json")
                .body(transaction_body("1-d", "failed"));
        })
        .await;
    let t = client(&declined.base_url())
        .card_transactions()
        .payment(&by_token())
        .await
        .unwrap();
    assert_eq!(t.outcome(), PaymentOutcome::Failed);
}

/// Snapshots of every card request as it goes on the wire (path and body) and of the decoded
/// answer of each type.
#[tokio::test]
async fn wire_requests_and_typed_answers_are_snapshotted() {
    let answers = [
        ("payment", transaction_body("1-pay", "successful")),
        (
            "authorization",
            transaction_body("1-auth", "successful").replace("\"payment\"", "\"authorization\""),
        ),
        (
            "capture",
            transaction_body("1-cap", "successful").replace("\"payment\"", "\"capture\""),
        ),
        (
            "void",
            transaction_body("1-void", "successful").replace("\"payment\"", "\"void\""),
        ),
        (
            "refund",
            transaction_body("1-ref", "successful").replace("\"payment\"", "\"refund\""),
        ),
    ];
    let server = FaultServer::start(
        answers
            .iter()
            .map(|(_, body)| Fault::Respond(Reply::json(200, body)))
            .collect(),
    )
    .await;
    let c = client(server.base_url().as_str());
    let card = Card::new("4200000000000000", "123", "JOHN DOE", 1, 2030);
    let by_card = ChargeRequest::new(
        usd("9.90"),
        "Order 42",
        "order-42",
        PaymentSource::Card(card),
    )
    .return_url("https://shop.example/3ds-return");
    let parent = |uid: &str, amount: &str| FollowUp::new(TransactionUid::new(uid), usd(amount));
    let decoded = [
        c.card_transactions().payment(&by_token()).await.unwrap(),
        c.card_transactions().authorization(&by_card).await.unwrap(),
        c.card_transactions()
            .capture(&parent("1-auth", "9.90"))
            .await
            .unwrap(),
        c.card_transactions()
            .void(&parent("1-auth", "9.90"))
            .await
            .unwrap(),
        c.card_transactions()
            .refund(&parent("1-pay", "2.50").reason("one item returned"))
            .await
            .unwrap(),
    ];
    for ((kind, _), (request, transaction)) in answers
        .iter()
        .zip(server.requests().iter().zip(decoded.iter()))
    {
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
        assert!(is_request_id(request.header("requestid").unwrap()));
        insta::assert_json_snapshot!(
            format!("card.{kind}.request"),
            json!({"method": request.method, "path": request.path, "body": body})
        );
        insta::assert_json_snapshot!(format!("card.{kind}.response"), transaction);
    }
}

#[tokio::test]
async fn a_credit_and_a_tokenization_are_keyed_and_retried_with_the_same_request_id() {
    use begateway::{CreditRequest, ExposeSecret};
    let credit = CreditRequest::new(
        usd("25.00"),
        "Payout 7",
        "payout-7",
        SecretString::from("tok-8c1f"),
    )
    .test(true)
    .notification_url("https://shop.example/begateway/notify");
    let ok = Reply::json(
        200,
        &transaction_body("1-credit", "successful").replace("\"payment\"", "\"credit\""),
    );
    let server = FaultServer::start(vec![Fault::ChargeThenReset {
        key_header: "requestid",
        reply: ok,
    }])
    .await;
    let t = client(server.base_url().as_str())
        .card_transactions()
        .credit(&credit)
        .await
        .unwrap();
    assert_eq!(t.uid.as_str(), "1-credit");
    assert_eq!(server.charges(), 1);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].path, "/transactions/credits");
    let id = requests[0].header("requestid").unwrap();
    assert!(is_request_id(id));
    assert_eq!(requests[1].header("requestid"), Some(id));
    let body: serde_json::Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(
        body,
        json!({"request": {"amount": 2500, "currency": "USD", "description": "Payout 7",
            "tracking_id": "payout-7", "test": true,
            "notification_url": "https://shop.example/begateway/notify",
            "credit_card": {"token": "tok-8c1f"}}})
    );

    let tokenized = transaction_body("1-tok", "successful")
        .replace("\"payment\"", "\"tokenization\"")
        .replace("tok-should-not-be-kept", "tok-new-9f2e");
    let server = FaultServer::start(vec![Fault::ChargeThenReset {
        key_header: "requestid",
        reply: Reply::json(200, &tokenized),
    }])
    .await;
    let card = Card::new("4200000000000000", "123", "JOHN DOE", 1, 2030);
    let request = ChargeRequest::new(
        usd("1.00"),
        "Save card",
        "customer-7",
        PaymentSource::Card(card),
    );
    let t = client(server.base_url().as_str())
        .card_transactions()
        .tokenization(&request)
        .await
        .unwrap();
    assert_eq!(t.token.expose_secret(), "tok-new-9f2e");
    assert!(!format!("{t:?}").contains("tok-new-9f2e"));
    assert_eq!(server.charges(), 1);
    let requests = server.requests();
    assert_eq!(requests[0].path, "/transactions/tokenizations");
    assert_eq!(
        requests[0].header("requestid"),
        requests[1].header("requestid")
    );
}

#[tokio::test]
async fn a_tokenization_answer_without_a_token_is_a_decode_error() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(
        200,
        r#"{"transaction":{"uid":"1-t","status":"failed","type":"tokenization","credit_card":{"token":null}}}"#,
    ))])
    .await;
    let card = Card::new("4200000000000000", "123", "JOHN DOE", 1, 2030);
    let err = client(server.base_url().as_str())
        .card_transactions()
        .tokenization(&ChargeRequest::new(
            usd("1.00"),
            "Save card",
            "customer-7",
            PaymentSource::Card(card),
        ))
        .await
        .unwrap_err();
    let begateway::ErrorKind::OutcomeUnknown { source, .. } = err.kind() else {
        // A keyed write's unreadable answer may also surface as a plain decode error.
        assert!(
            matches!(err.kind(), begateway::ErrorKind::Decode { path, .. } if path == "transaction.credit_card.token"),
            "{err:?}"
        );
        return;
    };
    assert!(
        matches!(source.as_ref(), begateway::ErrorKind::Decode { path, .. } if path == "transaction.credit_card.token"),
        "{err:?}"
    );
}

#[tokio::test]
async fn bad_credits_and_tokenizations_are_refused_naming_the_field_with_nothing_sent() {
    use begateway::CreditRequest;
    let server = FaultServer::start(vec![]).await;
    let c = client(server.base_url().as_str());
    let credit = |amount: &str, description: &str, token: &str| {
        CreditRequest::new(
            usd(amount),
            description,
            "payout-7",
            SecretString::from(token),
        )
    };
    for (request, field) in [
        (credit("0", "d", "tok"), "amount"),
        (credit("1", "", "tok"), "description"),
        (credit("1", "d", ""), "credit_card.token"),
        (
            credit("1", "d", "tok").notification_url("http://shop.example/n"),
            "notification_url",
        ),
        (
            CreditRequest::new(usd("1"), "d", "", SecretString::from("tok")),
            "tracking_id",
        ),
    ] {
        let err = c.card_transactions().credit(&request).await.unwrap_err();
        assert_eq!(err.invalid_field(), Some(field), "{err}");
        assert_eq!(request.build().unwrap_err().invalid_field(), Some(field));
    }
    // A tokenization saves card data: a token is refused.
    let err = c
        .card_transactions()
        .tokenization(&by_token())
        .await
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some("credit_card.number"));
    assert!(!format!("{err} {err:?}").contains("tok-8c1f"));
    let bad_card = ChargeRequest::new(
        usd("1.00"),
        "Save card",
        "customer-7",
        PaymentSource::Card(Card::new("4200000000000001", "123", "JOHN DOE", 1, 2030)),
    );
    let err = c
        .card_transactions()
        .tokenization(&bad_card)
        .await
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some("credit_card.number"));
    assert!(!format!("{err} {err:?}").contains("4200000000000001"));
    assert_eq!(server.attempts(), 0);
}
