//! Instruction-count harness for callgrind (`docs/benchmarks.md`, method 3).
//!
//! ```text
//! count list                        every spec, one per line
//! count <spec> <N>                  run <spec> N times (decode:<case>:<arm> or encode:<case>:<arm>)
//! count report [N] [filter]         run every spec under valgrind with 0 and N iterations and
//!                                   print instructions per document and ratios to bare
//! count interleave [rounds] [filter] interleaved wall-clock ratios (no valgrind)
//! count http-report [N]             client instructions per loopback call, SDK vs raw
//!                                   reqwest, for each operation (starts the server itself)
//! count http:<operation>:<sdk|raw> <N> <base URL>   N sequential calls after 50 warm-up calls
//! ```
//!
//! Per document = (Ir(N) − Ir(0)) / N; `N` defaults to 2000 and is scaled down for large
//! bodies so every case decodes about 1.3 MB (the 100-product list runs 20 times).

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::float_arithmetic)]

use std::hint::black_box;
use std::process::{Command, ExitCode};

use std::time::Duration;

use payments_bench::arms::{Clients, Op, Side};
use payments_bench::server::ChildServer;
use payments_bench::{decode, encode, interleave};

fn main() -> ExitCode {
    payments_bench::server::serve_if_child();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["list"] => {
            specs().iter().for_each(|(s, _)| println!("{s}"));
            Ok(())
        }
        ["report", rest @ ..] => report(
            rest.first().and_then(|n| n.parse().ok()).unwrap_or(2000),
            rest.get(1).copied().unwrap_or(""),
        ),
        ["interleave", rest @ ..] => {
            let rounds = rest.first().and_then(|n| n.parse().ok()).unwrap_or(21);
            let filter = rest.get(1).copied().unwrap_or("");
            let mut results = interleave::decode(rounds, filter);
            results.extend(interleave::encode(rounds, filter));
            interleave::print(&results);
            Ok(())
        }
        ["http-report", rest @ ..] => {
            http_report(rest.first().and_then(|n| n.parse().ok()).unwrap_or(2000))
        }
        [spec, n, base] if spec.starts_with("http:") => match n.parse::<u64>() {
            Ok(n) => http_calls(spec, n, base),
            Err(_) => Err(format!("bad count {n:?}")),
        },
        [spec, n] => match n.parse::<u64>() {
            Ok(n) => run(spec, n),
            Err(_) => Err(format!("bad count {n:?}")),
        },
        _ => Err("usage: count list | count <spec> <N> | count report [N] [filter] | count interleave [rounds] [filter]".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("count: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Every spec with its document size.
fn specs() -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for case in decode::cases() {
        for arm in decode::Arm::ALL.into_iter().filter(|a| case.has(*a)) {
            out.push((
                format!("decode:{}:{}", case.name, arm.name()),
                case.body.len(),
            ));
        }
    }
    for case in encode::cases().unwrap_or_default() {
        let bytes = case.run(encode::Arm::Typed).len();
        for arm in encode::Arm::ALL {
            out.push((format!("encode:{}:{}", case.name, arm.name()), bytes));
        }
    }
    out
}

fn run(spec: &str, n: u64) -> Result<(), String> {
    let mut parts = spec.splitn(3, ':');
    let (Some(kind), Some(case), Some(arm)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!("bad spec {spec:?}"));
    };
    match kind {
        "decode" => {
            let case = decode::find(case).ok_or_else(|| format!("no case {case:?}"))?;
            let arm = decode::Arm::parse(arm).ok_or_else(|| format!("no arm {arm:?}"))?;
            let response = case.response();
            // Checked before the loop in both the N = 0 and the N runs, so it cancels out.
            if !case.run(arm, &response) {
                return Err(format!("{spec} does not decode"));
            }
            for _ in 0..n {
                black_box(case.run(arm, black_box(&response)));
            }
        }
        "encode" => {
            let case = encode::find(case).ok_or_else(|| format!("no case {case:?}"))?;
            let arm = encode::Arm::parse(arm).ok_or_else(|| format!("no arm {arm:?}"))?;
            drop(black_box(case.run(arm)));
            for _ in 0..n {
                drop(black_box(case.run(arm)));
            }
        }
        _ => return Err(format!("bad kind {kind:?}")),
    }
    Ok(())
}

/// Instructions of `count <spec> <n> [extra]` under callgrind.
fn instructions(spec: &str, n: u64) -> Result<u64, String> {
    instructions_with(spec, n, None)
}

fn instructions_with(spec: &str, n: u64, extra: Option<&str>) -> Result<u64, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(&exe)
        .args([spec, &n.to_string()])
        .args(extra)
        .output()
        .map_err(|e| format!("cannot run valgrind: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{spec}: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        ));
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    stderr
        .lines()
        .find_map(|l| l.split("Collected :").nth(1))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("{spec}: no 'Collected' line from callgrind"))
}

fn report(n: u64, filter: &str) -> Result<(), String> {
    let specs: Vec<(String, usize)> = specs()
        .into_iter()
        .filter(|(s, _)| s.contains(filter))
        .collect();
    let mut rows: Vec<(String, usize, f64)> = Vec::new();
    for (spec, bytes) in &specs {
        // About 1.3 MB of input per spec: 2000 × 634-byte product, 20 × 63 kB list.
        let iterations = (n * 634 / (*bytes as u64).max(634)).max(10);
        let base = instructions(spec, 0)?;
        let full = instructions(spec, iterations)?;
        let per = full.saturating_sub(base) as f64 / iterations as f64;
        eprintln!("{spec}: {per:.0} instructions/doc ({iterations} iterations)");
        rows.push((spec.clone(), *bytes, per));
    }
    println!("| spec | bytes | instructions/doc | instr/byte | ratio to bare | budget |");
    println!("|---|---:|---:|---:|---:|---|");
    for (spec, bytes, per) in &rows {
        let stem = spec.rsplit_once(':').map(|(s, _)| s).unwrap_or(spec);
        let bare = rows
            .iter()
            .find(|(s, _, _)| s == &format!("{stem}:bare"))
            .map(|r| r.2);
        let ratio = bare.map(|b| per / b.max(1.0));
        let verdict = match (spec.rsplit(':').next(), ratio) {
            (Some("sdk" | "model"), Some(r)) if spec.starts_with("decode") => {
                if r <= 1.15 {
                    "met (≤ 1.15×)"
                } else if r <= 1.5 {
                    "MISSED 1.15× (≤ 1.5×)"
                } else {
                    "MISSED 1.5×"
                }
            }
            (Some("typed"), Some(r)) => {
                if r <= 1.2 {
                    "met (≤ 1.2×)"
                } else {
                    "MISSED 1.2×"
                }
            }
            _ => "",
        };
        println!(
            "| {spec} | {bytes} | {per:.0} | {:.1} | {} | {verdict} |",
            per / *bytes as f64,
            ratio.map(|r| format!("{r:.2}")).unwrap_or_default()
        );
    }
    Ok(())
}

/// `http:<operation>:<side>`: 50 warm-up calls, then `n` sequential calls, on a current-thread
/// runtime (deterministic under valgrind).
fn http_calls(spec: &str, n: u64, base: &str) -> Result<(), String> {
    let mut parts = spec.splitn(3, ':');
    let (Some(_), Some(op), Some(side)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!("bad spec {spec:?}"));
    };
    let op = Op::parse(op).ok_or_else(|| format!("no operation {op:?}"))?;
    let side = match side {
        "sdk" => Side::Sdk,
        "raw" => Side::Raw,
        other => return Err(format!("bad side {other:?}")),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let clients = Clients::new(base)?;
        for _ in 0..50 {
            clients.call(op, side).await?;
        }
        for _ in 0..n {
            clients.call(op, side).await?;
        }
        Ok(())
    })
}

fn http_report(n: u64) -> Result<(), String> {
    let server = ChildServer::spawn(Duration::from_secs(900))?;
    println!("| operation | SDK instructions/call | raw instructions/call | SDK / raw |");
    println!("|---|---:|---:|---:|");
    for op in Op::ALL {
        let mut per = [0.0f64; 2];
        for (i, side) in ["sdk", "raw"].into_iter().enumerate() {
            let spec = format!("http:{}:{side}", op.name());
            let base = instructions_with(&spec, 0, Some(&server.base_url))?;
            let full = instructions_with(&spec, n, Some(&server.base_url))?;
            per[i] = full.saturating_sub(base) as f64 / n as f64;
            eprintln!("{spec}: {:.0} instructions/call", per[i]);
        }
        println!(
            "| {} | {:.0} | {:.0} | {:.2} |",
            op.name(),
            per[0],
            per[1],
            per[0] / per[1].max(1.0)
        );
    }
    Ok(())
}
