use futures::future::BoxFuture;
use uuid::Uuid;

use super::Cell;
use crate::chrono::DateRange;

/// Where a host keeps rows' cells. Synced rows persist into it (through their
/// BackendDeps) and are read back from it.
pub trait CellStore: Send + Sync {
    /// Upserts cells into a row: a cell with an id replaces the row's cell of that id,
    /// and a cell without one is stored under its [`content_id`](crate::host::content_id), so putting the same
    /// datum again stores it once and it can be removed like any other. Within one call
    /// the last cell of an id wins. Returns how many cells the row now holds from this
    /// call: one per distinct id.
    fn put<'a>(&'a self, row_id: Uuid, cells: Vec<Cell>) -> BoxFuture<'a, anyhow::Result<usize>>;

    /// A row's cells in date order, optionally only those starting within `range`.
    fn cells<'a>(
        &'a self,
        row_id: Uuid,
        range: Option<DateRange>,
    ) -> BoxFuture<'a, anyhow::Result<Vec<Cell>>>;

    /// Removes a row's cell by id; `false` when there was none.
    fn remove<'a>(&'a self, row_id: Uuid, cell_id: &'a str) -> BoxFuture<'a, anyhow::Result<bool>>;
}
