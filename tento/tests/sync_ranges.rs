//! Synced ranges: gaps stay missing, overlapping and adjacent ranges merge, a lookback
//! fetches recent days again, and the state survives a round trip through JSON.

use std::collections::BTreeSet;

use proptest::prelude::*;
use tento::chrono::{DateRange, NaiveDate};
use tento::sync::{Lookback, SyncProgress, SyncedRanges};

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, m, day).unwrap()
}

fn r(a: NaiveDate, b: NaiveDate) -> DateRange {
    DateRange::new(a, b)
}

#[test]
fn january_then_march_leaves_february_unsynced() {
    let mut synced = SyncedRanges::new();
    synced.insert(r(d(1, 1), d(1, 31)));
    synced.insert(r(d(3, 1), d(3, 31)));
    assert_eq!(synced.ranges(), [r(d(1, 1), d(1, 31)), r(d(3, 1), d(3, 31))]);
    assert!(!synced.covers(r(d(1, 1), d(3, 31))));
    assert!(!synced.covers(r(d(2, 10), d(2, 10))));
    assert!(synced.covers(r(d(3, 5), d(3, 9))));
    assert_eq!(synced.missing(r(d(1, 1), d(3, 31))), [r(d(2, 1), d(2, 29))]);
    assert_eq!(
        synced.missing(r(d(1, 20), d(4, 2))),
        [r(d(2, 1), d(2, 29)), r(d(4, 1), d(4, 2))]
    );
    synced.insert(r(d(2, 1), d(2, 29)));
    assert_eq!(synced.ranges(), [r(d(1, 1), d(3, 31))]);
}

#[test]
fn adjacent_and_overlapping_ranges_merge_and_a_range_can_bridge_several() {
    let mut synced = SyncedRanges::new();
    synced.insert(r(d(1, 1), d(1, 10)));
    synced.insert(r(d(1, 11), d(1, 20)));
    assert_eq!(synced.ranges(), [r(d(1, 1), d(1, 20))], "adjacent days merge");
    synced.insert(r(d(1, 15), d(1, 25)));
    assert_eq!(synced.ranges(), [r(d(1, 1), d(1, 25))], "overlaps merge");
    synced.insert(r(d(2, 1), d(2, 5)));
    synced.insert(r(d(2, 10), d(2, 15)));
    synced.insert(r(d(1, 27), d(2, 12)));
    assert_eq!(synced.ranges(), [r(d(1, 1), d(1, 25)), r(d(1, 27), d(2, 15))]);
    synced.insert(r(d(1, 26), d(1, 26)));
    assert_eq!(synced.ranges(), [r(d(1, 1), d(2, 15))]);
}

#[test]
fn a_lookback_fetches_the_last_days_again() {
    let mut synced = SyncedRanges::new();
    synced.insert(r(d(1, 1), d(3, 31)));
    let today = d(3, 31);
    let window = r(d(3, 1), d(3, 31));
    assert_eq!(synced.to_fetch(window, Lookback::NONE, today), []);
    assert_eq!(
        synced.to_fetch(window, Lookback::days(1), today),
        [r(d(3, 31), d(3, 31))]
    );
    assert_eq!(
        synced.to_fetch(window, Lookback::days(7), today),
        [r(d(3, 25), d(3, 31))]
    );
    // A gap older than the lookback is fetched too, separately.
    synced.remove(r(d(3, 10), d(3, 12)));
    assert_eq!(
        synced.to_fetch(window, Lookback::days(7), today),
        [r(d(3, 10), d(3, 12)), r(d(3, 25), d(3, 31))]
    );
    assert_eq!(synced.ranges(), [r(d(1, 1), d(3, 9)), r(d(3, 13), d(3, 31))]);
}

#[test]
fn the_updated_since_cursor_only_moves_forward_and_round_trips() {
    let at = |h| d(3, 1).and_hms_opt(h, 0, 0).unwrap().and_utc();
    let mut progress = SyncProgress::default();
    progress.saw_update(at(10));
    progress.saw_update(at(8));
    assert_eq!(progress.updated_since, Some(at(10)));
    progress.synced.insert(r(d(1, 1), d(1, 31)));
    progress.synced.insert(r(d(3, 1), d(3, 31)));
    let json = serde_json::to_value(&progress).unwrap();
    assert_eq!(
        json["synced"],
        serde_json::json!([
            { "start": "2024-01-01", "end": "2024-01-31" },
            { "start": "2024-03-01", "end": "2024-03-31" },
        ])
    );
    assert_eq!(serde_json::from_value::<SyncProgress>(json).unwrap(), progress);
    assert_eq!(
        serde_json::from_value::<SyncProgress>(serde_json::json!({})).unwrap(),
        SyncProgress::default()
    );
}

#[test]
fn stored_states_of_the_older_single_span_shape_still_read() {
    let old: SyncedRanges =
        serde_json::from_value(serde_json::json!({ "start": "2024-01-01", "end": "2024-01-31" })).unwrap();
    assert_eq!(old.ranges(), [r(d(1, 1), d(1, 31))]);
    let none: SyncedRanges = serde_json::from_value(serde_json::Value::Null).unwrap();
    assert!(none.is_empty());
    // A stored list that overlaps and is out of order (written by hand, or by an older
    // bug) is normalised.
    let messy: SyncedRanges = serde_json::from_value(serde_json::json!([
        { "start": "2024-01-05", "end": "2024-01-09" },
        { "start": "2024-01-02", "end": "2024-01-10" },
    ]))
    .unwrap();
    assert_eq!(messy.ranges(), [r(d(1, 2), d(1, 10))]);
    // A stored range whose ends are out of order is put in order, not left unreadable
    // (which would stop the row syncing), though a `DateRange` itself refuses it.
    let backwards: SyncedRanges = serde_json::from_value(serde_json::json!([
        { "start": "2024-01-10", "end": "2024-01-02" },
    ]))
    .unwrap();
    assert_eq!(backwards.ranges(), [r(d(1, 2), d(1, 10))]);
}

#[test]
fn the_ends_of_the_calendar_do_not_overflow() {
    let mut synced = SyncedRanges::new();
    synced.insert(r(NaiveDate::MAX.pred_opt().unwrap(), NaiveDate::MAX));
    synced.insert(r(d(1, 1), d(1, 1)));
    synced.insert(r(NaiveDate::MAX, NaiveDate::MAX));
    assert_eq!(synced.ranges().len(), 2);
    assert_eq!(synced.missing(r(NaiveDate::MAX, NaiveDate::MAX)), []);
    synced.insert(r(NaiveDate::MIN, NaiveDate::MIN));
    assert_eq!(
        synced
            .missing(r(NaiveDate::MIN, NaiveDate::MIN.succ_opt().unwrap()))
            .len(),
        1
    );
    assert_eq!(
        Lookback::days(5).recent(NaiveDate::MIN),
        Some(r(NaiveDate::MIN, NaiveDate::MIN))
    );
}

/// Day `n` of a small calendar, so random ranges overlap, touch and leave gaps often.
fn day(n: u32) -> NaiveDate {
    d(1, 1) + chrono::Days::new(n.into())
}

fn days_of(range: DateRange) -> impl Iterator<Item = NaiveDate> {
    range.days()
}

fn any_range() -> impl Strategy<Value = DateRange> {
    (0u32..90, 0u32..12).prop_map(|(start, len)| r(day(start), day(start + len)))
}

fn model(ranges: &[DateRange]) -> BTreeSet<NaiveDate> {
    ranges.iter().flat_map(|r| days_of(*r)).collect()
}

fn is_normal(synced: &SyncedRanges) -> bool {
    synced.ranges().iter().all(|r| r.start <= r.end)
        && synced
            .ranges()
            .windows(2)
            .all(|w| w[0].end.succ_opt().unwrap() < w[1].start)
}

proptest! {
    #[test]
    fn inserted_days_are_exactly_the_synced_days(inserted in prop::collection::vec(any_range(), 0..12)) {
        let mut synced = SyncedRanges::new();
        for range in &inserted {
            synced.insert(*range);
        }
        prop_assert!(is_normal(&synced), "{:?}", synced);
        prop_assert_eq!(model(synced.ranges()), model(&inserted));
    }

    #[test]
    fn missing_is_the_window_minus_the_synced_days(
        inserted in prop::collection::vec(any_range(), 0..12),
        removed in prop::collection::vec(any_range(), 0..4),
        window in any_range(),
        lookback in 0u32..10,
        today in 0u32..110,
    ) {
        let mut synced = SyncedRanges::new();
        for range in &inserted {
            synced.insert(*range);
        }
        for range in &removed {
            synced.remove(*range);
        }
        prop_assert!(is_normal(&synced), "{:?}", synced);
        let have: BTreeSet<_> = model(&inserted).difference(&model(&removed)).copied().collect();
        prop_assert_eq!(model(synced.ranges()), have.clone());

        let gaps = synced.missing(window);
        let expected: BTreeSet<_> = days_of(window).filter(|d| !have.contains(d)).collect();
        prop_assert_eq!(model(&gaps), expected.clone());
        // Gaps are sorted, separate and as wide as they can be.
        prop_assert!(gaps.windows(2).all(|w| w[0].end.succ_opt().unwrap() < w[1].start));
        prop_assert_eq!(synced.covers(window), expected.is_empty());

        let today = day(today);
        let recent: BTreeSet<_> = Lookback::days(lookback).recent(today).into_iter().flat_map(days_of).collect();
        let refetch = synced.to_fetch(window, Lookback::days(lookback), today);
        let expected: BTreeSet<_> = days_of(window).filter(|d| !have.contains(d) || recent.contains(d)).collect();
        prop_assert_eq!(model(&refetch), expected);

        let json = serde_json::to_string(&synced).unwrap();
        prop_assert_eq!(serde_json::from_str::<SyncedRanges>(&json).unwrap(), synced);
    }
}
