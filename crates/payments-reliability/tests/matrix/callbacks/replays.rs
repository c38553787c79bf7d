//! Cross-order replays: each provider's confirmation method is given a genuine, paid payment
//! of **another** order (the uid, order key, charge reference or subscription a forged return
//! would present) and must never answer [`PaymentVerdict::Paid`]. Each replay has a control
//! beside it: the same server answer confirmed for its own order is `Paid`, so the replay
//! row cannot pass because the answer was unreadable.

use payments_common::testing::{Fault, FaultServer, Reply};
use payments_common::{Currency, Error, ExpectedPayment, Money, PaymentVerdict, Url};
use payments_reliability::{CaseEnd, DEADLINE, canary, report, run_case};

use crate::faults;

/// One confirmation against a server answering `body` to every request.
async fn verdict<F, Fut>(label: &str, body: String, confirm: F) -> Result<PaymentVerdict, String>
where
    F: FnOnce(Url) -> Fut,
    Fut: std::future::Future<Output = Result<PaymentVerdict, Error>> + Send + 'static,
{
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(200, &body))]).await;
    match run_case(label, DEADLINE, confirm(server.base_url())).await {
        CaseEnd::Done(Ok(verdict)) => Ok(verdict),
        CaseEnd::Done(Err(e)) => {
            canary::scan_error(label, &e);
            Err(format!("the confirmation failed: {e}"))
        }
        other => Err(format!("{other:?}")),
    }
}

/// Records the control (`Paid` for its own order) and the replay (anything but `Paid`).
fn record(
    provider: &str,
    control: Result<PaymentVerdict, String>,
    replay: Result<PaymentVerdict, String>,
) {
    let (passed, detail) = match &control {
        Ok(v) => (
            *v == PaymentVerdict::Paid,
            format!("the genuine payment of the order itself gave {v:?}"),
        ),
        Err(e) => (false, e.clone()),
    };
    report::callback(
        &format!("{provider} W9 control: the genuine paid payment confirmed for its own order"),
        true,
        passed,
        &detail,
    );
    let (passed, detail) = match &replay {
        Ok(v) => (
            !v.is_paid(),
            format!("another order's paid payment gave {v:?}"),
        ),
        // An error is not a verdict of "paid": the replay was not trusted.
        Err(e) => (true, e.clone()),
    };
    report::callback(
        &format!(
            "{provider} W9 cross-order replay: another order's genuine paid payment is never Paid"
        ),
        false,
        passed,
        &detail,
    );
}

fn money(text: &str, currency: Currency) -> Money {
    Money::parse(text, currency).unwrap_or_else(|_| Money::from_minor_units(0, currency))
}

/// Runs the cross-order rows of every provider.
pub async fn run() {
    begateway().await;
    tspay().await;
    greenpay().await;
    jatapay().await;
}

async fn begateway() {
    use begateway::TransactionUid;
    let body = faults::begateway::transaction("successful");
    let confirm = |order: &'static str| {
        move |base: Url| async move {
            let client = faults::begateway::client(&base)?;
            let expected = ExpectedPayment::new(order, money("9.90", Currency::USD)).test(true);
            client
                .transactions()
                .confirm(&TransactionUid::new(faults::begateway::UID), &expected)
                .await
                .map_err(Error::from)
        }
    };
    let control = verdict("begateway W9 control", body.clone(), confirm("order-42")).await;
    let replay = verdict("begateway W9 replay", body, confirm("order-44")).await;
    record("begateway", control, replay);
}

async fn tspay() {
    use tspay::{OrderKey, PathStyle};
    let body = r#"[{"chargeKey":"ch_1","orderKey":"ok_42","amount":"1450","currency":"EUR","state":"active"}]"#;
    let confirm = |stored: &'static str| {
        move |base: Url| async move {
            let client = faults::tspay::client(&base, PathStyle::Direct)?;
            let expected = ExpectedPayment::new(stored, money("14.50", Currency::EUR));
            // The return presents order 42's key; the merchant expects its stored key.
            client
                .confirm_payment(&OrderKey::new("ok_42"), &expected)
                .await
                .map_err(payments_common::ProviderError::into_kind)
        }
    };
    let control = verdict("tspay W9 control", body.to_owned(), confirm("ok_42")).await;
    let replay = verdict("tspay W9 replay", body.to_owned(), confirm("ok_44")).await;
    record("tspay", control, replay);
}

/// A GreenPay payments list with one paid charge listed under `reference`, whose result
/// names `order_id`.
fn greenpay_page(reference: &str, order_id: &str) -> String {
    serde_json::json!({"status": "SUCCESS", "code": 200, "result": {
        "entries": [{
            "id": "7",
            "reference_number": reference,
            "payment_date": "2018-12-27T22:22:32.868Z",
            "payment_result": {"status": 200, "orderId": order_id, "authorization": "533735",
                               "amount": 100, "currency": "USD", "errors": []},
            "payment_retries": []
        }],
        "page": 1, "totalEntries": 1, "totalPages": 1
    }, "errors": []})
    .to_string()
}

async fn greenpay() {
    use greenpay::SubscriptionId;
    const OTHER: &str = "ffffffffffffffffffffffffffffffff";
    let sub = faults::greenpay::SUB;
    let paid = format!("{sub}_2");
    let confirm = |subscription: String, reference: String| {
        move |base: Url| async move {
            let client = faults::greenpay::client(&base)?;
            let expected = ExpectedPayment::new(reference, money("100.00", Currency::USD));
            client
                .subscriptions()
                .confirm_payment(&SubscriptionId::new(subscription), &expected)
                .await
        }
    };
    let body = greenpay_page(&paid, &paid);
    let control = verdict(
        "greenpay W9 control",
        body.clone(),
        confirm(sub.to_owned(), paid.clone()),
    )
    .await;
    // Subscription A's genuine paid charge presented for subscription B.
    let replay = verdict(
        "greenpay W9 replay",
        body,
        confirm(OTHER.to_owned(), paid.clone()),
    )
    .await;
    record("greenpay", control, replay);
    // A charge listed under this subscription whose result names another subscription's
    // charge: the listing cannot vouch for it.
    let listed_elsewhere = verdict(
        "greenpay W9 replay, result of another subscription",
        greenpay_page(&format!("{sub}_3"), &format!("{OTHER}_1")),
        confirm(sub.to_owned(), format!("{sub}_3")),
    )
    .await;
    let (passed, detail) = match &listed_elsewhere {
        Ok(v) => (!v.is_paid(), format!("gave {v:?}")),
        Err(e) => (true, e.clone()),
    };
    report::callback(
        "greenpay W9 cross-order replay: a listed charge whose result names another subscription's charge is never Paid",
        false,
        passed,
        &detail,
    );
}

async fn jatapay() {
    use jatapay::{StatusReading, SubscriptionId};
    const SUB: &str = "65b279426d2f219d702a7f69";
    const ORDER_41: &str = "https://shop.example/jatapay/return?order=41";
    const ORDER_42: &str = "https://shop.example/jatapay/return?order=42";
    // Order 41's subscription, active (paid under the inferred reading), for the same amount.
    let body =
        format!(r#"{{"_id":"{SUB}","importo":2000,"stato":"attiva","callback_url":"{ORDER_41}"}}"#);
    let confirm = |order: &'static str| {
        move |base: Url| async move {
            let client = faults::jatapay::token_client(&base)?;
            let expected =
                ExpectedPayment::new(order, Money::from_minor_units(2000, Currency::EUR));
            client
                .subscriptions()
                .confirm(
                    &SubscriptionId::new(SUB),
                    &expected,
                    StatusReading::Inferred,
                )
                .await
        }
    };
    let control = verdict("jatapay W9 control", body.clone(), confirm(ORDER_41)).await;
    let replay = verdict("jatapay W9 replay", body, confirm(ORDER_42)).await;
    record("jatapay", control, replay);
}
