use serde::{Deserialize, Serialize};
use tento::chrono::{DateRange, NaiveDate};

/// What the executor remembers of a row between syncs: which days it holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowSyncState {
    /// The contiguous span of days synced so far.
    pub synced: Option<DateRange>,
    /// The last stage that completed.
    pub last_stage: Option<String>,
    /// Cells persisted over the row's life.
    pub cells: usize,
}

impl RowSyncState {
    /// The parts of `wanted` not synced yet, oldest first (none, one or two ranges).
    pub fn missing(&self, wanted: DateRange) -> Vec<DateRange> {
        let Some(have) = self.synced else {
            return vec![wanted];
        };
        if have.end < wanted.start || wanted.end < have.start {
            return vec![wanted];
        }
        let mut parts = Vec::new();
        if wanted.start < have.start {
            parts.push(DateRange::new(wanted.start, day_before(have.start)));
        }
        if have.end < wanted.end {
            parts.push(DateRange::new(day_after(have.end), wanted.end));
        }
        parts
    }

    /// Records that `range` was synced in `stage`, persisting `cells` cells.
    ///
    /// A range touching the synced span extends it; a disjoint one replaces it when
    /// newer, since the executor always syncs up to today.
    pub fn record(&mut self, stage: &str, range: DateRange, cells: usize) {
        self.synced = Some(match self.synced {
            Some(have) if range.start <= day_after(have.end) && have.start <= day_after(range.end) => {
                DateRange::new(have.start.min(range.start), have.end.max(range.end))
            }
            Some(have) if range.end < have.start => have,
            _ => range,
        });
        self.last_stage = Some(stage.to_owned());
        self.cells += cells;
    }
}

fn day_before(d: NaiveDate) -> NaiveDate {
    d.pred_opt().unwrap_or(d)
}

fn day_after(d: NaiveDate) -> NaiveDate {
    d.succ_opt().unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(a: u32, b: u32) -> DateRange {
        let d = |day| NaiveDate::from_ymd_opt(2024, 5, day).unwrap();
        DateRange::new(d(a), d(b))
    }

    #[test]
    fn missing_is_what_the_synced_span_does_not_cover() {
        let mut s = RowSyncState::default();
        assert_eq!(s.missing(r(1, 31)), vec![r(1, 31)]);
        s.record("viewport", r(18, 31), 10);
        assert_eq!(s.missing(r(1, 31)), vec![r(1, 17)]);
        assert_eq!(s.missing(r(20, 31)), vec![]);
        assert_eq!(s.missing(r(1, 5)), vec![r(1, 5)]);
        s.record("backfill", r(1, 17), 12);
        assert_eq!(s.synced, Some(r(1, 31)));
        assert_eq!(s.cells, 22);
        assert_eq!(s.last_stage.as_deref(), Some("backfill"));
    }

    #[test]
    fn a_disjoint_older_range_does_not_replace_the_span() {
        let mut s = RowSyncState::default();
        s.record("viewport", r(20, 31), 1);
        s.record("backfill", r(1, 5), 1);
        assert_eq!(s.synced, Some(r(20, 31)));
        s.record("viewport", r(1, 19), 1);
        assert_eq!(s.synced, Some(r(1, 31)));
    }
}
