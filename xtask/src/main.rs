//! Workspace maintenance tasks, run as `cargo xtask <task>`.
//!
//! - `fixtures check`: every file under `fixtures/` is valid JSON, named
//!   `<operation>.<request|response|notification>[.<case>].json`, and referenced by name from at
//!   least one test under `crates/*/tests/`; every provider folder has a README.md.
//! - `fixtures regen`: re-runs every snapshot suite accepting new snapshots, then lists the
//!   snapshots and fixtures that changed.
//! - `fixtures record --provider P [--base-url URL]`: records the documented operations'
//!   exchanges under `fixtures/<provider>/recorded/`, redacted.
//! - `sandbox [--port N]`: runs the local sandbox of the four providers (`payments-sandbox`)
//!   and prints its URLs and test credentials.
//! - `bloat`: clean release build time, dependency count and minimal binary size of each
//!   provider crate next to the bare stack (reqwest + serde + tokio).
//! - `reliability`: runs the reliability matrix of every provider crate (faults, bad inputs,
//!   callbacks, secrets, decoder byte soup) and prints one summary; fails if any count is off.
//! - `demo`: drives every provider's payment flow through the SDK crates against an in-process
//!   sandbox and prints a report; exits non-zero if any step fails.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool reports on the terminal"
)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bloat;
mod demo;
mod fixtures;
mod record;
mod reliability;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["fixtures", "check"] => fixtures::check(&workspace_root()),
        ["fixtures", "regen"] => record::regen(&workspace_root()),
        ["fixtures", "record", rest @ ..] => record::record(&workspace_root(), rest),
        ["demo"] => demo::run(),
        ["reliability", ..] => reliability::run(&workspace_root()),
        ["bloat", rest @ ..] => bloat::run(&workspace_root(), rest),
        ["sandbox", rest @ ..] => run_sandbox(rest),
        _ => Err(usage()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> String {
    "usage: cargo xtask <task>\n\ntasks:\n  fixtures check       validate fixtures/: JSON, names, test coverage\n  fixtures regen       re-run the snapshot suites accepting new snapshots; list what changed\n  fixtures record --provider P [--base-url URL]\n                       record the documented exchanges under fixtures/P/recorded/\n  bloat                build time, crate count and binary size per provider vs the bare stack\n  reliability [--repeat N]\n                       run the reliability matrix of every provider and print its summary;\n                       with --repeat, run it N times and print the failures per row\n  demo                 run every provider's payment flow against an in-process sandbox\n  sandbox [--port N]   run the local sandbox of the four providers".to_owned()
}

/// The workspace root: the parent of this crate's directory.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Runs the sandbox binary in the foreground (it prints its URLs and credentials).
fn run_sandbox(args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = std::process::Command::new(cargo)
        .current_dir(workspace_root())
        .args(["run", "--quiet", "--package", "payments-sandbox", "--"])
        .args(args)
        .status()
        .map_err(|e| format!("could not start the sandbox: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the sandbox exited with {status}"))
    }
}
