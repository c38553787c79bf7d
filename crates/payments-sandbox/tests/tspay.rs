//! TS Pay over raw HTTP: link2pay / link2save, pay page, charges outcome, HMAC webhooks.

mod common;

use common::*;
use serde_json::{Value, json};

fn hmac_hex(secret: &str, body: &[u8]) -> String {
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, secret.as_bytes());
    aws_lc_rs::hmac::sign(&key, body)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn link2pay_pay_flow_with_signed_webhook() {
    let s = start().await;
    let c = client();
    let listener = Listener::start().await;
    let creds = s.tspay_credentials().clone();
    let auth = Auth::Bearer(&creds.api_key);

    let (status, reg) = json_of(
        post_json(&c, &format!("{}/notification/webhook", s.tspay_url()),
            &json!({"event": "tspay_charge.*", "endpoint": format!("{}/tspay/hook", listener.base_url)}), auth).await,
    )
    .await;
    assert_eq!(status, 201, "{reg}");
    let secret = reg["secret"].as_str().unwrap().to_owned();

    let (status, link) = json_of(
        post_json(&c, &format!("{}/{}/link2pay", s.tspay_url(), creds.item_id), &json!({
            "template": {"title": "TeamSystem S.p.A.", "desc": "Fattura di vendita", "paymentRef": "Numero 123 del 15/06/2020"},
            "callbackUrl": "https://merchant.example/done",
            "sourceTypes": ["card"],
            "maxPaymentsNumber": 1,
            "amount": 1450,
            "externalRef": "cust-7",
            "metadata": {"invoice": "123"}
        }), auth).await,
    )
    .await;
    assert_eq!(status, 201, "{link}");
    let order = link["orderKey"].as_str().unwrap().to_owned();
    let url = link["url"].as_str().unwrap().to_owned();
    assert_eq!(url, format!("{}/pay/{order}", s.tspay_url()));

    let charges_url = format!("{}/{}/charges/orders/{order}", s.tspay_url(), creds.item_id);
    let (status, charges) = json_of(get(&c, &charges_url, auth).await).await;
    assert_eq!((status, charges), (200, json!([])));

    let html = get(&c, &url, Auth::None).await.text().await.unwrap();
    assert!(
        html.contains("14.50 EUR") && html.contains("Fattura di vendita"),
        "{html}"
    );

    let resp = decide(&c, &url, "pay").await;
    assert_eq!(resp.status(), 303);
    assert_eq!(location(&resp), "https://merchant.example/done");

    let (_, charges) = json_of(get(&c, &charges_url, auth).await).await;
    let charge = &charges[0];
    assert_eq!(charges.as_array().unwrap().len(), 1);
    assert_eq!(charge["state"], "active");
    assert_eq!(charge["amount"], "1450");
    assert_eq!(charge["currency"], "EUR");
    assert_eq!(charge["orderKey"], order.as_str());
    assert_eq!(charge["payMethod"]["card"]["last4"], "4242");
    // The direct path style reads the same order.
    let (_, direct) = json_of(
        get(
            &c,
            &format!("{}/charges/orders/{order}", s.tspay_url()),
            auth,
        )
        .await,
    )
    .await;
    assert_eq!(direct, charges);

    let got = listener.take();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].path, "/tspay/hook");
    assert_eq!(
        header(&got[0], "x-message-hash"),
        hmac_hex(&secret, &got[0].body)
    );
    let event: Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(
        event["event"],
        json!({"entity": "tspay_charge", "state": "active"})
    );
    assert_eq!(event["merchantRef"], creds.merchant_ref.as_str());
    assert_eq!(&event["payload"], charge);

    // maxPaymentsNumber = 1: the link is used up.
    let again = get(&c, &url, Auth::None).await;
    assert_eq!(again.status(), 410);
    assert_eq!(decide(&c, &url, "pay").await.status(), 410);
}

#[tokio::test]
async fn decline_goes_to_cancel_url_and_link2save_works() {
    let s = start().await;
    let c = client();
    let listener = Listener::start().await;
    let creds = s.tspay_credentials().clone();
    let auth = Auth::Bearer(&creds.api_key);
    let secret = s.register_tspay_webhook(&format!("{}/hook", listener.base_url));

    let (status, link) = json_of(
        post_json(
            &c,
            &format!("{}/orders/link2pay", s.tspay_url()),
            &json!({
                "amount": 500, "currency": "EUR", "callbackUrl": "https://m.example/ok",
                "cancelUrl": "https://m.example/ko", "maxPaymentsNumber": 0
            }),
            auth,
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{link}");
    let url = link["url"].as_str().unwrap();
    let resp = decide(&c, url, "decline").await;
    assert_eq!(location(&resp), "https://m.example/ko");
    let order = link["orderKey"].as_str().unwrap();
    let (_, charges) = json_of(
        get(
            &c,
            &format!("{}/charges/orders/{order}", s.tspay_url()),
            auth,
        )
        .await,
    )
    .await;
    assert_eq!(charges[0]["state"], "failed");
    let got = listener.take();
    assert_eq!(
        header(&got[0], "x-message-hash"),
        hmac_hex(&secret, &got[0].body)
    );
    // Unlimited link: still payable after a decline and after a payment.
    assert_eq!(
        location(&decide(&c, url, "pay").await),
        "https://m.example/ok"
    );
    assert_eq!(get(&c, url, Auth::None).await.status(), 200);

    let (status, save) = json_of(
        post_json(
            &c,
            &format!("{}/{}/link2save", s.tspay_url(), creds.item_id),
            &json!({
                "template": {"title": "Mandato"}, "maxSourceNumber": 1, "maxAmount": 100000,
                "contextId": "fattura-9", "callbackUrl": "https://m.example/saved"
            }),
            auth,
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{save}");
    let save_url = save["url"].as_str().unwrap();
    assert!(
        get(&c, save_url, Auth::None)
            .await
            .text()
            .await
            .unwrap()
            .contains("max 1000.00 EUR")
    );
    assert_eq!(
        location(&decide(&c, save_url, "pay").await),
        "https://m.example/saved"
    );
}

#[tokio::test]
async fn errors_are_nestjs_shaped() {
    let s = start().await;
    let c = client();
    let creds = s.tspay_credentials().clone();
    let link = format!("{}/{}/link2pay", s.tspay_url(), creds.item_id);

    let (status, err) =
        json_of(post_json(&c, &link, &json!({"amount": 100}), Auth::None).await).await;
    assert_eq!(status, 401);
    assert_eq!(
        err,
        json!({"statusCode": 401, "message": "Unauthorized", "error": "Unauthorized"})
    );
    let (status, _) =
        json_of(post_json(&c, &link, &json!({"amount": 100}), Auth::Bearer("nope")).await).await;
    assert_eq!(status, 401);

    let auth = Auth::Bearer(&creds.api_key);
    let (status, err) = json_of(
        post_json(
            &c,
            &link,
            &json!({"amount": "12", "callbackUrl": "not a url", "currency": "USD"}),
            auth,
        )
        .await,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(err["statusCode"], 400);
    assert_eq!(err["error"], "Bad Request");
    assert_eq!(err["message"].as_array().unwrap().len(), 3, "{err}");

    let (status, err) = json_of(
        post_json(
            &c,
            &format!("{}/other-item/link2pay", s.tspay_url()),
            &json!({"amount": 100}),
            auth,
        )
        .await,
    )
    .await;
    assert_eq!((status, err["statusCode"].as_i64()), (404, Some(404)));
    let (status, err) = json_of(
        get(
            &c,
            &format!("{}/charges/orders/unknown", s.tspay_url()),
            auth,
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, err["message"].as_str()),
        (404, Some("Order not found"))
    );
    let (status, err) =
        json_of(get(&c, &format!("{}/nothing/here/at/all", s.tspay_url()), auth).await).await;
    assert_eq!((status, err["error"].as_str()), (404, Some("Not Found")));
    let (status, who) = json_of(get(&c, &format!("{}/auth", s.tspay_url()), auth).await).await;
    assert_eq!(
        (status, who["x-auth-type"].as_str()),
        (200, Some("API_KEY"))
    );
    assert_eq!(
        get(&c, &format!("{}/pay/unknown", s.tspay_url()), Auth::None)
            .await
            .status(),
        404
    );

    let big = vec![b'x'; payments_sandbox::MAX_BODY_BYTES * 2];
    let resp = c
        .post(&link)
        .header("Authorization", format!("Bearer {}", creds.api_key))
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
}

/// The API-key lifecycle: a key requested with the AppSecret is refused as "not active" until
/// the merchant presses "activate" on its `loginUrl`; then it works like any key.
#[tokio::test]
async fn an_issued_key_works_only_after_activation() {
    let s = start().await;
    let c = client();
    let creds = s.tspay_credentials().clone();
    let url = format!("{}/auth/api-key", s.tspay_url());

    let (status, body) =
        json_of(post_json(&c, &url, &json!({}), Auth::Bearer("not-the-app-secret")).await).await;
    assert_eq!(status, 401, "{body}");
    let (status, body) =
        json_of(post_json(&c, &url, &json!({}), Auth::Bearer(&creds.api_key)).await).await;
    assert_eq!(status, 401, "an API key cannot issue keys: {body}");

    let (status, issued) =
        json_of(post_json(&c, &url, &json!({}), Auth::Bearer(&creds.app_secret)).await).await;
    assert_eq!(status, 201, "{issued}");
    assert_eq!(issued["state"], "init");
    let key = issued["apiKey"].as_str().unwrap().to_owned();
    let login = issued["loginUrl"].as_str().unwrap().to_owned();
    assert!(
        login.starts_with(&format!("{}/auth/activate/", s.tspay_url())),
        "{login}"
    );
    assert_ne!(key, creds.api_key);

    let check = format!("{}/auth/", s.tspay_url());
    let (status, body) = json_of(get(&c, &check, Auth::Bearer(&key)).await).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (401, Some("API key not active"))
    );

    let page = c.get(&login).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("id=\"activate\""), "{html}");
    let done = c.post(&login).send().await.unwrap();
    assert_eq!(done.status(), 200);

    let (status, body) = json_of(get(&c, &check, Auth::Bearer(&key)).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["x-auth-type"], "API_KEY");
    assert_eq!(body["x-merchant-ref"], creds.merchant_ref.as_str());
    let (status, link) = json_of(
        post_json(
            &c,
            &format!("{}/orders/link2pay", s.tspay_url()),
            &json!({"template": {"title": "Shop", "desc": "Ordine 1"}, "amount": 990, "currency": "EUR"}),
            Auth::Bearer(&key),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{link}");

    let unknown = format!(
        "{}/auth/activate/00000000-0000-4000-8000-000000000000",
        s.tspay_url()
    );
    assert_eq!(c.get(&unknown).send().await.unwrap().status(), 404);
}

/// The dashboard lists an issued key by its `authKey` (never the key) and can activate it.
#[tokio::test]
async fn the_dashboard_lists_and_activates_an_issued_key() {
    let s = start().await;
    let c = client();
    let creds = s.tspay_credentials().clone();
    let (_, issued) = json_of(
        post_json(
            &c,
            &format!("{}/auth/api-key", s.tspay_url()),
            &json!({}),
            Auth::Bearer(&creds.app_secret),
        )
        .await,
    )
    .await;
    let key = issued["apiKey"].as_str().unwrap().to_owned();
    let auth_key = issued["authKey"].as_str().unwrap().to_owned();
    let html = reqwest::get(format!("{}/", s.base_url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&auth_key), "the key is listed by its authKey");
    assert!(!html.contains(&key), "the key itself is never shown");

    let moved = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/_sandbox/state", s.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("provider=tspay&id={auth_key}&state=active"))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 303);
    let (status, body) =
        json_of(get(&c, &format!("{}/auth/", s.tspay_url()), Auth::Bearer(&key)).await).await;
    assert_eq!(status, 200, "{body}");
}
