//! `remove` undoes what `new` and `add-row` wired: on an `init` host and on the quirky
//! fixture, `new` (then rows) then `remove` leaves every host file byte-identical.

use std::collections::BTreeMap;
use std::path::Path;

use tento_scaffold::TentoSource;
use tento_scaffold::add_row::{self, AddRowOptions};
use tento_scaffold::new::{self, NewOptions};
use tento_scaffold::remove::{self, RemoveOptions};
use tento_scaffold::spec::SyncPlugin;
use tento_scaffold::templates::Templates;

mod support;

use support::tree;

fn new(root: &Path, provider: &str, sync_plugin: SyncPlugin) {
    let opts = NewOptions {
        provider: provider.into(),
        host: root.to_path_buf(),
        rows: vec!["activities".into(), "sleep".into()],
        sync_plugin,
        tento: TentoSource::Version("0.1".into()),
        ..NewOptions::default()
    };
    new::plan(&opts, &Templates::embedded()).unwrap().apply().unwrap();
}

fn remove(root: &Path, provider: &str, delete_crate: bool) {
    let opts = RemoveOptions {
        provider: provider.into(),
        host: root.to_path_buf(),
        delete_crate,
    };
    remove::plan(&opts).unwrap().apply().unwrap();
}

fn add_row(root: &Path, provider: &str, metric: &str, verbs: &[&str], logs: bool) {
    let opts = AddRowOptions {
        metric: metric.into(),
        provider: Some(provider.into()),
        host: Some(root.to_path_buf()),
        cwd: root.to_path_buf(),
        logs,
        verbs: verbs.iter().map(|v| (*v).to_owned()).collect(),
        no_sync: !verbs.is_empty(),
        ..AddRowOptions::default()
    };
    add_row::plan(&opts, &Templates::embedded())
        .unwrap()
        .apply()
        .unwrap();
}

#[test]
fn new_rows_then_remove_leave_an_init_host_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let tento = TentoSource::Version("0.1".into());
    tento_scaffold::init::plan(root, &tento, &Templates::embedded())
        .unwrap()
        .apply()
        .unwrap();
    new(root, "first", SyncPlugin::None);
    let before = tree(root);
    for mode in [SyncPlugin::Full, SyncPlugin::ProviderOnly, SyncPlugin::None] {
        new(root, "acme", mode);
        add_row(root, "acme", "weight", &["get", "post"], false);
        add_row(root, "acme", "steps", &[], true);
        assert_ne!(tree(root), before);
        remove(root, "acme", true);
        remove::prune_empty_dirs(&root.join("tento-acme"));
        assert_eq!(tree(root), before, "{mode:?}");
        assert!(!root.join("tento-acme").exists());
    }
    // Without --delete-crate, the crate stays and only the host is restored.
    new(root, "acme", SyncPlugin::Full);
    remove(root, "acme", false);
    let after = tree(root);
    assert!(after.keys().any(|p| p.starts_with("tento-acme")));
    let host_only: BTreeMap<_, _> = after
        .into_iter()
        .filter(|(p, _)| !p.starts_with("tento-acme"))
        .collect();
    assert_eq!(host_only, before);
}

#[test]
fn new_then_remove_leave_the_quirky_host_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/quirky");
    for entry in walkdir::WalkDir::new(&fixture) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&fixture).unwrap();
        let dest = dir.path().join(rel.to_string_lossy().trim_end_matches(".in"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
    let root = dir.path();
    let before = tree(root);
    new(root, "acme", SyncPlugin::None);
    assert_ne!(tree(root), before);
    remove(root, "acme", true);
    assert_eq!(tree(root), before);
}

#[test]
fn removing_a_provider_the_host_lacks_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    tento_scaffold::init::plan(
        dir.path(),
        &TentoSource::Version("0.1".into()),
        &Templates::embedded(),
    )
    .unwrap()
    .apply()
    .unwrap();
    let err = remove::plan(&RemoveOptions {
        provider: "acme".into(),
        host: dir.path().to_path_buf(),
        delete_crate: false,
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("does not depend on provider `acme`"), "{err}");
}
