use std::any::{Any, type_name};
use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::FutureExt;
use futures::future::{Either, select};
use tokio::sync::Semaphore;

use super::locks::{LockKey, MemorySyncLocks, SyncLocks};
use super::timer::{ThreadTimer, Timer};
use super::{
    RowReport, SkipReason, StageJob, StageOutcome, StageReport, SyncExecutor, SyncProvider, SyncReport,
    TimeLimit,
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

/// A concurrency limit of zero: nothing would ever run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("an orchestrator runs at least 1 row at once; a limit of 0 would never run any")]
pub struct ZeroLimit;

/// What an orchestrator holds right now: all zero whenever no run is in progress, so a
/// run that ended (or was dropped) leaked nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Holding {
    /// Rows holding one of the orchestrator's own slots.
    pub rows: usize,
    /// Slots taken from providers' caps, summed over providers.
    pub provider_slots: usize,
    /// Lock keys held or waited on ([`SyncLocks::held`]).
    pub locks: usize,
}

struct Registered {
    integration: &'static str,
    provider: Arc<dyn SyncProvider>,
    executor: Arc<dyn SyncExecutor>,
    /// Why the registration cannot run (a zero cap or timeout), told to each of its jobs.
    refused: Option<String>,
}

/// A provider's cap: its semaphore and how many permits it started with.
struct Cap {
    permits: usize,
    semaphore: Arc<Semaphore>,
}

/// When a run must end: the instant, and the deadline it was set from (for reports).
#[derive(Clone, Copy)]
struct Deadline {
    at: Instant,
    after: Duration,
}

/// Runs registered rows' stages in order, at most [`max_concurrent`](Self::max_concurrent)
/// rows at once, under each provider's [`Locking`] and cap.
///
/// Its guarantees, under rows that misbehave:
/// - **Every job gets its report.** A stage that panics is that row's
///   [`StageOutcome::Panicked`], with the panic's message; a panic in a provider's own
///   code (its `gate`, `alias_key`, …) is that row's `error`. Every other row runs and
///   reports, and [`run`](Self::run) returns normally.
/// - **Time is bounded.** Each stage gets the provider's
///   [`stage_timeout`](SyncProvider::stage_timeout) or the default
///   ([`with_stage_timeout`](Self::with_stage_timeout), 10 minutes); a stage past it is
///   cancelled and reported [`TimedOut`](StageOutcome::TimedOut), and the row's later
///   stages are skipped. A run given a deadline ([`with_run_deadline`](Self::with_run_deadline))
///   returns by it: stages running then are cut, and rows still waiting report their
///   stages skipped.
/// - **Locks mean what [`Locking`] says**, keyed by owner, so one user never waits on
///   another's lock (except under `Locking::Provider`, which asks for exactly that).
/// - **Nothing leaks.** Locks and slots are guards released on every path: success,
///   failure, panic, timeout, deadline, or the run's future dropped ([`holding`](Self::holding)
///   is back to zero).
///
/// Runtime-agnostic: [`run`](Self::run) is one future that drives every job; spawn it on
/// whatever executor the host uses. Time comes from a [`Timer`] ([`ThreadTimer`] unless
/// the host passes its own with [`with_timer`](Self::with_timer)), locks from a
/// [`SyncLocks`] ([`MemorySyncLocks`] unless [`with_locks`](Self::with_locks) passes
/// leases shared across instances).
pub struct Orchestrator {
    max_concurrent: usize,
    limit: Arc<Semaphore>,
    rows: HashMap<&'static str, Registered>,
    caps: HashMap<&'static str, Cap>,
    locks: Arc<dyn SyncLocks>,
    timer: Arc<dyn Timer>,
    stage_timeout: Duration,
    run_deadline: Option<Duration>,
}

impl Orchestrator {
    /// The stage timeout when neither the provider nor the host sets one.
    pub const DEFAULT_STAGE_TIMEOUT: Duration = Duration::from_secs(10 * 60);

    /// An orchestrator running at most `max_concurrent` rows at once; a limit above what
    /// a semaphore can count is clamped to [`Semaphore::MAX_PERMITS`].
    ///
    /// # Panics
    ///
    /// When `max_concurrent` is zero ([`try_new`](Self::try_new) returns the error).
    pub fn new(max_concurrent: usize) -> Self {
        match Self::try_new(max_concurrent) {
            Ok(o) => o,
            Err(e) => panic!("Orchestrator::new({max_concurrent}): {e}"),
        }
    }

    /// [`new`](Self::new), with a limit of zero an error.
    pub fn try_new(max_concurrent: usize) -> Result<Self, ZeroLimit> {
        if max_concurrent == 0 {
            return Err(ZeroLimit);
        }
        let max_concurrent = max_concurrent.min(Semaphore::MAX_PERMITS);
        Ok(Orchestrator {
            max_concurrent,
            limit: Arc::new(Semaphore::new(max_concurrent)),
            rows: HashMap::new(),
            caps: HashMap::new(),
            locks: Arc::new(MemorySyncLocks::new()),
            timer: Arc::new(ThreadTimer),
            stage_timeout: Self::DEFAULT_STAGE_TIMEOUT,
            run_deadline: None,
        })
    }

    /// Stages of providers that set no [`stage_timeout`](SyncProvider::stage_timeout) of
    /// their own get `timeout` (at least a millisecond).
    pub fn with_stage_timeout(mut self, timeout: Duration) -> Self {
        self.stage_timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// Every [`run`](Self::run) returns within `deadline` of its start (plus the time to
    /// cancel what is running). Without one, a run lasts as long as its rows do, each
    /// stage bounded by its timeout.
    pub fn with_run_deadline(mut self, deadline: Duration) -> Self {
        self.run_deadline = Some(deadline);
        self
    }

    /// Measures timeouts and deadlines with `timer`.
    pub fn with_timer(mut self, timer: Arc<dyn Timer>) -> Self {
        self.timer = timer;
        self
    }

    /// Takes row, account and provider locks from `locks` (database leases, for
    /// instances sharing work) instead of in-process mutexes.
    pub fn with_locks(mut self, locks: Arc<dyn SyncLocks>) -> Self {
        self.locks = locks;
        self
    }

    /// The global limit.
    pub fn max_concurrent(&self) -> usize {
        self.max_concurrent
    }

    /// The locks rows take.
    pub fn locks(&self) -> &Arc<dyn SyncLocks> {
        &self.locks
    }

    /// What runs in progress hold now.
    pub fn holding(&self) -> Holding {
        Holding {
            rows: self.max_concurrent - self.limit.available_permits(),
            provider_slots: self
                .caps
                .values()
                .map(|c| c.permits - c.semaphore.available_permits())
                .sum(),
            locks: self.locks.held(),
        }
    }

    /// Registers row `R`: jobs for its label run `provider`'s stages through `executor`.
    /// Registering a label again replaces the earlier registration, its cap included
    /// (see [`SyncProvider::max_concurrent`] for how rows of one provider share a cap).
    ///
    /// A provider declaring a cap of zero or a stage timeout of zero is registered, but
    /// each of its jobs reports why it cannot run instead of running.
    pub fn register_row_with_sync<R: Row>(
        &mut self,
        provider: Arc<dyn SyncProvider>,
        executor: Arc<dyn SyncExecutor>,
    ) -> &mut Self {
        let integration = type_name::<R::Integration>();
        let refused = refusal(&*provider);
        self.rows.insert(
            R::ROW_LABEL,
            Registered {
                integration,
                provider,
                executor,
                refused,
            },
        );
        self.recompute_cap(integration);
        self
    }

    /// The integration's cap from its current registrations: the smallest any of its
    /// runnable rows declares. No run is in progress (registering takes `&mut self`), so
    /// the semaphore can simply be replaced.
    fn recompute_cap(&mut self, integration: &'static str) {
        let cap = self
            .rows
            .values()
            .filter(|r| r.integration == integration && r.refused.is_none())
            .filter_map(|r| r.provider.max_concurrent())
            .min()
            .map(|n| n.min(Semaphore::MAX_PERMITS));
        match cap {
            Some(permits) => {
                let semaphore = Arc::new(Semaphore::new(permits));
                self.caps.insert(integration, Cap { permits, semaphore });
            }
            None => {
                self.caps.remove(integration);
            }
        }
    }

    /// Labels of the registered rows, sorted.
    pub fn rows(&self) -> Vec<&'static str> {
        let mut labels: Vec<_> = self.rows.keys().copied().collect();
        labels.sort_unstable();
        labels
    }

    /// Runs every job and reports each, in the order given.
    pub async fn run(&self, jobs: impl IntoIterator<Item = SyncJob>) -> SyncReport {
        let deadline = self.run_deadline.map(|after| Deadline {
            at: self.timer.now() + after,
            after,
        });
        let rows = futures::future::join_all(jobs.into_iter().map(|job| self.run_job(job, deadline))).await;
        SyncReport { rows }
    }

    async fn run_job(&self, job: SyncJob, deadline: Option<Deadline>) -> RowReport {
        let (lookup_key, row_label) = (job.lookup_key.clone(), job.row_label);
        // Stages catch their own panics; this catches the provider's (its `gate`,
        // `alias_key`, …), so no row's panic reaches the run.
        match AssertUnwindSafe(self.run_row(job, deadline)).catch_unwind().await {
            Ok(report) => report,
            Err(panic) => RowReport {
                lookup_key,
                row_label,
                stages: Vec::new(),
                error: Some(format!("panicked: {}", panic_message(&*panic))),
            },
        }
    }

    async fn run_row(&self, job: SyncJob, deadline: Option<Deadline>) -> RowReport {
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
        if let Some(refused) = &row.refused {
            report.error = Some(refused.clone());
            return report;
        }
        let provider = &*row.provider;
        let owner = job.user.owner();
        let alias_key = provider.alias_key(&job.lookup_key);
        let lock_key = match provider.locking() {
            Locking::Row => Some(LockKey::Row {
                owner,
                alias_key: alias_key.clone(),
            }),
            Locking::Account => Some(LockKey::Account {
                owner,
                account: provider.account_key(&job.lookup_key),
            }),
            Locking::Provider => Some(LockKey::Provider {
                integration: row.integration,
            }),
            Locking::None => None,
        };
        let skip_all = |mut report: RowReport| {
            report.stages = provider
                .stages()
                .iter()
                .map(|&stage| StageReport {
                    stage,
                    outcome: StageOutcome::Skipped(SkipReason::RunDeadlinePassed),
                })
                .collect();
            report
        };

        // Lock before taking a slot, so a row waiting on its lock holds none. Each wait
        // ends at the run's deadline; the guards release on every way out of this fn.
        let _lease = match lock_key {
            Some(key) => {
                let shown = key.to_string();
                match self.within(deadline, self.locks.lock(key)).await {
                    None => return skip_all(report),
                    Some(Ok(lease)) => Some(lease),
                    Some(Err(e)) => {
                        report.error = Some(format!("could not take the lock `{shown}`: {e:#}"));
                        return report;
                    }
                }
            }
            None => None,
        };
        let _provider_slot = match self.caps.get(row.integration) {
            Some(cap) => match self.within(deadline, cap.semaphore.acquire()).await {
                Some(Ok(permit)) => Some(permit),
                _ => return skip_all(report),
            },
            None => None,
        };
        let _slot = match self.within(deadline, self.limit.acquire()).await {
            Some(Ok(permit)) => permit,
            _ => return skip_all(report),
        };

        let row_id = owner.row_id(&job.lookup_key);
        let (mut failed, mut timed_out) = (false, false);
        for &stage in provider.stages() {
            let left = deadline.map(|d| d.at.saturating_duration_since(self.timer.now()));
            let outcome = if left.is_some_and(|l| l.is_zero()) {
                StageOutcome::Skipped(SkipReason::RunDeadlinePassed)
            } else if timed_out {
                StageOutcome::Skipped(SkipReason::EarlierStageTimedOut)
            } else if failed && provider.gating() == Gating::Sequential {
                StageOutcome::Skipped(SkipReason::EarlierStageFailed)
            } else if !provider.gate(stage, &job) {
                StageOutcome::Skipped(SkipReason::Gated)
            } else {
                let stage_job = StageJob {
                    lookup_key: &job.lookup_key,
                    row_label: job.row_label,
                    alias_key: &alias_key,
                    row_id,
                    owner,
                    user: &*job.user,
                    stage,
                    range: provider.stage_key_range(stage),
                };
                let own = provider.stage_timeout(stage).unwrap_or(self.stage_timeout);
                // Whichever limit comes first is the one the report names.
                let (wait, limit) = match (left, deadline) {
                    (Some(left), Some(d)) if left < own => (left, TimeLimit::Run(d.after)),
                    _ => (own, TimeLimit::Stage(own)),
                };
                // The call sits inside the caught future, so a panic while an executor
                // builds its future is caught like one while it runs.
                let execute =
                    AssertUnwindSafe(async { row.executor.execute(&stage_job).await }).catch_unwind();
                match select(std::pin::pin!(execute), self.timer.sleep(wait)).await {
                    Either::Left((Ok(Ok(n)), _)) => StageOutcome::Synced(n),
                    Either::Left((Ok(Err(e)), _)) => StageOutcome::Failed(format!("{e:#}")),
                    Either::Left((Err(panic), _)) => StageOutcome::Panicked(panic_message(&*panic)),
                    // Dropping the stage's future (with `select`'s other half) cancels it.
                    Either::Right(_) => StageOutcome::TimedOut(limit),
                }
            };
            match outcome {
                StageOutcome::TimedOut(_) => timed_out = true,
                StageOutcome::Failed(_) | StageOutcome::Panicked(_) => failed = true,
                _ => {}
            }
            report.stages.push(StageReport { stage, outcome });
        }
        report
    }

    /// `future`'s output, or `None` once the run's deadline has passed.
    async fn within<T>(&self, deadline: Option<Deadline>, future: impl Future<Output = T>) -> Option<T> {
        let Some(deadline) = deadline else {
            return Some(future.await);
        };
        let left = deadline.at.saturating_duration_since(self.timer.now());
        match select(std::pin::pin!(future), self.timer.sleep(left)).await {
            Either::Left((out, _)) => Some(out),
            Either::Right(_) => None,
        }
    }
}

/// Why a provider's registration cannot run, when it declares a zero it cannot mean.
fn refusal(provider: &dyn SyncProvider) -> Option<String> {
    if provider.max_concurrent() == Some(0) {
        return Some(
            "the provider declares max_concurrent Some(0), which would never run its rows: \
             declare None to leave it to the orchestrator's limit, or a cap of at least 1"
                .to_owned(),
        );
    }
    let zero = provider
        .stages()
        .iter()
        .find(|s| provider.stage_timeout(s) == Some(Duration::ZERO))?;
    Some(format!(
        "the provider declares stage_timeout Some(0s) for stage `{zero}`, which would time it \
         out before it starts: declare None for the orchestrator's default, or a longer one"
    ))
}

/// A panic payload's message: the `&str` or `String` that `panic!` carries.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    match (payload.downcast_ref::<&str>(), payload.downcast_ref::<String>()) {
        (Some(s), _) => (*s).to_owned(),
        (_, Some(s)) => s.clone(),
        _ => "a panic without a message".to_owned(),
    }
}
