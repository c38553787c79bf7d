//! End-to-end: every public operation of the SDK against the local sandbox
//! (`payments-sandbox`): products create / get / list / update, the 422, 401 and 404 shapes,
//! paying a product's link (hosted page driven over plain HTTP), the transaction by uid and by
//! tracking id, the signed notification verified with the SDK's verifier, and the return URL.
#![cfg(feature = "webhooks")]

mod common;

use common::KindOf;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use begateway::{
    Client, CreateProduct, Credentials, Currency, ErrorKind, ExpectedPayment, Language, Money,
    PaymentOutcome, PaymentVerdict, ProductId, ReturnParams, TransactionStatus, TransactionType,
    TransactionUid, UpdateProduct, Url, WebhookVerifier,
};
use payments_sandbox::{RunningSandbox, Sandbox, SandboxConfig};

async fn sandbox() -> RunningSandbox {
    Sandbox::start(SandboxConfig::new()).await.unwrap()
}

fn credentials(sandbox: &RunningSandbox) -> Credentials {
    let c = sandbox.begateway_credentials();
    Credentials::new(c.shop_id.clone(), c.secret_key.clone())
}

fn client_with(sandbox: &RunningSandbox, credentials: Credentials) -> Client {
    Client::builder(credentials)
        .api_base_url(sandbox.begateway_api_url())
        .gateway_base_url(sandbox.begateway_gateway_url())
        .build()
        .unwrap()
}

fn client(sandbox: &RunningSandbox) -> Client {
    client_with(sandbox, credentials(sandbox))
}

fn verifier(sandbox: &RunningSandbox) -> WebhookVerifier {
    WebhookVerifier::new(credentials(sandbox))
        .unwrap()
        .public_key(&sandbox.begateway_credentials().public_key)
        .unwrap()
}

fn usd(text: &str) -> Money {
    Money::parse(text, Currency::USD).unwrap()
}

fn product(name: &str) -> CreateProduct {
    CreateProduct::new(name, "Monthly access", usd("9.90"))
        .quantity(3)
        .immortal()
        .test(true)
        .language(Language::En)
}

/// The customer's browser: never follows redirects.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Submits the hosted page's form as a browser would (to the page's own URL, with the page's
/// hidden `tracking_id` input when the page was opened with one); returns the status and the
/// `Location` header.
async fn decide(page: &str, decision: &str) -> (u16, Option<Url>) {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in Url::parse(page).unwrap().query_pairs() {
        if key == "tracking_id" {
            form.append_pair(&key, &value);
        }
    }
    form.append_pair("decision", decision);
    let response = browser()
        .post(page)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.finish())
        .send()
        .await
        .unwrap();
    let location = response
        .headers()
        .get("location")
        .map(|v| Url::parse(v.to_str().unwrap()).unwrap());
    (response.status().as_u16(), location)
}

/// What the merchant endpoint received: headers and raw body of each POST.
type Store = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// The merchant's endpoint: records every POST (headers, raw body), answers 200.
struct Merchant {
    base: String,
    received: Store,
}

impl Merchant {
    async fn start() -> Self {
        async fn record(State(store): State<Store>, headers: HeaderMap, body: Bytes) -> StatusCode {
            store.lock().unwrap().push((headers, body));
            StatusCode::OK
        }
        let received = Store::default();
        let app = Router::new()
            .route("/notify", post(record))
            .with_state(received.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Merchant { base, received }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Everything received so far (the sandbox notifies before it redirects the customer).
    fn take(&self) -> Vec<(HeaderMap, Bytes)> {
        std::mem::take(&mut *self.received.lock().unwrap())
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn products_create_get_list_update() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let shop_id = sandbox.begateway_credentials().shop_id.clone();

    let created = client
        .products()
        .create(
            &product("Pro plan")
                .return_url("http://127.0.0.1:9/return")
                .shop_id(shop_id.as_str()),
        )
        .await
        .unwrap();
    let id = created.id.as_str();
    assert!(id.starts_with("prd_") && id.len() == 20, "{id}");
    assert_eq!(created.name, "Pro plan");
    assert_eq!(created.description, "Monthly access");
    assert_eq!(created.price, usd("9.90"));
    assert_eq!(
        (created.amount_minor_wire, created.currency),
        (990, Currency::USD)
    );
    assert_eq!(created.quantity, Some(3));
    assert!(!created.infinite);
    assert!(created.test);
    assert_eq!(created.language, Language::En);
    assert_eq!(created.transaction_type, TransactionType::Payment);
    assert_eq!(
        created.pay_url.as_str(),
        format!("{}/products/{id}/pay", sandbox.begateway_api_url())
    );
    assert_eq!(created.payment_url, created.pay_url);
    assert_eq!(
        created.confirm_url.as_str(),
        format!(
            "{}/v2/confirm_order/{id}/{shop_id}",
            sandbox.begateway_checkout_url()
        )
    );
    assert_eq!(created.created_at, created.updated_at);

    let got = client.products().get(&created.id).await.unwrap();
    assert_eq!(got, created);

    let other = client
        .products()
        .create(
            &CreateProduct::new(
                "Basic plan",
                "Weekly",
                Money::parse("1.000", Currency::KWD).unwrap(),
            )
            .infinite()
            .immortal(),
        )
        .await
        .unwrap();
    assert_eq!(
        (other.amount_minor_wire, other.quantity, other.infinite),
        (1000, None, true)
    );
    let list = client.products().list().await.unwrap();
    let ids: Vec<&str> = list.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&created.id.as_str()) && ids.contains(&other.id.as_str()));

    client
        .products()
        .update(
            &created.id,
            &UpdateProduct::new()
                .name("Pro plan (2024)")
                .amount(usd("9.50"))
                .quantity(5),
        )
        .await
        .unwrap();
    let updated = client.products().get(&created.id).await.unwrap();
    assert_eq!(updated.name, "Pro plan (2024)");
    assert_eq!(updated.price, usd("9.50"));
    assert_eq!(updated.quantity, Some(5));
    assert_eq!(updated.description, "Monthly access");
    assert!(updated.updated_at >= created.updated_at);

    client
        .products()
        .update(
            &created.id,
            &UpdateProduct::new().price(Money::parse("12.00", Currency::EUR).unwrap()),
        )
        .await
        .unwrap();
    let repriced = client.products().get(&created.id).await.unwrap();
    assert_eq!(
        Some(repriced.price),
        Money::parse("12.00", Currency::EUR).ok()
    );
}

#[tokio::test]
async fn validation_errors_are_api_errors_with_field_messages() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    // Valid for the SDK, refused by the server: another shop's id and an unsupported language.
    let request = product("Pro plan")
        .shop_id("999")
        .language(Language::from("xx"));
    match client
        .products()
        .create(&request)
        .await
        .unwrap_err()
        .into_kind()
    {
        ErrorKind::Api {
            status,
            message,
            field_errors,
            ..
        } => {
            assert_eq!(status.as_u16(), 422);
            assert_eq!(
                message.as_deref(),
                Some("Language is not included in the list. Shop id is invalid")
            );
            assert_eq!(
                field_errors.get("language").map(Vec::as_slice),
                Some(&["is not included in the list".to_owned()][..])
            );
            assert_eq!(
                field_errors.get("shop_id").map(Vec::as_slice),
                Some(&["is invalid".to_owned()][..])
            );
        }
        other => panic!("expected Api, got {other:?}"),
    }
    assert!(client.products().list().await.unwrap().is_empty());

    // The same shape on update.
    let created = client
        .products()
        .create(&product("Pro plan"))
        .await
        .unwrap();
    let err = client
        .products()
        .update(&created.id, &UpdateProduct::new().shop_id("999"))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Api { status, field_errors, .. }
            if status.as_u16() == 422 && field_errors.contains_key("shop_id")),
        "{err:?}"
    );
}

#[tokio::test]
async fn wrong_secret_is_unauthorized() {
    let sandbox = sandbox().await;
    let shop_id = sandbox.begateway_credentials().shop_id.clone();
    let wrong = client_with(&sandbox, Credentials::new(shop_id, "not-the-secret-key"));
    let err = wrong
        .products()
        .create(&product("Pro plan"))
        .await
        .unwrap_err();
    match err.kind() {
        ErrorKind::Unauthorized {
            status, message, ..
        } => {
            assert_eq!(status.as_u16(), 401);
            assert_eq!(message.as_deref(), Some("Unauthorized"));
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    assert!(!format!("{err:?}{err}").contains("not-the-secret-key"));
    for err in [
        wrong.products().list().await.unwrap_err(),
        wrong
            .transactions()
            .get(&TransactionUid::new("1-0000000000"))
            .await
            .unwrap_err(),
    ] {
        assert!(
            matches!(err.kind(), ErrorKind::Unauthorized { .. }),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn unknown_product_and_transaction_are_not_found() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let missing = ProductId::new("prd_0000000000000000");
    match client
        .products()
        .get(&missing)
        .await
        .unwrap_err()
        .into_kind()
    {
        ErrorKind::NotFound { message, .. } => {
            assert_eq!(message.as_deref(), Some("Product not found"));
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    let err = client
        .products()
        .update(&missing, &UpdateProduct::new().name("x"))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::NotFound { .. }), "{err:?}");
    let err = client
        .transactions()
        .get(&TransactionUid::new("1-0000000000"))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::NotFound { .. }), "{err:?}");
    let err = client
        .transactions()
        .by_tracking_id("no-such-order")
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::NotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn paid_link_transaction_notification_and_return() {
    let sandbox = sandbox().await;
    let merchant = Merchant::start().await;
    let client = client(&sandbox);
    let verifier = verifier(&sandbox);
    assert!(verifier.requires_signature());

    let return_url = merchant.url("/return?order=42");
    let created = client
        .products()
        .create(
            &product("Pro plan")
                .return_url(return_url.as_str())
                .notification_url(merchant.url("/notify")),
        )
        .await
        .unwrap();

    // The hosted page, opened with the merchant's tracking id (the sandbox's way to set it).
    let page = format!("{}?tracking_id=order-42", created.pay_url);
    let html = browser().get(&page).send().await.unwrap();
    assert_eq!(html.status(), 200);
    assert!(html.text().await.unwrap().contains("9.90 USD"));
    let (status, location) = decide(&page, "pay").await;
    assert_eq!(status, 303);
    let location = location.unwrap();
    assert_eq!(
        &location[..url::Position::AfterPath],
        &merchant.url("/return")[..]
    );

    // The return: only lookup handles are read.
    let back = ReturnParams::from_url(&location);
    let uid = back.uid().unwrap().clone();
    let token = back.token().unwrap();
    assert!(token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(
        location
            .query_pairs()
            .any(|(k, v)| k == "order" && v == "42")
    );

    // The notification: Basic auth and Content-Signature verified over the raw body.
    let received = merchant.take();
    assert_eq!(received.len(), 1);
    let (headers, body) = &received[0];
    let notified = verifier
        .verify(headers, body)
        .map(|n| n.transaction)
        .unwrap();
    assert_eq!(notified.uid, uid);
    assert_eq!(notified.status, TransactionStatus::Successful);
    assert_eq!(notified.outcome(), PaymentOutcome::Paid);
    assert_eq!(notified.amount, Some(usd("9.90")));
    // Tampering, a missing signature or another shop's credentials do not verify.
    let mut altered = body.to_vec();
    altered.extend_from_slice(b" ");
    let auth = header(headers, "authorization");
    let signature = header(headers, "content-signature");
    assert!(matches!(
        verifier
            .verify(&common::notify_headers(auth, signature), &altered)
            .kind(),
        Err(ErrorKind::SignatureInvalid { .. })
    ));
    assert!(
        verifier
            .verify(&common::notify_headers(auth, None), body)
            .is_err()
    );
    let other_shop = WebhookVerifier::new(Credentials::new("361", "another-secret")).unwrap();
    assert!(
        other_shop
            .verify(&common::notify_headers(auth, None), body)
            .is_err()
    );
    // The key served at GET /public_key is the same one.
    let served = browser()
        .get(sandbox.begateway_public_key_url())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let served = WebhookVerifier::new(credentials(&sandbox))
        .unwrap()
        .public_key(served.trim())
        .unwrap();
    assert_eq!(
        served
            .verify(&common::notify_headers(auth, signature), body)
            .unwrap()
            .transaction,
        notified
    );

    // The status that counts: the transaction read back by uid…
    let transaction = client.transactions().get(&uid).await.unwrap();
    assert_eq!(transaction.uid, uid);
    assert_eq!(transaction.status, TransactionStatus::Successful);
    assert_eq!(transaction.outcome(), PaymentOutcome::Paid);
    assert_eq!(transaction.amount, Some(usd("9.90")));
    assert_eq!(transaction.kind, Some(TransactionType::Payment));
    assert_eq!(transaction.tracking_id.as_deref(), Some("order-42"));
    assert_eq!(transaction.description.as_deref(), Some("Monthly access"));
    assert!(transaction.test);
    assert_eq!(
        transaction
            .credit_card
            .as_ref()
            .and_then(|c| c.brand.as_deref()),
        Some("visa")
    );
    let payment = transaction.payment.as_ref().unwrap();
    assert_eq!(payment.status, Some(TransactionStatus::Successful));
    assert!(payment.auth_code.as_ref().is_some_and(|c| c.len() == 6));
    assert_eq!(transaction, notified);

    // …and by tracking id.
    let by_tracking = client
        .transactions()
        .by_tracking_id("order-42")
        .await
        .unwrap();
    assert_eq!(by_tracking, vec![transaction.clone()]);

    // A paid unit left the stock.
    let after = client.products().get(&created.id).await.unwrap();
    assert_eq!(after.quantity, Some(2));
}

#[tokio::test]
async fn declined_link_and_several_transactions_per_tracking_id() {
    let sandbox = sandbox().await;
    let merchant = Merchant::start().await;
    let client = client(&sandbox);
    let verifier = verifier(&sandbox);
    let created = client
        .products()
        .create(
            &product("Pro plan")
                .quantity(1)
                .success_url(merchant.url("/ok"))
                .fail_url(merchant.url("/ko"))
                .notification_url(merchant.url("/notify")),
        )
        .await
        .unwrap();
    let page = format!("{}?tracking_id=order-7", created.pay_url);

    let (status, location) = decide(&page, "decline").await;
    assert_eq!(status, 303);
    let location = location.unwrap();
    assert_eq!(location.path(), "/ko");
    let declined_uid = ReturnParams::from_url(&location).uid().unwrap().clone();
    let received = merchant.take();
    let (headers, body) = &received[0];
    let notified = verifier
        .verify(headers, body)
        .map(|n| n.transaction)
        .unwrap();
    assert_eq!(notified.status, TransactionStatus::Failed);
    assert_eq!(notified.outcome(), PaymentOutcome::Failed);
    let declined = client.transactions().get(&declined_uid).await.unwrap();
    assert_eq!(declined.outcome(), PaymentOutcome::Failed);
    // A decline does not consume stock.
    assert_eq!(
        client.products().get(&created.id).await.unwrap().quantity,
        Some(1)
    );

    // A second attempt pays; the tracking id now has two transactions, newest first.
    let (status, location) = decide(&page, "pay").await;
    assert_eq!(status, 303);
    let location = location.unwrap();
    assert_eq!(location.path(), "/ok");
    let paid_uid = ReturnParams::from_url(&location).uid().unwrap().clone();
    let all = client
        .transactions()
        .by_tracking_id("order-7")
        .await
        .unwrap();
    let uids: Vec<&TransactionUid> = all.iter().map(|t| &t.uid).collect();
    assert_eq!(uids, vec![&paid_uid, &declined_uid]);
    assert_eq!(all[0].outcome(), PaymentOutcome::Paid);

    // Sold out: the link cannot be paid again.
    assert_eq!(
        client.products().get(&created.id).await.unwrap().quantity,
        Some(0)
    );
    let (status, _) = decide(&page, "pay").await;
    assert_eq!(status, 410);
}

/// The replay, against the sandbox: two orders with a product (payment link) each, at
/// the same price; order 42 is paid; its genuine paid uid, presented on order 44's return, is
/// refused by `confirm` (another order), while it confirms order 42.
#[tokio::test]
async fn a_paid_uid_replayed_on_another_orders_return_is_refused() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let merchant = Merchant::start().await;
    let mut links = Vec::new();
    for order in [42, 44] {
        let created = client
            .products()
            .create(
                &product(&format!("Order {order}"))
                    .return_url(merchant.url(&format!("/return?order={order}")).as_str()),
            )
            .await
            .unwrap();
        links.push(format!("{}?tracking_id=order-{order}", created.pay_url));
    }
    // Order 42 is paid; order 44's link is never used.
    let (status, location) = decide(&links[0], "pay").await;
    assert_eq!(status, 303);
    let paid_uid = ReturnParams::from_url(&location.unwrap())
        .uid()
        .unwrap()
        .clone();
    let expected_42 = ExpectedPayment::new("order-42", usd("9.90")).test(true);
    let expected_44 = ExpectedPayment::new("order-44", usd("9.90")).test(true);
    assert_eq!(
        client
            .transactions()
            .confirm(&paid_uid, &expected_42)
            .await
            .unwrap(),
        PaymentVerdict::Paid
    );
    // The forged return of order 44 carries order 42's uid and `status=successful`.
    let forged = Url::parse(&format!(
        "{}&uid={paid_uid}&status=successful",
        merchant.url("/return?order=44")
    ))
    .unwrap();
    let back = ReturnParams::from_url(&forged);
    let replayed = back.uid().unwrap();
    // The transaction itself is genuine, successful and for the same amount…
    let t = client.transactions().get(replayed).await.unwrap();
    assert_eq!(t.outcome(), PaymentOutcome::Paid);
    assert_eq!(t.amount, Some(usd("9.90")));
    // …and it is order 42's, not order 44's.
    assert_eq!(
        client
            .transactions()
            .confirm(replayed, &expected_44)
            .await
            .unwrap(),
        PaymentVerdict::OtherOrder {
            found: Some("order-42".into())
        }
    );
    // The sandbox also records the product the payment went through.
    assert!(t.product_id().is_some());
}
