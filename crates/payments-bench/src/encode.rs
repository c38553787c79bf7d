//! Encode cases: every documented request fixture, built with the crate's typed builder
//! (exactly as the crate's own fixture tests build it) and serialized with
//! `serde_json::to_vec` — what `payments_common::http::Request::json` does — against the
//! same JSON from a `serde_json::Value` and from the hand-written struct of [`crate::bare`].
//!
//! GreenPay's bodies are assembled inside the client (it adds `merchantId`, `secret` and, for
//! most calls, `terminal` from the credentials through a private wire type); the order, token
//! payment and tokenization session bodies are reached through `greenpay::__bench`
//! (`#[doc(hidden)]`), which serializes them through that same wire type. `orders().create`
//! and `orders().create_v2` send one body (only the host differs): one row. The card JSON the
//! tokenization encrypts is serialized by the crate into a buffer it zeroes afterwards
//! (`greenpay::__bench::card_plaintext`). The manual-payment body has no typed arm here.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::num::NonZeroU32;

use payments_common::{Currency, Money};
use serde::Serialize;
use serde_json::Value;

use crate::{bare, fixtures};

/// One way of encoding a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arm {
    /// The crate's typed request.
    Typed,
    /// A `serde_json::Value` of the same document.
    Value,
    /// The hand-written struct.
    Bare,
}

impl Arm {
    /// Every arm.
    pub const ALL: [Arm; 3] = [Arm::Typed, Arm::Value, Arm::Bare];

    /// The arm's name.
    pub fn name(self) -> &'static str {
        match self {
            Arm::Typed => "typed",
            Arm::Value => "value",
            Arm::Bare => "bare",
        }
    }

    /// Parses [`Arm::name`].
    pub fn parse(text: &str) -> Option<Arm> {
        Arm::ALL.into_iter().find(|a| a.name() == text)
    }
}

/// Any error building the cases.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

type Encoder = Box<dyn Fn() -> Vec<u8>>;

/// A request body and its encoders.
pub struct EncodeCase {
    /// `<provider>/<fixture stem>`.
    pub name: &'static str,
    /// The fixture's bytes (pretty-printed).
    pub fixture: &'static [u8],
    typed: Encoder,
    value: Encoder,
    bare: Encoder,
}

impl EncodeCase {
    /// Encodes once through `arm`; returns the JSON written.
    pub fn run(&self, arm: Arm) -> Vec<u8> {
        match arm {
            Arm::Typed => (self.typed)(),
            Arm::Value => (self.value)(),
            Arm::Bare => (self.bare)(),
        }
    }
}

fn encoder<T: Serialize + 'static>(value: T) -> Encoder {
    Box::new(move || serde_json::to_vec(black_box(&value)).unwrap_or_default())
}

fn case<T: Serialize + 'static, B: Serialize + 'static>(
    name: &'static str,
    fixture: &'static [u8],
    typed: T,
    bare: B,
) -> EncodeCase {
    let value = serde_json::to_value(&typed).unwrap_or(Value::Null);
    EncodeCase {
        name,
        fixture,
        typed: encoder(typed),
        value: encoder(value),
        bare: encoder(bare),
    }
}

fn eur(cents: i64) -> Money {
    Money::from_minor_units(cents, Currency::EUR)
}

fn url(text: &str) -> Result<payments_common::Url, BoxError> {
    Ok(text.parse()?)
}

fn metadata(key: &str, value: &str) -> BTreeMap<String, String> {
    BTreeMap::from([(key.to_owned(), value.to_owned())])
}

fn s(text: &str) -> String {
    text.to_owned()
}

/// Every encode case.
pub fn cases() -> Result<Vec<EncodeCase>, BoxError> {
    use fixtures::*;
    let usd990 = Money::from_minor_units(990, Currency::USD);
    let logo = url("https://www.example.com/logo.png")?;
    let callback = url("https://www.example.com/tspay/callback")?;
    let page_template = || {
        tspay::Template::new("TeamSystem S.p.A.", "Fattura di vendita")
            .payment_ref("Numero 123 del 15/06/2020")
            .logo(logo.clone())
    };
    let bare_template = || bare::Template {
        title: s("TeamSystem S.p.A."),
        desc: s("Fattura di vendita"),
        payment_ref: s("Numero 123 del 15/06/2020"),
        logo: Some(s("https://www.example.com/logo.png")),
    };
    Ok(vec![
        case(
            "begateway/products.create.request.infinite",
            BEGATEWAY_CREATE_INFINITE,
            begateway::CreateProduct::new("product", "description", usd990)
                .infinite()
                .test(false)
                .immortal()
                .return_url("http://return-url.com")
                .shop_id("1")
                .language(begateway::Language::En)
                .transaction_type(begateway::TransactionType::Payment),
            bare::CreateProductInfinite {
                name: s("product"),
                description: s("description"),
                currency: s("USD"),
                amount: 990,
                infinite: true,
                test: false,
                immortal: true,
                return_url: s("http://return-url.com"),
                shop_id: s("1"),
                language: s("en"),
                transaction_type: s("payment"),
            },
        ),
        case(
            "begateway/products.create.request.limited",
            BEGATEWAY_CREATE_LIMITED,
            begateway::CreateProduct::new("product", "description of product", usd990)
                .quantity(10)
                .test(false)
                .expiry(begateway::Expiry::At(
                    time::macros::datetime!(2023-12-31 00:00 UTC),
                ))
                .return_url("http://return-url.com")
                .shop_id("1")
                .language(begateway::Language::En)
                .transaction_type(begateway::TransactionType::Payment),
            bare::CreateProductLimited {
                name: s("product"),
                description: s("description of product"),
                currency: s("USD"),
                amount: 990,
                quantity: 10,
                infinite: false,
                test: false,
                immortal: false,
                expired_at: s("2023-12-31T00:00:00+00:00"),
                return_url: s("http://return-url.com"),
                shop_id: s("1"),
                language: s("en"),
                transaction_type: s("payment"),
            },
        ),
        case(
            "begateway/products.update.request",
            BEGATEWAY_UPDATE,
            begateway::UpdateProduct::new()
                .amount(Money::from_minor_units(950, Currency::EUR))
                .quantity(5),
            bare::UpdateProduct {
                amount: 950,
                infinite: false,
                quantity: 5,
            },
        ),
        case(
            "tspay/link2pay.request",
            TSPAY_LINK2PAY_REQUEST,
            tspay::PayLinkRequest::new(page_template(), eur(1450))
                .callback_url(callback.clone())
                .source_type(tspay::SourceType::Card)
                .source_type(tspay::SourceType::SepaDebit)
                .max_payments(tspay::UseLimit::ONCE)
                .external_ref("cliente-0042")
                .metadata("invoice", "123/2020")
                .omit_currency(),
            bare::PayLink {
                template: bare_template(),
                callback_url: s("https://www.example.com/tspay/callback"),
                source_types: vec![s("card"), s("sepa_debit")],
                max_payments_number: 1,
                amount: 1450,
                external_ref: s("cliente-0042"),
                metadata: metadata("invoice", "123/2020"),
            },
        ),
        case(
            "tspay/link2pay.request.integration",
            TSPAY_LINK2PAY_REQUEST_INTEGRATION,
            tspay::PayLinkRequest::new(
                tspay::Template::new("Example Shop", "Acquisto digitale").payment_ref("Ordine #42"),
                eur(1450),
            )
            .external_ref("edd-order-42")
            .metadata("edd_order_id", "42")
            .locale(tspay::Locale::Italian)
            .source_type(tspay::SourceType::Card)
            .source_type(tspay::SourceType::PayPal)
            .callback_url(url(
                "https://shop.example.com/?edd-tspay-action=return&payment-id=42&token=RETURNTOKEN",
            )?)
            .cancel_url(url(
                "https://shop.example.com/?edd-tspay-action=cancel&payment-id=42&token=RETURNTOKEN",
            )?),
            bare::PayLinkIntegration {
                external_ref: s("edd-order-42"),
                metadata: metadata("edd_order_id", "42"),
                template: bare::Template {
                    title: s("Example Shop"),
                    desc: s("Acquisto digitale"),
                    payment_ref: s("Ordine #42"),
                    logo: None,
                },
                currency: s("EUR"),
                amount: 1450,
                max_payments_number: 1,
                lang_locale: s("it-IT"),
                source_types: vec![s("card"), s("paypal")],
                callback_url: s(
                    "https://shop.example.com/?edd-tspay-action=return&payment-id=42&token=RETURNTOKEN",
                ),
                cancel_url: s(
                    "https://shop.example.com/?edd-tspay-action=cancel&payment-id=42&token=RETURNTOKEN",
                ),
            },
        ),
        case(
            "tspay/webhook-registration.request",
            TSPAY_WEBHOOK_REGISTRATION_REQUEST,
            tspay::WebhookRegistration::new("https://shop.example.com/tspay/notify"),
            bare::WebhookRegistration {
                event: s("tspay_charge.*"),
                endpoint: s("https://shop.example.com/tspay/notify"),
            },
        ),
        case(
            "tspay/link2save.request",
            TSPAY_LINK2SAVE_REQUEST,
            tspay::SaveLinkRequest::new(page_template())
                .callback_url(callback)
                .source_type(tspay::SourceType::Card)
                .source_type(tspay::SourceType::SepaDebit)
                .max_sources(tspay::UseLimit::at_most(NonZeroU32::MIN))
                .max_amount(eur(1450))
                .context_id("fattura-123-2020")
                .external_ref("cliente-0042")
                .metadata("invoice", "123/2020"),
            bare::SaveLink {
                template: bare_template(),
                callback_url: s("https://www.example.com/tspay/callback"),
                source_types: vec![s("card"), s("sepa_debit")],
                max_source_number: 1,
                max_amount: 1450,
                context_id: s("fattura-123-2020"),
                external_ref: s("cliente-0042"),
                metadata: metadata("invoice", "123/2020"),
            },
        ),
        case(
            "jatapay/subscriptions.create.request",
            JATAPAY_SUBSCRIPTION_CREATE_REQUEST,
            jatapay::GatewayRequest::new(
                eur(2000),
                "https://e-commerce.example.com/callback_url",
                "Abbonamento di esempio",
            )
            .note("Dilazione per motivo esempio"),
            bare::GatewayRequest {
                importo: 2000,
                callback_url: s("https://e-commerce.example.com/callback_url"),
                note: s("Dilazione per motivo esempio"),
                descrizione_prodotto: s("Abbonamento di esempio"),
                cliente: s("open"),
            },
        ),
        case(
            "jatapay/token.create.request",
            JATAPAY_TOKEN_REQUEST,
            jatapay::TokenRequest::client_credentials(),
            bare::TokenRequest {
                grant_type: s("client_credentials"),
            },
        ),
    ]
    .into_iter()
    .chain(begateway_card_cases()?)
    .chain(greenpay_cases()?)
    .collect())
}

/// The credentials of GreenPay's request fixtures (the page's example values).
fn greenpay_credentials() -> greenpay::Credentials {
    greenpay::Credentials::new(
        GREENPAY_MERCHANT,
        GREENPAY_TERMINAL,
        payments_common::SecretString::from(GREENPAY_SECRET),
    )
}

const GREENPAY_MERCHANT: &str = "143b28c9-32ad-4635-8ed8-d6abfb6863a0";
const GREENPAY_TERMINAL: &str = "deKokoTest-eb29-BNCR-CRC";
const GREENPAY_SECRET: &str = "QUY5MzBEMkRDMzVCMDFCRDc2NzEwRjZCQjE3NjhFNkE0NjhEQ0MxRjkxQzkzMjAwNzVDNUVGNkY5RTc0N0M0NzkzNUEyQUZFQjczMEYyODEyRjJEMDc5Q0ExNTk1NTA0NjdCMkNBODg1N0Q4MzY2MjI0NEREMUVGQjk4NTcwMzg=";

/// The `plaintext` of the AES-CTR vector fixture: the card JSON, as written by the crate.
fn greenpay_card_json() -> &'static [u8] {
    static PLAINTEXT: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    PLAINTEXT.get_or_init(|| {
        serde_json::from_slice::<Value>(fixtures::GREENPAY_CARD_VECTOR)
            .ok()
            .and_then(|v| {
                v.get("plaintext")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .unwrap_or_default()
            .into_bytes()
    })
}

/// GreenPay's encode cases.
fn greenpay_cases() -> Result<Vec<EncodeCase>, BoxError> {
    use fixtures::*;
    let order = greenpay::orders::CreateOrder::new(
        Money::parse("14.50", Currency::USD)?,
        "Parking ticket",
        "order-1001",
    )
    .callback("https://shop.example/greenpay/return")
    .build()?;
    let payment = greenpay::orders::TokenPayment::new(
        Money::parse("100", Currency::CRC)?,
        "Test sale",
        "order-7",
        greenpay::CardToken::new("f4a3e2d1-c0b9-4a87-9654-3210fedcba98"),
    )
    .build()?;
    let session = greenpay::cards::TokenizationOrder::new("xwr-123455")
        .callback("https://shop.example/cards/return")
        .build()?;
    let card = greenpay::tokenization::Card::new("Jane Doe", "4242424242424242", "123", 12, 2030)
        .nickname("work card");
    let card_value: Value = serde_json::from_slice(&greenpay::__bench::card_plaintext(&card))?;
    Ok(vec![
        case(
            "greenpay/orders.create.request",
            GREENPAY_ORDER_REQUEST,
            greenpay::__bench::order_body(greenpay_credentials(), order),
            bare::GreenPayOrderRequest {
                secret: s(GREENPAY_SECRET),
                merchant_id: s(GREENPAY_MERCHANT),
                terminal: s(GREENPAY_TERMINAL),
                amount: 14.5,
                currency: s("USD"),
                description: s("Parking ticket"),
                order_reference: s("order-1001"),
                callback: s("https://shop.example/greenpay/return"),
            },
        ),
        case(
            "greenpay/orders.pay_with_token.request",
            GREENPAY_TOKEN_PAYMENT_REQUEST,
            greenpay::__bench::token_payment_body(greenpay_credentials(), payment),
            bare::GreenPayTokenPaymentRequest {
                secret: s(GREENPAY_SECRET),
                merchant_id: s(GREENPAY_MERCHANT),
                terminal: s(GREENPAY_TERMINAL),
                amount: 100,
                currency: s("CRC"),
                description: s("Test sale"),
                order_reference: s("order-7"),
                token: s("f4a3e2d1-c0b9-4a87-9654-3210fedcba98"),
            },
        ),
        case(
            "greenpay/cards.session.request",
            GREENPAY_CARD_SESSION_REQUEST,
            greenpay::__bench::card_session_body(greenpay_credentials(), session),
            bare::GreenPayCardSessionRequest {
                secret: s(GREENPAY_SECRET),
                merchant_id: s(GREENPAY_MERCHANT),
                request_id: s("xwr-123455"),
                callback: s("https://shop.example/cards/return"),
            },
        ),
        EncodeCase {
            name: "greenpay/cards.tokenize.request.aes-ctr-vector",
            fixture: greenpay_card_json(),
            typed: Box::new(move || greenpay::__bench::card_plaintext(black_box(&card))),
            value: encoder(card_value),
            bare: encoder(bare::GreenPayCardPlaintext {
                card: bare::GreenPayCard {
                    card_holder: s("Jane Doe"),
                    expiration_date: bare::GreenPayExpiration {
                        month: 12,
                        year: 30,
                    },
                    card_number: s("4242424242424242"),
                    cvc: s("123"),
                    nickname: s("work card"),
                },
            }),
        },
    ])
}

/// The case called `name`.
pub fn find(name: &str) -> Option<EncodeCase> {
    cases().ok()?.into_iter().find(|c| c.name == name)
}

/// beGateway's card, checkout, plan, subscription and card-token bodies: the requests have no
/// public `Serialize`, so the typed arm serializes the exact wire body the client sends
/// (`begateway::__bench::*_body`). Payments, authorizations and tokenizations send one body
/// (one row); captures and voids too (one row).
fn begateway_card_cases() -> Result<Vec<EncodeCase>, BoxError> {
    use fixtures::*;
    let usd100 = Money::from_minor_units(100, Currency::USD);
    let follow_up = |reason: Option<&str>| bare::BegatewayRequest {
        request: bare::BegatewayFollowUp {
            parent_uid: s("4107-310b0da80b"),
            amount: 100,
            reason: reason.map(s),
        },
    };
    let parent = || begateway::TransactionUid::new("4107-310b0da80b");
    Ok(vec![
        case(
            "begateway/card.payment.request",
            BEGATEWAY_CHARGE_SENT,
            begateway::__bench::charge_body(begateway::ChargeRequest::new(
                usd100,
                "Test transaction",
                "your_uniq_number",
                begateway::PaymentSource::Card(begateway::Card::new(
                    "4200000000000000",
                    "123",
                    "John Doe",
                    5,
                    2020,
                )),
            )),
            bare::BegatewayRequest {
                request: bare::BegatewayCharge {
                    amount: 100,
                    currency: s("USD"),
                    description: s("Test transaction"),
                    tracking_id: s("your_uniq_number"),
                    test: false,
                    credit_card: bare::BegatewayCardData {
                        number: s("4200000000000000"),
                        verification_value: s("123"),
                        holder: s("John Doe"),
                        exp_month: s("05"),
                        exp_year: 2020,
                    },
                },
            },
        ),
        case(
            "begateway/card.capture.request",
            BEGATEWAY_CAPTURE_REQUEST,
            begateway::__bench::follow_up_body(begateway::FollowUp::new(parent(), usd100)),
            follow_up(None),
        ),
        case(
            "begateway/card.refund.request",
            BEGATEWAY_REFUND_REQUEST,
            begateway::__bench::follow_up_body(
                begateway::FollowUp::new(parent(), usd100).reason("Client request"),
            ),
            follow_up(Some("Client request")),
        ),
        case(
            "begateway/card.credit.request",
            BEGATEWAY_CREDIT_REQUEST,
            begateway::__bench::credit_body(
                begateway::CreditRequest::new(
                    usd100,
                    "Test transaction",
                    "tracking_id_000",
                    payments_common::SecretString::from(
                        "40bd001563085fc35165329ea1ff5c5ecbdbbeef40bd001563085fc35165329e",
                    ),
                )
                .language(begateway::Language::En),
            ),
            bare::BegatewayRequest {
                request: bare::BegatewayCredit {
                    amount: 100,
                    currency: s("USD"),
                    description: s("Test transaction"),
                    tracking_id: s("tracking_id_000"),
                    language: s("en"),
                    credit_card: bare::BegatewayTokenRef {
                        token: s(
                            "40bd001563085fc35165329ea1ff5c5ecbdbbeef40bd001563085fc35165329e",
                        ),
                    },
                },
            },
        ),
        case(
            "begateway/checkouts.create.request",
            BEGATEWAY_CHECKOUT_SENT,
            begateway::__bench::checkout_body(
                begateway::CreateCheckout::new(
                    begateway::CheckoutType::Payment,
                    Money::from_minor_units(4299, Currency::GBP),
                    "Order description",
                    "order-4299",
                )
                .success_url("http://127.0.0.1:4567/success")
                .decline_url("http://127.0.0.1:4567/decline")
                .fail_url("http://127.0.0.1:4567/fail")
                .cancel_url("http://127.0.0.1:4567/cancel")
                .notification_url("https://your_shop.com/notification")
                .language(begateway::Language::En)
                .hidden_fields([begateway::CustomerField::Phone])
                .read_only_fields([begateway::CustomerField::Email])
                .customer(
                    begateway::CheckoutCustomer::new()
                        .address("Baker street 221b")
                        .country("GB")
                        .city("London")
                        .email("jake@example.com"),
                ),
            ),
            bare::BegatewayCheckoutRequestEnvelope {
                checkout: bare::BegatewayCheckoutRequest {
                    transaction_type: s("payment"),
                    test: false,
                    order: bare::BegatewayCheckoutOrderRequest {
                        amount: 4299,
                        currency: s("GBP"),
                        description: s("Order description"),
                        tracking_id: s("order-4299"),
                    },
                    settings: bare::BegatewayCheckoutSettings {
                        language: s("en"),
                        notification_url: s("https://your_shop.com/notification"),
                        success_url: s("http://127.0.0.1:4567/success"),
                        decline_url: s("http://127.0.0.1:4567/decline"),
                        fail_url: s("http://127.0.0.1:4567/fail"),
                        cancel_url: s("http://127.0.0.1:4567/cancel"),
                        customer_fields: bare::BegatewayCustomerFields {
                            read_only: vec![s("email")],
                            hidden: vec![s("phone")],
                        },
                    },
                    customer: bare::BegatewayCheckoutCustomer {
                        email: s("jake@example.com"),
                        country: s("GB"),
                        city: s("London"),
                        address: s("Baker street 221b"),
                    },
                },
            },
        ),
        case(
            "begateway/plans.create.request",
            BEGATEWAY_PLAN_REQUEST,
            begateway::__bench::plan_body(
                begateway::CreatePlan::new(
                    "Basic plan",
                    Money::from_minor_units(2000, Currency::USD),
                    1,
                    begateway::IntervalUnit::Month,
                )
                .test(true)
                .language(begateway::Language::En),
            ),
            bare::BegatewayPlanRequest {
                test: true,
                title: s("Basic plan"),
                currency: s("USD"),
                plan: bare::BegatewayPlanTerms {
                    amount: 2000,
                    interval: 1,
                    interval_unit: s("month"),
                },
                language: s("en"),
            },
        ),
        case(
            "begateway/subscriptions.create.request",
            BEGATEWAY_SUBSCRIPTION_REQUEST,
            begateway::__bench::subscription_body(
                begateway::CreateSubscription::new(
                    begateway::PlanId::new("pln_c2b3d4e5f6a7b8c9"),
                    "order-42",
                )
                .notification_url("https://shop.example/begateway/subscriptions")
                .return_url("https://shop.example/subscriptions/42")
                .customer_email("jake@example.com"),
            ),
            bare::BegatewaySubscriptionRequest {
                plan: bare::BegatewayPlanRef {
                    id: s("pln_c2b3d4e5f6a7b8c9"),
                },
                tracking_id: s("order-42"),
                notification_url: s("https://shop.example/begateway/subscriptions"),
                return_url: s("https://shop.example/subscriptions/42"),
                customer: bare::BegatewayEmail {
                    email: s("jake@example.com"),
                },
            },
        ),
        case(
            "begateway/card_tokens.create.request",
            BEGATEWAY_CARD_TOKEN_REQUEST,
            begateway::__bench::card_token_body(begateway::CreateCardToken::new(
                "4200000000000000",
                "John Doe",
                5,
                2030,
            )),
            bare::BegatewayRequest {
                request: bare::BegatewayCardTokenRequest {
                    number: s("4200000000000000"),
                    holder: s("John Doe"),
                    exp_month: s("05"),
                    exp_year: 2030,
                },
            },
        ),
    ])
}
