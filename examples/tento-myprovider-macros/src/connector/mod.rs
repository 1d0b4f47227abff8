//! MyMacroProvider integration for `tento`, written with the macros.
#![deny(missing_docs)]
use std::sync::Arc;

use futures::future::BoxFuture;
use tento::connector::Cell;
use tento::oauth::{Auth, AuthHandle};

use crate::oauth::MyProviderOAuthCredentials;

pub mod activities;

/// Per-integration grab bag the Row bodies reach into.
#[derive(Clone)]
pub struct MyMacroProviderClient {
    /// HTTP client resolved from the user's OAuth credential.
    pub http: Arc<crate::Client>,
}

/// How the client is built from the user's live OAuth handle: the one thing
/// `#[tento::provider]` leaves to the provider.
impl From<AuthHandle<MyProviderOAuthCredentials>> for MyMacroProviderClient {
    fn from(handle: AuthHandle<MyProviderOAuthCredentials>) -> Self {
        MyMacroProviderClient {
            http: Arc::new(crate::Client::from(handle)),
        }
    }
}

/// Host-supplied seams the Row bodies invoke.
pub trait MyMacroProviderBackendDeps: Send + Sync {
    /// Persist a batch of cells to the named row.
    fn persist_cells<'a>(&'a self, row_id: uuid::Uuid, cells: Vec<Cell>)
    -> BoxFuture<'a, anyhow::Result<()>>;
}

/// MyMacroProvider integration marker. Pass to `[integration = ...]` in the host's
/// `RowKeySchema` DSL.
#[tento::provider(
    kind = "mymacroprovider",
    name = "My Macro Provider",
    deps = dyn MyMacroProviderBackendDeps,
    credentials = MyProviderOAuthCredentials,
    display = account_label
)]
pub struct MyMacroProvider;

/// How an account shows in a host's auth UI: MyProvider's own account name.
fn account_label(_auth_id: &str, credentials: &Auth<MyProviderOAuthCredentials>) -> String {
    credentials.credentials.account.clone()
}

/// Hosts' tests register this stub: it persists into the fake's in-memory store.
#[cfg(feature = "testing")]
mod testing {
    use std::sync::Arc;

    use futures::future::BoxFuture;
    use tento::connector::{Cell, CellStore, MemoryCellStore};
    use tento::testing::StubDeps;

    use super::MyMacroProviderBackendDeps;

    impl MyMacroProviderBackendDeps for MemoryCellStore {
        fn persist_cells<'a>(
            &'a self,
            row_id: uuid::Uuid,
            cells: Vec<Cell>,
        ) -> BoxFuture<'a, anyhow::Result<()>> {
            Box::pin(async move { self.put(row_id, cells).await.map(drop) })
        }
    }

    impl StubDeps for dyn MyMacroProviderBackendDeps {
        fn stub(store: Arc<MemoryCellStore>) -> Arc<Self> {
            store
        }
    }
}
