use futures::future::BoxFuture;
use tento::connector::Cell;
use uuid::Uuid;

use super::RowSyncState;

/// Row state and persistence for the executor, implemented by the host.
pub trait MyProviderSyncDeps: Send + Sync {
    /// The row's sync state, `None` before its first sync.
    fn load_state<'a>(&'a self, row_id: Uuid) -> BoxFuture<'a, anyhow::Result<Option<RowSyncState>>>;

    /// Saves the row's sync state.
    fn save_state<'a>(&'a self, row_id: Uuid, state: RowSyncState) -> BoxFuture<'a, anyhow::Result<()>>;

    /// Persists a batch of cells to the row.
    fn persist_cells<'a>(&'a self, row_id: Uuid, cells: Vec<Cell>) -> BoxFuture<'a, anyhow::Result<()>>;
}
