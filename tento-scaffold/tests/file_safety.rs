//! Issue 10's file safety, driven through the CLI as a user would on hosts `init` did not
//! leave alone: no file the scaffold did not create is overwritten or deleted, files keep
//! their mode, their symlinks and their byte-order mark, a dry run refuses what the real
//! run refuses, and a refusal leaves every byte and mode of the host as it was.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod support;

use support::{command, run, stderr, tento_path};

fn ok(dir: &Path, args: &[&str]) -> Output {
    let out = run(dir, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    out
}

/// What a file is: its bytes (or a link's target) and its mode.
#[derive(Debug, PartialEq, Eq, Clone)]
enum Entry {
    File(Vec<u8>, u32),
    Dir(u32),
    Link(PathBuf),
}

/// Every entry under `root`, links not followed.
fn tree(root: &Path) -> BTreeMap<PathBuf, Entry> {
    walkdir::WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let meta = std::fs::symlink_metadata(e.path()).unwrap();
            let mode = meta.permissions().mode() & 0o7777;
            let entry = if meta.file_type().is_symlink() {
                Entry::Link(std::fs::read_link(e.path()).unwrap())
            } else if meta.is_dir() {
                Entry::Dir(mode)
            } else {
                Entry::File(std::fs::read(e.path()).unwrap(), mode)
            };
            (e.path().strip_prefix(root).unwrap().to_path_buf(), entry)
        })
        .collect()
}

/// A fresh host from `init` at `<tmp>/ws`.
fn host() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let tento = tento_path();
    ok(
        dir.path(),
        &["init", "ws", "--tento-path", tento.to_str().unwrap()],
    );
    let ws = dir.path().join("ws");
    (dir, ws)
}

/// Runs `args`, checks it failed with one `error:` line holding every needle, and that
/// nothing under `ws` changed, bytes or modes.
fn refused(ws: &Path, args: &[&str], needles: &[&str]) -> String {
    let before = tree(ws);
    let out = run(ws, args);
    let err = stderr(&out);
    assert!(!out.status.success(), "{args:?} succeeded: {err}");
    assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
    assert!(err.starts_with("error: "), "{args:?}: {err}");
    for needle in needles {
        assert!(err.contains(needle), "{args:?}: {needle:?} not in {err}");
    }
    assert_eq!(tree(ws), before, "{args:?} changed the host");
    err
}

fn read(path: impl AsRef<Path>) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

fn mode(path: impl AsRef<Path>) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

// Defect 1: the host's own tests are not the scaffold's to replace or delete.

#[test]
fn new_host_leaves_the_hosts_own_test_and_remove_host_keeps_it() {
    let (_dir, ws) = host();
    let own = read(ws.join("host/tests/host.rs"));
    let out = ok(&ws, &["new", "host"]);
    // The fakes' stub is wired into it, but the file stays the host's test.
    let wired = String::from_utf8(read(ws.join("host/tests/host.rs"))).unwrap();
    assert!(wired.contains("fn fake_row_key_deps()"), "{wired}");
    assert!(!wired.contains("through the host, end to end"), "{wired}");
    let generated = ws.join("host/tests/host_provider.rs");
    assert!(generated.is_file(), "{}", stderr(&out));
    assert!(stderr(&out).contains("Creating host/tests/host_provider.rs"));
    ok(&ws, &["remove", "host"]);
    assert_eq!(read(ws.join("host/tests/host.rs")), own);
    assert!(!generated.exists());
}

#[test]
fn an_existing_tests_kind_file_is_never_replaced_or_deleted() {
    let (_dir, ws) = host();
    let mine = ws.join("host/tests/acme.rs");
    std::fs::write(&mine, "//! My own acme test.\n#[test]\nfn mine() {}\n").unwrap();
    ok(&ws, &["new", "acme"]);
    assert_eq!(read(&mine), b"//! My own acme test.\n#[test]\nfn mine() {}\n");
    assert!(ws.join("host/tests/acme_provider.rs").is_file());
    ok(&ws, &["remove", "acme"]);
    assert_eq!(read(&mine), b"//! My own acme test.\n#[test]\nfn mine() {}\n");
    assert!(!ws.join("host/tests/acme_provider.rs").exists());
}

#[test]
fn an_edited_host_test_is_rewritten_only_with_force() {
    let (_dir, ws) = host();
    ok(&ws, &["new", "acme"]);
    let test = ws.join("host/tests/acme.rs");
    let mut text = read(&test);
    text.extend(b"\n#[test]\nfn mine() {}\n");
    std::fs::write(&test, &text).unwrap();
    refused(
        &ws,
        &["new", "acme"],
        &["host/tests/acme.rs already exists", "--force"],
    );
    ok(&ws, &["new", "acme", "--force"]);
    assert!(!String::from_utf8(read(&test)).unwrap().contains("fn mine()"));
}

#[test]
fn a_host_test_that_is_not_utf8_is_refused_not_overwritten() {
    let (_dir, ws) = host();
    std::fs::write(ws.join("host/tests/acme.rs"), b"// caf\xe9\n").unwrap();
    refused(&ws, &["new", "acme"], &["host/tests/acme.rs", "not UTF-8"]);
}

// Defect 2: --delete-crate deletes only what the scaffold created, inside the host.

#[test]
fn delete_crate_refuses_a_crate_the_scaffold_did_not_create() {
    let (_dir, ws) = host();
    ok(&ws, &["new", "acme"]);
    let manifest = ws.join("tento-acme/Cargo.toml");
    let text = String::from_utf8(read(&manifest)).unwrap();
    // The crate as a user would have written it: no scaffold marker.
    let start = text
        .find("[package.metadata.tento]")
        .expect("new marks its crate");
    let end = text[start..].find("\n\n").map_or(text.len(), |e| start + e + 2);
    std::fs::write(&manifest, format!("{}{}", &text[..start], &text[end..])).unwrap();
    refused(
        &ws,
        &["remove", "acme", "--delete-crate"],
        &[
            "tento-acme",
            "not created by tento-scaffold",
            "without --delete-crate",
        ],
    );
}

#[test]
fn delete_crate_refuses_a_crate_outside_the_host() {
    let (dir, ws) = host();
    ok(&ws, &["new", "acme"]);
    // The crate moves to another checkout beside the host; the host follows it.
    let outside = dir.path().join("elsewhere");
    std::fs::create_dir(&outside).unwrap();
    std::fs::rename(ws.join("tento-acme"), outside.join("tento-acme")).unwrap();
    let root = String::from_utf8(read(ws.join("Cargo.toml"))).unwrap();
    let root = root
        .replace("path = \"tento-acme\"", "path = \"../elsewhere/tento-acme\"")
        .replace("\"tento-acme\",", "")
        .replace("\"tento-acme\"", "");
    std::fs::write(ws.join("Cargo.toml"), root).unwrap();
    let outside_before = tree(&outside);
    refused(&ws, &["remove", "acme", "--delete-crate"], &["outside the host"]);
    assert_eq!(tree(&outside), outside_before);
}

// Defect 3: files keep their nature.

#[test]
fn created_files_take_the_umask_and_replaced_ones_keep_their_mode() {
    let dir = tempfile::tempdir().unwrap();
    let tento = tento_path();
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 022 && exec '{}' init ws --tento-path '{}'",
            env!("CARGO_BIN_EXE_tento-scaffold"),
            tento.display()
        ))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let ws = dir.path().join("ws");
    for (path, entry) in tree(&ws) {
        match entry {
            Entry::File(_, m) => assert_eq!(m, 0o644, "{}", path.display()),
            Entry::Dir(m) => assert_eq!(m, 0o755, "{}", path.display()),
            Entry::Link(_) => panic!("init made a link"),
        }
    }
    std::fs::set_permissions(ws.join("host/src/lib.rs"), PermissionsExt::from_mode(0o640)).unwrap();
    std::fs::set_permissions(ws.join("Cargo.toml"), PermissionsExt::from_mode(0o664)).unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 027 && exec '{}' new acme",
            env!("CARGO_BIN_EXE_tento-scaffold")
        ))
        .current_dir(&ws)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mode(ws.join("host/src/lib.rs")), 0o640);
    assert_eq!(mode(ws.join("Cargo.toml")), 0o664);
    assert_eq!(mode(ws.join("tento-acme/src/lib.rs")), 0o640);
    assert_eq!(mode(ws.join("tento-acme/src")), 0o750);
}

#[test]
fn a_symlinked_manifest_is_written_through_to_its_target() {
    let (dir, ws) = host();
    let shared = dir.path().join("shared-Cargo.toml");
    std::fs::rename(ws.join("host/Cargo.toml"), &shared).unwrap();
    symlink(&shared, ws.join("host/Cargo.toml")).unwrap();
    ok(&ws, &["new", "acme"]);
    let meta = std::fs::symlink_metadata(ws.join("host/Cargo.toml")).unwrap();
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    let target = String::from_utf8(read(&shared)).unwrap();
    assert!(target.contains("tento-acme"), "{target}");
    ok(&ws, &["remove", "acme"]);
    assert!(
        std::fs::symlink_metadata(ws.join("host/Cargo.toml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(!String::from_utf8(read(&shared)).unwrap().contains("tento-acme"));
}

#[test]
fn a_failed_apply_restores_deleted_and_replaced_files_with_their_modes() {
    use tento_scaffold::fs::{FaultyFs, RealFs};
    use tento_scaffold::plan::Plan;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let setup = || {
        std::fs::write(root.join("run.sh"), "a\n").unwrap();
        std::fs::set_permissions(root.join("run.sh"), PermissionsExt::from_mode(0o750)).unwrap();
        std::fs::write(root.join("keep.txt"), "b\n").unwrap();
        std::fs::set_permissions(root.join("keep.txt"), PermissionsExt::from_mode(0o604)).unwrap();
        std::fs::write(root.join("tool.sh"), "t\n").unwrap();
        std::fs::set_permissions(root.join("tool.sh"), PermissionsExt::from_mode(0o700)).unwrap();
    };
    setup();
    let before = tree(root);
    let plan = || {
        let mut plan = Plan::new(root);
        plan.modify(root.join("keep.txt"), "b\n".into(), "c\n".into(), "edit");
        plan.delete(root.join("run.sh"), "a\n".into(), "delete");
        // A second deletion whose failure makes the first one be undone.
        plan.delete(root.join("tool.sh"), "t\n".into(), "delete");
        plan.create(root.join("new/x.rs"), "fn x() {}\n".into(), "create");
        plan
    };
    let mut counting = FaultyFs::new(RealFs, usize::MAX);
    plan().apply_on(&mut counting).unwrap();
    let steps = counting.steps();
    std::fs::remove_dir_all(root.join("new")).unwrap();
    std::fs::remove_file(root.join("keep.txt")).unwrap();
    setup();
    assert_eq!(tree(root), before);
    for fail_at in 0..steps {
        let err = plan().apply_on(&mut FaultyFs::new(RealFs, fail_at)).unwrap_err();
        assert!(err.restored(), "step {fail_at}: {err}");
        assert_eq!(tree(root), before, "step {fail_at}");
    }
}

#[test]
fn a_read_only_file_to_change_is_refused_dry_run_and_all() {
    let (_dir, ws) = host();
    std::fs::set_permissions(ws.join("host/src/auth.rs"), PermissionsExt::from_mode(0o444)).unwrap();
    refused(
        &ws,
        &["new", "acme"],
        &["host/src/auth.rs is read-only", "chmod u+w"],
    );
    refused(
        &ws,
        &["new", "acme", "--dry-run"],
        &["host/src/auth.rs is read-only"],
    );
}

#[test]
fn a_host_test_written_before_the_mark_is_still_the_scaffolds() {
    let (_dir, ws) = host();
    ok(&ws, &["new", "acme"]);
    let test = ws.join("host/tests/acme.rs");
    let text = String::from_utf8(read(&test)).unwrap();
    let unmarked: String = text
        .lines()
        .filter(|l| !l.contains("Written by `tento-scaffold new acme`"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(unmarked, text);
    std::fs::write(&test, &unmarked).unwrap();
    // Still recognised: new takes it for its own (differing, so wants --force) rather
    // than planning a second test, and remove deletes it.
    refused(&ws, &["new", "acme"], &["host/tests/acme.rs already exists"]);
    let out = ok(&ws, &["new", "acme", "--dry-run", "--force"]);
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains("+//! Written by `tento-scaffold new acme`"),
        "{diff}"
    );
    assert!(!diff.contains("acme_provider.rs"), "{diff}");
    ok(&ws, &["remove", "acme"]);
    assert!(!test.exists());
}

// Defect 4: a byte-order mark is kept and never counted in offsets.

#[test]
fn a_bom_is_kept_and_splices_land_where_they_would_without_it() {
    let (_plain_dir, plain) = host();
    let (_bom_dir, bom) = host();
    let files = [
        "host/src/rowkeys.rs",
        "host/src/auth.rs",
        "host/Cargo.toml",
        "Cargo.toml",
    ];
    for file in files {
        let mut text = b"\xef\xbb\xbf".to_vec();
        text.extend(read(bom.join(file)));
        std::fs::write(bom.join(file), text).unwrap();
    }
    let original = tree(&bom);
    ok(&plain, &["new", "acme"]);
    ok(&bom, &["new", "acme"]);
    for file in files {
        let mut expected = b"\xef\xbb\xbf".to_vec();
        expected.extend(read(plain.join(file)));
        assert_eq!(
            String::from_utf8(read(bom.join(file))).unwrap(),
            String::from_utf8(expected).unwrap(),
            "{file}"
        );
    }
    ok(&bom, &["remove", "acme", "--delete-crate"]);
    assert_eq!(tree(&bom), original);
}

#[test]
fn a_bom_on_crlf_files_is_kept_too() {
    let crlf = |ws: &Path, bom: bool| {
        for file in ["host/src/rowkeys.rs", "host/src/auth.rs", "host/src/lib.rs"] {
            let text = String::from_utf8(read(ws.join(file)))
                .unwrap()
                .replace('\n', "\r\n");
            let mark = if bom { "\u{feff}" } else { "" };
            std::fs::write(ws.join(file), format!("{mark}{text}")).unwrap();
        }
    };
    let (_plain_dir, plain) = host();
    let (_bom_dir, bom) = host();
    crlf(&plain, false);
    crlf(&bom, true);
    let original = tree(&bom);
    ok(&plain, &["new", "acme", "--sync-plugin"]);
    ok(&bom, &["new", "acme", "--sync-plugin"]);
    for file in ["host/src/rowkeys.rs", "host/src/auth.rs", "host/src/lib.rs"] {
        let expected = format!("\u{feff}{}", String::from_utf8(read(plain.join(file))).unwrap());
        assert_eq!(
            String::from_utf8(read(bom.join(file))).unwrap(),
            expected,
            "{file}"
        );
    }
    ok(&bom, &["remove", "acme", "--delete-crate"]);
    assert_eq!(tree(&bom), original);
}

#[test]
fn a_replaced_file_keeps_its_owner_where_the_user_may_set_it() {
    use std::os::unix::fs::MetadataExt;
    let (_dir, ws) = host();
    let lib = ws.join("host/src/lib.rs");
    // Giving a file away takes root; elsewhere there is no other owner to keep.
    if std::os::unix::fs::chown(&lib, Some(4321), Some(4321)).is_err() {
        assert_ne!(std::fs::metadata(&lib).unwrap().uid(), 4321);
        return;
    }
    ok(&ws, &["new", "acme", "--sync-plugin"]);
    assert!(String::from_utf8(read(&lib)).unwrap().contains("tento_acme"));
    let meta = std::fs::metadata(&lib).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (4321, 4321));
}

// Defect 6: names that would not compile are refused at the name check.

#[test]
fn names_colliding_with_what_the_templates_import_are_refused() {
    let (_dir, ws) = host();
    refused(
        &ws,
        &["new", "arc"],
        &["`Arc`", "already imports", "names taken: "],
    );
    refused(&ws, &["new", "cell"], &["`Cell`"]);
    refused(
        &ws,
        &["new", "acme", "--rows", "cell"],
        &["row name `cell`", "`Cell`"],
    );
    ok(&ws, &["new", "acme"]);
    refused(&ws, &["add-row", "arc", "--provider", "acme"], &["`Arc`"]);
}

/// The names the provider templates bring into scope with `use`, read here independently
/// of the scaffold's own reading of them.
fn imported_names() -> Vec<String> {
    let mut names = Vec::new();
    for (name, source) in tento_scaffold::templates::Templates::embedded_sources() {
        if !name.starts_with("provider/") {
            continue;
        }
        let source = source.replace("{{ \"{\" }}", "{");
        for stmt in source.split("use ").skip(1) {
            let Some(end) = stmt.find(';') else { continue };
            let stmt = &stmt[..end];
            if !stmt.contains("::") || stmt.contains("{{") {
                continue;
            }
            // Types only: a constant (`BASE_URL`) cannot collide with a provider's type.
            let constant = |w: &str| {
                w.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            };
            for word in stmt.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                if word.starts_with(|c: char| c.is_ascii_uppercase())
                    && !(word.len() > 1 && constant(word))
                    && !names.iter().any(|n| n == word)
                {
                    names.push(word.to_owned());
                }
            }
        }
    }
    names
}

#[test]
fn every_type_the_templates_import_is_refused_as_a_provider_and_a_row() {
    use tento_scaffold::names::{ProviderNames, RowNames};
    let names = imported_names();
    for must in ["Arc", "Cell", "Row", "Integration", "Serialize", "BoxFuture"] {
        assert!(names.iter().any(|n| n == must), "{must} not found in {names:?}");
    }
    for name in &names {
        let e = ProviderNames::parse(name).unwrap_err().to_string();
        assert!(e.contains(&format!("`{name}`")), "{e}");
        assert!(RowNames::parse(name).is_err(), "row {name}");
    }
    for fine in ["acme", "host", "heart-rate", "garmin"] {
        ProviderNames::parse(fine).unwrap();
    }
}

#[test]
fn duplicate_or_blank_stages_are_refused_before_writing() {
    let (_dir, ws) = host();
    ok(&ws, &["new", "acme"]);
    refused(
        &ws,
        &["add-row", "sleep", "--provider", "acme", "--stages", "a,a"],
        &["stage `a` is listed twice"],
    );
    refused(
        &ws,
        &["add-row", "sleep", "--provider", "acme", "--stages", "a,"],
        &["invalid stage"],
    );
}

// Defect 10: a dry run refuses what the real run refuses.

#[test]
fn a_name_too_long_for_the_filesystem_is_refused_by_the_dry_run_too() {
    let (_dir, ws) = host();
    let long = "a".repeat(300);
    let dry = refused(&ws, &["new", &long, "--dry-run"], &["too long"]);
    let real = refused(&ws, &["new", &long], &["too long"]);
    assert_eq!(dry, real);
}

#[test]
fn force_is_not_suggested_nor_taken_where_it_would_drop_routed_rows() {
    let (_dir, ws) = host();
    ok(&ws, &["new", "acme"]);
    ok(&ws, &["add-row", "sleep", "--provider", "acme"]);
    let err = refused(&ws, &["new", "acme"], &["sleep"]);
    assert!(!err.contains("--force"), "{err}");
    refused(&ws, &["new", "acme", "--force"], &["sleep"]);
}

#[test]
fn a_dangling_source_file_is_named() {
    let (_dir, ws) = host();
    symlink("gone.rs", ws.join("host/src/extra.rs")).unwrap();
    refused(&ws, &["new", "acme"], &["host/src/extra.rs"]);
    refused(&ws, &["new", "acme", "--dry-run"], &["host/src/extra.rs"]);
}

// Defect 11: a closed pipe ends the output quietly.

#[test]
fn printing_into_a_closed_pipe_ends_quietly() {
    let (_dir, ws) = host();
    for args in [&["names", "acme"][..], &["new", "acme", "--dry-run"], &["list"]] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = command(&ws, args)
            .stdout(Stdio::from(writer))
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_ne!(out.status.code(), Some(101), "{args:?}: {err}");
    }
}

// What is written is checked: a Rust file that would not parse is refused before any
// write (dry run too), and `--verify` rolls back a host `cargo check` fails on.

#[test]
fn a_rust_file_that_would_not_parse_is_refused_before_writing() {
    let (_dir, ws) = host();
    let over = ws.join(".tento/templates/provider/src");
    std::fs::create_dir_all(&over).unwrap();
    std::fs::write(over.join("oauth.rs.j2"), "pub fn broken( {\n").unwrap();
    refused(
        &ws,
        &["new", "acme"],
        &[
            "tento-acme/src/oauth.rs:1:",
            "would not parse as Rust",
            "nothing was written",
        ],
    );
    refused(
        &ws,
        &["new", "acme", "--dry-run"],
        &["tento-acme/src/oauth.rs:1:"],
    );
}

#[test]
fn verify_rolls_back_when_cargo_check_fails() {
    let (dir, ws) = host();
    let fake = dir.path().join("fake-cargo");
    std::fs::write(
        &fake,
        "#!/bin/sh\necho \"$@\" > \"$(dirname \"$0\")/args\"\nexit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&fake, PermissionsExt::from_mode(0o755)).unwrap();
    let before = tree(&ws);
    let out = command(&ws, &["new", "acme", "--verify"])
        .env("CARGO", &fake)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cargo check failed"), "{err}");
    assert!(err.contains("rolled back"), "{err}");
    assert_eq!(tree(&ws), before);
    assert_eq!(
        String::from_utf8(read(dir.path().join("args"))).unwrap(),
        "check --workspace --all-targets\n"
    );
    std::fs::write(&fake, "#!/bin/sh\nexit 0\n").unwrap();
    let out = command(&ws, &["new", "acme", "--verify"])
        .env("CARGO", &fake)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(ws.join("tento-acme/Cargo.toml").is_file());
}
