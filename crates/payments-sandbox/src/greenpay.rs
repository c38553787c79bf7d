//! GreenPay (`docs/providers/greenpay.md`): subscriptions with credentials inside every JSON body,
//! `SUCCESS` / `FAIL` envelopes, RSA `_signature`s and subscription-payment notifications.
//!
//! Routes, under `/greenpay` (all `POST` with a JSON body):
//! `/subscriptions`, `/subscriptions/pay`, `/subscriptions/cancel`, `/subscriptions/update`,
//! `/subscriptions/update/card_token`, `/subscriptions/list`, `/subscriptions/list/payments`,
//! and the sandbox-only `/_sandbox/webhook` (`{"url": "<merchant webhook base>"}`) and
//! `/_sandbox/checkout` (a stand-in for GreenPay's hosted checkout: see [`checkout`]).
//!
//! Payment orders and cards: `POST /` (a payment order on the merchant host) and
//! `/checkoutv2/createOrder` (checkout v2) answer a `session` and a `token`; the hosted form at
//! `GET /checkout-form/{session}` (Pay / Decline) posts the signed checkout result to the
//! merchant's webhook base and returns the customer to the order's `callback` with the result
//! in base64. `POST /tokenize` (and `/tokenize/update`) opens a tokenization session;
//! `POST /checkout/tokenize` (and `/checkout/tokenize/update`) with `liszt-token` decrypts
//! `lk` with the sandbox's RSA private key and `ld` with AES-128-CTR, checks the card and
//! answers a card token signed over `status` and `requestId` (also posted to `<webhook>/newCard`);
//! `GET /tokenize-form/{session}` is the hosted tokenization form (the test card pre-filled),
//! returning to the session's `callback` with the signed result in URL-safe base64;
//! `POST /deleteToken` and `POST /tokenPayment` (a card number ending in `0002`, or a token
//! containing `decline`, is declined).

use std::str::FromStr as _;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::post;
use serde_json::{Map, Value, json};
use time::{Date, Month, OffsetDateTime};

use crate::state::App;
use crate::util;

/// Currencies GreenPay subscriptions accept.
const CURRENCIES: &[&str] = &["USD", "CRC", "GTQ"];

const NO_MERCHANT: &str = "Merchant doesn't exist.";
const CANNOT_PAY: &str = "Subscription not found. Impossible to pay manually.";
const NOT_FOUND: &str = "Subscription not found.";

/// GreenPay's in-memory records.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Store {
    subs: Vec<Subscription>,
    /// Merchant webhook base URL (sandbox-only registration).
    pub webhook: Option<String>,
    payment_seq: u64,
    /// Payment orders and tokenization sessions, by session.
    #[serde(default)]
    sessions: Vec<Session>,
    /// Card tokens issued.
    #[serde(default)]
    cards: Vec<StoredCard>,
}

/// A payment order or a tokenization session (30 minutes).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Session {
    session: String,
    token: String,
    created: OffsetDateTime,
    /// `None` for a tokenization session.
    order: Option<Order>,
    /// The tokenization session's request id.
    request_id: Option<String>,
    /// Whether the session was used (an order is paid once).
    used: bool,
    /// A tokenization session's `callback` (the hosted tokenization form returns there).
    #[serde(default)]
    callback: Option<String>,
}

#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Order {
    cents: i64,
    currency: String,
    description: String,
    reference: String,
    callback: Option<String>,
}

#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct StoredCard {
    token: String,
    last4: String,
    bin: String,
    brand: String,
    holder: String,
    expiration: String,
    declines: bool,
    deleted: bool,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Subscription {
    id: String,
    record_id: usize,
    user: String,
    description: String,
    currency: String,
    tokens: Vec<String>,
    /// Major-unit amount in cents (GreenPay amounts have at most two decimals).
    cents: i64,
    start: OffsetDateTime,
    end: Option<i64>,
    every: i64,
    #[serde(deserialize_with = "crate::persist::leak")]
    status: crate::persist::Name,
    optional: Value,
    order_seq: u64,
    payments: Vec<Payment>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Payment {
    id: u64,
    reference: String,
    date: OffsetDateTime,
    approved: bool,
    authorization: Option<String>,
    cents: i64,
    errors: Vec<String>,
}

/// Major units as the shortest decimal text: 10000 → `100`, 550099 → `5500.99`, 550090 → `5500.9`.
fn major_text(cents: i64) -> String {
    let text = util::format_minor(cents, 2);
    let trimmed = text.trim_end_matches('0').trim_end_matches('.');
    trimmed.to_owned()
}

/// A JSON number from exact decimal text (parsed, never computed, in floating point).
fn major_number(cents: i64) -> Value {
    serde_json::Number::from_str(&major_text(cents))
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// Parses a positive major-unit amount (number or numeric string, ≤ 2 decimals) into cents.
fn parse_amount(v: &Value) -> Option<i64> {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_owned(),
        _ => return None,
    };
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let int: i64 = int.parse().ok()?;
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    let cents = int.checked_mul(100)?.checked_add(frac)?;
    (cents > 0).then_some(cents)
}

fn add_months(t: OffsetDateTime, months: i64) -> OffsetDateTime {
    let total = i64::from(t.year()) * 12 + i64::from(u8::from(t.month())) - 1 + months;
    let year = i32::try_from(total.div_euclid(12)).unwrap_or(t.year());
    let month = Month::try_from(u8::try_from(total.rem_euclid(12) + 1).unwrap_or(1))
        .unwrap_or(Month::January);
    let day = t.day().min(time::util::days_in_month(month, year));
    Date::from_calendar_date(year, month, day)
        .map(|d| d.with_time(t.time()).assume_utc())
        .unwrap_or(t)
}

impl Subscription {
    fn next_payment(&self) -> OffsetDateTime {
        let now = util::now();
        let mut next = self.start;
        let mut guard = 0;
        while next <= now && guard < 1200 {
            next = add_months(next, self.every.max(1));
            guard += 1;
        }
        next
    }

    fn record(&self, app: &App) -> Value {
        let creds = &app.creds.greenpay;
        json!({
            "id": self.record_id.to_string(),
            "merchant_id": creds.merchant_id,
            "status": self.status,
            "user_id": self.user,
            "user_type": 1,
            "card_tokens": self.tokens,
            "purchase_order": {
                // GreenPay echoes the merchant secret here; so does the sandbox, so SDKs
                // prove they redact it.
                "secret": creds.secret,
                "currency": self.currency,
                "optional": self.optional,
                "terminal": creds.terminal,
                "description": self.description,
                "subscription": [{
                    "amount": major_number(self.cents),
                    "cadence": { "day": self.start.day(), "mode": "EVERY", "unit": "MONTH", "every": self.every },
                    "endDate": self.end,
                    "startDate": util::epoch_millis(self.start),
                }],
            },
        })
    }

    fn list_entry(&self) -> Value {
        json!({
            "id": self.id,
            "status": self.status,
            "user_id": self.user,
            "description": self.description,
            "currency": self.currency,
            "amount": major_text(self.cents),
            "startdate": util::epoch_millis(self.start).to_string(),
            "enddate": self.end.map(|e| e.to_string()),
            "cadence": format!("EVERY {} MONTH", self.every),
            "next_payment_date": util::iso_millis(self.next_payment()),
        })
    }

    fn declines(&self) -> bool {
        self.tokens
            .iter()
            .any(|t| t.to_ascii_lowercase().contains("decline"))
    }
}

impl Payment {
    fn list_entry(&self, currency: &str) -> Value {
        let result = json!({
            "status": if self.approved { 200 } else { 500 },
            "orderId": self.reference,
            "authorization": self.authorization,
            "amount": major_number(self.cents),
            "currency": currency,
            "errors": self.errors,
        });
        let date = util::iso_millis(self.date);
        let (payment_result, retries) = if self.approved {
            (result, json!([]))
        } else {
            // Misspelled keys as documented.
            (
                Value::Null,
                json!([{ "attemp_date": date, "attemp_result": result }]),
            )
        };
        json!({
            "id": self.id.to_string(),
            "reference_number": self.reference,
            "payment_date": date,
            "payment_result": payment_result,
            "payment_retries": retries,
        })
    }
}

pub(crate) fn router() -> Router<App> {
    Router::new()
        .route("/subscriptions", post(create))
        .route("/subscriptions/pay", post(pay))
        .route("/subscriptions/cancel", post(cancel))
        .route("/subscriptions/update", post(update_amount))
        .route("/subscriptions/update/card_token", post(update_token))
        .route("/subscriptions/list", post(list))
        .route("/subscriptions/list/payments", post(list_payments))
        .route("/_sandbox/webhook", post(set_webhook))
        .route("/_sandbox/checkout", post(checkout))
        .route("/", post(create_order))
        .route("/checkoutv2/createOrder", post(create_order_v2))
        .route(
            "/checkout-form/{session}",
            axum::routing::get(form_page).post(form_submit),
        )
        .route(
            "/tokenize-form/{session}",
            axum::routing::get(tokenize_form_page).post(tokenize_form_submit),
        )
        .route("/tokenize", post(token_session))
        .route("/tokenize/update", post(token_session))
        .route("/checkout/tokenize", post(tokenize))
        .route("/checkout/tokenize/update", post(tokenize))
        .route("/deleteToken", post(delete_token))
        .route("/tokenPayment", post(token_payment))
        .fallback(fallback)
}

fn fail(app: &App, code: u16, errors: &[&str]) -> Response {
    let status =
        StatusCode::from_u16(app.config.greenpay_fail_http_status).unwrap_or(StatusCode::OK);
    util::json(
        status,
        json!({ "code": code, "status": "FAIL", "result": [], "errors": errors }),
    )
}

fn success(result: Value) -> Response {
    util::json(
        StatusCode::OK,
        json!({ "status": "SUCCESS", "code": 200, "result": result, "errors": [] }),
    )
}

async fn fallback(method: Method, uri: Uri) -> Response {
    util::json(
        StatusCode::NOT_FOUND,
        json!({ "code": 404, "status": "FAIL", "result": [], "errors": [format!("Cannot {method} {}", uri.path())] }),
    )
}

/// `_signature`: hex RSA-SHA256 (PKCS#1 v1.5) over `status:<status>,orderId:<orderId>`.
fn signature(app: &App, status: &str, order_id: &str) -> Value {
    app.keys
        .sign_greenpay(format!("status:{status},orderId:{order_id}").as_bytes())
        .map(|s| Value::String(util::hex(&s)))
        .unwrap_or(Value::Null)
}

/// Parses the body and checks the in-body credentials.
fn open(app: &App, body: &[u8]) -> Result<Map<String, Value>, Response> {
    let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(body) else {
        return Err(fail(app, 400, &["The request body must be a JSON object."]));
    };
    let creds = &app.creds.greenpay;
    let merchant = obj.get("merchantId").and_then(Value::as_str);
    let secret = obj.get("secret").and_then(Value::as_str);
    if merchant != Some(creds.merchant_id.as_str()) || secret != Some(creds.secret.as_str()) {
        return Err(fail(app, 500, &[NO_MERCHANT]));
    }
    match obj.get("terminal") {
        None | Some(Value::Null) => {}
        Some(Value::String(t)) if *t == creds.terminal => {}
        Some(_) => return Err(fail(app, 500, &["Terminal doesn't exist."])),
    }
    Ok(obj)
}

fn str_field<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    obj.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

async fn set_webhook(State(app): State<App>, body: Bytes) -> Response {
    let url = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("url").and_then(Value::as_str).map(str::to_owned))
        .filter(|u| util::http_url(u).is_some());
    let Some(url) = url else {
        return fail(&app, 400, &["url must be an absolute http(s) URL."]);
    };
    let url = url.trim_end_matches('/').to_owned();
    app.lock().greenpay.webhook = Some(url.clone());
    success(json!({ "url": url }))
}

/// `POST /_sandbox/checkout` `{merchantId, secret, orderId, token}`: what GreenPay's hosted
/// checkout does once the customer pays order `orderId` with card `token` — it posts the
/// checkout result to the merchant's webhook base (`<base>/`). As GreenPay does, the result has
/// `status: 200` whether the card was charged or declined (a token containing `decline` is
/// declined); only `result.success`, `resp_code` and `errors` tell them apart, and
/// `_signature` covers `status` and `orderId` only. Answers
/// `{"orderId", "success", "delivered"}`.
async fn checkout(State(app): State<App>, body: Bytes) -> Response {
    let obj = match open(&app, &body) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let (Some(order_id), Some(token)) = (str_field(&obj, "orderId"), str_field(&obj, "token"))
    else {
        return fail(&app, 400, &["orderId and token are required."]);
    };
    let approved = !token.to_ascii_lowercase().contains("decline");
    let authorization = approved.then(|| util::random_digits(6));
    let notification = json!({
        "status": 200,
        "orderId": order_id,
        "authorization": authorization,
        "last4": "4242",
        "brand": "VISA",
        "errors": if approved { json!([]) } else { json!(["Card declined."]) },
        "callback": Value::Null,
        "result": {
            "time_local_tran": "060000",
            "systems_trace_audit_number": util::random_digits(6),
            "success": approved,
            "retrieval_ref_num": util::random_digits(12),
            "resp_code": if approved { "00" } else { "05" },
            "reserved_private4": Value::Null,
            "proc_code": "000000",
            "network_international_id": "003",
            "mti": "0210",
            "merchant_id": 485,
            "date_local_tran": "1201",
            "card_acceptor_terminal_id": "00000001",
            "authorization_id_resp": authorization,
        },
        "_signature": signature(&app, "200", order_id),
    });
    let webhook = app.lock().greenpay.webhook.clone();
    let delivered = match webhook {
        Some(base) => {
            let url = format!("{base}/");
            let body = notification.to_string().into_bytes();
            let delivery = crate::notify::deliver(
                &app,
                "greenpay",
                &url,
                body,
                Vec::<(String, String)>::new(),
            )
            .await;
            delivery.status.is_some_and(|s| (200..300).contains(&s))
        }
        None => false,
    };
    success(json!({ "orderId": order_id, "success": approved, "delivered": delivered }))
}

async fn create(State(app): State<App>, body: Bytes) -> Response {
    let obj = match open(&app, &body) {
        Ok(o) => o,
        Err(resp) => return resp,
    };
    let mut errors: Vec<&str> = Vec::new();
    let user = str_field(&obj, "userId");
    if user.is_none() {
        errors.push("userId is required.");
    }
    let description = str_field(&obj, "description");
    if description.is_none() {
        errors.push("description is required.");
    }
    let currency = str_field(&obj, "currency").filter(|c| CURRENCIES.contains(c));
    if currency.is_none() {
        errors.push("currency must be one of USD, CRC, GTQ.");
    }
    let tokens: Vec<String> = obj
        .get("tokens")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if tokens.is_empty() {
        errors.push("tokens must contain at least one card token.");
    }
    let plan = obj
        .get("subscription")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(Value::as_object);
    let cents = plan.and_then(|p| p.get("amount")).and_then(parse_amount);
    if cents.is_none() {
        errors.push("subscription[0].amount must be a positive amount in major units.");
    }
    let cadence = plan
        .and_then(|p| p.get("cadence"))
        .and_then(Value::as_object);
    let every = cadence
        .filter(|c| c.get("mode").and_then(Value::as_str) == Some("EVERY"))
        .filter(|c| c.get("unit").and_then(Value::as_str) == Some("MONTH"))
        .and_then(|c| c.get("every"))
        .and_then(Value::as_i64)
        .filter(|n| *n >= 1);
    if every.is_none() {
        errors.push(
            "subscription[0].cadence must be {\"mode\":\"EVERY\",\"unit\":\"MONTH\",\"every\":n}.",
        );
    }
    let start = match plan.and_then(|p| p.get("startDate")) {
        None | Some(Value::Null) => Some(util::now()),
        Some(v) => v.as_i64().and_then(|ms| {
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()
        }),
    };
    if start.is_none() {
        errors.push("subscription[0].startDate must be epoch milliseconds.");
    }
    let end = match plan.and_then(|p| p.get("endDate")) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_i64().map(Some).ok_or(()),
    };
    if end.is_err() {
        errors.push("subscription[0].endDate must be epoch milliseconds.");
    }
    let initial = match obj.get("initialPayment") {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.get("amount").and_then(parse_amount).map(Some).ok_or(()),
    };
    if initial.is_err() {
        errors.push("initialPayment.amount must be a positive amount in major units.");
    }
    let (
        Some(user),
        Some(description),
        Some(currency),
        Some(cents),
        Some(every),
        Some(start),
        Ok(end),
        Ok(initial),
    ) = (
        user,
        description,
        currency,
        cents,
        every,
        start,
        end,
        initial,
    )
    else {
        return fail(&app, 400, &errors);
    };
    let mut sub = Subscription {
        id: util::random_hex::<16>(),
        record_id: 0,
        user: user.to_owned(),
        description: description.to_owned(),
        currency: currency.to_owned(),
        tokens,
        cents,
        start,
        end,
        every,
        status: "ACTIVE",
        optional: obj.get("optional").cloned().unwrap_or_else(|| json!({})),
        order_seq: 0,
        payments: Vec::new(),
    };
    if initial.is_some() && sub.declines() {
        return fail(&app, 500, &["Initial payment was rejected: card declined."]);
    }
    let mut result = json!({});
    let mut st = app.lock();
    if let Some(amount) = initial {
        st.greenpay.payment_seq += 1;
        let authorization = util::random_digits(6);
        let reference = format!("{}_0", sub.id);
        sub.payments.push(Payment {
            id: st.greenpay.payment_seq,
            reference: reference.clone(),
            date: util::now(),
            approved: true,
            authorization: Some(authorization.clone()),
            cents: amount,
            errors: Vec::new(),
        });
        sub.order_seq = 1;
        result = json!({
            "success": true,
            "initialPayment": { "orderId": reference, "authorization": authorization, "errors": [] },
        });
    }
    sub.record_id = st.greenpay.subs.len() + 1;
    let id = sub.id.clone();
    let next = util::iso_date(sub.next_payment());
    st.greenpay.subs.push(sub);
    drop(st);
    util::json(
        StatusCode::OK,
        json!({
            "status": 200,
            "subscriptionId": id,
            "result": result,
            "errors": [],
            "_signature": signature(&app, "200", &id),
            "nextPaymentDate": next,
        }),
    )
}

async fn pay(State(app): State<App>, body: Bytes) -> Response {
    let obj = match open(&app, &body) {
        Ok(o) => o,
        Err(resp) => return resp,
    };
    let id = str_field(&obj, "subscriptionId").unwrap_or_default();
    let merchant = app.creds.greenpay.merchant_id.clone();
    let outcome = {
        let mut st = app.lock();
        st.greenpay.payment_seq += 1;
        let seq = st.greenpay.payment_seq;
        let Some(sub) = st
            .greenpay
            .subs
            .iter_mut()
            .find(|s| s.id == id && s.status == "ACTIVE")
        else {
            return fail(&app, 500, &[CANNOT_PAY]);
        };
        let approved = !sub.declines();
        let reference = format!("{}_{}", sub.id, sub.order_seq);
        sub.order_seq += 1;
        let payment = Payment {
            id: seq,
            reference,
            date: util::now(),
            approved,
            authorization: approved.then(|| util::random_digits(6)),
            cents: sub.cents,
            errors: if approved {
                Vec::new()
            } else {
                vec!["Card declined.".to_owned()]
            },
        };
        let order = json!({
            "orderReference": payment.reference,
            "subscriptionId": sub.id,
            "user": sub.user,
            "amount": major_number(payment.cents),
            "currency": sub.currency,
            "date": util::iso_millis(payment.date),
            "authorization": payment.authorization,
        });
        let response_order = json!({
            "order_reference": payment.reference,
            "subscriptionId": sub.id,
            "user": sub.user,
            "amount": major_number(payment.cents),
            "currency": sub.currency,
            "date": util::iso_millis(payment.date),
            "authorization": payment.authorization,
            "details": "",
            "errors": payment.errors,
            "reason": "Manual payment",
        });
        let reference = payment.reference.clone();
        sub.payments.push(payment);
        (
            approved,
            reference,
            order,
            response_order,
            st.greenpay.webhook.clone(),
        )
    };
    let (approved, reference, order, response_order, webhook) = outcome;
    let status = if approved { "approved" } else { "rejected" };
    if let Some(base) = webhook {
        let mut item = json!({
            "status": status,
            "orderStatus": "ACTIVE",
            "order": order,
            "_signature": signature(&app, status, &reference),
        });
        if !approved && let Some(obj) = item.as_object_mut() {
            obj.insert("errors".into(), json!(["Card declined."]));
        }
        let body = json!({ status: [item] }).to_string().into_bytes();
        let url = format!("{base}/subscription/payment/results");
        crate::notify::deliver(&app, "greenpay", &url, body, Vec::<(String, String)>::new()).await;
    }
    if !approved {
        return fail(&app, 500, &["Payment rejected: card declined."]);
    }
    util::json(
        StatusCode::OK,
        json!({
            "status": "SUCCESS",
            "code": 200,
            "result": {
                "status": status,
                "orderStatus": "ACTIVE",
                "merchantId": merchant,
                "order": response_order,
            },
            "errors": [],
            "_signature": signature(&app, status, &reference),
        }),
    )
}

/// Finds the subscription named in the body (and owned by `user` when given) and applies `f`.
fn modify(
    app: &App,
    obj: &Map<String, Value>,
    f: impl FnOnce(&mut Subscription) -> Result<(), &'static str>,
) -> Response {
    let id = str_field(obj, "subscriptionId").unwrap_or_default();
    let user = str_field(obj, "user");
    let mut st = app.lock();
    let Some(sub) = st
        .greenpay
        .subs
        .iter_mut()
        .find(|s| s.id == id && user.is_none_or(|u| u == s.user))
    else {
        return fail(app, 500, &[NOT_FOUND]);
    };
    match f(sub) {
        Ok(()) => success(sub.record(app)),
        Err(e) => fail(app, 500, &[e]),
    }
}

async fn cancel(State(app): State<App>, body: Bytes) -> Response {
    let obj = match open(&app, &body) {
        Ok(o) => o,
        Err(resp) => return resp,
    };
    modify(&app, &obj, |s| {
        if s.status == "CANCELLED" {
            return Err("Subscription is already cancelled.");
        }
        s.status = "CANCELLED";
        Ok(())
    })
}

async fn update_amount(State(app): State<App>, body: Bytes) -> Response {
    let obj = match open(&app, &body) {
        Ok(o) => o,
        Err(resp) => return resp,
    };
    let Some(cents) = obj.get("amount").and_then(parse_amount) else {
        return fail(
            &app,
            400,
            &["amount must be a positive amount in major units."],
        );
    };
    modify(&app, &obj, |s| {
        if s.status != "ACTIVE" {
            return Err("Subscription not found. Impossible to update.");
        }
        s.cents = cents;
        Ok(())
    })
}

async fn update_token(State(app): State<App>, body: Bytes) -> Response {
    let obj = match open(&app, &body) {
        Ok(o) => o,
        Err(resp) => return resp,
    };
    let Some(token) = str_field(&obj, "token").map(str::to_owned) else {
        return fail(&app, 400, &["token is required."]);
    };
    modify(&app, &obj, |s| {
        if s.status != "ACTIVE" {
            return Err("Subscription not found. Impossible to update.");
        }
        s.tokens = vec![token];
        Ok(())
    })
}

/// `pageSize` (1–100, default 10) and `page` (≥ 1, default 1).
fn paging(app: &App, obj: &Map<String, Value>) -> Result<(usize, usize), Response> {
    let size = obj.get("pageSize").map_or(Some(10), util::int_or_string);
    let page = obj.get("page").map_or(Some(1), util::int_or_string);
    match (size, page) {
        (Some(s @ 1..=100), Some(p @ 1..)) => Ok((
            usize::try_from(s).unwrap_or(10),
            usize::try_from(p).unwrap_or(1),
        )),
        _ => Err(fail(
            app,
            400,
            &["pageSize must be between 1 and 100 and page at least 1."],
        )),
    }
}

fn page_of(entries: Vec<Value>, size: usize, page: usize) -> Value {
    let total = entries.len();
    let items: Vec<Value> = entries
        .into_iter()
        .skip(size.saturating_mul(page - 1))
        .take(size)
        .collect();
    json!({
        "entries": items,
        "page": page,
        "totalEntries": total,
        "totalPages": total.div_ceil(size),
    })
}

fn normalize_status(s: &str) -> String {
    let up = s.trim().to_ascii_uppercase().replace(' ', "_");
    if up == "CANCELED" {
        "CANCELLED".into()
    } else {
        up
    }
}

async fn list(State(app): State<App>, body: Bytes) -> Response {
    let obj = match open(&app, &body) {
        Ok(o) => o,
        Err(resp) => return resp,
    };
    let (size, page) = match paging(&app, &obj) {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let filters = obj.get("filters").and_then(Value::as_object);
    let statuses: Vec<String> = filters
        .and_then(|f| f.get("status"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(normalize_status)
                .collect()
        })
        .unwrap_or_default();
    let user = filters.and_then(|f| f.get("user")).and_then(Value::as_str);
    let min = filters
        .and_then(|f| f.get("minAmount"))
        .and_then(parse_amount);
    let max = filters
        .and_then(|f| f.get("maxAmount"))
        .and_then(parse_amount);
    let st = app.lock();
    let entries: Vec<Value> = st
        .greenpay
        .subs
        .iter()
        .filter(|s| statuses.is_empty() || statuses.iter().any(|x| x == s.status))
        .filter(|s| user.is_none_or(|u| u == s.user))
        .filter(|s| min.is_none_or(|m| s.cents >= m) && max.is_none_or(|m| s.cents <= m))
        .map(Subscription::list_entry)
        .collect();
    util::json(
        StatusCode::OK,
        json!({ "status": "SUCCESS", "code": 200, "result": page_of(entries, size, page), "errors": [] }),
    )
}

async fn list_payments(State(app): State<App>, body: Bytes) -> Response {
    let obj = match open(&app, &body) {
        Ok(o) => o,
        Err(resp) => return resp,
    };
    let (size, page) = match paging(&app, &obj) {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let id = str_field(&obj, "subscriptionId").unwrap_or_default();
    let st = app.lock();
    let Some(sub) = st.greenpay.subs.iter().find(|s| s.id == id) else {
        return fail(&app, 500, &[NOT_FOUND]);
    };
    let entries: Vec<Value> = sub
        .payments
        .iter()
        .map(|p| p.list_entry(&sub.currency))
        .collect();
    util::json(
        StatusCode::OK,
        json!({ "status": "SUCCESS", "code": 200, "result": page_of(entries, size, page), "errors": [] }),
    )
}

/// The states the dashboard may move a subscription to.
const STATES: &[&str] = &["ACTIVE", "CANCELLED"];
/// The results the dashboard may give a payment.
const PAYMENT_STATES: &[&str] = &["approved", "rejected"];

/// Dashboard rows: every subscription and its payments.
pub(crate) fn dashboard_rows(store: &Store) -> Vec<crate::dashboard::Row> {
    let mut rows = Vec::new();
    for s in &store.subs {
        rows.push(crate::dashboard::Row {
            kind: "subscription",
            id: s.id.clone(),
            detail: format!(
                "{} {} · {} · user {}",
                major_text(s.cents),
                s.currency,
                s.description,
                s.user
            ),
            state: s.status.to_owned(),
            states: STATES,
        });
        for p in &s.payments {
            rows.push(crate::dashboard::Row {
                kind: "payment",
                id: p.reference.clone(),
                detail: format!("{} {}", major_text(p.cents), s.currency),
                state: if p.approved { "approved" } else { "rejected" }.to_owned(),
                states: PAYMENT_STATES,
            });
        }
    }
    rows
}

/// Moves subscription `id` to `state`, or sets the result of payment `id`.
pub(crate) fn set_state(store: &mut Store, id: &str, state: &str) -> bool {
    if let Some(s) = store.subs.iter_mut().find(|s| s.id == id) {
        return match crate::dashboard::pick(STATES, state) {
            Some(state) => {
                s.status = state;
                true
            }
            None => false,
        };
    }
    let Some(state) = crate::dashboard::pick(PAYMENT_STATES, state) else {
        return false;
    };
    for s in &mut store.subs {
        if let Some(p) = s.payments.iter_mut().find(|p| p.reference == id) {
            p.approved = state == "approved";
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_major_units() {
        assert_eq!(parse_amount(&json!(100)), Some(10000));
        assert_eq!(parse_amount(&json!(5500.99)), Some(550099));
        assert_eq!(parse_amount(&json!("10")), Some(1000));
        assert_eq!(parse_amount(&json!(1.234)), None);
        assert_eq!(parse_amount(&json!(0)), None);
        assert_eq!(major_text(10000), "100");
        assert_eq!(major_text(550099), "5500.99");
        assert_eq!(major_number(550090).to_string(), "5500.9");
    }

    #[test]
    fn months_are_added_on_the_calendar() {
        let t = time::macros::datetime!(2024-01-31 00:00 UTC);
        assert_eq!(
            add_months(t, 1),
            time::macros::datetime!(2024-02-29 00:00 UTC)
        );
        assert_eq!(
            add_months(t, 12),
            time::macros::datetime!(2025-01-31 00:00 UTC)
        );
    }
}

/// The lifetime of an order's or a tokenization session's `session` and `token`.
const SESSION_MINUTES: i64 = 30;

async fn create_order(State(app): State<App>, body: Bytes) -> Response {
    order_answer(&app, &body, false)
}

async fn create_order_v2(State(app): State<App>, body: Bytes) -> Response {
    order_answer(&app, &body, true)
}

/// `POST /` and `/checkoutv2/createOrder`: `{amount, currency, description, orderReference,
/// callback?}` → `{session, token}` (v2 adds `statusCode` and `message`).
fn order_answer(app: &App, body: &[u8], v2: bool) -> Response {
    let obj = match open(app, body) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some(cents) = obj.get("amount").and_then(parse_amount) else {
        return fail(app, 400, &["amount must be a positive number."]);
    };
    let currency = str_field(&obj, "currency").unwrap_or_default().to_owned();
    let accepted: &[&str] = if v2 { &["CRC", "USD"] } else { CURRENCIES };
    if !accepted.contains(&currency.as_str()) {
        return fail(app, 400, &["Invalid currency."]);
    }
    let (Some(description), Some(reference)) = (
        str_field(&obj, "description"),
        str_field(&obj, "orderReference"),
    ) else {
        return fail(app, 400, &["description and orderReference are required."]);
    };
    let callback = str_field(&obj, "callback").map(str::to_owned);
    if callback
        .as_deref()
        .is_some_and(|c| util::http_url(c).is_none())
    {
        return fail(app, 400, &["callback must be an absolute http(s) URL."]);
    }
    let session = Session {
        session: util::uuid_v4(),
        token: util::random_hex::<24>(),
        created: util::now(),
        order: Some(Order {
            cents,
            currency,
            description: description.to_owned(),
            reference: reference.to_owned(),
            callback,
        }),
        request_id: None,
        used: false,
        callback: None,
    };
    let answer = if v2 {
        json!({ "session": session.session, "token": session.token, "statusCode": 200, "message": "Order created" })
    } else {
        json!({ "session": session.session, "token": session.token })
    };
    app.lock().greenpay.sessions.push(session);
    util::json(StatusCode::OK, answer)
}

/// The live session `id` (created less than 30 minutes ago).
fn live_session(app: &App, id: &str) -> Option<Session> {
    let st = app.lock();
    st.greenpay
        .sessions
        .iter()
        .find(|s| s.session == id)
        .filter(|s| util::now() - s.created < time::Duration::minutes(SESSION_MINUTES))
        .cloned()
}

async fn form_page(
    State(app): State<App>,
    axum::extract::Path(session): axum::extract::Path<String>,
) -> Response {
    let Some(order) = live_session(&app, &session).and_then(|s| s.order.filter(|_| !s.used)) else {
        return crate::pages::error_page(
            StatusCode::GONE,
            "Order unavailable",
            "This payment order does not exist, was paid or has expired (30 minutes).",
        );
    };
    crate::pages::payment_page(&crate::pages::PaymentPage {
        provider: "GreenPay",
        title: &order.description,
        amount: &format!("{} {}", util::format_minor(order.cents, 2), order.currency),
        details: vec![("Order", order.reference.clone())],
        hidden: Vec::new(),
        pay_label: "Pay",
    })
}

/// The signed checkout result GreenPay posts to the merchant's webhook base for `order_id`.
fn checkout_result(app: &App, order_id: &str, approved: bool, last4: &str, brand: &str) -> Value {
    let authorization = approved.then(|| util::random_digits(6));
    json!({
        "status": 200,
        "orderId": order_id,
        "authorization": authorization,
        "last4": last4,
        "brand": brand,
        "errors": if approved { json!([]) } else { json!(["Card declined."]) },
        "callback": Value::Null,
        "result": {
            "time_local_tran": "060000",
            "systems_trace_audit_number": util::random_digits(6),
            "success": approved,
            "retrieval_ref_num": util::random_digits(12),
            "resp_code": if approved { "00" } else { "05" },
            "reserved_private4": Value::Null,
            "proc_code": "000000",
            "network_international_id": "003",
            "mti": "0210",
            "merchant_id": 485,
            "date_local_tran": "1201",
            "card_acceptor_terminal_id": "00000001",
            "authorization_id_resp": authorization,
        },
        "_signature": signature(app, "200", order_id),
    })
}

/// Posts `body` to `<webhook base><path>`, if the merchant registered a base.
async fn notify(app: &App, path: &str, body: &Value) -> bool {
    let webhook = app.lock().greenpay.webhook.clone();
    let Some(base) = webhook else {
        return false;
    };
    let delivery = crate::notify::deliver(
        app,
        "greenpay",
        &format!("{base}{path}"),
        body.to_string().into_bytes(),
        Vec::<(String, String)>::new(),
    )
    .await;
    delivery.status.is_some_and(|s| (200..300).contains(&s))
}

async fn form_submit(
    State(app): State<App>,
    axum::extract::Path(session): axum::extract::Path<String>,
    form: Result<axum::Form<crate::pages::DecisionForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Some(decision) = form.ok().and_then(|axum::Form(f)| f.decision()) else {
        return crate::pages::bad_decision();
    };
    let order = {
        let mut st = app.lock();
        let live = st.greenpay.sessions.iter_mut().find(|s| {
            s.session == session
                && !s.used
                && s.order.is_some()
                && util::now() - s.created < time::Duration::minutes(SESSION_MINUTES)
        });
        match live {
            Some(s) => {
                s.used = true;
                s.order.clone()
            }
            None => None,
        }
    };
    let Some(order) = order else {
        return crate::pages::error_page(
            StatusCode::GONE,
            "Order unavailable",
            "This payment order does not exist, was paid or has expired (30 minutes).",
        );
    };
    let approved = decision == crate::pages::Decision::Pay;
    let result = checkout_result(&app, &order.reference, approved, "4242", "VISA");
    notify(&app, "/", &result).await;
    match order
        .callback
        .as_deref()
        .and_then(|c| callback_with(c, &result))
    {
        Some(target) => util::see_other(&target),
        None => crate::pages::result_page(
            if approved {
                "Payment successful"
            } else {
                "Payment declined"
            },
            &format!(
                "Order {} was {}.",
                order.reference,
                if approved { "paid" } else { "declined" }
            ),
        ),
    }
}

/// `POST /tokenize` (`/tokenize/update`) `{secret, merchantId, requestId}`: a tokenization
/// session.
async fn token_session(State(app): State<App>, body: Bytes) -> Response {
    let obj = match open(&app, &body) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some(request_id) = str_field(&obj, "requestId") else {
        return fail(&app, 400, &["requestId is required."]);
    };
    let callback = str_field(&obj, "callback").map(str::to_owned);
    if callback
        .as_deref()
        .is_some_and(|c| util::http_url(c).is_none())
    {
        return fail(&app, 400, &["callback must be an absolute http(s) URL."]);
    }
    let session = Session {
        session: util::uuid_v4(),
        token: util::random_hex::<24>(),
        created: util::now(),
        order: None,
        request_id: Some(request_id.to_owned()),
        used: false,
        callback,
    };
    let answer = json!({ "session": session.session, "token": session.token });
    app.lock().greenpay.sessions.push(session);
    util::json(StatusCode::OK, answer)
}

fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b.wrapping_sub(b'0'));
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Decrypts the envelope `{session, ld, lk}`: `lk` (base64) with the RSA private key into
/// `{"k":[16 bytes],"s":counter}`, then `ld` (hex) with AES-128-CTR, the 128-bit big-endian
/// counter block starting at `s`.
fn open_envelope(app: &App, obj: &Map<String, Value>) -> Option<Value> {
    use base64::Engine as _;
    let lk = base64::engine::general_purpose::STANDARD
        .decode(str_field(obj, "lk")?)
        .ok()?;
    let pair: Value = serde_json::from_slice(&app.keys.decrypt_greenpay(&lk)?).ok()?;
    let key: Vec<u8> = pair
        .get("k")?
        .as_array()?
        .iter()
        .map(|v| v.as_u64().and_then(|n| u8::try_from(n).ok()))
        .collect::<Option<_>>()?;
    let counter = u8::try_from(pair.get("s")?.as_u64()?).ok()?;
    let ld = str_field(obj, "ld")?;
    let mut data: Vec<u8> = (0..ld.len())
        .step_by(2)
        .map(|i| {
            ld.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect::<Option<_>>()?;
    let mut iv = [0u8; 16];
    iv[15] = counter;
    let unbound =
        aws_lc_rs::cipher::UnboundCipherKey::new(&aws_lc_rs::cipher::AES_128, &key).ok()?;
    let decrypting = aws_lc_rs::cipher::DecryptingKey::ctr(unbound).ok()?;
    let plain = decrypting
        .decrypt(
            &mut data,
            aws_lc_rs::cipher::DecryptionContext::Iv128(iv.into()),
        )
        .ok()?;
    serde_json::from_slice(plain).ok()
}

/// `POST /checkout/tokenize` (`/update`) with `liszt-token`: decrypts the card, checks it and
/// answers (and notifies `<webhook>/newCard`) a token signed over `status` and `requestId`.
async fn tokenize(
    State(app): State<App>,
    headers: axum::http::HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    let token = headers
        .get("liszt-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(&body) else {
        return fail(&app, 400, &["The request body must be a JSON object."]);
    };
    let session_id = str_field(&obj, "session").unwrap_or_default().to_owned();
    let session = {
        let mut st = app.lock();
        let found = st.greenpay.sessions.iter_mut().find(|s| {
            s.session == session_id
                && s.token == token
                && s.order.is_none()
                && !s.used
                && util::now() - s.created < time::Duration::minutes(SESSION_MINUTES)
        });
        found.map(|s| {
            s.used = true;
            s.clone()
        })
    };
    let Some(session) = session else {
        return fail(&app, 401, &["Invalid or expired session."]);
    };
    let Some(plain) = open_envelope(&app, &obj) else {
        return fail(&app, 400, &["The card data could not be decrypted."]);
    };
    let update = uri.path().ends_with("/update");
    let request_id = session.request_id.clone().unwrap_or_default();
    let existing = plain
        .get("token")
        .and_then(Value::as_str)
        .filter(|_| update)
        .map(str::to_owned);
    let answer = match issue_card(&app, &plain["card"], &request_id, existing) {
        Ok(answer) => answer,
        Err(why) => return fail(&app, 400, &[why]),
    };
    notify(&app, "/newCard", &answer).await;
    util::json(StatusCode::OK, answer)
}

/// `POST /deleteToken` `{token, secret, merchantId, requestId}`.
async fn delete_token(State(app): State<App>, body: Bytes) -> Response {
    let obj = match open(&app, &body) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some(token) = str_field(&obj, "token") else {
        return fail(&app, 400, &["token is required."]);
    };
    let mut st = app.lock();
    match st
        .greenpay
        .cards
        .iter_mut()
        .find(|c| c.token == token && !c.deleted)
    {
        Some(card) => {
            card.deleted = true;
            drop(st);
            success(json!({ "token": token, "deleted": true }))
        }
        None => {
            drop(st);
            fail(&app, 404, &["Token not found."])
        }
    }
}

/// `POST /tokenPayment` `{amount, currency, description, orderReference, token}`: charges a
/// card token now; answers a checkout result (signed over `status` and `orderId`) and posts
/// it to the webhook base.
async fn token_payment(State(app): State<App>, body: Bytes) -> Response {
    let obj = match open(&app, &body) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some(_cents) = obj.get("amount").and_then(parse_amount) else {
        return fail(&app, 400, &["amount must be a positive number."]);
    };
    let currency = str_field(&obj, "currency").unwrap_or_default();
    if !CURRENCIES.contains(&currency) {
        return fail(&app, 400, &["Invalid currency."]);
    }
    let (Some(reference), Some(token)) =
        (str_field(&obj, "orderReference"), str_field(&obj, "token"))
    else {
        return fail(&app, 400, &["orderReference and token are required."]);
    };
    let card = {
        let st = app.lock();
        st.greenpay.cards.iter().find(|c| c.token == token).cloned()
    };
    if card.as_ref().is_some_and(|c| c.deleted) {
        return fail(&app, 404, &["Token not found."]);
    }
    let (approved, last4, brand) = match &card {
        Some(c) => (!c.declines, c.last4.clone(), c.brand.clone()),
        // Tokens the sandbox did not issue (the subscription tests' placeholders) are charged
        // unless they name a decline.
        None => (
            !token.to_ascii_lowercase().contains("decline"),
            "4242".to_owned(),
            "VISA".to_owned(),
        ),
    };
    let result = checkout_result(&app, reference, approved, &last4, &brand);
    notify(&app, "/", &result).await;
    util::json(StatusCode::OK, result)
}

/// Checks a decrypted (or typed) card and issues its token: the signed tokenization answer.
fn issue_card(
    app: &App,
    card: &Value,
    request_id: &str,
    existing: Option<String>,
) -> Result<Value, &'static str> {
    let text = |v: &Value| match v {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    let number: String = text(&card["cardNumber"])
        .chars()
        .filter(|c| *c != ' ' && *c != '-')
        .collect();
    let cvc = text(&card["cvc"]);
    let month: u64 = text(&card["expirationDate"]["month"]).parse().unwrap_or(0);
    let year: u64 = text(&card["expirationDate"]["year"]).parse().unwrap_or(100);
    if !(12..=19).contains(&number.len())
        || !number.bytes().all(|b| b.is_ascii_digit())
        || !luhn(&number)
        || !(3..=4).contains(&cvc.len())
    {
        return Err("Invalid card.");
    }
    if !(1..=12).contains(&month) || year > 99 {
        return Err("Invalid expiration date.");
    }
    let brand = match number.as_bytes().first() {
        Some(b'4') => "VISA",
        Some(b'5') => "MASTERCARD",
        Some(b'3') => "AMEX",
        _ => "OTHER",
    };
    let declines = number.ends_with("0002");
    let stored = StoredCard {
        token: match existing {
            Some(token) => token,
            None if declines => format!("tok-decline-{}", util::random_hex::<12>()),
            None => format!("tok-{}", util::random_hex::<16>()),
        },
        last4: number[number.len() - 4..].to_owned(),
        bin: number[..6].to_owned(),
        brand: brand.to_owned(),
        holder: text(&card["cardHolder"]),
        expiration: format!("{year:02}{month:02}"),
        declines,
        deleted: false,
    };
    {
        let mut st = app.lock();
        st.greenpay.cards.retain(|c| c.token != stored.token);
        st.greenpay.cards.push(stored.clone());
    }
    Ok(json!({
        "status": 200,
        "requestId": request_id,
        "result": { "token": stored.token, "last_digits": stored.last4, "bin": stored.bin },
        "expiration_date": stored.expiration,
        "brand": stored.brand,
        "nickname": card["nickname"],
        "cardHolder": stored.holder,
        "errors": [],
        "callback": Value::Null,
        "_signature": tokenization_signature(app, "200", request_id),
    }))
}

/// `_signature` of a tokenization answer: over `status:<status>,requestId:<requestId>`.
fn tokenization_signature(app: &App, status: &str, request_id: &str) -> Value {
    app.keys
        .sign_greenpay(format!("status:{status},requestId:{request_id}").as_bytes())
        .map(|s| Value::String(util::hex(&s)))
        .unwrap_or(Value::Null)
}

/// The result appended to a callback URL: the JSON, URL-safe base64 without padding (so that
/// it is one path segment; GreenPay's pages say "base64").
fn callback_with(callback: &str, result: &Value) -> Option<String> {
    use base64::Engine as _;
    let url = util::http_url(callback)?;
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(result.to_string());
    Some(format!(
        "{}/{}",
        url.as_str().trim_end_matches('/'),
        encoded
    ))
}

/// The sandbox's test card, pre-filled in the hosted tokenization form.
const FORM_CARD: [(&str, &str); 5] = [
    ("cardHolder", "Sandbox Customer"),
    ("cardNumber", "4242424242424242"),
    ("cvc", "123"),
    ("month", "12"),
    ("year", "30"),
];

/// The live, unused tokenization session `id`.
fn live_tokenization(app: &App, id: &str) -> Option<Session> {
    live_session(app, id).filter(|s| s.order.is_none() && !s.used)
}

/// `GET /tokenize-form/{session}`: GreenPay's hosted tokenization form (the test card
/// pre-filled; Pay tokenizes it, Decline cancels).
async fn tokenize_form_page(
    State(app): State<App>,
    axum::extract::Path(session): axum::extract::Path<String>,
) -> Response {
    let Some(s) = live_tokenization(&app, &session) else {
        return crate::pages::error_page(
            StatusCode::GONE,
            "Tokenization unavailable",
            "This tokenization session does not exist, was used or has expired (30 minutes).",
        );
    };
    crate::pages::payment_page(&crate::pages::PaymentPage {
        provider: "GreenPay",
        title: "Save your card",
        amount: "",
        details: vec![("Request", s.request_id.unwrap_or_default())],
        hidden: FORM_CARD
            .iter()
            .map(|(k, v)| (*k, (*v).to_owned()))
            .collect(),
        pay_label: "Save card",
    })
}

/// The hosted tokenization form's submission: the card fields and `decision`.
#[derive(serde::Deserialize)]
struct CardForm {
    decision: String,
    #[serde(rename = "cardHolder", default)]
    card_holder: String,
    #[serde(rename = "cardNumber", default)]
    card_number: String,
    #[serde(default)]
    cvc: String,
    #[serde(default)]
    month: String,
    #[serde(default)]
    year: String,
}

async fn tokenize_form_submit(
    State(app): State<App>,
    axum::extract::Path(session): axum::extract::Path<String>,
    form: Result<axum::Form<CardForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(axum::Form(form)) = form else {
        return crate::pages::bad_decision();
    };
    let s = {
        let mut st = app.lock();
        let found = st.greenpay.sessions.iter_mut().find(|s| {
            s.session == session
                && s.order.is_none()
                && !s.used
                && util::now() - s.created < time::Duration::minutes(SESSION_MINUTES)
        });
        found.map(|s| {
            s.used = true;
            s.clone()
        })
    };
    let Some(s) = s else {
        return crate::pages::error_page(
            StatusCode::GONE,
            "Tokenization unavailable",
            "This tokenization session does not exist, was used or has expired (30 minutes).",
        );
    };
    let request_id = s.request_id.clone().unwrap_or_default();
    let result = match form.decision.as_str() {
        "pay" => {
            let card = json!({
                "cardHolder": form.card_holder,
                "cardNumber": form.card_number,
                "cvc": form.cvc,
                "expirationDate": {"month": form.month, "year": form.year},
            });
            match issue_card(&app, &card, &request_id, None) {
                Ok(answer) => answer,
                Err(why) => json!({
                    "status": 400, "requestId": request_id, "errors": [why],
                    "_signature": tokenization_signature(&app, "400", &request_id),
                }),
            }
        }
        "decline" => json!({
            "status": 400, "requestId": request_id, "errors": ["Cancelled by the customer."],
            "_signature": tokenization_signature(&app, "400", &request_id),
        }),
        _ => return crate::pages::bad_decision(),
    };
    notify(&app, "/newCard", &result).await;
    match s
        .callback
        .as_deref()
        .and_then(|c| callback_with(c, &result))
    {
        Some(target) => util::see_other(&target),
        None => crate::pages::result_page("Card saved", &format!("Request {request_id} done.")),
    }
}
