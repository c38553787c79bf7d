//! The crate's [`Error`], and telling GreenPay's documented failures apart.
//!
//! GreenPay answers every refusal with the same envelope — `{"code": 500, "status": "FAIL",
//! "result": [], "errors": ["…"]}` — so the HTTP status and the code do not say *what* went
//! wrong; only the message does. [`Error::failure_kind`] reads it. Every such answer is an
//! [`ErrorKind::Api`] (see the crate's envelope rules), GreenPay's definitive answer even when
//! it comes with HTTP 500 ([`Error::is_retryable`] is `false`); anything that is not GreenPay
//! JSON falls back to the shared mapping of `payments_common` (`Http` with a redacted excerpt,
//! `Unauthorized`, `NotFound`, `RateLimited`, `Decode`).

use payments_common::ErrorKind;

payments_common::provider_error!(payments_common::Provider::GreenPay);

impl Error {
    /// Which documented GreenPay failure this is: `None` when it is not a GreenPay refusal
    /// (a transport error, an unknown outcome, invalid input…), `Some(FailureKind::Other)`
    /// for a refusal whose message is not one of the documented ones.
    ///
    /// Messages are compared without regard to case, surrounding blanks, quotes or a final
    /// period (the documentation page itself prints `""Merchant doesn't exist"."`).
    ///
    /// ```
    /// use greenpay::{Error, ErrorKind, FailureKind, StatusCode};
    ///
    /// let err = Error::new("subscriptions.pay", ErrorKind::Api {
    ///     status: StatusCode::OK,
    ///     code: Some("500".into()),
    ///     message: None,
    ///     messages: vec!["Subscription not found. Impossible to pay manually.".into()],
    ///     field_errors: Default::default(),
    ///     request_id: None,
    /// });
    /// assert_eq!(err.failure_kind(), Some(FailureKind::SubscriptionNotPayable));
    /// let invalid = Error::new("subscriptions.pay", ErrorKind::invalid("amount", "negative"));
    /// assert_eq!(invalid.failure_kind(), None);
    /// ```
    pub fn failure_kind(&self) -> Option<FailureKind> {
        failure_kind(self.kind())
    }

    /// `kind` of `operation` as this crate reports it: GreenPay's own refusal (its FAIL
    /// envelope, an [`ErrorKind::Api`]) is definitive whatever the HTTP status.
    pub(crate) fn from_call(operation: &'static str, kind: ErrorKind) -> Error {
        let own_refusal = matches!(kind, ErrorKind::Api { .. });
        let error = Error::new(operation, kind);
        if own_refusal {
            error.definitive()
        } else {
            error
        }
    }
}

/// The failures GreenPay documents, recognised from the messages of an [`ErrorKind::Api`]
/// ([`Error::failure_kind`]).
///
/// ```
/// use greenpay::FailureKind;
/// assert_ne!(FailureKind::MerchantNotFound, FailureKind::Other);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FailureKind {
    /// `"Merchant doesn't exist."`: the credentials (merchant id or secret) were refused.
    /// GreenPay sends it with `code: 500`, not as a 401.
    MerchantNotFound,
    /// `"Subscription not found. Impossible to pay manually."`: the subscription does not
    /// exist, is inactive, or is on hold (retries pending / not charged automatically).
    SubscriptionNotPayable,
    /// `"Subscription not found."` (and variants such as `"Subscription not found. Impossible
    /// to update."`) from the other subscription operations: no such subscription for this
    /// merchant, or (for updates) one that can no longer change. The exact messages of these
    /// operations are *inferred* from GreenPay's record, not documented on a page.
    SubscriptionNotFound,
    /// Another GreenPay refusal; read the messages of the [`ErrorKind::Api`].
    Other,
}

/// The documented failure an [`ErrorKind::Api`] reports (see [`Error::failure_kind`]).
pub(crate) fn failure_kind(error: &ErrorKind) -> Option<FailureKind> {
    let ErrorKind::Api {
        message, messages, ..
    } = error
    else {
        return None;
    };
    let texts = message.iter().chain(messages.iter()).map(|m| normalize(m));
    let mut kind = FailureKind::Other;
    for text in texts {
        if text == "merchant doesn't exist" || text == "merchant does not exist" {
            return Some(FailureKind::MerchantNotFound);
        }
        if text.contains("impossible to pay manually") {
            kind = FailureKind::SubscriptionNotPayable;
        } else if text.starts_with("subscription not found") && kind == FailureKind::Other {
            kind = FailureKind::SubscriptionNotFound;
        }
    }
    Some(kind)
}

fn normalize(message: &str) -> String {
    let trimmed = message
        .trim()
        .trim_matches(|c: char| c == '"' || c == '.' || c.is_whitespace());
    trimmed.replace('’', "'").replace('"', "").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use payments_common::StatusCode;

    fn api(messages: &[&str]) -> ErrorKind {
        ErrorKind::Api {
            status: StatusCode::OK,
            code: Some("500".into()),
            message: None,
            messages: messages.iter().map(|m| (*m).to_owned()).collect(),
            field_errors: Default::default(),
            request_id: None,
        }
    }

    #[test]
    fn documented_messages_and_their_page_variants() {
        for m in [
            "Merchant doesn't exist.",
            "\"Merchant doesn't exist\".",
            "merchant doesn’t exist",
            " Merchant doesn't exist ",
        ] {
            assert_eq!(
                failure_kind(&api(&[m])),
                Some(FailureKind::MerchantNotFound),
                "{m}"
            );
        }
        assert_eq!(
            failure_kind(&api(&[
                "Subscription not found. Impossible to pay manually."
            ])),
            Some(FailureKind::SubscriptionNotPayable)
        );
        for m in [
            "Subscription not found.",
            "Subscription not found. Impossible to update.",
        ] {
            assert_eq!(
                failure_kind(&api(&[m])),
                Some(FailureKind::SubscriptionNotFound),
                "{m}"
            );
        }
        assert_eq!(
            failure_kind(&api(&["Something else"])),
            Some(FailureKind::Other)
        );
        assert_eq!(failure_kind(&api(&[])), Some(FailureKind::Other));
    }
}
