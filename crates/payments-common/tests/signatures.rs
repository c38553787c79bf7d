//! Signature primitives against independently generated keys and signatures.
#![cfg(feature = "webhooks")]

use payments_common::signature::{
    RsaPublicKey, constant_time_eq, from_base64, from_hex, hmac_sha256, to_hex, verify_hmac_sha256,
};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer};

fn key_pair(bits: usize) -> (SigningKey<Sha256>, rsa::RsaPublicKey) {
    let private = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), bits).unwrap();
    let public = private.to_public_key();
    (SigningKey::<Sha256>::new(private), public)
}

#[test]
fn rsa_pkcs1_sha256_verifies_for_1024_and_2048_bit_keys_in_every_key_format() {
    for bits in [1024, 2048] {
        let (signer, public) = key_pair(bits);
        let body = br#"{"transaction":{"uid":"1-2","status":"successful"}}"#;
        let signature = signer.sign(body).to_vec();
        let der = public.to_public_key_der().unwrap();
        let pem = public.to_public_key_pem(LineEnding::LF).unwrap();
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD.encode(der.as_bytes());
        let wrapped: String = b64
            .as_bytes()
            .chunks(64)
            .map(|c| format!("{}\n", std::str::from_utf8(c).unwrap()))
            .collect();
        for text in [pem.as_str(), b64.as_str(), wrapped.as_str()] {
            let key = RsaPublicKey::parse(text).unwrap();
            key.verify_pkcs1_sha256(body, &signature).unwrap();
            let mut tampered = body.to_vec();
            tampered[10] ^= 1;
            assert!(
                key.verify_pkcs1_sha256(&tampered, &signature).is_err(),
                "{bits}: tampered body"
            );
            assert!(
                key.verify_pkcs1_sha256(body, &signature[1..]).is_err(),
                "{bits}: truncated signature"
            );
            assert!(
                key.verify_pkcs1_sha256(body, &[]).is_err(),
                "{bits}: empty signature"
            );
        }
        let (_, other) = key_pair(bits);
        let wrong = RsaPublicKey::from_der(other.to_public_key_der().unwrap().as_bytes()).unwrap();
        assert!(
            wrong.verify_pkcs1_sha256(body, &signature).is_err(),
            "{bits}: wrong key"
        );
    }
}

#[test]
fn malformed_keys_are_invalid_requests() {
    for text in [
        "",
        "not base64 !!",
        "AAAA",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
    ] {
        let err = RsaPublicKey::parse(text).unwrap_err();
        assert_eq!(err.invalid_field(), Some("public_key"), "{text:?}");
    }
}

#[test]
fn hmac_and_encodings() {
    // RFC 4231 test case 1.
    let key = [0x0b; 20];
    let tag = hmac_sha256(&key, b"Hi There");
    assert_eq!(
        to_hex(&tag),
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
    );
    assert!(verify_hmac_sha256(&key, b"Hi There", &tag).is_ok());
    assert!(verify_hmac_sha256(&key, b"Hi There", &tag[..31]).is_err());
    assert_eq!(
        from_hex(&to_hex(&tag).to_uppercase()).unwrap(),
        tag.to_vec()
    );
    assert!(from_hex("abc").is_none());
    assert!(from_base64("%%%").is_none());
    assert!(constant_time_eq(b"", b""));
    assert!(!constant_time_eq(b"a", b""));
}

/// The least time of `runs` calls of `constant_time_eq(a, b)`.
fn fastest_compare(a: &[u8], b: &[u8], runs: usize) -> std::time::Duration {
    (0..runs)
        .map(|_| {
            let started = std::time::Instant::now();
            std::hint::black_box(constant_time_eq(
                std::hint::black_box(a),
                std::hint::black_box(b),
            ));
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// The comparison of signatures never stops at the first differing byte: on two equally long
/// inputs (256 KiB), a difference in the first byte takes about as long as one in the last.
/// A short-circuiting comparison (`a == b`, which is `memcmp`) answers the first case about a
/// thousand times faster; the test allows a factor of 5 (the least of 40 runs of each, taken
/// in turns, so that a busy machine slows both alike).
#[test]
fn constant_time_eq_takes_as_long_for_a_first_byte_difference_as_for_a_last_byte_one() {
    const LEN: usize = 256 * 1024;
    let a = vec![0x5au8; LEN];
    let mut first = a.clone();
    first[0] ^= 1;
    let mut last = a.clone();
    last[LEN - 1] ^= 1;
    assert!(!constant_time_eq(&a, &first));
    assert!(!constant_time_eq(&a, &last));
    assert!(constant_time_eq(&a, &a.clone()));
    let mut early = std::time::Duration::MAX;
    let mut late = std::time::Duration::MAX;
    for _ in 0..40 {
        early = early.min(fastest_compare(&a, &first, 1));
        late = late.min(fastest_compare(&a, &last, 1));
    }
    assert!(
        early * 5 >= late,
        "a difference in the first byte was found in {early:?}, one in the last byte in {late:?}: the comparison stops early"
    );
}
