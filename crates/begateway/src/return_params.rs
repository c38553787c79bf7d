//! The query string beGateway appends when it sends the customer back to the shop.
//!
//! After paying, the customer's browser is redirected to the shop's return / success / fail
//! URL with `token`, `uid` and `status` added to its query string (bePaid docs,
//! <https://docs.bepaid.by/en/integration/widget/customer_return/>). **Everything in that query string is typed by whoever controls the browser**: a
//! customer can edit `status=failed` into `status=successful`. So this parser exposes only the
//! lookup handles — the transaction `uid` and the checkout `token` — and deliberately has no
//! status or "is paid" accessor. Learn the status from
//! [`Transactions::get`](crate::Transactions::get) or a verified notification.
//!
//! ```
//! use begateway::ReturnParams;
//!
//! let params = ReturnParams::parse("order=42&uid=1-310b0da80b&status=successful&token=abc");
//! assert_eq!(params.uid().map(|u| u.as_str()), Some("1-310b0da80b"));
//! assert_eq!(params.token(), Some("abc"));
//! // There is no params.status(): ask beGateway instead.
//! ```

use payments_common::{Url, validate};

use crate::transactions::TransactionUid;

/// The lookup handles of a customer's return to the shop (`uid`, `token`); unverified.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReturnParams {
    uid: Option<TransactionUid>,
    token: Option<String>,
}

impl ReturnParams {
    /// Reads a query string (with or without the leading `?`). Parameters other than `uid`
    /// and `token` — `status` included — are ignored, and so is a `uid` or `token` that is
    /// blank, longer than 255 characters or holds whitespace or control characters.
    pub fn parse(query: &str) -> Self {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut params = ReturnParams::default();
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let usable = validate::path_id(&key, &value).is_ok();
            match key.as_ref() {
                "uid" if usable && params.uid.is_none() => {
                    params.uid = Some(TransactionUid::new(value.into_owned()));
                }
                "token" if usable && params.token.is_none() => {
                    params.token = Some(value.into_owned());
                }
                _ => {}
            }
        }
        params
    }

    /// Reads the query string of the URL the customer arrived at.
    ///
    /// ```
    /// let url = begateway::Url::parse("https://shop.example/return?uid=1-abc&status=failed")?;
    /// let params = begateway::ReturnParams::from_url(&url);
    /// assert_eq!(params.uid().map(|u| u.to_string()), Some("1-abc".to_owned()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_url(url: &Url) -> Self {
        ReturnParams::parse(url.query().unwrap_or(""))
    }

    /// The transaction uid to query with [`Transactions::get`](crate::Transactions::get). A
    /// lookup handle only: it may be forged like the rest of the query string.
    pub fn uid(&self) -> Option<&TransactionUid> {
        self.uid.as_ref()
    }

    /// The checkout token, if the payment went through a checkout. A lookup handle only.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_usable_handles_are_kept() {
        let p = ReturnParams::parse("uid=&token=a%20b&status=successful");
        assert_eq!(p, ReturnParams::default());
        let p = ReturnParams::parse("uid=1-a&uid=1-b&token=t");
        assert_eq!(p.uid().map(TransactionUid::as_str), Some("1-a"));
        assert_eq!(p.token(), Some("t"));
        let long = format!("uid={}", "x".repeat(256));
        assert_eq!(ReturnParams::parse(&long).uid(), None);
    }
}
