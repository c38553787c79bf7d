//! Process figures from `/proc/self` (Linux only; `None` elsewhere).

use std::fs;

/// A `kB` field of `/proc/self/status` (`VmHWM`, `VmRSS`), in bytes.
///
/// ```
/// # if cfg!(target_os = "linux") {
/// assert!(payments_bench::procfs::status_bytes("VmRSS").unwrap() > 0);
/// # }
/// ```
pub fn status_bytes(field: &str) -> Option<u64> {
    let text = fs::read_to_string("/proc/self/status").ok()?;
    let line = text.lines().find(|l| l.split(':').next() == Some(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Peak resident set size (`VmHWM`), bytes.
pub fn peak_rss() -> Option<u64> {
    status_bytes("VmHWM")
}

/// Current resident set size (`VmRSS`), bytes.
pub fn rss() -> Option<u64> {
    status_bytes("VmRSS")
}

/// CPU time consumed so far by the live threads of this process, in nanoseconds: the sum of
/// the first field of `/proc/self/task/*/schedstat` (nanosecond resolution, unlike the
/// clock-tick `utime`/`stime`). Threads that exited are not counted, so take differences
/// over windows in which the runtime's worker threads stay alive.
pub fn cpu_ns() -> Option<u64> {
    let mut total = 0u64;
    for entry in fs::read_dir("/proc/self/task").ok()? {
        let path = entry.ok()?.path().join("schedstat");
        let Ok(text) = fs::read_to_string(path) else {
            continue; // the thread exited meanwhile
        };
        total += text
            .split_whitespace()
            .next()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
    }
    Some(total)
}
