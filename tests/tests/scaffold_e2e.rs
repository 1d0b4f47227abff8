//! The scaffold's main job, end to end: hosts made or copied, providers scaffolded and
//! wired into them, and the hosts built, tested, linted and format-checked as a user's
//! CI would. Each build shares one target directory, so dependencies compile once. The
//! first host also grows after day one: rows added with `add-row`, then `check` and
//! `list` read it back.

use std::path::Path;

use tento_scaffold::add_row::{self, AddRowOptions};
use tento_scaffold::check;
use tento_scaffold::host::Host;
use tento_scaffold::inventory::Inventory;
use tento_scaffold::new::{self, NewOptions};
use tento_scaffold::spec::SyncPlugin;
use tento_scaffold::templates::Templates;
use tento_scaffold::{TentoSource, init};
use tento_tests::{cargo_ok, example_workspace, use_checkout_lock, workspace_root};

fn tento() -> TentoSource {
    TentoSource::Path(workspace_root().join("tento").canonicalize().unwrap())
}

fn new(host: &Path, provider: &str, rows: &[&str], sync_plugin: SyncPlugin) {
    let opts = NewOptions {
        provider: provider.to_owned(),
        host: host.to_path_buf(),
        rows: rows.iter().map(|r| (*r).to_owned()).collect(),
        sync_plugin,
        tento: tento(),
        ..NewOptions::default()
    };
    let plan = new::plan(&opts, &Templates::embedded()).unwrap_or_else(|e| panic!("new {provider}: {e}"));
    assert!(!plan.is_noop());
    plan.apply().unwrap();
    let again = new::plan(&opts, &Templates::embedded()).unwrap();
    assert!(
        again.is_noop(),
        "a second `new {provider}` would change {:?}",
        again.changes().map(|c| &c.display).collect::<Vec<_>>()
    );
}

/// What a user's CI runs on the host workspace; returns the test output.
fn check(ws: &Path) -> String {
    cargo_ok(ws, &["build", "--all-targets"]).unwrap();
    let tests = cargo_ok(ws, &["test", "--all-features"]).unwrap();
    let clippy = [
        "clippy",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ];
    cargo_ok(ws, &clippy).unwrap();
    cargo_ok(ws, &["fmt", "--check"]).unwrap();
    tests
}

#[test]
fn init_then_two_providers_build_test_lint_and_format() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    init::plan(&ws, &tento(), &Templates::embedded())
        .unwrap()
        .apply()
        .unwrap();
    use_checkout_lock(&ws).unwrap();
    let fresh = check(&ws);
    assert!(
        fresh.contains("the_host_boots_with_every_providers_deps_registered ... ok"),
        "{fresh}"
    );

    // The provider grows row by row after day one.
    new(&ws, "acme", &[], SyncPlugin::Full);
    add_row(&ws, "sleep", &[], true);
    add_row(&ws, "weight", &["get", "post"], false);
    add_row(&ws, "goals", &["list", "patch", "delete"], false);
    std::fs::write(ws.join("host/tests/write_verbs.rs"), WRITE_VERBS).unwrap();
    new(&ws, "other", &[], SyncPlugin::None);
    new(&ws, "weather-station", &["hourly"], SyncPlugin::ProviderOnly);
    let tests = check(&ws);
    for test in ["acme.rs", "other.rs", "weatherstation.rs"] {
        assert!(
            tests.contains(&format!("tests/{test}")),
            "the host tests each provider: {tests}"
        );
    }
    assert!(
        tests.contains("hourly_syncs_and_reads_back_through_the_host ... ok"),
        "{tests}"
    );
    assert!(
        tests.contains("a_rows_write_verbs_reach_the_api_through_the_host ... ok"),
        "{tests}"
    );
    assert!(
        tests.contains("the_test_fakes_register_every_providers_stub ... ok"),
        "{tests}"
    );
    let host = Host::read(&ws).unwrap();
    let inventory = Inventory::read(&host).unwrap();
    assert_eq!(check::check(&host, &inventory), [], "check finds nothing missing");
    let json = tento_scaffold::list::json(&inventory);
    for key in [
        ":~acme:{authId}:activities",
        ":~acme:{authId}:sleep",
        ":~acme:{authId}:sleep:logs",
        ":~acme:{authId}:weight",
        ":~other:{authId}:activities",
        ":~weatherstation:{authId}:hourly",
    ] {
        assert!(
            json.contains(&format!("\"key\": \"{key}\"")),
            "list --json lacks {key}: {json}"
        );
    }
}

/// A host test of the write verbs `add-row goals --verbs list,patch,delete` generates,
/// against the SDK's offline API: what a user gets before writing any code.
const WRITE_VERBS: &str = r#"use tento::connector::{Owner, Request, Response, RowKeySchema};

use host::{Host, HostUserAuth, RowKeys};

#[tokio::test]
async fn a_rows_write_verbs_reach_the_api_through_the_host() {
    let mut user = HostUserAuth::new(Owner(uuid::Uuid::from_u128(7)));
    user.connect(
        "acme",
        "test-account",
        serde_json::json!({ "credentials": {}, "token": { "access_token": "test-token" } }),
    );
    let host = Host::temporary().unwrap();
    let ctx = host.ctx(&user);
    let key = ":~acme:test-account:goals";
    let listed = RowKeys::dispatch(key, Request::List { range: None }, &ctx)
        .await
        .unwrap();
    let Response::Cells(cells) = listed else {
        panic!("{listed:?}")
    };
    let id = cells[0].id.clone().unwrap();

    let data = serde_json::json!({ "value": 1 });
    let patch = Request::Patch {
        cell_id: id.clone(),
        data: data.clone(),
    };
    let patched = RowKeys::dispatch(key, patch, &ctx).await.unwrap();
    let Response::Written(cell) = patched else {
        panic!("{patched:?}")
    };
    assert_eq!((cell.id.as_deref(), &cell.data), (Some(id.as_str()), &data));

    let deleted = RowKeys::dispatch(key, Request::Delete { cell_id: id }, &ctx)
        .await
        .unwrap();
    assert!(matches!(deleted, Response::Deleted), "{deleted:?}");
    let missing = Request::Delete {
        cell_id: "goals-0".into(),
    };
    let err = RowKeys::dispatch(key, missing, &ctx).await.unwrap_err();
    assert!(err.to_string().contains("404"), "{err}");
}
"#;

/// `add-row <metric>` into acme: `--logs` when `logs`, `--verbs … --no-sync` when
/// `verbs` are given.
fn add_row(ws: &Path, metric: &str, verbs: &[&str], logs: bool) {
    let opts = AddRowOptions {
        metric: metric.to_owned(),
        provider: Some("acme".into()),
        host: Some(ws.to_path_buf()),
        cwd: ws.to_path_buf(),
        logs,
        verbs: verbs.iter().map(|v| (*v).to_owned()).collect(),
        stages: Vec::new(),
        no_sync: !verbs.is_empty(),
    };
    add_row::plan(&opts, &Templates::embedded())
        .unwrap_or_else(|e| panic!("add-row {metric}: {e}"))
        .apply()
        .unwrap();
}

#[test]
fn the_same_against_a_copy_of_the_by_hand_example_host() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let examples: Vec<String> = std::fs::read_dir(workspace_root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let examples: Vec<&str> = examples.iter().map(String::as_str).collect();
    example_workspace(&ws, &examples).unwrap();
    new(&ws, "acme", &["activities", "sleep"], SyncPlugin::Full);
    new(&ws, "other", &[], SyncPlugin::None);
    let tests = check(&ws);
    assert!(
        tests.contains("sleep_syncs_and_reads_back_through_the_host ... ok"),
        "{tests}"
    );
    assert!(
        tests.contains("the_orchestrator_syncs_the_row_into_the_store_through_the_sync_plugin ... ok"),
        "the example host's own tests still pass: {tests}"
    );
}
