//! The calls compared on loopback: each provider crate's operation (the SDK arm) and the
//! same request and decode with one reused `reqwest::Client` and a hand-written struct (the
//! raw arm), against [`crate::server`].

use payments_common::SecretString;
use reqwest::header::ACCEPT;

use crate::bare;
use crate::server::{GREENPAY_SUBSCRIPTION, JATAPAY_SUBSCRIPTION, ORDER_KEY, PRODUCT_ID};

/// An operation measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// beGateway `products().get()`.
    BegatewayProductGet,
    /// TS Pay `charges().of_order()`.
    TspayChargesOfOrder,
    /// JataPay `subscriptions().get()` (with a fixed bearer token).
    JatapaySubscriptionGet,
    /// GreenPay `subscriptions().pay()` (manual payment).
    GreenpayPay,
}

impl Op {
    /// Every operation.
    pub const ALL: [Op; 4] = [
        Op::BegatewayProductGet,
        Op::TspayChargesOfOrder,
        Op::JatapaySubscriptionGet,
        Op::GreenpayPay,
    ];

    /// The operation's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Op::BegatewayProductGet => "begateway.products.get",
            Op::TspayChargesOfOrder => "tspay.charges.of_order",
            Op::JatapaySubscriptionGet => "jatapay.subscriptions.get",
            Op::GreenpayPay => "greenpay.subscriptions.pay",
        }
    }

    /// Parses [`Op::name`].
    pub fn parse(text: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|o| o.name() == text)
    }
}

/// Which side of the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Through the provider crate.
    Sdk,
    /// Raw reqwest + serde_json.
    Raw,
}

impl Side {
    /// The side's name.
    pub fn name(self) -> &'static str {
        match self {
            Side::Sdk => "sdk",
            Side::Raw => "raw",
        }
    }
}

/// Test credentials (nothing real).
const SHOP_ID: &str = "361";
const SECRET_KEY: &str = "b8647b68898b084b836474ed8d61ffe117c9a01168d867f24953b776ddcb134d";
const TSPAY_KEY: &str = "tspay-bench-api-key";
const JATAPAY_TOKEN: &str = "jatapay-bench-token";
const GREENPAY_MERCHANT: &str = "143b28c9-32ad-4635-8ed8-d6abfb6863a0";
const GREENPAY_TERMINAL: &str = "bench-terminal";
const GREENPAY_SECRET: &str = "greenpay-bench-secret";

/// One client of each kind, all pointing at one server, each built once and reused.
#[derive(Clone)]
pub struct Clients {
    base: String,
    begateway: begateway::Client,
    tspay: tspay::Client,
    jatapay: jatapay::Client,
    greenpay: greenpay::Client,
    raw: reqwest::Client,
}

impl Clients {
    /// Builds every client against `base_url` (`http://127.0.0.1:PORT`).
    pub fn new(base_url: &str) -> Result<Clients, String> {
        let err = |e: payments_common::Error| e.to_string();
        let begateway = begateway::Client::builder(begateway::Credentials::new(
            SHOP_ID,
            SecretString::from(SECRET_KEY),
        ))
        .api_base_url(base_url)
        .build()
        .map_err(|e| err(e.into_kind()))?;
        let tspay = tspay::Client::builder(tspay::Credentials::new(TSPAY_KEY))
            .base_url(base_url)
            .build()
            .map_err(|e| e.to_string())?;
        let jatapay = jatapay::Client::builder(jatapay::Credentials::token(SecretString::from(
            JATAPAY_TOKEN,
        )))
        .api_base_url(base_url)
        .build()
        .map_err(|e| e.to_string())?;
        let greenpay = greenpay::Client::builder(greenpay::Credentials::new(
            GREENPAY_MERCHANT,
            GREENPAY_TERMINAL,
            SecretString::from(GREENPAY_SECRET),
        ))
        .base_url(base_url)
        .build()
        .map_err(|e| err(e.into_kind()))?;
        let raw = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Clients {
            base: base_url.trim_end_matches('/').to_owned(),
            begateway,
            tspay,
            jatapay,
            greenpay,
            raw,
        })
    }

    /// The beGateway client (for the body-cap check).
    pub fn begateway(&self) -> &begateway::Client {
        &self.begateway
    }

    /// Runs `op` once on `side`.
    pub async fn call(&self, op: Op, side: Side) -> Result<(), String> {
        match side {
            Side::Sdk => self.sdk(op).await.map_err(|e| e.to_string()),
            Side::Raw => self.raw(op).await.map_err(|e| e.to_string()),
        }
    }

    async fn sdk(&self, op: Op) -> Result<(), payments_common::Error> {
        match op {
            Op::BegatewayProductGet => {
                let product = self
                    .begateway
                    .products()
                    .get(&begateway::ProductId::new(PRODUCT_ID))
                    .await?;
                drop(std::hint::black_box(product));
            }
            Op::TspayChargesOfOrder => {
                let charges = self
                    .tspay
                    .charges()
                    .of_order(&tspay::OrderKey::new(ORDER_KEY))
                    .await
                    .map_err(payments_common::ProviderError::into_kind)?;
                drop(std::hint::black_box(charges));
            }
            Op::JatapaySubscriptionGet => {
                let subscription = self
                    .jatapay
                    .subscriptions()
                    .get(&jatapay::SubscriptionId::new(JATAPAY_SUBSCRIPTION))
                    .await
                    .map_err(payments_common::ProviderError::into_kind)?;
                drop(std::hint::black_box(subscription));
            }
            Op::GreenpayPay => {
                let paid = self
                    .greenpay
                    .subscriptions()
                    .pay(&greenpay::subscriptions::ManualPayment::new(
                        greenpay::SubscriptionId::new(GREENPAY_SUBSCRIPTION),
                    ))
                    .await
                    .map_err(greenpay::Error::into_kind)?;
                drop(std::hint::black_box(paid));
            }
        }
        Ok(())
    }

    async fn raw(&self, op: Op) -> Result<(), reqwest::Error> {
        let base = &self.base;
        match op {
            Op::BegatewayProductGet => {
                let product: bare::Product = self
                    .raw
                    .get(format!("{base}/products/{PRODUCT_ID}"))
                    .basic_auth(SHOP_ID, Some(SECRET_KEY))
                    .header(ACCEPT, "application/json")
                    .send()
                    .await?
                    .error_for_status()?
                    .json()
                    .await?;
                drop(std::hint::black_box(product));
            }
            Op::TspayChargesOfOrder => {
                let charges: Vec<bare::Charge<String>> = self
                    .raw
                    .get(format!("{base}/charges/orders/{ORDER_KEY}"))
                    .bearer_auth(TSPAY_KEY)
                    .header(ACCEPT, "application/json")
                    .send()
                    .await?
                    .error_for_status()?
                    .json()
                    .await?;
                drop(std::hint::black_box(charges));
            }
            Op::JatapaySubscriptionGet => {
                let subscription: bare::Subscription = self
                    .raw
                    .get(format!(
                        "{base}/entity/subscriptions/{JATAPAY_SUBSCRIPTION}"
                    ))
                    .bearer_auth(JATAPAY_TOKEN)
                    .header(ACCEPT, "application/json")
                    .send()
                    .await?
                    .error_for_status()?
                    .json()
                    .await?;
                drop(std::hint::black_box(subscription));
            }
            Op::GreenpayPay => {
                let paid: bare::GreenPayPay = self
                    .raw
                    .post(format!("{base}/subscriptions/pay"))
                    .header(ACCEPT, "application/json")
                    .json(&bare::GreenPayPayRequest {
                        subscription_id: GREENPAY_SUBSCRIPTION.to_owned(),
                        merchant_id: GREENPAY_MERCHANT.to_owned(),
                        secret: GREENPAY_SECRET.to_owned(),
                    })
                    .send()
                    .await?
                    .error_for_status()?
                    .json()
                    .await?;
                drop(std::hint::black_box(paid));
            }
        }
        Ok(())
    }
}
