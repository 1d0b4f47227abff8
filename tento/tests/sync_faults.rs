//! The orchestrator under rows that misbehave: panics, hung stages, users sharing keys,
//! caps and limits at their edges.
#![cfg(all(feature = "sync", feature = "testing"))]

mod support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use support::*;
use tento::connector::*;
use tento::sync::*;
use tento::testing::{FakeRowKeyDeps, FakeUserAuth};
use uuid::Uuid;

/// Runs a stage by what its lookup key says: `panic` panics, `hang` never returns,
/// `fail` errs, anything else takes a few milliseconds. Counts how many stages run at
/// once, overall and per lookup key.
#[derive(Default)]
struct Script {
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    per_key: Mutex<HashMap<String, usize>>,
    max_per_key: AtomicUsize,
    ran: AtomicUsize,
}

#[async_trait]
impl SyncExecutor for Script {
    async fn execute(&self, job: &StageJob<'_>) -> anyhow::Result<usize> {
        if job.lookup_key.contains("panic") {
            panic!("{} blew up on purpose", job.lookup_key);
        }
        if job.lookup_key.contains("hang") {
            std::future::pending::<()>().await;
        }
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        let on_key = {
            let mut per_key = self.per_key.lock().unwrap();
            let n = per_key.entry(job.lookup_key.to_owned()).or_default();
            *n += 1;
            *n
        };
        self.max_per_key.fetch_max(on_key, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(5)).await;
        *self.per_key.lock().unwrap().get_mut(job.lookup_key).unwrap() -= 1;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        self.ran.fetch_add(1, Ordering::SeqCst);
        if job.lookup_key.contains("fail") {
            anyhow::bail!("{} failed on purpose", job.lookup_key);
        }
        Ok(1)
    }
}

#[derive(Default)]
struct Topology {
    locking: Locking,
    max_concurrent: Option<usize>,
}

impl SyncProvider for Topology {
    fn stages(&self) -> &'static [&'static str] {
        &["viewport", "backfill"]
    }
    fn locking(&self) -> Locking {
        self.locking
    }
    fn max_concurrent(&self) -> Option<usize> {
        self.max_concurrent
    }
}

fn user(n: u128) -> Arc<dyn UserAuth> {
    Arc::new(FakeUserAuth::with_owner(Owner(Uuid::from_u128(n))))
}

fn job<R: Row>(key: &str, user: &Arc<dyn UserAuth>) -> SyncJob {
    SyncJob::for_row::<R>(key, user.clone())
}

/// Bounds a test's run: a run that does not end in time fails the test instead of
/// hanging it.
async fn bounded<F: std::future::Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(10), f)
        .await
        .expect("the run did not end in time")
}

#[tokio::test]
async fn a_panicking_row_is_its_own_failed_report_and_every_other_row_reports() {
    let script = Arc::new(Script::default());
    let mut o = Orchestrator::new(4);
    o.register_row_with_sync::<Synced>(Arc::new(Topology::default()), script.clone());
    let u = user(1);
    let keys = [":~demo:a1:synced", ":~demo:panic:synced", ":~demo:a2:synced"];
    let report = bounded(o.run(keys.iter().map(|k| job::<Synced>(k, &u)))).await;
    assert_eq!(report.rows.len(), 3);
    assert!(report.rows[0].is_success() && report.rows[2].is_success());
    assert_eq!(report.synced_cells(), 4);
    let panicked = &report.rows[1];
    assert!(!panicked.is_success());
    assert!(
        matches!(&panicked.stages[0].outcome, StageOutcome::Panicked(m) if m.contains("blew up on purpose")),
        "{panicked}"
    );
    assert_eq!(
        panicked.stages[1].outcome,
        StageOutcome::Skipped(SkipReason::EarlierStageFailed)
    );
    assert!(
        panicked
            .to_string()
            .contains("panicked: :~demo:panic:synced blew up on purpose")
    );
    assert_eq!(
        o.holding(),
        Holding::default(),
        "the panic released lock and slots"
    );
}

#[tokio::test]
async fn a_hung_stage_times_out_and_frees_its_slot_for_the_rest() {
    let script = Arc::new(Script::default());
    let mut o = Orchestrator::new(1).with_stage_timeout(Duration::from_millis(50));
    o.register_row_with_sync::<Synced>(Arc::new(Topology::default()), script.clone());
    let u = user(1);
    let keys = [
        ":~demo:hang:synced",
        ":~demo:a1:synced",
        ":~demo:a2:synced",
        ":~demo:a3:synced",
        ":~demo:a4:synced",
    ];
    let report = bounded(o.run(keys.iter().map(|k| job::<Synced>(k, &u)))).await;
    let hung = &report.rows[0];
    assert_eq!(
        hung.stages[0].outcome,
        StageOutcome::TimedOut(TimeLimit::Stage(Duration::from_millis(50)))
    );
    assert_eq!(
        hung.stages[1].outcome,
        StageOutcome::Skipped(SkipReason::EarlierStageTimedOut)
    );
    assert!(report.rows[1..].iter().all(RowReport::is_success), "{report:?}");
    assert_eq!(script.ran.load(Ordering::SeqCst), 8);
    assert_eq!(o.holding(), Holding::default());
}

/// A provider that gives its stages longer than the orchestrator's default.
struct Patient;
impl SyncProvider for Patient {
    fn stages(&self) -> &'static [&'static str] {
        &["viewport", "backfill"]
    }
    fn stage_timeout(&self, stage: &str) -> Option<Duration> {
        (stage == "backfill").then_some(Duration::from_millis(200))
    }
}

/// Sleeps 100 ms a stage.
struct Slow;
#[async_trait]
impl SyncExecutor for Slow {
    async fn execute(&self, _: &StageJob<'_>) -> anyhow::Result<usize> {
        tokio::time::sleep(Duration::from_millis(100)).await;
        Ok(1)
    }
}

#[tokio::test]
async fn a_provider_overrides_the_default_stage_timeout_per_stage() {
    let mut o = Orchestrator::new(2)
        .with_stage_timeout(Duration::from_millis(30))
        .with_timer(Arc::new(TokioTimer));
    o.register_row_with_sync::<Synced>(Arc::new(Patient), Arc::new(Slow));
    let report = bounded(o.run([job::<Synced>(":~demo:a1:synced", &user(1))])).await;
    let stages = &report.rows[0].stages;
    // The viewport keeps the default and times out; sequential gating would skip the
    // backfill after a failure, but a timeout skips the rest whatever the gating.
    assert_eq!(
        stages[0].outcome,
        StageOutcome::TimedOut(TimeLimit::Stage(Duration::from_millis(30)))
    );
    assert_eq!(
        stages[1].outcome,
        StageOutcome::Skipped(SkipReason::EarlierStageTimedOut)
    );

    struct PatientIndependent;
    impl SyncProvider for PatientIndependent {
        fn stages(&self) -> &'static [&'static str] {
            &["backfill"]
        }
        fn stage_timeout(&self, _: &str) -> Option<Duration> {
            Some(Duration::from_millis(400))
        }
    }
    o.register_row_with_sync::<Synced>(Arc::new(PatientIndependent), Arc::new(Slow));
    let report = bounded(o.run([job::<Synced>(":~demo:a1:synced", &user(1))])).await;
    assert_eq!(report.rows[0].stages[0].outcome, StageOutcome::Synced(1));
}

/// A timer on tokio's clock, as a tokio host may pass one.
struct TokioTimer;
impl Timer for TokioTimer {
    fn now(&self) -> std::time::Instant {
        tokio::time::Instant::now().into_std()
    }
    fn sleep(&self, duration: Duration) -> futures::future::BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

#[tokio::test]
async fn the_run_deadline_bounds_the_run_and_reports_what_it_cut() {
    let script = Arc::new(Script::default());
    let mut o = Orchestrator::new(1)
        .with_stage_timeout(Duration::from_secs(60))
        .with_run_deadline(Duration::from_millis(100));
    o.register_row_with_sync::<Synced>(Arc::new(Topology::default()), script.clone());
    let u = user(1);
    let keys = [":~demo:hang:synced", ":~demo:a1:synced", ":~demo:a2:synced"];
    let started = std::time::Instant::now();
    let report = bounded(o.run(keys.iter().map(|k| job::<Synced>(k, &u)))).await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        report.rows[0].stages[0].outcome,
        StageOutcome::TimedOut(TimeLimit::Run(Duration::from_millis(100)))
    );
    for row in &report.rows[1..] {
        assert!(
            row.stages
                .iter()
                .all(|s| s.outcome == StageOutcome::Skipped(SkipReason::RunDeadlinePassed)),
            "{row}"
        );
    }
    assert_eq!(script.ran.load(Ordering::SeqCst), 0);
    assert_eq!(o.holding(), Holding::default());
}

#[tokio::test]
async fn users_sharing_a_lookup_key_do_not_wait_on_each_others_row_lock() {
    let script = Arc::new(Script::default());
    let mut o = Orchestrator::new(8);
    o.register_row_with_sync::<Synced>(Arc::new(Topology::default()), script.clone());
    let jobs: Vec<_> = (0..8)
        .map(|u| job::<Synced>(":~demo:primary:synced", &user(u)))
        .collect();
    assert!(bounded(o.run(jobs)).await.is_success());
    assert_eq!(script.max_in_flight.load(Ordering::SeqCst), 8);
}

#[tokio::test]
async fn row_locking_serializes_one_users_row_and_nothing_else() {
    let script = Arc::new(Script::default());
    let mut o = Orchestrator::new(16);
    o.register_row_with_sync::<Synced>(Arc::new(Topology::default()), script.clone());
    // Two users, each with two rows of one account, each row asked for three times.
    let jobs: Vec<_> = (0..2u128)
        .flat_map(|u| [":~demo:acct:synced", ":~demo:acct:synced2"].map(move |k| (u, k)))
        .flat_map(|(u, k)| (0..3).map(move |_| job::<Synced>(k, &user(u))))
        .collect();
    assert!(bounded(o.run(jobs)).await.is_success());
    // Per lookup key: one run per user at a time, and the two users overlap.
    assert_eq!(script.max_per_key.load(Ordering::SeqCst), 2);
    assert_eq!(script.max_in_flight.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn account_locking_serializes_one_users_account_across_its_rows() {
    let script = Arc::new(Script::default());
    let mut o = Orchestrator::new(16);
    let account = Topology {
        locking: Locking::Account,
        ..Default::default()
    };
    o.register_row_with_sync::<Synced>(Arc::new(account), script.clone());
    let rows = [":~demo:acct:synced", ":~demo:acct:synced2", ":~demo:acct:synced3"];
    // Four users, three rows each of one account `acct`: one row per user at a time.
    let jobs: Vec<_> = (0..4)
        .flat_map(|u| rows.map(move |k| job::<Synced>(k, &user(u))))
        .collect();
    assert!(bounded(o.run(jobs)).await.is_success());
    assert_eq!(script.max_in_flight.load(Ordering::SeqCst), 4);
    // One user with two accounts: they do not wait on each other.
    let script = Arc::new(Script::default());
    let mut o = Orchestrator::new(16);
    o.register_row_with_sync::<Synced>(
        Arc::new(Topology {
            locking: Locking::Account,
            ..Default::default()
        }),
        script.clone(),
    );
    let u = user(9);
    let jobs = [":~demo:one:synced", ":~demo:two:synced"].map(|k| job::<Synced>(k, &u));
    assert!(bounded(o.run(jobs)).await.is_success());
    assert_eq!(script.max_in_flight.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn provider_locking_serializes_the_provider_across_users() {
    let script = Arc::new(Script::default());
    let mut o = Orchestrator::new(16);
    let provider_wide = Topology {
        locking: Locking::Provider,
        ..Default::default()
    };
    o.register_row_with_sync::<Synced>(Arc::new(provider_wide), script.clone());
    let jobs: Vec<_> = (0..6)
        .map(|u| job::<Synced>(&format!(":~demo:a{u}:synced"), &user(u)))
        .collect();
    assert!(bounded(o.run(jobs)).await.is_success());
    assert_eq!(script.max_in_flight.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_re_registration_replaces_the_providers_cap() {
    let script = Arc::new(Script::default());
    let mut o = Orchestrator::new(16);
    let capped = |n| {
        Arc::new(Topology {
            max_concurrent: Some(n),
            ..Default::default()
        })
    };
    o.register_row_with_sync::<Synced>(capped(4), script.clone());
    o.register_row_with_sync::<Synced>(capped(1), script.clone());
    let u = user(1);
    let jobs: Vec<_> = (0..6)
        .map(|i| job::<Synced>(&format!(":~demo:a{i}:synced"), &u))
        .collect();
    assert!(bounded(o.run(jobs)).await.is_success());
    assert_eq!(script.max_in_flight.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn rows_of_one_provider_share_the_strictest_cap_they_declare() {
    let script = Arc::new(Script::default());
    let mut o = Orchestrator::new(16);
    let capped = |n| {
        Arc::new(Topology {
            max_concurrent: Some(n),
            ..Default::default()
        })
    };
    o.register_row_with_sync::<Synced>(capped(4), script.clone());
    o.register_row_with_sync::<Plain>(capped(2), script.clone());
    let u = user(1);
    let jobs: Vec<_> = (0..6)
        .flat_map(|i| {
            [
                job::<Synced>(&format!(":~demo:a{i}:synced"), &u),
                job::<Plain>(&format!(":~demo:a{i}:plain"), &u),
            ]
        })
        .collect();
    assert!(bounded(o.run(jobs)).await.is_success());
    assert_eq!(script.max_in_flight.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn limits_past_the_semaphores_maximum_are_clamped_not_a_panic() {
    let script = Arc::new(Script::default());
    let mut o = Orchestrator::new(usize::MAX);
    o.register_row_with_sync::<Synced>(
        Arc::new(Topology {
            max_concurrent: Some(usize::MAX),
            ..Default::default()
        }),
        script.clone(),
    );
    assert_eq!(o.max_concurrent(), tokio::sync::Semaphore::MAX_PERMITS);
    let u = user(1);
    let jobs: Vec<_> = (0..4)
        .map(|i| job::<Synced>(&format!(":~demo:a{i}:synced"), &u))
        .collect();
    assert!(bounded(o.run(jobs)).await.is_success());
}

#[tokio::test]
async fn zero_limits_are_refused_with_a_clear_error() {
    let err = Orchestrator::try_new(0)
        .err()
        .expect("a limit of zero is refused");
    assert!(err.to_string().contains("at least 1"), "{err}");

    let script = Arc::new(Script::default());
    let mut o = Orchestrator::new(4);
    o.register_row_with_sync::<Synced>(
        Arc::new(Topology {
            max_concurrent: Some(0),
            ..Default::default()
        }),
        script.clone(),
    );
    let report = bounded(o.run([job::<Synced>(":~demo:a1:synced", &user(1))])).await;
    let error = report.rows[0].error.as_deref().expect("the row is refused");
    assert!(
        error.contains("max_concurrent") && error.contains("Some(0)"),
        "{error}"
    );
    assert_eq!(script.ran.load(Ordering::SeqCst), 0);

    struct Instant;
    impl SyncProvider for Instant {
        fn stages(&self) -> &'static [&'static str] {
            &["viewport"]
        }
        fn stage_timeout(&self, _: &str) -> Option<Duration> {
            Some(Duration::ZERO)
        }
    }
    o.register_row_with_sync::<Synced>(Arc::new(Instant), script.clone());
    let report = bounded(o.run([job::<Synced>(":~demo:a1:synced", &user(1))])).await;
    let error = report.rows[0].error.as_deref().expect("the row is refused");
    assert!(error.contains("stage_timeout"), "{error}");
}

#[tokio::test]
async fn a_job_whose_key_routes_to_another_row_fails_instead_of_running_it() {
    let fake = FakeRowKeyDeps::new()
        .with_stub::<dyn DemoDeps>()
        .with_user(FakeUserAuth::new().with::<DemoAuth>("a1", DemoCreds { token: "t".into() }));
    let user: Arc<dyn UserAuth> = Arc::new(fake.user.clone());
    let executor = Arc::new(DispatchExecutor::<DemoKeys>::new(
        Arc::new(fake.deps),
        fake.store.clone(),
    ));
    let mut o = Orchestrator::new(4);
    o.register_row_with_sync::<Plain>(Arc::new(Synced::sync_shape().unwrap()), executor);
    // Labelled `Plain`, but the key is `Synced`'s.
    let report = bounded(o.run([job::<Plain>(":~demo:a1:synced", &user)])).await;
    assert!(!report.is_success());
    let shown = report.rows[0].to_string();
    assert!(shown.contains("routes to row `demo-synced`"), "{shown}");
    assert!(shown.contains("`demo-plain`"), "{shown}");
    assert!(fake.store.is_empty(), "the other row did not run");
}

#[tokio::test]
async fn a_run_dropped_midway_releases_every_lock_and_slot() {
    let script = Arc::new(Script::default());
    let mut o = Orchestrator::new(2);
    o.register_row_with_sync::<Synced>(
        Arc::new(Topology {
            max_concurrent: Some(1),
            ..Default::default()
        }),
        script.clone(),
    );
    let u = user(1);
    let jobs: Vec<_> = [":~demo:hang:synced", ":~demo:hang:synced", ":~demo:a1:synced"]
        .iter()
        .map(|k| job::<Synced>(k, &u))
        .collect();
    let run = o.run(jobs);
    assert!(
        tokio::time::timeout(Duration::from_millis(50), run)
            .await
            .is_err()
    );
    assert_eq!(o.holding(), Holding::default());
}

/// Lease store that cannot be reached.
struct Unreachable;
impl SyncLocks for Unreachable {
    fn lock(&self, key: LockKey) -> futures::future::BoxFuture<'_, anyhow::Result<SyncLease>> {
        Box::pin(async move { anyhow::bail!("lease store down while locking {key}") })
    }
    fn held(&self) -> usize {
        0
    }
}

#[tokio::test]
async fn a_lock_that_cannot_be_taken_fails_its_row_without_running_it() {
    let script = Arc::new(Script::default());
    let mut o = Orchestrator::new(2).with_locks(Arc::new(Unreachable));
    o.register_row_with_sync::<Synced>(Arc::new(Topology::default()), script.clone());
    let report = bounded(o.run([job::<Synced>(":~demo:a1:synced", &user(1))])).await;
    let error = report.rows[0].error.as_deref().unwrap();
    assert!(error.starts_with("could not take the lock `row "), "{error}");
    assert!(error.contains("lease store down"), "{error}");
    assert_eq!(script.ran.load(Ordering::SeqCst), 0);
}

#[test]
fn a_run_is_a_send_future_a_host_can_spawn() {
    fn spawnable<F: std::future::Future + Send>(_: F) {}
    let o = Orchestrator::new(1);
    spawnable(o.run(Vec::new()));
}
