//! A TRACE-level `tracing` subscriber that keeps every log line of the run in memory, so that
//! row S3 can scan it for the canaries.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

static BUFFER: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();

fn buffer() -> Arc<Mutex<Vec<u8>>> {
    BUFFER
        .get_or_init(|| Arc::new(Mutex::new(Vec::new())))
        .clone()
}

/// One writer per log line, appending to the shared buffer.
#[derive(Clone)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut buf = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Sink {
    type Writer = Sink;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Installs the capturing subscriber as the global default (TRACE, every span's opening and
/// closing with its fields). Returns `false` if another subscriber was already installed.
///
/// ```
/// payments_reliability::capture::install();
/// tracing::trace!("hello");
/// assert!(payments_reliability::capture::text().contains("hello"));
/// ```
pub fn install() -> bool {
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::FULL)
        .with_writer(Sink(buffer()))
        .try_init()
        .is_ok()
}

/// Everything logged so far.
pub fn text() -> String {
    let buf = buffer();
    let bytes = buf
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The number of log lines captured so far.
///
/// ```
/// let _ = payments_reliability::capture::lines();
/// ```
pub fn lines() -> usize {
    text().lines().count()
}
