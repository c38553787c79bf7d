//! ISO 4217 currencies and their minor-unit exponents.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An active ISO 4217 currency: its alpha-3 code and the number of decimal digits of its minor
/// unit (the *exponent*: 2 for EUR, 0 for JPY, 3 for KWD).
///
/// Only codes that have a minor unit are known; precious metals, testing and special codes
/// (`XAU`, `XXX`, `XDR`, …) are not currencies a payment can be made in and do not parse.
/// Fund codes (`CLF`, `BOV`, …) parse, and [`Currency::is_fund`] tells them apart so that a
/// provider can refuse them.
///
/// ```
/// use payments_common::Currency;
///
/// let eur: Currency = "EUR".parse()?;
/// assert_eq!(eur, Currency::EUR);
/// assert_eq!(eur.exponent(), 2);
/// assert_eq!(Currency::JPY.exponent(), 0);
/// assert_eq!("eur".parse::<Currency>()?, Currency::EUR); // any case
/// assert!("E R".parse::<Currency>().is_err());
/// # Ok::<(), payments_common::CurrencyError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency {
    code: [u8; 3],
    exponent: u8,
    fund: bool,
}

/// Why a string is not a known currency code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CurrencyError {
    /// The text is not exactly three ASCII letters.
    #[error("a currency code is exactly three letters (ISO 4217 alpha-3)")]
    Malformed,
    /// Three letters, but not an active ISO 4217 currency with a minor unit.
    #[error("not an active ISO 4217 currency with a minor unit")]
    Unknown,
}

macro_rules! currencies {
    ($( $code:ident = $exp:literal $(, $fund:ident)? ; )*) => {
        impl Currency {
            $(
                #[doc = concat!("`", stringify!($code), "`, ", stringify!($exp), " decimal digit(s).")]
                pub const $code: Currency = Currency::new(stringify!($code), $exp, currencies!(@fund $($fund)?));
            )*
        }
        /// Every known currency, sorted by code (binary-searched by `Currency::from_code`).
        const ALL: &[Currency] = &[$(Currency::$code),*];
    };
    (@fund fund) => { true };
    (@fund) => { false };
}

currencies! {
    AED = 2; AFN = 2; ALL = 2; AMD = 2; AOA = 2; ARS = 2; AUD = 2; AWG = 2; AZN = 2;
    BAM = 2; BBD = 2; BDT = 2; BGN = 2; BHD = 3; BIF = 0; BMD = 2; BND = 2; BOB = 2;
    BOV = 2, fund; BRL = 2; BSD = 2; BTN = 2; BWP = 2; BYN = 2; BZD = 2;
    CAD = 2; CDF = 2; CHE = 2, fund; CHF = 2; CHW = 2, fund; CLF = 4, fund; CLP = 0; CNY = 2;
    COP = 2; COU = 2, fund; CRC = 2; CUP = 2; CVE = 2; CZK = 2;
    DJF = 0; DKK = 2; DOP = 2; DZD = 2;
    EGP = 2; ERN = 2; ETB = 2; EUR = 2;
    FJD = 2; FKP = 2;
    GBP = 2; GEL = 2; GHS = 2; GIP = 2; GMD = 2; GNF = 0; GTQ = 2; GYD = 2;
    HKD = 2; HNL = 2; HTG = 2; HUF = 2;
    IDR = 2; ILS = 2; INR = 2; IQD = 3; IRR = 2; ISK = 0;
    JMD = 2; JOD = 3; JPY = 0;
    KES = 2; KGS = 2; KHR = 2; KMF = 0; KPW = 2; KRW = 0; KWD = 3; KYD = 2; KZT = 2;
    LAK = 2; LBP = 2; LKR = 2; LRD = 2; LSL = 2; LYD = 3;
    MAD = 2; MDL = 2; MGA = 2; MKD = 2; MMK = 2; MNT = 2; MOP = 2; MRU = 2; MUR = 2;
    MVR = 2; MWK = 2; MXN = 2; MXV = 2, fund; MYR = 2; MZN = 2;
    NAD = 2; NGN = 2; NIO = 2; NOK = 2; NPR = 2; NZD = 2;
    OMR = 3;
    PAB = 2; PEN = 2; PGK = 2; PHP = 2; PKR = 2; PLN = 2; PYG = 0;
    QAR = 2;
    RON = 2; RSD = 2; RUB = 2; RWF = 0;
    SAR = 2; SBD = 2; SCR = 2; SDG = 2; SEK = 2; SGD = 2; SHP = 2; SLE = 2; SOS = 2;
    SRD = 2; SSP = 2; STN = 2; SVC = 2; SYP = 2; SZL = 2;
    THB = 2; TJS = 2; TMT = 2; TND = 3; TOP = 2; TRY = 2; TTD = 2; TWD = 2; TZS = 2;
    UAH = 2; UGX = 0; USD = 2; USN = 2, fund; UYI = 0, fund; UYU = 2; UYW = 4, fund; UZS = 2;
    VED = 2; VES = 2; VND = 0; VUV = 0;
    WST = 2;
    XAF = 0; XCD = 2; XCG = 2; XOF = 0; XPF = 0;
    YER = 2;
    ZAR = 2; ZMW = 2; ZWG = 2;
}

impl Currency {
    const fn new(code: &str, exponent: u8, fund: bool) -> Self {
        let b = code.as_bytes();
        Currency {
            code: [b[0], b[1], b[2]],
            exponent,
            fund,
        }
    }

    /// Looks a code up: exactly three ASCII letters, in either case, naming a known currency.
    ///
    /// ```
    /// use payments_common::{Currency, CurrencyError};
    /// assert_eq!(Currency::from_code("KWD"), Ok(Currency::KWD));
    /// assert_eq!(Currency::from_code("eur"), Ok(Currency::EUR));
    /// assert_eq!(Currency::from_code("US"), Err(CurrencyError::Malformed));
    /// assert_eq!(Currency::from_code("XAU"), Err(CurrencyError::Unknown));
    /// ```
    pub fn from_code(code: &str) -> Result<Self, CurrencyError> {
        let bytes = code.as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_alphabetic) {
            return Err(CurrencyError::Malformed);
        }
        let upper = bytes.to_ascii_uppercase();
        ALL.binary_search_by(|c| c.code.as_slice().cmp(upper.as_slice()))
            .ok()
            .and_then(|i| ALL.get(i).copied())
            .ok_or(CurrencyError::Unknown)
    }

    /// The alpha-3 code, e.g. `"EUR"`.
    ///
    /// ```
    /// assert_eq!(payments_common::Currency::CRC.code(), "CRC");
    /// ```
    pub fn code(&self) -> &str {
        // The table is built from identifiers, so the bytes are always ASCII letters.
        std::str::from_utf8(&self.code).unwrap_or("???")
    }

    /// Number of decimal digits of the minor unit (ISO 4217).
    ///
    /// ```
    /// assert_eq!(payments_common::Currency::BHD.exponent(), 3);
    /// ```
    pub fn exponent(&self) -> u8 {
        self.exponent
    }

    /// The same currency with another exponent: for reading a provider's wire amounts whose
    /// table differs from ISO (beGateway treats `MOP` as 1 decimal and `IDR` as 0).
    ///
    /// [`Money`](crate::Money) is in ISO 4217 minor units: convert a wire amount built with such
    /// a currency with [`Money::to_iso_scale`](crate::Money::to_iso_scale) before handing it
    /// out. Amounts at different scales are never combined or equal
    /// ([`MoneyError::ScaleMismatch`](crate::MoneyError::ScaleMismatch)).
    ///
    /// ```
    /// use payments_common::Currency;
    /// let mop = Currency::MOP.with_exponent(1);
    /// assert_eq!(mop.code(), "MOP");
    /// assert_eq!(mop.exponent(), 1);
    /// ```
    pub fn with_exponent(self, exponent: u8) -> Self {
        Currency { exponent, ..self }
    }

    /// Whether the currency carries its ISO 4217 exponent (not one set by
    /// [`Currency::with_exponent`]).
    ///
    /// ```
    /// use payments_common::Currency;
    /// assert!(Currency::IDR.is_iso_scale());
    /// assert!(!Currency::IDR.with_exponent(0).is_iso_scale());
    /// ```
    pub fn is_iso_scale(&self) -> bool {
        Currency::from_code(self.code()).is_ok_and(|iso| iso.exponent == self.exponent)
    }

    /// Whether ISO 4217 lists the code as a fund (an accounting unit such as `CLF`), which
    /// payment providers do not accept.
    ///
    /// ```
    /// assert!(payments_common::Currency::CLF.is_fund());
    /// assert!(!payments_common::Currency::CLP.is_fund());
    /// ```
    pub fn is_fund(&self) -> bool {
        self.fund
    }

    /// Every known currency, sorted by code.
    ///
    /// ```
    /// assert!(payments_common::Currency::all().len() > 150);
    /// ```
    pub fn all() -> &'static [Currency] {
        ALL
    }
}

impl FromStr for Currency {
    type Err = CurrencyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::from_code(s)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        /// Reads the code from a borrowed or transient string: no allocation on the way.
        struct CodeVisitor;
        impl serde::de::Visitor<'_> for CodeVisitor {
            type Value = Currency;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO 4217 alpha-3 currency code")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Currency, E> {
                Currency::from_code(s).map_err(|e| E::custom(format_args!("{e}: {s:?}")))
            }
        }
        d.deserialize_str(CodeVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique_so_binary_search_finds_every_code() {
        for pair in ALL.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{:?} !< {:?}",
                pair[0],
                pair[1]
            );
        }
        for c in ALL {
            assert_eq!(Currency::from_code(c.code()), Ok(*c));
        }
    }

    #[test]
    fn rejects_malformed_and_unknown_codes() {
        assert_eq!(Currency::from_code("usd"), Ok(Currency::USD));
        assert_eq!(Currency::from_code("Eur"), Ok(Currency::EUR));
        for bad in ["", "US", "EURO", "u$d", "E1R", "E R", "€UR"] {
            assert_eq!(
                Currency::from_code(bad),
                Err(CurrencyError::Malformed),
                "{bad}"
            );
        }
        for unknown in ["ABC", "XAU", "XXX", "XDR", "HRK"] {
            assert_eq!(
                Currency::from_code(unknown),
                Err(CurrencyError::Unknown),
                "{unknown}"
            );
        }
    }

    #[test]
    fn exponents_follow_iso_4217() {
        let expected = [
            ("EUR", 2),
            ("JPY", 0),
            ("KWD", 3),
            ("BHD", 3),
            ("CLF", 4),
            ("ISK", 0),
            ("MOP", 2),
        ];
        for (code, exp) in expected {
            assert_eq!(
                Currency::from_code(code).map(|c| c.exponent()),
                Ok(exp),
                "{code}"
            );
        }
    }

    #[test]
    fn serde_uses_the_code() {
        assert_eq!(serde_json::to_string(&Currency::USD).unwrap(), "\"USD\"");
        assert_eq!(
            serde_json::from_str::<Currency>("\"CRC\"").unwrap(),
            Currency::CRC
        );
        // Codes parse in any case, on the wire too; a code that is not three letters is refused.
        assert_eq!(
            serde_json::from_str::<Currency>("\"usd\"").unwrap(),
            Currency::USD
        );
        assert!(serde_json::from_str::<Currency>("\"u$d\"").is_err());
    }
}
