//! The reliability matrix (see the crate's `README.md`) for every
//! operation of every provider crate, as one custom-harness test binary.
//!
//! Sections, each a folder with one module per provider:
//!
//! - `faults/`: rows F1–F20 per operation, exact attempt counts, F20 charge counts;
//! - `bad_inputs/`: rows I1–I10 per request builder, zero requests sent;
//! - `callbacks/`: rows W1–W8 per notification verifier, W7 (forged return) for every provider;
//! - `secrets/`: row S1 (renderings of clients, builders, credentials, requests, verifiers);
//! - `soup/`: rows S4 (byte soup into every decoder) and S5 (forward compatibility).
//!
//! Every error and value produced is scanned for the canaries (S2), and the whole run's TRACE
//! log is scanned at the end (S3). The binary prints one summary and exits non-zero if any
//! count is off, listing the failing cases.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a custom test harness reports on the terminal"
)]
#![allow(missing_docs, reason = "test binary")]

mod bad_inputs;
mod callbacks;
mod faults;
mod secrets;
mod soup;

use std::time::Instant;

use payments_reliability::{canary, capture, report};

fn main() {
    let installed = capture::install();
    let started = Instant::now();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    runtime.block_on(async {
        let mut ops = faults::jatapay::ops();
        ops.extend(faults::tspay::ops());
        ops.extend(faults::begateway::ops());
        ops.extend(faults::greenpay::ops());
        for provider in ["jatapay", "tspay", "begateway", "greenpay"] {
            faults::not_applicable_everywhere(provider);
        }
        faults::begateway::not_applicable();
        faults::greenpay::not_applicable();
        faults::jatapay::not_applicable();
        faults::run(ops).await;
        faults::jatapay::shared_exchange_hang().await;

        bad_inputs::jatapay::run().await;
        bad_inputs::tspay::run().await;
        bad_inputs::begateway::run().await;
        bad_inputs::greenpay::run().await;
        bad_inputs::path_ids::run().await;

        callbacks::jatapay::run().await;
        callbacks::tspay::run().await;
        callbacks::begateway::run().await;
        callbacks::greenpay::run().await;
        callbacks::replays::run().await;

        secrets::jatapay::run();
        secrets::tspay::run();
        secrets::begateway::run();
        secrets::greenpay::run().await;

        soup::jatapay::run().await;
        soup::tspay::run().await;
        soup::begateway::run().await;
        soup::greenpay::run().await;
    });
    drop(runtime);

    // S3: the whole run's log, at TRACE.
    let log = capture::text();
    report::log_lines(log.lines().count());
    if !installed {
        report::panic("the log capture could not be installed (another subscriber was set)");
    }
    for line in log.lines() {
        canary::scan("the TRACE log", line);
    }

    let (summary, failures) = report::summary();
    println!(
        "\n{summary}  (ran in {:.1} s)",
        started.elapsed().as_secs_f64()
    );
    if failures.is_empty() {
        println!("reliability matrix: ok");
    } else {
        println!("reliability matrix: {} failing case(s)", failures.len());
        for f in &failures {
            println!("  FAIL {f}");
        }
        // One line per failing row, for `cargo xtask reliability --repeat` to tally.
        let mut rows: Vec<&str> = failures.iter().map(|f| f.row.as_str()).collect();
        rows.sort_unstable();
        rows.dedup();
        for row in rows {
            println!("{}{row}", report::FAILED_ROW_PREFIX);
        }
        std::process::exit(1);
    }
}
