//! MyProvider integration for `tento`.
#![deny(missing_docs)]
use std::sync::Arc;

use futures::future::BoxFuture;
use serde::Deserialize;
use tento::connector::{AuthProvider, Cell, Integration, UserAuth, UserAuthExt};
use tento::oauth::Auth;

pub mod activities;

/// Per-integration "grab bag" the Row bodies reach into.
#[derive(Clone)]
pub struct MyProviderClient {
    /// HTTP client resolved from the user's MyProvider OAuth.
    pub http: Arc<crate::Client>,
}

/// Host-supplied seams the Row bodies invoke.
pub trait MyProviderBackendDeps: Send + Sync {
    /// Persist a batch of cells to the named row.
    fn persist_cells<'a>(
        &'a self,
        row_id: ::uuid::Uuid,
        cells: Vec<Cell>,
    ) -> BoxFuture<'a, anyhow::Result<()>>;
}

/// Integration marker. Pass to `[integration = ...]` in the host's
/// `RowKeySchema` DSL.
pub struct MyProvider;

/// Path-level params for `:~myprovider:{authId}:…` rowkeys.
#[derive(Deserialize, Clone, Debug)]
pub struct MyProviderParams {
    /// Per-account MyProvider auth identifier.
    #[serde(rename = "authId")]
    pub auth_id: String,
}

/// Marker wiring `user.auth::<MyProviderAuth>(id)` to the typed
/// credential payload.
pub struct MyProviderAuth;

impl AuthProvider for MyProviderAuth {
    const KIND: &'static str = "myprovider";
    type AuthId = str;
    type Credentials = Auth<crate::oauth::MyProviderOAuthCredentials>;
}

impl Integration for MyProvider {
    type Deps = dyn MyProviderBackendDeps;
    type Client = MyProviderClient;
    type Params = MyProviderParams;

    fn client<'a>(
        user: &'a dyn UserAuth,
        _deps: &'a dyn MyProviderBackendDeps,
        p: &'a Self::Params,
    ) -> BoxFuture<'a, anyhow::Result<Self::Client>> {
        Box::pin(async move {
            let auth = user
                .auth::<MyProviderAuth>(&p.auth_id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no myprovider auth"))?;
            let handle = auth.acquire_handle().await?;
            Ok(MyProviderClient {
                http: Arc::new(crate::Client::from(handle)),
            })
        })
    }
}

/// Hosts' tests register this stub: it persists into the fake's in-memory store.
#[cfg(feature = "testing")]
mod testing {
    use std::sync::Arc;

    use futures::future::BoxFuture;
    use tento::connector::{Cell, CellStore, MemoryCellStore};
    use tento::testing::StubDeps;

    use super::MyProviderBackendDeps;

    impl MyProviderBackendDeps for MemoryCellStore {
        fn persist_cells<'a>(
            &'a self,
            row_id: ::uuid::Uuid,
            cells: Vec<Cell>,
        ) -> BoxFuture<'a, anyhow::Result<()>> {
            Box::pin(async move { self.put(row_id, cells).await.map(drop) })
        }
    }

    impl StubDeps for dyn MyProviderBackendDeps {
        fn stub(store: Arc<MemoryCellStore>) -> Arc<Self> {
            store
        }
    }
}
