//! GreenPay, starting from nothing: the customer types a card on GreenPay's hosted
//! tokenization form (the merchant never sees it), the signed result comes back to the
//! merchant's callback and to `/newCard`; a subscription charged to that token, paid
//! manually, with a signed subscription-payment notification and the payment read back from
//! the payments list; the charge confirmed for its subscription and refused when replayed for
//! another; a one-off payment order paid on GreenPay's hosted form, its signed checkout result
//! verified; and a signed checkout decline whose unsigned `result.success` is flipped, not
//! taken as paid.
//!
//! Which notification fields `_signature` covers is undocumented; the sandbox's choice
//! (`status` with `orderId` or `requestId`) is the one this SDK infers, so the report says so.

use std::time::Duration;

use greenpay::cards::TokenizationOrder;
use greenpay::orders::CreateOrder;
use greenpay::subscriptions::{
    Cadence, CreateSubscription, ListPayments, ManualPayment, PaymentStatus, Plan,
};
use greenpay::webhook::{CheckoutOutcome, parse_checkout, parse_subscription_payment};
use greenpay::{
    CardToken, Client, Credentials, Currency, ExpectedPayment, FailureKind, HeaderMap, Money,
    PaymentOutcome, PaymentVerdict, SubscriptionId, VerifiedEvent, WebhookVerifier,
};

use super::{Ctx, Flow, FlowFuture, Report};

/// The GreenPay flow.
pub(crate) const FLOW: Flow = Flow {
    provider: "GreenPay",
    title: "subscription with a manual charge and a signed notification",
    run: start,
};

/// Where the merchant's GreenPay notifications go (GreenPay appends
/// `/subscription/payment/results`).
const WEBHOOK_BASE: &str = "/greenpay";
const RESULTS_PATH: &str = "/greenpay/subscription/payment/results";
/// Where checkout results go (GreenPay posts them to the base itself).
const CHECKOUT_PATH: &str = "/greenpay/";

fn start<'a>(ctx: &'a Ctx, report: &'a mut Report) -> FlowFuture<'a> {
    Box::pin(flow(ctx, report))
}

async fn flow(ctx: &Ctx, r: &mut Report) -> Result<(), String> {
    let sandbox = &ctx.sandbox;
    let creds = sandbox.greenpay_credentials();
    let client = r.check(
        "client",
        Client::builder(Credentials::new(
            creds.merchant_id.clone(),
            creds.terminal.clone(),
            creds.secret.clone(),
        ))
        .base_url(sandbox.greenpay_url())
        .checkout_form_base_url(sandbox.greenpay_checkout_form_url())
        .tokenize_form_base_url(sandbox.greenpay_tokenize_form_url())
        .build(),
        |c| {
            format!(
                "API {} merchant {} (secret in every body, not shown)",
                c.base_url(),
                c.merchant_id()
            )
        },
    )?;
    let verifier = r.check(
        "notification verifier",
        WebhookVerifier::new(&creds.public_key),
        |_| "GreenPay's RSA public key (base64 SPKI DER)".to_owned(),
    )?;

    let webhook = ctx.merchant.url(WEBHOOK_BASE);
    sandbox.set_greenpay_webhook(&webhook);
    r.pass(
        "webhook registered",
        format!(
            "{webhook}/subscription/payment/results (GreenPay: set in its dashboard; sandbox: set_greenpay_webhook)"
        ),
    );
    // The card: typed by the customer on GreenPay's hosted tokenization form.
    let request_id = "demo-card-1";
    let card_return = ctx.merchant.url("/greenpay/cards/return");
    let order = TokenizationOrder::new(request_id).callback(card_return.clone());
    let session = r.check(
        "tokenization session",
        client.cards().session(&order).await,
        |s| format!("session {} (session and token valid 30 minutes)", s.session),
    )?;
    let form = r.check(
        "tokenization form",
        client.cards().form_url(&session),
        |u| format!("customer sent to {u}"),
    )?;
    let typed = ctx
        .browser
        .submit(
            &form,
            "pay",
            &[
                ("cardHolder", "Demo Customer"),
                ("cardNumber", "4242424242424242"),
                ("cvc", "123"),
                ("month", "12"),
                ("year", "30"),
            ],
        )
        .await
        .map_err(|e| r.fail("card typed on GreenPay's form", e))?;
    let data = typed
        .location
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or_default()
        .to_owned();
    let returned = r.check(
        "card token verified",
        verifier.verify_form_return(&data, request_id),
        |t| {
            format!(
                "back on {card_return}/…: token {:?} for the {} card ending {} (signature over status and requestId verified; the token itself is not signed)",
                t.card.token,
                t.card.brand.as_deref().unwrap_or("?"),
                t.card.last_digits.as_deref().unwrap_or("?"),
            )
        },
    )?;
    let new_card = ctx
        .merchant
        .wait_for("/greenpay/newCard", Duration::from_secs(5))
        .await
        .map_err(|e| r.fail("tokenization notification", e))?;
    r.ensure(
        "tokenization notification",
        matches!(
            verifier.verify(&new_card.headers, &new_card.body),
            Ok(VerifiedEvent::Tokenization(ref t)) if t.request_id() == request_id
        ),
        format!("{WEBHOOK_BASE}/newCard: signed result of {request_id}"),
    )?;
    let card_token = returned.card.token.clone();

    let amount = Money::parse("100.00", Currency::USD).map_err(|e| e.to_string())?;
    let user = "customer-42";
    let request = CreateSubscription::new(
        user,
        "Pro plan (demo)",
        card_token.clone(),
        Plan::new(amount, Cadence::monthly()),
    );
    let created = r.check(
        "create subscription",
        client.subscriptions().create(&request).await,
        |c| {
            format!(
                "id={} amount={amount} monthly, next payment {}",
                c.subscription_id,
                c.next_payment_date
                    .map_or_else(|| "-".to_owned(), |d| d.to_string())
            )
        },
    )?;
    let id = created.subscription_id.clone();

    // Someone posts a "paid" notification for this subscription with a made-up signature: it
    // parses, but does not verify, and the payments list (the server's word) shows nothing.
    let forged = format!(
        r#"{{"approved":[{{"status":"approved","orderStatus":"ACTIVE","order":{{"orderReference":"{id}_0","subscriptionId":"{id}","user":"{user}"}},"_signature":"{}"}}]}}"#,
        "ab".repeat(256)
    );
    parse_subscription_payment(forged.as_bytes()).map_err(|e| r.fail("forged notification", e))?;
    let forged_verified = verifier
        .verify(&HeaderMap::new(), forged.as_bytes())
        .is_ok();
    let before = client
        .subscriptions()
        .list_payments(&ListPayments::new(id.clone(), 1, 10))
        .await
        .map_err(|e| r.fail("forged notification", e))?;
    r.ensure(
        "forged notification",
        !forged_verified && before.entries.is_empty(),
        format!(
            "\"approved\" {id}_0 with a made-up _signature → {}; payments list: {} entries → not fulfilled",
            if forged_verified {
                "VERIFIED"
            } else {
                "signature rejected"
            },
            before.entries.len()
        ),
    )?;

    let unknown = SubscriptionId::new("00000000000000000000000000000000");
    let refused = client
        .subscriptions()
        .pay(&ManualPayment::new(unknown.clone()))
        .await;
    let kind = refused
        .as_ref()
        .err()
        .and_then(greenpay::Error::failure_kind);
    r.ensure(
        "pay unknown subscription",
        kind == Some(FailureKind::SubscriptionNotPayable),
        format!(
            "{unknown} → {}",
            match &refused {
                Ok(p) => format!("charged?! status={}", p.status.as_str()),
                Err(e) => format!(
                    "refused, {}: {e}",
                    kind.map_or_else(|| "not a GreenPay refusal".to_owned(), |k| format!("{k:?}"))
                ),
            }
        ),
    )?;

    let paid = client
        .subscriptions()
        .pay(&ManualPayment::new(id.clone()))
        .await
        .map_err(|e| r.fail("manual payment", e))?;
    let reference = paid.order.order_reference.clone();
    r.ensure(
        "manual payment",
        paid.status == PaymentStatus::Approved
            && paid.outcome() == PaymentOutcome::Paid
            && paid.order.amount == amount
            && paid.order.subscription_id == id,
        format!(
            "status={} orderStatus={} order={reference} amount={} authorization={}",
            paid.status.as_str(),
            paid.order_status.as_str(),
            paid.order.amount,
            paid.order.authorization.as_deref().unwrap_or("-")
        ),
    )?;

    let received = ctx
        .merchant
        .wait_for(RESULTS_PATH, Duration::from_secs(5))
        .await
        .map_err(|e| r.fail("notification verified", e))?;
    let notification = parse_subscription_payment(&received.body)
        .map_err(|e| r.fail("notification verified", e))?;
    let charge = notification
        .approved
        .iter()
        .find(|c| c.order.order_reference == reference)
        .ok_or_else(|| {
            r.fail(
                "notification verified",
                format!("no approved charge {reference} in the notification"),
            )
        })?;
    // What the signature proves: this charge of this subscription, approved.
    let verified = match verifier.verify(&received.headers, &received.body) {
        Ok(VerifiedEvent::SubscriptionPayment(p)) => p.charges().iter().any(|c| {
            c.order_reference() == reference
                && *c.status() == PaymentStatus::Approved
                && c.subscription_id().as_ref() == Some(&id)
        }),
        _ => false,
    };
    // A tampered copy: the same body claiming another charge of the subscription.
    let body = String::from_utf8_lossy(&received.body);
    let tampered = body.replace(&reference, &format!("{id}_9"));
    let tampered_rejected = verifier
        .verify(&received.headers, tampered.as_bytes())
        .is_err();
    r.ensure(
        "notification verified",
        verified
            && charge.outcome() == PaymentOutcome::Paid
            && charge.order.subscription_id == id
            && tampered_rejected,
        format!(
            "_signature RSA-SHA256 over status:{},orderId:{reference} {} (signed fields inferred); tampered copy {}",
            charge.status.as_str(),
            if verified {
                "proves this approved charge of this subscription"
            } else {
                "does NOT verify"
            },
            if tampered_rejected {
                "rejected"
            } else {
                "ACCEPTED"
            }
        ),
    )?;
    r.note(
        "signed fields",
        "only status and orderId are signed: amounts are taken from the server read below",
    );

    let payments = client
        .subscriptions()
        .list_payments(&ListPayments::new(id.clone(), 1, 10))
        .await
        .map_err(|e| r.fail("status read (server)", e))?;
    let entry = payments
        .entries
        .iter()
        .find(|p| p.reference_number.as_deref() == Some(reference.as_str()));
    let charged = entry
        .and_then(|p| p.payment_result.as_ref())
        .and_then(|result| result.amount);
    r.ensure(
        "status read (server)",
        entry.is_some_and(|p| p.outcome() == PaymentOutcome::Paid) && charged == Some(amount),
        format!(
            "list_payments: {} entr{}, {reference} outcome={:?} amount={}",
            payments.entries.len(),
            if payments.entries.len() == 1 {
                "y"
            } else {
                "ies"
            },
            entry.map_or(PaymentOutcome::Pending, |p| p.outcome()),
            charged.map_or_else(|| "-".to_owned(), |m| m.to_string())
        ),
    )?;

    confirm_for_the_order(&client, r, &id, &reference, amount, user).await?;
    hosted_order(ctx, r, &client, &verifier).await?;
    flipped_checkout_decline(ctx, r, &verifier).await
}

/// The paid charge confirmed server-side for its subscription, and the same genuine paid
/// reference replayed for another subscription refused.
async fn confirm_for_the_order(
    client: &Client,
    r: &mut Report,
    id: &SubscriptionId,
    reference: &str,
    amount: Money,
    user: &str,
) -> Result<(), String> {
    let subs = client.subscriptions();
    let expected = ExpectedPayment::new(reference, amount);
    let own = subs
        .confirm_payment(id, &expected)
        .await
        .map_err(|e| r.fail("confirm payment (server)", e))?;
    r.ensure(
        "confirm payment (server)",
        own == PaymentVerdict::Paid,
        format!("confirm_payment({id}, {reference}, {amount}) → {own}"),
    )?;
    let other = subs
        .create(&CreateSubscription::new(
            user,
            "Second plan (demo)",
            CardToken::new("tok-demo-second-card"),
            Plan::new(amount, Cadence::monthly()),
        ))
        .await
        .map_err(|e| r.fail("cross-order replay", e))?
        .subscription_id;
    let replayed = subs
        .confirm_payment(&other, &expected)
        .await
        .map_err(|e| r.fail("cross-order replay", e))?;
    r.ensure(
        "cross-order replay",
        matches!(replayed, PaymentVerdict::OtherOrder { .. }),
        format!(
            "paid {reference} presented for subscription {other} → {replayed} → {}",
            if replayed.is_paid() {
                "ACCEPTED"
            } else {
                "refused"
            }
        ),
    )?;
    Ok(())
}

/// A one-off payment order paid on GreenPay's hosted form: the signed checkout result names
/// the order (and never proves it paid: GreenPay offers no read of a checkout order).
async fn hosted_order(
    ctx: &Ctx,
    r: &mut Report,
    client: &Client,
    verifier: &WebhookVerifier,
) -> Result<(), String> {
    let amount = Money::parse("14.50", Currency::USD).map_err(|e| e.to_string())?;
    let reference = "demo-order-77";
    let order = CreateOrder::new(amount, "Parking ticket (demo)", reference)
        .callback(ctx.merchant.url("/greenpay/orders/return"));
    let session = r.check("payment order", client.orders().create(&order).await, |s| {
        format!("{reference} {amount}: session {} (30 minutes)", s.session)
    })?;
    let page = r.check("hosted payment form", client.checkout_url(&session), |u| {
        format!("customer sent to {u}")
    })?;
    let redirect = ctx
        .browser
        .decide(&page, "pay")
        .await
        .map_err(|e| r.fail("customer pays on the form", e))?;
    r.pass(
        "customer pays on the form",
        format!(
            "HTTP {} back to {}/… (the result rides along in base64: a hint, not proof)",
            redirect.status,
            ctx.merchant.url("/greenpay/orders/return")
        ),
    );
    let received = ctx
        .merchant
        .wait_for(CHECKOUT_PATH, Duration::from_secs(5))
        .await
        .map_err(|e| r.fail("checkout result verified", e))?;
    let verified = verifier.verify(&received.headers, &received.body);
    r.ensure(
        "checkout result verified",
        matches!(&verified, Ok(VerifiedEvent::Checkout(c)) if c.order_id() == reference),
        format!(
            "{CHECKOUT_PATH}: _signature over status and orderId → order {reference} (signed fields inferred); not read as paid: confirm it in GreenPay's dashboard"
        ),
    )
}

/// A genuinely signed checkout decline, then the same notification with `result.success`
/// flipped to `true`: the signature (over `status` and `orderId`) still verifies, and the SDK
/// does not take it as paid.
async fn flipped_checkout_decline(
    ctx: &Ctx,
    r: &mut Report,
    verifier: &WebhookVerifier,
) -> Result<(), String> {
    const STEP: &str = "checkout success flipped";
    let creds = ctx.sandbox.greenpay_credentials();
    let order = "order-1001";
    // The sandbox's stand-in for GreenPay's hosted checkout: the customer's card is declined.
    let answer = reqwest::Client::new()
        .post(format!("{}/_sandbox/checkout", ctx.sandbox.greenpay_url()))
        .json(&serde_json::json!({
            "merchantId": creds.merchant_id,
            "secret": creds.secret,
            "orderId": order,
            "token": "tok-demo-decline",
        }))
        .send()
        .await
        .map_err(|e| r.fail(STEP, e))?;
    if !answer.status().is_success() {
        return Err(r.fail(STEP, format!("sandbox checkout: HTTP {}", answer.status())));
    }
    let received = ctx
        .merchant
        .wait_for(CHECKOUT_PATH, Duration::from_secs(5))
        .await
        .map_err(|e| r.fail(STEP, e))?;
    let genuine = parse_checkout(&received.body).map_err(|e| r.fail(STEP, e))?;
    let genuine_verified = verifier.verify(&received.headers, &received.body);
    let mut body: serde_json::Value =
        serde_json::from_slice(&received.body).map_err(|e| r.fail(STEP, e))?;
    body["result"]["success"] = true.into();
    let flipped = parse_checkout(body.to_string().as_bytes()).map_err(|e| r.fail(STEP, e))?;
    let flipped_verified = verifier.verify(&received.headers, body.to_string().as_bytes());
    let outcome = flipped.outcome();
    r.ensure(
        STEP,
        genuine_verified.is_ok()
            && genuine.outcome() == CheckoutOutcome::Declined
            && PaymentOutcome::from(outcome) != PaymentOutcome::Paid,
        format!(
            "signed decline for {order} (status {}) → {:?}; result.success flipped to true → signature {} (it covers status and orderId only) → {outcome:?}, not paid: GreenPay offers no read of a checkout order, confirm it in GreenPay's dashboard",
            genuine.status.unwrap_or_default(),
            genuine.outcome(),
            match &flipped_verified {
                Ok(VerifiedEvent::Checkout(v)) => format!("still verifies for order {}", v.order_id()),
                Ok(other) => format!("verifies as {other:?}"),
                Err(e) => format!("refused ({e})"),
            },
        ),
    )?;
    Ok(())
}
