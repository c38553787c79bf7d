//! beGateway: a product (payment link) per order, a notification verified with
//! `Content-Signature` and Basic auth, the return parameters used only as a lookup handle, the
//! payment confirmed for its order, and a genuine paid uid of one order replayed on another
//! order's return and refused; then a hosted checkout paid on its page, notified, confirmed,
//! partially refunded (with a `RequestID`) and read back.

use std::time::Duration;

use begateway::{
    Client, CreateProduct, Credentials, Currency, Error, ErrorKind, ExpectedPayment, Expiry,
    Language, Money, PaymentVerdict, Quantity, ReturnParams, TransactionStatus, TransactionUid,
    WebhookVerifier,
};
use url::Url;

use super::browser::{is_return_to, shown};
use super::{Ctx, Flow, FlowFuture, Report};

/// The beGateway flow.
pub(crate) const FLOW: Flow = Flow {
    provider: "beGateway",
    title: "a payment link per order, a signed notification, a replayed uid refused; a checkout paid, confirmed, partially refunded",
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
            .checkout_base_url(sandbox.begateway_checkout_url())
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
    let notify_url = ctx.merchant.url("/begateway/notify");
    // One product (payment link) per order, same price: the amount alone cannot tell the
    // two payments apart, the order reference (tracking_id) does.
    let product_for = |order: u32| {
        CreateProduct::new(
            format!("Order {order}"),
            "Pro plan, one month (demo)",
            price,
        )
        .quantity(Quantity::Unlimited)
        .expiry(Expiry::Never)
        .test(true)
        .language(Language::En)
        .return_url(
            ctx.merchant
                .url(&format!("/begateway/return?order={order}")),
        )
        .notification_url(notify_url.clone())
    };
    let product = r.check(
        "product for order 42",
        client.products().create(&product_for(42)).await,
        |p| format!("id={} amount={} quantity=infinite", p.id, p.price),
    )?;
    let other = r.check(
        "product for order 44",
        client.products().create(&product_for(44)).await,
        |p| format!("id={} amount={} (same price as order 42)", p.id, p.price),
    )?;
    let return_url = ctx.merchant.url("/begateway/return?order=42");
    let return_44 = ctx.merchant.url("/begateway/return?order=44");
    let expected_42 = ExpectedPayment::new("order-42", price).test(true);
    let expected_44 = ExpectedPayment::new("order-44", price).test(true);
    // The customer opens order 42's link with the order reference as tracking_id.
    let pay_url: Url = format!("{}?tracking_id=order-42", product.pay_url)
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
    let lookup = client
        .transactions()
        .confirm(&forged_uid, &expected_42)
        .await;
    r.ensure(
        "forged return ignored",
        matches!(
            lookup.as_ref().map_err(Error::kind),
            Err(ErrorKind::NotFound { .. })
        ),
        format!(
            "{forged} → confirm uid {forged_uid}: {} → not fulfilled",
            match &lookup {
                Ok(v) => v.to_string(),
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
    // The page's form carries the link's tracking_id as a hidden input; submit it as the
    // browser would.
    let redirect = ctx
        .browser
        .submit(&pay_url, "pay", &[("tracking_id", "order-42")])
        .await
        .map_err(|e| r.fail("customer pays", e))?;
    r.ensure(
        "customer pays",
        redirect.status == 303 && is_return_to(&redirect.location, &expected),
        format!(
            "POST decision=pay&tracking_id=order-42 → {} Location={}",
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
        .verify(&received.headers, &received.body)
        .map_err(|e| r.fail("notification verified", e))?
        .transaction;
    r.ensure(
        "notification verified",
        notified.status == TransactionStatus::Successful && notified.amount == Some(price),
        format!(
            "Basic auth + Content-Signature (RSA-SHA256) ok; uid={} status={} amount={} tracking_id={}",
            notified.uid,
            notified.status.as_str(),
            notified
                .amount
                .map_or_else(|| "?".to_owned(), |m| m.to_string()),
            notified.tracking_id.as_deref().unwrap_or("-")
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

    let verdict = client
        .transactions()
        .confirm(&notified.uid, &expected_42)
        .await
        .map_err(|e| r.fail("confirmed for order 42", e))?;
    r.ensure(
        "confirmed for order 42",
        verdict == PaymentVerdict::Paid,
        format!(
            "confirm(uid={}, order-42, {price}, test) → {verdict}",
            notified.uid
        ),
    )?;

    // The replay: order 42's genuine paid uid presented on order 44's return. The
    // transaction is real and successful, for the same amount; it pays another order.
    let replayed = format!("{return_44}&uid={}&status=successful", notified.uid);
    let replayed_params =
        ReturnParams::from_url(&Url::parse(&replayed).map_err(|e| e.to_string())?);
    let replayed_uid = replayed_params
        .uid()
        .cloned()
        .unwrap_or_else(|| TransactionUid::new("missing"));
    let verdict = client
        .transactions()
        .confirm(&replayed_uid, &expected_44)
        .await
        .map_err(|e| r.fail("forged return (replay)", e))?;
    r.ensure(
        "forged return (replay)",
        matches!(&verdict, PaymentVerdict::OtherOrder { found: Some(f) } if f == "order-42"),
        format!(
            "order 44 (product {}) ← uid {replayed_uid} of order 42 → {verdict} → not fulfilled",
            other.id
        ),
    )?;
    checkout_flow(ctx, r, &client, &verifier).await
}

/// A hosted checkout for order 43: created, paid on its page, notified (verified), confirmed
/// for the order, partially refunded and read back.
async fn checkout_flow(
    ctx: &Ctx,
    r: &mut Report,
    client: &Client,
    verifier: &WebhookVerifier,
) -> Result<(), String> {
    use begateway::{CheckoutType, CreateCheckout, FollowUp, PaymentOutcome};
    let price = Money::parse("25.00", Currency::USD).map_err(|e| e.to_string())?;
    let success = ctx.merchant.url("/begateway/return?order=43");
    let request = CreateCheckout::new(CheckoutType::Payment, price, "Order 43", "order-43")
        .test(true)
        .notification_url(ctx.merchant.url("/begateway/notify"))
        .success_url(success.clone())
        .decline_url(ctx.merchant.url("/begateway/return?order=43&declined=1"));
    let checkout = r.check(
        "checkout for order 43",
        client.checkouts().create(&request).await,
        |c| format!("token {}… → {}", &c.token.as_str()[..8], c.redirect_url),
    )?;
    let page: Url = checkout
        .redirect_url
        .as_str()
        .parse()
        .map_err(|e| r.fail("checkout page", e))?;
    let (status, has_pay) = ctx
        .browser
        .open(&page)
        .await
        .map_err(|e| r.fail("checkout page", e))?;
    r.ensure(
        "checkout page",
        status == 200 && has_pay,
        format!(
            "GET → {status}, Pay button {}",
            if has_pay { "shown" } else { "missing" }
        ),
    )?;
    let expected_return = Url::parse(&success).map_err(|e| e.to_string())?;
    let redirect = ctx
        .browser
        .submit(&page, "pay", &[])
        .await
        .map_err(|e| r.fail("customer pays the checkout", e))?;
    r.ensure(
        "customer pays the checkout",
        redirect.status == 303 && is_return_to(&redirect.location, &expected_return),
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
        .map_err(|e| r.fail("checkout notification verified", e))?;
    let notified = verifier
        .verify(&received.headers, &received.body)
        .map_err(|e| r.fail("checkout notification verified", e))?
        .transaction;
    r.ensure(
        "checkout notification verified",
        notified.tracking_id.as_deref() == Some("order-43") && notified.amount == Some(price),
        format!(
            "uid={} status={} amount={}",
            notified.uid,
            notified.status.as_str(),
            notified
                .amount
                .map_or_else(|| "?".to_owned(), |m| m.to_string())
        ),
    )?;
    let state = r.check(
        "checkout read back",
        client.checkouts().get(&checkout.token).await,
        |s| {
            format!(
                "finished={} uid={:?}",
                s.finished,
                s.transaction_uid().map(|u| u.as_str())
            )
        },
    )?;
    let expected = ExpectedPayment::new("order-43", price).test(true);
    let verdict = client
        .transactions()
        .confirm(&notified.uid, &expected)
        .await
        .map_err(|e| r.fail("checkout confirmed for order 43", e))?;
    r.ensure(
        "checkout confirmed for order 43",
        verdict == PaymentVerdict::Paid && state.transaction_uid() == Some(&notified.uid),
        format!(
            "confirm(uid={}, order-43, {price}, test) → {verdict}",
            notified.uid
        ),
    )?;
    let part = Money::parse("10.00", Currency::USD).map_err(|e| e.to_string())?;
    let refund = r.check(
        "partial refund",
        client
            .card_transactions()
            .refund(&FollowUp::new(notified.uid.clone(), part).reason("one item returned"))
            .await,
        |t| {
            format!(
                "refund {} of {part} (RequestID sent) → {}",
                t.uid,
                t.status.as_str()
            )
        },
    )?;
    let read = r.check(
        "refund read back",
        client.transactions().get(&refund.uid).await,
        |t| {
            format!(
                "{} {} parent {}",
                t.uid,
                t.status.as_str(),
                t.parent_uid.as_ref().map_or("-", |u| u.as_str())
            )
        },
    )?;
    r.ensure(
        "refund of the checkout's payment",
        read.outcome() == PaymentOutcome::Refunded
            && read.parent_uid.as_ref() == Some(&notified.uid),
        format!("outcome {:?}", read.outcome()),
    )?;
    Ok(())
}
