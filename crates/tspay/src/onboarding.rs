//! Getting started with TS Pay: an API key requested with the integrator's AppSecret
//! (`POST /auth/api-key`), activated by the merchant at its `loginUrl`, then checked with
//! `GET /auth/`.
//!
//! None of this is on the documentation page: the routes and field names come from the public
//! integration's guide (which cites TS Pay's "onboarding e autenticazione" page) and its mock.
//! How the AppSecret is sent (`Authorization: Bearer <AppSecret>`, with an empty JSON object as
//! body), the optional `state` of the answers, and how a key not activated yet is told apart
//! from a refused one are **inferred**; see each item.

use std::fmt;

use payments_common::http::{HttpClient, HttpConfig, Request, Response};
use payments_common::{ProviderUrl, SecretString, StatusCode, Url, validate};
use serde::Deserialize;

use crate::client::{Client, Environment, USER_AGENT};
use crate::error::{self, KResult, Kind};
use crate::ids::MerchantRef;
use crate::{Error, Result};

/// The integrator's AppSecret: what TS Pay issues to the software (not to the merchant), used
/// only to request API keys. A secret: never in `Debug`, `Display` or errors. Keep it in your
/// own systems, never in a merchant's configuration.
///
/// ```
/// let secret = tspay::AppSecret::new("as_live_123");
/// assert!(!format!("{secret:?}").contains("as_live_123"));
/// ```
#[derive(Clone)]
pub struct AppSecret(SecretString);

impl AppSecret {
    /// An AppSecret.
    ///
    /// ```
    /// let secret = tspay::AppSecret::new(tspay::SecretString::from("as_123"));
    /// # let _ = secret;
    /// ```
    pub fn new(secret: impl Into<SecretString>) -> Self {
        AppSecret(secret.into())
    }
}

impl fmt::Debug for AppSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AppSecret([REDACTED])")
    }
}

payments_common::open_enum! {
    /// The state of an API key (`state`): `init` until the merchant authorises it at the
    /// `loginUrl`, then `active` (the lifecycle the public integration's guide describes; the
    /// field itself is inferred, and absent from the integration's mock).
    pub enum ApiKeyState {
        /// Issued, not authorised by the merchant yet: calls with it are refused.
        Init = "init",
        /// Authorised: usable.
        Active = "active",
    }
}

/// TS Pay's answer to an API-key request: the key (a secret), the `authKey` that goes with it,
/// and the `loginUrl` the **merchant** opens to authorise the key. Until then the key's state
/// is `init` and calls with it are refused.
///
/// `Debug` never shows `apiKey` or `authKey`.
#[derive(Clone, Deserialize)]
#[non_exhaustive]
pub struct ApiKeyIssued {
    /// `apiKey`: the key, for [`Credentials::new`](crate::Credentials::new) once activated.
    #[serde(rename = "apiKey")]
    pub api_key: SecretString,
    /// `authKey`: issued with the key; its use is not documented (inferred to identify the
    /// authorisation), so it is kept as a secret.
    #[serde(rename = "authKey", default)]
    pub auth_key: Option<SecretString>,
    /// `loginUrl`: where the merchant authorises the key (as TS Pay sent it).
    #[serde(rename = "loginUrl")]
    pub login_url: ProviderUrl,
    /// `state`, when TS Pay sends it (inferred field): `init` right after issuance.
    #[serde(default)]
    pub state: Option<ApiKeyState>,
}

impl fmt::Debug for ApiKeyIssued {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKeyIssued")
            .field("api_key", &"[REDACTED]")
            .field("auth_key", &self.auth_key.as_ref().map(|_| "[REDACTED]"))
            .field("login_url", &self.login_url)
            .field("state", &self.state)
            .finish()
    }
}

payments_common::open_enum! {
    /// Which kind of credential a call authenticated with (`x-auth-type` of `GET /auth/`).
    pub enum AuthType {
        /// An API key (the value the public integration's mock answers).
        ApiKey = "API_KEY",
    }
}

/// What `GET /auth/` says about a working credential.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AuthInfo {
    /// `x-auth-type`: the kind of credential (`API_KEY`).
    #[serde(rename = "x-auth-type", default)]
    pub auth_type: Option<AuthType>,
    /// `x-app-ref`: the integrating application's reference.
    #[serde(rename = "x-app-ref", default)]
    pub app_ref: Option<String>,
    /// `x-merchant-ref`: the merchant's code at TS Pay (compare it with the one in
    /// notifications).
    #[serde(rename = "x-merchant-ref", default)]
    pub merchant_ref: Option<MerchantRef>,
    /// `state`, when sent (inferred field).
    #[serde(default)]
    pub state: Option<ApiKeyState>,
}

/// The answer to [`Client::check_key`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyStatus {
    /// The key works: what TS Pay says about it.
    Valid(AuthInfo),
    /// The key exists but the merchant has not authorised it yet (open its `loginUrl`). Read
    /// from a `state` of `init`, or a 401/403 whose message says the key is not active
    /// (inferred: the public integration's guide says an `init` key is answered
    /// "Unauthorized").
    NotActivated {
        /// TS Pay's message, if any.
        message: Option<String>,
    },
    /// The key is refused (401/403): unknown, revoked, or for another environment.
    Refused {
        /// The HTTP status.
        status: StatusCode,
        /// TS Pay's message, if any.
        message: Option<String>,
    },
}

impl KeyStatus {
    /// Whether calls with the key will be accepted.
    ///
    /// ```
    /// assert!(!tspay::KeyStatus::NotActivated { message: None }.is_valid());
    /// ```
    pub fn is_valid(&self) -> bool {
        matches!(self, KeyStatus::Valid(_))
    }
}

/// Whether a refusal's message says the key is not active yet (inferred wording: "not
/// active", "inactive", `init`, or the Italian "non attiva").
fn says_not_activated(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "not active",
        "inactive",
        "not activated",
        "init",
        "non attiva",
    ]
    .iter()
    .any(|w| m.contains(w))
}

impl Client {
    /// Checks the client's API key with `GET /auth/` (a read: retried on timeouts and 5xx).
    ///
    /// A refusal is an answer here, not an error: [`KeyStatus::Refused`] or
    /// [`KeyStatus::NotActivated`]. Errors (operation `"auth.check"`) are the transport's and
    /// TS Pay's other answers.
    ///
    /// ```no_run
    /// use tspay::{Client, Credentials, KeyStatus};
    /// # async fn run(api_key: String) -> tspay::Result<()> {
    /// let client = Client::builder(Credentials::new(api_key)).build()?;
    /// match client.check_key().await? {
    ///     KeyStatus::Valid(info) => println!("merchant {:?}", info.merchant_ref),
    ///     KeyStatus::NotActivated { .. } => println!("the merchant must open the loginUrl"),
    ///     other => println!("refused: {other:?}"),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn check_key(&self) -> Result<KeyStatus> {
        self.fetch_key_status()
            .await
            .map_err(Error::at("auth.check"))
    }

    async fn fetch_key_status(&self) -> KResult<KeyStatus> {
        let url = validate::endpoint(self.base_url(), &["auth", ""]);
        let request = Request::get("tspay.auth.check", url).bearer_auth(self.api_key())?;
        self.http()
            .execute(request, |response| {
                let status = response.status();
                if status.is_success() {
                    let info: AuthInfo = response.json()?;
                    return Ok(match info.state {
                        Some(ApiKeyState::Init) => KeyStatus::NotActivated { message: None },
                        _ => KeyStatus::Valid(info),
                    });
                }
                match error::map_error(&response) {
                    Kind::Unauthorized {
                        status, message, ..
                    } => Ok(match message {
                        Some(m) if says_not_activated(&m) => {
                            KeyStatus::NotActivated { message: Some(m) }
                        }
                        message => KeyStatus::Refused { status, message },
                    }),
                    other => Err(other),
                }
            })
            .await
    }
}

/// A client for the one call made with the AppSecret: requesting an API key. Built like
/// [`Client`]: [`Environment::Sandbox`] by default, any host with
/// [`OnboardingBuilder::base_url`].
///
/// ```no_run
/// use tspay::{AppSecret, Client, Credentials, Onboarding};
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let onboarding = Onboarding::builder(AppSecret::new(std::env::var("TSPAY_APP_SECRET")?)).build()?;
/// let issued = onboarding.request_api_key().await?;
/// println!("merchant: authorise the key at {}", issued.login_url);
/// // Store issued.api_key in your secret store; once activated:
/// let client = Client::builder(Credentials::new(issued.api_key)).build()?;
/// # let _ = client; Ok(()) }
/// ```
#[derive(Clone)]
pub struct Onboarding {
    app_secret: SecretString,
    base_url: Url,
    http: HttpClient,
}

impl fmt::Debug for Onboarding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Onboarding")
            .field("app_secret", &"[REDACTED]")
            .field("base_url", &self.base_url.as_str())
            .finish()
    }
}

impl Onboarding {
    /// Starts a builder with the AppSecret.
    ///
    /// ```
    /// let onboarding = tspay::Onboarding::builder(tspay::AppSecret::new("as_1")).build()?;
    /// assert_eq!(onboarding.base_url().host_str(), Some("api-staging.tspay.app"));
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn builder(app_secret: AppSecret) -> OnboardingBuilder {
        OnboardingBuilder {
            app_secret: app_secret.0,
            environment: Environment::default(),
            base_url: None,
            http: HttpConfig::default(),
        }
    }

    /// The base URL `/auth/api-key` is appended to.
    ///
    /// ```
    /// let o = tspay::Onboarding::builder(tspay::AppSecret::new("as_1")).base_url("http://127.0.0.1:4010/tspay").build()?;
    /// assert_eq!(o.base_url().port(), Some(4010));
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// Requests a new API key (`POST /auth/api-key` with the AppSecret). The key is issued in
    /// state `init`: hand [`ApiKeyIssued::login_url`] to the merchant, who authorises it there.
    ///
    /// A write without an idempotency key (TS Pay documents none): never repeated once it may
    /// have reached TS Pay, and an ambiguous failure is
    /// [`ErrorKind::OutcomeUnknown`](crate::ErrorKind::OutcomeUnknown) — a key may have been
    /// issued; request another and leave the unused one inactive. A wrong AppSecret is
    /// [`ErrorKind::Unauthorized`](crate::ErrorKind::Unauthorized). Errors name the operation
    /// `"api_keys.create"` and never contain the AppSecret or an issued key.
    ///
    /// ```no_run
    /// # async fn run(onboarding: tspay::Onboarding) -> tspay::Result<()> {
    /// let issued = onboarding.request_api_key().await?;
    /// println!("activate at {}", issued.login_url);
    /// # Ok(()) }
    /// ```
    pub async fn request_api_key(&self) -> Result<ApiKeyIssued> {
        self.send().await.map_err(Error::at("api_keys.create"))
    }

    async fn send(&self) -> KResult<ApiKeyIssued> {
        let url = validate::endpoint(&self.base_url, &["auth", "api-key"]);
        let request = Request::post("tspay.api_keys.create", url)
            .bearer_auth(&self.app_secret)?
            .json(&serde_json::Map::new())?;
        self.http
            .execute(request, |response| {
                decode_with_secrets(&response, &["apiKey", "authKey"])
            })
            .await
    }
}

/// Decodes an answer that carries credentials: on a non-success it is TS Pay's error; on a
/// body that does not decode, the error is stripped of every string the body holds under
/// `secret_keys` (wherever they are), so that a half-readable answer never leaks a key.
pub(crate) fn decode_with_secrets<T: serde::de::DeserializeOwned>(
    response: &Response,
    secret_keys: &[&str],
) -> KResult<T> {
    if !response.status().is_success() {
        return Err(error::map_error(response));
    }
    response.json().map_err(|e| {
        let mut found = Vec::new();
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(response.body()) {
            collect_strings(&value, secret_keys, &mut found);
        }
        let found: Vec<&str> = found.iter().map(String::as_str).collect();
        match e.redact(&found) {
            Kind::Decode {
                status,
                path,
                message,
                source,
                ..
            } => Kind::Decode {
                status,
                path,
                message,
                excerpt: "[withheld: the answer carries credentials]".to_owned(),
                source,
            },
            other => other,
        }
    })
}

fn collect_strings(value: &serde_json::Value, keys: &[&str], out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                if keys.contains(&k.as_str())
                    && let Some(s) = v.as_str().filter(|s| !s.is_empty())
                {
                    out.push(s.to_owned());
                }
                collect_strings(v, keys, out);
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                collect_strings(v, keys, out);
            }
        }
        _ => {}
    }
}

/// Builds an [`Onboarding`]; see [`Onboarding::builder`].
#[derive(Clone)]
pub struct OnboardingBuilder {
    app_secret: SecretString,
    environment: Environment,
    base_url: Option<String>,
    http: HttpConfig,
}

impl fmt::Debug for OnboardingBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OnboardingBuilder")
            .field("app_secret", &"[REDACTED]")
            .field("environment", &self.environment)
            .field("base_url", &self.base_url)
            .finish()
    }
}

impl OnboardingBuilder {
    /// The host set (default [`Environment::Sandbox`]).
    ///
    /// ```
    /// let o = tspay::Onboarding::builder(tspay::AppSecret::new("as_1"))
    ///     .environment(tspay::Environment::Production)
    ///     .build()?;
    /// assert_eq!(o.base_url().host_str(), Some("api.tspay.app"));
    /// # Ok::<(), tspay::Error>(())
    /// ```
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Another host (checked by `build()`, field `base_url`).
    ///
    /// ```
    /// let err = tspay::Onboarding::builder(tspay::AppSecret::new("as_1")).base_url("ftp://x").build().unwrap_err();
    /// assert_eq!(err.invalid_field(), Some("base_url"));
    /// ```
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Timeouts, retries and reqwest settings of the pipeline.
    ///
    /// ```
    /// let b = tspay::Onboarding::builder(tspay::AppSecret::new("as_1")).http_config(tspay::HttpConfig::default());
    /// # let _ = b;
    /// ```
    pub fn http_config(mut self, config: HttpConfig) -> Self {
        self.http = config;
        self
    }

    /// Checks the settings (an empty AppSecret or one with whitespace is refused on
    /// `app_secret`, without quoting it) and builds the client (operation `"client.build"`).
    ///
    /// ```
    /// let err = tspay::Onboarding::builder(tspay::AppSecret::new("")).build().unwrap_err();
    /// assert_eq!(err.invalid_field(), Some("app_secret"));
    /// ```
    pub fn build(self) -> Result<Onboarding> {
        self.try_build().map_err(Error::at("client.build"))
    }

    fn try_build(self) -> KResult<Onboarding> {
        validate::credential("app_secret", &self.app_secret)?;
        let base_url = validate::base_url(
            "base_url",
            self.base_url
                .as_deref()
                .unwrap_or(self.environment.base_url()),
        )?;
        let http = HttpClient::new("tspay", USER_AGENT, self.http)?
            .redact_in_errors(vec![self.app_secret.clone()]);
        Ok(Onboarding {
            app_secret: self.app_secret,
            base_url,
            http,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use payments_common::StatusCode;

    /// A model with a field whose decode error quotes the value it got.
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Counted {
        count: u32,
    }

    /// The strings a credential-carrying answer holds under the secret keys — at the top, in
    /// nested objects and in arrays, never empty ones — are masked in its decode error, even
    /// where the error quotes one of them for another field.
    #[test]
    fn a_decode_error_masks_every_secret_string_of_the_answer() {
        for (secret, body) in [
            (
                "tsk_top_0123456789",
                r#"{"apiKey":"tsk_top_0123456789","count":"tsk_top_0123456789"}"#,
            ),
            (
                "ak_nested_9876543210",
                r#"{"count":"ak_nested_9876543210","grants":[{"authKey":"ak_nested_9876543210"},{"authKey":""}]}"#,
            ),
            (
                "ak_deep_1122334455",
                r#"{"outer":{"inner":{"authKey":"ak_deep_1122334455"}},"count":"ak_deep_1122334455"}"#,
            ),
        ] {
            let response =
                Response::for_tests(StatusCode::CREATED, "application/json", body.as_bytes());
            let error =
                decode_with_secrets::<Counted>(&response, &["apiKey", "authKey"]).unwrap_err();
            let text = format!("{error:?} {error}");
            assert!(matches!(error, Kind::Decode { .. }), "{text}");
            assert!(text.contains("count"), "{text}");
            assert!(!text.contains(secret), "{secret} leaked: {text}");
            assert!(text.contains("withheld"), "{text}");
        }
    }
}
