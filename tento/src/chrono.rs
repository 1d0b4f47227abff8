//! Dates as providers report them: sometimes a day, sometimes only a month or a year.
//!
//! Built on the [`chrono`](https://docs.rs/chrono) crate, whose `NaiveDate` is re-exported here so a
//! provider needs no direct dependency for the common case; `DateTime` and `Utc` too, the
//! type of an OAuth token's expiry ([`TokenSet::expires_at`](crate::oauth::TokenSet::expires_at)).

use std::fmt;

pub use ::chrono::{DateTime, NaiveDate, Utc};
use ::chrono::{Datelike, Days};
use serde::{Deserialize, Serialize};

/// A calendar date known only to some precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartialDate {
    /// A whole year.
    Y(i32),
    /// A month of a year (`1..=12`).
    Ym(i32, u32),
    /// A single day.
    Ymd(NaiveDate),
}

impl PartialDate {
    /// The first day the partial date covers (`Y(2024)` → 2024-01-01).
    ///
    /// Returns `None` for a month outside `1..=12`.
    pub fn first_day(&self) -> Option<NaiveDate> {
        match *self {
            PartialDate::Y(y) => NaiveDate::from_ymd_opt(y, 1, 1),
            PartialDate::Ym(y, m) => NaiveDate::from_ymd_opt(y, m, 1),
            PartialDate::Ymd(d) => Some(d),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartialDate::Y(y) => write!(f, "{y:04}"),
            PartialDate::Ym(y, m) => write!(f, "{y:04}-{m:02}"),
            PartialDate::Ymd(d) => write!(f, "{d}"),
        }
    }
}

/// A point in time as a cell carries it: either a partial calendar date or an exact
/// instant. Cells sort by it, so both kinds order by the first moment they cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SemanticTime {
    /// A calendar date, possibly partial.
    Date(PartialDate),
    /// An exact instant.
    Instant(DateTime<Utc>),
}

impl SemanticTime {
    /// The time of a date a provider reported with the given precision.
    pub fn from_partial(date: PartialDate) -> Self {
        SemanticTime::Date(date)
    }

    /// The time of an exact instant.
    pub fn from_instant(at: DateTime<Utc>) -> Self {
        SemanticTime::Instant(at)
    }

    /// The calendar day this time starts on, if it has one.
    pub fn day(&self) -> Option<NaiveDate> {
        match self {
            SemanticTime::Date(d) => d.first_day(),
            SemanticTime::Instant(t) => Some(t.date_naive()),
        }
    }
}

impl PartialOrd for SemanticTime {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SemanticTime {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Order by the first day covered, then by precision-bearing detail, so the
        // order is total and agrees with `Eq`.
        let key = |t: &SemanticTime| match t {
            SemanticTime::Date(d) => (d.first_day(), 0, None, Some(*d)),
            SemanticTime::Instant(i) => (Some(i.date_naive()), 1, Some(*i), None),
        };
        key(self).cmp(&key(other))
    }
}

/// An inclusive range of calendar days, as stages and sync windows use.
///
/// Its start is never after its end: [`DateRange::new`] swaps ends given backwards, and
/// deserializing refuses them, since a stored range that runs backwards is corrupt data
/// rather than a range someone meant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RangeEnds")]
pub struct DateRange {
    /// First day, inclusive.
    pub start: NaiveDate,
    /// Last day, inclusive.
    pub end: NaiveDate,
}

impl DateRange {
    /// The range `start..=end`; the ends are swapped when given backwards.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Self {
        if start <= end {
            DateRange { start, end }
        } else {
            DateRange {
                start: end,
                end: start,
            }
        }
    }

    /// The `days` days ending on `end` (at least one day).
    pub fn ending(end: NaiveDate, days: u64) -> Self {
        let start = end
            .checked_sub_days(Days::new(days.saturating_sub(1)))
            .unwrap_or(NaiveDate::MIN);
        DateRange { start, end }
    }

    /// Whether `day` falls in the range.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }

    /// Number of days in the range.
    pub fn len_days(&self) -> u64 {
        (self.end - self.start).num_days().unsigned_abs() + 1
    }

    /// Every day in the range, in order.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let end = self.end;
        self.start.iter_days().take_while(move |d| *d <= end)
    }

    /// Whether a cell time falls in the range (by the day it starts on).
    pub fn contains_time(&self, t: &SemanticTime) -> bool {
        t.day().is_some_and(|d| self.contains(d))
    }

    /// The year of the range's first day, a common partition key for providers.
    pub fn start_year(&self) -> i32 {
        self.start.year()
    }
}

/// A [`DateRange`]'s fields as stored, before the order of its ends is checked.
#[derive(Deserialize)]
struct RangeEnds {
    start: NaiveDate,
    end: NaiveDate,
}

impl TryFrom<RangeEnds> for DateRange {
    type Error = String;

    fn try_from(RangeEnds { start, end }: RangeEnds) -> Result<Self, String> {
        if start <= end {
            Ok(DateRange { start, end })
        } else {
            Err(format!(
                "a date range starts on {start}, after it ends on {end}: store its ends in order"
            ))
        }
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..={}", self.start, self.end)
    }
}

/// Today's date in UTC, the anchor of every stage window.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn partial_dates_start_on_their_first_day() {
        assert_eq!(PartialDate::Y(2024).first_day(), Some(d(2024, 1, 1)));
        assert_eq!(PartialDate::Ym(2024, 2).first_day(), Some(d(2024, 2, 1)));
        assert_eq!(PartialDate::Ym(2024, 13).first_day(), None);
        assert_eq!(PartialDate::Ymd(d(2024, 2, 29)).to_string(), "2024-02-29");
        assert_eq!(PartialDate::Ym(2024, 2).to_string(), "2024-02");
    }

    #[test]
    fn semantic_times_order_by_first_day() {
        let year = SemanticTime::from_partial(PartialDate::Y(2024));
        let march = SemanticTime::from_partial(PartialDate::Ymd(d(2024, 3, 1)));
        let instant = SemanticTime::from_instant(d(2024, 3, 1).and_hms_opt(8, 0, 0).unwrap().and_utc());
        assert!(year < march);
        assert!(march < instant);
        assert_eq!(instant.day(), Some(d(2024, 3, 1)));
    }

    #[test]
    fn ranges_are_inclusive_and_normalised() {
        let r = DateRange::new(d(2024, 1, 10), d(2024, 1, 1));
        assert_eq!(r.start, d(2024, 1, 1));
        assert_eq!(r.len_days(), 10);
        assert_eq!(r.days().count(), 10);
        assert!(r.contains(d(2024, 1, 10)));
        assert!(!r.contains(d(2024, 1, 11)));
        assert_eq!(DateRange::ending(d(2024, 1, 10), 1).start, d(2024, 1, 10));
        assert_eq!(DateRange::ending(d(2024, 1, 10), 0).len_days(), 1);
    }

    #[test]
    fn semantic_time_round_trips_through_json() {
        let t = SemanticTime::from_partial(PartialDate::Ymd(d(2024, 5, 6)));
        let json = serde_json::to_value(t).unwrap();
        assert_eq!(json, serde_json::json!({"date": {"ymd": "2024-05-06"}}));
        assert_eq!(serde_json::from_value::<SemanticTime>(json).unwrap(), t);
    }

    #[test]
    fn a_range_deserialized_backwards_is_refused_and_a_forward_one_round_trips() {
        let backwards = serde_json::json!({"start": "2024-01-10", "end": "2024-01-01"});
        let err = serde_json::from_value::<DateRange>(backwards).unwrap_err();
        assert!(
            err.to_string()
                .contains("starts on 2024-01-10, after it ends on 2024-01-01"),
            "{err}"
        );
        let r = DateRange::new(d(2024, 1, 1), d(2024, 1, 10));
        let json = serde_json::to_value(r).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"start": "2024-01-01", "end": "2024-01-10"})
        );
        assert_eq!(serde_json::from_value::<DateRange>(json).unwrap(), r);
        let one_day = serde_json::json!({"start": "2024-01-01", "end": "2024-01-01"});
        assert_eq!(
            serde_json::from_value::<DateRange>(one_day).unwrap().len_days(),
            1
        );
    }
}
