//! `cargo xtask reliability [--repeat N]`: runs the reliability matrix
//! (`crates/payments-reliability`, test target `matrix`) and passes its summary through.
//!
//! The matrix is one custom-harness test binary: every fault row against every operation of
//! every provider crate (exact attempt counts, F20 charge counts), every bad input against
//! every request builder (zero requests sent), the notification rows, the canary scan of every
//! rendering and of the TRACE log, and the decoder byte soup with its case counts. It prints
//! one summary and exits non-zero if any count is off; so does this task.
//!
//! With `--repeat N` the binary is built once and run N times in a row; the task then prints,
//! for every row that failed at least once, how many of the N runs it failed in, and exits
//! non-zero if any run failed. This is how the matrix is shown to hold on a busy machine. Each
//! run's full output is kept in `<target dir>/reliability-runs/run-<i>.txt`. The environment
//! variable `RELIABILITY_REPEAT=N` does the same as `--repeat N`.
//!
//! `PROPTEST_CASES` (default 256 per decoder and input kind) and `CARGO_TARGET_DIR` are
//! passed through.
//!
//! With `--plant [NAME]` it proves that the checks bite: each known bug of `plant.rs` is put
//! into a scratch copy of the workspace in turn, and the matrix (or the named unit test) must
//! turn red for each; see `plant.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

#[path = "plant.rs"]
mod plant;

/// The line prefix the matrix prints for each failing row (`report::FAILED_ROW_PREFIX`).
const FAILED_ROW_PREFIX: &str = "reliability-row-failed\t";

/// Runs the matrix from the workspace root with the invoking cargo, streaming its output;
/// the arguments after `reliability` on the command line (`--repeat N`) are read here.
pub(crate) fn run(root: &Path) -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_with(root, &args)
}

/// Runs the matrix with the arguments that followed `reliability`.
pub(crate) fn run_with(root: &Path, args: &[&str]) -> Result<(), String> {
    match args {
        ["--plant"] => return plant::run(root, None),
        ["--plant", name] => return plant::run(root, Some(name)),
        _ => {}
    }
    match repeat_count(args)? {
        None => run_once(root),
        Some(n) => run_repeated(root, n),
    }
}

/// `--repeat N` / `--repeat=N`, else `RELIABILITY_REPEAT`, else `None` (one streamed run).
fn repeat_count(args: &[&str]) -> Result<Option<u32>, String> {
    let parse = |text: &str| {
        text.parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("--repeat takes a positive count, not {text:?}"))
    };
    match args {
        [] => match std::env::var("RELIABILITY_REPEAT") {
            Ok(text) if !text.is_empty() => parse(&text).map(Some),
            _ => Ok(None),
        },
        ["--repeat", n] => parse(n).map(Some),
        [one] if one.starts_with("--repeat=") => {
            parse(one.trim_start_matches("--repeat=")).map(Some)
        }
        other => Err(format!(
            "usage: cargo xtask reliability [--repeat N | --plant [NAME]] (got {other:?})"
        )),
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// One run through `cargo test`, output streamed.
fn run_once(root: &Path) -> Result<(), String> {
    let status = Command::new(cargo())
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

/// Builds the matrix binary once and returns its path.
fn build(root: &Path) -> Result<PathBuf, String> {
    let output = Command::new(cargo())
        .current_dir(root)
        .args([
            "test",
            "--package",
            "payments-reliability",
            "--test",
            "matrix",
            "--no-run",
            "--message-format=json-render-diagnostics",
        ])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "building the reliability matrix failed ({})",
            output.status
        ));
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|msg| msg["reason"] == "compiler-artifact" && msg["target"]["name"] == "matrix")
        .find_map(|msg| msg["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| "cargo built no `matrix` test executable".to_owned())
}

/// Where each run's output is kept.
fn runs_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), PathBuf::from)
        .join("reliability-runs")
}

/// Builds once, runs `n` times, prints the failures per row.
fn run_repeated(root: &Path, n: u32) -> Result<(), String> {
    let binary = build(root)?;
    let dir = runs_dir(root);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let crate_dir = root.join("crates").join("payments-reliability");
    let mut per_row: BTreeMap<String, u32> = BTreeMap::new();
    let mut failed_runs = 0;
    for i in 1..=n {
        let started = Instant::now();
        let output = Command::new(&binary)
            .current_dir(&crate_dir)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("could not run {}: {e}", binary.display()))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let log = dir.join(format!("run-{i}.txt"));
        let text = format!(
            "{stdout}\n--- stderr ---\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        std::fs::write(&log, text).map_err(|e| format!("cannot write {}: {e}", log.display()))?;
        let rows: Vec<&str> = stdout
            .lines()
            .filter_map(|line| line.strip_prefix(FAILED_ROW_PREFIX))
            .collect();
        let seconds = started.elapsed().as_secs_f64();
        if output.status.success() {
            println!("run {i}/{n}: ok ({seconds:.1} s)");
        } else {
            failed_runs += 1;
            println!(
                "run {i}/{n}: FAILED ({}; {} failing row(s); {seconds:.1} s; output in {})",
                output.status,
                rows.len(),
                log.display()
            );
            if rows.is_empty() {
                // A crash before the summary: count it as a row of its own.
                *per_row
                    .entry("the matrix binary (no summary printed)".to_owned())
                    .or_default() += 1;
            }
        }
        for row in rows {
            *per_row.entry(row.to_owned()).or_default() += 1;
        }
    }
    println!(
        "\nreliability matrix x{n}: {} of {n} run(s) passed",
        n - failed_runs
    );
    if per_row.is_empty() {
        println!("no row failed in any run");
        return Ok(());
    }
    let mut table: Vec<(&String, &u32)> = per_row.iter().collect();
    table.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    println!("failures per row (runs failed / runs):");
    for (row, count) in table {
        println!("  {count:>3}/{n}  {row}");
    }
    Err(format!(
        "the reliability matrix failed in {failed_runs} of {n} run(s)"
    ))
}

#[cfg(test)]
mod tests {
    use super::repeat_count;

    #[test]
    fn repeat_is_read_from_either_spelling_and_must_be_positive() {
        assert_eq!(repeat_count(&["--repeat", "5"]), Ok(Some(5)));
        assert_eq!(repeat_count(&["--repeat=3"]), Ok(Some(3)));
        assert!(repeat_count(&["--repeat", "0"]).is_err());
        assert!(repeat_count(&["--repeat", "x"]).is_err());
        assert!(repeat_count(&["--other"]).is_err());
    }
}
