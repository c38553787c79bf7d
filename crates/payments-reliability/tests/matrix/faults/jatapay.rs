//! JataPay's operations for the fault rows.
//!
//! API calls use a client built with a token ([`jatapay::ClientBuilder::token`]), so every
//! attempt the server counts is the API call itself; the token exchange is its own operation
//! (`jatapay.token.create`, sent as a read: it has no side effect at JataPay).

use std::sync::Arc;

use jatapay::{Client, Credentials, Currency, GatewayRequest, Money, SecretString, SubscriptionId};
use payments_common::http::HttpConfig;
use payments_common::testing::Reply;
use payments_common::{Error, Url};
use payments_reliability::canary::{self, API_KEY, CLIENT_ID, SHOP_SECRET};
use payments_reliability::{fixture, patient_config};

use super::{Call, Mapped, Op};

const SUB: &str = "65b279426d2f219d702a7f69";

/// A client whose every host is `base`, with the canary token.
pub fn token_client(base: &Url) -> Result<Client, Error> {
    token_client_with(base, patient_config())
}

/// [`token_client`] with the given HTTP settings.
pub fn token_client_with(base: &Url, config: HttpConfig) -> Result<Client, Error> {
    Client::builder()
        .token(SecretString::from(API_KEY))
        .auth_base_url(base.as_str())
        .api_base_url(base.as_str())
        .gateway_base_url(base.as_str())
        .http_config(config)
        .build()
}

/// A client whose every host is `base`, with the canary client credentials only.
pub fn credentials_client(base: &Url) -> Result<Client, Error> {
    credentials_client_with(base, patient_config())
}

/// [`credentials_client`] with the given HTTP settings.
pub fn credentials_client_with(base: &Url, config: HttpConfig) -> Result<Client, Error> {
    Client::builder()
        .credentials(Credentials::new(
            SecretString::from(CLIENT_ID),
            SecretString::from(SHOP_SECRET),
        ))
        .auth_base_url(base.as_str())
        .api_base_url(base.as_str())
        .gateway_base_url(base.as_str())
        .http_config(config)
        .build()
}

/// A valid request.
pub fn request() -> GatewayRequest {
    GatewayRequest::new(
        Money::from_minor_units(2000, Currency::EUR),
        "https://e-commerce.example.com/callback_url",
        "Prodotto",
    )
    .note("Ordine 42")
}

fn error_body(status: u16, echo: &str) -> Reply {
    Reply::json(
        status,
        &format!(
            r#"{{"msg":"rejected: {echo}","card":{}}}"#,
            canary::card_json()
        ),
    )
}

/// JataPay documents no error bodies; the crate reads `{"msg"}` with 401/403/422 as
/// unauthorized (flask-jwt-extended's shape, an inference), 404 as not found, the rest as Api.
fn mapped(status: u16) -> Mapped {
    match status {
        401 | 403 | 422 => Mapped::Unauthorized,
        404 => Mapped::NotFound,
        _ => Mapped::Api,
    }
}

fn op(
    label: &'static str,
    write: bool,
    ok: Reply,
    wrong: (Reply, &'static str),
    echo: String,
    call: Call,
) -> Op {
    Op {
        provider: "jatapay",
        label: label.to_owned(),
        operation: label,
        write,
        ok,
        wrong_type: Some(wrong),
        error_body,
        mapped,
        echo,
        api_errors_final: false,
        call,
    }
}

fn json(text: &str) -> Reply {
    Reply::json(200, text)
}

fn fixture_reply(file: &str) -> Reply {
    Reply::json(200, &String::from_utf8_lossy(&fixture("jatapay", file)))
}

/// Every JataPay operation.
pub fn ops() -> Vec<Op> {
    vec![
        op(
            "jatapay.token.create",
            false,
            fixture_reply("token.create.response.json"),
            (json(r#"{"token": 12}"#), "token"),
            format!("{CLIENT_ID}:{SHOP_SECRET}"),
            Arc::new(|base, config| {
                Box::pin(async move {
                    let client = credentials_client_with(&base, config)?;
                    client
                        .authenticate()
                        .await
                        .map(|()| "authenticated".to_owned())
                })
            }),
        ),
        op(
            "jatapay.subscriptions.create",
            true,
            fixture_reply("subscriptions.create.response.json"),
            (json(r#"{"id_abbonamento": 12.5}"#), "id_abbonamento"),
            API_KEY.to_owned(),
            Arc::new(|base, config| {
                Box::pin(async move {
                    let client = token_client_with(&base, config)?;
                    let created = client.subscriptions().create(&request()).await?;
                    Ok(format!("{created:?}"))
                })
            }),
        ),
        op(
            "jatapay.payments.create",
            true,
            json(r#"{"id_pagamento":"65b278baa103dca4496d968f"}"#),
            (json(r#"{"id_pagamento": [1, 2]}"#), "id_pagamento"),
            API_KEY.to_owned(),
            Arc::new(|base, config| {
                Box::pin(async move {
                    let client = token_client_with(&base, config)?;
                    let created = client.payments().create(&request()).await?;
                    Ok(format!("{created:?}"))
                })
            }),
        ),
        op(
            "jatapay.subscriptions.get",
            false,
            fixture_reply("subscriptions.get.response.json"),
            (
                json(&format!(
                    r#"{{"_id":"{SUB}","importo":"{API_KEY}","stato":"iniziata"}}"#
                )),
                "importo",
            ),
            API_KEY.to_owned(),
            Arc::new(|base, config| {
                Box::pin(async move {
                    let client = token_client_with(&base, config)?;
                    let sub = client
                        .subscriptions()
                        .get(&SubscriptionId::new(SUB))
                        .await?;
                    Ok(format!("{sub:?}"))
                })
            }),
        ),
    ]
}
