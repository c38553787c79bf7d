//! GreenPay's renderings. The canary is planted as the merchant's `secret` (it travels inside
//! every JSON body), and GreenPay echoes it back in `purchase_order.secret` of the records
//! that cancel and both updates return: neither the records nor the errors may show it. The
//! payment orders, token payments and card token sessions are scanned the same way, with a
//! canary as the order's session token (a bearer credential for 30 minutes).
//!
//! Card data (feature `tokenization`): the card number and security code (the PAN and CVV
//! canaries), the card token (the webhook secret canary: GreenPay has no webhook secret, its
//! verifier holds a public key, so that canary stands for the card token here and the report
//! names it "webhook secret"), the merchant's `secret` and the order's session token never
//! appear in `Debug`, errors or logs of `cards().tokenize`, `update`, `delete`,
//! `orders().pay_with_token`, `create` and `create_v2`, whichever way an answer echoes them:
//! plain, JSON-escaped, URL-encoded, inside a `Basic` header's base64, after a label
//! (`liszt-token: `, `Bearer `, `token=`, …), in a FAIL envelope's messages, in a JSON or HTML
//! error page, in a success answer that does not decode.

use greenpay::cards::TokenizationOrder;
use greenpay::orders::{CreateOrder, OrderSession, SessionToken, TokenPayment};
use greenpay::subscriptions::{
    Cadence, CancelSubscription, InitialPayment, ListPayments, ListSubscriptions, ManualPayment,
    Plan, SubscriptionFilters, SubscriptionStatus, UpdateAmount, UpdateCardToken,
};
use greenpay::{CardToken, Client, Credentials, Environment, SubscriptionId, WebhookVerifier};
use payments_common::testing::{Fault, FaultServer, Reply};
use payments_common::{Currency, Money, Url};
use payments_reliability::canary::{
    self, API_KEY, CVV, MERCHANT_ID, PAN, SHOP_SECRET, WEBHOOK_SECRET, scan, scan_all, scan_debug,
};
use payments_reliability::{fixture, patient_config, report};
use rsa::pkcs8::{EncodePublicKey, LineEnding};

use crate::faults::greenpay::{
    ORDER_TOKEN, SUB, card, card_client, create, credentials, session_answer, tokenized_answer,
};

/// The card token canary (see the module's docs: the report names it "webhook secret").
const CARD_TOKEN: &str = WEBHOOK_SECRET;

/// A client on `base`, its errors the crate's own (whose renderings are scanned).
fn client(base: &Url) -> Result<Client, greenpay::Error> {
    Client::builder(credentials())
        .base_url(base.as_str())
        .http_config(patient_config())
        .build()
}

/// Scans every rendering of a GreenPay error: the crate's (`Display` with the provider and
/// operation, `Debug`) and its kind's, with the chain of sources.
fn scan_error(what: &str, error: &greenpay::Error) -> bool {
    let crate_error = scan_all(what, error);
    canary::scan_error(what, error.kind()) && crate_error
}

/// The secret GreenPay echoes in the documented records (replaced by the canary).
const FIXTURE_SECRET: &str = "QUY5MzBEMkRDMzVCMDFCRDc2NzEwRjZCQjE3NjhFNkE0NjhEQ0MxRjkxQzkzMjAwNzVDNUVGNkY5RTc0N0M0NzkzNUEyQUZFQjczMEYyODEyRjJEMDc5Q0ExNTk1NTA0NjdCMkNBODg1N0Q4MzY2MjI0NEREMUVGQjk4NTcwMzg=";

fn id() -> SubscriptionId {
    SubscriptionId::new(SUB)
}

fn usd(cents: i64) -> Money {
    Money::from_minor_units(cents, Currency::USD)
}

/// A client whose merchant, checkout and checkout v2 hosts are all `base`.
fn client_all_hosts(base: &Url) -> Result<Client, greenpay::Error> {
    Client::builder(credentials())
        .base_url(base.as_str())
        .checkout_base_url(base.as_str())
        .checkout_v2_base_url(base.as_str())
        .http_config(patient_config())
        .build()
}

/// Every new operation (issue 16) against one answer: the rendered results and errors.
async fn order_operations(c: &Client) -> Vec<(&'static str, Result<String, greenpay::Error>)> {
    let order = CreateOrder::new(usd(1450), "Parking ticket", "order-1")
        .callback("https://shop.example/greenpay/return");
    let payment = TokenPayment::new(usd(1450), "Test sale", "order-7", CardToken::new("tok-1"));
    let session = TokenizationOrder::new("req-1");
    let mut out = Vec::new();
    let r = c.orders().create(&order).await;
    out.push(("orders.create", r.map(|v| format!("{v:?} {v:#?}"))));
    let r = c.orders().create_v2(&order).await;
    out.push(("orders.create_v2", r.map(|v| format!("{v:?} {v:#?}"))));
    let r = c.orders().pay_with_token(&payment).await;
    out.push((
        "orders.pay_with_token",
        r.map(|v| format!("{v:?} {}", serde_json::to_string(&v).unwrap_or_default())),
    ));
    let r = c.cards().session(&session).await;
    out.push(("cards.session", r.map(|v| format!("{v:?} {v:#?}"))));
    let r = c.cards().delete(&CardToken::new("tok-1"), "req-1").await;
    out.push(("cards.delete", r.map(|v| format!("{v:?}"))));
    out
}

/// The payment orders, token payments and card token sessions (issue 16): requests, the
/// session token GreenPay answers (a canary here), and errors under every echo.
async fn order_rows() {
    scan_debug(
        "greenpay CreateOrder",
        &CreateOrder::new(usd(1450), "Parking ticket", "order-1")
            .callback("https://shop.example/greenpay/return"),
    );
    scan_debug(
        "greenpay TokenPayment",
        &TokenPayment::new(usd(1450), "Test sale", "order-7", CardToken::new("tok-1")),
    );
    scan_debug(
        "greenpay TokenizationOrder",
        &TokenizationOrder::new("req-1").callback("https://shop.example/cards/return"),
    );
    scan_debug("greenpay SessionToken", &SessionToken::new(SHOP_SECRET));
    scan_debug("greenpay SessionToken", &SessionToken::new(API_KEY));

    // The session token of each session answer is the canary: the typed answer never shows it.
    let session_body = format!(r#"{{"session":"s-1","token":"{API_KEY}"}}"#);
    let v2_body = format!(
        r#"{{"session":"s-1","token":"{API_KEY}","statusCode":200,"message":"Order created"}}"#
    );
    for (op, body) in [
        ("orders.create", &session_body),
        ("orders.create_v2", &v2_body),
        ("cards.session", &session_body),
    ] {
        let server = FaultServer::start(vec![Fault::Respond(Reply::json(200, body))]).await;
        let what = format!("greenpay OrderSession ({op}, token a canary)");
        let Ok(c) = client_all_hosts(&server.base_url()) else {
            report::leak(&what, "unproven (the client did not build)", "");
            continue;
        };
        let order = CreateOrder::new(usd(1450), "Parking ticket", "order-1");
        let answer = match op {
            "orders.create" => c.orders().create(&order).await,
            "orders.create_v2" => c.orders().create_v2(&order).await,
            _ => c.cards().session(&TokenizationOrder::new("req-1")).await,
        };
        match &answer {
            Ok(session) => {
                scan_debug(&what, session);
                scan(&what, &format!("{session:#?}"));
                if session.token.expose() != API_KEY {
                    report::leak(&what, "unproven (the token was not read)", "");
                }
            }
            Err(e) => {
                scan_error(&what, e);
                report::leak(&what, "unproven (the answer did not decode)", "");
            }
        }
    }

    // Errors built from answers that echo the secret (the session token is never sent by
    // these operations: an answer quoting one the client does not hold is not a leak of it).
    let sent = format!(r#"{{"merchantId":"m","secret":"{SHOP_SECRET}"}}"#);
    for (label, reply) in [
        (
            "FAIL envelope quoting the secret",
            Reply::json(
                500,
                &format!(
                    r#"{{"status":"FAIL","code":500,"result":[],"errors":["bad secret {SHOP_SECRET}", {sent}]}}"#
                ),
            ),
        ),
        (
            "session answer that does not decode",
            Reply::json(
                200,
                &format!(r#"{{"session":7,"token":"{API_KEY}","secret":"{SHOP_SECRET}"}}"#),
            ),
        ),
        (
            "HTML page quoting the secret",
            Reply::html(
                502,
                &format!("<html>upstream said secret={SHOP_SECRET}</html>"),
            ),
        ),
        ("401 JSON echoing the request", Reply::json(401, &sent)),
        (
            "400 echoing the card",
            Reply::json(
                400,
                &format!(
                    r#"{{"errors":["bad card"],"card":{}}}"#,
                    canary::card_json()
                ),
            ),
        ),
    ] {
        let server = FaultServer::start(vec![Fault::Respond(reply)]).await;
        let Ok(c) = client_all_hosts(&server.base_url()) else {
            continue;
        };
        for (op, result) in order_operations(&c).await {
            let what = format!("greenpay {op} ({label})");
            match &result {
                Ok(rendered) => {
                    scan(&what, rendered);
                }
                Err(e) => {
                    scan_error(&what, e);
                }
            }
        }
    }
}

/// The operations that carry card data, tokens or the secret, with the canary card, card
/// token and session token, against a fresh server answering `reply` (after a session answer
/// whose token is the session token canary, for the two card writes): each result rendered,
/// or its error.
async fn card_operations(
    reply: &Reply,
    ops: &[&'static str],
) -> Vec<(&'static str, Result<String, greenpay::Error>)> {
    let token = || CardToken::new(CARD_TOKEN);
    let order = CreateOrder::new(usd(1450), "Parking ticket", "order-1")
        .callback("https://shop.example/greenpay/return");
    let payment = TokenPayment::new(usd(1450), "Test sale", "order-7", token());
    let mut out = Vec::new();
    for &op in ops {
        let script = if op.starts_with("cards.") && op != "cards.delete" {
            vec![
                Fault::Respond(Reply::json(200, &session_answer())),
                Fault::Respond(reply.clone()),
            ]
        } else {
            vec![Fault::Respond(reply.clone())]
        };
        let server = FaultServer::start(script).await;
        let c = match card_client(&server.base_url(), patient_config()) {
            Ok(c) => c,
            Err(e) => {
                out.push((op, Err(greenpay::Error::new("client.build", e))));
                continue;
            }
        };
        let result = match op {
            "subscriptions.create" => c
                .subscriptions()
                .create(&create().token(token()))
                .await
                .map(|v| format!("{v:?} {v:#?}")),
            "subscriptions.update_card_token" => c
                .subscriptions()
                .update_card_token(&UpdateCardToken::new(id(), "user-42", token()))
                .await
                .map(|v| format!("{v:?} {v:#?}")),
            "cards.tokenize" => c
                .cards()
                .tokenize(&card(), "req-1")
                .await
                .map(|v| format!("{v:?} {v:#?}")),
            "cards.update" => c
                .cards()
                .update(&token(), &card(), "req-1")
                .await
                .map(|v| format!("{v:?} {v:#?}")),
            "cards.delete" => c
                .cards()
                .delete(&token(), "req-1")
                .await
                .map(|v| format!("{v:?}")),
            "orders.pay_with_token" => c
                .orders()
                .pay_with_token(&payment)
                .await
                .map(|v| format!("{v:?} {v:#?}")),
            "orders.create" => c
                .orders()
                .create(&order)
                .await
                .map(|v| format!("{v:?} {v:#?}")),
            _ => c
                .orders()
                .create_v2(&order)
                .await
                .map(|v| format!("{v:?} {v:#?}")),
        };
        out.push((op, result));
    }
    out
}

/// The answers that echo `value` (the canary of `name`): plain, in GreenPay's FAIL envelope
/// and in a proxy's JSON page; JSON-escaped; URL-encoded; inside a `Basic` header's base64;
/// after the labels a page puts before a credential; across the cuts of a provider text and a
/// body excerpt (so that only a prefix would survive a cut made before masking); in a success
/// answer that does not decode.
///
/// The security code is echoed only where the scanner can see it (after a `cvc` key) and in
/// the JSON an echo of the card takes: three digits alone are everywhere (ports, amounts,
/// statuses), so no pipeline can mask a bare three-digit code in a free-text page without
/// garbling every error, and the scanner could not tell it from any other number. The code
/// never travels in clear (only inside `ld`), so only GreenPay's checkout could echo it.
fn echoes(name: &str, value: &str) -> Vec<(String, Reply)> {
    let cvc = name == "security code";
    let quoted = if cvc {
        format!("cvc {value}")
    } else {
        value.to_owned()
    };
    let mut out = vec![
        (
            format!("FAIL envelope quoting the {name}"),
            Reply::json(
                500,
                &format!(
                    r#"{{"status":"FAIL","code":500,"result":[],"errors":["rejected {quoted}","{quoted} is not valid"]}}"#
                ),
            ),
        ),
        (
            format!("400 JSON (not the envelope) quoting the {name}"),
            Reply::json(
                400,
                &format!(r#"{{"error":"Bad Request","message":"refused {quoted}"}}"#),
            ),
        ),
        (
            format!("200 answer that does not decode, quoting the {name}"),
            Reply::json(
                200,
                &format!(
                    r#"{{"session":7,"status":"SUCCESS","requestId":7,"result":{{"token":7}},"orderId":{{"x":1}},"note":"{quoted}"}}"#
                ),
            ),
        ),
    ];
    if cvc {
        out.push((
            format!("502 JSON echoing the card with its {name}"),
            Reply::json(
                502,
                &format!(
                    r#"{{"error":"upstream","card":{{"cardHolder":"CANARY HOLDER","cardNumber":"{PAN}","cvc":"{value}"}}}}"#
                ),
            ),
        ));
    } else {
        // Where an error cuts a provider text (256 bytes) or a body excerpt (512 bytes, 509
        // kept and `…`): the value straddles the cut, so a pipeline that cut before masking
        // would leave its first 11 or 12 bytes.
        out.push((
            format!("FAIL envelope message with the {name} across the 256-byte cut"),
            Reply::json(
                500,
                &format!(
                    r#"{{"status":"FAIL","code":500,"result":[],"errors":["{}{value} rejected"]}}"#,
                    "x".repeat(245)
                ),
            ),
        ));
        out.push((
            format!("502 page with the {name} across the 512-byte excerpt cut"),
            Reply::html(
                502,
                &format!("<html><pre>{}{value}</pre></html>", "x".repeat(486)),
            ),
        ));
        out.push((
            format!("502 page with the {name} after labels"),
            Reply::html(
                502,
                &format!(
                    "<html><pre>liszt-token: {value}\nAuthorization: Bearer {value}\ntoken={value}&secret={value}\ncardNumber: {value}</pre></html>"
                ),
            ),
        ));
        use base64::Engine as _;
        let basic =
            base64::engine::general_purpose::STANDARD.encode(format!("{MERCHANT_ID}:{value}"));
        out.extend([
            (
                format!("502 JSON with the {name} JSON-escaped"),
                Reply::json(
                    502,
                    &format!(
                        r#"{{"error":"upstream","echo":"{}"}}"#,
                        canary::json_escaped(value)
                    ),
                ),
            ),
            (
                format!("502 page with the {name} URL-encoded"),
                Reply::html(
                    502,
                    &format!("<p>upstream body: value={}</p>", canary::url_encoded(value)),
                ),
            ),
            (
                format!("502 page with the {name} in a Basic header"),
                Reply::html(502, &format!("<pre>Authorization: Basic {basic}</pre>")),
            ),
        ]);
    }
    out
}

/// Card data, card tokens, the secret and session tokens in the card writes, token payments
/// and orders: request and answer renderings, the card as it travels, and errors under every
/// echo.
async fn card_rows() {
    // The requests and values a merchant's code holds.
    scan_debug("greenpay Card (canary PAN and CVV)", &card());
    scan_debug("greenpay CardToken (canary)", &CardToken::new(CARD_TOKEN));
    scan_debug(
        "greenpay TokenPayment (canary card token)",
        &TokenPayment::new(
            usd(1450),
            "Test sale",
            "order-7",
            CardToken::new(CARD_TOKEN),
        ),
    );
    scan_debug(
        "greenpay UpdateCardToken (canary card token)",
        &UpdateCardToken::new(id(), "user-42", CardToken::new(CARD_TOKEN)),
    );
    scan_debug(
        "greenpay CreateSubscription (canary card token)",
        &create().token(CardToken::new(CARD_TOKEN)),
    );
    match serde_json::from_str::<OrderSession>(&session_answer()) {
        Ok(session) => {
            scan_debug("greenpay OrderSession (canary session token)", &session);
            match Client::builder(credentials())
                .public_key(crate::faults::greenpay::public_key_pem())
                .build()
                .and_then(|c| c.cards().encrypt(&card(), &session))
            {
                Ok(sealed) => {
                    scan_debug("greenpay EncryptedCard", &sealed);
                    scan(
                        "greenpay EncryptedCard as sent (ld, lk)",
                        &serde_json::to_string(&sealed).unwrap_or_default(),
                    );
                }
                Err(e) => {
                    scan_error("greenpay cards.encrypt", &e);
                    report::leak("greenpay cards.encrypt", "unproven (no envelope)", "");
                }
            }
        }
        Err(e) => report::leak(
            "greenpay OrderSession (canary session token)",
            "unproven (the session did not decode)",
            &e.to_string(),
        ),
    }

    // The card as it travels: the tokenization request the server receives carries neither
    // the number nor the code in clear (only `ld`/`lk`), and the session token only in its
    // `liszt-token` header; the answer's card token (a canary) is never rendered.
    let server = FaultServer::start(vec![
        Fault::Respond(Reply::json(200, &session_answer())),
        Fault::Respond(Reply::json(200, &tokenized_answer("req-1", CARD_TOKEN))),
    ])
    .await;
    let what = "greenpay cards.tokenize (canary card, answer with a canary card token)";
    match card_client(&server.base_url(), patient_config()) {
        Ok(c) => match c.cards().tokenize(&card(), "req-1").await {
            Ok(tokenized) => {
                scan_debug(what, &tokenized);
                if tokenized.token.as_str() != CARD_TOKEN {
                    report::leak(what, "unproven (the card token was not read)", "");
                }
            }
            Err(e) => {
                scan_error(what, &e);
                report::leak(what, "unproven (the tokenization failed)", &e.to_string());
            }
        },
        Err(e) => report::leak(what, "unproven (no client)", &e.to_string()),
    }
    let requests = server.requests();
    let sent_card = requests.get(1);
    match sent_card {
        Some(r) if r.header("liszt-token") == Some(ORDER_TOKEN) => {
            let body = String::from_utf8_lossy(&r.body);
            scan("greenpay cards.tokenize body as sent", &body);
            if body.contains(CVV) && body.to_ascii_lowercase().contains("cvc") {
                report::leak("greenpay cards.tokenize body as sent", "CVV", &body);
            }
        }
        _ => report::leak(
            "greenpay cards.tokenize body as sent",
            "unproven (no card request with the session's liszt-token)",
            &format!("{} request(s)", requests.len()),
        ),
    }

    // An answer can only quote what the call sent or holds: each value is echoed to the
    // operations that carry it. The card's two writes hold the card, the merchant's secret
    // (their session request) and the session token (`liszt-token`); the update also the
    // card token it updates; the delete, the token payment and the two subscription writes
    // that take a token (create, update_card_token) the card token; the two order writes the
    // secret (their session token exists only in their answer: rows below).
    const CARD_WRITES: &[&str] = &["cards.tokenize", "cards.update"];
    const EVERY: &[&str] = &[
        "cards.tokenize",
        "cards.update",
        "cards.delete",
        "orders.pay_with_token",
        "orders.create",
        "orders.create_v2",
    ];
    for (name, value, ops) in [
        ("card number", PAN, CARD_WRITES),
        ("security code", CVV, CARD_WRITES),
        (
            "card token",
            CARD_TOKEN,
            &[
                "cards.update",
                "cards.delete",
                "orders.pay_with_token",
                "subscriptions.create",
                "subscriptions.update_card_token",
            ][..],
        ),
        ("merchant secret", SHOP_SECRET, EVERY),
        ("session token", ORDER_TOKEN, CARD_WRITES),
    ] {
        for (label, reply) in echoes(name, value) {
            for (op, result) in card_operations(&reply, ops).await {
                let what = format!("greenpay {op} ({label})");
                match &result {
                    Ok(rendered) => {
                        scan(&what, rendered);
                    }
                    Err(e) => {
                        scan_error(&what, e);
                    }
                }
            }
        }
    }
}

/// Answers that carry a canary where the operation reads a secret of its own making: an order
/// or session answer whose `token` (the session token) comes with a body that does not decode
/// or a FAIL envelope, and a tokenization answer whose card token comes with a signature that
/// does not verify or another request id. No error shows the canary.
async fn answer_rows() {
    let ops: &[&str] = &["orders.create", "orders.create_v2"];
    for (label, reply) in [
        (
            "order answer with the session token that does not decode",
            Reply::json(
                200,
                &format!(r#"{{"session":7,"token":"{ORDER_TOKEN}","statusCode":"x"}}"#),
            ),
        ),
        (
            "FAIL envelope carrying a session token",
            Reply::json(
                500,
                &format!(
                    r#"{{"status":"FAIL","code":500,"result":[],"errors":["refused"],"session":"s-1","token":"{ORDER_TOKEN}"}}"#
                ),
            ),
        ),
    ] {
        for (op, result) in card_operations(&reply, ops).await {
            let what = format!("greenpay {op} ({label})");
            match &result {
                Ok(rendered) => {
                    scan(&what, rendered);
                    report::leak(&what, "unproven (the answer was accepted)", rendered);
                }
                Err(e) => {
                    scan_error(&what, e);
                }
            }
        }
    }
    let forged =
        tokenized_answer("req-1", CARD_TOKEN).replace("\"_signature\":\"", "\"_signature\":\"00");
    let other_request = tokenized_answer("req-2", CARD_TOKEN);
    for (label, body) in [
        ("card token with a signature that does not verify", forged),
        ("card token for another request id", other_request),
    ] {
        for (op, result) in card_operations(&Reply::json(200, &body), CARD_WRITES_ONLY).await {
            let what = format!("greenpay {op} ({label})");
            match &result {
                Ok(rendered) => {
                    scan(&what, rendered);
                    report::leak(&what, "unproven (the answer was accepted)", rendered);
                }
                Err(e) => {
                    scan_error(&what, e);
                }
            }
        }
    }
}

const CARD_WRITES_ONLY: &[&str] = &["cards.tokenize", "cards.update"];

/// Runs GreenPay's S1 probes, and the echoed-secret and error renderings (S2).
pub async fn run() {
    answer_rows().await;
    order_rows().await;
    card_rows().await;
    scan_debug("greenpay Credentials", &credentials());
    let builder = Client::builder(credentials())
        .environment(Environment::Production)
        .http_config(patient_config());
    scan_debug("greenpay ClientBuilder", &builder);
    if let Ok(c) = builder.build() {
        scan_debug("greenpay Client", &c);
        scan_debug("greenpay Subscriptions", &c.subscriptions());
    }
    if let Ok(base) = Url::parse("http://127.0.0.1:9/") {
        let custom = Client::builder(credentials())
            .base_url(base.as_str())
            .http_config(patient_config());
        scan_debug("greenpay ClientBuilder (custom)", &custom);
        if let Ok(c) = client(&base) {
            scan_debug("greenpay Client (custom)", &c);
        }
    }

    // Every request type.
    let plan = Plan::new(usd(1000), Cadence::monthly().on_day(15));
    scan_debug("greenpay Plan", &plan);
    scan_all("greenpay Cadence", &Cadence::every_months(3));
    let initial = InitialPayment::new(usd(500), "first month");
    scan_debug("greenpay InitialPayment", &initial);
    scan_debug(
        "greenpay CreateSubscription",
        &create()
            .initial_payment(initial)
            .token(CardToken::new("tok-2")),
    );
    scan_debug("greenpay ManualPayment", &ManualPayment::new(id()));
    scan_debug(
        "greenpay CancelSubscription",
        &CancelSubscription::new(id(), "user-42", "customer request"),
    );
    scan_debug(
        "greenpay UpdateAmount",
        &UpdateAmount::new(id(), "user-42", usd(1200)),
    );
    scan_debug(
        "greenpay UpdateCardToken",
        &UpdateCardToken::new(id(), "user-42", CardToken::new("tok-2")),
    );
    let filters = SubscriptionFilters::new()
        .status(SubscriptionStatus::Active)
        .user("user-42")
        .min_amount(usd(100))
        .max_amount(usd(10_000));
    scan_debug("greenpay SubscriptionFilters", &filters);
    scan_debug(
        "greenpay ListSubscriptions",
        &ListSubscriptions::new(1, 10).filters(filters),
    );
    scan_debug("greenpay ListPayments", &ListPayments::new(id(), 1, 10));
    scan_all("greenpay SubscriptionId", &id());
    scan_debug("greenpay CardToken", &CardToken::new("tok-1"));

    // The verifier (keyed with a public key: nothing secret, scanned all the same).
    let key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 1024)
        .ok()
        .and_then(|k| k.to_public_key().to_public_key_pem(LineEnding::LF).ok());
    match key.as_deref().map(WebhookVerifier::new) {
        Some(Ok(v)) => {
            scan_debug("greenpay WebhookVerifier", &v);
        }
        Some(Err(e)) => {
            scan_error("greenpay WebhookVerifier::new", &e);
        }
        None => report::panic("greenpay secrets: could not generate an RSA key"),
    }
    if let Err(e) = WebhookVerifier::new(SHOP_SECRET) {
        scan_error("greenpay WebhookVerifier::new (the secret as a key)", &e);
    }

    // Builder errors name the field, never its value (I9 checks they are refused).
    for (label, c) in [
        (
            "secret with a newline",
            Credentials::new("m", "t", format!("{SHOP_SECRET}\n")),
        ),
        (
            "secret with a space",
            Credentials::new("m", "t", format!("{SHOP_SECRET} x")),
        ),
        (
            "terminal with a space",
            Credentials::new("m", "t 1", SHOP_SECRET),
        ),
    ] {
        match Client::builder(c).build() {
            Err(e) => {
                scan_error(&format!("greenpay build error ({label})"), &e);
            }
            Ok(c) => {
                scan_debug(&format!("greenpay Client ({label})"), &c);
            }
        }
    }

    // The echoed `purchase_order.secret`: decoded records and their JSON never show it.
    for (label, file) in [
        ("cancel", "subscriptions.cancel.response.json"),
        ("update_amount", "subscriptions.update_amount.response.json"),
        (
            "update_card_token",
            "subscriptions.update_card_token.response.json",
        ),
    ] {
        let body = String::from_utf8_lossy(&fixture("greenpay", file))
            .replace(FIXTURE_SECRET, SHOP_SECRET);
        let planted = body.contains(SHOP_SECRET);
        let server = FaultServer::start(vec![Fault::Respond(Reply::json(200, &body))]).await;
        let record = match client(&server.base_url()) {
            Ok(c) => {
                let s = c.subscriptions();
                match label {
                    "cancel" => {
                        s.cancel(&CancelSubscription::new(
                            id(),
                            "user-42",
                            "customer request",
                        ))
                        .await
                    }
                    "update_amount" => {
                        s.update_amount(&UpdateAmount::new(id(), "user-42", usd(1200)))
                            .await
                    }
                    _ => {
                        s.update_card_token(&UpdateCardToken::new(
                            id(),
                            "user-42",
                            CardToken::new("tok-2"),
                        ))
                        .await
                    }
                }
            }
            Err(e) => Err(e),
        };
        let what = format!("greenpay SubscriptionRecord ({file}, secret echoed)");
        let proven = match &record {
            Ok(r) => {
                scan_debug(&what, r);
                scan(&what, &serde_json::to_string(r).unwrap_or_default());
                planted
            }
            Err(e) => {
                scan_error(&what, e);
                false
            }
        };
        if !proven {
            // The row could not be proven: count it against the secrets row.
            report::leak(
                &what,
                "unproven (the record did not decode, or the canary was not planted)",
                &format!("{record:?}"),
            );
        }
    }

    // Errors built from answers that echo the secret.
    let sent = format!(r#"{{"merchantId":"m","secret":"{SHOP_SECRET}"}}"#);
    for (label, reply) in [
        (
            "FAIL envelope quoting the secret",
            Reply::json(
                500,
                &format!(
                    r#"{{"status":"FAIL","code":500,"result":[],"errors":["bad secret {SHOP_SECRET}", {sent}]}}"#
                ),
            ),
        ),
        (
            "success whose record does not decode",
            Reply::json(
                200,
                &format!(
                    r#"{{"status":"SUCCESS","code":200,"result":{{"id":"3","status":5,"purchase_order":{{"secret":"{SHOP_SECRET}"}}}}}}"#
                ),
            ),
        ),
        (
            "HTML page quoting the secret",
            Reply::html(
                502,
                &format!("<html>upstream said secret={SHOP_SECRET}</html>"),
            ),
        ),
        ("401 JSON echoing the request", Reply::json(401, &sent)),
    ] {
        let server = FaultServer::start(vec![Fault::Respond(reply)]).await;
        let Ok(c) = client(&server.base_url()) else {
            continue;
        };
        let cancel = c
            .subscriptions()
            .cancel(&CancelSubscription::new(id(), "user-42", "r"))
            .await;
        let list = c.subscriptions().list(&ListSubscriptions::new(1, 10)).await;
        for (op, result) in [
            ("cancel", format!("{cancel:?}")),
            ("list", format!("{list:?}")),
        ] {
            scan(&format!("greenpay {op} result ({label})"), &result);
        }
        for (op, err) in [("cancel", cancel.err()), ("list", list.err())] {
            if let Some(e) = err {
                scan_error(&format!("greenpay {op} error ({label})"), &e);
            }
        }
    }
}
