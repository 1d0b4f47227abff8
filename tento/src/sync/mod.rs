//! Sync: the topology a provider declares ([`SyncProvider`]), the code that runs a stage
//! ([`SyncExecutor`]), and an in-process [`Orchestrator`] that runs rows' stages in
//! order under the declared concurrency and locking.
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

pub use executor::{DispatchExecutor, StageJob, SyncExecutor};
pub use orchestrator::{Orchestrator, SyncJob};
pub use provider::SyncProvider;
pub use ranges::{Lookback, SyncProgress, SyncedRanges};
pub use report::{RowReport, SkipReason, StageOutcome, StageReport, SyncReport};
pub use state::{MemorySyncStateStore, SyncStateStore, load_state_as, save_state_as};
