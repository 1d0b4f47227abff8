//! Each command lays out what it writes with one rustfmt run, with the host's config,
//! before the plan is shown or written: the templates need not be pre-formatted, any
//! name length comes out rustfmt-clean, and without rustfmt a command writes nothing
//! and says how to install it.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{run, stderr, tree};

/// A host from `init` at `<tmp>/ws`.
fn init() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let tento = support::tento_path();
    let out = run(
        dir.path(),
        &["init", "ws", "--tento-path", tento.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let ws = dir.path().join("ws");
    (dir, ws)
}

/// A `rustfmt` that logs each run to `log` and then runs the real one.
fn counting_rustfmt(dir: &Path) -> (PathBuf, PathBuf) {
    let log = dir.join("rustfmt.log");
    let script = dir.join("rustfmt");
    let real = String::from_utf8(
        Command::new("rustup")
            .args(["which", "rustfmt"])
            .output()
            .map(|o| o.stdout)
            .unwrap_or_default(),
    )
    .unwrap();
    let real = if real.trim().is_empty() {
        "rustfmt".to_owned()
    } else {
        real.trim().to_owned()
    };
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho run >> '{}'\nexec '{real}' \"$@\"\n",
            log.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (script, log)
}

fn runs(log: &Path) -> usize {
    std::fs::read_to_string(log).map_or(0, |l| l.lines().count())
}

/// Runs the CLI with `RUSTFMT=rustfmt`, asserting success.
fn ok_with(dir: &Path, rustfmt: &Path, args: &[&str]) {
    let out = support::command(dir, args)
        .env("RUSTFMT", rustfmt)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
}

/// `rustfmt --check` over every Rust file under `root`: what it would change.
fn rustfmt_check(root: &Path) -> String {
    let files: Vec<PathBuf> = tree(root)
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| root.join(p))
        .collect();
    let out = Command::new("rustfmt")
        .args(["--check", "--edition", "2024"])
        .args(&files)
        .current_dir(root)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn each_command_runs_rustfmt_at_most_once() {
    let dir = tempfile::tempdir().unwrap();
    let (rustfmt, log) = counting_rustfmt(dir.path());
    let tento = support::tento_path();
    let tento = tento.to_str().unwrap();
    let mut expected = 0;
    for (args, spawns) in [
        (&["init", "ws", "--tento-path", tento][..], 1),
        (
            &[
                "new",
                "acme",
                "--host",
                "ws",
                "--rows",
                "activities,sleep",
                "--sync-plugin",
            ][..],
            1,
        ),
        (&["new", "other", "--host", "ws", "--rows", "steps"][..], 1),
        (
            &["add-row", "weight", "--provider", "acme", "--host", "ws"][..],
            1,
        ),
        (&["new", "third", "--host", "ws", "--dry-run"][..], 1),
        (&["check", "--host", "ws"][..], 0),
        (&["list", "--host", "ws"][..], 0),
        // Whether the fakes chain left behind fits on one line is rustfmt's to say.
        (&["remove", "other", "--host", "ws", "--delete-crate"][..], 1),
    ] {
        ok_with(dir.path(), &rustfmt, args);
        expected += spawns;
        assert_eq!(runs(&log), expected, "after {args:?}");
    }
}

#[test]
fn long_names_come_out_rustfmt_clean() {
    let dir = tempfile::tempdir().unwrap();
    let tento = support::tento_path();
    let long = "averyveryveryverylongprovidernamethatgoeson";
    let row = "aquiteremarkablylongrownamethatkeepsgoingon";
    for args in [
        &["init", "ws", "--tento-path", tento.to_str().unwrap()][..],
        &[
            "new",
            long,
            "--host",
            "ws",
            "--rows",
            &format!("{row},sleep"),
            "--sync-plugin",
        ][..],
        &[
            "add-row",
            &format!("{row}_too"),
            "--provider",
            long,
            "--host",
            "ws",
        ][..],
    ] {
        let out = run(dir.path(), args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(rustfmt_check(&dir.path().join("ws")), "");
}

#[test]
fn the_hosts_rustfmt_config_lays_out_the_new_crate_and_the_wiring() {
    let (dir, ws) = init();
    std::fs::write(ws.join("rustfmt.toml"), "hard_tabs = true\n").unwrap();
    let before = tree(&ws);
    let out = run(dir.path(), &["new", "acme", "--host", "ws", "--sync-plugin"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let client = std::fs::read_to_string(ws.join("tento-acme/src/client.rs")).unwrap();
    assert!(client.lines().any(|l| l.starts_with("\t")), "{client}");
    assert!(!client.lines().any(|l| l.starts_with("    ")), "{client}");
    // The host's files, indented with spaces by `init`, keep their own style where
    // `new` did not write.
    let lib = std::fs::read_to_string(ws.join("host/src/lib.rs")).unwrap();
    let old_lib = String::from_utf8(before[Path::new("host/src/lib.rs")].clone()).unwrap();
    assert!(old_lib.lines().all(|l| lib.contains(l)), "{lib}");
}

#[test]
fn without_rustfmt_a_command_writes_nothing_and_says_how_to_install_it() {
    let (dir, _) = init();
    let tento = support::tento_path();
    let before = tree(dir.path());
    let missing = dir.path().join("no-such-rustfmt");
    for args in [
        &["new", "acme", "--host", "ws"][..],
        &["new", "acme", "--host", "ws", "--dry-run"][..],
        &["init", "other", "--tento-path", tento.to_str().unwrap()][..],
    ] {
        let out = support::command(dir.path(), args)
            .env("RUSTFMT", &missing)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        assert!(
            out.stdout.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("rustup component add rustfmt"), "{err}");
        assert_eq!(tree(dir.path()), before, "{args:?} wrote something");
    }
}

#[test]
fn a_rustfmt_config_rustfmt_rejects_fails_naming_a_file_and_writes_nothing() {
    let (dir, ws) = init();
    std::fs::write(ws.join("rustfmt.toml"), "max_width = \"wide\"\n").unwrap();
    let before = tree(dir.path());
    let out = run(dir.path(), &["new", "acme", "--host", "ws"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.starts_with("error: rustfmt could not format tento-acme/"),
        "{err}"
    );
    assert!(err.contains("the host's rustfmt config"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(tree(dir.path()), before);
}
