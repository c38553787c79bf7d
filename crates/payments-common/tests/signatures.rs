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
