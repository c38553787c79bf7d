//! The retry policy, as a pure decision: given what happened to an attempt, try again or stop.

use std::time::Duration;

/// How an operation may be repeated, declared by the provider crate for each operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestKind {
    /// A read (GET, status query): repeating it changes nothing at the provider.
    Read,
    /// A write sent with an idempotency key the provider honours, the same key on every attempt.
    IdempotentWrite,
    /// A write without an honoured idempotency key: once it may have reached the provider it is
    /// never repeated; the caller gets [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown).
    Write,
}

impl RequestKind {
    fn may_repeat_after_sending(self) -> bool {
        !matches!(self, RequestKind::Write)
    }
}

/// What happened to one attempt, as far as the retry decision is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptClass {
    /// No connection was made: nothing left the machine.
    ConnectFailed,
    /// The TLS handshake failed (untrusted certificate, not a TLS server): nothing was sent,
    /// and trying again would fail the same way.
    TlsFailed,
    /// The attempt timed out after the request may have been sent.
    TimedOut,
    /// The connection broke after the request may have been sent (reset, truncated body).
    Broken,
    /// A complete response arrived.
    Status {
        /// Its HTTP status code.
        status: u16,
        /// Its `Retry-After`, if any.
        retry_after: Option<Duration>,
    },
    /// The response body was over the cap.
    TooLarge,
}

/// The verdict for one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then try again.
    Retry {
        /// The delay before the next attempt.
        after: Duration,
    },
    /// Return what this attempt produced.
    Stop,
}

/// Retry settings: how many times, and how long to wait.
///
/// The default is the shape of `docs/reliability.md` promise 2: two retries, exponential backoff from
/// 0.5 s doubling up to 5 s, each delay multiplied by a random factor in [0.5, 1] and never
/// below 0.5 s, and a `Retry-After` honoured up to 5 s (above that the call stops at once).
///
/// ```
/// use std::time::Duration;
/// use payments_common::http::RetryPolicy;
///
/// let policy = RetryPolicy::default();
/// assert_eq!(policy.max_retries, 2);
/// let none = RetryPolicy::never();
/// assert_eq!(none.max_retries, 0);
/// let fast = RetryPolicy::default().with_backoff(Duration::from_millis(5), Duration::from_millis(50));
/// assert_eq!(fast.max_backoff, Duration::from_millis(50));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt (so at most `1 + max_retries` attempts).
    pub max_retries: u32,
    /// The first delay, also the floor of every delay.
    pub initial_backoff: Duration,
    /// The largest delay between attempts.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured; a longer one stops the retries at once.
    pub retry_after_cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(5),
            retry_after_cap: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    ///
    /// ```
    /// assert_eq!(payments_common::http::RetryPolicy::never().max_retries, 0);
    /// ```
    pub fn never() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The same policy with another retry count.
    ///
    /// ```
    /// let p = payments_common::http::RetryPolicy::default().with_max_retries(5);
    /// assert_eq!(p.max_retries, 5);
    /// ```
    pub fn with_max_retries(self, max_retries: u32) -> Self {
        RetryPolicy {
            max_retries,
            ..self
        }
    }

    /// The same policy with other backoff bounds (tests use milliseconds).
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = payments_common::http::RetryPolicy::default()
    ///     .with_backoff(Duration::from_millis(1), Duration::from_millis(10));
    /// assert_eq!(p.initial_backoff, Duration::from_millis(1));
    /// ```
    pub fn with_backoff(self, initial: Duration, max: Duration) -> Self {
        RetryPolicy {
            initial_backoff: initial,
            max_backoff: max.max(initial),
            ..self
        }
    }

    /// The same policy with another `Retry-After` cap.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = payments_common::http::RetryPolicy::default().with_retry_after_cap(Duration::from_secs(2));
    /// assert_eq!(p.retry_after_cap, Duration::from_secs(2));
    /// ```
    pub fn with_retry_after_cap(self, cap: Duration) -> Self {
        RetryPolicy {
            retry_after_cap: cap,
            ..self
        }
    }

    /// The backoff before retry number `retry` (1-based), with `jitter_permille` in
    /// `500..=1000` standing for the random factor in [0.5, 1].
    ///
    /// ```
    /// use std::time::Duration;
    /// use payments_common::http::RetryPolicy;
    /// let p = RetryPolicy::default();
    /// assert_eq!(p.backoff(1, 1000), Duration::from_millis(500));
    /// assert_eq!(p.backoff(3, 1000), Duration::from_secs(2));
    /// assert_eq!(p.backoff(3, 500), Duration::from_secs(1));
    /// assert_eq!(p.backoff(10, 1000), Duration::from_secs(5));
    /// assert_eq!(p.backoff(1, 500), Duration::from_millis(500)); // the floor
    /// ```
    pub fn backoff(&self, retry: u32, jitter_permille: u16) -> Duration {
        let doublings = retry.saturating_sub(1).min(30);
        let base = self
            .initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff);
        let jitter = u128::from(jitter_permille.clamp(500, 1000));
        // In nanoseconds, so that no policy (`Duration::MAX` included) overflows.
        let nanos = base.as_nanos().saturating_mul(jitter) / 1000;
        let jittered =
            Duration::from_secs(u64::try_from(nanos / 1_000_000_000).unwrap_or(u64::MAX))
                + Duration::from_nanos(u64::try_from(nanos % 1_000_000_000).unwrap_or(0));
        jittered.max(self.initial_backoff)
    }
}

/// Decides whether attempt number `attempt` (1-based) of a `kind` request is followed by
/// another. Pure: the same inputs give the same answer (the jitter is an input).
///
/// Rules (`docs/reliability.md`, promise 2):
/// - nothing is retried once `1 + max_retries` attempts were made;
/// - a failed connection is retried for every kind (nothing was sent), a failed TLS handshake
///   is not (it would fail again);
/// - timeouts, broken connections, 5xx and 409 are retried for reads and keyed writes only;
/// - 429 and 503 are retried (reads and keyed writes) when `Retry-After` is within the cap;
///   a `Retry-After` above the cap stops at once; 429 without `Retry-After` is not retried;
/// - every other status, and an oversized body, is final.
///
/// ```
/// use std::time::Duration;
/// use payments_common::http::{decide, AttemptClass, Decision, RequestKind, RetryPolicy};
///
/// let p = RetryPolicy::default();
/// let timeout = AttemptClass::TimedOut;
/// assert!(matches!(decide(&p, RequestKind::Read, 1, timeout, 1000), Decision::Retry { .. }));
/// assert_eq!(decide(&p, RequestKind::Write, 1, timeout, 1000), Decision::Stop);
/// ```
pub fn decide(
    policy: &RetryPolicy,
    kind: RequestKind,
    attempt: u32,
    class: AttemptClass,
    jitter_permille: u16,
) -> Decision {
    if attempt > policy.max_retries {
        return Decision::Stop;
    }
    let backoff = policy.backoff(attempt, jitter_permille);
    let retry = Decision::Retry { after: backoff };
    match class {
        AttemptClass::ConnectFailed => retry,
        AttemptClass::TimedOut | AttemptClass::Broken if kind.may_repeat_after_sending() => retry,
        AttemptClass::Status {
            status,
            retry_after,
        } if kind.may_repeat_after_sending() => {
            let retryable_status = (500..=599).contains(&status) || status == 409 || status == 429;
            match retry_after {
                _ if !retryable_status => Decision::Stop,
                Some(wait) if wait > policy.retry_after_cap => Decision::Stop,
                Some(wait) => Decision::Retry {
                    after: backoff.max(wait),
                },
                None if status == 429 => Decision::Stop,
                None => retry,
            }
        }
        _ => Decision::Stop,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AttemptClass::*;
    use RequestKind::*;

    fn status(code: u16) -> AttemptClass {
        Status {
            status: code,
            retry_after: None,
        }
    }

    fn retries(kind: RequestKind, class: AttemptClass) -> bool {
        matches!(
            decide(&RetryPolicy::default(), kind, 1, class, 1000),
            Decision::Retry { .. }
        )
    }

    #[test]
    fn decision_table() {
        let after = |s| Some(Duration::from_secs(s));
        // (class, read, keyed write, unkeyed write)
        let table = [
            (ConnectFailed, true, true, true),
            (TlsFailed, false, false, false),
            (TimedOut, true, true, false),
            (Broken, true, true, false),
            (status(500), true, true, false),
            (status(502), true, true, false),
            (status(503), true, true, false),
            (status(504), true, true, false),
            (status(409), true, true, false),
            (status(429), false, false, false),
            (
                Status {
                    status: 429,
                    retry_after: after(1),
                },
                true,
                true,
                false,
            ),
            (
                Status {
                    status: 503,
                    retry_after: after(1),
                },
                true,
                true,
                false,
            ),
            (
                Status {
                    status: 503,
                    retry_after: after(6),
                },
                false,
                false,
                false,
            ),
            (status(200), false, false, false),
            (status(201), false, false, false),
            (status(204), false, false, false),
            (status(302), false, false, false),
            (status(400), false, false, false),
            (status(401), false, false, false),
            (status(403), false, false, false),
            (status(404), false, false, false),
            (status(422), false, false, false),
            (TooLarge, false, false, false),
        ];
        for (class, read, keyed, unkeyed) in table {
            assert_eq!(retries(Read, class), read, "read {class:?}");
            assert_eq!(retries(IdempotentWrite, class), keyed, "keyed {class:?}");
            assert_eq!(retries(Write, class), unkeyed, "unkeyed {class:?}");
        }
    }

    #[test]
    fn stops_after_max_retries() {
        let p = RetryPolicy::default();
        assert!(matches!(
            decide(&p, Read, 2, TimedOut, 1000),
            Decision::Retry { .. }
        ));
        assert_eq!(decide(&p, Read, 3, TimedOut, 1000), Decision::Stop);
        assert_eq!(
            decide(&RetryPolicy::never(), Read, 1, ConnectFailed, 1000),
            Decision::Stop
        );
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let p = RetryPolicy::default();
        let class = Status {
            status: 503,
            retry_after: Some(Duration::from_secs(3)),
        };
        assert_eq!(
            decide(&p, Read, 1, class, 1000),
            Decision::Retry {
                after: Duration::from_secs(3)
            }
        );
        let short = Status {
            status: 503,
            retry_after: Some(Duration::ZERO),
        };
        assert_eq!(
            decide(&p, Read, 1, short, 1000),
            Decision::Retry {
                after: Duration::from_millis(500)
            }
        );
    }

    #[test]
    fn backoff_grows_caps_and_jitters_within_bounds() {
        let p = RetryPolicy::default();
        let expected_ms = [500, 1000, 2000, 4000, 5000, 5000];
        for (i, ms) in expected_ms.iter().enumerate() {
            let retry = u32::try_from(i).unwrap() + 1;
            assert_eq!(p.backoff(retry, 1000), Duration::from_millis(*ms));
            let low = p.backoff(retry, 500);
            assert!(low >= Duration::from_millis(500) && low <= Duration::from_millis(*ms));
        }
        assert_eq!(p.backoff(u32::MAX, 1000), Duration::from_secs(5));
        assert_eq!(
            p.backoff(2, 0),
            p.backoff(2, 500),
            "jitter is clamped to [0.5, 1]"
        );
    }

    #[test]
    fn an_overflowing_retry_after_is_above_the_cap_and_stops() {
        let p = RetryPolicy::default();
        for status in [429, 503] {
            let class = Status {
                status,
                retry_after: Some(Duration::from_secs(u64::MAX)),
            };
            for kind in [Read, IdempotentWrite, Write] {
                assert_eq!(decide(&p, kind, 1, class, 1000), Decision::Stop, "{status}");
            }
        }
        // Even with no cap at all, the delay is what was asked, without overflow.
        let uncapped = RetryPolicy::default().with_retry_after_cap(Duration::MAX);
        let class = Status {
            status: 503,
            retry_after: Some(Duration::from_secs(u64::MAX)),
        };
        assert_eq!(
            decide(&uncapped, Read, 1, class, 1000),
            Decision::Retry {
                after: Duration::from_secs(u64::MAX)
            }
        );
    }

    #[test]
    fn extreme_backoff_policies_never_overflow() {
        for (initial, max) in [
            (Duration::MAX, Duration::MAX),
            (Duration::ZERO, Duration::MAX),
            (Duration::ZERO, Duration::ZERO),
            (Duration::from_secs(u64::MAX / 2), Duration::MAX),
        ] {
            let p = RetryPolicy::default().with_backoff(initial, max);
            for retry in [1, 2, 31, u32::MAX] {
                for jitter in [0, 500, 750, 1000, u16::MAX] {
                    let b = p.backoff(retry, jitter);
                    assert!(
                        b >= initial && b <= max.max(initial),
                        "{initial:?} {max:?} {b:?}"
                    );
                }
            }
        }
        assert_eq!(
            RetryPolicy::default()
                .with_backoff(Duration::MAX, Duration::MAX)
                .backoff(1, 1000),
            Duration::MAX
        );
    }
}
