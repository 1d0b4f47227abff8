//! `new --from-openapi`, end to end: seven providers generated from OpenAPI documents
//! written after real providers' public API docs (tento-scaffold/tests/openapi/), wired
//! into one host, which then builds, passes clippy -D warnings and rustfmt, and runs
//! every crate's tests (each row listed from a server on 127.0.0.1 answering as its spec
//! says) and the host's (each row synced through the host over HTTP from that server,
//! the account pointed at it by its `base_url`, every page fetched, and read back). One
//! host, so one build.

use std::path::Path;

use tento_scaffold::new::NewOptions;
use tento_scaffold::openapi;
use tento_scaffold::spec::SyncPlugin;
use tento_scaffold::templates::Templates;
use tento_scaffold::{TentoSource, init};
use tento_tests::{cargo_ok, use_checkout_lock, workspace_root};

const SPECS: &[(&str, &str, &[&str])] = &[
    ("oura", "oura.json", &["daily_sleep", "heartrate"]),
    ("strava", "strava.yaml", &["activities"]),
    ("github", "github.json", &["notifications"]),
    ("whoop", "whoop.json", &["cycle"]),
    ("pipedrive", "pipedrive.json", &["activities"]),
    ("weatherbit", "weatherbit.yaml", &["daily"]),
    // Pages by the URL in the body's `links.next`.
    ("harvest", "harvest.json", &["time_entries"]),
];

fn tento() -> TentoSource {
    TentoSource::Path(workspace_root().join("tento").canonicalize().unwrap())
}

fn generate(host: &Path, provider: &str, spec: &Path) {
    let opts = NewOptions {
        provider: provider.to_owned(),
        host: host.to_path_buf(),
        rows: Vec::new(),
        // One of the six with the full sync plugin: its executor pages src/api/'s listing.
        sync_plugin: if provider == "oura" {
            SyncPlugin::Full
        } else {
            SyncPlugin::None
        },
        name: None,
        base_url: None,
        force: false,
        no_host: false,
        tento: tento(),
        token_url: None,
    };
    let outcome = openapi::plan_new(&opts, spec, &Templates::embedded())
        .unwrap_or_else(|e| panic!("new {provider} --from-openapi: {e}"));
    outcome.plan.apply().unwrap();
    // Again: the crate has its mapping file, so only src/api/ is planned, unchanged.
    let again = openapi::plan_new(&opts, spec, &Templates::embedded()).unwrap();
    assert!(
        again.plan.is_noop(),
        "a second run would change {:?}",
        again.plan.changes().map(|c| &c.display).collect::<Vec<_>>()
    );
}

#[test]
fn generated_providers_build_lint_format_and_sync_through_a_host() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    init::plan(&ws, &tento(), &Templates::embedded())
        .unwrap()
        .apply()
        .unwrap();
    use_checkout_lock(&ws).unwrap();
    let specs = workspace_root().join("tento-scaffold/tests/openapi");
    for (provider, spec, _) in SPECS {
        generate(&ws, provider, &specs.join(spec));
    }
    let clippy = [
        "clippy",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ];
    cargo_ok(&ws, &clippy).unwrap();
    cargo_ok(&ws, &["fmt", "--check"]).unwrap();
    let tests = cargo_ok(&ws, &["test", "--workspace", "--all-features"]).unwrap();
    for (_, _, rows) in SPECS {
        for row in *rows {
            for test in [
                format!("{row}_lists_its_records_from_the_server ... ok"),
                format!("{row}_syncs_each_stage_into_the_store ... ok"),
                format!("{row}_syncs_from_a_local_api_through_the_host ... ok"),
            ] {
                assert!(tests.contains(&test), "no `{test}` in:\n{tests}");
            }
        }
    }
    // The typed create/update calls, answered by the offline transport with the record
    // they leave (pipedrive's is the spec here with writes).
    let writes = "activities_writes_typed_bodies_and_reads_typed_answers ... ok";
    assert!(tests.contains(writes), "no `{writes}` in:\n{tests}");
    assert!(!tests.contains("FAILED"), "{tests}");
    let failed = tests
        .lines()
        .filter(|l| l.contains("test result: FAILED"))
        .count();
    assert_eq!(failed, 0, "{tests}");
}
