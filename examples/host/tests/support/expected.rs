//! What a sync should land: the offline API's records for a stage's window, and the ids
//! of the cells a host holds, to compare the two.

use std::collections::HashSet;

use tento::connector::{Cell, wearable_window_for_stage};

/// The ids the offline API holds for `stage`'s window: what the store should hold
/// after that stage.
pub async fn expected_ids(stage: &str) -> HashSet<String> {
    let records = tento_myprovider::Client::offline("tok")
        .activities()
        .list_range(wearable_window_for_stage(stage))
        .await
        .unwrap();
    records.into_iter().map(|r| r.id).collect()
}

/// The ids of `cells`.
pub fn ids(cells: &[Cell]) -> HashSet<String> {
    cells.iter().filter_map(|c| c.id.clone()).collect()
}
