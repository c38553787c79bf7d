//! Card transactions: `POST /gateway/transactions/{payments|authorizations|captures|voids|refunds|credits|tokenizations}`
//! with `{"request": {...}}`, answered `{"transaction": {...}}`.
//!
//! - a tokenization checks the card like a payment (no 3-D Secure step, no money moves) and
//!   answers a fresh `credit_card.token`, which later payments, authorizations and credits
//!   accept; a credit pays out to a known token (422 naming `credit_card.token` otherwise);
//!
//! - `RequestID`: the first answer to an id is stored and a repeat gets it again, without a
//!   new transaction (beGateway's replay semantics);
//! - card data: `4200000000000000` is approved, any other valid number declined (the pattern
//!   of beGateway's test cards); the card token this sandbox reports in `credit_card.token` is
//!   approved, and so is a token saved through `tokens`; any other token is refused with 422;
//! - follow-ups change the parent: a capture or refund takes from the parent's remaining amount
//!   (more is a 422), a void closes an uncaptured authorization, a capture of a voided or
//!   refunded-away parent is a 422;
//! - every new transaction is notified (signed) to its `notification_url`; a capture, void or
//!   refund to its parent's.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::{Errors, Transaction, add, authorize, next_uid, notify_transaction, unprocessable};
use crate::state::App;
use crate::util;

/// The answer of one card write: status and body, stored under its `RequestID`.
pub(super) fn answer(status: StatusCode, body: Value) -> (u16, String) {
    (status.as_u16(), body.to_string())
}

pub(super) fn respond((status, body): &(u16, String)) -> Response {
    let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body.clone(),
    )
        .into_response()
}

/// `POST /gateway/transactions/{kind}` (routed next to `GET /gateway/transactions/{uid}`).
pub(super) async fn create(
    State(app): State<App>,
    headers: HeaderMap,
    Path(kind): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(resp) = authorize(&app, &headers) {
        return resp;
    }
    let singular = match kind.as_str() {
        "payments" => "payment",
        "authorizations" => "authorization",
        "captures" => "capture",
        "voids" => "void",
        "refunds" => "refund",
        "credits" => "credit",
        "tokenizations" => "tokenization",
        _ => return super::not_found("Route not found"),
    };
    let request_id = headers
        .get("requestid")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(id) = &request_id
        && let Some(first) = app.lock().begateway.request_ids.get(id).cloned()
    {
        return respond(&first);
    }
    let request = match serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("request").and_then(Value::as_object).cloned())
    {
        Some(r) => r,
        None => {
            let mut errors = Errors::new();
            add(&mut errors, "request", "is missing");
            return unprocessable(&errors);
        }
    };
    let (outcome, notify) = {
        let mut st = app.lock();
        let outcome = match singular {
            "payment" | "authorization" | "tokenization" => {
                charge(&mut st.begateway, singular, &request)
            }
            "credit" => credit(&mut st.begateway, &request),
            _ => follow_up(&mut st.begateway, singular, &request),
        };
        let (stored, notify) = match outcome {
            Ok((mut tx, url)) => {
                // A 3-D Secure card: `incomplete` with the challenge page; notified once the
                // challenge is completed.
                let url = if tx.status == "incomplete" {
                    tx.redirect_url =
                        Some(format!("{}/begateway/gateway/3ds/{}", app.base_url, tx.uid));
                    None
                } else {
                    url
                };
                let body = json!({ "transaction": tx.to_json() });
                st.begateway.transactions.push(tx.clone());
                (answer(StatusCode::OK, body), url.map(|u| (u, tx)))
            }
            Err(errors) => {
                let message = errors
                    .iter()
                    .flat_map(|(f, msgs)| msgs.iter().map(move |m| format!("{f} {m}")))
                    .collect::<Vec<_>>()
                    .join(". ");
                (
                    answer(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        json!({ "message": message, "errors": errors }),
                    ),
                    None,
                )
            }
        };
        if let Some(id) = request_id {
            st.begateway.request_ids.insert(id, stored.clone());
        }
        (stored, notify)
    };
    if let Some((url, tx)) = notify {
        notify_transaction(&app, &url, &tx).await;
    }
    respond(&outcome)
}

type Outcome = Result<(Transaction, Option<String>), Errors>;

/// The test card that asks for a 3-D Secure challenge (the number of beGateway's 3-D Secure
/// test card; inferred): its payment or authorization is `incomplete` with a `redirect_url`
/// to the challenge page until the customer completes (or fails) it there.
pub(super) const THREE_DS_CARD: &str = "4012001037141112";

/// `GET /gateway/3ds/{uid}`: the challenge page of an `incomplete` transaction.
pub(super) async fn challenge_page(State(app): State<App>, Path(uid): Path<String>) -> Response {
    let st = app.lock();
    let Some(tx) = st
        .begateway
        .transactions
        .iter()
        .find(|t| t.uid == uid && t.status == "incomplete")
    else {
        return crate::pages::error_page(
            StatusCode::GONE,
            "No challenge",
            "This transaction has no 3-D Secure challenge pending.",
        );
    };
    let exponent = crate::currency::exponent(&tx.currency).unwrap_or(2);
    crate::pages::payment_page(&crate::pages::PaymentPage {
        provider: "beGateway 3-D Secure",
        title: &tx.description,
        amount: &format!(
            "{} {}",
            util::format_minor(tx.amount, exponent),
            tx.currency
        ),
        details: vec![
            ("Transaction", tx.uid.clone()),
            ("Order", tx.tracking_id.clone()),
        ],
        hidden: Vec::new(),
        pay_label: "Complete 3-D Secure",
    })
}

/// `POST /gateway/3ds/{uid}` (`decision=pay|decline`): completes the challenge — the
/// transaction becomes `successful` or `failed`, is notified (signed), and the customer is sent
/// to the `return_url` with `uid` and `status`.
pub(super) async fn challenge_submit(
    State(app): State<App>,
    Path(uid): Path<String>,
    form: Result<
        axum::extract::Form<crate::pages::DecisionForm>,
        axum::extract::rejection::FormRejection,
    >,
) -> Response {
    let Some(decision) = form.ok().and_then(|axum::extract::Form(f)| f.decision()) else {
        return crate::pages::bad_decision();
    };
    let tx = {
        let mut st = app.lock();
        let Some(tx) = st
            .begateway
            .transactions
            .iter_mut()
            .find(|t| t.uid == uid && t.status == "incomplete")
        else {
            return crate::pages::error_page(
                StatusCode::GONE,
                "No challenge",
                "This transaction has no 3-D Secure challenge pending.",
            );
        };
        let passed = decision == crate::pages::Decision::Pay;
        tx.status = if passed { "successful" } else { "failed" };
        tx.message = if passed {
            "Successfully processed"
        } else {
            "3-D Secure authentication failed"
        };
        if passed {
            tx.auth_code = Some(util::random_digits(6));
            tx.rrn = Some(util::random_digits(12));
        }
        tx.clone()
    };
    if let Some(url) = &tx.notification_url {
        notify_transaction(&app, url, &tx).await;
    }
    match tx.return_url.as_deref().and_then(util::http_url) {
        Some(mut url) => {
            url.query_pairs_mut()
                .append_pair("uid", &tx.uid)
                .append_pair("status", tx.status);
            util::see_other(url.as_str())
        }
        None => crate::pages::result_page(
            "3-D Secure complete",
            &format!("Transaction {} is {}.", tx.uid, tx.status),
        ),
    }
}

fn text(request: &Map<String, Value>, field: &str, errors: &mut Errors) -> String {
    match request.get(field).and_then(Value::as_str) {
        Some(s) if !s.trim().is_empty() => s.to_owned(),
        _ => {
            add(errors, field, "can't be blank");
            String::new()
        }
    }
}

fn amount(request: &Map<String, Value>, errors: &mut Errors) -> i64 {
    match request.get("amount").and_then(util::int_or_string) {
        Some(a) if a > 0 => a,
        _ => {
            add(errors, "amount", "must be greater than 0");
            0
        }
    }
}

fn charge(store: &mut super::Store, kind: &str, request: &Map<String, Value>) -> Outcome {
    let mut errors = Errors::new();
    let amount = amount(request, &mut errors);
    let currency = text(request, "currency", &mut errors);
    let description = text(request, "description", &mut errors);
    let tracking_id = request
        .get("tracking_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let card = request.get("credit_card").and_then(Value::as_object);
    let mut three_ds = false;
    let approved = match card {
        // A tokenization saves card data: a token is not a card to save.
        Some(c) if kind == "tokenization" && c.get("number").is_none() => {
            add(&mut errors, "credit_card.number", "can't be blank");
            false
        }
        Some(c) if c.get("token").is_some() => {
            let token = c.get("token").and_then(Value::as_str).unwrap_or_default();
            if token == super::CARD_TOKEN
                || store.transactions.iter().any(|t| t.token == token)
                || store.card_tokens.iter().any(|c| c.token == token)
            {
                true
            } else {
                add(&mut errors, "credit_card.token", "is invalid");
                false
            }
        }
        Some(c) => {
            let number = c.get("number").and_then(Value::as_str).unwrap_or_default();
            if number.len() < 12 || !number.bytes().all(|b| b.is_ascii_digit()) {
                add(&mut errors, "credit_card.number", "is invalid");
            }
            if c.get("verification_value")
                .and_then(Value::as_str)
                .is_none()
            {
                add(
                    &mut errors,
                    "credit_card.verification_value",
                    "can't be blank",
                );
            }
            three_ds = number == THREE_DS_CARD && kind != "tokenization";
            number == "4200000000000000" || three_ds
        }
        None => {
            add(&mut errors, "credit_card", "can't be blank");
            false
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let test = request
        .get("test")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let tx = Transaction {
        uid: next_uid(store),
        status: if three_ds {
            "incomplete"
        } else if approved {
            "successful"
        } else {
            "failed"
        },
        message: if three_ds {
            "Authentication required"
        } else if approved {
            "Successfully processed"
        } else {
            "Payment was declined"
        },
        amount,
        currency,
        description,
        kind: kind.to_owned(),
        tracking_id,
        test,
        language: "en".to_owned(),
        created: util::now(),
        auth_code: (approved && !three_ds).then(|| util::random_digits(6)),
        rrn: (approved && !three_ds).then(|| util::random_digits(12)),
        product_id: String::new(),
        token: util::random_hex::<32>(),
        parent_uid: None,
        captured: 0,
        refunded: 0,
        voided: false,
        notification_url: request
            .get("notification_url")
            .and_then(Value::as_str)
            .map(str::to_owned),
        return_url: request
            .get("return_url")
            .and_then(Value::as_str)
            .map(str::to_owned),
        redirect_url: None,
    };
    let url = tx.notification_url.clone();
    Ok((tx, url))
}

/// A credit (payout) to a card token: the sandbox's card token, a saved card's, or one a
/// transaction reported; anything else is a 422 naming `credit_card.token`.
fn credit(store: &mut super::Store, request: &Map<String, Value>) -> Outcome {
    let mut errors = Errors::new();
    let amount = amount(request, &mut errors);
    let currency = text(request, "currency", &mut errors);
    let description = text(request, "description", &mut errors);
    let token = request
        .get("credit_card")
        .and_then(|c| c.get("token"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if token.is_empty() {
        add(&mut errors, "credit_card.token", "can't be blank");
    } else if token != super::CARD_TOKEN
        && !store.transactions.iter().any(|t| t.token == token)
        && !store.card_tokens.iter().any(|c| c.token == token)
    {
        add(&mut errors, "credit_card.token", "is invalid");
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let tx = Transaction {
        uid: next_uid(store),
        status: "successful",
        message: "Credit was approved",
        amount,
        currency,
        description,
        kind: "credit".to_owned(),
        tracking_id: request
            .get("tracking_id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        test: request
            .get("test")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        language: request
            .get("language")
            .and_then(Value::as_str)
            .unwrap_or("en")
            .to_owned(),
        created: util::now(),
        auth_code: Some(util::random_digits(6)),
        rrn: Some(util::random_digits(12)),
        product_id: String::new(),
        token,
        parent_uid: None,
        captured: 0,
        refunded: 0,
        voided: false,
        notification_url: request
            .get("notification_url")
            .and_then(Value::as_str)
            .map(str::to_owned),
        return_url: None,
        redirect_url: None,
    };
    let url = tx.notification_url.clone();
    Ok((tx, url))
}

fn follow_up(store: &mut super::Store, kind: &str, request: &Map<String, Value>) -> Outcome {
    let mut errors = Errors::new();
    let parent_uid = text(request, "parent_uid", &mut errors);
    let amount = amount(request, &mut errors);
    if kind == "refund" && request.get("reason").and_then(Value::as_str).is_none() {
        add(&mut errors, "reason", "can't be blank");
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some(parent) = store.transactions.iter_mut().find(|t| t.uid == parent_uid) else {
        add(&mut errors, "parent_uid", "is not found");
        return Err(errors);
    };
    let successful = parent.status == "successful";
    let remaining = parent.amount - parent.captured - parent.refunded;
    match kind {
        "capture" | "void" if parent.kind != "authorization" || !successful => {
            add(
                &mut errors,
                "parent_uid",
                "is not a successful authorization",
            );
        }
        "capture" | "void" if parent.voided => add(&mut errors, "parent_uid", "is voided"),
        "void" if parent.captured > 0 => add(&mut errors, "parent_uid", "is already captured"),
        "refund" if !(successful && (parent.kind == "payment" || parent.kind == "capture")) => {
            add(
                &mut errors,
                "parent_uid",
                "is not a successful payment or capture",
            );
        }
        _ => {}
    }
    if errors.is_empty() && kind != "void" && amount > remaining {
        add(
            &mut errors,
            "amount",
            &format!("must be less than or equal to {remaining}"),
        );
    }
    if kind == "void" && errors.is_empty() && amount != parent.amount {
        add(&mut errors, "amount", "must be the authorized amount");
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    match kind {
        "capture" => parent.captured += amount,
        "refund" => parent.refunded += amount,
        _ => parent.voided = true,
    }
    let parent = parent.clone();
    let tx = Transaction {
        uid: next_uid(store),
        status: "successful",
        message: "Successfully processed",
        amount,
        currency: parent.currency.clone(),
        description: parent.description.clone(),
        kind: kind.to_owned(),
        tracking_id: parent.tracking_id.clone(),
        test: parent.test,
        language: parent.language.clone(),
        created: util::now(),
        auth_code: None,
        rrn: Some(util::random_digits(12)),
        product_id: parent.product_id.clone(),
        token: parent.token.clone(),
        parent_uid: Some(parent.uid),
        captured: 0,
        refunded: 0,
        voided: false,
        notification_url: parent.notification_url,
        return_url: None,
        redirect_url: None,
    };
    let url = tx.notification_url.clone();
    Ok((tx, url))
}
