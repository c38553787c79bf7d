//! The bare stack's models: what a developer writes by hand with plain types
//! (`String`, `i64`, `bool`, `f64`, `OffsetDateTime` via `time::serde::rfc3339`), one struct
//! per documented shape — the baseline every typed model is measured against.
//!
//! They are the hand-written models of `docs/benchmarks.md` ("The bare arm"); fields are the ones the
//! SDK's model reads, so both arms do the same work on the same bytes.

#![allow(missing_docs)]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// beGateway `transaction_type`, as a hand-written client would declare it.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransactionType {
    Payment,
    Authorization,
    Tokenization,
    #[serde(other)]
    Unknown,
}

/// beGateway product (the bare `Product`; `quantity` optional as in the list fixture).
#[derive(Serialize, Deserialize)]
pub struct Product {
    pub id: String,
    pub name: String,
    pub description: String,
    pub currency: String,
    pub amount: i64,
    pub quantity: Option<i64>,
    pub infinite: bool,
    pub language: String,
    pub transaction_type: TransactionType,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub test: bool,
    pub additional_data: Map<String, Value>,
    pub pay_url: String,
    pub payment_url: String,
    pub confirm_url: String,
}

/// beGateway create request, infinite stock (`products.create.request.infinite.json`).
#[derive(Serialize, Deserialize)]
pub struct CreateProductInfinite {
    pub name: String,
    pub description: String,
    pub currency: String,
    pub amount: i64,
    pub infinite: bool,
    pub test: bool,
    pub immortal: bool,
    pub return_url: String,
    pub shop_id: String,
    pub language: String,
    pub transaction_type: String,
}

/// beGateway create request, limited stock (`products.create.request.limited.json`).
#[derive(Serialize, Deserialize)]
pub struct CreateProductLimited {
    pub name: String,
    pub description: String,
    pub currency: String,
    pub amount: i64,
    pub quantity: i64,
    pub infinite: bool,
    pub test: bool,
    pub immortal: bool,
    pub expired_at: String,
    pub return_url: String,
    pub shop_id: String,
    pub language: String,
    pub transaction_type: String,
}

/// beGateway update request (`products.update.request.json`).
#[derive(Serialize, Deserialize)]
pub struct UpdateProduct {
    pub amount: i64,
    pub infinite: bool,
    pub quantity: i64,
}

/// TS Pay `payMethod.card`.
#[derive(Serialize, Deserialize)]
pub struct Card {
    pub brand: String,
    pub last4: String,
}

/// TS Pay `payMethod`.
#[derive(Serialize, Deserialize)]
pub struct PayMethod {
    #[serde(rename = "type")]
    pub kind: String,
    pub card: Option<Card>,
}

/// TS Pay charge; `A` is the amount's plain type in that fixture (`String` or `i64`).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Charge<A> {
    pub amount: A,
    pub currency: String,
    pub charge_key: String,
    pub order_key: String,
    pub state: String,
    pub pay_method: Option<PayMethod>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_on: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub modified_on: Option<OffsetDateTime>,
}

/// TS Pay `{"data": [...]}`.
#[derive(Serialize, Deserialize)]
pub struct ChargesData {
    pub data: Vec<Charge<String>>,
}

/// TS Pay `{"charges": [...]}`.
#[derive(Serialize, Deserialize)]
pub struct ChargesWrapped {
    pub charges: Vec<Charge<String>>,
}

/// TS Pay link2pay / link2save answer.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkCreated {
    pub order_key: String,
    pub url: String,
}

/// TS Pay's answer to an API-key request.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyIssued {
    pub api_key: String,
    pub auth_key: Option<String>,
    pub login_url: String,
    pub state: Option<String>,
}

/// TS Pay's key check answer.
#[derive(Serialize, Deserialize)]
pub struct AuthInfo {
    #[serde(rename = "x-auth-type")]
    pub auth_type: Option<String>,
    #[serde(rename = "x-app-ref")]
    pub app_ref: Option<String>,
    #[serde(rename = "x-merchant-ref")]
    pub merchant_ref: Option<String>,
}

/// TS Pay's answer to a webhook registration.
#[derive(Serialize, Deserialize)]
pub struct WebhookRegistered {
    pub secret: String,
    pub id: Option<String>,
    pub event: Option<String>,
    pub endpoint: Option<String>,
}

/// A TS Pay webhook registration.
#[derive(Serialize, Deserialize)]
pub struct WebhookRegistration {
    pub event: String,
    pub endpoint: String,
}

/// TS Pay `template`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    pub title: String,
    pub desc: String,
    pub payment_ref: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

/// TS Pay link2pay request as on the page (`link2pay.request.json`).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayLink {
    pub template: Template,
    pub callback_url: String,
    pub source_types: Vec<String>,
    pub max_payments_number: u32,
    pub amount: i64,
    pub external_ref: String,
    pub metadata: BTreeMap<String, String>,
}

/// TS Pay link2pay request as the integration sends it (`link2pay.request.integration.json`).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayLinkIntegration {
    pub external_ref: String,
    pub metadata: BTreeMap<String, String>,
    pub template: Template,
    pub currency: String,
    pub amount: i64,
    pub max_payments_number: u32,
    pub lang_locale: String,
    pub source_types: Vec<String>,
    pub callback_url: String,
    pub cancel_url: String,
}

/// TS Pay link2save request (`link2save.request.json`).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaveLink {
    pub template: Template,
    pub callback_url: String,
    pub source_types: Vec<String>,
    pub max_source_number: u32,
    pub max_amount: i64,
    pub context_id: String,
    pub external_ref: String,
    pub metadata: BTreeMap<String, String>,
}

/// JataPay subscription (`subscriptions.get.response.json`); the RFC 1123 dates are read with
/// `time::serde::rfc2822` (which accepts `GMT`), as a hand-written client would.
#[derive(Serialize, Deserialize)]
pub struct Subscription {
    pub _id: String,
    pub callback_url: String,
    pub client: String,
    pub cliente: String,
    #[serde(with = "time::serde::rfc2822")]
    pub data_inizio: OffsetDateTime,
    #[serde(with = "time::serde::rfc2822")]
    pub data_inserimento: OffsetDateTime,
    pub esercente: String,
    pub importo: i64,
    pub note: String,
    pub numero: i64,
    pub numero_txt: String,
    pub stato: String,
    pub user: String,
}

/// JataPay `{"id_abbonamento": ...}`.
#[derive(Serialize, Deserialize)]
pub struct CreatedSubscription {
    pub id_abbonamento: String,
}

/// JataPay token answer.
#[derive(Serialize, Deserialize)]
pub struct Token {
    pub refresh_token: String,
    pub token: String,
}

/// JataPay `scrivi_abbonamento` request.
#[derive(Serialize, Deserialize)]
pub struct GatewayRequest {
    pub importo: i64,
    pub callback_url: String,
    pub note: String,
    pub descrizione_prodotto: String,
    pub cliente: String,
}

/// JataPay token request.
#[derive(Serialize, Deserialize)]
pub struct TokenRequest {
    pub grant_type: String,
}

/// GreenPay manual payment answer (`subscriptions.pay.response.approved.json`), with the
/// amount as `f64` as a hand-written client would (the bare `GreenPayOrder`).
#[derive(Serialize, Deserialize)]
pub struct GreenPayPay {
    pub status: String,
    pub code: u16,
    pub result: GreenPayPayResult,
}

/// GreenPay `result`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GreenPayPayResult {
    pub status: String,
    pub order_status: String,
    pub merchant_id: String,
    pub order: GreenPayOrder,
}

/// GreenPay `result.order`.
#[derive(Serialize, Deserialize)]
pub struct GreenPayOrder {
    pub order_reference: String,
    #[serde(rename = "subscriptionId")]
    pub subscription_id: String,
    pub user: String,
    pub amount: f64,
    pub currency: String,
    #[serde(with = "time::serde::rfc3339")]
    pub date: OffsetDateTime,
    pub authorization: String,
    pub details: String,
    pub errors: Vec<String>,
    pub reason: Option<String>,
}

/// GreenPay manual payment request (`subscriptions.pay.request.json`).
#[derive(Serialize, Deserialize)]
pub struct GreenPayPayRequest {
    #[serde(rename = "subscriptionId")]
    pub subscription_id: String,
    #[serde(rename = "merchantId")]
    pub merchant_id: String,
    pub secret: String,
}

/// GreenPay order or tokenization session (`orders.create.response.json`): `session`, `token`.
#[derive(Serialize, Deserialize)]
pub struct GreenPaySession {
    pub session: String,
    pub token: String,
}

/// GreenPay checkout v2 order (`orders.create_v2.response.json`).
#[derive(Serialize, Deserialize)]
pub struct GreenPaySessionV2 {
    pub session: String,
    pub token: String,
    #[serde(rename = "statusCode")]
    pub status_code: u16,
    pub message: String,
}

/// GreenPay tokenization answer (`cards.tokenize.response.json`).
#[derive(Serialize, Deserialize)]
pub struct GreenPayTokenized {
    pub status: u16,
    #[serde(rename = "requestId")]
    pub request_id: String,
    pub result: GreenPayTokenResult,
    pub expiration_date: String,
    pub brand: String,
    pub nickname: String,
    pub errors: Vec<String>,
    #[serde(rename = "_signature")]
    pub signature: String,
}

/// GreenPay tokenization `result`.
#[derive(Serialize, Deserialize)]
pub struct GreenPayTokenResult {
    pub token: String,
    pub last_digits: String,
    pub bin: String,
}

/// GreenPay token payment answer (`orders.pay_with_token.response.json`): what the crate keeps
/// of it (`result.success` of the processor's fields).
#[derive(Serialize, Deserialize)]
pub struct GreenPayTokenPayment {
    pub status: u16,
    #[serde(rename = "orderId")]
    pub order_id: String,
    pub authorization: String,
    pub last4: String,
    pub brand: String,
    pub errors: Vec<String>,
    pub result: GreenPaySuccess,
    #[serde(rename = "_signature")]
    pub signature: String,
}

/// `result.success`.
#[derive(Serialize, Deserialize)]
pub struct GreenPaySuccess {
    pub success: bool,
}

/// GreenPay checkout result notification (`webhooks.checkout.notification.json`).
#[derive(Serialize, Deserialize)]
pub struct GreenPayCheckout {
    pub status: u16,
    #[serde(rename = "orderId")]
    pub order_id: String,
    pub authorization: String,
    pub last4: String,
    pub brand: String,
    pub errors: Vec<String>,
    pub callback: Option<String>,
    pub result: GreenPayProcessor,
    #[serde(rename = "_signature")]
    pub signature: String,
}

/// The checkout result's ISO 8583-style `result`.
#[derive(Serialize, Deserialize)]
pub struct GreenPayProcessor {
    pub success: bool,
    pub resp_code: String,
    pub authorization_id_resp: String,
    pub retrieval_ref_num: String,
    pub systems_trace_audit_number: String,
    pub time_local_tran: String,
    pub date_local_tran: String,
    pub mti: String,
    pub proc_code: String,
    pub network_international_id: String,
    pub merchant_id: u32,
    pub card_acceptor_terminal_id: String,
    pub reserved_private4: Option<String>,
}

/// GreenPay payment order request (`orders.create.request.json`), amount as `f64`.
#[derive(Serialize, Deserialize)]
pub struct GreenPayOrderRequest {
    pub secret: String,
    #[serde(rename = "merchantId")]
    pub merchant_id: String,
    pub terminal: String,
    pub amount: f64,
    pub currency: String,
    pub description: String,
    #[serde(rename = "orderReference")]
    pub order_reference: String,
    pub callback: String,
}

/// GreenPay token payment request (`orders.pay_with_token.request.json`); whole colones as an
/// integer.
#[derive(Serialize, Deserialize)]
pub struct GreenPayTokenPaymentRequest {
    pub secret: String,
    #[serde(rename = "merchantId")]
    pub merchant_id: String,
    pub terminal: String,
    pub amount: u64,
    pub currency: String,
    pub description: String,
    #[serde(rename = "orderReference")]
    pub order_reference: String,
    pub token: String,
}

/// GreenPay tokenization session request (`cards.session.request.json`).
#[derive(Serialize, Deserialize)]
pub struct GreenPayCardSessionRequest {
    pub secret: String,
    #[serde(rename = "merchantId")]
    pub merchant_id: String,
    #[serde(rename = "requestId")]
    pub request_id: String,
    pub callback: String,
}

/// The card JSON GreenPay's tokenization encrypts (`{"card": …}`).
#[derive(Serialize, Deserialize)]
pub struct GreenPayCardPlaintext {
    pub card: GreenPayCard,
}

/// `card`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GreenPayCard {
    pub card_holder: String,
    pub expiration_date: GreenPayExpiration,
    pub card_number: String,
    pub cvc: String,
    pub nickname: String,
}

/// `card.expirationDate` (two-digit year).
#[derive(Serialize, Deserialize)]
pub struct GreenPayExpiration {
    pub month: u8,
    pub year: u16,
}

/// beGateway error body (`products.create.response.422.json`): a message and per-field lists.
#[derive(Serialize, Deserialize)]
pub struct BegatewayError {
    pub message: String,
    #[serde(default)]
    pub errors: BTreeMap<String, Vec<String>>,
}

/// TS Pay error body (NestJS): `message` is a string or a list of strings.
#[derive(Serialize, Deserialize)]
pub struct TspayError {
    #[serde(rename = "statusCode")]
    pub status_code: u16,
    pub message: TspayMessage,
    #[serde(default)]
    pub error: Option<String>,
}

/// TS Pay `message`.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
pub enum TspayMessage {
    One(String),
    Many(Vec<String>),
}

/// GreenPay FAIL envelope (`subscriptions.pay.response.not-payable.json`); `result` is `[]`.
#[derive(Serialize, Deserialize)]
pub struct GreenPayFail {
    pub status: String,
    pub code: u16,
    pub errors: Vec<String>,
}

/// beGateway card section of a transaction (`credit_card`).
#[derive(Serialize, Deserialize)]
pub struct BegatewayCard {
    #[serde(default)]
    pub holder: Option<String>,
    #[serde(default)]
    pub stamp: Option<String>,
    #[serde(default)]
    pub brand: Option<String>,
    #[serde(default)]
    pub last_4: Option<String>,
    #[serde(default)]
    pub first_1: Option<String>,
    #[serde(default)]
    pub exp_month: Option<i64>,
    #[serde(default)]
    pub exp_year: Option<i64>,
}

/// beGateway per-type section (`payment`, `refund`, …) and checkout `gateway_response.payment`.
#[derive(Serialize, Deserialize)]
pub struct BegatewayProcessor {
    #[serde(default)]
    pub uid: Option<String>,
    #[serde(default)]
    pub auth_code: Option<String>,
    #[serde(default)]
    pub bank_code: Option<String>,
    #[serde(default)]
    pub rrn: Option<String>,
    #[serde(default)]
    pub ref_id: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub gateway_id: Option<i64>,
    #[serde(default)]
    pub billing_descriptor: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

/// beGateway customer section (`customer`).
#[derive(Serialize, Deserialize)]
pub struct BegatewayCustomer {
    #[serde(default)]
    pub ip: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

/// beGateway card transaction (`card.*.response.json`, inside `{"transaction": …}`).
#[derive(Serialize, Deserialize)]
pub struct BegatewayTransaction {
    pub uid: String,
    pub status: String,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub amount: Option<i64>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub payment_method_type: Option<String>,
    #[serde(default)]
    pub tracking_id: Option<String>,
    #[serde(default)]
    pub test: bool,
    #[serde(default)]
    pub credit_card: Option<BegatewayCard>,
    #[serde(default)]
    pub customer: Option<BegatewayCustomer>,
    #[serde(default)]
    pub payment: Option<BegatewayProcessor>,
    #[serde(default)]
    pub authorization: Option<BegatewayProcessor>,
    #[serde(default)]
    pub capture: Option<BegatewayProcessor>,
    #[serde(default)]
    pub refund: Option<BegatewayProcessor>,
    #[serde(default)]
    pub void: Option<BegatewayProcessor>,
    #[serde(default)]
    pub parent_uid: Option<String>,
    #[serde(default)]
    pub redirect_url: Option<String>,
}

/// `{"transaction": …}`.
#[derive(Serialize, Deserialize)]
pub struct BegatewayTransactionEnvelope {
    pub transaction: BegatewayTransaction,
}

/// beGateway checkout order (`order`).
#[derive(Serialize, Deserialize)]
pub struct BegatewayCheckoutOrder {
    pub amount: i64,
    pub currency: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub tracking_id: Option<String>,
}

/// beGateway checkout `gateway_response`.
#[derive(Serialize, Deserialize)]
pub struct BegatewayGatewayResponse {
    #[serde(default)]
    pub payment: Option<BegatewayProcessor>,
}

/// beGateway checkout query (`checkouts.get.response.json`, inside `{"checkout": …}`).
#[derive(Serialize, Deserialize)]
pub struct BegatewayCheckoutState {
    pub token: String,
    #[serde(default)]
    pub transaction_type: Option<String>,
    #[serde(default)]
    pub finished: bool,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub order: Option<BegatewayCheckoutOrder>,
    #[serde(default)]
    pub gateway_response: Option<BegatewayGatewayResponse>,
    #[serde(default)]
    pub test: bool,
}

/// `{"checkout": …}`.
#[derive(Serialize, Deserialize)]
pub struct BegatewayCheckoutEnvelope {
    pub checkout: BegatewayCheckoutState,
}

/// beGateway card token (`card_tokens.create.response.json`, a bare object).
#[derive(Serialize, Deserialize)]
pub struct BegatewayCardToken {
    pub token: String,
    #[serde(default)]
    pub holder: Option<String>,
    #[serde(default)]
    pub stamp: Option<String>,
    #[serde(default)]
    pub brand: Option<String>,
    #[serde(default)]
    pub last_4: Option<String>,
    #[serde(default)]
    pub first_1: Option<String>,
    #[serde(default)]
    pub exp_month: Option<i64>,
    #[serde(default)]
    pub exp_year: Option<i64>,
}

/// beGateway plan terms (`plan`).
#[derive(Serialize, Deserialize)]
pub struct BegatewayPlanTerms {
    pub amount: i64,
    pub interval: i64,
    pub interval_unit: String,
}

/// beGateway plan (`plans.create.response.json`).
#[derive(Serialize, Deserialize)]
pub struct BegatewayPlan {
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    pub currency: String,
    #[serde(default)]
    pub test: bool,
    pub plan: BegatewayPlanTerms,
}

/// beGateway subscription (`subscriptions.get.response.json`): the plan kept as received, as
/// the crate keeps it.
#[derive(Serialize, Deserialize)]
pub struct BegatewaySubscription {
    pub id: String,
    #[serde(alias = "state")]
    pub status: String,
    #[serde(default)]
    pub tracking_id: Option<String>,
    #[serde(default)]
    pub redirect_url: Option<String>,
    #[serde(default)]
    pub plan: Option<serde_json::Value>,
}

/// beGateway checkout create answer (inside `{"checkout": …}`).
#[derive(Serialize, Deserialize)]
pub struct BegatewayCheckoutCreated {
    pub token: String,
    pub redirect_url: String,
}

/// `{"checkout": {"token", "redirect_url"}}`.
#[derive(Serialize, Deserialize)]
pub struct BegatewayCheckoutCreatedEnvelope {
    pub checkout: BegatewayCheckoutCreated,
}

/// beGateway card data of a charge (`credit_card`).
#[derive(Serialize)]
pub struct BegatewayCardData {
    pub number: String,
    pub verification_value: String,
    pub holder: String,
    pub exp_month: String,
    pub exp_year: u16,
}

/// beGateway charge (payment, authorization, tokenization), inside `{"request": …}`.
#[derive(Serialize)]
pub struct BegatewayCharge {
    pub amount: i64,
    pub currency: String,
    pub description: String,
    pub tracking_id: String,
    pub test: bool,
    pub credit_card: BegatewayCardData,
}

/// beGateway capture / void / refund, inside `{"request": …}`.
#[derive(Serialize)]
pub struct BegatewayFollowUp {
    pub parent_uid: String,
    pub amount: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// beGateway token section (`credit_card.token`).
#[derive(Serialize)]
pub struct BegatewayTokenRef {
    pub token: String,
}

/// beGateway credit, inside `{"request": …}`.
#[derive(Serialize)]
pub struct BegatewayCredit {
    pub amount: i64,
    pub currency: String,
    pub description: String,
    pub tracking_id: String,
    pub language: String,
    pub credit_card: BegatewayTokenRef,
}

/// beGateway card-token create, inside `{"request": …}`.
#[derive(Serialize)]
pub struct BegatewayCardTokenRequest {
    pub number: String,
    pub holder: String,
    pub exp_month: String,
    pub exp_year: u16,
}

/// `{"request": …}`.
#[derive(Serialize)]
pub struct BegatewayRequest<T> {
    pub request: T,
}

/// beGateway checkout order of a create.
#[derive(Serialize)]
pub struct BegatewayCheckoutOrderRequest {
    pub amount: i64,
    pub currency: String,
    pub description: String,
    pub tracking_id: String,
}

/// beGateway checkout `settings.customer_fields`.
#[derive(Serialize)]
pub struct BegatewayCustomerFields {
    pub read_only: Vec<String>,
    pub hidden: Vec<String>,
}

/// beGateway checkout `settings`.
#[derive(Serialize)]
pub struct BegatewayCheckoutSettings {
    pub language: String,
    pub notification_url: String,
    pub success_url: String,
    pub decline_url: String,
    pub fail_url: String,
    pub cancel_url: String,
    pub customer_fields: BegatewayCustomerFields,
}

/// beGateway checkout `customer`.
#[derive(Serialize)]
pub struct BegatewayCheckoutCustomer {
    pub email: String,
    pub country: String,
    pub city: String,
    pub address: String,
}

/// beGateway checkout create, inside `{"checkout": …}`.
#[derive(Serialize)]
pub struct BegatewayCheckoutRequest {
    pub transaction_type: String,
    pub test: bool,
    pub order: BegatewayCheckoutOrderRequest,
    pub settings: BegatewayCheckoutSettings,
    pub customer: BegatewayCheckoutCustomer,
}

/// `{"checkout": …}` of a create.
#[derive(Serialize)]
pub struct BegatewayCheckoutRequestEnvelope {
    pub checkout: BegatewayCheckoutRequest,
}

/// beGateway plan create.
#[derive(Serialize)]
pub struct BegatewayPlanRequest {
    pub test: bool,
    pub title: String,
    pub currency: String,
    pub plan: BegatewayPlanTerms,
    pub language: String,
}

/// beGateway subscription `plan` reference.
#[derive(Serialize)]
pub struct BegatewayPlanRef {
    pub id: String,
}

/// beGateway subscription `customer`.
#[derive(Serialize)]
pub struct BegatewayEmail {
    pub email: String,
}

/// beGateway subscription create.
#[derive(Serialize)]
pub struct BegatewaySubscriptionRequest {
    pub plan: BegatewayPlanRef,
    pub tracking_id: String,
    pub notification_url: String,
    pub return_url: String,
    pub customer: BegatewayEmail,
}
