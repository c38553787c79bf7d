//! `cargo xtask demo`: every provider's payment flow, driven through its SDK crate against an
//! in-process sandbox (`payments-sandbox` on an ephemeral loopback port), with a short report.
//!
//! Per provider: create (subscription / pay link / product), print the redirect URL, show that
//! a forged return is not trusted, let the customer pay on the hosted page (a plain HTTP client
//! that does not follow redirects: `POST decision=pay`, expect `303` to the merchant's return
//! URL), verify the notification with the crate's verifier where the provider sends one, and
//! confirm the status with a server-side read through the SDK.
//!
//! Adding a provider is one module under `demo/` exposing a [`Flow`], plus one entry in
//! [`FLOWS`]. Every flow is bounded by [`FLOW_TIMEOUT`]; nothing secret is printed.

mod begateway;
mod browser;
mod greenpay;
mod jatapay;
mod receiver;
mod report;
mod tspay;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use payments_sandbox::{RunningSandbox, Sandbox, SandboxConfig};

use self::browser::Browser;
use self::receiver::Receiver;
use self::report::{Report, Summary};

/// The flows run by the demo, in order.
const FLOWS: &[Flow] = &[jatapay::FLOW, tspay::FLOW, greenpay::FLOW, begateway::FLOW];

/// The longest one provider's flow may take before it counts as failed.
const FLOW_TIMEOUT: Duration = Duration::from_secs(30);

/// What every flow gets: the running sandbox, the customer's browser and the merchant's
/// endpoint (return URLs and notification receiver).
pub(crate) struct Ctx {
    /// The in-process sandbox.
    pub(crate) sandbox: RunningSandbox,
    /// The customer's browser (does not follow redirects).
    pub(crate) browser: Browser,
    /// The merchant's web endpoint on `127.0.0.1:0`.
    pub(crate) merchant: Receiver,
}

/// A boxed flow future borrowing the context and the report.
pub(crate) type FlowFuture<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + 'a>>;

/// One provider's demo flow.
pub(crate) struct Flow {
    /// The provider's name, as printed.
    pub(crate) provider: &'static str,
    /// What the flow shows, as printed after the name.
    pub(crate) title: &'static str,
    /// Runs the flow; an `Err` stops it (the failing step is already in the report).
    pub(crate) run: for<'a> fn(&'a Ctx, &'a mut Report) -> FlowFuture<'a>,
}

/// Runs the demo; `Err` (a non-zero exit) if any step of any flow failed.
pub(crate) fn run() -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the tokio runtime: {e}"))?;
    runtime.block_on(run_all())
}

async fn run_all() -> Result<(), String> {
    let sandbox = Sandbox::start(SandboxConfig::new())
        .await
        .map_err(|e| format!("could not start the sandbox: {e}"))?;
    let ctx = Ctx {
        browser: Browser::new()?,
        merchant: Receiver::start().await?,
        sandbox,
    };
    println!(
        "payments demo — sandbox at {}, merchant endpoint at {}",
        ctx.sandbox.base_url(),
        ctx.merchant.base_url()
    );
    let mut summary = Summary::default();
    for flow in FLOWS {
        let mut report = Report::start(flow.provider, flow.title);
        match tokio::time::timeout(FLOW_TIMEOUT, (flow.run)(&ctx, &mut report)).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => report.stopped(&error),
            Err(_) => report.timed_out(FLOW_TIMEOUT),
        }
        summary.add(&report);
    }
    let Ctx {
        sandbox, merchant, ..
    } = ctx;
    merchant.stop();
    sandbox.shutdown().await;
    summary.print();
    if summary.all_passed() {
        Ok(())
    } else {
        Err(format!("demo failed: {}", summary.failures()))
    }
}
