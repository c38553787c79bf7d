//! TS Pay: `PayLinkRequest`, `SaveLinkRequest`, `Template`, the order key and item id, and
//! the client builder.
//!
//! The URL setters take any string (`impl Into<String>`): every unsafe URL is refused by the
//! request's `build()` and again by the operation, naming the field, before anything is sent.

use payments_common::{ProviderError, Url};
use payments_reliability::canary::API_KEY;
use payments_reliability::{patient_config, report};
use tspay::{
    AppSecret, Client, Credentials, Currency, MAX_AMOUNT_CENTS, Money, Onboarding, OrderKey,
    PathStyle, PayLinkRequest, SaveLinkRequest, Template, WebhookRegistration,
};

use super::{rejected, rejected_now, straddling, type_level_rows, unsafe_urls};
use crate::faults::tspay::{client, pay_link, save_link};

const PAY: &str = "tspay/PayLinkRequest (link2pay.create)";
const SAVE: &str = "tspay/SaveLinkRequest (link2save.create)";

async fn pay(row: &str, input: &str, field: &str, req: PayLinkRequest) {
    rejected(PAY, row, input, field, move |base: Url| async move {
        client(&base, PathStyle::Direct)?
            .pay_links()
            .create(&req)
            .await
            .map_err(ProviderError::into_kind)
    })
    .await;
}

async fn save(row: &str, input: &str, field: &str, req: SaveLinkRequest) {
    rejected(SAVE, row, input, field, move |base: Url| async move {
        client(&base, PathStyle::Direct)?
            .save_links()
            .create(&req)
            .await
            .map_err(ProviderError::into_kind)
    })
    .await;
}

fn eur(cents: i64) -> Money {
    Money::from_minor_units(cents, Currency::EUR)
}

/// Runs TS Pay's bad inputs.
pub async fn run() {
    type_level_rows("tspay/Money+Currency");
    let template = || Template::new("Shop S.r.l.", "Ordine 42");
    for (row, currency) in [("I1", Currency::USD), ("I2", Currency::CLF)] {
        let money = Money::from_minor_units(100, currency);
        pay(
            row,
            currency.code(),
            "currency",
            PayLinkRequest::new(template(), money),
        )
        .await;
        save(
            row,
            currency.code(),
            "maxAmount",
            save_link().max_amount(money),
        )
        .await;
    }
    for cents in [-1, 0] {
        pay(
            "I4",
            &cents.to_string(),
            "amount",
            PayLinkRequest::new(template(), eur(cents)),
        )
        .await;
        save(
            "I4",
            &cents.to_string(),
            "maxAmount",
            save_link().max_amount(eur(cents)),
        )
        .await;
    }
    for cents in [MAX_AMOUNT_CENTS + 1, i64::MAX] {
        pay(
            "I5",
            &cents.to_string(),
            "amount",
            PayLinkRequest::new(template(), eur(cents)),
        )
        .await;
        save(
            "I5",
            &cents.to_string(),
            "maxAmount",
            save_link().max_amount(eur(cents)),
        )
        .await;
    }
    // I7: callbackUrl, cancelUrl, template.logo: refused by `build()` and by the operation.
    for (label, text) in unsafe_urls() {
        rejected_now(
            PAY,
            "I7",
            label,
            "callbackUrl",
            pay_link()
                .callback_url(text.as_str())
                .build()
                .map_err(ProviderError::into_kind),
        );
        pay(
            "I7",
            label,
            "callbackUrl",
            pay_link().callback_url(text.as_str()),
        )
        .await;
        pay(
            "I7",
            label,
            "cancelUrl",
            pay_link().cancel_url(text.as_str()),
        )
        .await;
        save(
            "I7",
            label,
            "callbackUrl",
            save_link().callback_url(text.as_str()),
        )
        .await;
        pay(
            "I7",
            label,
            "template.logo",
            PayLinkRequest::new(template().logo(text.as_str()), eur(100)),
        )
        .await;
    }
    // I7: the webhook endpoint of a registration.
    for (label, text) in unsafe_urls() {
        let registration = WebhookRegistration::new(text.as_str());
        rejected(
            "tspay/WebhookRegistration (webhooks.register)",
            "I7",
            label,
            "endpoint",
            move |base: Url| async move {
                client(&base, PathStyle::Direct)?
                    .webhooks()
                    .register(&registration)
                    .await
                    .map_err(ProviderError::into_kind)
            },
        )
        .await;
    }
    // I8: the event pattern of a registration.
    for (label, event) in [
        ("empty event", String::new()),
        ("CRLF event", "tspay_charge.*\r\nX: 1".to_owned()),
        ("256 chars event", straddling(255)),
    ] {
        let registration =
            WebhookRegistration::new("https://shop.example/tspay/notify").event(event);
        rejected(
            "tspay/WebhookRegistration (webhooks.register)",
            "I8",
            label,
            "event",
            move |base: Url| async move {
                client(&base, PathStyle::Direct)?
                    .webhooks()
                    .register(&registration)
                    .await
                    .map_err(ProviderError::into_kind)
            },
        )
        .await;
    }
    // I8: text fields.
    let long = straddling(255);
    let cases: Vec<(&str, &str, PayLinkRequest)> = vec![
        (
            "empty title",
            "template.title",
            PayLinkRequest::new(Template::new("", "d"), eur(1)),
        ),
        (
            "blank desc",
            "template.desc",
            PayLinkRequest::new(Template::new("t", "  "), eur(1)),
        ),
        (
            "256 chars title",
            "template.title",
            PayLinkRequest::new(Template::new(long.clone(), "d"), eur(1)),
        ),
        (
            "256 chars paymentRef",
            "template.paymentRef",
            PayLinkRequest::new(Template::new("t", "d").payment_ref(long.clone()), eur(1)),
        ),
        (
            "256 chars externalRef",
            "externalRef",
            pay_link().external_ref(long.clone()),
        ),
        (
            "externalRef with CRLF",
            "externalRef",
            pay_link().external_ref("a\r\nb"),
        ),
        (
            "empty metadata key",
            "metadata",
            pay_link().metadata("", "v"),
        ),
        (
            "256 chars metadata value",
            "metadata.k",
            pay_link().metadata("k", long.clone()),
        ),
    ];
    for (label, field, req) in cases {
        pay("I8", label, field, req).await;
    }
    let mut many = pay_link();
    for i in 0..51 {
        many = many.metadata(format!("k{i}"), "v");
    }
    pay("I8", "51 metadata entries", "metadata", many).await;
    save(
        "I8",
        "256 chars contextId",
        "contextId",
        save_link().context_id(long.clone()),
    )
    .await;
    save(
        "I8",
        "empty contextId",
        "contextId",
        save_link().context_id(""),
    )
    .await;
    // I8: the order key, and a per-call item id.
    for key in ["", "a b", "k\r\n", &"k".repeat(256)] {
        let key = key.to_owned();
        rejected(
            "tspay/OrderKey (charges.of_order)",
            "I8",
            &key.clone(),
            "orderKey",
            move |base: Url| async move {
                client(&base, PathStyle::Direct)?
                    .charges()
                    .of_order(&OrderKey::new(key))
                    .await
                    .map_err(ProviderError::into_kind)
            },
        )
        .await;
    }
    rejected(
        "tspay/ItemId (link2pay.create)",
        "I8",
        "a b",
        "itemId",
        move |base: Url| async move {
            client(&base, PathStyle::Direct)?
                .pay_links()
                .item_id("a b")
                .create(&pay_link())
                .await
                .map_err(ProviderError::into_kind)
        },
    )
    .await;
    // I9: API key and base URL.
    let builder = "tspay/ClientBuilder";
    for (label, key) in [
        ("empty", String::new()),
        ("with a space", format!("{API_KEY} x")),
        ("with a newline", format!("{API_KEY}\n")),
    ] {
        rejected_now(
            builder,
            "I9",
            label,
            "api_key",
            Client::builder(Credentials::new(key))
                .http_config(patient_config())
                .build()
                .map_err(ProviderError::into_kind),
        );
    }
    for (label, url) in [
        ("http to a public host", "http://api.example.com"),
        ("userinfo", "https://user:pw@api.example.com"),
        ("javascript:", "javascript:alert(1)"),
    ] {
        rejected_now(
            builder,
            "I7",
            label,
            "base_url",
            Client::builder(Credentials::new(API_KEY))
                .base_url(url)
                .build()
                .map_err(ProviderError::into_kind),
        );
    }
    let onboarding = "tspay/OnboardingBuilder";
    for (label, secret) in [
        ("empty", String::new()),
        ("with a space", format!("{API_KEY} x")),
        ("with a newline", format!("{API_KEY}\n")),
    ] {
        rejected_now(
            onboarding,
            "I9",
            label,
            "app_secret",
            Onboarding::builder(AppSecret::new(secret))
                .build()
                .map_err(ProviderError::into_kind),
        );
    }
    rejected_now(
        onboarding,
        "I7",
        "http to a public host",
        "base_url",
        Onboarding::builder(AppSecret::new(API_KEY))
            .base_url("http://api.example.com")
            .build()
            .map_err(ProviderError::into_kind),
    );
    rejected_now(
        builder,
        "I8",
        "item id with a space",
        "itemId",
        Client::builder(Credentials::new(API_KEY))
            .item_id("a b")
            .build()
            .map_err(ProviderError::into_kind),
    );
    report::not_applicable(
        "tspay",
        "*",
        "I10",
        "no operation takes an idempotency key (TS Pay documents none)",
    );
    crate::faults::tspay::not_applicable();
}
