//! Every `Money` the crate returns is at ISO 4217 scale, converted exactly from beGateway's own
//! exponent table; every `Money` sent is converted exactly to beGateway's integer, or refused.

mod common;

use begateway::{Currency, ErrorKind, Money, Product, Transaction, UpdateProduct, currency};
use common::{client, fixture};
use httpmock::MockServer;
use serde_json::json;

/// (code, beGateway wire integer, the same amount as ISO-scale decimal text)
const BOTH_WAYS: [(&str, i64, &str); 5] = [
    ("IDR", 15000, "15000"),
    ("MOP", 125, "12.5"),
    ("BHD", 2500, "2.500"),
    ("USD", 990, "9.90"),
    ("KWD", 1, "0.001"),
];

fn product_with(code: &str, wire: i64) -> Product {
    let mut p: serde_json::Value =
        serde_json::from_str(&fixture("products.get.response.200.json")).unwrap();
    p["currency"] = json!(code);
    p["amount"] = json!(wire);
    serde_json::from_value(p).unwrap()
}

fn transaction_with(code: &str, wire: i64) -> Transaction {
    serde_json::from_value(json!({
        "uid": "1-a", "status": "successful", "amount": wire, "currency": code
    }))
    .unwrap()
}

#[test]
fn decoded_amounts_are_iso_scale_money() {
    for (code, wire, text) in BOTH_WAYS {
        let iso = Currency::from_code(code).unwrap();
        let money = Money::parse(text, iso).unwrap();
        let product = product_with(code, wire);
        assert_eq!(Some(product.price), Some(money), "{code} product");
        assert_eq!(product.currency.exponent(), iso.exponent(), "{code}");
        assert_eq!(product.amount_minor_wire, wire, "{code} raw");
        let t = transaction_with(code, wire);
        assert_eq!(t.amount, Some(money), "{code} transaction");
        assert_eq!(t.amount_minor_wire, Some(wire), "{code} raw");
    }
    // IDR wire 15000 (whole rupiah at beGateway) is 1_500_000 ISO minor units.
    assert_eq!(product_with("IDR", 15000).price.minor_units(), 1_500_000);
}

#[test]
fn money_sent_becomes_begateways_integer_exactly() {
    for (code, wire, text) in BOTH_WAYS {
        let money = Money::parse(text, Currency::from_code(code).unwrap()).unwrap();
        assert_eq!(currency::wire_amount(money).unwrap(), wire, "{code}");
        let body = serde_json::to_value(UpdateProduct::new().price(money)).unwrap();
        assert_eq!(body["amount"], wire, "{code}");
        assert_eq!(body["currency"], code, "{code}");
    }
}

#[test]
fn the_issue_example_no_longer_adds_up_to_15100() {
    // IDR 15000 from beGateway plus IDR 1.00 built by the caller at ISO scale.
    let price = product_with("IDR", 15000).price;
    let one = Money::parse("1.00", Currency::IDR).unwrap();
    let total = price.checked_add(one).unwrap();
    assert_eq!(total, Money::parse("15001", Currency::IDR).unwrap());
    assert_ne!(total.to_decimal_string(), "15100");
    assert_ne!(total.to_decimal_string(), "151.00");
}

#[tokio::test]
async fn an_amount_begateway_cannot_take_is_refused_naming_the_field() {
    let server = MockServer::start_async().await;
    let catch_all = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(204);
        })
        .await;
    let c = client(&server.base_url());
    // beGateway takes whole rupiah, and MOP with one decimal.
    for (text, code) in [("1.50", "IDR"), ("0.01", "IDR"), ("12.55", "MOP")] {
        let money = Money::parse(text, Currency::from_code(code).unwrap()).unwrap();
        let err = c
            .products()
            .update(
                &begateway::ProductId::new("prd_1"),
                &UpdateProduct::new().price(money),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::InvalidRequest { field, .. } if field == "amount"),
            "{text} {code}: {err:?}"
        );
    }
    catch_all.assert_calls_async(0).await;
}

#[test]
fn a_wire_amount_without_an_iso_scale_form_reads_as_no_money() {
    // beGateway gives UGX 2 decimals, ISO none: 7.50 shillings cannot be an ISO-scale Money.
    let t = transaction_with("UGX", 750);
    assert_eq!(t.amount_minor_wire, Some(750));
    assert_eq!(t.amount, None);
    assert_eq!(
        transaction_with("UGX", 700).amount,
        Some(Money::parse("7", Currency::UGX).unwrap())
    );
}
