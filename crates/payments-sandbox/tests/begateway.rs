//! beGateway over raw HTTP: products API, pay link, transactions, signed notifications.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::*;
use serde_json::{Value, json};

fn creds(s: &payments_sandbox::RunningSandbox) -> (String, String) {
    let c = s.begateway_credentials();
    (c.shop_id.clone(), c.secret_key.clone())
}

#[tokio::test]
async fn products_api_statuses_and_bodies() {
    let s = start().await;
    let c = client();
    let (shop, key) = creds(&s);
    let auth = Auth::Basic(&shop, &key);
    let products = format!("{}/products", s.begateway_api_url());

    let create = json!({
        "name": "product", "description": "description", "currency": "USD", "amount": "990",
        "infinite": true, "test": false, "immortal": true, "return_url": "http://return-url.com",
        "shop_id": shop, "language": "en", "transaction_type": "payment"
    });
    let (status, p) = json_of(post_json(&c, &products, &create, auth).await).await;
    assert_eq!(status, 201, "{p}");
    let id = p["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("prd_") && is_hex(&id[4..], 16), "{id}");
    assert_eq!(p["amount"], 990);
    assert_eq!(p["quantity"], Value::Null);
    assert_eq!(p["pay_url"], p["payment_url"]);
    assert_eq!(
        p["pay_url"],
        format!("{}/products/{id}/pay", s.begateway_api_url()).as_str()
    );
    assert_eq!(
        p["confirm_url"],
        format!(
            "{}/v2/confirm_order/{id}/{shop}",
            s.begateway_checkout_url()
        )
        .as_str()
    );
    assert_eq!(p["additional_data"], json!({}));
    assert!(p["created_at"].as_str().unwrap().ends_with('Z'));

    let (status, got) = json_of(get(&c, &format!("{products}/{id}"), auth).await).await;
    assert_eq!((status, &got), (200, &p));

    let resp = auth_put(
        &c,
        &format!("{products}/{id}"),
        &json!({"amount": 950, "infinite": false, "quantity": "5"}),
        &shop,
        &key,
    )
    .await;
    assert_eq!(resp.status(), 204);
    assert!(resp.bytes().await.unwrap().is_empty());
    let (_, list) = json_of(get(&c, &products, auth).await).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0]["amount"].as_i64(), list[0]["quantity"].as_i64()),
        (Some(950), Some(5))
    );
    assert_eq!(list[0]["infinite"], false);

    // 422: the documented currency error, and blank fields.
    let mut bad = create.clone();
    bad["currency"] = json!("usd");
    let (status, err) = json_of(post_json(&c, &products, &bad, auth).await).await;
    assert_eq!(status, 422);
    assert_eq!(
        err,
        json!({
            "message": "Currency is not in ISO 4217 Alpha-3 format. Currency is unknown ISO 4217 Alpha-3 code",
            "errors": {"currency": ["is not in ISO 4217 Alpha-3 format", "is unknown ISO 4217 Alpha-3 code"]}
        })
    );
    bad["currency"] = json!("XYZ");
    bad.as_object_mut().unwrap().remove("name");
    let (status, err) = json_of(post_json(&c, &products, &bad, auth).await).await;
    assert_eq!(status, 422);
    assert_eq!(err["errors"]["name"], json!(["can't be blank"]));
    assert_eq!(
        err["errors"]["currency"],
        json!(["is unknown ISO 4217 Alpha-3 code"])
    );
    let (status, err) = json_of(post_json(&c, &products, &json!([1]), auth).await).await;
    assert_eq!(status, 422, "{err}");
    let resp = auth_put(
        &c,
        &format!("{products}/{id}"),
        &json!({"amount": -1}),
        &shop,
        &key,
    )
    .await;
    assert_eq!(resp.status(), 422);

    // 401 and 404.
    let (status, _) = json_of(get(&c, &products, Auth::None).await).await;
    assert_eq!(status, 401);
    let (status, _) = json_of(get(&c, &products, Auth::Basic(&shop, "wrong")).await).await;
    assert_eq!(status, 401);
    let (status, err) =
        json_of(get(&c, &format!("{products}/prd_0000000000000000"), auth).await).await;
    assert_eq!(status, 404);
    assert!(err["message"].is_string());

    // Public key endpoint serves the advertised key.
    let pk = get(
        &c,
        &format!("{}/begateway/public_key", s.base_url()),
        Auth::None,
    )
    .await
    .text()
    .await
    .unwrap();
    assert_eq!(pk, s.begateway_credentials().public_key);
}

async fn auth_put(
    c: &reqwest::Client,
    url: &str,
    body: &Value,
    shop: &str,
    key: &str,
) -> reqwest::Response {
    c.put(url)
        .basic_auth(shop, Some(key))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

async fn product_with_hooks(
    c: &reqwest::Client,
    s: &payments_sandbox::RunningSandbox,
    listener: &Listener,
) -> Value {
    let (shop, key) = creds(s);
    let body = json!({
        "name": "Pro plan", "description": "Monthly access", "currency": "USD", "amount": 990,
        "quantity": 1, "language": "en",
        "return_url": "https://shop.example/return?order=42",
        "notification_url": format!("{}/begateway/notify", listener.base_url),
    });
    let (status, p) = json_of(
        post_json(
            c,
            &format!("{}/products", s.begateway_api_url()),
            &body,
            Auth::Basic(&shop, &key),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{p}");
    p
}

fn query_of(location: &str) -> Vec<(String, String)> {
    url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

#[tokio::test]
async fn paying_the_link_redirects_notifies_and_records_the_transaction() {
    let s = start().await;
    let c = client();
    let listener = Listener::start().await;
    let (shop, key) = creds(&s);
    let p = product_with_hooks(&c, &s, &listener).await;
    let pay_url = format!("{}?tracking_id=order-42", p["pay_url"].as_str().unwrap());

    let page = get(&c, &pay_url, Auth::None).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("9.90 USD") && html.contains("Pro plan"),
        "{html}"
    );
    assert!(html.contains("id=\"pay\"") && html.contains("order-42"));

    let resp = c
        .post(&pay_url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("decision=pay&tracking_id=order-42")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let loc = location(&resp);
    assert!(
        loc.starts_with("https://shop.example/return?order=42&"),
        "{loc}"
    );
    let q = query_of(&loc);
    let uid = q.iter().find(|(k, _)| k == "uid").unwrap().1.clone();
    assert!(q.iter().any(|(k, v)| k == "status" && v == "successful"));
    assert!(q.iter().any(|(k, v)| k == "token" && v.len() == 64));

    // The notification: Basic auth + Content-Signature over the raw body.
    let got = listener.take();
    assert_eq!(got.len(), 1);
    let n = &got[0];
    assert_eq!(n.path, "/begateway/notify");
    let expected_auth = format!("Basic {}", STANDARD.encode(format!("{shop}:{key}")));
    assert_eq!(header(n, "authorization"), expected_auth);
    let sig = STANDARD.decode(header(n, "content-signature")).unwrap();
    assert!(rsa_verify(
        &s.begateway_credentials().public_key,
        &n.body,
        &sig
    ));
    let mut tampered = n.body.to_vec();
    tampered[5] ^= 1;
    assert!(!rsa_verify(
        &s.begateway_credentials().public_key,
        &tampered,
        &sig
    ));
    let note: Value = serde_json::from_slice(&n.body).unwrap();
    assert_eq!(note["transaction"]["uid"], uid.as_str());
    assert_eq!(note["transaction"]["status"], "successful");

    // Status queries by uid and tracking_id.
    let auth = Auth::Basic(&shop, &key);
    let (status, tx) = json_of(
        get(
            &c,
            &format!("{}/transactions/{uid}", s.begateway_gateway_url()),
            auth,
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(tx["transaction"]["status"], "successful");
    assert_eq!(tx["transaction"]["amount"], 990);
    assert_eq!(tx["transaction"]["currency"], "USD");
    assert_eq!(tx["transaction"]["tracking_id"], "order-42");
    assert_eq!(tx, note);
    let (status, by_tid) = json_of(
        get(
            &c,
            &format!(
                "{}/transactions/tracking_id/order-42",
                s.begateway_gateway_url()
            ),
            auth,
        )
        .await,
    )
    .await;
    assert_eq!((status, &by_tid), (200, &tx));
    let (status, _) = json_of(
        get(
            &c,
            &format!("{}/transactions/nope", s.begateway_gateway_url()),
            auth,
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = json_of(
        get(
            &c,
            &format!("{}/transactions/{uid}", s.begateway_gateway_url()),
            Auth::None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 401);

    // quantity was 1: the link is now sold out.
    let id = p["id"].as_str().unwrap();
    let (_, after) = json_of(
        get(
            &c,
            &format!("{}/products/{id}", s.begateway_api_url()),
            auth,
        )
        .await,
    )
    .await;
    assert_eq!(after["quantity"], 0);
    let again = get(&c, &pay_url, Auth::None).await;
    assert_eq!(again.status(), 410);
    assert!(again.text().await.unwrap().contains("sold out"));
    assert_eq!(s.deliveries().len(), 1);
    assert_eq!(s.deliveries()[0].status, Some(200));
}

#[tokio::test]
async fn declining_creates_a_failed_transaction_and_keeps_the_link() {
    let s = start().await;
    let c = client();
    let listener = Listener::start().await;
    let (shop, key) = creds(&s);
    let p = product_with_hooks(&c, &s, &listener).await;
    let pay_url = p["pay_url"].as_str().unwrap();

    let resp = decide(&c, pay_url, "decline").await;
    assert_eq!(resp.status(), 303);
    let q = query_of(&location(&resp));
    assert!(q.iter().any(|(k, v)| k == "status" && v == "failed"));
    let uid = q.iter().find(|(k, _)| k == "uid").unwrap().1.clone();

    let got = listener.take();
    assert_eq!(got.len(), 1);
    let sig = STANDARD
        .decode(header(&got[0], "content-signature"))
        .unwrap();
    assert!(rsa_verify(
        &s.begateway_credentials().public_key,
        &got[0].body,
        &sig
    ));
    let (_, tx) = json_of(
        get(
            &c,
            &format!("{}/transactions/{uid}", s.begateway_gateway_url()),
            Auth::Basic(&shop, &key),
        )
        .await,
    )
    .await;
    assert_eq!(tx["transaction"]["status"], "failed");
    // Default tracking_id is the product id; the product is recorded with the transaction too
    // (the order tie a confirmation checks).
    assert_eq!(tx["transaction"]["tracking_id"], p["id"]);
    assert_eq!(tx["transaction"]["additional_data"]["product_id"], p["id"]);

    // Declining does not use up the quantity; the customer may still pay.
    assert_eq!(get(&c, pay_url, Auth::None).await.status(), 200);
    let resp = decide(&c, pay_url, "pay").await;
    assert_eq!(resp.status(), 303);
    // Two transactions share the tracking id now: the list form.
    let (_, both) = json_of(
        get(
            &c,
            &format!(
                "{}/transactions/tracking_id/{}",
                s.begateway_gateway_url(),
                p["id"].as_str().unwrap()
            ),
            Auth::Basic(&shop, &key),
        )
        .await,
    )
    .await;
    assert_eq!(both["transactions"].as_array().map(Vec::len), Some(2));
    assert_eq!(both["transactions"][0]["status"], "successful");

    // A notification endpoint that is down does not break the flow.
    let (status, p2) = json_of(
        post_json(
            &c,
            &format!("{}/products", s.begateway_api_url()),
            &json!({
                "name": "n", "description": "d", "currency": "EUR", "amount": 100, "infinite": true,
                "language": "en", "notification_url": "http://127.0.0.1:9/down"
            }),
            Auth::Basic(&shop, &key),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201);
    let resp = decide(&c, p2["pay_url"].as_str().unwrap(), "pay").await;
    assert_eq!(resp.status(), 200, "no return_url: result page");
    assert!(
        s.deliveries()
            .iter()
            .any(|d| d.url.ends_with("/down") && d.error.is_some())
    );

    // Unknown link.
    assert_eq!(
        get(
            &c,
            &format!(
                "{}/products/prd_0000000000000000/pay",
                s.begateway_api_url()
            ),
            Auth::None
        )
        .await
        .status(),
        404
    );
}

/// The SDK against the sandbox: a client on every beGateway host of the sandbox.
fn sdk(s: &payments_sandbox::RunningSandbox) -> begateway::Client {
    let (shop, key) = creds(s);
    begateway::Client::builder(begateway::Credentials::new(shop, key))
        .api_base_url(s.begateway_api_url())
        .checkout_base_url(s.begateway_checkout_url())
        .gateway_base_url(s.begateway_gateway_url())
        .build()
        .unwrap()
}

fn usd(text: &str) -> begateway::Money {
    begateway::Money::parse(text, begateway::Currency::USD).unwrap()
}

/// Checkout: create → hosted page → pay → signed notification → finished checkout with the
/// transaction's uid → confirmed for the order.
#[tokio::test]
async fn a_checkout_is_paid_on_the_hosted_page_and_reads_back_finished() {
    use begateway::{CheckoutType, CreateCheckout, ExpectedPayment, PaymentVerdict};
    let s = start().await;
    let sdk = sdk(&s);
    let request = CreateCheckout::new(CheckoutType::Payment, usd("12.50"), "Order 42", "order-42")
        .test(true)
        .notification_url("http://127.0.0.1:9/notify")
        .success_url("http://127.0.0.1:9/paid?order=42")
        .decline_url("http://127.0.0.1:9/declined");
    let checkout = sdk.checkouts().create(&request).await.unwrap();
    assert_eq!(checkout.token.as_str().len(), 64);
    let before = sdk.checkouts().get(&checkout.token).await.unwrap();
    assert!(!before.finished);
    assert_eq!(before.order.as_ref().unwrap().amount(), Some(usd("12.50")));

    let c = client();
    let page = c.get(checkout.redirect_url.as_str()).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("12.50 USD"));
    let paid = c
        .post(checkout.redirect_url.as_str())
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=pay")
        .send()
        .await
        .unwrap();
    assert_eq!(paid.status(), 303);
    let location = paid.headers()["location"].to_str().unwrap().to_owned();
    let back = query_of(&location);
    assert!(back.contains(&("order".into(), "42".into())), "{location}");
    assert!(
        back.contains(&("token".into(), checkout.token.to_string())),
        "{location}"
    );

    let after = sdk.checkouts().get(&checkout.token).await.unwrap();
    assert!(after.finished);
    let uid = after.transaction_uid().unwrap().clone();
    assert!(
        back.contains(&("uid".into(), uid.to_string())),
        "{location}"
    );
    let notified = s.deliveries();
    let last = notified.last().unwrap();
    assert_eq!(last.provider, "begateway");
    assert!(last.headers.iter().any(|(k, _)| k == "Content-Signature"));
    let verdict = sdk
        .transactions()
        .confirm(
            &uid,
            &ExpectedPayment::new("order-42", usd("12.50")).test(true),
        )
        .await
        .unwrap();
    assert_eq!(verdict, PaymentVerdict::Paid);
    // A finished checkout cannot be paid again.
    let again = c
        .post(checkout.redirect_url.as_str())
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=pay")
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 410);
    // An invalid checkout is refused with field errors.
    let bad = CreateCheckout::new(CheckoutType::from("sale"), usd("1"), "x", "o");
    assert_eq!(
        sdk.checkouts()
            .create(&bad)
            .await
            .unwrap_err()
            .invalid_field(),
        Some("transaction_type")
    );
}

/// Card writes: RequestID replay, and follow-ups that change the parent's state.
#[tokio::test]
async fn card_writes_replay_by_request_id_and_follow_ups_change_the_parent() {
    use begateway::{
        Card, ChargeRequest, FollowUp, PaymentOutcome, PaymentSource, RequestOptions,
        TransactionStatus,
    };
    let s = start().await;
    let sdk = sdk(&s);
    let card = |number: &str| PaymentSource::Card(Card::new(number, "123", "JOHN DOE", 12, 2030));
    let charge =
        ChargeRequest::new(usd("9.90"), "Order 7", "order-7", card("4200000000000000")).test(true);
    // The same RequestID twice: one transaction, the first answer again.
    let keyed = sdk.with_options(RequestOptions::new().idempotency_key("order-7-charge-1"));
    let first = keyed.card_transactions().payment(&charge).await.unwrap();
    let second = keyed.card_transactions().payment(&charge).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(first.outcome(), PaymentOutcome::Paid);
    let by_order = sdk.transactions().by_tracking_id("order-7").await.unwrap();
    assert_eq!(by_order.len(), 1, "a replayed RequestID charges once");
    // Without a caller key, two calls are two payments.
    let declined = sdk
        .card_transactions()
        .payment(&ChargeRequest::new(
            usd("9.90"),
            "Order 8",
            "order-8",
            card("4005550000000019"),
        ))
        .await
        .unwrap();
    assert_eq!(declined.status, TransactionStatus::Failed);

    // Partial refunds take from what is left; more is refused naming the amount.
    let refund = |amount: &str| FollowUp::new(first.uid.clone(), usd(amount)).reason("returned");
    let r1 = sdk
        .card_transactions()
        .refund(&refund("4.00"))
        .await
        .unwrap();
    assert_eq!(r1.outcome(), PaymentOutcome::Refunded);
    assert_eq!(r1.parent_uid.as_ref(), Some(&first.uid));
    let err = sdk
        .card_transactions()
        .refund(&refund("6.00"))
        .await
        .unwrap_err();
    assert!(err.field_error("amount").is_some(), "{err}");
    sdk.card_transactions()
        .refund(&refund("5.90"))
        .await
        .unwrap();

    // An authorization: captured once (partially), then neither voided nor over-captured.
    let auth = sdk
        .card_transactions()
        .authorization(&charge)
        .await
        .unwrap();
    assert_eq!(auth.outcome(), PaymentOutcome::Pending);
    let capture = |amount: &str| FollowUp::new(auth.uid.clone(), usd(amount));
    let captured = sdk
        .card_transactions()
        .capture(&capture("5.00"))
        .await
        .unwrap();
    assert_eq!(captured.outcome(), PaymentOutcome::Paid);
    let err = sdk
        .card_transactions()
        .void(&capture("9.90"))
        .await
        .unwrap_err();
    assert!(err.field_error("parent_uid").is_some(), "{err}");
    let err = sdk
        .card_transactions()
        .capture(&capture("5.00"))
        .await
        .unwrap_err();
    assert!(err.field_error("amount").is_some(), "{err}");
    // A refund of the capture works; a refund of the authorization itself does not.
    sdk.card_transactions()
        .refund(&FollowUp::new(captured.uid.clone(), usd("5.00")).reason("returned"))
        .await
        .unwrap();
    let err = sdk
        .card_transactions()
        .refund(&FollowUp::new(auth.uid.clone(), usd("1.00")).reason("x"))
        .await
        .unwrap_err();
    assert!(err.field_error("parent_uid").is_some(), "{err}");
    // Card tokens the sandbox reports charge; others are refused.
    let token = PaymentSource::Token(begateway::SecretString::from(
        "40bd001563085fc35165329ea1ff5c5ecbdbbeef40bd001563085fc35165329e",
    ));
    let by_token = sdk
        .card_transactions()
        .payment(&ChargeRequest::new(
            usd("1.00"),
            "Order 9",
            "order-9",
            token,
        ))
        .await
        .unwrap();
    assert_eq!(by_token.outcome(), PaymentOutcome::Paid);
    let err = sdk
        .card_transactions()
        .payment(&ChargeRequest::new(
            usd("1.00"),
            "Order 9",
            "order-9",
            PaymentSource::Token(begateway::SecretString::from("unknown-token")),
        ))
        .await
        .unwrap_err();
    assert!(err.field_error("credit_card.token").is_some(), "{err}");
}

/// Card tokens: a saved card answers its token and masked details, a `RequestID` repeat gets
/// the same token, the token pays, an update changes the expiry, an unknown token is a 404 and
/// a bad number a 422 naming `number`.
#[tokio::test]
async fn a_saved_card_token_pays_and_its_expiry_can_be_updated() {
    use begateway::ExposeSecret;
    use begateway::{ChargeRequest, CreateCardToken, PaymentSource, UpdateCardToken};
    let s = start().await;
    let sdk = sdk(&s);
    let card = sdk
        .card_tokens()
        .create(&CreateCardToken::new(
            "4200000000000000",
            "JOHN DOE",
            1,
            2030,
        ))
        .await
        .unwrap();
    assert_eq!(card.token.expose_secret().len(), 64);
    assert_eq!(card.brand.as_deref(), Some("visa"));
    assert_eq!(card.last_4.as_deref(), Some("0000"));
    assert_eq!(card.first_1.as_deref(), Some("4"));
    assert_eq!((card.exp_month, card.exp_year), (Some(1), Some(2030)));

    // The same RequestID is the same operation: the first answer again, no second card.
    let (shop, key) = creds(&s);
    let c = client();
    let url = format!("{}/credit_cards", s.begateway_gateway_url());
    let body = json!({"request": {"number": "5555555555554444", "holder": "JANE DOE",
        "exp_month": "02", "exp_year": 2031}});
    let mut tokens = Vec::new();
    for _ in 0..2 {
        let resp = c
            .post(&url)
            .basic_auth(&shop, Some(&key))
            .header("RequestID", "save-card-1")
            .json(&body)
            .send()
            .await
            .unwrap();
        let (status, v) = json_of(resp).await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["brand"], "master");
        tokens.push(v["token"].as_str().unwrap().to_owned());
    }
    assert_eq!(tokens[0], tokens[1]);

    let paid = sdk
        .card_transactions()
        .payment(
            &ChargeRequest::new(
                usd("4.00"),
                "Order 7",
                "order-7",
                PaymentSource::Token(card.token.clone()),
            )
            .test(true),
        )
        .await
        .unwrap();
    assert_eq!(paid.outcome(), begateway::PaymentOutcome::Paid);

    let renewed = sdk
        .card_tokens()
        .update(&card.token, &UpdateCardToken::new().expiry(3, 2033))
        .await
        .unwrap();
    assert_eq!(renewed.token.expose_secret(), card.token.expose_secret());
    assert_eq!((renewed.exp_month, renewed.exp_year), (Some(3), Some(2033)));
    assert_eq!(renewed.holder.as_deref(), Some("JOHN DOE"));

    let unknown = sdk
        .card_tokens()
        .update(
            &begateway::SecretString::from("f".repeat(64)),
            &UpdateCardToken::new().holder("X"),
        )
        .await
        .unwrap_err();
    assert_eq!(unknown.status().map(|s| s.as_u16()), Some(404));

    let resp = c
        .post(&url)
        .basic_auth(&shop, Some(&key))
        .json(
            &json!({"request": {"number": "4200000000000001", "holder": "J",
            "exp_month": 1, "exp_year": 2030}}),
        )
        .send()
        .await
        .unwrap();
    let (status, v) = json_of(resp).await;
    assert_eq!(status, 422);
    assert_eq!(v["errors"]["number"][0], "is not a card number");
}

/// Plans and subscriptions through the SDK: a plan, a subscription on it (active), read back,
/// canceled (read back canceled), and the cancellation notified with Basic credentials and a
/// valid `Content-Signature` over the subscription; an unknown plan is a 422 naming `plan.id`, an unknown
/// subscription a 404.
#[tokio::test]
async fn a_subscription_is_created_read_and_canceled_with_a_signed_notification() {
    use begateway::{
        CreatePlan, CreateSubscription, IntervalUnit, PlanId, SubscriptionId, SubscriptionStatus,
    };
    let s = start().await;
    let sdk = sdk(&s);
    let listener = Listener::start().await;
    let plan = sdk
        .subscriptions()
        .create_plan(
            &CreatePlan::new("Pro monthly", usd("9.90"), 1, IntervalUnit::Month).test(true),
        )
        .await
        .unwrap();
    assert!(plan.id.as_str().starts_with("pln_"));
    assert!(plan.test);
    let created = sdk
        .subscriptions()
        .create(
            &CreateSubscription::new(plan.id.clone(), "order-42")
                .notification_url(format!("{}/sub", listener.base_url)),
        )
        .await
        .unwrap();
    assert_eq!(created.status, SubscriptionStatus::Active);
    assert_eq!(created.tracking_id.as_deref(), Some("order-42"));
    let read = sdk.subscriptions().get(&created.id).await.unwrap();
    assert_eq!(read.id, created.id);
    assert_eq!(read.status, SubscriptionStatus::Active);

    let canceled = sdk.subscriptions().cancel(&created.id).await.unwrap();
    assert_eq!(canceled.status, SubscriptionStatus::Canceled);
    let read = sdk.subscriptions().get(&created.id).await.unwrap();
    assert_eq!(read.status, SubscriptionStatus::Canceled);

    let got = listener.take();
    assert_eq!(got.len(), 1, "one notification, for the cancellation");
    let (shop, key) = creds(&s);
    assert_eq!(
        header(&got[0], "authorization"),
        format!("Basic {}", STANDARD.encode(format!("{shop}:{key}")))
    );
    let sig = STANDARD
        .decode(header(&got[0], "content-signature"))
        .unwrap();
    assert!(rsa_verify(
        &s.begateway_credentials().public_key,
        &got[0].body,
        &sig
    ));
    let notified: begateway::Subscription = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(notified.id, created.id);
    assert_eq!(notified.status, SubscriptionStatus::Canceled);

    let unknown_plan = sdk
        .subscriptions()
        .create(&CreateSubscription::new(
            PlanId::new("pln_0000000000000000"),
            "order-43",
        ))
        .await
        .unwrap_err();
    assert_eq!(unknown_plan.status().map(|s| s.as_u16()), Some(422));
    assert!(
        unknown_plan.to_string().contains("plan.id")
            || format!("{unknown_plan:?}").contains("plan.id"),
        "{unknown_plan}"
    );
    let unknown = sdk
        .subscriptions()
        .get(&SubscriptionId::new("sbs_0000000000000000"))
        .await
        .unwrap_err();
    assert_eq!(unknown.status().map(|s| s.as_u16()), Some(404));
}

/// Captures, voids and refunds are notified (Basic credentials and a valid
/// `Content-Signature`) to their parent's `notification_url`, each as its own transaction with
/// the parent's uid.
#[tokio::test]
async fn captures_voids_and_refunds_send_signed_notifications() {
    use begateway::{Card, ChargeRequest, FollowUp, PaymentSource};
    let s = start().await;
    let sdk = sdk(&s);
    let listener = Listener::start().await;
    let charge = |order: &str| {
        ChargeRequest::new(
            usd("9.90"),
            "Order",
            order,
            PaymentSource::Card(Card::new("4200000000000000", "123", "JOHN DOE", 12, 2030)),
        )
        .test(true)
        .notification_url(format!("{}/hook", listener.base_url))
    };
    let paid = sdk
        .card_transactions()
        .payment(&charge("o-1"))
        .await
        .unwrap();
    let refund = sdk
        .card_transactions()
        .refund(&FollowUp::new(paid.uid.clone(), usd("2.00")).reason("returned"))
        .await
        .unwrap();
    let auth = sdk
        .card_transactions()
        .authorization(&charge("o-2"))
        .await
        .unwrap();
    let capture = sdk
        .card_transactions()
        .capture(&FollowUp::new(auth.uid.clone(), usd("9.90")))
        .await
        .unwrap();
    let auth2 = sdk
        .card_transactions()
        .authorization(&charge("o-3"))
        .await
        .unwrap();
    let void = sdk
        .card_transactions()
        .void(&FollowUp::new(auth2.uid.clone(), usd("9.90")))
        .await
        .unwrap();

    let got = listener.take();
    let (shop, key) = creds(&s);
    let basic = format!("Basic {}", STANDARD.encode(format!("{shop}:{key}")));
    let mut seen = Vec::new();
    for n in &got {
        assert_eq!(header(n, "authorization"), basic);
        let sig = STANDARD.decode(header(n, "content-signature")).unwrap();
        assert!(rsa_verify(
            &s.begateway_credentials().public_key,
            &n.body,
            &sig
        ));
        let v: Value = serde_json::from_slice(&n.body).unwrap();
        seen.push((
            v["transaction"]["uid"].as_str().unwrap().to_owned(),
            v["transaction"]["type"].as_str().unwrap().to_owned(),
            v["transaction"]["parent_uid"].as_str().map(str::to_owned),
        ));
    }
    for (child, kind, parent) in [
        (&refund, "refund", &paid),
        (&capture, "capture", &auth),
        (&void, "void", &auth2),
    ] {
        assert!(
            seen.contains(&(
                child.uid.as_str().to_owned(),
                kind.to_owned(),
                Some(parent.uid.as_str().to_owned())
            )),
            "{kind} not notified: {seen:?}"
        );
    }
    assert_eq!(got.len(), 6, "three charges and three follow-ups: {seen:?}");
}

/// 3-D Secure: the challenge test card's payment is `incomplete` with a `redirect_url`; the
/// challenge page shows the amount; completing it makes the transaction `successful`, notifies
/// it (signed) and sends the customer to the `return_url` with `uid` and `status`; the page is
/// then gone. A failed challenge leaves the transaction `failed`.
#[tokio::test]
async fn a_three_ds_card_is_incomplete_until_the_challenge_is_completed() {
    use begateway::{Card, ChargeRequest, PaymentOutcome, PaymentSource, TransactionStatus};
    let s = start().await;
    let sdk = sdk(&s);
    let c = client();
    let listener = Listener::start().await;
    let charge = |order: &str| {
        ChargeRequest::new(
            usd("7.25"),
            "Order 3ds",
            order,
            PaymentSource::Card(Card::new("4012001037141112", "123", "JOHN DOE", 12, 2030)),
        )
        .test(true)
        .return_url("http://127.0.0.1:9/back?order=1")
        .notification_url(format!("{}/hook", listener.base_url))
    };
    let t = sdk
        .card_transactions()
        .payment(&charge("o-3ds"))
        .await
        .unwrap();
    assert_eq!(t.status, TransactionStatus::Incomplete);
    assert_eq!(t.outcome(), PaymentOutcome::Pending);
    let redirect = t.redirect_url.clone().expect("a challenge URL");
    assert!(
        listener.take().is_empty(),
        "nothing notified before the challenge"
    );
    let read = sdk.transactions().get(&t.uid).await.unwrap();
    assert_eq!(read.status, TransactionStatus::Incomplete);

    let page = c.get(&redirect).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("3-D Secure") && html.contains("7.25 USD"),
        "{html}"
    );

    let done = decide(&c, &redirect, "pay").await;
    assert_eq!(done.status(), 303);
    let back = location(&done);
    assert!(
        back.starts_with("http://127.0.0.1:9/back?order=1&"),
        "{back}"
    );
    assert!(back.contains(&format!("uid={}", t.uid.as_str())), "{back}");
    assert!(back.contains("status=successful"), "{back}");
    let read = sdk.transactions().get(&t.uid).await.unwrap();
    assert_eq!(read.outcome(), PaymentOutcome::Paid);
    let got = listener.take();
    assert_eq!(got.len(), 1);
    let sig = STANDARD
        .decode(header(&got[0], "content-signature"))
        .unwrap();
    assert!(rsa_verify(
        &s.begateway_credentials().public_key,
        &got[0].body,
        &sig
    ));
    let v: Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(v["transaction"]["status"], "successful");
    assert_eq!(c.get(&redirect).send().await.unwrap().status(), 410);
    assert_eq!(decide(&c, &redirect, "pay").await.status(), 410);

    let t2 = sdk
        .card_transactions()
        .payment(&charge("o-3ds-2"))
        .await
        .unwrap();
    let failed = decide(&c, t2.redirect_url.as_deref().unwrap(), "decline").await;
    assert!(location(&failed).contains("status=failed"));
    let read = sdk.transactions().get(&t2.uid).await.unwrap();
    assert_eq!(read.status, TransactionStatus::Failed);
}

/// Tokenization then credit: a tokenization answers a fresh card token (a secret), which pays
/// and receives a payout; both writes replay by `RequestID` (one transaction each) and are
/// notified, signed; a credit to an unknown token is a 422 naming `credit_card.token`.
#[tokio::test]
async fn a_tokenized_card_pays_and_receives_a_credit_both_replayed_by_request_id() {
    use begateway::{
        Card, ChargeRequest, CreditRequest, ExposeSecret, PaymentOutcome, PaymentSource,
        RequestOptions, TransactionType,
    };
    let s = start().await;
    let sdk = sdk(&s);
    let save = ChargeRequest::new(
        usd("1.00"),
        "Save card",
        "customer-7",
        PaymentSource::Card(Card::new("4200000000000000", "123", "JOHN DOE", 12, 2030)),
    )
    .test(true)
    .notification_url("http://127.0.0.1:9/notify");
    let keyed = sdk.with_options(RequestOptions::new().idempotency_key("customer-7-save-1"));
    let first = keyed.card_transactions().tokenization(&save).await.unwrap();
    let again = keyed.card_transactions().tokenization(&save).await.unwrap();
    assert_eq!(first.transaction, again.transaction);
    assert_eq!(first.token.expose_secret(), again.token.expose_secret());
    assert_eq!(
        first.transaction.kind,
        Some(TransactionType::from("tokenization"))
    );
    assert_eq!(first.token.expose_secret().len(), 64);
    assert_eq!(
        sdk.transactions()
            .by_tracking_id("customer-7")
            .await
            .unwrap()
            .len(),
        1,
        "a replayed RequestID tokenizes once"
    );
    // The new token pays.
    let paid = sdk
        .card_transactions()
        .payment(&ChargeRequest::new(
            usd("4.00"),
            "Order 11",
            "order-11",
            PaymentSource::Token(first.token.clone()),
        ))
        .await
        .unwrap();
    assert_eq!(paid.outcome(), PaymentOutcome::Paid);
    // A payout to it, replayed by RequestID.
    let credit = CreditRequest::new(usd("25.00"), "Payout 7", "payout-7", first.token.clone())
        .test(true)
        .notification_url("http://127.0.0.1:9/notify");
    let keyed = sdk.with_options(RequestOptions::new().idempotency_key("payout-7-1"));
    let c1 = keyed.card_transactions().credit(&credit).await.unwrap();
    let c2 = keyed.card_transactions().credit(&credit).await.unwrap();
    assert_eq!(c1, c2);
    assert_eq!(c1.kind, Some(TransactionType::from("credit")));
    assert_eq!(c1.amount, Some(usd("25.00")));
    assert_eq!(
        sdk.transactions()
            .by_tracking_id("payout-7")
            .await
            .unwrap()
            .len(),
        1,
        "a replayed RequestID pays out once"
    );
    // Both were notified, signed, once each.
    let notified: Vec<_> = s
        .deliveries()
        .into_iter()
        .filter(|d| d.provider == "begateway")
        .collect();
    assert_eq!(notified.len(), 2, "tokenization and credit, each once");
    for d in &notified {
        assert!(d.headers.iter().any(|(k, _)| k == "Content-Signature"));
    }
    // An unknown token gets no payout; a tokenization without card data is refused.
    let err = sdk
        .card_transactions()
        .credit(&CreditRequest::new(
            usd("1.00"),
            "Payout 8",
            "payout-8",
            begateway::SecretString::from("unknown-token"),
        ))
        .await
        .unwrap_err();
    assert!(err.field_error("credit_card.token").is_some(), "{err}");
    assert!(!format!("{err} {err:?}").contains("unknown-token"));
    let (shop, key) = creds(&s);
    let raw = post_json(
        &client(),
        &format!("{}/transactions/tokenizations", s.begateway_gateway_url()),
        &json!({"request": {"amount": 100, "currency": "USD", "description": "d",
            "credit_card": {"token": first.token.expose_secret()}}}),
        Auth::Basic(&shop, &key),
    )
    .await;
    let (status, body) = json_of(raw).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["errors"]["credit_card.number"],
        json!(["can't be blank"])
    );
}

/// 3-D Secure on the hosted checkout page: the 3-D Secure test card makes the checkout's
/// transaction `incomplete` with a redirect to the challenge page (nothing notified, the
/// checkout unfinished); passing the challenge finishes the checkout `successful` and sends
/// the customer to `success_url`, failing it to `decline_url` with `failed`; each result is
/// notified once, signed.
#[tokio::test]
async fn the_three_ds_test_card_on_the_checkout_page_needs_the_challenge_first() {
    use begateway::{
        CheckoutType, CreateCheckout, ExpectedPayment, PaymentVerdict, TransactionStatus,
    };
    let s = start().await;
    let sdk = sdk(&s);
    let c = client();
    for (challenge, landing, expected) in [
        ("pay", "paid", TransactionStatus::Successful),
        ("decline", "declined", TransactionStatus::Failed),
    ] {
        let order = format!("order-3ds-{challenge}");
        let request = CreateCheckout::new(CheckoutType::Payment, usd("30.00"), "Order 3DS", &order)
            .test(true)
            .notification_url("http://127.0.0.1:9/notify")
            .success_url("http://127.0.0.1:9/paid")
            .decline_url("http://127.0.0.1:9/declined");
        let checkout = sdk.checkouts().create(&request).await.unwrap();
        let page = c
            .get(checkout.redirect_url.as_str())
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("id=\"pay-3ds\"") && page.contains("4012001037141112"));
        let delivered = s.deliveries().len();

        // Paying with the 3-D Secure card: to the challenge, nothing finished or notified.
        let paid = c
            .post(checkout.redirect_url.as_str())
            .header("content-type", "application/x-www-form-urlencoded")
            .body("decision=pay&card_number=4012+0010+3714+1112")
            .send()
            .await
            .unwrap();
        assert_eq!(paid.status(), 303);
        let challenge_url = paid.headers()["location"].to_str().unwrap().to_owned();
        assert!(
            challenge_url.contains("/begateway/gateway/3ds/"),
            "{challenge_url}"
        );
        let state = sdk.checkouts().get(&checkout.token).await.unwrap();
        assert!(!state.finished);
        let uid = state.transaction_uid().unwrap().clone();
        let payment = state
            .gateway_response
            .as_ref()
            .and_then(|g| g.payment.as_ref())
            .unwrap();
        assert_eq!(payment.details.status, Some(TransactionStatus::Incomplete));
        let tx = sdk.transactions().get(&uid).await.unwrap();
        assert_eq!(tx.status, TransactionStatus::Incomplete);
        assert_eq!(
            tx.redirect_url.as_ref().map(|u| u.as_str().to_owned()),
            Some(challenge_url.clone())
        );
        assert_eq!(
            s.deliveries().len(),
            delivered,
            "nothing notified before the challenge"
        );
        // The page sends the customer back to the pending challenge.
        let again = c.get(checkout.redirect_url.as_str()).send().await.unwrap();
        assert_eq!(again.status(), 303);
        assert_eq!(again.headers()["location"].to_str().unwrap(), challenge_url);
        // Returning early does not finish the checkout.
        let early = c
            .get(format!(
                "{}/v2/checkout/return?token={}",
                s.begateway_checkout_url(),
                checkout.token
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(early.status(), 409);

        // The challenge page, then its decision.
        let shown = c.get(&challenge_url).send().await.unwrap();
        assert_eq!(shown.status(), 200);
        assert!(shown.text().await.unwrap().contains("30.00 USD"));
        let decided = c
            .post(&challenge_url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("decision={challenge}"))
            .send()
            .await
            .unwrap();
        assert_eq!(decided.status(), 303);
        let back = decided.headers()["location"].to_str().unwrap().to_owned();
        assert!(back.contains("/v2/checkout/return?token="), "{back}");
        let finished = c.get(&back).send().await.unwrap();
        assert_eq!(finished.status(), 303);
        let location = finished.headers()["location"].to_str().unwrap().to_owned();
        assert!(
            location.starts_with(&format!("http://127.0.0.1:9/{landing}?")),
            "{location}"
        );
        let q = query_of(&location);
        assert!(q.contains(&("token".into(), checkout.token.to_string())));
        assert!(q.contains(&("uid".into(), uid.to_string())));
        assert!(q.contains(&("status".into(), expected.as_str().to_owned())));

        let state = sdk.checkouts().get(&checkout.token).await.unwrap();
        assert!(state.finished);
        assert_eq!(sdk.transactions().get(&uid).await.unwrap().status, expected);
        let notified: Vec<_> = s.deliveries().into_iter().skip(delivered).collect();
        assert_eq!(notified.len(), 1, "the result, notified once");
        assert!(
            notified[0]
                .headers
                .iter()
                .any(|(k, _)| k == "Content-Signature")
        );
        let verdict = sdk
            .transactions()
            .confirm(&uid, &ExpectedPayment::new(&order, usd("30.00")).test(true))
            .await
            .unwrap();
        assert_eq!(
            verdict == PaymentVerdict::Paid,
            expected == TransactionStatus::Successful
        );
        // Finished: neither the page nor the challenge takes another decision.
        let gone = c
            .post(checkout.redirect_url.as_str())
            .header("content-type", "application/x-www-form-urlencoded")
            .body("decision=pay")
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), 410);
        let gone = c
            .post(&challenge_url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("decision=pay")
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), 410);
    }
}
