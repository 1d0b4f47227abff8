//! `add-row` on a host grown by `init` and `new`: the row's files, its module
//! declaration, its route and its sync registration, planned as one change that leaves
//! `check` with nothing missing; and every refusal writes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tento_scaffold::TentoSource;
use tento_scaffold::add_row::{self, AddRowOptions};
use tento_scaffold::check::check;
use tento_scaffold::host::Host;
use tento_scaffold::inventory::Inventory;
use tento_scaffold::new::{self, NewOptions};
use tento_scaffold::spec::SyncPlugin;
use tento_scaffold::templates::Templates;

fn host() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let templates = Templates::embedded();
    let tento = TentoSource::Version("0.1".into());
    tento_scaffold::init::plan(dir.path(), &tento, &templates)
        .unwrap()
        .apply()
        .unwrap();
    let opts = NewOptions {
        provider: "acme".into(),
        host: dir.path().to_path_buf(),
        rows: vec!["activities".into()],
        sync_plugin: SyncPlugin::Full,
        tento,
        ..NewOptions::default()
    };
    new::plan(&opts, &templates).unwrap().apply().unwrap();
    dir
}

fn opts(root: &Path, metric: &str) -> AddRowOptions {
    AddRowOptions {
        metric: metric.into(),
        provider: Some("acme".into()),
        host: Some(root.to_path_buf()),
        cwd: root.to_path_buf(),
        ..AddRowOptions::default()
    }
}

fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

#[test]
fn a_synced_row_with_logs_is_written_declared_routed_and_registered() {
    let dir = host();
    let root = dir.path();
    let plan = add_row::plan(
        &AddRowOptions {
            logs: true,
            ..opts(root, "sleep")
        },
        &Templates::embedded(),
    )
    .unwrap();
    let changed: Vec<_> = plan.changes().map(|c| c.display.as_str()).collect();
    assert_eq!(
        changed,
        [
            "tento-acme/src/connector/sleep/mod.rs",
            "tento-acme/src/connector/sleep/logs.rs",
            "tento-acme/src/connector/mod.rs",
            "host/src/rowkeys.rs",
            "host/src/lib.rs",
        ]
    );
    plan.apply().unwrap();
    let mods = std::fs::read_to_string(root.join("tento-acme/src/connector/mod.rs")).unwrap();
    assert!(mods.contains("pub mod activities;\npub mod sleep;\n"), "{mods}");
    let rowkeys = std::fs::read_to_string(root.join("host/src/rowkeys.rs")).unwrap();
    assert!(
        rowkeys.contains(
            "            \":activities\" { get list sync }\n            \":sleep\" { get list sync\n                \":logs\" { list }\n            }\n        }\n"
        ),
        "{rowkeys}"
    );
    let host = Host::read(root).unwrap();
    let inventory = Inventory::read(&host).unwrap();
    assert_eq!(check(&host, &inventory), []);
    let keys: Vec<_> = inventory.routes.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            ":~acme:{authId}:activities",
            ":~acme:{authId}:sleep",
            ":~acme:{authId}:sleep:logs"
        ]
    );
}

#[test]
fn a_row_on_request_is_routed_with_its_verbs_and_not_registered_for_sync() {
    let dir = host();
    let root = dir.path();
    let plan = add_row::plan(
        &AddRowOptions {
            verbs: vec!["post".into(), "get".into()],
            no_sync: true,
            ..opts(root, "weight")
        },
        &Templates::embedded(),
    )
    .unwrap();
    assert!(!plan.changes().any(|c| c.display == "host/src/lib.rs"));
    plan.apply().unwrap();
    let rowkeys = std::fs::read_to_string(root.join("host/src/rowkeys.rs")).unwrap();
    assert!(rowkeys.contains("\":weight\" { get post }"), "{rowkeys}");
    let row = std::fs::read_to_string(root.join("tento-acme/src/connector/weight/mod.rs")).unwrap();
    assert!(
        row.contains("async fn post(") && row.contains("async fn get("),
        "{row}"
    );
    assert!(!row.contains("stages"), "{row}");
    let host = Host::read(root).unwrap();
    assert_eq!(check(&host, &Inventory::read(&host).unwrap()), []);
}

#[test]
fn refusals_name_the_problem_and_write_nothing() {
    let dir = host();
    let root = dir.path();
    let before = tree(root);
    let refuse = |o: AddRowOptions, needle: &str| {
        let err = add_row::plan(&o, &Templates::embedded()).unwrap_err().to_string();
        assert!(err.contains(needle), "{err}");
        assert!(!err.contains('\n'), "one line: {err}");
    };
    refuse(opts(root, "activities"), "already has a row `activities`");
    refuse(
        AddRowOptions {
            verbs: vec!["put".into()],
            ..opts(root, "weight")
        },
        "unknown verb `put`",
    );
    refuse(
        AddRowOptions {
            no_sync: true,
            ..opts(root, "weight")
        },
        "pass --verbs",
    );
    refuse(opts(root, "2bad"), "row");
    refuse(
        AddRowOptions {
            provider: Some("nobody".into()),
            ..opts(root, "weight")
        },
        "does not depend on provider `nobody`",
    );
    refuse(
        AddRowOptions {
            provider: None,
            host: None,
            ..opts(root, "weight")
        },
        "not inside a provider crate",
    );
    assert_eq!(tree(root), before);
}

#[test]
fn inside_the_provider_crate_the_host_is_the_workspace_above() {
    let dir = host();
    let root = dir.path();
    let plan = add_row::plan(
        &AddRowOptions {
            metric: "sleep".into(),
            cwd: root.join("tento-acme/src"),
            ..AddRowOptions::default()
        },
        &Templates::embedded(),
    )
    .unwrap();
    assert!(plan.changes().any(|c| c.display == "host/src/rowkeys.rs"));
}

#[test]
fn a_hosts_template_override_shapes_the_row_it_writes() {
    let dir = host();
    let root = dir.path();
    let over = root.join(".tento/templates");
    tento_scaffold::export::plan(&over).unwrap().apply().unwrap();
    let row = over.join("provider/src/connector/row.rs.j2");
    let source = std::fs::read_to_string(&row).unwrap();
    std::fs::write(&row, format!("// Our house style.\n{source}")).unwrap();
    add_row::plan(&opts(root, "sleep"), &Templates::embedded())
        .unwrap()
        .apply()
        .unwrap();
    let written = std::fs::read_to_string(root.join("tento-acme/src/connector/sleep/mod.rs")).unwrap();
    assert!(
        written.starts_with("// Our house style.\n//! Acme sleep"),
        "{written}"
    );
}
