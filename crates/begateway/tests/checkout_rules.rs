//! The checks a checkout runs before anything is sent: the amount each transaction type
//! accepts, an unknown type, and the names of the open lists (payment methods, customer
//! fields) at their length limit.

use begateway::{
    CheckoutType, CreateCheckout, Currency, CustomerField, ErrorKind, Money, PaymentMethodType,
};

fn eur(minor: i64) -> Money {
    Money::from_minor_units(minor, Currency::EUR)
}

fn refused_field(checkout: CreateCheckout) -> Option<String> {
    match checkout.build() {
        Ok(_) => None,
        Err(e) => match e.kind() {
            ErrorKind::InvalidRequest { field, .. } => Some(field.to_string()),
            other => panic!("expected InvalidRequest, got {other:?}"),
        },
    }
}

fn checkout(kind: CheckoutType, minor: i64) -> CreateCheckout {
    CreateCheckout::new(kind, eur(minor), "Order 7", "order-7")
}

/// A tokenization moves no money: zero is accepted, a negative amount is not. Payments and
/// authorizations need a positive amount.
#[test]
fn each_checkout_type_takes_the_amounts_it_can_carry() {
    assert_eq!(refused_field(checkout(CheckoutType::Tokenization, 0)), None);
    assert_eq!(
        refused_field(checkout(CheckoutType::Tokenization, 100)),
        None
    );
    assert_eq!(
        refused_field(checkout(CheckoutType::Tokenization, -1)).as_deref(),
        Some("order.amount")
    );
    for kind in [CheckoutType::Payment, CheckoutType::Authorization] {
        assert_eq!(refused_field(checkout(kind.clone(), 100)), None, "{kind:?}");
        assert_eq!(
            refused_field(checkout(kind.clone(), 0)).as_deref(),
            Some("order.amount"),
            "{kind:?}"
        );
        assert_eq!(
            refused_field(checkout(kind.clone(), -5)).as_deref(),
            Some("order.amount"),
            "{kind:?}"
        );
    }
}

#[test]
fn a_transaction_type_the_sdk_does_not_know_is_refused_by_name() {
    for kind in ["charge", "p2p"] {
        assert_eq!(
            refused_field(checkout(CheckoutType::from(kind), 100)).as_deref(),
            Some("transaction_type"),
            "{kind}"
        );
    }
}

/// Names of the open lists are 1 to 64 lowercase letters, digits and `_`.
#[test]
fn open_list_names_may_have_64_characters_and_no_more() {
    let name = |len: usize| "m".repeat(len);
    let with_method = |len: usize| {
        checkout(CheckoutType::Payment, 100)
            .payment_methods([PaymentMethodType::from(name(len).as_str())])
    };
    assert_eq!(refused_field(with_method(1)), None);
    assert_eq!(refused_field(with_method(64)), None);
    assert_eq!(
        refused_field(with_method(65)).as_deref(),
        Some("payment_method.types")
    );
    assert_eq!(
        refused_field(with_method(0)).as_deref(),
        Some("payment_method.types")
    );

    let with_field = |len: usize| {
        checkout(CheckoutType::Payment, 100)
            .visible_fields([CustomerField::from(name(len).as_str())])
    };
    assert_eq!(refused_field(with_field(64)), None);
    assert_eq!(
        refused_field(with_field(65)).as_deref(),
        Some("settings.customer_fields.visible")
    );
}

/// A plan answer reads back its amount (raw and at ISO scale) and its interval as sent.
#[test]
fn a_plan_reads_back_its_amount_and_interval() {
    let plan: begateway::subscriptions::Plan = serde_json::from_str(
        r#"{"id":"pln_1","title":"Quarterly","currency":"USD","test":true,
            "plan":{"amount":2500,"interval":3,"interval_unit":"month"},"infinite":true}"#,
    )
    .unwrap();
    assert_eq!(plan.amount_minor_wire(), 2500);
    assert_eq!(
        plan.amount(),
        Some(Money::from_minor_units(2500, Currency::USD))
    );
    assert_eq!(plan.interval(), 3);
}
