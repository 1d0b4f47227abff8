//! Never rewrite what was not meant to change: on a host with comments, blank lines,
//! odd indentation, tabs, CRLF line endings, inline tables and dotted keys, `new` only
//! inserts text, in the file's own style; and a failure at any write step leaves the
//! host byte-identical.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use similar::{ChangeTag, DiffOp, TextDiff};
use tento_scaffold::TentoSource;
use tento_scaffold::fs::{FaultyFs, RealFs};
use tento_scaffold::new::{self, NewOptions};
use tento_scaffold::spec::SyncPlugin;
use tento_scaffold::templates::Templates;

fn quirky_host() -> tempfile::TempDir {
    fixture("quirky")
}

/// A copy of `tests/fixtures/<name>`, its `*.in` files renamed (a fixture's
/// `Cargo.toml` would otherwise be a stray workspace inside this one).
fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
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
    dir
}

fn options(host: &Path) -> NewOptions {
    NewOptions {
        provider: "acme".into(),
        host: host.to_path_buf(),
        rows: vec!["activities".into(), "sleep".into()],
        sync_plugin: SyncPlugin::None,
        tento: TentoSource::Version("0.1".into()),
        ..NewOptions::default()
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

/// Line by line, every old line is still there, or (for a line edited in place, such
/// as a one-line `members` array) is the new line minus inserted characters.
fn assert_only_inserts(file: &str, before: &str, after: &str) {
    let diff = TextDiff::from_lines(before, after);
    let old: Vec<&str> = before.split_inclusive('\n').collect();
    let new: Vec<&str> = after.split_inclusive('\n').collect();
    for op in diff.ops() {
        match *op {
            DiffOp::Equal { .. } | DiffOp::Insert { .. } => {}
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                panic!("{file} lost {:?}", &old[old_index..old_index + old_len])
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let was = old[old_index..old_index + old_len].concat();
                let is = new[new_index..new_index + new_len].concat();
                let mut rest = is.chars();
                assert!(
                    was.chars().all(|c| rest.any(|d| d == c)),
                    "{file} changed {was:?} into {is:?}"
                );
            }
        }
    }
}

#[test]
fn every_host_edit_only_inserts_text_in_the_files_own_style() {
    let host = quirky_host();
    let plan = new::plan(&options(host.path()), &Templates::embedded()).unwrap();
    let modified: Vec<_> = plan.changes().filter(|c| !c.is_creation()).collect();
    let names: Vec<&str> = modified.iter().map(|c| c.display.as_str()).collect();
    assert_eq!(names, ["Cargo.toml", "host/Cargo.toml", "host/src/lib.rs"]);
    for change in modified {
        assert_only_inserts(&change.display, change.before.as_deref().unwrap(), &change.after);
        assert_eq!(
            change.after.matches('\n').count(),
            change.after.matches("\r\n").count(),
            "{} got a bare LF line ending",
            change.display
        );
    }
    let lib = plan.changes().find(|c| c.display == "host/src/lib.rs").unwrap();
    let lib_diff = TextDiff::from_lines(lib.before.as_deref().unwrap(), &lib.after);
    let added: Vec<&str> = lib_diff
        .iter_all_changes()
        .filter(|c| c.tag() == ChangeTag::Insert)
        .map(|c| c.value())
        .collect();
    assert!(
        added.contains(&"\t[integration = ::tento_acme::connector::Acme] {\r\n"),
        "{added:?}"
    );
    assert!(
        added.contains(&"\t\t\t\":sleep\" { get list sync }\r\n"),
        "{added:?}"
    );
    assert!(
        added.contains(&"\t\ttento_acme::connector::AcmeAuth,\r\n"),
        "{added:?}"
    );
    assert!(
        added
            .iter()
            .any(|l| l.starts_with("\tintegrations.register::<dyn tento_acme::connector::AcmeBackendDeps>(")),
        "{added:?}"
    );
    assert!(
        added.contains(&"impl tento_acme::connector::AcmeBackendDeps for HostDeps {\r\n"),
        "{added:?}"
    );
    assert!(added.contains(&"\tfn persist_cells<'a>(\r\n"), "{added:?}");
    let manifest = plan.changes().find(|c| c.display == "host/Cargo.toml").unwrap();
    assert!(
        manifest
            .after
            .contains("tento-acme = { workspace = true, features = [\"connector\"] }\r\n"),
        "{}",
        manifest.after
    );
    assert!(
        manifest
            .after
            .contains("[dev-dependencies.tento]\r\nworkspace = true\r\nfeatures = [\"testing\"]\r\n")
    );
}

#[test]
fn a_failure_at_any_write_step_leaves_the_host_byte_identical() {
    let host = quirky_host();
    let before = tree(host.path());
    let plan = new::plan(&options(host.path()), &Templates::embedded()).unwrap();
    let mut counting = FaultyFs::new(RealFs, usize::MAX);
    {
        // Count the steps of a clean apply on a copy.
        let probe = quirky_host();
        let probe_plan = new::plan(&options(probe.path()), &Templates::embedded()).unwrap();
        probe_plan.apply_on(&mut counting).unwrap();
    }
    let steps = counting.steps();
    assert!(
        steps > plan.changes().count() * 2,
        "directories, temporaries and renames: {steps}"
    );
    for fail_at in 0..steps {
        let err = plan.apply_on(&mut FaultyFs::new(RealFs, fail_at)).unwrap_err();
        assert!(err.restored(), "step {fail_at}: {err}");
        assert_eq!(tree(host.path()), before, "step {fail_at} left the host changed");
    }
    plan.apply().unwrap();
    assert_ne!(tree(host.path()), before);
}

#[test]
fn a_host_with_a_hand_written_kind_match_gets_an_arm_like_its_others() {
    let host = fixture("seeds-host");
    let plan = new::plan(&options(host.path()), &Templates::embedded()).unwrap();
    let lib = plan.changes().find(|c| c.display == "host/src/lib.rs").unwrap();
    assert_only_inserts(&lib.display, lib.before.as_deref().unwrap(), &lib.after);
    assert!(
        lib.after.contains(concat!(
            "                \"garmin\" => decode_credentials::<tento_garmin::connector::GarminAuth>(raw)?,\n",
            "                \"acme\" => decode_credentials::<tento_acme::connector::AcmeAuth>(raw)?,\n",
            "                other => return Err",
        )),
        "{}",
        lib.after
    );
    // The register line mirrors the seeds' line, with the host's own deps variable.
    assert!(
        lib.after
            .contains("integrations.register::<dyn tento_acme::connector::AcmeBackendDeps>("),
        "{}",
        lib.after
    );
    assert!(
        lib.after
            .contains("garmin_deps.clone() as Arc<dyn tento_acme::connector::AcmeBackendDeps>"),
        "{}",
        lib.after
    );
    assert!(
        lib.after
            .contains("impl tento_acme::connector::AcmeBackendDeps for HostDeps {"),
        "{}",
        lib.after
    );
}
