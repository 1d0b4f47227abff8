use std::sync::Mutex;

use futures::FutureExt;
use futures::future::BoxFuture;
use uuid::Uuid;

use super::HostStore;
use crate::chrono::DateRange;
use crate::connector::Cell;
use crate::host::{CellStore, MemoryCellStore};
use crate::oauth::{AccountKey, MemoryTokenStore, TokenSet, TokenStore};
use crate::sync::{MemorySyncStateStore, SyncStateStore};

/// A [`HostStore`] in memory, for tests and hosts that need nothing kept: a
/// [`MemoryCellStore`], a [`MemorySyncStateStore`] and a [`MemoryTokenStore`], with a page and its state written
/// under one lock so no reader sees one without the other.
#[derive(Debug, Default)]
pub struct MemoryStore {
    cells: MemoryCellStore,
    states: MemorySyncStateStore,
    tokens: MemoryTokenStore,
    /// Held across a page and its state.
    page: Mutex<()>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// The cells, for reading without a future.
    pub fn cell_store(&self) -> &MemoryCellStore {
        &self.cells
    }
}

impl CellStore for MemoryStore {
    fn put<'a>(&'a self, row_id: Uuid, cells: Vec<Cell>) -> BoxFuture<'a, anyhow::Result<usize>> {
        self.cells.put(row_id, cells)
    }

    fn cells<'a>(
        &'a self,
        row_id: Uuid,
        range: Option<DateRange>,
    ) -> BoxFuture<'a, anyhow::Result<Vec<Cell>>> {
        self.cells.cells(row_id, range)
    }

    fn remove<'a>(&'a self, row_id: Uuid, cell_id: &'a str) -> BoxFuture<'a, anyhow::Result<bool>> {
        self.cells.remove(row_id, cell_id)
    }
}

impl SyncStateStore for MemoryStore {
    fn load_state<'a>(&'a self, row_id: Uuid) -> BoxFuture<'a, anyhow::Result<Option<serde_json::Value>>> {
        self.states.load_state(row_id)
    }

    fn save_state<'a>(&'a self, row_id: Uuid, state: serde_json::Value) -> BoxFuture<'a, anyhow::Result<()>> {
        self.states.save_state(row_id, state)
    }

    fn host_store(&self) -> Option<&dyn HostStore> {
        Some(self)
    }
}

/// Tokens in memory, like the rest: gone when the process exits.
impl TokenStore for MemoryStore {
    fn load<'a>(&'a self, account: &'a AccountKey) -> BoxFuture<'a, anyhow::Result<Option<TokenSet>>> {
        self.tokens.load(account)
    }

    fn save<'a>(
        &'a self,
        account: &'a AccountKey,
        tokens: &'a TokenSet,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        self.tokens.save(account, tokens)
    }
}

impl HostStore for MemoryStore {
    fn persist_page<'a>(
        &'a self,
        row_id: Uuid,
        cells: Vec<Cell>,
        state: serde_json::Value,
    ) -> BoxFuture<'a, anyhow::Result<usize>> {
        // Both memory stores answer at once (their futures are ready when made), so the
        // page is written here, under the lock, and the future only carries the result.
        let _page = self.page.lock().unwrap_or_else(|p| p.into_inner());
        let written = self.cells.put(row_id, cells).now_or_never();
        let saved = self.states.save_state(row_id, state).now_or_never();
        let result = match (written, saved) {
            (Some(written), Some(saved)) => saved.and(written),
            _ => Err(anyhow::anyhow!(
                "the memory store answered a write later; it never does"
            )),
        };
        Box::pin(std::future::ready(result))
    }
}
