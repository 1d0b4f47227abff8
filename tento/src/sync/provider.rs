use std::time::Duration;

use crate::chrono::DateRange;
use crate::connector::{Gating, Locking, SyncShape, wearable_window_for_stage};

use super::SyncJob;

/// A provider's sync topology: stages, gating, locking, concurrency, alias key and each
/// stage's date range. Implemented in a provider's `sync_plugin/provider.rs`, or by a
/// row's [`SyncShape`].
pub trait SyncProvider: Send + Sync {
    /// Stage names, run in this order.
    fn stages(&self) -> &'static [&'static str];

    /// Whether a stage waits on the previous one's success.
    fn gating(&self) -> Gating {
        Gating::Sequential
    }

    /// Whether `stage` should run for `job` now; `false` skips it (a backfill that is
    /// already complete, a stage behind a feature flag).
    fn gate(&self, stage: &str, job: &SyncJob) -> bool {
        let _ = (stage, job);
        true
    }

    /// What may not sync twice at once; each [`Locking`] says what it serializes.
    fn locking(&self) -> Locking {
        Locking::Row
    }

    /// At most this many of the provider's rows at once, across its rows and users;
    /// `None` leaves it to the orchestrator's own limit. `Some(0)` is refused (each of
    /// the row's jobs reports why), and a cap above what a semaphore can count is clamped.
    ///
    /// The cap is the provider's, not one row's: when its registered rows declare
    /// different caps, the smallest holds for all of them, and registering a row again
    /// replaces that row's declaration, so the cap follows the current registrations
    /// whatever their order.
    fn max_concurrent(&self) -> Option<usize> {
        None
    }

    /// How long `stage` may run before it is cut off and reported as timed out; `None`
    /// takes the orchestrator's default ([`Orchestrator::with_stage_timeout`](super::Orchestrator::with_stage_timeout)).
    /// `Some(Duration::ZERO)` is refused, like a zero cap.
    fn stage_timeout(&self, stage: &str) -> Option<Duration> {
        let _ = stage;
        None
    }

    /// The account a row syncs through, for [`Locking::Account`]: by default the lookup
    /// key's provider and first segment after it (`:~whoop:abc123` of
    /// `:~whoop:abc123:sleep`), which is the `{authId}` in the usual key shape.
    fn account_key(&self, lookup_key: &str) -> String {
        let end = lookup_key
            .match_indices(':')
            .nth(2)
            .map_or(lookup_key.len(), |(i, _)| i);
        lookup_key[..end].to_owned()
    }

    /// The key a row locks and tracks state under; rows sharing an upstream feed return
    /// the same one.
    fn alias_key(&self, lookup_key: &str) -> String {
        lookup_key.to_owned()
    }

    /// The date range `stage` covers, handed to the executor.
    fn stage_key_range(&self, stage: &str) -> Option<DateRange> {
        Some(wearable_window_for_stage(stage))
    }
}

/// A row's declared shape is a complete topology: rows without a `sync_plugin` register
/// with `Arc::new(Row::sync_shape().unwrap())`.
impl SyncProvider for SyncShape {
    fn stages(&self) -> &'static [&'static str] {
        self.stages
    }

    fn gating(&self) -> Gating {
        self.gating
    }

    fn locking(&self) -> Locking {
        self.locking
    }

    fn max_concurrent(&self) -> Option<usize> {
        self.max_concurrent
    }

    fn alias_key(&self, lookup_key: &str) -> String {
        self.alias_key_for(lookup_key)
    }
}
