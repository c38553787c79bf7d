//! The client-credentials token exchange, the shared token cache, and the authenticated call
//! that re-authenticates once after a 401.

use std::fmt;

use payments_common::http::{Request, Response};
use payments_common::{ExposeSecret, SecretString, StatusCode, validate};
use serde::{Deserialize, Serialize};

use crate::client::{Client, Credentials, client_id};
use crate::{Error, Result, error};

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

/// The cached bearer token, shared by every clone of a [`Client`].
///
/// The lock is held while a token is fetched, so calls that start together wait for one
/// exchange instead of each making their own. `generation` counts the tokens obtained, so
/// that calls refused with the same stale token replace it only once.
pub(crate) struct TokenCache {
    state: tokio::sync::Mutex<TokenState>,
}

struct TokenState {
    token: Option<SecretString>,
    generation: u64,
}

impl TokenCache {
    pub(crate) fn new(initial: Option<SecretString>) -> Self {
        TokenCache {
            state: tokio::sync::Mutex::new(TokenState {
                token: initial,
                generation: 0,
            }),
        }
    }

    /// The cached token and its generation, fetching one first if there is none.
    async fn current(&self, client: &Client) -> Result<(SecretString, u64)> {
        let mut state = self.state.lock().await;
        if let Some(token) = &state.token {
            return Ok((token.clone(), state.generation));
        }
        let token = fetch(client).await?;
        state.token = Some(token.clone());
        state.generation += 1;
        Ok((token, state.generation))
    }

    /// A token newer than generation `refused` (which the API just refused): another task's
    /// if it already replaced it, otherwise a fresh one. `None` without client credentials.
    async fn replace(&self, client: &Client, refused: u64) -> Result<Option<SecretString>> {
        if client.inner.credentials.is_none() {
            return Ok(None);
        }
        let mut state = self.state.lock().await;
        if let Some(token) = state.token.as_ref().filter(|_| state.generation != refused) {
            return Ok(Some(token.clone()));
        }
        state.token = None;
        let token = fetch(client).await?;
        state.token = Some(token.clone());
        state.generation += 1;
        Ok(Some(token))
    }

    /// Fetches and caches a new token unconditionally.
    pub(crate) async fn force_refresh(&self, client: &Client) -> Result<()> {
        let mut state = self.state.lock().await;
        let token = fetch(client).await?;
        state.token = Some(token);
        state.generation += 1;
        Ok(())
    }
}

/// `POST {auth}/token` with HTTP Basic `client_id:client_secret` and
/// `{"grant_type":"client_credentials"}`.
///
/// The exchange has no side effect at JataPay beyond issuing a token, so it is sent as a
/// *read*: retried on connect failures, timeouts, broken connections and 5xx like a GET.
async fn fetch(client: &Client) -> Result<SecretString> {
    let credentials: &Credentials = client.inner.credentials.as_ref().ok_or_else(|| {
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
    let token = client
        .inner
        .http
        .execute(request, |response| {
            if !response.status().is_success() {
                return Err(error::from_response(&response));
            }
            let token: Token = response.json()?;
            if validate::credential("token", &token.token).is_err() {
                return Err(
                    response.decode_error("token", "the token is empty or contains whitespace")
                );
            }
            Ok(token)
        })
        .await?;
    Ok(token.token)
}

/// Sends an API `request` with the bearer token and hands the answer to `handle`.
///
/// On a 401, when client credentials are configured, the token is replaced once (or taken
/// from a concurrent call that already replaced it) and the request is repeated once; a 401
/// means the request was not carried out, so repeating a write is safe. A second 401, or a
/// 401 without credentials, is [`Error::Unauthorized`].
pub(crate) async fn call<T, F>(client: &Client, request: Request, handle: F) -> Result<T>
where
    F: Fn(Response) -> Result<T>,
{
    enum Step<T> {
        Done(T),
        Reauthenticate,
    }
    let tokens = &client.inner.tokens;
    let can_reauthenticate = client.inner.credentials.is_some();
    let (token, generation) = tokens.current(client).await?;
    let first = client
        .inner
        .http
        .execute(request.clone().bearer_auth(&token)?, |response| {
            if response.status() == StatusCode::UNAUTHORIZED && can_reauthenticate {
                Ok(Step::Reauthenticate)
            } else {
                handle(response).map(Step::Done)
            }
        })
        .await
        .map_err(|e| scrub(&token, e))?;
    match first {
        Step::Done(value) => Ok(value),
        Step::Reauthenticate => match tokens.replace(client, generation).await? {
            Some(token) => client
                .inner
                .http
                .execute(request.bearer_auth(&token)?, &handle)
                .await
                .map_err(|e| scrub(&token, e)),
            None => Err(Error::invalid(
                "credentials",
                "no client credentials configured to obtain a token",
            )),
        },
    }
}

/// Masks the token in use wherever the provider's answer may have echoed it. The pipeline
/// already masks the client's own credentials (registered with `redact_in_errors`); a token
/// fetched at run time is masked here, with the same shared [`Error::redact`].
fn scrub(token: &SecretString, error: Error) -> Error {
    error.redact(&[token.expose_secret()])
}
