//! Which provider an error or a notification comes from, and the error type every provider
//! crate declares with [`provider_error!`](crate::provider_error).

use std::fmt;

use crate::error::{Error as ErrorKind, Reconciliation};

/// A payment provider this family of crates implements.
///
/// ```
/// use payments_common::Provider;
/// assert_eq!(Provider::BeGateway.to_string(), "beGateway");
/// assert_eq!(Provider::TsPay.name(), "TS Pay");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Provider {
    /// beGateway and its white labels (`begateway` crate).
    BeGateway,
    /// GreenPay, Costa Rica (`greenpay` crate).
    GreenPay,
    /// JataPay, Italy (`jatapay` crate).
    JataPay,
    /// TS Pay by TeamSystem, Italy (`tspay` crate).
    TsPay,
}

impl Provider {
    /// The provider's name as it writes it.
    pub fn name(self) -> &'static str {
        match self {
            Provider::BeGateway => "beGateway",
            Provider::GreenPay => "GreenPay",
            Provider::JataPay => "JataPay",
            Provider::TsPay => "TS Pay",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What every provider crate's `Error` answers, so that code handling several providers can
/// treat their errors alike (each crate's `Error` is its own type: a shop can write a `From`
/// for each).
///
/// ```
/// use payments_common::{ErrorKind, Provider, ProviderError};
///
/// fn log_failure(e: &impl ProviderError) -> String {
///     format!("{} {} failed (retryable: {})", e.provider(), e.operation(), e.kind().is_retryable())
/// }
/// ```
pub trait ProviderError: std::error::Error + Send + Sync + 'static {
    /// The provider that failed.
    fn provider(&self) -> Provider;
    /// The operation, e.g. `"products.create"` or `"webhook.verify"`.
    fn operation(&self) -> &'static str;
    /// What went wrong.
    fn kind(&self) -> &ErrorKind;
    /// What went wrong, by value.
    fn into_kind(self) -> ErrorKind
    where
        Self: Sized;
}

/// Facts about a failure that do not depend on the provider, for the generated `Error`
/// types' methods (not part of the API).
#[doc(hidden)]
pub fn is_retryable(kind: &ErrorKind, definitive: bool) -> bool {
    !definitive && kind.is_retryable()
}

/// The `"{provider} {operation}: {what went wrong}"` rendering of a provider crate's error.
#[doc(hidden)]
pub fn display(
    f: &mut fmt::Formatter<'_>,
    provider: Provider,
    operation: &str,
    kind: &ErrorKind,
) -> fmt::Result {
    write!(f, "{provider} {operation}: {kind}")
}

/// The reconciliation handles of an unknown outcome (not part of the API).
#[doc(hidden)]
pub fn reconciliation(kind: &ErrorKind) -> Option<&Reconciliation> {
    match kind {
        ErrorKind::OutcomeUnknown { reconciliation, .. } => Some(reconciliation),
        _ => None,
    }
}

/// Declares a provider crate's `Error`: what went wrong (an [`ErrorKind`](crate::ErrorKind)),
/// in which operation, at which provider. Each crate gets its own type (so that a shop using
/// two providers can convert each into its own error), with the same methods everywhere:
///
/// - `provider()`, `operation()`, `kind()`, `into_kind()`;
/// - `is_retryable()`, `is_outcome_unknown()`, `status()`, `request_id()`, `attempts()`,
///   `invalid_field()`, `reconciliation()`;
/// - `Display`: `"beGateway products.create: could not connect to api.begateway.com:
///   connection refused (3 attempts)"`; `source()` is the cause of the kind;
/// - inside the crate: `Error::new(operation, kind)`, `Error::at(operation)` (for
///   `map_err`), and `.definitive()` for a provider's own final refusal that came with a 5xx
///   status (never worth repeating).
///
/// The crate adds its provider-specific methods in its own `impl Error` block.
///
/// ```
/// mod example {
///     payments_common::provider_error!(payments_common::Provider::BeGateway);
/// }
/// use payments_common::ErrorKind;
/// let e = example::Error::new("products.create", ErrorKind::invalid("price", "must be positive"));
/// assert_eq!(e.to_string(), "beGateway products.create: invalid request: price: must be positive");
/// assert_eq!(e.invalid_field(), Some("price"));
/// assert!(matches!(e.kind(), ErrorKind::InvalidRequest { .. }));
/// ```
#[macro_export]
macro_rules! provider_error {
    ($provider:expr) => {
        /// What went wrong in an operation of this crate: the operation's name, and
        /// [what went wrong](Error::kind) as the shared [`ErrorKind`] describes it.
        ///
        /// `Display` leads with the provider and the operation and ends with the root cause;
        /// neither `Display` nor `Debug` ever shows a credential.
        pub struct Error {
            inner: ::std::boxed::Box<ErrorInner>,
        }

        struct ErrorInner {
            operation: &'static str,
            kind: $crate::ErrorKind,
            definitive: bool,
        }

        /// The result of every operation of this crate.
        #[allow(dead_code)]
        pub type Result<T, E = Error> = ::std::result::Result<T, E>;

        #[allow(dead_code)]
        impl Error {
            /// The provider this crate talks to.
            pub const PROVIDER: $crate::Provider = $provider;

            /// An error of `operation`.
            pub fn new(operation: &'static str, kind: $crate::ErrorKind) -> Self {
                Error {
                    inner: ::std::boxed::Box::new(ErrorInner {
                        operation,
                        kind,
                        definitive: false,
                    }),
                }
            }

            /// `Error::new(operation, _)` as a function, for `map_err`.
            pub fn at(operation: &'static str) -> impl FnOnce($crate::ErrorKind) -> Self {
                move |kind| Error::new(operation, kind)
            }

            /// Marks the error as the provider's own definitive answer: never retryable, even
            /// with a 5xx status.
            pub(crate) fn definitive(mut self) -> Self {
                self.inner.definitive = true;
                self
            }

            /// The provider.
            pub fn provider(&self) -> $crate::Provider {
                Self::PROVIDER
            }

            /// The operation that failed, e.g. `"products.create"`.
            pub fn operation(&self) -> &'static str {
                self.inner.operation
            }

            /// What went wrong; match on it for the details.
            pub fn kind(&self) -> &$crate::ErrorKind {
                &self.inner.kind
            }

            /// What went wrong, by value.
            pub fn into_kind(self) -> $crate::ErrorKind {
                self.inner.kind
            }

            /// Whether the same call may be made again as it is, later (see
            /// [`ErrorKind::is_retryable`]); never for the provider's own definitive refusal.
            pub fn is_retryable(&self) -> bool {
                $crate::__private::is_retryable(&self.inner.kind, self.inner.definitive)
            }

            /// Whether a write may have been applied without a definitive answer.
            pub fn is_outcome_unknown(&self) -> bool {
                self.inner.kind.is_outcome_unknown()
            }

            /// The HTTP status of the provider's answer, when there was one.
            pub fn status(&self) -> ::std::option::Option<$crate::StatusCode> {
                self.inner.kind.status()
            }

            /// The provider's request id, when it sent one.
            pub fn request_id(&self) -> ::std::option::Option<&str> {
                self.inner.kind.request_id()
            }

            /// How many attempts were made, for transport-level errors.
            pub fn attempts(&self) -> ::std::option::Option<u32> {
                self.inner.kind.attempts()
            }

            /// The field an invalid request is about.
            pub fn invalid_field(&self) -> ::std::option::Option<&str> {
                self.inner.kind.invalid_field()
            }

            /// The handles to look an unknown outcome up with.
            pub fn reconciliation(&self) -> ::std::option::Option<&$crate::Reconciliation> {
                $crate::__private::reconciliation(&self.inner.kind)
            }
        }

        impl ::std::fmt::Debug for Error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Error")
                    .field("provider", &Self::PROVIDER)
                    .field("operation", &self.inner.operation)
                    .field("kind", &self.inner.kind)
                    .finish()
            }
        }

        impl ::std::fmt::Display for Error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::__private::display(
                    f,
                    Self::PROVIDER,
                    self.inner.operation,
                    &self.inner.kind,
                )
            }
        }

        impl ::std::error::Error for Error {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                ::std::error::Error::source(&self.inner.kind)
            }
        }

        impl $crate::ProviderError for Error {
            fn provider(&self) -> $crate::Provider {
                Self::PROVIDER
            }
            fn operation(&self) -> &'static str {
                self.inner.operation
            }
            fn kind(&self) -> &$crate::ErrorKind {
                &self.inner.kind
            }
            fn into_kind(self) -> $crate::ErrorKind {
                self.inner.kind
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StatusCode;

    mod generated {
        crate::provider_error!(crate::Provider::GreenPay);
    }

    #[test]
    fn generated_error_leads_with_provider_and_operation() {
        let e = generated::Error::new("orders.create", ErrorKind::invalid("amount", "negative"));
        assert_eq!(
            e.to_string(),
            "GreenPay orders.create: invalid request: amount: negative"
        );
        assert_eq!(e.provider(), Provider::GreenPay);
        assert_eq!(ProviderError::operation(&e), "orders.create");
        let dbg = format!("{e:?}");
        assert!(
            dbg.contains("GreenPay") && dbg.contains("orders.create"),
            "{dbg}"
        );
    }

    #[test]
    fn an_unknown_outcome_hands_out_its_reconciliation_handles() {
        let unknown = ErrorKind::OutcomeUnknown {
            operation: "greenpay.orders.create",
            reconciliation: Reconciliation::merchant_reference("order-7"),
            source: Box::new(ErrorKind::invalid("x", "y")),
        };
        let e = generated::Error::new("orders.create", unknown);
        assert!(e.is_outcome_unknown());
        assert_eq!(
            e.reconciliation()
                .and_then(|r| r.merchant_reference.as_deref()),
            Some("order-7")
        );
        let refused = generated::Error::new("orders.create", ErrorKind::invalid("a", "b"));
        assert!(refused.reconciliation().is_none());
    }

    #[test]
    fn definitive_answers_are_never_retryable() {
        let kind = || ErrorKind::Api {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: None,
            message: None,
            messages: vec![],
            field_errors: Default::default(),
            request_id: None,
        };
        assert!(generated::Error::new("x", kind()).is_retryable());
        assert!(
            !generated::Error::new("x", kind())
                .definitive()
                .is_retryable()
        );
    }
}
