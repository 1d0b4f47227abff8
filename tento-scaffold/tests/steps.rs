//! One in/out fixture per wiring step, compared byte for byte.
//!
//! `fixtures/steps/after/` is a host as `init` and then
//! `new acme --rows activities,sleep --sync-plugin` leave it. Each
//! `fixtures/steps/<step>/before/` holds the files of that host as they are without
//! that one step (the files a step creates are named in `<step>/absent`): the host
//! before is `after/` with those files laid over it. `new` on the host before must
//! add exactly that step, so that the host it leaves is `after/`, every byte of every
//! file. A fixture file `X.in` stands for `X` (a `Cargo.toml` or `.gitignore` inside
//! this package would act as one).
//!
//! `SNAPSHOTS=overwrite cargo test -p tento-scaffold --test steps` rewrites `after/`
//! from what `init` and `new` write, for review; the `before/` files are edited by
//! hand, as a host lacking the step would have them.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use support::{run, stderr, tree};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/steps")
}

/// The files under `dir`, by the path they stand for (`X.in` as `X`).
fn fixture_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    tree(dir)
        .into_iter()
        .map(|(path, bytes)| {
            let name = path.to_string_lossy();
            (PathBuf::from(name.strip_suffix(".in").unwrap_or(&name)), bytes)
        })
        .collect()
}

fn write_tree(root: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) {
    for (path, bytes) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// The host `new` is run in: `after/`, with the step's files as they are before it.
fn host_before(step: &str) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut host = fixture_tree(&fixtures().join("after"));
    let before = fixtures().join(step).join("before");
    if before.exists() {
        host.extend(fixture_tree(&before));
    }
    if let Ok(absent) = std::fs::read_to_string(fixtures().join(step).join("absent")) {
        for path in absent.lines() {
            assert!(
                host.remove(Path::new(path)).is_some(),
                "{step}: {path} is not in after/"
            );
        }
    }
    host
}

const NEW: &[&str] = &[
    "new",
    "acme",
    "--host",
    "ws",
    "--rows",
    "activities,sleep",
    "--sync-plugin",
];

/// Runs `new` on the host before `step` and compares what it leaves with `after/`.
fn step(step: &str) {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let before = host_before(step);
    let after = fixture_tree(&fixtures().join("after"));
    assert_ne!(before, after, "{step}: the host before already has the step");
    write_tree(&ws, &before);
    let out = run(dir.path(), NEW);
    assert!(out.status.success(), "{step}: {}", stderr(&out));
    let got = tree(&ws);
    for (path, bytes) in &after {
        let got = got.get(path).map(|b| String::from_utf8_lossy(b));
        let want = String::from_utf8_lossy(bytes);
        if got.as_deref() != Some(&*want) {
            let got = got.unwrap_or_default();
            let diff = similar::TextDiff::from_lines(&*want, &*got)
                .unified_diff()
                .header("after/ (expected)", "what new wrote")
                .to_string();
            panic!("{step}: {} differs:\n{diff}", path.display());
        }
    }
    let extra: Vec<&PathBuf> = got.keys().filter(|p| !after.contains_key(*p)).collect();
    assert!(
        extra.is_empty(),
        "{step}: new wrote files after/ lacks: {extra:?}"
    );
}

#[test]
fn manifest() {
    step("manifest");
}

#[test]
fn routes() {
    step("routes");
}

#[test]
fn auth() {
    step("auth");
}

#[test]
fn deps_registration() {
    step("deps-registration");
}

#[test]
fn deps_impl() {
    step("deps-impl");
}

#[test]
fn sync_registration() {
    step("sync-registration");
}

#[test]
fn test_fakes() {
    step("test-fakes");
}

#[test]
fn host_test() {
    step("host-test");
}

#[test]
fn every_step_has_a_test() {
    let mut steps: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "after")
        .collect();
    steps.sort();
    let this = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/steps.rs")).unwrap();
    for step in &steps {
        assert!(this.contains(&format!("step(\"{step}\")")), "no test runs {step}");
    }
    assert_eq!(steps.len(), 8, "{steps:?}");
}

/// `after/` is what `init` and `new` write: on a fresh host, the steps together.
#[test]
fn after_is_what_init_and_new_write() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["init", "ws", "--tento-version", "0.1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(dir.path(), NEW);
    assert!(out.status.success(), "{}", stderr(&out));
    let got = tree(&dir.path().join("ws"));
    let after = fixtures().join("after");
    if std::env::var_os("SNAPSHOTS").is_some_and(|v| v == "overwrite") {
        std::fs::remove_dir_all(&after).unwrap();
        let renamed = got
            .iter()
            .map(|(path, bytes)| {
                let name = path.to_string_lossy();
                let stands_in = name.ends_with("Cargo.toml") || name.ends_with(".gitignore");
                let name = if stands_in {
                    format!("{name}.in")
                } else {
                    name.into_owned()
                };
                (PathBuf::from(name), bytes.clone())
            })
            .collect();
        write_tree(&after, &renamed);
    }
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        fixture_tree(&after).keys().collect::<Vec<_>>()
    );
    assert!(
        got == fixture_tree(&after),
        "a file of after/ differs from what init and new write"
    );
}
