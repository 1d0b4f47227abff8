use serde::{Deserialize, Serialize};
use tento::chrono::DateRange;
use tento::sync::SyncedRanges;

/// What the executor remembers of a row between syncs: which days it holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowSyncState {
    /// The days synced so far; a gap between two synced ranges stays missing.
    #[serde(default)]
    pub synced: SyncedRanges,
    /// The last stage that completed.
    pub last_stage: Option<String>,
    /// Cells persisted over the row's life.
    pub cells: usize,
}

impl RowSyncState {
    /// The parts of `wanted` not synced yet, oldest first.
    pub fn missing(&self, wanted: DateRange) -> Vec<DateRange> {
        self.synced.missing(wanted)
    }

    /// Records that `range` was synced in `stage`, persisting `cells` cells.
    pub fn record(&mut self, stage: &str, range: DateRange, cells: usize) {
        self.synced.insert(range);
        self.last_stage = Some(stage.to_owned());
        self.cells += cells;
    }
}

#[cfg(test)]
mod tests {
    use tento::chrono::NaiveDate;

    use super::*;

    fn r(a: u32, b: u32) -> DateRange {
        let d = |day| NaiveDate::from_ymd_opt(2024, 5, day).unwrap();
        DateRange::new(d(a), d(b))
    }

    #[test]
    fn missing_is_what_the_synced_ranges_do_not_cover() {
        let mut s = RowSyncState::default();
        assert_eq!(s.missing(r(1, 31)), vec![r(1, 31)]);
        s.record("viewport", r(18, 31), 10);
        assert_eq!(s.missing(r(1, 31)), vec![r(1, 17)]);
        assert_eq!(s.missing(r(20, 31)), vec![]);
        assert_eq!(s.missing(r(1, 5)), vec![r(1, 5)]);
        s.record("backfill", r(1, 17), 12);
        assert_eq!(s.synced.ranges(), [r(1, 31)]);
        assert_eq!(s.cells, 22);
        assert_eq!(s.last_stage.as_deref(), Some("backfill"));
    }

    #[test]
    fn a_disjoint_older_range_is_kept_and_the_gap_stays_missing() {
        let mut s = RowSyncState::default();
        s.record("viewport", r(20, 31), 1);
        s.record("backfill", r(1, 5), 1);
        assert_eq!(s.synced.ranges(), [r(1, 5), r(20, 31)]);
        assert_eq!(s.missing(r(1, 31)), vec![r(6, 19)]);
        s.record("viewport", r(6, 19), 1);
        assert_eq!(s.synced.ranges(), [r(1, 31)]);
    }
}
