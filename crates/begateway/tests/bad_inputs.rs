//! Bad inputs (`docs/reliability.md`, rows I): each is refused with `ErrorKind::InvalidRequest` naming the
//! field, and the server sees zero requests.

mod common;

use begateway::{
    Client, CreateProduct, Credentials, Currency, ErrorKind, Expiry, Language, Money, ProductId,
    TransactionType, TransactionUid, UpdateProduct, VisibleField, currency,
};
use common::{SECRET, SHOP_ID, client};
use payments_common::testing::FaultServer;

fn usd(text: &str) -> Money {
    Money::parse(text, Currency::USD).unwrap()
}

fn valid() -> CreateProduct {
    CreateProduct::new("Pro plan", "Monthly access", usd("9.90"))
        .infinite()
        .immortal()
}

fn field_of(result: Result<impl std::fmt::Debug, begateway::Error>) -> String {
    match result.map_err(begateway::Error::into_kind) {
        Err(ErrorKind::InvalidRequest { field, .. }) => field,
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

/// Sends `request` through the client and checks the refusal names `field` with 0 requests.
async fn refused_create(request: CreateProduct, field: &str) {
    let server = FaultServer::start(vec![]).await;
    let result = client(server.base_url().as_str())
        .products()
        .create(&request)
        .await;
    assert_eq!(field_of(result), field, "{request:?}");
    assert_eq!(server.attempts(), 0);
}

async fn refused_update(request: UpdateProduct, field: &str) {
    let server = FaultServer::start(vec![]).await;
    let result = client(server.base_url().as_str())
        .products()
        .update(&ProductId::new("prd_1"), &request)
        .await;
    assert_eq!(field_of(result), field, "{request:?}");
    assert_eq!(server.attempts(), 0);
}

#[tokio::test]
async fn the_valid_request_is_accepted() {
    valid().build().unwrap();
}

/// I1 / I2: malformed, unknown and fund currency codes.
#[tokio::test]
async fn currencies() {
    for code in ["ABC", "u$d", "US", "EURO", "", "XAU", "XXX"] {
        assert_eq!(
            field_of(currency::parse_currency(code)),
            "currency",
            "{code:?}"
        );
    }
    // Codes parse in any case.
    assert_eq!(currency::parse_currency("usd").unwrap(), Currency::USD);
    for fund in [Currency::CLF, Currency::UYI, Currency::BOV, Currency::CHE] {
        let price = Money::from_minor_units(100, fund);
        refused_create(
            CreateProduct::new("n", "d", price).infinite().immortal(),
            "currency",
        )
        .await;
        refused_update(UpdateProduct::new().currency(fund), "currency").await;
    }
}

/// I3: excess precision, beGateway's own exponents included — never rounded.
#[tokio::test]
async fn precision() {
    let cases = [
        Money::parse("10.001", Currency::USD).err().map(|_| ()),
        Money::parse("1.5", Currency::JPY).err().map(|_| ()),
        Money::parse("1.2345", Currency::BHD).err().map(|_| ()),
    ];
    assert!(
        cases.iter().all(Option::is_some),
        "Money itself refuses these"
    );
    for (text, cur) in [
        ("1.50", Currency::IDR),
        ("12.55", Currency::MOP),
        ("0.01", Currency::IQD),
        ("3.5", Currency::CVE),
    ] {
        let price = Money::parse(text, cur).unwrap();
        refused_create(
            CreateProduct::new("n", "d", price).infinite().immortal(),
            "amount",
        )
        .await;
        refused_update(UpdateProduct::new().amount(price), "amount").await;
    }
}

/// I4 / I5: zero, negative, overflowing amounts.
#[tokio::test]
async fn amounts() {
    for price in [usd("0"), usd("-1.00"), usd("-0.01")] {
        refused_create(
            CreateProduct::new("n", "d", price).infinite().immortal(),
            "amount",
        )
        .await;
        refused_update(UpdateProduct::new().price(price), "amount").await;
    }
    let huge = Money::from_minor_units(i64::MAX, Currency::UGX);
    refused_create(
        CreateProduct::new("n", "d", huge).infinite().immortal(),
        "amount",
    )
    .await;
}

/// I7: unsafe URLs in every URL field.
#[tokio::test]
async fn urls() {
    let long = format!("https://shop.example/{}", "a".repeat(2100));
    let bad = [
        "http://return-url.com",
        "http://shop.example/return",
        "javascript:alert(1)",
        "/relative/return",
        "https://user:pass@shop.example/",
        "https://shop.example/a b",
        "https://shop.example/\r\nX-Injected: 1",
        "",
        long.as_str(),
    ];
    for url in bad {
        refused_create(valid().return_url(url), "return_url").await;
        refused_create(valid().notification_url(url), "notification_url").await;
        refused_create(valid().success_url(url), "success_url").await;
        refused_create(valid().fail_url(url), "fail_url").await;
        refused_update(UpdateProduct::new().return_url(url), "return_url").await;
    }
    valid()
        .return_url("http://127.0.0.1:8080/return")
        .build()
        .unwrap();
}

/// I8: empty, blank, over-long (multibyte at the boundary) and control-character text.
#[tokio::test]
async fn text_fields() {
    let at_limit = "é".repeat(255);
    let over = format!("{at_limit}é");
    CreateProduct::new(at_limit.as_str(), "d", usd("1"))
        .infinite()
        .immortal()
        .build()
        .unwrap();
    for (name, description, field) in [
        ("", "d", "name"),
        ("   ", "d", "name"),
        (over.as_str(), "d", "name"),
        ("a\u{0}b", "d", "name"),
        ("n", "", "description"),
        ("n", over.as_str(), "description"),
        ("n", "line\r\nbreak", "description"),
    ] {
        refused_create(
            CreateProduct::new(name, description, usd("1"))
                .infinite()
                .immortal(),
            field,
        )
        .await;
    }
    refused_update(UpdateProduct::new().name(""), "name").await;
    refused_update(
        UpdateProduct::new().description(over.as_str()),
        "description",
    )
    .await;
}

/// quantity XOR infinite, expired_at XOR immortal (one enum each: a negative quantity or both
/// halves of a pair cannot be written), enums limited to what products accept.
#[tokio::test]
async fn documented_constraints() {
    let base = || CreateProduct::new("n", "d", usd("1"));
    refused_create(base().immortal(), "quantity").await;
    // build() runs the same checks, naming the operation.
    let err = base().expiry(Expiry::Never).build().unwrap_err();
    assert_eq!(err.invalid_field(), Some("quantity"));
    assert_eq!(err.operation(), "products.create");
    assert!(
        err.to_string().starts_with("beGateway products.create: "),
        "{err}"
    );
    refused_create(base().quantity(0).immortal(), "quantity").await;
    refused_create(base().infinite(), "expired_at").await;
    refused_create(
        valid().transaction_type(TransactionType::Refund),
        "transaction_type",
    )
    .await;
    refused_create(
        valid().transaction_type(TransactionType::from("sale")),
        "transaction_type",
    )
    .await;
    refused_create(valid().language(Language::from("english")), "language").await;
    refused_create(valid().language(Language::from("EN")), "language").await;
    refused_create(
        valid().visible_fields([VisibleField::Email, VisibleField::from("Bad Field")]),
        "visible_fields",
    )
    .await;
    refused_create(valid().shop_id("1 2"), "shop_id").await;
    // The builder keeps the pairs exclusive: the last call wins.
    let q = base()
        .quantity(4)
        .infinite()
        .expiry(begateway::Expiry::At(time::OffsetDateTime::UNIX_EPOCH))
        .immortal();
    let json = serde_json::to_value(&q).unwrap();
    assert_eq!(json.get("quantity"), None);
    assert_eq!(json.get("expired_at"), None);
    valid().language(Language::from("pt")).build().unwrap();
    UpdateProduct::new().quantity(0).build().unwrap();
}

/// Ids that go into the URL path.
#[tokio::test]
async fn path_ids() {
    let server = FaultServer::start(vec![]).await;
    let c = client(server.base_url().as_str());
    for id in ["", "prd 1", "prd\n1"] {
        assert_eq!(
            field_of(c.products().get(&ProductId::new(id)).await),
            "product_id",
            "{id:?}"
        );
        assert_eq!(
            field_of(
                c.products()
                    .update(&ProductId::new(id), &UpdateProduct::new())
                    .await
            ),
            "product_id"
        );
        assert_eq!(
            field_of(c.transactions().get(&TransactionUid::new(id)).await),
            "uid"
        );
        assert_eq!(
            field_of(c.transactions().by_tracking_id(id).await),
            "tracking_id"
        );
    }
    assert_eq!(
        field_of(c.transactions().by_tracking_id(&"x".repeat(256)).await),
        "tracking_id"
    );
    assert_eq!(server.attempts(), 0);
}

/// I9 and the builder's settings: credentials with whitespace, unsafe base URLs, header injection.
#[test]
fn client_settings() {
    let build = |shop: &str, secret: &str| Client::builder(Credentials::new(shop, secret)).build();
    for (shop, secret, field) in [
        ("", SECRET, "shop_id"),
        ("36 1", SECRET, "shop_id"),
        (SHOP_ID, "", "secret_key"),
        (SHOP_ID, "s3cret-with-newline\n", "secret_key"),
        (SHOP_ID, " s3cret-leading-space", "secret_key"),
    ] {
        let err = build(shop, secret).unwrap_err();
        assert_eq!(err.invalid_field(), Some(field));
        if !secret.trim().is_empty() {
            assert!(!err.to_string().contains(secret.trim()), "{err}");
        }
    }
    let with = |api: &str, gateway: &str| {
        Client::builder(Credentials::new(SHOP_ID, SECRET))
            .api_base_url(api)
            .gateway_base_url(gateway)
            .build()
    };
    for bad in [
        "http://api.begateway.com",
        "javascript:alert(1)",
        "https://u:p@api.begateway.com",
        "https://api.begateway.com/?x=1",
        "api.begateway.com",
    ] {
        assert_eq!(
            field_of(with(bad, "https://gateway.begateway.com")),
            "api_base_url",
            "{bad}"
        );
        assert_eq!(
            field_of(with("https://api.begateway.com", bad)),
            "gateway_base_url",
            "{bad}"
        );
    }
    with("https://api.bepaid.by", "http://localhost:4010").unwrap();
    for version in ["", "3\r\nX-Evil: 1", "three point oh"] {
        let result = Client::builder(Credentials::new(SHOP_ID, SECRET))
            .api_version(version)
            .build();
        assert_eq!(field_of(result), "api_version", "{version:?}");
    }
}
