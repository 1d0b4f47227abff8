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

    /// What may not sync twice at once.
    fn locking(&self) -> Locking {
        Locking::Row
    }

    /// At most this many of the provider's rows at once; `None` leaves it to the
    /// orchestrator's own limit.
    fn max_concurrent(&self) -> Option<usize> {
        None
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
