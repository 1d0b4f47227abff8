use std::any::type_name;
use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::Semaphore;

use super::locks::KeyedLocks;
use super::{
    RowReport, SkipReason, StageJob, StageOutcome, StageReport, SyncExecutor, SyncProvider, SyncReport,
};
use crate::connector::{Gating, Locking, Row, UserAuth};

/// A request to sync one row for one user.
#[derive(Clone)]
pub struct SyncJob {
    /// The row's lookup key.
    pub lookup_key: String,
    /// The label of the row registered for it (`Row::ROW_LABEL`).
    pub row_label: &'static str,
    /// The user whose row it is.
    pub user: Arc<dyn UserAuth>,
}

impl SyncJob {
    /// A job for row `R` under `lookup_key`.
    pub fn for_row<R: Row>(lookup_key: impl Into<String>, user: Arc<dyn UserAuth>) -> Self {
        SyncJob {
            lookup_key: lookup_key.into(),
            row_label: R::ROW_LABEL,
            user,
        }
    }
}

struct Registered {
    integration: &'static str,
    provider: Arc<dyn SyncProvider>,
    executor: Arc<dyn SyncExecutor>,
    /// The provider's own cap, shared by all its rows.
    limit: Option<Arc<Semaphore>>,
}

/// Runs registered rows' stages in order, at most `max_concurrent` rows at once, never
/// the same row (or alias key, or provider, per its locking) twice at once.
///
/// Runtime-agnostic: [`run`](Self::run) is one future that drives every job; spawn it
/// on whatever executor the host uses.
pub struct Orchestrator {
    max_concurrent: usize,
    limit: Arc<Semaphore>,
    rows: HashMap<&'static str, Registered>,
    provider_limits: HashMap<&'static str, Arc<Semaphore>>,
    locks: KeyedLocks,
}

impl Orchestrator {
    /// An orchestrator running at most `max_concurrent` rows at once (at least one).
    pub fn new(max_concurrent: usize) -> Self {
        let max_concurrent = max_concurrent.max(1);
        Orchestrator {
            max_concurrent,
            limit: Arc::new(Semaphore::new(max_concurrent)),
            rows: HashMap::new(),
            provider_limits: HashMap::new(),
            locks: KeyedLocks::default(),
        }
    }

    /// The global limit.
    pub fn max_concurrent(&self) -> usize {
        self.max_concurrent
    }

    /// Registers row `R`: jobs for its label run `provider`'s stages through `executor`.
    /// Registering a label again replaces the earlier registration.
    pub fn register_row_with_sync<R: Row>(
        &mut self,
        provider: Arc<dyn SyncProvider>,
        executor: Arc<dyn SyncExecutor>,
    ) -> &mut Self {
        let integration = type_name::<R::Integration>();
        // One cap per integration: its rows share the upstream API's limit.
        let limit = provider.max_concurrent().map(|n| {
            self.provider_limits
                .entry(integration)
                .or_insert_with(|| Arc::new(Semaphore::new(n.max(1))))
                .clone()
        });
        self.rows.insert(
            R::ROW_LABEL,
            Registered {
                integration,
                provider,
                executor,
                limit,
            },
        );
        self
    }

    /// Labels of the registered rows, sorted.
    pub fn rows(&self) -> Vec<&'static str> {
        let mut labels: Vec<_> = self.rows.keys().copied().collect();
        labels.sort_unstable();
        labels
    }

    /// Runs every job and reports each, in the order given.
    pub async fn run(&self, jobs: impl IntoIterator<Item = SyncJob>) -> SyncReport {
        let rows = futures::future::join_all(jobs.into_iter().map(|job| self.run_job(job))).await;
        SyncReport { rows }
    }

    async fn run_job(&self, job: SyncJob) -> RowReport {
        let mut report = RowReport {
            lookup_key: job.lookup_key.clone(),
            row_label: job.row_label,
            stages: Vec::new(),
            error: None,
        };
        let Some(row) = self.rows.get(job.row_label) else {
            report.error = Some(format!(
                "no row `{}` is registered with the orchestrator; call register_row_with_sync for it",
                job.row_label
            ));
            return report;
        };
        let alias_key = row.provider.alias_key(&job.lookup_key);
        // Lock before taking a permit, so a row waiting on its lock holds no slot.
        let lock_key = match row.provider.locking() {
            Locking::Row => Some(format!("row {alias_key}")),
            Locking::Provider => Some(format!("provider {}", row.integration)),
            Locking::None => None,
        };
        let _lock = match lock_key {
            Some(key) => Some(self.locks.lock(key).await),
            None => None,
        };
        let _provider_permit = match &row.limit {
            Some(limit) => Some(limit.acquire().await),
            None => None,
        };
        let _permit = self.limit.acquire().await;

        let owner = job.user.owner();
        let row_id = owner.row_id(&job.lookup_key);
        let mut failed = false;
        for &stage in row.provider.stages() {
            let outcome = if failed && row.provider.gating() == Gating::Sequential {
                StageOutcome::Skipped(SkipReason::EarlierStageFailed)
            } else if !row.provider.gate(stage, &job) {
                StageOutcome::Skipped(SkipReason::Gated)
            } else {
                let stage_job = StageJob {
                    lookup_key: &job.lookup_key,
                    alias_key: &alias_key,
                    row_id,
                    owner,
                    user: &*job.user,
                    stage,
                    range: row.provider.stage_key_range(stage),
                };
                match row.executor.execute(&stage_job).await {
                    Ok(n) => StageOutcome::Synced(n),
                    Err(e) => {
                        failed = true;
                        StageOutcome::Failed(format!("{e:#}"))
                    }
                }
            };
            report.stages.push(StageReport { stage, outcome });
        }
        report
    }
}
