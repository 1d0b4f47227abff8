//! Where a host keeps what it syncs: cells ([`CellStore`]), sync state
//! ([`SyncStateStore`]) and users' OAuth tokens ([`TokenStore`]) together, on memory ([`MemoryStore`]), SQLite
//! ([`SqliteStore`], feature `sqlite`) or PostgreSQL ([`PostgresStore`], feature
//! `postgres`), with one contract, so a host moves between them by changing one line.
//!
//! A sync persists a page of cells and the state that records it with
//! [`HostStore::persist_page`]: on a database both commit in one transaction, so a crash
//! never leaves cells without the state that says they were fetched, nor state past cells
//! that are not there. Upserts are by cell id, so a page written twice (a retry after a
//! crash) stores each cell once.
//!
//! The database stores create their tables on open from migrations shipped in this crate,
//! recorded in a `tento_schema` table; a database written by a newer tento is refused
//! ([`StoreError::NewerSchema`]), never downgraded.
//!
//! Many instances share one PostgreSQL through [`PostgresSyncLocks`], leases in the
//! database that the orchestrator takes per row (and per account or provider, as the
//! row's `Locking` says).

use futures::future::BoxFuture;
use uuid::Uuid;

use crate::connector::Cell;
use crate::host::CellStore;
use crate::oauth::TokenStore;
use crate::sync::SyncStateStore;

mod error;
mod memory;
mod migrate;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use error::StoreError;
pub use memory::MemoryStore;
pub use migrate::SCHEMA_VERSION;
#[cfg(feature = "postgres")]
pub use postgres::{PostgresStore, PostgresSyncLocks};
#[cfg(feature = "sqlite")]
pub use sqlite::{SqliteOptions, SqliteStore};

/// A host's store: cells, sync state and tokens, and a page of cells with its state
/// written at once.
///
/// Tokens are part of it so a host keeps a rotated refresh token where it keeps its
/// data: an `Arc<dyn HostStore>` is an `Arc<dyn TokenStore>` (trait upcasting), which
/// the host's `UserAuth::token_store` returns.
pub trait HostStore: CellStore + SyncStateStore + TokenStore {
    /// Upserts `cells` into row `row_id` (as [`CellStore::put`]) and saves `state` as
    /// the row's sync state, all or nothing: after a crash either both are there or
    /// neither. Returns what `put` returns.
    fn persist_page<'a>(
        &'a self,
        row_id: Uuid,
        cells: Vec<Cell>,
        state: serde_json::Value,
    ) -> BoxFuture<'a, anyhow::Result<usize>>;
}
