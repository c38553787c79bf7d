//! JataPay's operations for the fault rows.
//!
//! Most API calls use a client built with a token ([`jatapay::Credentials::token`]), so every
//! attempt the server counts is the API call itself; the token exchange is its own operation
//! (`jatapay.token.create`, sent as a read: it has no side effect at JataPay).
//!
//! Three more operations run `subscriptions.get` with client credentials only, so that the
//! token the client uses is fetched at run time:
//!
//! - `[fetched token]`: the exchange answers at once with a canary token; every row hits the
//!   API call, and the error bodies echo that run-time token (it must be masked like a
//!   configured secret);
//! - `[token exchange]`: every row hits the exchange the API call starts;
//! - `[401 refresh]`: the exchange answers, the API call gets a 401, and every row hits the
//!   second exchange the 401 starts.
//!
//! [`shared_exchange_hang`] runs five concurrent callers against a token endpoint that never
//! answers: one exchange, and every caller returns within one deadline.

use std::sync::Arc;

use jatapay::{
    Client, Credentials, Currency, ExpectedPayment, GatewayRequest, Money, PaymentVerdict,
    SecretString, StatusReading, Subscription, SubscriptionId,
};
use payments_common::http::HttpConfig;
use payments_common::testing::{Fault, FaultServer, Reply};
use payments_common::{Error, ProviderError, Url};
use payments_reliability::canary::{self, API_KEY, CLIENT_ID, SHOP_SECRET};
use payments_reliability::report::{self, FaultRow};
use payments_reliability::{
    CaseEnd, HANG_DEADLINE, MAX_RETRIES, fixture, hang_config, patient_config, run_case,
};

use super::{Call, Mapped, Op};

const SUB: &str = "65b279426d2f219d702a7f69";

/// A client whose every host is `base`, with the canary token, behind the harness's error
/// type (see [`KindClient`]).
pub fn token_client(base: &Url) -> Result<KindClient, Error> {
    token_client_with(base, patient_config()).map(KindClient)
}

/// The canary-token client with the given HTTP settings.
pub fn token_client_with(base: &Url, config: HttpConfig) -> Result<Client, Error> {
    Client::builder(Credentials::token(SecretString::from(API_KEY)))
        .auth_base_url(base.as_str())
        .api_base_url(base.as_str())
        .gateway_base_url(base.as_str())
        .http_config(config)
        .build()
        .map_err(ProviderError::into_kind)
}

/// A client whose every host is `base`, with the canary client credentials only.
pub fn credentials_client(base: &Url) -> Result<Client, Error> {
    credentials_client_with(base, patient_config())
}

/// [`credentials_client`] with the given HTTP settings.
pub fn credentials_client_with(base: &Url, config: HttpConfig) -> Result<Client, Error> {
    Client::builder(Credentials::new(
        SecretString::from(CLIENT_ID),
        SecretString::from(SHOP_SECRET),
    ))
    .auth_base_url(base.as_str())
    .api_base_url(base.as_str())
    .gateway_base_url(base.as_str())
    .http_config(config)
    .build()
    .map_err(ProviderError::into_kind)
}

/// A [`jatapay::Client`] whose operations answer the harness's error type
/// ([`payments_common::ErrorKind`]), for the shared rows (path ids, replays) that call JataPay
/// next to the other providers: each error is `jatapay::Error::into_kind`.
pub struct KindClient(pub Client);

/// [`jatapay::Subscriptions`] with the harness's error type.
pub struct KindSubscriptions<'a>(jatapay::Subscriptions<'a>);

impl KindClient {
    /// The subscription operations.
    pub fn subscriptions(&self) -> KindSubscriptions<'_> {
        KindSubscriptions(self.0.subscriptions())
    }

    /// [`jatapay::Client::gateway_url`].
    pub fn gateway_url(&self, id: &SubscriptionId) -> Result<Url, Error> {
        self.0.gateway_url(id).map_err(ProviderError::into_kind)
    }
}

impl KindSubscriptions<'_> {
    /// [`jatapay::Subscriptions::get`].
    pub async fn get(&self, id: &SubscriptionId) -> Result<Subscription, Error> {
        self.0.get(id).await.map_err(ProviderError::into_kind)
    }

    /// [`jatapay::Subscriptions::confirm`].
    pub async fn confirm(
        &self,
        id: &SubscriptionId,
        expected: &ExpectedPayment,
        reading: StatusReading,
    ) -> Result<PaymentVerdict, Error> {
        self.0
            .confirm(id, expected, reading)
            .await
            .map_err(ProviderError::into_kind)
    }
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
        prefix: Vec::new(),
        ok_tail: Vec::new(),
        skip: &[],
    }
}

/// The token exchange's answer with a canary as the token: the token the client fetches at
/// run time (never configured, so only the run-time masking can hide it).
fn fetched_token() -> Reply {
    json(&format!(
        r#"{{"token":"{API_KEY}","refresh_token":"IL_REFRESH_TOKEN"}}"#
    ))
}

/// `subscriptions.get` with a client that holds client credentials only.
fn get_with_credentials() -> Call {
    Arc::new(|base, config| {
        Box::pin(async move {
            let client = credentials_client_with(&base, config)?;
            let sub = client
                .subscriptions()
                .get(&SubscriptionId::new(SUB))
                .await
                .map_err(ProviderError::into_kind)?;
            Ok(format!("{sub:?}"))
        })
    })
}

/// The three `subscriptions.get` operations whose token is fetched at run time.
fn fetched_token_ops() -> Vec<Op> {
    let subscription = fixture_reply("subscriptions.get.response.json");
    let wrong_subscription = (
        json(&format!(
            r#"{{"_id":"{SUB}","importo":"{API_KEY}","stato":"iniziata"}}"#
        )),
        "importo",
    );
    let wrong_token = (json(r#"{"token": 12}"#), "token");
    let exchange_echo = format!("{CLIENT_ID}:{SHOP_SECRET}");
    let mut api_call = op(
        "jatapay.subscriptions.get",
        false,
        subscription.clone(),
        wrong_subscription,
        API_KEY.to_owned(),
        get_with_credentials(),
    );
    api_call.label = "jatapay.subscriptions.get [fetched token]".to_owned();
    api_call.prefix = vec![Fault::Respond(fetched_token())];
    // A 401 on the API call starts the refresh path, which `[401 refresh]` runs row by row.
    api_call.skip = &["F14/401"];

    let mut exchange = op(
        "jatapay.token.create",
        false,
        fetched_token(),
        wrong_token.clone(),
        exchange_echo.clone(),
        get_with_credentials(),
    );
    exchange.label = "jatapay.subscriptions.get [token exchange]".to_owned();
    exchange.ok_tail = vec![Fault::Respond(subscription.clone())];

    let mut refresh = op(
        "jatapay.token.create",
        false,
        fetched_token(),
        wrong_token,
        exchange_echo,
        get_with_credentials(),
    );
    refresh.label = "jatapay.subscriptions.get [401 refresh]".to_owned();
    refresh.prefix = vec![
        Fault::Respond(json(r#"{"token":"tok-expired-1","refresh_token":"r"}"#)),
        Fault::Respond(Reply::json(401, r#"{"msg":"Token has expired"}"#)),
    ];
    refresh.ok_tail = vec![Fault::Respond(subscription)];
    vec![api_call, exchange, refresh]
}

/// Rows that apply to no JataPay operation of a given kind.
pub fn not_applicable() {
    report::not_applicable(
        "jatapay",
        "subscriptions.get [fetched token]",
        "F14/401",
        "a 401 on the API call sends the client to exchange its token again: that path is the [401 refresh] operation's, row by row",
    );
}

/// The callers of [`shared_exchange_hang`].
const CALLERS: usize = 5;

/// F4/shared: five concurrent `subscriptions.get` calls of one client (client credentials
/// only) against a token endpoint that never answers, with the hang settings. They must share
/// one exchange (the server sees its `1 + MAX_RETRIES` attempts, not five times that) and every
/// caller must return a timeout within one deadline (a caller still waiting past the deadline
/// + 5 s is a hang).
pub async fn shared_exchange_hang() {
    let server = FaultServer::start(vec![Fault::Hang]).await;
    let base = server.base_url();
    let label =
        format!("jatapay.subscriptions.get [{CALLERS} callers, hung token endpoint] F4/shared");
    let end = run_case(&label, HANG_DEADLINE, async move {
        let client = credentials_client_with(&base, hang_config())?;
        let mut calls = tokio::task::JoinSet::new();
        for _ in 0..CALLERS {
            let client = client.clone();
            calls.spawn(async move {
                client
                    .subscriptions()
                    .get(&SubscriptionId::new(SUB))
                    .await
                    .map(|sub| format!("{sub:?}"))
                    .map_err(ProviderError::into_kind)
            });
        }
        let mut results = Vec::new();
        while let Some(joined) = calls.join_next().await {
            results.push(joined.map_err(|e| Error::invalid("task", e.to_string()))?);
        }
        Ok::<_, Error>(results)
    })
    .await;
    let expected = 1 + MAX_RETRIES as usize;
    let seen = server.attempts();
    let (passed, detail) = match end {
        CaseEnd::Done(Ok(results)) => {
            let timeouts = results
                .iter()
                .filter(|r| matches!(r, Err(Error::Timeout { .. })))
                .count();
            for result in &results {
                super::scan_result(&label, result);
            }
            (
                results.len() == CALLERS && timeouts == CALLERS && seen == expected,
                format!("{timeouts} of {CALLERS} callers timed out; {results:?}"),
            )
        }
        CaseEnd::Done(Err(e)) => (false, format!("{e:?}")),
        other => (false, format!("{other:?}")),
    };
    report::fault(FaultRow {
        provider: "jatapay",
        operation: format!("jatapay.subscriptions.get [{CALLERS} callers, hung token endpoint]"),
        row: "F4/shared".to_owned(),
        expected_attempts: expected,
        seen_attempts: seen,
        passed,
        detail,
    });
}

fn json(text: &str) -> Reply {
    Reply::json(200, text)
}

fn fixture_reply(file: &str) -> Reply {
    Reply::json(200, &String::from_utf8_lossy(&fixture("jatapay", file)))
}

/// Every JataPay operation.
pub fn ops() -> Vec<Op> {
    let mut ops = builder_token_ops();
    ops.extend(fetched_token_ops());
    ops
}

/// The operations of a client built with a token, and the token exchange on its own.
fn builder_token_ops() -> Vec<Op> {
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
                        .map_err(ProviderError::into_kind)
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
                    let created = client
                        .subscriptions()
                        .create(&request())
                        .await
                        .map_err(ProviderError::into_kind)?;
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
                    let created = client
                        .payments()
                        .create(&request())
                        .await
                        .map_err(ProviderError::into_kind)?;
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
                        .await
                        .map_err(ProviderError::into_kind)?;
                    Ok(format!("{sub:?}"))
                })
            }),
        ),
    ]
}
