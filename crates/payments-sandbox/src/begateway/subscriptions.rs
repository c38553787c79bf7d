//! Plans and subscriptions on the API host, in the shapes the crate reads (documented fields;
//! answer shapes inferred, see `docs/providers/begateway.md#plans-and-subscriptions`):
//!
//! - `POST /api/plans` `{test, title, currency, plan{amount, interval, interval_unit}}` → 201,
//!   the plan with an `id` (`pln_` + 16 hex); 422 naming the field otherwise;
//! - `POST /api/subscriptions` `{plan{id}, tracking_id, notification_url?, return_url?,
//!   customer?}` → 201, the subscription (`sbs_` + 16 hex) in `state` `active` with its plan;
//!   an unknown plan is a 422 naming `plan.id`;
//! - `GET /api/subscriptions/{id}` → 200 or 404;
//! - `POST /api/subscriptions/{id}/cancel` → 200, `state` `canceled`, and a signed
//!   notification of the subscription to its `notification_url`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use super::{Errors, add, authorize, not_found, parse_object, unprocessable};
use crate::state::App;
use crate::util;

/// A plan, as created.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct PlanRec {
    id: String,
    body: Value,
}

/// A subscription.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct SubscriptionRec {
    id: String,
    state: String,
    tracking_id: String,
    plan: Value,
    notification_url: Option<String>,
    created_at: String,
}

impl SubscriptionRec {
    fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "state": self.state,
            "tracking_id": self.tracking_id,
            "plan": self.plan,
            "created_at": self.created_at,
        })
    }
}

fn positive_int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64().filter(|n| *n > 0),
        Value::String(s) => s.parse().ok().filter(|n: &i64| *n > 0),
        _ => None,
    }
}

fn plan_errors(p: &Map<String, Value>) -> Errors {
    let mut errors = Errors::new();
    if p.get("title")
        .and_then(Value::as_str)
        .is_none_or(|t| t.trim().is_empty())
    {
        add(&mut errors, "title", "can't be blank");
    }
    if p.get("currency")
        .and_then(Value::as_str)
        .is_none_or(|c| c.len() != 3 || !c.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        add(&mut errors, "currency", "is unknown ISO 4217 Alpha-3 code");
    }
    let terms = p.get("plan").and_then(Value::as_object);
    if positive_int(terms.and_then(|t| t.get("amount"))).is_none() {
        add(&mut errors, "plan.amount", "must be greater than 0");
    }
    if positive_int(terms.and_then(|t| t.get("interval"))).is_none() {
        add(&mut errors, "plan.interval", "must be greater than 0");
    }
    if terms
        .and_then(|t| t.get("interval_unit"))
        .and_then(Value::as_str)
        .is_none_or(|u| !matches!(u, "hour" | "day" | "month"))
    {
        add(
            &mut errors,
            "plan.interval_unit",
            "is not included in the list",
        );
    }
    errors
}

/// `POST /api/plans`.
pub(super) async fn create_plan(
    State(app): State<App>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(resp) = authorize(&app, &headers) {
        return resp;
    }
    let p = match parse_object(&body) {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let errors = plan_errors(&p);
    if !errors.is_empty() {
        return unprocessable(&errors);
    }
    let id = format!("pln_{}", util::random_hex::<8>());
    let mut answer = p.clone();
    answer.insert("id".into(), json!(id));
    answer.insert(
        "test".into(),
        json!(p.get("test").and_then(Value::as_bool).unwrap_or(false)),
    );
    answer.insert("created_at".into(), json!(util::iso_millis(util::now())));
    let body = Value::Object(answer);
    app.lock().begateway.plans.push(PlanRec {
        id,
        body: body.clone(),
    });
    util::json(StatusCode::CREATED, body)
}

/// `POST /api/subscriptions`.
pub(super) async fn create_subscription(
    State(app): State<App>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(resp) = authorize(&app, &headers) {
        return resp;
    }
    let s = match parse_object(&body) {
        Ok(s) => s,
        Err(resp) => return resp,
    };
    let mut errors = Errors::new();
    let plan_id = s
        .get("plan")
        .and_then(|p| p.get("id"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let tracking_id = s
        .get("tracking_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut st = app.lock();
    let plan = st
        .begateway
        .plans
        .iter()
        .find(|p| p.id == plan_id)
        .map(|p| p.body.clone());
    if plan.is_none() {
        add(&mut errors, "plan.id", "is invalid");
    }
    if tracking_id.trim().is_empty() {
        add(&mut errors, "tracking_id", "can't be blank");
    }
    let notification_url = s
        .get("notification_url")
        .and_then(Value::as_str)
        .map(str::to_owned);
    match plan {
        Some(plan) if errors.is_empty() => {
            let rec = SubscriptionRec {
                id: format!("sbs_{}", util::random_hex::<8>()),
                state: "active".to_owned(),
                tracking_id,
                plan,
                notification_url,
                created_at: util::iso_millis(util::now()),
            };
            let body = rec.to_json();
            st.begateway.subscriptions.push(rec);
            util::json(StatusCode::CREATED, body)
        }
        _ => unprocessable(&errors),
    }
}

/// `GET /api/subscriptions/{id}`.
pub(super) async fn get_subscription(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(resp) = authorize(&app, &headers) {
        return resp;
    }
    let st = app.lock();
    match st.begateway.subscriptions.iter().find(|s| s.id == id) {
        Some(s) => util::json(StatusCode::OK, s.to_json()),
        None => not_found("Record not found"),
    }
}

/// `POST /api/subscriptions/{id}/cancel`.
pub(super) async fn cancel_subscription(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(resp) = authorize(&app, &headers) {
        return resp;
    }
    let found = {
        let mut st = app.lock();
        st.begateway
            .subscriptions
            .iter_mut()
            .find(|s| s.id == id)
            .map(|s| {
                s.state = "canceled".to_owned();
                s.clone()
            })
    };
    let Some(rec) = found else {
        return not_found("Record not found");
    };
    if let Some(url) = &rec.notification_url {
        notify(&app, url, &rec).await;
    }
    util::json(StatusCode::OK, rec.to_json())
}

/// Posts the subscription to `url` as beGateway posts a notification: Basic credentials and
/// `Content-Signature` over the body (the subscription itself).
async fn notify(app: &App, url: &str, rec: &SubscriptionRec) {
    let body = rec.to_json().to_string().into_bytes();
    let creds = &app.creds.begateway;
    let mut headers = vec![(
        "Authorization",
        format!(
            "Basic {}",
            STANDARD.encode(format!("{}:{}", creds.shop_id, creds.secret_key))
        ),
    )];
    if let Some(sig) = app.keys.sign_begateway(&body) {
        headers.push(("Content-Signature", STANDARD.encode(sig)));
    }
    crate::notify::deliver(app, "begateway", url, body, headers).await;
}
