//! GreenPay: `CreateSubscription` (with `Plan`), `UpdateAmount`, `ListSubscriptions`, and the
//! client builder. GreenPay takes USD, CRC and GTQ only.

use greenpay::subscriptions::{Cadence, CreateSubscription, ListSubscriptions, Plan, UpdateAmount};
use greenpay::{CardToken, Client, Credentials, SubscriptionId};
use payments_common::{Currency, Money, Url};
use payments_reliability::canary::SHOP_SECRET;
use payments_reliability::report;

use super::{rejected, rejected_now, straddling, type_level_rows};
use crate::faults::greenpay::{SUB, credentials, sdk_client};

const CREATE: &str = "greenpay/CreateSubscription (subscriptions.create)";

async fn create_rejects(row: &str, input: &str, field: &str, req: CreateSubscription) {
    rejected(CREATE, row, input, field, move |base: Url| async move {
        sdk_client(&base)?
            .subscriptions()
            .create(&req)
            .await
            .map_err(greenpay::Error::into_kind)
    })
    .await;
}

fn with_amount(amount: Money) -> CreateSubscription {
    CreateSubscription::new(
        "user-42",
        "Monthly plan",
        CardToken::new("tok-1"),
        Plan::new(amount, Cadence::monthly()),
    )
}

/// Runs GreenPay's bad inputs.
pub async fn run() {
    type_level_rows("greenpay/Money+Currency");
    for (row, currency) in [("I1", Currency::EUR), ("I2", Currency::CLF)] {
        create_rejects(
            row,
            currency.code(),
            "subscription[0].amount",
            with_amount(Money::from_minor_units(100, currency)),
        )
        .await;
    }
    for cents in [-100, 0] {
        create_rejects(
            "I4",
            &cents.to_string(),
            "subscription[0].amount",
            with_amount(Money::from_minor_units(cents, Currency::USD)),
        )
        .await;
        let req = UpdateAmount::new(
            SubscriptionId::new(SUB),
            "user-42",
            Money::from_minor_units(cents, Currency::USD),
        );
        rejected(
            "greenpay/UpdateAmount (subscriptions.update_amount)",
            "I4",
            &cents.to_string(),
            "amount",
            move |base: Url| async move {
                sdk_client(&base)?
                    .subscriptions()
                    .update_amount(&req)
                    .await
                    .map_err(greenpay::Error::into_kind)
            },
        )
        .await;
    }
    let usd = Money::from_minor_units(1000, Currency::USD);
    let plan = || Plan::new(usd, Cadence::monthly());
    for (label, field, req) in [
        (
            "empty userId",
            "userId",
            CreateSubscription::new("", "d", CardToken::new("tok-1"), plan()),
        ),
        (
            "userId with CRLF",
            "userId",
            CreateSubscription::new("u\r\n", "d", CardToken::new("tok-1"), plan()),
        ),
        (
            "empty description",
            "description",
            CreateSubscription::new("u", "", CardToken::new("tok-1"), plan()),
        ),
        (
            "over-long description",
            "description",
            CreateSubscription::new("u", straddling(1024), CardToken::new("tok-1"), plan()),
        ),
        (
            "token with a space",
            "tokens",
            CreateSubscription::new("u", "d", CardToken::new("to k"), plan()),
        ),
    ] {
        create_rejects("I8", label, field, req).await;
    }
    for (label, field, page, size) in [
        ("page 0", "page", 0, 10),
        ("pageSize 0", "pageSize", 1, 0),
        ("pageSize 101", "pageSize", 1, 101),
    ] {
        rejected(
            "greenpay/ListSubscriptions (subscriptions.list)",
            "I8",
            label,
            field,
            move |base: Url| async move {
                sdk_client(&base)?
                    .subscriptions()
                    .list(&ListSubscriptions::new(page, size))
                    .await
                    .map_err(greenpay::Error::into_kind)
            },
        )
        .await;
    }
    let builder = "greenpay/ClientBuilder";
    for (label, field, c) in [
        (
            "empty merchant id",
            "merchantId",
            Credentials::new("", "t", SHOP_SECRET),
        ),
        (
            "terminal with a space",
            "terminal",
            Credentials::new("m", "t 1", SHOP_SECRET),
        ),
        (
            "secret with a newline",
            "secret",
            Credentials::new("m", "t", format!("{SHOP_SECRET}\n")),
        ),
        ("empty secret", "secret", Credentials::new("m", "t", "")),
    ] {
        rejected_now(
            builder,
            "I9",
            label,
            field,
            Client::builder(c)
                .build()
                .map_err(greenpay::Error::into_kind),
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
            Client::builder(credentials())
                .base_url(url)
                .build()
                .map_err(greenpay::Error::into_kind),
        );
    }
    report::not_applicable(
        "greenpay",
        "*",
        "I10",
        "no operation takes an idempotency key (GreenPay honours none)",
    );
}
