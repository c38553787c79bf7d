//! Timeouts, limits and retry settings of an [`HttpClient`](super::HttpClient).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::RetryPolicy;

/// A customisation of the underlying [`reqwest::ClientBuilder`] (see
/// [`HttpConfig::configure_reqwest`]).
pub type ReqwestCustomizer =
    Arc<dyn Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync>;

/// Settings of the HTTP pipeline. Every provider's `ClientBuilder` exposes them.
///
/// Defaults: connect timeout 10 s, per-attempt timeout 30 s (covering the whole body), overall
/// deadline 60 s across all attempts and backoffs, body cap 4 MiB, [`RetryPolicy::default`].
///
/// No value panics: a timeout above [`HttpConfig::MAX_TIMEOUT`] (24 hours; `Duration::MAX`
/// included) is taken as that maximum, and a zero timeout is refused by
/// [`HttpClient::new`](super::HttpClient::new) with [`Error::InvalidRequest`](crate::Error::InvalidRequest)
/// naming it (a call could never succeed).
///
/// ```
/// use std::time::Duration;
/// use payments_common::http::{HttpConfig, RetryPolicy};
///
/// let config = HttpConfig::default()
///     .connect_timeout(Duration::from_secs(2))
///     .attempt_timeout(Duration::from_secs(10))
///     .deadline(Duration::from_secs(20))
///     .max_body_bytes(1 << 20)
///     .retry(RetryPolicy::default().with_max_retries(1));
/// assert_eq!(config.get_deadline(), Duration::from_secs(20));
/// ```
#[derive(Clone)]
pub struct HttpConfig {
    pub(crate) connect_timeout: Duration,
    pub(crate) attempt_timeout: Duration,
    pub(crate) deadline: Duration,
    pub(crate) max_body_bytes: usize,
    pub(crate) retry: RetryPolicy,
    pub(crate) user_agent_suffix: Option<String>,
    pub(crate) customize: Option<ReqwestCustomizer>,
}

impl fmt::Debug for HttpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpConfig")
            .field("connect_timeout", &self.connect_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("deadline", &self.deadline)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("retry", &self.retry)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("configure_reqwest", &self.customize.is_some())
            .finish()
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(10),
            attempt_timeout: Duration::from_secs(30),
            deadline: Duration::from_secs(60),
            max_body_bytes: 4 * 1024 * 1024,
            retry: RetryPolicy::default(),
            user_agent_suffix: None,
            customize: None,
        }
    }
}

impl HttpConfig {
    /// The longest connect timeout, per-attempt timeout or deadline: longer values are taken
    /// as this (24 hours).
    ///
    /// ```
    /// use std::time::Duration;
    /// use payments_common::http::HttpConfig;
    /// let c = HttpConfig::default().deadline(Duration::MAX);
    /// assert_eq!(c.get_deadline(), HttpConfig::MAX_TIMEOUT);
    /// ```
    pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

    /// Refuses a zero timeout (no call could succeed), naming the setting.
    pub(crate) fn check(&self) -> Result<(), crate::Error> {
        for (field, value) in [
            ("connect_timeout", self.connect_timeout),
            ("attempt_timeout", self.attempt_timeout),
            ("deadline", self.deadline),
        ] {
            if value.is_zero() {
                return Err(crate::Error::invalid(field, "must be greater than zero"));
            }
        }
        Ok(())
    }

    /// How long to wait for a TCP (and TLS) connection. The client uses at most three
    /// quarters of the [per-attempt timeout](Self::attempt_timeout), so that a connection that
    /// never completes is reported as [`Error::Connect`](crate::Error::Connect) (nothing was
    /// sent) rather than as a timeout.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let c = payments_common::http::HttpConfig::default().connect_timeout(Duration::from_secs(1));
    /// assert_eq!(c.get_connect_timeout(), Duration::from_secs(1));
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout.min(Self::MAX_TIMEOUT);
        self
    }

    /// How long one attempt may take, from connecting to the last byte of the body.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let c = payments_common::http::HttpConfig::default().attempt_timeout(Duration::from_secs(5));
    /// assert_eq!(c.get_attempt_timeout(), Duration::from_secs(5));
    /// ```
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout.min(Self::MAX_TIMEOUT);
        self
    }

    /// How long a call may take in all, attempts and backoffs included.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let c = payments_common::http::HttpConfig::default().deadline(Duration::from_secs(9));
    /// assert_eq!(c.get_deadline(), Duration::from_secs(9));
    /// ```
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline.min(Self::MAX_TIMEOUT);
        self
    }

    /// The largest response body accepted, in bytes; a larger one is
    /// [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge) and is not read whole.
    ///
    /// ```
    /// let c = payments_common::http::HttpConfig::default().max_body_bytes(1024);
    /// assert_eq!(c.get_max_body_bytes(), 1024);
    /// ```
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// The retry policy.
    ///
    /// ```
    /// use payments_common::http::{HttpConfig, RetryPolicy};
    /// let c = HttpConfig::default().retry(RetryPolicy::never());
    /// assert_eq!(c.get_retry().max_retries, 0);
    /// ```
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Text appended to the `User-Agent` (your application's name and version).
    ///
    /// ```
    /// let c = payments_common::http::HttpConfig::default().user_agent_suffix("shop/1.2");
    /// assert_eq!(c.get_user_agent_suffix(), Some("shop/1.2"));
    /// ```
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Your own settings of the underlying [`reqwest::ClientBuilder`]: proxies, extra root
    /// certificates, client certificates, connection-pool limits, local address, HTTP/2 tuning.
    ///
    /// The function receives a builder that already has the pipeline's defaults and returns
    /// it changed; the pipeline then applies the settings its guarantees rest on, which your
    /// function cannot undo: redirects are never followed (a redirect could move credentials to
    /// another host or turn a payment `POST` into a `GET`), the connect timeout stays inside
    /// the attempt timeout, and the SDK's `User-Agent` is sent. Per-request timeouts, the retry
    /// policy, the body cap and the deadline are the pipeline's and apply as configured here.
    ///
    /// A finished `reqwest::Client` is not accepted for that reason: its redirect policy could
    /// no longer be checked.
    ///
    /// ```
    /// use std::time::Duration;
    /// use payments_common::http::HttpConfig;
    ///
    /// let config = HttpConfig::default().configure_reqwest(|builder| {
    ///     builder
    ///         .pool_max_idle_per_host(4)
    ///         .tcp_keepalive(Duration::from_secs(30))
    ///         // .proxy(reqwest::Proxy::https("http://proxy.internal:3128")?)
    ///         // .add_root_certificate(corporate_root)
    /// });
    /// assert!(format!("{config:?}").contains("configure_reqwest: true"));
    /// ```
    pub fn configure_reqwest(
        mut self,
        customize: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync + 'static,
    ) -> Self {
        self.customize = Some(Arc::new(customize));
        self
    }

    /// The connect timeout.
    ///
    /// ```
    /// # use std::time::Duration;
    /// assert_eq!(payments_common::http::HttpConfig::default().get_connect_timeout(), Duration::from_secs(10));
    /// ```
    pub fn get_connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The per-attempt timeout.
    ///
    /// ```
    /// # use std::time::Duration;
    /// assert_eq!(payments_common::http::HttpConfig::default().get_attempt_timeout(), Duration::from_secs(30));
    /// ```
    pub fn get_attempt_timeout(&self) -> Duration {
        self.attempt_timeout
    }

    /// The overall deadline.
    ///
    /// ```
    /// # use std::time::Duration;
    /// assert_eq!(payments_common::http::HttpConfig::default().get_deadline(), Duration::from_secs(60));
    /// ```
    pub fn get_deadline(&self) -> Duration {
        self.deadline
    }

    /// The body cap in bytes.
    ///
    /// ```
    /// assert_eq!(payments_common::http::HttpConfig::default().get_max_body_bytes(), 4 * 1024 * 1024);
    /// ```
    pub fn get_max_body_bytes(&self) -> usize {
        self.max_body_bytes
    }

    /// The retry policy.
    ///
    /// ```
    /// assert_eq!(payments_common::http::HttpConfig::default().get_retry().max_retries, 2);
    /// ```
    pub fn get_retry(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The `User-Agent` suffix.
    ///
    /// ```
    /// assert_eq!(payments_common::http::HttpConfig::default().get_user_agent_suffix(), None);
    /// ```
    pub fn get_user_agent_suffix(&self) -> Option<&str> {
        self.user_agent_suffix.as_deref()
    }
}
