//! TS Pay: a pay link, a notification verified with `X-Message-Hash`, and the outcome read.

use std::time::Duration;

use tspay::webhook::{SIGNATURE_HEADER, WebhookVerifier};
use tspay::{
    ChargeState, Client, Currency, Environment, Money, PayLinkRequest, PaymentOutcome,
    SecretString, Template,
};
use url::Url;

use super::browser::{is_return_to, shown};
use super::{Ctx, Flow, FlowFuture, Report};

/// The TS Pay flow.
pub(crate) const FLOW: Flow = Flow {
    provider: "TS Pay",
    title: "pay link (link2pay) with a signed webhook",
    run: start,
};

fn start<'a>(ctx: &'a Ctx, report: &'a mut Report) -> FlowFuture<'a> {
    Box::pin(flow(ctx, report))
}

async fn flow(ctx: &Ctx, r: &mut Report) -> Result<(), String> {
    let sandbox = &ctx.sandbox;
    let base = Url::parse(&sandbox.tspay_url()).map_err(|e| e.to_string())?;
    let client = r.check(
        "client",
        Client::builder(
            SecretString::from(sandbox.tspay_credentials().api_key.clone()),
            Environment::Custom(base),
        )
        .build(),
        |c| format!("API {} (Bearer API key, not shown)", c.base_url()),
    )?;

    let endpoint = ctx.merchant.url("/tspay/webhook");
    let secret = sandbox.register_tspay_webhook(&endpoint);
    let verifier = r.check(
        "webhook registered",
        WebhookVerifier::new(SecretString::from(secret)),
        |_| format!("tspay_charge.* → {endpoint} (secret kept, not shown)"),
    )?;

    let amount = Money::parse("14.50", Currency::EUR).map_err(|e| e.to_string())?;
    let return_url = ctx.merchant.url("/tspay/return?order=42");
    let expected = Url::parse(&return_url).map_err(|e| e.to_string())?;
    let request = PayLinkRequest::new(
        Template::new("Demo Shop S.r.l.", "Ordine 42").payment_ref("Ordine #42"),
        amount,
    )
    .callback_url(expected.clone())
    .external_ref("order-42");
    let link = r.check(
        "create pay link",
        client.pay_links().create(&request).await,
        |l| format!("orderKey={} amount={amount}", l.order_key),
    )?;
    // The answer keeps the link as TS Pay sent it; the browser needs a parsed URL.
    let pay_url = link.url.parse().map_err(|e| r.fail("redirect URL", e))?;
    r.pass("redirect URL", &pay_url);

    let forged = format!("{return_url}&status=paid");
    let before = client
        .charges()
        .of_order(&link.order_key)
        .await
        .map_err(|e| r.fail("forged return ignored", e))?;
    r.ensure(
        "forged return ignored",
        before.is_empty() && before.outcome() == PaymentOutcome::Pending,
        format!(
            "{forged} → read: {} charge(s), outcome={:?} → not fulfilled",
            before.charges.len(),
            before.outcome()
        ),
    )?;

    let (status, has_pay) = ctx
        .browser
        .open(&pay_url)
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
    let redirect = ctx
        .browser
        .decide(&pay_url, "pay")
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

    let received = ctx
        .merchant
        .wait_for("/tspay/webhook", Duration::from_secs(5))
        .await
        .map_err(|e| r.fail("notification verified", e))?;
    let header = received.header(SIGNATURE_HEADER);
    let notification = verifier
        .verify_and_parse(&received.body, header)
        .map_err(|e| r.fail("notification verified", e))?;
    let mut tampered = received.body.to_vec();
    tampered.extend_from_slice(b" ");
    let tampered_rejected = verifier.verify(&tampered, header).is_err();
    let charge = &notification.payload;
    r.ensure(
        "notification verified",
        charge.state == ChargeState::Active
            && charge.order_key.as_ref() == Some(&link.order_key)
            && charge.amount == amount
            && tampered_rejected,
        format!(
            "{SIGNATURE_HEADER} HMAC-SHA256 ok; state={} chargeKey={} amount={} (tampered copy {})",
            charge.state.as_str(),
            charge.charge_key.as_ref().map_or("-", |k| k.as_str()),
            charge.amount,
            if tampered_rejected {
                "rejected"
            } else {
                "ACCEPTED"
            }
        ),
    )?;

    let after = client
        .charges()
        .of_order(&link.order_key)
        .await
        .map_err(|e| r.fail("status read (server)", e))?;
    let paid = after.paid_charge().map(|c| c.amount);
    r.ensure(
        "status read (server)",
        after.outcome() == PaymentOutcome::Paid && paid == Some(amount),
        format!(
            "outcome={:?} paid charge amount={}",
            after.outcome(),
            paid.map_or_else(|| "-".to_owned(), |m| m.to_string())
        ),
    )?;
    Ok(())
}
