//! Card tokens: `POST /gateway/credit_cards` (save a card) and
//! `POST /gateway/credit_cards/{token}` (change its holder or expiry), both `{"request":
//! {...}}`, answered with the card as a bare object (`holder`, `stamp`, `brand`, `last_4`,
//! `first_1`, `token`, `exp_month`, `exp_year`).
//!
//! - a `RequestID` repeat gets the first answer again, like the card transactions;
//! - the number must be 12 to 19 digits passing the Luhn check, the month 1–12 and the year
//!   four digits, else 422 with the field named; an unknown token is a 404;
//! - a saved token pays: card transactions by it are approved (see `card`).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::card::{answer, respond};
use super::{Errors, add, authorize, humanize};
use crate::state::App;
use crate::util;

/// A saved card (never its full number).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct CardRec {
    pub(crate) token: String,
    holder: String,
    stamp: String,
    brand: String,
    last_4: String,
    first_1: String,
    exp_month: u8,
    exp_year: u16,
}

impl CardRec {
    fn to_json(&self) -> Value {
        json!({
            "holder": self.holder,
            "stamp": self.stamp,
            "brand": self.brand,
            "last_4": self.last_4,
            "first_1": self.first_1,
            "token": self.token,
            "exp_month": self.exp_month,
            "exp_year": self.exp_year,
        })
    }
}

fn luhn(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

fn int_field(request: &Map<String, Value>, field: &str) -> Option<i64> {
    match request.get(field)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn expiry(request: &Map<String, Value>, errors: &mut Errors, required: bool) -> Option<(u8, u16)> {
    let month = int_field(request, "exp_month");
    let year = int_field(request, "exp_year");
    if !required && request.get("exp_month").is_none() && request.get("exp_year").is_none() {
        return None;
    }
    let month = match month {
        Some(m @ 1..=12) => Some(m as u8),
        _ => {
            add(errors, "exp_month", "is invalid");
            None
        }
    };
    let year = match year {
        Some(y @ 2000..=2099) => Some(y as u16),
        _ => {
            add(errors, "exp_year", "is invalid");
            None
        }
    };
    month.zip(year)
}

fn holder(request: &Map<String, Value>, errors: &mut Errors, required: bool) -> Option<String> {
    match request.get("holder") {
        Some(Value::String(h)) if !h.trim().is_empty() => Some(h.clone()),
        None if !required => None,
        _ => {
            add(errors, "holder", "can't be blank");
            None
        }
    }
}

fn refusal(errors: &Errors) -> (u16, String) {
    let message = errors
        .iter()
        .flat_map(|(field, msgs)| msgs.iter().map(move |m| format!("{} {m}", humanize(field))))
        .collect::<Vec<_>>()
        .join(". ");
    answer(
        StatusCode::UNPROCESSABLE_ENTITY,
        json!({ "message": message, "errors": errors }),
    )
}

/// The `request` object of a body, or the 422 naming it.
fn request_of(body: &[u8]) -> Result<Map<String, Value>, (u16, String)> {
    serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("request").and_then(Value::as_object).cloned())
        .ok_or_else(|| {
            let mut errors = Errors::new();
            add(&mut errors, "request", "is missing");
            refusal(&errors)
        })
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("requestid")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// `POST /gateway/credit_cards`.
pub(super) async fn create(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(resp) = authorize(&app, &headers) {
        return resp;
    }
    let id = request_id(&headers);
    let mut st = app.lock();
    if let Some(first) = id.as_ref().and_then(|id| st.begateway.request_ids.get(id)) {
        return respond(first);
    }
    let outcome = request_of(&body).and_then(|request| {
        let mut errors = Errors::new();
        let number = request
            .get("number")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if !(12..=19).contains(&number.len())
            || !number.bytes().all(|b| b.is_ascii_digit())
            || !luhn(&number)
        {
            add(&mut errors, "number", "is not a card number");
        }
        let holder = holder(&request, &mut errors, true);
        let expiry = expiry(&request, &mut errors, true);
        match (holder, expiry) {
            (Some(holder), Some((exp_month, exp_year))) if errors.is_empty() => {
                let brand = match number.as_bytes()[0] {
                    b'4' => "visa",
                    b'5' => "master",
                    _ => "unknown",
                };
                let rec = CardRec {
                    token: util::random_hex::<32>(),
                    holder,
                    stamp: util::random_hex::<32>(),
                    brand: brand.to_owned(),
                    last_4: number[number.len() - 4..].to_owned(),
                    first_1: number[..1].to_owned(),
                    exp_month,
                    exp_year,
                };
                let stored = answer(StatusCode::OK, rec.to_json());
                st.begateway.card_tokens.push(rec);
                Ok(stored)
            }
            _ => Err(refusal(&errors)),
        }
    });
    let stored = outcome.unwrap_or_else(|refused| refused);
    if let Some(id) = id {
        st.begateway.request_ids.insert(id, stored.clone());
    }
    respond(&stored)
}

/// `POST /gateway/credit_cards/{token}`.
pub(super) async fn update(
    State(app): State<App>,
    headers: HeaderMap,
    Path(token): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(resp) = authorize(&app, &headers) {
        return resp;
    }
    let id = request_id(&headers);
    let mut st = app.lock();
    if let Some(first) = id.as_ref().and_then(|id| st.begateway.request_ids.get(id)) {
        return respond(first);
    }
    let Some(index) = st
        .begateway
        .card_tokens
        .iter()
        .position(|c| c.token == token)
    else {
        return super::not_found("Record not found");
    };
    let outcome = request_of(&body).and_then(|request| {
        let mut errors = Errors::new();
        let holder = holder(&request, &mut errors, false);
        let expiry = expiry(&request, &mut errors, false);
        if holder.is_none() && expiry.is_none() && errors.is_empty() {
            add(&mut errors, "request", "changes nothing");
        }
        if !errors.is_empty() {
            return Err(refusal(&errors));
        }
        let rec = &mut st.begateway.card_tokens[index];
        if let Some(holder) = holder {
            rec.holder = holder;
        }
        if let Some((month, year)) = expiry {
            rec.exp_month = month;
            rec.exp_year = year;
        }
        Ok(answer(StatusCode::OK, rec.to_json()))
    });
    let stored = outcome.unwrap_or_else(|refused| refused);
    if let Some(id) = id {
        st.begateway.request_ids.insert(id, stored.clone());
    }
    respond(&stored)
}
