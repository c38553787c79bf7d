//! Bad inputs (reliability matrix 7.2): each is refused with `ErrorKind::InvalidRequest` naming the
//! wire field, and the server sees zero requests.

use payments_common::testing::FaultServer;
use tspay::{
    Client, Credentials, Currency, ErrorKind, ItemId, Money, OrderKey, PathStyle, PayLinkRequest,
    SaveLinkRequest, SecretString, SourceType, Template,
};

const SECRET_KEY: &str = "bad-input-key-XYZ";

fn eur(cents: i64) -> Money {
    Money::from_minor_units(cents, Currency::EUR)
}

fn template() -> Template {
    Template::new("Shop", "Ordine 1")
}

fn url(text: &str) -> String {
    text.to_owned()
}

fn field(err: &ErrorKind) -> &str {
    err.invalid_field()
        .unwrap_or_else(|| panic!("not InvalidRequest: {err:?}"))
}

async fn server_and_client() -> (FaultServer, Client) {
    let server = FaultServer::start(vec![]).await;
    let client = Client::builder(Credentials::new(SECRET_KEY))
        .base_url(server.base_url())
        .build()
        .unwrap();
    (server, client)
}

fn pay_cases() -> Vec<(&'static str, PayLinkRequest)> {
    let base = || PayLinkRequest::new(template(), eur(1450));
    vec![
        (
            "currency",
            PayLinkRequest::new(template(), Money::from_minor_units(1450, Currency::USD)),
        ),
        (
            "currency",
            PayLinkRequest::new(template(), Money::from_minor_units(1450, Currency::JPY)),
        ),
        (
            "currency",
            PayLinkRequest::new(template(), Money::from_minor_units(1450, Currency::CLF)),
        ),
        ("amount", PayLinkRequest::new(template(), eur(0))),
        ("amount", PayLinkRequest::new(template(), eur(-1))),
        ("amount", PayLinkRequest::new(template(), eur(i64::MIN))),
        (
            "amount",
            PayLinkRequest::new(template(), eur(tspay::MAX_AMOUNT_CENTS + 1)),
        ),
        ("amount", PayLinkRequest::new(template(), eur(i64::MAX))),
        (
            "callbackUrl",
            base().callback_url(url("http://shop.example/return")),
        ),
        (
            "callbackUrl",
            base().callback_url(url("javascript:alert(1)")),
        ),
        (
            "callbackUrl",
            base().callback_url(url("https://user:pass@shop.example/return")),
        ),
        (
            "callbackUrl",
            base().callback_url(url("ftp://shop.example/return")),
        ),
        (
            "callbackUrl",
            base().callback_url(url(&format!("https://shop.example/{}", "a".repeat(2100)))),
        ),
        (
            "cancelUrl",
            base().cancel_url(url("http://shop.example/cancel")),
        ),
        ("cancelUrl", base().cancel_url(url("data:text/html,hi"))),
        (
            "template.logo",
            PayLinkRequest::new(template().logo(url("http://cdn.example/logo.png")), eur(1)),
        ),
        (
            "template.title",
            PayLinkRequest::new(Template::new("", "Ordine"), eur(1)),
        ),
        (
            "template.title",
            PayLinkRequest::new(Template::new("   ", "Ordine"), eur(1)),
        ),
        (
            "template.title",
            PayLinkRequest::new(Template::new("é".repeat(256), "Ordine"), eur(1)),
        ),
        (
            "template.title",
            PayLinkRequest::new(Template::new("Shop\r\nX-Evil: 1", "Ordine"), eur(1)),
        ),
        (
            "template.desc",
            PayLinkRequest::new(Template::new("Shop", ""), eur(1)),
        ),
        (
            "template.desc",
            PayLinkRequest::new(Template::new("Shop", "x".repeat(256)), eur(1)),
        ),
        (
            "template.paymentRef",
            PayLinkRequest::new(template().payment_ref(""), eur(1)),
        ),
        (
            "template.paymentRef",
            PayLinkRequest::new(template().payment_ref("€".repeat(256)), eur(1)),
        ),
        ("externalRef", base().external_ref("")),
        ("externalRef", base().external_ref("ref\u{0}")),
        ("externalRef", base().external_ref("r".repeat(256))),
        ("metadata", base().metadata("", "v")),
        ("metadata.k", base().metadata("k", "v".repeat(256))),
        ("metadata.k", base().metadata("k", "line\nbreak")),
        (
            "metadata",
            (0..51).fold(base(), |r, i| r.metadata(format!("k{i}"), "v")),
        ),
        (
            "sourceTypes",
            base().source_type(SourceType::Unknown(String::new())),
        ),
        (
            "langLocale",
            base().locale(tspay::Locale::Unknown("it\r\nIT".into())),
        ),
    ]
}

fn save_cases() -> Vec<(&'static str, SaveLinkRequest)> {
    let base = || SaveLinkRequest::new(template());
    vec![
        (
            "maxAmount",
            base().max_amount(Money::from_minor_units(100, Currency::USD)),
        ),
        ("maxAmount", base().max_amount(eur(0))),
        ("maxAmount", base().max_amount(eur(-100))),
        ("contextId", base().context_id("")),
        ("contextId", base().context_id("c".repeat(256))),
        (
            "callbackUrl",
            base().callback_url(url("http://shop.example/saved")),
        ),
        ("externalRef", base().external_ref("  ")),
        (
            "template.title",
            SaveLinkRequest::new(Template::new("", "x")),
        ),
    ]
}

#[tokio::test]
async fn invalid_requests_send_nothing() {
    let (server, client) = server_and_client().await;
    let mut tried = 0;
    for (expected, request) in pay_cases() {
        let err = client
            .pay_links()
            .create(&request)
            .await
            .unwrap_err()
            .into_kind();
        assert_eq!(field(&err), expected, "{request:?}: {err}");
        tried += 1;
    }
    for (expected, request) in save_cases() {
        let err = client
            .save_links()
            .create(&request)
            .await
            .unwrap_err()
            .into_kind();
        assert_eq!(field(&err), expected, "{request:?}: {err}");
        tried += 1;
    }
    for key in ["", " ", "ok_1 ", "a\nb", &"k".repeat(256)] {
        let err = client
            .charges()
            .of_order(&OrderKey::new(key))
            .await
            .unwrap_err()
            .into_kind();
        assert_eq!(field(&err), "orderKey", "{key:?}");
        tried += 1;
    }
    for item in ["", "item 1", "item\r\n1"] {
        let err = client
            .pay_links()
            .item_id(item)
            .create(&PayLinkRequest::new(template(), eur(1)))
            .await
            .unwrap_err()
            .into_kind();
        assert_eq!(field(&err), "itemId", "{item:?}");
        let err = client
            .charges()
            .path_style(PathStyle::Gateway {
                item_id: ItemId::new(item),
            })
            .of_order(&OrderKey::new("ok"))
            .await
            .unwrap_err()
            .into_kind();
        assert_eq!(field(&err), "itemId", "{item:?}");
        tried += 2;
    }
    assert_eq!(
        server.attempts(),
        0,
        "invalid input must not reach the server"
    );
    println!(
        "bad inputs tried: {tried}, HTTP requests made: {}",
        server.attempts()
    );
}

#[test]
fn valid_limits_pass() {
    assert!(
        PayLinkRequest::new(
            Template::new("é".repeat(255), "d"),
            eur(tspay::MAX_AMOUNT_CENTS)
        )
        .validate()
        .is_ok()
    );
    assert!(
        PayLinkRequest::new(template(), eur(1))
            .callback_url(url("http://127.0.0.1:8080/cb"))
            .validate()
            .is_ok()
    );
    let many = (0..50).fold(PayLinkRequest::new(template(), eur(1)), |r, i| {
        r.metadata(format!("k{i}"), "")
    });
    assert!(many.validate().is_ok());
}

#[test]
fn excess_precision_and_malformed_amounts_never_round() {
    for text in ["10.001", "0.005", "1e3", " 10", "10,00", "NaN", "+5", ""] {
        let err: ErrorKind = Money::parse(text, Currency::EUR).unwrap_err().into();
        assert_eq!(field(&err), "amount", "{text:?}");
    }
    for code in ["ABC", "u$d", "US", "EURO", "", "XAU", "XXX"] {
        assert!(code.parse::<Currency>().is_err(), "{code}");
    }
    assert_eq!("eur".parse::<Currency>().unwrap(), Currency::EUR);
}

#[test]
fn urls_with_crlf_or_spaces_are_refused_by_build_naming_the_field() {
    for bad in [
        "https://shop.example/a\r\nX-Evil: 1",
        "https://shop.example/a b",
        "/relative",
    ] {
        let err = PayLinkRequest::new(template(), eur(1450))
            .callback_url(bad)
            .build()
            .unwrap_err();
        assert_eq!(err.invalid_field(), Some("callbackUrl"), "{bad:?}");
        assert_eq!(err.operation(), "pay_links.create");
        let err = SaveLinkRequest::new(template().logo(bad))
            .build()
            .unwrap_err();
        assert_eq!(err.invalid_field(), Some("template.logo"), "{bad:?}");
        assert_eq!(err.operation(), "save_links.create");
    }
}

#[test]
fn bad_credentials_and_base_urls_are_refused_without_echoing_the_key() {
    let local = "http://127.0.0.1:9";
    for key in ["", " ", "bad key", "bad-key\n", "\tbad-key", "bad\u{0}key"] {
        let err = Client::builder(Credentials::new(key))
            .base_url(local)
            .build()
            .unwrap_err()
            .into_kind();
        assert_eq!(field(&err), "api_key");
        if !key.trim().is_empty() {
            assert!(!err.to_string().contains(key.trim()), "{err}");
            assert!(!format!("{err:?}").contains(key.trim()));
        }
    }
    for base in [
        "http://api.tspay.app",
        "https://user:pw@api.tspay.app",
        "https://api.tspay.app/?k=1",
        "file:///etc/passwd",
    ] {
        let err = Client::builder(Credentials::new("k"))
            .base_url(url(base))
            .build()
            .unwrap_err()
            .into_kind();
        assert_eq!(field(&err), "base_url", "{base}");
    }
    for item in ["", "has space", &"i".repeat(256)] {
        let err = Client::builder(Credentials::new("k"))
            .base_url(local)
            .item_id(item)
            .build()
            .unwrap_err()
            .into_kind();
        assert_eq!(field(&err), "itemId", "{item:?}");
    }
}

#[cfg(feature = "webhooks")]
#[test]
fn bad_webhook_secrets_are_refused() {
    for secret in ["", "with space", "nl\n"] {
        let err = tspay::WebhookVerifier::new(SecretString::from(secret))
            .unwrap_err()
            .into_kind();
        assert_eq!(field(&err), "webhook_secret");
    }
}
