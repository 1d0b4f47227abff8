use std::fmt;
use std::time::Duration;

/// What one [`Orchestrator::run`](super::Orchestrator::run) did, row by row, in the order
/// the jobs were given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// One report per job.
    pub rows: Vec<RowReport>,
}

impl SyncReport {
    /// Cells persisted across every row and stage.
    pub fn synced_cells(&self) -> usize {
        self.rows.iter().map(RowReport::synced_cells).sum()
    }

    /// Whether every row ran every stage it was asked to without failure.
    pub fn is_success(&self) -> bool {
        self.rows.iter().all(RowReport::is_success)
    }

    /// The rows that failed somewhere.
    pub fn failures(&self) -> impl Iterator<Item = &RowReport> {
        self.rows.iter().filter(|r| !r.is_success())
    }
}

/// What happened to one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowReport {
    /// The row's lookup key.
    pub lookup_key: String,
    /// The row's label.
    pub row_label: &'static str,
    /// Each stage, in order.
    pub stages: Vec<StageReport>,
    /// Why the row did not run, or stopped outside any stage: no row registered under
    /// its label, a refused registration, a lock that could not be taken, or a panic in
    /// the provider's own code (`panicked: …`).
    pub error: Option<String>,
}

impl RowReport {
    /// Cells persisted across the row's stages.
    pub fn synced_cells(&self) -> usize {
        self.stages
            .iter()
            .map(|s| match s.outcome {
                StageOutcome::Synced(n) => n,
                _ => 0,
            })
            .sum()
    }

    /// Whether the row ran and every stage synced or was gated off: a failure, a panic,
    /// a timeout or a stage the run's deadline cut is not a success.
    pub fn is_success(&self) -> bool {
        self.error.is_none()
            && self.stages.iter().all(|s| {
                matches!(
                    s.outcome,
                    StageOutcome::Synced(_)
                        | StageOutcome::Skipped(SkipReason::Gated | SkipReason::EarlierStageFailed)
                )
            })
    }
}

/// What happened to one stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageReport {
    /// The stage's name.
    pub stage: &'static str,
    /// Its outcome.
    pub outcome: StageOutcome,
}

/// The outcome of a stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StageOutcome {
    /// Ran; this many cells persisted.
    Synced(usize),
    /// Did not run.
    Skipped(SkipReason),
    /// Ran and failed, with the error's message chain.
    Failed(String),
    /// Panicked, with the panic's message; the rest of the run went on.
    Panicked(String),
    /// Did not finish in time and was cancelled (its future dropped), releasing the
    /// row's lock and slots; the row's later stages are skipped.
    TimedOut(TimeLimit),
}

impl StageOutcome {
    /// Whether the stage ran and went wrong: failed, panicked or timed out.
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            StageOutcome::Failed(_) | StageOutcome::Panicked(_) | StageOutcome::TimedOut(_)
        )
    }
}

/// The limit a timed-out stage ran into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeLimit {
    /// The stage's own timeout
    /// ([`SyncProvider::stage_timeout`](super::SyncProvider::stage_timeout), or the
    /// orchestrator's default).
    Stage(Duration),
    /// The run's deadline ([`Orchestrator::with_run_deadline`](super::Orchestrator::with_run_deadline))
    /// came first.
    Run(Duration),
}

/// Why a stage did not run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// An earlier stage failed (or panicked) and the row's gating is sequential.
    EarlierStageFailed,
    /// The provider's [`gate`](super::SyncProvider::gate) closed it.
    Gated,
    /// An earlier stage timed out: whatever the gating, an upstream that hung once is
    /// not given the row's slot again in this run.
    EarlierStageTimedOut,
    /// The run's deadline passed before the stage could start (waiting on its lock or a
    /// slot, or after an earlier stage).
    RunDeadlinePassed,
}

impl fmt::Display for RowReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.lookup_key, self.row_label)?;
        if let Some(e) = &self.error {
            return write!(f, ": {e}");
        }
        for s in &self.stages {
            match &s.outcome {
                StageOutcome::Synced(n) => write!(f, "; {}: {n} cells", s.stage)?,
                StageOutcome::Skipped(SkipReason::EarlierStageFailed) => {
                    write!(f, "; {}: skipped (an earlier stage failed)", s.stage)?
                }
                StageOutcome::Skipped(SkipReason::Gated) => write!(f, "; {}: skipped (gated)", s.stage)?,
                StageOutcome::Skipped(SkipReason::EarlierStageTimedOut) => {
                    write!(f, "; {}: skipped (an earlier stage timed out)", s.stage)?
                }
                StageOutcome::Skipped(SkipReason::RunDeadlinePassed) => {
                    write!(f, "; {}: skipped (the run's deadline passed)", s.stage)?
                }
                StageOutcome::Failed(e) => write!(f, "; {}: failed: {e}", s.stage)?,
                StageOutcome::Panicked(e) => write!(f, "; {}: panicked: {e}", s.stage)?,
                StageOutcome::TimedOut(TimeLimit::Stage(d)) => {
                    write!(f, "; {}: timed out after {d:?}", s.stage)?
                }
                StageOutcome::TimedOut(TimeLimit::Run(d)) => {
                    write!(f, "; {}: cut by the run's {d:?} deadline", s.stage)?
                }
            }
        }
        Ok(())
    }
}
