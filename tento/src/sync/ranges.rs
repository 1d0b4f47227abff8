//! What a row holds, as a set of day ranges: syncing January and then March leaves
//! February missing, not covered. Providers revise recent days, so a [`Lookback`]
//! fetches them again; an API that can list changes asks with an `updated_since` cursor.

use ::chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::chrono::DateRange;

/// The days synced, as sorted ranges that neither overlap nor touch: inserting a range
/// merges it with every range it overlaps or is adjacent to, and the gaps stay missing.
///
/// ```
/// # use tento::chrono::{DateRange, NaiveDate};
/// # use tento::sync::SyncedRanges;
/// let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
/// let mut synced = SyncedRanges::new();
/// synced.insert(DateRange::new(d(1, 1), d(1, 31)));
/// synced.insert(DateRange::new(d(3, 1), d(3, 31)));
/// let february = DateRange::new(d(2, 1), d(2, 29));
/// assert_eq!(synced.missing(DateRange::new(d(1, 1), d(3, 31))), [february]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredRanges", into = "Vec<DateRange>")]
pub struct SyncedRanges {
    ranges: Vec<DateRange>,
}

impl SyncedRanges {
    /// No day synced.
    pub fn new() -> Self {
        Self::default()
    }

    /// The ranges, oldest first, disjoint and not adjacent.
    pub fn ranges(&self) -> &[DateRange] {
        &self.ranges
    }

    /// Whether no day is synced.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Records `range` as synced.
    pub fn insert(&mut self, range: DateRange) {
        let range = DateRange::new(range.start, range.end);
        // Ranges strictly before `range`, not even touching it, stay; so do those after.
        let before = self
            .ranges
            .partition_point(|r| next_day(r.end).is_some_and(|n| n < range.start));
        let after = self
            .ranges
            .partition_point(|r| r.start <= next_day(range.end).unwrap_or(NaiveDate::MAX));
        let merged = self.ranges[before..after].iter().fold(range, |acc, r| {
            DateRange::new(acc.start.min(r.start), acc.end.max(r.end))
        });
        self.ranges.splice(before..after, [merged]);
    }

    /// Forgets `range`: its days are missing again (how a lookback re-fetches them).
    pub fn remove(&mut self, range: DateRange) {
        let range = DateRange::new(range.start, range.end);
        let mut kept = Vec::with_capacity(self.ranges.len() + 1);
        for r in self.ranges.drain(..) {
            if r.end < range.start || range.end < r.start {
                kept.push(r);
                continue;
            }
            if let Some(end) = range.start.pred_opt().filter(|_| r.start < range.start) {
                kept.push(DateRange::new(r.start, end));
            }
            if let Some(start) = next_day(range.end).filter(|_| range.end < r.end) {
                kept.push(DateRange::new(start, r.end));
            }
        }
        self.ranges = kept;
    }

    /// Whether every day of `range` is synced.
    pub fn covers(&self, range: DateRange) -> bool {
        self.missing(range).is_empty()
    }

    /// The parts of `window` not synced, oldest first.
    pub fn missing(&self, window: DateRange) -> Vec<DateRange> {
        let window = DateRange::new(window.start, window.end);
        let mut gaps = Vec::new();
        let mut from = Some(window.start);
        for r in &self.ranges {
            let Some(start) = from else { break };
            if r.end < start {
                continue;
            }
            if window.end < r.start {
                break;
            }
            if start < r.start {
                gaps.push(DateRange::new(start, r.start.pred_opt().unwrap_or(r.start)));
            }
            from = next_day(r.end);
        }
        if let Some(start) = from.filter(|s| *s <= window.end) {
            gaps.push(DateRange::new(start, window.end));
        }
        gaps
    }

    /// What to fetch of `window` on `today`: the missing parts, and the last
    /// `lookback` days again, since providers revise them.
    pub fn to_fetch(&self, window: DateRange, lookback: Lookback, today: NaiveDate) -> Vec<DateRange> {
        match lookback.recent(today) {
            Some(recent) => {
                let mut stale = self.clone();
                stale.remove(recent);
                stale.missing(window)
            }
            None => self.missing(window),
        }
    }
}

fn next_day(d: NaiveDate) -> Option<NaiveDate> {
    d.succ_opt()
}

/// How many of the most recent days to fetch again on every sync, because providers
/// still revise them (late uploads, recomputed totals). `Lookback::NONE` trusts every
/// synced day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Lookback {
    /// The number of days, today included.
    pub days: u32,
}

impl Lookback {
    /// No lookback.
    pub const NONE: Lookback = Lookback { days: 0 };

    /// The last `days` days, today included.
    pub const fn days(days: u32) -> Self {
        Lookback { days }
    }

    /// The days it covers on `today`, `None` for no lookback.
    pub fn recent(&self, today: NaiveDate) -> Option<DateRange> {
        let days = self.days.checked_sub(1)?;
        let start = today
            .checked_sub_days(Days::new(days.into()))
            .unwrap_or(NaiveDate::MIN);
        Some(DateRange::new(start, today))
    }
}

/// A row's sync progress: the days fetched and, for APIs that list what changed, the
/// `updated_since` cursor to ask from next time. Serializes as a row's sync state does.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncProgress {
    /// The days synced.
    #[serde(default)]
    pub synced: SyncedRanges,
    /// The newest change seen; the next sync asks for changes since then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_since: Option<DateTime<Utc>>,
}

impl SyncProgress {
    /// Moves the cursor to `seen` if it is newer. A cursor never goes back, so a page
    /// that arrives out of order cannot make the next sync ask again for what it has.
    pub fn saw_update(&mut self, seen: DateTime<Utc>) {
        if self.updated_since.is_none_or(|at| at < seen) {
            self.updated_since = Some(seen);
        }
    }
}

/// The stored shapes a [`SyncedRanges`] reads: a list of ranges (what it writes), or
/// the single min–max span older states held. Either way the ranges are normalised.
#[derive(Deserialize)]
#[serde(untagged)]
enum StoredRanges {
    Ranges(Vec<StoredRange>),
    Span(Option<StoredRange>),
}

/// A stored range's ends, read as they are: a `DateRange` refuses ends out of order,
/// but a row's state written so (by hand, or by an older bug) is put in order rather
/// than left unreadable, which would stop the row syncing.
#[derive(Deserialize)]
struct StoredRange {
    start: crate::chrono::NaiveDate,
    end: crate::chrono::NaiveDate,
}

impl From<StoredRange> for DateRange {
    fn from(StoredRange { start, end }: StoredRange) -> Self {
        DateRange::new(start, end)
    }
}

impl From<StoredRanges> for SyncedRanges {
    fn from(stored: StoredRanges) -> Self {
        let mut ranges = SyncedRanges::new();
        match stored {
            StoredRanges::Ranges(list) => list.into_iter().for_each(|r| ranges.insert(r.into())),
            StoredRanges::Span(span) => span.into_iter().for_each(|r| ranges.insert(r.into())),
        }
        ranges
    }
}

impl From<SyncedRanges> for Vec<DateRange> {
    fn from(ranges: SyncedRanges) -> Self {
        ranges.ranges
    }
}
