//! JataPay: a subscription paid on the hosted gateway. JataPay sends no notification, so the
//! server-side read is the only proof of payment; the subscription is confirmed for its order
//! (its `callback_url`), and a genuine paid id of another order presented on this order's
//! return is refused.

use jatapay::{
    Client, Credentials, Currency, ExpectedPayment, GatewayRequest, Money, PaymentOutcome,
    PaymentVerdict, SecretString, StatusReading, SubscriptionId, SubscriptionStatus,
};
use url::Url;

use super::browser::{is_return_to, shown};
use super::{Ctx, Flow, FlowFuture, Report};

/// The JataPay flow.
pub(crate) const FLOW: Flow = Flow {
    provider: "JataPay",
    title: "subscription on the hosted gateway",
    run: start,
};

fn start<'a>(ctx: &'a Ctx, report: &'a mut Report) -> FlowFuture<'a> {
    Box::pin(flow(ctx, report))
}

async fn flow(ctx: &Ctx, r: &mut Report) -> Result<(), String> {
    let sandbox = &ctx.sandbox;
    let creds = sandbox.jatapay_credentials();
    let client = r.check(
        "client",
        Client::builder(Credentials::new(
            SecretString::from(creds.client_id.clone()),
            SecretString::from(creds.client_secret.clone()),
        ))
        .auth_base_url(sandbox.jatapay_auth_url())
        .api_base_url(sandbox.jatapay_api_url())
        .gateway_base_url(sandbox.jatapay_dashboard_url())
        .build(),
        |_| format!("API {}", sandbox.jatapay_api_url()),
    )?;
    r.check("token", client.authenticate().await, |()| {
        "client-credentials exchange done (token not shown)".to_owned()
    })?;

    let amount = Money::parse("20.00", Currency::EUR).map_err(|e| e.to_string())?;

    // Another customer's order 41, paid on the gateway: its id is genuine and paid.
    let return_41 = ctx.merchant.url("/jatapay/return?order=41");
    let request_41 =
        GatewayRequest::new(amount, return_41.clone(), "Piano mensile (demo)").note("Ordine 41");
    let created_41 = r.check(
        "order 41 created",
        client.subscriptions().create(&request_41).await,
        |c| format!("id={} created", c.id),
    )?;
    let page_41 = client
        .gateway_url(&created_41.id)
        .map_err(|e| r.fail("order 41 paid", e))?;
    let paid_41 = ctx
        .browser
        .decide(&page_41, "pay")
        .await
        .map_err(|e| r.fail("order 41 paid", e))?;
    r.ensure(
        "order 41 paid",
        paid_41.status == 303,
        format!(
            "id={} paid on the gateway → {}",
            created_41.id, paid_41.status
        ),
    )?;

    let return_url = ctx.merchant.url("/jatapay/return?order=42");
    let request =
        GatewayRequest::new(amount, return_url.clone(), "Piano mensile (demo)").note("Ordine 42");
    let created = r.check(
        "create subscription",
        client.subscriptions().create(&request).await,
        |c| format!("id={} amount={amount}", c.id),
    )?;
    let page = r.check("redirect URL", client.gateway_url(&created.id), |u| {
        u.to_string()
    })?;

    // JataPay's return carries nothing (no id, no status): the shop confirms the id it stored
    // for order 42, against order 42's callback_url and amount. JataPay documents only
    // `iniziata`; the sandbox reports a paid subscription as `attiva` (an inferred name), so the
    // demo confirms under the opt-in inferred reading.
    let expected_42 = ExpectedPayment::new(return_url.clone(), amount);
    let reading = StatusReading::Inferred;

    // Someone opens the return URL claiming success before paying: the merchant's return
    // handler ignores the query string and confirms server-side.
    let forged = format!("{return_url}&paid=true");
    let before = client
        .subscriptions()
        .confirm(&created.id, &expected_42, reading)
        .await
        .map_err(|e| r.fail("forged return ignored", e))?;
    r.ensure(
        "forged return ignored",
        matches!(before, PaymentVerdict::NotPaid { .. }),
        format!(
            "{forged} → confirm(id={}, order 42) → {before} → not fulfilled",
            created.id
        ),
    )?;

    // The replay: order 41's genuine paid id presented on order 42's return. JataPay's return
    // documents no id, so only a shop that takes the id from the return URL can be handed one;
    // the confirmation refuses it because it was created for order 41's callback_url.
    let replayed = format!("{return_url}&id={}", created_41.id);
    let replayed_id = Url::parse(&replayed)
        .map_err(|e| e.to_string())?
        .query_pairs()
        .find(|(k, _)| k == "id")
        .map(|(_, v)| SubscriptionId::new(v.into_owned()))
        .unwrap_or_else(|| SubscriptionId::new("missing"));
    let verdict = client
        .subscriptions()
        .confirm(&replayed_id, &expected_42, reading)
        .await
        .map_err(|e| r.fail("forged return (replay)", e))?;
    r.ensure(
        "forged return (replay)",
        matches!(&verdict, PaymentVerdict::OtherOrder { found: Some(f) } if *f == return_41),
        format!("order 42 ← paid id {replayed_id} of order 41 → {verdict} → not fulfilled"),
    )?;

    let (status, has_pay) = ctx
        .browser
        .open(&page)
        .await
        .map_err(|e| r.fail("payment page", e))?;
    r.ensure(
        "payment page",
        status == 200 && has_pay,
        format!(
            "GET → {status}, Pay button {}",
            if has_pay { "shown" } else { "missing" }
        ),
    )?;
    let expected = Url::parse(&return_url).map_err(|e| e.to_string())?;
    let redirect = ctx
        .browser
        .decide(&page, "pay")
        .await
        .map_err(|e| r.fail("customer pays", e))?;
    r.ensure(
        "customer pays",
        redirect.status == 303 && is_return_to(&redirect.location, &expected),
        format!(
            "POST decision=pay → {} Location={}",
            redirect.status,
            shown(&redirect.location)
        ),
    )?;
    r.note(
        "notification",
        "none: JataPay documents no notification; the status read below is the proof",
    );

    let after = client
        .subscriptions()
        .get(&created.id)
        .await
        .map_err(|e| r.fail("status read (server)", e))?;
    // JataPay documents only `iniziata`; the sandbox reports a paid subscription as `attiva`
    // (an inferred name): the documented reading stays Pending, the opt-in inferred one is Paid.
    r.ensure(
        "status read (server)",
        after.inferred_outcome() == PaymentOutcome::Paid
            && after.status != SubscriptionStatus::Iniziata
            && after.amount == amount
            && after.id == created.id,
        format!(
            "stato={} amount={} inferred_outcome()={:?} (outcome()={:?}: JataPay documents no paid stato)",
            after.status.as_str(),
            after.amount,
            after.inferred_outcome(),
            after.outcome()
        ),
    )?;
    let verdict = client
        .subscriptions()
        .confirm(&created.id, &expected_42, reading)
        .await
        .map_err(|e| r.fail("confirmed for order 42", e))?;
    r.ensure(
        "confirmed for order 42",
        verdict == PaymentVerdict::Paid,
        format!(
            "confirm(id={}, order 42, {amount}, inferred reading) → {verdict}",
            created.id
        ),
    )?;
    Ok(())
}
