//! A per-account rate limit: at most `requests` per `period`, spaced evenly.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;

use tokio::time::Instant;

/// A rate limit a provider declares ("10 requests per second per account"), shared by
/// every client of one account in the process.
///
/// Requests are spaced `period / requests` apart (a leaky bucket with no burst), so no
/// window of `period` sees more than the limit, however many syncs of the account run.
/// Every attempt counts, retries included.
#[derive(Debug)]
pub struct RateLimit {
    interval: Duration,
    next: Mutex<Instant>,
}

impl RateLimit {
    /// A limit of `requests` per `period` of its own (not shared). A limit of zero
    /// requests is read as one: a limit that lets nothing through would hang every sync.
    pub fn new(requests: u32, period: Duration) -> Arc<Self> {
        Arc::new(RateLimit {
            interval: period / requests.max(1),
            next: Mutex::new(Instant::now()),
        })
    }

    /// The limit for `account` (a key such as `"<provider>:<auth id>"`): every caller
    /// with the same key while one is alive shares one limit, so concurrent syncs of an
    /// account together stay under it. The first caller's `requests`/`period` win.
    pub fn per_account(account: &str, requests: u32, period: Duration) -> Arc<Self> {
        static LIMITS: OnceLock<Mutex<HashMap<String, Weak<RateLimit>>>> = OnceLock::new();
        let mut limits = LIMITS
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(limit) = limits.get(account).and_then(Weak::upgrade) {
            return limit;
        }
        // Forget accounts no client holds any more, so the table does not grow forever.
        limits.retain(|_, w| w.strong_count() > 0);
        let limit = Self::new(requests, period);
        limits.insert(account.to_owned(), Arc::downgrade(&limit));
        limit
    }

    /// The spacing between two requests.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Waits for this request's slot.
    pub async fn acquire(&self) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            let slot = (*next).max(Instant::now());
            *next = slot + self.interval;
            slot
        };
        // A slot already due is taken at once: tokio's timer rounds any sleep up to its
        // next millisecond tick, which would cap a fast limit at a request a millisecond.
        if slot > Instant::now() {
            tokio::time::sleep_until(slot).await;
        }
    }
}
