//! The rules of pay and save links at their edges, and what reaches TS Pay: every optional
//! field on the wire exactly as set, the SDK's length caps (the longest value accepted, the
//! first refused, by field name, nothing sent), the use limits, and the secret kept out of
//! every `Debug` of the client.

use std::num::NonZeroU32;
use std::time::Duration;

use httpmock::MockServer;
use payments_common::testing::FaultServer;
use tspay::{
    Client, Credentials, Currency, Environment, HttpConfig, Locale, Money, PathStyle,
    PayLinkRequest, RetryPolicy, SaveLinkRequest, SourceType, Template, UseLimit,
};

const API_KEY: &str = "link-rules-key-7Q2";

fn eur(cents: i64) -> Money {
    Money::from_minor_units(cents, Currency::EUR)
}

fn template() -> Template {
    Template::new("Shop", "Ordine 1")
}

/// Answers are expected from the server: a long attempt timeout, no retry.
fn patient() -> HttpConfig {
    HttpConfig::default()
        .attempt_timeout(Duration::from_secs(10))
        .retry(RetryPolicy::default().with_max_retries(0))
}

fn client(base_url: &str) -> Client {
    Client::builder(Credentials::new(API_KEY))
        .base_url(base_url)
        .http_config(patient())
        .build()
        .unwrap()
}

const CREATED: &str = r#"{"orderKey":"ok_rules_1","url":"https://pay.example.com/p/ok_rules_1"}"#;

#[tokio::test]
async fn every_optional_pay_link_field_reaches_ts_pay_as_set() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/orders/link2pay")
                .json_body(serde_json::json!({
                    "template": {"title": "Shop", "desc": "Ordine 1",
                        "logo": "https://shop.example/logo.png"},
                    "callbackUrl": "https://shop.example/done",
                    "cancelUrl": "https://shop.example/cancel",
                    "sourceTypes": ["card", "sepa_debit"],
                    "maxPaymentsNumber": 3,
                    "amount": 990,
                    "langLocale": "en-EN",
                    "contactRequest": true,
                    "confirmationPageNote": "Grazie",
                }));
            then.status(201)
                .header("content-type", "application/json")
                .body(CREATED);
        })
        .await;
    let request = PayLinkRequest::new(template().logo("https://shop.example/logo.png"), eur(990))
        .callback_url("https://shop.example/done")
        .cancel_url("https://shop.example/cancel")
        // A source given twice is sent once, in the caller's order.
        .source_type(SourceType::Card)
        .source_type(SourceType::SepaDebit)
        .source_type(SourceType::Card)
        .max_payments(UseLimit::at_most(NonZeroU32::new(3).unwrap()))
        .omit_currency()
        .locale(Locale::English)
        .contact_request(true)
        .confirmation_page_note("Grazie")
        .build()
        .unwrap();
    assert_eq!(request.amount(), eur(990));
    let link = client(&server.base_url())
        .pay_links()
        .create(&request)
        .await
        .unwrap();
    assert_eq!(link.order_key.as_str(), "ok_rules_1");
    mock.assert_async().await;
}

#[tokio::test]
async fn a_save_link_sends_its_limits_and_an_unlimited_one_sends_zero() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/shop-9/link2save")
                .json_body(serde_json::json!({
                    "template": {"title": "Shop", "desc": "Ordine 1"},
                    "callbackUrl": "https://shop.example/saved",
                    "sourceTypes": ["sepa_debit"],
                    "maxSourceNumber": 0,
                    "maxAmount": 120000,
                    "contextId": "invoice-1",
                    "externalRef": "customer-7",
                    "metadata": {"contract": "C-9"},
                }));
            then.status(201)
                .header("content-type", "application/json")
                .body(CREATED);
        })
        .await;
    let request = SaveLinkRequest::new(template())
        .callback_url("https://shop.example/saved")
        .source_type(SourceType::SepaDebit)
        .max_sources(UseLimit::Unlimited)
        .max_amount(eur(120_000))
        .context_id("invoice-1")
        .external_ref("customer-7")
        .metadata("contract", "C-9")
        .build()
        .unwrap();
    let link = client(&server.base_url())
        .save_links()
        .item_id("shop-9")
        .create(&request)
        .await
        .unwrap();
    assert_eq!(link.url.as_str(), "https://pay.example.com/p/ok_rules_1");
    mock.assert_async().await;
}

#[test]
fn use_limits_read_as_their_wire_numbers() {
    assert_eq!(UseLimit::Unlimited.wire_value(), 0);
    assert_eq!(UseLimit::ONCE.wire_value(), 1);
    assert_eq!(UseLimit::default(), UseLimit::ONCE);
    let seven = UseLimit::at_most(NonZeroU32::new(7).unwrap());
    assert_eq!(seven.wire_value(), 7);
    assert_eq!(serde_json::to_value(seven).unwrap(), 7);
}

/// Each request is refused by `build()` naming `field`, and `create` sends nothing.
async fn refused_by_name(pay: Vec<(&str, PayLinkRequest)>, save: Vec<(&str, SaveLinkRequest)>) {
    let server = FaultServer::start(vec![]).await;
    let client = client(server.base_url().as_str());
    for (field, request) in pay {
        let err = request.clone().build().unwrap_err();
        assert_eq!(err.invalid_field(), Some(field), "{request:?}: {err}");
        assert_eq!(err.operation(), "pay_links.create");
        let err = client.pay_links().create(&request).await.unwrap_err();
        assert_eq!(err.invalid_field(), Some(field), "{err}");
    }
    for (field, request) in save {
        let err = request.clone().build().unwrap_err();
        assert_eq!(err.invalid_field(), Some(field), "{request:?}: {err}");
        assert_eq!(err.operation(), "save_links.create");
        let err = client.save_links().create(&request).await.unwrap_err();
        assert_eq!(err.invalid_field(), Some(field), "{err}");
    }
    assert_eq!(server.attempts(), 0, "nothing may reach TS Pay");
}

#[tokio::test]
async fn each_length_cap_takes_its_longest_value_and_refuses_one_more() {
    let pay = || PayLinkRequest::new(template(), eur(100));
    // The longest values accepted.
    let longest = pay()
        .source_type(SourceType::Unknown("s".repeat(64)))
        .locale(Locale::Unknown("l".repeat(16)))
        .confirmation_page_note("n".repeat(255))
        .external_ref("r".repeat(255));
    assert!(longest.validate().is_ok());
    assert!(
        SaveLinkRequest::new(template())
            .context_id("c".repeat(255))
            .max_amount(eur(tspay::MAX_AMOUNT_CENTS))
            .validate()
            .is_ok()
    );
    refused_by_name(
        vec![
            (
                "sourceTypes",
                pay().source_type(SourceType::Unknown("s".repeat(65))),
            ),
            ("langLocale", pay().locale(Locale::Unknown("l".repeat(17)))),
            ("langLocale", pay().locale(Locale::Unknown(String::new()))),
            (
                "confirmationPageNote",
                pay().confirmation_page_note("n".repeat(256)),
            ),
            ("confirmationPageNote", pay().confirmation_page_note("")),
            (
                "cancelUrl",
                pay().cancel_url(format!("https://shop.example/{}", "c".repeat(2100))),
            ),
            (
                "template.logo",
                PayLinkRequest::new(
                    template().logo(format!("https://cdn.example/{}", "l".repeat(2100))),
                    eur(1),
                ),
            ),
        ],
        vec![
            (
                "maxAmount",
                SaveLinkRequest::new(template()).max_amount(eur(tspay::MAX_AMOUNT_CENTS + 1)),
            ),
            (
                "callbackUrl",
                SaveLinkRequest::new(template())
                    .callback_url(format!("https://shop.example/{}", "s".repeat(2100))),
            ),
            (
                "metadata",
                (0..51).fold(SaveLinkRequest::new(template()), |r, i| {
                    r.metadata(format!("k{i}"), "v")
                }),
            ),
            (
                "metadata.k",
                SaveLinkRequest::new(template()).metadata("k", "v".repeat(256)),
            ),
            (
                "template.desc",
                SaveLinkRequest::new(Template::new("Shop", "d".repeat(256))),
            ),
        ],
    )
    .await;
}

#[tokio::test]
async fn a_save_link_lost_in_flight_is_reconciled_by_its_external_ref_or_context() {
    for (request, expected) in [
        (
            SaveLinkRequest::new(template())
                .external_ref("customer-7")
                .context_id("invoice-1"),
            "customer-7",
        ),
        (
            SaveLinkRequest::new(template()).context_id("invoice-1"),
            "invoice-1",
        ),
    ] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("POST").path("/orders/link2save");
                then.status(502)
                    .header("content-type", "application/json")
                    .body(r#"{"statusCode":502,"message":"Bad Gateway"}"#);
            })
            .await;
        let err = client(&server.base_url())
            .save_links()
            .path_style(PathStyle::Direct)
            .create(&request)
            .await
            .unwrap_err();
        let reconciliation = err.reconciliation().expect("the outcome is unknown");
        assert_eq!(
            reconciliation.merchant_reference.as_deref(),
            Some(expected),
            "{err}"
        );
    }
}

#[test]
fn the_key_stays_out_of_every_debug_and_the_settings_show() {
    let credentials = Credentials::new(API_KEY);
    let builder = Client::builder(credentials.clone())
        .environment(Environment::Production)
        .item_id("shop-9");
    let client = builder.clone().build().unwrap();
    for text in [
        format!("{credentials:?}"),
        format!("{builder:?}"),
        format!("{client:?}"),
    ] {
        assert!(!text.contains(API_KEY), "{text}");
        assert!(text.contains("[REDACTED]"), "{text}");
    }
    let builder_text = format!("{builder:?}");
    assert!(builder_text.starts_with("ClientBuilder"), "{builder_text}");
    assert!(builder_text.contains("Production"), "{builder_text}");
    assert!(builder_text.contains("shop-9"), "{builder_text}");
    let client_text = format!("{client:?}");
    assert!(client_text.starts_with("Client"), "{client_text}");
    assert!(
        client_text.contains("https://api.tspay.app/"),
        "{client_text}"
    );
    assert!(client_text.contains("shop-9"), "{client_text}");
    assert_eq!(
        client.path_style(),
        &PathStyle::Gateway {
            item_id: tspay::ItemId::new("shop-9")
        }
    );
    let direct = Client::builder(Credentials::new(API_KEY))
        .item_id("shop-9")
        .path_style(PathStyle::Direct)
        .build()
        .unwrap();
    assert_eq!(direct.path_style(), &PathStyle::Direct);
}

#[tokio::test]
async fn the_amount_cap_is_the_largest_integer_a_javascript_back_end_holds_exactly() {
    // 2^53 − 1 cents, written out: the constant itself is what is checked.
    const LARGEST: i64 = 9_007_199_254_740_991;
    assert_eq!(tspay::MAX_AMOUNT_CENTS, LARGEST);
    assert!(
        PayLinkRequest::new(template(), eur(LARGEST))
            .validate()
            .is_ok()
    );
    assert!(
        SaveLinkRequest::new(template())
            .max_amount(eur(LARGEST))
            .validate()
            .is_ok()
    );
    refused_by_name(
        vec![("amount", PayLinkRequest::new(template(), eur(LARGEST + 1)))],
        vec![(
            "maxAmount",
            SaveLinkRequest::new(template()).max_amount(eur(LARGEST + 1)),
        )],
    )
    .await;
}
