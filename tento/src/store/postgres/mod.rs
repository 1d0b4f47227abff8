//! PostgreSQL: the store for hosts of many instances, and the leases they share.

use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::sync::{Mutex, MutexGuard};
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Config, NoTls, Statement, Transaction};
use uuid::Uuid;

use super::migrate::{POSTGRES_MIGRATIONS, SCHEMA_VERSION, dedup_by_id, in_date_order};
use super::{HostStore, StoreError};
use crate::chrono::DateRange;
use crate::connector::Cell;
use crate::host::CellStore;
use crate::oauth::{AccountKey, RefreshGuard, TokenSet, TokenStore};
use crate::sync::SyncStateStore;

mod leases;

pub use leases::PostgresSyncLocks;

const STORE: &str = "PostgreSQL";
const EXPECTED: &str = "`postgres://user:password@host:port/database`";

/// One connection, driven on its own thread. tokio-postgres's `Client` talks to its
/// `Connection` through channels, so the client's futures run on any executor while the
/// connection (which needs tokio's sockets) runs on a current-thread runtime of its own:
/// the store does not ask the host to use tokio. The thread ends when the client is
/// dropped.
pub(crate) struct Pg {
    client: Mutex<Client>,
    /// The connection's runtime, for work a `Drop` starts (giving a lease back).
    runtime: tokio::runtime::Handle,
    /// The URL without its password, for errors.
    pub(crate) url: String,
}

impl Pg {
    pub(crate) async fn connect(url: &str) -> Result<Arc<Pg>, StoreError> {
        let mut config: Config = url
            .parse()
            .map_err(|e: tokio_postgres::Error| StoreError::InvalidUrl {
                store: STORE,
                url: redact(url),
                reason: e.to_string(),
                expected: EXPECTED,
            })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        let shown = shown(&config);
        let (sent, connected) = futures::channel::oneshot::channel();
        let thread_url = shown.clone();
        std::thread::Builder::new()
            .name("tento-postgres".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        let _ = sent.send(Err(e.to_string()));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match config.connect(NoTls).await {
                        Ok((client, connection)) => {
                            let pg = Pg {
                                client: Mutex::new(client),
                                runtime: tokio::runtime::Handle::current(),
                                url: thread_url,
                            };
                            if sent.send(Ok(pg)).is_ok() {
                                // Ends with an error only when the server goes away; each
                                // call then fails with the client's own error.
                                let _ = connection.await;
                            }
                        }
                        Err(e) => {
                            let _ = sent.send(Err(e.to_string()));
                        }
                    }
                });
            })
            .map_err(|e| unreachable_error(&shown, e.to_string()))?;
        let pg = connected
            .await
            .map_err(|_| unreachable_error(&shown, "the connection thread ended".into()))?
            .map_err(|reason| unreachable_error(&shown, reason))?;
        Ok(Arc::new(pg))
    }

    pub(crate) async fn client(&self) -> MutexGuard<'_, Client> {
        self.client.lock().await
    }

    pub(crate) fn runtime(&self) -> &tokio::runtime::Handle {
        &self.runtime
    }

    /// Brings the schema to [`SCHEMA_VERSION`], one instance at a time (an advisory
    /// lock held for the transaction), refusing a newer one.
    pub(crate) async fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.client().await;
        let tx = client.transaction().await.map_err(|e| self.error(e))?;
        let found = async {
            // Any constant; it names tento's migrations among the database's advisory locks.
            tx.execute("SELECT pg_advisory_xact_lock(7428190351)", &[])
                .await?;
            tx.batch_execute("CREATE TABLE IF NOT EXISTS tento_schema (version BIGINT NOT NULL)")
                .await?;
            let found: i64 = tx
                .query_one("SELECT COALESCE(MAX(version), 0)::BIGINT FROM tento_schema", &[])
                .await?
                .get(0);
            if found <= SCHEMA_VERSION {
                for (from, sql) in POSTGRES_MIGRATIONS.iter().enumerate().skip(found as usize) {
                    tx.batch_execute(sql).await?;
                    tx.execute(
                        "INSERT INTO tento_schema (version) VALUES ($1)",
                        &[&(from as i64 + 1)],
                    )
                    .await?;
                }
            }
            Ok::<_, tokio_postgres::Error>(found)
        }
        .await
        .map_err(|e| self.error(e))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                store: STORE,
                url: self.url.clone(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        tx.commit().await.map_err(|e| self.error(e))
    }

    /// A driver error as the [`StoreError`] a host can act on.
    pub(crate) fn error(&self, e: tokio_postgres::Error) -> StoreError {
        if e.code() == Some(&SqlState::DISK_FULL) {
            return StoreError::Full {
                store: STORE,
                url: self.url.clone(),
            };
        }
        if e.is_closed() {
            return unreachable_error(&self.url, e.to_string());
        }
        let reason = match e.as_db_error() {
            Some(db) => db.message().to_owned(),
            None => e.to_string(),
        };
        StoreError::Database {
            store: STORE,
            url: self.url.clone(),
            reason,
        }
    }
}

fn unreachable_error(url: &str, reason: String) -> StoreError {
    StoreError::Unreachable {
        store: STORE,
        url: url.to_owned(),
        reason,
    }
}

/// The URL as errors show it: user, hosts, ports and database, never the password.
fn shown(config: &Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let host = match host {
                tokio_postgres::config::Host::Tcp(h) => h.clone(),
                tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
            };
            match config.get_ports().get(i).or(config.get_ports().first()) {
                Some(port) => format!("{host}:{port}"),
                None => host,
            }
        })
        .collect();
    format!(
        "postgres://{}@{}/{}",
        config.get_user().unwrap_or(""),
        hosts.join(","),
        config.get_dbname().unwrap_or("")
    )
}

/// A URL that did not parse, with anything between `:` and `@` (a password) hidden.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!("{}:***{}", &url[..scheme + 3 + colon], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// A [`HostStore`] on PostgreSQL, for hosts of many instances (which share work through
/// [`PostgresSyncLocks`]).
///
/// Connects without TLS: run it over loopback or a private network. One connection
/// serves the store and its calls queue on it; a host wanting more opens more stores.
pub struct PostgresStore {
    pg: Arc<Pg>,
    /// [`PERSIST_PAGE`], prepared once on the store's connection.
    persist_page: Statement,
    /// Account leases around token refreshes, on the store's connection.
    leases: leases::Leases,
}

/// A page of cells and the row's sync state in one statement. A statement is atomic on
/// its own, so the page needs no `BEGIN` and `COMMIT` around it: with the statement
/// prepared once, a page costs one round trip, where a transaction of two statements
/// costs four. The arrays unnest in order, so `seq` keeps the page's order.
const PERSIST_PAGE: &str = "
    WITH cells AS (
        INSERT INTO tento_cells (row_id, cell_id, cell)
        SELECT $1, u.id, u.cell FROM UNNEST($2::text[], $3::jsonb[]) AS u(id, cell)
        ON CONFLICT (row_id, cell_id) DO UPDATE SET cell = EXCLUDED.cell
    )
    INSERT INTO tento_sync_state (row_id, state) VALUES ($1, $4)
    ON CONFLICT (row_id) DO UPDATE SET state = EXCLUDED.state";

impl PostgresStore {
    /// Connects to `url` (`postgres://user:password@host:port/database`, or the
    /// key-value form) and brings the schema to [`SCHEMA_VERSION`].
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pg = Pg::connect(url).await?;
        pg.migrate().await?;
        let persist_page = pg
            .client()
            .await
            .prepare(PERSIST_PAGE)
            .await
            .map_err(|e| pg.error(e))?;
        let leases = leases::Leases::new(pg.clone()).await?;
        Ok(PostgresStore {
            pg,
            persist_page,
            leases,
        })
    }

    /// The URL connected to, without its password.
    pub fn url(&self) -> &str {
        &self.pg.url
    }

    /// Waits (up to five seconds) until every refresh lease this store took has been
    /// given back. Leases are deleted on the connection's thread after their guard
    /// drops; a process that exits first leaves them to expire, and other instances
    /// wait for that. Call it before a host process exits.
    pub async fn close(self) {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while self.leases.held() > 0 && std::time::Instant::now() < deadline {
            futures_timer::Delay::new(Duration::from_millis(5)).await;
        }
    }

    async fn write<T>(
        &self,
        f: impl for<'t> FnOnce(&'t Transaction<'t>) -> BoxFuture<'t, Result<T, tokio_postgres::Error>>,
    ) -> Result<T, StoreError> {
        let mut client = self.pg.client().await;
        let tx = client.transaction().await.map_err(|e| self.pg.error(e))?;
        // On an error (or this future dropped) the transaction's drop rolls it back.
        let out = f(&tx).await.map_err(|e| self.pg.error(e))?;
        tx.commit().await.map_err(|e| self.pg.error(e))?;
        Ok(out)
    }
}

/// A page's cells as [`PERSIST_PAGE`] and [`put_cells`] take them: ids and cells, one
/// per id.
fn page_arrays(cells: Vec<Cell>) -> (Vec<String>, Vec<serde_json::Value>) {
    dedup_by_id(cells)
        .into_iter()
        // A `Cell` is plain data, so it always serializes.
        .map(|(id, cell)| (id, serde_json::to_value(cell).unwrap_or_default()))
        .unzip()
}

async fn put_cells(
    tx: &Transaction<'_>,
    row_id: Uuid,
    cells: Vec<Cell>,
) -> Result<usize, tokio_postgres::Error> {
    let (ids, json) = page_arrays(cells);
    // One statement per page: the arrays unnest in order, so `seq` keeps the page's order.
    tx.execute(
        "INSERT INTO tento_cells (row_id, cell_id, cell)
         SELECT $1, u.id, u.cell FROM UNNEST($2::text[], $3::jsonb[]) AS u(id, cell)
         ON CONFLICT (row_id, cell_id) DO UPDATE SET cell = EXCLUDED.cell",
        &[&row_id, &ids, &json],
    )
    .await?;
    Ok(ids.len())
}

async fn save_state(
    tx: &Transaction<'_>,
    row_id: Uuid,
    state: &serde_json::Value,
) -> Result<(), tokio_postgres::Error> {
    tx.execute(
        "INSERT INTO tento_sync_state (row_id, state) VALUES ($1, $2)
         ON CONFLICT (row_id) DO UPDATE SET state = EXCLUDED.state",
        &[&row_id, state],
    )
    .await?;
    Ok(())
}

impl CellStore for PostgresStore {
    fn put<'a>(&'a self, row_id: Uuid, cells: Vec<Cell>) -> BoxFuture<'a, anyhow::Result<usize>> {
        Box::pin(async move { Ok(self.write(|tx| Box::pin(put_cells(tx, row_id, cells))).await?) })
    }

    fn cells<'a>(
        &'a self,
        row_id: Uuid,
        range: Option<DateRange>,
    ) -> BoxFuture<'a, anyhow::Result<Vec<Cell>>> {
        Box::pin(async move {
            let rows = {
                let client = self.pg.client().await;
                client
                    .query(
                        "SELECT cell FROM tento_cells WHERE row_id = $1 ORDER BY seq",
                        &[&row_id],
                    )
                    .await
                    .map_err(|e| self.pg.error(e))?
            };
            let cells = rows
                .iter()
                .map(|r| serde_json::from_value::<Cell>(r.get(0)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| {
                    anyhow::anyhow!("{STORE}: `{}`: a stored cell does not parse: {e}", self.pg.url)
                })?;
            Ok(in_date_order(cells, range))
        })
    }

    fn remove<'a>(&'a self, row_id: Uuid, cell_id: &'a str) -> BoxFuture<'a, anyhow::Result<bool>> {
        Box::pin(async move {
            let client = self.pg.client().await;
            let n = client
                .execute(
                    "DELETE FROM tento_cells WHERE row_id = $1 AND cell_id = $2",
                    &[&row_id, &cell_id],
                )
                .await
                .map_err(|e| self.pg.error(e))?;
            Ok(n > 0)
        })
    }
}

impl SyncStateStore for PostgresStore {
    fn load_state<'a>(&'a self, row_id: Uuid) -> BoxFuture<'a, anyhow::Result<Option<serde_json::Value>>> {
        Box::pin(async move {
            let client = self.pg.client().await;
            let row = client
                .query_opt("SELECT state FROM tento_sync_state WHERE row_id = $1", &[&row_id])
                .await
                .map_err(|e| self.pg.error(e))?;
            Ok(row.map(|r| r.get(0)))
        })
    }

    fn save_state<'a>(&'a self, row_id: Uuid, state: serde_json::Value) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            Ok(self
                .write(|tx| Box::pin(async move { save_state(tx, row_id, &state).await }))
                .await?)
        })
    }

    fn host_store(&self) -> Option<&dyn HostStore> {
        Some(self)
    }
}

impl HostStore for PostgresStore {
    fn persist_page<'a>(
        &'a self,
        row_id: Uuid,
        cells: Vec<Cell>,
        state: serde_json::Value,
    ) -> BoxFuture<'a, anyhow::Result<usize>> {
        Box::pin(async move {
            let (ids, json) = page_arrays(cells);
            let client = self.pg.client().await;
            client
                .execute(&self.persist_page, &[&row_id, &ids, &json, &state])
                .await
                .map_err(|e| self.pg.error(e))?;
            Ok(ids.len())
        })
    }
}

/// Tokens live beside cells; a refresh runs under a lease on the account, so instances
/// on one database never spend one rotating refresh token twice.
impl TokenStore for PostgresStore {
    fn load<'a>(&'a self, account: &'a AccountKey) -> BoxFuture<'a, anyhow::Result<Option<TokenSet>>> {
        Box::pin(async move {
            let row = {
                let client = self.pg.client().await;
                client
                    .query_opt(
                        "SELECT tokens FROM tento_tokens WHERE owner = $1 AND kind = $2 AND auth_id = $3",
                        &[&account.owner.0, &account.kind, &account.auth_id],
                    )
                    .await
                    .map_err(|e| self.pg.error(e))?
            };
            row.map(|r| serde_json::from_value(r.get(0)))
                .transpose()
                .map_err(|e| {
                    anyhow::anyhow!(
                        "{STORE}: `{}`: a stored token set does not parse: {e}",
                        self.pg.url
                    )
                })
        })
    }

    fn save<'a>(
        &'a self,
        account: &'a AccountKey,
        tokens: &'a TokenSet,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let json = serde_json::to_value(tokens)?;
            let client = self.pg.client().await;
            client
                .execute(
                    "INSERT INTO tento_tokens (owner, kind, auth_id, tokens) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (owner, kind, auth_id) DO UPDATE SET tokens = EXCLUDED.tokens",
                    &[&account.owner.0, &account.kind, &account.auth_id, &json],
                )
                .await
                .map_err(|e| self.pg.error(e))?;
            Ok(())
        })
    }

    fn lock_refresh<'a>(&'a self, account: &'a AccountKey) -> BoxFuture<'a, anyhow::Result<RefreshGuard>> {
        Box::pin(async move {
            let key = format!("token {} {} {}", account.owner, account.kind, account.auth_id);
            Ok(RefreshGuard::new(self.leases.take(key).await?))
        })
    }
}
