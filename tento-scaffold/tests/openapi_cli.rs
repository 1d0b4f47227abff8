//! `new --from-openapi` and `openapi sync` through the CLI: what becomes of each
//! operation of the six specs in tests/openapi/ (written after real providers' public
//! API docs), bad input refused in one line with nothing written, and regeneration that
//! touches the generated module only. Building the generated crates is the e2e test's
//! (tests/tests/openapi_e2e.rs).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn specs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/openapi")
}

fn scaffold(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tento-scaffold"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// `new <provider> --no-host --host . --from-openapi <spec> <extra…>` in `dir`, which
/// must succeed.
fn new_from_spec(dir: &Path, provider: &str, spec: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "new",
        provider,
        "--no-host",
        "--host",
        ".",
        "--from-openapi",
        spec,
    ];
    args.extend(extra);
    let out = scaffold(dir, &args);
    assert!(out.status.success(), "{provider}: {}", stderr(&out));
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `new <provider> --no-host --from-openapi <spec> -v --dry-run` in an empty directory:
/// the `OpenAPI` lines it prints.
fn classified(provider: &str, spec: &Path) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    let spec = spec.display().to_string();
    let args = [
        "-v",
        "new",
        provider,
        "--no-host",
        "--host",
        ".",
        "--dry-run",
        "--from-openapi",
        &spec,
    ];
    let out = scaffold(tmp.path(), &args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "a dry run writes nothing"
    );
    stderr(&out)
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("OpenAPI "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn each_spec_classifies_as_its_shapes_say() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "oura",
            "oura.json",
            &[
                "row daily_sleep: GET /v2/usercollection/daily_sleep (multiple_daily_sleep_documents; cursor pagination; id `id`; date `day`)",
                "row heartrate: GET /v2/usercollection/heartrate (multiple_heartrate_documents; cursor pagination; id none; date `timestamp`)",
                "verb of row daily_sleep: GET /v2/usercollection/daily_sleep/{document_id}",
                "skipped GET /v2/usercollection/personal_info: its 2xx body is neither an array nor an object holding one",
                "1 operation(s) skipped; --verbose lists each with why",
            ],
        ),
        (
            "strava",
            "strava.yaml",
            &[
                "row activities: GET /athlete/activities (getLoggedInAthleteActivities; page pagination; id `id`; date `start_date`)",
                "skipped POST /activities: a POST outside any synced row's path",
                "skipped GET /activities/{id}: its path needs `{id}`, which a synced row cannot supply",
                "skipped PUT /activities/{id}: a PUT outside any synced row's path",
                "skipped GET /athlete: its 2xx body is neither an array nor an object holding one",
                "4 operation(s) skipped; --verbose lists each with why",
            ],
        ),
        (
            "github",
            "github.json",
            &[
                "row notifications: GET /notifications (activity/list-notifications-for-authenticated-user; link header pagination; id `id`; date `updated_at`)",
                "skipped GET /notifications/threads/{thread_id}: its 2xx body is neither an array nor an object holding one",
                "skipped GET /user: its 2xx body is neither an array nor an object holding one",
                "2 operation(s) skipped; --verbose lists each with why",
            ],
        ),
        (
            "whoop",
            "whoop.json",
            &[
                "row cycle: GET /v1/cycle (getCycleCollection; cursor pagination; id `id`; date `start`)",
                "verb of row cycle: GET /v1/cycle/{cycleId}",
                "skipped GET /v1/user/profile/basic: its 2xx body is neither an array nor an object holding one",
                "1 operation(s) skipped; --verbose lists each with why",
            ],
        ),
        (
            "pipedrive",
            "pipedrive.json",
            &[
                "row activities: GET /activities (getActivities; offset pagination; id `id`; date `due_date`)",
                "verb of row activities: POST /activities",
                "verb of row activities: GET /activities/{id}",
                "verb of row activities: PUT /activities/{id}",
                "verb of row activities: DELETE /activities/{id}",
                "skipped GET /users/me: its 2xx body is neither an array nor an object holding one",
                "1 operation(s) skipped; --verbose lists each with why",
            ],
        ),
        (
            "weatherbit",
            "weatherbit.yaml",
            &[
                "row daily: GET /history/daily (getHistoryDaily; single page pagination; id none; date `datetime`)",
                "skipped GET /current: no date-window query parameters (start_date/end_date, from/to, since/until, after/before)",
                "1 operation(s) skipped; --verbose lists each with why",
            ],
        ),
    ];
    for (provider, spec, expected) in cases {
        assert_eq!(classified(provider, &specs().join(spec)), *expected, "{spec}");
    }
}

/// The generated module of each spec, read where the shapes differ: window bounds,
/// pagination, records field, auth, nullable and union types.
#[test]
fn generated_code_follows_each_specs_shapes() {
    let tmp = tempfile::tempdir().unwrap();
    for (provider, spec) in [
        ("oura", "oura.json"),
        ("strava", "strava.yaml"),
        ("github", "github.json"),
        ("whoop", "whoop.json"),
        ("pipedrive", "pipedrive.json"),
        ("weatherbit", "weatherbit.yaml"),
    ] {
        let spec = specs().join(spec).display().to_string();
        let out = scaffold(
            tmp.path(),
            &[
                "-q",
                "new",
                provider,
                "--no-host",
                "--host",
                ".",
                "--from-openapi",
                &spec,
            ],
        );
        assert!(out.status.success(), "{provider}: {}", stderr(&out));
    }
    let read = |path: &str| std::fs::read_to_string(tmp.path().join(path)).unwrap();
    let squash = |text: String| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let has = |path: &str, needles: &[&str]| {
        let text = squash(read(path));
        for needle in needles {
            assert!(text.contains(needle), "{path} lacks `{needle}`:\n{text}");
        }
    };
    has(
        "tento-oura/src/api/daily_sleep.rs",
        &[
            r#"Pagination::cursor("next_token", "next_token").records("data")"#,
            r#".query("start_date", start) .query("end_date", end)"#,
            "SemanticTime::from_partial(PartialDate::Ymd(record.day))",
            "pub async fn get(",
        ],
    );
    has(
        "tento-oura/src/api/heartrate.rs",
        &[
            r#".query("start_datetime", format!("{start}T00:00:00Z"))"#,
            "id: None",
        ],
    );
    has(
        "tento-oura/src/api/types.rs",
        &["pub score: Option<i64>", "pub contributors: SleepContributors"],
    );
    has(
        "tento-oura/src/oauth.rs",
        &[r#"TOKEN_URL: &str = "https://api.ouraring.com/oauth/token""#],
    );
    has(
        "tento-oura/src/api/mod.rs",
        &[r#"SCOPES: &[&str] = &["email", "personal", "daily", "heartrate"]"#],
    );
    has(
        "tento-strava/src/api/activities.rs",
        &[
            r#"Pagination::page_number("page").page_size("per_page", 30)"#,
            r#".query( "after", start.and_time(NaiveTime::MIN).and_utc().timestamp(), )"#,
            "id: Some(record.id.to_string())",
            "SemanticTime::from_instant(record.start_date)",
        ],
    );
    has(
        "tento-strava/src/client.rs",
        &[r#"BASE_URL: &str = "https://www.strava.com/api/v3""#],
    );
    has(
        "tento-github/src/api/notifications.rs",
        &["Pagination::link_header()", r#".query("since", "#],
    );
    has(
        "tento-github/src/api/types.rs",
        &[
            "#[serde(untagged)] pub enum ThreadSubject { /// A `ReleaseSubject`. ReleaseSubject(ReleaseSubject), /// A `IssueSubject`. IssueSubject(IssueSubject), }",
            "pub description: Option<String>",
            "#[serde(rename = \"type\")] pub type_: String",
            "pub last_read_at: Option<chrono::DateTime<chrono::Utc>>",
        ],
    );
    has(
        "tento-whoop/src/api/cycle.rs",
        &[r#"Pagination::cursor("next_token", "nextToken").records("records")"#],
    );
    // allOf: the parts' fields in one struct; a component named `Record` renamed away
    // from the module's own `Record`.
    has(
        "tento-whoop/src/api/types.rs",
        &[
            "pub struct Cycle {",
            "pub created_at: chrono::DateTime<chrono::Utc>",
            "pub score: Option<CycleScore>",
            "pub end: Option<chrono::DateTime<chrono::Utc>>",
        ],
    );
    has(
        "tento-pipedrive/src/api/activities.rs",
        &[
            r#"Pagination::offset("start", "limit", 100).records("data")"#,
            "pub async fn create(",
            "pub async fn update(",
            "pub async fn delete(",
        ],
    );
    has(
        "tento-pipedrive/src/client.rs",
        &[r#"request.headers.push(("x-api-token".into(), key));"#],
    );
    has(
        "tento-pipedrive/src/connector/activities/mod.rs",
        &["async fn post(", "async fn patch(", "async fn delete("],
    );
    has(
        "tento-weatherbit/src/client.rs",
        &[r#"request.set_query("key", key);"#],
    );
    has(
        "tento-weatherbit/src/api/types.rs",
        &["pub snow: Option<f64>", "pub datetime: chrono::NaiveDate"],
    );
    // The spec's own example is what the offline transport serves, when it fits.
    has("tento-pipedrive/src/api/offline.rs", &["Call Joe"]);
    let mapping = read("tento-github/openapi.tento.toml");
    assert!(
        mapping.contains("[operations.\"activity/list-notifications-for-authenticated-user\"]"),
        "{mapping}"
    );
    assert!(mapping.contains("spec = \""), "{mapping}");
}

/// A spec in a temporary directory, for the bad-input cases.
fn refused(name: &str, text: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let spec = tmp.path().join(name);
    std::fs::write(&spec, text).unwrap();
    let host = tmp.path().join("out");
    std::fs::create_dir(&host).unwrap();
    let out = scaffold(
        tmp.path(),
        &[
            "new",
            "acme",
            "--no-host",
            "--host",
            "out",
            "--from-openapi",
            &spec.display().to_string(),
        ],
    );
    assert!(!out.status.success(), "{name} was accepted");
    assert_eq!(
        std::fs::read_dir(&host).unwrap().count(),
        0,
        "{name}: something was written"
    );
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    err
}

const ROW: &str = r##""/sleep": {"get": {"operationId": "listSleep", "parameters": [{"name": "start_date", "in": "query", "schema": {"type": "string", "format": "date"}}, {"name": "end_date", "in": "query", "schema": {"type": "string", "format": "date"}}], "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Sleep"}}}}}}}}"##;

fn spec(paths: &str, schemas: &str) -> String {
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{{paths}}}, "components": {{"schemas": {{{schemas}}}}}}}"#
    )
}

const SLEEP: &str = r#""Sleep": {"type": "object", "required": ["id", "day"], "properties": {"id": {"type": "string"}, "day": {"type": "string", "format": "date"}}}"#;

#[test]
fn a_good_spec_passes_the_bad_input_harness() {
    // The base of every bad case below is itself accepted, so each refusal is its own.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("ok.json"), spec(ROW, SLEEP)).unwrap();
    let out = scaffold(
        tmp.path(),
        &[
            "new",
            "acme",
            "--no-host",
            "--host",
            ".",
            "--from-openapi",
            "ok.json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(tmp.path().join("tento-acme/src/api/sleep.rs").is_file());
}

#[test]
fn bad_input_is_one_line_and_writes_nothing() {
    let err = refused("bad.json", "{\n  \"openapi\": \"3.0.0\",\n  \"paths\": {,}\n}");
    assert!(
        err.contains("bad.json:3:13: invalid JSON: key must be a string"),
        "{err}"
    );
    let err = refused("bad.yaml", "openapi: 3.1.0\npaths:\n  /a: [1, 2\n");
    assert!(err.contains("bad.yaml:") && err.contains("invalid YAML"), "{err}");
    let err = refused("swagger.json", r#"{"swagger": "2.0", "paths": {}}"#);
    assert!(
        err.contains("is Swagger 2.0, which tento does not read; convert it to OpenAPI 3 first"),
        "{err}"
    );
    let err = refused("dangling.json", &spec(ROW, ""));
    assert!(err.contains("`$ref: #/components/schemas/Sleep` at /paths/~1sleep/get/responses/200/content/application~1json/schema/items points to nothing"), "{err}");
    let remote = ROW.replace("#/components/schemas/Sleep", "https://example.com/sleep.json");
    let err = refused("remote.json", &spec(&remote, SLEEP));
    assert!(
        err.contains("points outside the document; tento resolves local references only"),
        "{err}"
    );
    let recursive = r##""Sleep": {"type": "object", "required": ["id", "day"], "properties": {"id": {"type": "string"}, "day": {"type": "string", "format": "date"}, "naps": {"type": "array", "items": {"$ref": "#/components/schemas/Sleep"}}}}"##;
    let err = refused("recursive.json", &spec(ROW, recursive));
    assert!(err.contains("schema Sleep -> Sleep refers to itself"), "{err}");
    let no_row = ROW.replace("start_date", "q").replace("end_date", "r");
    let err = refused("norow.json", &spec(&no_row, SLEEP));
    assert!(
        err.contains("no operation in") && err.contains("can be a synced row"),
        "{err}"
    );
    let twice = format!("{ROW}, {}", ROW.replace("/sleep", "/naps"));
    let err = refused("dup.json", &spec(&twice, SLEEP));
    assert!(
        err.contains("operationId `listSleep` is used by both GET /sleep and GET /naps"),
        "{err}"
    );
    let err = refused(
        "missing.json",
        &spec(&ROW.replace(r#""operationId": "listSleep", "#, ""), SLEEP),
    );
    assert!(err.contains("GET /sleep has no operationId"), "{err}");
    let same = format!(
        "{ROW}, {}",
        ROW.replace("/sleep", "/v2/sleep")
            .replace("listSleep", "listSleep2")
    );
    let err = refused("collide.json", &spec(&same, SLEEP));
    assert!(
        err.contains("operations `listSleep` and `listSleep2` both become row `sleep`"),
        "{err}"
    );
    // Named in a mapping file written before the first run, the same spec is accepted.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("same.json"), spec(&same, SLEEP)).unwrap();
    std::fs::create_dir(tmp.path().join("tento-acme")).unwrap();
    let mapping = "[operations.listSleep2]\nrow = \"sleep_v2\"\n";
    std::fs::write(tmp.path().join("tento-acme/openapi.tento.toml"), mapping).unwrap();
    new_from_spec(tmp.path(), "acme", "same.json", &[]);
    assert!(tmp.path().join("tento-acme/src/api/sleep_v2.rs").is_file());
    let kept = std::fs::read_to_string(tmp.path().join("tento-acme/openapi.tento.toml")).unwrap();
    assert_eq!(kept, mapping, "the user's mapping file is theirs");
    let offline = ROW.replace("/sleep", "/offline");
    let err = refused("offline.json", &spec(&offline, SLEEP));
    assert!(
        err.contains("would be row `offline`, a name src/api/ keeps for itself"),
        "{err}"
    );
    let fields = r#""Sleep": {"type": "object", "required": ["id", "day"], "properties": {"id": {"type": "string"}, "day": {"type": "string", "format": "date"}, "startTime": {"type": "string"}, "start_time": {"type": "string"}}}"#;
    let err = refused("fields.json", &spec(ROW, fields));
    assert!(
        err.contains("Sleep.startTime and Sleep.start_time both become `start_time`"),
        "{err}"
    );
}

/// A provider crate made from a copy of oura.json in a temporary directory.
fn oura() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(specs().join("oura.json"), tmp.path().join("oura.json")).unwrap();
    new_oura(tmp, &[])
}

/// `new oura --no-host … extra` from the `oura.json` in `tmp`: `tmp` and the crate.
fn new_oura(tmp: tempfile::TempDir, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let mut args = vec!["-q"];
    args.extend(extra);
    new_from_spec(tmp.path(), "oura", "oura.json", &args);
    let dir = tmp.path().join("tento-oura");
    (tmp, dir)
}

fn snapshot(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn sync_regenerates_the_generated_module_only_and_check_sees_a_changed_spec() {
    let (tmp, dir) = oura();
    let mapping = std::fs::read_to_string(dir.join("openapi.tento.toml")).unwrap();
    assert!(mapping.contains("spec = \"../oura.json\""), "{mapping}");
    let fresh = scaffold(&dir, &["openapi", "sync"]);
    assert!(stderr(&fresh).contains("nothing to change"), "{}", stderr(&fresh));
    assert_eq!(tento_scaffold::openapi::drift(&dir), None);

    // The user's edits to their own files, and the spec's change.
    let connector = dir.join("src/connector/mod.rs");
    let edited = std::fs::read_to_string(&connector).unwrap() + "// mine\n";
    std::fs::write(&connector, &edited).unwrap();
    let spec = tmp.path().join("oura.json");
    let text = std::fs::read_to_string(&spec).unwrap().replace(
        r#""bpm": { "type": "integer" },"#,
        r#""bpm": { "type": "integer" }, "hrv": { "type": "number", "nullable": true },"#,
    );
    std::fs::write(&spec, text).unwrap();
    let stale = tento_scaffold::openapi::drift(&dir).expect("the spec changed");
    assert!(stale.contains("changed since src/api/ was generated"), "{stale}");

    let before = snapshot(&dir);
    let dry = scaffold(&dir, &["openapi", "sync", "--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    let diff = String::from_utf8_lossy(&dry.stdout);
    assert!(diff.contains("+    pub hrv: Option<f64>,"), "{diff}");
    assert!(diff.contains("-//! spec-hash: "), "{diff}");
    let touched: Vec<&str> = diff.lines().filter_map(|l| l.strip_prefix("+++ ")).collect();
    assert!(
        touched.iter().all(|f| f.contains("src/api/")),
        "only src/api/ changes: {touched:?}"
    );
    assert_eq!(snapshot(&dir), before, "a dry run writes nothing");

    let apply = scaffold(&dir, &["openapi", "sync"]);
    assert!(apply.status.success(), "{}", stderr(&apply));
    assert_eq!(tento_scaffold::openapi::drift(&dir), None);
    assert_eq!(
        std::fs::read_to_string(&connector).unwrap(),
        edited,
        "the user's file is theirs"
    );
    let changed: Vec<String> = snapshot(&dir)
        .into_iter()
        .zip(before)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.0)
        .collect();
    assert_eq!(
        changed,
        ["src/api/mod.rs", "src/api/offline.rs", "src/api/types.rs"].map(String::from)
    );
}

#[test]
fn a_row_the_connector_serves_cannot_vanish_from_the_spec() {
    let (_tmp, dir) = oura();
    let mapping = dir.join("openapi.tento.toml");
    let text = std::fs::read_to_string(&mapping).unwrap()
        + "\n[operations.multiple_heartrate_documents]\nskip = true\n";
    // A second table of one name is a TOML error: name it once, with `skip`.
    let text = text.replacen(
        "[operations.multiple_heartrate_documents]\n",
        "[operations.unused]\n",
        1,
    );
    std::fs::write(&mapping, text).unwrap();
    let before = snapshot(&dir);
    let out = scaffold(&dir, &["openapi", "sync"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("row `heartrate` is no longer in the spec (or is skipped in openapi.tento.toml), but src/connector/heartrate uses it"),
        "{}",
        stderr(&out)
    );
    assert_eq!(snapshot(&dir), before);
}

/// A record struct's fields in the order the spec lists its properties (JSON and YAML
/// alike), not sorted: the struct reads like the API's documentation.
#[test]
fn record_fields_keep_the_specs_order() {
    let tmp = tempfile::tempdir().unwrap();
    for (provider, spec) in [("oura", "oura.json"), ("strava", "strava.yaml")] {
        let spec = specs().join(spec).display().to_string();
        new_from_spec(tmp.path(), provider, &spec, &["-q"]);
    }
    let fields = |path: &str, name: &str| -> Vec<String> {
        let text = std::fs::read_to_string(tmp.path().join(path)).unwrap();
        let body = text
            .split(&format!("pub struct {name} {{\n"))
            .nth(1)
            .unwrap_or_else(|| panic!("{path} has no struct {name}:\n{text}"));
        let body = body.split("\n}\n").next().unwrap();
        body.lines()
            .filter_map(|l| l.trim().strip_prefix("pub "))
            .map(|l| l.split(':').next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        fields("tento-oura/src/api/types.rs", "DailySleepModel"),
        ["id", "contributors", "day", "score", "timestamp"]
    );
    assert_eq!(
        fields("tento-strava/src/api/types.rs", "SummaryActivity")[..6],
        ["id", "external_id", "athlete", "name", "distance", "moving_time"]
    );
}

/// The mapping file shows each row's detected pagination as a value; edited, `openapi
/// sync` generates that pager instead (and the offline transport pages the same way).
#[test]
fn a_pagination_override_changes_the_generated_pager() {
    let (_tmp, dir) = oura();
    let mapping = dir.join("openapi.tento.toml");
    let text = std::fs::read_to_string(&mapping).unwrap();
    let detected = r#"pagination = { style = "cursor", field = "next_token", param = "next_token" }"#;
    assert_eq!(text.matches(detected).count(), 2, "{text}");
    let chosen = r#"pagination = { style = "page", param = "page", size_param = "limit", size = 25 }"#;
    std::fs::write(&mapping, text.replacen(detected, chosen, 1)).unwrap();

    let before = snapshot(&dir);
    let dry = scaffold(&dir, &["openapi", "sync", "--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    let diff = String::from_utf8_lossy(&dry.stdout);
    assert!(
        diff.contains("+    Pagination::page_number(\"page\")\n+        .page_size(\"limit\", 25)\n+        .records(\"data\")"),
        "{diff}"
    );
    assert_eq!(snapshot(&dir), before, "a dry run writes nothing");
    let apply = scaffold(&dir, &["openapi", "sync"]);
    assert!(apply.status.success(), "{}", stderr(&apply));
    let sleep = std::fs::read_to_string(dir.join("src/api/daily_sleep.rs")).unwrap();
    assert!(
        sleep.contains("/// How the API pages this listing (page)."),
        "{sleep}"
    );
    let heartrate = std::fs::read_to_string(dir.join("src/api/heartrate.rs")).unwrap();
    assert!(
        heartrate.contains(r#"Pagination::cursor("next_token", "next_token").records("data")"#),
        "the other row keeps its own: {heartrate}"
    );
    // The offline transport (and `LocalApi`, which answers through it) pages each
    // listing as its row's pager asks: the override for one, the spec's for the other.
    let offline = std::fs::read_to_string(dir.join("src/api/offline.rs")).unwrap();
    let offline = offline.split_whitespace().collect::<String>();
    for (path, paging) in [
        (
            "super::daily_sleep::PATH",
            r#"paging:Paging::Page{param:"page",size:Some(("limit",25)),},"#,
        ),
        (
            "super::heartrate::PATH",
            r#"paging:Paging::Cursor{field:"next_token",param:"next_token",},"#,
        ),
    ] {
        let listing = offline
            .split("Listing{path:")
            .find(|l| l.starts_with(path))
            .unwrap_or_else(|| panic!("no listing of {path}: {offline}"));
        assert!(listing.contains(paging), "{path} lacks {paging}: {listing}");
    }
    let again = scaffold(&dir, &["openapi", "sync"]);
    assert!(stderr(&again).contains("nothing to change"), "{}", stderr(&again));
}

#[test]
fn a_bad_pagination_override_is_refused_and_nothing_is_written() {
    let (_tmp, dir) = oura();
    let mapping = dir.join("openapi.tento.toml");
    let text = std::fs::read_to_string(&mapping).unwrap();
    let detected = r#"pagination = { style = "cursor", field = "next_token", param = "next_token" }"#;
    for (bad, says) in [
        (
            r#"pagination = "pages""#,
            r#"`pagination` under [operations.multiple_daily_sleep_documents] is "pages", no pagination style; write "none", "link", or a table such as"#,
        ),
        (
            r#"pagination = { style = "cursor", field = "next_token" }"#,
            r#"is a cursor style, which needs `field` (where the body keeps the cursor: a key or a JSON pointer) and `param` (the query parameter it goes back in): write { style = "cursor", field = "next_token", param = "next_token" }"#,
        ),
    ] {
        std::fs::write(&mapping, text.replacen(detected, bad, 1)).unwrap();
        let before = snapshot(&dir);
        let out = scaffold(&dir, &["openapi", "sync"]);
        assert!(!out.status.success(), "{bad} was accepted");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.contains("openapi.tento.toml: "), "names the file: {err}");
        assert!(err.contains(says), "{err}");
        assert_eq!(snapshot(&dir), before, "{bad}: nothing written");
    }
}

/// Create and update take and return the structs of their request and answer schemas
/// (a `$ref` by its name, an inline one named for the row), sent with the spec's method;
/// the connector's `post`/`patch` read the record out of the typed answer, and the
/// crate's own tests (tests/writes.rs) send them through the offline transport.
#[test]
fn writes_are_typed_from_the_request_and_answer_schemas() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = specs().join("pipedrive.json").display().to_string();
    let out = new_from_spec(tmp.path(), "pipedrive", &spec, &[]);
    assert!(
        !stderr(&out).contains("Warning"),
        "every write is typed: {}",
        stderr(&out)
    );
    let read = |path: &str| {
        let text = std::fs::read_to_string(tmp.path().join("tento-pipedrive").join(path)).unwrap();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let api = read("src/api/activities.rs");
    for needle in [
        "pub type CreateBody = super::types::Activity;",
        "pub type Created = super::types::GetActivityResponse;",
        "pub async fn create(client: &Client, body: &CreateBody) -> anyhow::Result<Created>",
        "pub fn created_record(answer: &Created) -> Option<&Record> { answer.data.as_ref() }",
        "/// The body [`update`] sends: the request body schema of `PUT /activities/{id}`. pub type UpdateBody = super::types::ActivitiesUpdateBody;",
        "pub async fn update(client: &Client, id: &str, body: &UpdateBody) -> anyhow::Result<Updated>",
        r#"Request::new(Method::Put, format!("{PATH}/{id}"))"#,
    ] {
        assert!(
            api.contains(needle),
            "src/api/activities.rs lacks `{needle}`:\n{api}"
        );
    }
    assert!(!api.contains("body: &serde_json::Value"), "{api}");
    let types = read("src/api/types.rs");
    assert!(
        types.contains(
            r#"#[serde(rename = "type", skip_serializing_if = "Option::is_none")] pub type_: Option<String>,"#
        ),
        "an update sends only the fields set: {types}"
    );
    assert!(
        types
            .contains("pub struct GetActivityResponse { /// The `success` field. pub success: Option<bool>,"),
        "a struct only read keeps every field: {types}"
    );
    let row = read("src/connector/activities/mod.rs");
    for needle in [
        "let body: api::CreateBody = serde_json::from_value(cell.data.clone())",
        "match api::created_record(&created)",
        "let body: api::UpdateBody = serde_json::from_value(data)",
        "api::updated_record(&updated)",
    ] {
        assert!(row.contains(needle), "the connector row lacks `{needle}`:\n{row}");
    }
    let tests = read("tests/writes.rs");
    assert!(
        tests.contains("async fn activities_writes_typed_bodies_and_reads_typed_answers()"),
        "{tests}"
    );
}

/// A write the spec gives no JSON body schema is `serde_json::Value`, with a warning
/// naming the operation; one without a JSON answer returns `()`, and the connector
/// keeps the cell as sent.
#[test]
fn an_untypeable_write_body_is_json_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let post = r#""post": {"operationId": "addSleep", "responses": {"204": {"description": "stored"}}}"#;
    let paths = ROW.replacen(r#""/sleep": {"get""#, &format!(r#""/sleep": {{{post}, "get""#), 1);
    std::fs::write(tmp.path().join("post.json"), spec(&paths, SLEEP)).unwrap();
    let out = new_from_spec(tmp.path(), "acme", "post.json", &[]);
    assert!(
        stderr(&out).contains(
            "Warning POST /sleep: the spec gives no JSON request body; its body is typed as serde_json::Value"
        ),
        "{}",
        stderr(&out)
    );
    let read = |path: &str| {
        let text = std::fs::read_to_string(tmp.path().join("tento-acme").join(path)).unwrap();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let api = read("src/api/sleep.rs");
    assert!(api.contains("pub type CreateBody = serde_json::Value;"), "{api}");
    assert!(
        api.contains("pub async fn create(client: &Client, body: &CreateBody) -> anyhow::Result<()>"),
        "{api}"
    );
    assert!(!api.contains("created_record"), "{api}");
    let row = read("src/connector/sleep/mod.rs");
    assert!(
        row.contains("// The API's answer holds no record: the cell is stored as sent. api::create(&ctx.client.http, &body).await?;"),
        "{row}"
    );
}

/// oura.json without its heartrate listing, written to `dir/oura.json`: the spec as it
/// was before the API gained that operation.
fn oura_without_heartrate(dir: &Path) {
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(specs().join("oura.json")).unwrap()).unwrap();
    let paths = spec["paths"].as_object_mut().unwrap();
    assert!(paths.remove("/v2/usercollection/heartrate").is_some());
    std::fs::write(dir.join("oura.json"), spec.to_string()).unwrap();
}

/// A provider crate no host loads, made from oura.json without its heartrate listing
/// with `new … extra`: the temporary directory (holding the spec) and the crate.
fn oura_before_heartrate(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    oura_without_heartrate(tmp.path());
    new_oura(tmp, extra)
}

#[test]
fn sync_adds_and_wires_the_row_of_an_operation_the_spec_gained() {
    let tmp = tempfile::tempdir().unwrap();
    oura_without_heartrate(tmp.path());
    for args in [
        &["-q", "init", "h"][..],
        &[
            "-q",
            "new",
            "oura",
            "--host",
            "h",
            "--from-openapi",
            "oura.json",
            "--sync-plugin=provider-only",
        ],
    ] {
        let out = scaffold(tmp.path(), args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    let host = tmp.path().join("h");
    let dir = host.join("tento-oura");
    assert!(!dir.join("src/api/heartrate.rs").exists());
    // The user's own row, edited: a sync never rewrites it.
    let mine = dir.join("src/connector/daily_sleep/mod.rs");
    let edited = std::fs::read_to_string(&mine).unwrap() + "// mine\n";
    std::fs::write(&mine, &edited).unwrap();
    // The API gains the heartrate listing.
    std::fs::copy(specs().join("oura.json"), tmp.path().join("oura.json")).unwrap();

    let before = snapshot(&host);
    let dry = scaffold(&dir, &["openapi", "sync", "--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert_eq!(snapshot(&host), before, "a dry run writes nothing");
    assert!(
        stderr(&dry).contains("row heartrate is new: src/connector/heartrate/ calls crate::api::heartrate"),
        "{}",
        stderr(&dry)
    );
    let diff = String::from_utf8_lossy(&dry.stdout);
    let touched: Vec<&str> = diff.lines().filter_map(|l| l.strip_prefix("+++ b/")).collect();
    assert_eq!(
        touched,
        [
            "tento-oura/src/api/heartrate.rs",
            "tento-oura/src/api/mod.rs",
            "tento-oura/src/api/types.rs",
            "tento-oura/src/api/offline.rs",
            "tento-oura/src/connector/heartrate/mod.rs",
            "tento-oura/src/connector/mod.rs",
            "host/src/rowkeys.rs",
            "host/src/lib.rs",
        ],
        "{diff}"
    );
    for line in [
        "+use crate::api::heartrate as api;",
        "+pub mod heartrate;",
        "+            \":heartrate\" { get list sync }",
        "+    orchestrator.register_row_with_sync::<tento_oura::connector::heartrate::Heartrate>(",
    ] {
        assert!(diff.lines().any(|l| l == line), "no {line:?} in\n{diff}");
    }

    let apply = scaffold(&dir, &["openapi", "sync"]);
    assert!(apply.status.success(), "{}", stderr(&apply));
    assert_eq!(
        std::fs::read_to_string(&mine).unwrap(),
        edited,
        "the user's row is theirs"
    );
    let row = std::fs::read_to_string(dir.join("src/connector/heartrate/mod.rs")).unwrap();
    assert!(row.contains("api::pages(&ctx.client.http"), "{row}");
    assert_eq!(tento_scaffold::openapi::drift(&dir), None);
    let check = scaffold(&host, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    let parsed = tento_scaffold::host::Host::read(&host).unwrap();
    let inventory = tento_scaffold::inventory::Inventory::read(&parsed).unwrap();
    assert_eq!(tento_scaffold::check::check(&parsed, &inventory).len(), 0);
    let routes: Vec<&str> = inventory.routes.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        routes,
        [":~oura:{authId}:daily_sleep", ":~oura:{authId}:heartrate"]
    );

    let after = snapshot(&host);
    let again = scaffold(&dir, &["openapi", "sync"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stderr(&again).contains("nothing to change"), "{}", stderr(&again));
    assert!(!stderr(&again).contains("is new"), "{}", stderr(&again));
    assert_eq!(snapshot(&host), after, "a second sync is a no-op");
}

#[test]
fn sync_adds_the_rows_to_a_crate_no_host_loads() {
    let (tmp, dir) = oura_before_heartrate(&[]);
    // The API gains two listings at once: heartrate, and spo2 shaped like it.
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(specs().join("oura.json")).unwrap()).unwrap();
    let mut spo2 = spec["paths"]["/v2/usercollection/heartrate"].clone();
    spo2["get"]["operationId"] = "multiple_spo2_documents".into();
    spec["paths"]["/v2/usercollection/spo2"] = spo2;
    std::fs::write(tmp.path().join("oura.json"), spec.to_string()).unwrap();
    let before = snapshot(&dir);

    let apply = scaffold(&dir, &["openapi", "sync"]);
    assert!(apply.status.success(), "{}", stderr(&apply));
    assert!(
        stderr(&apply).contains("no host loads this crate"),
        "{}",
        stderr(&apply)
    );
    let after = snapshot(&dir);
    let created: Vec<&str> = after
        .iter()
        .filter(|(f, _)| !before.iter().any(|(b, _)| b == f))
        .map(|(f, _)| f.as_str())
        .collect();
    assert_eq!(
        created,
        [
            "src/api/heartrate.rs",
            "src/api/spo2.rs",
            "src/connector/heartrate/mod.rs",
            "src/connector/spo2/mod.rs"
        ]
    );
    // Both declared: the second row's declaration builds on the first's.
    let connector = std::fs::read_to_string(dir.join("src/connector/mod.rs")).unwrap();
    assert!(
        connector.contains("pub mod daily_sleep;\npub mod heartrate;\npub mod spo2;\n"),
        "{connector}"
    );
    let again = scaffold(&dir, &["openapi", "sync"]);
    assert!(stderr(&again).contains("nothing to change"), "{}", stderr(&again));
}

#[test]
fn a_full_sync_plugin_pages_each_row_through_the_generated_listing() {
    let (tmp, dir) = oura_before_heartrate(&["--sync-plugin"]);
    let executor = std::fs::read_to_string(dir.join("src/sync_plugin/executor.rs")).unwrap();
    assert!(
        executor.contains("crate::api::listing(&client, self.metric, part.start, part.end)"),
        "{executor}"
    );
    assert!(
        !executor.contains("client.pages("),
        "the hand-written client's: {executor}"
    );
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("\"dep:async-trait\""), "{manifest}");
    let listing = |dir: &Path| {
        let api = std::fs::read_to_string(dir.join("src/api/mod.rs")).unwrap();
        api.lines()
            .filter_map(|l| Some(l.trim().strip_prefix('"')?.split_once("\" => Some((")?.0))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(listing(&dir), ["daily_sleep"]);

    // The spec gains a row: the generated listing reaches it, and the executor (the
    // user's file) is left as it is.
    std::fs::copy(specs().join("oura.json"), tmp.path().join("oura.json")).unwrap();
    let sync = scaffold(&dir, &["-q", "openapi", "sync"]);
    assert!(sync.status.success(), "{}", stderr(&sync));
    assert_eq!(listing(&dir), ["daily_sleep", "heartrate"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("src/sync_plugin/executor.rs")).unwrap(),
        executor
    );
}
