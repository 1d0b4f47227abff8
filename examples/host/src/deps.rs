//! The host's deps struct: every provider's seams, implemented over the cell store.

use std::sync::Arc;

use futures::future::BoxFuture;
use tento::connector::{Cell, CellStore, MemoryCellStore, UserAuth, UserAuthExt};
use tento::sync::{MemorySyncStateStore, SyncStateStore, load_state_as, save_state_as};
use tento_myprovider::connector::{MyProviderAuth, MyProviderBackendDeps};
use tento_myprovider::sync_plugin::{MyProviderApiContext, MyProviderSyncDeps, RowSyncState};
use tento_myprovider_macros::connector::MyMacroProviderBackendDeps;
use uuid::Uuid;

/// The host's deps: the store, and the sync plugins' per-row state.
pub struct HostDeps {
    store: Arc<MemoryCellStore>,
    sync_state: MemorySyncStateStore,
}

impl HostDeps {
    /// Deps persisting into `store`.
    pub fn new(store: Arc<MemoryCellStore>) -> Self {
        HostDeps {
            store,
            sync_state: MemorySyncStateStore::new(),
        }
    }
}

/// Every sync plugin keeps its per-row state here, whatever its state type.
impl SyncStateStore for HostDeps {
    fn load_state<'a>(&'a self, row_id: Uuid) -> BoxFuture<'a, anyhow::Result<Option<serde_json::Value>>> {
        self.sync_state.load_state(row_id)
    }

    fn save_state<'a>(&'a self, row_id: Uuid, state: serde_json::Value) -> BoxFuture<'a, anyhow::Result<()>> {
        self.sync_state.save_state(row_id, state)
    }
}

/// The connector's cells are the host's cells: persisting is a plain store write.
impl MyProviderBackendDeps for HostDeps {
    fn persist_cells<'a>(&'a self, row_id: Uuid, cells: Vec<Cell>) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move { self.store.put(row_id, cells).await.map(drop) })
    }
}

/// The provider made with the macros persists the same way.
impl MyMacroProviderBackendDeps for HostDeps {
    fn persist_cells<'a>(&'a self, row_id: Uuid, cells: Vec<Cell>) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move { self.store.put(row_id, cells).await.map(drop) })
    }
}

impl MyProviderSyncDeps for HostDeps {
    fn load_state<'a>(&'a self, row_id: Uuid) -> BoxFuture<'a, anyhow::Result<Option<RowSyncState>>> {
        Box::pin(load_state_as(&self.sync_state, row_id))
    }

    fn save_state<'a>(&'a self, row_id: Uuid, state: RowSyncState) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move { save_state_as(&self.sync_state, row_id, &state).await })
    }

    fn persist_cells<'a>(&'a self, row_id: Uuid, cells: Vec<Cell>) -> BoxFuture<'a, anyhow::Result<()>> {
        MyProviderBackendDeps::persist_cells(self, row_id, cells)
    }
}

impl MyProviderApiContext for HostDeps {
    fn client<'a>(
        &'a self,
        user: &'a dyn UserAuth,
        auth_id: &'a str,
    ) -> BoxFuture<'a, anyhow::Result<tento_myprovider::Client>> {
        Box::pin(async move {
            let auth = user
                .auth::<MyProviderAuth>(auth_id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no myprovider auth `{auth_id}`"))?;
            Ok(tento_myprovider::Client::from(auth.acquire_handle().await?))
        })
    }
}
