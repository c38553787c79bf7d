//! Keeping the sandbox's state across restarts (`--state DIR`).
//!
//! Two files in the state directory: `keys.json` (the two RSA signing keys as base64 PKCS#8
//! DER) and `state.json` (every provider's objects, TS Pay webhook registrations with their
//! HMAC secrets, the GreenPay webhook base, JataPay tokens and the notifications sent). Both
//! are written atomically (temporary file, then rename); `state.json` after every change.

use std::path::{Path, PathBuf};

use serde::Deserialize as _;

use crate::SandboxError;

/// File holding the RSA keys.
pub(crate) const KEYS_FILE: &str = "keys.json";
/// File holding the objects, registrations and notifications.
pub(crate) const STATE_FILE: &str = "state.json";

/// A state name (`&'static str`), spelt as an alias so that serde does not try to borrow it
/// from the input: it is read with [`leak`].
pub type Name = &'static str;

/// Reads a string into a `&'static str` field. The sandbox's state names are `&'static str`
/// constants; a loaded state's copies live as long as the process (a few short strings).
pub(crate) fn leak<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    Ok(Box::leak(String::deserialize(d)?.into_boxed_str()))
}

/// Creates `dir` (and, with `reset`, first removes the sandbox's files from it).
pub(crate) fn prepare(dir: &Path, reset: bool) -> Result<(), SandboxError> {
    let failed = |source| SandboxError::State {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(failed)?;
    if reset {
        for name in [KEYS_FILE, STATE_FILE] {
            match std::fs::remove_file(dir.join(name)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(failed(e)),
            }
        }
    }
    Ok(())
}

/// Reads `dir/name`, `None` if it does not exist.
pub(crate) fn read(dir: &Path, name: &str) -> Result<Option<String>, SandboxError> {
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(SandboxError::State { path, source }),
    }
}

/// Writes `dir/name` atomically.
pub(crate) fn write(dir: &Path, name: &str, text: &str) -> Result<(), SandboxError> {
    let path = dir.join(name);
    let tmp: PathBuf = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, &path))
        .map_err(|source| SandboxError::State { path, source })
}

/// A file that exists but cannot be understood.
pub(crate) fn corrupt(dir: &Path, name: &str, err: impl std::fmt::Display) -> SandboxError {
    SandboxError::State {
        path: dir.join(name),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{err} (start with --reset to begin a new state)"),
        ),
    }
}
