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
//! - [`run_case`]: runs one case in its own task, under a deadline, so that a panic or a hang
//!   is counted instead of ending the run;
//! - [`fast_config`] and [`fixture`]: millisecond retries and the documented payloads.
//!
//! See `../../shared/reliability.md` (in the repository: `README.md`) for the rows.

use std::future::Future;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use payments_common::http::{HttpConfig, RetryPolicy};

pub mod canary;
pub mod capture;
pub mod report;

/// Retries every case configures: `N` = 2, so a retried call makes 1 + 2 attempts.
pub const MAX_RETRIES: u32 = 2;

/// The overall deadline every case's client configures.
pub const DEADLINE: Duration = Duration::from_secs(4);

/// The body cap every case's client configures (F18 serves 8 MiB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The HTTP settings of every client in the matrix: 300 ms per attempt, 150 ms to connect
/// (below the attempt timeout, so that a slow DNS lookup fails as `Connect` rather than racing
/// the attempt timeout into a `Timeout`, which a write would report as `OutcomeUnknown`),
/// [`DEADLINE`] overall, [`MAX_RETRIES`] retries with a 1–5 ms backoff, `Retry-After` honoured
/// up to 2 s, a 1 MiB body cap.
///
/// ```
/// let config = payments_reliability::fast_config();
/// assert_eq!(config.get_max_body_bytes(), 1024 * 1024);
/// ```
pub fn fast_config() -> HttpConfig {
    HttpConfig::default()
        .connect_timeout(Duration::from_millis(150))
        .attempt_timeout(Duration::from_millis(300))
        .deadline(DEADLINE)
        .max_body_bytes(MAX_BODY_BYTES)
        .retry(
            RetryPolicy::default()
                .with_max_retries(MAX_RETRIES)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
                .with_retry_after_cap(Duration::from_secs(2)),
        )
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

/// Runs `case` in its own task with a time limit of `limit` + 10 %, recording a panic or a
/// hang under `label` in the [`report`].
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
    let allowed = limit + limit / 10;
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
