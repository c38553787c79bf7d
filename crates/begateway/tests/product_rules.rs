//! Products and the client's settings at their edges: what an update sends for each setter,
//! `expired_at` exactly as beGateway reads it, the limits of the open values (language, visible
//! fields, API version) — the longest accepted, the first refused by name — and the secret key
//! kept out of every `Debug`.

mod common;

use begateway::{
    Client, CreateProduct, Credentials, Currency, Expiry, Language, Money, UpdateProduct,
    VisibleField,
};
use common::{SECRET, SHOP_ID, client};
use payments_common::ExposeSecret;
use payments_common::testing::FaultServer;
use time::{OffsetDateTime, UtcOffset};

fn usd(cents: i64) -> Money {
    Money::from_minor_units(cents, Currency::USD)
}

fn valid() -> CreateProduct {
    CreateProduct::new("Pro plan", "Monthly access", usd(990))
        .infinite()
        .immortal()
}

#[test]
fn each_update_setter_sends_only_its_own_fields() {
    let wire = |request: UpdateProduct| serde_json::to_string(&request.build().unwrap()).unwrap();
    assert_eq!(
        wire(UpdateProduct::new().name("New name")),
        r#"{"name":"New name"}"#
    );
    assert_eq!(
        wire(UpdateProduct::new().description("New text")),
        r#"{"description":"New text"}"#
    );
    // A price is an amount and its currency; an amount alone keeps the product's currency.
    assert_eq!(
        wire(UpdateProduct::new().price(usd(1250))),
        r#"{"currency":"USD","amount":1250}"#
    );
    assert_eq!(
        wire(UpdateProduct::new().amount(usd(1250))),
        r#"{"amount":1250}"#
    );
    assert_eq!(
        wire(UpdateProduct::new().currency(Currency::EUR)),
        r#"{"currency":"EUR"}"#
    );
    assert_eq!(
        wire(UpdateProduct::new().price(usd(5)).amount(usd(7))),
        r#"{"amount":7}"#
    );
    assert_eq!(wire(UpdateProduct::new()), "{}");
}

#[test]
fn expired_at_is_written_with_every_digit_and_the_offset_sign() {
    let expiry = |t: OffsetDateTime| {
        let json = serde_json::to_value(valid().expiry(Expiry::At(t)).build().unwrap()).unwrap();
        assert_eq!(json["immortal"], false);
        json["expired_at"].as_str().unwrap().to_owned()
    };
    let moment = OffsetDateTime::from_unix_timestamp(1_721_051_109).unwrap();
    assert_eq!(expiry(moment), "2024-07-15T13:45:09+00:00");
    let west = UtcOffset::from_hms(-5, -30, 0).unwrap();
    assert_eq!(expiry(moment.to_offset(west)), "2024-07-15T08:15:09-05:30");
    let east = UtcOffset::from_hms(9, 45, 0).unwrap();
    assert_eq!(expiry(moment.to_offset(east)), "2024-07-15T23:30:09+09:45");
    let last = OffsetDateTime::from_unix_timestamp(253_402_300_798).unwrap();
    assert_eq!(expiry(last), "9999-12-31T23:59:58+00:00");
    let early = OffsetDateTime::from_unix_timestamp(-62_135_596_800 + 3_661).unwrap();
    assert_eq!(expiry(early), "0001-01-01T01:01:01+00:00");
}

/// Refused by `build()` naming `field`, and by `create` with nothing sent.
async fn refused(request: CreateProduct, field: &str) {
    let err = request.clone().build().unwrap_err();
    assert_eq!(err.invalid_field(), Some(field), "{request:?}: {err}");
    let server = FaultServer::start(vec![]).await;
    let err = client(server.base_url().as_str())
        .products()
        .create(&request)
        .await
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some(field), "{err}");
    assert_eq!(server.attempts(), 0, "nothing may reach beGateway");
}

#[tokio::test]
async fn open_values_take_their_longest_form_and_refuse_one_more() {
    valid()
        .visible_fields([VisibleField::from(("a_b".repeat(21) + "c").as_str())])
        .language(Language::from("kk"))
        .build()
        .unwrap();
    for bad in ["a".repeat(65), String::new(), "first-name".to_owned()] {
        refused(
            valid().visible_fields([VisibleField::from(bad.as_str())]),
            "visible_fields",
        )
        .await;
    }
    for bad in ["p", "ptb", "p1"] {
        refused(valid().language(Language::from(bad)), "language").await;
    }
}

#[test]
fn the_api_version_takes_16_letters_digits_or_dots() {
    let build = |version: &str| {
        Client::builder(Credentials::new(SHOP_ID, SECRET))
            .api_version(version)
            .build()
    };
    build("3").unwrap();
    build("2.1.0").unwrap();
    build(&"9".repeat(16)).unwrap();
    for bad in ["9".repeat(17), "3_0".to_owned(), "v 3".to_owned()] {
        let err = build(&bad).unwrap_err();
        assert_eq!(err.invalid_field(), Some("api_version"), "{bad:?}");
        assert_eq!(err.operation(), "client.build");
    }
}

#[test]
fn each_base_url_is_taken_and_refused_by_its_own_name() {
    let client = Client::builder(Credentials::new(SHOP_ID, SECRET))
        .api_base_url("https://api.bepaid.by")
        .checkout_base_url("https://checkout.bepaid.by")
        .gateway_base_url("https://gateway.bepaid.by")
        .build()
        .unwrap();
    assert_eq!(client.api_base_url().as_str(), "https://api.bepaid.by/");
    assert_eq!(
        client.checkout_base_url().as_str(),
        "https://checkout.bepaid.by/"
    );
    assert_eq!(
        client.gateway_base_url().as_str(),
        "https://gateway.bepaid.by/"
    );
    assert_eq!(client.shop_id(), SHOP_ID);
    let err = Client::builder(Credentials::new(SHOP_ID, SECRET))
        .checkout_base_url("http://checkout.bepaid.by")
        .build()
        .unwrap_err();
    assert_eq!(err.invalid_field(), Some("checkout_base_url"));
}

#[test]
fn the_secret_key_stays_out_of_every_debug() {
    let credentials = Credentials::new(SHOP_ID, SECRET);
    assert_eq!(credentials.shop_id(), SHOP_ID);
    assert_eq!(credentials.secret_key().expose_secret(), SECRET);
    let builder = Client::builder(credentials.clone()).api_version("2");
    let client = builder.clone().build().unwrap();
    for text in [
        format!("{credentials:?}"),
        format!("{builder:?}"),
        format!("{client:?}"),
    ] {
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains(&SECRET[..8]), "{text}");
        assert!(text.contains(SHOP_ID), "{text}");
    }
    let builder_text = format!("{builder:?}");
    assert!(builder_text.starts_with("ClientBuilder"), "{builder_text}");
    assert!(
        builder_text.contains("https://api.begateway.com"),
        "{builder_text}"
    );
    assert!(builder_text.contains("\"2\""), "{builder_text}");
    let client_text = format!("{client:?}");
    assert!(client_text.starts_with("Client"), "{client_text}");
}

#[test]
fn a_product_whose_wire_amount_has_no_exact_iso_form_is_refused_saying_why() {
    // beGateway counts UGX in hundredths, ISO 4217 in whole shillings: 150 is 1.50 UGX.
    let mut body: serde_json::Value =
        serde_json::from_str(&common::fixture("products.get.response.200.json")).unwrap();
    body["currency"] = "UGX".into();
    body["amount"] = 150.into();
    let err = serde_json::from_value::<begateway::Product>(body.clone()).unwrap_err();
    assert!(
        err.to_string()
            .contains("150 in UGX cannot be written exactly at ISO 4217 scale"),
        "{err}"
    );
    body["amount"] = 200.into();
    let product = serde_json::from_value::<begateway::Product>(body).unwrap();
    assert_eq!(product.price, Money::from_minor_units(2, Currency::UGX));
}

#[test]
fn a_product_request_debugs_as_its_fields() {
    let create = format!("{:?}", valid().return_url("https://shop.example/thanks"));
    assert!(create.starts_with("CreateProduct("), "{create}");
    assert!(create.contains("Pro plan"), "{create}");
    assert!(create.contains("https://shop.example/thanks"), "{create}");
    let update = format!("{:?}", UpdateProduct::new().name("New name"));
    assert!(update.starts_with("UpdateProduct("), "{update}");
    assert!(update.contains("New name"), "{update}");
}
