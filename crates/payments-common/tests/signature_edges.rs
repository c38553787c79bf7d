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
