//! `cargo xtask fixtures check`.

use std::fs;
use std::path::{Path, PathBuf};

/// The kinds a fixture name may have, after its operation.
const KINDS: &[&str] = &["request", "response", "notification"];

/// Checks every fixture and prints one line per problem; fails if there is any.
pub(crate) fn check(root: &Path) -> Result<(), String> {
    let fixtures_dir = root.join("fixtures");
    let files = json_files(&fixtures_dir)?;
    let test_sources = test_sources(&root.join("crates"))?;
    let mut problems = Vec::new();

    for provider in subdirectories(&fixtures_dir)? {
        if !provider.join("README.md").is_file() {
            problems.push(format!(
                "{}: no README.md (provenance and repairs)",
                display(root, &provider)
            ));
        }
    }
    for file in &files {
        let shown = display(root, file);
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        match fs::read(file) {
            Ok(bytes) => {
                if let Err(e) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                    problems.push(format!("{shown}: not valid JSON: {e}"));
                }
            }
            Err(e) => problems.push(format!("{shown}: unreadable: {e}")),
        }
        // Peer SDKs' test data keeps the peer's own file names (see each peers/README.md).
        let peers = file.components().any(|c| c.as_os_str() == "peers");
        if !peers && let Err(why) = check_name(name) {
            problems.push(format!("{shown}: badly named ({why}); expected <operation>.<request|response|notification>[.<case>].json"));
        }
        // Recorded exchanges are covered by the suite that decodes the whole folder.
        let recorded = file.components().any(|c| c.as_os_str() == "recorded");
        if !recorded && !test_sources.iter().any(|source| source.contains(name)) {
            problems.push(format!(
                "{shown}: not referenced by any test under crates/*/tests/"
            ));
        }
    }

    if problems.is_empty() {
        println!("fixtures check: {} fixture(s) OK", files.len());
        Ok(())
    } else {
        for p in &problems {
            println!("{p}");
        }
        Err(format!(
            "fixtures check: {} problem(s) in {} fixture(s)",
            problems.len(),
            files.len()
        ))
    }
}

/// `<operation>.<kind>[.<case>].json`, each part of lower-case letters, digits, `_` or `-`.
fn check_name(name: &str) -> Result<(), String> {
    let stem = name.strip_suffix(".json").ok_or("not a .json file")?;
    let parts: Vec<&str> = stem.split('.').collect();
    let valid_part = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
    };
    if let Some(bad) = parts.iter().find(|p| !valid_part(p)) {
        return Err(format!(
            "part {bad:?} is not lower-case letters, digits, '_' or '-'"
        ));
    }
    let kind_at = parts
        .iter()
        .position(|p| KINDS.contains(p))
        .ok_or("no request/response/notification part")?;
    if kind_at == 0 {
        return Err("no operation before the kind".into());
    }
    if parts.len() - kind_at > 2 {
        return Err("more than one part after the kind".into());
    }
    Ok(())
}

fn json_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    walk(dir, &mut |p| {
        if p.extension().is_some_and(|e| e == "json") {
            out.push(p.to_path_buf());
        }
    })?;
    out.sort();
    Ok(out)
}

fn test_sources(crates: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for krate in subdirectories(crates)? {
        let tests = krate.join("tests");
        if tests.is_dir() {
            walk(&tests, &mut |p| {
                if p.extension().is_some_and(|e| e == "rs")
                    && let Ok(text) = fs::read_to_string(p)
                {
                    out.push(text);
                }
            })?;
        }
    }
    Ok(out)
}

fn subdirectories(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, visit: &mut dyn FnMut(&Path)) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, visit)?;
        } else {
            visit(&path);
        }
    }
    Ok(())
}

fn display(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::check_name;

    #[test]
    fn names_follow_the_convention() {
        for good in [
            "products_create.request.json",
            "products.create.response.201.json",
            "get.response.302.json",
            "webhook_checkout.notification.json",
            "x.response.empty-list.json",
        ] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in [
            "Products.request.json",
            "request.json",
            "create.json",
            "create.request.a.b.json",
            "create.request.txt",
            "cre ate.response.json",
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}
