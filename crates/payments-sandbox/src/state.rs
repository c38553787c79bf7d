//! The sandbox's state, shared by every handler behind one mutex; with a state directory it is
//! saved after every change (see `persist`).

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::persist;
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
    /// Where the state is saved, if anywhere.
    pub state_dir: Option<PathBuf>,
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
    ) -> Result<Self, SandboxError> {
        let state_dir = config.state_dir.clone();
        let mut state = State::default();
        if let Some(dir) = &state_dir
            && let Some(text) = persist::read(dir, persist::STATE_FILE)?
        {
            state = serde_json::from_str(&text)
                .map_err(|e| persist::corrupt(dir, persist::STATE_FILE, e))?;
            state.saved = text;
        }
        Ok(Self {
            state: Mutex::new(state),
            config,
            base_url,
            creds,
            keys,
            http,
            state_dir,
        })
    }

    /// Locks the state. A handler that panicked cannot leave it half-written in a way that
    /// matters for a sandbox, so a poisoned lock is simply taken over. With a state directory,
    /// releasing the guard saves the state if it changed.
    pub(crate) fn lock(&self) -> Guard<'_> {
        Guard {
            inner: self.state.lock().unwrap_or_else(PoisonError::into_inner),
            dir: self.state_dir.as_deref(),
        }
    }
}

/// The locked state; saves it (when it changed) on release.
pub(crate) struct Guard<'a> {
    inner: MutexGuard<'a, State>,
    dir: Option<&'a Path>,
}

impl Deref for Guard<'_> {
    type Target = State;
    fn deref(&self) -> &State {
        &self.inner
    }
}

impl DerefMut for Guard<'_> {
    fn deref_mut(&mut self) -> &mut State {
        &mut self.inner
    }
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        let Some(dir) = self.dir else { return };
        let text = match serde_json::to_string(&*self.inner) {
            Ok(text) => text,
            Err(err) => {
                tracing::warn!(error = %err, "could not serialise the sandbox state");
                return;
            }
        };
        if text == self.inner.saved {
            return;
        }
        match persist::write(dir, persist::STATE_FILE, &text) {
            Ok(()) => self.inner.saved = text,
            Err(err) => tracing::warn!(error = %err, "could not save the sandbox state"),
        }
    }
}

/// All providers' records.
#[derive(Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub(crate) struct State {
    pub jatapay: crate::jatapay::Store,
    pub tspay: crate::tspay::Store,
    pub greenpay: crate::greenpay::Store,
    pub begateway: crate::begateway::Store,
    pub deliveries: Vec<Delivery>,
    /// Faults armed from the dashboard for each provider's next API call (not saved).
    #[serde(skip)]
    pub faults: std::collections::HashMap<&'static str, crate::dashboard::Fault>,
    /// The text last saved (nothing is written when it has not changed).
    #[serde(skip)]
    pub saved: String,
}

/// RSA key pairs: generated at the first start, then kept in the state directory if there is one.
pub(crate) struct Keys {
    begateway: KeyPair,
    greenpay: KeyPair,
    /// beGateway shop public key: base64 of the SubjectPublicKeyInfo DER.
    pub begateway_public: String,
    /// GreenPay public key: base64 of the SubjectPublicKeyInfo DER.
    pub greenpay_public: String,
}

/// `keys.json`: base64 PKCS#8 DER of each private key.
#[derive(serde::Serialize, serde::Deserialize)]
struct SavedKeys {
    begateway_pkcs8: String,
    greenpay_pkcs8: String,
}

impl Keys {
    /// Loads the keys from `dir/keys.json`, or generates them (and saves them there).
    pub(crate) fn load_or_generate(dir: Option<&Path>) -> Result<Self, SandboxError> {
        let Some(dir) = dir else {
            return Self::generate();
        };
        if let Some(text) = persist::read(dir, persist::KEYS_FILE)? {
            let bad = |e: &dyn std::fmt::Display| persist::corrupt(dir, persist::KEYS_FILE, e);
            let saved: SavedKeys = serde_json::from_str(&text).map_err(|e| bad(&e))?;
            let load = |b64: &str| {
                let der = STANDARD.decode(b64).map_err(|e| bad(&e))?;
                KeyPair::from_pkcs8(&der).map_err(|e| bad(&e))
            };
            return Self::from_pairs(load(&saved.begateway_pkcs8)?, load(&saved.greenpay_pkcs8)?);
        }
        let keys = Self::generate()?;
        let saved = SavedKeys {
            begateway_pkcs8: pkcs8_base64(&keys.begateway)?,
            greenpay_pkcs8: pkcs8_base64(&keys.greenpay)?,
        };
        let text = serde_json::to_string_pretty(&saved).map_err(|_| SandboxError::Keys)?;
        persist::write(dir, persist::KEYS_FILE, &text)?;
        Ok(keys)
    }

    pub(crate) fn generate() -> Result<Self, SandboxError> {
        let begateway = KeyPair::generate(KeySize::Rsa2048).map_err(|_| SandboxError::Keys)?;
        let greenpay = KeyPair::generate(KeySize::Rsa2048).map_err(|_| SandboxError::Keys)?;
        Self::from_pairs(begateway, greenpay)
    }

    fn from_pairs(begateway: KeyPair, greenpay: KeyPair) -> Result<Self, SandboxError> {
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

    /// RSA PKCS#1 v1.5 decryption with the GreenPay key (the tokenization envelope's `lk`).
    pub(crate) fn decrypt_greenpay(&self, ciphertext: &[u8]) -> Option<Vec<u8>> {
        let der = self.greenpay.as_der().ok()?;
        let key = aws_lc_rs::rsa::PrivateDecryptingKey::from_pkcs8(der.as_ref()).ok()?;
        let key = aws_lc_rs::rsa::Pkcs1PrivateDecryptingKey::new(key).ok()?;
        let mut out = vec![0u8; key.min_output_size()];
        let len = key.decrypt(ciphertext, &mut out).ok()?.len();
        out.truncate(len);
        Some(out)
    }
}

fn pkcs8_base64(key: &KeyPair) -> Result<String, SandboxError> {
    let der: aws_lc_rs::encoding::Pkcs8V1Der<'static> =
        key.as_der().map_err(|_| SandboxError::Keys)?;
    Ok(STANDARD.encode(der.as_ref()))
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
