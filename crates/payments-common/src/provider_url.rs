//! URLs that providers return, kept as text until the caller needs them parsed.

use std::fmt;

use serde::{Deserialize, Serialize};
use url::Url;

/// A URL as a provider returned it — a hosted payment page, a confirmation link — kept as the
/// text the provider sent and parsed only when asked.
///
/// Responses carry such links to hand to a browser, mostly unchanged: parsing each one into a
/// [`Url`] on every decode would double the cost of decoding a small response, for a value most
/// callers only print or redirect to. [`ProviderUrl::parse`] gives the [`Url`] when it is needed
/// (and fails if the provider sent something that is not an absolute URL).
///
/// ```
/// use payments_common::ProviderUrl;
/// let link: ProviderUrl = serde_json::from_str(r#""https://checkout.example.com/v2/confirm_order/prd_1/361""#)?;
/// assert_eq!(link.as_str(), "https://checkout.example.com/v2/confirm_order/prd_1/361");
/// assert_eq!(link.parse()?.host_str(), Some("checkout.example.com"));
/// assert_eq!(link.to_string(), link.as_str());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProviderUrl(String);

impl ProviderUrl {
    /// Wraps `url` (for tests and for building responses by hand).
    ///
    /// ```
    /// let link = payments_common::ProviderUrl::new("https://pay.example.com/p/1");
    /// assert_eq!(link.as_str(), "https://pay.example.com/p/1");
    /// ```
    pub fn new(url: impl Into<String>) -> Self {
        ProviderUrl(url.into())
    }

    /// The URL as the provider sent it.
    ///
    /// ```
    /// let link = payments_common::ProviderUrl::new("https://pay.example.com/p/1");
    /// assert!(link.as_str().starts_with("https://"));
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Parses the URL: an error if the provider sent something that is not an absolute URL.
    ///
    /// ```
    /// use payments_common::ProviderUrl;
    /// assert!(ProviderUrl::new("https://pay.example.com/p/1").parse().is_ok());
    /// assert!(ProviderUrl::new("/p/1").parse().is_err());
    /// ```
    pub fn parse(&self) -> Result<Url, url::ParseError> {
        Url::parse(&self.0)
    }
}

impl fmt::Debug for ProviderUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for ProviderUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ProviderUrl {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<Url> for ProviderUrl {
    fn from(url: Url) -> Self {
        ProviderUrl(url.into())
    }
}

impl PartialEq<str> for ProviderUrl {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for ProviderUrl {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}
