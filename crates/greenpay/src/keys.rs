//! GreenPay's RSA public key, as the tokenization envelope uses it (feature `tokenization`):
//! encrypting the card's AES key, and verifying the tokenization answer's `_signature`.

use payments_common::ErrorKind;
use payments_common::signature::from_hex;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;

/// The smallest modulus accepted (GreenPay's keys are 1024-bit; see `webhook::MIN_KEY_BITS`).
const MIN_BITS: usize = 1023;

/// GreenPay's public key, parsed once when the client is built.
#[derive(Clone)]
pub(crate) struct PublicKey {
    rsa: rsa::RsaPublicKey,
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({} bits)", self.rsa.n().bits())
    }
}

impl PublicKey {
    /// Bare base64 DER (SubjectPublicKeyInfo or PKCS#1), as GreenPay gives it, or PEM.
    pub(crate) fn parse(text: &str) -> Result<Self, ErrorKind> {
        let body: String = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let der = payments_common::signature::from_base64(&body)
            .ok_or_else(|| ErrorKind::invalid("public_key", "is not base64 DER or PEM"))?;
        let rsa = rsa::RsaPublicKey::from_public_key_der(&der)
            .or_else(|_| rsa::RsaPublicKey::from_pkcs1_der(&der))
            .map_err(|_| ErrorKind::invalid("public_key", "is not an RSA public key"))?;
        if rsa.n().bits() < MIN_BITS {
            return Err(ErrorKind::invalid(
                "public_key",
                "is an RSA key under 1023 bits; GreenPay's keys are 1024-bit",
            ));
        }
        Ok(PublicKey { rsa })
    }

    pub(crate) fn rsa(&self) -> &rsa::RsaPublicKey {
        &self.rsa
    }

    /// `signature_hex` over `k1:v1,k2:v2` (RSA PKCS#1 v1.5, SHA-256).
    pub(crate) fn verify(
        &self,
        fields: &[(&str, &str)],
        signature_hex: &str,
    ) -> Result<(), ErrorKind> {
        use rsa::sha2::{Digest, Sha256};
        if signature_hex.is_empty() {
            return Err(ErrorKind::signature("_signature is missing"));
        }
        let signature =
            from_hex(signature_hex).ok_or_else(|| ErrorKind::signature("_signature is not hex"))?;
        let message: Vec<String> = fields.iter().map(|(k, v)| format!("{k}:{v}")).collect();
        let digest = Sha256::digest(message.join(",").as_bytes());
        self.rsa
            .verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest, &signature)
            .map_err(|_| ErrorKind::signature("RSA-SHA256 signature does not verify"))
    }
}
