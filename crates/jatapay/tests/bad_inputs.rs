//! Bad inputs (reliability matrix 7.2): each is refused with `ErrorKind::InvalidRequest` naming the
//! wire field, and the server sees zero requests.

#[macro_use]
mod common;

use common::{CLIENT_SECRET, builder_at, credentials};
use jatapay::{
    Client, Credentials, Currency, Error, ErrorKind, GatewayRequest, Money, SecretString,
    SubscriptionId,
};
use payments_common::testing::FaultServer;

fn eur(cents: i64) -> Money {
    Money::from_minor_units(cents, Currency::EUR)
}

fn base() -> GatewayRequest {
    GatewayRequest::new(
        eur(2000),
        "https://e-commerce.example.com/callback_url",
        "Prodotto",
    )
}

/// `base()` changed by `change`.
fn with(change: impl FnOnce(&mut GatewayRequest)) -> GatewayRequest {
    let mut request = base();
    change(&mut request);
    request
}

fn field(err: &Error) -> &str {
    match err.kind() {
        ErrorKind::InvalidRequest { field, .. } => field,
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

/// Sends `request` through both create operations and checks the field and that nothing left.
async fn refused(request: GatewayRequest, expected: &str) {
    let server = FaultServer::start(vec![]).await;
    let client = builder_at(server.base_url().as_str(), credentials())
        .build()
        .unwrap();
    let err = client.subscriptions().create(&request).await.unwrap_err();
    assert_eq!(field(&err), expected, "{request:?}");
    let err = client.payments().create(&request).await.unwrap_err();
    assert_eq!(field(&err), expected, "{request:?}");
    assert_eq!(server.attempts(), 0, "{request:?}");
}

#[tokio::test]
async fn amounts_other_than_positive_eur_are_refused() {
    for currency in [Currency::USD, Currency::JPY, Currency::GBP, Currency::BHD] {
        refused(
            with(|r| r.amount = Money::from_minor_units(100, currency)),
            "importo",
        )
        .await;
    }
    for cents in [
        0,
        -1,
        -2000,
        i64::MIN,
        jatapay::MAX_AMOUNT_CENTS + 1,
        i64::MAX,
    ] {
        refused(with(|r| r.amount = eur(cents)), "importo").await;
    }
    // The boundary itself is accepted.
    with(|r| r.amount = eur(jatapay::MAX_AMOUNT_CENTS))
        .validate()
        .unwrap();
    with(|r| r.amount = eur(1)).validate().unwrap();
}

#[test]
fn bad_currency_codes_and_excess_precision_never_become_money() {
    for code in ["ABC", "u$d", "US", "EURO", ""] {
        assert!(Currency::from_code(code).is_err(), "{code}");
    }
    // Codes parse in any case.
    assert_eq!("eur".parse::<Currency>().unwrap(), Currency::EUR);
    for text in ["10.001", "0.005", "1e3", " 10", "10,00", "NaN", "+5", ""] {
        let err: Error = Money::parse(text, Currency::EUR).unwrap_err().into();
        assert_eq!(field(&err), "amount", "{text}");
    }
}

#[tokio::test]
async fn unsafe_callback_urls_are_refused() {
    let long = format!(
        "https://shop.example/{}",
        "a".repeat(jatapay::MAX_CALLBACK_URL_BYTES)
    );
    for url in [
        "",
        "http://shop.example/return",
        "javascript:alert(1)",
        "/relative/return",
        "shop.example/return",
        "https://user:pw@shop.example/return",
        "https://shop.example/a b",
        "https://shop.example/\r\nX-Injected: 1",
        "ftp://shop.example/return",
        long.as_str(),
    ] {
        refused(with(|r| r.callback_url = url.to_owned()), "callback_url").await;
    }
    // Plain http to loopback is allowed (local development, the sandbox).
    with(|r| r.callback_url = "http://127.0.0.1:8080/return".into())
        .validate()
        .unwrap();
}

#[tokio::test]
async fn empty_long_and_control_text_fields_are_refused() {
    let max = jatapay::MAX_DESCRIPTION_CHARS;
    for text in [
        String::new(),
        "   ".into(),
        "è".repeat(max + 1),
        "a\r\nb".into(),
        "nul\u{0}".into(),
    ] {
        refused(with(|r| r.description = text), "descrizione_prodotto").await;
    }
    // Multibyte text at the limit counts characters, not bytes.
    with(|r| r.description = "è".repeat(max))
        .validate()
        .unwrap();

    for text in ["x".repeat(jatapay::MAX_NOTE_CHARS + 1), "a\u{7}b".into()] {
        refused(base().note(text), "note").await;
    }
    base().note("").validate().unwrap();
    base()
        .note("è".repeat(jatapay::MAX_NOTE_CHARS))
        .validate()
        .unwrap();

    for text in [
        String::new(),
        " ".into(),
        "o".repeat(jatapay::MAX_CUSTOMER_CHARS + 1),
        "op\nen".into(),
    ] {
        refused(base().customer(text), "cliente").await;
    }
}

#[tokio::test]
async fn bad_and_path_changing_subscription_ids_are_refused_before_sending() {
    let server = FaultServer::start(vec![]).await;
    let client = builder_at(server.base_url().as_str(), credentials())
        .build()
        .unwrap();
    let too_long = "a".repeat(256);
    for id in [
        "",
        ".",
        "..",
        "%2e%2e",
        "a/b",
        "a\\b",
        "a?b",
        "a#b",
        "a b",
        "a\r\nb",
        too_long.as_str(),
    ] {
        let err = client
            .subscriptions()
            .get(&SubscriptionId::new(id))
            .await
            .unwrap_err();
        assert_eq!(field(&err), "id", "{id:?}");
        assert_eq!(
            field(&client.gateway_url(&SubscriptionId::new(id)).unwrap_err()),
            "id"
        );
    }
    // Nothing was sent: not even a token exchange.
    assert_eq!(server.attempts(), 0);
}

#[test]
fn bad_credentials_are_refused_without_echoing_them() {
    let cases = [
        (
            Credentials::new(SecretString::from(""), SecretString::from(CLIENT_SECRET)),
            "client_id",
        ),
        (
            Credentials::new(
                SecretString::from("jp client"),
                SecretString::from(CLIENT_SECRET),
            ),
            "client_id",
        ),
        (
            Credentials::new(SecretString::from("jp-client"), SecretString::from("")),
            "client_secret",
        ),
        (
            Credentials::new(
                SecretString::from("jp-client"),
                SecretString::from(format!("{CLIENT_SECRET}\n")),
            ),
            "client_secret",
        ),
        (
            Credentials::new(
                SecretString::from("jp-client"),
                SecretString::from(format!(" {CLIENT_SECRET}")),
            ),
            "client_secret",
        ),
        (
            Credentials::new(
                SecretString::from("jp-client"),
                SecretString::from("jp-secret\tCANARY"),
            ),
            "client_secret",
        ),
    ];
    for (credentials, expected) in cases {
        let err = Client::builder(credentials).build().unwrap_err();
        assert_eq!(field(&err), expected);
        let text = format!("{err} {err:?}");
        assert!(!text.contains("CANARY"), "{text}");
    }
    for token in ["", "tok CANARY", "tok-CANARY\r\n"] {
        let err = Client::builder(Credentials::token(SecretString::from(token)))
            .build()
            .unwrap_err();
        assert_eq!(field(&err), "token");
        assert!(!format!("{err} {err:?}").contains("CANARY"));
    }
    // A bad token next to good client credentials is refused too.
    let err = Client::builder(credentials().with_token(SecretString::from("tok CANARY")))
        .build()
        .unwrap_err();
    assert_eq!(field(&err), "token");
    assert_eq!(err.operation(), "client.build");
}

#[test]
fn unsafe_base_urls_are_refused() {
    let token = || SecretString::from("tok-1234");
    for url in [
        "http://api.jatapay.it",
        "javascript:alert(1)",
        "https://user:pw@api.jatapay.it",
        "https://api.jatapay.it/?x=1",
        "https://api.jatapay.it/#frag",
        "api.jatapay.it",
        "",
    ] {
        let err = Client::builder(Credentials::token(token()))
            .api_base_url(url)
            .build()
            .unwrap_err();
        assert_eq!(field(&err), "api_base_url", "{url}");
        let err = Client::builder(Credentials::token(token()))
            .auth_base_url(url)
            .build()
            .unwrap_err();
        assert_eq!(field(&err), "auth_base_url", "{url}");
        let err = Client::builder(Credentials::token(token()))
            .gateway_base_url(url)
            .build()
            .unwrap_err();
        assert_eq!(field(&err), "gateway_base_url", "{url}");
    }
}
