//! The host's deps struct: every provider's seams, implemented over the cell store.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use tento::connector::{Cell, CellStore, MemoryCellStore, UserAuth, UserAuthExt};
use tento_myprovider::connector::{MyProviderAuth, MyProviderBackendDeps};
use tento_myprovider::sync_plugin::{MyProviderApiContext, MyProviderSyncDeps, RowSyncState};
use tento_myprovider_macros::connector::MyMacroProviderBackendDeps;
use uuid::Uuid;

/// The host's deps: the store, and the sync state of each row.
pub struct HostDeps {
    store: Arc<MemoryCellStore>,
    sync_state: Mutex<HashMap<Uuid, RowSyncState>>,
}

impl HostDeps {
    /// Deps persisting into `store`.
    pub fn new(store: Arc<MemoryCellStore>) -> Self {
        HostDeps {
            store,
            sync_state: Mutex::new(HashMap::new()),
        }
    }

    fn states(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, RowSyncState>> {
        self.sync_state.lock().unwrap_or_else(|p| p.into_inner())
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
        let state = self.states().get(&row_id).cloned();
        Box::pin(std::future::ready(Ok(state)))
    }

    fn save_state<'a>(&'a self, row_id: Uuid, state: RowSyncState) -> BoxFuture<'a, anyhow::Result<()>> {
        self.states().insert(row_id, state);
        Box::pin(std::future::ready(Ok(())))
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
