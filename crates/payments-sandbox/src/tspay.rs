//! TS Pay: pay links, save-a-source links, charge outcome, HMAC webhooks.
//!
//! Routes, under `/tspay` (both documented path generations):
//! `POST /{itemId}/link2pay`, `POST /{itemId}/link2save`, `GET /{itemId}/charges/orders/{orderKey}`,
//! `POST /orders/link2pay`, `POST /orders/link2save`, `GET /charges/orders/{orderKey}`,
//! `POST|GET /notification/webhook`, `GET /auth`, `GET|POST /pay/{orderKey}` (hosted page),
//! `POST /auth/api-key` (a new API key, with the AppSecret as bearer token) and
//! `GET|POST /auth/activate/{authKey}` (the key's `loginUrl`: a page with an "activate" button).
//!
//! Issued keys start in state `init` and are refused (`401 "API key not active"`) until
//! activated; then they work like the configured key.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use crate::pages::{self, Decision, DecisionForm};
use crate::state::{App, Shared};
use crate::util;

/// TS Pay's in-memory records.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Store {
    orders: HashMap<String, Order>,
    webhooks: Vec<Webhook>,
    /// API keys issued through `POST /auth/api-key`.
    #[serde(default)]
    keys: Vec<IssuedKey>,
}

/// An API key issued with the AppSecret.
#[derive(serde::Serialize, serde::Deserialize)]
struct IssuedKey {
    api_key: String,
    auth_key: String,
    /// `init` until activated, then `active`.
    active: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
enum Kind {
    Pay,
    Save,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Order {
    key: String,
    kind: Kind,
    amount: i64,
    currency: String,
    title: String,
    desc: String,
    payment_ref: String,
    callback_url: Option<String>,
    cancel_url: Option<String>,
    /// `maxPaymentsNumber` / `maxSourceNumber`; 0 = unlimited.
    max_uses: i64,
    external_ref: Option<String>,
    metadata: Value,
    charges: Vec<Charge>,
}

impl Order {
    fn exhausted(&self) -> bool {
        let used = self.charges.iter().filter(|c| c.state == "active").count();
        self.max_uses > 0 && i64::try_from(used).unwrap_or(i64::MAX) >= self.max_uses
    }
}

#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Charge {
    key: String,
    order_key: String,
    amount: i64,
    currency: String,
    #[serde(deserialize_with = "crate::persist::leak")]
    state: crate::persist::Name,
    created: OffsetDateTime,
    external_ref: Option<String>,
    metadata: Value,
}

impl Charge {
    fn to_json(&self) -> Value {
        let at = util::iso_millis(self.created);
        json!({
            "chargeKey": self.key,
            "orderKey": self.order_key,
            // A string, as in the only public mock of the API.
            "amount": self.amount.to_string(),
            "currency": self.currency,
            "state": self.state,
            "payMethod": {
                "type": "card",
                "card": {
                    "brand": "visa",
                    "last4": if self.state == "active" { "4242" } else { "0002" },
                },
            },
            "order": {
                "orderKey": self.order_key,
                "externalRef": self.external_ref,
                "metadata": self.metadata,
            },
            "createdOn": at,
            "modifiedOn": at,
        })
    }
}

/// A registered webhook endpoint.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct Webhook {
    id: String,
    event: String,
    endpoint: String,
    /// HMAC-SHA256 key for `X-Message-Hash`.
    pub secret: String,
}

impl Webhook {
    fn wants(&self, state: &str) -> bool {
        self.event == "*"
            || self.event == "tspay_charge.*"
            || self.event == "tspay_charge"
            || self.event == format!("tspay_charge.{state}")
    }
}

pub(crate) fn router() -> Router<App> {
    Router::new()
        .route("/orders/link2pay", post(link2pay_direct))
        .route("/orders/link2save", post(link2save_direct))
        .route("/charges/orders/{order}", get(charges_direct))
        .route("/{item}/link2pay", post(link2pay_item))
        .route("/{item}/link2save", post(link2save_item))
        .route("/{item}/charges/orders/{order}", get(charges_item))
        .route(
            "/notification/webhook",
            post(register_webhook).get(list_webhooks),
        )
        .route("/auth", get(auth_info))
        .route("/auth/", get(auth_info))
        .route("/auth/api-key", post(issue_key))
        .route(
            "/auth/activate/{auth_key}",
            get(activation_page).post(activate),
        )
        .route("/pay/{order}", get(pay_page).post(pay_submit))
        .fallback(fallback)
}

fn nest_error(status: StatusCode, message: Value) -> Response {
    let error = status.canonical_reason().unwrap_or("Error");
    util::json(
        status,
        json!({ "statusCode": status.as_u16(), "message": message, "error": error }),
    )
}

async fn fallback(method: Method, uri: Uri) -> Response {
    nest_error(
        StatusCode::NOT_FOUND,
        Value::String(format!("Cannot {method} {}", uri.path())),
    )
}

fn authorize(app: &App, headers: &HeaderMap, item: Option<&str>) -> Result<(), Response> {
    match util::bearer(headers) {
        util::Bearer::Token(t) if t == app.creds.tspay.api_key => {}
        util::Bearer::Token(t) => {
            let active = app
                .lock()
                .tspay
                .keys
                .iter()
                .find(|k| k.api_key == t)
                .map(|k| k.active);
            match active {
                Some(true) => {}
                Some(false) => {
                    return Err(nest_error(
                        StatusCode::UNAUTHORIZED,
                        json!("API key not active"),
                    ));
                }
                None => return Err(nest_error(StatusCode::UNAUTHORIZED, json!("Unauthorized"))),
            }
        }
        _ => return Err(nest_error(StatusCode::UNAUTHORIZED, json!("Unauthorized"))),
    }
    match item {
        Some(item) if item != app.creds.tspay.item_id => Err(nest_error(
            StatusCode::NOT_FOUND,
            json!(format!("Item {item} not found")),
        )),
        _ => Ok(()),
    }
}

fn opt_string(obj: &Map<String, Value>, key: &str, errors: &mut Vec<String>) -> Option<String> {
    match obj.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            errors.push(format!("{key} must be a string"));
            None
        }
    }
}

fn opt_url(obj: &Map<String, Value>, key: &str, errors: &mut Vec<String>) -> Option<String> {
    let s = opt_string(obj, key, errors)?;
    if util::http_url(&s).is_none() {
        errors.push(format!("{key} must be a URL address"));
        return None;
    }
    Some(s)
}

fn opt_int(obj: &Map<String, Value>, key: &str, min: i64, errors: &mut Vec<String>) -> Option<i64> {
    match obj.get(key) {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_i64() {
            Some(n) if n >= min => Some(n),
            _ => {
                errors.push(format!("{key} must be an integer not less than {min}"));
                None
            }
        },
    }
}

fn create_order(app: &App, body: &[u8], kind: Kind) -> Response {
    let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(body) else {
        return nest_error(
            StatusCode::BAD_REQUEST,
            json!(["The request body must be a JSON object"]),
        );
    };
    let mut errors = Vec::new();
    let amount = match kind {
        Kind::Pay => match obj.get("amount").and_then(Value::as_i64) {
            Some(n) if n > 0 => n,
            _ => {
                errors.push("amount must be a positive integer (euro cents)".to_owned());
                0
            }
        },
        Kind::Save => opt_int(&obj, "maxAmount", 1, &mut errors).unwrap_or(0),
    };
    let currency = opt_string(&obj, "currency", &mut errors).unwrap_or_else(|| "EUR".into());
    if currency != "EUR" {
        errors.push("currency must be one of the following values: EUR".to_owned());
    }
    let (mut title, mut desc, mut payment_ref) = (String::new(), String::new(), String::new());
    match obj.get("template") {
        None | Some(Value::Null) => {}
        Some(Value::Object(t)) => {
            title = opt_string(t, "title", &mut errors).unwrap_or_default();
            desc = opt_string(t, "desc", &mut errors).unwrap_or_default();
            payment_ref = opt_string(t, "paymentRef", &mut errors).unwrap_or_default();
            let _ = opt_string(t, "logo", &mut errors);
        }
        Some(_) => errors.push("template must be an object".to_owned()),
    }
    let callback_url = opt_url(&obj, "callbackUrl", &mut errors);
    let cancel_url = opt_url(&obj, "cancelUrl", &mut errors);
    match obj.get("sourceTypes") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => {}
        Some(_) => errors.push("sourceTypes must be an array of strings".to_owned()),
    }
    let max_key = match kind {
        Kind::Pay => "maxPaymentsNumber",
        Kind::Save => "maxSourceNumber",
    };
    let max_uses = opt_int(&obj, max_key, 0, &mut errors).unwrap_or(1);
    let external_ref = opt_string(&obj, "externalRef", &mut errors);
    let _ = opt_string(&obj, "contextId", &mut errors);
    let _ = opt_string(&obj, "langLocale", &mut errors);
    let metadata = obj.get("metadata").cloned().unwrap_or(Value::Null);
    if !errors.is_empty() {
        return nest_error(StatusCode::BAD_REQUEST, json!(errors));
    }
    let key = util::uuid_v4();
    let url = format!("{}/tspay/pay/{key}", app.base_url);
    app.lock().tspay.orders.insert(
        key.clone(),
        Order {
            key: key.clone(),
            kind,
            amount,
            currency,
            title,
            desc,
            payment_ref,
            callback_url,
            cancel_url,
            max_uses,
            external_ref,
            metadata,
            charges: Vec::new(),
        },
    );
    util::json(StatusCode::CREATED, json!({ "orderKey": key, "url": url }))
}

async fn link2pay_direct(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    match authorize(&app, &headers, None) {
        Ok(()) => create_order(&app, &body, Kind::Pay),
        Err(resp) => resp,
    }
}

async fn link2save_direct(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    match authorize(&app, &headers, None) {
        Ok(()) => create_order(&app, &body, Kind::Save),
        Err(resp) => resp,
    }
}

async fn link2pay_item(
    State(app): State<App>,
    headers: HeaderMap,
    Path(item): Path<String>,
    body: Bytes,
) -> Response {
    match authorize(&app, &headers, Some(&item)) {
        Ok(()) => create_order(&app, &body, Kind::Pay),
        Err(resp) => resp,
    }
}

async fn link2save_item(
    State(app): State<App>,
    headers: HeaderMap,
    Path(item): Path<String>,
    body: Bytes,
) -> Response {
    match authorize(&app, &headers, Some(&item)) {
        Ok(()) => create_order(&app, &body, Kind::Save),
        Err(resp) => resp,
    }
}

fn charges(app: &App, order: &str) -> Response {
    let st = app.lock();
    match st.tspay.orders.get(order) {
        Some(o) => util::json(
            StatusCode::OK,
            Value::Array(o.charges.iter().map(Charge::to_json).collect()),
        ),
        None => nest_error(StatusCode::NOT_FOUND, json!("Order not found")),
    }
}

async fn charges_direct(
    State(app): State<App>,
    headers: HeaderMap,
    Path(order): Path<String>,
) -> Response {
    match authorize(&app, &headers, None) {
        Ok(()) => charges(&app, &order),
        Err(resp) => resp,
    }
}

async fn charges_item(
    State(app): State<App>,
    headers: HeaderMap,
    Path((item, order)): Path<(String, String)>,
) -> Response {
    match authorize(&app, &headers, Some(&item)) {
        Ok(()) => charges(&app, &order),
        Err(resp) => resp,
    }
}

/// What registration returns.
pub(crate) struct Registered {
    pub id: String,
    pub secret: String,
}

/// Registers a webhook endpoint for `event` and returns its id and secret.
pub(crate) fn register(app: &Shared, event: &str, endpoint: &str) -> Registered {
    let hook = Webhook {
        id: util::uuid_v4(),
        event: event.to_owned(),
        endpoint: endpoint.to_owned(),
        secret: util::random_hex::<32>(),
    };
    let out = Registered {
        id: hook.id.clone(),
        secret: hook.secret.clone(),
    };
    app.lock().tspay.webhooks.push(hook);
    out
}

async fn register_webhook(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(resp) = authorize(&app, &headers, None) {
        return resp;
    }
    let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(&body) else {
        return nest_error(
            StatusCode::BAD_REQUEST,
            json!(["The request body must be a JSON object"]),
        );
    };
    let mut errors = Vec::new();
    let event = opt_string(&obj, "event", &mut errors).unwrap_or_else(|| "tspay_charge.*".into());
    let endpoint = opt_url(&obj, "endpoint", &mut errors);
    let Some(endpoint) = endpoint.filter(|_| errors.is_empty()) else {
        if errors.is_empty() {
            errors.push("endpoint must be a URL address".to_owned());
        }
        return nest_error(StatusCode::BAD_REQUEST, json!(errors));
    };
    let reg = register(&app, &event, &endpoint);
    util::json(
        StatusCode::CREATED,
        json!({ "id": reg.id, "event": event, "endpoint": endpoint, "secret": reg.secret }),
    )
}

async fn list_webhooks(State(app): State<App>, headers: HeaderMap) -> Response {
    if let Err(resp) = authorize(&app, &headers, None) {
        return resp;
    }
    let st = app.lock();
    let items: Vec<Value> = st
        .tspay
        .webhooks
        .iter()
        .map(|w| json!({ "id": w.id, "event": w.event, "endpoint": w.endpoint }))
        .collect();
    util::json(StatusCode::OK, Value::Array(items))
}

async fn auth_info(State(app): State<App>, headers: HeaderMap) -> Response {
    if let Err(resp) = authorize(&app, &headers, None) {
        return resp;
    }
    util::json(
        StatusCode::OK,
        json!({
            "x-auth-type": "API_KEY",
            "x-app-ref": "SBXAPP01",
            "x-merchant-ref": app.creds.tspay.merchant_ref,
        }),
    )
}

/// `POST /auth/api-key`: a new API key for the AppSecret sent as bearer token.
async fn issue_key(State(app): State<App>, headers: HeaderMap) -> Response {
    match util::bearer(&headers) {
        util::Bearer::Token(t) if t == app.creds.tspay.app_secret => {}
        _ => return nest_error(StatusCode::UNAUTHORIZED, json!("Unauthorized")),
    }
    let key = IssuedKey {
        api_key: format!("sbx_tspay_key_{}", util::random_hex::<16>()),
        auth_key: util::uuid_v4(),
        active: false,
    };
    let body = json!({
        "apiKey": key.api_key,
        "authKey": key.auth_key,
        "loginUrl": format!("{}/tspay/auth/activate/{}", app.base_url, key.auth_key),
        "state": "init",
    });
    app.lock().tspay.keys.push(key);
    util::json(StatusCode::CREATED, body)
}

fn unknown_key_page() -> Response {
    pages::error_page(
        StatusCode::NOT_FOUND,
        "Link not found",
        "This TS Pay activation link does not exist.",
    )
}

/// `GET /auth/activate/{authKey}`: the page the merchant opens to authorise an issued key.
async fn activation_page(State(app): State<App>, Path(auth_key): Path<String>) -> Response {
    let st = app.lock();
    match st.tspay.keys.iter().find(|k| k.auth_key == auth_key) {
        None => unknown_key_page(),
        Some(k) if k.active => {
            pages::result_page("API key active", "This API key is already active.")
        }
        Some(_) => pages::action_page(
            "Activate the API key",
            &format!(
                "An application asks to use TS Pay for merchant {}.",
                app.creds.tspay.merchant_ref
            ),
            "activate",
            "Activate",
        ),
    }
}

/// `POST /auth/activate/{authKey}`: the "activate" button.
async fn activate(State(app): State<App>, Path(auth_key): Path<String>) -> Response {
    let mut st = app.lock();
    match st.tspay.keys.iter_mut().find(|k| k.auth_key == auth_key) {
        None => unknown_key_page(),
        Some(k) => {
            k.active = true;
            pages::result_page("API key active", "The API key is now active.")
        }
    }
}

fn unknown_order_page() -> Response {
    pages::error_page(
        StatusCode::NOT_FOUND,
        "Link not found",
        "This TS Pay link does not exist.",
    )
}

fn used_page() -> Response {
    pages::error_page(
        StatusCode::GONE,
        "Link already used",
        "This TS Pay link has reached its maximum number of payments.",
    )
}

async fn pay_page(State(app): State<App>, Path(order): Path<String>) -> Response {
    let st = app.lock();
    let Some(o) = st.tspay.orders.get(&order) else {
        return unknown_order_page();
    };
    if o.exhausted() {
        return used_page();
    }
    let (amount, label) = match o.kind {
        Kind::Pay => (
            format!("{} {}", util::format_minor(o.amount, 2), o.currency),
            "Paga",
        ),
        Kind::Save if o.amount > 0 => (
            format!("max {} {}", util::format_minor(o.amount, 2), o.currency),
            "Salva",
        ),
        Kind::Save => ("Salva metodo di pagamento".to_owned(), "Salva"),
    };
    pages::payment_page(&pages::PaymentPage {
        provider: "TS Pay",
        title: if o.title.is_empty() {
            "TS Pay"
        } else {
            &o.title
        },
        amount: &amount,
        details: vec![
            ("Causale", o.desc.clone()),
            ("Riferimento", o.payment_ref.clone()),
        ],
        hidden: Vec::new(),
        pay_label: label,
    })
}

async fn pay_submit(
    State(app): State<App>,
    Path(order): Path<String>,
    form: Result<Form<DecisionForm>, FormRejection>,
) -> Response {
    let Some(decision) = form.ok().and_then(|Form(f)| f.decision()) else {
        return pages::bad_decision();
    };
    let (charge, targets, redirect, merchant_ref) = {
        let mut st = app.lock();
        let Some(o) = st.tspay.orders.get_mut(&order) else {
            return unknown_order_page();
        };
        if o.exhausted() {
            return used_page();
        }
        let charge = Charge {
            key: util::uuid_v4(),
            order_key: o.key.clone(),
            // Saving a source authorises no money now: its charge carries amount 0.
            amount: if o.kind == Kind::Pay { o.amount } else { 0 },
            currency: o.currency.clone(),
            state: match decision {
                Decision::Pay => "active",
                Decision::Decline => "failed",
            },
            created: util::now(),
            external_ref: o.external_ref.clone(),
            metadata: o.metadata.clone(),
        };
        o.charges.push(charge.clone());
        let redirect = match decision {
            Decision::Pay => o.callback_url.clone(),
            Decision::Decline => o.cancel_url.clone().or_else(|| o.callback_url.clone()),
        };
        let targets: Vec<(String, String)> = st
            .tspay
            .webhooks
            .iter()
            .filter(|w| w.wants(charge.state))
            .map(|w| (w.endpoint.clone(), w.secret.clone()))
            .collect();
        (
            charge,
            targets,
            redirect,
            app.creds.tspay.merchant_ref.clone(),
        )
    };
    let body = json!({
        "event": { "entity": "tspay_charge", "state": charge.state },
        "merchantRef": merchant_ref,
        "payload": charge.to_json(),
    })
    .to_string()
    .into_bytes();
    for (endpoint, secret) in targets {
        let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, secret.as_bytes());
        let tag = aws_lc_rs::hmac::sign(&key, &body);
        let headers = vec![("X-Message-Hash", util::hex(tag.as_ref()))];
        crate::notify::deliver(&app, "tspay", &endpoint, body.clone(), headers).await;
    }
    match redirect {
        Some(url) => util::see_other(&url),
        None => pages::result_page(
            if decision == Decision::Pay {
                "Pagamento completato"
            } else {
                "Pagamento annullato"
            },
            &format!("Charge {} is {}.", charge.key, charge.state),
        ),
    }
}

/// The charge states the dashboard may move a charge to.
const CHARGE_STATES: &[&str] = &["pending", "active", "failed", "refunded"];

/// The states the dashboard may move an issued API key to.
const KEY_STATES: &[&str] = &["init", "active"];

/// Dashboard rows: every issued API key (by its `authKey`; the key itself is not shown), every
/// link and its charges.
pub(crate) fn dashboard_rows(store: &Store) -> Vec<crate::dashboard::Row> {
    let mut orders: Vec<&Order> = store.orders.values().collect();
    orders.sort_by(|a, b| a.key.cmp(&b.key));
    let mut rows = Vec::new();
    for k in &store.keys {
        rows.push(crate::dashboard::Row {
            kind: "api key",
            id: k.auth_key.clone(),
            detail: "issued with the AppSecret (key not shown)".to_owned(),
            state: if k.active { "active" } else { "init" }.to_owned(),
            states: KEY_STATES,
        });
    }
    for o in orders {
        rows.push(crate::dashboard::Row {
            kind: match o.kind {
                Kind::Pay => "pay link",
                Kind::Save => "save link",
            },
            id: o.key.clone(),
            detail: format!(
                "{} {} · {}",
                util::format_minor(o.amount, 2),
                o.currency,
                o.title
            ),
            state: if o.exhausted() { "used up" } else { "open" }.to_owned(),
            states: &[],
        });
        for c in &o.charges {
            rows.push(crate::dashboard::Row {
                kind: "charge",
                id: c.key.clone(),
                detail: format!(
                    "{} {} · order {}",
                    util::format_minor(c.amount, 2),
                    c.currency,
                    c.order_key
                ),
                state: c.state.to_owned(),
                states: CHARGE_STATES,
            });
        }
    }
    rows
}

/// Moves charge `id` to `state` (one of [`CHARGE_STATES`]), or the API key whose `authKey`
/// is `id` to `init` or `active`.
pub(crate) fn set_state(store: &mut Store, id: &str, state: &str) -> bool {
    if let Some(k) = store.keys.iter_mut().find(|k| k.auth_key == id) {
        return match crate::dashboard::pick(KEY_STATES, state) {
            Some(state) => {
                k.active = state == "active";
                true
            }
            None => false,
        };
    }
    let Some(state) = crate::dashboard::pick(CHARGE_STATES, state) else {
        return false;
    };
    for o in store.orders.values_mut() {
        if let Some(c) = o.charges.iter_mut().find(|c| c.key == id) {
            c.state = state;
            return true;
        }
    }
    false
}
