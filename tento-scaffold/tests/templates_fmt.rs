//! The templates are laid out as rustfmt lays them out, so a crate (or host) rendered
//! from them needs no rustfmt run: for every provider, row and host name up to
//! `tento_scaffold::provider_crate::FORMATTED_NAME_LEN` characters, in every sync-plugin
//! mode, and for every row shape `add-row` writes, `rustfmt --check` passes on the
//! rendered files as they are.

use std::path::{Path, PathBuf};
use std::process::Command;

use tento_scaffold::names::ProviderNames;
use tento_scaffold::provider_crate::{self, FORMATTED_BASE_URL_LEN, FORMATTED_NAME_LEN};
use tento_scaffold::spec::{ProviderSpec, RowSpec, SyncPlugin};
use tento_scaffold::templates::Templates;
use tento_scaffold::{TentoSource, init};

fn spec(len: usize, sync_plugin: SyncPlugin) -> ProviderSpec {
    let name = "q".repeat(len);
    let row = format!("r{}", "w".repeat(len.saturating_sub(1)));
    ProviderSpec {
        names: ProviderNames::parse(&name).unwrap(),
        display: format!("Display {name}"),
        rows: vec![
            RowSpec::synced(&row).unwrap(),
            RowSpec::synced("sleep").unwrap(),
            // `add-row`'s shapes: on request with every verb and logs, a synced row with
            // the write verbs, and rows whose first method is a write.
            on_request(
                &format!("u{}", "w".repeat(len.saturating_sub(1))),
                &["get", "list", "post", "patch", "delete"],
                true,
            ),
            RowSpec {
                verbs: ["get", "list", "post", "patch", "delete", "sync"]
                    .map(String::from)
                    .to_vec(),
                logs: true,
                ..RowSpec::synced(&format!("s{}", "w".repeat(len.saturating_sub(1)))).unwrap()
            },
            on_request("deleted", &["delete"], false),
            on_request("posted", &["post"], false),
            on_request("patched", &["list", "patch"], false),
        ],
        sync_plugin,
        token_url: ProviderSpec::placeholder_token_url(&"q".repeat(len)),
        // Every other length renders the longest base URL that needs no rustfmt run.
        base_url: if len.is_multiple_of(2) {
            let host = "h".repeat(FORMATTED_BASE_URL_LEN - "https://.example/v1".len());
            format!("https://{host}.example/v1")
        } else {
            ProviderSpec::placeholder_base_url(&"q".repeat(len))
        },
    }
}

fn on_request(name: &str, verbs: &[&str], logs: bool) -> RowSpec {
    RowSpec {
        stages: Vec::new(),
        verbs: verbs.iter().map(|v| (*v).to_owned()).collect(),
        logs,
        ..RowSpec::synced(name).unwrap()
    }
}

fn write(root: &Path, files: Vec<(String, String)>) -> Vec<PathBuf> {
    let mut roots = Vec::new();
    for (rel, content) in files {
        let path = root.join(&rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        if rel == "src/lib.rs" || rel.starts_with("tests/") {
            roots.push(path);
        }
    }
    roots
}

#[test]
fn rendered_crates_are_rustfmt_clean_without_rustfmt() {
    let dir = tempfile::tempdir().unwrap();
    let templates = Templates::embedded();
    let dep = provider_crate::tento_dependency(true, &TentoSource::Version("0.1".into()));
    let mut roots = Vec::new();
    for len in 1..=FORMATTED_NAME_LEN {
        for mode in [SyncPlugin::None, SyncPlugin::Full, SyncPlugin::ProviderOnly] {
            let spec = spec(len, mode);
            let mut files = provider_crate::render(&templates, &spec, &dep).unwrap();
            let host_lib = "h".repeat(len);
            files.push((
                "tests/host.rs".into(),
                provider_crate::render_host_test(&templates, &spec, &host_lib).unwrap(),
            ));
            roots.extend(write(&dir.path().join(format!("{len}-{mode:?}")), files));
        }
    }
    for store in init::Store::ALL {
        let init = init::plan_with_store(
            &dir.path().join(format!("init-{}", store.name())),
            &TentoSource::Version("0.1".into()),
            &templates,
            store,
        )
        .unwrap();
        roots.extend(init.changes().filter(|c| c.display.ends_with(".rs")).map(|c| {
            std::fs::create_dir_all(c.path.parent().unwrap()).unwrap();
            std::fs::write(&c.path, &c.after).unwrap();
            c.path.clone()
        }));
    }
    let out = Command::new(std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into()))
        .args(["--check", "--edition", "2024", "--config", "edition=2024"])
        .args(&roots)
        .output()
        .expect("rustfmt runs");
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "templates are not rustfmt-clean:\n{diff}");
}
