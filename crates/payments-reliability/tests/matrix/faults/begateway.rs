//! beGateway's operations for the fault rows: products (API host) and transaction queries
//! (gateway host); both hosts point at the fault server.

use std::sync::Arc;

use begateway::{
    Card, ChargeRequest, Client, CreateCardToken, CreateProduct, Credentials, CreditRequest,
    Currency, FollowUp, Money, PaymentSource, ProductId, SecretString, TransactionUid,
    UpdateCardToken, UpdateProduct,
};
use payments_common::http::HttpConfig;
use payments_common::testing::{Fault, FaultServer, Reply};
use payments_common::{Error, Url};
use payments_reliability::canary::{self, SHOP_ID, SHOP_SECRET};
use payments_reliability::report::{self, FaultRow};
use payments_reliability::{CaseEnd, DEADLINE, fixture, patient_config, run_case};

use super::{Call, Mapped, Op};

/// A product id.
pub const PRODUCT: &str = "prd_ed27b047d3ccd1a6";
/// A transaction uid.
pub const UID: &str = "1-310b0da80b";

/// The canary credentials.
pub fn credentials() -> Credentials {
    Credentials::new(SHOP_ID, SHOP_SECRET)
}

/// A client with both hosts on `base`.
pub fn client(base: &Url) -> Result<Client, Error> {
    client_with(base, patient_config())
}

/// A client with both hosts on `base` and the given HTTP settings.
pub fn client_with(base: &Url, config: HttpConfig) -> Result<Client, Error> {
    Ok(Client::builder(credentials())
        .api_base_url(base.as_str())
        .gateway_base_url(base.as_str())
        .http_config(config)
        .build()?)
}

/// A valid create request.
pub fn create() -> CreateProduct {
    CreateProduct::new(
        "product",
        "description of product",
        Money::from_minor_units(990, Currency::USD),
    )
    .quantity(10)
    .immortal()
}

/// A valid card payment (by token, test mode).
pub fn charge() -> ChargeRequest {
    ChargeRequest::new(
        Money::from_minor_units(990, Currency::USD),
        "Order 42",
        "order-42",
        PaymentSource::Token(SecretString::from("tok-matrix")),
    )
    .test(true)
}

/// A valid partial refund of [`UID`].
pub fn refund() -> FollowUp {
    FollowUp::new(
        TransactionUid::new(UID),
        Money::from_minor_units(250, Currency::USD),
    )
    .reason("one item returned")
}

/// A valid credit (payout) to the saved card token.
pub fn credit() -> CreditRequest {
    CreditRequest::new(
        Money::from_minor_units(2500, Currency::USD),
        "Payout 42",
        "payout-42",
        saved_token(),
    )
    .test(true)
}

/// A valid tokenization of the canary card (its PAN and CVV are scanned for everywhere).
pub fn tokenization() -> ChargeRequest {
    ChargeRequest::new(
        Money::from_minor_units(100, Currency::USD),
        "Save card",
        "customer-42",
        PaymentSource::Card(Card::new(canary::PAN, canary::CVV, "JOHN DOE", 1, 2030)),
    )
    .test(true)
}

/// A tokenization's answer: the transaction with the new card token (a canary secret).
pub fn tokenized(status: &str) -> String {
    transaction(status)
        .replace("\"type\":\"payment\"", "\"type\":\"tokenization\"")
        .replace(
            "\"test\":true",
            &format!(
                "\"test\":true,\"credit_card\":{{\"token\":\"{}\"}}",
                canary::API_KEY
            ),
        )
}

/// The payment-family card writes: `payment` and `authorization` send [`charge`]; `capture`,
/// `void` and `refund` follow up on [`UID`] with [`refund`]'s amount.
fn card_write_call(kind: &'static str) -> Call {
    Arc::new(move |base, config| {
        Box::pin(async move {
            let client = client_with(&base, config)?;
            let cards = client.card_transactions();
            let t = match kind {
                "payment" => cards.payment(&charge()).await?,
                "authorization" => cards.authorization(&charge()).await?,
                "capture" => cards.capture(&refund()).await?,
                "void" => cards.void(&refund()).await?,
                _ => cards.refund(&refund()).await?,
            };
            Ok(format!("{t:?}"))
        })
    })
}

fn credit_call() -> Call {
    Arc::new(|base, config| {
        Box::pin(async move {
            let t = client_with(&base, config)?
                .card_transactions()
                .credit(&credit())
                .await?;
            Ok(format!("{t:?}"))
        })
    })
}

fn tokenization_call() -> Call {
    Arc::new(|base, config| {
        Box::pin(async move {
            let t = client_with(&base, config)?
                .card_transactions()
                .tokenization(&tokenization())
                .await?;
            Ok(format!("{t:?}"))
        })
    })
}

/// A valid update request.
/// A card to save (the canary PAN: scanned for in every rendering and the log).
pub fn card_to_save() -> CreateCardToken {
    CreateCardToken::new(canary::PAN, "JOHN DOE", 1, 2030)
}

/// The card token the update rows use: a canary secret, so the S3 scan of the TRACE log
/// proves the token in the path is traced as `/credit_cards/{token}` only.
pub fn saved_token() -> SecretString {
    SecretString::from(canary::API_KEY)
}

/// A card-token answer.
pub fn card_token_answer() -> String {
    format!(
        r#"{{"holder":"JOHN DOE","stamp":"a825df7f","brand":"visa","last_4":"1111","first_1":"4","token":"{}","exp_month":1,"exp_year":2030}}"#,
        canary::API_KEY
    )
}

fn card_token_call(update: bool) -> Call {
    Arc::new(move |base, config| {
        Box::pin(async move {
            let c = client_with(&base, config)?;
            let card = if update {
                c.card_tokens()
                    .update(&saved_token(), &UpdateCardToken::new().expiry(2, 2033))
                    .await?
            } else {
                c.card_tokens().create(&card_to_save()).await?
            };
            Ok(format!("{card:?}"))
        })
    })
}

pub fn update() -> UpdateProduct {
    UpdateProduct::new().name("renamed")
}

/// A transaction body (`{"transaction": {...}}`) with `status`.
pub fn transaction(status: &str) -> String {
    format!(
        r#"{{"transaction":{{"uid":"{UID}","status":"{status}","amount":990,"currency":"USD","type":"payment","tracking_id":"order-42","message":"done","test":true}}}}"#
    )
}

fn error_body(status: u16, echo: &str) -> Reply {
    Reply::json(
        status,
        &format!(
            r#"{{"message":"rejected: {echo}","errors":{{"base":["key {echo} refused"]}},"credit_card":{}}}"#,
            canary::card_json()
        ),
    )
}

fn mapped(status: u16) -> Mapped {
    match status {
        401 | 403 => Mapped::Unauthorized,
        404 => Mapped::NotFound,
        _ => Mapped::Api,
    }
}

fn fixture_reply(status: u16, file: &str) -> Reply {
    Reply::json(
        status,
        &String::from_utf8_lossy(&fixture("begateway", file)),
    )
}

fn product_with_amount(amount: &str) -> String {
    let text = String::from_utf8_lossy(&fixture("begateway", "products.get.response.200.json"))
        .into_owned();
    text.replace(r#""amount": 990"#, &format!(r#""amount": {amount}"#))
}

fn op(
    label: &'static str,
    write: bool,
    ok: Reply,
    wrong: Option<(Reply, &'static str)>,
    call: Call,
) -> Op {
    Op {
        provider: "begateway",
        label: label.to_owned(),
        operation: label,
        write,
        ok,
        wrong_type: wrong,
        error_body,
        mapped,
        echo: SHOP_SECRET.to_owned(),
        api_errors_final: false,
        call,
        prefix: Vec::new(),
        ok_tail: Vec::new(),
        skip: &[],
    }
}

/// Every beGateway operation.
pub fn ops() -> Vec<Op> {
    let mut ops = core_ops();
    ops.extend(checkout_and_subscription_ops());
    ops
}

fn core_ops() -> Vec<Op> {
    vec![
        op(
            "begateway.products.create",
            true,
            fixture_reply(201, "products.create.response.201.json"),
            Some((Reply::json(201, &product_with_amount("12.5")), "amount")),
            Arc::new(|base, config| {
                Box::pin(async move {
                    let p = client_with(&base, config)?
                        .products()
                        .create(&create())
                        .await?;
                    Ok(format!("{p:?}"))
                })
            }),
        ),
        // The update's answer carries no body the SDK reads: F15–F17 do not apply.
        op(
            "begateway.products.update",
            true,
            Reply::empty(204),
            None,
            Arc::new(|base, config| {
                Box::pin(async move {
                    client_with(&base, config)?
                        .products()
                        .update(&ProductId::new(PRODUCT), &update())
                        .await?;
                    Ok("updated".to_owned())
                })
            }),
        ),
        op(
            "begateway.products.get",
            false,
            fixture_reply(200, "products.get.response.200.json"),
            Some((
                Reply::json(200, &product_with_amount(&format!("\"{SHOP_SECRET}\""))),
                "amount",
            )),
            Arc::new(|base, config| {
                Box::pin(async move {
                    let p = client_with(&base, config)?
                        .products()
                        .get(&ProductId::new(PRODUCT))
                        .await?;
                    Ok(format!("{p:?}"))
                })
            }),
        ),
        op(
            "begateway.products.list",
            false,
            fixture_reply(200, "products.list.response.200.json"),
            Some((
                Reply::json(200, &format!("[{}]", product_with_amount("12.5"))),
                "amount",
            )),
            Arc::new(|base, config| {
                Box::pin(async move {
                    let p = client_with(&base, config)?.products().list().await?;
                    Ok(format!("{p:?}"))
                })
            }),
        ),
        op(
            "begateway.transactions.get",
            false,
            Reply::json(200, &transaction("successful")),
            Some((
                Reply::json(
                    200,
                    &transaction("successful").replace("\"amount\":990", "\"amount\":12.5"),
                ),
                "amount",
            )),
            Arc::new(|base, config| {
                Box::pin(async move {
                    let t = client_with(&base, config)?
                        .transactions()
                        .get(&TransactionUid::new(UID))
                        .await?;
                    Ok(format!("{t:?}"))
                })
            }),
        ),
        op(
            "begateway.transactions.by_tracking_id",
            false,
            Reply::json(200, &transaction("successful")),
            Some((
                Reply::json(
                    200,
                    &transaction("successful")
                        .replace("\"amount\":990", &format!("\"amount\":\"{SHOP_SECRET}\"")),
                ),
                "amount",
            )),
            Arc::new(|base, config| {
                Box::pin(async move {
                    let t = client_with(&base, config)?
                        .transactions()
                        .by_tracking_id("order-42")
                        .await?;
                    Ok(format!("{t:?}"))
                })
            }),
        ),
        // Card writes carry a RequestID beGateway honours: they are retried like reads (the
        // `write` rows are for unkeyed writes), and the keyed F20 row is `keyed_rows`.
        op(
            "begateway.card.payment",
            false,
            Reply::json(200, &transaction("successful")),
            Some((
                Reply::json(
                    200,
                    &transaction("successful").replace("\"amount\":990", "\"amount\":12.5"),
                ),
                "amount",
            )),
            Arc::new(|base, config| {
                Box::pin(async move {
                    let t = client_with(&base, config)?
                        .card_transactions()
                        .payment(&charge())
                        .await?;
                    Ok(format!("{t:?}"))
                })
            }),
        ),
        op(
            "begateway.card.refund",
            false,
            Reply::json(200, &transaction("successful").replace("payment", "refund")),
            Some((
                Reply::json(
                    200,
                    &transaction("successful").replace("\"amount\":990", "\"amount\":\"x\""),
                ),
                "amount",
            )),
            Arc::new(|base, config| {
                Box::pin(async move {
                    let t = client_with(&base, config)?
                        .card_transactions()
                        .refund(&refund())
                        .await?;
                    Ok(format!("{t:?}"))
                })
            }),
        ),
        op(
            "begateway.card.authorization",
            false,
            Reply::json(
                200,
                &transaction("successful").replace("payment", "authorization"),
            ),
            Some((
                Reply::json(
                    200,
                    &transaction("successful").replace("\"amount\":990", "\"amount\":\"x\""),
                ),
                "amount",
            )),
            card_write_call("authorization"),
        ),
        op(
            "begateway.card.capture",
            false,
            Reply::json(
                200,
                &transaction("successful").replace("payment", "capture"),
            ),
            Some((
                Reply::json(
                    200,
                    &transaction("successful").replace("\"amount\":990", "\"amount\":\"x\""),
                ),
                "amount",
            )),
            card_write_call("capture"),
        ),
        op(
            "begateway.card.void",
            false,
            Reply::json(200, &transaction("successful").replace("payment", "void")),
            Some((
                Reply::json(
                    200,
                    &transaction("successful").replace("\"amount\":990", "\"amount\":\"x\""),
                ),
                "amount",
            )),
            card_write_call("void"),
        ),
        // Credits and tokenizations are card writes with a RequestID (F20 keyed below).
        op(
            "begateway.card.credit",
            false,
            Reply::json(200, &transaction("successful").replace("payment", "credit")),
            Some((
                Reply::json(
                    200,
                    &transaction("successful").replace("\"amount\":990", "\"amount\":\"x\""),
                ),
                "amount",
            )),
            credit_call(),
        ),
        op(
            "begateway.card.tokenization",
            false,
            Reply::json(200, &tokenized("successful")),
            Some((
                Reply::json(
                    200,
                    &tokenized("successful").replace("\"amount\":990", "\"amount\":[990]"),
                ),
                "amount",
            )),
            tokenization_call(),
        ),
        // Card-token writes carry a RequestID too (retried like reads; F20 keyed below).
        op(
            "begateway.card_tokens.create",
            false,
            Reply::json(200, &card_token_answer()),
            Some((
                Reply::json(200, &card_token_answer().replace("2030", "\"x\"")),
                "exp_year",
            )),
            card_token_call(false),
        ),
        op(
            "begateway.card_tokens.update",
            false,
            Reply::json(200, &card_token_answer()),
            Some((
                Reply::json(
                    200,
                    &card_token_answer().replace("\"exp_month\":1", "\"exp_month\":[1]"),
                ),
                "exp_month",
            )),
            card_token_call(true),
        ),
    ]
}

/// The hosted checkout, plan and subscription operations: creates are unkeyed writes, the
/// reads are reads.
fn checkout_and_subscription_ops() -> Vec<Op> {
    use begateway::{
        CheckoutToken, CheckoutType, CreateCheckout, CreatePlan, CreateSubscription, IntervalUnit,
        PlanId, SubscriptionId,
    };
    const TOKEN: &str = "3241e439f8c1c6c7a8e8c1b8b8c2f1a9d0e7c6b5a4f3e2d1c0b9a8f7e6d5c4b3";
    let usd = || Money::from_minor_units(990, Currency::USD);
    let checkout_state = |amount: &str| {
        format!(
            r#"{{"checkout":{{"token":"{TOKEN}","transaction_type":"payment","finished":true,"test":true,"order":{{"amount":{amount},"currency":"USD","description":"Order 42","tracking_id":"order-42"}},"gateway_response":{{"payment":{{"uid":"{UID}","status":"successful"}}}}}}}}"#
        )
    };
    let subscription = |status: &str| format!(r#"{{"id":"sbs_1","state":{status}}}"#);
    vec![
        op(
            "begateway.checkouts.create",
            true,
            Reply::json(
                200,
                &format!(
                    r#"{{"checkout":{{"token":"{TOKEN}","redirect_url":"https://checkout.begateway.com/v2/checkout?token={TOKEN}"}}}}"#
                ),
            ),
            Some((
                Reply::json(200, r#"{"checkout":{"token":12,"redirect_url":"x"}}"#),
                "checkout.token",
            )),
            Arc::new(move |base, config| {
                Box::pin(async move {
                    let c = Client::builder(credentials())
                        .checkout_base_url(base.as_str())
                        .http_config(config)
                        .build()?
                        .checkouts()
                        .create(&CreateCheckout::new(
                            CheckoutType::Payment,
                            usd(),
                            "Order 42",
                            "order-42",
                        ))
                        .await?;
                    Ok(format!("{c:?}"))
                })
            }),
        ),
        op(
            "begateway.checkouts.get",
            false,
            Reply::json(200, &checkout_state("1250")),
            Some((
                Reply::json(200, &checkout_state("12.5")),
                "checkout.order.amount",
            )),
            Arc::new(|base, config| {
                Box::pin(async move {
                    let c = Client::builder(credentials())
                        .checkout_base_url(base.as_str())
                        .http_config(config)
                        .build()?
                        .checkouts()
                        .get(&CheckoutToken::new(TOKEN))
                        .await?;
                    Ok(format!("{c:?}"))
                })
            }),
        ),
        op(
            "begateway.plans.create",
            true,
            Reply::json(
                201,
                r#"{"id":"pln_1","title":"Pro","currency":"USD","plan":{"amount":990,"interval":1,"interval_unit":"month"}}"#,
            ),
            Some((
                Reply::json(
                    201,
                    r#"{"id":"pln_1","currency":"USD","plan":{"amount":9.9,"interval":1,"interval_unit":"month"}}"#,
                ),
                "plan.amount",
            )),
            Arc::new(move |base, config| {
                Box::pin(async move {
                    let p = client_with(&base, config)?
                        .subscriptions()
                        .create_plan(&CreatePlan::new("Pro", usd(), 1, IntervalUnit::Month))
                        .await?;
                    Ok(format!("{p:?}"))
                })
            }),
        ),
        op(
            "begateway.subscriptions.create",
            true,
            Reply::json(201, &subscription("\"pending\"")),
            Some((Reply::json(201, &subscription("7")), "state")),
            Arc::new(|base, config| {
                Box::pin(async move {
                    let s = client_with(&base, config)?
                        .subscriptions()
                        .create(&CreateSubscription::new(PlanId::new("pln_1"), "order-42"))
                        .await?;
                    Ok(format!("{s:?}"))
                })
            }),
        ),
        op(
            "begateway.subscriptions.get",
            false,
            Reply::json(200, &subscription("\"active\"")),
            Some((Reply::json(200, &subscription("[]")), "state")),
            Arc::new(|base, config| {
                Box::pin(async move {
                    let s = client_with(&base, config)?
                        .subscriptions()
                        .get(&SubscriptionId::new("sbs_1"))
                        .await?;
                    Ok(format!("{s:?}"))
                })
            }),
        ),
        op(
            "begateway.subscriptions.cancel",
            true,
            Reply::json(200, &subscription("\"canceled\"")),
            Some((Reply::json(200, &subscription("false")), "state")),
            Arc::new(|base, config| {
                Box::pin(async move {
                    let s = client_with(&base, config)?
                        .subscriptions()
                        .cancel(&SubscriptionId::new("sbs_1"))
                        .await?;
                    Ok(format!("{s:?}"))
                })
            }),
        ),
    ]
}

/// F20 keyed: for each card write, the server records the charge under its `RequestID` and
/// drops the connection; the SDK must retry with the **same** id, get the first answer, and
/// the server's charge count must stay 1.
pub async fn keyed_rows() {
    let cases: [(&str, Call); 9] = [
        (
            "begateway.card.authorization",
            card_write_call("authorization"),
        ),
        ("begateway.card.capture", card_write_call("capture")),
        ("begateway.card.void", card_write_call("void")),
        (
            "begateway.card.payment",
            Arc::new(|base, config| {
                Box::pin(async move {
                    let t = client_with(&base, config)?
                        .card_transactions()
                        .payment(&charge())
                        .await?;
                    Ok(format!("{t:?}"))
                })
            }),
        ),
        (
            "begateway.card.refund",
            Arc::new(|base, config| {
                Box::pin(async move {
                    let t = client_with(&base, config)?
                        .card_transactions()
                        .refund(&refund())
                        .await?;
                    Ok(format!("{t:?}"))
                })
            }),
        ),
        ("begateway.card.credit", credit_call()),
        ("begateway.card.tokenization", tokenization_call()),
        ("begateway.card_tokens.create", card_token_call(false)),
        ("begateway.card_tokens.update", card_token_call(true)),
    ];
    for (label, call) in cases {
        let reply = if label.contains("card_tokens") {
            Reply::json(200, &card_token_answer())
        } else if label.ends_with("tokenization") {
            Reply::json(200, &tokenized("successful"))
        } else {
            Reply::json(200, &transaction("successful"))
        };
        let server = FaultServer::start(vec![Fault::ChargeThenReset {
            key_header: "requestid",
            reply,
        }])
        .await;
        let end = run_case(label, DEADLINE, call(server.base_url(), patient_config())).await;
        let requests = server.requests();
        let ids: Vec<Option<&str>> = requests.iter().map(|r| r.header("requestid")).collect();
        let same_id = ids.len() == 2 && ids[0].is_some() && ids[0] == ids[1];
        let (passed, detail) = match end {
            CaseEnd::Done(Ok(_)) => (
                same_id && server.charges() == 1,
                format!(
                    "answered after a retry; RequestID of each attempt {ids:?}; charges {}",
                    server.charges()
                ),
            ),
            CaseEnd::Done(Err(e)) => (false, format!("failed: {e}")),
            CaseEnd::Panicked => (false, "panicked".to_owned()),
            CaseEnd::Hung(after) => (false, format!("hung for {after:?}")),
        };
        report::charges(&format!("{label} F20 keyed"), server.charges());
        report::fault(FaultRow {
            provider: "begateway",
            operation: label.to_owned(),
            row: "F20 keyed".to_owned(),
            expected_attempts: 2,
            seen_attempts: requests.len(),
            passed,
            detail,
        });
    }
}

/// Rows that do not apply to beGateway.
pub fn not_applicable() {
    payments_reliability::report::not_applicable(
        "begateway",
        "products.update",
        "F15-F17",
        "the SDK does not read the answer's body (200/204 means done), so there is nothing to decode",
    );
}
