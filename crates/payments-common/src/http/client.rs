//! The pooled client and the attempt loop.

use std::borrow::Cow;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderValue, USER_AGENT};
use secrecy::{ExposeSecret, SecretString};
use tracing::Instrument;

use super::retry::{AttemptClass, Decision, RequestKind, decide};
use super::{HttpConfig, Request, RequestOptions, Response, ResponseMeta};
use crate::error::{AtHost, BoxError, Error, TransportKind};

/// The HTTP pipeline of one SDK client: one pooled [`reqwest::Client`] shared by every clone.
///
/// Provider crates build one in their `ClientBuilder::build` and call [`HttpClient::execute`]
/// for every operation.
///
/// ```no_run
/// use payments_common::http::{HttpClient, HttpConfig, Request};
///
/// # async fn run() -> Result<(), payments_common::Error> {
/// let http = HttpClient::new("example", "example-sdk/0.1.0", HttpConfig::default())?;
/// let request = Request::get("example.products.list", "https://api.example.com/products".parse().unwrap());
/// let products: Vec<serde_json::Value> = http
///     .execute(request, |response| match response.status().as_u16() {
///         200 => response.json(),
///         _ => Err(response.error()),
///     })
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    config: Arc<HttpConfig>,
    provider: &'static str,
    redact: Arc<[SecretString]>,
    /// The overrides of this handle ([`HttpClient::with_options`]).
    options: Option<Arc<RequestOptions>>,
    /// The last successful response's record, per handle.
    last: Arc<Mutex<Option<ResponseMeta>>>,
}

impl HttpClient {
    /// Builds the pipeline: `provider` names the spans, `user_agent` is the SDK's product token
    /// (`"begateway/0.1.0"`), to which the config's suffix is appended.
    ///
    /// ```
    /// use payments_common::http::{HttpClient, HttpConfig};
    /// let http = HttpClient::new("example", "example/0.1.0", HttpConfig::default())?;
    /// assert_eq!(http.config().get_retry().max_retries, 2);
    /// # Ok::<(), payments_common::Error>(())
    /// ```
    pub fn new(
        provider: &'static str,
        user_agent: &str,
        config: HttpConfig,
    ) -> Result<Self, Error> {
        config.check()?;
        let agent = match config.get_user_agent_suffix() {
            Some(suffix) => format!(
                "{user_agent} payments-common/{} {suffix}",
                env!("CARGO_PKG_VERSION")
            ),
            None => format!("{user_agent} payments-common/{}", env!("CARGO_PKG_VERSION")),
        };
        let agent = HeaderValue::from_str(&agent).map_err(|_| {
            Error::invalid(
                "user_agent_suffix",
                "contains characters not allowed in a header",
            )
        })?;
        #[cfg(all(feature = "ring", not(feature = "rustls")))]
        install_ring_provider();
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(USER_AGENT, agent);
        // A connection still being set up when the attempt's time runs out would surface as a
        // timeout, which for a write means "outcome unknown" although nothing was sent: keep
        // the connect timeout strictly inside the attempt so that it fires first, as `Connect`.
        let three_quarters = config.attempt_timeout - config.attempt_timeout / 4;
        let connect_timeout = config.connect_timeout.min(three_quarters);
        let mut builder = reqwest::Client::builder().pool_idle_timeout(Duration::from_secs(60));
        if let Some(customize) = &config.customize {
            builder = customize(builder);
        }
        // Applied after the application's customisation, which cannot undo them.
        let inner = builder
            .default_headers(headers)
            .connect_timeout(connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Connect {
                attempts: 0,
                source: Box::new(e.without_url()),
            })?;
        Ok(HttpClient {
            inner,
            config: Arc::new(config),
            provider,
            redact: Arc::from(Vec::new()),
            options: None,
            last: Arc::new(Mutex::new(None)),
        })
    }

    /// A handle on the same pipeline (same connection pool, settings and registered secrets)
    /// whose calls apply `options` on top of the configuration, and which records its own
    /// [`last_response`](HttpClient::last_response).
    ///
    /// ```
    /// use std::time::Duration;
    /// use payments_common::http::{HttpClient, HttpConfig, RequestOptions};
    /// let http = HttpClient::new("example", "example/0.1.0", HttpConfig::default())?;
    /// let quick = http.with_options(RequestOptions::new().deadline(Duration::from_secs(3)));
    /// assert!(quick.shares_pool_with(&http));
    /// assert!(quick.last_response().is_none());
    /// # Ok::<(), payments_common::Error>(())
    /// ```
    pub fn with_options(&self, options: RequestOptions) -> HttpClient {
        HttpClient {
            options: Some(Arc::new(options)),
            last: Arc::new(Mutex::new(None)),
            ..self.clone()
        }
    }

    /// The status, request id and attempt count of the last response a call through this
    /// handle received (every handle from [`HttpClient::with_options`] has its own record; on a
    /// handle shared by concurrent calls it is whichever finished last).
    pub fn last_response(&self) -> Option<ResponseMeta> {
        self.last.lock().ok().and_then(|last| last.clone())
    }

    /// `request` with this handle's overrides applied: extra headers, and the caller's
    /// idempotency key where the request is keyed. Checked before anything is sent.
    fn prepare<'r>(&self, request: &'r Request) -> Result<Cow<'r, Request>, Error> {
        let Some(options) = &self.options else {
            return Ok(Cow::Borrowed(request));
        };
        options.check()?;
        let headers = options.checked_headers(request.idempotency_header)?;
        let mut prepared = request.clone();
        for (name, value) in headers {
            prepared.headers.insert(name, value);
        }
        if let Some(key) = &options.idempotency_key {
            match (request.kind, request.idempotency_header) {
                (super::RequestKind::IdempotentWrite, Some(header)) => {
                    prepared = prepared.idempotency_key(header, key)?;
                }
                (super::RequestKind::Write, _) => {
                    return Err(Error::invalid(
                        "idempotency_key",
                        format!(
                            "the provider honours no idempotency key for {}",
                            request.operation
                        ),
                    ));
                }
                // A read needs no key.
                _ => {}
            }
        }
        Ok(Cow::Owned(prepared))
    }

    /// Registers secret values to mask in every error this client returns — body excerpts,
    /// decode messages, and the codes and messages of provider errors, whichever handler built
    /// them (see [`Error::redact`]; providers echo credentials back, as GreenPay does with
    /// `secret`).
    ///
    /// ```
    /// use payments_common::http::{HttpClient, HttpConfig};
    /// use secrecy::SecretString;
    /// let http = HttpClient::new("example", "example/0.1.0", HttpConfig::default())?
    ///     .redact_in_errors(vec![SecretString::from("s3cret")]);
    /// # Ok::<(), payments_common::Error>(())
    /// ```
    pub fn redact_in_errors(mut self, secrets: Vec<SecretString>) -> Self {
        self.redact = Arc::from(secrets);
        self
    }

    /// The secrets masked in `request`'s errors: the client's registered ones and the
    /// credentials the request carries.
    fn secrets_for(&self, request: &Request) -> Arc<[SecretString]> {
        if request.secrets.is_empty() {
            return self.redact.clone();
        }
        self.redact
            .iter()
            .chain(request.secrets.iter())
            .cloned()
            .collect()
    }

    /// `error` with `secrets` masked (in every rendering) and every provider-supplied text
    /// bounded (see [`Error::redact`]); applied to every error, also when no secret is known.
    fn redact(error: Error, secrets: &[SecretString]) -> Error {
        let secrets: Vec<&str> = secrets.iter().map(|s| s.expose_secret()).collect();
        error.redact(&secrets)
    }

    /// The settings.
    ///
    /// ```
    /// # use payments_common::http::{HttpClient, HttpConfig};
    /// let http = HttpClient::new("example", "example/0.1.0", HttpConfig::default())?;
    /// assert_eq!(http.config().get_max_body_bytes(), 4 << 20);
    /// # Ok::<(), payments_common::Error>(())
    /// ```
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// Whether two handles share one connection pool (clones do).
    ///
    /// ```
    /// # use payments_common::http::{HttpClient, HttpConfig};
    /// let a = HttpClient::new("example", "example/0.1.0", HttpConfig::default())?;
    /// let b = a.clone();
    /// assert!(a.shares_pool_with(&b));
    /// # Ok::<(), payments_common::Error>(())
    /// ```
    pub fn shares_pool_with(&self, other: &HttpClient) -> bool {
        Arc::ptr_eq(&self.config, &other.config)
    }

    /// Sends `request` under the retry policy, then hands the final response to `handle`,
    /// which turns it into a value or the provider's error.
    ///
    /// For a write without an honoured idempotency key ([`RequestKind::Write`]), an error that
    /// leaves the outcome open — timeout, broken connection, any 5xx (a structured provider error
    /// with a 5xx status too, unless the body is the provider's own refusal by
    /// [`Request::final_errors_when`]), an unexpected 2xx or 3xx status, an undecodable or
    /// oversized answer — becomes
    /// [`Error::OutcomeUnknown`] carrying the request's reconciliation handles.
    ///
    /// ```no_run
    /// # use payments_common::http::{HttpClient, HttpConfig, Request};
    /// # async fn run(http: HttpClient) -> Result<(), payments_common::Error> {
    /// let request = Request::post("example.orders.create", "https://api.example.com/orders".parse().unwrap())
    ///     .json(&serde_json::json!({ "amount": 1450 }))?;
    /// let id: String = http.execute(request, |r| match r.status().as_u16() {
    ///     201 => r.json(),
    ///     _ => Err(r.error()),
    /// }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn execute<T>(
        &self,
        request: Request,
        handle: impl FnOnce(Response) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut final_answer = false;
        let secrets = self.secrets_for(&request);
        let request = match self.prepare(&request) {
            Ok(prepared) => prepared.into_owned(),
            Err(error) => return Err(Self::redact(error, &secrets)),
        };
        let result = match self.send_with(&request, &secrets).await {
            Ok(response) => {
                final_answer = request.is_final_answer(response.body());
                handle(response)
            }
            Err(error) => Err(error),
        }
        .map_err(|error| Self::redact(error, &secrets));
        result.map_err(|error| match request.kind {
            RequestKind::Write if !final_answer && leaves_outcome_open(&error) => {
                Error::OutcomeUnknown {
                    operation: request.operation,
                    reconciliation: request.reconciliation.clone(),
                    source: Box::new(error),
                }
            }
            _ => error,
        })
    }

    /// Sends `request` under the retry policy and returns the final response, whatever its
    /// status. Transport failures are errors. (Most callers want [`HttpClient::execute`].)
    ///
    /// ```no_run
    /// # use payments_common::http::{HttpClient, HttpConfig, Request};
    /// # async fn run(http: HttpClient) -> Result<(), payments_common::Error> {
    /// let response = http.send(&Request::get("example.ping", "https://api.example.com/".parse().unwrap())).await?;
    /// println!("{}", response.status());
    /// # Ok(()) }
    /// ```
    pub async fn send(&self, request: &Request) -> Result<Response, Error> {
        let secrets = self.secrets_for(request);
        let request = self
            .prepare(request)
            .map_err(|error| Self::redact(error, &secrets))?;
        self.send_with(&request, &secrets)
            .await
            .map_err(|error| Self::redact(error, &secrets))
    }

    /// [`HttpClient::send`], with the responses masking `secrets` in their excerpts.
    async fn send_with(
        &self,
        request: &Request,
        secrets: &Arc<[SecretString]>,
    ) -> Result<Response, Error> {
        let started = Instant::now();
        let options = self.options.as_deref();
        let configured_deadline = options
            .and_then(|o| o.deadline)
            .unwrap_or(self.config.deadline);
        let attempt_timeout = options
            .and_then(|o| o.attempt_timeout)
            .unwrap_or(self.config.attempt_timeout);
        let retry_policy = options
            .and_then(|o| o.retry.as_ref())
            .unwrap_or(&self.config.retry);
        // The deadline is at most `HttpConfig::MAX_TIMEOUT`; should the clock still not hold
        // it, there is no time at all rather than a panic.
        let deadline = started
            .checked_add(configured_deadline.min(HttpConfig::MAX_TIMEOUT))
            .unwrap_or(started);
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(Error::Timeout {
                    attempts: attempt - 1,
                    source: None,
                });
            }
            let per_attempt = attempt_timeout.min(HttpConfig::MAX_TIMEOUT).min(remaining);
            let span = tracing::info_span!(
                "payments.http",
                provider = self.provider,
                operation = request.operation,
                attempt,
                method = %request.method,
                path = request.traced_path(),
                status = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let attempt_started = Instant::now();
            let outcome = self
                .attempt(request, per_attempt, secrets)
                .instrument(span.clone())
                .await;
            let latency = u64::try_from(attempt_started.elapsed().as_millis()).unwrap_or(u64::MAX);
            span.record("latency_ms", latency);
            let class = match &outcome {
                Ok(response) => {
                    span.record("status", response.status().as_u16());
                    if response.status().is_server_error()
                        && request.is_final_answer(response.body())
                    {
                        // A structured answer declared final: the handler turns it into `Api`.
                        return self.record(outcome, attempt);
                    }
                    AttemptClass::Status {
                        status: response.status().as_u16(),
                        retry_after: response.retry_after(),
                    }
                }
                Err(failure) => failure.class,
            };
            let decision = decide(
                retry_policy,
                request.kind,
                attempt,
                class,
                jitter_permille(),
            );
            match decision {
                Decision::Retry { after }
                    if Instant::now()
                        .checked_add(after)
                        .is_some_and(|at| at < deadline) =>
                {
                    span.in_scope(|| {
                        tracing::debug!(?class, delay_ms = after.as_millis(), "retrying");
                    });
                    tokio::time::sleep(after).await;
                }
                _ => {
                    span.in_scope(|| tracing::debug!(?class, "final attempt"));
                    return self.record(outcome, attempt);
                }
            }
        }
    }

    /// Records a final response in this handle's [`last_response`](HttpClient::last_response),
    /// and turns a failed attempt into its error.
    fn record(
        &self,
        outcome: Result<Response, AttemptFailure>,
        attempts: u32,
    ) -> Result<Response, Error> {
        let response = outcome.map_err(|failure| failure.into_error(attempts))?;
        if let Ok(mut last) = self.last.lock() {
            *last = Some(ResponseMeta::new(
                response.status(),
                response.request_id(),
                attempts,
            ));
        }
        Ok(response)
    }

    async fn attempt(
        &self,
        request: &Request,
        timeout: Duration,
        secrets: &Arc<[SecretString]>,
    ) -> Result<Response, AttemptFailure> {
        let work = async {
            let mut builder = self
                .inner
                .request(request.method.clone(), request.url.clone())
                .headers(request.headers.clone())
                .timeout(timeout);
            if let Some(body) = &request.body {
                builder = builder.body(body.clone());
            }
            let mut response = builder
                .send()
                .await
                .map_err(|e| AttemptFailure::on_send(e, request.url.host_str()))?;
            let status = response.status();
            let limit = self.config.max_body_bytes;
            let too_large = || AttemptFailure {
                too_large: Some((status, limit)),
                ..AttemptFailure::new(AttemptClass::TooLarge, TransportKind::Other, None)
            };
            if response
                .content_length()
                .is_some_and(|len| len > limit as u64)
            {
                return Err(too_large());
            }
            let mut body = Vec::new();
            let host = request.url.host_str();
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(|e| AttemptFailure::on_body(e, host))?
            {
                if body.len() + chunk.len() > limit {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            let headers = std::mem::take(response.headers_mut());
            Ok(Response::new(status, headers, body, secrets.clone()))
        };
        match tokio::time::timeout(timeout, work).await {
            Ok(result) => result,
            Err(_) => Err(AttemptFailure::new(
                AttemptClass::TimedOut,
                TransportKind::Other,
                None,
            )),
        }
    }
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("provider", &self.provider)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// Whether a write's error leaves open whether the provider applied it (when the answer was not
/// the provider's own definitive refusal, see [`Request::final_errors_when`]).
///
/// Only a 4xx answer, or a structured provider error outside 5xx, proves the write was refused.
/// Anything else — a 5xx (structured or not), an unexpected success or redirect status such as
/// 202 or 204 where 201 is documented, a broken or undecodable answer — may follow a write the
/// provider applied.
fn leaves_outcome_open(error: &Error) -> bool {
    match error {
        Error::Api { status, .. } => status.is_server_error(),
        Error::Http { status, .. } => !status.is_client_error(),
        Error::Timeout { .. }
        | Error::Transport { .. }
        | Error::Decode { .. }
        | Error::ResponseTooLarge { .. }
        | Error::UnexpectedRedirect { .. } => true,
        _ => false,
    }
}

/// Why an attempt produced no response.
struct AttemptFailure {
    class: AttemptClass,
    /// What broke, for [`AttemptClass::Broken`].
    kind: TransportKind,
    /// The oversized response's status and the cap, for [`AttemptClass::TooLarge`].
    too_large: Option<(reqwest::StatusCode, usize)>,
    source: Option<BoxError>,
}

impl AttemptFailure {
    fn new(class: AttemptClass, kind: TransportKind, source: Option<BoxError>) -> Self {
        AttemptFailure {
            class,
            kind,
            too_large: None,
            source,
        }
    }

    fn on_send(e: reqwest::Error, host: Option<&str>) -> Self {
        let class = if e.is_connect() && is_tls_failure(&e) {
            AttemptClass::TlsFailed
        } else if e.is_connect() {
            AttemptClass::ConnectFailed
        } else if e.is_timeout() {
            AttemptClass::TimedOut
        } else {
            AttemptClass::Broken
        };
        AttemptFailure::new(class, TransportKind::Reset, Some(at_host(e, host)))
    }

    fn on_body(e: reqwest::Error, host: Option<&str>) -> Self {
        // A body that breaks off before its declared end is a truncation, not a decode error.
        let class = if e.is_timeout() {
            AttemptClass::TimedOut
        } else {
            AttemptClass::Broken
        };
        AttemptFailure::new(class, TransportKind::Truncated, Some(at_host(e, host)))
    }

    fn into_error(self, attempts: u32) -> Error {
        if let Some((status, limit)) = self.too_large {
            return Error::ResponseTooLarge { status, limit };
        }
        match self.class {
            AttemptClass::ConnectFailed | AttemptClass::TlsFailed => Error::Connect {
                attempts,
                source: self.source.unwrap_or_else(|| "connection failed".into()),
            },
            AttemptClass::TimedOut => Error::Timeout {
                attempts,
                source: self.source,
            },
            _ => Error::Transport {
                kind: self.kind,
                attempts,
                source: self.source.unwrap_or_else(|| "connection broken".into()),
            },
        }
    }
}

/// The transport's error without its URL, with the host it happened at.
fn at_host(e: reqwest::Error, host: Option<&str>) -> BoxError {
    let source: BoxError = Box::new(e.without_url());
    match host {
        Some(host) => Box::new(AtHost {
            host: host.to_owned(),
            source,
        }),
        None => source,
    }
}

/// Whether a connect error was a TLS handshake failure: rustls reports those as I/O errors
/// of kind `InvalidData` somewhere in the cause chain.
fn is_tls_failure(error: &reqwest::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    while let Some(e) = cause {
        // `io::Error::source` skips the error it wraps, so look inside each one explicitly.
        let mut io = e.downcast_ref::<std::io::Error>();
        while let Some(inner) = io {
            if inner.kind() == std::io::ErrorKind::InvalidData {
                return true;
            }
            io = inner
                .get_ref()
                .and_then(|e| e.downcast_ref::<std::io::Error>());
        }
        cause = e.source();
    }
    false
}

/// A jitter factor in `500..=1000` per mille, from the standard library's per-process random
/// hasher keys and the clock (no extra dependency; this is not cryptography).
fn jitter_permille() -> u16 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(Instant::now().elapsed().as_nanos());
    let spread = u16::try_from(hasher.finish() % 501).unwrap_or(0);
    500 + spread
}

/// With the `ring` feature, reqwest takes rustls's process-wide crypto provider: install ring
/// unless the application has installed a provider of its own (which then wins).
#[cfg(all(feature = "ring", not(feature = "rustls")))]
fn install_ring_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race with another installer is fine: a provider is installed either way.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The backoff's jitter is drawn in `500..=1000` ‰ and really varies between draws, so that
    /// clients that failed together do not retry together.
    #[test]
    fn jitter_factors_are_in_range_and_vary() {
        let draws: Vec<u16> = (0..64).map(|_| jitter_permille()).collect();
        assert!(
            draws.iter().all(|d| (500..=1000).contains(d)),
            "a factor out of 500..=1000 ‰: {draws:?}"
        );
        // 64 independent draws from 501 values are all equal with probability 501^-63.
        assert!(
            draws.iter().any(|d| *d != draws[0]),
            "every draw was {} ‰: the jitter is not random",
            draws[0]
        );
    }
}
