//! `Subscriptions::confirm_payment` page walking, in the cases the mutation run found
//! unasserted (httpmock on loopback): a charge found on no page is "not paid, pending" after
//! exactly one request per page and none beyond the last; an empty page ends the walk even when
//! GreenPay announces more pages; without `totalPages` one page is read.

mod common;

use greenpay::{Currency, ExpectedPayment, Money, PaymentOutcome, PaymentVerdict, SubscriptionId};
use httpmock::MockServer;

const SUB: &str = "9541b344c3d45d421acd454d61251cde";

fn usd(text: &str) -> Money {
    Money::parse(text, Currency::USD).unwrap()
}

fn entry(reference: &str) -> serde_json::Value {
    serde_json::json!({
        "id": "7",
        "reference_number": reference,
        "payment_date": "2018-12-27T22:22:32.868Z",
        "payment_result": {"status": 200, "orderId": reference, "authorization": "533735",
                           "amount": 100, "currency": "USD", "errors": []},
        "payment_retries": []
    })
}

fn page_body(entries: Vec<serde_json::Value>, page: u32, total_pages: Option<u32>) -> String {
    let mut result = serde_json::json!({"entries": entries, "page": page, "totalEntries": 200});
    if let Some(total) = total_pages {
        result["totalPages"] = total.into();
    }
    serde_json::json!({"status": "SUCCESS", "code": 200, "result": result, "errors": []})
        .to_string()
}

async fn serve_page(server: &MockServer, page: u32, body: String) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/subscriptions/list/payments")
                .json_body_includes(format!(r#"{{"page": {page}, "pageSize": 100}}"#));
            then.status(200)
                .header("content-type", "application/json")
                .body(body);
        })
        .await
}

async fn confirm(server: &MockServer, reference: String) -> PaymentVerdict {
    common::client(&server.base_url())
        .subscriptions()
        .confirm_payment(
            &SubscriptionId::new(SUB),
            &ExpectedPayment::new(reference, usd("100")),
        )
        .await
        .unwrap()
}

const NOT_PAID: PaymentVerdict = PaymentVerdict::NotPaid {
    outcome: PaymentOutcome::Pending,
};

#[tokio::test]
async fn a_charge_on_no_page_is_pending_after_every_page_and_none_beyond() {
    let server = MockServer::start_async().await;
    let first = serve_page(
        &server,
        1,
        page_body(vec![entry(&format!("{SUB}_1"))], 1, Some(2)),
    )
    .await;
    let second = serve_page(
        &server,
        2,
        page_body(vec![entry(&format!("{SUB}_2"))], 2, Some(2)),
    )
    .await;
    let beyond = serve_page(
        &server,
        3,
        page_body(vec![entry(&format!("{SUB}_9"))], 3, Some(2)),
    )
    .await;
    assert_eq!(confirm(&server, format!("{SUB}_9")).await, NOT_PAID);
    assert_eq!(first.calls_async().await, 1);
    assert_eq!(second.calls_async().await, 1);
    assert_eq!(beyond.calls_async().await, 0, "page 3 is past totalPages");
}

#[tokio::test]
async fn an_empty_page_ends_the_walk_even_when_more_pages_are_announced() {
    let server = MockServer::start_async().await;
    let first = serve_page(&server, 1, page_body(vec![], 1, Some(5))).await;
    let second = serve_page(
        &server,
        2,
        page_body(vec![entry(&format!("{SUB}_4"))], 2, Some(5)),
    )
    .await;
    assert_eq!(confirm(&server, format!("{SUB}_4")).await, NOT_PAID);
    assert_eq!(first.calls_async().await, 1);
    assert_eq!(second.calls_async().await, 0);
}

#[tokio::test]
async fn without_total_pages_one_page_is_read() {
    let server = MockServer::start_async().await;
    let first = serve_page(
        &server,
        1,
        page_body(vec![entry(&format!("{SUB}_1"))], 1, None),
    )
    .await;
    let second = serve_page(
        &server,
        2,
        page_body(vec![entry(&format!("{SUB}_2"))], 2, None),
    )
    .await;
    assert_eq!(confirm(&server, format!("{SUB}_2")).await, NOT_PAID);
    assert_eq!(
        confirm(&server, format!("{SUB}_1")).await,
        PaymentVerdict::Paid
    );
    assert_eq!(first.calls_async().await, 2);
    assert_eq!(second.calls_async().await, 0);
}
