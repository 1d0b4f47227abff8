//! The CLI as a user runs it: what it prints, what it refuses, and that a refusal or a
//! dry run writes nothing. Hosts here are scaffolded, never built (the build lives in
//! the workspace's end-to-end tests).

use std::path::Path;

mod support;

use support::{run, stderr, tento_path, tree};

/// A fresh host from `init`, in a temporary directory.
fn host() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let tento = tento_path();
    let out = run(
        dir.path(),
        &["init", "ws", "--tento-path", tento.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

#[test]
fn init_then_new_reports_each_file_in_cargos_style() {
    let dir = host();
    let ws = dir.path().join("ws");
    let out = run(
        &ws,
        &["new", "acme", "--rows", "activities,sleep", "--sync-plugin"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    insta::assert_snapshot!(stderr(&out));
    assert!(ws.join("tento-acme/src/sync_plugin/executor.rs").is_file());
}

#[test]
fn a_second_identical_run_changes_nothing_and_says_so() {
    let dir = host();
    let ws = dir.path().join("ws");
    assert!(run(&ws, &["new", "acme"]).status.success());
    let before = tree(&ws);
    let out = run(&ws, &["new", "acme"]);
    assert!(out.status.success());
    assert_eq!(stderr(&out), "       Fresh tento-acme: nothing to change\n");
    assert_eq!(tree(&ws), before);
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let dir = host();
    let ws = dir.path().join("ws");
    let before = tree(&ws);
    let out = run(&ws, &["new", "acme", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(tree(&ws), before, "a dry run wrote something");
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains("--- /dev/null\n+++ b/tento-acme/Cargo.toml\n"),
        "{diff}"
    );
    assert!(
        diff.contains("--- a/host/src/rowkeys.rs\n+++ b/host/src/rowkeys.rs\n"),
        "{diff}"
    );
    assert!(
        diff.contains("+    [integration = ::tento_acme::connector::Acme] {\n"),
        "{diff}"
    );
    assert!(
        diff.contains("+        tento_acme::connector::AcmeAuth,\n"),
        "{diff}"
    );
    assert!(!diff.contains('\x1b'), "NO_COLOR is honoured");
    assert!(stderr(&out).contains("dry run, nothing written"));
}

/// Runs `new` with `args` and checks it failed with one line naming `needle`, writing nothing.
fn refused(ws: &Path, args: &[&str], needle: &str) -> String {
    let before = tree(ws);
    let out = run(ws, args);
    let err = stderr(&out);
    assert!(!out.status.success(), "{args:?} succeeded: {err}");
    assert!(
        err.starts_with("error: ") && err.contains(needle),
        "{args:?}: {err}"
    );
    assert_eq!(tree(ws), before, "{args:?} wrote something");
    err
}

#[test]
fn bad_names_are_refused_in_one_line() {
    let dir = host();
    let ws = dir.path().join("ws");
    let cases = [
        ("", "the name is empty"),
        ("../evil", "is not a path"),
        ("a/b", "is not a path"),
        ("café", "`é` is not allowed"),
        ("type", "Rust keyword"),
        ("2fit", "starts with a letter"),
    ];
    for (name, needle) in cases {
        let err = refused(&ws, &["new", name], needle);
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    refused(&ws, &["new", "acme", "--rows", "sleep,sleep"], "listed twice");
    refused(&ws, &["new", "acme", "--rows", "fn"], "invalid row name `fn`");
    refused(
        &ws,
        &["new", "acme", "--name", "Say \"hi\""],
        "invalid display name",
    );
}

#[test]
fn an_existing_crate_that_differs_is_refused_without_force() {
    let dir = host();
    let ws = dir.path().join("ws");
    assert!(run(&ws, &["new", "acme"]).status.success());
    std::fs::write(ws.join("tento-acme/src/lib.rs"), "// edited by the user\n").unwrap();
    refused(&ws, &["new", "acme"], "pass --force");
    let out = run(&ws, &["new", "acme", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_ne!(
        std::fs::read_to_string(ws.join("tento-acme/src/lib.rs")).unwrap(),
        "// edited by the user\n"
    );
}

#[test]
fn a_kind_the_host_already_routes_is_refused() {
    let dir = host();
    let ws = dir.path().join("ws");
    assert!(run(&ws, &["new", "acme"]).status.success());
    std::fs::remove_dir_all(ws.join("tento-acme")).unwrap();
    refused(
        &ws,
        &["new", "acme"],
        "already has a provider of kind `acme` (in host/src/rowkeys.rs)",
    );
}

#[test]
fn a_missing_or_foreign_host_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    refused(dir.path(), &["new", "acme"], "has no Cargo.toml");
    std::fs::write(dir.path().join("Cargo.toml"), "[package]\nname = \"solo\"\n").unwrap();
    refused(dir.path(), &["new", "acme"], "is not a Cargo workspace");
    std::fs::write(dir.path().join("Cargo.toml"), "[workspace\nmembers = []\n").unwrap();
    let err = refused(dir.path(), &["new", "acme"], "Cargo.toml does not parse as TOML");
    assert!(err.contains("line 1"), "{err}");
    std::fs::write(dir.path().join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    refused(dir.path(), &["new", "acme"], "no host crate found");
}

#[test]
fn an_unparseable_host_file_is_refused_with_its_location() {
    let dir = host();
    let ws = dir.path().join("ws");
    let lib = ws.join("host/src/deps.rs");
    let src = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, format!("{src}\nfn broken( {{\n")).unwrap();
    refused(&ws, &["new", "acme"], "host/src/deps.rs:");
}

#[test]
fn init_refuses_a_directory_with_files() {
    let dir = host();
    let tento = tento_path();
    let out = run(
        dir.path(),
        &["init", "ws", "--tento-path", tento.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("exists and is not empty"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn help_shows_an_example_per_command() {
    for command in [
        "init",
        "new",
        "names",
        "list",
        "check",
        "add-row",
        "remove",
        "completions",
    ] {
        let out = run(Path::new("."), &[command, "--help"]);
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains("Example: tento-scaffold "), "{command}: {help}");
    }
}

#[test]
fn quiet_prints_nothing_and_verbose_says_what_changed() {
    let dir = host();
    let ws = dir.path().join("ws");
    let out = run(&ws, &["--quiet", "new", "acme"]);
    assert!(out.status.success());
    assert_eq!(stderr(&out), "");
    let out = run(&ws, &["--verbose", "new", "other"]);
    assert!(
        stderr(&out).contains("route :~other:{authId}"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_config_table_names_where_crates_go_and_which_files_to_wire() {
    let dir = host();
    let ws = dir.path().join("ws");
    let manifest = ws.join("Cargo.toml");
    let config = std::fs::read_to_string(&manifest).unwrap().replace(
        "host = \"host\"",
        "host = \"host\"\nproviders-dir = \"providers\"\nfiles = [\"host/src/lib.rs\", \"host/src/auth.rs\", \"host/src/deps.rs\", \"host/src/rowkeys.rs\"]",
    );
    std::fs::write(&manifest, config).unwrap();
    let out = run(&ws, &["new", "acme"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(ws.join("providers/tento-acme/Cargo.toml").is_file());
    let root = std::fs::read_to_string(&manifest).unwrap();
    assert!(root.contains("\"providers/tento-acme\""), "{root}");
    let fakes = std::fs::read_to_string(ws.join("host/tests/host.rs")).unwrap();
    assert!(
        !fakes.contains("tento_acme"),
        "host/tests/host.rs was not named, so it is left alone"
    );
}

#[test]
fn no_host_writes_the_crate_alone() {
    let dir = tempfile::tempdir().unwrap();
    let tento = tento_path();
    let out = run(
        dir.path(),
        &[
            "new",
            "acme",
            "--no-host",
            "--tento-path",
            tento.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let files: Vec<_> = tree(dir.path()).into_keys().collect();
    assert!(files.iter().all(|f| f.starts_with("tento-acme")), "{files:?}");
    let manifest = std::fs::read_to_string(dir.path().join("tento-acme/Cargo.toml")).unwrap();
    let dep = format!(
        r#"tento = {{ path = {:?}, features = ["http"] }}"#,
        tento.display().to_string()
    );
    assert!(manifest.contains(&dep), "{manifest}");
}

#[test]
fn check_fails_with_a_table_and_one_line_when_something_is_missing() {
    let dir = host();
    let ws = dir.path().join("ws");
    assert!(run(&ws, &["new", "acme"]).status.success());
    let out = run(&ws, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "     Checked 1 provider(s): nothing missing\n");
    let auth = ws.join("host/src/auth.rs");
    let src = std::fs::read_to_string(&auth).unwrap();
    std::fs::write(&auth, src.replace("tento_acme::connector::AcmeAuth,", "")).unwrap();
    let before = tree(&ws);
    let out = run(&ws, &["check"]);
    assert!(!out.status.success());
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.starts_with("MISSING"), "{table}");
    assert!(table.contains("tento_acme::connector::AcmeAuth,"), "{table}");
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    let out = run(&ws, &["check", "--json"]);
    assert!(!out.status.success());
    let json = String::from_utf8_lossy(&out.stdout);
    assert!(json.contains("\"kind\": \"auth\""), "{json}");
    assert_eq!(tree(&ws), before, "check writes nothing");
}

#[test]
fn list_json_names_every_route_with_its_verbs() {
    let dir = host();
    let ws = dir.path().join("ws");
    assert!(
        run(&ws, &["new", "acme", "--rows", "activities,sleep"])
            .status
            .success()
    );
    let out = run(&ws, &["list", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json = String::from_utf8_lossy(&out.stdout);
    for key in [":~acme:{authId}:activities", ":~acme:{authId}:sleep"] {
        assert!(json.contains(&format!("\"key\": \"{key}\"")), "{json}");
    }
    let text = String::from_utf8_lossy(&run(&ws, &["list"]).stdout).into_owned();
    assert!(text.starts_with("tento-acme  kind acme  type Acme"), "{text}");
    assert!(
        text.contains("route  :~acme:{authId}:sleep  get list sync"),
        "{text}"
    );
}

#[test]
fn add_row_dry_run_prints_the_diff_and_writes_nothing() {
    let dir = host();
    let ws = dir.path().join("ws");
    assert!(run(&ws, &["new", "acme"]).status.success());
    let before = tree(&ws);
    let out = run(
        &ws.join("tento-acme"),
        &["add-row", "sleep", "--logs", "--dry-run"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains("+++ b/tento-acme/src/connector/sleep/logs.rs"),
        "{diff}"
    );
    assert!(diff.contains("+            \":sleep\" { get list sync"), "{diff}");
    assert_eq!(tree(&ws), before);
    let out = run(&ws, &["add-row", "activities", "--provider", "acme"]);
    assert!(!out.status.success());
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert_eq!(tree(&ws), before);
}

#[test]
fn remove_dry_run_shows_the_unwiring_and_writes_nothing() {
    let dir = host();
    let ws = dir.path().join("ws");
    assert!(run(&ws, &["new", "acme"]).status.success());
    let before = tree(&ws);
    let out = run(&ws, &["remove", "acme", "--delete-crate", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains("-        tento_acme::connector::AcmeAuth,"),
        "{diff}"
    );
    assert!(diff.contains("--- a/tento-acme/src/lib.rs"), "{diff}");
    assert_eq!(tree(&ws), before);
    let out = run(&ws, &["remove", "acme", "--delete-crate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("   Unwiring host/src/auth.rs"),
        "{}",
        stderr(&out)
    );
    assert!(!ws.join("tento-acme").exists());
}

#[test]
fn completions_name_every_command() {
    let out = run(Path::new("."), &["completions", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let script = String::from_utf8_lossy(&out.stdout);
    for command in ["add-row", "check", "list", "remove", "templates"] {
        assert!(script.contains(command), "{command} missing from:\n{script}");
    }
    assert!(!run(Path::new("."), &["completions", "cmd"]).status.success());
}

#[test]
fn the_token_url_is_written_into_the_credential_or_refused_in_one_line() {
    let dir = host();
    let ws = dir.path().join("ws");
    for bad in [
        "ftp://auth.acme.test/token",
        "auth.acme.test/token",
        "https://",
        "https://a/\"b",
        "https://a b",
    ] {
        let err = refused(&ws, &["new", "acme", "--token-url", bad], "invalid --token-url");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let out = run(
        &ws,
        &[
            "new",
            "acme",
            "--token-url",
            "https://auth.acme.test/oauth2/token",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let oauth = std::fs::read_to_string(ws.join("tento-acme/src/oauth.rs")).unwrap();
    assert!(
        oauth.contains(r#"pub const TOKEN_URL: &str = "https://auth.acme.test/oauth2/token";"#),
        "{oauth}"
    );
    let out = run(&ws, &["new", "globex"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let oauth = std::fs::read_to_string(ws.join("tento-globex/src/oauth.rs")).unwrap();
    assert!(
        oauth.contains(r#"pub const TOKEN_URL: &str = "https://api.globex.example/oauth/token";"#),
        "{oauth}"
    );
}

#[test]
fn the_base_url_lands_in_the_sdk_and_a_bad_one_is_refused() {
    let dir = host();
    let ws = dir.path().join("ws");
    for bad in [
        "api.acme.com",
        "ftp://acme.com",
        "https://",
        "https://a.com/\"x",
        "https://a b.com",
    ] {
        let err = refused(&ws, &["new", "acme", "--base-url", bad], "invalid --base-url");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("https://api.acme.com/v1"), "{err}");
    }
    let out = run(&ws, &["new", "acme", "--base-url", "https://api.acme.com/v2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let client = std::fs::read_to_string(ws.join("tento-acme/src/client.rs")).unwrap();
    assert!(
        client.contains(r#"pub const BASE_URL: &str = "https://api.acme.com/v2";"#),
        "{client}"
    );
    let out = run(&ws, &["new", "other"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let client = std::fs::read_to_string(ws.join("tento-other/src/client.rs")).unwrap();
    assert!(client.contains(r#""https://api.other.example""#), "{client}");
}

#[test]
fn init_writes_the_store_asked_for_and_refuses_an_unknown_one_writing_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let tento = tento_path();
    let tento = tento.to_str().unwrap();
    for (store, features, opens) in [
        (None, r#"["sync", "sqlite"]"#, "SqliteStore::open"),
        (
            Some("postgres"),
            r#"["sync", "postgres", "sqlite"]"#,
            "PostgresStore::connect",
        ),
        (Some("memory"), r#"["sync"]"#, "MemoryStore::new"),
    ] {
        let name = store.unwrap_or("default");
        let mut args = vec!["init", name, "--tento-path", tento];
        args.extend(store.iter().flat_map(|s| ["--store", *s]));
        let out = run(dir.path(), &args);
        assert!(out.status.success(), "{}", stderr(&out));
        let ws = dir.path().join(name);
        let manifest = std::fs::read_to_string(ws.join("host/Cargo.toml")).unwrap();
        assert!(
            manifest.contains(&format!("features = {features}")),
            "{name}: {manifest}"
        );
        let store_rs = std::fs::read_to_string(ws.join("host/src/store.rs")).unwrap();
        assert!(store_rs.contains(opens), "{name}: {store_rs}");
        assert!(ws.join("host/src/main.rs").is_file());
    }
    let out = run(
        dir.path(),
        &["init", "mysql", "--store", "mysql", "--tento-path", tento],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("invalid value 'mysql'"), "{}", stderr(&out));
    assert!(!dir.path().join("mysql").exists(), "nothing written");
}
