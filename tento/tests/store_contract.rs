//! One contract, every store: memory, SQLite (a real file) and PostgreSQL (a real
//! server, from `ci/with-postgres.sh`). Each check runs against each store through
//! `futures`' own executor: the database stores need no runtime of the host's.
#![cfg(all(feature = "sqlite", feature = "postgres"))]

mod store_support;

use futures::executor::block_on;
use serde_json::json;
use store_support::{cell, day, fresh_postgres_url};
use tento::chrono::{DateRange, NaiveDate};
use tento::connector::{Cell, Owner};
use tento::host::content_id;
use tento::oauth::{AccountKey, TokenSet, TokenStore};
use tento::store::{HostStore, MemoryStore, PostgresStore, SqliteStore};
use uuid::Uuid;

/// A store under test and what keeps it alive (the SQLite file's folder).
struct Subject {
    store: Box<dyn HostStore>,
    _dir: Option<tempfile::TempDir>,
}

fn memory() -> Subject {
    Subject {
        store: Box::new(MemoryStore::new()),
        _dir: None,
    }
}

fn sqlite() -> Subject {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("host.db")).unwrap();
    Subject {
        store: Box::new(store),
        _dir: Some(dir),
    }
}

fn postgres() -> Subject {
    let store = block_on(PostgresStore::connect(&fresh_postgres_url())).unwrap();
    Subject {
        store: Box::new(store),
        _dir: None,
    }
}

async fn upserts_by_id_and_reads_in_date_order(store: &dyn HostStore) {
    let row = Uuid::from_u128(1);
    store
        .put(row, vec![cell("b", 2, json!(1)), cell("a", 1, json!(1))])
        .await
        .unwrap();
    store.put(row, vec![cell("b", 2, json!(9))]).await.unwrap();
    let cells = store.cells(row, None).await.unwrap();
    let ids: Vec<_> = cells.iter().map(|c| c.id.as_deref().unwrap()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(cells[1].data, json!(9), "the second put replaced `b`");
}

async fn cells_of_one_date_keep_the_order_they_were_first_put(store: &dyn HostStore) {
    let row = Uuid::from_u128(2);
    store
        .put(
            row,
            vec![
                cell("z", 5, json!(0)),
                cell("y", 5, json!(0)),
                cell("x", 4, json!(0)),
            ],
        )
        .await
        .unwrap();
    // Replacing `z` keeps its place.
    store
        .put(row, vec![cell("w", 5, json!(0)), cell("z", 5, json!(1))])
        .await
        .unwrap();
    let ids: Vec<_> = store
        .cells(row, None)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id.unwrap())
        .collect();
    assert_eq!(ids, ["x", "z", "y", "w"]);
}

async fn a_range_filters_and_remove_reports_what_it_removed(store: &dyn HostStore) {
    let row = Uuid::from_u128(3);
    store
        .put(
            row,
            vec![
                cell("a", 1, json!(1)),
                cell("b", 2, json!(2)),
                cell("c", 3, json!(3)),
            ],
        )
        .await
        .unwrap();
    let d = |day| NaiveDate::from_ymd_opt(2024, 1, day).unwrap();
    let some = store.cells(row, Some(DateRange::new(d(2), d(3)))).await.unwrap();
    assert_eq!(
        some.iter().map(|c| c.id.clone().unwrap()).collect::<Vec<_>>(),
        ["b", "c"]
    );
    assert!(store.remove(row, "a").await.unwrap());
    assert!(!store.remove(row, "a").await.unwrap());
    assert!(
        !store.remove(Uuid::from_u128(99), "b").await.unwrap(),
        "another row has no `b`"
    );
    assert_eq!(store.cells(row, None).await.unwrap().len(), 2);
}

async fn a_put_counts_distinct_ids_and_the_last_of_an_id_wins(store: &dyn HostStore) {
    let row = Uuid::from_u128(4);
    let written = store
        .put(
            row,
            vec![
                cell("a", 1, json!(1)),
                cell("b", 1, json!(1)),
                cell("a", 1, json!(2)),
            ],
        )
        .await
        .unwrap();
    assert_eq!(written, 2);
    let cells = store.cells(row, None).await.unwrap();
    assert_eq!(cells.len(), 2);
    assert_eq!((cells[0].id.as_deref(), &cells[0].data), (Some("a"), &json!(2)));
}

async fn a_cell_without_an_id_is_kept_once_under_its_content_id(store: &dyn HostStore) {
    let row = Uuid::from_u128(5);
    let anonymous = Cell {
        id: None,
        ..cell("-", 5, json!({"steps": 7}))
    };
    for _ in 0..3 {
        assert_eq!(store.put(row, vec![anonymous.clone()]).await.unwrap(), 1);
    }
    let cells = store.cells(row, None).await.unwrap();
    assert_eq!(cells.len(), 1);
    assert_eq!(cells[0].id.as_deref(), Some(content_id(&anonymous).as_str()));
    assert!(store.remove(row, &content_id(&anonymous)).await.unwrap());
    assert!(store.cells(row, None).await.unwrap().is_empty());
}

async fn writing_a_page_again_changes_nothing(store: &dyn HostStore) {
    let row = Uuid::from_u128(6);
    let page: Vec<Cell> = (1..=20).map(|i| cell(&format!("c{i}"), i, json!(i))).collect();
    store
        .persist_page(row, page.clone(), json!({"next": 2}))
        .await
        .unwrap();
    let first = store.cells(row, None).await.unwrap();
    store.persist_page(row, page, json!({"next": 2})).await.unwrap();
    assert_eq!(store.cells(row, None).await.unwrap(), first);
    assert_eq!(first.len(), 20);
}

async fn a_page_and_its_state_are_read_back_together(store: &dyn HostStore) {
    let (row, other) = (Uuid::from_u128(7), Uuid::from_u128(8));
    assert_eq!(store.load_state(row).await.unwrap(), None);
    let written = store
        .persist_page(row, vec![cell("a", 1, json!(1))], json!({"page": 1}))
        .await
        .unwrap();
    assert_eq!(written, 1);
    store
        .persist_page(row, vec![cell("b", 2, json!(2))], json!({"page": 2}))
        .await
        .unwrap();
    assert_eq!(store.load_state(row).await.unwrap(), Some(json!({"page": 2})));
    assert_eq!(store.cells(row, None).await.unwrap().len(), 2);
    assert_eq!(store.load_state(other).await.unwrap(), None, "state is per row");
    store.save_state(other, json!([1, "two"])).await.unwrap();
    assert_eq!(store.load_state(other).await.unwrap(), Some(json!([1, "two"])));
    assert!(store.cells(other, None).await.unwrap().is_empty());
}

async fn cells_round_trip_every_kind_of_json_and_date(store: &dyn HostStore) {
    let row = Uuid::from_u128(9);
    let data = json!({
        "text": "ünïcødé \"quoted\" \\ back",
        "int": -9_007_199_254_740_993_i64,
        "float": 0.1,
        "nested": {"list": [null, true, 1.5e-7]},
        "empty": {}
    });
    let span = Cell {
        id: Some("span".into()),
        date: day(3),
        end_date: Some(day(4)),
        data: data.clone(),
    };
    store.put(row, vec![span.clone()]).await.unwrap();
    assert_eq!(store.cells(row, None).await.unwrap(), vec![span]);
}

/// The host's token seam is its store: an `Arc<dyn HostStore>` serves as the
/// `Arc<dyn TokenStore>` a host's users save refreshed tokens to.
async fn tokens_are_kept_beside_the_data(store: &dyn HostStore) {
    let account = AccountKey::new(Owner(Uuid::from_u128(1)), "acme", "a1");
    let tokens: &dyn TokenStore = store;
    assert_eq!(tokens.load(&account).await.unwrap(), None);
    let rotated = TokenSet {
        access_token: "access-2".into(),
        refresh_token: Some("r2".into()),
        expires_at: None,
    };
    tokens.save(&account, &rotated).await.unwrap();
    assert_eq!(store.load(&account).await.unwrap(), Some(rotated));
}

/// A sync executor finds `persist_page` through the state store it was given.
async fn the_state_store_hands_out_the_store_that_writes_pages(store: &dyn HostStore) {
    let pages = store.host_store().expect("a host store writes its own pages");
    assert!(std::ptr::addr_eq(pages, store));
}

macro_rules! contract {
    ($($check:ident),* $(,)?) => {
        mod memory_store {
            $(#[test] fn $check() { futures::executor::block_on(super::$check(&*super::memory().store)) })*
        }
        mod sqlite_store {
            $(#[test] fn $check() { futures::executor::block_on(super::$check(&*super::sqlite().store)) })*
        }
        mod postgres_store {
            $(#[test] fn $check() { futures::executor::block_on(super::$check(&*super::postgres().store)) })*
        }
    };
}

contract!(
    upserts_by_id_and_reads_in_date_order,
    cells_of_one_date_keep_the_order_they_were_first_put,
    a_range_filters_and_remove_reports_what_it_removed,
    a_put_counts_distinct_ids_and_the_last_of_an_id_wins,
    a_cell_without_an_id_is_kept_once_under_its_content_id,
    writing_a_page_again_changes_nothing,
    a_page_and_its_state_are_read_back_together,
    cells_round_trip_every_kind_of_json_and_date,
    tokens_are_kept_beside_the_data,
    the_state_store_hands_out_the_store_that_writes_pages,
);
