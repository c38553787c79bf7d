//! beGateway: `CreateProduct`, `UpdateProduct`, the currency parser, the ids of the reads, and
//! the client builder.

use begateway::{
    Client, CreateProduct, Credentials, Currency, Money, ProductId, TransactionUid, UpdateProduct,
};
use payments_common::Url;
use payments_reliability::canary::{SHOP_ID, SHOP_SECRET};
use payments_reliability::report;

use super::{rejected, rejected_now, straddling, type_level_rows, unsafe_urls};
use crate::faults::begateway::{client, create, update};

const CREATE: &str = "begateway/CreateProduct (products.create)";
const UPDATE: &str = "begateway/UpdateProduct (products.update)";

async fn create_rejects(row: &str, input: &str, field: &str, req: CreateProduct) {
    rejected(CREATE, row, input, field, move |base: Url| async move {
        client(&base)?
            .products()
            .create(&req)
            .await
            .map_err(payments_common::Error::from)
    })
    .await;
}

async fn update_rejects(row: &str, input: &str, field: &str, req: UpdateProduct) {
    rejected(UPDATE, row, input, field, move |base: Url| async move {
        client(&base)?
            .products()
            .update(&ProductId::new("prd_1"), &req)
            .await
            .map_err(payments_common::Error::from)
    })
    .await;
}

fn product(price: Money) -> CreateProduct {
    CreateProduct::new("product", "description", price)
        .quantity(1)
        .immortal()
}

/// Runs beGateway's bad inputs.
pub async fn run() {
    type_level_rows("begateway/Money+Currency");
    // I1/I2 through the crate's own currency parser (what a caller parsing a stored code uses).
    for code in ["ABC", "u$d", "US", "EURO", "", "XAU", "XXX", "CLF", "UYW"] {
        let row = if code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()) {
            "I2"
        } else {
            "I1"
        };
        rejected_now(
            "begateway/currency::parse_currency",
            row,
            code,
            "currency",
            begateway::currency::parse_currency(code).map_err(payments_common::Error::from),
        );
    }
    // I2: a fund code as the price's currency.
    create_rejects(
        "I2",
        "CLF",
        "currency",
        product(Money::from_minor_units(100, Currency::CLF)),
    )
    .await;
    update_rejects("I2", "CLF", "currency", update().currency(Currency::CLF)).await;
    // I3: beGateway's exponent exceptions: IDR has 0 decimals there (ISO: 2); MOP 1 (ISO: 2).
    create_rejects(
        "I3",
        "1.50 IDR",
        "amount",
        product(Money::from_minor_units(150, Currency::IDR)),
    )
    .await;
    create_rejects(
        "I3",
        "1.25 MOP",
        "amount",
        product(Money::from_minor_units(125, Currency::MOP)),
    )
    .await;
    // I4.
    for cents in [-5, 0] {
        create_rejects(
            "I4",
            &cents.to_string(),
            "amount",
            product(Money::from_minor_units(cents, Currency::USD)),
        )
        .await;
        update_rejects(
            "I4",
            &cents.to_string(),
            "amount",
            update().price(Money::from_minor_units(cents, Currency::USD)),
        )
        .await;
    }
    // I7: the four merchant URLs.
    for (label, url) in unsafe_urls() {
        create_rejects("I7", label, "return_url", create().return_url(url.clone())).await;
        create_rejects(
            "I7",
            label,
            "notification_url",
            create().notification_url(url.clone()),
        )
        .await;
        create_rejects(
            "I7",
            label,
            "success_url",
            create().success_url(url.clone()),
        )
        .await;
        create_rejects("I7", label, "fail_url", create().fail_url(url.clone())).await;
        update_rejects(
            "I7",
            label,
            "notification_url",
            update().notification_url(url),
        )
        .await;
    }
    // I8: text fields and counts.
    let usd = Money::from_minor_units(990, Currency::USD);
    let cases: Vec<(&str, &str, CreateProduct)> = vec![
        (
            "empty name",
            "name",
            CreateProduct::new("", "d", usd).quantity(1).immortal(),
        ),
        (
            "256 chars name",
            "name",
            CreateProduct::new(straddling(255), "d", usd)
                .quantity(1)
                .immortal(),
        ),
        (
            "blank description",
            "description",
            CreateProduct::new("n", "  ", usd).quantity(1).immortal(),
        ),
        (
            "name with CRLF",
            "name",
            CreateProduct::new("a\r\nb", "d", usd)
                .quantity(1)
                .immortal(),
        ),
        (
            "quantity 0",
            "quantity",
            CreateProduct::new("n", "d", usd).quantity(0).immortal(),
        ),
        (
            "no quantity, not infinite",
            "quantity",
            CreateProduct::new("n", "d", usd).immortal(),
        ),
        (
            "no expiry, not immortal",
            "expired_at",
            CreateProduct::new("n", "d", usd).quantity(1),
        ),
        ("shop_id with a space", "shop_id", create().shop_id("36 1")),
    ];
    for (label, field, req) in cases {
        create_rejects("I8", label, field, req).await;
    }
    update_rejects("I8", "empty name", "name", update().name("")).await;
    update_rejects(
        "I8",
        "256 chars description",
        "description",
        update().description(straddling(255)),
    )
    .await;
    // I8: ids of the reads.
    for id in ["", "a b", "p\r\n", &"p".repeat(256)] {
        let i = id.to_owned();
        rejected(
            "begateway/ProductId (products.get)",
            "I8",
            id,
            "product_id",
            move |base: Url| async move {
                client(&base)?
                    .products()
                    .get(&ProductId::new(i))
                    .await
                    .map_err(payments_common::Error::from)
            },
        )
        .await;
        let i = id.to_owned();
        rejected(
            "begateway/TransactionUid (transactions.get)",
            "I8",
            id,
            "uid",
            move |base: Url| async move {
                client(&base)?
                    .transactions()
                    .get(&TransactionUid::new(i))
                    .await
                    .map_err(payments_common::Error::from)
            },
        )
        .await;
        let i = id.to_owned();
        rejected(
            "begateway/tracking_id (transactions.by_tracking_id)",
            "I8",
            id,
            "tracking_id",
            move |base: Url| async move {
                client(&base)?
                    .transactions()
                    .by_tracking_id(&i)
                    .await
                    .map_err(payments_common::Error::from)
            },
        )
        .await;
    }
    // I9: credentials, hosts, API version.
    let builder = "begateway/ClientBuilder";
    for (label, field, credentials) in [
        (
            "empty shop id",
            "shop_id",
            Credentials::new("", SHOP_SECRET),
        ),
        (
            "shop id with a space",
            "shop_id",
            Credentials::new("3 61", SHOP_SECRET),
        ),
        ("empty secret", "secret_key", Credentials::new(SHOP_ID, "")),
        (
            "secret with a space",
            "secret_key",
            Credentials::new(SHOP_ID, format!("{SHOP_SECRET} x")),
        ),
        (
            "secret with a newline",
            "secret_key",
            Credentials::new(SHOP_ID, format!("{SHOP_SECRET}\n")),
        ),
    ] {
        rejected_now(
            builder,
            "I9",
            label,
            field,
            Client::builder(credentials.clone())
                .build()
                .map_err(payments_common::Error::from),
        );
        rejected_now(
            "begateway/WebhookVerifier",
            "I9",
            label,
            field,
            begateway::WebhookVerifier::new(credentials).map_err(payments_common::Error::from),
        );
    }
    let credentials = || Credentials::new(SHOP_ID, SHOP_SECRET);
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
            Client::builder(credentials())
                .api_base_url(url)
                .build()
                .map_err(payments_common::Error::from),
        );
        rejected_now(
            builder,
            "I7",
            label,
            "gateway_base_url",
            Client::builder(credentials())
                .gateway_base_url(url)
                .build()
                .map_err(payments_common::Error::from),
        );
    }
    rejected_now(
        builder,
        "I8",
        "api version with a slash",
        "api_version",
        Client::builder(credentials())
            .api_version("3/../x")
            .build()
            .map_err(payments_common::Error::from),
    );
    card_rows().await;
    authorization_and_follow_up_rows().await;
    credit_and_tokenization_rows().await;
    checkout_section_rows().await;
    report::not_applicable(
        "begateway",
        "products, queries",
        "I10",
        "beGateway keys only card writes (RequestID); a key on a product write is refused as I10 shows",
    );
    report::not_applicable(
        "begateway",
        "products.create/update",
        "I5 provider max",
        "beGateway documents amount as bigInteger with no maximum: only i64 overflow applies (tested at the Money level)",
    );
}

const CARD: &str = "begateway/ChargeRequest (card.payment)";

async fn card_rejects(row: &str, input: &str, field: &str, req: begateway::ChargeRequest) {
    rejected(CARD, row, input, field, move |base: Url| async move {
        client(&base)?
            .card_transactions()
            .payment(&req)
            .await
            .map_err(payments_common::Error::from)
    })
    .await;
}

/// Card charges: the card's fields, the amount, and I10 (the caller's `RequestID`).
async fn card_rows() {
    use begateway::{Card, ChargeRequest, PaymentSource, RequestOptions, SecretString};
    let usd = Money::from_minor_units(990, Currency::USD);
    let card = |number: &str, cvc: &str, month: u8| {
        ChargeRequest::new(
            usd,
            "Order 42",
            "order-42",
            PaymentSource::Card(Card::new(number, cvc, "JOHN DOE", month, 2030)),
        )
    };
    let cases = [
        (
            "Luhn failure",
            "credit_card.number",
            card("4200000000000001", "123", 1),
        ),
        (
            "letters in the number",
            "credit_card.number",
            card("4200abcd00000000", "123", 1),
        ),
        (
            "11 digits",
            "credit_card.number",
            card("42000000000", "123", 1),
        ),
        (
            "2-digit CVC",
            "credit_card.verification_value",
            card("4200000000000000", "12", 1),
        ),
        (
            "month 13",
            "credit_card.exp_month",
            card("4200000000000000", "123", 13),
        ),
        (
            "empty token",
            "credit_card.token",
            ChargeRequest::new(
                usd,
                "d",
                "order-42",
                PaymentSource::Token(SecretString::from("")),
            ),
        ),
        (
            "zero amount",
            "amount",
            ChargeRequest::new(
                Money::from_minor_units(0, Currency::USD),
                "d",
                "order-42",
                PaymentSource::Token(SecretString::from("tok")),
            ),
        ),
    ];
    for (label, field, req) in cases {
        card_rejects("I8", label, field, req).await;
    }
    // I10: the caller's own key, malformed; and a key on a product write, which beGateway
    // does not key.
    for (label, key) in [
        ("empty key", ""),
        ("key with a newline", "k\n1"),
        ("key with a space", "k 1"),
    ] {
        let key = key.to_owned();
        rejected(
            CARD,
            "I10",
            label,
            "idempotency_key",
            move |base: Url| async move {
                client(&base)?
                    .with_options(RequestOptions::new().idempotency_key(key))
                    .card_transactions()
                    .payment(&crate::faults::begateway::charge())
                    .await
                    .map_err(payments_common::Error::from)
            },
        )
        .await;
    }
    rejected(
        CREATE,
        "I10",
        "a key on an unkeyed write",
        "idempotency_key",
        move |base: Url| async move {
            client(&base)?
                .with_options(RequestOptions::new().idempotency_key("k-1"))
                .products()
                .create(&create())
                .await
                .map_err(payments_common::Error::from)
        },
    )
    .await;
}

const AUTHORIZATION: &str = "begateway/ChargeRequest (card.authorization)";
const FOLLOW_UP: &str = "begateway/FollowUp (card.capture, card.void, card.refund)";

/// Authorizations (the charge's rules) and the follow-ups on a parent uid: each bad field
/// named, nothing sent.
async fn authorization_and_follow_up_rows() {
    use begateway::{Card, ChargeRequest, FollowUp, PaymentSource, TransactionUid};
    let usd = |minor: i64| Money::from_minor_units(minor, Currency::USD);
    let card = |number: &str| PaymentSource::Card(Card::new(number, "123", "JOHN DOE", 1, 2030));
    let authorizations = [
        (
            "Luhn failure",
            "credit_card.number",
            ChargeRequest::new(usd(990), "Order 42", "order-42", card("4200000000000001")),
        ),
        (
            "zero amount",
            "amount",
            ChargeRequest::new(usd(0), "Order 42", "order-42", card("4200000000000000")),
        ),
    ];
    for (label, field, req) in authorizations {
        rejected(
            AUTHORIZATION,
            "I8",
            label,
            field,
            move |base: Url| async move {
                client(&base)?
                    .card_transactions()
                    .authorization(&req)
                    .await
                    .map_err(payments_common::Error::from)
            },
        )
        .await;
    }
    let parent = || TransactionUid::new("1-310b0da80b");
    let follow_ups = [
        ("zero amount", "amount", FollowUp::new(parent(), usd(0))),
        (
            "negative amount",
            "amount",
            FollowUp::new(parent(), usd(-250)),
        ),
        (
            "empty parent uid",
            "parent_uid",
            FollowUp::new(TransactionUid::new(""), usd(250)),
        ),
        (
            "reason over the limit",
            "reason",
            FollowUp::new(parent(), usd(250)).reason("r".repeat(10_000)),
        ),
    ];
    for (label, field, req) in follow_ups {
        for kind in ["capture", "void", "refund"] {
            let req = req.clone();
            let input = format!("{kind}: {label}");
            rejected(
                FOLLOW_UP,
                "I8",
                &input,
                field,
                move |base: Url| async move {
                    let client = client(&base)?;
                    let cards = client.card_transactions();
                    match kind {
                        "capture" => cards.capture(&req).await,
                        "void" => cards.void(&req).await,
                        _ => cards.refund(&req).await,
                    }
                    .map_err(payments_common::Error::from)
                },
            )
            .await;
        }
    }
    // A refund must say why; a capture or a void need not.
    rejected(
        FOLLOW_UP,
        "I8",
        "refund: no reason",
        "reason",
        move |base: Url| async move {
            client(&base)?
                .card_transactions()
                .refund(&FollowUp::new(parent(), usd(250)))
                .await
                .map_err(payments_common::Error::from)
        },
    )
    .await;
}

const CREDIT: &str = "begateway/CreditRequest (card.credit)";
const TOKENIZATION: &str = "begateway/ChargeRequest (card.tokenization)";
const CHECKOUT: &str = "begateway/CreateCheckout (checkouts.create)";

/// Credits and tokenizations: each bad field named, nothing sent (I8), and a malformed
/// caller key (I10).
async fn credit_and_tokenization_rows() {
    use begateway::{
        Card, ChargeRequest, CreditRequest, PaymentSource, RequestOptions, SecretString,
    };
    let usd = |minor: i64| Money::from_minor_units(minor, Currency::USD);
    let credit = |minor: i64, description: &str, tracking: &str, token: &str| {
        CreditRequest::new(usd(minor), description, tracking, SecretString::from(token))
    };
    let credits = [
        ("zero amount", "amount", credit(0, "d", "p-1", "tok")),
        (
            "empty description",
            "description",
            credit(990, "", "p-1", "tok"),
        ),
        (
            "empty tracking id",
            "tracking_id",
            credit(990, "d", "", "tok"),
        ),
        (
            "empty token",
            "credit_card.token",
            credit(990, "d", "p-1", ""),
        ),
        (
            "plain-http notification URL",
            "notification_url",
            credit(990, "d", "p-1", "tok").notification_url("http://shop.example/n"),
        ),
        (
            "IDR amount beGateway cannot express",
            "amount",
            CreditRequest::new(
                Money::from_minor_units(150, Currency::IDR),
                "d",
                "p-1",
                SecretString::from("tok"),
            ),
        ),
    ];
    for (label, field, req) in credits {
        rejected(CREDIT, "I8", label, field, move |base: Url| async move {
            client(&base)?
                .card_transactions()
                .credit(&req)
                .await
                .map_err(payments_common::Error::from)
        })
        .await;
    }
    let card = |number: &str, cvc: &str| {
        ChargeRequest::new(
            usd(100),
            "Save card",
            "customer-42",
            PaymentSource::Card(Card::new(number, cvc, "JOHN DOE", 1, 2030)),
        )
    };
    let tokenizations = [
        (
            "a token instead of card data",
            "credit_card.number",
            ChargeRequest::new(
                usd(100),
                "Save card",
                "customer-42",
                PaymentSource::Token(SecretString::from("tok")),
            ),
        ),
        (
            "Luhn failure",
            "credit_card.number",
            card("4200000000000001", "123"),
        ),
        (
            "5-digit CVC",
            "credit_card.verification_value",
            card("4200000000000000", "12345"),
        ),
    ];
    for (label, field, req) in tokenizations {
        rejected(
            TOKENIZATION,
            "I8",
            label,
            field,
            move |base: Url| async move {
                client(&base)?
                    .card_transactions()
                    .tokenization(&req)
                    .await
                    .map_err(payments_common::Error::from)
            },
        )
        .await;
    }
    for (builder, label, key) in [
        (CREDIT, "key with a newline", "k\n1"),
        (TOKENIZATION, "empty key", ""),
    ] {
        let key = key.to_owned();
        rejected(
            builder,
            "I10",
            label,
            "idempotency_key",
            move |base: Url| async move {
                let c = client(&base)?.with_options(RequestOptions::new().idempotency_key(key));
                if builder == CREDIT {
                    c.card_transactions()
                        .credit(&crate::faults::begateway::credit())
                        .await
                        .map(|_| ())
                        .map_err(payments_common::Error::from)
                } else {
                    c.card_transactions()
                        .tokenization(&crate::faults::begateway::tokenization())
                        .await
                        .map(|_| ())
                        .map_err(payments_common::Error::from)
                }
            },
        )
        .await;
    }
}

/// The checkout's sections: customer fields, the customer, payment methods (I8).
async fn checkout_section_rows() {
    use begateway::{
        CheckoutCustomer, CheckoutType, CreateCheckout, CustomerField, EripParams,
        PaymentMethodType,
    };
    let base = || {
        CreateCheckout::new(
            CheckoutType::Payment,
            Money::from_minor_units(990, Currency::USD),
            "Order 42",
            "order-42",
        )
    };
    let cases = [
        (
            "lower-case country",
            "customer.country",
            base().customer(CheckoutCustomer::new().country("gb")),
        ),
        (
            "phone with letters",
            "customer.phone",
            base().customer(CheckoutCustomer::new().phone("call me")),
        ),
        (
            "30 February",
            "customer.birth_date",
            base().customer(CheckoutCustomer::new().birth_date("1980-02-30")),
        ),
        (
            "e-mail without @",
            "customer.email",
            base().customer(CheckoutCustomer::new().email("nope")),
        ),
        (
            "a visible field twice",
            "settings.customer_fields.visible",
            base().visible_fields([CustomerField::Phone, CustomerField::Phone]),
        ),
        (
            "a read-only field with spaces",
            "settings.customer_fields.read_only",
            base().read_only_fields([CustomerField::from("first name")]),
        ),
        (
            "a payment method with a space",
            "payment_method.types",
            base().payment_methods([PaymentMethodType::from("credit card")]),
        ),
        (
            "ERIP parameters without erip",
            "payment_method.types",
            base().erip(EripParams::new("order-42")),
        ),
    ];
    for (label, field, req) in cases {
        rejected(CHECKOUT, "I8", label, field, move |base: Url| async move {
            client(&base)?
                .checkouts()
                .create(&req)
                .await
                .map_err(payments_common::Error::from)
        })
        .await;
    }
}
