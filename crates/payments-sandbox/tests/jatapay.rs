//! JataPay over raw HTTP: token, create, hosted gateway, read back, auth errors.

mod common;

use std::time::Duration;

use common::*;
use payments_sandbox::SandboxConfig;
use serde_json::json;

async fn token(c: &reqwest::Client, s: &payments_sandbox::RunningSandbox) -> String {
    let creds = s.jatapay_credentials();
    let resp = post_json(
        c,
        &format!("{}/token", s.jatapay_auth_url()),
        &json!({"grant_type": "client_credentials"}),
        Auth::Basic(&creds.client_id, &creds.client_secret),
    )
    .await;
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["refresh_token"].is_string());
    body["token"].as_str().unwrap().to_owned()
}

async fn subscribe(c: &reqwest::Client, s: &payments_sandbox::RunningSandbox, tok: &str) -> String {
    let resp = post_json(
        c,
        &format!("{}/scrivi_abbonamento", s.jatapay_api_url()),
        &json!({
            "importo": 2000,
            "callback_url": "https://e-commerce.example.com/callback_url",
            "note": "Dilazione per motivo esempio",
            "descrizione_prodotto": "Piano Pro",
            "cliente": "open"
        }),
        Auth::Bearer(tok),
    )
    .await;
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 200, "{body}");
    let id = body["id_abbonamento"].as_str().unwrap().to_owned();
    assert!(is_hex(&id, 24), "ObjectId: {id}");
    id
}

#[tokio::test]
async fn pay_on_the_gateway_activates_the_subscription() {
    let s = start().await;
    let c = client();
    let tok = token(&c, &s).await;
    let id = subscribe(&c, &s, &tok).await;
    let read_url = format!("{}/entity/subscriptions/{id}", s.jatapay_api_url());

    let (status, before) = json_of(get(&c, &read_url, Auth::Bearer(&tok)).await).await;
    assert_eq!(status, 200);
    assert_eq!(before["stato"], "iniziata");
    assert_eq!(before["_id"], id.as_str());
    assert_eq!(before["importo"], 2000);
    assert_eq!(before["numero_txt"], before["numero"].to_string().as_str());
    assert!(
        before["data_inserimento"]
            .as_str()
            .unwrap()
            .ends_with(" GMT")
    );

    let page_url = format!("{}/gateway/{id}", s.jatapay_dashboard_url());
    let page = get(&c, &page_url, Auth::None).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("20.00 EUR"), "{html}");
    assert!(html.contains("id=\"pay\"") && html.contains("id=\"decline\""));

    let resp = decide(&c, &page_url, "pay").await;
    assert_eq!(resp.status(), 303);
    assert_eq!(
        location(&resp),
        "https://e-commerce.example.com/callback_url"
    );

    let (_, after) = json_of(get(&c, &read_url, Auth::Bearer(&tok)).await).await;
    assert_eq!(after["stato"], "attiva");

    // A processed link cannot be used again.
    assert_eq!(get(&c, &page_url, Auth::None).await.status(), 409);
    assert_eq!(decide(&c, &page_url, "pay").await.status(), 409);
    s.shutdown().await;
}

#[tokio::test]
async fn decline_cancels_and_payments_work_too() {
    let s = start().await;
    let c = client();
    let tok = token(&c, &s).await;
    let resp = post_json(
        &c,
        &format!("{}/scrivi_pagamento", s.jatapay_api_url()),
        &json!({"importo": 990, "callback_url": "http://127.0.0.1:9/back", "descrizione_prodotto": "Una tantum"}),
        Auth::Bearer(&tok),
    )
    .await;
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 200, "{body}");
    let id = body["id_pagamento"].as_str().unwrap().to_owned();

    let page_url = format!("{}/gateway/{id}", s.jatapay_dashboard_url());
    let resp = decide(&c, &page_url, "decline").await;
    assert_eq!(resp.status(), 303);
    assert_eq!(location(&resp), "http://127.0.0.1:9/back");
    let (_, after) = json_of(
        get(
            &c,
            &format!("{}/entity/payments/{id}", s.jatapay_api_url()),
            Auth::Bearer(&tok),
        )
        .await,
    )
    .await;
    assert_eq!(after["stato"], "annullata");
    assert_eq!(after["cliente"], "open");

    // Unknown subscription and invalid form.
    let (status, body) = json_of(
        get(
            &c,
            &format!(
                "{}/entity/subscriptions/{}",
                s.jatapay_api_url(),
                "0".repeat(24)
            ),
            Auth::Bearer(&tok),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body["msg"].as_str()),
        (404, Some("Subscription not found"))
    );
    assert_eq!(decide(&c, &page_url, "maybe").await.status(), 400);
}

#[tokio::test]
async fn auth_errors_use_flask_jwt_shapes() {
    let s =
        start_with(SandboxConfig::new().jatapay_token_lifetime(Duration::from_millis(300))).await;
    let c = client();
    let token_url = format!("{}/token", s.jatapay_auth_url());
    let grant = json!({"grant_type": "client_credentials"});

    let (status, body) = json_of(post_json(&c, &token_url, &grant, Auth::None).await).await;
    assert_eq!(
        (status, body["msg"].as_str()),
        (401, Some("Missing Authorization Header"))
    );
    let (status, _) = json_of(post_json(&c, &token_url, &grant, Auth::Basic("x", "y")).await).await;
    assert_eq!(status, 401);
    let creds = s.jatapay_credentials();
    let (status, _) = json_of(
        post_json(
            &c,
            &token_url,
            &json!({"grant_type": "password"}),
            Auth::Basic(&creds.client_id, &creds.client_secret),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400);

    let create_url = format!("{}/scrivi_abbonamento", s.jatapay_api_url());
    let body = json!({"importo": 100, "callback_url": "https://m.example/cb", "descrizione_prodotto": "x"});
    let (status, resp) = json_of(post_json(&c, &create_url, &body, Auth::None).await).await;
    assert_eq!(
        (status, resp["msg"].as_str()),
        (401, Some("Missing Authorization Header"))
    );
    let (status, resp) =
        json_of(post_json(&c, &create_url, &body, Auth::Raw("Token abc")).await).await;
    assert_eq!(status, 422, "{resp}");
    let (status, resp) =
        json_of(post_json(&c, &create_url, &body, Auth::Bearer("abc")).await).await;
    assert_eq!(
        (status, resp["msg"].as_str()),
        (422, Some("Not enough segments"))
    );
    let (status, resp) =
        json_of(post_json(&c, &create_url, &body, Auth::Bearer("a.b.c")).await).await;
    assert_eq!(
        (status, resp["msg"].as_str()),
        (422, Some("Signature verification failed"))
    );

    // Refresh tokens are not access tokens.
    let (_, pair) = json_of(
        post_json(
            &c,
            &token_url,
            &grant,
            Auth::Basic(&creds.client_id, &creds.client_secret),
        )
        .await,
    )
    .await;
    let refresh = pair["refresh_token"].as_str().unwrap();
    let (status, _) = json_of(post_json(&c, &create_url, &body, Auth::Bearer(refresh)).await).await;
    assert_eq!(status, 422);

    // Validation errors are {"msg"} too.
    let tok = pair["token"].as_str().unwrap();
    let (status, resp) =
        json_of(post_json(&c, &create_url, &json!({"importo": 0}), Auth::Bearer(tok)).await).await;
    assert_eq!(status, 400);
    assert!(resp["msg"].as_str().unwrap().contains("importo"));

    // Tokens expire.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let (status, resp) = json_of(post_json(&c, &create_url, &body, Auth::Bearer(tok)).await).await;
    assert_eq!(
        (status, resp["msg"].as_str()),
        (401, Some("Token has expired"))
    );
    // ... and the refresh token gets a new one.
    let (status, fresh) = json_of(
        post_json(
            &c,
            &format!("{}/refresh", s.jatapay_auth_url()),
            &json!({}),
            Auth::Bearer(refresh),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = json_of(
        post_json(
            &c,
            &create_url,
            &body,
            Auth::Bearer(fresh["token"].as_str().unwrap()),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn unknown_routes_are_flask_html_and_big_bodies_are_refused() {
    let s = start().await;
    let c = client();
    let resp = get(
        &c,
        &format!("{}/jatapay/api/nope", s.base_url()),
        Auth::None,
    )
    .await;
    assert_eq!(resp.status(), 404);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("<title>404 Not Found</title>")
    );
    let resp = get(&c, &format!("{}/elsewhere", s.base_url()), Auth::None).await;
    assert_eq!(resp.status(), 404);

    let big = "x".repeat(payments_sandbox::MAX_BODY_BYTES + 1);
    let resp = c
        .post(format!("{}/scrivi_abbonamento", s.jatapay_api_url()))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer a.b.c")
        .body(format!("{{\"note\":\"{big}\"}}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
    // Still alive.
    assert_eq!(
        get(
            &c,
            &format!("{}/gateway/x", s.jatapay_dashboard_url()),
            Auth::None
        )
        .await
        .status(),
        404
    );
}
