//! The edges of the signature primitives every notification verifier of the provider crates
//! relies on: the comparison answers "equal" only for equal byte strings, whatever the pattern
//! of the differences (every differing byte counts, two differences never cancel out; its
//! timing is checked in `signatures.rs`), and the hex and base64 decoders read every digit in
//! either case and refuse everything else.
#![cfg(feature = "webhooks")]

use payments_common::signature::{
    constant_time_eq, from_base64, from_hex, hmac_sha256, to_hex, verify_hmac_sha256,
};

#[test]
fn differences_that_cancel_under_xor_still_differ() {
    // Each pair differs in two bytes by the same bit pattern: folding the differences with
    // XOR would cancel them out, folding with OR keeps them.
    assert!(!constant_time_eq(&[1, 1], &[0, 0]));
    assert!(!constant_time_eq(&[0x0f, 0xf0], &[0xff, 0x00]));
    assert!(!constant_time_eq(b"aXbX", b"aYbY"));
    // Three equal differences: OR and XOR agree, AND of the differences would not.
    assert!(!constant_time_eq(&[0x01, 0x02], &[0x00, 0x00]));
    assert!(!constant_time_eq(&[0x80, 0x00, 0x01], &[0x00, 0x00, 0x00]));
}

#[test]
fn only_equal_inputs_compare_equal() {
    assert!(constant_time_eq(b"", b""));
    assert!(constant_time_eq(&[0u8; 64], &[0u8; 64]));
    assert!(constant_time_eq(&[0xffu8; 33], &[0xffu8; 33]));
    for i in 0..32 {
        for bit in 0..8 {
            let a = [0x5au8; 32];
            let mut b = a;
            b[i] ^= 1 << bit;
            assert!(!constant_time_eq(&a, &b), "byte {i} bit {bit}");
        }
    }
}

#[test]
fn inputs_of_different_lengths_never_compare_equal() {
    assert!(!constant_time_eq(b"abc", b"abcd"));
    assert!(!constant_time_eq(b"abcd", b"abc"));
    assert!(!constant_time_eq(b"", b"a"));
    assert!(!constant_time_eq(&[0u8; 31], &[0u8; 32]));
}

#[test]
fn an_hmac_tag_with_cancelling_or_truncated_differences_is_refused() {
    let tag = hmac_sha256(b"whsec_test", b"{\"id\":1}");
    assert!(verify_hmac_sha256(b"whsec_test", b"{\"id\":1}", &tag).is_ok());
    let mut forged = tag;
    forged[0] ^= 0x01;
    forged[31] ^= 0x01;
    assert!(verify_hmac_sha256(b"whsec_test", b"{\"id\":1}", &forged).is_err());
    assert!(verify_hmac_sha256(b"whsec_test", b"{\"id\":1}", &tag[..16]).is_err());
    assert!(verify_hmac_sha256(b"whsec_test", b"{\"id\":1}", &[]).is_err());
}

#[test]
fn hex_reads_every_digit_in_either_case() {
    assert_eq!(from_hex(""), Some(vec![]));
    assert_eq!(from_hex("00ff7f80"), Some(vec![0x00, 0xff, 0x7f, 0x80]));
    assert_eq!(
        from_hex("0123456789"),
        Some(vec![0x01, 0x23, 0x45, 0x67, 0x89])
    );
    assert_eq!(from_hex("abcdef"), Some(vec![0xab, 0xcd, 0xef]));
    assert_eq!(from_hex("ABCDEF"), Some(vec![0xab, 0xcd, 0xef]));
    assert_eq!(from_hex("aBcD"), Some(vec![0xab, 0xcd]));
    assert_eq!(from_hex("f0"), Some(vec![0xf0]));
    assert_eq!(from_hex("0F"), Some(vec![0x0f]));
    for bad in [
        "0", "abc", "0g", "g0", "0:", "/0", "@a", "`a", "aG", " 0", "é0",
    ] {
        assert_eq!(from_hex(bad), None, "{bad:?}");
    }
}

#[test]
fn hex_round_trips_every_byte_value() {
    let all: Vec<u8> = (0..=255).collect();
    let text = to_hex(&all);
    assert_eq!(text.len(), 512);
    assert!(text.starts_with("000102"));
    assert!(text.ends_with("fdfeff"));
    assert_eq!(from_hex(&text), Some(all.clone()));
    assert_eq!(from_hex(&text.to_uppercase()), Some(all));
    assert_eq!(to_hex(&[0x0f, 0xa0, 0x5c]), "0fa05c");
    assert_eq!(to_hex(&[]), "");
}

#[test]
fn base64_ignores_line_breaks_and_refuses_other_text() {
    assert_eq!(from_base64(""), Some(vec![]));
    assert_eq!(from_base64("aGk="), Some(b"hi".to_vec()));
    assert_eq!(from_base64("aG\r\nk= \t"), Some(b"hi".to_vec()));
    assert_eq!(from_base64("/+8="), Some(vec![0xff, 0xef]));
    for bad in ["***", "aGk", "aGk=x", "a-_b"] {
        assert_eq!(from_base64(bad), None, "{bad:?}");
    }
}

mod rsa_keys {
    use payments_common::signature::RsaPublicKey;
    use rsa::pkcs1::EncodeRsaPublicKey;
    use rsa::pkcs1v15::SigningKey;
    use rsa::pkcs8::{EncodePublicKey, LineEnding};
    use rsa::sha2::Sha256;
    use rsa::signature::{SignatureEncoding, Signer};

    fn private_key(bits: usize) -> rsa::RsaPrivateKey {
        rsa::RsaPrivateKey::new(&mut rand::thread_rng(), bits).unwrap()
    }

    /// A key handed out as PKCS#1 (`BEGIN RSA PUBLIC KEY`, or its bare DER) verifies as well
    /// as the same key as SubjectPublicKeyInfo.
    #[test]
    fn a_pkcs1_key_verifies_like_its_spki_form() {
        let private = private_key(1024);
        let public = private.to_public_key();
        let body = br#"{"status":"successful"}"#;
        let signature = SigningKey::<Sha256>::new(private).sign(body).to_vec();
        let pkcs1_pem = public.to_pkcs1_pem(LineEnding::LF).unwrap();
        assert!(pkcs1_pem.starts_with("-----BEGIN RSA PUBLIC KEY-----"));
        let pkcs1_der = public.to_pkcs1_der().unwrap();
        let spki_der = public.to_public_key_der().unwrap();
        for key in [
            RsaPublicKey::parse(&pkcs1_pem).unwrap(),
            RsaPublicKey::from_der(pkcs1_der.as_bytes()).unwrap(),
            RsaPublicKey::from_der(spki_der.as_bytes()).unwrap(),
        ] {
            key.verify_pkcs1_sha256(body, &signature).unwrap();
            assert!(key.verify_pkcs1_sha256(b"{}", &signature).is_err());
            // Debug says what it is and how long, never the key's bytes.
            let debug = format!("{key:?}");
            assert!(debug.starts_with("RsaPublicKey("), "{debug}");
            assert!(debug.contains("DER bytes"), "{debug}");
            assert!(
                debug.contains(&pkcs1_der.as_bytes().len().to_string()),
                "{debug}"
            );
        }
    }

    /// A key under 1024 bits is refused when it is parsed, in either form, with the field named.
    #[test]
    fn keys_under_1024_bits_are_refused_when_parsed() {
        let public = private_key(768).to_public_key();
        let spki = public.to_public_key_der().unwrap();
        let pkcs1 = public.to_pkcs1_der().unwrap();
        for der in [spki.as_bytes(), pkcs1.as_bytes()] {
            let error = RsaPublicKey::from_der(der).unwrap_err();
            assert_eq!(error.invalid_field(), Some("public_key"));
            assert!(error.to_string().contains("1024 bits"), "{error}");
        }
    }

    /// DER that is not one whole SEQUENCE (trailing bytes, a wrong tag, a length past the end,
    /// a long-form length of 0 or more than 4 bytes) is refused, never read past its end.
    #[test]
    fn malformed_der_is_refused() {
        let pkcs1 = private_key(1024).to_public_key().to_pkcs1_der().unwrap();
        let good = pkcs1.as_bytes().to_vec();
        assert!(RsaPublicKey::from_der(&good).is_ok());
        let mut trailing = good.clone();
        trailing.push(0);
        let mut wrong_tag = good.clone();
        wrong_tag[0] = 0x31;
        let truncated = good[..good.len() - 1].to_vec();
        for der in [
            trailing,
            wrong_tag,
            truncated,
            vec![],
            vec![0x30],
            vec![0x30, 0x80],
            vec![0x30, 0x85, 0, 0, 0, 0, 1, 0],
            vec![0x30, 0x82, 0x01],
            vec![0x02, 0x01, 0x01],
        ] {
            let error = RsaPublicKey::from_der(&der).unwrap_err();
            assert_eq!(error.invalid_field(), Some("public_key"), "{der:?}");
        }
        // Something that is not a SEQUENCE at all is "not an RSA public key", not a short one.
        let error = RsaPublicKey::from_der(&[0x02, 0x01, 0x01]).unwrap_err();
        assert!(!error.to_string().contains("1024"), "{error}");
    }

    /// DER length bytes for `len`: short form below 128, else long form with `extra` leading
    /// zero bytes (non-minimal, as a lenient encoder might write).
    fn length(len: usize, extra: usize) -> Vec<u8> {
        if len < 0x80 && extra == 0 {
            return vec![u8::try_from(len).unwrap()];
        }
        let mut bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        bytes.splice(0..0, std::iter::repeat_n(0u8, extra));
        let mut out = vec![0x80 | u8::try_from(bytes.len()).unwrap()];
        out.extend(bytes);
        out
    }

    fn tlv(tag: u8, len: Vec<u8>, contents: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        out.extend(len);
        out.extend_from_slice(contents);
        out
    }

    /// A 1024-bit key's modulus (128 bytes, high bit set) and exponent 65537.
    fn modulus() -> Vec<u8> {
        use rsa::traits::PublicKeyParts;
        let n = private_key(1024).to_public_key().n().to_bytes_be();
        assert_eq!(n.len(), 128);
        n
    }

    const EXPONENT: [u8; 5] = [0x02, 0x03, 0x01, 0x00, 0x01];

    /// PKCS#1 `RSAPublicKey` with the given modulus and exponent encodings.
    fn pkcs1(modulus_tlv: &[u8], exponent_tlv: &[u8], outer_extra: usize) -> Vec<u8> {
        let content = [modulus_tlv, exponent_tlv].concat();
        tlv(0x30, length(content.len(), outer_extra), &content)
    }

    /// Lengths are read exactly: the reference encoding parses, and each broken length form —
    /// `0x80` (the indefinite length DER forbids, not "128"), a long form of zero bytes, or of
    /// more than four — is refused, even when the bytes after it would make a whole key.
    #[test]
    fn der_length_forms_are_read_exactly() {
        let n = modulus();
        let mut positive = vec![0];
        positive.extend_from_slice(&n);
        let good_modulus = tlv(0x02, length(positive.len(), 0), &positive);
        assert!(RsaPublicKey::from_der(&pkcs1(&good_modulus, &EXPONENT, 0)).is_ok());
        // Up to four length bytes are read, leading zeros included.
        let four = pkcs1(&good_modulus, &EXPONENT, 3);
        assert_eq!(four[1], 0x84);
        assert!(RsaPublicKey::from_der(&four).is_ok());
        // The outer length in five bytes is refused.
        let five = pkcs1(&good_modulus, &EXPONENT, 4);
        assert_eq!(five[1], 0x85);
        assert!(RsaPublicKey::from_der(&five).is_err());
        // A 128-byte modulus whose length is written as the single byte 0x80.
        let indefinite_modulus = tlv(0x02, vec![0x80], &n);
        assert!(RsaPublicKey::from_der(&pkcs1(&indefinite_modulus, &EXPONENT, 0)).is_err());
        // An exponent whose length is a long form of zero bytes (0x80, nothing after).
        let empty_exponent = [0x02, 0x80];
        assert!(RsaPublicKey::from_der(&pkcs1(&good_modulus, &empty_exponent, 0)).is_err());
    }

    /// A key with an empty exponent could never verify anything: it is refused when parsed
    /// (as the parser promises for malformed keys), whatever the length form.
    #[test]
    fn an_empty_exponent_is_refused_when_parsed() {
        let mut positive = vec![0];
        positive.extend_from_slice(&modulus());
        let good_modulus = tlv(0x02, length(positive.len(), 0), &positive);
        for exponent in [&[0x02, 0x00][..], &[0x02, 0x81, 0x00][..]] {
            let error = RsaPublicKey::from_der(&pkcs1(&good_modulus, exponent, 0)).unwrap_err();
            assert_eq!(error.invalid_field(), Some("public_key"));
        }
    }

    /// Leading zero bytes do not make a short modulus long: 96 significant bytes (768 bits)
    /// behind 40 zero bytes are still under 1024 bits.
    #[test]
    fn a_short_modulus_padded_with_zero_bytes_is_still_short() {
        use rsa::traits::PublicKeyParts;
        let short = private_key(768).to_public_key().n().to_bytes_be();
        assert_eq!(short.len(), 96);
        let mut padded = vec![0u8; 40];
        padded.extend_from_slice(&short);
        let modulus_tlv = tlv(0x02, length(padded.len(), 0), &padded);
        let error = RsaPublicKey::from_der(&pkcs1(&modulus_tlv, &EXPONENT, 0)).unwrap_err();
        assert!(error.to_string().contains("1024 bits"), "{error}");
    }
}
