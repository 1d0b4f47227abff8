//! Host processes killed and run side by side: the store's promises across processes.
//!
//! - **A crash mid-sync loses nothing**: a process syncing one row page by page is killed
//!   (SIGKILL) mid-run, on SQLite and on PostgreSQL; what it left holds whole pages and
//!   the state that records them, and a restart finishes with every record once.
//! - **Instances share work**: four processes on one PostgreSQL each get a request to
//!   sync 200 rows of 50 users; leases in the database let each row sync once per
//!   request and never in two processes at once, and killing one process mid-run loses
//!   nothing (its leases expire and another finishes its rows).
//! - **One refresh of a rotating token**: 20 concurrent refreshes of one account across
//!   four processes spend its refresh token once; a process started afterwards uses the
//!   rotated token, never the spent one.
//!
//! A harness of its own (`harness = false`): this binary is both the test and the host
//! processes it starts (`store_processes worker-…`).

#[path = "store_support/mod.rs"]
mod store_support;
#[path = "support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use serde_json::json;
use tento::connector::{Cell, CellStore, Locking, Owner, UserAuth};
use tento::store::{HostStore, PostgresStore, PostgresSyncLocks, SqliteStore};
use tento::sync::{Orchestrator, StageJob, SyncExecutor, SyncJob, SyncLocks, SyncProvider, SyncStateStore};
use tento::testing::FakeUserAuth;
use uuid::Uuid;

/// The crash test's row: pages of this many cells, this many pages.
const PAGE: usize = 500;
const PAGES: usize = 12;
const USERS: u128 = 50;
const ROWS_PER_USER: usize = 4;
const WORKERS: usize = 4;
/// The lease time to live in the instances test: a killed worker's rows wait this long.
const TTL: Duration = Duration::from_secs(2);
/// How long one sync takes in the instances test: long enough to kill a worker mid-sync.
const SYNC_TIME: Duration = Duration::from_millis(100);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("worker-pages") => worker_pages(&args[1]),
        Some("worker-instance") => worker_instance(&args[1], args[2].parse().unwrap()),
        Some("worker-refresh") => worker_refresh(&args[1]),
        _ => {
            // `cargo test` passes filters and flags such as `--nocapture`: this binary
            // runs its tests whatever they are.
            run("a_crash_mid_sync_on_sqlite_loses_nothing", || {
                let dir = tempfile::tempdir().unwrap();
                a_crash_mid_sync_loses_nothing(&format!("sqlite:{}", dir.path().join("host.db").display()));
            });
            run("a_crash_mid_sync_on_postgres_loses_nothing", || {
                a_crash_mid_sync_loses_nothing(&store_support::fresh_postgres_url());
            });
            run(
                "four_instances_share_200_rows_and_survive_one_killed",
                four_instances,
            );
            run(
                "twenty_refreshes_across_four_instances_refresh_once",
                twenty_refreshes,
            );
        }
    }
}

fn run(name: &str, test: impl FnOnce()) {
    let started = Instant::now();
    test();
    println!("test {name} ... ok ({:.1}s)", started.elapsed().as_secs_f64());
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

async fn open(url: &str) -> Arc<dyn HostStore> {
    match url.strip_prefix("sqlite:") {
        Some(path) => Arc::new(SqliteStore::open(path).unwrap()),
        None => Arc::new(PostgresStore::connect(url).await.unwrap()),
    }
}

fn spawn(args: &[&str]) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

/// Waits for `child` to exit, killing it and failing past `limit`.
fn wait(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("a worker ran past {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

const CRASH_ROW: Uuid = Uuid::from_u128(0xc4a5);

fn page_cells(page: usize) -> Vec<Cell> {
    (0..PAGE)
        .map(|i| {
            let n = page * PAGE + i;
            store_support::cell(
                &format!("r{n}"),
                1 + (n % 28) as u32,
                json!({"n": n, "pad": "x".repeat(64)}),
            )
        })
        .collect()
}

/// A host process syncing [`CRASH_ROW`] from where its state says, a page at a time,
/// printing each page once committed.
fn worker_pages(url: &str) {
    runtime().block_on(async {
        let store = open(url).await;
        loop {
            let next = store
                .load_state(CRASH_ROW)
                .await
                .unwrap()
                .map_or(0, |s| s["next_page"].as_u64().unwrap() as usize);
            if next == PAGES {
                println!("done");
                return;
            }
            store
                .persist_page(CRASH_ROW, page_cells(next), json!({"next_page": next + 1}))
                .await
                .unwrap();
            println!("page {next}");
        }
    });
}

fn a_crash_mid_sync_loses_nothing(url: &str) {
    let mut first = spawn(&["worker-pages", url]);
    let mut lines = BufReader::new(first.stdout.take().unwrap()).lines();
    // Killed once a few pages are in: mid-way, most likely inside a page's transaction.
    for _ in 0..3 {
        let line = lines.next().expect("the worker prints its pages").unwrap();
        assert!(line.starts_with("page "), "{line}");
    }
    first.kill().unwrap();
    assert!(
        !wait(&mut first, Duration::from_secs(10)).success(),
        "killed, not finished"
    );
    drop(lines);

    let rt = runtime();
    let (state, cells) = rt.block_on(async {
        let store = open(url).await;
        (
            store.load_state(CRASH_ROW).await.unwrap(),
            store.cells(CRASH_ROW, None).await.unwrap(),
        )
    });
    let pages = state.expect("at least three pages committed")["next_page"]
        .as_u64()
        .unwrap() as usize;
    assert!(
        (3..PAGES).contains(&pages),
        "killed mid-sync, after {pages} pages"
    );
    assert_eq!(
        cells.len(),
        pages * PAGE,
        "whole pages only, each recorded by the state"
    );

    let mut second = spawn(&["worker-pages", url]);
    let out = BufReader::new(second.stdout.take().unwrap());
    let printed: Vec<String> = out.lines().map(Result::unwrap).collect();
    assert!(wait(&mut second, Duration::from_secs(60)).success());
    assert_eq!(
        printed.first().map(String::as_str),
        Some(format!("page {pages}").as_str()),
        "resumed where the state said"
    );
    assert_eq!(printed.last().map(String::as_str), Some("done"));

    let cells = rt.block_on(async { open(url).await.cells(CRASH_ROW, None).await.unwrap() });
    let mut ids: Vec<String> = cells.iter().map(|c| c.id.clone().unwrap()).collect();
    ids.sort();
    let mut expected: Vec<String> = (0..PAGES * PAGE).map(|n| format!("r{n}")).collect();
    expected.sort();
    assert_eq!(ids, expected, "every record once");
}

/// The instances test's executor: skips a row already synced for this request, else
/// logs its start, works, persists the row's page with its state, and logs its end.
struct Instance {
    store: Arc<dyn HostStore>,
    log: tokio_postgres::Client,
    instance: i32,
}

const REQUEST: i64 = 1;

#[async_trait]
impl SyncExecutor for Instance {
    async fn execute(&self, job: &StageJob<'_>) -> anyhow::Result<usize> {
        let state = self.store.load_state(job.row_id).await?;
        if state.is_some_and(|s| s["request"].as_i64() >= Some(REQUEST)) {
            return Ok(0);
        }
        let id: i64 = self
            .log
            .query_one(
                "INSERT INTO sync_log (instance, row_id, started) VALUES ($1, $2, clock_timestamp()) RETURNING id",
                &[&self.instance, &job.row_id],
            )
            .await?
            .get(0);
        tokio::time::sleep(SYNC_TIME).await;
        let cells = (0..5)
            .map(|i| store_support::cell(&format!("{}-{i}", job.lookup_key), 1 + i, json!(i)))
            .collect();
        let written = self
            .store
            .persist_page(
                job.row_id,
                cells,
                json!({"request": REQUEST, "by": self.instance}),
            )
            .await?;
        self.log
            .execute(
                "UPDATE sync_log SET ended = clock_timestamp() WHERE id = $1",
                &[&id],
            )
            .await?;
        Ok(written)
    }
}

struct OneStage;

impl SyncProvider for OneStage {
    fn stages(&self) -> &'static [&'static str] {
        &["full"]
    }
    fn locking(&self) -> Locking {
        Locking::Row
    }
}

fn jobs(instance: usize) -> Vec<SyncJob> {
    let users: Vec<Arc<dyn UserAuth>> = (0..USERS)
        .map(|u| Arc::new(FakeUserAuth::with_owner(Owner(Uuid::from_u128(u + 1)))) as Arc<dyn UserAuth>)
        .collect();
    let mut jobs: Vec<SyncJob> = (0..USERS as usize * ROWS_PER_USER)
        .map(|i| {
            let user = &users[i % users.len()];
            let row = i / users.len();
            SyncJob::for_row::<support::Synced>(format!(":~demo:primary:row{row}"), user.clone())
        })
        .collect();
    // Each instance starts at another quarter of the rows, as requests arriving at
    // different instances would.
    let quarter = jobs.len() / WORKERS;
    jobs.rotate_left(instance * quarter);
    jobs
}

fn worker_instance(url: &str, instance: usize) {
    runtime().block_on(async {
        let store = open(url).await;
        let locks = Arc::new(PostgresSyncLocks::connect(url).await.unwrap().with_ttl(TTL));
        let (log, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(connection);
        let executor = Arc::new(Instance {
            store,
            log,
            instance: instance as i32,
        });
        let mut orchestrator = Orchestrator::new(4).with_locks(locks.clone());
        orchestrator.register_row_with_sync::<support::Synced>(Arc::new(OneStage), executor);
        let report = orchestrator.run(jobs(instance)).await;
        for row in report.rows.iter().filter(|r| !r.is_success()) {
            eprintln!("worker {instance}: {row}");
        }
        assert!(report.is_success(), "worker {instance}: every row ran");
        // Leases are given back on the connection's own thread; wait for them.
        let deadline = Instant::now() + Duration::from_secs(5);
        while locks.held() > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(locks.held(), 0, "worker {instance}: no lease left behind");
        println!("done");
    });
}

fn four_instances() {
    let url = store_support::fresh_postgres_url();
    let rt = runtime();
    let (client, connection) = rt
        .block_on(tokio_postgres::connect(&url, tokio_postgres::NoTls))
        .unwrap();
    rt.spawn(connection);
    rt.block_on(async {
        drop(PostgresStore::connect(&url).await.unwrap());
        client
            .batch_execute(
                "CREATE TABLE sync_log (id BIGSERIAL PRIMARY KEY, instance INT NOT NULL, row_id UUID NOT NULL,
                 started TIMESTAMPTZ NOT NULL, ended TIMESTAMPTZ)",
            )
            .await
            .unwrap();
    });
    let mut workers: Vec<Child> = (0..WORKERS)
        .map(|i| spawn(&["worker-instance", &url, &i.to_string()]))
        .collect();

    // Kill worker 0 once it has started a few rows and while it is inside one.
    let victim: i32 = 0;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let running: i64 = rt.block_on(async {
            client
                .query_one(
                    "SELECT COUNT(*) FROM sync_log WHERE instance = $1 AND ended IS NULL",
                    &[&victim],
                )
                .await
                .unwrap()
                .get(0)
        });
        let started: i64 = rt.block_on(async {
            client
                .query_one("SELECT COUNT(*) FROM sync_log WHERE instance = $1", &[&victim])
                .await
                .unwrap()
                .get(0)
        });
        if started >= 8 && running > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "worker 0 never got going");
        std::thread::sleep(Duration::from_millis(5));
    }
    workers[0].kill().unwrap();
    assert!(!wait(&mut workers[0], Duration::from_secs(10)).success());
    let killed_at: std::time::SystemTime = rt.block_on(async {
        client
            .query_one("SELECT clock_timestamp()", &[])
            .await
            .unwrap()
            .get(0)
    });
    for worker in &mut workers[1..] {
        assert!(
            wait(worker, Duration::from_secs(120)).success(),
            "a surviving worker failed"
        );
    }

    rt.block_on(async {
        type Entry = (i32, std::time::SystemTime, Option<std::time::SystemTime>);
        let mut by_row: HashMap<Uuid, Vec<Entry>> = HashMap::new();
        for r in client
            .query(
                "SELECT row_id, instance, started, ended FROM sync_log ORDER BY started",
                &[],
            )
            .await
            .unwrap()
        {
            by_row
                .entry(r.get(0))
                .or_default()
                .push((r.get(1), r.get(2), r.get(3)));
        }
        let rows = USERS as usize * ROWS_PER_USER;
        assert_eq!(by_row.len(), rows, "every row synced");
        let store = PostgresStore::connect(&url).await.unwrap();
        let mut unfinished = 0;
        for (row, entries) in &by_row {
            // Never two at once: each sync starts after the one before it ended, or, for
            // one cut by the kill, after the kill (once its lease expired).
            for pair in entries.windows(2) {
                let (_, _, ended) = pair[0];
                let (_, next_started, _) = pair[1];
                assert!(
                    next_started >= ended.unwrap_or(killed_at),
                    "row {row} synced twice at once: {entries:?}"
                );
            }
            // Once per request: one finished sync, or, when the killed worker was
            // cut after committing and before logging its end, none, its page in.
            let finished = entries.iter().filter(|e| e.2.is_some()).count();
            let state = store
                .load_state(*row)
                .await
                .unwrap()
                .expect("every row's state is in");
            assert_eq!(state["request"], json!(REQUEST));
            match finished {
                1 => {}
                0 => {
                    assert_eq!(state["by"], json!(victim), "{row}: {entries:?}");
                    unfinished += 1;
                }
                n => panic!("row {row} synced {n} times for one request: {entries:?}"),
            }
            for entry in entries.iter().filter(|e| e.2.is_none()) {
                assert_eq!(entry.0, victim, "only the killed worker leaves a sync unfinished");
            }
            assert_eq!(
                store.cells(*row, None).await.unwrap().len(),
                5,
                "{row}: its page is whole"
            );
        }
        assert!(
            unfinished <= 1,
            "at most the one row the kill cut between commit and log"
        );
        let leases: i64 = client
            .query_one("SELECT COUNT(*) FROM tento_leases WHERE expires_at > now()", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(
            leases, 0,
            "the survivors gave their leases back and the victim's expired"
        );
    });
}

/// A provider whose refresh tokens rotate and may be spent once, kept in the test's
/// database so every process sees one provider: spending one twice is `invalid_grant`.
#[derive(Clone)]
struct Rotating {
    provider: Arc<tokio_postgres::Client>,
}

impl tento::oauth::OAuthCredentials for Rotating {
    fn refresh<'a>(
        &'a self,
        refresh_token: &'a str,
    ) -> futures::future::BoxFuture<'a, anyhow::Result<tento::oauth::TokenSet>> {
        Box::pin(async move {
            let spent = self
                .provider
                .query_opt(
                    "UPDATE provider_tokens SET spent = true WHERE token = $1 AND NOT spent RETURNING token",
                    &[&refresh_token],
                )
                .await?;
            anyhow::ensure!(
                spent.is_some(),
                "invalid_grant: refresh token `{refresh_token}` was already spent"
            );
            let next: i64 = self
                .provider
                .query_one("INSERT INTO provider_tokens (token) VALUES ('r' || nextval('provider_seq')) RETURNING currval('provider_seq')", &[])
                .await?
                .get(0);
            Ok(tento::oauth::TokenSet {
                access_token: format!("access-{next}"),
                refresh_token: Some(format!("r{next}")),
                expires_at: Some(chrono_in(3600)),
            })
        })
    }
}

fn chrono_in(seconds: i64) -> ::chrono::DateTime<::chrono::Utc> {
    ::chrono::Utc::now() + ::chrono::Duration::seconds(seconds)
}

const REFRESHES_PER_WORKER: usize = 5;

/// A host process: five concurrent requests of one account whose stored token expired.
fn worker_refresh(url: &str) {
    runtime().block_on(async {
        let postgres = Arc::new(PostgresStore::connect(url).await.unwrap());
        let store: Arc<dyn tento::oauth::TokenStore> = postgres.clone();
        let (provider, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(connection);
        let auth = tento::oauth::Auth {
            credentials: Rotating {
                provider: Arc::new(provider),
            },
            token: tento::oauth::TokenSet {
                access_token: "access-0".into(),
                refresh_token: Some("r0".into()),
                expires_at: Some(chrono_in(-60)),
            },
        };
        let account = tento::oauth::TokenAccount {
            key: tento::oauth::AccountKey::new(Owner(Uuid::from_u128(7)), "rotating", "a1"),
            store,
        };
        let requests =
            (0..REFRESHES_PER_WORKER).map(|_| auth.acquire_for(Some(account.clone()), ::chrono::Utc::now()));
        for handle in futures::future::join_all(requests).await {
            println!("{}", handle.unwrap().access_token);
        }
        drop((auth, account));
        // Gives the account's lease back before exiting, so others need not wait for it
        // to expire.
        Arc::into_inner(postgres).unwrap().close().await;
    });
}

fn twenty_refreshes() {
    let url = store_support::fresh_postgres_url();
    store_support::postgres_exec(
        &url,
        "CREATE SEQUENCE provider_seq START 1;
         CREATE TABLE provider_tokens (token TEXT PRIMARY KEY, spent BOOL NOT NULL DEFAULT false);
         INSERT INTO provider_tokens (token) VALUES ('r0');",
    );
    // The schema, before four processes race to create it.
    drop(runtime().block_on(PostgresStore::connect(&url)).unwrap());
    let mut workers: Vec<Child> = (0..WORKERS).map(|_| spawn(&["worker-refresh", &url])).collect();
    let mut tokens = Vec::new();
    for worker in &mut workers {
        let out = BufReader::new(worker.stdout.take().unwrap());
        tokens.extend(out.lines().map(Result::unwrap));
        assert!(
            wait(worker, Duration::from_secs(60)).success(),
            "every request got a token"
        );
    }
    assert_eq!(tokens.len(), WORKERS * REFRESHES_PER_WORKER);
    assert!(
        tokens.iter().all(|t| t == "access-1"),
        "one refresh served every request: {tokens:?}"
    );
    // A host process started afterwards with the same stale credential uses the rotated
    // set the database keeps: spending `r0` again would be refused (`invalid_grant`).
    let mut restarted = spawn(&["worker-refresh", &url]);
    let out = BufReader::new(restarted.stdout.take().unwrap());
    let after_restart: Vec<String> = out.lines().map(Result::unwrap).collect();
    assert!(
        wait(&mut restarted, Duration::from_secs(60)).success(),
        "the restarted host got its tokens"
    );
    assert_eq!(after_restart, vec!["access-1"; REFRESHES_PER_WORKER]);
    let rt = runtime();
    rt.block_on(async {
        let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        let spent: i64 = client
            .query_one("SELECT COUNT(*) FROM provider_tokens WHERE spent", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(spent, 1, "the refresh token was spent once");
        // A restart: a new store on the database has the rotated set.
        let restarted = PostgresStore::connect(&url).await.unwrap();
        let key = tento::oauth::AccountKey::new(Owner(Uuid::from_u128(7)), "rotating", "a1");
        let kept = tento::oauth::TokenStore::load(&restarted, &key)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (kept.access_token.as_str(), kept.refresh_token.as_deref()),
            ("access-1", Some("r1"))
        );
    });
}
