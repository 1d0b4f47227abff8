use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use futures::future::BoxFuture;
use uuid::Uuid;

use super::Pg;
use crate::store::StoreError;
use crate::sync::{LockKey, SyncLease, SyncLocks};

/// [`SyncLocks`] as leases in PostgreSQL's `tento_leases` table, so every instance of a
/// host on one database serializes rows the same way one instance's
/// [`MemorySyncLocks`](crate::sync::MemorySyncLocks) does.
///
/// A lease is a row naming its key, its holder and when it expires. Taking a key inserts
/// the row, or takes over one whose time has passed (the database's clock decides, so
/// instances' clocks need not agree); a key held by a live lease is polled until free.
/// While held, the lease is renewed every third of its time to live; dropped, it is
/// deleted. An instance that dies (killed, its machine gone) stops renewing, and its
/// leases are taken over once their time to live passes.
///
/// The time to live bounds how long a dead instance's rows wait; it must be longer than
/// a renewal can be late (a database pause), or a slow live holder may lose its lease.
pub struct PostgresSyncLocks {
    leases: Leases,
}

impl PostgresSyncLocks {
    /// The default time to live of a lease.
    pub const DEFAULT_TTL: Duration = Duration::from_secs(30);

    /// Connects to `url` on a connection of its own (so a store's long writes do not
    /// delay renewals) and brings the schema to the current version.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pg = Pg::connect(url).await?;
        pg.migrate().await?;
        Ok(PostgresSyncLocks {
            leases: Leases::new(pg).await?,
        })
    }

    /// Leases live `ttl` without a renewal (at least a second).
    pub fn with_ttl(mut self, ttl: Duration) -> Self {
        self.leases.ttl = ttl.max(Duration::from_secs(1));
        self
    }

    /// How often a waiter asks whether a held key is free (25 ms by default).
    pub fn with_poll_interval(mut self, poll: Duration) -> Self {
        self.leases.poll = poll;
        self
    }
}

/// Leases on one connection: what [`PostgresSyncLocks`] takes per row, and what
/// [`PostgresStore`](super::PostgresStore) takes per account around a token refresh.
pub(crate) struct Leases {
    pg: Arc<Pg>,
    /// This instance's id; each lease's holder is derived from it.
    instance: Uuid,
    taken: AtomicU64,
    held: Arc<AtomicUsize>,
    ttl: Duration,
    poll: Duration,
}

impl Leases {
    pub(crate) async fn new(pg: Arc<Pg>) -> Result<Self, StoreError> {
        let instance: Uuid = {
            let client = pg.client().await;
            client
                .query_one("SELECT gen_random_uuid()", &[])
                .await
                .map_err(|e| pg.error(e))?
                .get(0)
        };
        Ok(Leases {
            pg,
            instance,
            taken: AtomicU64::new(0),
            held: Arc::new(AtomicUsize::new(0)),
            ttl: PostgresSyncLocks::DEFAULT_TTL,
            poll: Duration::from_millis(25),
        })
    }

    async fn try_take(&self, key: &str, holder: Uuid) -> Result<bool, StoreError> {
        let ttl_ms = self.ttl.as_millis() as f64;
        let client = self.pg.client().await;
        let row = client
            .query_opt(
                "INSERT INTO tento_leases (lock_key, holder, expires_at)
                 VALUES ($1, $2, now() + $3 * interval '1 millisecond')
                 ON CONFLICT (lock_key) DO UPDATE
                     SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
                     WHERE tento_leases.expires_at < now()
                 RETURNING holder",
                &[&key, &holder, &ttl_ms],
            )
            .await
            .map_err(|e| self.pg.error(e))?;
        Ok(row.is_some())
    }
}

/// A lease taken or being taken: until dropped, counts in `held`; dropped, stops its
/// renewal and deletes its row (a row the insert may have written even when the waiting
/// future was dropped mid-query).
struct Held {
    pg: Arc<Pg>,
    key: String,
    holder: Uuid,
    held: Arc<AtomicUsize>,
    renewal: Option<tokio::task::JoinHandle<()>>,
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(renewal) = self.renewal.take() {
            renewal.abort();
        }
        let pg = self.pg.clone();
        let (key, holder) = (std::mem::take(&mut self.key), self.holder);
        let held = self.held.clone();
        // Runs on the connection's own runtime, so a lease dropped on any thread (or with
        // no runtime at all) is given back. `held` drops once the row is gone, so a host
        // that waits for it to reach zero leaves no lease behind.
        self.pg.runtime().spawn(async move {
            let client = pg.client().await;
            // A failure leaves the row to expire on its own.
            let _ = client
                .execute(
                    "DELETE FROM tento_leases WHERE lock_key = $1 AND holder = $2",
                    &[&key, &holder],
                )
                .await;
            held.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

impl SyncLocks for PostgresSyncLocks {
    fn lock(&self, key: LockKey) -> BoxFuture<'_, anyhow::Result<SyncLease>> {
        Box::pin(async move { Ok(SyncLease::new(self.leases.take(key.to_string()).await?)) })
    }

    fn held(&self) -> usize {
        self.leases.held.load(Ordering::SeqCst)
    }
}

impl Leases {
    /// Leases held, or dropped and not yet deleted.
    pub(crate) fn held(&self) -> usize {
        self.held.load(Ordering::SeqCst)
    }

    /// Waits for `key` and takes it; the lease is held until the returned value drops.
    pub(crate) async fn take(&self, key: String) -> Result<impl Send + 'static, StoreError> {
        {
            let n = self.taken.fetch_add(1, Ordering::Relaxed);
            let holder = Uuid::new_v5(&self.instance, &n.to_le_bytes());
            self.held.fetch_add(1, Ordering::SeqCst);
            let mut held = Held {
                pg: self.pg.clone(),
                key: key.clone(),
                holder,
                held: self.held.clone(),
                renewal: None,
            };
            while !self.try_take(&key, holder).await? {
                futures_timer::Delay::new(self.poll).await;
            }
            let (pg, ttl) = (self.pg.clone(), self.ttl);
            held.renewal = Some(self.pg.runtime().spawn(async move {
                let ttl_ms = ttl.as_millis() as f64;
                loop {
                    tokio::time::sleep(ttl / 3).await;
                    let client = pg.client().await;
                    let renewed = client
                        .execute(
                            "UPDATE tento_leases SET expires_at = now() + $3 * interval '1 millisecond'
                             WHERE lock_key = $1 AND holder = $2",
                            &[&key, &holder, &ttl_ms],
                        )
                        .await;
                    // Lost (taken over after a pause longer than the time to live) or
                    // unreachable: nothing left to renew.
                    if !matches!(renewed, Ok(1)) {
                        break;
                    }
                }
            }));
            Ok(held)
        }
    }
}
