//! Hosted checkouts: `POST /checkout/ctp/api/checkouts` (`{"checkout": {...}}` →
//! `{"checkout": {"token", "redirect_url"}}`), `GET /checkout/ctp/api/checkouts/{token}`, and
//! the hosted page `GET|POST /checkout/v2/checkout?token=…` (Pay / Decline). Paying creates a
//! transaction, notifies it (signed) to `settings.notification_url`, marks the checkout
//! finished, and sends the customer to `success_url` / `decline_url` with `token`, `uid` and
//! `status` appended.
//!
//! 3-D Secure: the page pays with a card number (`card_number`, `4200000000000000` unless
//! given; the page also has a button for the 3-D Secure test card `4012001037141112`). That
//! card makes the checkout's transaction `incomplete` with a `redirect_url` to the challenge
//! page (`/gateway/3ds/{uid}`, pass / fail); the checkout stays unfinished until the challenge
//! is completed, then `GET /checkout/v2/checkout/return` finishes it and sends the customer on
//! to `success_url` / `decline_url` like a direct payment.

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::{Errors, Transaction, add, authorize, next_uid, notify_transaction, unprocessable};
use crate::currency;
use crate::pages::{self, Decision, DecisionForm};
use crate::state::App;
use crate::util;

/// A checkout as the sandbox keeps it.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct CheckoutRec {
    token: String,
    transaction_type: String,
    amount: i64,
    currency: String,
    description: String,
    tracking_id: String,
    test: bool,
    notification_url: Option<String>,
    success_url: Option<String>,
    decline_url: Option<String>,
    fail_url: Option<String>,
    finished: bool,
    status: Option<String>,
    uid: Option<String>,
}

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/checkout/ctp/api/checkouts", post(create))
        .route("/checkout/ctp/api/checkouts/{token}", get(query))
        .route("/checkout/v2/checkout", get(page).post(submit))
        .route("/checkout/v2/checkout/return", get(challenge_return))
}

/// The hosted page's form: the decision, and the card number typed (or the test-card button's).
#[derive(serde::Deserialize)]
struct CheckoutForm {
    decision: String,
    #[serde(default)]
    card_number: Option<String>,
}

/// The card the hosted page pays with when none is typed (approved).
const DEFAULT_CARD: &str = "4200000000000000";

#[derive(serde::Deserialize)]
struct TokenQuery {
    #[serde(default)]
    token: Option<String>,
}

async fn create(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(resp) = authorize(&app, &headers) {
        return resp;
    }
    let Some(c) = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("checkout").cloned())
    else {
        return util::json(
            StatusCode::OK,
            json!({"checkout": {"status": "error", "message": "checkout is missing"}}),
        );
    };
    let mut errors = Errors::new();
    let kind = c
        .get("transaction_type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if !["payment", "authorization", "tokenization"].contains(&kind.as_str()) {
        add(
            &mut errors,
            "transaction_type",
            "is not included in the list",
        );
    }
    let order = c.get("order").cloned().unwrap_or_default();
    let amount = order.get("amount").and_then(util::int_or_string);
    if amount.is_none_or(|a| a < 0) {
        add(
            &mut errors,
            "order.amount",
            "must be greater than or equal to 0",
        );
    }
    let currency = order
        .get("currency")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if currency::exponent(&currency).is_none() {
        add(&mut errors, "order.currency", "is invalid");
    }
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let description = text(&order, "description").unwrap_or_default();
    if description.trim().is_empty() {
        add(&mut errors, "order.description", "can't be blank");
    }
    if !errors.is_empty() {
        return unprocessable(&errors);
    }
    let settings = c.get("settings").cloned().unwrap_or_default();
    let token = util::random_hex::<32>();
    let rec = CheckoutRec {
        token: token.clone(),
        transaction_type: kind,
        amount: amount.unwrap_or_default(),
        currency,
        description,
        tracking_id: text(&order, "tracking_id").unwrap_or_default(),
        test: c.get("test").and_then(Value::as_bool).unwrap_or(false),
        notification_url: text(&settings, "notification_url"),
        success_url: text(&settings, "success_url"),
        decline_url: text(&settings, "decline_url"),
        fail_url: text(&settings, "fail_url"),
        finished: false,
        status: None,
        uid: None,
    };
    app.lock().begateway.checkouts.push(rec);
    let redirect = format!(
        "{}/begateway/checkout/v2/checkout?token={token}",
        app.base_url
    );
    util::json(
        StatusCode::CREATED,
        json!({"checkout": {"token": token, "redirect_url": redirect}}),
    )
}

fn to_json(rec: &CheckoutRec, tx: Option<&Transaction>) -> Value {
    let mut checkout = json!({
        "token": rec.token,
        "transaction_type": rec.transaction_type,
        "test": rec.test,
        "finished": rec.finished,
        "order": {
            "amount": rec.amount,
            "currency": rec.currency,
            "description": rec.description,
            "tracking_id": rec.tracking_id,
        },
        "settings": {
            "notification_url": rec.notification_url,
            "success_url": rec.success_url,
            "decline_url": rec.decline_url,
            "fail_url": rec.fail_url,
        },
    });
    if let (Some(obj), Some(status)) = (checkout.as_object_mut(), &rec.status) {
        obj.insert("status".into(), Value::String(status.clone()));
    }
    if let (Some(obj), Some(tx)) = (checkout.as_object_mut(), tx) {
        obj.insert(
            "gateway_response".into(),
            json!({ (rec.transaction_type.as_str()): {
                "uid": tx.uid,
                "status": tx.status,
                "message": tx.message,
                "auth_code": tx.auth_code,
                "rrn": tx.rrn,
                "ref_id": tx.rrn,
                "bank_code": "05",
                "gateway_id": 1,
                "billing_descriptor": "SANDBOX SHOP",
                "redirect_url": if tx.status == "incomplete" { tx.redirect_url.clone() } else { None },
            }}),
        );
    }
    checkout
}

async fn query(State(app): State<App>, headers: HeaderMap, Path(token): Path<String>) -> Response {
    if let Err(resp) = authorize(&app, &headers) {
        return resp;
    }
    let st = app.lock();
    let Some(rec) = st.begateway.checkouts.iter().find(|c| c.token == token) else {
        return super::not_found("Record not found");
    };
    let tx = rec
        .uid
        .as_ref()
        .and_then(|uid| st.begateway.transactions.iter().find(|t| &t.uid == uid));
    util::json(StatusCode::OK, json!({ "checkout": to_json(rec, tx) }))
}

fn unknown_checkout() -> Response {
    pages::error_page(
        StatusCode::NOT_FOUND,
        "Checkout not found",
        "This checkout token is unknown.",
    )
}

async fn page(State(app): State<App>, Query(q): Query<TokenQuery>) -> Response {
    let st = app.lock();
    let Some(rec) = q.token.and_then(|t| {
        st.begateway
            .checkouts
            .iter()
            .find(|c| c.token == t)
            .cloned()
    }) else {
        return unknown_checkout();
    };
    if rec.finished {
        return pages::error_page(
            StatusCode::GONE,
            "Checkout finished",
            "This checkout is finished.",
        );
    }
    // A payment waiting for its 3-D Secure challenge: back to the challenge.
    if let Some(challenge) = rec.uid.as_ref().and_then(|uid| {
        st.begateway
            .transactions
            .iter()
            .find(|t| &t.uid == uid && t.status == "incomplete")
            .and_then(|t| t.redirect_url.clone())
    }) {
        return util::see_other(&challenge);
    }
    let exponent = currency::exponent(&rec.currency).unwrap_or(2);
    let amount = format!(
        "{} {}",
        util::format_minor(rec.amount, exponent),
        rec.currency
    );
    checkout_page(&rec, &amount)
}

/// The hosted checkout page: the order, a card number field with Pay, a Pay button for the
/// 3-D Secure test card, and Decline. Plain HTML forms posting to the page's own URL.
fn checkout_page(rec: &CheckoutRec, amount: &str) -> Response {
    use pages::escape;
    let test = if rec.test {
        "<dt>Test</dt><dd>yes</dd>"
    } else {
        ""
    };
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>beGateway – {title}</title>\n<style>\n\
         body{{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;padding:2rem;color:#222}}\n\
         main{{max-width:28rem;margin:0 auto;background:#fff;border-radius:8px;padding:1.5rem 2rem;box-shadow:0 1px 4px #0002}}\n\
         .sandbox{{font-size:.75rem;color:#a15c00;text-transform:uppercase;letter-spacing:.05em}}\n\
         .amount{{font-size:2rem;font-weight:600;margin:.5rem 0 1rem}}\n\
         dl{{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}} dt{{color:#666}} dd{{margin:0}}\n\
         form{{margin:.75rem 0 0}} input{{font-size:1rem;padding:.4rem;width:14rem}}\n\
         button{{font-size:1rem;padding:.6rem 1.4rem;border-radius:6px;border:0;cursor:pointer}}\n\
         #pay,#pay-3ds{{background:#1a7f37;color:#fff}} #decline{{background:#ddd;color:#222}}\n\
         </style>\n</head>\n<body>\n<main>\n\
         <p class=\"sandbox\">beGateway &middot; local sandbox, no real money</p>\n\
         <h1 id=\"title\">{title}</h1>\n\
         <p class=\"amount\" id=\"amount\">{amount}</p>\n\
         <dl>\n<dt>Order</dt><dd>{order}</dd>\n<dt>Type</dt><dd>{kind}</dd>\n{test}</dl>\n\
         <form method=\"post\"><input type=\"hidden\" name=\"decision\" value=\"pay\">\
         <label>Card number <input id=\"card_number\" name=\"card_number\" value=\"{default_card}\" \
         inputmode=\"numeric\" autocomplete=\"cc-number\"></label> \
         <button type=\"submit\" id=\"pay\">Pay</button></form>\n\
         <form method=\"post\"><input type=\"hidden\" name=\"decision\" value=\"pay\">\
         <input type=\"hidden\" name=\"card_number\" value=\"{three_ds}\">\
         <button type=\"submit\" id=\"pay-3ds\">Pay with the 3-D Secure test card</button></form>\n\
         <form method=\"post\"><input type=\"hidden\" name=\"decision\" value=\"decline\">\
         <button type=\"submit\" id=\"decline\">Decline</button></form>\n\
         </main>\n</body>\n</html>\n",
        title = escape(&rec.description),
        amount = escape(amount),
        order = escape(&rec.tracking_id),
        kind = escape(&rec.transaction_type),
        default_card = DEFAULT_CARD,
        three_ds = super::card::THREE_DS_CARD,
    );
    axum::response::Html(body).into_response()
}

async fn submit(
    State(app): State<App>,
    Query(q): Query<TokenQuery>,
    form: Result<Form<CheckoutForm>, FormRejection>,
) -> Response {
    let Some((decision, card)) = form.ok().and_then(|Form(f)| {
        let decision = DecisionForm {
            decision: f.decision,
            tracking_id: None,
        }
        .decision()?;
        Some((decision, f.card_number))
    }) else {
        return pages::bad_decision();
    };
    let card = card
        .map(|c| c.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| DEFAULT_CARD.to_owned());
    let three_ds = decision == Decision::Pay && card == super::card::THREE_DS_CARD;
    let (tx, rec) = {
        let mut st = app.lock();
        let uid = next_uid(&st.begateway);
        let Some(rec) = q
            .token
            .and_then(|t| st.begateway.checkouts.iter_mut().find(|c| c.token == t))
        else {
            return unknown_checkout();
        };
        if rec.finished || rec.status.as_deref() == Some("incomplete") {
            return pages::error_page(
                StatusCode::GONE,
                "Checkout finished",
                "This checkout is finished.",
            );
        }
        let paid = decision == Decision::Pay && (card == DEFAULT_CARD || three_ds);
        let challenge = format!("{}/begateway/gateway/3ds/{uid}", app.base_url);
        let tx = Transaction {
            uid,
            status: if three_ds {
                "incomplete"
            } else if paid {
                "successful"
            } else {
                "failed"
            },
            message: if three_ds {
                "Authentication required"
            } else if paid {
                "Successfully processed"
            } else {
                "Payment was declined"
            },
            amount: rec.amount,
            currency: rec.currency.clone(),
            description: rec.description.clone(),
            kind: rec.transaction_type.clone(),
            tracking_id: rec.tracking_id.clone(),
            test: rec.test,
            language: "en".to_owned(),
            created: util::now(),
            auth_code: (paid && !three_ds).then(|| util::random_digits(6)),
            rrn: (paid && !three_ds).then(|| util::random_digits(12)),
            product_id: String::new(),
            token: util::random_hex::<32>(),
            parent_uid: None,
            captured: 0,
            refunded: 0,
            voided: false,
            notification_url: rec.notification_url.clone(),
            // After the challenge, the customer comes back here to finish the checkout.
            return_url: three_ds.then(|| {
                format!(
                    "{}/begateway/checkout/v2/checkout/return?token={}",
                    app.base_url, rec.token
                )
            }),
            redirect_url: three_ds.then_some(challenge),
        };
        if three_ds {
            // Not finished, not notified: the challenge decides.
            rec.status = Some(tx.status.to_owned());
            rec.uid = Some(tx.uid.clone());
            let target = tx.redirect_url.clone().unwrap_or_default();
            st.begateway.transactions.push(tx);
            return util::see_other(&target);
        }
        rec.finished = true;
        rec.status = Some(tx.status.to_owned());
        rec.uid = Some(tx.uid.clone());
        let rec = rec.clone();
        st.begateway.transactions.push(tx.clone());
        (tx, rec)
    };
    if let Some(url) = &rec.notification_url {
        notify_transaction(&app, url, &tx).await;
    }
    send_back(&rec, &tx)
}

/// `GET /checkout/v2/checkout/return?token=…`: where the 3-D Secure challenge sends the
/// customer. Finishes the checkout with its transaction's result (read from the sandbox, not
/// from the query) and sends the customer to `success_url` / `decline_url`.
async fn challenge_return(State(app): State<App>, Query(q): Query<TokenQuery>) -> Response {
    let (rec, tx) = {
        let mut st = app.lock();
        let found = q.token.as_ref().and_then(|t| {
            let rec = st.begateway.checkouts.iter().find(|c| &c.token == t)?;
            let uid = rec.uid.clone()?;
            st.begateway
                .transactions
                .iter()
                .find(|t| t.uid == uid)
                .cloned()
        });
        let Some(tx) = found else {
            return unknown_checkout();
        };
        if tx.status == "incomplete" {
            return pages::error_page(
                StatusCode::CONFLICT,
                "3-D Secure pending",
                "The 3-D Secure challenge of this checkout is not completed.",
            );
        }
        let Some(rec) = q
            .token
            .and_then(|t| st.begateway.checkouts.iter_mut().find(|c| c.token == t))
        else {
            return unknown_checkout();
        };
        rec.finished = true;
        rec.status = Some(tx.status.to_owned());
        (rec.clone(), tx)
    };
    send_back(&rec, &tx)
}

/// Sends the customer to the checkout's `success_url` (a successful transaction) or
/// `decline_url` / `fail_url` with `token`, `uid` and `status`, or shows the result.
fn send_back(rec: &CheckoutRec, tx: &Transaction) -> Response {
    let paid = tx.status == "successful";
    let target = if paid {
        rec.success_url.as_ref()
    } else {
        rec.decline_url.as_ref().or(rec.fail_url.as_ref())
    };
    match target.and_then(|u| util::http_url(u)) {
        Some(mut url) => {
            url.query_pairs_mut()
                .append_pair("token", &rec.token)
                .append_pair("uid", &tx.uid)
                .append_pair("status", tx.status);
            util::see_other(url.as_str())
        }
        None => pages::result_page(
            if paid {
                "Payment successful"
            } else {
                "Payment declined"
            },
            &format!("Transaction {} is {}.", tx.uid, tx.status),
        ),
    }
}
