//! `cargo xtask reliability`: runs the reliability matrix (`crates/payments-reliability`,
//! test target `matrix`) and passes its summary through.
//!
//! The matrix is one custom-harness test binary: every fault row against every operation of
//! every provider crate (exact attempt counts, F20 charge counts), every bad input against
//! every request builder (zero requests sent), the notification rows, the canary scan of every
//! rendering and of the TRACE log, and the decoder byte soup with its case counts. It prints
//! one summary and exits non-zero if any count is off; so does this task.
//!
//! `PROPTEST_CASES` (default 256 per decoder and input kind) is passed through.

use std::path::Path;
use std::process::Command;

/// Runs the matrix from the workspace root with the invoking cargo, streaming its output.
pub(crate) fn run(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .current_dir(root)
        .args([
            "test",
            "--package",
            "payments-reliability",
            "--test",
            "matrix",
        ])
        .status()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "the reliability matrix failed ({status}); the failing cases are listed above"
        ))
    }
}
