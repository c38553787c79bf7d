//! Signature primitives for verifying provider notifications (feature `webhooks`).
//!
//! Built on `aws-lc-rs`, the crypto library rustls already brings in through reqwest's default
//! TLS, so verification adds no new crypto crate to the tree.

#[cfg(feature = "rustls")]
use aws_lc_rs::{hmac, signature};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
#[cfg(all(feature = "ring", not(feature = "rustls")))]
use ring::{hmac, signature};

use crate::error::Error;

/// Compares two byte strings in time that depends only on their lengths.
///
/// ```
/// use payments_common::signature::constant_time_eq;
/// assert!(constant_time_eq(b"abc", b"abc"));
/// assert!(!constant_time_eq(b"abc", b"abd"));
/// assert!(!constant_time_eq(b"abc", b"ab"));
/// ```
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// HMAC-SHA256 of `message` under `key`.
///
/// ```
/// // RFC 4231 test case 2.
/// let tag = payments_common::signature::hmac_sha256(b"Jefe", b"what do ya want for nothing?");
/// assert_eq!(payments_common::signature::to_hex(&tag), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
/// ```
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let key = hmac::Key::new(hmac::HMAC_SHA256, key);
    let tag = hmac::sign(&key, message);
    let mut out = [0u8; 32];
    out.copy_from_slice(tag.as_ref());
    out
}

/// Checks `tag` against the HMAC-SHA256 of `message` under `key`, in constant time.
///
/// ```
/// use payments_common::signature::{hmac_sha256, verify_hmac_sha256};
/// let tag = hmac_sha256(b"k", b"body");
/// assert!(verify_hmac_sha256(b"k", b"body", &tag).is_ok());
/// assert!(verify_hmac_sha256(b"k", b"bodY", &tag).is_err());
/// ```
pub fn verify_hmac_sha256(key: &[u8], message: &[u8], tag: &[u8]) -> Result<(), Error> {
    if constant_time_eq(&hmac_sha256(key, message), tag) {
        Ok(())
    } else {
        Err(Error::signature("HMAC-SHA256 does not match"))
    }
}

/// Lower-case hex of `bytes`.
///
/// ```
/// assert_eq!(payments_common::signature::to_hex(&[0x0f, 0xa0]), "0fa0");
/// ```
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Decodes hex (either case); `None` for odd lengths or other characters.
///
/// ```
/// assert_eq!(payments_common::signature::from_hex("0FA0"), Some(vec![0x0f, 0xa0]));
/// assert_eq!(payments_common::signature::from_hex("0g"), None);
/// ```
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    bytes
        .chunks(2)
        .map(|pair| Some((nibble(*pair.first()?)? << 4) | nibble(*pair.get(1)?)?))
        .collect()
}

/// Decodes standard base64, ignoring line breaks and spaces; `None` if it is not base64.
///
/// ```
/// assert_eq!(payments_common::signature::from_base64("aGk=\n"), Some(b"hi".to_vec()));
/// assert_eq!(payments_common::signature::from_base64("***"), None);
/// ```
pub fn from_base64(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    STANDARD.decode(compact).ok()
}

/// An RSA public key for verifying PKCS#1 v1.5 SHA-256 signatures.
///
/// Accepts what providers hand out: a PEM block (`BEGIN PUBLIC KEY` — SubjectPublicKeyInfo — or
/// `BEGIN RSA PUBLIC KEY`), or the bare base64 of the DER, with or without line breaks.
/// Keys of 1024 to 8192 bits are accepted (GreenPay signs with 1024-bit keys).
///
/// ```no_run
/// use payments_common::signature::RsaPublicKey;
/// let key = RsaPublicKey::parse("MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQ…")?;
/// key.verify_pkcs1_sha256(b"raw body", &[0u8; 128])?;
/// # Ok::<(), payments_common::Error>(())
/// ```
#[derive(Clone)]
pub struct RsaPublicKey {
    /// PKCS#1 `RSAPublicKey` DER.
    pkcs1_der: Vec<u8>,
}

impl std::fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RsaPublicKey({} DER bytes)", self.pkcs1_der.len())
    }
}

impl RsaPublicKey {
    /// Parses a PEM or bare-base64 DER public key.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let body: String = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.starts_with("-----"))
            .collect::<Vec<_>>()
            .concat();
        let der = from_base64(&body)
            .ok_or_else(|| Error::invalid("public_key", "is not PEM or base64 DER"))?;
        RsaPublicKey::from_der(&der)
    }

    /// Builds a key from DER: SubjectPublicKeyInfo or PKCS#1 `RSAPublicKey`.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        let pkcs1_der = match der::spki_rsa_key(der) {
            Some(inner) => inner.to_vec(),
            None if der::is_sequence(der) => der.to_vec(),
            None => return Err(Error::invalid("public_key", "is not an RSA public key")),
        };
        // Reject malformed or too-short keys now rather than at the first notification.
        if der::rsa_modulus_len(&pkcs1_der).is_none() {
            return Err(Error::invalid(
                "public_key",
                "is not an RSA public key of at least 1024 bits",
            ));
        }
        Ok(RsaPublicKey { pkcs1_der })
    }

    /// Verifies an RSA PKCS#1 v1.5 SHA-256 `signature` over `message`.
    pub fn verify_pkcs1_sha256(&self, message: &[u8], signature: &[u8]) -> Result<(), Error> {
        let algorithm = &signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY;
        signature::UnparsedPublicKey::new(algorithm, &self.pkcs1_der)
            .verify(message, signature)
            .map_err(|_| Error::signature("RSA-SHA256 signature does not verify"))
    }
}

/// Just enough DER to find the RSA key inside a SubjectPublicKeyInfo.
mod der {
    /// rsaEncryption, 1.2.840.113549.1.1.1.
    const RSA_OID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

    /// Splits one TLV off `input`: (tag, contents, rest).
    fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
        let (&tag, rest) = input.split_first()?;
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 || rest.len() < n {
                return None;
            }
            let (len_bytes, rest) = rest.split_at(n);
            (
                len_bytes
                    .iter()
                    .fold(0usize, |acc, b| (acc << 8) | usize::from(*b)),
                rest,
            )
        };
        if rest.len() < len {
            return None;
        }
        let (contents, rest) = rest.split_at(len);
        Some((tag, contents, rest))
    }

    pub(super) fn is_sequence(der: &[u8]) -> bool {
        matches!(tlv(der), Some((0x30, _, [])))
    }

    /// The `RSAPublicKey` inside an SPKI, if `der` is an RSA SPKI.
    pub(super) fn spki_rsa_key(der: &[u8]) -> Option<&[u8]> {
        let (0x30, spki, []) = tlv(der)? else {
            return None;
        };
        let (0x30, algorithm, rest) = tlv(spki)? else {
            return None;
        };
        let (0x06, oid, _) = tlv(algorithm)? else {
            return None;
        };
        if oid != RSA_OID {
            return None;
        }
        let (0x03, bits, _) = tlv(rest)? else {
            return None;
        };
        let (&unused, key) = bits.split_first()?;
        (unused == 0).then_some(key)
    }

    /// The modulus length in bytes of a PKCS#1 `RSAPublicKey`, if it parses with an exponent.
    pub(super) fn rsa_modulus_len(der: &[u8]) -> Option<usize> {
        let (0x30, seq, []) = tlv(der)? else {
            return None;
        };
        let (0x02, modulus, rest) = tlv(seq)? else {
            return None;
        };
        let (0x02, [_, ..], []) = tlv(rest)? else {
            return None;
        };
        let significant = modulus.iter().skip_while(|b| **b == 0).count();
        (significant >= 128).then_some(significant)
    }
}
