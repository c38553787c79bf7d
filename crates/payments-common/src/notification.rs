//! The one pattern every provider crate verifies notifications with.

use reqwest::header::HeaderMap;

use crate::ProviderError;

/// Checks a provider's notification — its signature or credentials — and returns only what
/// that check proves. Every provider crate's `WebhookVerifier` implements it with the same
/// inherent method:
///
/// ```text
/// verifier.verify(&headers, &body) -> Result<VerifiedEvent, Error>
/// ```
///
/// over the request's headers ([`http::HeaderMap`](reqwest::header::HeaderMap), as axum, hyper
/// and actix-web hand them over) and its raw body bytes, exactly as received: parse nothing
/// before verifying, and never re-serialize the body.
///
/// A forgery is an [`ErrorKind::SignatureInvalid`](crate::ErrorKind::SignatureInvalid) (the
/// reason never quotes the expected value); a genuine notification that cannot be read is an
/// [`ErrorKind::Decode`](crate::ErrorKind::Decode) or
/// [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest).
///
/// With the `axum` feature, [`axum::Verified`](crate::axum::Verified) is an extractor built on
/// this trait.
pub trait VerifyNotification: Send + Sync + 'static {
    /// What a verified notification proves.
    type Event: Send + 'static;
    /// The provider crate's error.
    type Error: ProviderError;

    /// Verifies the notification made of `headers` and the raw `body`.
    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<Self::Event, Self::Error>;
}
