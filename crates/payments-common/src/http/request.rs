//! One API call, as a provider crate describes it to the pipeline.

use std::fmt;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use super::RequestKind;
use crate::error::{Error, Reconciliation};

/// A request to a provider: method, URL, headers, body, and what the pipeline must know to
/// retry it safely (its [`RequestKind`] and how to reconcile it if its outcome is unknown).
///
/// Credentials go into headers marked *sensitive*; `Debug` shows the method, the URL path and
/// the operation only.
///
/// ```
/// use payments_common::http::{Request, RequestKind};
/// use payments_common::Reconciliation;
/// use secrecy::SecretString;
///
/// let url = "https://api.example.com/products".parse()?;
/// let request = Request::post("example.products.create", url)
///     .basic_auth("42", &SecretString::from("shop-secret"))?
///     .json(&serde_json::json!({ "name": "Pro plan" }))?
///     .reconcile_with(Reconciliation::merchant_reference("order-7"));
/// assert_eq!(request.kind(), RequestKind::Write);
/// assert!(!format!("{request:?}").contains("shop-secret"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) operation: &'static str,
    pub(crate) kind: RequestKind,
    pub(crate) reconciliation: Reconciliation,
    /// Recognises the provider's own definitive refusal in a response body (see
    /// [`Request::final_errors_when`]).
    pub(crate) final_answer: Option<fn(&[u8]) -> bool>,
    /// The credentials this request carries, masked in its errors along with the client's
    /// registered secrets (see [`Request::basic_auth`], [`Request::bearer_auth`]).
    pub(crate) secrets: Vec<SecretString>,
    /// The header the provider reads its idempotency key from, once one is set.
    pub(crate) idempotency_header: Option<&'static str>,
    /// What traces show instead of the URL's path, when the path holds a secret.
    pub(crate) traced_path: Option<&'static str>,
}

impl Request {
    /// A request with an explicit method and kind.
    ///
    /// ```
    /// use payments_common::http::{Request, RequestKind};
    /// let r = Request::new(reqwest::Method::DELETE, "x.delete", "https://a.example/1".parse()?, RequestKind::Write);
    /// assert_eq!(r.operation(), "x.delete");
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn new(method: Method, operation: &'static str, url: Url, kind: RequestKind) -> Self {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        Request {
            method,
            url,
            headers,
            body: None,
            operation,
            kind,
            reconciliation: Reconciliation::default(),
            final_answer: None,
            secrets: Vec::new(),
            idempotency_header: None,
            traced_path: None,
        }
    }

    /// A `GET` read.
    ///
    /// ```
    /// let r = payments_common::http::Request::get("x.get", "https://a.example/1".parse()?);
    /// assert_eq!(r.kind(), payments_common::http::RequestKind::Read);
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn get(operation: &'static str, url: Url) -> Self {
        Request::new(Method::GET, operation, url, RequestKind::Read)
    }

    /// A `POST` write without an idempotency key.
    ///
    /// ```
    /// let r = payments_common::http::Request::post("x.create", "https://a.example/".parse()?);
    /// assert_eq!(r.kind(), payments_common::http::RequestKind::Write);
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn post(operation: &'static str, url: Url) -> Self {
        Request::new(Method::POST, operation, url, RequestKind::Write)
    }

    /// A `PUT` write without an idempotency key.
    ///
    /// ```
    /// let r = payments_common::http::Request::put("x.update", "https://a.example/1".parse()?);
    /// assert_eq!(r.method(), &reqwest::Method::PUT);
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn put(operation: &'static str, url: Url) -> Self {
        Request::new(Method::PUT, operation, url, RequestKind::Write)
    }

    /// Marks the request as a *read* whatever its method (a status query sent as `POST`).
    ///
    /// ```
    /// let r = payments_common::http::Request::post("x.list", "https://a.example/".parse()?).as_read();
    /// assert_eq!(r.kind(), payments_common::http::RequestKind::Read);
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn as_read(mut self) -> Self {
        self.kind = RequestKind::Read;
        self
    }

    /// Sends `key` in header `header` on every attempt and marks the write as idempotent, so
    /// that it is repeated (with the same key) after a timeout or a 5xx. Use it only for
    /// operations whose provider documents that the key is honoured.
    ///
    /// The key is validated: 1 to 255 visible ASCII characters.
    ///
    /// ```
    /// use payments_common::http::{Request, RequestKind};
    /// let r = Request::post("x.pay", "https://a.example/".parse()?).idempotency_key("RequestID", "7f1c-42")?;
    /// assert_eq!(r.kind(), RequestKind::IdempotentWrite);
    /// assert!(Request::post("x.pay", "https://a.example/".parse()?).idempotency_key("RequestID", "").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn idempotency_key(mut self, header: &'static str, key: &str) -> Result<Self, Error> {
        crate::validate::idempotency_key(key)?;
        let value = HeaderValue::from_str(key)
            .map_err(|_| Error::invalid("idempotency_key", "not a valid header value"))?;
        self.headers
            .insert(HeaderName::from_static_lowercase(header)?, value);
        self.kind = RequestKind::IdempotentWrite;
        self.idempotency_header = Some(header);
        self.reconciliation.idempotency_key = Some(key.to_owned());
        Ok(self)
    }

    /// Shows `template` instead of the URL's path in the pipeline's traces (the `path` field
    /// of the `payments.http` span), for a path that holds a secret — a card token that can
    /// charge the card, say. Errors never carry the URL in any case.
    ///
    /// ```
    /// let r = payments_common::http::Request::get("x.cards.get", "https://a.example/credit_cards/tok_secret".parse()?)
    ///     .trace_path_as("/credit_cards/{token}");
    /// assert_eq!(r.traced_path(), "/credit_cards/{token}");
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn trace_path_as(mut self, template: &'static str) -> Self {
        self.traced_path = Some(template);
        self
    }

    /// The path the traces show: the [`trace_path_as`](Request::trace_path_as) template, or
    /// the URL's path.
    ///
    /// ```
    /// let r = payments_common::http::Request::get("x.get", "https://a.example/products/1".parse()?);
    /// assert_eq!(r.traced_path(), "/products/1");
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn traced_path(&self) -> &str {
        self.traced_path.unwrap_or_else(|| self.url.path())
    }

    /// Declares which answers are the provider's own definitive refusal, whatever their HTTP
    /// status: `is_final(body)` returns `true` only for the provider's exact error envelope
    /// (GreenPay's `{"status": "FAIL", "code": …, "errors": […]}`), never for any JSON.
    ///
    /// A 5xx answer whose body `is_final` accepts is not retried (the provider has spoken;
    /// asking again would only repeat it), and a write refused that way is reported as the
    /// handler's error rather than as [`Error::OutcomeUnknown`]. Any other non-success answer —
    /// a proxy's JSON error (`{"status":504,"error":"Gateway Timeout"}`), its HTML page — is
    /// retried for reads and leaves a write's outcome open, as for every other operation.
    ///
    /// ```
    /// fn is_fail_envelope(body: &[u8]) -> bool {
    ///     body.starts_with(br#"{"status":"FAIL""#)
    /// }
    /// let r = payments_common::http::Request::post("x.pay", "https://a.example/".parse()?)
    ///     .final_errors_when(is_fail_envelope);
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn final_errors_when(mut self, is_final: fn(&[u8]) -> bool) -> Self {
        self.final_answer = Some(is_final);
        self
    }

    /// Whether `body` is, by [`Request::final_errors_when`], the provider's definitive answer.
    pub(crate) fn is_final_answer(&self, body: &[u8]) -> bool {
        self.final_answer.is_some_and(|is_final| is_final(body))
    }

    /// What identifies this write at the provider if its outcome becomes unknown.
    ///
    /// ```
    /// use payments_common::{http::Request, Reconciliation};
    /// let r = Request::post("x.create", "https://a.example/".parse()?)
    ///     .reconcile_with(Reconciliation::merchant_reference("order-1"));
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn reconcile_with(mut self, reconciliation: Reconciliation) -> Self {
        let key = self.reconciliation.idempotency_key.take();
        self.reconciliation = reconciliation;
        if self.reconciliation.idempotency_key.is_none() {
            self.reconciliation.idempotency_key = key;
        }
        self
    }

    /// Serializes `body` as the JSON body (`Content-Type: application/json`).
    ///
    /// ```
    /// let r = payments_common::http::Request::post("x.create", "https://a.example/".parse()?)
    ///     .json(&serde_json::json!({"a": 1}))?;
    /// assert_eq!(r.body(), Some(&br#"{"a":1}"#[..]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::invalid("body", format!("cannot be serialized: {e}")))?;
        self.headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        self.body = Some(bytes);
        Ok(self)
    }

    /// Adds a non-secret header. Values with control characters are refused.
    ///
    /// ```
    /// let r = payments_common::http::Request::get("x.get", "https://a.example/".parse()?)
    ///     .header("x-api-version", "3")?;
    /// assert!(payments_common::http::Request::get("x.get", "https://a.example/".parse()?)
    ///     .header("x-api-version", "3\r\nx: y").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn header(mut self, name: &'static str, value: &str) -> Result<Self, Error> {
        let value = HeaderValue::from_str(value)
            .map_err(|_| Error::invalid(name, "contains characters not allowed in a header"))?;
        self.headers
            .insert(HeaderName::from_static_lowercase(name)?, value);
        Ok(self)
    }

    /// `Authorization: Basic base64(user:secret)`, marked sensitive.
    ///
    /// The secret and the encoded `user:secret` are masked in every error of this request (a
    /// proxy's error page may reflect the header), in every rendering
    /// [`redact::mask_all`](crate::redact::mask_all) knows.
    ///
    /// ```
    /// use secrecy::SecretString;
    /// let r = payments_common::http::Request::get("x.get", "https://a.example/".parse()?)
    ///     .basic_auth("1", &SecretString::from("key"))?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn basic_auth(self, user: &str, secret: &SecretString) -> Result<Self, Error> {
        let encoded = crate::redact::encode_basic(user, secret.expose_secret());
        let mut request = self.sensitive_authorization(&format!("Basic {encoded}"))?;
        request.secrets.push(secret.clone());
        request.secrets.push(SecretString::from(encoded));
        Ok(request)
    }

    /// `Authorization: Bearer <token>`, marked sensitive. The token is masked in every error of
    /// this request.
    ///
    /// ```
    /// use secrecy::SecretString;
    /// let r = payments_common::http::Request::get("x.get", "https://a.example/".parse()?)
    ///     .bearer_auth(&SecretString::from("tok"))?;
    /// assert!(!format!("{r:?}").contains("tok"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bearer_auth(self, token: &SecretString) -> Result<Self, Error> {
        let mut request =
            self.sensitive_authorization(&format!("Bearer {}", token.expose_secret()))?;
        request.secrets.push(token.clone());
        Ok(request)
    }

    fn sensitive_authorization(mut self, value: &str) -> Result<Self, Error> {
        let mut value = HeaderValue::from_str(value).map_err(|_| {
            Error::invalid("credentials", "contain characters not allowed in a header")
        })?;
        value.set_sensitive(true);
        self.headers.insert(AUTHORIZATION, value);
        Ok(self)
    }

    /// The operation name, e.g. `"begateway.products.get"`.
    ///
    /// ```
    /// assert_eq!(payments_common::http::Request::get("a.b", "https://a.example/".parse()?).operation(), "a.b");
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// How the request may be repeated.
    ///
    /// ```
    /// use payments_common::http::{Request, RequestKind};
    /// assert_eq!(Request::get("a.b", "https://a.example/".parse()?).kind(), RequestKind::Read);
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn kind(&self) -> RequestKind {
        self.kind
    }

    /// The HTTP method.
    ///
    /// ```
    /// assert_eq!(payments_common::http::Request::get("a.b", "https://a.example/".parse()?).method(), &reqwest::Method::GET);
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The URL.
    ///
    /// ```
    /// let r = payments_common::http::Request::get("a.b", "https://a.example/x".parse()?);
    /// assert_eq!(r.url().path(), "/x");
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The body, if any.
    ///
    /// ```
    /// assert_eq!(payments_common::http::Request::get("a.b", "https://a.example/".parse()?).body(), None);
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.traced_path())
            .field("kind", &self.kind)
            .field("body_bytes", &self.body.as_ref().map(Vec::len))
            .finish_non_exhaustive()
    }
}

trait HeaderNameExt: Sized {
    fn from_static_lowercase(name: &'static str) -> Result<Self, Error>;
}

impl HeaderNameExt for HeaderName {
    fn from_static_lowercase(name: &'static str) -> Result<Self, Error> {
        HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::invalid(name, "is not a valid header name"))
    }
}
