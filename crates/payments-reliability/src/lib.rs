//! The reliability matrix of the payments SDKs, as a test harness.
//!
//! The matrix itself is the `matrix` test target (`tests/matrix/`), a custom-harness binary
//! that `cargo test` and `cargo xtask reliability` run. This library holds what every section
//! of it shares:
//!
//! - [`canary`]: the planted secrets (API key, shop secret, webhook secret, a test PAN and
//!   CVV) and the scanner that looks for them in every rendered value and log line;
//! - [`capture`]: a TRACE-level `tracing` subscriber that records every log line of the run;
//! - [`report`]: the counters behind the printed summary (faults survived, bad inputs tried,
//!   callbacks, secrets leaked, double charges, panics, hangs, byte-soup cases);
//! - [`run_case`]: runs one case in its own task, under its deadline plus [`MARGIN`], so that
//!   a panic or a hang is counted instead of ending the run;
//! - [`patient_config`] and [`hang_config`]: the HTTP settings of the cases (timeouts tied to
//!   what a row tests, never to the machine's speed);
//! - [`chunked`]: a raw TCP server that streams an oversized chunked body;
//! - [`fixture`]: the documented payloads.
//!
//! See `README.md` for the rows.

use std::future::Future;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use payments_common::http::{HttpConfig, RetryPolicy};

pub mod canary;
pub mod capture;
pub mod chunked;
pub mod report;

/// Retries every case configures: `N` = 2, so a retried call makes 1 + 2 attempts.
pub const MAX_RETRIES: u32 = 2;

/// The overall deadline of a case that expects a definitive answer (every row but a hang).
///
/// The fault server answers such a case at once, so the deadline and [`ATTEMPT_TIMEOUT`] are
/// far above anything a busy machine adds: a slow scheduler can never turn "answered at once"
/// into a timeout.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// The per-attempt timeout of a case that expects a definitive answer.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);

/// The per-attempt timeout of a row that tests a hang (F4, F5): shorter, because the row waits
/// for it to expire once per attempt, yet seconds long, so that every attempt reaches the
/// server before it expires even on a busy machine (the rows count what the server saw).
pub const HANG_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(3);

/// The overall deadline of a row that tests a hang: room for every attempt
/// (`(1 + MAX_RETRIES) × HANG_ATTEMPT_TIMEOUT`) twice over.
pub const HANG_DEADLINE: Duration = Duration::from_secs(20);

/// The margin a case may run past its deadline before [`run_case`] counts it as a hang.
pub const MARGIN: Duration = Duration::from_secs(5);

/// The longest `Retry-After` every case honours.
pub const RETRY_AFTER_CAP: Duration = Duration::from_secs(2);

/// The body cap every case's client configures (F18 serves 8 MiB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The HTTP settings of a case that expects a definitive answer: [`ATTEMPT_TIMEOUT`] per
/// attempt, 5 s to connect, [`DEADLINE`] overall, [`MAX_RETRIES`] retries with a 1–5 ms
/// backoff, `Retry-After` honoured up to [`RETRY_AFTER_CAP`], a 1 MiB body cap.
///
/// ```
/// let config = payments_reliability::patient_config();
/// assert_eq!(config.get_max_body_bytes(), 1024 * 1024);
/// assert_eq!(config.get_deadline(), payments_reliability::DEADLINE);
/// ```
pub fn patient_config() -> HttpConfig {
    HttpConfig::default()
        .connect_timeout(Duration::from_secs(5))
        .attempt_timeout(ATTEMPT_TIMEOUT)
        .deadline(DEADLINE)
        .max_body_bytes(MAX_BODY_BYTES)
        .retry(
            RetryPolicy::default()
                .with_max_retries(MAX_RETRIES)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
                .with_retry_after_cap(RETRY_AFTER_CAP),
        )
}

/// The HTTP settings of a row that tests a hang: [`patient_config`] with
/// [`HANG_ATTEMPT_TIMEOUT`] per attempt and [`HANG_DEADLINE`] overall (the pipeline keeps the
/// connect timeout within three quarters of the attempt).
///
/// ```
/// let config = payments_reliability::hang_config();
/// assert_eq!(config.get_attempt_timeout(), payments_reliability::HANG_ATTEMPT_TIMEOUT);
/// ```
pub fn hang_config() -> HttpConfig {
    patient_config()
        .attempt_timeout(HANG_ATTEMPT_TIMEOUT)
        .deadline(HANG_DEADLINE)
}

/// The path of `fixtures/<provider>/<file>` in the repository.
///
/// ```
/// let path = payments_reliability::fixture_path("jatapay", "subscriptions.get.response.json");
/// assert!(path.ends_with("fixtures/jatapay/subscriptions.get.response.json"));
/// ```
pub fn fixture_path(provider: &str, file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(provider)
        .join(file)
}

/// The bytes of `fixtures/<provider>/<file>`, or an empty vector (reported by the caller as a
/// failed case) when it cannot be read.
pub fn fixture(provider: &str, file: &str) -> Vec<u8> {
    std::fs::read(fixture_path(provider, file)).unwrap_or_default()
}

/// How one case ended, apart from its own verdict.
#[derive(Debug)]
pub enum CaseEnd<T> {
    /// It returned this value within its time limit.
    Done(T),
    /// It panicked (counted in [`report`] as a panic).
    Panicked,
    /// It ran past its time limit (counted as a hang).
    Hung(Duration),
}

/// Runs `case` in its own task with a time limit of `limit` + [`MARGIN`], recording a panic
/// or a hang under `label` in the [`report`]. `limit` is the deadline the case's client
/// configures, so a case counts as hung only when it ran well past its own deadline.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use std::time::Duration;
/// use payments_reliability::{run_case, CaseEnd};
/// let end = run_case("doc", Duration::from_secs(1), async { 7 }).await;
/// assert!(matches!(end, CaseEnd::Done(7)));
/// # }
/// ```
pub async fn run_case<T, F>(label: &str, limit: Duration, case: F) -> CaseEnd<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let started = Instant::now();
    let allowed = limit + MARGIN;
    let task = tokio::spawn(tokio::time::timeout(allowed, case));
    match task.await {
        Ok(Ok(value)) => CaseEnd::Done(value),
        Ok(Err(_elapsed)) => {
            report::hang(label, started.elapsed());
            CaseEnd::Hung(started.elapsed())
        }
        Err(join) if join.is_panic() => {
            report::panic(label);
            CaseEnd::Panicked
        }
        Err(_) => {
            report::panic(label);
            CaseEnd::Panicked
        }
    }
}

/// Runs a synchronous `check` under `catch_unwind`, recording a panic under `label`.
/// Returns `None` if it panicked.
///
/// ```
/// assert_eq!(payments_reliability::catch("doc", || 1 + 1), Some(2));
/// ```
pub fn catch<T>(label: &str, check: impl FnOnce() -> T) -> Option<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(check)) {
        Ok(value) => Some(value),
        Err(_) => {
            report::panic(label);
            None
        }
    }
}
