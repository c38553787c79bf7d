//! JataPay: `GatewayRequest` (through `subscriptions.create` and `payments.create`), the
//! subscription id of `subscriptions.get`, and the client builder.

use jatapay::{
    Client, Credentials, Currency, GatewayRequest, MAX_AMOUNT_CENTS, Money, SecretString,
    SubscriptionId,
};
use payments_common::{ProviderError, Url};
use payments_reliability::canary::{API_KEY, CLIENT_ID, SHOP_SECRET};
use payments_reliability::{patient_config, report};

use super::{rejected, rejected_now, straddling, type_level_rows, unsafe_urls};
use crate::faults::jatapay::{request, token_client, token_client_with};

fn with_amount(amount: Money) -> GatewayRequest {
    GatewayRequest::new(amount, "https://shop.example/return", "Prodotto")
}

fn with_url(url: &str) -> GatewayRequest {
    GatewayRequest::new(
        Money::from_minor_units(2000, Currency::EUR),
        url,
        "Prodotto",
    )
}

async fn both(row: &str, input: &str, field: &str, req: GatewayRequest) {
    let r = req.clone();
    rejected(
        "jatapay/GatewayRequest (subscriptions.create)",
        row,
        input,
        field,
        move |base: Url| async move {
            token_client_with(&base, patient_config())?
                .subscriptions()
                .create(&r)
                .await
                .map_err(ProviderError::into_kind)
        },
    )
    .await;
    rejected(
        "jatapay/GatewayRequest (payments.create)",
        row,
        input,
        field,
        move |base: Url| async move {
            token_client_with(&base, patient_config())?
                .payments()
                .create(&req)
                .await
                .map_err(ProviderError::into_kind)
        },
    )
    .await;
}

/// Runs JataPay's bad inputs.
pub async fn run() {
    type_level_rows("jatapay/Money+Currency");
    // I1/I2: well-formed currencies JataPay does not take (EUR only), a fund code.
    for (row, currency) in [
        ("I1", Currency::USD),
        ("I2", Currency::CLF),
        ("I2", Currency::JPY),
    ] {
        both(
            row,
            currency.code(),
            "importo",
            with_amount(Money::from_minor_units(100, currency)),
        )
        .await;
    }
    // I4: negative and zero.
    for cents in [-100, 0] {
        both(
            "I4",
            &cents.to_string(),
            "importo",
            with_amount(Money::from_minor_units(cents, Currency::EUR)),
        )
        .await;
    }
    // I5: above 2^53 − 1 cents, and i64::MAX.
    for cents in [MAX_AMOUNT_CENTS + 1, i64::MAX] {
        both(
            "I5",
            &cents.to_string(),
            "importo",
            with_amount(Money::from_minor_units(cents, Currency::EUR)),
        )
        .await;
    }
    // I7: callback_url.
    for (label, url) in unsafe_urls() {
        both("I7", label, "callback_url", with_url(&url)).await;
    }
    // I8: text fields: empty, blank, over the cap (multibyte at the boundary), control characters.
    let cases: Vec<(&str, &str, GatewayRequest)> = vec![
        (
            "empty descrizione_prodotto",
            "descrizione_prodotto",
            GatewayRequest::new(
                Money::from_minor_units(1, Currency::EUR),
                "https://shop.example/r",
                "",
            ),
        ),
        (
            "blank descrizione_prodotto",
            "descrizione_prodotto",
            GatewayRequest::new(
                Money::from_minor_units(1, Currency::EUR),
                "https://shop.example/r",
                "   ",
            ),
        ),
        (
            "256 chars descrizione_prodotto",
            "descrizione_prodotto",
            GatewayRequest::new(
                Money::from_minor_units(1, Currency::EUR),
                "https://shop.example/r",
                straddling(255),
            ),
        ),
        (
            "note over 1000 chars",
            "note",
            request().note(straddling(1000)),
        ),
        (
            "note with a control character",
            "note",
            request().note("line\u{7}bell"),
        ),
        ("empty cliente", "cliente", request().customer("")),
        (
            "cliente with CRLF",
            "cliente",
            request().customer("open\r\nX: y"),
        ),
    ];
    for (label, field, req) in cases {
        both("I8", label, field, req).await;
    }
    // I8: the path id of subscriptions.get.
    for id in ["", "a b", "id\r\nX: y", &"f".repeat(256)] {
        let id = id.to_owned();
        rejected(
            "jatapay/SubscriptionId (subscriptions.get)",
            "I8",
            &id.clone(),
            "id",
            move |base: Url| async move {
                token_client(&base)?
                    .subscriptions()
                    .get(&SubscriptionId::new(id))
                    .await
            },
        )
        .await;
    }
    // I9: credentials and hosts.
    let builder = "jatapay/ClientBuilder";
    for (label, token) in [
        ("empty token", String::new()),
        ("token with a space", format!("{API_KEY} x")),
        ("token with a newline", format!("{API_KEY}\n")),
    ] {
        rejected_now(
            builder,
            "I9",
            label,
            "token",
            Client::builder(Credentials::token(SecretString::from(token)))
                .build()
                .map_err(ProviderError::into_kind),
        );
    }
    rejected_now(
        builder,
        "I9",
        "client secret with a space",
        "client_secret",
        Client::builder(Credentials::new(
            SecretString::from(CLIENT_ID),
            SecretString::from(format!("{SHOP_SECRET} ")),
        ))
        .build()
        .map_err(ProviderError::into_kind),
    );
    rejected_now(
        builder,
        "I9",
        "empty client id",
        "client_id",
        Client::builder(Credentials::new(
            SecretString::from(""),
            SecretString::from(SHOP_SECRET),
        ))
        .build()
        .map_err(ProviderError::into_kind),
    );
    rejected_now(
        builder,
        "I9",
        "token with a space next to client credentials",
        "token",
        Client::builder(
            Credentials::new(
                SecretString::from(CLIENT_ID),
                SecretString::from(SHOP_SECRET),
            )
            .with_token(SecretString::from(format!("{API_KEY} x"))),
        )
        .build()
        .map_err(ProviderError::into_kind),
    );
    report::not_applicable(
        "jatapay",
        "ClientBuilder",
        "I9 no credentials",
        "Client::builder takes Credentials: a client without any cannot be written",
    );
    for (label, url) in [
        ("http to a public host", "http://api.example.com"),
        ("userinfo", "https://user:pw@api.example.com"),
        ("javascript:", "javascript:alert(1)"),
    ] {
        rejected_now(
            builder,
            "I7",
            label,
            "api_base_url",
            Client::builder(Credentials::token(SecretString::from(API_KEY)))
                .api_base_url(url)
                .http_config(patient_config())
                .build()
                .map_err(ProviderError::into_kind),
        );
    }
    report::not_applicable(
        "jatapay",
        "*",
        "I10",
        "no operation takes an idempotency key (JataPay documents none)",
    );
}
