//! `cargo xtask mutants [--crate C] [--module M] [--iterate] [--list] [--nextest]`: mutation testing of the
//! code that carries the SDKs' promises, with [cargo-mutants](https://mutants.rs).
//!
//! cargo-mutants makes one small change at a time in the source (a function returns a default
//! value, `<` becomes `<=`, a `!` or a match arm is deleted, ...), rebuilds and runs the tests:
//! a mutant the tests do not notice ("missed") is a behaviour nothing checks. The figure kept in
//! `MUTANTS.md` is, per module, caught / (caught + missed); mutants that do not compile
//! ("unviable") and mutants that make the tests hang ("timeout", which counts as noticed) are
//! counted apart.
//!
//! The scope is a table per crate ([`SCOPES`]): payments-common's pipeline, redaction,
//! validation, money, wire adapters and signatures, and each provider crate's webhook,
//! error-mapping, validation and outcome files. Each module names the test targets that
//! exercise it; only those are built and run for its mutants (`--lib` is the crate's own unit
//! tests), never the doc tests, so one crate fits in a bounded time on a small machine. A
//! behaviour that only a doc example checks therefore shows as missed: it wants a real test.
//!
//! How it runs, and why:
//! - one module at a time, `--jobs 1`: the machine is shared, and every mutant is an
//!   incremental rebuild of one crate;
//! - its own target directory, `<target dir>/mutants-build`: a mutated build must never be
//!   picked up by a normal `cargo test` of the working tree (the artifacts of a workspace crate
//!   are named independently of the folder it is built in, and the working tree's files are
//!   older than the mutated build, so cargo would take the mutated library as up to date);
//! - `--minimum-test-timeout 60`: a test run that takes longer than max(60 s, 5 × the
//!   unmutated run) is a timeout (a mutant that makes a retry loop spin, for example), sized so
//!   that a busy machine does not turn a slow green run into a timeout;
//! - the output of each module goes to `<target dir>/mutants/<crate>/<module>/mutants.out`
//!   (`missed.txt`, `caught.txt`, one log and one diff per mutant). The outcome of every
//!   mutant is also merged into `<target dir>/mutants/<crate>/<module>/record.json`, so that
//!   `--iterate` (re-test only the mutants not caught before, after adding tests) still
//!   prints the figure of the whole module.
//!
//! `--module M` runs only the modules whose name contains `M`; `--list` prints the plan and the
//! number of mutants of each module without building anything; `--nextest` runs the tests with
//! cargo-nextest (`cargo install cargo-nextest --locked`), which stops at the first failing
//! test: a caught mutant of the HTTP modules then costs seconds instead of the whole fault
//! suite. The task exits non-zero if
//! cargo-mutants is missing (it says how to install it), if the unmutated tests fail, or if a
//! module scores below [`TARGET_PERCENT`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The least share of caught mutants, per module, that `MUTANTS.md` promises.
const TARGET_PERCENT: u32 = 90;

/// One module of the scope: the files mutated together and the test targets run for them.
struct Module {
    /// Short name (`--module` matches on it; the output folder is named after it).
    name: &'static str,
    /// Files mutated, relative to the workspace root.
    files: &'static [&'static str],
    /// Test targets built and run: `"lib"` is `--lib` (the crate's unit tests), any other
    /// name is `--test <name>` (a file of the crate's `tests/`).
    tests: &'static [&'static str],
}

/// The modules of one crate.
struct Scope {
    package: &'static str,
    modules: &'static [Module],
}

/// The pipeline's own test targets (the HTTP modules).
const HTTP_TESTS: &[&str] = &[
    "lib",
    "pipeline_edges",
    "http_settings",
    "response_edges",
    "pipeline_faults",
    "http_config_limits",
    "sdk_shape",
    "redaction",
    "error_bounds",
];

/// What is mutated, per crate.
const SCOPES: &[Scope] = &[
    Scope {
        package: "payments-common",
        modules: &[
            Module {
                name: "signature",
                files: &["crates/payments-common/src/signature.rs"],
                tests: &["lib", "signatures", "signature_edges", "sdk_shape"],
            },
            Module {
                name: "http-retry",
                files: &["crates/payments-common/src/http/retry.rs"],
                tests: HTTP_TESTS,
            },
            Module {
                name: "http-client",
                files: &["crates/payments-common/src/http/client.rs"],
                tests: HTTP_TESTS,
            },
            Module {
                name: "http-response",
                files: &["crates/payments-common/src/http/response.rs"],
                tests: HTTP_TESTS,
            },
            Module {
                name: "http-request",
                files: &["crates/payments-common/src/http/request.rs"],
                tests: HTTP_TESTS,
            },
            Module {
                name: "http-config",
                files: &["crates/payments-common/src/http/config.rs"],
                tests: HTTP_TESTS,
            },
            Module {
                name: "http-options",
                files: &["crates/payments-common/src/http/options.rs"],
                tests: HTTP_TESTS,
            },
            Module {
                name: "validate",
                files: &["crates/payments-common/src/validate.rs"],
                tests: &["lib", "validation_rules", "exact_amounts", "secrets"],
            },
            Module {
                name: "money",
                files: &["crates/payments-common/src/money.rs"],
                tests: &["lib", "money_edges", "money_props", "exact_amounts"],
            },
            Module {
                name: "redact",
                files: &["crates/payments-common/src/redact.rs"],
                tests: &[
                    "lib",
                    "redaction_rules",
                    "redaction_edges",
                    "secret_renderings",
                    "redaction",
                    "secrets",
                    "error_bounds",
                ],
            },
            Module {
                name: "serde",
                files: &["crates/payments-common/src/serde.rs"],
                // Pure functions: the fast targets that call them (not the fault suite).
                tests: &["lib", "serde_adapters", "exact_amounts"],
            },
            Module {
                name: "provider",
                files: &["crates/payments-common/src/provider.rs"],
                tests: &["lib", "sdk_shape"],
            },
            Module {
                name: "error",
                files: &["crates/payments-common/src/error.rs"],
                tests: &[
                    "lib",
                    "error_contract",
                    "error_bounds",
                    "redaction",
                    "secrets",
                ],
            },
        ],
    },
    Scope {
        package: "begateway",
        modules: &[
            Module {
                name: "webhook",
                files: &["crates/begateway/src/webhook.rs"],
                tests: &["lib", "webhooks"],
            },
            Module {
                name: "errors",
                files: &["crates/begateway/src/error.rs"],
                tests: &["lib", "http", "faults", "error_bodies"],
            },
            Module {
                name: "currency",
                files: &["crates/begateway/src/currency.rs"],
                tests: &["lib", "money", "currency_exponents"],
            },
            Module {
                name: "validation",
                files: &[
                    "crates/begateway/src/products.rs",
                    "crates/begateway/src/return_params.rs",
                    "crates/begateway/src/client.rs",
                ],
                tests: &[
                    "lib",
                    "bad_inputs",
                    "path_params",
                    "http",
                    "shape",
                    "mutants_return_params",
                    "product_rules",
                ],
            },
            Module {
                name: "outcome",
                files: &["crates/begateway/src/transactions.rs"],
                tests: &["lib", "confirm", "http", "transaction_fields"],
            },
            // The validation of the card operations (gateway writes, card tokens).
            Module {
                name: "card-writes",
                files: &[
                    "crates/begateway/src/card.rs",
                    "crates/begateway/src/card_tokens.rs",
                ],
                tests: &[
                    "lib",
                    "card",
                    "card_tokens",
                    "bad_inputs",
                    "fixtures_card",
                    "wire_fixtures",
                    "errors_new_endpoints",
                    "card_rules",
                ],
            },
            // The validation of checkouts, plans and subscriptions.
            Module {
                name: "checkout-plans",
                files: &[
                    "crates/begateway/src/checkout.rs",
                    "crates/begateway/src/subscriptions.rs",
                ],
                tests: &[
                    "lib",
                    "checkout",
                    "checkout_order",
                    "subscriptions",
                    "bad_inputs",
                    "wire_fixtures",
                    "errors_new_endpoints",
                    "checkout_rules",
                ],
            },
        ],
    },
    Scope {
        package: "greenpay",
        modules: &[
            Module {
                name: "webhook",
                files: &["crates/greenpay/src/webhook.rs"],
                // `sdk_shape` holds the verifier's axum route and `order_fixtures` the signed
                // tokenization return; each runs in under a second.
                tests: &[
                    "lib",
                    "webhooks",
                    "notification_rules",
                    "sdk_shape",
                    "order_fixtures",
                ],
            },
            Module {
                name: "errors",
                files: &["crates/greenpay/src/error.rs"],
                tests: &["lib", "http", "faults", "proxy_errors", "mutants_errors"],
            },
            Module {
                name: "envelope",
                files: &["crates/greenpay/src/envelope.rs"],
                tests: &[
                    "lib",
                    "http",
                    "faults",
                    "proxy_errors",
                    "mutants_errors",
                    "envelope_rules",
                ],
            },
            Module {
                name: "validation",
                files: &[
                    "crates/greenpay/src/subscriptions/validation.rs",
                    "crates/greenpay/src/client.rs",
                ],
                // `sdk_shape` holds the per-call options and the last response's record.
                tests: &["lib", "bad_inputs", "http", "sdk_shape", "client_settings"],
            },
            Module {
                name: "outcome",
                files: &[
                    "crates/greenpay/src/subscriptions/confirm.rs",
                    "crates/greenpay/src/subscriptions/pay.rs",
                    "crates/greenpay/src/subscriptions/payments.rs",
                ],
                tests: &[
                    "lib",
                    "confirm",
                    "http",
                    "mutants_confirm",
                    "bad_inputs",
                    "subscription_rules",
                ],
            },
            // The validation of payment orders, hosted forms and card tokenization.
            Module {
                name: "orders-cards",
                files: &[
                    "crates/greenpay/src/orders.rs",
                    "crates/greenpay/src/cards.rs",
                    "crates/greenpay/src/tokenization.rs",
                ],
                tests: &[
                    "lib",
                    "orders",
                    "card_requests",
                    "bad_inputs",
                    "plain_answers",
                    "order_fixtures",
                    "secrets",
                    "order_rules",
                ],
            },
            // The validation of the subscription writes and listings.
            Module {
                name: "subscription-writes",
                files: &[
                    "crates/greenpay/src/subscriptions/create.rs",
                    "crates/greenpay/src/subscriptions/list.rs",
                    "crates/greenpay/src/subscriptions/manage.rs",
                    "crates/greenpay/src/subscriptions/model.rs",
                ],
                tests: &[
                    "lib",
                    "bad_inputs",
                    "http",
                    "sdk_shape",
                    "fixtures",
                    "subscription_rules",
                ],
            },
        ],
    },
    Scope {
        package: "jatapay",
        modules: &[
            Module {
                name: "errors",
                files: &["crates/jatapay/src/error.rs", "crates/jatapay/src/auth.rs"],
                tests: &[
                    "lib", "http", "faults", "deadline", "edges", "shape", "secrets",
                ],
            },
            Module {
                name: "validation",
                files: &[
                    "crates/jatapay/src/request.rs",
                    "crates/jatapay/src/client.rs",
                    "crates/jatapay/src/payments.rs",
                ],
                tests: &["lib", "bad_inputs", "http", "edges", "shape", "secrets"],
            },
            Module {
                name: "outcome",
                files: &["crates/jatapay/src/subscriptions.rs"],
                tests: &["lib", "confirm", "http", "edges"],
            },
        ],
    },
    Scope {
        package: "tspay",
        modules: &[
            Module {
                name: "webhook",
                files: &["crates/tspay/src/webhook.rs"],
                tests: &["lib", "webhooks"],
            },
            Module {
                name: "errors",
                files: &["crates/tspay/src/error.rs"],
                tests: &["lib", "http", "faults"],
            },
            Module {
                name: "validation",
                files: &[
                    "crates/tspay/src/link.rs",
                    "crates/tspay/src/pay_link.rs",
                    "crates/tspay/src/save_link.rs",
                    "crates/tspay/src/client.rs",
                ],
                tests: &[
                    "lib",
                    "bad_inputs",
                    "ids",
                    "http",
                    "sdk_shape",
                    "link_rules",
                ],
            },
            Module {
                name: "outcome",
                files: &["crates/tspay/src/confirm.rs", "crates/tspay/src/charges.rs"],
                tests: &[
                    "lib",
                    "confirm",
                    "http",
                    "ids",
                    "fixtures",
                    "peers",
                    "charge_readings",
                ],
            },
            // The validation of onboarding (API key, merchant) and webhook registration.
            Module {
                name: "onboarding",
                files: &[
                    "crates/tspay/src/onboarding.rs",
                    "crates/tspay/src/webhooks.rs",
                ],
                tests: &[
                    "lib",
                    "onboarding",
                    "bad_inputs",
                    "http",
                    "sdk_shape",
                    "onboarding_rules",
                ],
            },
        ],
    },
];

/// The command line after `mutants`.
#[derive(Debug, PartialEq, Eq)]
struct Options {
    package: String,
    module: Option<String>,
    iterate: bool,
    list: bool,
    nextest: bool,
}

fn parse_options(args: &[&str]) -> Result<Options, String> {
    let mut options = Options {
        package: "payments-common".to_owned(),
        module: None,
        iterate: false,
        list: false,
        nextest: false,
    };
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--crate" | "-p" | "--package" => {
                options.package = (*rest.next().ok_or("--crate needs a crate name")?).to_owned();
            }
            "--module" => {
                options.module =
                    Some((*rest.next().ok_or("--module needs a module name")?).to_owned());
            }
            "--iterate" => options.iterate = true,
            "--list" => options.list = true,
            "--nextest" => options.nextest = true,
            other => {
                if let Some(name) = other.strip_prefix("--crate=") {
                    options.package = name.to_owned();
                } else if let Some(name) = other.strip_prefix("--module=") {
                    options.module = Some(name.to_owned());
                } else {
                    return Err(format!(
                        "usage: cargo xtask mutants [--crate C] [--module M] [--iterate] [--list] [--nextest] (got {other:?})"
                    ));
                }
            }
        }
    }
    Ok(options)
}

/// Runs the task with the arguments after `mutants`.
pub(crate) fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    let options = parse_options(args)?;
    let scope = SCOPES
        .iter()
        .find(|s| s.package == options.package)
        .ok_or_else(|| {
            let known: Vec<&str> = SCOPES.iter().map(|s| s.package).collect();
            format!(
                "no mutation scope for crate `{}`; known: {}",
                options.package,
                known.join(", ")
            )
        })?;
    let modules: Vec<&Module> = scope
        .modules
        .iter()
        .filter(|m| {
            options
                .module
                .as_deref()
                .is_none_or(|name| m.name.contains(name))
        })
        .collect();
    if modules.is_empty() {
        return Err(format!(
            "no module of `{}` matches `{}`",
            scope.package,
            options.module.as_deref().unwrap_or_default()
        ));
    }
    check_tool()?;
    let target = target_dir(root);
    let mut totals = Vec::new();
    for module in modules {
        let names = list_mutants(root, scope.package, module)?;
        if options.list {
            println!(
                "{} / {}: {} mutants in {}; tests: {}",
                scope.package,
                module.name,
                names.len(),
                module.files.join(", "),
                module.tests.join(", ")
            );
            continue;
        }
        let out = target.join("mutants").join(scope.package).join(module.name);
        std::fs::create_dir_all(&out)
            .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
        println!(
            "\n=== {} / {}: {} mutants ({}); tests: {}",
            scope.package,
            module.name,
            names.len(),
            module.files.join(", "),
            module.tests.join(", ")
        );
        seed_record(&out)?;
        let started = Instant::now();
        let status = run_module(root, &target, &out, scope.package, module, &options)?;
        let seconds = started.elapsed().as_secs();
        let outcomes = read_outcomes(&out.join("mutants.out").join("outcomes.json"))?;
        if outcomes.baseline_failed {
            return Err(format!(
                "the unmutated tests of {} / {} failed; see {}",
                scope.package,
                module.name,
                out.join("mutants.out").join("log").display()
            ));
        }
        let record = merge_record(&out.join("record.json"), &names, &outcomes.mutants)?;
        let summary = summarize(&record, &names);
        print_summary(module, &summary, seconds, status.success());
        totals.push((module.name, summary, seconds));
    }
    if options.list {
        return Ok(());
    }
    println!(
        "\n{}: caught / (caught + missed) per module (target {TARGET_PERCENT} %)",
        scope.package
    );
    let mut below = Vec::new();
    for (name, summary, seconds) in &totals {
        let total = summary.total();
        println!(
            "  {name:<14} {:>4} / {:<4} {:>6}   unviable {:>3}  timeout {:>3}  untested {:>3}  ({seconds} s)",
            total.caught,
            total.caught + total.missed,
            total.percent_text(),
            total.unviable,
            total.timeout,
            total.untested
        );
        if total.percent_tenths() < TARGET_PERCENT * 10 {
            below.push(*name);
        }
    }
    if below.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "below {TARGET_PERCENT} % caught: {} (the missed mutants are listed above and in \
             <target dir>/mutants/{}/<module>/mutants.out/missed.txt)",
            below.join(", "),
            scope.package
        ))
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// Fails with the install command when cargo-mutants is missing.
fn check_tool() -> Result<(), String> {
    let found = Command::new(cargo())
        .args(["mutants", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if found {
        Ok(())
    } else {
        Err("cargo-mutants is not installed: `cargo install cargo-mutants --locked`".to_owned())
    }
}

/// The arguments that select the package, its features and the module's files.
fn selection_args(package: &str, module: &Module) -> Vec<String> {
    let mut args = vec![
        "mutants".to_owned(),
        "--package".to_owned(),
        package.to_owned(),
        "--all-features".to_owned(),
    ];
    for file in module.files {
        args.push("--file".to_owned());
        args.push((*file).to_owned());
    }
    args
}

/// The cargo arguments that build and run only the module's test targets (given to both the
/// build and the test phase of cargo-mutants, so no other target is even linked).
fn test_target_args(module: &Module) -> Vec<String> {
    let mut args = Vec::new();
    for test in module.tests {
        if *test == "lib" {
            args.push("--cargo-arg=--lib".to_owned());
        } else {
            args.push("--cargo-arg=--test".to_owned());
            args.push(format!("--cargo-arg={test}"));
        }
    }
    args
}

/// The names of the module's mutants as cargo-mutants lists them (nothing is built).
fn list_mutants(root: &Path, package: &str, module: &Module) -> Result<Vec<String>, String> {
    let output = Command::new(cargo())
        .current_dir(root)
        .args(selection_args(package, module))
        .arg("--list")
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("could not run cargo mutants: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo mutants --list failed for {package} / {}",
            module.name
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect())
}

/// One cargo-mutants run over one module, output streamed.
fn run_module(
    root: &Path,
    target: &Path,
    out: &Path,
    package: &str,
    module: &Module,
    options: &Options,
) -> Result<std::process::ExitStatus, String> {
    let mut command = Command::new(cargo());
    command
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target.join("mutants-build"))
        .args(selection_args(package, module))
        .args(["--jobs", "1", "--minimum-test-timeout", "60", "--output"])
        .arg(out)
        .args(test_target_args(module));
    if options.iterate {
        command.arg("--iterate");
    }
    if options.nextest {
        command.args(["--test-tool", "nextest"]);
    }
    // Exit status 2 means "some mutants were missed", 3 "some timed out": the figures say
    // which, so only a failure to start is an error here.
    command
        .status()
        .map_err(|e| format!("could not run cargo mutants: {e}"))
}

/// What one run of cargo-mutants found.
#[derive(Debug, Default)]
struct Outcomes {
    baseline_failed: bool,
    /// Mutant name -> outcome of this run.
    mutants: BTreeMap<String, Outcome>,
}

/// The outcome of one mutant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Caught,
    Missed,
    Unviable,
    Timeout,
}

impl Outcome {
    fn from_summary(summary: &str) -> Option<Self> {
        match summary {
            "CaughtMutant" => Some(Self::Caught),
            "MissedMutant" => Some(Self::Missed),
            "Unviable" => Some(Self::Unviable),
            "Timeout" => Some(Self::Timeout),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Caught => "caught",
            Self::Missed => "missed",
            Self::Unviable => "unviable",
            Self::Timeout => "timeout",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [Self::Caught, Self::Missed, Self::Unviable, Self::Timeout]
            .into_iter()
            .find(|o| o.as_str() == text)
    }
}

/// Reads cargo-mutants' `outcomes.json`.
fn read_outcomes(path: &Path) -> Result<Outcomes, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse_outcomes(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn parse_outcomes(text: &str) -> Result<Outcomes, String> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let list = json["outcomes"]
        .as_array()
        .ok_or("no `outcomes` array in the file")?;
    let mut outcomes = Outcomes::default();
    for entry in list {
        let summary = entry["summary"].as_str().unwrap_or_default();
        match entry["scenario"]["Mutant"]["name"].as_str() {
            Some(name) => {
                if let Some(outcome) = Outcome::from_summary(summary) {
                    outcomes.mutants.insert(name.to_owned(), outcome);
                }
            }
            // The baseline (the unmutated tree) is the one scenario that is not a mutant.
            None => {
                if summary != "Success" {
                    outcomes.baseline_failed = true;
                }
            }
        }
    }
    Ok(outcomes)
}

/// Starts the module's record from the last cargo-mutants output when there is no record yet
/// (a run made before the record existed, or by cargo-mutants directly with the same
/// `--output`), so that an `--iterate` run after it still counts the mutants caught then.
fn seed_record(out: &Path) -> Result<(), String> {
    let record = out.join("record.json");
    let previous = out.join("mutants.out").join("outcomes.json");
    if record.exists() || !previous.exists() {
        return Ok(());
    }
    let outcomes = read_outcomes(&previous)?;
    let names: Vec<String> = outcomes.mutants.keys().cloned().collect();
    merge_record(&record, &names, &outcomes.mutants).map(|_| ())
}

/// Merges this run's outcomes into the module's record and keeps only the mutants that exist
/// today (a line moved by an edit renames a mutant); returns the merged record.
fn merge_record(
    path: &Path,
    current: &[String],
    new: &BTreeMap<String, Outcome>,
) -> Result<BTreeMap<String, Outcome>, String> {
    let mut record: BTreeMap<String, Outcome> = match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str::<BTreeMap<String, String>>(&text)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .into_iter()
            .filter_map(|(name, outcome)| Outcome::parse(&outcome).map(|o| (name, o)))
            .collect(),
        Err(_) => BTreeMap::new(),
    };
    record.extend(new.iter().map(|(name, outcome)| (name.clone(), *outcome)));
    record.retain(|name, _| current.contains(name));
    let text: BTreeMap<&String, &str> = record.iter().map(|(n, o)| (n, o.as_str())).collect();
    let json = serde_json::to_string_pretty(&text).map_err(|e| e.to_string())?;
    std::fs::write(path, json).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(record)
}

/// Counts of one file or module.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    caught: u32,
    missed: u32,
    unviable: u32,
    timeout: u32,
    untested: u32,
}

impl Counts {
    fn add(&mut self, outcome: Option<Outcome>) {
        match outcome {
            Some(Outcome::Caught) => self.caught += 1,
            Some(Outcome::Missed) => self.missed += 1,
            Some(Outcome::Unviable) => self.unviable += 1,
            Some(Outcome::Timeout) => self.timeout += 1,
            None => self.untested += 1,
        }
    }

    fn sum(&mut self, other: Counts) {
        self.caught += other.caught;
        self.missed += other.missed;
        self.unviable += other.unviable;
        self.timeout += other.timeout;
        self.untested += other.untested;
    }

    /// caught / (caught + missed) in tenths of a percent; 100 % when nothing was viable.
    fn percent_tenths(&self) -> u32 {
        (self.caught * 1000)
            .checked_div(self.caught + self.missed)
            .unwrap_or(1000)
    }

    fn percent_text(&self) -> String {
        let tenths = self.percent_tenths();
        format!("{}.{} %", tenths / 10, tenths % 10)
    }
}

/// Per file: counts, and the names of the missed mutants.
#[derive(Debug, Default)]
struct Summary {
    files: BTreeMap<String, Counts>,
    missed: Vec<String>,
}

impl Summary {
    fn total(&self) -> Counts {
        let mut total = Counts::default();
        for counts in self.files.values() {
            total.sum(*counts);
        }
        total
    }
}

/// The file part of a mutant name (`crates/x/src/y.rs:12:5: replace ...`).
fn file_of(name: &str) -> &str {
    name.split(':').next().unwrap_or(name)
}

fn summarize(record: &BTreeMap<String, Outcome>, current: &[String]) -> Summary {
    let mut summary = Summary::default();
    for name in current {
        let outcome = record.get(name).copied();
        summary
            .files
            .entry(file_of(name).to_owned())
            .or_default()
            .add(outcome);
        if outcome == Some(Outcome::Missed) {
            summary.missed.push(name.clone());
        }
    }
    summary
}

fn print_summary(module: &Module, summary: &Summary, seconds: u64, clean: bool) {
    println!(
        "--- {}: caught / (caught + missed) per file ({seconds} s{})",
        module.name,
        if clean {
            ""
        } else {
            ", cargo-mutants exited non-zero"
        }
    );
    for (file, counts) in &summary.files {
        println!(
            "  {file}: {} / {} = {}   (unviable {}, timeout {}, untested {})",
            counts.caught,
            counts.caught + counts.missed,
            counts.percent_text(),
            counts.unviable,
            counts.timeout,
            counts.untested
        );
    }
    if !summary.missed.is_empty() {
        println!("  missed:");
        for name in &summary.missed {
            println!("    {name}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_default_to_payments_common_and_read_every_flag() {
        assert_eq!(
            parse_options(&[]),
            Ok(Options {
                package: "payments-common".to_owned(),
                module: None,
                iterate: false,
                list: false,
                nextest: false
            })
        );
        let options = parse_options(&["--crate", "tspay", "--module=web", "--iterate"]);
        assert_eq!(
            options,
            Ok(Options {
                package: "tspay".to_owned(),
                module: Some("web".to_owned()),
                iterate: true,
                list: false,
                nextest: false
            })
        );
        assert!(parse_options(&["--crate"]).is_err());
        assert!(parse_options(&["--bogus"]).is_err());
    }

    #[test]
    fn every_scope_file_and_test_target_exists() {
        let root = crate::workspace_root();
        for scope in SCOPES {
            for module in scope.modules {
                for file in module.files {
                    assert!(root.join(file).is_file(), "{file}");
                }
                for test in module.tests.iter().filter(|t| **t != "lib") {
                    let path = root
                        .join("crates")
                        .join(scope.package)
                        .join("tests")
                        .join(format!("{test}.rs"));
                    assert!(path.is_file(), "{}", path.display());
                }
            }
        }
    }

    #[test]
    fn test_targets_go_to_every_cargo_invocation() {
        let module = Module {
            name: "m",
            files: &["a.rs"],
            tests: &["lib", "faults"],
        };
        assert_eq!(
            test_target_args(&module),
            [
                "--cargo-arg=--lib",
                "--cargo-arg=--test",
                "--cargo-arg=faults"
            ]
        );
    }

    const SAMPLE: &str = r#"{"outcomes":[
        {"scenario":"Baseline","summary":"Success"},
        {"scenario":{"Mutant":{"name":"src/a.rs:1:1: replace f -> bool with true"}},"summary":"CaughtMutant"},
        {"scenario":{"Mutant":{"name":"src/a.rs:2:1: replace f -> bool with false"}},"summary":"MissedMutant"},
        {"scenario":{"Mutant":{"name":"src/b.rs:3:1: replace < with <="}},"summary":"Unviable"},
        {"scenario":{"Mutant":{"name":"src/b.rs:4:1: delete !"}},"summary":"Timeout"}
    ]}"#;

    #[test]
    fn outcomes_are_counted_per_file_with_unviable_and_timeouts_apart() {
        let outcomes = parse_outcomes(SAMPLE).unwrap();
        assert!(!outcomes.baseline_failed);
        let mut current: Vec<String> = outcomes.mutants.keys().cloned().collect();
        current.push("src/b.rs:9:1: replace g with ()".to_owned());
        let summary = summarize(&outcomes.mutants, &current);
        let a = summary.files["src/a.rs"];
        assert_eq!((a.caught, a.missed), (1, 1));
        assert_eq!(a.percent_text(), "50.0 %");
        let b = summary.files["src/b.rs"];
        assert_eq!((b.unviable, b.timeout, b.untested), (1, 1, 1));
        assert_eq!(
            summary.missed,
            ["src/a.rs:2:1: replace f -> bool with false"]
        );
        assert_eq!(summary.total().percent_tenths(), 500);
    }

    #[test]
    fn a_failed_baseline_is_reported() {
        let text = r#"{"outcomes":[{"scenario":"Baseline","summary":"Failure"}]}"#;
        assert!(parse_outcomes(text).unwrap().baseline_failed);
    }

    #[test]
    fn a_later_run_overrides_and_stale_names_are_dropped() {
        let dir = std::env::temp_dir().join(format!("xtask-mutants-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("record.json");
        let names = vec!["a:1:1: x".to_owned(), "a:2:1: y".to_owned()];
        let first = BTreeMap::from([
            (names[0].clone(), Outcome::Missed),
            (names[1].clone(), Outcome::Caught),
        ]);
        merge_record(&path, &names, &first).unwrap();
        let second = BTreeMap::from([(names[0].clone(), Outcome::Caught)]);
        let current = vec![names[0].clone()];
        let merged = merge_record(&path, &current, &second).unwrap();
        assert_eq!(
            merged,
            BTreeMap::from([(names[0].clone(), Outcome::Caught)])
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
