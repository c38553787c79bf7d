//! `cargo xtask reliability --plant`: proof that the reliability checks bite.
//!
//! Each plant is a known bug put in on purpose: one or more (file, exact original snippet,
//! replacement) edits. The task exports the committed workspace (`git archive HEAD`) into a
//! scratch folder under the target directory, then for each plant in turn applies its edits
//! (failing loudly if a snippet is no longer found, so the plants stay in step with the code),
//! runs the check that must catch it — the reliability matrix, or for the one promise that
//! cannot be observed from outside (the constant-time comparison) its unit test — and restores
//! the files. Before the first plant the matrix runs once on the untouched copy: it must pass,
//! or a red plant would prove nothing. The builds share the invoking target directory, so
//! only the workspace crates are rebuilt for each plant.
//!
//! It prints the table `plant | caught by | red rows/tests` and exits non-zero if any plant
//! survived (its check stayed green). `--plant NAME` runs only the plants whose name contains
//! `NAME`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// One edit of a plant: in `file`, the exact `original` text becomes `replacement`.
struct Edit {
    file: &'static str,
    original: &'static str,
    replacement: &'static str,
}

/// The check that must turn red.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Check {
    /// The reliability matrix (`payments-reliability`, test target `matrix`).
    Matrix,
    /// One test target of one crate, with the features it needs.
    Tests {
        package: &'static str,
        target: &'static str,
        features: &'static str,
    },
}

/// A known bug, put in on purpose.
struct Plant {
    name: &'static str,
    what: &'static str,
    edits: &'static [Edit],
    check: Check,
}

/// The eight plants.
const PLANTS: &[Plant] = &[
    Plant {
        name: "body-cap",
        what: "the streaming body cap removed (only Content-Length is checked)",
        edits: &[Edit {
            file: "crates/payments-common/src/http/client.rs",
            original: "                if body.len() + chunk.len() > limit {\n                    return Err(too_large());\n                }\n",
            replacement: "",
        }],
        check: Check::Matrix,
    },
    Plant {
        name: "constant-time",
        what: "the constant-time comparison replaced by `==`",
        edits: &[Edit {
            file: "crates/payments-common/src/signature.rs",
            original: "    if a.len() != b.len() {\n        return false;\n    }\n    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));\n    std::hint::black_box(diff) == 0\n",
            replacement: "    a == b\n",
        }],
        check: Check::Tests {
            package: "payments-common",
            target: "signatures",
            features: "webhooks",
        },
    },
    Plant {
        name: "retry-after-cap",
        what: "the Retry-After cap removed (any Retry-After is waited for)",
        edits: &[Edit {
            file: "crates/payments-common/src/http/retry.rs",
            original: "                Some(wait) if wait > policy.retry_after_cap => Decision::Stop,\n",
            replacement: "",
        }],
        check: Check::Matrix,
    },
    Plant {
        name: "deadline-before-sleep",
        what: "the deadline check before the retry sleep removed",
        edits: &[Edit {
            file: "crates/payments-common/src/http/client.rs",
            original: "                Decision::Retry { after }\n                    if Instant::now()\n                        .checked_add(after)\n                        .is_some_and(|at| at < deadline) =>\n",
            replacement: "                Decision::Retry { after } =>\n",
        }],
        check: Check::Matrix,
    },
    Plant {
        name: "jatapay-token-masking",
        what: "JataPay no longer masks the token it fetched at run time (neither in its own error texts nor as the request's secret)",
        edits: &[
            Edit {
                file: "crates/jatapay/src/tokens.rs",
                original: "    secrets.push(token.clone());\n",
                replacement: "",
            },
            Edit {
                file: "crates/jatapay/src/auth.rs",
                original: "    let authorized = request.clone().bearer_auth(&issued.token)?;\n",
                replacement: "    let authorized = request.clone().header(\"authorization\", &format!(\"Bearer {}\", crate::ExposeSecret::expose_secret(&issued.token)))?;\n",
            },
            Edit {
                file: "crates/jatapay/src/auth.rs",
                original: "            let authorized = request.bearer_auth(&issued.token)?;\n",
                replacement: "            let authorized = request.header(\"authorization\", &format!(\"Bearer {}\", crate::ExposeSecret::expose_secret(&issued.token)))?;\n",
            },
        ],
        check: Check::Matrix,
    },
    Plant {
        name: "unkeyed-write-retry",
        what: "unkeyed writes retried after a timeout or a broken connection",
        edits: &[Edit {
            file: "crates/payments-common/src/http/retry.rs",
            original: "        AttemptClass::TimedOut | AttemptClass::Broken if kind.may_repeat_after_sending() => retry,\n",
            replacement: "        AttemptClass::TimedOut | AttemptClass::Broken => retry,\n",
        }],
        check: Check::Matrix,
    },
    Plant {
        name: "greenpay-any-json-final",
        what: "GreenPay treats any JSON 5xx as its own final refusal (is_fail_envelope -> true)",
        edits: &[Edit {
            file: "crates/greenpay/src/client.rs",
            original: ".final_errors_when(envelope::is_fail_envelope))",
            replacement: ".final_errors_when(|_| true))",
        }],
        check: Check::Matrix,
    },
    Plant {
        name: "path-id-dotdot",
        what: "validate::path_id accepts `..`",
        edits: &[Edit {
            file: "crates/payments-common/src/validate.rs",
            original: "    if value == \".\" || value == \"..\" {\n",
            replacement: "    if value == \".\" {\n",
        }],
        check: Check::Matrix,
    },
];

/// The line prefix the matrix prints for each failing row.
const FAILED_ROW_PREFIX: &str = "reliability-row-failed\t";

/// What one run of a check showed.
struct Outcome {
    green: bool,
    /// The failing rows or tests.
    red: Vec<String>,
    seconds: f64,
}

/// One line of the final table.
struct Line {
    plant: &'static str,
    caught_by: String,
    red: Vec<String>,
    caught: bool,
    seconds: f64,
}

/// Runs the plants whose name contains `filter` (all with `None`).
pub(crate) fn run(root: &Path, filter: Option<&str>) -> Result<(), String> {
    let started = Instant::now();
    let plants: Vec<&Plant> = PLANTS
        .iter()
        .filter(|p| filter.is_none_or(|f| p.name.contains(f)))
        .collect();
    if plants.is_empty() {
        return Err(format!("no plant is named like {filter:?}"));
    }
    let target = target_dir(root);
    let scratch = target.join("plant-scratch");
    export(root, &scratch)?;
    // Every plant's snippets must be found before anything runs.
    for plant in &plants {
        for edit in plant.edits {
            let text = read(&scratch.join(edit.file))?;
            if text.matches(edit.original).count() != 1 {
                return Err(format!(
                    "plant {}: the snippet to replace is not found exactly once in {}; update the plant to the code:\n{}",
                    plant.name, edit.file, edit.original
                ));
            }
        }
    }

    println!("plant: baseline — the matrix on the untouched copy must pass");
    let baseline = run_check(&scratch, &target, Check::Matrix, "baseline")?;
    if !baseline.green {
        return Err(format!(
            "the matrix fails on the untouched copy ({} red row(s): {}); a red plant would prove nothing",
            baseline.red.len(),
            baseline.red.join(", ")
        ));
    }
    println!("plant: baseline green ({:.0} s)", baseline.seconds);
    if plants.iter().any(|p| p.check != Check::Matrix) {
        for check in plants
            .iter()
            .map(|p| p.check)
            .filter(|c| *c != Check::Matrix)
        {
            let outcome = run_check(&scratch, &target, check, "baseline")?;
            if !outcome.green {
                return Err(format!(
                    "{} fails on the untouched copy: {}",
                    describe(check),
                    outcome.red.join(", ")
                ));
            }
        }
    }

    let mut lines = Vec::new();
    for plant in &plants {
        println!("\nplant {}: {}", plant.name, plant.what);
        let originals = apply(&scratch, plant)?;
        let outcome = run_check(&scratch, &target, plant.check, plant.name);
        restore(&scratch, &originals)?;
        let outcome = outcome?;
        println!(
            "plant {}: {} ({} red; {:.0} s)",
            plant.name,
            if outcome.green { "SURVIVED" } else { "caught" },
            outcome.red.len(),
            outcome.seconds
        );
        lines.push(Line {
            plant: plant.name,
            caught_by: describe(plant.check),
            caught: !outcome.green,
            red: outcome.red,
            seconds: outcome.seconds,
        });
    }

    println!("\n| plant | what | caught by | red rows/tests | time |");
    println!("| --- | --- | --- | --- | --- |");
    for (line, plant) in lines.iter().zip(&plants) {
        let red = if line.caught {
            summarize(&line.red)
        } else {
            "none: SURVIVED".to_owned()
        };
        println!(
            "| {} | {} | {} | {} | {:.0} s |",
            line.plant, plant.what, line.caught_by, red, line.seconds
        );
    }
    let survived: Vec<&str> = lines
        .iter()
        .filter(|l| !l.caught)
        .map(|l| l.plant)
        .collect();
    println!(
        "\n{} of {} plant(s) caught in {:.0} s",
        lines.len() - survived.len(),
        lines.len(),
        started.elapsed().as_secs_f64()
    );
    if survived.is_empty() {
        Ok(())
    } else {
        Err(format!("plant(s) not caught: {}", survived.join(", ")))
    }
}

/// `N: first, second, third, …` for a list of red rows.
fn summarize(red: &[String]) -> String {
    if red.is_empty() {
        return "the check failed before listing rows (see its output)".to_owned();
    }
    let shown: Vec<&str> = red.iter().take(4).map(String::as_str).collect();
    let more = if red.len() > shown.len() { ", …" } else { "" };
    format!("{}: {}{more}", red.len(), shown.join("; "))
}

fn describe(check: Check) -> String {
    match check {
        Check::Matrix => "matrix (payments-reliability --test matrix)".to_owned(),
        Check::Tests {
            package, target, ..
        } => format!("unit test ({package} --test {target})"),
    }
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// A fresh copy of the committed workspace (`git archive HEAD`) in `scratch`.
fn export(root: &Path, scratch: &Path) -> Result<(), String> {
    if scratch.exists() {
        std::fs::remove_dir_all(scratch)
            .map_err(|e| format!("cannot empty {}: {e}", scratch.display()))?;
    }
    std::fs::create_dir_all(scratch)
        .map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    let archive = Command::new("git")
        .current_dir(root)
        .args(["archive", "--format=tar", "HEAD"])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run git archive: {e}"))?;
    let stdout = archive
        .stdout
        .ok_or_else(|| "git archive gave no output".to_owned())?;
    let status = Command::new("tar")
        .current_dir(scratch)
        .args(["-x", "-f", "-"])
        .stdin(stdout)
        .status()
        .map_err(|e| format!("could not run tar: {e}"))?;
    if !status.success() {
        return Err(format!("unpacking the workspace failed ({status})"));
    }
    println!(
        "plant: the committed workspace (HEAD) is copied to {}",
        scratch.display()
    );
    Ok(())
}

/// Applies `plant`, returning each touched file's original text.
fn apply(scratch: &Path, plant: &Plant) -> Result<Vec<(PathBuf, String)>, String> {
    let mut originals: Vec<(PathBuf, String)> = Vec::new();
    for edit in plant.edits {
        let path = scratch.join(edit.file);
        let text = read(&path)?;
        if !originals.iter().any(|(p, _)| *p == path) {
            originals.push((path.clone(), text.clone()));
        }
        if text.matches(edit.original).count() != 1 {
            restore(scratch, &originals)?;
            return Err(format!(
                "plant {}: the snippet is not found exactly once in {}",
                plant.name, edit.file
            ));
        }
        write(&path, &text.replacen(edit.original, edit.replacement, 1))?;
    }
    Ok(originals)
}

fn restore(_scratch: &Path, originals: &[(PathBuf, String)]) -> Result<(), String> {
    for (path, text) in originals {
        write(path, text)?;
    }
    Ok(())
}

/// Runs `check` in the scratch workspace; its output goes to
/// `<target>/plant-runs/<label>.txt`.
fn run_check(scratch: &Path, target: &Path, check: Check, label: &str) -> Result<Outcome, String> {
    let started = Instant::now();
    let mut command = Command::new(cargo());
    command
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", target)
        .stdin(Stdio::null());
    match check {
        Check::Matrix => {
            command.args([
                "test",
                "--package",
                "payments-reliability",
                "--test",
                "matrix",
            ]);
        }
        Check::Tests {
            package,
            target,
            features,
        } => {
            command.args([
                "test",
                "--package",
                package,
                "--features",
                features,
                "--test",
                target,
            ]);
        }
    }
    let output = command
        .output()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let dir = target.join("plant-runs");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let log = dir.join(format!("{label}.txt"));
    write(&log, &format!("{stdout}\n--- stderr ---\n{stderr}"))?;
    let built = !stderr.contains("error: could not compile");
    if !built {
        return Err(format!(
            "the planted workspace does not build ({label}); output in {}",
            log.display()
        ));
    }
    let red: Vec<String> = match check {
        Check::Matrix => stdout
            .lines()
            .filter_map(|l| l.strip_prefix(FAILED_ROW_PREFIX))
            .map(str::to_owned)
            .collect(),
        Check::Tests { .. } => stdout
            .lines()
            .filter_map(|l| l.strip_prefix("test "))
            .filter_map(|l| l.strip_suffix(" ... FAILED"))
            .map(str::to_owned)
            .collect(),
    };
    Ok(Outcome {
        green: output.status.success(),
        red,
        seconds: started.elapsed().as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use super::PLANTS;

    #[test]
    fn every_plant_edits_something_and_has_a_unique_name() {
        let mut names: Vec<&str> = PLANTS.iter().map(|p| p.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), PLANTS.len());
        assert_eq!(PLANTS.len(), 8);
        for plant in PLANTS {
            assert!(!plant.edits.is_empty(), "{}", plant.name);
            for edit in plant.edits {
                assert_ne!(edit.original, edit.replacement, "{}", plant.name);
            }
        }
    }

    #[test]
    fn every_plant_snippet_is_found_exactly_once_in_the_workspace() {
        let root = super::super::super::workspace_root();
        for plant in PLANTS {
            for edit in plant.edits {
                let text = std::fs::read_to_string(root.join(edit.file)).unwrap();
                assert_eq!(
                    text.matches(edit.original).count(),
                    1,
                    "plant {} no longer matches {}",
                    plant.name,
                    edit.file
                );
            }
        }
    }
}
