//! Persisting 100,000 cells in pages of 500 through the stores, against the same rows
//! written by a bare batched insert with the same driver (one transaction per page),
//! and the process's resident memory as the cell count grows. Prints the ratios.
//!
//! ```sh
//! ci/with-postgres.sh cargo run --release -p tento --example store_bench --features sqlite,postgres
//! ```
//!
//! Each measure is the median of `RUNS` alternating runs on a fresh table.

use std::time::{Duration, Instant};

use futures::executor::block_on;
use serde_json::json;
use tento::chrono::{NaiveDate, PartialDate, SemanticTime};
use tento::connector::Cell;
use tento::store::{HostStore, PostgresStore, SqliteStore};
use uuid::Uuid;

const CELLS: usize = 100_000;
const PAGE: usize = 500;
const RUNS: usize = 3;

fn page(p: usize) -> Vec<Cell> {
    (0..PAGE)
        .map(|i| {
            let n = p * PAGE + i;
            Cell {
                id: Some(format!("c{n}")),
                date: SemanticTime::from_partial(PartialDate::Ymd(
                    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new((n % 3650) as u64),
                )),
                end_date: None,
                data: json!({"n": n, "steps": n * 7 % 10_000, "source": "bench"}),
            }
        })
        .collect()
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

/// Resident memory now, from /proc (Linux), in KiB.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Through the store, one `persist_page` per page (cells and state in one transaction).
async fn through_store(store: &dyn HostStore, row: Uuid, rss: &mut Vec<(usize, u64)>) -> Duration {
    let started = Instant::now();
    for p in 0..CELLS / PAGE {
        store
            .persist_page(row, page(p), json!({"next_page": p + 1}))
            .await
            .unwrap();
        if ((p + 1) * PAGE).is_multiple_of(20_000) {
            rss.push(((p + 1) * PAGE, rss_kib()));
        }
    }
    started.elapsed()
}

fn bare_sqlite(path: &std::path::Path) -> Duration {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.execute_batch(
        "CREATE TABLE bare (row_id TEXT NOT NULL, cell_id TEXT NOT NULL, cell TEXT NOT NULL,
         PRIMARY KEY (row_id, cell_id))",
    )
    .unwrap();
    let row = Uuid::from_u128(1).to_string();
    let started = Instant::now();
    for p in 0..CELLS / PAGE {
        let tx = conn.transaction().unwrap();
        {
            let mut insert = tx
                .prepare_cached("INSERT INTO bare (row_id, cell_id, cell) VALUES (?1, ?2, ?3)")
                .unwrap();
            for cell in page(p) {
                let json = serde_json::to_string(&cell).unwrap();
                insert
                    .execute(rusqlite::params![row, cell.id.as_deref().unwrap(), json])
                    .unwrap();
            }
        }
        tx.commit().unwrap();
    }
    started.elapsed()
}

async fn bare_postgres(url: &str, table: &str) -> Duration {
    let (mut client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    client
        .batch_execute(&format!(
            "CREATE TABLE {table} (row_id UUID NOT NULL, cell_id TEXT NOT NULL, cell JSONB NOT NULL,
             PRIMARY KEY (row_id, cell_id))"
        ))
        .await
        .unwrap();
    let insert = format!(
        "INSERT INTO {table} (row_id, cell_id, cell) SELECT $1, u.id, u.cell FROM UNNEST($2::text[], $3::jsonb[]) AS u(id, cell)"
    );
    let row = Uuid::from_u128(1);
    let started = Instant::now();
    for p in 0..CELLS / PAGE {
        let (ids, cells): (Vec<String>, Vec<serde_json::Value>) = page(p)
            .into_iter()
            .map(|c| (c.id.clone().unwrap(), serde_json::to_value(c).unwrap()))
            .unzip();
        let tx = client.transaction().await.unwrap();
        tx.execute(&insert, &[&row, &ids, &cells]).await.unwrap();
        tx.commit().await.unwrap();
    }
    started.elapsed()
}

fn report(name: &str, store: Vec<Duration>, bare: Vec<Duration>) {
    let (store, bare) = (median(store), median(bare));
    println!(
        "{name}: store {:.2} s, bare insert {:.2} s, ratio {:.2} (floor <= 1.3)",
        store.as_secs_f64(),
        bare.as_secs_f64(),
        store.as_secs_f64() / bare.as_secs_f64()
    );
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store_runs, mut bare_runs, mut rss) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..RUNS {
        bare_runs.push(bare_sqlite(&dir.path().join(format!("bare-{run}.db"))));
        let store = SqliteStore::open(dir.path().join(format!("store-{run}.db"))).unwrap();
        store_runs.push(block_on(through_store(
            &store,
            Uuid::from_u128(run as u128),
            &mut rss,
        )));
    }
    report("SQLite", store_runs, bare_runs);
    println!(
        "SQLite resident memory (cells persisted, KiB), last run: {:?}",
        &rss[rss.len() - 5..]
    );

    let url = std::env::var("TENTO_TEST_POSTGRES_URL")
        .expect("TENTO_TEST_POSTGRES_URL: run under ci/with-postgres.sh (see the doc comment)");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (mut store_runs, mut bare_runs, mut rss) = (Vec::new(), Vec::new(), Vec::new());
    let store = block_on(PostgresStore::connect(&url)).unwrap();
    for run in 0..RUNS {
        bare_runs.push(runtime.block_on(bare_postgres(&url, &format!("bare_{run}"))));
        store_runs.push(block_on(through_store(
            &store,
            Uuid::from_u128(100 + run as u128),
            &mut rss,
        )));
    }
    report("PostgreSQL", store_runs, bare_runs);
    println!(
        "PostgreSQL resident memory (cells persisted, KiB), last run: {:?}",
        &rss[rss.len() - 5..]
    );
}
