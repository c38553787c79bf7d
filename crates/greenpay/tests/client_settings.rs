//! What `Client::builder` promises: the sandbox by default (so a missing setting never charges
//! real cards), every host of each environment, each override taken and validated by name,
//! credentials refused by field before anything is sent, the HTTP settings applied, and `Debug`
//! without the secret.

mod common;

use common::{MERCHANT_ID, SECRET, TERMINAL, credentials, fast_config};
use greenpay::subscriptions::ListSubscriptions;
use greenpay::{Client, Credentials, Environment, ErrorKind, RetryPolicy};
use httpmock::MockServer;

/// Every host of a client: merchant, checkout, checkout v2, hosted payment form, hosted
/// tokenization form.
fn hosts(client: &Client) -> [String; 5] {
    [
        client.base_url().as_str(),
        client.checkout_base_url().as_str(),
        client.checkout_v2_base_url().as_str(),
        client.checkout_form_base_url().as_str(),
        client.tokenize_form_base_url().as_str(),
    ]
    .map(|u| u.trim_end_matches('/').to_owned())
}

#[test]
fn the_sandbox_is_the_default_and_each_environment_has_its_hosts() {
    let sandbox = [
        "https://sandbox-merchant.greenpay.me",
        "https://sandbox-checkout.greenpay.me",
        "https://checkoutv2.greenpaysbx.me",
        "https://sandbox-checkoutform.greenpay.me",
        "https://sandbox-tokenizeform.greenpay.me",
    ];
    let production = [
        "https://merchant.greenpay.me",
        "https://checkout.greenpay.me",
        "https://checkoutv2.greenpay.me",
        "https://checkout-form.greenpay.me",
        "https://tokenizeform.greenpay.me",
    ];
    assert_eq!(Environment::default(), Environment::Sandbox);
    let default = Client::builder(credentials()).build().unwrap();
    assert_eq!(hosts(&default), sandbox);
    let explicit = Client::builder(credentials())
        .environment(Environment::Sandbox)
        .build()
        .unwrap();
    assert_eq!(hosts(&explicit), sandbox);
    let live = Client::builder(credentials())
        .environment(Environment::Production)
        .build()
        .unwrap();
    assert_eq!(hosts(&live), production);
    for (env, expected) in [
        (Environment::Sandbox, sandbox),
        (Environment::Production, production),
    ] {
        assert_eq!(
            [
                env.base_url(),
                env.checkout_base_url(),
                env.checkout_v2_base_url(),
                env.checkout_form_base_url(),
                env.tokenize_form_base_url(),
            ],
            expected
        );
    }
}

#[test]
fn each_host_can_be_overridden_and_is_validated_by_name() {
    let client = Client::builder(credentials())
        .environment(Environment::Production)
        .base_url("http://127.0.0.1:9001")
        .checkout_base_url("http://127.0.0.1:9002".to_owned())
        .checkout_v2_base_url("http://127.0.0.1:9003")
        .checkout_form_base_url("http://127.0.0.1:9004")
        .tokenize_form_base_url("http://127.0.0.1:9005")
        .build()
        .unwrap();
    assert_eq!(
        hosts(&client),
        [
            "http://127.0.0.1:9001",
            "http://127.0.0.1:9002",
            "http://127.0.0.1:9003",
            "http://127.0.0.1:9004",
            "http://127.0.0.1:9005",
        ]
    );
    type Setter = fn(greenpay::ClientBuilder, &'static str) -> greenpay::ClientBuilder;
    let setters: [(&str, Setter); 5] = [
        ("base_url", |b, u| b.base_url(u)),
        ("checkout_base_url", |b, u| b.checkout_base_url(u)),
        ("checkout_v2_base_url", |b, u| b.checkout_v2_base_url(u)),
        ("checkout_form_base_url", |b, u| b.checkout_form_base_url(u)),
        ("tokenize_form_base_url", |b, u| b.tokenize_form_base_url(u)),
    ];
    for (field, set) in setters {
        for bad in ["not a url", "ftp://merchant.greenpay.me"] {
            let err = set(Client::builder(credentials()), bad)
                .build()
                .unwrap_err();
            assert_eq!(err.operation(), "client.build");
            assert_eq!(err.invalid_field(), Some(field), "{field} {bad}");
        }
    }
}

#[test]
fn credentials_are_refused_by_field_before_anything_is_sent() {
    let c = Credentials::new(MERCHANT_ID, TERMINAL, SECRET);
    assert_eq!(c.merchant_id(), MERCHANT_ID);
    assert_eq!(c.terminal(), TERMINAL);
    for (credentials, field) in [
        (Credentials::new("", TERMINAL, SECRET), "merchantId"),
        (Credentials::new("a\nb", TERMINAL, SECRET), "merchantId"),
        (Credentials::new(MERCHANT_ID, "", SECRET), "terminal"),
        (Credentials::new(MERCHANT_ID, TERMINAL, ""), "secret"),
    ] {
        let err = Client::builder(credentials).build().unwrap_err();
        assert_eq!(err.operation(), "client.build");
        assert_eq!(err.invalid_field(), Some(field));
        assert!(matches!(err.kind(), ErrorKind::InvalidRequest { .. }));
    }
    let client = Client::builder(c).build().unwrap();
    assert_eq!(client.merchant_id(), MERCHANT_ID);
}

#[cfg(all(feature = "tokenization", feature = "test-util"))]
#[test]
fn a_public_key_that_is_not_one_is_refused_when_the_client_is_built() {
    let err = Client::builder(credentials())
        .public_key("not a key")
        .build()
        .unwrap_err();
    assert_eq!(err.operation(), "client.build");
    assert_eq!(err.invalid_field(), Some("public_key"));
    assert!(
        Client::builder(credentials())
            .public_key(greenpay::test_util::TEST_PUBLIC_KEY)
            .build()
            .is_ok()
    );
}

#[test]
fn debug_shows_the_settings_and_never_the_secret() {
    let builder = Client::builder(credentials())
        .environment(Environment::Production)
        .base_url("http://127.0.0.1:9001")
        .checkout_base_url("http://127.0.0.1:9002")
        .checkout_v2_base_url("http://127.0.0.1:9003")
        .checkout_form_base_url("http://127.0.0.1:9004")
        .tokenize_form_base_url("http://127.0.0.1:9005");
    let text = format!("{builder:?}");
    for part in [
        "ClientBuilder",
        MERCHANT_ID,
        TERMINAL,
        "Production",
        "127.0.0.1:9001",
        "127.0.0.1:9002",
        "127.0.0.1:9003",
        "127.0.0.1:9004",
        "127.0.0.1:9005",
        "http_config",
        "[REDACTED]",
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
    assert!(!text.contains(SECRET), "{text}");
    let client = builder.build().unwrap();
    let text = format!("{client:?}");
    for part in ["Client", "127.0.0.1:9001", MERCHANT_ID, "[REDACTED]"] {
        assert!(text.contains(part), "{part} in {text}");
    }
    assert!(!text.contains(SECRET), "{text}");
    let text = format!("{:?}", credentials());
    assert!(
        text.contains(MERCHANT_ID) && text.contains(TERMINAL),
        "{text}"
    );
    assert!(!text.contains(SECRET), "{text}");
}

#[tokio::test]
async fn the_http_settings_given_are_the_ones_used() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method("POST").path("/subscriptions/list");
            then.status(503).body("busy");
        })
        .await;
    let list = ListSubscriptions::new(1, 10);
    // Two retries (the tests' configuration): three attempts of a read.
    let client = Client::builder(credentials())
        .base_url(server.base_url())
        .http_config(fast_config())
        .build()
        .unwrap();
    assert!(client.subscriptions().list(&list).await.is_err());
    assert_eq!(m.calls_async().await, 3);
    m.delete_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method("POST").path("/subscriptions/list");
            then.status(503).body("busy");
        })
        .await;
    // No retry: one attempt.
    let client = Client::builder(credentials())
        .base_url(server.base_url())
        .http_config(fast_config().retry(RetryPolicy::default().with_max_retries(0)))
        .build()
        .unwrap();
    assert!(client.subscriptions().list(&list).await.is_err());
    assert_eq!(m.calls_async().await, 1);
}
