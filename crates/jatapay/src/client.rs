//! The client, its builder and the credentials.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use payments_common::http::{HttpClient, HttpConfig, RequestOptions, ResponseMeta};
use payments_common::{ErrorKind, ExposeSecret, SecretString, Url, validate};

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

/// What the client authenticates with: client credentials from the "Sviluppatori"
/// (developers) section of the JataPay dashboard, exchanged for a bearer token at
/// `POST {auth}/token`, and/or a bearer token obtained elsewhere.
///
/// - [`Credentials::new`]: the client id and secret; the client fetches a token on first use
///   and again after a 401.
/// - [`Credentials::token`]: a token only; the client never calls the token endpoint, and a
///   401 is final.
/// - [`Credentials::with_token`]: both; the token is used first and the client credentials
///   replace it after a 401.
///
/// Every value is a [`SecretString`]; `Debug` never shows one.
///
/// ```
/// use jatapay::{Credentials, SecretString};
///
/// let credentials = Credentials::new(SecretString::from("my-client-id"), SecretString::from("my-client-secret"));
/// assert!(!format!("{credentials:?}").contains("my-client-secret"));
/// let token_only = Credentials::token(SecretString::from("a-token-you-already-have"));
/// assert!(!format!("{token_only:?}").contains("a-token"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    pub(crate) exchange: Option<ClientCredentials>,
    pub(crate) token: Option<SecretString>,
}

/// The client id and secret of the token exchange.
#[derive(Clone)]
pub(crate) struct ClientCredentials {
    pub(crate) client_id: SecretString,
    pub(crate) client_secret: SecretString,
}

impl Credentials {
    /// Client id and client secret, exchanged for a token when one is needed. They are
    /// checked (not empty, no whitespace) by [`ClientBuilder::build`].
    ///
    /// ```
    /// use jatapay::{Client, Credentials, SecretString};
    /// let client = Client::builder(Credentials::new(SecretString::from("id"), SecretString::from("secret"))).build()?;
    /// # Ok::<(), jatapay::Error>(())
    /// ```
    pub fn new(client_id: SecretString, client_secret: SecretString) -> Self {
        Credentials {
            exchange: Some(ClientCredentials {
                client_id,
                client_secret,
            }),
            token: None,
        }
    }

    /// A bearer token obtained elsewhere, used as it is: the client never calls the token
    /// endpoint, and when the API refuses the token (401) calls fail with
    /// [`ErrorKind::Unauthorized`](crate::ErrorKind::Unauthorized).
    ///
    /// ```
    /// use jatapay::{Client, Credentials, SecretString};
    /// let client = Client::builder(Credentials::token(SecretString::from("t0ken"))).build()?;
    /// # Ok::<(), jatapay::Error>(())
    /// ```
    pub fn token(token: SecretString) -> Self {
        Credentials {
            exchange: None,
            token: Some(token),
        }
    }

    /// Adds a token to use first (for example one cached from a previous run); the client
    /// credentials replace it after a 401. On credentials made with [`Credentials::token`],
    /// replaces the token.
    ///
    /// ```
    /// use jatapay::{Client, Credentials, SecretString};
    /// let credentials = Credentials::new(SecretString::from("id"), SecretString::from("secret"))
    ///     .with_token(SecretString::from("cached-token"));
    /// let client = Client::builder(credentials).build()?;
    /// # Ok::<(), jatapay::Error>(())
    /// ```
    pub fn with_token(mut self, token: SecretString) -> Self {
        self.token = Some(token);
        self
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("client_id", &self.exchange.as_ref().map(|_| "***"))
            .field("client_secret", &self.exchange.as_ref().map(|_| "***"))
            .field("token", &self.token.as_ref().map(|_| "***"))
            .finish()
    }
}

/// A JataPay API client: cheap to clone (all clones share one connection pool and one token
/// cache), `Send` and `Sync`.
///
/// Build it with [`Client::builder`]. Every API call carries `Authorization: Bearer <token>`;
/// the token comes from the client-credentials exchange (fetched once, on first use, and shared
/// by all clones, handles and concurrent calls) or from [`Credentials::token`]. When the API
/// answers 401, the client fetches a new token once and repeats the rejected request once —
/// HTTP defines 401 as "the request has not been applied" (RFC 9110, 15.5.2), so this is safe
/// even for writes. JataPay documents no token lifetime, so the client never guesses one: a
/// token is replaced only after a 401. One token exchange is in flight at a time, its result
/// shared by every call waiting on it, and the configured deadline covers each call as a whole.
///
/// JataPay runs one set of hosts (no separate sandbox host is documented; test or live is
/// decided by the credentials), so the builder has no `environment`.
///
/// ```no_run
/// use jatapay::{Client, Credentials, SecretString};
///
/// # fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Client::builder(Credentials::new(
///     SecretString::from(std::env::var("JATAPAY_CLIENT_ID")?),
///     SecretString::from(std::env::var("JATAPAY_CLIENT_SECRET")?),
/// ))
/// .build()?;
/// let same_pool_and_token = client.clone();
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
    /// This handle's pipeline: the client's, or one with per-call options
    /// ([`Client::with_options`]) on the same pool.
    pub(crate) http: HttpClient,
    /// The overall deadline of each call made through this handle.
    pub(crate) deadline: Duration,
    /// Whether this handle carries an idempotency key (JataPay keys no write).
    pub(crate) keyed: bool,
}

pub(crate) struct Inner {
    pub(crate) auth_base: Url,
    pub(crate) api_base: Url,
    pub(crate) gateway_base: Url,
    pub(crate) credentials: Option<ClientCredentials>,
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
    /// A builder with `credentials`, the production hosts and default HTTP settings.
    ///
    /// ```
    /// use jatapay::{Client, Credentials, SecretString};
    /// let client = Client::builder(Credentials::token(SecretString::from("a-token-you-already-have"))).build()?;
    /// # Ok::<(), jatapay::Error>(())
    /// ```
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            auth_base: None,
            api_base: None,
            gateway_base: None,
            http_config: None,
        }
    }

    /// A handle on the same client (same connection pool, credentials and token cache) whose
    /// calls apply `options`: deadline and per-attempt timeout, retry policy, extra headers.
    /// The options apply to the API call and to a token exchange it starts (an exchange
    /// already in flight, started by another call, is shared as it is).
    ///
    /// JataPay honours no idempotency key: a handle with
    /// [`RequestOptions::idempotency_key`] refuses every create with
    /// [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) (field
    /// `idempotency_key`) before anything is sent. Reads ignore it.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use jatapay::{RequestOptions, SubscriptionId};
    /// # async fn run(client: jatapay::Client) -> jatapay::Result<()> {
    /// let quick = client.with_options(
    ///     RequestOptions::new()
    ///         .deadline(Duration::from_secs(5))
    ///         .header("x-correlation-id", "order-42"),
    /// );
    /// let subscription = quick.subscriptions().get(&SubscriptionId::new("65b279426d2f219d702a7f69")).await?;
    /// println!("{:?}", quick.last_response().and_then(|r| r.request_id().map(str::to_owned)));
    /// # Ok(()) }
    /// ```
    pub fn with_options(&self, options: RequestOptions) -> Client {
        let deadline = options.get_deadline().unwrap_or(self.deadline);
        let keyed = options.get_idempotency_key().is_some();
        Client {
            inner: self.inner.clone(),
            http: self.http.with_options(options),
            deadline,
            keyed,
        }
    }

    /// The status, request id and attempt count of the last response a call through this
    /// handle received, on success too (each [`with_options`](Self::with_options) handle has
    /// its own record; clones of a handle share it).
    ///
    /// ```no_run
    /// # async fn run(client: jatapay::Client) -> jatapay::Result<()> {
    /// let handle = client.with_options(jatapay::RequestOptions::new());
    /// handle.authenticate().await?;
    /// let meta = handle.last_response().expect("the exchange answered");
    /// assert!(meta.status().is_success());
    /// # Ok(()) }
    /// ```
    pub fn last_response(&self) -> Option<ResponseMeta> {
        self.http.last_response()
    }

    /// Subscriptions (`abbonamenti`): create one, read one back, confirm one for an order.
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
    /// # async fn run(client: jatapay::Client) -> Result<(), Box<dyn std::error::Error>> {
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
    /// proves payment**: confirm the subscription with
    /// [`Subscriptions::confirm`](crate::Subscriptions::confirm).
    ///
    /// Errors (operation `gateway.url`): an id that fails
    /// [`validate::path_id`](payments_common::validate::path_id), naming `id`.
    ///
    /// ```
    /// use jatapay::{Client, Credentials, SecretString, SubscriptionId};
    /// let client = Client::builder(Credentials::token(SecretString::from("t0ken"))).build()?;
    /// let url = client.gateway_url(&SubscriptionId::new("65b278baa103dca4496d968e"))?;
    /// assert_eq!(url.as_str(), "https://dashboard.jatapay.com/gateway/65b278baa103dca4496d968e");
    /// let err = client.gateway_url(&SubscriptionId::new("../admin")).unwrap_err();
    /// assert_eq!((err.operation(), err.invalid_field()), ("gateway.url", Some("id")));
    /// # Ok::<(), jatapay::Error>(())
    /// ```
    pub fn gateway_url(&self, id: &impl GatewayId) -> Result<Url> {
        let id = id.gateway_id();
        validate::path_id("id", id).map_err(Error::at("gateway.url"))?;
        Ok(validate::endpoint(
            &self.inner.gateway_base,
            &["gateway", id],
        ))
    }

    /// Exchanges the client credentials for a new token now and caches it for every clone,
    /// replacing any cached one. Calls do this by themselves when needed; use it to check the
    /// credentials at start-up.
    ///
    /// Errors (operation `token.create`): [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest)
    /// (field `credentials`) when the client was built with a token only; otherwise those of
    /// the exchange.
    ///
    /// ```no_run
    /// # async fn run(client: jatapay::Client) -> jatapay::Result<()> {
    /// client.authenticate().await?;
    /// # Ok(()) }
    /// ```
    pub async fn authenticate(&self) -> Result<()> {
        let op = Error::at("token.create");
        if self.inner.credentials.is_none() {
            return Err(op(ErrorKind::invalid(
                "credentials",
                "no client credentials configured; the client was built with a token only",
            )));
        }
        crate::auth::refresh(self).await.map_err(op)
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
            .field("http", &self.http)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`]: hosts and HTTP settings on top of the credentials given to
/// [`Client::builder`].
///
/// ```
/// use std::time::Duration;
/// use jatapay::{Client, Credentials, HttpConfig, SecretString};
///
/// let client = Client::builder(Credentials::new(SecretString::from("id"), SecretString::from("secret")))
///     .api_base_url("http://127.0.0.1:8080")
///     .auth_base_url("http://127.0.0.1:8080")
///     .gateway_base_url("http://127.0.0.1:8080")
///     .http_config(HttpConfig::default().attempt_timeout(Duration::from_secs(10)))
///     .build()?;
/// # Ok::<(), jatapay::Error>(())
/// ```
pub struct ClientBuilder {
    credentials: Credentials,
    auth_base: Option<String>,
    api_base: Option<String>,
    gateway_base: Option<String>,
    http_config: Option<HttpConfig>,
}

impl ClientBuilder {
    /// The authentication host (default [`DEFAULT_AUTH_BASE_URL`]). `https`, or plain `http`
    /// only to a loopback host (tests, the local sandbox).
    ///
    /// ```
    /// # use jatapay::{Client, Credentials, SecretString};
    /// let builder = Client::builder(Credentials::token(SecretString::from("t"))).auth_base_url("https://auth.example");
    /// ```
    pub fn auth_base_url(mut self, url: impl Into<String>) -> Self {
        self.auth_base = Some(url.into());
        self
    }

    /// The API host (default [`DEFAULT_API_BASE_URL`]). `https`, or plain `http` only to a
    /// loopback host.
    ///
    /// ```
    /// # use jatapay::{Client, Credentials, SecretString};
    /// let builder = Client::builder(Credentials::token(SecretString::from("t"))).api_base_url("https://api.example");
    /// ```
    pub fn api_base_url(mut self, url: impl Into<String>) -> Self {
        self.api_base = Some(url.into());
        self
    }

    /// The hosted gateway's host (default [`DEFAULT_GATEWAY_BASE_URL`]), used by
    /// [`Client::gateway_url`]. `https`, or plain `http` only to a loopback host.
    ///
    /// ```
    /// # use jatapay::{Client, Credentials, SecretString};
    /// let builder = Client::builder(Credentials::token(SecretString::from("t"))).gateway_base_url("https://pay.example");
    /// ```
    pub fn gateway_base_url(mut self, url: impl Into<String>) -> Self {
        self.gateway_base = Some(url.into());
        self
    }

    /// Timeouts, retries, body cap, user-agent suffix and your own reqwest settings
    /// ([`HttpConfig::configure_reqwest`]) (default [`HttpConfig::default`]).
    ///
    /// ```
    /// # use jatapay::{Client, Credentials, HttpConfig, SecretString};
    /// use std::time::Duration;
    /// let builder = Client::builder(Credentials::token(SecretString::from("t")))
    ///     .http_config(HttpConfig::default().deadline(Duration::from_secs(20)));
    /// ```
    pub fn http_config(mut self, config: HttpConfig) -> Self {
        self.http_config = Some(config);
        self
    }

    /// Checks everything and builds the client. Nothing is sent: the first token is fetched
    /// by the first call that needs one.
    ///
    /// Errors (operation `client.build`, [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest)):
    /// a credential or token that is empty or contains whitespace (`client_id`,
    /// `client_secret`, `token` — the message never contains the value); a host that is not
    /// `https` (or `http` to loopback), has a user name, a query or a fragment
    /// (`auth_base_url`, `api_base_url`, `gateway_base_url`); invalid HTTP settings.
    ///
    /// ```
    /// use jatapay::{Client, Credentials, SecretString};
    /// let err = Client::builder(Credentials::new(SecretString::from("id"), SecretString::from("sec ret")))
    ///     .build()
    ///     .unwrap_err();
    /// assert_eq!(err.invalid_field(), Some("client_secret"));
    /// assert_eq!(err.operation(), "client.build");
    /// ```
    pub fn build(self) -> Result<Client> {
        self.build_kind().map_err(Error::at("client.build"))
    }

    fn build_kind(self) -> std::result::Result<Client, ErrorKind> {
        let Credentials { exchange, token } = self.credentials;
        let mut redact = Vec::new();
        if let Some(credentials) = &exchange {
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
        if let Some(token) = &token {
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
        let deadline = http.config().get_deadline();
        let tokens = TokenCache::new(token, &redact);
        Ok(Client {
            inner: Arc::new(Inner {
                auth_base,
                api_base,
                gateway_base,
                credentials: exchange,
                secrets: redact,
                tokens,
            }),
            http,
            deadline,
            keyed: false,
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("auth_base_url", &self.auth_base)
            .field("api_base_url", &self.api_base)
            .field("gateway_base_url", &self.gateway_base)
            .field("http_config", &self.http_config)
            .finish()
    }
}

/// Exposes a credential only to build the Basic header of the token exchange.
pub(crate) fn client_id(credentials: &ClientCredentials) -> &str {
    credentials.client_id.expose_secret()
}

#[cfg(test)]
mod tests {
    use super::*;
    use payments_common::StatusCode;
    use payments_common::http::Response;

    /// The configured secrets mask an answer's text on their own (the token endpoint's errors
    /// are built with them, before the pipeline's masking).
    #[test]
    fn the_configured_secrets_mask_answer_texts() {
        let credentials = Credentials::new(
            SecretString::from("client-id-4f2a9c"),
            SecretString::from("client-secret-8d1e7b"),
        )
        .with_token(SecretString::from("cached-token-91b2d4"));
        let client = Client::builder(credentials).build().unwrap();
        let response = Response::for_tests(
            StatusCode::UNAUTHORIZED,
            "application/json",
            br#"{"msg":"bad client-id-4f2a9c:client-secret-8d1e7b, old cached-token-91b2d4"}"#,
        );

        let error = crate::error::from_response(&response, &client.inner.secret_texts());
        let text = format!("{error:?} {error}");

        assert!(text.contains("bad"), "the message is kept: {text}");
        for secret in [
            "client-id-4f2a9c",
            "client-secret-8d1e7b",
            "cached-token-91b2d4",
        ] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
    }
}
