//! The schema both database stores share, one migration per version, each applied once
//! in order on open and recorded in `tento_schema`.

#[cfg(any(feature = "sqlite", feature = "postgres"))]
use std::collections::HashMap;

#[cfg(any(feature = "sqlite", feature = "postgres"))]
use crate::connector::Cell;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
use crate::host::content_id;

/// The schema version this build writes and reads. A database at a higher version is
/// refused ([`StoreError::NewerSchema`](super::StoreError::NewerSchema)).
pub const SCHEMA_VERSION: i64 = SQLITE_MIGRATIONS.len() as i64;

/// SQLite's migrations; entry `i` takes the schema from version `i` to `i + 1`. Cells
/// keep their insertion order in the table's `rowid` (an upsert keeps it), which is how
/// the memory store orders cells of one date.
pub(crate) const SQLITE_MIGRATIONS: &[&str] = &[
    "
    CREATE TABLE tento_cells (
        row_id TEXT NOT NULL,
        cell_id TEXT NOT NULL,
        cell TEXT NOT NULL,
        PRIMARY KEY (row_id, cell_id)
    );
    CREATE TABLE tento_sync_state (
        row_id TEXT PRIMARY KEY,
        state TEXT NOT NULL
    );
",
    "
    CREATE TABLE tento_tokens (
        owner TEXT NOT NULL,
        kind TEXT NOT NULL,
        auth_id TEXT NOT NULL,
        tokens TEXT NOT NULL,
        PRIMARY KEY (owner, kind, auth_id)
    );
    CREATE TABLE tento_leases (
        lock_key TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at_ms INTEGER NOT NULL
    );
",
];

/// PostgreSQL's migrations, version for version the same tables as SQLite's, plus the
/// leases many instances share. `seq` keeps insertion order (an upsert keeps it).
pub(crate) const POSTGRES_MIGRATIONS: &[&str] = &[
    "
    CREATE TABLE tento_cells (
        seq BIGSERIAL NOT NULL,
        row_id UUID NOT NULL,
        cell_id TEXT NOT NULL,
        cell JSONB NOT NULL,
        PRIMARY KEY (row_id, cell_id)
    );
    CREATE TABLE tento_sync_state (
        row_id UUID PRIMARY KEY,
        state JSONB NOT NULL
    );
    CREATE TABLE tento_leases (
        lock_key TEXT PRIMARY KEY,
        holder UUID NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL
    );
",
    "
    CREATE TABLE tento_tokens (
        owner UUID NOT NULL,
        kind TEXT NOT NULL,
        auth_id TEXT NOT NULL,
        tokens JSONB NOT NULL,
        PRIMARY KEY (owner, kind, auth_id)
    );
",
];

const _: () = assert!(SQLITE_MIGRATIONS.len() == POSTGRES_MIGRATIONS.len());

/// The cells of one `put`, as a database stores them: each with its id (its own, or its
/// [`content_id`]), one per id in the order ids first appear, the last cell of an id
/// winning, as [`MemoryCellStore`](crate::host::MemoryCellStore) keeps them. A database
/// upsert of one statement must not touch a row twice, so this dedup is also what makes
/// a batch one statement.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub(crate) fn dedup_by_id(cells: Vec<Cell>) -> Vec<(String, Cell)> {
    let mut out: Vec<(String, Cell)> = Vec::with_capacity(cells.len());
    let mut at: HashMap<String, usize> = HashMap::with_capacity(cells.len());
    for mut cell in cells {
        let id = match &cell.id {
            Some(id) => id.clone(),
            None => {
                let id = content_id(&cell);
                cell.id = Some(id.clone());
                id
            }
        };
        match at.get(&id) {
            Some(&i) => out[i].1 = cell,
            None => {
                at.insert(id.clone(), out.len());
                out.push((id, cell));
            }
        }
    }
    out
}

/// Cells read back in insertion order, put in date order (stably, as the memory store
/// does) and cut to `range`.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub(crate) fn in_date_order(mut cells: Vec<Cell>, range: Option<crate::chrono::DateRange>) -> Vec<Cell> {
    cells.sort_by_key(|c| c.date);
    if let Some(range) = range {
        cells.retain(|c| range.contains_time(&c.date));
    }
    cells
}
