//! The token seam on every store: a rotated token set is kept per account, and kept
//! across a restart of the host (a new store on the same database).
#![cfg(all(feature = "sqlite", feature = "postgres"))]

mod store_support;

use futures::executor::block_on;
use tento::connector::Owner;
use tento::oauth::{AccountKey, MemoryTokenStore, TokenSet, TokenStore};
use tento::store::{PostgresStore, SqliteStore};
use uuid::Uuid;

fn tokens(access: &str, refresh: &str) -> TokenSet {
    TokenSet {
        access_token: access.into(),
        refresh_token: Some(refresh.into()),
        expires_at: Some("2030-01-01T00:00:00Z".parse().unwrap()),
    }
}

async fn keeps_the_last_set_per_account(store: &dyn TokenStore) {
    let a = AccountKey::new(Owner(Uuid::from_u128(1)), "acme", "a1");
    let other_account = AccountKey::new(Owner(Uuid::from_u128(1)), "acme", "a2");
    let other_kind = AccountKey::new(Owner(Uuid::from_u128(1)), "zeta", "a1");
    let other_owner = AccountKey::new(Owner(Uuid::from_u128(2)), "acme", "a1");
    assert_eq!(store.load(&a).await.unwrap(), None);
    store.save(&a, &tokens("x1", "r1")).await.unwrap();
    store.save(&a, &tokens("x2", "r2")).await.unwrap();
    assert_eq!(store.load(&a).await.unwrap(), Some(tokens("x2", "r2")));
    for key in [other_account, other_kind, other_owner] {
        assert_eq!(store.load(&key).await.unwrap(), None, "{key:?}");
    }
    let without_refresh = TokenSet {
        access_token: "plain".into(),
        refresh_token: None,
        expires_at: None,
    };
    store.save(&a, &without_refresh).await.unwrap();
    assert_eq!(store.load(&a).await.unwrap(), Some(without_refresh));
}

#[test]
fn memory_keeps_the_last_set_per_account() {
    block_on(keeps_the_last_set_per_account(&MemoryTokenStore::new()));
}

#[test]
fn sqlite_keeps_the_last_set_per_account_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("host.db");
    block_on(keeps_the_last_set_per_account(&SqliteStore::open(&path).unwrap()));
    let a = AccountKey::new(Owner(Uuid::from_u128(1)), "acme", "a1");
    let rotated = tokens("after", "r-rotated");
    block_on(SqliteStore::open(&path).unwrap().save(&a, &rotated)).unwrap();
    let restarted = SqliteStore::open(&path).unwrap();
    assert_eq!(block_on(restarted.load(&a)).unwrap(), Some(rotated));
}

#[test]
fn postgres_keeps_the_last_set_per_account_across_a_restart() {
    let url = store_support::fresh_postgres_url();
    block_on(async {
        keeps_the_last_set_per_account(&PostgresStore::connect(&url).await.unwrap()).await;
        let a = AccountKey::new(Owner(Uuid::from_u128(1)), "acme", "a1");
        let rotated = tokens("after", "r-rotated");
        PostgresStore::connect(&url)
            .await
            .unwrap()
            .save(&a, &rotated)
            .await
            .unwrap();
        let restarted = PostgresStore::connect(&url).await.unwrap();
        assert_eq!(restarted.load(&a).await.unwrap(), Some(rotated));
    });
}

/// `future`'s output, failing the test past ten seconds rather than hanging it.
fn bounded<T>(future: impl std::future::Future<Output = T>) -> T {
    use futures::FutureExt;
    block_on(async {
        futures::select! {
            out = future.fuse() => out,
            _ = futures_timer::Delay::new(std::time::Duration::from_secs(10)).fuse() => panic!("past ten seconds"),
        }
    })
}

#[test]
fn a_refresh_lock_is_held_until_its_guard_drops_on_sqlite_and_postgres() {
    use futures::FutureExt;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("host.db");
    let url = store_support::fresh_postgres_url();
    let stores: Vec<(Box<dyn TokenStore>, Box<dyn TokenStore>)> = vec![
        (
            Box::new(SqliteStore::open(&path).unwrap()),
            Box::new(SqliteStore::open(&path).unwrap()),
        ),
        (
            Box::new(block_on(PostgresStore::connect(&url)).unwrap()),
            Box::new(block_on(PostgresStore::connect(&url)).unwrap()),
        ),
    ];
    let a = AccountKey::new(Owner(Uuid::from_u128(1)), "acme", "a1");
    let b = AccountKey::new(Owner(Uuid::from_u128(1)), "acme", "b1");
    for (one, other) in &stores {
        let held = bounded(one.lock_refresh(&a)).unwrap();
        // Another account is free.
        drop(bounded(one.lock_refresh(&b)).unwrap());
        // Another instance waits while the lease is held (it polls every 25 ms)...
        let waiting = other.lock_refresh(&a);
        let early = block_on(async {
            futures::select! {
                _ = waiting.fuse() => true,
                _ = futures_timer::Delay::new(std::time::Duration::from_millis(300)).fuse() => false,
            }
        });
        assert!(!early, "held by the first instance");
        // ...and takes it once the first lets go (PostgreSQL gives it back on its
        // connection's thread).
        drop(held);
        bounded(other.lock_refresh(&a)).unwrap();
    }
}
