//! Hosted checkouts: `POST /checkout/ctp/api/checkouts` (`{"checkout": {...}}` →
//! `{"checkout": {"token", "redirect_url"}}`), `GET /checkout/ctp/api/checkouts/{token}`, and
//! the hosted page `GET|POST /checkout/v2/checkout?token=…` (Pay / Decline). Paying creates a
//! transaction, notifies it (signed) to `settings.notification_url`, marks the checkout
//! finished, and sends the customer to `success_url` / `decline_url` with `token`, `uid` and
//! `status` appended.

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
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
}

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
    let exponent = currency::exponent(&rec.currency).unwrap_or(2);
    pages::payment_page(&pages::PaymentPage {
        provider: "beGateway",
        title: &rec.description,
        amount: &format!(
            "{} {}",
            util::format_minor(rec.amount, exponent),
            rec.currency
        ),
        details: vec![
            ("Order", rec.tracking_id.clone()),
            ("Type", rec.transaction_type.clone()),
            (
                "Test",
                if rec.test {
                    "yes".into()
                } else {
                    String::new()
                },
            ),
        ],
        hidden: Vec::new(),
        pay_label: "Pay",
    })
}

async fn submit(
    State(app): State<App>,
    Query(q): Query<TokenQuery>,
    form: Result<Form<DecisionForm>, FormRejection>,
) -> Response {
    let Some(decision) = form.ok().and_then(|Form(f)| f.decision()) else {
        return pages::bad_decision();
    };
    let (tx, rec) = {
        let mut st = app.lock();
        let uid = next_uid(&st.begateway);
        let Some(rec) = q
            .token
            .and_then(|t| st.begateway.checkouts.iter_mut().find(|c| c.token == t))
        else {
            return unknown_checkout();
        };
        if rec.finished {
            return pages::error_page(
                StatusCode::GONE,
                "Checkout finished",
                "This checkout is finished.",
            );
        }
        let paid = decision == Decision::Pay;
        let tx = Transaction {
            uid,
            status: if paid { "successful" } else { "failed" },
            message: if paid {
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
            auth_code: paid.then(|| util::random_digits(6)),
            rrn: paid.then(|| util::random_digits(12)),
            product_id: String::new(),
            token: util::random_hex::<32>(),
            parent_uid: None,
            captured: 0,
            refunded: 0,
            voided: false,
            notification_url: rec.notification_url.clone(),
            return_url: None,
            redirect_url: None,
        };
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
    let target = match decision {
        Decision::Pay => rec.success_url.as_ref(),
        Decision::Decline => rec.decline_url.as_ref().or(rec.fail_url.as_ref()),
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
            if decision == Decision::Pay {
                "Payment successful"
            } else {
                "Payment declined"
            },
            &format!("Transaction {} is {}.", tx.uid, tx.status),
        ),
    }
}
