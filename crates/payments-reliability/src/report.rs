//! The counters of the run and the summary printed at its end.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// One fault row run against one operation.
#[derive(Debug, Clone)]
pub struct FaultRow {
    /// `jatapay`, `tspay`, `begateway`, ...
    pub provider: &'static str,
    /// The operation, e.g. `tspay.link2pay.create [direct]`.
    pub operation: String,
    /// The matrix row, e.g. `F6`.
    pub row: String,
    /// Attempts the row requires.
    pub expected_attempts: usize,
    /// Attempts the server saw (or the error reported, for F1–F3).
    pub seen_attempts: usize,
    /// Whether the result and the attempt count were as required.
    pub passed: bool,
    /// What happened, for the failure list.
    pub detail: String,
}

/// A row that does not apply, and why.
#[derive(Debug, Clone)]
pub struct NotApplicable {
    /// The provider.
    pub provider: &'static str,
    /// The operations it is about (`*` for all).
    pub operations: String,
    /// The row.
    pub row: String,
    /// Why it does not apply.
    pub why: String,
}

/// One failing case: the row it belongs to (stable from run to run, so that repeated runs
/// can be tallied per row) and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The row, e.g. `fault tspay tspay.link2pay.create [direct] F6`.
    pub row: String,
    /// What happened.
    pub detail: String,
}

impl Failure {
    fn new(row: impl Into<String>, detail: impl Into<String>) -> Failure {
        Failure {
            row: row.into(),
            detail: detail.into(),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.row, self.detail)
    }
}

/// The prefix of the line the matrix prints for each failing row, for `cargo xtask
/// reliability --repeat` to tally.
pub const FAILED_ROW_PREFIX: &str = "reliability-row-failed\t";

#[derive(Default)]
struct State {
    faults: Vec<FaultRow>,
    not_applicable: Vec<NotApplicable>,
    bad_inputs: BTreeMap<String, (usize, usize)>,
    bad_input_failures: Vec<Failure>,
    requests_for_bad_input: usize,
    callbacks_rejected: (usize, usize),
    callbacks_accepted: (usize, usize),
    callback_failures: Vec<Failure>,
    leaks: Vec<Failure>,
    scans: usize,
    charge_checks: usize,
    double_charges: Vec<Failure>,
    panics: Vec<Failure>,
    hangs: Vec<Failure>,
    soup: BTreeMap<String, (usize, usize)>,
    soup_failures: Vec<Failure>,
    forward_compat: (usize, usize),
    forward_failures: Vec<Failure>,
    log_lines: usize,
}

static STATE: Mutex<Option<State>> = Mutex::new(None);

fn with<T>(f: impl FnOnce(&mut State) -> T) -> T {
    let mut guard: MutexGuard<'_, Option<State>> = STATE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    f(guard.get_or_insert_with(State::default))
}

/// Records a fault row.
pub fn fault(row: FaultRow) {
    with(|s| s.faults.push(row));
}

/// Records a row that does not apply.
pub fn not_applicable(provider: &'static str, operations: &str, row: &str, why: &str) {
    with(|s| {
        s.not_applicable.push(NotApplicable {
            provider,
            operations: operations.to_owned(),
            row: row.to_owned(),
            why: why.to_owned(),
        });
    });
}

/// Records one bad input tried against `builder` (`provider/builder`), whether it was rejected
/// as required, and how many requests the server saw for it.
pub fn bad_input(
    builder: &str,
    row: &str,
    input: &str,
    passed: bool,
    requests: usize,
    detail: &str,
) {
    with(|s| {
        let entry = s.bad_inputs.entry(builder.to_owned()).or_default();
        entry.0 += 1;
        s.requests_for_bad_input += requests;
        if passed && requests == 0 {
            entry.1 += 1;
        } else {
            s.bad_input_failures.push(Failure::new(
                format!("bad input {builder} {row} {input:?}"),
                format!("{detail} (requests sent: {requests})"),
            ));
        }
    });
}

/// Records one callback case: `must_accept` says what the row requires.
pub fn callback(label: &str, must_accept: bool, passed: bool, detail: &str) {
    with(|s| {
        let counter = if must_accept {
            &mut s.callbacks_accepted
        } else {
            &mut s.callbacks_rejected
        };
        counter.0 += 1;
        if passed {
            counter.1 += 1;
        } else {
            s.callback_failures
                .push(Failure::new(format!("callback {label}"), detail));
        }
    });
}

/// Records a canary found in a rendering of `what`.
pub fn leak(what: &str, canary: &str, text: &str) {
    let excerpt: String = text.chars().take(300).collect();
    with(|s| {
        s.leaks.push(Failure::new(
            format!("secret leaked in {what}"),
            format!("{canary}: {excerpt}"),
        ));
    });
}

/// Counts one scanned rendering.
pub fn scanned() {
    with(|s| s.scans += 1);
}

/// Records a server-side charge count check (F20): anything but `charges == 1` is a double
/// charge (or a lost one).
pub fn charges(label: &str, charges: usize) {
    with(|s| {
        s.charge_checks += 1;
        if charges != 1 {
            s.double_charges.push(Failure::new(
                format!("double charge {label}"),
                format!("the server recorded {charges} charges"),
            ));
        }
    });
}

/// Records a panic.
pub fn panic(label: &str) {
    with(|s| {
        s.panics
            .push(Failure::new(format!("panic in {label}"), "panicked"));
    });
}

/// Records a case that ran past its time limit.
pub fn hang(label: &str, after: Duration) {
    with(|s| {
        s.hangs.push(Failure::new(
            format!("hang in {label}"),
            format!("still running after {after:?}"),
        ));
    });
}

/// Records `cases` byte-soup cases fed to `decoder`, `failed` of which broke the rule.
pub fn soup(decoder: &str, cases: usize, failed: usize, failure: Option<String>) {
    with(|s| {
        let entry = s.soup.entry(decoder.to_owned()).or_default();
        entry.0 += cases;
        entry.1 += failed;
        if let Some(f) = failure {
            s.soup_failures
                .push(Failure::new(format!("byte soup {decoder}"), f));
        }
    });
}

/// Records one forward-compatibility fixture (S5).
pub fn forward_compat(label: &str, passed: bool, detail: &str) {
    with(|s| {
        s.forward_compat.0 += 1;
        if passed {
            s.forward_compat.1 += 1;
        } else {
            s.forward_failures
                .push(Failure::new(format!("forward compat {label}"), detail));
        }
    });
}

/// Records the number of captured log lines scanned (S3).
pub fn log_lines(lines: usize) {
    with(|s| s.log_lines = lines);
}

/// The summary and the list of failures; the run passes when the list is empty.
///
/// ```
/// let (summary, failures) = payments_reliability::report::summary();
/// assert!(summary.starts_with("reliability matrix"));
/// assert!(failures.iter().any(|f| f.row == "a section of the matrix ran no case"));
/// ```
pub fn summary() -> (String, Vec<Failure>) {
    with(|s| {
        let mut out = String::new();
        let mut failures = Vec::new();
        let survived = s.faults.iter().filter(|f| f.passed).count();
        let _ = writeln!(out, "reliability matrix");
        let _ = writeln!(
            out,
            "  faults survived   {survived}/{}   (rows x operations, exact attempt counts)",
            s.faults.len()
        );
        let mut per_op: BTreeMap<(&str, &str), Vec<&FaultRow>> = BTreeMap::new();
        for f in &s.faults {
            per_op
                .entry((f.provider, f.operation.as_str()))
                .or_default()
                .push(f);
        }
        for ((_, op), rows) in &mut per_op {
            rows.sort_by_key(|r| row_order(&r.row));
            let passed = rows.iter().filter(|r| r.passed).count();
            let attempts: Vec<String> = rows
                .iter()
                .map(|r| {
                    if r.passed {
                        format!("{}:{}", r.row, r.seen_attempts)
                    } else {
                        format!("{}:{}!={}", r.row, r.seen_attempts, r.expected_attempts)
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "    {op:<44} {passed:>2}/{:<2} attempts {}",
                rows.len(),
                attempts.join(" ")
            );
        }
        for f in s.faults.iter().filter(|f| !f.passed) {
            failures.push(Failure::new(
                format!("fault {} {} {}", f.provider, f.operation, f.row),
                format!(
                    "expected {} attempt(s), saw {}: {}",
                    f.expected_attempts, f.seen_attempts, f.detail
                ),
            ));
        }
        let tried: usize = s.bad_inputs.values().map(|v| v.0).sum();
        let rejected: usize = s.bad_inputs.values().map(|v| v.1).sum();
        let _ = writeln!(
            out,
            "  bad inputs tried  {tried}   (rejected as required {rejected}; HTTP requests sent: {})",
            s.requests_for_bad_input
        );
        for (builder, (n, ok)) in &s.bad_inputs {
            let _ = writeln!(out, "    {builder:<44} {ok:>3}/{n}");
        }
        failures.extend(s.bad_input_failures.iter().cloned());
        let _ = writeln!(
            out,
            "  callbacks         rejected {}/{} / accepted {}/{} as required",
            s.callbacks_rejected.1,
            s.callbacks_rejected.0,
            s.callbacks_accepted.1,
            s.callbacks_accepted.0
        );
        failures.extend(s.callback_failures.iter().cloned());
        let soup_cases: usize = s.soup.values().map(|v| v.0).sum();
        let soup_failed: usize = s.soup.values().map(|v| v.1).sum();
        let _ = writeln!(
            out,
            "  byte soup         {soup_cases} cases over {} decoders, {soup_failed} broke the rule (a value or a typed error)",
            s.soup.len()
        );
        for (decoder, (n, bad)) in &s.soup {
            let _ = writeln!(out, "    {decoder:<44} {n:>5} cases, {bad} failed");
        }
        failures.extend(s.soup_failures.iter().cloned());
        let _ = writeln!(
            out,
            "  forward compat    {}/{} fixtures with extra fields and unseen enum values decoded and preserved",
            s.forward_compat.1, s.forward_compat.0
        );
        failures.extend(s.forward_failures.iter().cloned());
        let _ = writeln!(
            out,
            "  secrets leaked    {}     ({} renderings and {} log lines scanned)",
            s.leaks.len(),
            s.scans,
            s.log_lines
        );
        failures.extend(s.leaks.iter().cloned());
        let _ = writeln!(
            out,
            "  double charges    {}     ({} server-side charge counts checked)",
            s.double_charges.len(),
            s.charge_checks
        );
        failures.extend(s.double_charges.iter().cloned());
        let _ = writeln!(out, "  panics            {}", s.panics.len());
        failures.extend(s.panics.iter().cloned());
        let _ = writeln!(out, "  hangs             {}", s.hangs.len());
        failures.extend(s.hangs.iter().cloned());
        if !s.not_applicable.is_empty() {
            let _ = writeln!(out, "  rows that do not apply");
            for n in &s.not_applicable {
                let _ = writeln!(
                    out,
                    "    {:<10} {:<8} {:<28} {}",
                    n.provider, n.row, n.operations, n.why
                );
            }
        }
        if tried == 0 || s.faults.is_empty() || soup_cases == 0 {
            failures.push(Failure::new(
                "a section of the matrix ran no case",
                "the faults, bad inputs or byte soup section is empty",
            ));
        }
        (out, failures)
    })
}

/// `F14/404` → (14, "/404"): rows in numeric order.
fn row_order(row: &str) -> (u32, String) {
    let digits: String = row
        .chars()
        .skip(1)
        .take_while(char::is_ascii_digit)
        .collect();
    let rest: String = row.chars().skip(1 + digits.len()).collect();
    (digits.parse().unwrap_or(u32::MAX), rest)
}
