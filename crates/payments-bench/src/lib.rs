//! Benchmarks of the provider crates against the bare stack (issue 9).
//!
//! Not published. It holds what the benches and the measuring binaries share:
//!
//! - [`fixtures`]: the documented response and request bodies (from `fixtures/<provider>/`),
//!   plus the baseline's 634-byte beGateway product and a generated 100-product list;
//! - [`bare`]: the hand-written `#[derive(Deserialize, Serialize)]` structs with plain types —
//!   the "bare stack" arm every typed model is compared with;
//! - [`decode`] and [`encode`]: the registry of cases, each with its arms (the SDK's decode
//!   path, the model alone, `serde_json::Value`, the bare struct);
//! - [`server`]: a loopback axum server serving the documented bodies (run as a child process);
//! - [`arms`]: the SDK calls and the equivalent raw reqwest + serde calls;
//! - [`procfs`]: peak RSS and CPU time from `/proc/self`.
//!
//! Commands and figures are in `BENCHMARKS.md` at the repository root.

// Measurement code: floats are ratios and rates here, never money; reports go to stdout.
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::float_arithmetic)]

pub mod arms;
pub mod bare;
pub mod decode;
pub mod encode;
pub mod fixtures;
pub mod interleave;
pub mod load;
pub mod procfs;
pub mod server;
pub mod stats;
