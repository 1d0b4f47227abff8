//! The scaffold on a host people wrote (issue 10), built: a host in the seeds' shape
//! with every habit of `tento-scaffold/tests/support/hand_host.rs` at once (CRLF, tabs,
//! banners, comments everywhere, dotted keys, a hand-written auth `match`, a
//! registration helper, a local binding, extra parameters, a `#[cfg(test)]` module, a
//! `[lib] name`), loading the by-hand `tento-myprovider`. It builds and passes its own
//! tests before `new`, after `new`, after `add-row` and after `remove`, which gives its
//! bytes back.
//! The plan-level cycle on every habit alone, and the property test over random
//! combinations, are in `tento-scaffold/tests/hand_written.rs`; this is the one that
//! pays for a build.

#[path = "../../tento-scaffold/tests/support/hand_host.rs"]
mod hand_host;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hand_host::Traits;
use tento_scaffold::add_row::{self, AddRowOptions};
use tento_scaffold::check::check;
use tento_scaffold::host::Host;
use tento_scaffold::inventory::Inventory;
use tento_scaffold::new::{self, NewOptions};
use tento_scaffold::remove::{self, RemoveOptions};
use tento_scaffold::spec::SyncPlugin;
use tento_scaffold::templates::Templates;
use tento_tests::{cargo_ok, use_checkout_lock, workspace_root};

fn host_files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.file_name() != "target")
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf())
        .filter(|p| !p.starts_with("tento-acme") && p != Path::new("Cargo.lock"))
        .map(|p| {
            let bytes = std::fs::read(root.join(&p)).unwrap();
            (p, bytes)
        })
        .collect()
}

fn nothing_missing(root: &Path) {
    let host = Host::read(root).unwrap();
    let inventory = Inventory::read(&host).unwrap();
    let drifts: Vec<String> = check(&host, &inventory)
        .iter()
        .map(|d| format!("{:?} {}: {}", d.kind, d.subject, d.fix))
        .collect();
    assert!(drifts.is_empty(), "{drifts:#?}");
}

#[test]
fn a_host_with_every_habit_builds_and_passes_its_tests_through_new_add_row_and_remove() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ws");
    hand_host::write(&root, Traits::from_bits(u16::MAX));
    use_checkout_lock(&root).unwrap();
    let before = host_files(&root);
    let tests = cargo_ok(&root, &["test"]).unwrap();
    assert!(tests.contains("every_provider_has_a_stub ... ok"), "{tests}");
    assert!(tests.contains("the_host_boots ... ok"), "{tests}");
    nothing_missing(&root);

    let opts = NewOptions {
        provider: "acme".into(),
        host: root.clone(),
        rows: vec!["activities".into(), "sleep".into()],
        sync_plugin: SyncPlugin::Full,
        tento: tento_scaffold::TentoSource::Path(workspace_root().join("tento")),
        ..NewOptions::default()
    };
    new::plan(&opts, &Templates::embedded())
        .unwrap_or_else(|e| panic!("new: {e}"))
        .apply()
        .unwrap();
    nothing_missing(&root);
    let tests = cargo_ok(&root, &["test", "--workspace"]).unwrap();
    assert!(tests.contains("the_host_boots ... ok"), "after new: {tests}");
    let row = AddRowOptions {
        metric: "heart-rate".into(),
        provider: Some("acme".into()),
        host: Some(root.clone()),
        cwd: root.clone(),
        ..AddRowOptions::default()
    };
    add_row::plan(&row, &Templates::embedded())
        .unwrap_or_else(|e| panic!("add-row: {e}"))
        .apply()
        .unwrap();
    nothing_missing(&root);
    let tests = cargo_ok(&root, &["test", "--workspace"]).unwrap();
    assert!(tests.contains("every_provider_has_a_stub ... ok"), "{tests}");
    assert!(tests.contains("the_host_boots ... ok"), "{tests}");
    assert!(!tests.contains("FAILED"), "{tests}");

    let opts = RemoveOptions {
        provider: "acme".into(),
        host: root.clone(),
        delete_crate: false,
    };
    remove::plan(&opts).unwrap().apply().unwrap();
    let after = host_files(&root);
    for (path, bytes) in &before {
        assert_eq!(
            after.get(path).map(|b| String::from_utf8_lossy(b).into_owned()),
            Some(String::from_utf8_lossy(bytes).into_owned()),
            "{}",
            path.display()
        );
    }
    assert_eq!(
        after.len(),
        before.len(),
        "{:?}",
        after.keys().collect::<Vec<_>>()
    );
    let tests = cargo_ok(&root, &["test"]).unwrap();
    assert!(tests.contains("the_host_boots ... ok"), "after remove: {tests}");
}
