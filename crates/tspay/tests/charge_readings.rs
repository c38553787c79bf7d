//! How a charge list from TS Pay is read: each state's outcome, the amount as a number or digit
//! string in euro cents, every timestamp form, the fields a charge cannot do without, and the
//! shapes of the list (an array, one charge, a wrapper holding either, values to skip).

use tspay::{Charge, ChargeState, Currency, Money, OrderCharges, PaymentOutcome};

fn read(body: &str) -> OrderCharges {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{body}: {e}"))
}

fn one(body: &str) -> Charge {
    let mut charges = read(body).charges;
    assert_eq!(charges.len(), 1, "{body}");
    charges.remove(0)
}

#[test]
fn each_state_has_its_outcome_and_an_unknown_one_is_never_final() {
    for (state, outcome) in [
        ("active", PaymentOutcome::Paid),
        ("refunded", PaymentOutcome::Refunded),
        ("failed", PaymentOutcome::Failed),
        ("error", PaymentOutcome::Failed),
        ("pending", PaymentOutcome::Pending),
        ("unpaid", PaymentOutcome::Pending),
        ("disputed", PaymentOutcome::Pending),
    ] {
        assert_eq!(ChargeState::from(state).outcome(), outcome, "{state}");
        let charge = one(&format!(r#"[{{"amount":100,"state":"{state}"}}]"#));
        assert_eq!(charge.outcome(), outcome, "{state}");
        assert_eq!(charge.state.as_str(), state);
    }
}

#[test]
fn an_order_reads_as_its_most_telling_charge() {
    let order = |states: &[&str]| {
        let list: Vec<String> = states
            .iter()
            .map(|s| format!(r#"{{"amount":100,"state":"{s}"}}"#))
            .collect();
        read(&format!("[{}]", list.join(",")))
    };
    assert_eq!(order(&[]).outcome(), PaymentOutcome::Pending);
    assert!(order(&[]).is_empty());
    assert!(!order(&["failed"]).is_empty());
    assert_eq!(order(&["failed"]).outcome(), PaymentOutcome::Failed);
    assert_eq!(order(&["failed", "active"]).outcome(), PaymentOutcome::Paid);
    assert_eq!(
        order(&["failed", "refunded"]).outcome(),
        PaymentOutcome::Refunded
    );
    assert_eq!(
        order(&["refunded", "active", "pending"]).outcome(),
        PaymentOutcome::Paid
    );
    let charges = order(&["failed", "active", "pending"]);
    let paid = charges.paid_charge().expect("the active charge");
    assert_eq!(paid.state, ChargeState::Active);
    assert!(order(&["failed", "pending"]).paid_charge().is_none());
}

#[test]
fn amounts_are_euro_cents_as_numbers_or_digit_strings() {
    let charge =
        one(r#"[{"amount":"1450","state":"active","chargeKey":"ch_1","orderKey":"ok_1"}]"#);
    assert_eq!(charge.amount, Money::from_minor_units(1450, Currency::EUR));
    assert_eq!(charge.charge_key.as_ref().map(|k| k.as_str()), Some("ch_1"));
    assert_eq!(charge.order_key.as_ref().map(|k| k.as_str()), Some("ok_1"));
    let charge = one(r#"[{"amount":990,"currency":"USD","state":"active"}]"#);
    assert_eq!(charge.amount, Money::from_minor_units(990, Currency::USD));
    for bad in [
        r#"[{"state":"active"}]"#,
        r#"[{"amount":"14.50","state":"active"}]"#,
        r#"[{"amount":100}]"#,
    ] {
        assert!(serde_json::from_str::<OrderCharges>(bad).is_err(), "{bad}");
    }
}

#[test]
fn timestamps_read_in_every_form_and_null_is_none() {
    let charge = one(
        r#"[{"amount":1,"state":"active","createdOn":"2024-07-15T13:45:09Z","modifiedOn":1721051109000}]"#,
    );
    let expected = time::OffsetDateTime::from_unix_timestamp(1_721_051_109).unwrap();
    assert_eq!(charge.created_on, Some(expected));
    assert_eq!(charge.modified_on, Some(expected));
    let charge = one(r#"[{"amount":1,"state":"active","createdOn":-1000,"modifiedOn":null}]"#);
    assert_eq!(
        charge.created_on,
        Some(time::OffsetDateTime::from_unix_timestamp(-1).unwrap())
    );
    assert_eq!(charge.modified_on, None);
    let charge = one(r#"[{"amount":1,"state":"active"}]"#);
    assert_eq!((charge.created_on, charge.modified_on), (None, None));
    for bad in [
        r#"[{"amount":1,"state":"active","createdOn":"yesterday"}]"#,
        r#"[{"amount":1,"state":"active","createdOn":18446744073709551615}]"#,
        r#"[{"amount":1,"state":"active","createdOn":true}]"#,
    ] {
        let err = serde_json::from_str::<OrderCharges>(bad).unwrap_err();
        assert!(!err.to_string().is_empty(), "{bad}");
    }
    // A value of the wrong kind is refused saying what a timestamp may be.
    let err = serde_json::from_str::<OrderCharges>(
        r#"[{"amount":1,"state":"active","modifiedOn":true}]"#,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("a timestamp (RFC 3339, RFC 1123, a date, or epoch milliseconds) or null"),
        "{err}"
    );
}

#[test]
fn every_shape_of_the_list_is_read() {
    assert!(read("null").is_empty());
    assert!(read("[]").is_empty());
    // An object with no charge field and no wrapper: no charges.
    assert!(read(r#"{"total":0}"#).is_empty());
    // One charge, bare or under a wrapper key.
    let bare = one(r#"{"amount":5,"state":"active","note":"x"}"#);
    assert_eq!(bare.amount, Money::from_minor_units(5, Currency::EUR));
    let wrapped = one(r#"{"data":{"amount":5,"state":"active"}}"#);
    assert_eq!(wrapped, bare);
    // Values under a wrapper key that hold no charges are skipped for the next wrapper.
    for skipped in ["true", "7", "-7", "1.5", r#""none""#, "null"] {
        let charges = read(&format!(
            r#"{{"charges":{skipped},"results":[{{"amount":5,"state":"failed"}}]}}"#
        ));
        assert_eq!(charges.outcome(), PaymentOutcome::Failed, "{skipped}");
    }
    // A wrapper next to charge fields: the wrapper's list is the answer.
    let charges = read(r#"{"amount":5,"state":"active","items":[{"amount":6,"state":"failed"}]}"#);
    assert_eq!(charges.outcome(), PaymentOutcome::Failed);
    // A list of numbers is not a list of charges.
    let err = serde_json::from_str::<OrderCharges>("[1,2]").unwrap_err();
    assert!(err.to_string().contains("a charge object"), "{err}");
    let err = serde_json::from_str::<OrderCharges>(r#""charges""#).unwrap_err();
    assert!(
        err.to_string()
            .contains("an array of charges, a charge, or an object wrapping them"),
        "{err}"
    );
}

#[test]
fn a_charge_written_back_reads_the_same() {
    let body = r#"[{"chargeKey":"ch_9","orderKey":"ok_9","amount":"1450","state":"refunded",
        "payMethod":{"type":"card","card":{"brand":"visa","last4":"4242"}},
        "createdOn":"2024-07-15T13:45:09Z"}]"#;
    let charges = read(body);
    let written = serde_json::to_value(&charges).unwrap();
    assert_eq!(written[0]["amount"], 1450);
    assert_eq!(written[0]["currency"], "EUR");
    assert_eq!(written[0]["state"], "refunded");
    assert_eq!(written[0]["payMethod"]["card"]["last4"], "4242");
    let again: OrderCharges = serde_json::from_value(written).unwrap();
    assert_eq!(again, charges);
}
