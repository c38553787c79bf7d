//! End-to-end: every public operation of the SDK against the local sandbox
//! (`payments-sandbox`), including the hosted gateway driven over plain HTTP.
//!
//! What the sandbox does where JataPay's documentation is silent (`attiva` / `completata` /
//! `annullata` after the customer acts, `{"msg"}` errors) is the sandbox's choice; the SDK
//! knows these names as inferred variants, reads every `stato` as Pending in `outcome()`, and
//! maps them to paid / failed only in the opt-in `inferred_outcome()`.

use std::time::Duration;

use jatapay::{
    Client, Credentials, Currency, ErrorKind, GatewayRequest, Money, PaymentOutcome, SecretString,
    SubscriptionId, SubscriptionStatus,
};
use payments_sandbox::{RunningSandbox, Sandbox, SandboxConfig};

async fn sandbox() -> RunningSandbox {
    Sandbox::start(SandboxConfig::new()).await.unwrap()
}

fn credentials(sandbox: &RunningSandbox) -> Credentials {
    let c = sandbox.jatapay_credentials();
    Credentials::new(
        SecretString::from(c.client_id.clone()),
        SecretString::from(c.client_secret.clone()),
    )
}

fn builder(sandbox: &RunningSandbox, credentials: Credentials) -> jatapay::ClientBuilder {
    Client::builder(credentials)
        .auth_base_url(sandbox.jatapay_auth_url())
        .api_base_url(sandbox.jatapay_api_url())
        .gateway_base_url(sandbox.jatapay_dashboard_url())
}

fn client(sandbox: &RunningSandbox) -> Client {
    builder(sandbox, credentials(sandbox)).build().unwrap()
}

fn request(callback: &str) -> GatewayRequest {
    GatewayRequest::new(
        Money::parse("20.00", Currency::EUR).unwrap(),
        callback,
        "Piano mensile",
    )
    .note("Ordine 42")
}

/// The customer's browser: never follows redirects.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Submits the hosted page's form; returns the status and the `Location` header.
async fn decide(page: &str, decision: &str) -> (u16, Option<String>) {
    let response = browser()
        .post(page)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("decision={decision}"))
        .send()
        .await
        .unwrap();
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    (response.status().as_u16(), location)
}

const CALLBACK: &str = "http://127.0.0.1:9/shop/return?order=42";

#[tokio::test]
async fn token_is_fetched_on_demand_and_refetched_after_expiry() {
    let sandbox =
        Sandbox::start(SandboxConfig::new().jatapay_token_lifetime(Duration::from_secs(1)))
            .await
            .unwrap();
    let client = client(&sandbox);

    // Explicit fetch, then a call with the cached token.
    client.authenticate().await.unwrap();
    let created = client
        .subscriptions()
        .create(&request(CALLBACK))
        .await
        .unwrap();

    // The token expires (401 "Token has expired"): the client fetches a new one once and
    // repeats the call, for reads and for writes.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let read = client.subscriptions().get(&created.id).await.unwrap();
    assert_eq!(read.id, created.id);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let again = client
        .subscriptions()
        .create(&request(CALLBACK))
        .await
        .unwrap();
    assert_ne!(again.id, created.id);

    // A clone shares the cache; an explicit refresh works at any time.
    client.clone().authenticate().await.unwrap();
    client.subscriptions().get(&again.id).await.unwrap();
}

#[tokio::test]
async fn bad_credentials_and_foreign_tokens_are_unauthorized() {
    let sandbox = sandbox().await;

    let wrong = builder(
        &sandbox,
        Credentials::new(
            SecretString::from("sbx_jatapay_client"),
            SecretString::from("not-the-secret"),
        ),
    )
    .build()
    .unwrap();
    match wrong.authenticate().await.unwrap_err().into_kind() {
        ErrorKind::Unauthorized {
            status, message, ..
        } => {
            assert_eq!(status.as_u16(), 401);
            assert_eq!(message.as_deref(), Some("Bad client credentials"));
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    let err = wrong
        .subscriptions()
        .create(&request(CALLBACK))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Unauthorized { .. }),
        "{err:?}"
    );

    // A token the API never issued: flask-jwt-extended's 422 → Unauthorized, no retry.
    let token_only = builder(
        &sandbox,
        Credentials::token(SecretString::from(
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
        )),
    )
    .build()
    .unwrap();
    match token_only
        .subscriptions()
        .get(&SubscriptionId::new("65b279426d2f219d702a7f69"))
        .await
        .unwrap_err()
        .into_kind()
    {
        ErrorKind::Unauthorized {
            status, message, ..
        } => {
            assert_eq!(status.as_u16(), 422);
            assert_eq!(message.as_deref(), Some("Signature verification failed"));
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    // Without credentials the client cannot fetch a token at all.
    let err = token_only.authenticate().await.unwrap_err();
    assert_eq!(err.invalid_field(), Some("credentials"));
}

#[tokio::test]
async fn subscription_before_and_after_paying() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);

    let created = client
        .subscriptions()
        .create(&request(CALLBACK))
        .await
        .unwrap();
    let id = created.id.as_str();
    assert!(
        id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{id}"
    );

    let before = client.subscriptions().get(&created.id).await.unwrap();
    assert_eq!(before.id, created.id);
    assert_eq!(before.status, SubscriptionStatus::Iniziata);
    assert_eq!(before.outcome(), PaymentOutcome::Pending);
    assert_eq!(before.amount, Money::from_minor_units(2000, Currency::EUR));
    assert_eq!(before.callback_url.as_deref(), Some(CALLBACK));
    assert_eq!(before.note.as_deref(), Some("Ordine 42"));
    assert_eq!(before.customer.as_deref(), Some("open"));
    assert_eq!(before.client.as_deref(), Some("JataPay"));
    assert!(before.merchant.is_some() && before.user.is_some());
    let number = before.number.unwrap();
    assert_eq!(before.number_text, Some(number.to_string()));
    let created_at = before.created_at.unwrap();
    assert_eq!(before.start_date, Some(created_at));
    let age = time::OffsetDateTime::now_utc() - created_at;
    assert!(age.whole_seconds().abs() < 60, "{created_at}");

    // The hosted gateway: a real page, then the customer pays and is sent to callback_url
    // with nothing added (JataPay documents no query string on the return).
    let gateway = client.gateway_url(&created.id).unwrap();
    assert_eq!(
        gateway.as_str(),
        format!("{}/gateway/{id}", sandbox.jatapay_dashboard_url())
    );
    let page = browser().get(gateway.as_str()).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("20.00 EUR"));
    let (status, location) = decide(gateway.as_str(), "pay").await;
    assert_eq!((status, location.as_deref()), (303, Some(CALLBACK)));

    let after = client.subscriptions().get(&created.id).await.unwrap();
    // `attiva` is the sandbox's (undocumented) paid state: the documented reading stays
    // Pending, the opt-in inferred reading says Paid.
    assert_eq!(after.status, SubscriptionStatus::Attiva);
    assert_eq!(after.status.as_str(), "attiva");
    assert_eq!(after.outcome(), PaymentOutcome::Pending);
    assert_eq!(after.inferred_outcome(), PaymentOutcome::Paid);
    assert_eq!(after.amount, before.amount);
    assert_eq!(after.number, before.number);

    // The gateway refuses a second decision.
    let (status, _) = decide(gateway.as_str(), "pay").await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn declined_subscription() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let created = client
        .subscriptions()
        .create(&request(CALLBACK))
        .await
        .unwrap();
    let gateway = client.gateway_url(&created.id).unwrap();
    let (status, location) = decide(gateway.as_str(), "decline").await;
    assert_eq!((status, location.as_deref()), (303, Some(CALLBACK)));

    let after = client.subscriptions().get(&created.id).await.unwrap();
    assert_eq!(after.status, SubscriptionStatus::Annullata);
    assert_eq!(after.outcome(), PaymentOutcome::Pending);
    assert_eq!(after.inferred_outcome(), PaymentOutcome::Failed);
}

#[tokio::test]
async fn one_off_payment_opens_the_same_gateway() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let amount = Money::parse("49.90", Currency::EUR).unwrap();
    let payment = client
        .payments()
        .create(&GatewayRequest::new(amount, CALLBACK, "Ordine 43"))
        .await
        .unwrap();
    let id = payment.id.as_str();
    assert!(
        id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{id}"
    );

    let gateway = client.gateway_url(&payment.id).unwrap();
    let page = browser().get(gateway.as_str()).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("49.90 EUR") && html.contains("Ordine 43"),
        "{html}"
    );
    let (status, location) = decide(gateway.as_str(), "pay").await;
    assert_eq!((status, location.as_deref()), (303, Some(CALLBACK)));

    // A payment id is not a subscription id.
    let err = client
        .subscriptions()
        .get(&SubscriptionId::new(id))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::NotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn unknown_ids_are_not_found() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    match client
        .subscriptions()
        .get(&SubscriptionId::new("000000000000000000000000"))
        .await
        .unwrap_err()
        .into_kind()
    {
        ErrorKind::NotFound { message, .. } => {
            assert_eq!(message.as_deref(), Some("Subscription not found"));
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    let gateway = client
        .gateway_url(&SubscriptionId::new("000000000000000000000000"))
        .unwrap();
    let page = browser().get(gateway.as_str()).send().await.unwrap();
    assert_eq!(page.status(), 404);
}

#[tokio::test]
async fn invalid_requests_never_reach_the_sandbox() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let usd = GatewayRequest::new(
        Money::parse("20.00", Currency::USD).unwrap(),
        CALLBACK,
        "Piano",
    );
    let err = client.subscriptions().create(&usd).await.unwrap_err();
    assert_eq!(err.invalid_field(), Some("importo"));
    let public_http = request("http://shop.example/return");
    let err = client.payments().create(&public_http).await.unwrap_err();
    assert_eq!(err.invalid_field(), Some("callback_url"));
    // Nothing was created: the first real create gets the sequence's first number.
    let created = client
        .subscriptions()
        .create(&request(CALLBACK))
        .await
        .unwrap();
    let read = client.subscriptions().get(&created.id).await.unwrap();
    assert_eq!(read.number, Some(1));
}
