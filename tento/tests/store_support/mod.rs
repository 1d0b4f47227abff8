//! What the store tests share: a fresh PostgreSQL database per test, and cells.
#![allow(dead_code)] // Each test file uses its own part.

use std::sync::atomic::{AtomicU32, Ordering};

use tento::chrono::{NaiveDate, PartialDate, SemanticTime};
use tento::connector::Cell;

/// The server the tests use, from `ci/with-postgres.sh`. A test that needs it fails when
/// it is not there: a suite that skipped PostgreSQL would pass without testing it.
pub fn postgres_url() -> String {
    std::env::var("TENTO_TEST_POSTGRES_URL").unwrap_or_else(|_| {
        panic!(
            "TENTO_TEST_POSTGRES_URL is not set: run the tests through `ci/with-postgres.sh cargo test …` \
             (README, \"Full test suite\"), which starts a throwaway PostgreSQL and sets it"
        )
    })
}

/// A new, empty database on the test server, so tests run in parallel without seeing
/// each other's tables (and one test's schema version does not touch another's).
pub fn fresh_postgres_url() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let url = postgres_url();
    let name = format!(
        "tento_test_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap_or_else(|e| panic!("the test PostgreSQL at {url} cannot be reached: {e}"));
        let driver = tokio::spawn(connection);
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        drop(client);
        let _ = driver.await;
    });
    match url.rfind('/') {
        Some(slash) => format!("{}/{name}", &url[..slash]),
        None => panic!("TENTO_TEST_POSTGRES_URL `{url}` has no database part"),
    }
}

/// Runs SQL on a database directly (to set up what a store must refuse, or to look
/// under it).
pub fn postgres_exec(url: &str, sql: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
        let driver = tokio::spawn(connection);
        client.batch_execute(sql).await.unwrap();
        drop(client);
        let _ = driver.await;
    });
}

pub fn day(d: u32) -> SemanticTime {
    SemanticTime::from_partial(PartialDate::Ymd(NaiveDate::from_ymd_opt(2024, 1, d).unwrap()))
}

pub fn cell(id: &str, d: u32, v: serde_json::Value) -> Cell {
    Cell {
        id: Some(id.into()),
        date: day(d),
        end_date: None,
        data: v,
    }
}
