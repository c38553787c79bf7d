//! The bearer-token cache shared by every clone of a [`Client`]: at most one token exchange
//! in flight at a time, its result — token or error — handed to every call waiting on it.
//!
//! The lock guards only the bookkeeping and is never held across the exchange. The exchange
//! runs in its own task, so a caller that gives up (its deadline ran out, or its future was
//! dropped) does not cancel it for the others.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use payments_common::{Error, ExposeSecret, SecretString, TransportKind};
use tokio::sync::watch;

use crate::client::Client;

/// Inside the crate, errors are the shared kinds; public operations wrap them.
type Result<T> = std::result::Result<T, Error>;

/// A token in use, with the secrets to mask in the texts built from the answers of the calls
/// made with it. (The pipeline masks the token in its own errors: the request carries it as a
/// registered secret, whichever handle of the client sends it.)
pub(crate) struct Issued {
    pub(crate) token: SecretString,
    /// Counts the tokens obtained, so that calls refused with the same stale token replace it
    /// only once.
    pub(crate) generation: u64,
    /// Every secret to mask in texts built from this call's answers: the configured ones and
    /// this token.
    secrets: Vec<SecretString>,
}

impl Issued {
    /// The secrets to mask, for [`crate::error::from_response`].
    pub(crate) fn secrets(&self) -> Vec<&str> {
        self.secrets.iter().map(|s| s.expose_secret()).collect()
    }
}

/// What an exchange publishes: the new token, or its error (shared, rebuilt per waiter).
type Published = Option<std::result::Result<Arc<Issued>, Arc<Error>>>;

pub(crate) struct TokenCache {
    state: Mutex<State>,
}

struct State {
    current: Option<Arc<Issued>>,
    generation: u64,
    /// The exchange in flight, if any.
    flight: Option<watch::Receiver<Published>>,
    /// The last tokens this cache obtained, newest last: a refresh exchange masks them too, in
    /// case the token endpoint echoes the token being replaced.
    recent: Vec<SecretString>,
}

/// How many obtained tokens a cache remembers for masking.
const RECENT_TOKENS: usize = 4;

impl TokenCache {
    /// A cache holding `initial` (a token supplied to the builder), if any.
    pub(crate) fn new(initial: Option<SecretString>, secrets: &[SecretString]) -> Self {
        let current = initial.map(|token| {
            Arc::new(Issued {
                token,
                generation: 0,
                // The builder registered the supplied token among the configured secrets.
                secrets: secrets.to_vec(),
            })
        });
        TokenCache {
            state: Mutex::new(State {
                current,
                generation: 0,
                flight: None,
                recent: Vec::new(),
            }),
        }
    }

    /// The tokens this cache obtained lately (at most [`RECENT_TOKENS`]), to mask in the
    /// answers of a new exchange.
    pub(crate) fn recent_tokens(&self) -> Vec<SecretString> {
        self.lock().recent.clone()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is consistent after every statement: a panic elsewhere leaves it usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The cached token, or the result of the exchange in flight, or of a new one.
    pub(crate) async fn current(&self, client: &Client) -> Result<Arc<Issued>> {
        let flight = {
            let mut state = self.lock();
            if let Some(current) = &state.current {
                return Ok(current.clone());
            }
            join_or_start(&mut state, client)
        };
        wait(flight).await
    }

    /// A token newer than generation `refused` (which the API just refused): another call's
    /// if it already replaced it, the one being fetched, or a fresh one. `None` without client
    /// credentials.
    pub(crate) async fn replace(
        &self,
        client: &Client,
        refused: u64,
    ) -> Result<Option<Arc<Issued>>> {
        if client.inner.credentials.is_none() {
            return Ok(None);
        }
        let flight = {
            let mut state = self.lock();
            if let Some(current) = state.current.as_ref().filter(|c| c.generation != refused) {
                return Ok(Some(current.clone()));
            }
            state.current = None;
            join_or_start(&mut state, client)
        };
        wait(flight).await.map(Some)
    }

    /// A new token, replacing the cached one: the exchange in flight if there is one (it
    /// started after the cached token), otherwise a new exchange.
    pub(crate) async fn refresh(&self, client: &Client) -> Result<Arc<Issued>> {
        let flight = {
            let mut state = self.lock();
            join_or_start(&mut state, client)
        };
        wait(flight).await
    }
}

/// The exchange in flight, or a new one started in its own task.
fn join_or_start(state: &mut State, client: &Client) -> watch::Receiver<Published> {
    if let Some(flight) = &state.flight {
        // A task that ended without publishing (it panicked, or the runtime is shutting down)
        // leaves a closed channel: start over rather than wait on it.
        if flight.borrow().is_some() || flight.has_changed().is_ok() {
            return flight.clone();
        }
    }
    let (publish, flight) = watch::channel(None);
    state.flight = Some(flight.clone());
    let client = client.clone();
    tokio::spawn(async move {
        let fetched = crate::auth::fetch(&client).await;
        let published = {
            let mut state = client.inner.tokens.lock();
            state.flight = None;
            match fetched {
                Ok(token) => {
                    if state.recent.len() == RECENT_TOKENS {
                        state.recent.remove(0);
                    }
                    state.recent.push(token.clone());
                    state.generation += 1;
                    let issued = Arc::new(issue(&client, token, state.generation));
                    state.current = Some(issued.clone());
                    Ok(issued)
                }
                Err(error) => Err(Arc::new(error)),
            }
        };
        // Nobody waiting is fine: the token is cached all the same.
        let _ = publish.send(Some(published));
    });
    flight
}

/// A fetched token with the secrets to mask in the texts built from its calls' answers.
fn issue(client: &Client, token: SecretString, generation: u64) -> Issued {
    let mut secrets = client.inner.secrets.clone();
    secrets.push(token.clone());
    Issued {
        token,
        generation,
        secrets,
    }
}

/// Waits for the exchange's result.
async fn wait(mut flight: watch::Receiver<Published>) -> Result<Arc<Issued>> {
    match flight.wait_for(Option::is_some).await {
        Ok(published) => match published.as_ref() {
            Some(Ok(issued)) => Ok(issued.clone()),
            Some(Err(error)) => Err(replay(error)),
            None => Err(abandoned()),
        },
        Err(_) => Err(abandoned()),
    }
}

fn abandoned() -> Error {
    Error::Transport {
        kind: TransportKind::Other,
        attempts: 0,
        source: "the token exchange ended without an answer".into(),
    }
}

/// A copy of the exchange's `error` for one of the calls that waited on it. [`Error`] is not
/// `Clone` (its sources are boxed trait objects): sources are carried over as their text,
/// which the pipeline already stripped of URLs and masked.
pub(crate) fn replay(error: &Error) -> Error {
    let text = |source: &payments_common::BoxError| -> payments_common::BoxError {
        source.to_string().into()
    };
    match error {
        Error::InvalidRequest { field, reason } => Error::invalid(field.clone(), reason.clone()),
        Error::Connect { attempts, source } => Error::Connect {
            attempts: *attempts,
            source: text(source),
        },
        Error::Timeout { attempts, source } => Error::Timeout {
            attempts: *attempts,
            source: source.as_ref().map(text),
        },
        Error::Transport {
            kind,
            attempts,
            source,
        } => Error::Transport {
            kind: *kind,
            attempts: *attempts,
            source: text(source),
        },
        Error::OutcomeUnknown {
            operation,
            reconciliation,
            source,
        } => Error::OutcomeUnknown {
            operation,
            reconciliation: reconciliation.clone(),
            source: Box::new(replay(source)),
        },
        Error::Http {
            status,
            content_type,
            excerpt,
            request_id,
        } => Error::Http {
            status: *status,
            content_type: content_type.clone(),
            excerpt: excerpt.clone(),
            request_id: request_id.clone(),
        },
        Error::Api {
            status,
            code,
            message,
            messages,
            field_errors,
            request_id,
        } => Error::Api {
            status: *status,
            code: code.clone(),
            message: message.clone(),
            messages: messages.clone(),
            field_errors: field_errors.clone(),
            request_id: request_id.clone(),
        },
        Error::Unauthorized {
            status,
            message,
            request_id,
        } => Error::Unauthorized {
            status: *status,
            message: message.clone(),
            request_id: request_id.clone(),
        },
        Error::NotFound {
            message,
            request_id,
        } => Error::NotFound {
            message: message.clone(),
            request_id: request_id.clone(),
        },
        Error::RateLimited {
            status,
            retry_after,
            request_id,
        } => Error::RateLimited {
            status: *status,
            retry_after: *retry_after,
            request_id: request_id.clone(),
        },
        Error::Decode {
            status,
            path,
            message,
            excerpt,
            source,
        } => Error::Decode {
            status: *status,
            path: path.clone(),
            message: message.clone(),
            excerpt: excerpt.clone(),
            source: text(source),
        },
        Error::ResponseTooLarge { status, limit } => Error::ResponseTooLarge {
            status: *status,
            limit: *limit,
        },
        Error::UnexpectedRedirect { status, location } => Error::UnexpectedRedirect {
            status: *status,
            location: location.clone(),
        },
        Error::SignatureInvalid { reason } => Error::signature(reason.clone()),
        // A kind added to `Error` later: keep its text.
        other => Error::Transport {
            kind: TransportKind::Other,
            attempts: other.attempts().unwrap_or(0),
            source: other.to_string().into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use payments_common::StatusCode;

    #[test]
    fn replayed_errors_keep_their_kind_and_text() {
        let errors = [
            Error::Timeout {
                attempts: 2,
                source: Some("deadline".into()),
            },
            Error::Unauthorized {
                status: StatusCode::UNAUTHORIZED,
                message: Some("Bad credentials".into()),
                request_id: Some("r-1".into()),
            },
            Error::invalid("credentials", "none"),
        ];
        for error in &errors {
            let copy = replay(error);
            assert_eq!(copy.to_string(), error.to_string());
            assert_eq!(std::mem::discriminant(&copy), std::mem::discriminant(error));
            assert_eq!(copy.attempts(), error.attempts());
        }
    }

    /// The texts built from a call's answer mask the call's token and every configured secret
    /// on their own, before the pipeline's masking (which covers only what the request carries).
    #[test]
    fn an_issued_token_masks_itself_and_the_configured_secrets_in_answer_texts() {
        let client = Client::builder(crate::Credentials::new(
            SecretString::from("client-id-4f2a9c"),
            SecretString::from("client-secret-8d1e7b"),
        ))
        .build()
        .unwrap();
        let issued = issue(&client, SecretString::from("bearer-token-3c6f0a"), 1);
        let echo = br#"{"msg":"refused: bearer-token-3c6f0a for client-id-4f2a9c / client-secret-8d1e7b"}"#;
        let response = payments_common::http::Response::for_tests(
            StatusCode::BAD_REQUEST,
            "application/json",
            echo,
        );

        let error = crate::error::from_response(&response, &issued.secrets());
        let text = format!("{error:?} {error}");

        assert!(text.contains("refused"), "the message is kept: {text}");
        for secret in [
            "bearer-token-3c6f0a",
            "client-id-4f2a9c",
            "client-secret-8d1e7b",
        ] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
    }
}
