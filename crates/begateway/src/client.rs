//! The client, its builder and the shop credentials.

use std::fmt;
use std::sync::Arc;

use payments_common::http::{HttpClient, HttpConfig, Request, RequestOptions, ResponseMeta};
use payments_common::{ErrorKind, SecretString, Url, validate};

use crate::error::Error;

use crate::products::Products;
use crate::transactions::Transactions;

/// The API host of beGateway itself (products / payment links).
pub const DEFAULT_API_URL: &str = "https://api.begateway.com";

/// The checkout host (hosted payment page and `/ctp/api/checkouts`) of beGateway itself.
pub const DEFAULT_CHECKOUT_URL: &str = "https://checkout.begateway.com";

/// The gateway host used for transaction queries when none is configured.
///
/// beGateway issues each merchant its own gateway host (`gateway.bepaid.by` for bePaid, a
/// demo host in the SDKs' defaults); this default is *inferred* from the public record
/// (`docs/providers/begateway.md#hosts`), not documented: configure yours with
/// [`ClientBuilder::gateway_base_url`].
pub const DEFAULT_GATEWAY_URL: &str = "https://gateway.begateway.com";

/// The shop's credentials: shop id and secret key, sent as HTTP Basic `shop_id:secret_key` on
/// every call (and expected back on every notification).
///
/// `Debug` never shows the secret key.
///
/// ```
/// let creds = begateway::Credentials::new("361", "shop-secret-key");
/// assert_eq!(creds.shop_id(), "361");
/// assert!(!format!("{creds:?}").contains("shop-secret-key"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    shop_id: String,
    secret_key: SecretString,
}

impl Credentials {
    /// Credentials from the shop id and secret key of the merchant back office.
    pub fn new(shop_id: impl Into<String>, secret_key: impl Into<SecretString>) -> Self {
        Credentials {
            shop_id: shop_id.into(),
            secret_key: secret_key.into(),
        }
    }

    /// The shop id.
    pub fn shop_id(&self) -> &str {
        &self.shop_id
    }

    /// The secret key.
    pub fn secret_key(&self) -> &SecretString {
        &self.secret_key
    }

    /// Checks both: not empty, no whitespace or control characters.
    pub(crate) fn validate(&self) -> Result<(), ErrorKind> {
        validate::plain_credential("shop_id", &self.shop_id)?;
        validate::credential("secret_key", &self.secret_key)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("shop_id", &self.shop_id)
            .field("secret_key", &"***")
            .finish()
    }
}

/// Builds a [`Client`].
///
/// ```
/// use std::time::Duration;
/// use begateway::{Client, Credentials, HttpConfig};
///
/// let client = Client::builder(Credentials::new("361", "shop-secret-key"))
///     .api_base_url("https://api.bepaid.by")
///     .gateway_base_url("https://gateway.bepaid.by")
///     .http_config(HttpConfig::default().attempt_timeout(Duration::from_secs(20)))
///     .build()?;
/// assert_eq!(client.api_base_url().as_str(), "https://api.bepaid.by/");
/// # Ok::<(), begateway::Error>(())
/// ```
#[derive(Clone)]
pub struct ClientBuilder {
    credentials: Credentials,
    api_base_url: String,
    checkout_base_url: String,
    gateway_base_url: String,
    api_version: Option<String>,
    http_config: HttpConfig,
}

impl ClientBuilder {
    /// The API host (products). Default [`DEFAULT_API_URL`]; white-label hosts such as
    /// `https://api.bepaid.by`. Must be `https` (plain `http` only to a loopback host, for
    /// tests and the local sandbox).
    pub fn api_base_url(mut self, url: impl Into<String>) -> Self {
        self.api_base_url = url.into();
        self
    }

    /// The checkout host (checkouts, the hosted payment page). Default
    /// [`DEFAULT_CHECKOUT_URL`]; white-label hosts such as `https://checkout.bepaid.by`.
    pub fn checkout_base_url(mut self, url: impl Into<String>) -> Self {
        self.checkout_base_url = url.into();
        self
    }

    /// The gateway host (transaction queries). Default [`DEFAULT_GATEWAY_URL`] (inferred; use
    /// the one beGateway or your white-label issued to your shop).
    pub fn gateway_base_url(mut self, url: impl Into<String>) -> Self {
        self.gateway_base_url = url.into();
        self
    }

    /// Sends `X-API-Version: <version>` on every call. Not sent by default. beGateway's Ruby
    /// SDK uses it to opt into v3 responses, whose shapes this crate's models do **not**
    /// follow (they follow the documented default): set it only if you know you need it.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// Timeouts, retries, body cap and user agent suffix.
    pub fn http_config(mut self, config: HttpConfig) -> Self {
        self.http_config = config;
        self
    }

    /// Validates the settings and builds the client (one pooled HTTP client, shared by clones).
    ///
    /// Errors (operation `client.build`) are [`ErrorKind::InvalidRequest`] naming `shop_id`,
    /// `secret_key`, `api_base_url`, `checkout_base_url`, `gateway_base_url` or
    /// `api_version`; none contains a credential.
    pub fn build(self) -> Result<Client, Error> {
        self.build_kind().map_err(Error::at("client.build"))
    }

    fn build_kind(self) -> Result<Client, ErrorKind> {
        self.credentials.validate()?;
        let api = validate::base_url("api_base_url", &self.api_base_url)?;
        let checkout = validate::base_url("checkout_base_url", &self.checkout_base_url)?;
        let gateway = validate::base_url("gateway_base_url", &self.gateway_base_url)?;
        if let Some(v) = &self.api_version
            && (v.is_empty()
                || v.len() > 16
                || !v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.'))
        {
            return Err(ErrorKind::invalid(
                "api_version",
                "must be 1 to 16 letters, digits or dots",
            ));
        }
        let agent = concat!("begateway/", env!("CARGO_PKG_VERSION"));
        let http = HttpClient::new("begateway", agent, self.http_config)?
            .redact_in_errors(vec![self.credentials.secret_key.clone()]);
        Ok(Client {
            http,
            inner: Arc::new(Inner {
                credentials: self.credentials,
                api,
                checkout,
                gateway,
                api_version: self.api_version,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("api_base_url", &self.api_base_url)
            .field("checkout_base_url", &self.checkout_base_url)
            .field("gateway_base_url", &self.gateway_base_url)
            .field("api_version", &self.api_version)
            .field("http_config", &self.http_config)
            .finish()
    }
}

/// A beGateway client: cheap to clone (`Arc` inside), `Send + Sync`, one connection pool.
///
/// ```no_run
/// # async fn run() -> begateway::Result<()> {
/// let client = begateway::Client::builder(begateway::Credentials::new("361", "shop-secret-key")).build()?;
/// let products = client.products().list().await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    /// The pipeline handle: the client's own, or one with per-call options
    /// ([`Client::with_options`]) over the same pool.
    http: HttpClient,
    inner: Arc<Inner>,
}

struct Inner {
    credentials: Credentials,
    api: Url,
    checkout: Url,
    gateway: Url,
    api_version: Option<String>,
}

impl Client {
    /// A builder with the default hosts and [`HttpConfig::default`].
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            api_base_url: DEFAULT_API_URL.to_owned(),
            checkout_base_url: DEFAULT_CHECKOUT_URL.to_owned(),
            gateway_base_url: DEFAULT_GATEWAY_URL.to_owned(),
            api_version: None,
            http_config: HttpConfig::default(),
        }
    }

    /// Products and their payment links (`{api}/products`).
    pub fn products(&self) -> Products<'_> {
        Products::new(self)
    }

    /// Plans and subscriptions on the API host (`{api}/plans`, `{api}/subscriptions`).
    pub fn subscriptions(&self) -> crate::subscriptions::Subscriptions<'_> {
        crate::subscriptions::Subscriptions::new(self)
    }

    /// Hosted checkouts on the checkout host (`{checkout}/ctp/api/checkouts`).
    pub fn checkouts(&self) -> crate::checkout::Checkouts<'_> {
        crate::checkout::Checkouts::new(self)
    }

    /// Card tokens (save a card, update the card behind a token), on the gateway host.
    ///
    /// ```no_run
    /// # async fn run(client: begateway::Client) -> begateway::Result<()> {
    /// let request = begateway::CreateCardToken::new("4200000000000000", "JOHN DOE", 1, 2030);
    /// let card = client.card_tokens().create(&request).await?;
    /// # Ok(()) }
    /// ```
    pub fn card_tokens(&self) -> crate::card_tokens::CardTokens<'_> {
        crate::card_tokens::CardTokens::new(self)
    }

    /// Card transactions on the gateway host (`{gateway}/transactions/payments`, …), each
    /// write keyed with a `RequestID`.
    pub fn card_transactions(&self) -> crate::card::CardTransactions<'_> {
        crate::card::CardTransactions::new(self)
    }

    /// Transaction status queries on the gateway host (`{gateway}/transactions`).
    pub fn transactions(&self) -> Transactions<'_> {
        Transactions::new(self)
    }

    /// The API host.
    pub fn api_base_url(&self) -> &Url {
        &self.inner.api
    }

    /// The checkout host.
    pub fn checkout_base_url(&self) -> &Url {
        &self.inner.checkout
    }

    /// The gateway host.
    pub fn gateway_base_url(&self) -> &Url {
        &self.inner.gateway
    }

    /// The shop id the client authenticates as.
    pub fn shop_id(&self) -> &str {
        &self.inner.credentials.shop_id
    }

    /// A handle on this client (same connection pool, same credentials) whose calls apply
    /// `options`: deadline, attempt timeout, retry policy, extra headers, and the idempotency
    /// key — which beGateway honours (`RequestID`) on card-transaction writes only; a key on
    /// any other write is refused before sending.
    ///
    /// ```
    /// use std::time::Duration;
    /// use begateway::{Client, Credentials, RequestOptions};
    ///
    /// let client = Client::builder(Credentials::new("361", "shop-secret-key")).build()?;
    /// let handle = client.with_options(
    ///     RequestOptions::new()
    ///         .deadline(Duration::from_secs(5))
    ///         .header("x-correlation-id", "order-42"),
    /// );
    /// assert!(handle.last_response().is_none());
    /// # Ok::<(), begateway::Error>(())
    /// ```
    pub fn with_options(&self, options: RequestOptions) -> Client {
        Client {
            http: self.http.with_options(options),
            inner: Arc::clone(&self.inner),
        }
    }

    /// The status, request id and attempt count of the last response a call through this
    /// handle received (on success too); `None` before the first. Make one handle per call
    /// with [`Client::with_options`] when you need it per call.
    ///
    /// ```no_run
    /// # async fn run(client: begateway::Client) -> begateway::Result<()> {
    /// let handle = client.with_options(begateway::RequestOptions::new());
    /// handle.products().list().await?;
    /// if let Some(meta) = handle.last_response() {
    ///     println!("{} request id {:?}", meta.status(), meta.request_id());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn last_response(&self) -> Option<ResponseMeta> {
        self.http.last_response()
    }

    pub(crate) fn http(&self) -> &HttpClient {
        &self.http
    }

    pub(crate) fn api_url(&self, segments: &[&str]) -> Url {
        validate::endpoint(&self.inner.api, segments)
    }

    pub(crate) fn checkout_url(&self, segments: &[&str]) -> Url {
        validate::endpoint(&self.inner.checkout, segments)
    }

    pub(crate) fn gateway_url(&self, segments: &[&str]) -> Url {
        validate::endpoint(&self.inner.gateway, segments)
    }

    /// Maps an error response (the pipeline masks the secret key in what it quotes).
    pub(crate) fn map_error(&self, response: &payments_common::http::Response) -> ErrorKind {
        crate::error::map_error(response)
    }

    /// Adds Basic auth and the optional `X-API-Version` (`Accept: application/json` is set by
    /// the pipeline).
    pub(crate) fn authorize(&self, request: Request) -> Result<Request, ErrorKind> {
        let creds = &self.inner.credentials;
        let request = request.basic_auth(&creds.shop_id, &creds.secret_key)?;
        match &self.inner.api_version {
            Some(v) => request.header("x-api-version", v),
            None => Ok(request),
        }
    }
}

impl Client {
    /// [`Client::authorize`] for the checkout host: `X-API-Version: 2` unless the client sets
    /// its own version (documented for checkouts on bePaid's payment-token page).
    pub(crate) fn authorize_checkout(&self, request: Request) -> Result<Request, ErrorKind> {
        let request = self.authorize(request)?;
        match &self.inner.api_version {
            Some(_) => Ok(request),
            None => request.header("x-api-version", "2"),
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("shop_id", &self.inner.credentials.shop_id)
            .field("api_base_url", &self.inner.api.as_str())
            .field("checkout_base_url", &self.inner.checkout.as_str())
            .field("gateway_base_url", &self.inner.gateway.as_str())
            .field("api_version", &self.inner.api_version)
            .field("http", &self.http)
            .finish_non_exhaustive()
    }
}
