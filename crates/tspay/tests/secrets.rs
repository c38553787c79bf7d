//! Secret probes (reliability matrix 7.4, S1-S3): canary credentials appear in no Debug,
//! Display, error or TRACE log line, even when the server echoes them back.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use payments_common::testing::{Fault, FaultServer, Reply};
use tspay::{
    Client, Credentials, Currency, Environment, HttpConfig, Money, OrderKey, PayLinkRequest,
    RetryPolicy, SaveLinkRequest, SecretString, Template,
};

const CANARY_KEY: &str = "CANARY-API-KEY-7f3a9c";
const CANARY_WEBHOOK: &str = "CANARY-WHSEC-51d0e2";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn assert_clean(label: &str, text: &str) {
    for canary in [CANARY_KEY, CANARY_WEBHOOK] {
        assert!(!text.contains(canary), "{label} leaks a canary: {text}");
    }
}

fn assert_error_clean(err: &(dyn std::error::Error + 'static)) {
    assert_clean("Display", &err.to_string());
    assert_clean("Debug", &format!("{err:?}"));
    assert_clean("Debug alt", &format!("{err:#?}"));
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        assert_clean("source", &cause.to_string());
        source = cause.source();
    }
}

/// A client with a generous attempt timeout (each probe must reach the answer that echoes the
/// key, not time out first); `attempt` is shortened only for the hang probe.
fn client(base: payments_common::Url) -> Client {
    client_with(base, Duration::from_secs(10))
}

fn client_with(base: payments_common::Url, attempt: Duration) -> Client {
    Client::builder(Credentials::new(CANARY_KEY))
        .base_url(base)
        .item_id("item-1")
        .http_config(HttpConfig::default().attempt_timeout(attempt).retry(
            RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        ))
        .build()
        .unwrap()
}

fn pay() -> PayLinkRequest {
    PayLinkRequest::new(
        Template::new("Shop", "Ordine"),
        Money::from_minor_units(100, Currency::EUR),
    )
    .external_ref("o-1")
}

#[tokio::test]
async fn canaries_never_leak() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let mut probes = 0;
    let refused = FaultServer::refused_url("/").await;
    let c = client(refused.clone());
    for text in [format!("{c:?}"), format!("{c:#?}")] {
        assert_clean("client", &text);
    }
    let builder = Client::builder(Credentials::new(CANARY_KEY)).base_url(refused);
    assert_clean("builder", &format!("{builder:?} {builder:#?}"));
    let request = pay();
    assert_clean("request", &format!("{request:?} {request:#?}"));
    let save = SaveLinkRequest::new(Template::new("Shop", "A"));
    assert_clean("save request", &format!("{save:?}"));
    probes += 5;

    let bad = Client::builder(Credentials::new(format!("{CANARY_KEY}\n")))
        .environment(Environment::Production)
        .build()
        .unwrap_err()
        .into_kind();
    assert_error_clean(&bad);
    probes += 1;

    let echo = |status: u16| {
        Reply::json(
            status,
            &format!(
                r#"{{"statusCode":{status},"message":["bad key {CANARY_KEY}"],"error":"{CANARY_KEY}","apiKey":"{CANARY_KEY}"}}"#
            ),
        )
    };
    let scripts = vec![
        Fault::Respond(echo(400)),
        Fault::Respond(echo(401)),
        Fault::Respond(echo(404)),
        Fault::Respond(echo(500)),
        Fault::Respond(Reply::html(
            502,
            &format!("<h1>bad gateway</h1><p>Authorization: Bearer {CANARY_KEY}</p>"),
        )),
        Fault::Respond(Reply::json(
            200,
            &format!(r#"{{"token":"{CANARY_KEY}","note":"{CANARY_KEY}"}}"#),
        )),
        Fault::Respond(Reply::json(
            200,
            &format!(r#"[{{"amount":"{CANARY_KEY}","state":"active"}}]"#),
        )),
        Fault::ResetAfterRequest,
        Fault::Hang,
        Fault::TruncatedBody,
    ];
    for fault in scripts {
        let attempt = if matches!(fault, Fault::Hang) {
            Duration::from_millis(300)
        } else {
            Duration::from_secs(10)
        };
        let server = FaultServer::start(vec![fault]).await;
        let c = client_with(server.base_url(), attempt);
        let errors = [
            c.pay_links().create(&pay()).await.unwrap_err(),
            c.save_links()
                .create(&SaveLinkRequest::new(Template::new("S", "A")))
                .await
                .unwrap_err(),
        ];
        // An object without charge fields reads as "no charges yet", so the read may succeed.
        if let Err(err) = c.charges().of_order(&OrderKey::new("ok_1")).await {
            assert_error_clean(&err);
            probes += 1;
        }
        for err in &errors {
            assert_error_clean(err);
            probes += 1;
        }
        // The key did go on the wire, in the Authorization header only.
        let requests = server.requests();
        assert!(
            requests
                .iter()
                .all(|r| r.header("authorization") == Some(&format!("Bearer {CANARY_KEY}")))
        );
        assert!(requests.iter().all(|r| !r.path.contains(CANARY_KEY)));
    }

    #[cfg(feature = "webhooks")]
    {
        let v = tspay::WebhookVerifier::new(SecretString::from(CANARY_WEBHOOK)).unwrap();
        assert_clean("verifier", &format!("{v:?} {v:#?}"));
        let mut headers = tspay::HeaderMap::new();
        headers.insert(tspay::SIGNATURE_HEADER, "00".parse().unwrap());
        let err = v.verify(&headers, b"{}").unwrap_err().into_kind();
        assert_error_clean(&err);
        headers.insert(tspay::SIGNATURE_HEADER, "0".repeat(64).parse().unwrap());
        let err = v.verify(&headers, b"{}").unwrap_err().into_kind();
        assert_error_clean(&err);
        let err = tspay::WebhookVerifier::new(SecretString::from(format!(" {CANARY_WEBHOOK}")))
            .unwrap_err()
            .into_kind();
        assert_error_clean(&err);
        probes += 4;
    }

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("payments.http"),
        "the TRACE capture saw the pipeline's spans"
    );
    assert_clean("TRACE logs", &logs);
    println!("secret probes: {probes}, secrets leaked: 0");
}
