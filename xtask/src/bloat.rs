//! `cargo xtask bloat`: the footprint of each provider crate next to the bare stack.
//!
//! For `bare` (reqwest with `default-features = false` and `rustls` + `json`, serde,
//! serde_json, tokio) and each provider crate with its default features, a throwaway binary
//! project that makes one call is generated under `target/bloat/<name>/` with its own
//! `CARGO_TARGET_DIR` (`target/bloat/<name>/target`, so the shared target dir is never
//! cleaned) and the repository's `Cargo.lock` (same versions). Measured:
//!
//! - crates in the tree: distinct packages of `cargo tree -e normal --prefix none`, and the
//!   units `cargo build` compiled (build dependencies and build scripts included);
//! - clean release build wall time (`cargo build --release --timings` after removing the
//!   project's target dir; sources fetched first, so no download time counts);
//! - the slowest units and the compile time of each of our crates (from cargo's timings page);
//! - the size of the release binary.
//!
//! `bare-ring` and `begateway-ring` measure the opt-in `ring` crypto provider the same way
//! (each `-ring` project is compared with `bare-ring`).
//!
//! ```text
//! cargo xtask bloat                       everything (about 10 minutes per project on 2 cores)
//! cargo xtask bloat --only jatapay        one project (the bare stack is measured only if named)
//! cargo xtask bloat --only bare --only tspay
//! cargo xtask bloat --no-build            crate counts only (no clean builds)
//! cargo xtask bloat --only bare --only begateway --only async-stripe
//!                                         with the peer: async-stripe 1.0 and one resource
//!                                         (about 4 minutes and 2 GB of RAM on its own)
//! ```

// Build times and sizes are measurements, not money: ratios between them are floats.
#![allow(clippy::float_arithmetic)]

mod project;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Our crates, whose compile time the budget caps at 30 s each.
const OURS: [&str; 5] = [
    "payments-common",
    "jatapay",
    "tspay",
    "greenpay",
    "begateway",
];

/// What was measured for one project.
#[derive(Default)]
struct Figures {
    name: String,
    tree_crates: usize,
    compiled_units: Option<usize>,
    build_secs: Option<f64>,
    binary_bytes: Option<u64>,
    slowest: Vec<(String, f64)>,
    ours: Vec<(String, f64)>,
}

/// Runs the measurement; `args` as in the module docs.
pub(crate) fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    let mut only: Vec<&str> = Vec::new();
    let mut build = true;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--only" => {
                let name = rest.next().ok_or("--only needs a name")?;
                if !project::NAMES.contains(name) && !project::PEERS.contains(name) {
                    return Err(format!(
                        "unknown project {name:?}; one of {}, {}",
                        project::NAMES.join(", "),
                        project::PEERS.join(", ")
                    ));
                }
                only.push(name);
            }
            "--no-build" => build = false,
            other => {
                return Err(format!(
                    "usage: cargo xtask bloat [--only NAME]... [--no-build]; unknown {other:?}"
                ));
            }
        }
    }
    let names: Vec<&str> = project::NAMES
        .iter()
        .chain(project::PEERS.iter())
        .copied()
        .filter(|n| {
            if only.is_empty() {
                project::NAMES.contains(n)
            } else {
                only.contains(n)
            }
        })
        .collect();
    let mut all = Vec::new();
    for name in names {
        eprintln!("bloat: {name}…");
        all.push(measure(root, name, build)?);
    }
    print(&all);
    Ok(())
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Runs cargo in `dir` with the project's own target dir; returns stdout.
fn cargo_in(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new(cargo())
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run cargo {}: {e}", args.join(" ")))?;
    if !out.status.success() {
        return Err(format!(
            "cargo {} failed in {}:\n{}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn measure(root: &Path, name: &str, build: bool) -> Result<Figures, String> {
    let dir: PathBuf = root.join("target").join("bloat").join(name);
    fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let (manifest, main) = project::files(root, name);
    fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    fs::write(dir.join("src").join("main.rs"), main).map_err(|e| e.to_string())?;
    // Same versions as the repository (cargo drops what this project does not use).
    if let Ok(lock) = fs::read(root.join("Cargo.lock")) {
        fs::write(dir.join("Cargo.lock"), lock).map_err(|e| e.to_string())?;
    }
    cargo_in(&dir, &["fetch", "--quiet"])?;
    let tree = cargo_in(&dir, &["tree", "-e", "normal", "--prefix", "none"])?;
    let mut packages: Vec<&str> = tree
        .lines()
        .map(|l| l.trim_end_matches(" (*)").trim_end_matches(" (proc-macro)"))
        .filter(|l| !l.is_empty())
        .collect();
    packages.sort_unstable();
    packages.dedup();
    let mut figures = Figures {
        name: name.to_owned(),
        tree_crates: packages.len(),
        ..Figures::default()
    };
    if !build {
        return Ok(figures);
    }
    let target = dir.join("target");
    if target.exists() {
        fs::remove_dir_all(&target).map_err(|e| e.to_string())?;
    }
    let start = Instant::now();
    let out = Command::new(cargo())
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .args(["build", "--release", "--timings"])
        .output()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    let secs = start.elapsed().as_secs_f64();
    let log = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("clean build of {name} failed:\n{log}"));
    }
    figures.build_secs = Some(secs);
    figures.compiled_units = Some(
        log.lines()
            .filter(|l| l.trim_start().starts_with("Compiling "))
            .count(),
    );
    let binary = target.join("release").join(format!("bloat-{name}"));
    figures.binary_bytes = fs::metadata(&binary).ok().map(|m| m.len());
    let timings = target.join("cargo-timings").join("cargo-timing.html");
    if let Ok(html) = fs::read_to_string(&timings) {
        let units = unit_times(&html);
        let mut slowest = units.clone();
        slowest.sort_by(|a, b| b.1.total_cmp(&a.1));
        slowest.truncate(4);
        figures.slowest = slowest;
        figures.ours = units
            .into_iter()
            .filter(|(n, _)| OURS.iter().any(|o| n.starts_with(&format!("{o} "))))
            .collect();
    }
    Ok(figures)
}

/// `(name + target, seconds)` of every unit on cargo's timings page (`UNIT_DATA`).
fn unit_times(html: &str) -> Vec<(String, f64)> {
    let Some(start) = html.find("const UNIT_DATA = ") else {
        return Vec::new();
    };
    let text = &html[start + "const UNIT_DATA = ".len()..];
    let end = text.find("];").map(|i| i + 1).unwrap_or(text.len());
    let Ok(serde_json::Value::Array(units)) = serde_json::from_str(&text[..end]) else {
        return Vec::new();
    };
    units
        .iter()
        .filter_map(|u| {
            let name = u.get("name")?.as_str()?;
            let target = u.get("target").and_then(|t| t.as_str()).unwrap_or("");
            let secs = u.get("duration")?.as_f64()?;
            Some((format!("{name} {}", target.trim()), secs))
        })
        .collect()
}

fn print(all: &[Figures]) {
    println!(
        "\n| project | crates in tree (`cargo tree -e normal`) | vs bare | units compiled | clean release build s | vs bare | binary KiB | vs bare |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}×", a / b),
        _ => "–".to_owned(),
    };
    for f in all {
        let bare = all.iter().find(|b| b.name == project::baseline(&f.name));
        let diff = bare
            .map(|b| format!("{:+}", f.tree_crates as i64 - b.tree_crates as i64))
            .unwrap_or_else(|| "–".to_owned());
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            f.name,
            f.tree_crates,
            diff,
            f.compiled_units
                .map(|u| u.to_string())
                .unwrap_or_else(|| "–".to_owned()),
            f.build_secs
                .map(|s| format!("{s:.1}"))
                .unwrap_or_else(|| "–".to_owned()),
            ratio(f.build_secs, bare.and_then(|b| b.build_secs)),
            f.binary_bytes
                .map(|b| (b / 1024).to_string())
                .unwrap_or_else(|| "–".to_owned()),
            ratio(
                f.binary_bytes.map(|b| b as f64),
                bare.and_then(|b| b.binary_bytes.map(|x| x as f64))
            ),
        );
    }
    for f in all.iter().filter(|f| !f.slowest.is_empty()) {
        let slow: Vec<String> = f
            .slowest
            .iter()
            .map(|(n, s)| format!("{n} {s:.1} s"))
            .collect();
        let ours: Vec<String> = f
            .ours
            .iter()
            .map(|(n, s)| {
                let verdict = if *s <= 30.0 { "" } else { " (over 30 s)" };
                format!("{n} {s:.1} s{verdict}")
            })
            .collect();
        println!("\n{}: slowest units: {}", f.name, slow.join(", "));
        if !ours.is_empty() {
            println!("{}: our crates: {}", f.name, ours.join(", "));
        }
    }
    println!(
        "\nBudget: clean build ≤ 1.15× bare, ≤ +15 crates, none of our crates over 30 s to compile (figures are wall clock: run on a quiet machine)."
    );
}
