//! `cargo xtask package [--no-verify]`: packages every publishable crate as crates.io would
//! receive it, and builds each package from its `.crate` alone.
//!
//! 1. Reads the publishable members from `cargo metadata` (`publish = false` ones are skipped).
//! 2. For each, `cargo package --list` must include `LICENSE-MIT` and `LICENSE-APACHE` (the
//!    declared licence is `MIT OR Apache-2.0`), and no packaged test may read the repository's
//!    `../../fixtures` (a downloaded crate has no such folder).
//! 3. `cargo package -p <each>` packages them in dependency order (payments-common first),
//!    resolving the workspace's own crates from the packages just made (a local overlay registry,
//!    as a `cargo publish --dry-run` of each in turn would), and verifies each by building the
//!    unpacked `.crate` in `<target dir>/package/` (a scratch tree, apart from normal builds).
//!    `--no-verify` skips that build.
//! 4. Lists each `.crate` with its size.
//!
//! Uncommitted changes are packaged as they are (`--allow-dirty`): this checks the packages, it
//! publishes nothing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

/// Files every package must carry.
const LICENCE_FILES: [&str; 2] = ["LICENSE-MIT", "LICENSE-APACHE"];

/// A publishable workspace member.
struct Member {
    name: String,
    version: String,
    dir: PathBuf,
}

/// Runs the task from the workspace root; `args` are the words after `package`.
pub fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    let verify = match args {
        [] => true,
        ["--no-verify"] => false,
        _ => {
            return Err(format!(
                "usage: cargo xtask package [--no-verify] (got {args:?})"
            ));
        }
    };
    let started = Instant::now();
    let members = publishable_members(root)?;
    if members.is_empty() {
        return Err("no publishable crate in the workspace".to_owned());
    }
    let names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
    println!("package: publishable crates: {}", names.join(", "));

    let mut problems = Vec::new();
    for member in &members {
        let files = packaged_files(root, &member.name)?;
        for licence in LICENCE_FILES {
            if !files.iter().any(|f| f == licence) {
                problems.push(format!("{}: {licence} is not in the package", member.name));
            }
        }
        for file in files.iter().filter(|f| f.starts_with("tests/")) {
            let text = std::fs::read_to_string(member.dir.join(file)).unwrap_or_default();
            if text.contains("../../fixtures") || text.contains("../fixtures") {
                problems.push(format!(
                    "{}: packaged {file} reads the repository's fixtures, which a downloaded \
                     crate lacks (exclude tests/ from the package or ship the fixtures)",
                    member.name
                ));
            }
        }
        println!(
            "package: {} {}: {} files, licence files in",
            member.name,
            member.version,
            files.len()
        );
    }
    if !problems.is_empty() {
        return Err(format!("package: {}", problems.join("\npackage: ")));
    }

    // `--workspace` would take the `publish = false` members too (payments-bench reads the
    // repository's fixtures at build time): name the publishable ones.
    let mut command = Command::new(cargo());
    command.current_dir(root).args(["package", "--allow-dirty"]);
    for member in &members {
        command.args(["--package", &member.name]);
    }
    if !verify {
        command.arg("--no-verify");
    }
    println!(
        "package: cargo package -p {}{} (each package {}) …",
        names.join(" -p "),
        if verify { "" } else { " --no-verify" },
        if verify {
            "built from its .crate alone; the first run compiles every dependency"
        } else {
            "not built"
        }
    );
    let status = command
        .status()
        .map_err(|e| format!("could not run cargo package: {e}"))?;
    if !status.success() {
        return Err(format!("cargo package failed ({status})"));
    }

    let out_dir = target_dir(root).join("package");
    println!("\npackage: the .crate files, in {}:", out_dir.display());
    for member in &members {
        let file = out_dir.join(format!("{}-{}.crate", member.name, member.version));
        let size = std::fs::metadata(&file)
            .map_err(|e| format!("{} is missing: {e}", file.display()))?
            .len();
        println!(
            "  {:<32} {:>8} bytes{}",
            format!("{}-{}.crate", member.name, member.version),
            size,
            if verify { "  verified" } else { "" }
        );
    }
    println!(
        "package: {} crates packaged in {:.0} s",
        members.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// The target directory cargo uses for this workspace.
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        }
        _ => root.join("target"),
    }
}

/// The workspace members that may be published, in `cargo metadata` order.
fn publishable_members(root: &Path) -> Result<Vec<Member>, String> {
    let output = Command::new(cargo())
        .current_dir(root)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()
        .map_err(|e| format!("could not run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let metadata: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("cargo metadata printed bad JSON: {e}"))?;
    let packages = metadata["packages"]
        .as_array()
        .ok_or("cargo metadata: no packages")?;
    let mut members = Vec::new();
    for package in packages {
        // `publish`: null = anywhere; [] = nowhere (`publish = false`); a list = those registries.
        if package["publish"].as_array().is_some_and(Vec::is_empty) {
            continue;
        }
        let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap_or_default());
        members.push(Member {
            name: package["name"].as_str().unwrap_or_default().to_owned(),
            version: package["version"].as_str().unwrap_or_default().to_owned(),
            dir: manifest.parent().map(Path::to_path_buf).unwrap_or_default(),
        });
    }
    Ok(members)
}

/// The paths `cargo package --list` gives for one crate.
fn packaged_files(root: &Path, name: &str) -> Result<Vec<String>, String> {
    let output = Command::new(cargo())
        .current_dir(root)
        .args(["package", "--list", "--allow-dirty", "--package", name])
        .output()
        .map_err(|e| format!("could not run cargo package --list: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo package --list -p {name} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect())
}
