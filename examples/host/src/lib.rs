//! A host in the shape the seeds describe, loading one provider written by hand
//! (`tento-myprovider`) and, beside it, the same provider written with the macros
//! (`tento-myprovider-macros`, kind `mymacroprovider`): it implements the providers' deps
//! over its cell store, resolves their auth kinds, registers their deps, routes their
//! lookup keys and syncs their rows.
//!
//! Each seed step has one place here:
//!
//! | seed step | here |
//! |---|---|
//! | implement `MyProviderBackendDeps` on the host's deps struct | [`deps`] |
//! | add a line to the auth registry the `UserAuth` impl decodes with | [`auth`] |
//! | register the rows in the `RowKeySchema` block | [`rowkeys`] |
//! | register the deps `Arc` in `IntegrationDeps` | [`register_integrations`] |
//! | register with the orchestrator | [`register_sync`] |
#![deny(missing_docs)]

pub mod auth;
pub mod deps;
pub mod rowkeys;

use std::sync::Arc;

use anyhow::Context;
use tento::connector::{DispatchCtx, IntegrationDeps, MemoryCellStore, ResolveError, RowKeySchema, UserAuth};
use tento::sync::{Orchestrator, SyncJob, SyncReport};
use tento_myprovider::connector::MyProviderBackendDeps;
use tento_myprovider::connector::activities::Activities;
use tento_myprovider::sync_plugin::{MyProviderSyncExecutor, MyProviderSyncProvider};
use tento_myprovider_macros::connector::MyMacroProviderBackendDeps;
use tento_myprovider_macros::connector::activities::Activities as MacroActivities;
use tento_myprovider_macros::sync_plugin::{MyMacroProviderSyncExecutor, MyMacroProviderSyncProvider};

pub use auth::{HostAuthKinds, HostUserAuth};
pub use deps::HostDeps;
pub use rowkeys::RowKeys;

/// Registers every provider's deps: one line per provider.
pub fn register_integrations(integrations: &mut IntegrationDeps, myprovider_deps: &Arc<HostDeps>) {
    integrations
        .register::<dyn MyProviderBackendDeps>(myprovider_deps.clone() as Arc<dyn MyProviderBackendDeps>);
    integrations.register::<dyn MyMacroProviderBackendDeps>(
        myprovider_deps.clone() as Arc<dyn MyMacroProviderBackendDeps>
    );
}

/// Registers every synced row with the orchestrator.
pub fn register_sync(orchestrator: &mut Orchestrator, myprovider_deps: &Arc<HostDeps>) {
    orchestrator.register_row_with_sync::<Activities>(
        Arc::new(MyProviderSyncProvider),
        Arc::new(MyProviderSyncExecutor::new(
            myprovider_deps.clone(),
            myprovider_deps.clone(),
        )),
    );
    orchestrator.register_row_with_sync::<MacroActivities>(
        Arc::new(MyMacroProviderSyncProvider),
        Arc::new(MyMacroProviderSyncExecutor::new(myprovider_deps.clone())),
    );
}

/// The running host: its store, deps, registry and orchestrator.
pub struct Host {
    /// Where every row's cells land.
    pub store: Arc<MemoryCellStore>,
    /// The deps struct every provider's seams are implemented on.
    pub deps: Arc<HostDeps>,
    /// The registry dispatch resolves deps from.
    pub integrations: IntegrationDeps,
    /// Runs synced rows' stages.
    pub orchestrator: Orchestrator,
}

impl Host {
    /// A host on a store of its own, for a test: this host keeps its store in memory, so
    /// that is [`boot`](Self::boot). (Hosts from `tento-scaffold init` boot theirs on a
    /// temporary SQLite file; the tests `new` writes call this.)
    pub fn temporary() -> anyhow::Result<Self> {
        Self::boot()
    }

    /// Wires everything and runs the boot check: a provider whose deps are not
    /// registered fails here, naming the trait.
    pub fn boot() -> anyhow::Result<Self> {
        let store = Arc::new(MemoryCellStore::new());
        let deps = Arc::new(HostDeps::new(store.clone()));
        let mut integrations = IntegrationDeps::new();
        register_integrations(&mut integrations, &deps);
        integrations
            .ensure_all_registered(RowKeys::schemas())
            .context("boot check failed")?;
        let mut orchestrator = Orchestrator::new(8);
        register_sync(&mut orchestrator, &deps);
        Ok(Host {
            store,
            deps,
            integrations,
            orchestrator,
        })
    }

    /// A dispatch context for `user`.
    pub fn ctx<'a>(&'a self, user: &'a dyn UserAuth) -> DispatchCtx<'a> {
        DispatchCtx {
            user,
            deps: &self.integrations,
            store: &*self.store,
        }
    }

    /// Syncs the rows under `keys` for `user`, each resolved to its row through
    /// [`RowKeys`]; a key no route matches is an error before anything runs.
    pub async fn sync(&self, user: Arc<dyn UserAuth>, keys: &[String]) -> anyhow::Result<SyncReport> {
        let jobs = keys
            .iter()
            .map(|key| {
                let m = RowKeys::resolve(key).map_err(ResolveError::from)?;
                let row_label = RowKeys::schemas()[m.route].row_label;
                Ok(SyncJob {
                    lookup_key: key.clone(),
                    row_label,
                    user: user.clone(),
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(self.orchestrator.run(jobs).await)
    }
}
