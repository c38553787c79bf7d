//! Small helpers shared by the provider modules: ids, clocks, auth headers, JSON responses.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use time::OffsetDateTime;
use time::macros::format_description;

static COUNTER: AtomicU64 = AtomicU64::new(1);

/// Fills `N` random bytes from the system CSPRNG; falls back to a randomly seeded hasher.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    if aws_lc_rs::rand::fill(&mut out).is_err() {
        // Practically unreachable; a sandbox id only needs to be unique, not secret.
        for chunk in out.chunks_mut(8) {
            let mut h = RandomState::new().build_hasher();
            h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
            let bytes = h.finish().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
    out
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// `n` random bytes as lower-case hex (`2n` characters).
pub(crate) fn random_hex<const N: usize>() -> String {
    hex(&random_bytes::<N>())
}

/// A MongoDB-style ObjectId: 4-byte big-endian seconds, 5 random bytes, 3-byte counter.
pub(crate) fn object_id() -> String {
    let secs = u32::try_from(OffsetDateTime::now_utc().unix_timestamp()).unwrap_or(0);
    let rand = random_bytes::<5>();
    let counter = COUNTER.fetch_add(1, Ordering::Relaxed).to_be_bytes();
    let mut bytes = Vec::with_capacity(12);
    bytes.extend_from_slice(&secs.to_be_bytes());
    bytes.extend_from_slice(&rand);
    bytes.extend_from_slice(&counter[5..8]);
    hex(&bytes)
}

/// A random version-4 UUID in its canonical text form.
pub(crate) fn uuid_v4() -> String {
    let mut b = random_bytes::<16>();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A random string of `len` decimal digits.
pub(crate) fn random_digits(len: usize) -> String {
    random_bytes::<16>()
        .iter()
        .cycle()
        .take(len)
        .map(|b| char::from(b'0' + b % 10))
        .collect()
}

/// Whether `s` is exactly `len` lower- or upper-case hex digits.
#[cfg(test)]
pub(crate) fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Now, UTC.
pub(crate) fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// RFC 1123 HTTP-date, as Flask serialises datetimes: `Thu, 25 Jan 2024 15:07:46 GMT`.
pub(crate) fn rfc1123(t: OffsetDateTime) -> String {
    t.format(format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    ))
    .unwrap_or_default()
}

/// ISO 8601 with milliseconds and `Z`: `2022-12-20T18:54:42.033Z`.
pub(crate) fn iso_millis(t: OffsetDateTime) -> String {
    t.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    ))
    .unwrap_or_default()
}

/// ISO date only: `2018-10-12`.
pub(crate) fn iso_date(t: OffsetDateTime) -> String {
    t.format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

/// Milliseconds since the Unix epoch.
pub(crate) fn epoch_millis(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
}

/// The decoded `user:password` pair of a `Basic` Authorization header.
pub(crate) fn basic_auth(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(rest.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, pass) = text.split_once(':')?;
    Some((user.to_owned(), pass.to_owned()))
}

/// What the Authorization header holds, for Bearer-token APIs.
pub(crate) enum Bearer {
    /// No Authorization header at all.
    Missing,
    /// A header that is not `Bearer <token>`.
    Malformed,
    /// The token.
    Token(String),
}

/// Reads a `Bearer` Authorization header.
pub(crate) fn bearer(headers: &HeaderMap) -> Bearer {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Bearer::Missing;
    };
    let Ok(value) = value.to_str() else {
        return Bearer::Malformed;
    };
    match value.trim().split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Bearer::Token(token.trim().to_owned())
        }
        _ => Bearer::Malformed,
    }
}

/// A JSON response with `status`.
pub(crate) fn json(status: StatusCode, body: serde_json::Value) -> Response {
    (status, axum::Json(body)).into_response()
}

/// An absolute http(s) URL, or `None`.
pub(crate) fn http_url(s: &str) -> Option<url::Url> {
    let u = url::Url::parse(s).ok()?;
    matches!(u.scheme(), "http" | "https").then_some(u)
}

/// A 303 See Other to `location`.
pub(crate) fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(v) => (StatusCode::SEE_OTHER, [(header::LOCATION, v)]).into_response(),
        Err(_) => crate::pages::error_page(
            StatusCode::BAD_REQUEST,
            "Invalid return URL",
            "The merchant's return URL cannot be used in a redirect.",
        ),
    }
}

/// Formats integer minor units with `exponent` decimals, without floats: `(1450, 2)` → `14.50`.
pub(crate) fn format_minor(amount: i64, exponent: u32) -> String {
    if exponent == 0 {
        return amount.to_string();
    }
    let div = 10i64.pow(exponent);
    let sign = if amount < 0 { "-" } else { "" };
    let abs = amount.unsigned_abs();
    let div = div.unsigned_abs();
    format!(
        "{sign}{}.{:0width$}",
        abs / div,
        abs % div,
        width = exponent as usize
    )
}

/// An integer given as a JSON number or a numeric string (`990` or `"990"`).
pub(crate) fn int_or_string(v: &serde_json::Value) -> Option<i64> {
    match v {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_documented_shapes() {
        assert!(is_hex(&object_id(), 24));
        assert!(is_hex(&random_hex::<16>(), 32));
        assert_eq!(uuid_v4().len(), 36);
        assert_eq!(random_digits(6).len(), 6);
    }

    #[test]
    fn formats_minor_units_exactly() {
        assert_eq!(format_minor(1450, 2), "14.50");
        assert_eq!(format_minor(5, 2), "0.05");
        assert_eq!(format_minor(1234, 3), "1.234");
        assert_eq!(format_minor(990, 0), "990");
    }

    #[test]
    fn formats_dates_like_the_providers() {
        let t = time::macros::datetime!(2024-01-25 15:07:46.033 UTC);
        assert_eq!(rfc1123(t), "Thu, 25 Jan 2024 15:07:46 GMT");
        assert_eq!(iso_millis(t), "2024-01-25T15:07:46.033Z");
        assert_eq!(iso_date(t), "2024-01-25");
    }
}
