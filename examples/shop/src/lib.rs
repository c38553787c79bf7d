//! An example shop backend that takes payments through **beGateway** and **TS Pay** side by
//! side, on axum.
//!
//! - `POST /orders` `{"provider": "begateway" | "tspay", "amount": "9.90", "currency": "EUR"}`
//!   creates an order and a payment at the provider, and answers `201` with the order's id and
//!   the URL to send the customer to;
//! - `GET /orders/{id}` answers the order's state (`pending`, `paid`);
//! - `POST /notify/begateway` and `POST /notify/tspay` receive the providers' notifications.
//!   The SDKs' axum extractors verify them before the handler runs (a forgery is answered
//!   `401` and never reaches it); the handler then **confirms the payment for its order** with a
//!   server-side read, and only then marks the order paid.
//!
//! Both SDK errors convert into the shop's own [`ShopError`] (`From<begateway::Error>` and
//! `From<tspay::Error>` side by side), which keeps the provider and the operation that failed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{FromRef, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use begateway::axum::Verified as BeGatewayNotification;
use serde::{Deserialize, Serialize};
use tspay::axum::Verified as TsPayNotification;

pub mod sandbox;

/// What the shop needs from each provider: a client, and the verifier of its notifications.
#[derive(Clone)]
pub struct Providers {
    /// The beGateway client.
    pub begateway: begateway::Client,
    /// Verifies beGateway's notifications (Basic credentials and `Content-Signature`).
    pub begateway_verifier: begateway::WebhookVerifier,
    /// The TS Pay client.
    pub tspay: tspay::Client,
    /// Verifies TS Pay's notifications (`X-Message-Hash`).
    pub tspay_verifier: tspay::WebhookVerifier,
}

/// The shop's state: the providers and the orders.
#[derive(Clone)]
pub struct Shop {
    providers: Providers,
    /// The shop's own public URL (where the providers send customers back and notifications).
    public_url: String,
    orders: Arc<Mutex<HashMap<String, Order>>>,
}

impl FromRef<Shop> for begateway::WebhookVerifier {
    fn from_ref(shop: &Shop) -> Self {
        shop.providers.begateway_verifier.clone()
    }
}

impl FromRef<Shop> for tspay::WebhookVerifier {
    fn from_ref(shop: &Shop) -> Self {
        shop.providers.tspay_verifier.clone()
    }
}

/// Which provider takes an order's payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderChoice {
    /// beGateway: a product with a payment link; the order id is the payment's `tracking_id`.
    Begateway,
    /// TS Pay: a pay link; its order key identifies the payment.
    Tspay,
}

/// An order and what identifies its payment at the provider.
#[derive(Debug, Clone, Serialize)]
pub struct Order {
    /// The shop's order id.
    pub id: String,
    /// The provider.
    pub provider: ProviderChoice,
    /// The amount, e.g. `"9.90 EUR"`.
    pub amount: String,
    /// `pending` until a confirmed payment, then `paid`.
    pub state: OrderState,
    /// Where to send the customer.
    pub pay_url: String,
    /// The payment's reference at the provider (beGateway: the tracking id; TS Pay: the order
    /// key).
    pub reference: String,
    #[serde(skip)]
    money: MoneyOf,
}

#[derive(Debug, Clone, Copy)]
enum MoneyOf {
    BeGateway(begateway::Money, bool),
    TsPay(tspay::Money),
}

/// An order's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderState {
    /// No confirmed payment yet.
    Pending,
    /// A payment of this order, for its amount, confirmed by a server-side read.
    Paid,
}

/// The body of `POST /orders`.
#[derive(Debug, Deserialize)]
pub struct NewOrder {
    /// Which provider.
    pub provider: ProviderChoice,
    /// The amount in major units, as text (`"9.90"`): never a float.
    pub amount: String,
    /// The ISO 4217 code, any case.
    pub currency: String,
}

/// What went wrong, with the provider's error kept whole.
#[derive(Debug, thiserror::Error)]
pub enum ShopError {
    /// A beGateway operation failed.
    #[error(transparent)]
    BeGateway(#[from] begateway::Error),
    /// A TS Pay operation failed.
    #[error(transparent)]
    TsPay(#[from] tspay::Error),
    /// The shop's own input check.
    #[error("bad order: {0}")]
    BadOrder(String),
    /// No such order.
    #[error("no order {0}")]
    UnknownOrder(String),
}

impl IntoResponse for ShopError {
    fn into_response(self) -> Response {
        let status = match &self {
            ShopError::BadOrder(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ShopError::UnknownOrder(_) => StatusCode::NOT_FOUND,
            ShopError::BeGateway(e) if e.invalid_field().is_some() => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ShopError::TsPay(e) if e.invalid_field().is_some() => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::BAD_GATEWAY,
        };
        // The SDK errors never hold a credential, so their text is safe to log and to show.
        tracing::warn!(%status, "{self}");
        (status, self.to_string()).into_response()
    }
}

impl Shop {
    /// A shop whose public URL (for return and notification URLs) is `public_url`.
    pub fn new(providers: Providers, public_url: impl Into<String>) -> Shop {
        Shop {
            providers,
            public_url: public_url.into().trim_end_matches('/').to_owned(),
            orders: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// The routes.
    pub fn router(self) -> Router {
        Router::new()
            .route("/orders", post(create_order))
            .route("/orders/{id}", get(show_order))
            .route("/notify/begateway", post(begateway_notified))
            .route("/notify/tspay", post(tspay_notified))
            .with_state(self)
    }

    fn orders(&self) -> std::sync::MutexGuard<'_, HashMap<String, Order>> {
        self.orders.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn find(&self, matches: impl Fn(&Order) -> bool) -> Option<Order> {
        self.orders().values().find(|o| matches(o)).cloned()
    }

    fn mark_paid(&self, id: &str) {
        if let Some(order) = self.orders().get_mut(id) {
            order.state = OrderState::Paid;
        }
    }
}

async fn create_order(
    State(shop): State<Shop>,
    Json(new): Json<NewOrder>,
) -> Result<(StatusCode, Json<Order>), ShopError> {
    let id = format!("order-{}", shop.orders().len() + 1);
    let order = match new.provider {
        ProviderChoice::Begateway => begateway_order(&shop, &id, &new).await?,
        ProviderChoice::Tspay => tspay_order(&shop, &id, &new).await?,
    };
    shop.orders().insert(id, order.clone());
    Ok((StatusCode::CREATED, Json(order)))
}

async fn begateway_order(shop: &Shop, id: &str, new: &NewOrder) -> Result<Order, ShopError> {
    use begateway::{CreateProduct, Currency, Expiry, Money, Quantity};
    let currency: Currency = new
        .currency
        .parse()
        .map_err(|e| ShopError::BadOrder(format!("currency: {e}")))?;
    let price = Money::parse(&new.amount, currency)
        .map_err(|e| ShopError::BadOrder(format!("amount: {e}")))?;
    let request = CreateProduct::new(format!("Order {id}"), "Example shop order", price)
        .quantity(Quantity::Limited(1))
        .expiry(Expiry::Never)
        .return_url(format!("{}/orders/{id}", shop.public_url))
        .notification_url(format!("{}/notify/begateway", shop.public_url))
        .build()?;
    let product = shop.providers.begateway.products().create(&request).await?;
    Ok(Order {
        id: id.to_owned(),
        provider: ProviderChoice::Begateway,
        amount: price.to_string(),
        state: OrderState::Pending,
        // The payment must carry the order id as its tracking id.
        pay_url: format!("{}?tracking_id={id}", product.pay_url),
        reference: id.to_owned(),
        money: MoneyOf::BeGateway(price, product.test),
    })
}

async fn tspay_order(shop: &Shop, id: &str, new: &NewOrder) -> Result<Order, ShopError> {
    use tspay::{Currency, Money, PayLinkRequest, Template};
    let currency: Currency = new
        .currency
        .parse()
        .map_err(|e| ShopError::BadOrder(format!("currency: {e}")))?;
    let amount = Money::parse(&new.amount, currency)
        .map_err(|e| ShopError::BadOrder(format!("amount: {e}")))?;
    let request = PayLinkRequest::new(
        Template::new("Example Shop S.r.l.", format!("Order {id}")),
        amount,
    )
    .callback_url(format!("{}/orders/{id}", shop.public_url))
    .external_ref(id)
    .build()?;
    let link = shop.providers.tspay.pay_links().create(&request).await?;
    Ok(Order {
        id: id.to_owned(),
        provider: ProviderChoice::Tspay,
        amount: amount.to_string(),
        state: OrderState::Pending,
        pay_url: link.url.to_string(),
        reference: link.order_key.to_string(),
        money: MoneyOf::TsPay(amount),
    })
}

async fn show_order(
    State(shop): State<Shop>,
    Path(id): Path<String>,
) -> Result<Json<Order>, ShopError> {
    shop.orders()
        .get(&id)
        .cloned()
        .map(Json)
        .ok_or(ShopError::UnknownOrder(id))
}

/// A verified beGateway notification names a transaction and, as its tracking id, an order.
/// Neither is trusted on its own: the transaction is read back from beGateway and must be the
/// paid payment **of that order**, for its amount.
async fn begateway_notified(
    State(shop): State<Shop>,
    BeGatewayNotification(notification): BeGatewayNotification<begateway::WebhookVerifier>,
) -> Result<StatusCode, ShopError> {
    let transaction = notification.transaction;
    let Some(tracking_id) = transaction.tracking_id.clone() else {
        return Ok(StatusCode::OK); // not one of ours: acknowledge, do nothing
    };
    let Some(order) =
        shop.find(|o| o.provider == ProviderChoice::Begateway && o.reference == tracking_id)
    else {
        return Ok(StatusCode::OK);
    };
    let MoneyOf::BeGateway(price, test) = order.money else {
        return Ok(StatusCode::OK);
    };
    let expected = begateway::ExpectedPayment::new(order.reference.as_str(), price).test(test);
    let verdict = shop
        .providers
        .begateway
        .transactions()
        .confirm(&transaction.uid, &expected)
        .await?;
    if verdict == begateway::PaymentVerdict::Paid {
        shop.mark_paid(&order.id);
    }
    Ok(StatusCode::OK)
}

/// A verified TS Pay notification names an order key; the charge is read back from TS Pay and
/// must be the paid payment of the order holding that key, for its amount.
async fn tspay_notified(
    State(shop): State<Shop>,
    TsPayNotification(notification): TsPayNotification<tspay::WebhookVerifier>,
) -> Result<StatusCode, ShopError> {
    let Some(order_key) = notification.payload.order_key.clone() else {
        return Ok(StatusCode::OK);
    };
    let Some(order) =
        shop.find(|o| o.provider == ProviderChoice::Tspay && o.reference == order_key.as_str())
    else {
        return Ok(StatusCode::OK);
    };
    let MoneyOf::TsPay(amount) = order.money else {
        return Ok(StatusCode::OK);
    };
    let expected = tspay::ExpectedPayment::new(order.reference.as_str(), amount);
    let verdict = shop
        .providers
        .tspay
        .confirm_payment(&order_key, &expected)
        .await?;
    if verdict == tspay::PaymentVerdict::Paid {
        shop.mark_paid(&order.id);
    }
    Ok(StatusCode::OK)
}
