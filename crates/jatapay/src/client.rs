//! The client, its builder and the credentials.

use std::fmt;
use std::sync::Arc;

use payments_common::http::{HttpClient, HttpConfig};
use payments_common::{ExposeSecret, SecretString, Url, validate};

use crate::ids::GatewayId;
use crate::payments::Payments;
use crate::subscriptions::Subscriptions;
use crate::tokens::TokenCache;
use crate::{Error, Result};

/// The default authentication host (note: `jatajata.com`, not `jatapay`).
pub const DEFAULT_AUTH_BASE_URL: &str = "https://auth.jatajata.com";
/// The default API host.
pub const DEFAULT_API_BASE_URL: &str = "https://api.jatapay.it";
/// The default host of the hosted payment gateway (note: `.com`, not `.it`).
pub const DEFAULT_GATEWAY_BASE_URL: &str = "https://dashboard.jatapay.com";

/// The client credentials from the "Sviluppatori" (developers) section of the JataPay
/// dashboard, exchanged for a bearer token at `POST {auth}/token`.
///
/// Both values are kept as [`SecretString`]s; `Debug` never shows them.
///
/// ```
/// use jatapay::{Credentials, SecretString};
///
/// let credentials = Credentials::new(SecretString::from("my-client-id"), SecretString::from("my-client-secret"));
/// assert!(!format!("{credentials:?}").contains("my-client-secret"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    pub(crate) client_id: SecretString,
    pub(crate) client_secret: SecretString,
}

impl Credentials {
    /// Client id and client secret. They are checked (not empty, no whitespace) by
    /// [`ClientBuilder::build`].
    pub fn new(client_id: SecretString, client_secret: SecretString) -> Self {
        Credentials {
            client_id,
            client_secret,
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("client_id", &"***")
            .field("client_secret", &"***")
            .finish()
    }
}

/// A JataPay API client: cheap to clone (all clones share one connection pool and one token
/// cache), `Send` and `Sync`.
///
/// Build it with [`Client::builder`]. Every API call carries `Authorization: Bearer <token>`;
/// the token comes from the client-credentials exchange (fetched once, on first use, and shared
/// by all clones and concurrent calls) or from [`ClientBuilder::token`]. When the API answers
/// 401, the client fetches a new token once and repeats the rejected request once — HTTP defines
/// 401 as "the request has not been applied" (RFC 9110, 15.5.2), so this is safe even for
/// writes. JataPay documents no token lifetime, so the client never guesses one: a token is
/// replaced only after a 401. One token exchange is in flight at a time, its result shared by
/// every call waiting on it, and the configured deadline covers each call as a whole.
///
/// ```no_run
/// use jatapay::{Client, Credentials, SecretString};
///
/// # fn run() -> jatapay::Result<()> {
/// let client = Client::builder()
///     .credentials(Credentials::new(
///         SecretString::from(std::env::var("JATAPAY_CLIENT_ID").unwrap_or_default()),
///         SecretString::from(std::env::var("JATAPAY_CLIENT_SECRET").unwrap_or_default()),
///     ))
///     .build()?;
/// let same_pool_and_token = client.clone();
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: HttpClient,
    pub(crate) auth_base: Url,
    pub(crate) api_base: Url,
    pub(crate) gateway_base: Url,
    pub(crate) credentials: Option<Credentials>,
    /// The configured secrets (client id and secret, a supplied token), masked in every error.
    pub(crate) secrets: Vec<SecretString>,
    pub(crate) tokens: TokenCache,
}

impl Inner {
    /// The configured secrets, to mask in texts built from an answer.
    pub(crate) fn secret_texts(&self) -> Vec<&str> {
        self.secrets.iter().map(|s| s.expose_secret()).collect()
    }
}

impl Client {
    /// A builder with the production hosts and default HTTP settings.
    ///
    /// ```
    /// use jatapay::{Client, SecretString};
    /// let client = Client::builder().token(SecretString::from("a-token-you-already-have")).build()?;
    /// # Ok::<(), jatapay::Error>(())
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Subscriptions (`abbonamenti`): create one, read one back.
    ///
    /// ```no_run
    /// # async fn run(client: jatapay::Client) -> jatapay::Result<()> {
    /// let subscription = client.subscriptions().get(&jatapay::SubscriptionId::new("65b279426d2f219d702a7f69")).await?;
    /// # Ok(()) }
    /// ```
    pub fn subscriptions(&self) -> Subscriptions<'_> {
        Subscriptions { client: self }
    }

    /// One-off payments (`pagamenti`): create one.
    ///
    /// ```no_run
    /// # async fn run(client: jatapay::Client) -> jatapay::Result<()> {
    /// use jatapay::{Currency, GatewayRequest, Money};
    /// let request = GatewayRequest::new(Money::parse("20.00", Currency::EUR)?, "https://shop.example/return", "Order 42");
    /// let payment = client.payments().create(&request).await?;
    /// # Ok(()) }
    /// ```
    pub fn payments(&self) -> Payments<'_> {
        Payments { client: self }
    }

    /// Where to send the customer's browser to pay: `{gateway}/gateway/{id}`, by default
    /// `https://dashboard.jatapay.com/gateway/{id}`.
    ///
    /// JataPay documents this URL for subscriptions; that one-off payments use the same
    /// gateway path is inferred (the documentation pages share it), not documented.
    ///
    /// After paying, the customer is sent to the request's `callback_url` **with nothing that
    /// proves payment**: read the subscription back with
    /// [`Subscriptions::get`](crate::Subscriptions::get) to learn its state.
    ///
    /// ```
    /// use jatapay::{Client, SecretString, SubscriptionId};
    /// let client = Client::builder().token(SecretString::from("t0ken")).build()?;
    /// let url = client.gateway_url(&SubscriptionId::new("65b278baa103dca4496d968e"))?;
    /// assert_eq!(url.as_str(), "https://dashboard.jatapay.com/gateway/65b278baa103dca4496d968e");
    /// # Ok::<(), jatapay::Error>(())
    /// ```
    pub fn gateway_url(&self, id: &impl GatewayId) -> Result<Url> {
        let id = id.gateway_id();
        validate::path_id("id", id)?;
        Ok(validate::endpoint(
            &self.inner.gateway_base,
            &["gateway", id],
        ))
    }

    /// Exchanges the client credentials for a new token now and caches it for every clone,
    /// replacing any cached one. Calls do this by themselves when needed; use it to check the
    /// credentials at start-up.
    ///
    /// Fails with [`Error::InvalidRequest`] (field `credentials`) when the client was built with
    /// a token only.
    ///
    /// ```no_run
    /// # async fn run(client: jatapay::Client) -> jatapay::Result<()> {
    /// client.authenticate().await?;
    /// # Ok(()) }
    /// ```
    pub async fn authenticate(&self) -> Result<()> {
        if self.inner.credentials.is_none() {
            return Err(Error::invalid(
                "credentials",
                "no client credentials configured; the client was built with a token only",
            ));
        }
        crate::auth::refresh(self).await
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("auth_base_url", &self.inner.auth_base.as_str())
            .field("api_base_url", &self.inner.api_base.as_str())
            .field("gateway_base_url", &self.inner.gateway_base.as_str())
            .field(
                "credentials",
                &self.inner.credentials.as_ref().map(|_| "***"),
            )
            .field("http", &self.inner.http)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`]: credentials and/or a token, hosts, HTTP settings.
///
/// ```
/// use std::time::Duration;
/// use jatapay::{Client, Credentials, SecretString};
/// use jatapay::HttpConfig;
///
/// let client = Client::builder()
///     .credentials(Credentials::new(SecretString::from("id"), SecretString::from("secret")))
///     .api_base_url("http://127.0.0.1:8080")
///     .auth_base_url("http://127.0.0.1:8080")
///     .gateway_base_url("http://127.0.0.1:8080")
///     .http_config(HttpConfig::default().attempt_timeout(Duration::from_secs(10)))
///     .build()?;
/// # Ok::<(), jatapay::Error>(())
/// ```
#[derive(Default)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    token: Option<SecretString>,
    auth_base: Option<String>,
    api_base: Option<String>,
    gateway_base: Option<String>,
    http_config: Option<HttpConfig>,
}

impl ClientBuilder {
    /// The client id and secret to exchange for tokens (needed unless a [`token`](Self::token)
    /// is given; with both, the token is used first and the credentials replace it after a 401).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// A bearer token obtained elsewhere: the client uses it without calling the token
    /// endpoint. If the API refuses it (401) and no [`credentials`](Self::credentials) were
    /// given, calls fail with [`Error::Unauthorized`].
    pub fn token(mut self, token: SecretString) -> Self {
        self.token = Some(token);
        self
    }

    /// The authentication host (default [`DEFAULT_AUTH_BASE_URL`]). `https`, or plain `http`
    /// only to a loopback host (tests, the local sandbox).
    pub fn auth_base_url(mut self, url: impl Into<String>) -> Self {
        self.auth_base = Some(url.into());
        self
    }

    /// The API host (default [`DEFAULT_API_BASE_URL`]). `https`, or plain `http` only to a
    /// loopback host.
    pub fn api_base_url(mut self, url: impl Into<String>) -> Self {
        self.api_base = Some(url.into());
        self
    }

    /// The hosted gateway's host (default [`DEFAULT_GATEWAY_BASE_URL`]), used by
    /// [`Client::gateway_url`]. `https`, or plain `http` only to a loopback host.
    pub fn gateway_base_url(mut self, url: impl Into<String>) -> Self {
        self.gateway_base = Some(url.into());
        self
    }

    /// Timeouts, retries, body cap and user-agent suffix (default [`HttpConfig::default`]).
    pub fn http_config(mut self, config: HttpConfig) -> Self {
        self.http_config = Some(config);
        self
    }

    /// Checks everything and builds the client. Nothing is sent: the first token is fetched
    /// by the first call that needs one.
    ///
    /// Errors ([`Error::InvalidRequest`]): neither credentials nor a token (`credentials`); a
    /// credential or token that is empty or contains whitespace (`client_id`, `client_secret`,
    /// `token` — the message never contains the value); a host that is not `https` (or `http`
    /// to loopback), has a user name, a query or a fragment (`auth_base_url`, `api_base_url`,
    /// `gateway_base_url`).
    ///
    /// ```
    /// use jatapay::{Client, Credentials, SecretString};
    /// let err = Client::builder()
    ///     .credentials(Credentials::new(SecretString::from("id"), SecretString::from("sec ret")))
    ///     .build()
    ///     .unwrap_err();
    /// assert_eq!(err.invalid_field(), Some("client_secret"));
    /// assert!(Client::builder().build().is_err());
    /// ```
    pub fn build(self) -> Result<Client> {
        if self.credentials.is_none() && self.token.is_none() {
            return Err(Error::invalid(
                "credentials",
                "either client credentials or a token is required",
            ));
        }
        let mut redact = Vec::new();
        if let Some(credentials) = &self.credentials {
            validate::credential("client_id", &credentials.client_id)?;
            validate::credential("client_secret", &credentials.client_secret)?;
            redact.push(credentials.client_id.clone());
            redact.push(credentials.client_secret.clone());
            // The Basic pair as the token exchange sends it: a proxy page may reflect it.
            redact.push(payments_common::redact::basic_credentials(
                credentials.client_id.expose_secret(),
                &credentials.client_secret,
            ));
        }
        if let Some(token) = &self.token {
            validate::credential("token", token)?;
            redact.push(token.clone());
        }
        let auth_base = validate::base_url(
            "auth_base_url",
            self.auth_base.as_deref().unwrap_or(DEFAULT_AUTH_BASE_URL),
        )?;
        let api_base = validate::base_url(
            "api_base_url",
            self.api_base.as_deref().unwrap_or(DEFAULT_API_BASE_URL),
        )?;
        let gateway_base = validate::base_url(
            "gateway_base_url",
            self.gateway_base
                .as_deref()
                .unwrap_or(DEFAULT_GATEWAY_BASE_URL),
        )?;
        let user_agent = concat!("jatapay/", env!("CARGO_PKG_VERSION"));
        let http = HttpClient::new("jatapay", user_agent, self.http_config.unwrap_or_default())?
            .redact_in_errors(redact.clone());
        let tokens = TokenCache::new(self.token, &http, &redact);
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                auth_base,
                api_base,
                gateway_base,
                credentials: self.credentials,
                secrets: redact,
                tokens,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("auth_base_url", &self.auth_base)
            .field("api_base_url", &self.api_base)
            .field("gateway_base_url", &self.gateway_base)
            .field("http_config", &self.http_config)
            .finish()
    }
}

/// Exposes a credential only to build the Basic header of the token exchange.
pub(crate) fn client_id(credentials: &Credentials) -> &str {
    credentials.client_id.expose_secret()
}
