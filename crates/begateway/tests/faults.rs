//! Transport and server faults against a raw TCP server (`docs/reliability.md`, rows F): exact attempt
//! counts, unkeyed writes never repeated once they may have reached beGateway.

mod common;

use std::time::Instant;

use begateway::{
    Client, CreateProduct, Credentials, Currency, ErrorKind, HttpConfig, Money, ProductId,
    TransactionUid, UpdateProduct,
};
use common::{
    HANG_ATTEMPT, HANG_DEADLINE, MARGIN, SECRET, SHOP_ID, client, fast_config, fixture, hang_client,
};
use payments_common::TransportKind;
use payments_common::testing::{Fault, FaultServer, Reply};

fn product() -> CreateProduct {
    CreateProduct::new(
        "Pro plan",
        "Monthly access",
        Money::parse("9.90", Currency::USD).unwrap(),
    )
    .infinite()
    .immortal()
}

fn base(server: &FaultServer) -> String {
    server.base_url().to_string()
}

fn product_reply() -> Reply {
    Reply::json(200, &fixture("products.get.response.200.json"))
}

/// F6 on an unkeyed write: reset after the request → OutcomeUnknown, one attempt, with the
/// product name as the reconciliation handle.
#[tokio::test]
async fn create_reset_after_request_is_outcome_unknown_without_retry() {
    let server = FaultServer::start(vec![Fault::ResetAfterRequest]).await;
    let err = client(&base(&server))
        .products()
        .create(&product())
        .await
        .unwrap_err();
    assert_eq!(server.attempts(), 1);
    match err.kind() {
        ErrorKind::OutcomeUnknown {
            operation,
            reconciliation,
            source,
        } => {
            assert_eq!(operation.to_string(), "begateway.products.create");
            assert_eq!(
                reconciliation.merchant_reference.as_deref(),
                Some("Pro plan")
            );
            assert!(
                matches!(
                    source.as_ref(),
                    ErrorKind::Transport {
                        kind: TransportKind::Reset,
                        attempts: 1,
                        ..
                    }
                ),
                "{source:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.is_retryable());
}

/// F4 on an unkeyed write: no answer → OutcomeUnknown (timeout), one attempt, within the deadline
/// (plus a generous margin: only a hang is asserted, not a duration).
#[tokio::test]
async fn update_hang_is_outcome_unknown_after_one_attempt() {
    let server = FaultServer::start(vec![Fault::Hang]).await;
    let started = Instant::now();
    let err = hang_client(&base(&server))
        .products()
        .update(&ProductId::new("prd_1"), &UpdateProduct::new().quantity(3))
        .await
        .unwrap_err();
    assert!(started.elapsed() < HANG_DEADLINE + MARGIN);
    assert_eq!(server.attempts(), 1);
    assert!(
        matches!(err.kind(), ErrorKind::OutcomeUnknown { source, .. } if matches!(**source, ErrorKind::Timeout { .. })),
        "{err:?}"
    );
}

/// F9 on an unkeyed write: a proxy's 502 page → OutcomeUnknown, one attempt.
#[tokio::test]
async fn create_502_html_is_outcome_unknown_after_one_attempt() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::bad_gateway_html())]).await;
    let err = client(&base(&server))
        .products()
        .create(&product())
        .await
        .unwrap_err();
    assert_eq!(server.attempts(), 1);
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
}

/// F9 on a read: retried, 3 attempts, then Http{502} with a short excerpt.
#[tokio::test]
async fn list_502_html_is_retried_then_http_error() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::bad_gateway_html())]).await;
    let err = client(&base(&server)).products().list().await.unwrap_err();
    assert_eq!(server.attempts(), 3);
    match err.kind() {
        ErrorKind::Http {
            status,
            content_type,
            excerpt,
            ..
        } => {
            assert_eq!(status.as_u16(), 502);
            assert_eq!(content_type.as_deref(), Some("text/html"));
            assert!(excerpt.len() <= 512 && excerpt.contains("502 Bad Gateway"));
        }
        other => panic!("{other:?}"),
    }
}

/// F6 on a read: reset, then success on the second attempt.
#[tokio::test]
async fn get_reset_then_success() {
    let server = FaultServer::start(vec![
        Fault::ResetAfterRequest,
        Fault::Respond(product_reply()),
    ])
    .await;
    let product = client(&base(&server))
        .products()
        .get(&ProductId::new("prd_ed27b047d3ccd1a6"))
        .await
        .unwrap();
    assert_eq!(server.attempts(), 2);
    assert_eq!(product.id.as_str(), "prd_ed27b047d3ccd1a6");
    let requests = server.requests();
    assert!(
        requests
            .iter()
            .all(|r| r.method == "GET" && r.path == "/products/prd_ed27b047d3ccd1a6")
    );
}

/// F7 / F8 on a read: truncated bodies are transport errors, not decode errors; retried.
#[tokio::test]
async fn truncated_bodies_are_transport_errors() {
    for fault in [Fault::TruncatedBody, Fault::UnterminatedChunked] {
        let server = FaultServer::start(vec![fault.clone()]).await;
        let err = client(&base(&server))
            .transactions()
            .get(&TransactionUid::new("1-a"))
            .await
            .unwrap_err();
        assert_eq!(server.attempts(), 3, "{fault:?}");
        assert!(
            matches!(err.kind(), ErrorKind::Transport { attempts: 3, .. }),
            "{fault:?}: {err:?}"
        );
    }
}

/// F5 on a read: a stalled body times out, never hangs: within the deadline (plus a generous
/// margin), after as many attempts as the deadline allowed (three of 300 ms fit in 2 s, but a
/// busy machine may fit fewer).
#[tokio::test]
async fn stalled_body_times_out() {
    let server = FaultServer::start(vec![Fault::StalledBody]).await;
    let started = Instant::now();
    let err = hang_client(&base(&server))
        .products()
        .list()
        .await
        .unwrap_err();
    assert!(started.elapsed() < HANG_DEADLINE + MARGIN);
    assert!(HANG_ATTEMPT * 3 < HANG_DEADLINE);
    let attempts = server.attempts();
    assert!((1..=3).contains(&attempts), "{attempts}");
    assert!(
        matches!(err.kind(), ErrorKind::Timeout { attempts: a, .. } if usize::try_from(*a).unwrap() == attempts),
        "{err:?}"
    );
}

/// F1: nothing listening → Connect, retried even for a write (nothing was sent).
#[tokio::test]
async fn connection_refused_is_connect_after_retries() {
    let url = FaultServer::refused_url("/").await;
    let err = client(url.as_str())
        .products()
        .create(&product())
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Connect { attempts: 3, .. }),
        "{err:?}"
    );
}

/// F12: 429 without Retry-After → RateLimited, one attempt.
#[tokio::test]
async fn too_many_requests_is_rate_limited() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::too_many_requests())]).await;
    let err = client(&base(&server)).products().list().await.unwrap_err();
    assert_eq!(server.attempts(), 1);
    assert!(
        matches!(err.kind(), ErrorKind::RateLimited { .. }),
        "{err:?}"
    );
}

/// F13: 500 with beGateway's JSON error on a read → retried, then Api.
#[tokio::test]
async fn server_error_with_provider_json_is_api_after_retries() {
    let body = r#"{"response":{"message":"Gateway is temporarily unavailable","errors":{"gateway":"Gateway is temporarily unavailable"}}}"#;
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(500, body))]).await;
    let err = client(&base(&server))
        .transactions()
        .by_tracking_id("order-1")
        .await
        .unwrap_err();
    assert_eq!(server.attempts(), 3);
    assert!(
        matches!(err.kind(), ErrorKind::Api { status, .. } if status.as_u16() == 500),
        "{err:?}"
    );
}

/// F15 on a write: 201 with HTML → decode failure flagged as possibly applied.
#[tokio::test]
async fn create_success_with_html_is_outcome_unknown() {
    let server =
        FaultServer::start(vec![Fault::Respond(Reply::html(201, "<html>ok</html>"))]).await;
    let err = client(&base(&server))
        .products()
        .create(&product())
        .await
        .unwrap_err();
    assert_eq!(server.attempts(), 1);
    assert!(
        matches!(err.kind(), ErrorKind::OutcomeUnknown { source, .. } if matches!(**source, ErrorKind::Decode { .. })),
        "{err:?}"
    );
}

/// F16 / F17 on a read: empty body, and a wrong-typed amount, are Decode naming the path.
#[tokio::test]
async fn bad_success_bodies_are_decode_errors() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(200, ""))]).await;
    let err = client(&base(&server))
        .products()
        .get(&ProductId::new("prd_1"))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err:?}");
    assert_eq!(server.attempts(), 1);

    let body =
        fixture("products.get.response.200.json").replace("\"amount\": 990", "\"amount\": 9.9");
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(200, &body))]).await;
    let err = client(&base(&server))
        .products()
        .get(&ProductId::new("prd_1"))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Decode { path, .. } if path == "amount"),
        "{err:?}"
    );
}

/// F18: a body above the cap → ResponseTooLarge.
#[tokio::test]
async fn oversized_body_is_refused() {
    let server = FaultServer::start(vec![Fault::Respond(Reply::oversized_json(64 * 1024))]).await;
    let c = Client::builder(Credentials::new(SHOP_ID, SECRET))
        .api_base_url(base(&server))
        .http_config(fast_config().max_body_bytes(16 * 1024))
        .build()
        .unwrap();
    let err = c.products().list().await.unwrap_err();
    assert_eq!(server.attempts(), 1);
    assert!(
        matches!(err.kind(), ErrorKind::ResponseTooLarge { .. }),
        "{err:?}"
    );
}

/// F19: a redirect on a POST is never followed; no credentials reach the other host. The
/// write's outcome is unknown (a 3xx is not beGateway's answer to a create), with the redirect
/// as its cause.
#[tokio::test]
async fn create_redirect_is_not_followed() {
    let other = FaultServer::start(vec![Fault::Respond(Reply::json(201, "{}"))]).await;
    let server = FaultServer::start(vec![Fault::Respond(Reply::redirect(
        other.url("/products").as_str(),
    ))])
    .await;
    let err = client(&base(&server))
        .products()
        .create(&product())
        .await
        .unwrap_err();
    assert_eq!(server.attempts(), 1);
    assert_eq!(other.attempts(), 0);
    assert!(
        matches!(err.kind(), ErrorKind::OutcomeUnknown { source, .. }
            if matches!(**source, ErrorKind::UnexpectedRedirect { .. })),
        "{err:?}"
    );
}

/// The default config is used when none is given (sanity: builds and is shared by clones).
#[test]
fn default_http_config_builds() {
    let c = Client::builder(Credentials::new(SHOP_ID, SECRET))
        .http_config(HttpConfig::default())
        .build()
        .unwrap();
    let clone = c.clone();
    assert_eq!(clone.shop_id(), c.shop_id());
    assert_eq!(c.api_base_url().as_str(), "https://api.begateway.com/");
    assert_eq!(
        c.gateway_base_url().as_str(),
        "https://gateway.begateway.com/"
    );
}
