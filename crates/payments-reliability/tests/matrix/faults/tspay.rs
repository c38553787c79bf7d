//! TS Pay's operations for the fault rows, each in both path styles (the documented
//! `/{itemId}/…` routes and the public integration's `/orders/…` routes).

use std::sync::Arc;

use payments_common::http::HttpConfig;
use payments_common::testing::Reply;
use payments_common::{Error, ProviderError, Url};
use payments_reliability::canary::{self, API_KEY};
use payments_reliability::{fixture, patient_config};
use tspay::{
    AppSecret, Client, Credentials, Currency, Money, Onboarding, OrderKey, PathStyle,
    PayLinkRequest, SaveLinkRequest, Template, WebhookRegistration,
};

use super::{Call, Mapped, Op};

/// The item id of the documented route style.
pub const ITEM_ID: &str = "company-42";
/// An order key.
pub const ORDER_KEY: &str = "mock_5f1c2a9be03d4c7a81f2e6b0";

/// A client on `base` with the canary API key and the given path style.
pub fn client(base: &Url, style: PathStyle) -> Result<Client, Error> {
    client_with(base, style, patient_config())
}

/// A client on `base` with the canary API key, the given path style and HTTP settings.
pub fn client_with(base: &Url, style: PathStyle, config: HttpConfig) -> Result<Client, Error> {
    Client::builder(Credentials::new(API_KEY))
        .base_url(base.as_str())
        .path_style(style)
        .http_config(config)
        .build()
        .map_err(ProviderError::into_kind)
}

/// The two path styles, with a label.
pub fn styles() -> [(&'static str, PathStyle); 2] {
    [
        ("direct", PathStyle::Direct),
        (
            "gateway",
            PathStyle::Gateway {
                item_id: ITEM_ID.into(),
            },
        ),
    ]
}

/// A valid pay link request.
pub fn pay_link() -> PayLinkRequest {
    PayLinkRequest::new(
        Template::new("Shop S.r.l.", "Ordine 42"),
        Money::from_minor_units(1450, Currency::EUR),
    )
    .external_ref("order-42")
}

/// A valid save link request.
pub fn save_link() -> SaveLinkRequest {
    SaveLinkRequest::new(Template::new("Shop S.r.l.", "Abbonamento")).external_ref("customer-7")
}

fn error_body(status: u16, echo: &str) -> Reply {
    Reply::json(
        status,
        &format!(
            r#"{{"statusCode":{status},"message":"rejected: {echo}","error":"E{status}","card":{}}}"#,
            canary::card_json()
        ),
    )
}

fn mapped(status: u16) -> Mapped {
    match status {
        401 | 403 => Mapped::Unauthorized,
        404 => Mapped::NotFound,
        _ => Mapped::Api,
    }
}

fn fixture_reply(file: &str) -> Reply {
    Reply::json(200, &String::from_utf8_lossy(&fixture("tspay", file)))
}

/// Every TS Pay operation, in both path styles.
pub fn ops() -> Vec<Op> {
    let mut ops = Vec::new();
    for (name, style) in styles() {
        let make = |operation: &'static str,
                    write: bool,
                    ok: Reply,
                    wrong: (Reply, &'static str),
                    call: Call| Op {
            provider: "tspay",
            label: format!("{operation} [{name}]"),
            operation,
            write,
            ok,
            wrong_type: Some(wrong),
            error_body,
            mapped,
            echo: API_KEY.to_owned(),
            api_errors_final: false,
            call,
            prefix: Vec::new(),
            ok_tail: Vec::new(),
            skip: &[],
        };
        let s = style.clone();
        ops.push(make(
            "tspay.link2pay.create",
            true,
            fixture_reply("link2pay.response.json"),
            (Reply::json(201, r#"{"orderKey":"k1","url":12}"#), "url"),
            Arc::new(move |base, config| {
                let s = s.clone();
                Box::pin(async move {
                    let link = client_with(&base, s, config)?
                        .pay_links()
                        .create(&pay_link())
                        .await
                        .map_err(ProviderError::into_kind)?;
                    Ok(format!("{link:?}"))
                })
            }),
        ));
        let s = style.clone();
        ops.push(make(
            "tspay.link2save.create",
            true,
            fixture_reply("link2save.response.json"),
            (
                Reply::json(
                    201,
                    r#"{"orderKey":["k1"],"url":"https://pay.example.com/x"}"#,
                ),
                "orderKey",
            ),
            Arc::new(move |base, config| {
                let s = s.clone();
                Box::pin(async move {
                    let link = client_with(&base, s, config)?
                        .save_links()
                        .create(&save_link())
                        .await
                        .map_err(ProviderError::into_kind)?;
                    Ok(format!("{link:?}"))
                })
            }),
        ));
        let s = style.clone();
        ops.push(make(
            "tspay.charges.of_order",
            false,
            fixture_reply("charges.response.array.json"),
            (
                Reply::json(
                    200,
                    &format!(r#"[{{"amount":"{API_KEY}","currency":"EUR","state":"active"}}]"#),
                ),
                "amount",
            ),
            Arc::new(move |base, config| {
                let s = s.clone();
                Box::pin(async move {
                    let charges = client_with(&base, s, config)?
                        .charges()
                        .of_order(&OrderKey::new(ORDER_KEY))
                        .await
                        .map_err(ProviderError::into_kind)?;
                    Ok(format!("{charges:?}"))
                })
            }),
        ));
    }
    ops.extend(onboarding_ops());
    ops
}

/// The onboarding operations (one route each, whatever the path style): the API-key request
/// made with the AppSecret (a write without idempotency key), the key check (a read) and the
/// webhook registration (a write without idempotency key).
fn onboarding_ops() -> Vec<Op> {
    let make = |operation: &'static str,
                write: bool,
                ok: Reply,
                wrong: (Reply, &'static str),
                skip: &'static [&'static str],
                call: Call| Op {
        provider: "tspay",
        label: operation.to_owned(),
        operation,
        write,
        ok,
        wrong_type: Some(wrong),
        error_body,
        mapped,
        echo: API_KEY.to_owned(),
        api_errors_final: false,
        call,
        prefix: Vec::new(),
        ok_tail: Vec::new(),
        skip,
    };
    vec![
        make(
            "tspay.api_keys.create",
            true,
            Reply::json(
                201,
                &String::from_utf8_lossy(&fixture("tspay", "api-key.response.json")),
            ),
            (
                Reply::json(201, r#"{"apiKey":"k1","loginUrl":12}"#),
                "loginUrl",
            ),
            &[],
            // The canary is the AppSecret here: it must not surface either.
            Arc::new(|base, config| {
                Box::pin(async move {
                    let issued = Onboarding::builder(AppSecret::new(API_KEY))
                        .base_url(base.as_str())
                        .http_config(config)
                        .build()
                        .map_err(ProviderError::into_kind)?
                        .request_api_key()
                        .await
                        .map_err(ProviderError::into_kind)?;
                    Ok(format!("{issued:?}"))
                })
            }),
        ),
        make(
            "tspay.auth.check",
            false,
            fixture_reply("auth.response.json"),
            (
                Reply::json(200, r#"{"x-auth-type":"API_KEY","x-merchant-ref":12}"#),
                "x-merchant-ref",
            ),
            // A 401/403 to a key check is its answer (`KeyStatus::Refused`), not an error.
            &["F14/401", "F14/403"],
            Arc::new(|base, config| {
                Box::pin(async move {
                    let status = client_with(&base, PathStyle::Direct, config)?
                        .check_key()
                        .await
                        .map_err(ProviderError::into_kind)?;
                    Ok(format!("{status:?}"))
                })
            }),
        ),
        make(
            "tspay.webhooks.register",
            true,
            Reply::json(
                201,
                &String::from_utf8_lossy(&fixture("tspay", "webhook-registration.response.json")),
            ),
            (Reply::json(201, r#"{"secret":12}"#), "secret"),
            &[],
            Arc::new(|base, config| {
                Box::pin(async move {
                    let registered = client_with(&base, PathStyle::Direct, config)?
                        .webhooks()
                        .register(&WebhookRegistration::new(
                            "https://shop.example/tspay/notify",
                        ))
                        .await
                        .map_err(ProviderError::into_kind)?;
                    Ok(format!("{registered:?}"))
                })
            }),
        ),
    ]
}

/// Reports the fault rows the key check answers itself (called with TS Pay's other
/// not-applicable rows, from `bad_inputs::tspay::run`).
pub fn not_applicable() {
    for row in ["F14/401", "F14/403"] {
        payments_reliability::report::not_applicable(
            "tspay",
            "tspay.auth.check",
            row,
            "a 401/403 to GET /auth/ is the check's answer (KeyStatus::Refused or NotActivated), tested in crates/tspay/tests/onboarding.rs",
        );
    }
}
