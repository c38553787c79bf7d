//! Criterion benchmark: the cost of one GreenPay tokenization encryption (the `{session, ld,
//! lk}` envelope of a card, as `greenpay::cards().tokenize` builds it) against the bare crypto
//! calls it is made of: AES-128-CTR over the card JSON, and RSA PKCS#1 v1.5 encryption of the
//! key pair with the `rsa` crate. The difference is the SDK's own work (card JSON, hex,
//! base64, the key-pair JSON).
//!
//! `cargo bench -p payments-bench --bench tokenization`

#![allow(clippy::print_stdout, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use aes::cipher::{KeyIvInit, StreamCipher};
use base64::Engine as _;
use criterion::Criterion;
use greenpay::tokenization::Card;
use rsa::pkcs8::DecodePublicKey;
use rsa::rand_core::OsRng;

/// A fresh 1024-bit key, like GreenPay's, as GreenPay publishes it (bare base64 DER).
fn public_key() -> String {
    use rsa::pkcs8::EncodePublicKey;
    let private = rsa::RsaPrivateKey::new(&mut OsRng, 1024).expect("an RSA key");
    let der = private.to_public_key().to_public_key_der().expect("DER");
    base64::engine::general_purpose::STANDARD.encode(der.as_bytes())
}

fn benches(c: &mut Criterion) {
    let card = Card::new("Jane Doe", "4242424242424242", "123", 12, 2030).nickname("work card");
    let aes_key = [0x42u8; 16];
    let counter = 7u8;
    let public = public_key();
    let key = greenpay::__bench::key(&public).expect("the key parses");
    let plaintext = greenpay::__bench::card_plaintext(&card);
    let der = base64::engine::general_purpose::STANDARD
        .decode(&public)
        .expect("base64 DER");
    let rsa_key = rsa::RsaPublicKey::from_public_key_der(&der).expect("an RSA key");
    let pair = br#"{"k":[66,66,66,66,66,66,66,66,66,66,66,66,66,66,66,66],"s":7}"#;

    let mut group = c.benchmark_group("greenpay/tokenization");
    group.bench_function("sdk: whole envelope (ld + lk)", |b| {
        b.iter(|| {
            black_box(
                greenpay::__bench::seal_card(
                    &key,
                    black_box(&card),
                    "session-1",
                    &aes_key,
                    counter,
                )
                .expect("sealed"),
            )
        });
    });
    group.bench_function("sdk: ld only (card JSON, AES-CTR, hex)", |b| {
        b.iter(|| {
            black_box(greenpay::__bench::aes_ctr_hex(
                &aes_key,
                counter,
                &greenpay::__bench::card_plaintext(black_box(&card)),
            ))
        });
    });
    group.bench_function("sdk: lk only (pair JSON, RSA, base64)", |b| {
        b.iter(|| black_box(greenpay::__bench::wrap_key(&key, &aes_key, counter).expect("lk")));
    });
    group.bench_function("bare: AES-128-CTR over the card JSON", |b| {
        b.iter(|| {
            let mut buffer = plaintext.clone();
            let mut iv = [0u8; 16];
            iv[15] = counter;
            let mut cipher = ctr::Ctr128BE::<aes::Aes128>::new(&aes_key.into(), &iv.into());
            cipher.apply_keystream(&mut buffer);
            black_box(buffer)
        });
    });
    group.bench_function("bare: RSA PKCS#1 v1.5 of the key pair", |b| {
        b.iter(|| {
            black_box(
                rsa_key
                    .encrypt(&mut OsRng, rsa::Pkcs1v15Encrypt, black_box(pair))
                    .expect("encrypted"),
            )
        });
    });
    group.finish();
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    benches(&mut criterion);
    criterion.final_summary();
}
