//! beGateway: a product (payment link), a notification verified with `Content-Signature` and
//! Basic auth, the return parameters used only as a lookup handle, and the transaction read.

use std::time::Duration;

use begateway::{
    Client, CreateProduct, Credentials, Currency, Error, Language, Money, PaymentOutcome,
    ReturnParams, TransactionStatus, TransactionUid, WebhookVerifier,
};
use url::Url;

use super::browser::{is_return_to, shown};
use super::{Ctx, Flow, FlowFuture, Report};

/// The beGateway flow.
pub(crate) const FLOW: Flow = Flow {
    provider: "beGateway",
    title: "product payment link with a signed notification",
    run: start,
};

fn start<'a>(ctx: &'a Ctx, report: &'a mut Report) -> FlowFuture<'a> {
    Box::pin(flow(ctx, report))
}

async fn flow(ctx: &Ctx, r: &mut Report) -> Result<(), String> {
    let sandbox = &ctx.sandbox;
    let creds = sandbox.begateway_credentials();
    let credentials = || Credentials::new(creds.shop_id.clone(), creds.secret_key.clone());
    let client = r.check(
        "client",
        Client::builder(credentials())
            .api_base_url(sandbox.begateway_api_url())
            .gateway_base_url(sandbox.begateway_gateway_url())
            .build(),
        |c| {
            format!(
                "API {} shop {} (secret key not shown)",
                c.api_base_url(),
                c.shop_id()
            )
        },
    )?;
    let verifier = r.check(
        "notification verifier",
        WebhookVerifier::new(credentials()).and_then(|v| v.public_key(&creds.public_key)),
        |_| "shop credentials + RSA public key (signatures required)".to_owned(),
    )?;

    let price = Money::parse("9.90", Currency::USD).map_err(|e| e.to_string())?;
    let return_url = ctx.merchant.url("/begateway/return?order=42");
    let notify_url = ctx.merchant.url("/begateway/notify");
    let request = CreateProduct::new("Pro plan", "Monthly access (demo)", price)
        .infinite()
        .immortal()
        .test(true)
        .language(Language::En)
        .return_url(return_url.clone())
        .notification_url(notify_url.clone());
    let product = r.check(
        "create product",
        client.products().create(&request).await,
        |p| format!("id={} amount={} quantity=infinite", p.id, p.price()),
    )?;
    // The product keeps its links as beGateway sent them; the browser needs a parsed URL.
    let pay_url = product
        .pay_url
        .parse()
        .map_err(|e| r.fail("redirect URL", e))?;
    r.pass("redirect URL", &pay_url);

    // A forged return: a made-up uid and `status=successful`. Only the uid is read, as a
    // lookup handle, and beGateway does not know it.
    let forged = format!("{return_url}&uid=1-0000000000&status=successful");
    let forged_params = ReturnParams::from_url(&Url::parse(&forged).map_err(|e| e.to_string())?);
    let forged_uid = forged_params
        .uid()
        .cloned()
        .unwrap_or_else(|| TransactionUid::new("missing"));
    let lookup = client.transactions().get(&forged_uid).await;
    r.ensure(
        "forged return ignored",
        matches!(lookup, Err(Error::NotFound { .. })),
        format!(
            "{forged} → read uid {forged_uid}: {} → not fulfilled",
            match &lookup {
                Ok(t) => format!("found, status={}", t.status.as_str()),
                Err(e) => e.to_string(),
            }
        ),
    )?;

    let expected = Url::parse(&return_url).map_err(|e| e.to_string())?;
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
        .wait_for("/begateway/notify", Duration::from_secs(5))
        .await
        .map_err(|e| r.fail("notification verified", e))?;
    let notified = verifier
        .verify_headers(&received.body, |name| received.header(name))
        .map_err(|e| r.fail("notification verified", e))?;
    r.ensure(
        "notification verified",
        notified.status == TransactionStatus::Successful && notified.money() == price,
        format!(
            "Basic auth + Content-Signature (RSA-SHA256) ok; uid={} status={} amount={}",
            notified.uid,
            notified.status.as_str(),
            notified.money()
        ),
    )?;

    let back = ReturnParams::from_url(&redirect.location);
    r.ensure(
        "return parsed",
        back.uid() == Some(&notified.uid),
        format!(
            "uid={} (a lookup handle only; its status is not read)",
            back.uid().map_or("-", |u| u.as_str())
        ),
    )?;

    let transaction = client
        .transactions()
        .get(&notified.uid)
        .await
        .map_err(|e| r.fail("status read (server)", e))?;
    r.ensure(
        "status read (server)",
        transaction.outcome() == PaymentOutcome::Paid && transaction.money() == price,
        format!(
            "uid={} status={} outcome={:?} amount={}",
            transaction.uid,
            transaction.status.as_str(),
            transaction.outcome(),
            transaction.money()
        ),
    )?;
    Ok(())
}
