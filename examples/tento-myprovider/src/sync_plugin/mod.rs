//! MyProvider's orchestrator wiring: the topology ([`MyProviderSyncProvider`]) and the
//! executor that runs it ([`MyProviderSyncExecutor`]), over two host-implemented seams:
//! [`MyProviderApiContext`] (auth and client resolution) and [`MyProviderSyncDeps`]
//! (row state and persistence).
//!
//! These seams are separate from `connector::MyProviderBackendDeps` on purpose: a host
//! that does not enable `sync-plugin` does not implement them.

mod context;
mod deps;
mod executor;
mod provider;
mod state;

pub use context::MyProviderApiContext;
pub use deps::MyProviderSyncDeps;
pub use executor::MyProviderSyncExecutor;
pub use provider::{ACTIVITIES_KEY, MyProviderSyncProvider};
pub use state::RowSyncState;
