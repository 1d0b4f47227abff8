use std::fmt;

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
    /// Why the row did not run at all (no row registered under its label).
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

    /// Whether the row ran and no stage failed.
    pub fn is_success(&self) -> bool {
        self.error.is_none()
            && self
                .stages
                .iter()
                .all(|s| !matches!(s.outcome, StageOutcome::Failed(_)))
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
}

/// Why a stage did not run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// An earlier stage failed and the row's gating is sequential.
    EarlierStageFailed,
    /// The provider's [`gate`](super::SyncProvider::gate) closed it.
    Gated,
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
                StageOutcome::Failed(e) => write!(f, "; {}: failed: {e}", s.stage)?,
            }
        }
        Ok(())
    }
}
