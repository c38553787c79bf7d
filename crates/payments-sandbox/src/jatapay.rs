//! JataPay (`docs/providers/jatapay.md`): Flask-style API with client-credentials tokens.
//!
//! Routes, under `/jatapay`:
//! `POST /auth/token`, `POST /auth/refresh`, `POST /api/scrivi_abbonamento`,
//! `POST /api/scrivi_pagamento`, `GET /api/entity/subscriptions/{id}`,
//! `GET /api/entity/payments/{id}`, `GET|POST /dashboard/gateway/{id}` (hosted page).

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::pages::{self, Decision, DecisionForm};
use crate::state::App;
use crate::util;

/// The merchant ObjectId reported as `esercente` and `user`.
const MERCHANT_ID: &str = "60c5d53a052bf51a1ca1e1b5";

/// JataPay's in-memory records.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Store {
    tokens: HashMap<String, Token>,
    records: HashMap<String, Record>,
    numero: u64,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Token {
    expires: OffsetDateTime,
    refresh: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
enum Kind {
    Subscription,
    Payment,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Record {
    kind: Kind,
    id: String,
    callback_url: String,
    cliente: String,
    importo: i64,
    note: String,
    descrizione: String,
    created: OffsetDateTime,
    numero: u64,
    #[serde(deserialize_with = "crate::persist::leak")]
    stato: crate::persist::Name,
}

/// `stato` before the customer acts (the only documented value).
const STARTED: &str = "iniziata";

impl Record {
    fn paid_state(&self) -> &'static str {
        match self.kind {
            Kind::Subscription => "attiva",
            Kind::Payment => "completata",
        }
    }

    fn to_json(&self) -> Value {
        // serde_json's default map is sorted, which matches Flask's `jsonify` key order.
        json!({
            "_id": self.id,
            "callback_url": self.callback_url,
            "client": "JataPay",
            "cliente": self.cliente,
            "data_inizio": util::rfc1123(self.created),
            "data_inserimento": util::rfc1123(self.created),
            "descrizione_prodotto": self.descrizione,
            "esercente": MERCHANT_ID,
            "importo": self.importo,
            "note": self.note,
            "numero": self.numero,
            "numero_txt": self.numero.to_string(),
            "stato": self.stato,
            "user": MERCHANT_ID,
        })
    }
}

pub(crate) fn router() -> Router<App> {
    Router::new()
        .route("/auth/token", post(token))
        .route("/auth/refresh", post(refresh))
        .route("/api/scrivi_abbonamento", post(create_subscription))
        .route("/api/scrivi_pagamento", post(create_payment))
        .route("/api/entity/subscriptions/{id}", get(read_subscription))
        .route("/api/entity/payments/{id}", get(read_payment))
        .route(
            "/dashboard/gateway/{id}",
            get(gateway_page).post(gateway_submit),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

fn msg(status: StatusCode, text: &str) -> Response {
    util::json(status, json!({ "msg": text }))
}

/// Werkzeug's default HTML 404 page (also the server-wide fallback).
pub(crate) async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(
            "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n\
             <p>The requested URL was not found on the server. If you entered the URL manually \
             please check your spelling and try again.</p>\n",
        ),
    )
        .into_response()
}

async fn method_not_allowed() -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        Html(
            "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n\
             <h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n",
        ),
    )
        .into_response()
}

fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

/// A JWT-shaped opaque token (flask-jwt-extended look); the sandbox only checks it by lookup.
fn new_token(sub: &str, kind: &str, lifetime_secs: u64) -> String {
    let iat = util::now().unix_timestamp();
    let exp = iat.saturating_add(i64::try_from(lifetime_secs).unwrap_or(i64::MAX));
    let header = json!({"alg": "HS256", "typ": "JWT"});
    let claims = json!({
        "fresh": false, "iat": iat, "nbf": iat, "exp": exp,
        "jti": util::uuid_v4(), "sub": sub, "type": kind,
    });
    format!(
        "{}.{}.{}",
        b64(&header),
        b64(&claims),
        URL_SAFE_NO_PAD.encode(util::random_bytes::<32>())
    )
}

async fn token(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    let Some((id, secret)) = util::basic_auth(&headers) else {
        return msg(StatusCode::UNAUTHORIZED, "Missing Authorization Header");
    };
    let creds = &app.creds.jatapay;
    if id != creds.client_id || secret != creds.client_secret {
        return msg(StatusCode::UNAUTHORIZED, "Bad client credentials");
    }
    let grant = serde_json::from_slice::<Value>(&body).ok().and_then(|v| {
        v.get("grant_type")
            .and_then(Value::as_str)
            .map(str::to_owned)
    });
    if grant.as_deref() != Some("client_credentials") {
        return msg(
            StatusCode::BAD_REQUEST,
            "grant_type must be \"client_credentials\"",
        );
    }
    let lifetime = app.config.jatapay_token_lifetime;
    let access = new_token(&id, "access", lifetime.as_secs());
    let refresh = new_token(&id, "refresh", 30 * 24 * 3600);
    let now = OffsetDateTime::now_utc();
    let mut st = app.lock();
    st.jatapay.tokens.insert(
        access.clone(),
        Token {
            expires: now + lifetime,
            refresh: false,
        },
    );
    st.jatapay.tokens.insert(
        refresh.clone(),
        Token {
            expires: now + std::time::Duration::from_secs(30 * 24 * 3600),
            refresh: true,
        },
    );
    util::json(
        StatusCode::OK,
        json!({ "refresh_token": refresh, "token": access }),
    )
}

/// Checks the Bearer token the way flask-jwt-extended answers; `Err` is the error response.
fn check_token(app: &App, headers: &HeaderMap, want_refresh: bool) -> Result<(), Response> {
    let token = match util::bearer(headers) {
        util::Bearer::Missing => {
            return Err(msg(
                StatusCode::UNAUTHORIZED,
                "Missing Authorization Header",
            ));
        }
        util::Bearer::Malformed => {
            return Err(msg(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'",
            ));
        }
        util::Bearer::Token(t) => t,
    };
    if token.split('.').count() != 3 {
        return Err(msg(StatusCode::UNPROCESSABLE_ENTITY, "Not enough segments"));
    }
    let st = app.lock();
    let Some(info) = st.jatapay.tokens.get(&token) else {
        return Err(msg(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Signature verification failed",
        ));
    };
    if info.expires <= OffsetDateTime::now_utc() {
        return Err(msg(StatusCode::UNAUTHORIZED, "Token has expired"));
    }
    match (info.refresh, want_refresh) {
        (true, false) => Err(msg(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Only non-refresh tokens are allowed",
        )),
        (false, true) => Err(msg(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Only refresh tokens are allowed",
        )),
        _ => Ok(()),
    }
}

async fn refresh(State(app): State<App>, headers: HeaderMap) -> Response {
    if let Err(resp) = check_token(&app, &headers, true) {
        return resp;
    }
    let lifetime = app.config.jatapay_token_lifetime;
    let access = new_token(&app.creds.jatapay.client_id, "access", lifetime.as_secs());
    app.lock().jatapay.tokens.insert(
        access.clone(),
        Token {
            expires: OffsetDateTime::now_utc() + lifetime,
            refresh: false,
        },
    );
    util::json(StatusCode::OK, json!({ "token": access }))
}

/// Validates the five documented fields; `Err` carries the 400 `{"msg"}` text.
fn parse_create(body: &[u8]) -> Result<(i64, String, String, String, String), String> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|_| "The request body must be a JSON object".to_owned())?;
    let obj = v
        .as_object()
        .ok_or_else(|| "The request body must be a JSON object".to_owned())?;
    let importo = obj
        .get("importo")
        .and_then(Value::as_i64)
        .filter(|n| *n > 0)
        .ok_or_else(|| "importo: required, an integer number of euro cents > 0".to_owned())?;
    let callback = obj
        .get("callback_url")
        .and_then(Value::as_str)
        .filter(|s| util::http_url(s).is_some())
        .ok_or_else(|| "callback_url: required, an absolute http(s) URL".to_owned())?;
    let descrizione = obj
        .get("descrizione_prodotto")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| "descrizione_prodotto: required, a non-empty string".to_owned())?;
    let cliente = match obj.get("cliente") {
        None | Some(Value::Null) => "open",
        Some(Value::String(s)) if s == "open" => "open",
        Some(_) => return Err("cliente: use the value 'open'".to_owned()),
    };
    let note = match obj.get("note") {
        None | Some(Value::Null) => "",
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err("note: must be a string".to_owned()),
    };
    Ok((
        importo,
        callback.to_owned(),
        note.to_owned(),
        descrizione.to_owned(),
        cliente.to_owned(),
    ))
}

async fn create(app: App, headers: HeaderMap, body: Bytes, kind: Kind) -> Response {
    if let Err(resp) = check_token(&app, &headers, false) {
        return resp;
    }
    let (importo, callback_url, note, descrizione, cliente) = match parse_create(&body) {
        Ok(parts) => parts,
        Err(text) => return msg(StatusCode::BAD_REQUEST, &text),
    };
    let id = util::object_id();
    let mut st = app.lock();
    st.jatapay.numero += 1;
    let numero = st.jatapay.numero;
    st.jatapay.records.insert(
        id.clone(),
        Record {
            kind,
            id: id.clone(),
            callback_url,
            cliente,
            importo,
            note,
            descrizione,
            created: util::now(),
            numero,
            stato: STARTED,
        },
    );
    let key = match kind {
        Kind::Subscription => "id_abbonamento",
        Kind::Payment => "id_pagamento",
    };
    util::json(StatusCode::OK, json!({ key: id }))
}

async fn create_subscription(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    create(app, headers, body, Kind::Subscription).await
}

async fn create_payment(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    create(app, headers, body, Kind::Payment).await
}

fn read(app: &App, headers: &HeaderMap, id: &str, kind: Kind) -> Response {
    if let Err(resp) = check_token(app, headers, false) {
        return resp;
    }
    let st = app.lock();
    match st.jatapay.records.get(id).filter(|r| r.kind == kind) {
        Some(record) => util::json(StatusCode::OK, record.to_json()),
        None => msg(
            StatusCode::NOT_FOUND,
            match kind {
                Kind::Subscription => "Subscription not found",
                Kind::Payment => "Payment not found",
            },
        ),
    }
}

async fn read_subscription(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    read(&app, &headers, &id, Kind::Subscription)
}

async fn read_payment(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    read(&app, &headers, &id, Kind::Payment)
}

fn unknown_page() -> Response {
    pages::error_page(
        StatusCode::NOT_FOUND,
        "Payment not found",
        "This JataPay payment link does not exist.",
    )
}

fn processed_page(stato: &str) -> Response {
    pages::error_page(
        StatusCode::CONFLICT,
        "Already processed",
        &format!("This payment has already been processed (stato: {stato})."),
    )
}

async fn gateway_page(State(app): State<App>, Path(id): Path<String>) -> Response {
    let st = app.lock();
    let Some(r) = st.jatapay.records.get(&id) else {
        return unknown_page();
    };
    if r.stato != STARTED {
        return processed_page(r.stato);
    }
    let what = match r.kind {
        Kind::Subscription => "Abbonamento",
        Kind::Payment => "Pagamento",
    };
    pages::payment_page(&pages::PaymentPage {
        provider: "JataPay",
        title: what,
        amount: &format!("{} EUR", util::format_minor(r.importo, 2)),
        details: vec![
            ("Descrizione", r.descrizione.clone()),
            ("Note", r.note.clone()),
            ("Numero", r.numero.to_string()),
        ],
        hidden: Vec::new(),
        pay_label: "Paga",
    })
}

async fn gateway_submit(
    State(app): State<App>,
    Path(id): Path<String>,
    form: Result<Form<DecisionForm>, FormRejection>,
) -> Response {
    let Some(decision) = form.ok().and_then(|Form(f)| f.decision()) else {
        return pages::bad_decision();
    };
    let mut st = app.lock();
    let Some(r) = st.jatapay.records.get_mut(&id) else {
        return unknown_page();
    };
    if r.stato != STARTED {
        return processed_page(r.stato);
    }
    r.stato = match decision {
        Decision::Pay => r.paid_state(),
        Decision::Decline => "annullata",
    };
    // JataPay documents no notification and no query string on the return: the merchant polls.
    util::see_other(&r.callback_url)
}

/// The states the dashboard may move a record to.
const STATES: &[&str] = &["iniziata", "attiva", "completata", "annullata"];

/// Dashboard rows: every subscription and payment.
pub(crate) fn dashboard_rows(store: &Store) -> Vec<crate::dashboard::Row> {
    let mut records: Vec<&Record> = store.records.values().collect();
    records.sort_by_key(|r| r.numero);
    records
        .into_iter()
        .map(|r| crate::dashboard::Row {
            kind: match r.kind {
                Kind::Subscription => "subscription",
                Kind::Payment => "payment",
            },
            id: r.id.clone(),
            detail: format!(
                "{} EUR · {}",
                util::format_minor(r.importo, 2),
                r.descrizione
            ),
            state: r.stato.to_owned(),
            states: STATES,
        })
        .collect()
}

/// Moves record `id` to `state` (one of [`STATES`]).
pub(crate) fn set_state(store: &mut Store, id: &str, state: &str) -> bool {
    match (
        store.records.get_mut(id),
        crate::dashboard::pick(STATES, state),
    ) {
        (Some(r), Some(state)) => {
            r.stato = state;
            true
        }
        _ => false,
    }
}
