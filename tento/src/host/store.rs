use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use futures::future::BoxFuture;
use uuid::Uuid;

use crate::chrono::DateRange;
use crate::contract::{Cell, CellStore};

/// The id a store gives a cell that has none: `~` (marking it as the store's, not the
/// provider's) and a version-5 UUID of the cell's date, end date and data, so the same
/// datum always gets the same id, on every host and after every restart.
pub fn content_id(cell: &Cell) -> String {
    /// Namespace of content ids, fixed so ids are stable across hosts and restarts.
    const CONTENT_ID_NAMESPACE: Uuid = Uuid::from_u128(0x3c1f_0b8e_6a52_4d0b_8e47_51d2_c0a7_11ed);
    // Serializing plain data (no maps with non-string keys) cannot fail.
    let content = serde_json::to_vec(&(&cell.date, &cell.end_date, &cell.data)).unwrap_or_default();
    format!("~{}", Uuid::new_v5(&CONTENT_ID_NAMESPACE, &content))
}

/// A [`CellStore`] in memory, for examples, tests and small hosts.
#[derive(Debug, Default)]
pub struct MemoryCellStore {
    rows: Mutex<HashMap<Uuid, RowCells>>,
}

#[derive(Debug, Default)]
struct RowCells {
    cells: Vec<Cell>,
    by_id: HashMap<String, usize>,
}

impl RowCells {
    /// Stores `cell` under its id (or [`content_id`]); returns the id.
    fn upsert(&mut self, mut cell: Cell) -> String {
        let id = match &cell.id {
            Some(id) => id.clone(),
            None => {
                let id = content_id(&cell);
                cell.id = Some(id.clone());
                id
            }
        };
        match self.by_id.get(&id) {
            Some(&i) => self.cells[i] = cell,
            None => {
                self.by_id.insert(id.clone(), self.cells.len());
                self.cells.push(cell);
            }
        }
        id
    }

    fn remove(&mut self, id: &str) -> bool {
        let Some(i) = self.by_id.remove(id) else {
            return false;
        };
        self.cells.remove(i);
        for slot in self.by_id.values_mut() {
            if *slot > i {
                *slot -= 1;
            }
        }
        true
    }
}

impl MemoryCellStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A row's cells in date order, without going through a future.
    pub fn row(&self, row_id: Uuid) -> Vec<Cell> {
        let mut cells = self
            .lock()
            .get(&row_id)
            .map(|r| r.cells.clone())
            .unwrap_or_default();
        cells.sort_by_key(|c| c.date);
        cells
    }

    /// The number of cells across all rows.
    pub fn len(&self) -> usize {
        self.lock().values().map(|r| r.cells.len()).sum()
    }

    /// Whether the store holds no cell.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, RowCells>> {
        // A panic while holding the lock leaves plain data, still consistent per call.
        self.rows.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl CellStore for MemoryCellStore {
    fn put<'a>(&'a self, row_id: Uuid, cells: Vec<Cell>) -> BoxFuture<'a, anyhow::Result<usize>> {
        let mut rows = self.lock();
        let row = rows.entry(row_id).or_default();
        let written: HashSet<String> = cells.into_iter().map(|cell| row.upsert(cell)).collect();
        Box::pin(std::future::ready(Ok(written.len())))
    }

    fn cells<'a>(
        &'a self,
        row_id: Uuid,
        range: Option<DateRange>,
    ) -> BoxFuture<'a, anyhow::Result<Vec<Cell>>> {
        let mut cells = self.row(row_id);
        if let Some(range) = range {
            cells.retain(|c| range.contains_time(&c.date));
        }
        Box::pin(std::future::ready(Ok(cells)))
    }

    fn remove<'a>(&'a self, row_id: Uuid, cell_id: &'a str) -> BoxFuture<'a, anyhow::Result<bool>> {
        let removed = self.lock().get_mut(&row_id).is_some_and(|r| r.remove(cell_id));
        Box::pin(std::future::ready(Ok(removed)))
    }
}

#[cfg(test)]
mod tests {
    use futures::executor::block_on;

    use super::*;
    use crate::chrono::{NaiveDate, PartialDate, SemanticTime};

    fn cell(id: &str, day: u32, v: i64) -> Cell {
        Cell {
            id: Some(id.into()),
            date: SemanticTime::from_partial(PartialDate::Ymd(
                NaiveDate::from_ymd_opt(2024, 1, day).unwrap(),
            )),
            end_date: None,
            data: serde_json::json!(v),
        }
    }

    #[test]
    fn put_upserts_by_id_and_reads_in_date_order() {
        let store = MemoryCellStore::new();
        let row = Uuid::from_u128(1);
        block_on(store.put(row, vec![cell("b", 2, 1), cell("a", 1, 1)])).unwrap();
        block_on(store.put(row, vec![cell("b", 2, 9)])).unwrap();
        let cells = block_on(store.cells(row, None)).unwrap();
        assert_eq!(cells.len(), 2);
        assert_eq!(cells[0].id.as_deref(), Some("a"));
        assert_eq!(cells[1].data, serde_json::json!(9));
        assert_eq!(store.len(), 2);
    }

    #[test]
    fn range_filters_and_remove_keeps_ids_consistent() {
        let store = MemoryCellStore::new();
        let row = Uuid::from_u128(2);
        block_on(store.put(row, vec![cell("a", 1, 1), cell("b", 2, 2), cell("c", 3, 3)])).unwrap();
        let d = |day| NaiveDate::from_ymd_opt(2024, 1, day).unwrap();
        let some = block_on(store.cells(row, Some(DateRange::new(d(2), d(3))))).unwrap();
        assert_eq!(some.len(), 2);
        assert!(block_on(store.remove(row, "a")).unwrap());
        assert!(!block_on(store.remove(row, "a")).unwrap());
        block_on(store.put(row, vec![cell("c", 3, 30)])).unwrap();
        let cells = store.row(row);
        assert_eq!(cells.len(), 2);
        assert_eq!(cells[1].data, serde_json::json!(30));
    }

    #[test]
    fn put_counts_the_cells_it_stored_not_the_cells_it_was_given() {
        let store = MemoryCellStore::new();
        let row = Uuid::from_u128(3);
        let written = block_on(store.put(row, vec![cell("a", 1, 1), cell("a", 1, 2)])).unwrap();
        assert_eq!(written, 1);
        assert_eq!(store.row(row).len(), 1);
        assert_eq!(store.row(row)[0].data, serde_json::json!(2), "the last one wins");
    }

    #[test]
    fn a_cell_without_an_id_is_stored_once_under_its_content_and_can_be_removed() {
        let store = MemoryCellStore::new();
        let row = Uuid::from_u128(4);
        let anonymous = Cell {
            id: None,
            ..cell("x", 5, 7)
        };
        for _ in 0..3 {
            assert_eq!(block_on(store.put(row, vec![anonymous.clone()])).unwrap(), 1);
        }
        let cells = store.row(row);
        assert_eq!(cells.len(), 1);
        let id = cells[0].id.clone().expect("the store names an id-less cell");
        assert_eq!(id, content_id(&anonymous));
        let other = Cell {
            data: serde_json::json!(8),
            ..anonymous.clone()
        };
        assert_ne!(content_id(&other), id, "different content, different id");
        assert!(block_on(store.remove(row, &id)).unwrap());
        assert!(store.is_empty());
    }
}
