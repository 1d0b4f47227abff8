//! Bad input to the stores: each a `StoreError` naming the store and what to do, nothing
//! half-written, no panic.
#![cfg(all(feature = "sqlite", feature = "postgres"))]

mod store_support;

use std::time::Duration;

use futures::executor::block_on;
use serde_json::json;
use store_support::{cell, fresh_postgres_url, postgres_exec};
use tento::host::CellStore;
use tento::store::{
    HostStore, PostgresStore, PostgresSyncLocks, SCHEMA_VERSION, SqliteOptions, SqliteStore, StoreError,
};
use tento::sync::SyncStateStore;
use uuid::Uuid;

fn store_error(e: &anyhow::Error) -> &StoreError {
    e.downcast_ref::<StoreError>()
        .unwrap_or_else(|| panic!("a StoreError, not {e:#}"))
}

#[test]
fn a_sqlite_file_in_a_missing_folder_is_refused_naming_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing").join("host.db");
    let err = SqliteStore::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::Unreachable { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.starts_with("SQLite: ") && msg.contains("does its folder exist"),
        "{msg}"
    );
    assert!(!path.exists());
}

#[test]
fn a_postgres_url_that_does_not_parse_is_refused_without_showing_its_password() {
    let err = block_on(PostgresStore::connect(
        "postgres://host:s3cret@localhost:notaport/db",
    ))
    .err()
    .unwrap();
    assert!(matches!(err, StoreError::InvalidUrl { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.starts_with("PostgreSQL: ") && msg.contains("write `postgres://"),
        "{msg}"
    );
    assert!(!msg.contains("s3cret"), "{msg}");
}

#[test]
fn a_postgres_server_that_is_not_there_is_an_error_naming_the_url() {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    for err in [
        block_on(PostgresStore::connect("postgres://tento:pw@127.0.0.1:1/host")).err(),
        block_on(PostgresSyncLocks::connect("postgres://tento:pw@127.0.0.1:1/host")).err(),
    ] {
        let err = err.unwrap();
        assert!(matches!(err, StoreError::Unreachable { .. }), "{err}");
        let msg = err.to_string();
        assert!(msg.contains("postgres://tento@127.0.0.1:1/host"), "{msg}");
        assert!(msg.contains("check that the server runs"), "{msg}");
        assert!(!msg.contains("pw"), "{msg}");
    }
}

#[test]
fn a_sqlite_schema_from_a_newer_tento_is_refused_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("host.db");
    let row = Uuid::from_u128(1);
    {
        let store = SqliteStore::open(&path).unwrap();
        block_on(store.persist_page(row, vec![cell("a", 1, json!(1))], json!(1))).unwrap();
    }
    let newer = SCHEMA_VERSION + 1;
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("INSERT INTO tento_schema (version) VALUES (?1)", [newer])
        .unwrap();
    let err = SqliteStore::open(&path).err().unwrap();
    assert!(
        matches!(err, StoreError::NewerSchema { found, supported, .. } if found == newer && supported == SCHEMA_VERSION),
        "{err}"
    );
    assert!(err.to_string().contains("never downgrades"), "{err}");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("SELECT MAX(version) FROM tento_schema", [], |r| r.get(0))
        .unwrap();
    let cells: i64 = conn
        .query_row("SELECT COUNT(*) FROM tento_cells", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        (version, cells),
        (newer, 1),
        "nothing downgraded, nothing dropped"
    );
}

#[test]
fn a_postgres_schema_from_a_newer_tento_is_refused() {
    let url = fresh_postgres_url();
    drop(block_on(PostgresStore::connect(&url)).unwrap());
    postgres_exec(
        &url,
        &format!(
            "INSERT INTO tento_schema (version) VALUES ({})",
            SCHEMA_VERSION + 1
        ),
    );
    for err in [
        block_on(PostgresStore::connect(&url)).err(),
        block_on(PostgresSyncLocks::connect(&url)).err(),
    ] {
        let err = err.unwrap();
        assert!(matches!(err, StoreError::NewerSchema { .. }), "{err}");
        assert!(err.to_string().starts_with("PostgreSQL: "), "{err}");
    }
}

#[test]
fn a_sqlite_file_another_process_holds_locked_fails_the_write_and_keeps_none_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("host.db");
    let options = SqliteOptions {
        busy_timeout: Duration::from_millis(100),
        ..SqliteOptions::default()
    };
    let store = SqliteStore::open_with(&path, options).unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let row = Uuid::from_u128(2);
    let page = vec![cell("a", 1, json!(1)), cell("b", 2, json!(2))];
    let err = block_on(store.persist_page(row, page.clone(), json!({"page": 1}))).unwrap_err();
    assert!(matches!(store_error(&err), StoreError::Locked { .. }), "{err:#}");
    let msg = err.to_string();
    assert!(
        msg.contains("locked by another process") && msg.contains("PostgreSQL serves many"),
        "{msg}"
    );
    other.execute_batch("COMMIT").unwrap();
    assert!(block_on(store.cells(row, None)).unwrap().is_empty());
    assert_eq!(block_on(store.load_state(row)).unwrap(), None);
    // Once the other process lets go, the same page goes through.
    assert_eq!(
        block_on(store.persist_page(row, page, json!({"page": 1}))).unwrap(),
        2
    );
}

#[test]
fn a_full_sqlite_file_fails_the_page_and_keeps_the_pages_before_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let options = SqliteOptions {
        // A few dozen 4 KiB pages: full after a handful of the pages below.
        max_page_count: Some(40),
        ..SqliteOptions::default()
    };
    let store = SqliteStore::open_with(dir.path().join("host.db"), options).unwrap();
    let row = Uuid::from_u128(3);
    let page = |n: u32| -> Vec<_> {
        (0..50)
            .map(|i| cell(&format!("p{n}-{i}"), 1 + i % 28, json!({"pad": "x".repeat(200)})))
            .collect()
    };
    let mut written = 0;
    let err = loop {
        match block_on(store.persist_page(row, page(written), json!({"pages": written + 1}))) {
            Ok(_) => written += 1,
            Err(e) => break e,
        }
        assert!(written < 100, "40 pages of 4 KiB never fill");
    };
    assert!(written > 0, "the first page fits");
    assert!(matches!(store_error(&err), StoreError::Full { .. }), "{err:#}");
    assert!(
        err.to_string().contains("nothing of this write was kept"),
        "{err}"
    );
    assert_eq!(
        block_on(store.load_state(row)).unwrap(),
        Some(json!({"pages": written}))
    );
    assert_eq!(
        block_on(store.cells(row, None)).unwrap().len(),
        written as usize * 50
    );
}

/// A PostgreSQL disk that fills mid-page. Without root a test cannot fill a real disk
/// under the server, so a trigger raises what the server raises then (SQLSTATE 53100,
/// `disk_full`) from the 76th cell written on: half-way through the second page. The
/// count is a sequence, which no rollback takes back, so the disk stays full as a real
/// one would until the trigger goes ("space is freed").
#[test]
fn a_full_postgres_disk_fails_the_page_and_keeps_the_pages_before_it_whole() {
    let url = fresh_postgres_url();
    let store = block_on(PostgresStore::connect(&url)).unwrap();
    postgres_exec(
        &url,
        "CREATE SEQUENCE cells_written;
         CREATE FUNCTION disk_fills() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             IF nextval('cells_written') > 75 THEN
                 RAISE EXCEPTION 'could not extend file \"base/5/16390\": No space left on device'
                     USING ERRCODE = 'disk_full', HINT = 'Check free disk space.';
             END IF;
             RETURN NEW;
         END $$;
         CREATE TRIGGER disk_fills BEFORE INSERT ON tento_cells
             FOR EACH ROW EXECUTE FUNCTION disk_fills();",
    );
    let row = Uuid::from_u128(4);
    let page = |n: u32| -> Vec<_> {
        (0..50)
            .map(|i| cell(&format!("p{n}-{i}"), 1 + i % 28, json!({"page": n})))
            .collect()
    };
    block_on(store.persist_page(row, page(0), json!({"pages": 1}))).unwrap();
    let err = block_on(store.persist_page(row, page(1), json!({"pages": 2}))).unwrap_err();
    assert!(matches!(store_error(&err), StoreError::Full { .. }), "{err:#}");
    let msg = err.to_string();
    assert!(
        msg.starts_with("PostgreSQL: `postgres://")
            && msg.contains("nothing of this write was kept")
            && msg.contains("free disk space"),
        "{msg}"
    );
    // Nothing of the second page, neither its first 25 cells nor its state.
    assert_eq!(
        block_on(store.load_state(row)).unwrap(),
        Some(json!({"pages": 1}))
    );
    let kept = block_on(store.cells(row, None)).unwrap();
    assert_eq!(kept.len(), 50);
    assert!(kept.iter().all(|c| c.data == json!({"page": 0})));
    // A single write fails the same way and keeps nothing.
    let err = block_on(store.put(row, page(2))).unwrap_err();
    assert!(matches!(store_error(&err), StoreError::Full { .. }), "{err:#}");
    assert_eq!(block_on(store.cells(row, None)).unwrap().len(), 50);

    // Space freed, the same page goes through on the same connection.
    postgres_exec(&url, "DROP TRIGGER disk_fills ON tento_cells");
    assert_eq!(
        block_on(store.persist_page(row, page(1), json!({"pages": 2}))).unwrap(),
        50
    );
    assert_eq!(block_on(store.cells(row, None)).unwrap().len(), 100);
}
