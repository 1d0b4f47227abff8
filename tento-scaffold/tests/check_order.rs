//! `check` walks the wiring steps in `new`'s order, but reports a provider's drifts in
//! the order of their kinds, as it always has: the routes step finds a row without a
//! route before the auth and sync steps look, yet that drift comes last.

use std::path::Path;

use tento_scaffold::TentoSource;
use tento_scaffold::check::{DriftKind, check};
use tento_scaffold::host::Host;
use tento_scaffold::inventory::Inventory;
use tento_scaffold::new::{self, NewOptions};
use tento_scaffold::spec::SyncPlugin;
use tento_scaffold::templates::Templates;

/// An `init` host with `acme` (rows activities and sleep, a full sync plugin).
fn good_host() -> tempfile::TempDir {
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
        rows: vec!["activities".into(), "sleep".into()],
        sync_plugin: SyncPlugin::Full,
        name: None,
        base_url: None,
        force: false,
        no_host: false,
        tento,
        token_url: None,
    };
    new::plan(&opts, &templates).unwrap().apply().unwrap();
    dir
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let src = std::fs::read_to_string(&path).unwrap();
    assert!(src.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, src.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_providers_drifts_are_listed_by_kind_whichever_step_finds_them_first() {
    let dir = good_host();
    let root = dir.path();
    edit(root, "host/src/rowkeys.rs", "\":sleep\" { get list sync }", "");
    edit(
        root,
        "host/src/lib.rs",
        "register_row_with_sync::<tento_acme::connector::sleep::Sleep>",
        "register_row_with_sync::<tento_acme::connector::activities::Activities>",
    );
    edit(
        root,
        "host/src/auth.rs",
        "tento_acme::connector::AcmeAuth,",
        "// tento_acme::connector::AcmeAuth,",
    );
    let host = Host::read(root).unwrap();
    let inventory = Inventory::read(&host).unwrap();
    let found: Vec<(DriftKind, String)> = check(&host, &inventory)
        .into_iter()
        .map(|d| (d.kind, d.subject))
        .collect();
    assert_eq!(
        found,
        [
            (DriftKind::Auth, "acme".to_owned()),
            (DriftKind::Sync, "tento_acme::connector::sleep::Sleep".to_owned()),
            (
                DriftKind::RowWithoutRoute,
                "tento_acme::connector::sleep::Sleep".to_owned()
            ),
        ]
    );
}
