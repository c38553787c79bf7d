//! The axum extractor through a real `Router` on loopback: a genuine TS Pay notification
//! reaches the handler, a forged or unsigned one is answered 401 and never does.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{FromRef, State};
use axum::routing::post;
use tspay::axum::Verified;
use tspay::{ChargeState, WebhookVerifier};

const SECRET: &str = "whsec_axum_test";

#[derive(Clone)]
struct Shop {
    verifier: WebhookVerifier,
    seen: Arc<Mutex<Vec<String>>>,
}

impl FromRef<Shop> for WebhookVerifier {
    fn from_ref(shop: &Shop) -> Self {
        shop.verifier.clone()
    }
}

impl FromRef<Shop> for Arc<Mutex<Vec<String>>> {
    fn from_ref(shop: &Shop) -> Self {
        shop.seen.clone()
    }
}

async fn notified(
    State(seen): State<Arc<Mutex<Vec<String>>>>,
    Verified(notification): Verified<WebhookVerifier>,
) -> &'static str {
    let key = notification
        .payload
        .order_key
        .map(|k| k.as_str().to_owned())
        .unwrap_or_default();
    assert_eq!(notification.payload.state, ChargeState::Active);
    seen.lock().unwrap().push(key);
    "OK"
}

#[tokio::test]
async fn a_genuine_notification_reaches_the_handler_and_a_forgery_gets_401() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let shop = Shop {
        verifier: WebhookVerifier::new(SECRET).unwrap(),
        seen: seen.clone(),
    };
    let app = Router::new()
        .route("/tspay/notify", post(notified))
        .with_state(shop);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/tspay/notify", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let body = br#"{"event":{"entity":"tspay_charge","state":"active"},"merchantRef":"M1","payload":{"chargeKey":"ch_1","orderKey":"ok_42","amount":"1450","currency":"EUR","state":"active"}}"#;
    let (headers, body) = tspay::test_util::sign_notification(SECRET, body);
    let http = reqwest::Client::new();

    let genuine = http
        .post(&url)
        .headers(headers.clone())
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(genuine.status(), 200);
    assert_eq!(*seen.lock().unwrap(), vec!["ok_42".to_owned()]);

    // The same signature over another amount: a forgery.
    let forged_body = String::from_utf8(body.clone())
        .unwrap()
        .replace("\"1450\"", "\"1\"");
    let forged = http
        .post(&url)
        .headers(headers)
        .body(forged_body)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);

    // Signed with another secret.
    let (other, body) = tspay::test_util::sign_notification("whsec_someone_else", &body);
    let wrong_key = http
        .post(&url)
        .headers(other)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_key.status(), 401);

    let unsigned = http.post(&url).body(body).send().await.unwrap();
    assert_eq!(unsigned.status(), 401);
    assert_eq!(
        seen.lock().unwrap().len(),
        1,
        "no forgery reached the handler"
    );
}
