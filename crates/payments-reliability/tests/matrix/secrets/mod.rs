//! Row S1: `Debug`, `{:#?}` (and `Display` where there is one) of every client, builder,
//! credential, request and verifier built with the canary secrets. Errors (S2) are scanned
//! where they are produced, in every other section; the log (S3) at the end of the run.
//!
//! Adding a provider is one module with a `run()`.

pub mod begateway;
pub mod greenpay;
pub mod jatapay;
pub mod tspay;
