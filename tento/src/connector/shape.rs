use std::fmt;

use crate::chrono::{DateRange, NaiveDate, today};

/// How a synced row is synced: its stages and the topology the orchestrator honours.
///
/// Build one with struct-update syntax so new fields keep old code compiling:
///
/// ```
/// # use tento::connector::SyncShape;
/// let shape = SyncShape { stages: &["viewport", "backfill"], ..Default::default() };
/// assert_eq!(shape.max_concurrent, None);
/// ```
#[derive(Clone, Copy)]
pub struct SyncShape {
    /// Stage names, run in this order.
    pub stages: &'static [&'static str],
    /// Whether a stage waits on the previous one's success.
    pub gating: Gating,
    /// What may not sync twice at once.
    pub locking: Locking,
    /// At most this many of the provider's rows sync at once (`None`: the orchestrator's
    /// own limit).
    pub max_concurrent: Option<usize>,
    /// Maps the row's lookup key to the key it locks and tracks state under, for rows
    /// that share an upstream feed (`None`: the lookup key itself).
    pub alias_key: Option<fn(&str) -> String>,
}

impl Default for SyncShape {
    fn default() -> Self {
        SyncShape {
            stages: &[],
            gating: Gating::Sequential,
            locking: Locking::Row,
            max_concurrent: None,
            alias_key: None,
        }
    }
}

impl SyncShape {
    /// The key the row locks and tracks state under.
    pub fn alias_key_for(&self, lookup_key: &str) -> String {
        match self.alias_key {
            Some(alias) => alias(lookup_key),
            None => lookup_key.to_owned(),
        }
    }
}

impl PartialEq for SyncShape {
    fn eq(&self, other: &Self) -> bool {
        let same_alias = match (self.alias_key, other.alias_key) {
            (None, None) => true,
            (Some(a), Some(b)) => std::ptr::fn_addr_eq(a, b),
            _ => false,
        };
        self.stages == other.stages
            && self.gating == other.gating
            && self.locking == other.locking
            && self.max_concurrent == other.max_concurrent
            && same_alias
    }
}

impl Eq for SyncShape {}

impl fmt::Debug for SyncShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncShape")
            .field("stages", &self.stages)
            .field("gating", &self.gating)
            .field("locking", &self.locking)
            .field("max_concurrent", &self.max_concurrent)
            .field("alias_key", &self.alias_key.map(|_| "fn(&str) -> String"))
            .finish()
    }
}

/// Whether a row's stages depend on each other.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Gating {
    /// A stage runs only when every earlier stage succeeded (the usual case: a backfill
    /// after a failed viewport sync would only fail the same way, slower).
    #[default]
    Sequential,
    /// Every stage runs whatever happened to the others.
    Independent,
}

/// What the orchestrator keeps from syncing twice at once. Locks are taken before a row
/// takes a concurrency slot, so a row waiting on its lock holds no slot; every lock but
/// `Provider` is per owner, so one user's rows never wait on another user's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Locking {
    /// One sync at a time per owner and row: the same user's row (by its alias key, so
    /// rows sharing a feed count as one) never runs twice at once; other users' rows
    /// under the same key, and the user's other rows, run alongside.
    #[default]
    Row,
    /// One sync at a time per owner and provider account (the `{authId}` of the key,
    /// `SyncProvider::account_key`): for APIs that rate-limit per account, a user's rows
    /// of one account run one after another; other accounts and other users run alongside.
    Account,
    /// One sync at a time across the whole provider, every user and account: only for
    /// APIs with one budget for the whole app. Prefer `Account`, or a cap
    /// (`max_concurrent`), which bound load without making users queue behind each other.
    Provider,
    /// No lock: the row's sync is idempotent and safe to overlap.
    None,
}

/// The date window a wearable-style row syncs in a stage, ending today (UTC).
///
/// | stage | window |
/// |---|---|
/// | `"viewport"` | the last 14 days: what a user sees first |
/// | `"recent"` | the last 3 days: cheap periodic refresh |
/// | `"backfill"` | the last 365 days |
/// | anything else | the viewport window |
pub fn wearable_window_for_stage(stage: &str) -> DateRange {
    wearable_window_for_stage_at(stage, today())
}

/// [`wearable_window_for_stage`] anchored on a given day, for tests and replays.
pub fn wearable_window_for_stage_at(stage: &str, today: NaiveDate) -> DateRange {
    let days = match stage {
        "recent" => 3,
        "backfill" => 365,
        _ => 14,
    };
    DateRange::ending(today, days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_segment(key: &str) -> String {
        key.split(':').take(3).collect::<Vec<_>>().join(":")
    }

    #[test]
    fn default_shape_is_sequential_row_locked_and_stageless() {
        let shape = SyncShape::default();
        assert!(shape.stages.is_empty());
        assert_eq!(shape.gating, Gating::Sequential);
        assert_eq!(shape.locking, Locking::Row);
        assert_eq!(shape.alias_key_for(":~p:a:rows"), ":~p:a:rows");
    }

    #[test]
    fn alias_key_maps_and_compares_by_function() {
        let shape = SyncShape {
            alias_key: Some(first_segment),
            ..Default::default()
        };
        assert_eq!(shape.alias_key_for(":~p:a:rows:logs"), ":~p:a");
        assert_eq!(shape, shape);
        assert_ne!(shape, SyncShape::default());
    }

    #[test]
    fn stage_windows_end_today() {
        let today = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        assert_eq!(wearable_window_for_stage_at("viewport", today).len_days(), 14);
        assert_eq!(wearable_window_for_stage_at("recent", today).len_days(), 3);
        assert_eq!(wearable_window_for_stage_at("backfill", today).len_days(), 365);
        assert_eq!(wearable_window_for_stage_at("other", today).len_days(), 14);
        assert_eq!(wearable_window_for_stage_at("backfill", today).end, today);
    }
}
