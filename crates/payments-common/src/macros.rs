//! Declarative helpers the provider crates use for their model types.

/// Declares an open string enum: `#[non_exhaustive]`, one variant per documented wire value,
/// and `Unknown(String)` that keeps any other value and writes it back unchanged.
///
/// Generated: `as_str`, `Display`, `FromStr` (infallible), `From<&str>`, `Serialize`,
/// `Deserialize`, `Debug`, `Clone`, `PartialEq`, `Eq`, `Hash`.
///
/// ```
/// payments_common::open_enum! {
///     /// A transaction status.
///     pub enum Status {
///         /// Paid.
///         Successful = "successful",
///         /// Not yet.
///         Pending = "pending",
///     }
/// }
/// let s: Status = serde_json::from_str("\"successful\"")?;
/// assert_eq!(s, Status::Successful);
/// let new: Status = serde_json::from_str("\"on_review\"")?;
/// assert_eq!(new, Status::Unknown("on_review".into()));
/// assert_eq!(serde_json::to_string(&new)?, "\"on_review\"");
/// assert_eq!(Status::Pending.as_str(), "pending");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $alias:literal)* ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of the SDK does not know, kept as received.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::Unknown(other) => other.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $wire $(| $alias)* => $name::$variant, )*
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok($name::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str> as $crate::__private::serde::Deserialize>::deserialize(d)?;
                Ok($name::from(text.as_ref()))
            }
        }
    };
}

/// Declares an identifier newtype over `String`: `new`, `as_str`, `Display`, `From<String>`,
/// `From<&str>`, `Serialize`/`Deserialize` as a plain string — and no `Deref`, so ids of
/// different resources cannot be mixed up.
///
/// ```
/// payments_common::id_type! {
///     /// A product id (`prd_` + 16 hex digits).
///     pub struct ProductId;
/// }
/// let id = ProductId::new("prd_ed27b047d3ccd1a6");
/// assert_eq!(id.as_str(), "prd_ed27b047d3ccd1a6");
/// assert_eq!(serde_json::to_string(&id)?, "\"prd_ed27b047d3ccd1a6\"");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[macro_export]
macro_rules! id_type {
    ($(#[$meta:meta])* $vis:vis struct $name:ident;) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis struct $name(::std::string::String);

        impl $name {
            /// Wraps an id.
            pub fn new(id: impl ::std::convert::Into<::std::string::String>) -> Self {
                $name(id.into())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(id: ::std::string::String) -> Self {
                $name(id)
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(id: &str) -> Self {
                $name(id.to_owned())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as $crate::__private::serde::Deserialize>::deserialize(d).map($name)
            }
        }
    };
}
