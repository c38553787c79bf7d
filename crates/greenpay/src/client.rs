//! The client, its builder, the merchant's credentials and the environments.

use std::fmt;
use std::sync::Arc;

use payments_common::http::{HttpClient, HttpConfig, Request, RequestOptions, ResponseMeta};
use payments_common::{ErrorKind, SecretString, Url, validate};
use serde::Serialize;

use crate::Error;
use crate::envelope;
use crate::subscriptions::Subscriptions;
use crate::wire::Authenticated;

/// Where requests go.
///
/// GreenPay's subscription API lives on the merchant host of each environment. (One list
/// example in GreenPay's documentation uses `https://dev-merchant.greenpay.me`; that host is
/// not offered here — use [`ClientBuilder::base_url`] if GreenPay tells you to.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Environment {
    /// `https://sandbox-merchant.greenpay.me` (the default, so that a missing setting never
    /// charges real cards). Sandbox credentials are created at
    /// `https://sandbox-dashboard.greenpay.me/merchants/new`.
    #[default]
    Sandbox,
    /// `https://merchant.greenpay.me`.
    Production,
}

impl Environment {
    /// The base URL of the environment.
    ///
    /// ```
    /// assert_eq!(greenpay::Environment::Production.base_url(), "https://merchant.greenpay.me");
    /// ```
    pub fn base_url(self) -> &'static str {
        match self {
            Environment::Sandbox => "https://sandbox-merchant.greenpay.me",
            Environment::Production => "https://merchant.greenpay.me",
        }
    }

    /// The checkout host of the environment: card tokenization with the `liszt-token` header.
    ///
    /// ```
    /// assert_eq!(greenpay::Environment::Sandbox.checkout_base_url(), "https://sandbox-checkout.greenpay.me");
    /// ```
    pub fn checkout_base_url(self) -> &'static str {
        match self {
            Environment::Sandbox => "https://sandbox-checkout.greenpay.me",
            Environment::Production => "https://checkout.greenpay.me",
        }
    }

    /// The checkout v2 host of the environment (`createOrder`).
    ///
    /// ```
    /// assert_eq!(greenpay::Environment::Production.checkout_v2_base_url(), "https://checkoutv2.greenpay.me");
    /// ```
    pub fn checkout_v2_base_url(self) -> &'static str {
        match self {
            Environment::Sandbox => "https://checkoutv2.greenpaysbx.me",
            Environment::Production => "https://checkoutv2.greenpay.me",
        }
    }

    /// The hosted tokenization form of the environment: the customer types a card at
    /// `<this>/<session>` (documented; the sandbox host is written with `http://` on
    /// GreenPay's page, `https` here is inferred).
    ///
    /// ```
    /// assert_eq!(greenpay::Environment::Production.tokenize_form_base_url(), "https://tokenizeform.greenpay.me");
    /// ```
    pub fn tokenize_form_base_url(self) -> &'static str {
        match self {
            Environment::Sandbox => "https://sandbox-tokenizeform.greenpay.me",
            Environment::Production => "https://tokenizeform.greenpay.me",
        }
    }

    /// The hosted payment form of the environment: the customer pays an order at
    /// `<this>/<session>`.
    ///
    /// ```
    /// assert_eq!(greenpay::Environment::Production.checkout_form_base_url(), "https://checkout-form.greenpay.me");
    /// ```
    pub fn checkout_form_base_url(self) -> &'static str {
        match self {
            Environment::Sandbox => "https://sandbox-checkoutform.greenpay.me",
            Environment::Production => "https://checkout-form.greenpay.me",
        }
    }
}

/// The merchant's GreenPay credentials, sent inside every JSON body.
///
/// - `merchant_id`: the `merchantId` GreenPay gives the merchant (a UUID);
/// - `terminal`: the terminal id (e.g. `"deKokoTest-eb29-BNCR-CRC"`), sent as `terminal` to
///   the endpoints that take it;
/// - `secret`: the `secret` (a base64 string), kept as a [`SecretString`].
///
/// `Debug` never shows the secret:
///
/// ```
/// let c = greenpay::Credentials::new("143b28c9-32ad-4635-8ed8-d6abfb6863a0", "term-1", "c2VjcmV0");
/// assert!(!format!("{c:?}").contains("c2VjcmV0"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    pub(crate) merchant_id: String,
    pub(crate) terminal: String,
    pub(crate) secret: SecretString,
}

impl Credentials {
    /// Credentials from the merchant id, the terminal id and the secret.
    pub fn new(
        merchant_id: impl Into<String>,
        terminal: impl Into<String>,
        secret: impl Into<SecretString>,
    ) -> Self {
        Credentials {
            merchant_id: merchant_id.into(),
            terminal: terminal.into(),
            secret: secret.into(),
        }
    }

    /// The merchant id.
    ///
    /// ```
    /// assert_eq!(greenpay::Credentials::new("m", "t", "s").merchant_id(), "m");
    /// ```
    pub fn merchant_id(&self) -> &str {
        &self.merchant_id
    }

    /// The terminal id.
    ///
    /// ```
    /// assert_eq!(greenpay::Credentials::new("m", "t", "s").terminal(), "t");
    /// ```
    pub fn terminal(&self) -> &str {
        &self.terminal
    }

    fn validate(&self) -> Result<(), ErrorKind> {
        validate::plain_credential("merchantId", &self.merchant_id)?;
        validate::plain_credential("terminal", &self.terminal)?;
        validate::credential("secret", &self.secret)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("merchant_id", &self.merchant_id)
            .field("terminal", &self.terminal)
            .field("secret", &"[REDACTED]")
            .finish()
    }
}

/// Builds a [`Client`]: credentials, environment or base URL, and the HTTP settings.
///
/// ```
/// use std::time::Duration;
/// use greenpay::{Client, Credentials, Environment, HttpConfig};
///
/// let client = Client::builder(Credentials::new("143b28c9-32ad-4635-8ed8-d6abfb6863a0", "term-1", "c2VjcmV0"))
///     .environment(Environment::Production)
///     .http_config(HttpConfig::default().attempt_timeout(Duration::from_secs(20)))
///     .build()?;
/// assert_eq!(client.base_url().as_str(), "https://merchant.greenpay.me/");
/// # Ok::<(), greenpay::Error>(())
/// ```
pub struct ClientBuilder {
    credentials: Credentials,
    environment: Environment,
    base_url: Option<String>,
    checkout_base_url: Option<String>,
    checkout_v2_base_url: Option<String>,
    checkout_form_base_url: Option<String>,
    tokenize_form_base_url: Option<String>,
    #[cfg(feature = "tokenization")]
    public_key: Option<String>,
    http_config: HttpConfig,
}

impl ClientBuilder {
    /// Chooses the environment. The default is [`Environment::Sandbox`], so that a missing
    /// setting never charges real cards: going live is this one deliberate line.
    ///
    /// ```
    /// # use greenpay::{Client, Credentials, Environment};
    /// let sandbox = Client::builder(Credentials::new("m", "t", "s")).build()?;
    /// assert_eq!(sandbox.base_url().as_str(), "https://sandbox-merchant.greenpay.me/");
    /// let live = Client::builder(Credentials::new("m", "t", "s"))
    ///     .environment(Environment::Production)
    ///     .build()?;
    /// assert_eq!(live.base_url().as_str(), "https://merchant.greenpay.me/");
    /// # Ok::<(), greenpay::Error>(())
    /// ```
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Overrides the base URL (a local sandbox, a proxy, a test server). It must be `https`, or
    /// plain `http` to a loopback host; it is checked by [`ClientBuilder::build`].
    ///
    /// ```
    /// # use greenpay::{Client, Credentials};
    /// let err = Client::builder(Credentials::new("m", "t", "s"))
    ///     .base_url("http://merchant.example.com")
    ///     .build()
    ///     .unwrap_err();
    /// assert_eq!(err.invalid_field(), Some("base_url"));
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Overrides the checkout host (card tokenization), checked by [`ClientBuilder::build`] as
    /// [`ClientBuilder::base_url`] is.
    ///
    /// ```
    /// # use greenpay::{Client, Credentials};
    /// let client = Client::builder(Credentials::new("m", "t", "s"))
    ///     .checkout_base_url("http://127.0.0.1:8080/greenpay/checkout")
    ///     .build()?;
    /// assert_eq!(client.checkout_base_url().as_str(), "http://127.0.0.1:8080/greenpay/checkout");
    /// # Ok::<(), greenpay::Error>(())
    /// ```
    pub fn checkout_base_url(mut self, url: impl Into<String>) -> Self {
        self.checkout_base_url = Some(url.into());
        self
    }

    /// Overrides the checkout v2 host (`createOrder`), checked by [`ClientBuilder::build`].
    ///
    /// ```
    /// # use greenpay::{Client, Credentials};
    /// let err = Client::builder(Credentials::new("m", "t", "s"))
    ///     .checkout_v2_base_url("ftp://checkout.example")
    ///     .build()
    ///     .unwrap_err();
    /// assert_eq!(err.invalid_field(), Some("checkout_v2_base_url"));
    /// ```
    pub fn checkout_v2_base_url(mut self, url: impl Into<String>) -> Self {
        self.checkout_v2_base_url = Some(url.into());
        self
    }

    /// Overrides the hosted tokenization form's host ([`Cards::form_url`](crate::cards::Cards::form_url)),
    /// checked by [`ClientBuilder::build`].
    ///
    /// ```
    /// # use greenpay::{Client, Credentials};
    /// let client = Client::builder(Credentials::new("m", "t", "s"))
    ///     .tokenize_form_base_url("https://cards.example.com/form")
    ///     .build()?;
    /// # Ok::<(), greenpay::Error>(())
    /// ```
    pub fn tokenize_form_base_url(mut self, url: impl Into<String>) -> Self {
        self.tokenize_form_base_url = Some(url.into());
        self
    }

    /// Overrides the hosted payment form's host ([`Client::checkout_url`]), checked by
    /// [`ClientBuilder::build`].
    ///
    /// ```
    /// # use greenpay::{Client, Credentials};
    /// let client = Client::builder(Credentials::new("m", "t", "s"))
    ///     .checkout_form_base_url("https://pay.example.com/form")
    ///     .build()?;
    /// # Ok::<(), greenpay::Error>(())
    /// ```
    pub fn checkout_form_base_url(mut self, url: impl Into<String>) -> Self {
        self.checkout_form_base_url = Some(url.into());
        self
    }

    #[cfg(feature = "tokenization")]
    #[cfg_attr(docsrs, doc(cfg(feature = "tokenization")))]
    /// GreenPay's public key (bare base64 DER, as GreenPay gives it, or PEM), which card
    /// tokenization encrypts the card's key with (feature `tokenization`). Checked by
    /// [`ClientBuilder::build`] when given.
    ///
    /// ```
    /// # use greenpay::{Client, Credentials};
    /// let err = Client::builder(Credentials::new("m", "t", "s")).public_key("abc123").build().unwrap_err();
    /// assert_eq!(err.invalid_field(), Some("public_key"));
    /// ```
    pub fn public_key(mut self, key: impl Into<String>) -> Self {
        self.public_key = Some(key.into());
        self
    }

    /// Timeouts, retries, the body cap and your own reqwest settings
    /// ([`HttpConfig::configure_reqwest`]) of the HTTP pipeline.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use greenpay::{Client, Credentials, HttpConfig};
    /// let client = Client::builder(Credentials::new("m", "t", "s"))
    ///     .http_config(HttpConfig::default().deadline(Duration::from_secs(20)))
    ///     .build()?;
    /// # Ok::<(), greenpay::Error>(())
    /// ```
    pub fn http_config(mut self, config: HttpConfig) -> Self {
        self.http_config = config;
        self
    }

    /// Validates the settings and builds the client (one pooled HTTP client shared by all
    /// clones). Credentials with whitespace or control characters, or an empty one, are
    /// refused with [`ErrorKind::InvalidRequest`] naming the field, never its value (operation
    /// `client.build`).
    ///
    /// ```
    /// # use greenpay::{Client, Credentials};
    /// let err = Client::builder(Credentials::new("m", "t", "")).build().unwrap_err();
    /// assert_eq!(err.operation(), "client.build");
    /// assert_eq!(err.invalid_field(), Some("secret"));
    /// ```
    pub fn build(self) -> Result<Client, Error> {
        self.build_kind().map_err(Error::at("client.build"))
    }

    fn build_kind(self) -> Result<Client, ErrorKind> {
        self.credentials.validate()?;
        let base = self
            .base_url
            .as_deref()
            .unwrap_or(self.environment.base_url());
        let base_url = validate::base_url("base_url", base)?;
        let host = |field: &str, given: &Option<String>, default: &str| {
            validate::base_url(field, given.as_deref().unwrap_or(default))
        };
        let checkout_base_url = host(
            "checkout_base_url",
            &self.checkout_base_url,
            self.environment.checkout_base_url(),
        )?;
        let checkout_v2_base_url = host(
            "checkout_v2_base_url",
            &self.checkout_v2_base_url,
            self.environment.checkout_v2_base_url(),
        )?;
        let checkout_form_base_url = host(
            "checkout_form_base_url",
            &self.checkout_form_base_url,
            self.environment.checkout_form_base_url(),
        )?;
        let tokenize_form_base_url = host(
            "tokenize_form_base_url",
            &self.tokenize_form_base_url,
            self.environment.tokenize_form_base_url(),
        )?;
        #[cfg(feature = "tokenization")]
        let public_key = match &self.public_key {
            Some(key) => Some(crate::keys::PublicKey::parse(key)?),
            None => None,
        };
        let http = HttpClient::new(
            "greenpay",
            concat!("greenpay/", env!("CARGO_PKG_VERSION")),
            self.http_config,
        )?
        // GreenPay echoes the secret in `purchase_order.secret`: mask it in every excerpt.
        .redact_in_errors(vec![self.credentials.secret.clone()]);
        Ok(Client {
            inner: Arc::new(Inner {
                base_url,
                checkout_base_url,
                checkout_v2_base_url,
                checkout_form_base_url,
                tokenize_form_base_url,
                #[cfg(feature = "tokenization")]
                public_key,
                credentials: self.credentials,
            }),
            http,
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("environment", &self.environment)
            .field("base_url", &self.base_url)
            .field("checkout_base_url", &self.checkout_base_url)
            .field("checkout_v2_base_url", &self.checkout_v2_base_url)
            .field("checkout_form_base_url", &self.checkout_form_base_url)
            .field("tokenize_form_base_url", &self.tokenize_form_base_url)
            .field("http_config", &self.http_config)
            .finish()
    }
}

/// A GreenPay client: cheap to clone (`Arc`), `Send + Sync`, one connection pool for all
/// clones.
///
/// ```
/// # use greenpay::{Client, Credentials};
/// let client = Client::builder(Credentials::new("m", "t", "s3cr3t-canary")).build()?;
/// assert!(!format!("{client:?}").contains("s3cr3t-canary"));
/// # Ok::<(), greenpay::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// The pipeline handle of this client (shared pool; a [`Client::with_options`] handle
    /// carries its own overrides and its own last-response record).
    http: HttpClient,
}

struct Inner {
    base_url: Url,
    checkout_base_url: Url,
    checkout_v2_base_url: Url,
    checkout_form_base_url: Url,
    tokenize_form_base_url: Url,
    #[cfg(feature = "tokenization")]
    public_key: Option<crate::keys::PublicKey>,
    credentials: Credentials,
}

/// GreenPay's hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Host {
    /// The merchant API (subscriptions, payment orders, token payments).
    Merchant,
    /// The checkout host (tokenization with `liszt-token`).
    #[cfg_attr(not(feature = "tokenization"), allow(dead_code))]
    Checkout,
    /// Checkout v2 (`createOrder`).
    CheckoutV2,
}

/// Whether an endpoint's body carries the `terminal` credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Terminal {
    /// Send `terminal`.
    Include,
    /// Do not send it (the manual-payment page documents a body without it).
    Omit,
}

impl Client {
    /// Starts building a client with the merchant's credentials (environment
    /// [`Environment::Sandbox`] unless chosen otherwise).
    ///
    /// ```
    /// # use greenpay::{Client, Credentials};
    /// let client = Client::builder(Credentials::new("m", "t", "s")).build()?;
    /// # Ok::<(), greenpay::Error>(())
    /// ```
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            environment: Environment::default(),
            base_url: None,
            checkout_base_url: None,
            checkout_v2_base_url: None,
            checkout_form_base_url: None,
            tokenize_form_base_url: None,
            #[cfg(feature = "tokenization")]
            public_key: None,
            http_config: HttpConfig::default(),
        }
    }

    /// A handle on this client (same connection pool, same credentials) whose calls apply
    /// `options`: deadline, attempt timeout, retry policy, extra headers. GreenPay honours no
    /// idempotency key, so a key in `options` makes every write refuse to send
    /// ([`ErrorKind::InvalidRequest`] on `idempotency_key`); reads ignore it.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use greenpay::{Client, Credentials, RequestOptions};
    /// let client = Client::builder(Credentials::new("m", "t", "s")).build()?;
    /// let quick = client.with_options(
    ///     RequestOptions::new().deadline(Duration::from_secs(5)).header("x-correlation-id", "order-42"),
    /// );
    /// assert!(quick.last_response().is_none());
    /// # Ok::<(), greenpay::Error>(())
    /// ```
    pub fn with_options(&self, options: RequestOptions) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            http: self.http.with_options(options),
        }
    }

    /// The status, request id and attempt count of the last response a call through this
    /// handle received, on success too (each [`Client::with_options`] handle has its own).
    ///
    /// ```
    /// # use greenpay::{Client, Credentials};
    /// let client = Client::builder(Credentials::new("m", "t", "s")).build()?;
    /// assert!(client.last_response().is_none());
    /// # Ok::<(), greenpay::Error>(())
    /// ```
    pub fn last_response(&self) -> Option<ResponseMeta> {
        self.http.last_response()
    }

    /// The subscription API.
    pub fn subscriptions(&self) -> Subscriptions<'_> {
        Subscriptions::new(self)
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The checkout host (card tokenization).
    pub fn checkout_base_url(&self) -> &Url {
        &self.inner.checkout_base_url
    }

    /// The checkout v2 host (`createOrder`).
    pub fn checkout_v2_base_url(&self) -> &Url {
        &self.inner.checkout_v2_base_url
    }

    /// The hosted payment form's host.
    pub fn checkout_form_base_url(&self) -> &Url {
        &self.inner.checkout_form_base_url
    }

    /// The hosted tokenization form's host.
    pub fn tokenize_form_base_url(&self) -> &Url {
        &self.inner.tokenize_form_base_url
    }

    /// GreenPay's public key, when the builder was given one.
    #[cfg(feature = "tokenization")]
    pub(crate) fn public_key(&self) -> Option<&crate::keys::PublicKey> {
        self.inner.public_key.as_ref()
    }

    /// The credentials.
    #[allow(dead_code)]
    pub(crate) fn credentials(&self) -> &Credentials {
        &self.inner.credentials
    }

    /// The payment orders: `client.orders()`.
    ///
    /// ```
    /// # let client = greenpay::Client::builder(greenpay::Credentials::new("m", "t", "s")).build()?;
    /// let orders = client.orders();
    /// # Ok::<(), greenpay::Error>(())
    /// ```
    pub fn orders(&self) -> crate::orders::Orders<'_> {
        crate::orders::Orders::new(self)
    }

    /// The merchant id requests carry.
    pub fn merchant_id(&self) -> &str {
        &self.inner.credentials.merchant_id
    }

    /// Builds a POST to `segments` of the merchant host whose JSON body is `body` plus the
    /// credentials.
    pub(crate) fn post<T: Serialize>(
        &self,
        operation: &'static str,
        segments: &[&str],
        body: &T,
        terminal: Terminal,
    ) -> Result<Request, ErrorKind> {
        self.post_to(Host::Merchant, operation, segments, body, terminal)
    }

    /// The base URL of `host`.
    pub(crate) fn host(&self, host: Host) -> &Url {
        match host {
            Host::Merchant => &self.inner.base_url,
            Host::Checkout => &self.inner.checkout_base_url,
            Host::CheckoutV2 => &self.inner.checkout_v2_base_url,
        }
    }

    /// Builds a POST to `segments` of `host` whose JSON body is `body` plus the credentials.
    pub(crate) fn post_to<T: Serialize>(
        &self,
        host: Host,
        operation: &'static str,
        segments: &[&str],
        body: &T,
        terminal: Terminal,
    ) -> Result<Request, ErrorKind> {
        let url = validate::endpoint(self.host(host), segments);
        let credentials = &self.inner.credentials;
        let wire = Authenticated {
            body,
            merchant_id: &credentials.merchant_id,
            secret: &credentials.secret,
            terminal: (terminal == Terminal::Include).then_some(credentials.terminal.as_str()),
        };
        // GreenPay's own FAIL envelope is its definitive answer even with HTTP 500; any other
        // non-success answer (a proxy's JSON or HTML error page) leaves a write's outcome open.
        Ok(Request::post(operation, url)
            .json(&wire)?
            .final_errors_when(envelope::is_fail_envelope))
    }

    /// Sends `request` and decodes the answer with `decode`; errors as [`Client::call`] reports
    /// them.
    pub(crate) async fn call_with<T>(
        &self,
        request: Request,
        decode: impl FnOnce(&payments_common::http::Response) -> Result<T, ErrorKind>,
    ) -> Result<T, Error> {
        let operation = public_operation(request.operation());
        self.http
            .execute(request, |response| decode(&response))
            .await
            .map_err(|kind| Error::from_call(operation, kind))
    }

    /// [`Client::call_with`] for a call that holds secrets of its own besides the merchant's
    /// (the session's `liszt-token`, the card number, a card token): each is registered with
    /// the pipeline for this call, next to the merchant's secret, so that it is masked in every
    /// rendering of the error (raw, JSON-escaped, URL-encoded, base64) **before** a provider
    /// text or a body excerpt is cut — no prefix of it survives at a cut.
    pub(crate) async fn call_masking<T>(
        &self,
        request: Request,
        secrets: &[&str],
        decode: impl FnOnce(&payments_common::http::Response) -> Result<T, ErrorKind>,
    ) -> Result<T, Error> {
        let operation = public_operation(request.operation());
        let mut registered = vec![self.inner.credentials.secret.clone()];
        registered.extend(secrets.iter().map(|s| SecretString::from((*s).to_owned())));
        // The same pipeline (pool, settings, options, last response), these secrets added.
        self.http
            .clone()
            .redact_in_errors(registered)
            .execute(request, |response| decode(&response))
            .await
            .map_err(|kind| Error::from_call(operation, kind))
    }

    /// Sends `request` and decodes GreenPay's envelope into `T`; errors are reported as the
    /// request's operation without the `greenpay.` prefix (`subscriptions.pay`), GreenPay's own
    /// FAIL envelope as a definitive answer.
    pub(crate) async fn call<T: serde::de::DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<T, Error> {
        let operation = public_operation(request.operation());
        // The pipeline masks the secret in errors (registered with `redact_in_errors`).
        self.http
            .execute(request, |response| envelope::decode(&response))
            .await
            .map_err(|kind| Error::from_call(operation, kind))
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("credentials", &self.inner.credentials)
            .field("http", &self.http)
            .finish()
    }
}

/// `greenpay.subscriptions.pay` → `subscriptions.pay`: the operation name errors carry (the
/// provider is already in the error).
pub(crate) fn public_operation(operation: &'static str) -> &'static str {
    operation.strip_prefix("greenpay.").unwrap_or(operation)
}
