use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use futures::future::BoxFuture;
use rusqlite::{Connection, ErrorCode, OptionalExtension, Transaction, TransactionBehavior, params};
use uuid::Uuid;

use super::migrate::{SCHEMA_VERSION, SQLITE_MIGRATIONS, dedup_by_id, in_date_order};
use super::{HostStore, StoreError};
use crate::chrono::DateRange;
use crate::connector::Cell;
use crate::host::CellStore;
use crate::oauth::{AccountKey, RefreshGuard, TokenSet, TokenStore};
use crate::sync::SyncStateStore;

const STORE: &str = "SQLite";

/// A [`HostStore`] in one SQLite file: the default for a host of one instance.
///
/// Durable against a crash of the host: the file is in WAL mode with `synchronous=FULL`,
/// and each call is one transaction. One connection serves the store; its calls run on
/// the caller's thread (SQLite is in-process and a page is a few milliseconds), so the
/// store needs no runtime. Another process writing the same file waits up to the busy
/// timeout ([`SqliteOptions::busy_timeout`]), then gets [`StoreError::Locked`]; hosts
/// of many instances use PostgreSQL.
pub struct SqliteStore {
    /// Shared with the guards of refresh leases, which give their lease back on drop.
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
    busy_timeout: Duration,
    /// Declared after `conn`, so the file is deleted after the connection closes.
    _temporary: Option<TemporaryFile>,
}

/// A database file deleted (with SQLite's `-wal` and `-shm` files beside it) when dropped.
struct TemporaryFile(PathBuf);

impl Drop for TemporaryFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut path = self.0.clone().into_os_string();
            path.push(suffix);
            // Already gone is as good as deleted.
            let _ = std::fs::remove_file(path);
        }
    }
}

/// How [`SqliteStore::open_with`] opens a file.
#[derive(Clone, Debug)]
pub struct SqliteOptions {
    /// How long a write waits for another process's lock on the file before
    /// [`StoreError::Locked`]. Five seconds by default.
    pub busy_timeout: Duration,
    /// A cap on the file's size in pages (SQLite's `max_page_count`): a write past it
    /// fails with [`StoreError::Full`] and keeps nothing, as on a full disk. `None` (the
    /// default) leaves SQLite's own limit.
    pub max_page_count: Option<u64>,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        SqliteOptions {
            busy_timeout: Duration::from_secs(5),
            max_page_count: None,
        }
    }
}

impl SqliteStore {
    /// Opens (creating it when missing) the database at `path` and brings its schema to
    /// [`SCHEMA_VERSION`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open_with(path, SqliteOptions::default())
    }

    /// [`open`](Self::open) with `options`.
    pub fn open_with(path: impl AsRef<Path>, options: SqliteOptions) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        let busy_timeout = options.busy_timeout;
        let fail = |e: rusqlite::Error| classify(&path, busy_timeout, e);
        let conn = Connection::open(&path).map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == ErrorCode::CannotOpen => StoreError::Unreachable {
                store: STORE,
                url: path.display().to_string(),
                reason: "the file cannot be opened or created (does its folder exist, and may this user write there?)"
                    .into(),
            },
            e => fail(e),
        })?;
        conn.busy_timeout(busy_timeout).map_err(fail)?;
        // WAL: a crash never leaves a half-written transaction, readers do not block the
        // writer; FULL: a commit is on disk when it returns.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(fail)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(fail)?;
        if let Some(pages) = options.max_page_count {
            conn.pragma_update(None, "max_page_count", pages).map_err(fail)?;
        }
        let store = SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
            path,
            busy_timeout,
            _temporary: None,
        };
        store.migrate()?;
        Ok(store)
    }

    /// A store in a new file under the system's temporary folder, deleted when the store
    /// is dropped: a host's tests get a real SQLite file that nothing else sees.
    pub fn temporary() -> Result<Self, StoreError> {
        static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("tento-{}-{n}-{nanos}.db", std::process::id()));
        let temporary = TemporaryFile(path.clone());
        let mut store = Self::open(&path)?;
        store._temporary = Some(temporary);
        Ok(store)
    }

    /// The file the store writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn migrate(&self) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute_batch("CREATE TABLE IF NOT EXISTS tento_schema (version INTEGER NOT NULL)")?;
            let found: i64 = tx.query_row("SELECT COALESCE(MAX(version), 0) FROM tento_schema", [], |r| {
                r.get(0)
            })?;
            if found > SCHEMA_VERSION {
                return Ok(Err(found));
            }
            for (from, sql) in SQLITE_MIGRATIONS.iter().enumerate().skip(found as usize) {
                tx.execute_batch(sql)?;
                tx.execute(
                    "INSERT INTO tento_schema (version) VALUES (?1)",
                    [from as i64 + 1],
                )?;
            }
            Ok(Ok(()))
        })?
        .map_err(|found| StoreError::NewerSchema {
            store: STORE,
            url: self.path.display().to_string(),
            found,
            supported: SCHEMA_VERSION,
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        lock(&self.conn)
    }

    /// Runs `f` in one write transaction, committed when it returns `Ok`.
    fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>) -> Result<T, StoreError> {
        let mut conn = self.conn();
        let run = || {
            // IMMEDIATE takes the write lock at once, so a busy file fails here, before
            // any work, rather than at commit.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        };
        run().map_err(|e| classify(&self.path, self.busy_timeout, e))
    }

    fn read<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, StoreError> {
        f(&self.conn()).map_err(|e| classify(&self.path, self.busy_timeout, e))
    }
}

fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    // A panic mid-call rolled its transaction back (the `Transaction`'s drop), so the
    // connection is consistent.
    conn.lock().unwrap_or_else(|p| p.into_inner())
}

fn put_cells(tx: &Transaction<'_>, row_id: Uuid, cells: Vec<Cell>) -> rusqlite::Result<usize> {
    let cells = dedup_by_id(cells);
    let row = row_id.to_string();
    let mut upsert = tx.prepare_cached(
        "INSERT INTO tento_cells (row_id, cell_id, cell) VALUES (?1, ?2, ?3)
         ON CONFLICT (row_id, cell_id) DO UPDATE SET cell = excluded.cell",
    )?;
    for (id, cell) in &cells {
        let json =
            serde_json::to_string(cell).map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
        upsert.execute(params![row, id, json])?;
    }
    Ok(cells.len())
}

fn save_state(tx: &Transaction<'_>, row_id: Uuid, state: &serde_json::Value) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO tento_sync_state (row_id, state) VALUES (?1, ?2)
         ON CONFLICT (row_id) DO UPDATE SET state = excluded.state",
    )?
    .execute(params![row_id.to_string(), state.to_string()])?;
    Ok(())
}

/// A driver error as the [`StoreError`] a host can act on.
fn classify(path: &Path, busy_timeout: Duration, e: rusqlite::Error) -> StoreError {
    let url = path.display().to_string();
    match &e {
        rusqlite::Error::SqliteFailure(f, _) => match f.code {
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => StoreError::Locked {
                store: STORE,
                url,
                waited_ms: busy_timeout.as_millis() as u64,
            },
            ErrorCode::DiskFull => StoreError::Full { store: STORE, url },
            ErrorCode::NotADatabase => StoreError::Database {
                store: STORE,
                url,
                reason: "the file is not a SQLite database; point the host at a new file".into(),
            },
            _ => StoreError::Database {
                store: STORE,
                url,
                reason: e.to_string(),
            },
        },
        _ => StoreError::Database {
            store: STORE,
            url,
            reason: e.to_string(),
        },
    }
}

impl CellStore for SqliteStore {
    fn put<'a>(&'a self, row_id: Uuid, cells: Vec<Cell>) -> BoxFuture<'a, anyhow::Result<usize>> {
        let result = self.write(|tx| put_cells(tx, row_id, cells));
        Box::pin(std::future::ready(result.map_err(Into::into)))
    }

    fn cells<'a>(
        &'a self,
        row_id: Uuid,
        range: Option<DateRange>,
    ) -> BoxFuture<'a, anyhow::Result<Vec<Cell>>> {
        let rows = self.read(|conn| {
            let mut select =
                conn.prepare_cached("SELECT cell FROM tento_cells WHERE row_id = ?1 ORDER BY rowid")?;
            let rows = select.query_map([row_id.to_string()], |r| r.get::<_, String>(0))?;
            rows.collect::<rusqlite::Result<Vec<String>>>()
        });
        let cells = rows.map_err(anyhow::Error::from).and_then(|rows| {
            let cells = rows
                .iter()
                .map(|json| serde_json::from_str::<Cell>(json))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| {
                    anyhow::anyhow!(
                        "{STORE}: `{}`: a stored cell does not parse: {e}",
                        self.path.display()
                    )
                })?;
            Ok(in_date_order(cells, range))
        });
        Box::pin(std::future::ready(cells))
    }

    fn remove<'a>(&'a self, row_id: Uuid, cell_id: &'a str) -> BoxFuture<'a, anyhow::Result<bool>> {
        let removed = self.write(|tx| {
            tx.execute(
                "DELETE FROM tento_cells WHERE row_id = ?1 AND cell_id = ?2",
                params![row_id.to_string(), cell_id],
            )
        });
        Box::pin(std::future::ready(removed.map(|n| n > 0).map_err(Into::into)))
    }
}

impl SyncStateStore for SqliteStore {
    fn load_state<'a>(&'a self, row_id: Uuid) -> BoxFuture<'a, anyhow::Result<Option<serde_json::Value>>> {
        let state = self.read(|conn| {
            conn.prepare_cached("SELECT state FROM tento_sync_state WHERE row_id = ?1")?
                .query_row([row_id.to_string()], |r| r.get::<_, String>(0))
                .optional()
        });
        let state = state.map_err(anyhow::Error::from).and_then(|json| {
            json.map(|json| serde_json::from_str(&json))
                .transpose()
                .map_err(|e| {
                    anyhow::anyhow!(
                        "{STORE}: `{}`: a stored sync state does not parse: {e}",
                        self.path.display()
                    )
                })
        });
        Box::pin(std::future::ready(state))
    }

    fn save_state<'a>(&'a self, row_id: Uuid, state: serde_json::Value) -> BoxFuture<'a, anyhow::Result<()>> {
        let saved = self.write(|tx| save_state(tx, row_id, &state));
        Box::pin(std::future::ready(saved.map_err(Into::into)))
    }

    fn host_store(&self) -> Option<&dyn HostStore> {
        Some(self)
    }
}

impl HostStore for SqliteStore {
    fn persist_page<'a>(
        &'a self,
        row_id: Uuid,
        cells: Vec<Cell>,
        state: serde_json::Value,
    ) -> BoxFuture<'a, anyhow::Result<usize>> {
        let written = self.write(|tx| {
            let written = put_cells(tx, row_id, cells)?;
            save_state(tx, row_id, &state)?;
            Ok(written)
        });
        Box::pin(std::future::ready(written.map_err(Into::into)))
    }
}

/// A refresh lease's time to live: a refresh is one request, so a holder that has not
/// finished by then has died.
const REFRESH_LEASE_MS: i64 = 60_000;

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// A refresh lease in the file, deleted when dropped.
struct FileLease {
    conn: Arc<Mutex<Connection>>,
    key: String,
    holder: String,
}

impl Drop for FileLease {
    fn drop(&mut self) {
        // A failure leaves the lease to expire on its own.
        let _ = lock(&self.conn).execute(
            "DELETE FROM tento_leases WHERE lock_key = ?1 AND holder = ?2",
            params![self.key, self.holder],
        );
    }
}

/// Tokens live in the same file as cells. The refresh lock is a lease in the file, so
/// two processes sharing one file (a host and a one-off command) refresh one at a time.
impl TokenStore for SqliteStore {
    fn load<'a>(&'a self, account: &'a AccountKey) -> BoxFuture<'a, anyhow::Result<Option<TokenSet>>> {
        let json = self.read(|conn| {
            conn.prepare_cached(
                "SELECT tokens FROM tento_tokens WHERE owner = ?1 AND kind = ?2 AND auth_id = ?3",
            )?
            .query_row(
                params![account.owner.0.to_string(), account.kind, account.auth_id],
                |r| r.get::<_, String>(0),
            )
            .optional()
        });
        let tokens = json.map_err(anyhow::Error::from).and_then(|json| {
            json.map(|json| serde_json::from_str(&json))
                .transpose()
                .map_err(|e| {
                    anyhow::anyhow!(
                        "{STORE}: `{}`: a stored token set does not parse: {e}",
                        self.path.display()
                    )
                })
        });
        Box::pin(std::future::ready(tokens))
    }

    fn save<'a>(
        &'a self,
        account: &'a AccountKey,
        tokens: &'a TokenSet,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        let saved = serde_json::to_string(tokens)
            .map_err(anyhow::Error::from)
            .and_then(|json| {
                self.write(|tx| {
                    tx.execute(
                        "INSERT INTO tento_tokens (owner, kind, auth_id, tokens) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (owner, kind, auth_id) DO UPDATE SET tokens = excluded.tokens",
                        params![account.owner.0.to_string(), account.kind, account.auth_id, json],
                    )
                })
                .map(drop)
                .map_err(Into::into)
            });
        Box::pin(std::future::ready(saved))
    }

    fn lock_refresh<'a>(&'a self, account: &'a AccountKey) -> BoxFuture<'a, anyhow::Result<RefreshGuard>> {
        static TAKEN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let key = format!("token {} {} {}", account.owner, account.kind, account.auth_id);
        let n = TAKEN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let holder = format!("{}-{n}-{}", std::process::id(), now_ms());
        Box::pin(async move {
            loop {
                let taken = self.write(|tx| {
                    let now = now_ms();
                    tx.execute(
                        "INSERT INTO tento_leases (lock_key, holder, expires_at_ms) VALUES (?1, ?2, ?3)
                         ON CONFLICT (lock_key) DO UPDATE
                             SET holder = excluded.holder, expires_at_ms = excluded.expires_at_ms
                             WHERE tento_leases.expires_at_ms < ?4",
                        params![key, holder, now + REFRESH_LEASE_MS, now],
                    )
                })?;
                if taken == 1 {
                    return Ok(RefreshGuard::new(FileLease {
                        conn: self.conn.clone(),
                        key,
                        holder,
                    }));
                }
                futures_timer::Delay::new(Duration::from_millis(25)).await;
            }
        })
    }
}
