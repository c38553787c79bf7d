//! The sandbox's in-memory state, shared by every handler behind one mutex.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::{Credentials, Delivery, SandboxConfig, SandboxError};

/// Everything a handler can reach: configuration, keys and the mutable state.
pub(crate) struct Shared {
    state: Mutex<State>,
    /// The configuration the sandbox was started with.
    pub config: SandboxConfig,
    /// `http://127.0.0.1:<port>` without a trailing slash.
    pub base_url: String,
    /// The test credentials of the four providers.
    pub creds: Credentials,
    /// The RSA keys that sign notifications.
    pub keys: Keys,
    /// Client used to deliver notifications (no redirects followed).
    pub http: reqwest::Client,
}

/// Handle passed to every axum handler.
pub(crate) type App = Arc<Shared>;

impl Shared {
    pub(crate) fn new(
        config: SandboxConfig,
        base_url: String,
        creds: Credentials,
        keys: Keys,
        http: reqwest::Client,
    ) -> Self {
        Self {
            state: Mutex::new(State::default()),
            config,
            base_url,
            creds,
            keys,
            http,
        }
    }

    /// Locks the state. A handler that panicked cannot leave it half-written in a way that
    /// matters for a sandbox, so a poisoned lock is simply taken over.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// All providers' records.
#[derive(Default)]
pub(crate) struct State {
    pub jatapay: crate::jatapay::Store,
    pub tspay: crate::tspay::Store,
    pub greenpay: crate::greenpay::Store,
    pub begateway: crate::begateway::Store,
    pub deliveries: Vec<Delivery>,
}

/// RSA key pairs generated at start-up (never persisted).
pub(crate) struct Keys {
    begateway: KeyPair,
    greenpay: KeyPair,
    /// beGateway shop public key: base64 of the SubjectPublicKeyInfo DER.
    pub begateway_public: String,
    /// GreenPay public key: base64 of the SubjectPublicKeyInfo DER.
    pub greenpay_public: String,
}

impl Keys {
    pub(crate) fn generate() -> Result<Self, SandboxError> {
        let begateway = KeyPair::generate(KeySize::Rsa2048).map_err(|_| SandboxError::Keys)?;
        let greenpay = KeyPair::generate(KeySize::Rsa2048).map_err(|_| SandboxError::Keys)?;
        let begateway_public = spki_base64(&begateway)?;
        let greenpay_public = spki_base64(&greenpay)?;
        Ok(Self {
            begateway,
            greenpay,
            begateway_public,
            greenpay_public,
        })
    }

    /// PKCS#1 v1.5 SHA-256 signature with the beGateway shop key.
    pub(crate) fn sign_begateway(&self, msg: &[u8]) -> Option<Vec<u8>> {
        sign(&self.begateway, msg)
    }

    /// PKCS#1 v1.5 SHA-256 signature with the GreenPay key.
    pub(crate) fn sign_greenpay(&self, msg: &[u8]) -> Option<Vec<u8>> {
        sign(&self.greenpay, msg)
    }
}

fn spki_base64(key: &KeyPair) -> Result<String, SandboxError> {
    let der = key.public_key().as_der().map_err(|_| SandboxError::Keys)?;
    Ok(STANDARD.encode(der.as_ref()))
}

fn sign(key: &KeyPair, msg: &[u8]) -> Option<Vec<u8>> {
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let mut sig = vec![0u8; key.public_modulus_len()];
    key.sign(&RSA_PKCS1_SHA256, &rng, msg, &mut sig).ok()?;
    Some(sig)
}
