//! Sync: the topology a provider declares ([`SyncProvider`]), the code that runs a stage
//! ([`SyncExecutor`]), and an [`Orchestrator`] that runs rows' stages in order under the
//! declared concurrency and locking, containing a row's panic, bounding each stage and
//! each run in time, and taking its locks through [`SyncLocks`] (in-process mutexes, or
//! leases shared across instances).
//!
//! A provider that ships the `sync-plugin` feature implements both traits in its
//! `sync_plugin` module; a row that only implements [`Row::sync`](crate::connector::Row::sync)
//! syncs through [`DispatchExecutor`] with its [`SyncShape`](crate::connector::SyncShape)
//! as the provider.

mod executor;
mod locks;
mod orchestrator;
mod provider;
mod ranges;
mod report;
mod state;
mod timer;

pub use executor::{DispatchExecutor, StageJob, SyncExecutor};
pub use locks::{LockKey, MemorySyncLocks, SyncLease, SyncLocks};
pub use orchestrator::{Holding, Orchestrator, SyncJob, ZeroLimit};
pub use provider::SyncProvider;
pub use ranges::{Lookback, SyncProgress, SyncedRanges};
pub use report::{RowReport, SkipReason, StageOutcome, StageReport, SyncReport, TimeLimit};
pub use state::{MemorySyncStateStore, SyncStateStore, load_state_as, save_state_as};
pub use timer::{ThreadTimer, Timer};
