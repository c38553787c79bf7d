//! GreenPay: `CreateSubscription` (with `Plan`), `UpdateAmount`, `ListSubscriptions`, the
//! payment orders (`CreateOrder` on the merchant host and checkout v2, `TokenPayment`), the card
//! token sessions and deletes, the card tokenization inputs (`Card` through `cards.tokenize`
//! and `cards.update`, feature `tokenization`), and the client builder. GreenPay takes USD, CRC and GTQ only.

use greenpay::cards::TokenizationOrder;
use greenpay::orders::{CreateOrder, TokenPayment};
use greenpay::subscriptions::{Cadence, CreateSubscription, ListSubscriptions, Plan, UpdateAmount};
use greenpay::tokenization::Card;
use greenpay::{CardToken, Client, Credentials, SubscriptionId};
use payments_common::{Currency, Money, Url};
use payments_reliability::canary::{CVV, PAN, SHOP_SECRET};
use payments_reliability::report;

use super::{rejected, rejected_now, straddling, type_level_rows};
use crate::faults::greenpay::{SUB, card_client, credentials, sdk_client};

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

const ORDER: &str = "greenpay/CreateOrder (orders.create)";
const ORDER_V2: &str = "greenpay/CreateOrder (orders.create_v2)";
const TOKEN_PAYMENT: &str = "greenpay/TokenPayment (orders.pay_with_token)";
const CARD_SESSION: &str = "greenpay/TokenizationOrder (cards.session)";
const CARD_DELETE: &str = "greenpay/cards.delete";

/// The same order refused by both order operations, naming `field`, with nothing sent.
async fn order_rejects(row: &str, input: &str, field: &str, req: CreateOrder) {
    order_rejects_v2_as(row, input, field, field, req).await;
}

/// [`order_rejects`] where checkout v2 names another field (`currency`: it refuses a currency
/// outside CRC and USD before the amount checks).
async fn order_rejects_v2_as(
    row: &str,
    input: &str,
    field: &str,
    field_v2: &str,
    req: CreateOrder,
) {
    let v2 = req.clone();
    rejected(ORDER, row, input, field, move |base: Url| async move {
        sdk_client(&base)?
            .orders()
            .create(&req)
            .await
            .map_err(greenpay::Error::into_kind)
    })
    .await;
    rejected(
        ORDER_V2,
        row,
        input,
        field_v2,
        move |base: Url| async move {
            sdk_client(&base)?
                .orders()
                .create_v2(&v2)
                .await
                .map_err(greenpay::Error::into_kind)
        },
    )
    .await;
}

async fn token_payment_rejects(row: &str, input: &str, field: &str, req: TokenPayment) {
    rejected(
        TOKEN_PAYMENT,
        row,
        input,
        field,
        move |base: Url| async move {
            sdk_client(&base)?
                .orders()
                .pay_with_token(&req)
                .await
                .map_err(greenpay::Error::into_kind)
        },
    )
    .await;
}

/// The payment orders, token payments and card token sessions and deletes.
async fn order_rows() {
    let usd = Money::from_minor_units(1450, Currency::USD);
    let order = |amount: Money| CreateOrder::new(amount, "Parking ticket", "order-1");
    let pay = |amount: Money, token: &str| {
        TokenPayment::new(amount, "Test sale", "order-7", CardToken::new(token))
    };
    for (row, currency) in [("I1", Currency::EUR), ("I2", Currency::CLF)] {
        let amount = Money::from_minor_units(100, currency);
        order_rejects_v2_as(row, currency.code(), "amount", "currency", order(amount)).await;
        token_payment_rejects(row, currency.code(), "amount", pay(amount, "tok-1")).await;
    }
    for cents in [-100, 0] {
        let amount = Money::from_minor_units(cents, Currency::USD);
        order_rejects("I4", &cents.to_string(), "amount", order(amount)).await;
        token_payment_rejects("I4", &cents.to_string(), "amount", pay(amount, "tok-1")).await;
    }
    for (label, field, req) in [
        (
            "empty description",
            "description",
            CreateOrder::new(usd, "", "order-1"),
        ),
        (
            "over-long description",
            "description",
            CreateOrder::new(usd, straddling(256), "order-1"),
        ),
        (
            "empty orderReference",
            "orderReference",
            CreateOrder::new(usd, "d", ""),
        ),
        (
            "orderReference with CRLF",
            "orderReference",
            CreateOrder::new(usd, "d", "order-1\r\n"),
        ),
    ] {
        order_rejects("I8", label, field, req).await;
    }
    for (label, url) in [
        ("http to a public host", "http://shop.example/return"),
        ("relative", "/greenpay/return"),
        ("javascript:", "javascript:alert(1)"),
    ] {
        order_rejects("I7", label, "callback", order(usd).callback(url)).await;
        let req = TokenizationOrder::new("req-1").callback(url);
        rejected(
            CARD_SESSION,
            "I7",
            label,
            "callback",
            move |base: Url| async move {
                sdk_client(&base)?
                    .cards()
                    .session(&req)
                    .await
                    .map_err(greenpay::Error::into_kind)
            },
        )
        .await;
    }
    for (label, field, req) in [
        (
            "empty description",
            "description",
            TokenPayment::new(usd, "", "order-7", CardToken::new("tok-1")),
        ),
        (
            "empty orderReference",
            "orderReference",
            TokenPayment::new(usd, "d", "", CardToken::new("tok-1")),
        ),
        ("empty token", "token", pay(usd, "")),
        ("token with a space", "token", pay(usd, "to k")),
    ] {
        token_payment_rejects("I8", label, field, req).await;
    }
    for (label, request_id) in [("empty requestId", ""), ("requestId with CRLF", "r\r\n")] {
        let req = TokenizationOrder::new(request_id);
        rejected(
            CARD_SESSION,
            "I8",
            label,
            "requestId",
            move |base: Url| async move {
                sdk_client(&base)?
                    .cards()
                    .session(&req)
                    .await
                    .map_err(greenpay::Error::into_kind)
            },
        )
        .await;
    }
    for (label, field, token, request_id) in [
        ("empty token", "token", "", "req-1"),
        ("token with a space", "token", "to k", "req-1"),
        ("empty requestId", "requestId", "tok-1", ""),
    ] {
        rejected(
            CARD_DELETE,
            "I8",
            label,
            field,
            move |base: Url| async move {
                sdk_client(&base)?
                    .cards()
                    .delete(&CardToken::new(token), request_id)
                    .await
                    .map_err(greenpay::Error::into_kind)
            },
        )
        .await;
    }
}

const CARD_TOKENIZE: &str = "greenpay/Card (cards.tokenize)";
const CARD_UPDATE: &str = "greenpay/Card (cards.update)";

/// `card` refused by `cards.tokenize` and `cards.update`, naming `field`, with nothing sent
/// (neither the session nor the card: the card is checked before the session is asked for).
async fn card_rejects(row: &str, input: &str, field: &str, card: Card) {
    let for_update = card.clone();
    rejected(
        CARD_TOKENIZE,
        row,
        input,
        field,
        move |base: Url| async move {
            card_client(&base, payments_reliability::patient_config())?
                .cards()
                .tokenize(&card, "req-1")
                .await
                .map_err(greenpay::Error::into_kind)
        },
    )
    .await;
    rejected(
        CARD_UPDATE,
        row,
        input,
        field,
        move |base: Url| async move {
            card_client(&base, payments_reliability::patient_config())?
                .cards()
                .update(&CardToken::new("tok-1"), &for_update, "req-1")
                .await
                .map_err(greenpay::Error::into_kind)
        },
    )
    .await;
}

/// The card tokenization inputs: number, expiry, security code, holder (and nickname), each
/// refused by its wire field inside the encrypted card (`card.cardNumber`, …), the other
/// fields valid (the PAN and CVV canaries, which no error may show); then the token and
/// request id of the writes, and a client without GreenPay's public key.
async fn card_rows() {
    let card = |holder: &str, number: &str, cvc: &str, month: u8, year: u16| {
        Card::new(holder, number, cvc, month, year)
    };
    let holder = "CANARY HOLDER";
    for (label, number) in [
        ("empty number", ""),
        ("11 digits", "41111111111"),
        ("20 digits", "41111111111111111111"),
        ("letters", "4111x11111111111"),
        ("fails the Luhn check", "4111111111111112"),
        ("CRLF", "4111111111111111\r\n"),
        ("dots", "4111.1111.1111.1111"),
    ] {
        card_rejects(
            "I8",
            label,
            "card.cardNumber",
            card(holder, number, CVV, 12, 2030),
        )
        .await;
    }
    for (label, cvc) in [
        ("empty code", ""),
        ("2 digits", "12"),
        ("5 digits", "12345"),
        ("letters", "12a"),
        ("with a space", "1 23"),
    ] {
        card_rejects("I8", label, "card.cvc", card(holder, PAN, cvc, 12, 2030)).await;
    }
    for (label, month) in [("month 0", 0), ("month 13", 13)] {
        card_rejects(
            "I8",
            label,
            "card.expirationDate.month",
            card(holder, PAN, CVV, month, 2030),
        )
        .await;
    }
    for (label, year) in [
        ("two-digit year 30", 30),
        ("year 1999", 1999),
        ("year 2100", 2100),
    ] {
        card_rejects(
            "I8",
            label,
            "card.expirationDate.year",
            card(holder, PAN, CVV, 12, year),
        )
        .await;
    }
    for (label, name) in [
        ("empty holder", String::new()),
        ("over-long holder", straddling(256)),
        ("holder with CRLF", "JANE\r\nDOE".to_owned()),
    ] {
        card_rejects(
            "I8",
            label,
            "card.cardHolder",
            card(&name, PAN, CVV, 12, 2030),
        )
        .await;
    }
    card_rejects(
        "I8",
        "over-long nickname",
        "card.nickname",
        card(holder, PAN, CVV, 12, 2030).nickname(straddling(256)),
    )
    .await;
    for (label, request_id) in [("empty requestId", ""), ("requestId with CRLF", "r\r\n")] {
        rejected(
            CARD_TOKENIZE,
            "I8",
            label,
            "requestId",
            move |base: Url| async move {
                card_client(&base, payments_reliability::patient_config())?
                    .cards()
                    .tokenize(&card(holder, PAN, CVV, 12, 2030), request_id)
                    .await
                    .map_err(greenpay::Error::into_kind)
            },
        )
        .await;
    }
    for (label, field, token, request_id) in [
        ("empty token", "token", "", "req-1"),
        ("token with a space", "token", "to k", "req-1"),
        ("empty requestId", "requestId", "tok-1", ""),
    ] {
        rejected(
            CARD_UPDATE,
            "I8",
            label,
            field,
            move |base: Url| async move {
                card_client(&base, payments_reliability::patient_config())?
                    .cards()
                    .update(
                        &CardToken::new(token),
                        &card(holder, PAN, CVV, 12, 2030),
                        request_id,
                    )
                    .await
                    .map_err(greenpay::Error::into_kind)
            },
        )
        .await;
    }
    // Without GreenPay's public key nothing can be encrypted: refused before any request.
    rejected(
        CARD_TOKENIZE,
        "I9",
        "no public key on the client",
        "public_key",
        move |base: Url| async move {
            sdk_client(&base)?
                .cards()
                .tokenize(&card(holder, PAN, CVV, 12, 2030), "req-1")
                .await
                .map_err(greenpay::Error::into_kind)
        },
    )
    .await;
}

/// Runs GreenPay's bad inputs.
pub async fn run() {
    order_rows().await;
    card_rows().await;
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
