//! `check` and `list` on a host grown by `init` and `new`: a good host has nothing
//! missing, and each kind of drift is found when a good host is broken one way.

use std::path::Path;

use tento_scaffold::TentoSource;
use tento_scaffold::check::{DriftKind, check, table};
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
        tento,
        ..NewOptions::default()
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

/// The drifts of the host at `root`, as `(kind, subject, fix)`.
fn drifts(root: &Path) -> Vec<(DriftKind, String, String)> {
    let host = Host::read(root).unwrap();
    let inventory = Inventory::read(&host).unwrap();
    check(&host, &inventory)
        .into_iter()
        .map(|d| (d.kind, d.subject, d.fix))
        .collect()
}

#[test]
fn a_host_grown_by_the_scaffold_has_nothing_missing() {
    let dir = good_host();
    assert_eq!(drifts(dir.path()), []);
    let host = Host::read(dir.path()).unwrap();
    let inventory = Inventory::read(&host).unwrap();
    let routes: Vec<_> = inventory.routes.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(routes, [":~acme:{authId}:activities", ":~acme:{authId}:sleep"]);
    assert_eq!(inventory.providers[0].rows.len(), 2);
    assert!(inventory.providers[0].sync_plugin && inventory.providers[0].executor);
}

#[test]
fn a_provider_without_its_integration_block_is_reported_with_the_block() {
    let dir = good_host();
    let path = dir.path().join("host/src/rowkeys.rs");
    let src = std::fs::read_to_string(&path).unwrap();
    let start = src.find("    [integration").unwrap();
    let end = src.rfind("}]").unwrap();
    std::fs::write(&path, format!("{}{}", &src[..start], &src[end..])).unwrap();
    assert_eq!(
        drifts(dir.path()),
        [(
            DriftKind::Integration,
            "acme".into(),
            "[integration = ::tento_acme::connector::Acme] { \":~acme:{authId}\" { \":activities\" { get list sync } \":sleep\" { get list sync } } }".into()
        )]
    );
}

#[test]
fn a_provider_without_its_auth_line_is_reported() {
    let dir = good_host();
    edit(
        dir.path(),
        "host/src/auth.rs",
        "tento_acme::connector::AcmeAuth,",
        "",
    );
    assert_eq!(
        drifts(dir.path()),
        [(
            DriftKind::Auth,
            "acme".into(),
            "tento_acme::connector::AcmeAuth,".into()
        )]
    );
}

#[test]
fn a_provider_without_its_deps_registration_is_reported() {
    let dir = good_host();
    edit(
        dir.path(),
        "host/src/lib.rs",
        "integrations.register::<",
        "integrations.insert::<",
    );
    let found = drifts(dir.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, DriftKind::Deps);
    assert!(
        found[0]
            .2
            .contains("register::<dyn tento_acme::connector::AcmeBackendDeps>")
    );
}

#[test]
fn a_synced_row_without_its_sync_registration_is_reported() {
    let dir = good_host();
    let path = dir.path().join("host/src/lib.rs");
    let src = std::fs::read_to_string(&path).unwrap();
    let needle = "register_row_with_sync::<tento_acme::connector::sleep::Sleep>";
    assert!(src.contains(needle), "{src}");
    std::fs::write(
        &path,
        src.replace(
            needle,
            "register_row_with_sync::<tento_acme::connector::activities::Activities>",
        ),
    )
    .unwrap();
    let found = drifts(dir.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, DriftKind::Sync);
    assert_eq!(found[0].1, "tento_acme::connector::sleep::Sleep");
    assert_eq!(
        found[0].2,
        "orchestrator.register_row_with_sync::<tento_acme::connector::sleep::Sleep>(\
         Arc::new(tento_acme::sync_plugin::AcmeSyncProvider::for_row::<tento_acme::connector::sleep::Sleep>()), \
         Arc::new(tento_acme::sync_plugin::AcmeSyncExecutor::new(\"sleep\", deps.clone())));"
    );
}

#[test]
fn a_registration_or_auth_line_commented_out_counts_as_missing() {
    let dir = good_host();
    edit(
        dir.path(),
        "host/src/lib.rs",
        "integrations.register::<",
        "// integrations.register::<",
    );
    edit(
        dir.path(),
        "host/src/lib.rs",
        "register_row_with_sync::<tento_acme::connector::sleep::Sleep>",
        "register_row_with_sync::<tento_acme::connector::activities::Activities>\
         /* register_row_with_sync::<tento_acme::connector::sleep::Sleep> */",
    );
    edit(
        dir.path(),
        "host/src/auth.rs",
        "tento_acme::connector::AcmeAuth,",
        "// tento_acme::connector::AcmeAuth,",
    );
    let found = drifts(dir.path());
    let kinds: Vec<DriftKind> = found.iter().map(|d| d.0).collect();
    assert_eq!(kinds.len(), 3, "{found:?}");
    for kind in [DriftKind::Auth, DriftKind::Deps, DriftKind::Sync] {
        assert!(kinds.contains(&kind), "{kind:?} not in {found:?}");
    }
}

#[test]
fn a_route_whose_row_does_not_exist_is_reported_with_the_command_that_writes_it() {
    let dir = good_host();
    edit(
        dir.path(),
        "host/src/rowkeys.rs",
        "\":sleep\" { get list sync }",
        "\":sleep\" { get list sync }\n            \":weight\" { get }",
    );
    assert_eq!(
        drifts(dir.path()),
        [(
            DriftKind::RouteWithoutRow,
            ":~acme:{authId}:weight".into(),
            "tento-scaffold add-row weight --provider acme".into()
        )]
    );
}

#[test]
fn a_row_no_route_reaches_is_reported_with_its_route() {
    let dir = good_host();
    edit(
        dir.path(),
        "host/src/rowkeys.rs",
        "\":sleep\" { get list sync }",
        "",
    );
    let found = drifts(dir.path());
    assert_eq!(
        found,
        [(
            DriftKind::RowWithoutRoute,
            "tento_acme::connector::sleep::Sleep".into(),
            "\":sleep\" { get list sync }".into()
        )]
    );
    let host = Host::read(dir.path()).unwrap();
    let text = table(&check(&host, &Inventory::read(&host).unwrap()));
    assert!(text.starts_with("MISSING"), "{text}");
    assert!(text.contains("row-without-route  tento-acme"), "{text}");
}

/// `check` walks the wiring steps in `new`'s order, but reports a provider's drifts in
/// the order of their kinds, as it always has: the routes step finds a row without a
/// route before the auth and sync steps look, yet that drift comes last.
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
    let found: Vec<(DriftKind, String)> = drifts(root)
        .into_iter()
        .map(|(kind, subject, _)| (kind, subject))
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
