//! ISO 4217 alpha-3 codes known to the sandbox, with beGateway's minor-unit exponents.

/// Currencies without minor units (beGateway's PHP SDK table).
const ZERO: &[&str] = &[
    "BIF", "BYR", "CLF", "CLP", "CVE", "DJF", "GNF", "IDR", "IQD", "IRR", "ISK", "JPY", "KMF",
    "KPW", "KRW", "LAK", "LBP", "MMK", "PYG", "RWF", "SLL", "STD", "UYI", "VND", "VUV", "XAF",
    "XOF", "XPF", "UGX",
];

/// Currencies with three decimals.
const THREE: &[&str] = &["BHD", "JOD", "KWD", "LYD", "OMR", "TND"];

/// Currencies with two decimals (the rest of the active ISO 4217 list).
const TWO: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF",
    "CNY", "COP", "CRC", "CUP", "CZK", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD",
    "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "ILS",
    "INR", "JMD", "KES", "KGS", "KHR", "KYD", "KZT", "LKR", "LRD", "LSL", "MAD", "MDL", "MGA",
    "MKD", "MNT", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK",
    "NPR", "NZD", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "RUB", "SAR",
    "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP",
    "SZL", "THB", "TJS", "TMT", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "USD", "UYU", "UZS",
    "VES", "WST", "XCD", "YER", "ZAR", "ZMW", "ZWL",
];

/// Minor-unit exponent of a known ISO 4217 code (`MOP` has 1), `None` when unknown.
pub(crate) fn exponent(code: &str) -> Option<u32> {
    if code == "MOP" {
        Some(1)
    } else if ZERO.contains(&code) {
        Some(0)
    } else if THREE.contains(&code) {
        Some(3)
    } else if TWO.contains(&code) {
        Some(2)
    } else {
        None
    }
}

/// Whether `code` has the alpha-3 shape (three upper-case ASCII letters).
pub(crate) fn is_alpha3(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}
