//! The client-credentials token exchange and the authenticated call that re-authenticates
//! once after a 401, all within one overall deadline.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use payments_common::http::{Request, RequestKind, Response};
use payments_common::{Error, ExposeSecret, Reconciliation, SecretString, StatusCode, validate};
use serde::{Deserialize, Serialize};

use crate::client::{Client, ClientCredentials, client_id};
use crate::error;

/// Inside the crate, errors are the shared kinds; public operations wrap them with their
/// operation's name.
type Result<T> = std::result::Result<T, Error>;

/// The body of `POST {auth}/token`: `{"grant_type": "client_credentials"}`.
///
/// ```
/// let body = jatapay::TokenRequest::client_credentials();
/// assert_eq!(serde_json::to_string(&body)?, r#"{"grant_type":"client_credentials"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TokenRequest {
    /// `grant_type`: always `client_credentials` (the only documented grant).
    pub grant_type: String,
}

impl TokenRequest {
    /// The documented client-credentials grant.
    ///
    /// ```
    /// assert_eq!(jatapay::TokenRequest::client_credentials().grant_type, "client_credentials");
    /// ```
    pub fn client_credentials() -> Self {
        TokenRequest {
            grant_type: "client_credentials".to_owned(),
        }
    }
}

/// The answer of `POST {auth}/token`: `{"token": "...", "refresh_token": "..."}`.
///
/// Not an OAuth 2 (RFC 6749) response: there is no `access_token`, `expires_in` or
/// `token_type`, and no token lifetime is documented. Both values are secrets: `Debug` shows
/// `[REDACTED]` and the type is deliberately neither `Serialize` nor `PartialEq`.
///
/// No refresh call is documented either, so the client never uses `refresh_token`: after a
/// 401 it runs the client-credentials exchange again.
///
/// ```
/// use jatapay::ExposeSecret;
/// let token: jatapay::Token = serde_json::from_str(r#"{"token":"eyJ.a.b","refresh_token":"eyJ.c.d"}"#)?;
/// assert_eq!(token.token.expose_secret(), "eyJ.a.b");
/// assert!(!format!("{token:?}").contains("eyJ"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Deserialize)]
#[non_exhaustive]
pub struct Token {
    /// `token`: the bearer token for `Authorization: Bearer <token>` on API calls.
    pub token: SecretString,
    /// `refresh_token`: issued by JataPay, but how to use it is not documented.
    #[serde(default)]
    pub refresh_token: Option<SecretString>,
}

#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
impl Token {
    /// The answer of a token exchange, for tests of your own code (feature `test-util`):
    /// `token` given, no `refresh_token`.
    ///
    /// ```
    /// use jatapay::{ExposeSecret, SecretString, Token};
    /// let token = Token::for_tests(SecretString::from("eyJ.a.b"));
    /// assert_eq!(token.token.expose_secret(), "eyJ.a.b");
    /// assert!(token.refresh_token.is_none());
    /// ```
    pub fn for_tests(token: SecretString) -> Self {
        Token {
            token,
            refresh_token: None,
        }
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("token", &"[REDACTED]")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[REDACTED]"),
            )
            .finish()
    }
}

/// `POST {auth}/token` with HTTP Basic `client_id:client_secret` and
/// `{"grant_type":"client_credentials"}`.
///
/// The exchange has no side effect at JataPay beyond issuing a token, so it is sent as a
/// *read*: retried on connect failures, timeouts, broken connections and 5xx like a GET.
pub(crate) async fn fetch(client: &Client) -> Result<SecretString> {
    let credentials: &ClientCredentials = client.inner.credentials.as_ref().ok_or_else(|| {
        Error::invalid(
            "credentials",
            "no client credentials configured to obtain a token",
        )
    })?;
    let url = validate::endpoint(&client.inner.auth_base, &["token"]);
    let request = Request::post("jatapay.token.create", url)
        .as_read()
        .basic_auth(client_id(credentials), &credentials.client_secret)?
        .json(&TokenRequest::client_credentials())?;
    // Mask the configured secrets and the tokens obtained before this exchange (a refresh's
    // token endpoint may echo the token being replaced).
    let recent = client.inner.tokens.recent_tokens();
    let mut secrets = client.inner.secret_texts();
    secrets.extend(recent.iter().map(|t| t.expose_secret()));
    let token = client
        .http
        .execute(request, |response| {
            if !response.status().is_success() {
                return Err(error::from_response(&response, &secrets));
            }
            let token: Token = response.json()?;
            if validate::credential("token", &token.token).is_err() {
                return Err(
                    response.decode_error("token", "the token is empty or contains whitespace")
                );
            }
            Ok(token)
        })
        .await
        .map_err(|error| error.redact(&secrets))?;
    Ok(token.token)
}

/// Runs `operation` (a token exchange, or one API call with all its steps) within the
/// handle's overall deadline ([`HttpConfig::deadline`](crate::HttpConfig::deadline), or the
/// [`RequestOptions::deadline`](crate::RequestOptions::deadline) of a
/// [`Client::with_options`] handle).
///
/// The pipeline applies the deadline to each request it sends; this applies it once more to
/// the whole: the steps share one deadline instead of each having its own. When it runs out,
/// the error is [`ErrorKind::Timeout`](payments_common::ErrorKind::Timeout), or [`ErrorKind::OutcomeUnknown`](payments_common::ErrorKind::OutcomeUnknown) when `progress` says a write
/// was on its way with no answer yet.
async fn within_deadline<T>(
    client: &Client,
    progress: &Progress,
    operation: impl std::future::Future<Output = Result<T>>,
) -> Result<T> {
    if client.deadline.is_zero() {
        return Err(Error::invalid("deadline", "must be greater than zero"));
    }
    match tokio::time::timeout(client.deadline, operation).await {
        Ok(result) => result,
        Err(_elapsed) => Err(progress.deadline_error()),
    }
}

/// How far a call got, for the error when its deadline runs out.
struct Progress {
    operation: &'static str,
    /// API requests sent.
    attempts: AtomicU32,
    /// A write was sent and its answer has not arrived.
    write_in_flight: AtomicBool,
    /// The call is waiting for a token exchange.
    awaiting_token: AtomicBool,
}

impl Progress {
    fn new(operation: &'static str) -> Self {
        Progress {
            operation,
            attempts: AtomicU32::new(0),
            write_in_flight: AtomicBool::new(false),
            awaiting_token: AtomicBool::new(false),
        }
    }

    fn started(&self) {
        self.attempts.fetch_add(1, Ordering::Relaxed);
    }

    fn deadline_error(&self) -> Error {
        let timeout = Error::Timeout {
            attempts: self.attempts.load(Ordering::Relaxed)
                + u32::from(self.awaiting_token.load(Ordering::Relaxed)),
            source: Some("the call's overall deadline ran out".into()),
        };
        if self.write_in_flight.load(Ordering::Relaxed) {
            Error::OutcomeUnknown {
                operation: self.operation,
                reconciliation: Reconciliation::default(),
                source: Box::new(timeout),
            }
        } else {
            timeout
        }
    }
}

/// Exchanges the credentials for a new token now and caches it (the exchange in flight, if
/// there is one), within the overall deadline.
pub(crate) async fn refresh(client: &Client) -> Result<()> {
    let progress = Progress::new("jatapay.token.create");
    progress.awaiting_token.store(true, Ordering::Relaxed);
    within_deadline(client, &progress, client.inner.tokens.refresh(client))
        .await
        .map(|_| ())
}

/// Sends an API `request` with the bearer token and hands the answer to `handle`, with the
/// secrets to mask in any text it builds from the answer.
///
/// On a 401, when client credentials are configured, the token is replaced once (or taken
/// from a concurrent call that already replaced it) and the request is repeated once. HTTP
/// defines 401 as "the request has not been applied because it lacks valid authentication
/// credentials" (RFC 9110, 15.5.2): the credentials are checked before the request is carried
/// out, so repeating a refused write cannot apply it twice. A second 401, or a 401 without
/// credentials, is [`ErrorKind::Unauthorized`](payments_common::ErrorKind::Unauthorized). When the repeat fails, its error counts both
/// attempts.
///
/// Everything — waiting for a token, the request, the new token, the repeat — runs within one
/// overall deadline.
pub(crate) async fn call<T, F>(client: &Client, request: Request, handle: F) -> Result<T>
where
    F: Fn(Response, &[&str]) -> Result<T>,
{
    let progress = Progress::new(request.operation());
    if client.keyed && request.kind() == RequestKind::Write {
        // Refused before a token is fetched: nothing at all is sent.
        return Err(Error::invalid(
            "idempotency_key",
            format!(
                "JataPay honours no idempotency key for {}",
                request.operation()
            ),
        ));
    }
    within_deadline(
        client,
        &progress,
        steps(client, request, &handle, &progress),
    )
    .await
}

async fn steps<T, F>(
    client: &Client,
    request: Request,
    handle: &F,
    progress: &Progress,
) -> Result<T>
where
    F: Fn(Response, &[&str]) -> Result<T>,
{
    enum Step<T> {
        Done(T),
        Reauthenticate,
    }
    let tokens = &client.inner.tokens;
    let is_write = request.kind() == RequestKind::Write;
    let can_reauthenticate = client.inner.credentials.is_some();
    progress.awaiting_token.store(true, Ordering::Relaxed);
    let issued = tokens.current(client).await?;
    progress.awaiting_token.store(false, Ordering::Relaxed);
    let secrets = issued.secrets();
    let authorized = request.clone().bearer_auth(&issued.token)?;
    progress.started();
    progress.write_in_flight.store(is_write, Ordering::Relaxed);
    let first = client
        .http
        .execute(authorized, |response| {
            if response.status() == StatusCode::UNAUTHORIZED && can_reauthenticate {
                Ok(Step::Reauthenticate)
            } else {
                handle(response, &secrets).map(Step::Done)
            }
        })
        .await;
    progress.write_in_flight.store(false, Ordering::Relaxed);
    match first? {
        Step::Done(value) => Ok(value),
        Step::Reauthenticate => {
            // The refused request was not carried out: nothing is in flight while the new
            // token is fetched.
            progress.awaiting_token.store(true, Ordering::Relaxed);
            let replaced = tokens.replace(client, issued.generation).await?;
            progress.awaiting_token.store(false, Ordering::Relaxed);
            let Some(issued) = replaced else {
                return Err(Error::invalid(
                    "credentials",
                    "no client credentials configured to obtain a token",
                ));
            };
            let secrets = issued.secrets();
            let authorized = request.bearer_auth(&issued.token)?;
            progress.started();
            progress.write_in_flight.store(is_write, Ordering::Relaxed);
            let repeat = client
                .http
                .execute(authorized, |response| handle(response, &secrets))
                .await;
            progress.write_in_flight.store(false, Ordering::Relaxed);
            repeat.map_err(count_the_refused_attempt)
        }
    }
}

/// The repeat's error, counting the attempt refused with 401 before it.
fn count_the_refused_attempt(error: Error) -> Error {
    match error {
        Error::Connect { attempts, source } => Error::Connect {
            attempts: attempts + 1,
            source,
        },
        Error::Timeout { attempts, source } => Error::Timeout {
            attempts: attempts + 1,
            source,
        },
        Error::Transport {
            kind,
            attempts,
            source,
        } => Error::Transport {
            kind,
            attempts: attempts + 1,
            source,
        },
        Error::OutcomeUnknown {
            operation,
            reconciliation,
            source,
        } => Error::OutcomeUnknown {
            operation,
            reconciliation,
            source: Box::new(count_the_refused_attempt(*source)),
        },
        other => other,
    }
}
