//! Every fixture in `fixtures/tspay/`: responses decode into their typed models (snapshotted),
//! requests equal what the typed builders serialize (snapshotted).

use std::num::NonZeroU32;

use tspay::{
    ChargeState, Currency, LinkCreated, Locale, Money, OrderCharges, PayLinkRequest,
    PaymentOutcome, SaveLinkRequest, SourceType, Template, UseLimit,
};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/tspay/",
            $name
        ))
    };
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("fixture is valid JSON")
}

fn eur(cents: i64) -> Money {
    Money::from_minor_units(cents, Currency::EUR)
}

fn page_template() -> Template {
    Template::new("TeamSystem S.p.A.", "Fattura di vendita")
        .payment_ref("Numero 123 del 15/06/2020")
        .logo("https://www.example.com/logo.png")
}

#[test]
fn link2pay_request_from_the_page_table() {
    let request = PayLinkRequest::new(page_template(), eur(1450))
        .callback_url("https://www.example.com/tspay/callback")
        .source_type(SourceType::Card)
        .source_type(SourceType::SepaDebit)
        .max_payments(UseLimit::ONCE)
        .external_ref("cliente-0042")
        .metadata("invoice", "123/2020")
        .omit_currency();
    request.validate().unwrap();
    let body = serde_json::to_value(&request).unwrap();
    assert_eq!(body, json(fixture!("link2pay.request.json")));
    insta::assert_json_snapshot!("link2pay.request", body);
}

#[test]
fn link2pay_request_as_the_integration_sends_it() {
    let request = PayLinkRequest::new(
        Template::new("Example Shop", "Acquisto digitale").payment_ref("Ordine #42"),
        Money::parse("14.50", Currency::EUR).unwrap(),
    )
    .external_ref("edd-order-42")
    .metadata("edd_order_id", "42")
    .locale(Locale::Italian)
    .source_type(SourceType::Card)
    .source_type(SourceType::PayPal)
    .callback_url(
        "https://shop.example.com/?edd-tspay-action=return&payment-id=42&token=RETURNTOKEN",
    )
    .cancel_url(
        "https://shop.example.com/?edd-tspay-action=cancel&payment-id=42&token=RETURNTOKEN",
    );
    request.validate().unwrap();
    let body = serde_json::to_value(&request).unwrap();
    assert_eq!(body, json(fixture!("link2pay.request.integration.json")));
    insta::assert_json_snapshot!("link2pay.request.integration", body);
}

#[test]
fn link2save_request_from_the_page_table() {
    let request = SaveLinkRequest::new(page_template())
        .callback_url("https://www.example.com/tspay/callback")
        .source_type(SourceType::Card)
        .source_type(SourceType::SepaDebit)
        .max_sources(UseLimit::at_most(NonZeroU32::MIN))
        .max_amount(eur(1450))
        .context_id("fattura-123-2020")
        .external_ref("cliente-0042")
        .metadata("invoice", "123/2020");
    request.validate().unwrap();
    let body = serde_json::to_value(&request).unwrap();
    assert_eq!(body, json(fixture!("link2save.request.json")));
    insta::assert_json_snapshot!("link2save.request", body);
}

#[test]
fn link2pay_response() {
    let link: LinkCreated = serde_json::from_str(fixture!("link2pay.response.json")).unwrap();
    assert_eq!(link.order_key.as_str(), "mock_5f1c2a9be03d4c7a81f2e6b0");
    insta::assert_debug_snapshot!("link2pay.response", link);
}

#[test]
fn link2save_response() {
    let link: LinkCreated = serde_json::from_str(fixture!("link2save.response.json")).unwrap();
    assert_eq!(
        link.url.parse().unwrap().host_str(),
        Some("pay.example.com")
    );
    insta::assert_debug_snapshot!("link2save.response", link);
}

#[test]
fn charges_array_with_string_amount() {
    let charges: OrderCharges =
        serde_json::from_str(fixture!("charges.response.array.json")).unwrap();
    assert_eq!(charges.charges.len(), 1);
    assert_eq!(charges.charges[0].amount, eur(1450));
    assert_eq!(charges.outcome(), PaymentOutcome::Paid);
    insta::assert_debug_snapshot!("charges.response.array", charges);
}

#[test]
fn charges_empty_while_unpaid() {
    let charges: OrderCharges =
        serde_json::from_str(fixture!("charges.response.empty.json")).unwrap();
    assert!(charges.is_empty());
    assert_eq!(charges.outcome(), PaymentOutcome::Pending);
    insta::assert_debug_snapshot!("charges.response.empty", charges);
}

#[test]
fn charges_single_object() {
    let charges: OrderCharges =
        serde_json::from_str(fixture!("charges.response.single.json")).unwrap();
    assert_eq!(charges.charges.len(), 1);
    assert_eq!(charges.charges[0].state, ChargeState::Pending);
    assert_eq!(charges.outcome(), PaymentOutcome::Pending);
    insta::assert_debug_snapshot!("charges.response.single", charges);
}

#[test]
fn charges_wrapped_under_charges() {
    let charges: OrderCharges =
        serde_json::from_str(fixture!("charges.response.wrapped.json")).unwrap();
    assert_eq!(charges.charges.len(), 2);
    assert_eq!(charges.outcome(), PaymentOutcome::Refunded);
    insta::assert_debug_snapshot!("charges.response.wrapped", charges);
}

#[test]
fn charges_wrapped_under_data() {
    let charges: OrderCharges =
        serde_json::from_str(fixture!("charges.response.data.json")).unwrap();
    assert_eq!(charges.outcome(), PaymentOutcome::Failed);
    insta::assert_debug_snapshot!("charges.response.data", charges);
}

#[test]
fn charges_serialize_back_as_an_array_that_decodes_the_same() {
    for text in [
        fixture!("charges.response.array.json"),
        fixture!("charges.response.single.json"),
        fixture!("charges.response.wrapped.json"),
    ] {
        let charges: OrderCharges = serde_json::from_str(text).unwrap();
        let again: OrderCharges =
            serde_json::from_str(&serde_json::to_string(&charges).unwrap()).unwrap();
        assert_eq!(charges, again);
    }
    let charges: OrderCharges =
        serde_json::from_str(fixture!("charges.response.array.json")).unwrap();
    insta::assert_json_snapshot!("charges.serialized", charges);
}

#[cfg(feature = "webhooks")]
mod webhooks {
    use super::*;
    use tspay::{EventEntity, Notification};

    #[test]
    fn charge_active_notification() {
        let n =
            Notification::parse(fixture!("webhook.request.charge-active.json").as_bytes()).unwrap();
        assert_eq!(n.event.entity, EventEntity::Charge);
        assert_eq!(n.outcome(), PaymentOutcome::Paid);
        assert_eq!(
            n.merchant_ref.as_ref().map(|m| m.as_str()),
            Some("MOCKMERCHANT")
        );
        insta::assert_debug_snapshot!("webhook.request.charge-active", n);
    }

    #[test]
    fn notification_whose_state_is_only_in_the_event() {
        let n = Notification::parse(fixture!("webhook.request.state-in-event.json").as_bytes())
            .unwrap();
        assert_eq!(n.payload.state, ChargeState::Failed);
        assert_eq!(n.outcome(), PaymentOutcome::Failed);
        insta::assert_debug_snapshot!("webhook.request.state-in-event", n);
    }
}
