//! The orchestrator under load with faulty rows: 2,000 jobs over 200 rows of 50 users,
//! where 1% of stages panic, 1% hang past their timeout and 5% fail.
#![cfg(all(feature = "sync", feature = "testing"))]

mod support;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use support::Synced;
use tento::connector::*;
use tento::sync::*;
use tento::testing::FakeUserAuth;
use uuid::Uuid;

const USERS: u128 = 50;
/// Rows per user: 50 users × 4 = 200 rows. Every user's rows share the same four lookup
/// keys (an `authId` of `primary` is common), so a lock without the owner in its key
/// would make users queue behind each other.
const ROWS_PER_USER: usize = 4;
const JOBS: usize = 2_000;
const STAGE_TIMEOUT: Duration = Duration::from_millis(20);

/// What the executor chose for one stage it ran; its id is in what it returns, so each
/// report can be traced back to the execution it claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fate {
    Synced,
    Failed,
    Panicked,
    Hung,
}

/// One stage the executor ran: for which user, row and stage, and what it chose.
#[derive(Clone, Debug)]
struct Execution {
    owner: Owner,
    lookup_key: String,
    stage: String,
    fate: Fate,
}

#[derive(Default)]
struct Faulty {
    next: AtomicU64,
    log: Mutex<HashMap<u64, Execution>>,
    /// Stages running now, per (owner, lookup key) and per lookup key across owners.
    per_row: Mutex<HashMap<(Owner, String), usize>>,
    per_key: Mutex<HashMap<String, usize>>,
    max_per_row: AtomicU64,
    max_per_key: AtomicU64,
    /// Executions whose future was dropped before they finished: cut by a timeout.
    cut: AtomicU64,
}

/// Counts a stage as running until dropped: a hung stage's future is dropped by its
/// timeout, and must stop counting then.
struct Running<'a> {
    faulty: &'a Faulty,
    row: (Owner, String),
    finished: bool,
}

impl<'a> Running<'a> {
    fn start(faulty: &'a Faulty, owner: Owner, key: &str) -> Self {
        let row = (owner, key.to_owned());
        let on_row = bump(&faulty.per_row, row.clone(), 1);
        faulty.max_per_row.fetch_max(on_row as u64, Ordering::SeqCst);
        let on_key = bump(&faulty.per_key, key.to_owned(), 1);
        faulty.max_per_key.fetch_max(on_key as u64, Ordering::SeqCst);
        Running {
            faulty,
            row,
            finished: false,
        }
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.faulty.cut.fetch_add(1, Ordering::SeqCst);
        }
        bump(&self.faulty.per_row, self.row.clone(), -1);
        bump(&self.faulty.per_key, self.row.1.clone(), -1);
    }
}

fn bump<K: std::hash::Hash + Eq>(map: &Mutex<HashMap<K, usize>>, key: K, by: isize) -> usize {
    let mut map = map.lock().unwrap();
    let n = map.entry(key).or_default();
    *n = n.checked_add_signed(by).unwrap();
    *n
}

/// splitmix64: a fixed-seed stream, so every run draws the same faults.
fn draw(id: u64) -> u64 {
    let mut z = id
        .wrapping_add(0x9e37_79b9_7f4a_7c15)
        .wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 30)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[async_trait]
impl SyncExecutor for Faulty {
    async fn execute(&self, job: &StageJob<'_>) -> anyhow::Result<usize> {
        let id = self.next.fetch_add(1, Ordering::SeqCst);
        let fate = match draw(id) % 100 {
            0 => Fate::Panicked,
            1 => Fate::Hung,
            2..=6 => Fate::Failed,
            _ => Fate::Synced,
        };
        self.log.lock().unwrap().insert(
            id,
            Execution {
                owner: job.owner,
                lookup_key: job.lookup_key.to_owned(),
                stage: job.stage.to_owned(),
                fate,
            },
        );
        let mut running = Running::start(self, job.owner, job.lookup_key);
        tokio::time::sleep(Duration::from_millis(1)).await;
        // A hung stage never gets here; any other is done, whatever it returns.
        running.finished = fate != Fate::Hung;
        match fate {
            Fate::Synced => Ok(id as usize),
            Fate::Failed => anyhow::bail!("execution #{id} failed on purpose"),
            Fate::Panicked => panic!("execution #{id} panicked on purpose"),
            Fate::Hung => std::future::pending().await,
        }
    }
}

/// The execution id a report's outcome names, and the fate it claims.
fn claimed(outcome: &StageOutcome) -> Option<(u64, Fate)> {
    let id_in = |m: &str| m.split('#').nth(1)?.split(' ').next()?.parse().ok();
    match outcome {
        StageOutcome::Synced(n) => Some((*n as u64, Fate::Synced)),
        StageOutcome::Failed(m) => Some((id_in(m)?, Fate::Failed)),
        StageOutcome::Panicked(m) => Some((id_in(m)?, Fate::Panicked)),
        _ => None,
    }
}

fn users() -> Vec<Arc<dyn UserAuth>> {
    (0..USERS)
        .map(|u| Arc::new(FakeUserAuth::with_owner(Owner(Uuid::from_u128(u + 1)))) as Arc<dyn UserAuth>)
        .collect()
}

fn jobs(users: &[Arc<dyn UserAuth>]) -> Vec<SyncJob> {
    (0..JOBS)
        .map(|i| {
            let user = &users[i % users.len()];
            let row = (i / users.len()) % ROWS_PER_USER;
            SyncJob::for_row::<Synced>(format!(":~demo:primary:row{row}"), user.clone())
        })
        .collect()
}

/// In-process locks that remember every key asked for.
#[derive(Default)]
struct Recording {
    inner: MemorySyncLocks,
    keys: Mutex<Vec<LockKey>>,
}

impl SyncLocks for Recording {
    fn lock(&self, key: LockKey) -> futures::future::BoxFuture<'_, anyhow::Result<SyncLease>> {
        self.keys.lock().unwrap().push(key.clone());
        self.inner.lock(key)
    }
    fn held(&self) -> usize {
        self.inner.held()
    }
}

fn orchestrator(faulty: &Arc<Faulty>, locks: &Arc<Recording>, deadline: Duration) -> Orchestrator {
    let mut o = Orchestrator::new(32)
        .with_stage_timeout(STAGE_TIMEOUT)
        .with_run_deadline(deadline)
        .with_locks(locks.clone());
    o.register_row_with_sync::<Synced>(Arc::new(Synced::sync_shape().unwrap()), faulty.clone());
    o
}

/// Checks every report against the executions: each stage that ran names an execution
/// of its own row and stage with the fate it claims, each execution is claimed once,
/// the stages reported timed out are exactly the executions cut (every hung one among
/// them), and skips follow from what came before. Returns the count of each outcome.
fn check_truthful(report: &SyncReport, jobs: &[SyncJob], faulty: &Faulty) -> BTreeMap<&'static str, usize> {
    let log = faulty.log.lock().unwrap();
    let mut claimed_ids = HashMap::new();
    let mut counts = BTreeMap::new();
    let mut timed_out = 0;
    assert_eq!(report.rows.len(), jobs.len(), "one report per job");
    for (row, job) in report.rows.iter().zip(jobs) {
        assert_eq!(row.lookup_key, job.lookup_key, "reports in job order");
        assert_eq!(row.error, None, "{row}");
        let names: Vec<_> = row.stages.iter().map(|s| s.stage).collect();
        assert_eq!(names, ["viewport", "backfill"], "{row}");
        let mut before: Option<&StageOutcome> = None;
        for stage in &row.stages {
            let kind = match &stage.outcome {
                StageOutcome::Synced(_) => "synced",
                StageOutcome::Failed(_) => "failed",
                StageOutcome::Panicked(_) => "panicked",
                StageOutcome::TimedOut(TimeLimit::Stage(d)) => {
                    assert_eq!(*d, STAGE_TIMEOUT);
                    timed_out += 1;
                    "timed out"
                }
                StageOutcome::TimedOut(TimeLimit::Run(_)) => {
                    timed_out += 1;
                    "cut by the deadline"
                }
                StageOutcome::Skipped(SkipReason::EarlierStageFailed) => {
                    assert!(
                        matches!(before, Some(StageOutcome::Failed(_) | StageOutcome::Panicked(_))),
                        "{row}"
                    );
                    "skipped after a failure"
                }
                StageOutcome::Skipped(SkipReason::EarlierStageTimedOut) => {
                    assert!(matches!(before, Some(StageOutcome::TimedOut(_))), "{row}");
                    "skipped after a timeout"
                }
                StageOutcome::Skipped(SkipReason::RunDeadlinePassed) => "skipped at the deadline",
                StageOutcome::Skipped(SkipReason::Gated) => panic!("nothing is gated: {row}"),
            };
            *counts.entry(kind).or_default() += 1;
            if let Some((id, fate)) = claimed(&stage.outcome) {
                let ran = &log[&id];
                assert_eq!(ran.fate, fate, "{row}");
                assert_eq!(ran.owner, job.user.owner(), "{row}");
                assert_eq!(
                    (ran.lookup_key.as_str(), ran.stage.as_str()),
                    (row.lookup_key.as_str(), stage.stage)
                );
                assert!(
                    claimed_ids.insert(id, ()).is_none(),
                    "execution #{id} claimed twice"
                );
            }
            before = Some(&stage.outcome);
        }
    }
    // Under load a stage that would have finished may also pass its timeout: the report
    // then says timed out, and the executor saw its future dropped unfinished.
    let cut = faulty.cut.load(Ordering::SeqCst) as usize;
    assert_eq!(
        timed_out, cut,
        "each stage cut, and only those, reported timed out"
    );
    assert_eq!(
        claimed_ids.len() + cut,
        log.len(),
        "every other execution is reported"
    );
    let hung = log.values().filter(|e| e.fate == Fate::Hung).count();
    assert!(hung <= cut, "every hung stage was cut");
    counts
}

fn quiet_deliberate_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !info.to_string().contains("on purpose") {
            default(info);
        }
    }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_faulty_jobs_all_report_truthfully_and_leak_nothing() {
    quiet_deliberate_panics();
    let users = users();

    // A deadline the run should not need: every row runs, faults and all.
    let faulty = Arc::new(Faulty::default());
    let locks = Arc::new(Recording::default());
    let deadline = Duration::from_secs(15);
    let o = orchestrator(&faulty, &locks, deadline);
    let before = o.holding();
    assert_eq!(before, Holding::default());
    let jobs = jobs(&users);
    let started = Instant::now();
    let report = o.run(jobs.clone()).await;
    let took = started.elapsed();
    assert!(took < deadline, "the run ended within its deadline ({took:?})");
    let counts = check_truthful(&report, &jobs, &faulty);
    for kind in ["synced", "failed", "panicked", "timed out"] {
        assert!(counts.get(kind).copied().unwrap_or(0) > 0, "{kind}: {counts:?}");
    }
    assert!(!counts.contains_key("skipped at the deadline"), "{counts:?}");
    assert_eq!(
        faulty.max_per_row.load(Ordering::SeqCst),
        1,
        "no row twice at once"
    );
    // Every lock a job waited on was its own user's row: each (owner, lookup key) was
    // asked for exactly as often as that user has jobs on that row.
    let mut asked: HashMap<(Owner, String), usize> = HashMap::new();
    for key in locks.keys.lock().unwrap().iter() {
        match key {
            LockKey::Row { owner, alias_key } => *asked.entry((*owner, alias_key.clone())).or_default() += 1,
            other => panic!("a row lock was expected, not {other}"),
        }
    }
    let mut expected: HashMap<(Owner, String), usize> = HashMap::new();
    for job in &jobs {
        *expected
            .entry((job.user.owner(), job.lookup_key.clone()))
            .or_default() += 1;
    }
    assert_eq!(asked.len(), USERS as usize * ROWS_PER_USER);
    assert_eq!(asked, expected);
    assert!(
        faulty.max_per_key.load(Ordering::SeqCst) > 1,
        "users sharing a lookup key ran alongside each other, not behind each other's lock"
    );
    assert_eq!(o.holding(), before, "locks and slots back to their start");

    // A deadline that cuts the run: it still returns by it, with every job reported.
    let faulty = Arc::new(Faulty::default());
    let deadline = Duration::from_millis(150);
    let o = orchestrator(&faulty, &Arc::new(Recording::default()), deadline);
    let started = Instant::now();
    let report = o.run(jobs.clone()).await;
    let took = started.elapsed();
    // Cancelling what runs at the deadline takes a moment on two busy cores; the bound
    // says the run did not go on to finish its 2,000 jobs.
    assert!(took < deadline + Duration::from_millis(500), "{took:?}");
    let counts = check_truthful(&report, &jobs, &faulty);
    assert!(counts["skipped at the deadline"] > 0, "{counts:?}");
    assert_eq!(faulty.max_per_row.load(Ordering::SeqCst), 1);
    assert_eq!(o.holding(), Holding::default());
}
