//! Loopback round trips: each provider crate's call against raw reqwest + serde_json (one
//! reused `reqwest::Client`, hand-written structs) on the same axum server, interleaved.
//!
//! - sequential: `ROUNDS` rounds × 200 calls per side (order rotating), p50 per side per
//!   round; the ratio reported is the median of per-round SDK/raw p50 ratios;
//! - 64 in flight: `ROUNDS` rounds × a 0.5 s window per side; calls/s and client CPU per call
//!   (`/proc/self/task/*/schedstat`; the server is a child process, so all of it is client).
//!
//! `cargo bench -p payments-bench --bench roundtrip [-- <operation filter>]`;
//! `PAYMENTS_BENCH_ROUNDS` changes the rounds (default 15 sequential, 9 concurrent).

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::float_arithmetic,
    missing_docs
)]

use std::process::ExitCode;
use std::time::Duration;

use payments_bench::arms::{Clients, Op, Side};
use payments_bench::load;
use payments_bench::server::{self, ChildServer};
use payments_bench::stats::{median, min_max, percentile};

const SEQ_BATCH: u64 = 200;
const WINDOW: Duration = Duration::from_millis(500);
const IN_FLIGHT: usize = 64;

fn main() -> ExitCode {
    server::serve_if_child();
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo test --benches` / `--list`: nothing to run as a test.
    if args.iter().any(|a| a == "--test" || a == "--list") {
        return ExitCode::SUCCESS;
    }
    let filter = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .cloned()
        .unwrap_or_default();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("roundtrip: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&filter)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("roundtrip: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Row {
    op: &'static str,
    seq_p50: [f64; 2],
    seq_p99: [f64; 2],
    seq_ratio: (f64, f64, f64),
    rps: [f64; 2],
    rps_ratio: (f64, f64, f64),
    cpu: [f64; 2],
    cpu_ratio: (f64, f64, f64),
}

fn summary(mut ratios: Vec<f64>) -> (f64, f64, f64) {
    let (lo, hi) = min_max(&ratios);
    (median(&mut ratios), lo, hi)
}

async fn run(filter: &str) -> Result<(), String> {
    let rounds_env = std::env::var("PAYMENTS_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse::<usize>().ok());
    let seq_rounds = rounds_env.unwrap_or(15);
    let conc_rounds = rounds_env.unwrap_or(9);
    let server = ChildServer::spawn(Duration::from_secs(900))?;
    let clients = Clients::new(&server.base_url)?;
    let sides = [Side::Sdk, Side::Raw];
    let mut rows = Vec::new();
    let mut calls = 0u64;
    for op in Op::ALL.into_iter().filter(|o| o.name().contains(filter)) {
        // Warm-up (and a check that both sides work against this server).
        for side in sides {
            for _ in 0..300 {
                calls += 1;
                if let Err(e) = clients.call(op, side).await {
                    return Err(format!("{} {}: {e}", op.name(), side.name()));
                }
            }
        }
        eprintln!("{}: sequential…", op.name());
        let mut p50: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
        let mut all: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
        for round in 0..seq_rounds {
            for k in 0..2 {
                let i = (k + round) % 2;
                let c = clients.clone();
                let side = sides[i];
                let mut lat =
                    tokio::spawn(async move { load::sequential(&c, op, side, SEQ_BATCH).await })
                        .await
                        .map_err(|e| e.to_string())??;
                calls += lat.len() as u64;
                all[i].extend_from_slice(&lat);
                p50[i].push(median(&mut lat));
            }
        }
        let seq_ratio = summary((0..seq_rounds).map(|r| p50[0][r] / p50[1][r]).collect());
        eprintln!("{}: {IN_FLIGHT} in flight…", op.name());
        let mut rps: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
        let mut cpu: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
        for round in 0..conc_rounds {
            for k in 0..2 {
                let i = (k + round) % 2;
                let t =
                    load::concurrent(&clients, op, sides[i], IN_FLIGHT, 400_000, WINDOW).await?;
                calls += t.completed;
                rps[i].push(t.per_second());
                cpu[i].push(t.cpu_us_per_call());
            }
        }
        let rps_ratio = summary((0..conc_rounds).map(|r| rps[0][r] / rps[1][r]).collect());
        let cpu_ratio = summary((0..conc_rounds).map(|r| cpu[0][r] / cpu[1][r]).collect());
        rows.push(Row {
            op: op.name(),
            seq_p50: [median(&mut p50[0]), median(&mut p50[1])],
            seq_p99: [percentile(&mut all[0], 99.0), percentile(&mut all[1], 99.0)],
            seq_ratio,
            rps: [median(&mut rps[0]), median(&mut rps[1])],
            rps_ratio,
            cpu: [median(&mut cpu[0]), median(&mut cpu[1])],
            cpu_ratio,
        });
    }
    let connections = server
        .connections(&reqwest::Client::new())
        .await
        .unwrap_or(0);
    println!(
        "\nLoopback round trips, SDK vs raw reqwest + serde (interleaved; ratio = median of per-round SDK/raw [min–max])\n"
    );
    println!(
        "| operation | seq p50 SDK / raw µs | seq p99 SDK / raw µs | seq p50 ratio (budget ≤ 1.10) | 64 in flight calls/s SDK / raw | calls/s ratio (≥ 0.90) | CPU µs/call SDK / raw | CPU ratio (≤ 1.15) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {:.0} / {:.0} | {:.0} / {:.0} | {:.2} [{:.2}–{:.2}] | {:.0} / {:.0} | {:.2} [{:.2}–{:.2}] | {:.1} / {:.1} | {:.2} [{:.2}–{:.2}] |",
            r.op,
            r.seq_p50[0],
            r.seq_p50[1],
            r.seq_p99[0],
            r.seq_p99[1],
            r.seq_ratio.0,
            r.seq_ratio.1,
            r.seq_ratio.2,
            r.rps[0],
            r.rps[1],
            r.rps_ratio.0,
            r.rps_ratio.1,
            r.rps_ratio.2,
            r.cpu[0],
            r.cpu[1],
            r.cpu_ratio.0,
            r.cpu_ratio.1,
            r.cpu_ratio.2,
        );
    }
    println!(
        "\nTCP connections accepted by the server over the whole run: {connections} for {calls} calls by 5 pooled clients (one per SDK client + the raw one)"
    );
    Ok(())
}
