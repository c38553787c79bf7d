//! An [axum](https://docs.rs/axum) extractor that verifies a provider's notification before
//! the handler runs (feature `axum`).

use std::fmt;
use std::sync::Arc;

use axum_core::extract::{FromRef, FromRequest, Request};
use axum_core::response::{IntoResponse, Response};
use bytes::Bytes;
use reqwest::StatusCode;

use crate::notification::VerifyNotification;
use crate::{ErrorKind, ProviderError};

/// A notification whose signature (or credentials) verified: the handler receives only what
/// the verification proves. The verifier comes from the router's state (`V: FromRef<S>`; an
/// `Arc<V>` works too).
///
/// A forgery never reaches the handler: it is answered `401 Unauthorized`; a genuine
/// notification that cannot be read, `400 Bad Request`; a body over axum's body limit (2 MB by
/// default), `413`. The answer's body is a fixed short text, never the reason (the reason is
/// logged as a `tracing` warning, without secrets). Take `Result<Verified<V>, Rejected>` to
/// handle the refusal yourself.
///
/// ```ignore
/// use axum::{Router, routing::post, extract::FromRef};
/// use payments_common::axum::Verified;
///
/// #[derive(Clone, FromRef)]
/// struct AppState { begateway: begateway::WebhookVerifier }
///
/// async fn notified(Verified(event): Verified<begateway::WebhookVerifier>) -> &'static str {
///     // confirm event.uid for its order, then fulfil
///     "OK"
/// }
/// let app: Router<AppState> = Router::new().route("/begateway/notify", post(notified));
/// ```
pub struct Verified<V: VerifyNotification>(pub V::Event);

impl<V: VerifyNotification> fmt::Debug for Verified<V>
where
    V::Event: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Verified").field(&self.0).finish()
    }
}

impl<S, V> FromRequest<S> for Verified<V>
where
    V: VerifyNotification + FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Rejected;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = V::from_ref(state);
        let headers = request.headers().clone();
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| Rejected {
                status: rejection.status(),
                reason: "the notification's body could not be read".to_owned(),
            })?;
        match verifier.verify(&headers, &body) {
            Ok(event) => Ok(Verified(event)),
            Err(error) => {
                let rejected = Rejected::from_error(&error);
                tracing::warn!(
                    provider = %error.provider(),
                    status = rejected.status.as_u16(),
                    "notification refused: {error}"
                );
                Err(rejected)
            }
        }
    }
}

impl<V: VerifyNotification> VerifyNotification for Arc<V> {
    type Event = V::Event;
    type Error = V::Error;

    fn verify(
        &self,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) -> Result<Self::Event, Self::Error> {
        V::verify(self, headers, body)
    }
}

/// Why [`Verified`] refused a notification, and the status it answers with.
#[derive(Debug, Clone)]
pub struct Rejected {
    status: StatusCode,
    reason: String,
}

impl Rejected {
    fn from_error(error: &impl ProviderError) -> Self {
        let status = match error.kind() {
            ErrorKind::SignatureInvalid { .. } => StatusCode::UNAUTHORIZED,
            _ => StatusCode::BAD_REQUEST,
        };
        Rejected {
            status,
            reason: error.to_string(),
        }
    }

    /// The status the refusal answers with (401 for a forgery, 400 for an unreadable
    /// notification, 413 for an oversized body).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Why, as the verifier's error says it (no secret is ever in it); not sent to the caller.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "notification refused ({}): {}", self.status, self.reason)
    }
}

impl std::error::Error for Rejected {}

impl IntoResponse for Rejected {
    fn into_response(self) -> Response {
        let text = if self.status == StatusCode::UNAUTHORIZED {
            "notification not verified"
        } else {
            "notification refused"
        };
        (self.status, text).into_response()
    }
}
