//! `cargo xtask semver [--baseline-rev REV]`: checks the public API of every publishable crate
//! against a baseline with `cargo-semver-checks`, before a release.
//!
//! The baseline is the version published on crates.io by default; with `--baseline-rev REV` it
//! is the workspace at a git revision (a tag of the previous release, say), which is what to use
//! until the crates are on crates.io. Not run in CI: it is a release step.
//!
//! `cargo-semver-checks` is not a dependency of the workspace; when it is missing the task says
//! how to install it and fails.

use std::path::Path;
use std::process::Command;

/// How to install the tool, printed when it is missing.
pub const INSTALL_HINT: &str = "cargo install cargo-semver-checks --locked";

/// Runs the task from the workspace root; `args` are the words after `semver`.
pub fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    let baseline_rev = match args {
        [] => None,
        ["--baseline-rev", rev] => Some(*rev),
        _ => {
            return Err(format!(
                "usage: cargo xtask semver [--baseline-rev REV] (got {args:?})"
            ));
        }
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let installed = Command::new(&cargo)
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !installed {
        return Err(format!(
            "semver: cargo-semver-checks is not installed; install it with\n\n    {INSTALL_HINT}\n\nthen run `cargo xtask semver [--baseline-rev REV]` again"
        ));
    }
    let mut command = Command::new(&cargo);
    command
        .current_dir(root)
        .args(["semver-checks", "check-release", "--workspace"]);
    match baseline_rev {
        Some(rev) => {
            println!("semver: checking every publishable crate against git revision {rev}");
            command.args(["--baseline-rev", rev]);
        }
        None => println!("semver: checking every publishable crate against its crates.io release"),
    }
    let status = command
        .status()
        .map_err(|e| format!("could not run cargo semver-checks: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "semver: cargo semver-checks reported a problem ({status})"
        ))
    }
}
