//! `cargo xtask fixtures regen` and `cargo xtask fixtures record`.
//!
//! - `regen` re-runs every test suite with insta accepting new snapshots, then lists every
//!   snapshot (`crates/*/tests/snapshots/*.snap`) and fixture (`fixtures/**`) that changed,
//!   appeared or disappeared, for review with `git diff`.
//! - `record --provider P [--base-url URL]` runs the provider's documented operations through
//!   its SDK crate against a recording proxy, and writes each exchange's JSON bodies, redacted,
//!   to `fixtures/P/recorded/<operation>.<request|response>.json` (plus a README.md listing
//!   the exchanges). The target is an in-process `payments-sandbox` by default, or a live
//!   provider with `--base-url` and credentials from environment variables (see [`HELP`]).
//!
//! Adding a provider to `record` is one module under `record/` with an
//! `async fn run(session: &mut Session) -> Result<(), String>` and one arm in [`record`].

mod begateway;
mod greenpay;
mod jatapay;
mod proxy;
mod redact;
mod tspay;

use std::collections::BTreeMap;
use std::fs;
use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::path::{Path, PathBuf};
use std::process::Command;

use payments_sandbox::{RunningSandbox, Sandbox, SandboxConfig};
use serde_json::Value;

use self::proxy::{Exchange, Proxy};

/// The help of `cargo xtask fixtures record`.
pub(crate) const HELP: &str = "\
usage: cargo xtask fixtures record --provider <jatapay|tspay|begateway|greenpay> [--base-url URL] [options]

Runs the provider's documented operations through its SDK crate against a recording proxy and
writes the redacted JSON bodies to fixtures/<provider>/recorded/<operation>.<request|response>.json
(existing files in that folder are replaced).

Target: by default an in-process payments-sandbox with its test credentials. With --base-url,
the live provider at that URL, with credentials from environment variables (nothing is sent if
one is missing):
  jatapay    --base-url = API host; JATAPAY_CLIENT_ID, JATAPAY_CLIENT_SECRET;
             --auth-url URL (default https://auth.jatajata.com)
  tspay      --base-url = API host; TSPAY_API_KEY; TSPAY_ITEM_ID (optional: without it the
             /orders/... routes of the public integration are used)
  begateway  --base-url = API host (products); BEGATEWAY_SHOP_ID, BEGATEWAY_SECRET_KEY;
             --gateway-url URL (default https://gateway.begateway.com);
             BEGATEWAY_TRANSACTION_UID (optional: the transaction to read; skipped without it)
  greenpay   --base-url = merchant host (e.g. https://sandbox-merchant.greenpay.me);
             GREENPAY_MERCHANT_ID, GREENPAY_TERMINAL, GREENPAY_SECRET; GREENPAY_CARD_TOKEN (a
             card token GreenPay issued: this crate does not tokenize cards; amounts are USD);
             GREENPAY_NEW_CARD_TOKEN (optional: for update_card_token; default the same token)
Live recording creates real objects (subscriptions, payment links, products) on that account.

Operations:
  jatapay    token.create, subscriptions.create, subscriptions.get, payments.create
  tspay      link2pay, link2save, charges (against the sandbox the link is paid first)
  begateway  products.create, products.get, products.list, products.update, transactions.get
             (against the sandbox the product's link is paid first)
  greenpay   subscriptions.create, subscriptions.pay, subscriptions.update_amount,
             subscriptions.update_card_token, subscriptions.list, subscriptions.list_payments,
             subscriptions.cancel (live: the card is charged twice, initial and manual payment)

Redaction: values under keys such as secret, token, password, api key, authorization, card
number / cvv, email, phone, first/last name, address, holder become \"[REDACTED]\", and so
does every occurrence of a credential value anywhere.";

// ---------------------------------------------------------------------------------------------
// regen
// ---------------------------------------------------------------------------------------------

/// Re-runs the snapshot suites accepting new snapshots, then lists what changed.
pub(crate) fn regen(root: &Path) -> Result<(), String> {
    let before = tracked_files(root)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    println!(
        "fixtures regen: cargo test --workspace --all-features (INSTA_UPDATE=always, INSTA_FORCE_PASS=1)"
    );
    let status = Command::new(cargo)
        .current_dir(root)
        .args(["test", "--workspace", "--all-features"])
        // insta writes every snapshot (`always`), and a differing snapshot does not fail the
        // assertion (`INSTA_FORCE_PASS`): what fails now fails for another reason.
        .env("INSTA_UPDATE", "always")
        .env("INSTA_FORCE_PASS", "1")
        // Unset CI (and Azure's TF_BUILD), which insta reads as "never write snapshots" when
        // INSTA_UPDATE is not `always`: the run behaves as on a developer's machine.
        .env_remove("CI")
        .env_remove("TF_BUILD")
        .status()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    let after = tracked_files(root)?;
    let changes = diff(&before, &after);
    if changes.is_empty() {
        println!("fixtures regen: no snapshot or fixture changed");
    } else {
        println!(
            "fixtures regen: {} file(s) changed; review them with `git diff` (and `git status` for new ones):",
            changes.len()
        );
        for (kind, path) in &changes {
            println!("  {kind:<8} {path}");
        }
    }
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "cargo test failed ({status}) for a reason other than snapshots (differing snapshots \
             were accepted); see the failures above"
        ))
    }
}

/// Content hashes of every `*.snap` under `crates/*/tests/snapshots` and every file under
/// `fixtures/`, keyed by path relative to `root`.
fn tracked_files(root: &Path) -> Result<BTreeMap<String, u64>, String> {
    let mut files = Vec::new();
    let crates = root.join("crates");
    for krate in read_dir_sorted(&crates)? {
        let snapshots = krate.join("tests").join("snapshots");
        if snapshots.is_dir() {
            walk(&snapshots, &mut |p| {
                if p.extension().is_some_and(|e| e == "snap") {
                    files.push(p.to_path_buf());
                }
            })?;
        }
    }
    let fixtures = root.join("fixtures");
    if fixtures.is_dir() {
        walk(&fixtures, &mut |p| files.push(p.to_path_buf()))?;
    }
    let mut out = BTreeMap::new();
    for file in files {
        let bytes = fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let mut hasher = DefaultHasher::new();
        bytes.hash(&mut hasher);
        out.insert(relative(root, &file), hasher.finish());
    }
    Ok(out)
}

/// `(changed|new|removed, path)` for every difference, sorted by path.
fn diff(
    before: &BTreeMap<String, u64>,
    after: &BTreeMap<String, u64>,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (path, hash) in after {
        match before.get(path) {
            None => out.push(("new", path.clone())),
            Some(old) if old != hash => out.push(("changed", path.clone())),
            Some(_) => {}
        }
    }
    for path in before.keys() {
        if !after.contains_key(path) {
            out.push(("removed", path.clone()));
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

fn read_dir_sorted(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, visit: &mut dyn FnMut(&Path)) -> Result<(), String> {
    for path in read_dir_sorted(dir)? {
        if path.is_dir() {
            walk(&path, visit)?;
        } else {
            visit(&path);
        }
    }
    Ok(())
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

// ---------------------------------------------------------------------------------------------
// record
// ---------------------------------------------------------------------------------------------

/// The parsed command line of `fixtures record`.
#[derive(Debug, Default)]
struct Args {
    provider: String,
    base_url: Option<String>,
    auth_url: Option<String>,
    gateway_url: Option<String>,
}

fn parse_args(args: &[&str]) -> Result<Args, String> {
    let mut parsed = Args::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .map(|v| (*v).to_owned())
                .ok_or_else(|| format!("{name} needs a value\n\n{HELP}"))
        };
        match *arg {
            "--provider" => parsed.provider = value("--provider")?,
            "--base-url" => parsed.base_url = Some(value("--base-url")?),
            "--auth-url" => parsed.auth_url = Some(value("--auth-url")?),
            "--gateway-url" => parsed.gateway_url = Some(value("--gateway-url")?),
            "-h" | "--help" => return Err(HELP.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n\n{HELP}")),
        }
    }
    if parsed.provider.is_empty() {
        return Err(format!("--provider is required\n\n{HELP}"));
    }
    Ok(parsed)
}

/// Where the recorded operations are sent.
pub(crate) enum Target {
    /// An in-process sandbox (its test credentials are used).
    Sandbox(RunningSandbox),
    /// A live provider.
    Live {
        /// `--base-url`.
        base_url: String,
        /// `--auth-url` (JataPay).
        auth_url: Option<String>,
        /// `--gateway-url` (beGateway).
        gateway_url: Option<String>,
    },
}

/// One recording run: the target, the proxies, and the exchanges labelled so far.
pub(crate) struct Session {
    /// Where the operations go.
    pub(crate) target: Target,
    proxies: Vec<Proxy>,
    labelled: Vec<(String, Exchange)>,
    taken: usize,
    /// Credential values, redacted wherever they occur.
    secrets: Vec<String>,
    /// Notes for the README (skipped bodies, skipped operations).
    notes: Vec<String>,
}

impl Session {
    /// Starts a recording proxy in front of `target_base` and returns the proxy's base URL,
    /// to be given to the SDK client instead of `target_base`.
    pub(crate) async fn proxy(&mut self, target_base: &str) -> Result<String, String> {
        let log = self.proxies.first().map(|p| p.log()).unwrap_or_default();
        let proxy = Proxy::start(target_base, log).await?;
        let base = proxy.base_url().to_owned();
        self.proxies.push(proxy);
        Ok(base)
    }

    /// Registers a credential value: every occurrence in a recorded body becomes `[REDACTED]`.
    pub(crate) fn secret(&mut self, value: &str) {
        if !value.is_empty() {
            self.secrets.push(value.to_owned());
        }
    }

    /// Reads a required environment variable (a live credential), registering it as a secret.
    pub(crate) fn env(&mut self, name: &str) -> Result<String, String> {
        match std::env::var(name) {
            Ok(value) if !value.trim().is_empty() => {
                self.secret(&value);
                Ok(value)
            }
            _ => Err(format!(
                "environment variable {name} is not set; nothing was sent\n\n{HELP}"
            )),
        }
    }

    /// Names the exchanges seen since the previous label `operation` (the last one of them,
    /// if the SDK made several requests, is kept) and prints it.
    pub(crate) fn label(&mut self, operation: &str) -> Result<(), String> {
        let log = self
            .proxies
            .first()
            .map(|p| p.log())
            .ok_or("no proxy started")?;
        let all = log.lock().map_err(|_| "proxy log poisoned")?.clone();
        let new = all.get(self.taken..).unwrap_or_default();
        self.taken = all.len();
        let Some(last) = new.last() else {
            return Err(format!(
                "{operation}: the SDK sent no request through the proxy"
            ));
        };
        if new.len() > 1 {
            self.notes.push(format!(
                "{operation}: {} requests were sent; the last one is recorded",
                new.len()
            ));
        }
        println!(
            "  {operation:<22} {} {} -> {}",
            last.method, last.path, last.status
        );
        self.labelled.push((operation.to_owned(), last.clone()));
        Ok(())
    }

    /// Adds a note to the recording's README (and prints it).
    pub(crate) fn note(&mut self, note: impl Into<String>) {
        let note = note.into();
        println!("  note: {note}");
        self.notes.push(note);
    }
}

/// The customer's decision on a sandbox hosted page (`POST decision=pay|decline`, not through
/// the proxy, redirects not followed); returns the redirect's `Location`.
pub(crate) async fn submit_hosted_page(page: &str, decision: &str) -> Result<String, String> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| format!("hosted page client: {e}"))?;
    let response = http
        .post(page)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("decision={decision}"))
        .send()
        .await
        .map_err(|e| format!("POST {page}: {e}"))?;
    let status = response.status();
    response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .map(str::to_owned)
        .ok_or_else(|| format!("POST {page}: {status} without a redirect"))
}

/// `cargo xtask fixtures record --provider P [--base-url URL]`.
pub(crate) fn record(root: &Path, args: &[&str]) -> Result<(), String> {
    let args = parse_args(args)?;
    let provider = args.provider.as_str();
    // Checked before anything starts.
    match provider {
        "jatapay" | "tspay" | "begateway" | "greenpay" => {}
        other => return Err(format!("unknown provider {other:?}\n\n{HELP}")),
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the tokio runtime: {e}"))?;
    runtime.block_on(async {
        let target = match &args.base_url {
            Some(base_url) => Target::Live {
                base_url: base_url.clone(),
                auth_url: args.auth_url.clone(),
                gateway_url: args.gateway_url.clone(),
            },
            None => Target::Sandbox(
                Sandbox::start(SandboxConfig::new())
                    .await
                    .map_err(|e| format!("could not start the sandbox: {e}"))?,
            ),
        };
        let shown_target = match &target {
            Target::Sandbox(s) => format!("the in-process sandbox at {}", s.base_url()),
            Target::Live { base_url, .. } => base_url.clone(),
        };
        println!("fixtures record: {provider} against {shown_target}");
        let mut session = Session {
            target,
            proxies: Vec::new(),
            labelled: Vec::new(),
            taken: 0,
            secrets: Vec::new(),
            notes: Vec::new(),
        };
        let outcome = run_provider(provider, &mut session).await;
        let written = match outcome {
            Ok(()) => write_recording(root, provider, &shown_target, &mut session),
            Err(e) => Err(e),
        };
        for proxy in session.proxies.drain(..) {
            proxy.shutdown().await;
        }
        if let Target::Sandbox(sandbox) = session.target {
            sandbox.shutdown().await;
        }
        written
    })
}

/// Runs one provider's operations: one arm per provider.
async fn run_provider(provider: &str, session: &mut Session) -> Result<(), String> {
    match provider {
        "jatapay" => jatapay::run(session).await,
        "tspay" => tspay::run(session).await,
        "begateway" => begateway::run(session).await,
        "greenpay" => greenpay::run(session).await,
        other => Err(format!("unknown provider {other:?}")),
    }
}

/// The pretty JSON of a recorded body, redacted; `None` if the body is not JSON.
fn recorded_body(
    bytes: &[u8],
    session: &Session,
    url_rewrites: &[(String, String)],
) -> Option<String> {
    if bytes.is_empty() {
        return None;
    }
    let mut value: Value = serde_json::from_slice(bytes).ok()?;
    redact::redact(&mut value, &session.secrets, url_rewrites);
    serde_json::to_string_pretty(&value)
        .ok()
        .map(|text| text + "\n")
}

/// Replaces `fixtures/<provider>/recorded/` with the labelled exchanges.
fn write_recording(
    root: &Path,
    provider: &str,
    shown_target: &str,
    session: &mut Session,
) -> Result<(), String> {
    let dir = root.join("fixtures").join(provider).join("recorded");
    if dir.is_dir() {
        for old in read_dir_sorted(&dir)? {
            let name = old.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if name.ends_with(".json") || name == "README.md" {
                fs::remove_file(&old).map_err(|e| format!("{}: {e}", old.display()))?;
            }
        }
    }
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;

    // Proxy URLs become the target's; the sandbox's ephemeral port becomes 8080, the port of
    // `cargo xtask sandbox --port 8080`, so that re-recording changes only ids and times.
    let mut url_rewrites: Vec<(String, String)> = session
        .proxies
        .iter()
        .map(|p| (p.base_url().to_owned(), p.target_base().to_owned()))
        .collect();
    if let Target::Sandbox(sandbox) = &session.target {
        url_rewrites.push((
            sandbox.base_url().trim_end_matches('/').to_owned(),
            "http://127.0.0.1:8080".to_owned(),
        ));
    }

    let mut readme = format!(
        "# Recorded exchanges: {provider}\n\n\
         Written by `cargo xtask fixtures record --provider {provider}` (do not edit by hand; \
         re-record instead). Bodies only, pretty-printed, redacted: values under secret-like and \
         personal keys and every occurrence of a credential are `[REDACTED]`. Target: {}.\n\n\
         Decoded by the crate's typed models in `crates/{provider}/tests/recorded.rs`.\n\n\
         | operation | request | status | files |\n|---|---|---|---|\n",
        if shown_target.contains("sandbox") {
            "the in-process payments-sandbox (URLs shown with port 8080)"
        } else {
            "a live provider"
        }
    );
    let mut count = 0;
    let labelled = std::mem::take(&mut session.labelled);
    for (operation, exchange) in &labelled {
        let mut files = Vec::new();
        for (kind, bytes) in [
            ("request", &exchange.request_body),
            ("response", &exchange.response_body),
        ] {
            let name = format!("{operation}.{kind}.json");
            match recorded_body(bytes, session, &url_rewrites) {
                Some(text) => {
                    let path = dir.join(&name);
                    fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
                    println!("  wrote {}", relative(root, &path));
                    files.push(format!("`{name}`"));
                    count += 1;
                }
                None if bytes.is_empty() => {}
                None => session.note(format!(
                    "{operation}: the {kind} body is not JSON ({} bytes); not written",
                    bytes.len()
                )),
            }
        }
        if exchange.response_body.is_empty() {
            files.push("(empty response body)".to_owned());
        }
        let path = redact::rewrite_urls(&exchange.path, &url_rewrites);
        readme.push_str(&format!(
            "| {operation} | `{} {}` | {} | {} |\n",
            exchange.method,
            redact::redact_text(&path, &session.secrets),
            exchange.status,
            files.join(", ")
        ));
    }
    if !session.notes.is_empty() {
        readme.push_str("\nNotes:\n\n");
        for note in &session.notes {
            readme.push_str(&format!(
                "- {}\n",
                redact::redact_text(note, &session.secrets)
            ));
        }
    }
    let readme_path = dir.join("README.md");
    fs::write(&readme_path, readme).map_err(|e| format!("{}: {e}", readme_path.display()))?;
    println!(
        "fixtures record: {count} file(s) in {}; review them with `git diff`, then run \
         `cargo test -p {provider} --test recorded` (INSTA_UPDATE=always once for new snapshots)",
        relative(root, &dir)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_lists_changed_new_and_removed() {
        let before: BTreeMap<String, u64> = [
            ("a".to_owned(), 1),
            ("b".to_owned(), 2),
            ("c".to_owned(), 3),
        ]
        .into();
        let after: BTreeMap<String, u64> = [
            ("a".to_owned(), 1),
            ("b".to_owned(), 9),
            ("d".to_owned(), 4),
        ]
        .into();
        assert_eq!(
            diff(&before, &after),
            vec![
                ("changed", "b".to_owned()),
                ("removed", "c".to_owned()),
                ("new", "d".to_owned())
            ]
        );
    }

    #[test]
    fn args_need_a_provider() {
        assert!(parse_args(&[]).is_err());
        assert!(parse_args(&["--provider"]).is_err());
        assert!(parse_args(&["--provider", "tspay", "--bogus"]).is_err());
        let a = parse_args(&["--provider", "tspay", "--base-url", "https://x.example"]).unwrap();
        assert_eq!(a.provider, "tspay");
        assert_eq!(a.base_url.as_deref(), Some("https://x.example"));
    }
}
