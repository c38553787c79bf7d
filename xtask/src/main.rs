//! Workspace maintenance tasks.
fn main() {}
