use std::collections::HashMap;
use std::sync::Mutex;

use futures::future::BoxFuture;
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// Where a host keeps the per-row state of sync-plugin executors, as JSON. One store
/// serves every provider: row ids are unique per owner and lookup key, and each
/// provider's executor decodes its own state type with [`load_state_as`].
pub trait SyncStateStore: Send + Sync {
    /// The row's state, `None` before its first sync.
    fn load_state<'a>(&'a self, row_id: Uuid) -> BoxFuture<'a, anyhow::Result<Option<serde_json::Value>>>;

    /// Saves the row's state.
    fn save_state<'a>(&'a self, row_id: Uuid, state: serde_json::Value) -> BoxFuture<'a, anyhow::Result<()>>;

    /// The store that keeps this state beside the rows' cells, when there is one: an
    /// executor then writes a page of cells and the state that records it with
    /// [`HostStore::persist_page`](crate::store::HostStore::persist_page), in one
    /// transaction. Every [`HostStore`](crate::store::HostStore) returns itself; a host's
    /// deps return the store they write to.
    ///
    /// `None` (the default) leaves an executor to persist the cells through the host's
    /// seam, then save the state: a crash between the two leaves cells the state does
    /// not record yet, which the next sync fetches and upserts again.
    fn host_store(&self) -> Option<&dyn crate::store::HostStore> {
        None
    }
}

/// Loads a row's state as `T`.
pub async fn load_state_as<T: DeserializeOwned>(
    store: &(impl SyncStateStore + ?Sized),
    row_id: Uuid,
) -> anyhow::Result<Option<T>> {
    match store.load_state(row_id).await? {
        Some(json) => Ok(Some(serde_json::from_value(json)?)),
        None => Ok(None),
    }
}

/// Saves a row's state from `T`.
pub async fn save_state_as<T: Serialize>(
    store: &(impl SyncStateStore + ?Sized),
    row_id: Uuid,
    state: &T,
) -> anyhow::Result<()> {
    store.save_state(row_id, serde_json::to_value(state)?).await
}

/// A [`SyncStateStore`] in memory.
#[derive(Debug, Default)]
pub struct MemorySyncStateStore {
    states: Mutex<HashMap<Uuid, serde_json::Value>>,
}

impl MemorySyncStateStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn states(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, serde_json::Value>> {
        self.states.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SyncStateStore for MemorySyncStateStore {
    fn load_state<'a>(&'a self, row_id: Uuid) -> BoxFuture<'a, anyhow::Result<Option<serde_json::Value>>> {
        let state = self.states().get(&row_id).cloned();
        Box::pin(std::future::ready(Ok(state)))
    }

    fn save_state<'a>(&'a self, row_id: Uuid, state: serde_json::Value) -> BoxFuture<'a, anyhow::Result<()>> {
        self.states().insert(row_id, state);
        Box::pin(std::future::ready(Ok(())))
    }
}

#[cfg(test)]
mod tests {
    use futures::executor::block_on;

    use super::*;

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct State {
        days: u32,
    }

    #[test]
    fn typed_state_round_trips_per_row() {
        let store = MemorySyncStateStore::new();
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_eq!(block_on(load_state_as::<State>(&store, a)).unwrap(), None);
        block_on(save_state_as(&store, a, &State { days: 3 })).unwrap();
        assert_eq!(
            block_on(load_state_as::<State>(&store, a)).unwrap(),
            Some(State { days: 3 })
        );
        assert_eq!(block_on(load_state_as::<State>(&store, b)).unwrap(), None);
        block_on(store.save_state(b, serde_json::json!("not a state"))).unwrap();
        assert!(block_on(load_state_as::<State>(&store, b)).is_err());
    }
}
