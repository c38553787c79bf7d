//! Memory under load: 10,000 sequential calls and 10,000 with 64 in flight through one
//! client, SDK and raw reqwest each in its own child process (so each peak RSS is its own),
//! against the loopback server; then the body-cap check.
//!
//! ```text
//! cargo run --release -p payments-bench --bin memory [-- <operation> [calls]]
//! ```
//!
//! Reported per side: peak RSS (`VmHWM`) and RSS after the warm-up (1,000 sequential + 5,000 at 64 in flight),
//! after the sequential calls and at the end, and the growth of the peak after the warm-up.
//! Budget: SDK peak ≤ raw + 2 MB, growth ≤ 5 %.
//!
//! Body cap: the server streams 64 MiB to `GET /products/len` (with `Content-Length`) and to
//! `GET /products/stream` (close-delimited, no length); the SDK client (default 4 MiB cap)
//! must refuse both with `Error::ResponseTooLarge` while its peak RSS grows by far less than
//! 64 MiB.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::float_arithmetic)]

use std::process::{Command, ExitCode};
use std::time::Duration;

use payments_bench::arms::{Clients, Op, Side};
use payments_bench::server::{self, ChildServer, HUGE_BODY_BYTES};
use payments_bench::{load, procfs};

const MIB: f64 = 1024.0 * 1024.0;

fn main() -> ExitCode {
    server::serve_if_child();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["child", side, op, calls, base, huge] => child(side, op, calls, base, huge),
        [] => parent("begateway.products.get", 10_000),
        [op] => parent(op, 10_000),
        [op, calls] => match calls.parse() {
            Ok(n) => parent(op, n),
            Err(_) => Err(format!("bad call count {calls:?}")),
        },
        _ => Err("usage: memory [<operation> [calls]]".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("memory: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parent(op: &str, calls: u64) -> Result<(), String> {
    if Op::parse(op).is_none() {
        return Err(format!("unknown operation {op:?}"));
    }
    let server = ChildServer::spawn(Duration::from_secs(600))?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut results = Vec::new();
    for side in ["sdk", "raw"] {
        eprintln!("{side}: {calls} sequential + {calls} at 64 in flight…");
        let out = Command::new(&exe)
            .args([
                "child",
                side,
                op,
                &calls.to_string(),
                &server.base_url,
                &server.huge_url,
            ])
            .output()
            .map_err(|e| e.to_string())?;
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
        if !out.status.success() {
            return Err(format!("{side} child failed"));
        }
        results.push((side, String::from_utf8_lossy(&out.stdout).into_owned()));
    }
    println!(
        "\nMemory, {op}: {calls} sequential then {calls} at 64 in flight, one client per process\n"
    );
    println!(
        "| side | RSS after warm-up MiB | peak after warm-up MiB | peak after sequential MiB | peak at end MiB | RSS at end MiB | peak growth after warm-up |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (side, text) in &results {
        for line in text.lines().filter(|l| l.starts_with('|')) {
            println!("| {side} {line}");
        }
    }
    for (_, text) in &results {
        for line in text.lines().filter(|l| !l.starts_with('|')) {
            println!("{line}");
        }
    }
    Ok(())
}

fn mib(bytes: Option<u64>) -> f64 {
    bytes.unwrap_or(0) as f64 / MIB
}

fn child(side: &str, op: &str, calls: &str, base: &str, huge: &str) -> Result<(), String> {
    let side = match side {
        "sdk" => Side::Sdk,
        "raw" => Side::Raw,
        other => return Err(format!("bad side {other:?}")),
    };
    let op = Op::parse(op).ok_or("bad operation")?;
    let calls: u64 = calls.parse().map_err(|_| "bad call count")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let clients = Clients::new(base)?;
        load::sequential(&clients, op, side, 1000).await?;
        load::concurrent(&clients, op, side, 64, 5000, Duration::from_secs(60)).await?;
        let warm_rss = procfs::rss();
        let warm_peak = procfs::peak_rss();
        load::sequential(&clients, op, side, calls).await?;
        let seq_peak = procfs::peak_rss();
        let t = load::concurrent(&clients, op, side, 64, calls, Duration::from_secs(300)).await?;
        if t.completed < calls {
            return Err(format!("only {} of {calls} calls completed", t.completed));
        }
        let end_peak = procfs::peak_rss();
        let end_rss = procfs::rss();
        let growth = (mib(end_peak) - mib(warm_peak)) / mib(warm_peak).max(1e-9) * 100.0;
        println!(
            "| {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:+.1} % |",
            mib(warm_rss),
            mib(warm_peak),
            mib(seq_peak),
            mib(end_peak),
            mib(end_rss),
            growth
        );
        if side == Side::Sdk {
            body_cap(huge).await?;
        }
        Ok(())
    })
}

async fn body_cap(huge: &str) -> Result<(), String> {
    let client = begateway::Client::builder(begateway::Credentials::new(
        "361",
        payments_common::SecretString::from("body-cap-check-secret"),
    ))
    .api_base_url(huge)
    .build()
    .map_err(|e| e.to_string())?;
    let cap = client_cap();
    for id in ["len", "stream"] {
        let before = procfs::peak_rss();
        let rss_before = procfs::rss();
        let result = client.products().get(&begateway::ProductId::new(id)).await;
        let after = procfs::peak_rss();
        let refused = matches!(
            result.as_ref().map_err(begateway::Error::kind),
            Err(payments_common::Error::ResponseTooLarge { .. })
        );
        let grew = mib(after) - mib(before);
        let verdict = if refused && grew < (HUGE_BODY_BYTES as f64 / MIB) / 4.0 {
            "met"
        } else {
            "MISSED"
        };
        println!(
            "Body cap ({} MiB body, {} MiB cap, {}): refused with ResponseTooLarge: {refused}; peak RSS {:.2} → {:.2} MiB (+{grew:.2} MiB; RSS before {:.2} MiB) — {verdict}",
            HUGE_BODY_BYTES >> 20,
            cap >> 20,
            if id == "len" {
                "with Content-Length"
            } else {
                "streamed, no length"
            },
            mib(before),
            mib(after),
            mib(rss_before),
        );
        if !refused {
            println!("  result: {result:?}");
        }
    }
    Ok(())
}

fn client_cap() -> usize {
    payments_common::http::HttpConfig::default().get_max_body_bytes()
}
