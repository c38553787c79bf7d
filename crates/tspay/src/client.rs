//! The client: credentials, environment, path style and the shared HTTP pipeline.

use std::fmt;
use std::sync::Arc;

use payments_common::http::{HttpClient, HttpConfig};
use payments_common::{SecretString, Url, validate};

use crate::Result;
use crate::charges::Charges;
use crate::ids::ItemId;
use crate::pay_link::PayLinks;
use crate::save_link::SaveLinks;

/// The product token this crate puts in the `User-Agent`.
const USER_AGENT: &str = concat!("tspay-rs/", env!("CARGO_PKG_VERSION"));

/// Where the TS Pay API lives.
///
/// TS Pay's documentation page gives **no base URL**. The two named hosts are the ones used by
/// the only public integration (a third-party WordPress plugin), whose own guide says they must
/// be confirmed in the technical contract with TS Pay: they are not confirmed by TS Pay. That is
/// why there is no default environment — the caller always chooses.
///
/// ```
/// use tspay::Environment;
/// assert_eq!(Environment::Staging.base_url()?.as_str(), "https://api-staging.tspay.app/");
/// let local = Environment::Custom("http://127.0.0.1:4010".parse()?);
/// assert_eq!(local.base_url()?.port(), Some(4010));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Environment {
    /// `https://api-staging.tspay.app`, the test host of the public integration (unconfirmed by
    /// TS Pay).
    Staging,
    /// `https://api.tspay.app`, the production host of the public integration (unconfirmed by
    /// TS Pay).
    Production,
    /// Any other base URL: the host named in your contract, a TS Digital gateway, the local
    /// sandbox. It must be `https` (plain `http` only to a loopback host) without user info,
    /// query or fragment.
    Custom(Url),
}

impl Environment {
    /// The validated base URL.
    ///
    /// ```
    /// use tspay::Environment;
    /// assert!(Environment::Custom("http://api.example.com".parse()?).base_url().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn base_url(&self) -> Result<Url> {
        let text = match self {
            Environment::Staging => "https://api-staging.tspay.app",
            Environment::Production => "https://api.tspay.app",
            Environment::Custom(url) => url.as_str(),
        };
        validate::base_url("base_url", text)
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
    pub(crate) fn validate(&self) -> Result<()> {
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
/// use tspay::{Client, Environment, SecretString};
///
/// let client = Client::builder(SecretString::from("api-key"), Environment::Staging)
///     .item_id("company-42") // documented `/{itemId}/…` routes; omit for `/orders/…`
///     .build()?;
/// # Ok::<(), tspay::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    api_key: SecretString,
    base_url: Url,
    path_style: PathStyle,
    http: HttpClient,
}

impl Client {
    /// Starts a builder with the API key (sent as `Authorization: Bearer <api key>`; a TS
    /// Digital TSID token works the same way) and the environment to call.
    ///
    /// ```
    /// use tspay::{Client, Environment, SecretString};
    /// let client = Client::builder(SecretString::from("k"), Environment::Production).build()?;
    /// assert_eq!(client.base_url().as_str(), "https://api.tspay.app/");
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn builder(api_key: SecretString, environment: Environment) -> ClientBuilder {
        ClientBuilder {
            api_key,
            environment,
            path_style: PathStyle::default(),
            http: HttpConfig::default(),
        }
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
    /// # use tspay::{Client, Environment, SecretString};
    /// let client = Client::builder(SecretString::from("k"), Environment::Staging).build()?;
    /// assert_eq!(client.base_url().host_str(), Some("api-staging.tspay.app"));
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The client's path style (each call may override it).
    ///
    /// ```
    /// # use tspay::{Client, Environment, PathStyle, SecretString};
    /// let client = Client::builder(SecretString::from("k"), Environment::Staging).build()?;
    /// assert_eq!(client.path_style(), &PathStyle::Direct);
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn path_style(&self) -> &PathStyle {
        &self.inner.path_style
    }

    pub(crate) fn http(&self) -> &HttpClient {
        &self.inner.http
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
            .field("http", &self.inner.http)
            .finish()
    }
}

/// Builds a [`Client`]; see [`Client::builder`].
#[derive(Clone)]
pub struct ClientBuilder {
    api_key: SecretString,
    environment: Environment,
    path_style: PathStyle,
    http: HttpConfig,
}

impl ClientBuilder {
    /// Uses the documented `/{itemId}/…` routes with this item id
    /// ([`PathStyle::Gateway`]).
    ///
    /// ```
    /// # use tspay::{Client, Environment, PathStyle, SecretString};
    /// let client = Client::builder(SecretString::from("k"), Environment::Staging).item_id("it-1").build()?;
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
    /// # use tspay::{Client, Environment, PathStyle, SecretString};
    /// let b = Client::builder(SecretString::from("k"), Environment::Staging).path_style(PathStyle::Direct);
    /// # let _ = b;
    /// ```
    pub fn path_style(mut self, style: PathStyle) -> Self {
        self.path_style = style;
        self
    }

    /// Timeouts, retries and the body cap of the HTTP pipeline.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use tspay::{Client, Environment, SecretString};
    /// use tspay::HttpConfig;
    /// let client = Client::builder(SecretString::from("k"), Environment::Staging)
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
    /// Fails with [`Error::InvalidRequest`](crate::Error::InvalidRequest) for an empty API key or one containing whitespace
    /// (the message never contains the key), an unsafe base URL, or a malformed item id.
    ///
    /// ```
    /// # use tspay::{Client, Environment, SecretString};
    /// let err = Client::builder(SecretString::from("key\n"), Environment::Staging).build().unwrap_err();
    /// assert_eq!(err.invalid_field(), Some("api_key"));
    /// ```
    pub fn build(self) -> Result<Client> {
        validate::credential("api_key", &self.api_key)?;
        let base_url = self.environment.base_url()?;
        self.path_style.validate()?;
        let http = HttpClient::new("tspay", USER_AGENT, self.http)?
            .redact_in_errors(vec![self.api_key.clone()]);
        Ok(Client {
            inner: Arc::new(Inner {
                api_key: self.api_key,
                base_url,
                path_style: self.path_style,
                http,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &"[REDACTED]")
            .field("environment", &self.environment)
            .field("path_style", &self.path_style)
            .field("http", &self.http)
            .finish()
    }
}

/// The path style of one call: the client's, unless overridden.
pub(crate) fn resolve_style<'a>(
    client: &'a Client,
    overridden: Option<&'a PathStyle>,
) -> Result<&'a PathStyle> {
    let style = overridden.unwrap_or(client.path_style());
    style.validate()?;
    Ok(style)
}

// The client is shared across tasks.
const _: () = {
    const fn check<T: Send + Sync + Clone>() {}
    check::<Client>();
};
