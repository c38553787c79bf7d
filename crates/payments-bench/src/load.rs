//! Load loops over [`Clients`]: sequential calls with per-call latency, and a fixed number of
//! calls in flight sharing a request budget and a deadline. Both are bounded in count and time.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::arms::{Clients, Op, Side};
use crate::procfs;

/// `n` calls one after another; returns each call's latency in microseconds.
pub async fn sequential(clients: &Clients, op: Op, side: Side, n: u64) -> Result<Vec<f64>, String> {
    let mut latencies = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let start = Instant::now();
        clients.call(op, side).await?;
        latencies.push(start.elapsed().as_secs_f64() * 1e6);
    }
    Ok(latencies)
}

/// What a concurrent run did.
#[derive(Debug, Clone, Copy)]
pub struct Throughput {
    /// Calls completed.
    pub completed: u64,
    /// Wall time.
    pub elapsed: Duration,
    /// Process CPU time (all live threads) during the run, nanoseconds.
    pub cpu_ns: u64,
}

impl Throughput {
    /// Calls per second.
    pub fn per_second(&self) -> f64 {
        self.completed as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Client CPU microseconds per call.
    pub fn cpu_us_per_call(&self) -> f64 {
        self.cpu_ns as f64 / 1e3 / (self.completed.max(1) as f64)
    }
}

/// `in_flight` tasks calling until `budget` calls are done or `window` has passed.
pub async fn concurrent(
    clients: &Clients,
    op: Op,
    side: Side,
    in_flight: usize,
    budget: u64,
    window: Duration,
) -> Result<Throughput, String> {
    let issued = Arc::new(AtomicU64::new(0));
    let completed = Arc::new(AtomicU64::new(0));
    let cpu_before = procfs::cpu_ns().unwrap_or(0);
    let start = Instant::now();
    let deadline = start + window;
    let mut tasks = Vec::with_capacity(in_flight);
    for _ in 0..in_flight {
        let clients = clients.clone();
        let issued = issued.clone();
        let completed = completed.clone();
        tasks.push(tokio::spawn(async move {
            while issued.fetch_add(1, Ordering::Relaxed) < budget && Instant::now() < deadline {
                clients.call(op, side).await?;
                completed.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<(), String>(())
        }));
    }
    for task in tasks {
        task.await.map_err(|e| e.to_string())??;
    }
    let elapsed = start.elapsed();
    let cpu_ns = procfs::cpu_ns().unwrap_or(0).saturating_sub(cpu_before);
    Ok(Throughput {
        completed: completed.load(Ordering::Relaxed),
        elapsed,
        cpu_ns,
    })
}
