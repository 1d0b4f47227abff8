use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, Weak};

use futures::future::BoxFuture;
use tokio::sync::Mutex as AsyncMutex;

use crate::connector::Owner;

/// What one lock serializes, as the orchestrator derives it from a row's
/// [`Locking`](crate::connector::Locking). Every key but [`Provider`](Self::Provider)
/// names its owner, so one user's rows never wait on another user's.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LockKey {
    /// One owner's row, by its alias key ([`Locking::Row`](crate::connector::Locking::Row)).
    Row {
        /// The row's owner.
        owner: Owner,
        /// The row's [`alias_key`](super::SyncProvider::alias_key).
        alias_key: String,
    },
    /// One owner's account at a provider
    /// ([`Locking::Account`](crate::connector::Locking::Account)).
    Account {
        /// The account's owner.
        owner: Owner,
        /// The row's [`account_key`](super::SyncProvider::account_key).
        account: String,
    },
    /// A whole provider, across every owner
    /// ([`Locking::Provider`](crate::connector::Locking::Provider)).
    Provider {
        /// The integration's Rust type name.
        integration: &'static str,
    },
}

/// The key as one string, stable across instances of one build: the name a lease table
/// can store.
impl fmt::Display for LockKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LockKey::Row { owner, alias_key } => write!(f, "row {owner} {alias_key}"),
            LockKey::Account { owner, account } => write!(f, "account {owner} {account}"),
            LockKey::Provider { integration } => write!(f, "provider {integration}"),
        }
    }
}

/// A held lock: released when dropped.
pub struct SyncLease {
    _held: Box<dyn Send>,
}

impl SyncLease {
    /// A lease released by dropping `held` (a mutex guard, a handle whose `Drop` gives a
    /// database lease back).
    pub fn new(held: impl Send + 'static) -> Self {
        SyncLease {
            _held: Box::new(held),
        }
    }
}

/// Where the orchestrator takes its locks. [`MemorySyncLocks`] serves one process; an
/// implementation over database leases serves many instances with the same keys, so a
/// host moving from one to the other sees its rows serialized the same way.
///
/// The contract both keep:
/// - [`lock`](Self::lock) resolves once nobody else holds `key`, and the [`SyncLease`]
///   holds it until dropped.
/// - Dropping the future before it resolves (a run's deadline passing, a run dropped)
///   gives up the wait and leaves nothing held or recorded for it.
/// - [`held`](Self::held) is zero whenever no lease is held or waited for through this
///   instance.
///
/// Locks are what crosses instances; the orchestrator's own limit and providers' caps
/// count the rows of one instance.
pub trait SyncLocks: Send + Sync {
    /// Waits for `key` and takes it; an error (a lease store that cannot be reached)
    /// fails the row without running it.
    fn lock(&self, key: LockKey) -> BoxFuture<'_, anyhow::Result<SyncLease>>;

    /// Keys held or waited for through this instance.
    fn held(&self) -> usize;
}

type LockMap = Mutex<HashMap<LockKey, Weak<AsyncMutex<Slot>>>>;

/// In-process [`SyncLocks`]: one async mutex per key, created on first use and dropped
/// once nobody holds or waits on it, so a long-running orchestrator does not keep one
/// per key ever seen.
#[derive(Default)]
pub struct MemorySyncLocks {
    locks: Arc<LockMap>,
}

impl MemorySyncLocks {
    /// No lock held.
    pub fn new() -> Self {
        Self::default()
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<LockKey, Weak<AsyncMutex<Slot>>>> {
        self.locks.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The value each key's mutex guards. Holders and waiters each own an `Arc` of the
/// mutex; the map only a `Weak`. When the last `Arc` goes, whoever drops it (a guard
/// released, a waiter cancelled at any point of its wait), the slot removes its entry:
/// no path leaves one behind.
struct Slot {
    key: LockKey,
    locks: Arc<LockMap>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut locks = self.locks.lock().unwrap_or_else(|p| p.into_inner());
        // A newer mutex may have taken the key since this one's last holder left.
        if locks.get(&self.key).is_some_and(|l| l.strong_count() == 0) {
            locks.remove(&self.key);
        }
    }
}

impl SyncLocks for MemorySyncLocks {
    fn lock(&self, key: LockKey) -> BoxFuture<'_, anyhow::Result<SyncLease>> {
        let lock = {
            let mut locks = self.map();
            match locks.get(&key).and_then(Weak::upgrade) {
                Some(lock) => lock,
                None => {
                    let lock = Arc::new(AsyncMutex::new(Slot {
                        key: key.clone(),
                        locks: self.locks.clone(),
                    }));
                    locks.insert(key, Arc::downgrade(&lock));
                    lock
                }
            }
        };
        Box::pin(async move { Ok(SyncLease::new(lock.lock_owned().await)) })
    }

    fn held(&self) -> usize {
        self.map().len()
    }
}

#[cfg(test)]
mod tests {
    use futures::FutureExt;

    use super::*;

    fn key(i: usize) -> LockKey {
        LockKey::Row {
            owner: Owner(uuid::Uuid::nil()),
            alias_key: format!("k{i}"),
        }
    }

    #[test]
    fn a_cancelled_waiter_leaves_no_entry_behind() {
        let locks = MemorySyncLocks::new();
        for i in 0..1000 {
            let held = locks.lock(key(i)).now_or_never().unwrap().unwrap();
            let mut waiter = locks.lock(key(i));
            assert!((&mut waiter).now_or_never().is_none(), "the key is held");
            drop(held);
            drop(waiter);
        }
        assert_eq!(locks.held(), 0);
        // A waiter cancelled before its first poll, and one cancelled while the key is
        // still held.
        let held = locks.lock(key(0)).now_or_never().unwrap().unwrap();
        drop(locks.lock(key(0)));
        let mut waiter = locks.lock(key(0));
        assert!((&mut waiter).now_or_never().is_none());
        drop(waiter);
        assert_eq!(locks.held(), 1);
        drop(held);
        assert_eq!(locks.held(), 0);
    }

    #[test]
    fn a_key_is_held_by_one_lease_at_a_time_and_others_are_free() {
        let locks = MemorySyncLocks::new();
        let held = locks.lock(key(1)).now_or_never().unwrap().unwrap();
        assert!(locks.lock(key(1)).now_or_never().is_none());
        let other = locks.lock(key(2)).now_or_never().unwrap().unwrap();
        drop(held);
        assert!(locks.lock(key(1)).now_or_never().is_some());
        drop(other);
        assert_eq!(locks.held(), 0);
    }
}
