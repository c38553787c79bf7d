//! Criterion benchmarks: typed decode through each crate's models (the client's own path,
//! `Response::json::<Model>()`, and the model alone) against `serde_json::Value` and the
//! hand-written bare struct; typed request encode against `Value` and the bare struct.
//! Throughput is reported per document byte (MB/s), time per document.
//!
//! After criterion's groups, an interleaved pass (11 rounds; `PAYMENTS_BENCH_ROUNDS` to
//! change) prints the same-run ratios to the bare arm, which are what the budget is about.
//! Filter with criterion's usual argument: `cargo bench -p payments-bench --bench decode -- tspay`.

#![allow(clippy::print_stdout, clippy::float_arithmetic, missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use payments_bench::{decode, encode, interleave};

fn decode_benches(c: &mut Criterion) {
    for case in decode::cases() {
        let response = case.response();
        let mut group = c.benchmark_group(format!("decode/{}", case.name));
        group.throughput(Throughput::Bytes(case.body.len() as u64));
        for arm in decode::Arm::ALL.into_iter().filter(|a| case.has(*a)) {
            group.bench_function(arm.name(), |b| {
                b.iter(|| black_box(case.run(arm, black_box(&response))));
            });
        }
        group.finish();
    }
}

fn encode_benches(c: &mut Criterion) {
    for case in encode::cases().unwrap_or_default() {
        let bytes = case.run(encode::Arm::Typed).len();
        let mut group = c.benchmark_group(format!("encode/{}", case.name));
        group.throughput(Throughput::Bytes(bytes as u64));
        for arm in encode::Arm::ALL {
            group.bench_function(arm.name(), |b| b.iter(|| black_box(case.run(arm))));
        }
        group.finish();
    }
}

fn main() {
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(30)
        .configure_from_args();
    decode_benches(&mut criterion);
    encode_benches(&mut criterion);
    criterion.final_summary();

    // `cargo test --benches` runs benches in test mode: skip the interleaved pass there.
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_default();
    let rounds = std::env::var("PAYMENTS_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(11);
    println!("\nInterleaved same-run ratios ({rounds} rounds):\n");
    let mut results = interleave::decode(rounds, &filter);
    results.extend(interleave::encode(rounds, &filter));
    interleave::print(&results);
}
