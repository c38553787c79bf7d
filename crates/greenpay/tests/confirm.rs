//! `Subscriptions::confirm_payment`: a charge is confirmed for a given subscription from
//! GreenPay's own payments list, never from what the customer or a notification presents.

mod common;

use greenpay::subscriptions::{Cadence, CreateSubscription, ManualPayment, Plan};
use greenpay::{
    CardToken, Client, Credentials, Currency, ErrorKind, ExpectedPayment, Money, PaymentOutcome,
    PaymentVerdict, SubscriptionId,
};
use httpmock::MockServer;
use payments_sandbox::{RunningSandbox, Sandbox, SandboxConfig};

fn client(sandbox: &RunningSandbox) -> Client {
    let c = sandbox.greenpay_credentials();
    Client::builder(Credentials::new(
        c.merchant_id.clone(),
        c.terminal.clone(),
        c.secret.clone(),
    ))
    .base_url(sandbox.greenpay_url())
    .build()
    .unwrap()
}

fn usd(text: &str) -> Money {
    Money::parse(text, Currency::USD).unwrap()
}

async fn create(client: &Client, user: &str, token: &str, amount: Money) -> SubscriptionId {
    let request = CreateSubscription::new(
        user,
        "Pro plan",
        CardToken::new(token),
        Plan::new(amount, Cadence::monthly()),
    );
    client
        .subscriptions()
        .create(&request)
        .await
        .unwrap()
        .subscription_id
}

#[tokio::test]
async fn a_paid_charge_is_confirmed_for_its_subscription_and_refused_for_another() {
    let sandbox = Sandbox::start(SandboxConfig::new()).await.unwrap();
    let client = client(&sandbox);
    let a = create(&client, "user-a", "tok-visa-4242", usd("100.00")).await;
    let b = create(&client, "user-b", "tok-visa-4242", usd("100.00")).await;
    let paid = client
        .subscriptions()
        .pay(&ManualPayment::new(a.clone()))
        .await
        .unwrap();
    let reference = paid.order.order_reference.clone();
    let s = client.subscriptions();

    let expected = ExpectedPayment::new(reference.clone(), usd("100.00"));
    assert_eq!(
        s.confirm_payment(&a, &expected).await.unwrap(),
        PaymentVerdict::Paid
    );
    // The same genuine paid reference presented for subscription B: another order's charge.
    assert_eq!(
        s.confirm_payment(&b, &expected).await.unwrap(),
        PaymentVerdict::OtherOrder {
            found: Some(reference.clone())
        }
    );
    assert!(matches!(
        s.confirm_payment(&a, &ExpectedPayment::new(reference.clone(), usd("99.99")))
            .await
            .unwrap(),
        PaymentVerdict::AmountMismatch { found: Some(found), .. } if found == usd("100.00")
    ));
    assert!(matches!(
        s.confirm_payment(
            &a,
            &ExpectedPayment::new(
                reference.clone(),
                Money::parse("100", Currency::CRC).unwrap()
            )
        )
        .await
        .unwrap(),
        PaymentVerdict::CurrencyMismatch { .. }
    ));
    // A charge of A that GreenPay does not list: not paid (yet).
    assert_eq!(
        s.confirm_payment(&a, &ExpectedPayment::new(format!("{a}_9"), usd("100.00")))
            .await
            .unwrap(),
        PaymentVerdict::NotPaid {
            outcome: PaymentOutcome::Pending
        }
    );
}

#[tokio::test]
async fn a_declined_charge_is_not_paid() {
    let sandbox = Sandbox::start(SandboxConfig::new()).await.unwrap();
    let client = client(&sandbox);
    let id = create(&client, "user-d", "tok-decline-0002", usd("42.00")).await;
    client
        .subscriptions()
        .pay(&ManualPayment::new(id.clone()))
        .await
        .unwrap_err();
    let verdict = client
        .subscriptions()
        .confirm_payment(&id, &ExpectedPayment::new(format!("{id}_0"), usd("42.00")))
        .await
        .unwrap();
    assert!(!verdict.is_paid(), "{verdict:?}");
    assert!(
        matches!(verdict, PaymentVerdict::NotPaid { .. }),
        "{verdict:?}"
    );
}

const SUB: &str = "9541b344c3d45d421acd454d61251cde";

fn entry(reference: &str, order_id: &str, status: u16) -> serde_json::Value {
    serde_json::json!({
        "id": "7",
        "reference_number": reference,
        "payment_date": "2018-12-27T22:22:32.868Z",
        "payment_result": {"status": status, "orderId": order_id, "authorization": "533735",
                           "amount": 100, "currency": "USD", "errors": []},
        "payment_retries": []
    })
}

fn page(entries: Vec<serde_json::Value>, page: u32, total_pages: u32) -> String {
    serde_json::json!({"status": "SUCCESS", "code": 200, "result": {
        "entries": entries, "page": page, "totalEntries": 200, "totalPages": total_pages
    }, "errors": []})
    .to_string()
}

#[tokio::test]
async fn the_charge_is_looked_up_on_every_page_and_its_own_order_id_must_match() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/subscriptions/list/payments")
                .json_body_includes(r#"{"page": 1, "pageSize": 100}"#);
            then.status(200)
                .header("content-type", "application/json")
                .body(page(
                    vec![entry(&format!("{SUB}_1"), &format!("{SUB}_1"), 200)],
                    1,
                    2,
                ));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/subscriptions/list/payments")
                .json_body_includes(r#"{"page": 2, "pageSize": 100}"#);
            then.status(200)
                .header("content-type", "application/json")
                .body(page(
                    vec![
                        entry(&format!("{SUB}_2"), &format!("{SUB}_2"), 200),
                        // Listed under _3, but its result names another subscription's charge.
                        entry(
                            &format!("{SUB}_3"),
                            "ffffffffffffffffffffffffffffffff_1",
                            200,
                        ),
                    ],
                    2,
                    2,
                ));
        })
        .await;
    let client = common::client(&server.base_url());
    let s = client.subscriptions();
    let id = SubscriptionId::new(SUB);
    assert_eq!(
        s.confirm_payment(&id, &ExpectedPayment::new(format!("{SUB}_2"), usd("100")))
            .await
            .unwrap(),
        PaymentVerdict::Paid
    );
    assert_eq!(first.calls_async().await, 1);
    assert_eq!(second.calls_async().await, 1);
    assert_eq!(
        s.confirm_payment(&id, &ExpectedPayment::new(format!("{SUB}_3"), usd("100")))
            .await
            .unwrap(),
        PaymentVerdict::OtherOrder {
            found: Some("ffffffffffffffffffffffffffffffff_1".into())
        }
    );
}

#[tokio::test]
async fn another_subscriptions_reference_or_a_bad_id_sends_nothing() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(500);
        })
        .await;
    let client = common::client(&server.base_url());
    let s = client.subscriptions();
    let id = SubscriptionId::new(SUB);
    for other in [
        "ffffffffffffffffffffffffffffffff_1".to_owned(),
        SUB.to_owned(),
        format!("{SUB}_"),
        format!("{SUB}1_1"),
        format!("x{SUB}_1"),
    ] {
        assert_eq!(
            s.confirm_payment(&id, &ExpectedPayment::new(other.clone(), usd("100")))
                .await
                .unwrap(),
            PaymentVerdict::OtherOrder { found: Some(other) }
        );
    }
    let err = s
        .confirm_payment(
            &SubscriptionId::new("a b"),
            &ExpectedPayment::new("a b_1", usd("100")),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::InvalidRequest { .. })
            && err.invalid_field() == Some("subscriptionId"),
        "{err:?}"
    );
    assert_eq!(any.calls_async().await, 0);
}
