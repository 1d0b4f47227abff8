use std::marker::PhantomData;
use std::sync::Arc;

use async_trait::async_trait;
use uuid::Uuid;

use crate::chrono::DateRange;
use crate::connector::{Owner, UserAuth};
use crate::host::{CellStore, DispatchCtx, DispatchError, IntegrationDeps, Request, Response, RowKeySchema};

/// One stage of one row, as the orchestrator hands it to an executor.
pub struct StageJob<'a> {
    /// The row's lookup key.
    pub lookup_key: &'a str,
    /// The label of the row the job is for (`Row::ROW_LABEL`).
    pub row_label: &'static str,
    /// The key the row locks and tracks state under ([`SyncProvider::alias_key`](super::SyncProvider::alias_key)).
    pub alias_key: &'a str,
    /// The row's id.
    pub row_id: Uuid,
    /// The row's owner.
    pub owner: Owner,
    /// The owner's credentials.
    pub user: &'a dyn UserAuth,
    /// The stage to run.
    pub stage: &'a str,
    /// The stage's date range ([`SyncProvider::stage_key_range`](super::SyncProvider::stage_key_range)).
    pub range: Option<DateRange>,
}

/// Runs one stage of a row; returns the number of cells persisted.
#[async_trait]
pub trait SyncExecutor: Send + Sync {
    /// Runs `job`.
    async fn execute(&self, job: &StageJob<'_>) -> anyhow::Result<usize>;
}

/// Runs stages through a host's router: each stage is a `sync` request on the row's
/// lookup key, so the row's own [`Row::sync`](crate::connector::Row::sync) does the work.
///
/// The key must route to the row the job names: a key that routes to another row fails
/// the stage rather than syncing a row the job did not ask for.
pub struct DispatchExecutor<S> {
    deps: Arc<IntegrationDeps>,
    store: Arc<dyn CellStore>,
    schema: PhantomData<fn() -> S>,
}

impl<S: RowKeySchema> DispatchExecutor<S> {
    /// An executor dispatching through `S` with the host's deps and store.
    pub fn new(deps: Arc<IntegrationDeps>, store: Arc<dyn CellStore>) -> Self {
        DispatchExecutor {
            deps,
            store,
            schema: PhantomData,
        }
    }
}

#[async_trait]
impl<S: RowKeySchema> SyncExecutor for DispatchExecutor<S> {
    async fn execute(&self, job: &StageJob<'_>) -> anyhow::Result<usize> {
        let ctx = DispatchCtx {
            user: job.user,
            deps: &self.deps,
            store: &*self.store,
        };
        let request = Request::Sync {
            stage: job.stage.to_owned(),
        };
        let (route, m) = S::route_for(job.lookup_key, request.verb())
            .map_err(|e| DispatchError::resolve(job.lookup_key, e))?;
        if route.row_label != job.row_label {
            anyhow::bail!(
                "lookup key `{}` routes to row `{}`, not `{}` the job names: give the job the \
                 label of the row its key routes to",
                job.lookup_key,
                route.row_label,
                job.row_label
            );
        }
        match S::dispatch_route(m, job.lookup_key, request, &ctx).await? {
            Response::Synced(n) => Ok(n),
            other => anyhow::bail!("a sync request answered {other:?}"),
        }
    }
}
