//! A provider from an OpenAPI document in a host: the host test `new` writes for it
//! syncs every row from the crate's server on 127.0.0.1 (`api::local::LocalApi`), the
//! account pointed there by its `base_url`, which the generated client reads at run
//! time; `remove` takes that test out again. And harvest.json, the spec whose listing
//! pages by a next-page URL. Building and running them is the e2e test's
//! (tests/tests/openapi_e2e.rs).

mod support;

use std::path::Path;

use support::{run, stderr, tento_path, tree};

fn ok(dir: &Path, args: &[&str]) {
    let out = run(dir, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
}

/// An `init` host with `provider` made from tests/openapi/`spec` in it.
fn host_with_spec(provider: &str, spec: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let tento = tento_path().display().to_string();
    ok(tmp.path(), &["init", "host", "--tento-path", &tento]);
    let spec = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/openapi")
        .join(spec);
    let spec = spec.display().to_string();
    let host = tmp.path().join("host");
    ok(&host, &["new", provider, "--from-openapi", &spec]);
    (tmp, host)
}

fn host_with_oura() -> (tempfile::TempDir, std::path::PathBuf) {
    host_with_spec("oura", "oura.json")
}

#[test]
fn the_host_test_syncs_each_row_from_the_crates_local_server() {
    let (_tmp, host) = host_with_oura();
    let test = std::fs::read_to_string(host.join("host/tests/oura.rs")).unwrap();
    for row in ["daily_sleep", "heartrate"] {
        let name = format!("async fn {row}_syncs_from_a_local_api_through_the_host()");
        assert!(test.contains(&name), "no {name} in:\n{test}");
    }
    for line in [
        "let server = LocalApi::start().await;",
        "let user = user(&server.url());",
        r#""credentials": { "account": "test-account", "base_url": base_url },"#,
        "assert_eq!(served, listing.all(), ",
    ] {
        assert!(test.contains(line), "no `{line}` in:\n{test}");
    }
    assert!(
        !test.contains("syncs_and_reads_back"),
        "the offline test is not written too"
    );
    // The server is in the generated module, behind the feature the host tests enable.
    let api = std::fs::read_to_string(host.join("tento-oura/src/api/mod.rs")).unwrap();
    assert!(
        api.contains("#[cfg(feature = \"testing\")]\npub mod local;"),
        "{api}"
    );
    let client = std::fs::read_to_string(host.join("tento-oura/src/client.rs")).unwrap();
    for line in [
        "pub fn http(base_url: &str, tokens: Arc<dyn TokenSource>, account: &str) -> Self {",
        "let base_url = handle.credentials.base_url.clone();",
        r#"if base_url.is_none() && cfg!(feature = "offline") {"#,
    ] {
        assert!(client.contains(line), "no `{line}` in:\n{client}");
    }
}

#[test]
fn remove_takes_the_generated_providers_host_test_out() {
    let (_tmp, host) = host_with_oura();
    assert!(host.join("host/tests/oura.rs").is_file());
    ok(&host, &["remove", "oura", "--delete-crate"]);
    let left: Vec<_> = tree(&host.join("host/tests")).into_keys().collect();
    assert_eq!(left, [Path::new("host.rs")], "{left:?}");
}

#[test]
fn harvest_pages_by_the_url_in_its_links() {
    // The spec the e2e test's host pages through by a next-page URL, a JSON pointer deep.
    let (_tmp, host) = host_with_spec("harvest", "harvest.json");
    let api = std::fs::read_to_string(host.join("tento-harvest/src/api/time_entries.rs")).unwrap();
    let pagination = r#"Pagination::next_url("/links/next").records("time_entries")"#;
    assert!(api.contains(pagination), "{api}");
    let offline = std::fs::read_to_string(host.join("tento-harvest/src/api/offline.rs")).unwrap();
    assert!(offline.contains(r#"field: "/links/next""#), "{offline}");
}
