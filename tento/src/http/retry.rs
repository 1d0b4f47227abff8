//! When to send a request again, and how long to wait first.

use std::time::{Duration, SystemTime};

/// The retry layer's policy: which failures are retried (`429`, `5xx`, connection errors,
/// timeouts, truncated bodies) and its budget.
///
/// The wait before attempt `n + 1` is the API's `Retry-After` when it sends one (seconds
/// or an HTTP date), else `base_delay · 2ⁿ⁻¹` capped at `max_delay`, with jitter (a
/// random point in its upper half) so many clients that failed together do not retry
/// together. A request is given up, with
/// [`BudgetExhausted`](super::HttpErrorKind::BudgetExhausted), when `max_attempts` are
/// spent or the next wait would end past `max_elapsed`; a `Retry-After` longer than
/// `max_retry_after` fails at once rather than sleeping.
///
/// `5xx`, connection errors and timeouts are retried only for idempotent methods (a
/// `POST` may have been applied); `429` is retried for every method, since the API says
/// it did not process the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retry {
    /// Attempts in all, the first included (1 = no retry).
    pub max_attempts: u32,
    /// The first backoff.
    pub base_delay: Duration,
    /// The longest backoff.
    pub max_delay: Duration,
    /// The most time a request may take, its retries and waits included.
    pub max_elapsed: Duration,
    /// The longest `Retry-After` honoured; a longer one fails the request.
    pub max_retry_after: Duration,
}

impl Default for Retry {
    /// Five attempts, backoff from half a second to thirty, two minutes in all, and a
    /// `Retry-After` of up to a minute honoured.
    fn default() -> Self {
        Retry {
            max_attempts: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(120),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl Retry {
    /// No retries: every failure is returned as it happens.
    pub fn never() -> Self {
        Retry {
            max_attempts: 1,
            ..Retry::default()
        }
    }

    /// The jittered backoff after failed attempt `attempt` (1-based).
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32.checked_shl(attempt.saturating_sub(1)).unwrap_or(u32::MAX))
            .min(self.max_delay);
        // "Equal jitter": half fixed, half random, so a wait never collapses to zero.
        let half = exp / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

/// Whether a response with `status` is worth sending again.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    status == 429 || (500..600).contains(&status) && status != 501
}

/// The wait a `Retry-After` value asks for, as of `now`: delay-seconds, or an HTTP date
/// (a date in the past means "now"). `None` for a value that is neither.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(90));
        assert_eq!(parse_retry_after(&later, now), Some(Duration::from_secs(90)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(90));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }

    #[test]
    fn backoff_grows_is_capped_and_keeps_half() {
        let r = Retry {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
            ..Retry::default()
        };
        for _ in 0..100 {
            let first = r.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let third = r.backoff(3);
            assert!(third >= Duration::from_millis(175) && third <= Duration::from_millis(350));
            assert!(r.backoff(40) <= Duration::from_millis(350));
        }
    }

    #[test]
    fn statuses_worth_retrying() {
        assert!(is_retryable_status(429));
        assert!(is_retryable_status(503));
        assert!(is_retryable_status(500));
        assert!(!is_retryable_status(501));
        assert!(!is_retryable_status(404));
        assert!(!is_retryable_status(401));
    }
}
