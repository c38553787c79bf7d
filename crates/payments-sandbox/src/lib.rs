//! A local, stateful emulator of the JataPay, TS Pay, GreenPay and beGateway HTTP APIs.
//!
//! One axum server on `127.0.0.1` serves the four providers' wire protocols under one path prefix
//! each (`/jatapay`, `/tspay`, `/greenpay`, `/begateway`), keeps everything in memory, serves
//! the hosted payment pages (JataPay gateway, TS Pay pay link, beGateway pay link) with Pay and
//! Decline buttons, and sends the providers' signed notifications. It is written from the
//! providers' documentation, independently of the SDK crates, so the two check each other.
//!
//! ```no_run
//! # async fn demo() -> Result<(), payments_sandbox::SandboxError> {
//! use payments_sandbox::{Sandbox, SandboxConfig};
//!
//! let sandbox = Sandbox::start(SandboxConfig::new()).await?;
//! let creds = sandbox.begateway_credentials();
//! println!("beGateway API at {} (shop {})", sandbox.begateway_api_url(), creds.shop_id);
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! See the crate README for the route table, the test credentials and every choice made where
//! the providers' documentation is silent.

#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod begateway;
mod currency;
mod dashboard;
mod greenpay;
mod jatapay;
mod notify;
mod pages;
mod persist;
mod settings;
mod state;
mod tspay;
mod util;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use crate::settings::{
    BeGatewaySettings, ClientSettings, GreenPaySettings, JataPaySettings, TsPaySettings,
};
use crate::state::{Keys, Shared};

/// Largest request body accepted by any route; bigger bodies get `413 Payload Too Large`.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// How the sandbox is started. Build with [`SandboxConfig::new`] and the setters.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SandboxConfig {
    /// TCP port on 127.0.0.1; 0 (the default) picks a free ephemeral port.
    pub port: u16,
    /// Lifetime of JataPay access tokens (default 15 minutes).
    pub jatapay_token_lifetime: Duration,
    /// Timeout of one notification delivery (default 5 seconds).
    pub notification_timeout: Duration,
    /// HTTP status sent with GreenPay `FAIL` envelopes (default 200: the documented `code` 500
    /// is in the body; GreenPay does not document the status line).
    pub greenpay_fail_http_status: u16,
    /// Directory keeping keys, webhook registrations, objects and notifications across
    /// restarts (default `None`: everything in memory, fresh keys each start).
    pub state_dir: Option<PathBuf>,
    /// Forget what `state_dir` holds and start clean (default `false`).
    pub reset_state: bool,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            port: 0,
            jatapay_token_lifetime: Duration::from_secs(15 * 60),
            notification_timeout: Duration::from_secs(5),
            greenpay_fail_http_status: 200,
            state_dir: None,
            reset_state: false,
        }
    }
}

impl SandboxConfig {
    /// The defaults: ephemeral port, 15-minute JataPay tokens.
    pub fn new() -> Self {
        Self::default()
    }

    /// Listens on `port` (0 = ephemeral).
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Sets the lifetime of JataPay access tokens.
    #[must_use]
    pub fn jatapay_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.jatapay_token_lifetime = lifetime;
        self
    }

    /// Sets the timeout of one notification delivery.
    #[must_use]
    pub fn notification_timeout(mut self, timeout: Duration) -> Self {
        self.notification_timeout = timeout;
        self
    }

    /// Keeps the RSA keys, TS Pay webhook registrations (with their HMAC secrets), the
    /// GreenPay webhook base, every object and the notifications sent in `dir` (created if
    /// missing), so that a restart on the same directory finds them again.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), payments_sandbox::SandboxError> {
    /// use payments_sandbox::{Sandbox, SandboxConfig};
    /// let first = Sandbox::start(SandboxConfig::new().state_dir("target/my-sandbox")).await?;
    /// let key = first.begateway_credentials().public_key.clone();
    /// first.shutdown().await;
    /// let again = Sandbox::start(SandboxConfig::new().state_dir("target/my-sandbox")).await?;
    /// assert_eq!(again.begateway_credentials().public_key, key);
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn state_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.state_dir = Some(dir.into());
        self
    }

    /// With `true`, the state directory's saved keys and objects are deleted at start.
    ///
    /// ```
    /// let config = payments_sandbox::SandboxConfig::new().state_dir("target/s").reset_state(true);
    /// assert!(config.reset_state);
    /// ```
    #[must_use]
    pub fn reset_state(mut self, reset: bool) -> Self {
        self.reset_state = reset;
        self
    }

    /// Sets the HTTP status of GreenPay `FAIL` envelopes (an invalid code falls back to 200).
    #[must_use]
    pub fn greenpay_fail_http_status(mut self, status: u16) -> Self {
        self.greenpay_fail_http_status = status;
        self
    }
}

/// Why the sandbox could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// The port could not be bound.
    #[error("could not bind 127.0.0.1:{port}")]
    Bind {
        /// The requested port.
        port: u16,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The RSA signing keys could not be generated.
    #[error("could not generate the sandbox RSA keys")]
    Keys,
    /// The state directory could not be created, read or written, or holds a file that is not
    /// the sandbox's.
    #[error("sandbox state {}: {source}", path.display())]
    State {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The HTTP client for notifications could not be built.
    #[error("could not build the notification HTTP client")]
    HttpClient(#[source] reqwest::Error),
}

/// JataPay test credentials (HTTP Basic on the token endpoint).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct JataPayCredentials {
    /// `client_id` (Basic user name).
    pub client_id: String,
    /// `client_secret` (Basic password).
    pub client_secret: String,
}

/// TS Pay test credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TsPayCredentials {
    /// API key sent as `Authorization: Bearer <api_key>`.
    pub api_key: String,
    /// The `{itemId}` of the documented `/{itemId}/link2pay` path style.
    pub item_id: String,
    /// The merchant's `merchantRef`, echoed in webhooks.
    pub merchant_ref: String,
    /// The integrator's AppSecret: `POST /auth/api-key` with `Authorization: Bearer
    /// <app_secret>` issues a new API key (state `init` until activated at its `loginUrl`).
    pub app_secret: String,
}

/// GreenPay test credentials (sent inside every JSON body).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GreenPayCredentials {
    /// `merchantId` (a UUID).
    pub merchant_id: String,
    /// `secret` (a base64 string).
    pub secret: String,
    /// `terminal`.
    pub terminal: String,
    /// Public key that verifies `_signature`: base64 of the SubjectPublicKeyInfo DER (no PEM armour).
    pub public_key: String,
}

/// beGateway test credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BeGatewayCredentials {
    /// Shop id (Basic user name).
    pub shop_id: String,
    /// Shop secret key (Basic password).
    pub secret_key: String,
    /// Shop public key that verifies `Content-Signature`: base64 of the SubjectPublicKeyInfo DER.
    pub public_key: String,
}

/// The test credentials of all four providers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Credentials {
    /// JataPay.
    pub jatapay: JataPayCredentials,
    /// TS Pay.
    pub tspay: TsPayCredentials,
    /// GreenPay.
    pub greenpay: GreenPayCredentials,
    /// beGateway.
    pub begateway: BeGatewayCredentials,
}

impl Credentials {
    fn fixed(keys: &Keys) -> Self {
        Self {
            jatapay: JataPayCredentials {
                client_id: "sbx_jatapay_client".into(),
                client_secret: "sbx_jatapay_secret".into(),
            },
            tspay: TsPayCredentials {
                api_key: "sbx_tspay_api_key".into(),
                item_id: "sbx-item-0001".into(),
                merchant_ref: "SBXMERCHANT01".into(),
                app_secret: "sbx_tspay_app_secret".into(),
            },
            greenpay: GreenPayCredentials {
                merchant_id: "8c0b9a52-6a4f-4a5e-9d3c-5b1f0e2a7c41".into(),
                secret: "c2FuZGJveC1ncmVlbnBheS1zZWNyZXQ=".into(),
                terminal: "sandbox-eb29-BNCR-USD".into(),
                public_key: keys.greenpay_public.clone(),
            },
            begateway: BeGatewayCredentials {
                shop_id: "361".into(),
                secret_key: "b8647b68898b084b836474ed8d61ffe117c9a01168d867f24953b776ddcb134d"
                    .into(),
                public_key: keys.begateway_public.clone(),
            },
        }
    }
}

/// One notification the sandbox sent (or tried to send).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Delivery {
    /// `tspay`, `greenpay` or `begateway`.
    #[serde(deserialize_with = "crate::persist::leak")]
    pub provider: crate::persist::Name,
    /// Where it was POSTed.
    pub url: String,
    /// Provider-specific headers sent with it (signature, authorization).
    pub headers: Vec<(String, String)>,
    /// The exact body.
    pub body: String,
    /// The receiver's HTTP status, if it answered.
    pub status: Option<u16>,
    /// Why delivery failed, if it did.
    pub error: Option<String>,
    /// The start of the receiver's answer body (at most 1 KiB, lossy UTF-8), if it answered.
    #[serde(default)]
    pub answer: Option<String>,
}

/// Entry point: [`Sandbox::start`].
#[derive(Debug)]
#[non_exhaustive]
pub struct Sandbox;

impl Sandbox {
    /// Binds `127.0.0.1:<port>`, generates the signing keys and spawns the server on the current
    /// tokio runtime. It runs until [`RunningSandbox::shutdown`] or until the handle is dropped.
    pub async fn start(config: SandboxConfig) -> Result<RunningSandbox, SandboxError> {
        let port = config.port;
        let listener = tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
            .await
            .map_err(|source| SandboxError::Bind { port, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| SandboxError::Bind { port, source })?;
        let base_url = format!("http://{addr}");
        if let Some(dir) = &config.state_dir {
            persist::prepare(dir, config.reset_state)?;
        }
        let keys = Keys::load_or_generate(config.state_dir.as_deref())?;
        let creds = Credentials::fixed(&keys);
        let http = reqwest::Client::builder()
            .timeout(config.notification_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(SandboxError::HttpClient)?;
        let shared = Arc::new(Shared::new(config, base_url.clone(), creds, keys, http)?);
        let app = router(shared.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let server = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = rx.await;
            });
            if let Err(err) = server.await {
                tracing::error!(error = %err, "sandbox server stopped");
            }
        });
        tracing::info!(%base_url, "payments sandbox listening");
        Ok(RunningSandbox {
            addr,
            base_url,
            shared,
            shutdown: Some(tx),
            task: Some(task),
        })
    }
}

fn router(shared: state::App) -> Router {
    Router::new()
        .merge(dashboard::router())
        .nest("/jatapay", jatapay::router())
        .nest("/tspay", tspay::router())
        .nest("/greenpay", greenpay::router())
        .nest("/begateway", begateway::router())
        .fallback(jatapay::not_found)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            dashboard::faults,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(shared)
}

/// A started sandbox. Dropping it stops the server (abruptly); prefer [`RunningSandbox::shutdown`].
pub struct RunningSandbox {
    addr: SocketAddr,
    base_url: String,
    shared: state::App,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for RunningSandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningSandbox")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl RunningSandbox {
    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// JataPay auth base (`…/jatapay/auth`): the token endpoint is `<this>/token`.
    pub fn jatapay_auth_url(&self) -> String {
        format!("{}/jatapay/auth", self.base_url)
    }

    /// JataPay API base (`…/jatapay/api`): `<this>/scrivi_abbonamento`, `<this>/entity/subscriptions/{id}`, ….
    pub fn jatapay_api_url(&self) -> String {
        format!("{}/jatapay/api", self.base_url)
    }

    /// JataPay dashboard base (`…/jatapay/dashboard`): the hosted page is `<this>/gateway/{id}`.
    pub fn jatapay_dashboard_url(&self) -> String {
        format!("{}/jatapay/dashboard", self.base_url)
    }

    /// TS Pay API base (`…/tspay`): both `<this>/{itemId}/link2pay` and `<this>/orders/link2pay` work.
    pub fn tspay_url(&self) -> String {
        format!("{}/tspay", self.base_url)
    }

    /// GreenPay merchant API base (`…/greenpay`): `<this>/subscriptions/pay`, ….
    pub fn greenpay_url(&self) -> String {
        format!("{}/greenpay", self.base_url)
    }

    /// GreenPay checkout host (`…/greenpay/checkout`): card tokenization with `liszt-token`.
    pub fn greenpay_checkout_url(&self) -> String {
        format!("{}/greenpay/checkout", self.base_url)
    }

    /// GreenPay checkout v2 host (`…/greenpay/checkoutv2`): `<this>/createOrder`.
    pub fn greenpay_checkout_v2_url(&self) -> String {
        format!("{}/greenpay/checkoutv2", self.base_url)
    }

    /// GreenPay hosted tokenization form (`…/greenpay/tokenize-form`): `<this>/{session}`.
    pub fn greenpay_tokenize_form_url(&self) -> String {
        format!("{}/greenpay/tokenize-form", self.base_url)
    }

    /// GreenPay hosted payment form (`…/greenpay/checkout-form`): `<this>/{session}`.
    pub fn greenpay_checkout_form_url(&self) -> String {
        format!("{}/greenpay/checkout-form", self.base_url)
    }

    /// beGateway API base (`…/begateway/api`): `<this>/products`, ….
    pub fn begateway_api_url(&self) -> String {
        format!("{}/begateway/api", self.base_url)
    }

    /// beGateway gateway base (`…/begateway/gateway`): `<this>/transactions/{uid}`, ….
    pub fn begateway_gateway_url(&self) -> String {
        format!("{}/begateway/gateway", self.base_url)
    }

    /// beGateway checkout base (`…/begateway/checkout`): hosts the products' `confirm_url`.
    pub fn begateway_checkout_url(&self) -> String {
        format!("{}/begateway/checkout", self.base_url)
    }

    /// URL serving the beGateway shop public key (base64 SPKI DER, `text/plain`).
    pub fn begateway_public_key_url(&self) -> String {
        format!("{}/begateway/public_key", self.base_url)
    }

    /// Per provider, exactly what its client builder takes to reach this sandbox (base URLs,
    /// credentials, public keys). The binary prints its `Display` form.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), payments_sandbox::SandboxError> {
    /// let sandbox = payments_sandbox::Sandbox::start(payments_sandbox::SandboxConfig::new()).await?;
    /// let settings = sandbox.client_settings();
    /// assert_eq!(settings.greenpay.base_url, format!("{}/greenpay", sandbox.base_url()));
    /// # Ok(()) }
    /// ```
    pub fn client_settings(&self) -> ClientSettings {
        let c = self.credentials();
        ClientSettings {
            base_url: self.base_url.clone(),
            dashboard_url: format!("{}/", self.base_url),
            jatapay: JataPaySettings {
                auth_base_url: self.jatapay_auth_url(),
                api_base_url: self.jatapay_api_url(),
                gateway_base_url: self.jatapay_dashboard_url(),
                client_id: c.jatapay.client_id.clone(),
                client_secret: c.jatapay.client_secret.clone(),
            },
            tspay: TsPaySettings {
                base_url: self.tspay_url(),
                api_key: c.tspay.api_key.clone(),
                item_id: c.tspay.item_id.clone(),
                merchant_ref: c.tspay.merchant_ref.clone(),
                webhook_registration_url: format!("{}/notification/webhook", self.tspay_url()),
                app_secret: c.tspay.app_secret.clone(),
            },
            greenpay: GreenPaySettings {
                base_url: self.greenpay_url(),
                merchant_id: c.greenpay.merchant_id.clone(),
                terminal: c.greenpay.terminal.clone(),
                secret: c.greenpay.secret.clone(),
                public_key: c.greenpay.public_key.clone(),
                webhook_config_url: format!("{}/_sandbox/webhook", self.greenpay_url()),
                checkout_base_url: self.greenpay_checkout_url(),
                checkout_v2_base_url: self.greenpay_checkout_v2_url(),
                checkout_form_base_url: self.greenpay_checkout_form_url(),
                tokenize_form_base_url: self.greenpay_tokenize_form_url(),
            },
            begateway: BeGatewaySettings {
                api_base_url: self.begateway_api_url(),
                gateway_base_url: self.begateway_gateway_url(),
                shop_id: c.begateway.shop_id.clone(),
                secret_key: c.begateway.secret_key.clone(),
                public_key: c.begateway.public_key.clone(),
                public_key_url: self.begateway_public_key_url(),
                checkout_base_url: self.begateway_checkout_url(),
            },
        }
    }

    /// The state directory, if the sandbox keeps its state across restarts.
    pub fn state_dir(&self) -> Option<&Path> {
        self.shared.state_dir.as_deref()
    }

    /// All test credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.shared.creds
    }

    /// JataPay test credentials.
    pub fn jatapay_credentials(&self) -> &JataPayCredentials {
        &self.shared.creds.jatapay
    }

    /// TS Pay test credentials.
    pub fn tspay_credentials(&self) -> &TsPayCredentials {
        &self.shared.creds.tspay
    }

    /// GreenPay test credentials (with the `_signature` public key).
    pub fn greenpay_credentials(&self) -> &GreenPayCredentials {
        &self.shared.creds.greenpay
    }

    /// beGateway test credentials (with the `Content-Signature` public key).
    pub fn begateway_credentials(&self) -> &BeGatewayCredentials {
        &self.shared.creds.begateway
    }

    /// Sets GreenPay's merchant webhook base URL; subscription payment results go to
    /// `<url>/subscription/payment/results`. Same as `POST /greenpay/_sandbox/webhook`.
    pub fn set_greenpay_webhook(&self, url: &str) {
        self.shared.lock().greenpay.webhook = Some(url.trim_end_matches('/').to_owned());
    }

    /// Registers a TS Pay webhook endpoint for `tspay_charge.*` events and returns its HMAC
    /// secret. Same as `POST /tspay/notification/webhook`.
    pub fn register_tspay_webhook(&self, endpoint: &str) -> String {
        tspay::register(&self.shared, "tspay_charge.*", endpoint).secret
    }

    /// Every notification sent so far, oldest first.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.lock().deliveries.clone()
    }

    /// Stops accepting connections, lets in-flight requests finish (at most 5 seconds) and
    /// waits for the server task.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
