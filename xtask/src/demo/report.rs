//! The demo's report: one line per step, printed as it happens, and the final summary.

use std::fmt::Display;
use std::time::Duration;

/// Width of the step column.
const STEP_WIDTH: usize = 24;

/// The steps of one provider's flow.
pub(crate) struct Report {
    provider: &'static str,
    passed: usize,
    failed: usize,
}

impl Report {
    /// Prints the provider's header line.
    pub(crate) fn start(provider: &'static str, title: &str) -> Self {
        println!();
        println!("{provider} — {title}");
        Report {
            provider,
            passed: 0,
            failed: 0,
        }
    }

    fn line(mark: char, step: &str, detail: &dyn Display) {
        println!("  {mark} {step:<STEP_WIDTH$} {detail}");
    }

    /// A step that passed.
    pub(crate) fn pass(&mut self, step: &str, detail: impl Display) {
        self.passed += 1;
        Self::line('✓', step, &detail);
    }

    /// A step that failed; returns the error that stops the flow.
    pub(crate) fn fail(&mut self, step: &str, detail: impl Display) -> String {
        self.failed += 1;
        let message = format!("{step}: {detail}");
        Self::line('✗', step, &detail);
        message
    }

    /// A line that is neither pass nor fail (e.g. "this provider sends no notification").
    pub(crate) fn note(&mut self, step: &str, detail: impl Display) {
        Self::line('·', step, &detail);
    }

    /// Records `result`: ✓ with `detail(value)`, or ✗ with the error (and stops the flow).
    pub(crate) fn check<T, E: Display>(
        &mut self,
        step: &str,
        result: Result<T, E>,
        detail: impl FnOnce(&T) -> String,
    ) -> Result<T, String> {
        match result {
            Ok(value) => {
                self.pass(step, detail(&value));
                Ok(value)
            }
            Err(e) => Err(self.fail(step, e)),
        }
    }

    /// ✓ with `detail` when `condition` holds, else ✗ with `detail` (and stops the flow).
    pub(crate) fn ensure(
        &mut self,
        step: &str,
        condition: bool,
        detail: impl Display,
    ) -> Result<(), String> {
        if condition {
            self.pass(step, detail);
            Ok(())
        } else {
            Err(self.fail(step, detail))
        }
    }

    /// The flow stopped with `error`: at a failed step (already reported), or at an error
    /// outside any step, which is reported now so that the flow counts as failed.
    pub(crate) fn stopped(&mut self, error: &str) {
        if self.failed == 0 {
            self.fail("flow", error);
        }
        println!("  (flow stopped at the first failed step)");
    }

    /// The flow did not finish in time.
    pub(crate) fn timed_out(&mut self, limit: Duration) {
        self.fail(
            "flow",
            format!("did not finish within {} s", limit.as_secs()),
        );
    }
}

/// Totals over every provider.
#[derive(Default)]
pub(crate) struct Summary {
    providers: usize,
    passed_providers: usize,
    passed: usize,
    failed: usize,
    failing: Vec<&'static str>,
}

impl Summary {
    /// Adds one provider's report.
    pub(crate) fn add(&mut self, report: &Report) {
        self.providers += 1;
        self.passed += report.passed;
        self.failed += report.failed;
        if report.failed == 0 {
            self.passed_providers += 1;
        } else {
            self.failing.push(report.provider);
        }
    }

    /// Whether every step of every flow passed.
    pub(crate) fn all_passed(&self) -> bool {
        self.failed == 0 && self.providers > 0
    }

    /// The providers whose flow failed.
    pub(crate) fn failures(&self) -> String {
        self.failing.join(", ")
    }

    /// Prints the final summary line.
    pub(crate) fn print(&self) {
        println!();
        let verdict = if self.all_passed() { "✓" } else { "✗" };
        println!(
            "{verdict} demo: {}/{} providers passed — {} steps ✓, {} ✗",
            self.passed_providers, self.providers, self.passed, self.failed
        );
    }
}
