//! The SDK shape every provider crate follows, as a GreenPay user meets it: errors that name
//! the provider and the operation, per-call options on a handle of the same client, the last
//! response's record, the paginated lists as streams, `build()` on requests, the
//! `WebhookVerifier` (also through axum), and the `test-util` helpers.

mod common;

use common::{MERCHANT_ID, SECRET, TERMINAL, client, fixture, fixture_json, with_credentials};
use futures_util::TryStreamExt;
use greenpay::subscriptions::{ListPayments, ListSubscriptions, ManualPayment, SubscriptionStatus};
use greenpay::{ErrorKind, Provider, RequestOptions, SubscriptionId};
use httpmock::MockServer;

fn sub_id() -> SubscriptionId {
    SubscriptionId::new("9541b344c3d45d421acd454d61251cde")
}

mod other_provider {
    payments_common::provider_error!(payments_common::Provider::TsPay);
}

/// A shop's own error, converting from two providers' errors side by side: this compiles only
/// because the two crates' errors are distinct types.
#[derive(Debug)]
enum ShopError {
    GreenPay(greenpay::Error),
    Other(other_provider::Error),
}

impl ShopError {
    fn provider(&self) -> Provider {
        match self {
            ShopError::GreenPay(e) => e.provider(),
            ShopError::Other(e) => e.provider(),
        }
    }
}

impl From<greenpay::Error> for ShopError {
    fn from(e: greenpay::Error) -> Self {
        ShopError::GreenPay(e)
    }
}

impl From<other_provider::Error> for ShopError {
    fn from(e: other_provider::Error) -> Self {
        ShopError::Other(e)
    }
}

#[tokio::test]
async fn errors_lead_with_the_provider_and_the_operation_and_convert_apart() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method("POST").path("/subscriptions/pay");
            then.status(500)
                .header("content-type", "application/json")
                .body(fixture("subscriptions.pay.response.not-payable.json"));
        })
        .await;
    let err = client(&server.base_url())
        .subscriptions()
        .pay(&ManualPayment::new(sub_id()))
        .await
        .unwrap_err();
    let shown = err.to_string();
    assert!(shown.starts_with("GreenPay subscriptions.pay: "), "{shown}");
    assert!(!shown.contains(SECRET));
    assert_eq!(err.provider(), Provider::GreenPay);
    assert_eq!(
        err.failure_kind(),
        Some(greenpay::FailureKind::SubscriptionNotPayable)
    );
    assert!(
        !err.is_retryable(),
        "a FAIL envelope with HTTP 500 is GreenPay's final answer"
    );
    m.assert_calls_async(1).await;

    let shop: ShopError = err.into();
    assert!(matches!(shop, ShopError::GreenPay(_)));
    assert_eq!(shop.provider(), Provider::GreenPay);
    let other = other_provider::Error::new("pay_links.create", ErrorKind::invalid("amount", "x"));
    let shop: ShopError = other.into();
    assert!(matches!(shop, ShopError::Other(_)));
    assert_eq!(shop.provider(), Provider::TsPay);

    // Invalid input: the crate's error, operation named, nothing sent.
    let invalid = client(&server.base_url())
        .subscriptions()
        .pay(&ManualPayment::new(SubscriptionId::new("../x")))
        .await
        .unwrap_err();
    assert_eq!(invalid.operation(), "subscriptions.pay");
    assert_eq!(invalid.invalid_field(), Some("subscriptionId"));
    assert!(
        invalid
            .to_string()
            .starts_with("GreenPay subscriptions.pay: invalid request: ")
    );
    m.assert_calls_async(1).await;
}

#[test]
fn request_build_runs_every_check_and_names_the_operation() {
    let err = ListSubscriptions::new(0, 10).build().unwrap_err();
    assert_eq!(err.operation(), "subscriptions.list");
    assert_eq!(err.invalid_field(), Some("page"));
    let ok = ListSubscriptions::new(1, 10).build().unwrap();
    assert_eq!(ok.page_number(), 1);
    let err = ManualPayment::new(SubscriptionId::new(""))
        .build()
        .unwrap_err();
    assert_eq!(err.operation(), "subscriptions.pay");
    let err = greenpay::Client::builder(greenpay::Credentials::new("m", "t", "bad secret"))
        .build()
        .unwrap_err();
    assert_eq!(err.operation(), "client.build");
    assert_eq!(err.invalid_field(), Some("secret"));
}

#[tokio::test]
async fn a_per_call_header_reaches_greenpay_and_the_request_id_of_a_success_is_readable() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/subscriptions/list")
                .header("x-correlation-id", "order-42")
                .json_body(with_credentials(
                    fixture_json("subscriptions.list.request.json"),
                    MERCHANT_ID,
                    SECRET,
                    Some(TERMINAL),
                ));
            then.status(200)
                .header("content-type", "application/json")
                .header("x-request-id", "gp-req-7")
                .body(fixture("subscriptions.list.response.json"));
        })
        .await;
    let base = client(&server.base_url());
    let handle = base.with_options(RequestOptions::new().header("X-Correlation-Id", "order-42"));
    let request = list_request_of_the_fixture();
    let page = handle.subscriptions().list(&request).await.unwrap();
    assert!(!page.entries.is_empty());
    let meta = handle.last_response().expect("a success is recorded");
    assert_eq!(meta.status().as_u16(), 200);
    assert_eq!(meta.request_id(), Some("gp-req-7"));
    assert_eq!(meta.attempts(), 1);
    // The record belongs to the handle the call went through; the pool is shared.
    assert!(base.last_response().is_none());
    m.assert_calls_async(1).await;
}

/// The request of `subscriptions.list.request.json`.
fn list_request_of_the_fixture() -> ListSubscriptions {
    use greenpay::subscriptions::SubscriptionFilters;
    use greenpay::{Currency, Money};
    let fixture = fixture_json("subscriptions.list.request.json");
    let page = u32::try_from(fixture["page"].as_u64().unwrap()).unwrap();
    let size = u32::try_from(fixture["pageSize"].as_u64().unwrap()).unwrap();
    let mut filters = SubscriptionFilters::new();
    let f = &fixture["filters"];
    for status in f["status"].as_array().into_iter().flatten() {
        let status = match status.as_str().unwrap() {
            "CANCELED" => SubscriptionStatus::Cancelled,
            other => SubscriptionStatus::from(other),
        };
        filters = filters.status(status);
    }
    if let Some(user) = f["user"].as_str() {
        filters = filters.user(user);
    }
    let money = |v: &serde_json::Value| Money::parse(&v.to_string(), Currency::USD).unwrap();
    if !f["minAmount"].is_null() {
        filters = filters.min_amount(money(&f["minAmount"]));
    }
    if !f["maxAmount"].is_null() {
        filters = filters.max_amount(money(&f["maxAmount"]));
    }
    ListSubscriptions::new(page, size).filters(filters)
}

#[tokio::test]
async fn an_idempotency_key_on_a_write_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let keyed = client(&server.base_url())
        .with_options(RequestOptions::new().idempotency_key("order-42-charge-1"));
    let err = keyed
        .subscriptions()
        .pay(&ManualPayment::new(sub_id()))
        .await
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some("idempotency_key"), "{err}");
    assert_eq!(err.operation(), "subscriptions.pay");
    any.assert_calls_async(0).await;
}

fn page_body(ids: &[&str], page: u32, total_pages: u32) -> String {
    let entries: Vec<_> = ids
        .iter()
        .map(|id| {
            serde_json::json!({"id": id, "status": "ACTIVE", "currency": "USD", "amount": "10"})
        })
        .collect();
    serde_json::json!({"status": "SUCCESS", "code": 200, "errors": [], "result": {
        "entries": entries, "page": page, "totalEntries": 5, "totalPages": total_pages
    }})
    .to_string()
}

#[tokio::test]
async fn the_subscription_list_streams_every_page_in_order_and_stops_after_the_last() {
    let server = MockServer::start_async().await;
    let pages = [
        (1, vec!["a1", "a2"]),
        (2, vec!["b1", "b2"]),
        (3, vec!["c1"]),
    ];
    let mut mocks = Vec::new();
    for (page, ids) in &pages {
        let body = page_body(ids, *page, 3);
        let page = *page;
        mocks.push(
            server
                .mock_async(move |when, then| {
                    when.method("POST")
                        .path("/subscriptions/list")
                        .json_body_includes(format!(r#"{{"page": {page}, "pageSize": 2}}"#));
                    then.status(200)
                        .header("content-type", "application/json")
                        .body(body);
                })
                .await,
        );
    }
    let client = client(&server.base_url());
    let stream = client
        .subscriptions()
        .list_stream(ListSubscriptions::new(1, 2));
    drop(client); // the stream owns what it needs
    let ids: Vec<String> = stream
        .map_ok(|s| s.id.as_str().to_owned())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["a1", "a2", "b1", "b2", "c1"]);
    for m in &mocks {
        m.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn a_failing_page_ends_the_payment_stream_with_the_error() {
    // The documented page, said to be the first of two.
    let mut listed = fixture_json("subscriptions.list_payments.response.json");
    listed["result"]["totalPages"] = 2.into();
    let on_first = listed["result"]["entries"].as_array().unwrap().len();
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/subscriptions/list/payments")
                .json_body_includes(r#"{"page": 1}"#);
            then.status(200)
                .header("content-type", "application/json")
                .body(listed.to_string());
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/subscriptions/list/payments")
                .json_body_includes(r#"{"page": 2}"#);
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"code":500,"status":"FAIL","result":[],"errors":["Subscription not found."]}"#);
        })
        .await;
    let request = ListPayments::new(sub_id(), 1, 100);
    let results: Vec<_> = futures_util::StreamExt::collect::<Vec<_>>(
        client(&server.base_url())
            .subscriptions()
            .payments_stream(request),
    )
    .await;
    assert_eq!(results.len(), on_first + 1);
    assert!(results[..on_first].iter().all(Result::is_ok));
    let err = results[on_first].as_ref().unwrap_err();
    assert_eq!(err.operation(), "subscriptions.list_payments");
    assert_eq!(
        err.failure_kind(),
        Some(greenpay::FailureKind::SubscriptionNotFound)
    );
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
}

#[cfg(feature = "test-util")]
mod test_util {
    use greenpay::subscriptions::{
        PaymentStatus, SubscriptionPayment, SubscriptionStatus, SubscriptionSummary,
    };
    use greenpay::test_util::TestSigner;
    use greenpay::{Currency, ErrorKind, HeaderMap, Money, VerifiedEvent, WebhookVerifier};

    /// A merchant's handler, written against the crate's types only.
    fn charges_to_fulfil(
        verifier: &WebhookVerifier,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Vec<String>, greenpay::Error> {
        Ok(match verifier.verify(headers, body)? {
            VerifiedEvent::SubscriptionPayment(p) => p
                .charges()
                .iter()
                .filter(|c| *c.status() == PaymentStatus::Approved)
                .map(|c| c.order_reference().to_owned())
                .collect(),
            _ => Vec::new(),
        })
    }

    #[test]
    fn a_user_tests_their_handler_with_signed_notifications_and_constructed_values() {
        let signer = TestSigner::new();
        let verifier = signer.verifier();
        let (headers, body) = signer.subscription_payment_notification(&[
            ("9541b344c3d45d421acd454d61251cde_2", "approved"),
            ("9541b344c3d45d421acd454d61251cde_3", "rejected"),
        ]);
        assert_eq!(
            charges_to_fulfil(&verifier, &headers, &body).unwrap(),
            ["9541b344c3d45d421acd454d61251cde_2"]
        );
        // The rejected charge's status moved under "approved" with its signature: still
        // rejected, since the status is what is signed.
        let moved = String::from_utf8(body)
            .unwrap()
            .replace(r#""status":"rejected""#, r#""status":"approved""#);
        let err = charges_to_fulfil(&verifier, &headers, moved.as_bytes()).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::SignatureInvalid { .. }),
            "{err}"
        );

        let usd = Money::from_minor_units(1000, Currency::USD);
        let summary = SubscriptionSummary::for_tests(
            "9541b344c3d45d421acd454d61251cde",
            SubscriptionStatus::Active,
            usd,
        );
        assert_eq!(summary.amount, usd);
        let mut payment = SubscriptionPayment::for_tests("9541b344c3d45d421acd454d61251cde_2", usd);
        payment.payment_result = None;
        assert_eq!(payment.outcome(), greenpay::PaymentOutcome::Pending);
    }
}

#[cfg(feature = "axum")]
mod axum_extractor {
    use axum::Router;
    use axum::extract::FromRef;
    use axum::routing::post;
    use greenpay::axum::Verified;
    use greenpay::test_util::TestSigner;
    use greenpay::{VerifiedEvent, WebhookVerifier};

    #[derive(Clone)]
    struct Shop {
        greenpay: WebhookVerifier,
    }

    impl FromRef<Shop> for WebhookVerifier {
        fn from_ref(shop: &Shop) -> Self {
            shop.greenpay.clone()
        }
    }

    async fn notified(Verified(event): Verified<WebhookVerifier>) -> String {
        match event {
            VerifiedEvent::Checkout(c) => format!("checkout {}", c.order_id()),
            VerifiedEvent::SubscriptionPayment(p) => format!("{} charges", p.charges().len()),
            _ => "other".to_owned(),
        }
    }

    #[tokio::test]
    async fn a_genuine_notification_reaches_the_handler_and_a_forged_one_gets_401() {
        let signer = TestSigner::new();
        let app = Router::new()
            .route("/greenpay/notify", post(notified))
            .with_state(Shop {
                greenpay: signer.verifier(),
            });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let url = format!("http://{addr}/greenpay/notify");
        let http = reqwest::Client::new();

        let (_, genuine) = signer.checkout_notification("order-77", 200);
        let ok = http.post(&url).body(genuine.clone()).send().await.unwrap();
        assert_eq!(ok.status(), 200);
        assert_eq!(ok.text().await.unwrap(), "checkout order-77");

        let forged = String::from_utf8(genuine)
            .unwrap()
            .replace("order-77", "order-78");
        let refused = http.post(&url).body(forged).send().await.unwrap();
        assert_eq!(refused.status(), 401);

        let unreadable = http.post(&url).body("not json").send().await.unwrap();
        assert_eq!(unreadable.status(), 400);
    }
}
