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
//! - `package [--no-verify]`: packages every publishable crate (licence files in, no test that
//!   reads the repository's fixtures) and builds each from its `.crate` alone.
//! - `doc-paths`: the provider crates' doc examples use only the provider crate's own paths.
//! - `semver [--baseline-rev REV]`: `cargo-semver-checks` on every publishable crate (a release
//!   step; says how to install the tool when it is missing).
//! - `mutants [--crate C] [--module M] [--iterate] [--list] [--nextest]`: cargo-mutants over
//!   the code that carries the promises (payments-common's pipeline, redaction, validation,
//!   money, wire adapters and signatures; each provider's webhook, error, validation and
//!   outcome files), one module at a time with its own tests, printing caught /
//!   (caught + missed) per file.
//!
//! `cargo xtask --help` (or `-h`, `help`) prints the tasks and exits 0; an unknown task is named
//! as such, followed by the tasks, and exits 2.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool reports on the terminal"
)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bloat;
mod demo;
mod doc_paths;
mod fixtures;
mod mutants;
mod package;
mod record;
mod reliability;
mod semver;

/// The task names `cargo xtask` knows (the first word on its command line).
const TASKS: [&str; 10] = [
    "fixtures",
    "demo",
    "reliability",
    "bloat",
    "sandbox",
    "package",
    "doc-paths",
    "semver",
    "mutants",
    "help",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        [] => {
            eprintln!("{}", usage());
            return ExitCode::from(2);
        }
        ["-h" | "--help" | "help", ..] => {
            println!("{}", usage());
            return ExitCode::SUCCESS;
        }
        [task, ..] if !TASKS.contains(task) => {
            eprintln!("unknown task `{task}`\n\n{}", usage());
            return ExitCode::from(2);
        }
        ["fixtures", "check"] => fixtures::check(&workspace_root()),
        ["fixtures", "regen"] => record::regen(&workspace_root()),
        ["fixtures", "record", rest @ ..] => record::record(&workspace_root(), rest),
        ["demo"] => demo::run(),
        ["reliability", ..] => reliability::run(&workspace_root()),
        ["bloat", rest @ ..] => bloat::run(&workspace_root(), rest),
        ["sandbox", rest @ ..] => run_sandbox(rest),
        ["package", rest @ ..] => package::run(&workspace_root(), rest),
        ["doc-paths"] => doc_paths::run(&workspace_root()),
        ["semver", rest @ ..] => semver::run(&workspace_root(), rest),
        ["mutants", rest @ ..] => mutants::run(&workspace_root(), rest),
        [task] => Err(format!("`{task}` needs more arguments\n\n{}", usage())),
        [task, rest @ ..] => Err(format!(
            "`{task}` does not take `{}`\n\n{}",
            rest.join(" "),
            usage()
        )),
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
    "usage: cargo xtask <task>   (cargo xtask --help: this list)

tasks:
  fixtures check       validate fixtures/: JSON, names, test coverage
  fixtures regen       re-run the snapshot suites accepting new snapshots; list what changed
  fixtures record --provider P [--base-url URL]
                       record the documented exchanges under fixtures/P/recorded/
  bloat                build time, crate count and binary size per provider vs the bare stack
  reliability [--repeat N]
                       run the reliability matrix of every provider and print its summary;
                       with --repeat, run it N times and print the failures per row
  demo                 run every provider's payment flow against an in-process sandbox
  sandbox [--port N]   run the local sandbox of the four providers
  package [--no-verify]
                       package every publishable crate as crates.io would get it and build
                       each from its .crate alone (licence files, no fixture-reading tests)
  doc-paths            fail if a provider crate's doc example uses a path its users lack
                       (payments_common::, url::, ...) instead of the crate's re-export
  semver [--baseline-rev REV]
                       cargo-semver-checks on every publishable crate (release step; needs
                       `cargo install cargo-semver-checks --locked`)
  mutants [--crate C] [--module M] [--iterate] [--list] [--nextest]
                       cargo-mutants over the code that carries the promises of crate C
                       (default payments-common), module by module with its own tests;
                       prints caught / (caught + missed) per file and module (see MUTANTS.md;
                       needs `cargo install cargo-mutants --locked`); --iterate re-tests only
                       the mutants not caught before; --list prints the plan only;
                       --nextest runs the tests with cargo-nextest (stops at the first failure)
  help                 this list"
        .to_owned()
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
    // Not `--quiet`: the first run builds the sandbox, and cargo's progress shows that.
    let status = std::process::Command::new(cargo)
        .current_dir(workspace_root())
        .args(["run", "--package", "payments-sandbox", "--"])
        .args(args)
        .status()
        .map_err(|e| format!("could not start the sandbox: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the sandbox exited with {status}"))
    }
}
