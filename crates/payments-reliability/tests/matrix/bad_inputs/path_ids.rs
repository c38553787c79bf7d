//! Row I8/path: ids that would change the endpoint they are spliced into — `.`, `..`, an
//! encoded `%2e%2e`, `a/b`, `a?b` and the empty id — against every path parameter of every
//! provider. Each must be `InvalidRequest` naming the parameter, with nothing sent.
//!
//! GreenPay has no path parameter (every id travels in the JSON body).

use begateway::{ProductId, TransactionUid};
use jatapay::SubscriptionId;
use payments_common::Url;
use payments_reliability::report;
use tspay::{OrderKey, PathStyle};

use super::{rejected, rejected_now};
use crate::faults;

/// The attacks, each with the label the summary shows.
pub const ATTACKS: &[&str] = &[".", "..", "%2e%2e", "a/b", "a?b", ""];

const ROW: &str = "I8/path";

/// Runs every attack against every path parameter.
pub async fn run() {
    for attack in ATTACKS {
        tspay(attack).await;
        jatapay(attack).await;
        begateway(attack).await;
    }
    report::not_applicable(
        "greenpay",
        "*",
        ROW,
        "no operation puts an id in the path: ids travel in the JSON body",
    );
}

async fn tspay(attack: &'static str) {
    let direct = || PathStyle::Direct;
    rejected(
        "tspay/OrderKey (charges.of_order)",
        ROW,
        attack,
        "orderKey",
        move |base: Url| async move {
            faults::tspay::client(&base, direct())?
                .charges()
                .of_order(&OrderKey::new(attack))
                .await
                .map_err(payments_common::ProviderError::into_kind)
        },
    )
    .await;
    rejected(
        "tspay/ItemId (link2pay.create, per call)",
        ROW,
        attack,
        "itemId",
        move |base: Url| async move {
            faults::tspay::client(&base, direct())?
                .pay_links()
                .item_id(attack)
                .create(&faults::tspay::pay_link())
                .await
                .map_err(payments_common::ProviderError::into_kind)
        },
    )
    .await;
    rejected(
        "tspay/ItemId (link2save.create, per call)",
        ROW,
        attack,
        "itemId",
        move |base: Url| async move {
            faults::tspay::client(&base, direct())?
                .save_links()
                .item_id(attack)
                .create(&faults::tspay::save_link())
                .await
                .map_err(payments_common::ProviderError::into_kind)
        },
    )
    .await;
    rejected(
        "tspay/ItemId (charges.of_order, per call)",
        ROW,
        attack,
        "itemId",
        move |base: Url| async move {
            faults::tspay::client(&base, direct())?
                .charges()
                .item_id(attack)
                .of_order(&OrderKey::new(faults::tspay::ORDER_KEY))
                .await
                .map_err(payments_common::ProviderError::into_kind)
        },
    )
    .await;
    // The item id of the gateway path style, given to the builder.
    rejected(
        "tspay/PathStyle::Gateway (ClientBuilder)",
        ROW,
        attack,
        "itemId",
        move |base: Url| async move {
            faults::tspay::client(
                &base,
                PathStyle::Gateway {
                    item_id: attack.into(),
                },
            )?
            .pay_links()
            .create(&faults::tspay::pay_link())
            .await
            .map_err(payments_common::ProviderError::into_kind)
        },
    )
    .await;
}

async fn jatapay(attack: &'static str) {
    rejected(
        "jatapay/SubscriptionId (subscriptions.get)",
        ROW,
        attack,
        "id",
        move |base: Url| async move {
            faults::jatapay::token_client(&base)?
                .subscriptions()
                .get(&SubscriptionId::new(attack))
                .await
        },
    )
    .await;
    // The gateway URL is built, not requested: the id is refused before a URL exists.
    let built = Url::parse("http://127.0.0.1:9/")
        .map_err(|e| payments_common::Error::invalid("url", e.to_string()))
        .and_then(|base| faults::jatapay::token_client(&base))
        .and_then(|client| client.gateway_url(&SubscriptionId::new(attack)));
    rejected_now(
        "jatapay/SubscriptionId (gateway_url)",
        ROW,
        attack,
        "id",
        built,
    );
}

async fn begateway(attack: &'static str) {
    rejected(
        "begateway/ProductId (products.get)",
        ROW,
        attack,
        "product_id",
        move |base: Url| async move {
            faults::begateway::client(&base)?
                .products()
                .get(&ProductId::new(attack))
                .await
                .map_err(payments_common::Error::from)
        },
    )
    .await;
    rejected(
        "begateway/ProductId (products.update)",
        ROW,
        attack,
        "product_id",
        move |base: Url| async move {
            faults::begateway::client(&base)?
                .products()
                .update(&ProductId::new(attack), &faults::begateway::update())
                .await
                .map_err(payments_common::Error::from)
        },
    )
    .await;
    rejected(
        "begateway/TransactionUid (transactions.get)",
        ROW,
        attack,
        "uid",
        move |base: Url| async move {
            faults::begateway::client(&base)?
                .transactions()
                .get(&TransactionUid::new(attack))
                .await
                .map_err(payments_common::Error::from)
        },
    )
    .await;
    rejected(
        "begateway/tracking_id (transactions.by_tracking_id)",
        ROW,
        attack,
        "tracking_id",
        move |base: Url| async move {
            faults::begateway::client(&base)?
                .transactions()
                .by_tracking_id(attack)
                .await
                .map_err(payments_common::Error::from)
        },
    )
    .await;
}
