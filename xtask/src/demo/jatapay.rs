//! JataPay: a subscription paid on the hosted gateway. JataPay sends no notification, so the
//! server-side read is the only proof of payment.

use jatapay::{
    Client, Credentials, Currency, GatewayRequest, Money, PaymentOutcome, SecretString,
    SubscriptionStatus,
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
        Client::builder()
            .credentials(Credentials::new(
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

    // Someone opens the return URL claiming success before paying: the merchant's return
    // handler ignores the query string and reads the subscription server-side.
    let forged = format!("{return_url}&paid=true");
    let before = client
        .subscriptions()
        .get(&created.id)
        .await
        .map_err(|e| r.fail("forged return ignored", e))?;
    r.ensure(
        "forged return ignored",
        before.status == SubscriptionStatus::Iniziata && !before.outcome().is_final(),
        format!(
            "{forged} → read: stato={} outcome={:?} → not fulfilled",
            before.status.as_str(),
            before.outcome()
        ),
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
    Ok(())
}
