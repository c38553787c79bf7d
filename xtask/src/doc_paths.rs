//! `cargo xtask doc-paths`: the code examples in the provider crates' doc comments use only
//! paths a user of that crate has.
//!
//! A doc example compiles as a doctest with every dependency of the crate in scope, so
//! `use payments_common::http::HttpConfig;` passes `cargo test --doc` but fails in a user's crate
//! that depends on `begateway` alone. This check scans the Rust code blocks of the `///` and `//!`
//! comments under `crates/<provider>/src/` for paths rooted in a crate the provider depends on
//! and re-exports what users need from (`payments_common`, `url`, `secrecy`, `reqwest`), and fails
//! listing `file:line` of each; the fix is the provider's own re-export (`begateway::HttpConfig`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The provider crates whose doc examples users paste.
const PROVIDERS: [&str; 4] = ["begateway", "greenpay", "jatapay", "tspay"];

/// Crate roots a user of a provider crate does not have: the provider re-exports what is needed.
const FORBIDDEN_ROOTS: [&str; 4] = ["payments_common", "url", "secrecy", "reqwest"];

/// One doc-example line that names a forbidden crate root.
#[derive(Debug, PartialEq, Eq)]
pub struct Hit {
    /// The file, relative to the workspace root.
    pub file: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// The forbidden crate root found.
    pub root: &'static str,
    /// The line as written (trimmed).
    pub text: String,
}

/// Runs the check over the four provider crates under `root`.
pub fn run(root: &Path) -> Result<(), String> {
    let mut hits = Vec::new();
    let mut files = 0usize;
    for provider in PROVIDERS {
        let src = root.join("crates").join(provider).join("src");
        let mut paths = Vec::new();
        collect_rs(&src, &mut paths).map_err(|e| format!("cannot read {}: {e}", src.display()))?;
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            hits.extend(scan(&rel, &text));
            files += 1;
        }
    }
    if hits.is_empty() {
        println!(
            "doc-paths: the doc examples of {} ({files} files) use only the provider crates' own paths",
            PROVIDERS.join(", ")
        );
        return Ok(());
    }
    let mut message = format!(
        "doc-paths: {} doc-example line(s) use a path a user of the provider crate does not have \
         (use the provider crate's re-export instead, e.g. `begateway::HttpConfig`):\n",
        hits.len()
    );
    for hit in &hits {
        let _ = writeln!(
            message,
            "  {}:{}: `{}::` in `{}`",
            hit.file.display(),
            hit.line,
            hit.root,
            hit.text
        );
    }
    Err(message)
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_rs(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// The hits in one file's doc comments: lines inside Rust code blocks (hidden `# ` lines
/// included, they compile too) that name a forbidden crate root.
pub fn scan(file: &Path, text: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    // Some(true): inside a Rust code block; Some(false): inside another block (text, json, …).
    let mut fence: Option<bool> = None;
    let mut fence_marker = String::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let Some(doc) = trimmed
            .strip_prefix("///")
            .or_else(|| trimmed.strip_prefix("//!"))
        else {
            // The doc comment ended: so did any block in it.
            fence = None;
            continue;
        };
        let doc = doc.strip_prefix(' ').unwrap_or(doc);
        let doc_trimmed = doc.trim_start();
        if doc_trimmed.starts_with("```") || doc_trimmed.starts_with("~~~") {
            let marker: String = doc_trimmed
                .chars()
                .take_while(|c| *c == '`' || *c == '~')
                .collect();
            match fence {
                Some(_) if doc_trimmed.trim_end() == fence_marker => fence = None,
                Some(_) => {}
                None => {
                    fence = Some(is_rust_block(&doc_trimmed[marker.len()..]));
                    fence_marker = marker;
                }
            }
            continue;
        }
        if fence != Some(true) {
            continue;
        }
        let code = doc_trimmed
            .strip_prefix("# ")
            .or_else(|| (doc_trimmed == "#").then_some(""))
            .unwrap_or(doc_trimmed);
        let code = code.split("//").next().unwrap_or(code);
        if let Some(root) = forbidden_root(code) {
            hits.push(Hit {
                file: file.to_path_buf(),
                line: index + 1,
                root,
                text: doc_trimmed.trim().to_owned(),
            });
        }
    }
    hits
}

/// Rustdoc compiles a block whose info string is empty or made of Rust attributes only.
fn is_rust_block(info: &str) -> bool {
    info.split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|word| !word.is_empty())
        .all(|word| {
            matches!(
                word,
                "rust" | "ignore" | "no_run" | "should_panic" | "compile_fail" | "test_harness"
            ) || word.starts_with("edition")
        })
}

/// The first forbidden crate root used as a path root (`root::`, not `my_root::` or `a::root::`).
fn forbidden_root(code: &str) -> Option<&'static str> {
    FORBIDDEN_ROOTS.into_iter().find(|root| {
        let needle = format!("{root}::");
        code.match_indices(&needle).any(|(at, _)| {
            let before = code[..at].chars().next_back();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(usize, &'static str)> {
        scan(Path::new("x.rs"), text)
            .into_iter()
            .map(|h| (h.line, h.root))
            .collect()
    }

    #[test]
    fn a_payments_common_path_in_a_doc_example_is_reported_with_its_line() {
        let text = "/// Builds.\n///\n/// ```\n/// use payments_common::http::HttpConfig;\n/// ```\nfn f() {}\n";
        assert_eq!(lines(text), vec![(4, "payments_common")]);
    }

    #[test]
    fn hidden_lines_and_inner_doc_comments_are_scanned_too() {
        let text = "//! ```no_run\n//! # let u = url::Url::parse(\"x\")?;\n//! ```\n";
        assert_eq!(lines(text), vec![(2, "url")]);
    }

    #[test]
    fn prose_links_and_non_rust_blocks_are_not_examples() {
        let text = "/// Maps onto [`payments_common::Error`].\n/// ```text\n/// payments_common::x\n/// ```\n/// ```json\n/// {\"url::\": 1}\n/// ```\nfn f() {}\n";
        assert_eq!(lines(text), vec![]);
    }

    #[test]
    fn the_provider_crates_own_paths_and_longer_names_pass() {
        let text = "/// ```\n/// use begateway::{HttpConfig, Url};\n/// let u = begateway::Url::parse(\"https://a\")?;\n/// my_url::f(); // url::Url in a comment\n/// # Ok::<(), Box<dyn std::error::Error>>(())\n/// ```\nfn f() {}\n";
        assert_eq!(lines(text), vec![]);
    }

    #[test]
    fn a_block_ends_with_its_doc_comment() {
        let text = "/// ```\n/// let a = 1;\nfn f() {}\n/// use url::Url;\nfn g() {}\n";
        assert_eq!(lines(text), vec![]);
    }

    #[test]
    fn the_provider_crates_of_this_workspace_pass() {
        assert_eq!(run(&crate::workspace_root()), Ok(()));
    }
}
