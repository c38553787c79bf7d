//! Interleaved wall-clock comparison of decode and encode arms (`docs/benchmarks.md`, method 2):
//! each arm is calibrated to a batch of about 5 ms; in every round each arm of a case runs one
//! batch, in rotating order, so machine noise hits all arms alike. The figure reported is the
//! median over rounds of the per-round ratio to the bare arm.

use std::hint::black_box;
use std::time::{Duration, Instant};

use crate::stats::{median, min_max};
use crate::{decode, encode};

const BATCH: Duration = Duration::from_millis(5);

fn calibrate(mut run: impl FnMut()) -> u32 {
    let mut n = 1u32;
    loop {
        let start = Instant::now();
        for _ in 0..n {
            run();
        }
        if start.elapsed() >= BATCH / 4 || n >= 1 << 24 {
            let per = start.elapsed().as_secs_f64() / f64::from(n);
            return ((BATCH.as_secs_f64() / per.max(1e-9)) as u32).max(1);
        }
        n *= 4;
    }
}

fn time_batch(n: u32, mut run: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        run();
    }
    start.elapsed().as_secs_f64() * 1e9 / f64::from(n)
}

/// One arm's result: median ns per document over rounds, and the median per-round ratio to
/// the bare arm with its spread.
#[derive(Debug, Clone)]
pub struct ArmResult {
    /// `decode:<case>:<arm>` or `encode:<case>:<arm>`.
    pub name: String,
    /// Bytes per document.
    pub bytes: usize,
    /// Median ns per document.
    pub ns: f64,
    /// Median of per-round ratios to the bare arm.
    pub ratio: f64,
    /// Smallest and largest per-round ratio.
    pub spread: (f64, f64),
}

fn rounds_for<A: Copy>(
    prefix: &str,
    case: &str,
    bytes: usize,
    arms: &[(A, &str)],
    bare: usize,
    rounds: usize,
    mut run: impl FnMut(A),
) -> Vec<ArmResult> {
    let sizes: Vec<u32> = arms.iter().map(|(a, _)| calibrate(|| run(*a))).collect();
    let mut ns: Vec<Vec<f64>> = vec![Vec::new(); arms.len()];
    for round in 0..rounds {
        for k in 0..arms.len() {
            let i = (k + round) % arms.len();
            let (arm, _) = arms[i];
            ns[i].push(time_batch(sizes[i], || run(arm)));
        }
    }
    arms.iter()
        .enumerate()
        .map(|(i, (_, name))| {
            let mut ratios: Vec<f64> = (0..rounds).map(|r| ns[i][r] / ns[bare][r]).collect();
            let spread = min_max(&ratios);
            ArmResult {
                name: format!("{prefix}:{case}:{name}"),
                bytes,
                ns: median(&mut ns[i].clone()),
                ratio: median(&mut ratios),
                spread,
            }
        })
        .collect()
}

/// Interleaves the arms of every decode case whose name contains `filter`.
pub fn decode(rounds: usize, filter: &str) -> Vec<ArmResult> {
    let mut out = Vec::new();
    for case in decode::cases()
        .into_iter()
        .filter(|c| c.name.contains(filter))
    {
        let response = case.response();
        let arms: Vec<(decode::Arm, &str)> = decode::Arm::ALL
            .into_iter()
            .filter(|a| case.has(*a))
            .map(|a| (a, a.name()))
            .collect();
        let bare = arms.len() - 1;
        out.extend(rounds_for(
            "decode",
            case.name,
            case.body.len(),
            &arms,
            bare,
            rounds,
            |arm| {
                black_box(case.run(arm, &response));
            },
        ));
    }
    out
}

/// Interleaves the arms of every encode case whose name contains `filter`.
pub fn encode(rounds: usize, filter: &str) -> Vec<ArmResult> {
    let mut out = Vec::new();
    let cases = encode::cases().unwrap_or_default();
    for case in cases.iter().filter(|c| c.name.contains(filter)) {
        let arms: Vec<(encode::Arm, &str)> = encode::Arm::ALL
            .into_iter()
            .map(|a| (a, a.name()))
            .collect();
        let bytes = case.run(encode::Arm::Typed).len();
        out.extend(rounds_for(
            "encode",
            case.name,
            bytes,
            &arms,
            2,
            rounds,
            |arm| {
                drop(black_box(case.run(arm)));
            },
        ));
    }
    out
}

/// Prints results as a Markdown table.
pub fn print(results: &[ArmResult]) {
    println!(
        "| arm | bytes | ns/doc (median) | MB/s | ratio to bare (median [min–max] of rounds) |"
    );
    println!("|---|---:|---:|---:|---:|");
    for r in results {
        println!(
            "| {} | {} | {:.0} | {:.0} | {:.2} [{:.2}–{:.2}] |",
            r.name,
            r.bytes,
            r.ns,
            r.bytes as f64 / r.ns * 1000.0,
            r.ratio,
            r.spread.0,
            r.spread.1
        );
    }
}
