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
//!    unpacked `.crate` in `<target dir>/package-verify/package/` (a scratch tree, apart from normal builds).
//!    `--no-verify` skips that build.
//! 4. Lists each `.crate` with its size.
//!
//! Before step 3, earlier unpackings of these same crates are removed from cargo's source cache
//! (`$CARGO_HOME/registry/src/<overlay>/<name>-<version>`). Cargo unpacks an overlay package
//! there once and reuses the folder whenever its marker file is present, so with a cargo home
//! kept between runs the verify build would compile last run's `payments-common` against this
//! run's provider crates and fail on anything added since. crates.io's own folders are left alone.
//! Cargo likewise never rebuilds a registry crate whose version it has built before, so the
//! packages are built in a target directory of their own (`<target dir>/package-verify`), where
//! the members' build records are dropped before each run: the dependencies stay built, the
//! members are always compiled from the packages just made.
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

    let removed = remove_stale_unpackings(&cargo_home(), &members)?;
    for dir in &removed {
        println!("package: removed a stale unpacking: {}", dir.display());
    }

    // `--workspace` would take the `publish = false` members too (payments-bench reads the
    // repository's fixtures at build time): name the publishable ones.
    let verify_dir = target_dir(root).join("package-verify");
    remove_member_build_records(&verify_dir, &members)?;
    let mut command = Command::new(cargo());
    command
        .current_dir(root)
        .env("CARGO_TARGET_DIR", &verify_dir)
        .args(["package", "--allow-dirty"]);
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

    let out_dir = verify_dir.join("package");
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

/// Cargo's home: `$CARGO_HOME`, else `~/.cargo`.
fn cargo_home() -> PathBuf {
    match std::env::var_os("CARGO_HOME") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default()
            .join(".cargo"),
    }
}

/// Removes `<cargo home>/registry/src/<source>/<name>-<version>` for every member, in every
/// source folder except the registries' own (`index.*`, e.g. crates.io's): those are the local
/// overlay's unpackings of earlier runs. Returns the folders removed.
fn remove_stale_unpackings(cargo_home: &Path, members: &[Member]) -> Result<Vec<PathBuf>, String> {
    let sources = cargo_home.join("registry").join("src");
    let Ok(entries) = std::fs::read_dir(&sources) else {
        return Ok(Vec::new());
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with("index.") {
            continue;
        }
        for member in members {
            let dir = entry
                .path()
                .join(format!("{}-{}", member.name, member.version));
            if dir.is_dir() {
                std::fs::remove_dir_all(&dir)
                    .map_err(|e| format!("could not remove {}: {e}", dir.display()))?;
                removed.push(dir);
            }
        }
    }
    removed.sort();
    Ok(removed)
}

/// Removes the members' build records (`<dir>/<profile>/.fingerprint/<name>-<hash>`) from the
/// verify target directory, so that cargo compiles them again from the packages just made
/// instead of trusting an earlier build of the same version.
fn remove_member_build_records(dir: &Path, members: &[Member]) -> Result<(), String> {
    let Ok(profiles) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for profile in profiles.flatten() {
        let Ok(records) = std::fs::read_dir(profile.path().join(".fingerprint")) else {
            continue;
        };
        for record in records.flatten() {
            let name = record.file_name().to_string_lossy().into_owned();
            let is_member = members.iter().any(|m| {
                name.strip_prefix(&m.name)
                    .and_then(|rest| rest.strip_prefix('-'))
                    .is_some_and(|hash| {
                        !hash.is_empty() && hash.bytes().all(|b| b.is_ascii_hexdigit())
                    })
            });
            if is_member {
                std::fs::remove_dir_all(record.path())
                    .map_err(|e| format!("could not remove {}: {e}", record.path().display()))?;
            }
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_unpackings_of_members_are_removed_and_crates_io_is_kept() {
        let home = std::env::temp_dir().join(format!("xtask-package-{}", std::process::id()));
        let src = home.join("registry").join("src");
        let overlay = src.join("-7a83785b155635a3");
        let crates_io = src.join("index.crates.io-1949cf8c6b5b557f");
        for dir in [
            overlay.join("payments-common-0.1.0"),
            overlay.join("serde-1.0.0"),
            crates_io.join("payments-common-0.1.0"),
        ] {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join(".cargo-ok"), "{\"v\":1}").unwrap();
        }
        let members = [Member {
            name: "payments-common".to_owned(),
            version: "0.1.0".to_owned(),
            dir: PathBuf::new(),
        }];

        let removed = remove_stale_unpackings(&home, &members).unwrap();

        assert_eq!(removed, vec![overlay.join("payments-common-0.1.0")]);
        assert!(!overlay.join("payments-common-0.1.0").exists());
        assert!(overlay.join("serde-1.0.0").exists(), "other crates stay");
        assert!(
            crates_io.join("payments-common-0.1.0").exists(),
            "crates.io's folder stays"
        );
        assert!(remove_stale_unpackings(&home, &members).unwrap().is_empty());
        std::fs::remove_dir_all(&home).unwrap();
    }

    #[test]
    fn build_records_of_members_are_dropped_and_dependencies_kept() {
        let dir = std::env::temp_dir().join(format!("xtask-verify-{}", std::process::id()));
        let records = dir.join("debug").join(".fingerprint");
        for name in [
            "payments-common-3be3b5a2deffb185",
            "payments-common-0a1b2c3d4e5f6789",
            "payments-common-extra-3be3b5a2deffb185",
            "reqwest-1234abcd5678ef90",
        ] {
            std::fs::create_dir_all(records.join(name)).unwrap();
        }
        let members = [Member {
            name: "payments-common".to_owned(),
            version: "0.1.0".to_owned(),
            dir: PathBuf::new(),
        }];

        remove_member_build_records(&dir, &members).unwrap();

        let mut left: Vec<String> = std::fs::read_dir(&records)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "payments-common-extra-3be3b5a2deffb185",
                "reqwest-1234abcd5678ef90"
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_cargo_home_removes_nothing() {
        let home = std::env::temp_dir().join("xtask-package-no-such-home");
        assert!(remove_stale_unpackings(&home, &[]).unwrap().is_empty());
    }
}
