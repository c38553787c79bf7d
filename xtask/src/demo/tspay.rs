//! TS Pay: an API key requested with the AppSecret and activated by the merchant, the webhook
//! registered through the SDK, a pay link per order, a notification verified with
//! `X-Message-Hash`, the payment confirmed for its order, and a genuinely paid order key of one
//! order replayed on another order's return and refused.

use std::time::Duration;

use tspay::{
    AppSecret, ChargeState, Client, Credentials, Currency, ExpectedPayment, KeyStatus, Money,
    Onboarding, OrderKey, PayLinkRequest, PaymentVerdict, SIGNATURE_HEADER, Template,
    WebhookRegistration, WebhookVerifier,
};
use url::Url;

use super::browser::{is_return_to, shown};
use super::{Ctx, Flow, FlowFuture, Report};

/// The TS Pay flow.
pub(crate) const FLOW: Flow = Flow {
    provider: "TS Pay",
    title: "an API key from the AppSecret, a webhook registered through the SDK, a pay link per order, a signed notification, a replayed order key refused",
    run: start,
};

fn start<'a>(ctx: &'a Ctx, report: &'a mut Report) -> FlowFuture<'a> {
    Box::pin(flow(ctx, report))
}

async fn flow(ctx: &Ctx, r: &mut Report) -> Result<(), String> {
    let sandbox = &ctx.sandbox;
    // Onboarding: the integrator's AppSecret asks for an API key; the merchant activates it.
    let onboarding = r.check(
        "onboarding client",
        Onboarding::builder(AppSecret::new(
            sandbox.tspay_credentials().app_secret.clone(),
        ))
        .base_url(sandbox.tspay_url())
        .build(),
        |o| format!("API {} (Bearer AppSecret, not shown)", o.base_url()),
    )?;
    let issued = r.check(
        "API key requested",
        onboarding.request_api_key().await,
        |i| {
            format!(
                "POST /auth/api-key → key (not shown), state {:?}, loginUrl {}",
                i.state.as_ref().map(|s| s.as_str()),
                i.login_url
            )
        },
    )?;
    let login_url = issued.login_url.clone();
    let client = r.check(
        "client",
        Client::builder(Credentials::new(issued.api_key))
            .base_url(sandbox.tspay_url())
            .build(),
        |c| format!("API {} (Bearer API key, not shown)", c.base_url()),
    )?;
    let before = client
        .check_key()
        .await
        .map_err(|e| r.fail("key not active yet", e))?;
    r.ensure(
        "key not active yet",
        matches!(before, KeyStatus::NotActivated { .. }),
        format!("GET /auth/ → {before:?}"),
    )?;
    // The merchant opens the loginUrl and presses "activate" (the page's form posts back).
    let activated = reqwest::Client::new()
        .post(login_url.as_str())
        .send()
        .await
        .map_err(|e| r.fail("merchant activates the key", e))?;
    r.ensure(
        "merchant activates the key",
        activated.status() == 200,
        format!("POST {login_url} → {}", activated.status()),
    )?;
    let after = client
        .check_key()
        .await
        .map_err(|e| r.fail("key active", e))?;
    r.ensure(
        "key active",
        after.is_valid(),
        format!("GET /auth/ → {after:?}"),
    )?;

    let endpoint = ctx.merchant.url("/tspay/webhook");
    let registered = r.check(
        "webhook registered",
        client
            .webhooks()
            .register(&WebhookRegistration::new(endpoint.as_str()))
            .await,
        |w| {
            format!(
                "POST /notification/webhook tspay_charge.* → {endpoint} (id {:?}; secret kept, not shown)",
                w.id
            )
        },
    )?;
    let verifier = r.check("verifier", WebhookVerifier::new(registered.secret), |_| {
        "WebhookVerifier::new(registration.secret)".to_owned()
    })?;

    let amount = Money::parse("14.50", Currency::EUR).map_err(|e| e.to_string())?;
    let return_url = ctx.merchant.url("/tspay/return?order=42");
    let expected = Url::parse(&return_url).map_err(|e| e.to_string())?;
    // One pay link per order, same amount: only the order key tells the two payments apart.
    let request_for = |order: u32, callback: &str| {
        PayLinkRequest::new(
            Template::new("Demo Shop S.r.l.", format!("Ordine {order}"))
                .payment_ref(format!("Ordine #{order}")),
            amount,
        )
        .callback_url(callback)
        .external_ref(format!("order-{order}"))
    };
    let link = r.check(
        "create pay link (42)",
        client
            .pay_links()
            .create(&request_for(42, &return_url))
            .await,
        |l| format!("orderKey={} amount={amount}", l.order_key),
    )?;
    let return_44 = ctx.merchant.url("/tspay/return?order=44");
    let link_44 = r.check(
        "create pay link (44)",
        client
            .pay_links()
            .create(&request_for(44, &return_44))
            .await,
        |l| {
            format!(
                "orderKey={} amount={amount} (same as order 42)",
                l.order_key
            )
        },
    )?;
    // What the shop stored with each order when its link was created.
    let expected_42 = ExpectedPayment::new(link.order_key.as_str(), amount);
    let expected_44 = ExpectedPayment::new(link_44.order_key.as_str(), amount);
    // The answer keeps the link as TS Pay sent it; the browser needs a parsed URL.
    let pay_url = link.url.parse().map_err(|e| r.fail("redirect URL", e))?;
    r.pass("redirect URL", &pay_url);

    let forged = format!("{return_url}&status=paid");
    let before = client
        .confirm_payment(&link.order_key, &expected_42)
        .await
        .map_err(|e| r.fail("forged return ignored", e))?;
    r.ensure(
        "forged return ignored",
        matches!(before, PaymentVerdict::NotPaid { .. }),
        format!("{forged} → confirm order 42: {before} → not fulfilled"),
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
    let hash = received.header(SIGNATURE_HEADER).unwrap_or("");
    let hash_shown = format!("{}…", hash.get(..12).unwrap_or(hash));
    let notification = verifier
        .verify(&received.headers, &received.body)
        .map_err(|e| r.fail("notification verified", e))?;
    let mut tampered = received.body.to_vec();
    tampered.extend_from_slice(b" ");
    let tampered_rejected = verifier.verify(&received.headers, &tampered).is_err();
    let charge = &notification.payload;
    r.ensure(
        "notification verified",
        charge.state == ChargeState::Active
            && charge.order_key.as_ref() == Some(&link.order_key)
            && charge.amount == amount
            && tampered_rejected,
        format!(
            "{SIGNATURE_HEADER} {hash_shown} HMAC-SHA256 ok; state={} chargeKey={} amount={} (tampered copy {})",
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
        .confirm_payment(&link.order_key, &expected_42)
        .await
        .map_err(|e| r.fail("payment confirmed (42)", e))?;
    r.ensure(
        "payment confirmed (42)",
        after == PaymentVerdict::Paid,
        format!(
            "read charges of {} (server) → {after} ({amount})",
            link.order_key
        ),
    )?;

    // The forged return of order 44: it names order 42's real, paid order key. The read is
    // genuine and paid — for order 42, not for the key stored with order 44.
    let replayed: OrderKey = link.order_key.clone();
    let replay_url = format!("{return_44}&orderKey={replayed}");
    let verdict = client
        .confirm_payment(&replayed, &expected_44)
        .await
        .map_err(|e| r.fail("replayed key refused", e))?;
    r.ensure(
        "replayed key refused",
        matches!(&verdict, PaymentVerdict::OtherOrder { found: Some(k) } if k == replayed.as_str()),
        format!("{replay_url} → confirm order 44: {verdict} → not fulfilled"),
    )?;
    let own = client
        .confirm_payment(&link_44.order_key, &expected_44)
        .await
        .map_err(|e| r.fail("order 44 still unpaid", e))?;
    r.ensure(
        "order 44 still unpaid",
        matches!(own, PaymentVerdict::NotPaid { .. }),
        format!(
            "confirm order 44 with its own key {}: {own}",
            link_44.order_key
        ),
    )?;
    Ok(())
}
