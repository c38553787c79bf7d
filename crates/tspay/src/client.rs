//! The client: credentials, environment, path style and the shared HTTP pipeline.

use std::fmt;
use std::sync::Arc;

use payments_common::http::{HttpClient, HttpConfig, RequestOptions, ResponseMeta};
use payments_common::{SecretString, Url, validate};

use crate::charges::Charges;
use crate::error::KResult;
use crate::ids::ItemId;
use crate::pay_link::PayLinks;
use crate::save_link::SaveLinks;
use crate::{Error, Result};

/// The product token this crate puts in the `User-Agent`.
pub(crate) const USER_AGENT: &str = concat!("tspay-rs/", env!("CARGO_PKG_VERSION"));

/// Which TS Pay host set the client calls. The default is [`Environment::Sandbox`]: going live
/// is one deliberate line, `.environment(Environment::Production)`.
///
/// TS Pay's documentation page gives **no base URL**. The two hosts are the ones the only
/// public integration (a third-party WordPress plugin) uses; its own guide says they must be
/// confirmed in the technical contract with TS Pay, so they are inferred, not documented. For
/// any other host (the one in your contract, a TS Digital gateway, the local sandbox) use
/// [`ClientBuilder::base_url`].
///
/// ```
/// use tspay::Environment;
/// assert_eq!(Environment::default(), Environment::Sandbox);
/// assert_eq!(Environment::Sandbox.base_url(), "https://api-staging.tspay.app");
/// assert_eq!(Environment::Production.base_url(), "https://api.tspay.app");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Environment {
    /// `https://api-staging.tspay.app`, the test host of the public integration (inferred;
    /// unconfirmed by TS Pay). The default.
    #[default]
    Sandbox,
    /// `https://api.tspay.app`, the production host of the public integration (inferred;
    /// unconfirmed by TS Pay).
    Production,
}

impl Environment {
    /// The environment's base URL.
    ///
    /// ```
    /// assert!(tspay::Environment::Production.base_url().starts_with("https://"));
    /// ```
    pub fn base_url(self) -> &'static str {
        match self {
            Environment::Sandbox => "https://api-staging.tspay.app",
            Environment::Production => "https://api.tspay.app",
        }
    }
}

/// What TS Pay issued to call its API: the API key (sent as `Authorization: Bearer <api key>`;
/// a TS Digital TSID token works the same way). The key is a secret: it never appears in
/// `Debug`, `Display` or errors.
///
/// ```
/// let credentials = tspay::Credentials::new("sk_live_key");
/// assert!(!format!("{credentials:?}").contains("sk_live_key"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    api_key: SecretString,
}

impl Credentials {
    /// Credentials made of an API key.
    ///
    /// ```
    /// let credentials = tspay::Credentials::new(tspay::SecretString::from("k"));
    /// # let _ = credentials;
    /// ```
    pub fn new(api_key: impl Into<SecretString>) -> Self {
        Credentials {
            api_key: api_key.into(),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("api_key", &"[REDACTED]")
            .finish()
    }
}

/// Which generation of routes the client calls.
///
/// The documentation page (TS Digital "tspay-gateway" book) prefixes every route with an
/// `{itemId}`: `/{itemId}/link2pay`, `/{itemId}/link2save`, `/{itemId}/charges/orders/{orderKey}`.
/// The public integration calls routes without it: `/orders/link2pay` and
/// `/charges/orders/{orderKey}`. How the two map onto each other is not documented.
///
/// ```
/// use tspay::{ItemId, PathStyle};
/// let gateway = PathStyle::Gateway { item_id: ItemId::new("company-42") };
/// assert_ne!(gateway, PathStyle::Direct);
/// assert_eq!(PathStyle::default(), PathStyle::Direct);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum PathStyle {
    /// The documentation page's routes, under `/{itemId}/…`. The item id is, by inference, a
    /// TS Digital resource id (a company or a document); the page does not say.
    Gateway {
        /// The `{itemId}` path prefix.
        item_id: ItemId,
    },
    /// The routes of the public integration: `/orders/link2pay`, `/charges/orders/{orderKey}`,
    /// and — by analogy only, no public source shows it — `/orders/link2save`. The default,
    /// because it matches the named [`Environment`] hosts.
    #[default]
    Direct,
}

/// The routes of the API.
pub(crate) enum Route<'a> {
    PayLink,
    SaveLink,
    ChargesOfOrder(&'a str),
}

impl PathStyle {
    pub(crate) fn validate(&self) -> KResult<()> {
        match self {
            PathStyle::Gateway { item_id } => validate::path_id("itemId", item_id.as_str()),
            PathStyle::Direct => Ok(()),
        }
    }

    pub(crate) fn url(&self, base: &Url, route: Route<'_>) -> Url {
        let mut segments: Vec<&str> = Vec::with_capacity(4);
        match self {
            PathStyle::Gateway { item_id } => {
                segments.push(item_id.as_str());
                match route {
                    Route::PayLink => segments.push("link2pay"),
                    Route::SaveLink => segments.push("link2save"),
                    Route::ChargesOfOrder(key) => segments.extend(["charges", "orders", key]),
                }
            }
            PathStyle::Direct => match route {
                Route::PayLink => segments.extend(["orders", "link2pay"]),
                Route::SaveLink => segments.extend(["orders", "link2save"]),
                Route::ChargesOfOrder(key) => segments.extend(["charges", "orders", key]),
            },
        }
        validate::endpoint(base, &segments)
    }
}

/// A TS Pay client. Cheap to clone: clones share one connection pool.
///
/// ```no_run
/// use tspay::{Client, Credentials, Environment};
///
/// let client = Client::builder(Credentials::new("api-key"))
///     .environment(Environment::Production) // default: Environment::Sandbox
///     .item_id("company-42") // documented `/{itemId}/…` routes; omit for `/orders/…`
///     .build()?;
/// # Ok::<(), tspay::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    http: HttpClient,
}

struct Inner {
    api_key: SecretString,
    base_url: Url,
    path_style: PathStyle,
}

impl Client {
    /// Starts a builder with the credentials (the API key). The environment defaults to
    /// [`Environment::Sandbox`].
    ///
    /// ```
    /// use tspay::{Client, Credentials, Environment};
    /// let client = Client::builder(Credentials::new("k")).environment(Environment::Production).build()?;
    /// assert_eq!(client.base_url().as_str(), "https://api.tspay.app/");
    /// let sandbox = Client::builder(Credentials::new("k")).build()?;
    /// assert_eq!(sandbox.base_url().as_str(), "https://api-staging.tspay.app/");
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            api_key: credentials.api_key,
            environment: Environment::default(),
            base_url: None,
            path_style: PathStyle::default(),
            http: HttpConfig::default(),
        }
    }

    /// A handle on the same client (same connection pool, same credentials) whose calls apply
    /// `options`: deadline, attempt timeout, retry policy, extra headers. TS Pay documents no
    /// idempotency key, so an idempotency key in `options` makes every write through the
    /// handle fail with [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) on
    /// `idempotency_key`, nothing sent.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use tspay::{OrderKey, RequestOptions};
    /// # async fn run(client: tspay::Client) -> tspay::Result<()> {
    /// let quick = client.with_options(RequestOptions::new().deadline(Duration::from_secs(5)));
    /// let charges = quick.charges().of_order(&OrderKey::new("ok_1")).await?;
    /// println!("request id: {:?}", quick.last_response().and_then(|m| m.request_id().map(str::to_owned)));
    /// # Ok(()) }
    /// ```
    pub fn with_options(&self, options: RequestOptions) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            http: self.http.with_options(options),
        }
    }

    /// The status, request id and attempt count of the last response a call through this
    /// handle received, on success too (each [`Client::with_options`] handle keeps its own).
    ///
    /// ```
    /// let client = tspay::Client::builder(tspay::Credentials::new("k")).build()?;
    /// assert!(client.last_response().is_none());
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn last_response(&self) -> Option<ResponseMeta> {
        self.http.last_response()
    }

    /// Pay links (`link2pay`).
    ///
    /// ```no_run
    /// # async fn run(client: tspay::Client, request: tspay::PayLinkRequest) -> tspay::Result<()> {
    /// let link = client.pay_links().create(&request).await?;
    /// # Ok(()) }
    /// ```
    pub fn pay_links(&self) -> PayLinks<'_> {
        PayLinks::new(self)
    }

    /// Links to save a payment source for future debits (`link2save`).
    ///
    /// ```no_run
    /// # async fn run(client: tspay::Client, request: tspay::SaveLinkRequest) -> tspay::Result<()> {
    /// let link = client.save_links().create(&request).await?;
    /// # Ok(()) }
    /// ```
    pub fn save_links(&self) -> SaveLinks<'_> {
        SaveLinks::new(self)
    }

    /// The charges of an order: the payment outcome.
    ///
    /// ```no_run
    /// # async fn run(client: tspay::Client) -> tspay::Result<()> {
    /// let charges = client.charges().of_order(&tspay::OrderKey::new("ok_1")).await?;
    /// println!("{:?}", charges.outcome());
    /// # Ok(()) }
    /// ```
    pub fn charges(&self) -> Charges<'_> {
        Charges::new(self)
    }

    /// The base URL every route is appended to.
    ///
    /// ```
    /// # use tspay::{Client, Credentials};
    /// let client = Client::builder(Credentials::new("k")).build()?;
    /// assert_eq!(client.base_url().host_str(), Some("api-staging.tspay.app"));
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The client's path style (each call may override it).
    ///
    /// ```
    /// # use tspay::{Client, Credentials, PathStyle};
    /// let client = Client::builder(Credentials::new("k")).build()?;
    /// assert_eq!(client.path_style(), &PathStyle::Direct);
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn path_style(&self) -> &PathStyle {
        &self.inner.path_style
    }

    pub(crate) fn http(&self) -> &HttpClient {
        &self.http
    }

    pub(crate) fn api_key(&self) -> &SecretString {
        &self.inner.api_key
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api_key", &"[REDACTED]")
            .field("base_url", &self.inner.base_url.as_str())
            .field("path_style", &self.inner.path_style)
            .field("http", &self.http)
            .finish()
    }
}

/// Builds a [`Client`]; see [`Client::builder`].
#[derive(Clone)]
pub struct ClientBuilder {
    api_key: SecretString,
    environment: Environment,
    base_url: Option<String>,
    path_style: PathStyle,
    http: HttpConfig,
}

impl ClientBuilder {
    /// The host set to call (default [`Environment::Sandbox`]).
    ///
    /// ```
    /// # use tspay::{Client, Credentials, Environment};
    /// let client = Client::builder(Credentials::new("k")).environment(Environment::Production).build()?;
    /// assert_eq!(client.base_url().host_str(), Some("api.tspay.app"));
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Calls this base URL instead of the environment's: the host named in your contract, a
    /// TS Digital gateway, the local sandbox. Checked by [`ClientBuilder::build`]: `https`
    /// (plain `http` only to a loopback host), no user info, query or fragment; a bad value is
    /// [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) on `base_url`.
    ///
    /// ```
    /// # use tspay::{Client, Credentials};
    /// let client = Client::builder(Credentials::new("k")).base_url("http://127.0.0.1:4010/tspay").build()?;
    /// assert_eq!(client.base_url().port(), Some(4010));
    /// let err = Client::builder(Credentials::new("k")).base_url("http://api.example.com").build().unwrap_err();
    /// assert_eq!(err.invalid_field(), Some("base_url"));
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Uses the documented `/{itemId}/…` routes with this item id
    /// ([`PathStyle::Gateway`]).
    ///
    /// ```
    /// # use tspay::{Client, Credentials, PathStyle};
    /// let client = Client::builder(Credentials::new("k")).item_id("it-1").build()?;
    /// assert!(matches!(client.path_style(), PathStyle::Gateway { .. }));
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn item_id(mut self, item_id: impl Into<ItemId>) -> Self {
        self.path_style = PathStyle::Gateway {
            item_id: item_id.into(),
        };
        self
    }

    /// Sets the path style explicitly.
    ///
    /// ```
    /// # use tspay::{Client, Credentials, PathStyle};
    /// let b = Client::builder(Credentials::new("k")).path_style(PathStyle::Direct);
    /// # let _ = b;
    /// ```
    pub fn path_style(mut self, style: PathStyle) -> Self {
        self.path_style = style;
        self
    }

    /// Timeouts, retries, the body cap and your own reqwest settings
    /// ([`HttpConfig::configure_reqwest`]) of the HTTP pipeline.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use tspay::{Client, Credentials};
    /// use tspay::HttpConfig;
    /// let client = Client::builder(Credentials::new("k"))
    ///     .http_config(HttpConfig::default().attempt_timeout(Duration::from_secs(10)))
    ///     .build()?;
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn http_config(mut self, config: HttpConfig) -> Self {
        self.http = config;
        self
    }

    /// Validates the settings and builds the client (one pooled HTTP client, shared by clones).
    ///
    /// Fails (operation `"client.build"`) with
    /// [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) for an empty API key or
    /// one containing whitespace (the message never contains the key), an unsafe base URL, or a
    /// malformed item id.
    ///
    /// ```
    /// # use tspay::{Client, Credentials};
    /// let err = Client::builder(Credentials::new("key\n")).build().unwrap_err();
    /// assert_eq!(err.invalid_field(), Some("api_key"));
    /// assert_eq!(err.operation(), "client.build");
    /// ```
    pub fn build(self) -> Result<Client> {
        self.try_build().map_err(Error::at("client.build"))
    }

    fn try_build(self) -> KResult<Client> {
        validate::credential("api_key", &self.api_key)?;
        let base_url = validate::base_url(
            "base_url",
            self.base_url
                .as_deref()
                .unwrap_or(self.environment.base_url()),
        )?;
        self.path_style.validate()?;
        let http = HttpClient::new("tspay", USER_AGENT, self.http)?
            .redact_in_errors(vec![self.api_key.clone()]);
        Ok(Client {
            inner: Arc::new(Inner {
                api_key: self.api_key,
                base_url,
                path_style: self.path_style,
            }),
            http,
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &"[REDACTED]")
            .field("environment", &self.environment)
            .field("base_url", &self.base_url)
            .field("path_style", &self.path_style)
            .field("http", &self.http)
            .finish()
    }
}

/// The path style of one call: the client's, unless overridden.
pub(crate) fn resolve_style<'a>(
    client: &'a Client,
    overridden: Option<&'a PathStyle>,
) -> KResult<&'a PathStyle> {
    let style = overridden.unwrap_or(client.path_style());
    style.validate()?;
    Ok(style)
}

// The client is shared across tasks.
const _: () = {
    const fn check<T: Send + Sync + Clone>() {}
    check::<Client>();
};
