//! GreenPay over raw HTTP: subscriptions, manual pay, FAIL envelopes, signatures, notifications.

mod common;

use common::*;
use payments_sandbox::GreenPayCredentials;
use serde_json::{Value, json};

fn with_creds(c: &GreenPayCredentials, mut body: Value) -> Value {
    body["merchantId"] = json!(c.merchant_id);
    body["secret"] = json!(c.secret);
    body
}

async fn call(
    c: &reqwest::Client,
    s: &payments_sandbox::RunningSandbox,
    path: &str,
    body: Value,
) -> Value {
    let (status, v) =
        json_of(post_json(c, &format!("{}{path}", s.greenpay_url()), &body, Auth::None).await)
            .await;
    assert_eq!(status, 200, "{v}");
    v
}

fn verify(creds: &GreenPayCredentials, status: &str, order_id: &str, sig_hex: &Value) -> bool {
    rsa_verify(
        &creds.public_key,
        format!("status:{status},orderId:{order_id}").as_bytes(),
        &unhex(sig_hex.as_str().expect("_signature")),
    )
}

async fn create(c: &reqwest::Client, s: &payments_sandbox::RunningSandbox, token: &str) -> String {
    let creds = s.greenpay_credentials().clone();
    let body = with_creds(
        &creds,
        json!({
            "terminal": creds.terminal,
            "userId": "UserBot",
            "description": "Plan Pro",
            "currency": "USD",
            "tokens": [token],
            "initialPayment": {"amount": 100, "description": "first"},
            "subscription": [{"amount": 100, "cadence": {"mode": "EVERY", "unit": "MONTH", "every": 1}}],
            "optional": {}
        }),
    );
    let v = call(c, s, "/subscriptions", body).await;
    assert_eq!(v["status"], 200, "{v}");
    let id = v["subscriptionId"].as_str().unwrap().to_owned();
    assert!(is_hex(&id, 32));
    assert_eq!(
        v["result"]["initialPayment"]["orderId"],
        format!("{id}_0").as_str()
    );
    assert!(verify(&creds, "200", &id, &v["_signature"]));
    assert_eq!(v["nextPaymentDate"].as_str().unwrap().len(), 10);
    id
}

#[tokio::test]
async fn manual_pay_is_signed_and_notified() {
    let s = start().await;
    let c = client();
    let listener = Listener::start().await;
    let creds = s.greenpay_credentials().clone();
    let v = call(
        &c,
        &s,
        "/_sandbox/webhook",
        json!({"url": format!("{}/gp/", listener.base_url)}),
    )
    .await;
    assert_eq!(v["status"], "SUCCESS");
    let id = create(&c, &s, "tok_visa").await;

    let v = call(
        &c,
        &s,
        "/subscriptions/pay",
        with_creds(&creds, json!({"subscriptionId": id})),
    )
    .await;
    assert_eq!(v["status"], "SUCCESS");
    assert_eq!(v["code"], 200);
    let r = &v["result"];
    assert_eq!(
        (r["status"].as_str(), r["orderStatus"].as_str()),
        (Some("approved"), Some("ACTIVE"))
    );
    assert_eq!(r["merchantId"], creds.merchant_id.as_str());
    let reference = format!("{id}_1");
    assert_eq!(r["order"]["order_reference"], reference.as_str());
    assert_eq!(r["order"]["amount"], 100);
    assert_eq!(r["order"]["reason"], "Manual payment");
    assert!(verify(&creds, "approved", &reference, &v["_signature"]));

    let got = listener.take();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].path, "/gp/subscription/payment/results");
    let note: Value = serde_json::from_slice(&got[0].body).unwrap();
    let item = &note["approved"][0];
    assert_eq!(item["order"]["orderReference"], reference.as_str());
    assert_eq!(item["order"]["subscriptionId"], id.as_str());
    assert!(verify(&creds, "approved", &reference, &item["_signature"]));
    assert!(!verify(
        &creds,
        "approved",
        &format!("{id}_9"),
        &item["_signature"]
    ));

    let v = call(
        &c,
        &s,
        "/subscriptions/list/payments",
        with_creds(
            &creds,
            json!({"subscriptionId": id, "pageSize": 10, "page": 1}),
        ),
    )
    .await;
    let entries = v["result"]["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1]["reference_number"], reference.as_str());
    assert_eq!(entries[1]["payment_result"]["status"], 200);

    let v = call(&c, &s, "/subscriptions/list", with_creds(&creds, json!({"terminal": creds.terminal, "pageSize": 10, "page": 1, "filters": {"status": ["ACTIVE"]}}))).await;
    let e = &v["result"]["entries"][0];
    assert_eq!(
        (e["id"].as_str(), e["amount"].as_str()),
        (Some(id.as_str()), Some("100"))
    );
    assert!(e["startdate"].as_str().unwrap().parse::<i64>().is_ok());
    assert_eq!(e["cadence"], "EVERY 1 MONTH");
    assert_eq!(
        (
            v["result"]["totalEntries"].as_i64(),
            v["result"]["totalPages"].as_i64()
        ),
        (Some(1), Some(1))
    );
}

#[tokio::test]
async fn fail_envelopes_cancel_update_and_declines() {
    let s = start().await;
    let c = client();
    let listener = Listener::start().await;
    s.set_greenpay_webhook(&listener.base_url);
    let creds = s.greenpay_credentials().clone();
    let id = create(&c, &s, "tok_visa").await;

    let bad = json!({"subscriptionId": id, "merchantId": creds.merchant_id, "secret": "wrong"});
    let v = call(&c, &s, "/subscriptions/pay", bad).await;
    assert_eq!(
        v,
        json!({"code": 500, "status": "FAIL", "result": [], "errors": ["Merchant doesn't exist."]})
    );
    let v = call(
        &c,
        &s,
        "/subscriptions/pay",
        with_creds(&creds, json!({"subscriptionId": "0".repeat(32)})),
    )
    .await;
    assert_eq!(
        v["errors"],
        json!(["Subscription not found. Impossible to pay manually."])
    );

    let v = call(
        &c,
        &s,
        "/subscriptions/update",
        with_creds(
            &creds,
            json!({"subscriptionId": id, "user": "UserBot", "amount": 5500.99}),
        ),
    )
    .await;
    assert_eq!(v["status"], "SUCCESS");
    let po = &v["result"]["purchase_order"];
    assert_eq!(po["subscription"][0]["amount"], json!(5500.99));
    assert_eq!(
        po["secret"],
        creds.secret.as_str(),
        "GreenPay echoes the secret"
    );
    let v = call(
        &c,
        &s,
        "/subscriptions/update/card_token",
        with_creds(
            &creds,
            json!({"subscriptionId": id, "user": "UserBot", "token": "tok_decline"}),
        ),
    )
    .await;
    assert_eq!(v["result"]["card_tokens"], json!(["tok_decline"]));

    // A declining card: FAIL answer and a "rejected" notification.
    let v = call(
        &c,
        &s,
        "/subscriptions/pay",
        with_creds(&creds, json!({"subscriptionId": id})),
    )
    .await;
    assert_eq!(v["status"], "FAIL");
    let got = listener.take();
    let note: Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(note["rejected"][0]["status"], "rejected");
    let reference = note["rejected"][0]["order"]["orderReference"]
        .as_str()
        .unwrap();
    assert!(verify(
        &creds,
        "rejected",
        reference,
        &note["rejected"][0]["_signature"]
    ));
    let v = call(
        &c,
        &s,
        "/subscriptions/list/payments",
        with_creds(&creds, json!({"subscriptionId": id})),
    )
    .await;
    let last = &v["result"]["entries"][1];
    assert_eq!(last["payment_result"], Value::Null);
    assert_eq!(last["payment_retries"][0]["attemp_result"]["status"], 500);

    let v = call(
        &c,
        &s,
        "/subscriptions/cancel",
        with_creds(
            &creds,
            json!({"subscriptionId": id, "user": "UserBot", "reason": "bye"}),
        ),
    )
    .await;
    assert_eq!(
        (v["status"].as_str(), v["result"]["status"].as_str()),
        (Some("SUCCESS"), Some("CANCELLED"))
    );
    let v = call(
        &c,
        &s,
        "/subscriptions/pay",
        with_creds(&creds, json!({"subscriptionId": id})),
    )
    .await;
    assert_eq!(
        v["errors"],
        json!(["Subscription not found. Impossible to pay manually."])
    );
    let v = call(
        &c,
        &s,
        "/subscriptions/list",
        with_creds(&creds, json!({"filters": {"status": ["CANCELED"]}})),
    )
    .await;
    assert_eq!(v["result"]["totalEntries"], 1);

    // Validation and malformed bodies are FAIL envelopes, never crashes.
    let v = call(
        &c,
        &s,
        "/subscriptions",
        with_creds(&creds, json!({"currency": "EUR"})),
    )
    .await;
    assert_eq!(v["status"], "FAIL");
    assert!(v["errors"].as_array().unwrap().len() >= 4, "{v}");
    let resp = c
        .post(format!("{}/subscriptions/pay", s.greenpay_url()))
        .body("{not json")
        .send()
        .await
        .unwrap();
    let (status, v) = json_of(resp).await;
    assert_eq!((status, v["status"].as_str()), (200, Some("FAIL")));
}

#[tokio::test]
async fn fail_status_line_is_configurable() {
    let s = start_with(payments_sandbox::SandboxConfig::new().greenpay_fail_http_status(500)).await;
    let c = client();
    let (status, v) = json_of(
        post_json(
            &c,
            &format!("{}/subscriptions/pay", s.greenpay_url()),
            &json!({"merchantId": "x", "secret": "y"}),
            Auth::None,
        )
        .await,
    )
    .await;
    assert_eq!((status, v["code"].as_i64()), (500, Some(500)));
}

/// The hosted checkout's stand-in posts a signed checkout result to `<base>/`, with
/// `status: 200` for a decline too: only `result.success` (unsigned) tells them apart.
#[tokio::test]
async fn sandbox_checkout_posts_signed_results_with_status_200_for_declines_too() {
    let s = start().await;
    let c = client();
    let listener = Listener::start().await;
    let creds = s.greenpay_credentials().clone();
    call(
        &c,
        &s,
        "/_sandbox/webhook",
        json!({"url": format!("{}/gp", listener.base_url)}),
    )
    .await;
    for (order, token, success) in [
        ("order-1", "tok_visa", true),
        ("order-2", "tok_decline", false),
    ] {
        let v = call(
            &c,
            &s,
            "/_sandbox/checkout",
            with_creds(&creds, json!({"orderId": order, "token": token})),
        )
        .await;
        assert_eq!(v["status"], "SUCCESS");
        assert_eq!(v["result"]["success"], success);
        assert_eq!(v["result"]["delivered"], true);
        let received = listener.take();
        assert_eq!(received.len(), 1);
        assert_eq!(received[0].path, "/gp/");
        let n: Value = serde_json::from_slice(&received[0].body).unwrap();
        assert_eq!(n["status"], 200);
        assert_eq!(n["orderId"], order);
        assert_eq!(n["result"]["success"], success);
        assert_eq!(n["result"]["mti"], "0210");
        assert!(verify(&creds, "200", order, &n["_signature"]));
    }
    // Wrong credentials: GreenPay's FAIL envelope, nothing posted.
    let (_, v) = json_of(
        post_json(
            &c,
            &format!("{}/_sandbox/checkout", s.greenpay_url()),
            &json!({"merchantId": "x", "secret": "y", "orderId": "o", "token": "t"}),
            Auth::None,
        )
        .await,
    )
    .await;
    assert_eq!(v["status"], "FAIL");
    assert!(listener.take().is_empty());
}
