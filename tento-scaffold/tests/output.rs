//! What each command prints, as a user sees it, checked the way cargo checks its own
//! output (snapbox): for each command's success and each refusal, the whole of stdout
//! and stderr, with the exit status; every refusal also leaves the files as they were.
//! `SNAPSHOTS=overwrite cargo test -p tento-scaffold --test output` rewrites the
//! expected text for review.

mod support;

use std::path::Path;

use snapbox::cmd::Command;
use snapbox::str;
use support::tree;

/// The CLI with `args`, run in `dir`, as a user's terminal without colour would.
fn cli(dir: &Path, args: &[&str]) -> Command {
    Command::new(env!("CARGO_BIN_EXE_tento-scaffold"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
}

/// A temporary directory holding `ws`, a host from `init`; with `acme` in it when
/// `provider`.
fn workspace(provider: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let tento = support::tento_path();
    cli(
        dir.path(),
        &["init", "ws", "--quiet", "--tento-path", tento.to_str().unwrap()],
    )
    .assert()
    .success();
    if provider {
        cli(
            dir.path(),
            &[
                "new",
                "acme",
                "--quiet",
                "--host",
                "ws",
                "--rows",
                "activities,sleep",
            ],
        )
        .assert()
        .success();
    }
    dir
}

/// Runs `args` in `dir`, which must fail with `stderr` alone, writing nothing.
fn refused(dir: &Path, args: &[&str], stderr: impl snapbox::IntoData) {
    let before = tree(dir);
    cli(dir, args)
        .assert()
        .code(1)
        .stdout_eq(str![""])
        .stderr_eq(stderr);
    assert_eq!(tree(dir), before, "{args:?} wrote something");
}

#[test]
fn init_reports_each_file() {
    let dir = tempfile::tempdir().unwrap();
    let tento = support::tento_path();
    cli(
        dir.path(),
        &["init", "ws", "--tento-path", tento.to_str().unwrap()],
    )
    .assert()
    .success()
    .stdout_eq(str![""])
    .stderr_eq(str![[r#"
    Creating Cargo.toml
    Creating .gitignore
    Creating host/Cargo.toml
    Creating host/src/lib.rs
    Creating host/src/auth.rs
    Creating host/src/deps.rs
    Creating host/src/rowkeys.rs
    Creating host/src/store.rs
    Creating host/src/main.rs
    Creating host/tests/host.rs
    Finished host workspace ws

"#]]);
}

#[test]
fn init_refusals() {
    let dir = workspace(false);
    refused(
        dir.path(),
        &["init", "ws"],
        str![[r#"
error: ws exists and is not empty; choose a new directory, or empty it first

"#]],
    );
    // clap's usage error, with clap's exit status.
    let before = tree(dir.path());
    cli(dir.path(), &["init", "other", "--store", "mongo"])
        .assert()
        .code(2)
        .stdout_eq(str![""])
        .stderr_eq(str![[r#"
error: invalid value 'mongo' for '--store <STORE>'
  [possible values: sqlite, postgres, memory]

For more information, try '--help'.

"#]]);
    assert_eq!(tree(dir.path()), before);
}

#[test]
fn new_reports_each_file_created_and_wired() {
    let dir = workspace(false);
    cli(
        dir.path(),
        &["new", "acme", "--host", "ws", "--rows", "activities,sleep"],
    )
    .assert()
    .success()
    .stdout_eq(str![""])
    .stderr_eq(str![[r#"
    Creating tento-acme/Cargo.toml
    Creating tento-acme/src/lib.rs
    Creating tento-acme/src/client.rs
    Creating tento-acme/src/oauth.rs
    Creating tento-acme/src/connector/mod.rs
    Creating tento-acme/tests/connector.rs
    Creating tento-acme/tests/api.rs
    Creating tento-acme/src/connector/activities/mod.rs
    Creating tento-acme/src/connector/sleep/mod.rs
      Adding Cargo.toml
      Adding host/Cargo.toml
      Wiring host/src/rowkeys.rs
      Wiring host/src/auth.rs
      Wiring host/src/lib.rs
      Wiring host/src/deps.rs
      Wiring host/tests/host.rs
    Creating host/tests/acme.rs
    Finished tento-acme

"#]]);
    // A second run has nothing left to do.
    cli(
        dir.path(),
        &["new", "acme", "--host", "ws", "--rows", "activities,sleep"],
    )
    .assert()
    .success()
    .stdout_eq(str![""])
    .stderr_eq(str![[r#"
       Fresh tento-acme: nothing to change

"#]]);
}

#[test]
fn new_refusals() {
    let dir = workspace(true);
    let root = dir.path();
    // Invalid names.
    refused(
        root,
        &["new", "Acme!", "--host", "ws"],
        str![[r#"
error: invalid provider name `Acme!`: `!` is not allowed; use ASCII letters, digits, `-` and `_`, as in `my-provider`

"#]],
    );
    refused(
        root,
        &["new", "beta", "--host", "ws", "--rows", "sleep,sleep"],
        str![[r#"
error: row `sleep` is listed twice in --rows; list each row once

"#]],
    );
    refused(
        root,
        &["new", "beta", "--host", "ws", "--base-url", "not a url"],
        str![[r#"
error: invalid --base-url "not a url": write an absolute http(s) URL without spaces or quotes, such as https://api.acme.com/v1

"#]],
    );
    // A missing host.
    refused(
        root,
        &["new", "beta", "--host", "nowhere"],
        str![[r#"
error: nowhere has no Cargo.toml: pass the host workspace with --host DIR, or create one with `tento-scaffold init DIR`

"#]],
    );
    // An existing crate with rows `new` would not write.
    refused(
        root,
        &["new", "acme", "--host", "ws", "--rows", "activities"],
        str![[r#"
error: tento-acme is already a provider of this host with row(s) `sleep` that `new` would not write; add rows with `tento-scaffold add-row`, list every row in --rows, or `tento-scaffold remove acme --delete-crate` first

"#]],
    );
    // An existing crate whose files differ.
    let client = root.join("ws/tento-acme/src/client.rs");
    let text = std::fs::read_to_string(&client).unwrap();
    std::fs::write(&client, format!("{text}// Ours.\n")).unwrap();
    refused(
        root,
        &["new", "acme", "--host", "ws", "--rows", "activities,sleep"],
        str![[r#"
error: ws/tento-acme already exists and differs from what `new` would write; pass --force to overwrite its files, or choose another name

"#]],
    );
    // An unparseable host file.
    let deps = root.join("ws/host/src/deps.rs");
    let text = std::fs::read_to_string(&deps).unwrap();
    std::fs::write(&deps, format!("{text}\nfn broken( {{\n")).unwrap();
    refused(
        root,
        &["new", "beta", "--host", "ws"],
        str![[r#"
error: host/src/deps.rs:61:12 does not parse as Rust: cannot parse string into token stream

"#]],
    );
}

#[test]
fn add_row_reports_the_row_and_its_wiring() {
    let dir = workspace(true);
    cli(
        dir.path(),
        &["add-row", "weight", "--provider", "acme", "--host", "ws"],
    )
    .assert()
    .success()
    .stdout_eq(str![""])
    .stderr_eq(str![[r#"
    Creating tento-acme/src/connector/weight/mod.rs
      Wiring tento-acme/src/connector/mod.rs
      Wiring host/src/rowkeys.rs
    Finished row weight

"#]]);
}

#[test]
fn add_row_refusals() {
    let dir = workspace(true);
    let root = dir.path();
    refused(
        root,
        &["add-row", "sleep", "--provider", "acme", "--host", "ws"],
        str![[r#"
error: provider tento-acme already has a row `sleep` (tento-acme/src/connector/sleep/mod.rs); choose another name

"#]],
    );
    refused(
        root,
        &["add-row", "weight", "--provider", "ghost", "--host", "ws"],
        str![[r#"
error: the host does not depend on provider `ghost`; create it with `tento-scaffold new ghost`, or name one the host has (`tento-scaffold list`)

"#]],
    );
    refused(
        root,
        &["add-row", "Weight!", "--provider", "acme", "--host", "ws"],
        str![[r#"
error: invalid row name `Weight!`: `!` is not allowed; use ASCII letters, digits, `-` and `_`, as in `my-provider`

"#]],
    );
    refused(
        root,
        &[
            "add-row",
            "weight",
            "--provider",
            "acme",
            "--host",
            "ws",
            "--verbs",
            "fetch",
        ],
        str![[r#"
error: unknown verb `fetch` in --verbs: use get, list, post, patch or delete (sync comes with --stages)

"#]],
    );
}

#[test]
fn remove_reports_each_file_unwired() {
    let dir = workspace(true);
    cli(dir.path(), &["remove", "acme", "--host", "ws"])
        .assert()
        .success()
        .stdout_eq(str![""])
        .stderr_eq(str![[r#"
    Unwiring Cargo.toml
    Unwiring host/Cargo.toml
    Unwiring host/src/auth.rs
    Unwiring host/src/deps.rs
    Unwiring host/src/lib.rs
    Unwiring host/src/rowkeys.rs
    Unwiring host/tests/host.rs
    Removing host/tests/acme.rs
    Finished remove acme

"#]]);
}

#[test]
fn remove_refusals() {
    let dir = workspace(true);
    refused(
        dir.path(),
        &["remove", "ghost", "--host", "ws"],
        str![[r#"
error: the host does not depend on provider `ghost`; `tento-scaffold list` names the ones it has

"#]],
    );
    refused(
        dir.path(),
        &["remove", "acme", "--host", "nowhere"],
        str![[r#"
error: nowhere has no Cargo.toml: pass the host workspace with --host DIR, or create one with `tento-scaffold init DIR`

"#]],
    );
}

#[test]
fn check_and_list_describe_the_host() {
    let dir = workspace(true);
    cli(dir.path(), &["check", "--host", "ws"])
        .assert()
        .success()
        .stdout_eq(str![""])
        .stderr_eq(str![[r#"
     Checked 1 provider(s): nothing missing

"#]]);
    cli(dir.path(), &["list", "--host", "ws"])
        .assert()
        .success()
        .stdout_eq(str![[r#"
tento-acme  kind acme  type Acme  "Acme"
  row    connector::activities::Activities  :~acme:{authId}:activities  serves get list sync  (stages viewport,backfill)
  row    connector::sleep::Sleep  :~acme:{authId}:sleep  serves get list sync  (stages viewport,backfill)
  route  :~acme:{authId}:activities  get list sync
  route  :~acme:{authId}:sleep  get list sync

"#]])
        .stderr_eq(str![""]);
}

#[test]
fn check_fails_naming_what_is_missing() {
    let dir = workspace(true);
    let auth = dir.path().join("ws/host/src/auth.rs");
    let text = std::fs::read_to_string(&auth).unwrap();
    let line = "    tento_acme::connector::AcmeAuth,\n";
    assert!(text.contains(line), "{text}");
    std::fs::write(&auth, text.replace(line, "")).unwrap();
    let before = tree(dir.path());
    cli(dir.path(), &["check", "--host", "ws"])
        .assert()
        .code(1)
        .stdout_eq(str![[r#"
MISSING  PROVIDER    FOR   FILE              LINE TO ADD
auth     tento-acme  acme  host/src/auth.rs  tento_acme::connector::AcmeAuth,

"#]])
        .stderr_eq(str![[r#"
error: 1 thing(s) missing from the host; add the lines above

"#]]);
    assert_eq!(tree(dir.path()), before, "check writes nothing");
}

#[test]
fn names_shows_what_a_name_maps_to_and_refuses_a_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["names", "my-provider"])
        .assert()
        .success()
        .stdout_eq(str![[r#"
crate         tento-myprovider
library       tento_myprovider
kind          myprovider
type          MyProvider
lookup key    :~myprovider:{authId}
display name  My Provider

"#]])
        .stderr_eq(str![""]);
    refused(
        dir.path(),
        &["names", "9lives"],
        str![[r#"
error: invalid provider name `9lives`: a provider name starts with a letter, as in `my-provider`

"#]],
    );
}
