//! What to give each provider crate's client builder to talk to a running sandbox.
//!
//! [`ClientSettings`] is produced by [`RunningSandbox::client_settings`](crate::RunningSandbox::client_settings)
//! and is what the `payments-sandbox` binary prints (its `Display` form: one `[provider]`
//! section each, `key = value` lines named after the builder methods).

use std::fmt;

/// JataPay: `jatapay::Client::builder().auth_base_url(..).api_base_url(..).gateway_base_url(..)
/// .credentials(Credentials::new(client_id, client_secret))`.
///
/// ```no_run
/// # async fn run() -> Result<(), payments_sandbox::SandboxError> {
/// let sandbox = payments_sandbox::Sandbox::start(payments_sandbox::SandboxConfig::new()).await?;
/// let jatapay = sandbox.client_settings().jatapay;
/// assert!(jatapay.auth_base_url.ends_with("/jatapay/auth"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct JataPaySettings {
    /// For `auth_base_url` (the client appends `/token`).
    pub auth_base_url: String,
    /// For `api_base_url` (the client appends `/scrivi_abbonamento`, `/entity/…`).
    pub api_base_url: String,
    /// For `gateway_base_url` (the client appends `/gateway/{id}`).
    pub gateway_base_url: String,
    /// The client id of `Credentials::new`.
    pub client_id: String,
    /// The client secret of `Credentials::new`.
    pub client_secret: String,
}

/// TS Pay: `tspay::Client::builder(Credentials::new(api_key)).base_url(base_url).item_id(item_id)`
/// (or without `item_id` for the `/orders/…` routes; both work).
///
/// ```no_run
/// # async fn run() -> Result<(), payments_sandbox::SandboxError> {
/// let sandbox = payments_sandbox::Sandbox::start(payments_sandbox::SandboxConfig::new()).await?;
/// assert!(sandbox.client_settings().tspay.base_url.ends_with("/tspay"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TsPaySettings {
    /// For `ClientBuilder::base_url`.
    pub base_url: String,
    /// The API key (`Authorization: Bearer`).
    pub api_key: String,
    /// For `item_id` (the documented `/{itemId}/…` routes).
    pub item_id: String,
    /// The `merchantRef` echoed in notifications.
    pub merchant_ref: String,
    /// Where to `POST {"event":"tspay_charge.*","endpoint":"…"}` to register a webhook.
    pub webhook_registration_url: String,
    /// For `tspay::Onboarding::builder(AppSecret::new(app_secret)).base_url(base_url)`: issues
    /// API keys (`POST /auth/api-key`), each active once its `loginUrl`'s button is pressed.
    pub app_secret: String,
}

/// GreenPay: `greenpay::Client::builder(Credentials::new(merchant_id, terminal, secret))
/// .base_url(base_url)` and the checkout hosts; `public_key` for `WebhookVerifier`.
///
/// ```no_run
/// # async fn run() -> Result<(), payments_sandbox::SandboxError> {
/// let sandbox = payments_sandbox::Sandbox::start(payments_sandbox::SandboxConfig::new()).await?;
/// assert!(sandbox.client_settings().greenpay.base_url.ends_with("/greenpay"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GreenPaySettings {
    /// For `base_url` (the client appends `/subscriptions/…`).
    pub base_url: String,
    /// `merchantId`.
    pub merchant_id: String,
    /// `terminal`.
    pub terminal: String,
    /// `secret`.
    pub secret: String,
    /// The `_signature` public key: base64 of the SubjectPublicKeyInfo DER.
    pub public_key: String,
    /// Sandbox-only: `POST {"url":"<merchant webhook base>"}` here to receive notifications.
    pub webhook_config_url: String,
    /// For `checkout_base_url` (payment orders, tokenization, token payments).
    pub checkout_base_url: String,
    /// For `checkout_v2_base_url` (`createOrder`).
    pub checkout_v2_base_url: String,
    /// For `checkout_form_base_url` (the hosted payment form).
    pub checkout_form_base_url: String,
    /// For `tokenize_form_base_url` (the hosted card form).
    pub tokenize_form_base_url: String,
}

/// beGateway: `begateway::Client::builder(Credentials::new(shop_id, secret_key))
/// .api_base_url(..).gateway_base_url(..)`; `public_key` for the webhook verifier.
///
/// ```no_run
/// # async fn run() -> Result<(), payments_sandbox::SandboxError> {
/// let sandbox = payments_sandbox::Sandbox::start(payments_sandbox::SandboxConfig::new()).await?;
/// assert!(sandbox.client_settings().begateway.api_base_url.ends_with("/begateway/api"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BeGatewaySettings {
    /// For `api_base_url` (the client appends `/products…`).
    pub api_base_url: String,
    /// For `gateway_base_url` (the client appends `/transactions…`).
    pub gateway_base_url: String,
    /// Shop id.
    pub shop_id: String,
    /// Shop secret key.
    pub secret_key: String,
    /// The `Content-Signature` public key: base64 of the SubjectPublicKeyInfo DER.
    pub public_key: String,
    /// Where the same public key is served as text.
    pub public_key_url: String,
    /// For `checkout_base_url` (hosted checkouts).
    pub checkout_base_url: String,
}

/// Per provider, exactly the values its client builder takes to reach this sandbox.
///
/// `Display` renders the text the binary prints: `[jatapay]`, `[tspay]`, `[greenpay]` and
/// `[begateway]` sections of `key = value` lines, the keys named as the fields here.
///
/// ```no_run
/// # async fn run() -> Result<(), payments_sandbox::SandboxError> {
/// let sandbox = payments_sandbox::Sandbox::start(payments_sandbox::SandboxConfig::new()).await?;
/// let text = sandbox.client_settings().to_string();
/// assert!(text.contains("[greenpay]"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientSettings {
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    /// The dashboard page (`<base>/`).
    pub dashboard_url: String,
    /// JataPay.
    pub jatapay: JataPaySettings,
    /// TS Pay.
    pub tspay: TsPaySettings,
    /// GreenPay.
    pub greenpay: GreenPaySettings,
    /// beGateway.
    pub begateway: BeGatewaySettings,
}

impl fmt::Display for ClientSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let j = &self.jatapay;
        let t = &self.tspay;
        let g = &self.greenpay;
        let b = &self.begateway;
        writeln!(f, "base_url = {}", self.base_url)?;
        writeln!(f, "dashboard_url = {}", self.dashboard_url)?;
        writeln!(f)?;
        writeln!(f, "[jatapay]")?;
        writeln!(
            f,
            "# jatapay::Client::builder(Credentials::new(client_id, client_secret))"
        )?;
        writeln!(
            f,
            "#   .auth_base_url(..).api_base_url(..).gateway_base_url(..)"
        )?;
        writeln!(f, "auth_base_url = {}", j.auth_base_url)?;
        writeln!(f, "api_base_url = {}", j.api_base_url)?;
        writeln!(f, "gateway_base_url = {}", j.gateway_base_url)?;
        writeln!(f, "client_id = {}", j.client_id)?;
        writeln!(f, "client_secret = {}", j.client_secret)?;
        writeln!(f)?;
        writeln!(f, "[tspay]")?;
        writeln!(
            f,
            "# tspay::Client::builder(Credentials::new(api_key)).base_url(base_url).item_id(item_id)"
        )?;
        writeln!(f, "base_url = {}", t.base_url)?;
        writeln!(f, "api_key = {}", t.api_key)?;
        writeln!(f, "item_id = {}", t.item_id)?;
        writeln!(f, "merchant_ref = {}", t.merchant_ref)?;
        writeln!(
            f,
            "webhook_registration_url = {}",
            t.webhook_registration_url
        )?;
        writeln!(
            f,
            "# tspay::Onboarding::builder(AppSecret::new(app_secret)).base_url(base_url)"
        )?;
        writeln!(f, "app_secret = {}", t.app_secret)?;
        writeln!(f)?;
        writeln!(f, "[greenpay]")?;
        writeln!(
            f,
            "# greenpay::Client::builder(Credentials::new(merchant_id, terminal, secret)).base_url(base_url)"
        )?;
        writeln!(f, "base_url = {}", g.base_url)?;
        writeln!(f, "merchant_id = {}", g.merchant_id)?;
        writeln!(f, "terminal = {}", g.terminal)?;
        writeln!(f, "secret = {}", g.secret)?;
        writeln!(f, "public_key = {}", g.public_key)?;
        writeln!(f, "webhook_config_url = {}", g.webhook_config_url)?;
        writeln!(f, "checkout_base_url = {}", g.checkout_base_url)?;
        writeln!(f, "checkout_v2_base_url = {}", g.checkout_v2_base_url)?;
        writeln!(f, "checkout_form_base_url = {}", g.checkout_form_base_url)?;
        writeln!(f, "tokenize_form_base_url = {}", g.tokenize_form_base_url)?;
        writeln!(f)?;
        writeln!(f, "[begateway]")?;
        writeln!(
            f,
            "# begateway::Client::builder(Credentials::new(shop_id, secret_key)).api_base_url(..).gateway_base_url(..)"
        )?;
        writeln!(f, "api_base_url = {}", b.api_base_url)?;
        writeln!(f, "gateway_base_url = {}", b.gateway_base_url)?;
        writeln!(f, "shop_id = {}", b.shop_id)?;
        writeln!(f, "secret_key = {}", b.secret_key)?;
        writeln!(f, "public_key = {}", b.public_key)?;
        writeln!(f, "public_key_url = {}", b.public_key_url)?;
        writeln!(f, "checkout_base_url = {}", b.checkout_base_url)
    }
}
