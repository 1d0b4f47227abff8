//! The scaffold on hosts people wrote (issue 10): hosts in the seeds' shape that `init`
//! did not write, each with its habits (see `support/hand_host.rs`). On every one,
//! `new`, `add-row`, a clean `check` and `remove` back to the same bytes; each wiring
//! step that meets a shape it does not know refuses, writing nothing; and a property
//! test over random combinations of the habits.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use support::hand_host::{self, Traits};
use tento_scaffold::TentoSource;
use tento_scaffold::add_row::{self, AddRowOptions};
use tento_scaffold::check::check;
use tento_scaffold::host::Host;
use tento_scaffold::inventory::Inventory;
use tento_scaffold::new::{self, NewOptions};
use tento_scaffold::plan::Plan;
use tento_scaffold::remove::{self, RemoveOptions};
use tento_scaffold::spec::SyncPlugin;
use tento_scaffold::templates::Templates;

fn host(traits: Traits) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    hand_host::write(dir.path(), traits);
    dir
}

fn new_opts(root: &Path, sync_plugin: SyncPlugin) -> NewOptions {
    NewOptions {
        provider: "acme".into(),
        host: root.to_path_buf(),
        rows: vec!["activities".into(), "sleep".into()],
        sync_plugin,
        tento: TentoSource::Version("0.1".into()),
        ..NewOptions::default()
    }
}

fn plan_new(root: &Path, sync_plugin: SyncPlugin) -> Plan {
    new::plan(&new_opts(root, sync_plugin), &Templates::embedded()).unwrap_or_else(|e| panic!("new: {e}"))
}

fn after<'p>(plan: &'p Plan, display: &str) -> &'p str {
    &plan
        .changes()
        .find(|c| c.display == display)
        .unwrap_or_else(|| panic!("the plan does not change {display}"))
        .after
}

fn before<'p>(plan: &'p Plan, display: &str) -> &'p str {
    plan.changes()
        .find(|c| c.display == display)
        .unwrap()
        .before
        .as_deref()
        .unwrap()
}

/// Every file under `root` but the new provider's crate, by relative path.
fn host_tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf())
        .filter(|p| !p.starts_with("tento-acme"))
        .map(|p| {
            let bytes = std::fs::read(root.join(&p)).unwrap();
            (p, bytes)
        })
        .collect()
}

fn drifts(root: &Path) -> Vec<String> {
    let host = Host::read(root).unwrap();
    let inventory = Inventory::read(&host).unwrap();
    check(&host, &inventory)
        .into_iter()
        .map(|d| format!("{:?} {} {}: {}", d.kind, d.provider, d.subject, d.fix))
        .collect()
}

/// Every Rust file the plan changes still parses.
fn assert_parses(plan: &Plan) {
    for change in plan.changes().filter(|c| c.display.ends_with(".rs")) {
        if let Err(e) = syn::parse_file(change.after.trim_start_matches('\u{feff}')) {
            panic!("{} no longer parses: {e}\n{}", change.display, change.after);
        }
    }
}

fn remove_acme(root: &Path) -> Plan {
    let opts = RemoveOptions {
        provider: "acme".into(),
        host: root.to_path_buf(),
        delete_crate: false,
    };
    remove::plan(&opts).unwrap_or_else(|e| panic!("remove: {e}"))
}

fn add_row_to_acme(root: &Path) -> Plan {
    let opts = AddRowOptions {
        metric: "heart-rate".into(),
        provider: Some("acme".into()),
        host: Some(root.to_path_buf()),
        cwd: root.to_path_buf(),
        ..AddRowOptions::default()
    };
    add_row::plan(&opts, &Templates::embedded()).unwrap_or_else(|e| panic!("add-row: {e}"))
}

/// The whole cycle on one host: `check` clean, `new`, `add-row`, `check` clean,
/// `remove`, the host's bytes as they were.
fn cycle(traits: Traits, sync_plugin: SyncPlugin) {
    let dir = host(traits);
    let root = dir.path();
    assert_eq!(drifts(root), Vec::<String>::new(), "{traits:?}: before new");
    let before = host_tree(root);
    let plan = plan_new(root, sync_plugin);
    assert_parses(&plan);
    plan.apply().unwrap();
    let plan = add_row_to_acme(root);
    assert_parses(&plan);
    plan.apply().unwrap();
    assert_eq!(
        drifts(root),
        Vec::<String>::new(),
        "{traits:?}: after new and add-row"
    );
    let plan = remove_acme(root);
    assert_parses(&plan);
    plan.apply().unwrap();
    assert_same_tree(&before, &host_tree(root), traits);
}

/// The same files with the same bytes; else the first difference, as a diff.
fn assert_same_tree(before: &BTreeMap<PathBuf, Vec<u8>>, after: &BTreeMap<PathBuf, Vec<u8>>, traits: Traits) {
    for (path, bytes) in before {
        let Some(now) = after.get(path) else {
            panic!("{traits:?}: {} is gone", path.display());
        };
        if now != bytes {
            let (was, is) = (String::from_utf8_lossy(bytes), String::from_utf8_lossy(now));
            let diff = similar::TextDiff::from_lines(&*was, &*is)
                .unified_diff()
                .to_string();
            panic!("{traits:?}: {} is not as it was:\n{diff:?}", path.display());
        }
    }
    let extra: Vec<_> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    assert!(extra.is_empty(), "{traits:?}: left behind {extra:?}");
}

#[test]
fn every_habit_alone_survives_new_add_row_check_and_remove() {
    for bit in 0..Traits::COUNT {
        cycle(Traits::from_bits(1 << bit), SyncPlugin::Full);
    }
}

#[test]
fn hosts_with_many_habits_at_once_survive_the_cycle() {
    let windows = Traits {
        crlf: true,
        comments: true,
        banner: true,
        dotted: true,
        hand_match: true,
        locals: true,
        ..Traits::default()
    };
    let old_timer = Traits {
        tabs: true,
        sorted: true,
        helper: true,
        extra_params: true,
        cfg_test: true,
        lib_name: true,
        comments: true,
        ..Traits::default()
    };
    let everything = Traits::from_bits(u16::MAX);
    for (traits, mode) in [
        (windows, SyncPlugin::Full),
        (old_timer, SyncPlugin::ProviderOnly),
        (everything, SyncPlugin::Full),
        (everything, SyncPlugin::None),
    ] {
        cycle(traits, mode);
    }
}

#[test]
fn a_registration_through_a_local_binding_is_not_copied_with_it() {
    let dir = host(Traits {
        locals: true,
        ..Traits::default()
    });
    let plan = plan_new(dir.path(), SyncPlugin::None);
    let lib = after(&plan, "host/src/lib.rs");
    assert_eq!(lib.matches("(myprovider)").count(), 1, "{lib}");
    assert!(
        lib.contains("integrations.register::<dyn tento_acme::connector::AcmeBackendDeps>(")
            && lib.contains("deps.clone() as Arc<dyn tento_acme::connector::AcmeBackendDeps>"),
        "the host's deps parameter, by its type: {lib}"
    );
}

#[test]
fn the_orchestrators_deps_are_the_parameter_of_the_hosts_deps_type() {
    let dir = host(Traits {
        extra_params: true,
        ..Traits::default()
    });
    let plan = plan_new(dir.path(), SyncPlugin::Full);
    let lib = after(&plan, "host/src/lib.rs");
    assert!(!lib.contains("cache.clone()"), "{lib}");
    let compact: String = lib.split_whitespace().collect();
    assert!(
        compact.contains("AcmeSyncExecutor::new(\"activities\",deps.clone()"),
        "{lib}"
    );
}

#[test]
fn a_cfg_test_module_is_never_the_place_to_wire() {
    let dir = host(Traits {
        cfg_test: true,
        ..Traits::default()
    });
    let plan = plan_new(dir.path(), SyncPlugin::None);
    let lib = after(&plan, "host/src/lib.rs");
    let tests_at = lib.find("#[cfg(test)]").unwrap();
    let ours = lib.find("register::<dyn tento_acme").unwrap();
    assert!(ours < tests_at, "registered in the test module: {lib}");
    assert!(!lib.contains("test_deps.clone() as Arc<dyn tento_acme"), "{lib}");
    assert!(!lib.contains("for TestDeps {\n    fn persist_cells<'a>(&'a self, _: uuid::Uuid, _: Vec<tento::connector::Cell>) -> BoxFuture<'a, anyhow::Result<()>> {\n        Box::pin(async { Ok(()) })\n    }\n}\n\nimpl tento_acme"), "{lib}");
    let deps = after(&plan, "host/src/deps.rs");
    assert!(
        deps.contains("impl tento_acme::connector::AcmeBackendDeps for HostDeps"),
        "{deps}"
    );
}

#[test]
fn the_host_test_imports_the_libs_crate_name() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tento_scaffold::init::plan(root, &TentoSource::Version("0.1".into()), &Templates::embedded())
        .unwrap()
        .apply()
        .unwrap();
    let manifest = root.join("host/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, format!("{text}\n[lib]\nname = \"hosted\"\n")).unwrap();
    let plan = plan_new(root, SyncPlugin::None);
    let test = plan
        .changes()
        .find(|c| c.display.starts_with("host/tests/") && c.is_creation())
        .unwrap();
    assert!(test.after.contains("use hosted::"), "{}", test.after);
    assert!(!test.after.contains("use host::"), "{}", test.after);
}

#[test]
fn the_fakes_chain_grows_at_its_end_and_shrinks_back() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tento_scaffold::init::plan(root, &TentoSource::Version("0.1".into()), &Templates::embedded())
        .unwrap()
        .apply()
        .unwrap();
    let mut states = Vec::new();
    for provider in ["first", "second", "third"] {
        states.push(std::fs::read_to_string(root.join("host/tests/host.rs")).unwrap());
        let mut opts = new_opts(root, SyncPlugin::None);
        opts.provider = provider.into();
        new::plan(&opts, &Templates::embedded()).unwrap().apply().unwrap();
    }
    let fakes = std::fs::read_to_string(root.join("host/tests/host.rs")).unwrap();
    let order: Vec<usize> = ["tento_first::", "tento_second::", "tento_third::"]
        .iter()
        .map(|p| fakes.find(&format!("with_stub::<dyn {p}")).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{fakes}");
    for provider in ["third", "second"] {
        let opts = RemoveOptions {
            provider: provider.into(),
            host: root.to_path_buf(),
            delete_crate: true,
        };
        remove::plan(&opts).unwrap().apply().unwrap();
        let now = std::fs::read_to_string(root.join("host/tests/host.rs")).unwrap();
        assert_eq!(now, states.pop().unwrap(), "after removing {provider}");
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_source_file_is_read_through_and_a_dangling_one_is_named() {
    let dir = host(Traits::default());
    let root = dir.path();
    // The deps live outside the crate, linked in: the impl goes beside the other one,
    // through the link, not on some other struct with a `store`.
    std::fs::create_dir_all(root.join("shared")).unwrap();
    std::fs::rename(root.join("host/src/deps.rs"), root.join("shared/deps.rs")).unwrap();
    std::os::unix::fs::symlink("../../shared/deps.rs", root.join("host/src/deps.rs")).unwrap();
    let lib = root.join("host/src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(
        &lib,
        format!("{text}\n/// Another struct with a store.\npub struct Other {{\n    pub store: Arc<MemoryCellStore>,\n}}\n"),
    )
    .unwrap();
    let plan = plan_new(root, SyncPlugin::None);
    let deps = after(&plan, "host/src/deps.rs");
    assert!(
        deps.contains("impl tento_acme::connector::AcmeBackendDeps for HostDeps"),
        "{deps}"
    );
    assert!(!after(&plan, "host/src/lib.rs").contains("for Other"));

    std::fs::remove_file(root.join("shared/deps.rs")).unwrap();
    let err = new::plan(&new_opts(root, SyncPlugin::None), &Templates::embedded()).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("host/src/deps.rs"), "{message}");
    assert!(!message.contains('\n'), "{message}");
}

#[test]
fn inserted_lines_take_no_existing_comment() {
    let dir = host(Traits {
        comments: true,
        ..Traits::default()
    });
    let plan = plan_new(dir.path(), SyncPlugin::Full);
    for change in plan.changes().filter(|c| !c.is_creation()) {
        let before: Vec<&str> = change.before.as_deref().unwrap().lines().collect();
        let after: Vec<&str> = change.after.lines().collect();
        // Every commented line is still there as it was, and no new line has a comment.
        for line in before.iter().filter(|l| l.contains(" // ") || l.contains(" # ")) {
            assert!(
                after.contains(line),
                "{}: lost {line:?}\n{}",
                change.display,
                change.after
            );
        }
        let comments = |lines: &[&str]| {
            lines
                .iter()
                .filter(|l| l.contains(" // ") || l.contains(" # "))
                .count()
        };
        assert_eq!(
            comments(&after),
            comments(&before),
            "{}: a comment was copied\n{}",
            change.display,
            change.after
        );
    }
}

#[test]
fn a_sorted_table_of_dotted_keys_keeps_its_order() {
    let dir = host(Traits {
        sorted: true,
        dotted: true,
        ..Traits::default()
    });
    let plan = plan_new(dir.path(), SyncPlugin::None);
    for file in ["Cargo.toml", "host/Cargo.toml"] {
        let (was, is) = (before(&plan, file), after(&plan, file));
        let kept: Vec<&str> = is.lines().filter(|l| !l.contains("tento-acme")).collect();
        assert_eq!(kept, was.lines().collect::<Vec<_>>(), "{file}:\n{is}");
        let names: Vec<&str> = is
            .lines()
            .skip_while(|l| !l.ends_with("dependencies]"))
            .skip(1)
            .take_while(|l| !l.is_empty() && !l.starts_with('['))
            .map(|l| l.split(['.', ' ']).next().unwrap())
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted, "{file}: still sorted\n{is}");
    }
}

#[test]
fn a_banner_comment_does_not_make_the_indent_one_space() {
    let dir = host(Traits {
        banner: true,
        ..Traits::default()
    });
    let plan = plan_new(dir.path(), SyncPlugin::None);
    let lib = after(&plan, "host/src/lib.rs");
    assert!(
        lib.contains("\n    integrations.register::<dyn tento_acme"),
        "{lib}"
    );
    assert!(
        lib.contains("\n        \":~acme:{authId}\" {\n            \":activities\""),
        "{lib}"
    );
    assert!(
        lib.contains("\n        tento_acme::connector::AcmeAuth,"),
        "{lib}"
    );
}

#[test]
fn a_hand_written_match_in_an_unknown_shape_is_refused_without_naming_the_registry() {
    let dir = host(Traits {
        hand_match: true,
        ..Traits::default()
    });
    let lib = dir.path().join("host/src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    // An arm that decodes some other way than `decode_credentials::<…Auth>`.
    let text = text.replace(
        "tento::connector::decode_credentials::<tento_myprovider::connector::MyProviderAuth>(raw)?",
        "decode_mine(raw)?",
    );
    std::fs::write(&lib, text).unwrap();
    let before = host_tree(dir.path());
    let err = new::plan(&new_opts(dir.path(), SyncPlugin::None), &Templates::embedded()).unwrap_err();
    let message = err.to_string();
    assert!(!message.contains("auth_registry"), "{message}");
    assert!(message.contains("match"), "{message}");
    assert!(
        message.contains("\"acme\" =>"),
        "the arm to add by hand: {message}"
    );
    assert_eq!(host_tree(dir.path()), before, "a refusal writes nothing");
}

#[test]
fn a_registration_in_a_shape_not_understood_is_refused_and_nothing_is_written() {
    let dir = host(Traits::default());
    let root = dir.path();
    let lib = root.join("host/src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    // The deps come from a local bound to the other provider's seam, and the function
    // has no parameter of the host's deps type to take instead.
    let text = text.replace(
        "pub fn register_integrations(integrations: &mut IntegrationDeps, deps: &Arc<HostDeps>) {\n    integrations.register::<dyn MyProviderBackendDeps>(deps.clone() as Arc<dyn MyProviderBackendDeps>);\n}",
        "pub fn register_integrations(integrations: &mut IntegrationDeps, store: &Arc<MemoryCellStore>) {\n    let mine: Arc<dyn MyProviderBackendDeps> = Arc::new(HostDeps { store: store.clone(), sync_state: Default::default() });\n    integrations.register::<dyn MyProviderBackendDeps>(mine.clone());\n}",
    );
    assert!(text.contains("let mine"), "the fixture changed: {text}");
    std::fs::write(&lib, text).unwrap();
    let before = host_tree(root);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tento-scaffold"))
        .args(["new", "acme", "--host"])
        .arg(root)
        .args(["--tento-version", "0.1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("mine.clone()"),
        "names the line it did not understand: {stderr}"
    );
    assert!(
        stderr.contains("integrations.register::<dyn tento_acme::connector::AcmeBackendDeps>(deps.clone() as Arc<dyn tento_acme::connector::AcmeBackendDeps>);"),
        "prints the line to add: {stderr}"
    );
    assert_eq!(host_tree(root), before, "a refusal writes nothing");
    assert!(!root.join("tento-acme").exists());
}

#[test]
fn a_body_remove_could_not_give_back_is_refused_naming_the_file_and_the_fix() {
    let one_line = "pub fn register_sync(_orchestrator: &mut Orchestrator, _deps: &Arc<HostDeps>, _executor: &Arc<dyn SyncExecutor>) {}";
    for (body, says) in [
        (
            "{\n}",
            "the body of `register_sync` is empty but spans lines; write it `{}`",
        ),
        (
            "{ let _ = 1; }",
            "the body of `register_sync` ends on the line of its last statement; put each statement and the closing `}` on lines of their own",
        ),
    ] {
        let dir = host(Traits {
            empty_bodies: true,
            ..Traits::default()
        });
        let root = dir.path();
        let lib = root.join("host/src/lib.rs");
        let text = std::fs::read_to_string(&lib).unwrap();
        assert!(text.contains(one_line), "the fixture changed: {text}");
        std::fs::write(&lib, text.replace(one_line, &one_line.replace("{}", body))).unwrap();
        let before = host_tree(root);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tento-scaffold"))
            .args(["new", "acme", "--host"])
            .arg(root)
            .args(["--tento-version", "0.1", "--sync-plugin"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "host/src/lib.rs: {says} (as rustfmt does) and run again"
            )),
            "{body:?}: {stderr}"
        );
        assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
        assert_eq!(host_tree(root), before, "a refusal writes nothing");
        assert!(!root.join("tento-acme").exists());
    }
}

#[test]
fn a_registration_passing_a_field_of_the_hosts_deps_type_is_followed() {
    let dir = host(Traits::default());
    let lib = dir.path().join("host/src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    let text = text.replace(
        "pub fn register_integrations(integrations: &mut IntegrationDeps, deps: &Arc<HostDeps>) {\n    integrations.register::<dyn MyProviderBackendDeps>(deps.clone() as Arc<dyn MyProviderBackendDeps>);\n}",
        "/// The registry's owner.\npub struct Registry {\n    deps: Arc<HostDeps>,\n}\n\nimpl Registry {\n    /// Registers every provider's deps.\n    pub fn register(&self, integrations: &mut IntegrationDeps) {\n        integrations.register::<dyn MyProviderBackendDeps>(self.deps.clone() as Arc<dyn MyProviderBackendDeps>);\n    }\n}\n\n/// Registers every provider's deps.\npub fn register_integrations(integrations: &mut IntegrationDeps, deps: &Arc<HostDeps>) {\n    Registry { deps: deps.clone() }.register(integrations);\n}",
    );
    assert!(text.contains("self.deps.clone()"), "the fixture changed");
    std::fs::write(&lib, text).unwrap();
    let plan = plan_new(dir.path(), SyncPlugin::None);
    let lib = after(&plan, "host/src/lib.rs");
    assert!(
        lib.contains("integrations.register::<dyn tento_acme::connector::AcmeBackendDeps>(")
            && lib.contains("self.deps.clone() as Arc<dyn tento_acme::connector::AcmeBackendDeps>"),
        "{lib}"
    );
}

#[test]
fn check_understands_by_hand_providers_and_the_example_host_is_clean() {
    let dir = host(Traits::default());
    assert_eq!(drifts(dir.path()), Vec::<String>::new());
    let repo = hand_host::repo_root();
    let host = Host::read(&repo).unwrap();
    let inventory = Inventory::read(&host).unwrap();
    let kinds: Vec<&str> = inventory.providers.iter().map(|p| p.kind.as_str()).collect();
    assert_eq!(kinds, ["myprovider", "mymacroprovider"]);
    let found: Vec<_> = check(&host, &inventory)
        .into_iter()
        .map(|d| format!("{:?} {}: {}", d.kind, d.subject, d.fix))
        .collect();
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn add_row_and_remove_refuse_a_provider_written_by_hand_and_write_nothing() {
    let dir = host(Traits::default());
    let root = dir.path();
    let before = host_tree(root);
    let opts = RemoveOptions {
        provider: "myprovider".into(),
        host: root.to_path_buf(),
        delete_crate: true,
    };
    let err = remove::plan(&opts).unwrap_err().to_string();
    assert!(err.contains("written by hand"), "{err}");
    let row = AddRowOptions {
        metric: "sleep".into(),
        provider: Some("myprovider".into()),
        host: Some(root.to_path_buf()),
        cwd: root.to_path_buf(),
        ..AddRowOptions::default()
    };
    let err = add_row::plan(&row, &Templates::embedded())
        .unwrap_err()
        .to_string();
    assert!(err.contains("written by hand"), "{err}");
    assert_eq!(host_tree(root), before);
}

#[test]
fn a_by_hand_providers_missing_sync_line_guesses_no_constructor() {
    let dir = host(Traits::default());
    let manifest = dir.path().join("host/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replacen(
            "features = [\"connector\"]",
            "features = [\"connector\", \"sync-plugin\"]",
            1,
        ),
    )
    .unwrap();
    let found = drifts(dir.path());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with("Sync "), "{found:#?}");
    assert!(
        found[0].contains("register_row_with_sync::<tento_myprovider::connector::activities::Activities>(/*"),
        "{found:#?}"
    );
    assert!(
        !found[0].contains("MyProviderSyncExecutor::new(\"activities\""),
        "{found:#?}"
    );
}

mod property {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// For any combination of habits, `new` then `remove` gives the host's bytes
        /// back, and every Rust file either changes still parses.
        #[test]
        fn new_then_remove_is_byte_identical(bits in 0u16..(1 << Traits::COUNT), full in any::<bool>()) {
            let traits = Traits::from_bits(bits);
            let dir = host(traits);
            let root = dir.path();
            let before = host_tree(root);
            let mode = if full { SyncPlugin::Full } else { SyncPlugin::ProviderOnly };
            let plan = plan_new(root, mode);
            assert_parses(&plan);
            plan.apply().unwrap();
            let plan = remove_acme(root);
            assert_parses(&plan);
            plan.apply().unwrap();
            assert_same_tree(&before, &host_tree(root), traits);
        }
    }
}
