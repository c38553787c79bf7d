//! beGateway (`docs/providers/begateway.md`): products / payment links, transactions, signed notifications.
//!
//! Routes, under `/begateway`:
//! `POST|GET /api/products`, `GET|PUT /api/products/{id}`, `GET|POST /api/products/{id}/pay`
//! (hosted page), `GET /gateway/transactions/{uid}`,
//! `GET /gateway/transactions/tracking_id/{tracking_id}` (also under `/gateway/v2/…`),
//! `GET /checkout/v2/confirm_order/{id}/{shop_id}` (redirects to the pay page),
//! `GET /public_key`; card transactions (`card`), card tokens (`tokens`), plans and
//! subscriptions (`subscriptions`) and hosted checkouts (`checkout`).

mod card;
mod checkout;
mod subscriptions;
mod tokens;

use std::collections::BTreeMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, Time};

use crate::currency;
use crate::pages::{self, Decision, DecisionForm};
use crate::state::App;
use crate::util;

/// Page languages accepted for `language` (the PHP SDK's list).
const LANGUAGES: &[&str] = &[
    "en", "es", "tr", "de", "it", "ru", "zh", "fr", "da", "fi", "no", "pl", "sv", "ja", "be", "ka",
    "uk", "lv", "az", "ro",
];

/// Accepted `visible_fields` values.
const VISIBLE_FIELDS: &[&str] = &[
    "first_name",
    "last_name",
    "country",
    "state",
    "city",
    "address",
    "zip",
    "phone",
    "birth_date",
    "email",
    "taxpayer_id",
];

/// The card token every sandbox transaction reports (`credit_card.token`); card payments by
/// this token are approved.
const CARD_TOKEN: &str = "40bd001563085fc35165329ea1ff5c5ecbdbbeef40bd001563085fc35165329e";

/// beGateway's in-memory records.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Store {
    products: Vec<Product>,
    transactions: Vec<Transaction>,
    /// Card writes by `RequestID`: the first answer (status, body), replayed for a repeat.
    #[serde(default)]
    request_ids: BTreeMap<String, (u16, String)>,
    /// Hosted checkouts.
    #[serde(default)]
    checkouts: Vec<checkout::CheckoutRec>,
    /// Saved cards (card tokens).
    #[serde(default)]
    card_tokens: Vec<tokens::CardRec>,
    /// Plans.
    #[serde(default)]
    plans: Vec<subscriptions::PlanRec>,
    /// Subscriptions.
    #[serde(default)]
    subscriptions: Vec<subscriptions::SubscriptionRec>,
}

#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Product {
    id: String,
    name: String,
    description: String,
    currency: String,
    amount: i64,
    quantity: Option<i64>,
    infinite: bool,
    language: String,
    transaction_type: String,
    created: OffsetDateTime,
    updated: OffsetDateTime,
    test: bool,
    immortal: bool,
    expired_at: Option<OffsetDateTime>,
    visible_fields: Vec<String>,
    additional_data: Value,
    return_url: Option<String>,
    success_url: Option<String>,
    fail_url: Option<String>,
    notification_url: Option<String>,
}

impl Product {
    fn blank() -> Self {
        let now = util::now();
        Self {
            id: format!("prd_{}", util::random_hex::<8>()),
            name: String::new(),
            description: String::new(),
            currency: String::new(),
            amount: 0,
            quantity: None,
            infinite: false,
            language: "en".into(),
            transaction_type: "payment".into(),
            created: now,
            updated: now,
            test: false,
            immortal: true,
            expired_at: None,
            visible_fields: Vec::new(),
            additional_data: json!({}),
            return_url: None,
            success_url: None,
            fail_url: None,
            notification_url: None,
        }
    }

    fn to_json(&self, base: &str, shop_id: &str) -> Value {
        let pay_url = format!("{base}/begateway/api/products/{}/pay", self.id);
        json!({
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "currency": self.currency,
            "amount": self.amount,
            "quantity": self.quantity,
            "infinite": self.infinite,
            "language": self.language,
            "transaction_type": self.transaction_type,
            "created_at": util::iso_millis(self.created),
            "updated_at": util::iso_millis(self.updated),
            "test": self.test,
            "additional_data": self.additional_data,
            "pay_url": pay_url,
            "payment_url": pay_url,
            "confirm_url": format!("{base}/begateway/checkout/v2/confirm_order/{}/{shop_id}", self.id),
        })
    }

    fn unavailable(&self) -> Option<&'static str> {
        if self.expired_at.is_some_and(|t| t <= util::now()) {
            Some("This payment link has expired.")
        } else if !self.infinite && self.quantity.unwrap_or(0) <= 0 {
            Some("This product is sold out: the payment link cannot be paid again.")
        } else {
            None
        }
    }
}

#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Transaction {
    uid: String,
    #[serde(deserialize_with = "crate::persist::leak")]
    status: crate::persist::Name,
    #[serde(deserialize_with = "crate::persist::leak")]
    message: crate::persist::Name,
    amount: i64,
    currency: String,
    description: String,
    kind: String,
    /// The order tie a merchant's confirmation checks: the pay link's `tracking_id` (kept as a
    /// hidden input of the hosted page), or the product id when the link had none.
    tracking_id: String,
    test: bool,
    language: String,
    created: OffsetDateTime,
    auth_code: Option<String>,
    rrn: Option<String>,
    /// The product paid through, reported as `additional_data.product_id`.
    product_id: String,
    token: String,
    /// The parent of a capture, void or refund.
    #[serde(default)]
    parent_uid: Option<String>,
    /// How much of this authorization was captured, or of this payment / capture refunded.
    #[serde(default)]
    captured: i64,
    #[serde(default)]
    refunded: i64,
    #[serde(default)]
    voided: bool,
    /// Where this transaction's notifications go; its captures, voids and refunds are
    /// notified there too.
    #[serde(default)]
    notification_url: Option<String>,
    /// Where the customer returns after a 3-D Secure step (`return_url` of a card write).
    #[serde(default)]
    return_url: Option<String>,
    /// The 3-D Secure challenge page of an `incomplete` transaction.
    #[serde(default)]
    redirect_url: Option<String>,
}

impl Transaction {
    fn to_json(&self) -> Value {
        let created = util::iso_millis(self.created);
        let paid = self.status == "successful";
        let section = json!({
            "status": self.status,
            "message": self.message,
            "auth_code": self.auth_code,
            "bank_code": "05",
            "rrn": self.rrn,
            "ref_id": self.rrn,
            "gateway_id": 1,
            "billing_descriptor": "SANDBOX SHOP",
        });
        let mut tx = json!({
            "uid": self.uid,
            "status": self.status,
            "message": self.message,
            "amount": self.amount,
            "currency": self.currency,
            "description": self.description,
            "type": self.kind,
            "payment_method_type": "credit_card",
            "tracking_id": self.tracking_id,
            "test": self.test,
            "language": self.language,
            "created_at": created,
            "updated_at": created,
            "paid_at": if paid { Value::String(created) } else { Value::Null },
            "expired_at": Value::Null,
            "credit_card": {
                "holder": "SANDBOX CUSTOMER",
                "stamp": "b3e0a1ff5e2e5d6e4c5a9c55d2e6f3b1b0c3c52b7d5f8e9a0b1c2d3e4f5a6b7c",
                // A tokenization reports the token it saved; every other transaction the
                // sandbox's card token.
                "token": if self.kind == "tokenization" { self.token.as_str() } else { CARD_TOKEN },
                "brand": "visa",
                "last_4": if paid { "0000" } else { "0002" },
                "first_1": "4",
                "exp_month": 12,
                "exp_year": util::now().year() + 2,
            },
            "customer": { "ip": "127.0.0.1", "email": "customer@example.com" },
            "additional_data": { "product_id": self.product_id },
        });
        if let Some(obj) = tx.as_object_mut() {
            obj.insert(self.kind.clone(), section);
            if let Some(parent) = &self.parent_uid {
                obj.insert("parent_uid".into(), Value::String(parent.clone()));
            }
            if self.status == "incomplete"
                && let Some(url) = &self.redirect_url
            {
                obj.insert("redirect_url".into(), Value::String(url.clone()));
            }
        }
        tx
    }
}

pub(crate) fn router() -> Router<App> {
    Router::new()
        .route("/api/products", get(list_products).post(create_product))
        .route("/api/products/{id}", get(get_product).put(update_product))
        .route("/api/products/{id}/pay", get(pay_page).post(pay_submit))
        .route(
            "/gateway/transactions/{uid}",
            get(get_transaction).post(card::create),
        )
        .route(
            "/gateway/transactions/tracking_id/{tid}",
            get(by_tracking_id),
        )
        .route(
            "/gateway/v2/transactions/tracking_id/{tid}",
            get(by_tracking_id),
        )
        .route(
            "/gateway/3ds/{uid}",
            get(card::challenge_page).post(card::challenge_submit),
        )
        .route("/api/plans", post(subscriptions::create_plan))
        .route(
            "/api/subscriptions",
            post(subscriptions::create_subscription),
        )
        .route(
            "/api/subscriptions/{id}",
            get(subscriptions::get_subscription),
        )
        .route(
            "/api/subscriptions/{id}/cancel",
            post(subscriptions::cancel_subscription),
        )
        .route("/gateway/credit_cards", post(tokens::create))
        .route("/gateway/credit_cards/{token}", post(tokens::update))
        .route("/checkout/v2/confirm_order/{id}/{shop}", get(confirm_order))
        .route("/public_key", get(public_key))
        .merge(checkout::routes())
        .fallback(|| async { not_found("Route not found") })
}

fn not_found(message: &str) -> Response {
    util::json(
        StatusCode::NOT_FOUND,
        json!({ "message": message, "errors": {} }),
    )
}

fn authorize(app: &App, headers: &HeaderMap) -> Result<(), Response> {
    let creds = &app.creds.begateway;
    match util::basic_auth(headers) {
        Some((id, key)) if id == creds.shop_id && key == creds.secret_key => Ok(()),
        _ => {
            let mut resp = util::json(
                StatusCode::UNAUTHORIZED,
                json!({ "message": "Unauthorized", "errors": {} }),
            );
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"Application\""),
            );
            Err(resp)
        }
    }
}

type Errors = BTreeMap<String, Vec<String>>;

fn add(errors: &mut Errors, field: &str, msg: &str) {
    errors
        .entry(field.to_owned())
        .or_default()
        .push(msg.to_owned());
}

fn humanize(field: &str) -> String {
    let text = field.replace('_', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

fn unprocessable(errors: &Errors) -> Response {
    let message = errors
        .iter()
        .flat_map(|(field, msgs)| msgs.iter().map(move |m| format!("{} {m}", humanize(field))))
        .collect::<Vec<_>>()
        .join(". ");
    util::json(
        StatusCode::UNPROCESSABLE_ENTITY,
        json!({ "message": message, "errors": errors }),
    )
}

/// Parses `expired_at`: RFC 3339, `…±hhmm` (PHP `date('O')`) or date-only (end of that day, UTC).
fn parse_expired_at(s: &str) -> Option<OffsetDateTime> {
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t);
    }
    let b = s.as_bytes();
    if b.len() == 24 && matches!(b[19], b'+' | b'-') {
        let fixed = format!("{}:{}", &s[..22], &s[22..]);
        if let Ok(t) = OffsetDateTime::parse(&fixed, &Rfc3339) {
            return Some(t);
        }
    }
    let date = Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()?;
    let end = Time::from_hms(23, 59, 59).ok()?;
    Some(date.with_time(end).assume_utc())
}

fn opt_url(v: &Value, field: &str, errors: &mut Errors) -> Option<Option<String>> {
    match v {
        Value::Null => Some(None),
        Value::String(s) if util::http_url(s).is_some() => Some(Some(s.clone())),
        _ => {
            add(errors, field, "is invalid");
            None
        }
    }
}

fn boolean(v: &Value, field: &str, errors: &mut Errors) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => {
            add(errors, field, "is not a boolean");
            None
        }
    }
}

/// Applies request `params` onto `p` (all documented fields, plus the PHP SDK's URLs).
fn apply(p: &mut Product, params: &Map<String, Value>, creating: bool, shop_id: &str) -> Errors {
    let mut errors = Errors::new();
    for field in ["name", "description"] {
        match params.get(field) {
            Some(Value::String(s)) if !s.trim().is_empty() => {
                if field == "name" {
                    p.name = s.clone();
                } else {
                    p.description = s.clone();
                }
            }
            None if !creating => {}
            _ => add(&mut errors, field, "can't be blank"),
        }
    }
    match params.get("currency") {
        Some(Value::String(c)) if currency::exponent(c).is_some() => p.currency = c.clone(),
        Some(Value::String(c)) if currency::is_alpha3(c) => {
            add(&mut errors, "currency", "is unknown ISO 4217 Alpha-3 code");
        }
        None if !creating => {}
        None | Some(Value::Null) => add(&mut errors, "currency", "can't be blank"),
        Some(_) => {
            add(&mut errors, "currency", "is not in ISO 4217 Alpha-3 format");
            add(&mut errors, "currency", "is unknown ISO 4217 Alpha-3 code");
        }
    }
    match params.get("amount") {
        None if !creating => {}
        None | Some(Value::Null) => add(&mut errors, "amount", "can't be blank"),
        Some(v) => match util::int_or_string(v) {
            Some(n) if n > 0 => p.amount = n,
            Some(_) => add(&mut errors, "amount", "must be greater than 0"),
            None => add(&mut errors, "amount", "must be an integer"),
        },
    }
    if let Some(v) = params.get("infinite") {
        if let Some(b) = boolean(v, "infinite", &mut errors) {
            p.infinite = b;
        }
    } else if creating && params.get("quantity").is_some_and(|q| !q.is_null()) {
        p.infinite = false;
    }
    match params.get("quantity") {
        None => {}
        Some(Value::Null) => p.quantity = None,
        Some(v) => match util::int_or_string(v) {
            Some(n) if n >= 0 => p.quantity = Some(n),
            Some(_) => add(
                &mut errors,
                "quantity",
                "must be greater than or equal to 0",
            ),
            None => add(&mut errors, "quantity", "must be an integer"),
        },
    }
    if !p.infinite && p.quantity.is_none() && !errors.contains_key("quantity") {
        add(&mut errors, "quantity", "can't be blank");
    }
    for field in ["test", "immortal"] {
        if let Some(b) = params
            .get(field)
            .and_then(|v| boolean(v, field, &mut errors))
        {
            if field == "test" {
                p.test = b;
            } else {
                p.immortal = b;
            }
        }
    }
    match params.get("expired_at") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => match parse_expired_at(s) {
            Some(t) => {
                p.expired_at = Some(t);
                p.immortal = false;
            }
            None => add(&mut errors, "expired_at", "is invalid"),
        },
        Some(_) => add(&mut errors, "expired_at", "is invalid"),
    }
    if p.immortal {
        p.expired_at = None;
    } else if p.expired_at.is_none() {
        add(&mut errors, "expired_at", "can't be blank");
    }
    match params.get("language") {
        None | Some(Value::Null) => {}
        Some(Value::String(l)) if LANGUAGES.contains(&l.as_str()) => p.language = l.clone(),
        Some(_) => add(&mut errors, "language", "is not included in the list"),
    }
    match params.get("transaction_type") {
        None | Some(Value::Null) => {}
        Some(Value::String(t)) if t == "payment" || t == "authorization" => {
            p.transaction_type = t.clone();
        }
        Some(_) => add(
            &mut errors,
            "transaction_type",
            "is not included in the list",
        ),
    }
    // The PHP SDK sends `visible`; the documentation says `visible_fields`.
    for field in ["visible_fields", "visible"] {
        match params.get(field) {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for item in items {
                    match item.as_str() {
                        Some(s) if VISIBLE_FIELDS.contains(&s) => out.push(s.to_owned()),
                        _ => add(&mut errors, field, "is not included in the list"),
                    }
                }
                p.visible_fields = out;
            }
            Some(_) => add(&mut errors, field, "must be an array"),
        }
    }
    for field in ["return_url", "success_url", "fail_url", "notification_url"] {
        if let Some(v) = params.get(field)
            && let Some(url) = opt_url(v, field, &mut errors)
        {
            match field {
                "return_url" => p.return_url = url,
                "success_url" => p.success_url = url,
                "fail_url" => p.fail_url = url,
                _ => p.notification_url = url,
            }
        }
    }
    match params.get("shop_id") {
        None | Some(Value::Null) => {}
        Some(v) if util::int_or_string(v).map(|n| n.to_string()).as_deref() == Some(shop_id) => {}
        Some(_) => add(&mut errors, "shop_id", "is invalid"),
    }
    match params.get("additional_data") {
        None | Some(Value::Null) => {}
        Some(v @ Value::Object(_)) => p.additional_data = v.clone(),
        Some(_) => add(&mut errors, "additional_data", "must be an object"),
    }
    errors
}

fn parse_object(body: &[u8]) -> Result<Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => {
            let mut errors = Errors::new();
            add(
                &mut errors,
                "base",
                "Request body is not a valid JSON object",
            );
            Err(util::json(
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({ "message": "Request body is not a valid JSON object", "errors": errors }),
            ))
        }
    }
}

async fn create_product(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(resp) = authorize(&app, &headers) {
        return resp;
    }
    let params = match parse_object(&body) {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let mut product = Product::blank();
    let errors = apply(&mut product, &params, true, &app.creds.begateway.shop_id);
    if !errors.is_empty() {
        return unprocessable(&errors);
    }
    let body = product.to_json(&app.base_url, &app.creds.begateway.shop_id);
    app.lock().begateway.products.push(product);
    util::json(StatusCode::CREATED, body)
}

async fn list_products(State(app): State<App>, headers: HeaderMap) -> Response {
    if let Err(resp) = authorize(&app, &headers) {
        return resp;
    }
    let st = app.lock();
    let items: Vec<Value> = st
        .begateway
        .products
        .iter()
        .map(|p| p.to_json(&app.base_url, &app.creds.begateway.shop_id))
        .collect();
    util::json(StatusCode::OK, Value::Array(items))
}

async fn get_product(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(resp) = authorize(&app, &headers) {
        return resp;
    }
    let st = app.lock();
    match st.begateway.products.iter().find(|p| p.id == id) {
        Some(p) => util::json(
            StatusCode::OK,
            p.to_json(&app.base_url, &app.creds.begateway.shop_id),
        ),
        None => not_found("Product not found"),
    }
}

async fn update_product(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(resp) = authorize(&app, &headers) {
        return resp;
    }
    let params = match parse_object(&body) {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let mut st = app.lock();
    let Some(slot) = st.begateway.products.iter_mut().find(|p| p.id == id) else {
        return not_found("Product not found");
    };
    let mut draft = slot.clone();
    let errors = apply(&mut draft, &params, false, &app.creds.begateway.shop_id);
    if !errors.is_empty() {
        return unprocessable(&errors);
    }
    draft.updated = util::now();
    *slot = draft;
    StatusCode::NO_CONTENT.into_response()
}

#[derive(serde::Deserialize)]
struct PayQuery {
    tracking_id: Option<String>,
}

fn unknown_product_page() -> Response {
    pages::error_page(
        StatusCode::NOT_FOUND,
        "Payment link not found",
        "This beGateway payment link does not exist.",
    )
}

async fn pay_page(
    State(app): State<App>,
    Path(id): Path<String>,
    Query(q): Query<PayQuery>,
) -> Response {
    let st = app.lock();
    let Some(p) = st.begateway.products.iter().find(|p| p.id == id) else {
        return unknown_product_page();
    };
    if let Some(why) = p.unavailable() {
        return pages::error_page(StatusCode::GONE, "Payment link unavailable", why);
    }
    let exponent = currency::exponent(&p.currency).unwrap_or(2);
    let mut hidden = Vec::new();
    if let Some(t) = q.tracking_id.filter(|t| !t.is_empty()) {
        hidden.push(("tracking_id", t));
    }
    pages::payment_page(&pages::PaymentPage {
        provider: "beGateway",
        title: &p.name,
        amount: &format!("{} {}", util::format_minor(p.amount, exponent), p.currency),
        details: vec![
            ("Description", p.description.clone()),
            ("Type", p.transaction_type.clone()),
            ("Test", if p.test { "yes".into() } else { String::new() }),
        ],
        hidden,
        pay_label: "Pay",
    })
}

async fn pay_submit(
    State(app): State<App>,
    Path(id): Path<String>,
    form: Result<Form<DecisionForm>, FormRejection>,
) -> Response {
    let Some((decision, tracking_id)) = form
        .ok()
        .and_then(|Form(f)| f.decision().map(|d| (d, f.tracking_id)))
    else {
        return pages::bad_decision();
    };
    let (tx, product) = {
        let mut st = app.lock();
        let Some(p) = st.begateway.products.iter_mut().find(|p| p.id == id) else {
            return unknown_product_page();
        };
        if let Some(why) = p.unavailable() {
            return pages::error_page(StatusCode::GONE, "Payment link unavailable", why);
        }
        let paid = decision == Decision::Pay;
        if paid && !p.infinite {
            p.quantity = p.quantity.map(|q| q - 1);
        }
        let uid = format!(
            "{}-{}",
            st.begateway.transactions.len() + 1,
            util::random_hex::<5>()
        );
        let Some(p) = st.begateway.products.iter().find(|p| p.id == id).cloned() else {
            return unknown_product_page();
        };
        let tx = Transaction {
            uid,
            status: if paid { "successful" } else { "failed" },
            message: if paid {
                "Successfully processed"
            } else {
                "Payment was declined"
            },
            amount: p.amount,
            currency: p.currency.clone(),
            description: p.description.clone(),
            kind: p.transaction_type.clone(),
            tracking_id: tracking_id
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| p.id.clone()),
            test: p.test,
            language: p.language.clone(),
            created: util::now(),
            auth_code: paid.then(|| util::random_digits(6)),
            rrn: paid.then(|| util::random_digits(12)),
            product_id: p.id.clone(),
            token: util::random_hex::<32>(),
            parent_uid: None,
            captured: 0,
            refunded: 0,
            voided: false,
            notification_url: p.notification_url.clone(),
            return_url: None,
            redirect_url: None,
        };
        st.begateway.transactions.push(tx.clone());
        (tx, p)
    };
    if let Some(url) = &product.notification_url {
        let body = json!({ "transaction": tx.to_json() })
            .to_string()
            .into_bytes();
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
        crate::notify::deliver(&app, "begateway", url, body, headers).await;
    }
    let target = match decision {
        Decision::Pay => product.success_url.as_ref(),
        Decision::Decline => product.fail_url.as_ref(),
    }
    .or(product.return_url.as_ref());
    match target.and_then(|u| util::http_url(u)) {
        Some(mut url) => {
            url.query_pairs_mut()
                .append_pair("uid", &tx.uid)
                .append_pair("token", &tx.token)
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

/// Posts `tx` to `url` as beGateway does: Basic credentials and `Content-Signature`.
async fn notify_transaction(app: &App, url: &str, tx: &Transaction) {
    let body = json!({ "transaction": tx.to_json() })
        .to_string()
        .into_bytes();
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

/// A fresh transaction uid, numbered after the store's transactions.
fn next_uid(store: &Store) -> String {
    format!(
        "{}-{}",
        store.transactions.len() + 1,
        util::random_hex::<5>()
    )
}

async fn get_transaction(
    State(app): State<App>,
    headers: HeaderMap,
    Path(uid): Path<String>,
) -> Response {
    if let Err(resp) = authorize(&app, &headers) {
        return resp;
    }
    let st = app.lock();
    match st.begateway.transactions.iter().find(|t| t.uid == uid) {
        Some(t) => util::json(StatusCode::OK, json!({ "transaction": t.to_json() })),
        None => not_found("Record not found"),
    }
}

/// One match: `{"transaction": …}`; several: `{"transactions": [...]}`, the 10 most recent first.
async fn by_tracking_id(
    State(app): State<App>,
    headers: HeaderMap,
    Path(tid): Path<String>,
) -> Response {
    if let Err(resp) = authorize(&app, &headers) {
        return resp;
    }
    let st = app.lock();
    let found: Vec<Value> = st
        .begateway
        .transactions
        .iter()
        .rev()
        .filter(|t| t.tracking_id == tid)
        .take(10)
        .map(Transaction::to_json)
        .collect();
    match found.len() {
        0 => not_found("Record not found"),
        1 => util::json(
            StatusCode::OK,
            json!({ "transaction": found.into_iter().next() }),
        ),
        _ => util::json(StatusCode::OK, json!({ "transactions": found })),
    }
}

async fn confirm_order(
    State(app): State<App>,
    Path((id, _shop)): Path<(String, String)>,
) -> Response {
    let location = format!("{}/begateway/api/products/{id}/pay", app.base_url);
    match HeaderValue::from_str(&location) {
        Ok(v) => (StatusCode::FOUND, [(header::LOCATION, v)]).into_response(),
        Err(_) => unknown_product_page(),
    }
}

async fn public_key(State(app): State<App>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        app.keys.begateway_public.clone(),
    )
        .into_response()
}

/// The statuses the dashboard may move a transaction to, with their messages.
const STATES: &[&str] = &["successful", "failed", "incomplete", "expired"];

/// Dashboard rows: every product and transaction.
pub(crate) fn dashboard_rows(store: &Store) -> Vec<crate::dashboard::Row> {
    let exponent = |c: &str| crate::currency::exponent(c).unwrap_or(2);
    let mut rows: Vec<crate::dashboard::Row> = store
        .products
        .iter()
        .map(|p| crate::dashboard::Row {
            kind: "product",
            id: p.id.clone(),
            detail: format!(
                "{} {} · {}",
                util::format_minor(p.amount, exponent(&p.currency)),
                p.currency,
                p.name
            ),
            state: match (p.infinite, p.quantity) {
                (true, _) | (_, None) => "available".to_owned(),
                (false, Some(q)) => format!("{q} left"),
            },
            states: &[],
        })
        .collect();
    rows.extend(store.transactions.iter().map(|t| crate::dashboard::Row {
        kind: "transaction",
        id: t.uid.clone(),
        detail: format!(
            "{} {} · tracking {}",
            util::format_minor(t.amount, exponent(&t.currency)),
            t.currency,
            t.tracking_id
        ),
        state: t.status.to_owned(),
        states: STATES,
    }));
    rows
}

/// Moves transaction `id` to `state` (one of [`STATES`]), with a matching `message`.
pub(crate) fn set_state(store: &mut Store, id: &str, state: &str) -> bool {
    match (
        store.transactions.iter_mut().find(|t| t.uid == id),
        crate::dashboard::pick(STATES, state),
    ) {
        (Some(t), Some(state)) => {
            t.status = state;
            t.message = match state {
                "successful" => "Successfully processed",
                "failed" => "Payment was declined",
                "expired" => "Transaction expired",
                _ => "Transaction is incomplete",
            };
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documented_expired_at_forms() {
        assert!(parse_expired_at("2023-12-31").is_some());
        assert!(parse_expired_at("2030-12-30T21:21:46+00:00").is_some());
        assert!(parse_expired_at("2030-12-30T21:21:46+0000").is_some());
        assert!(parse_expired_at("tomorrow").is_none());
    }

    #[test]
    fn joins_messages_like_the_documented_422() {
        let mut e = Errors::new();
        add(&mut e, "currency", "is not in ISO 4217 Alpha-3 format");
        add(&mut e, "currency", "is unknown ISO 4217 Alpha-3 code");
        let resp = unprocessable(&e);
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}
