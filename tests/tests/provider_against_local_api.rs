//! A scaffolded provider against a real API, end to end: `init` a host, `new acme` into
//! it, and sync two of an account's rows through the host's own code against a server on
//! 127.0.0.1 that behaves as real APIs do. It pages by cursor, answers `429` with
//! `Retry-After`, enforces a rate limit, honours each access token for a few requests
//! only (then `401`, as an expired token), hands the host a stale token to begin with,
//! rotates refresh tokens and refuses one presented twice.
//!
//! The account is pointed at the server at run time, by the `base_url` and `token_url`
//! of its stored credential, so the provider is built once with its default URLs. The
//! sync runs in a binary of the host (not its tests, which build providers with their
//! `offline` feature), written by this test on the host's public surface: `Host`,
//! `HostUserAuth::connect`, `Host::sync`, the store, and the `TokenStore` that
//! `UserAuth::token_store` hands out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tento::chrono::NaiveDate;
use tento::http::local::{Incoming, Reply, Server};
use tento_tests::{cargo_ok, use_checkout_lock, workspace_root};

/// Records a page.
const PAGE: usize = 20;
/// Requests the server answers per access token before it calls the token expired.
const USES_PER_TOKEN: usize = 12;
/// The server's rate limit: API requests in any trailing second. The provider declares
/// `REQUESTS_PER_SECOND = 10`; the slack absorbs requests that leave the client on time
/// and reach the server late, on a loaded machine.
const LIMIT_PER_SECOND: usize = 15;
/// The traffic bound: past this many API requests the server answers `400`, so a client
/// that loops fails the test instead of running on (a full sync takes about 50).
const MAX_API_REQUESTS: usize = 300;
/// The API request (counted from 0) answered `429` with `Retry-After: 1`, once.
const THROTTLED: usize = 3;

/// What the server did, for the test to check.
#[derive(Default)]
struct Api {
    /// The refresh token the server accepts next; each one is accepted once.
    live_refresh: String,
    /// Refreshes granted.
    issued: usize,
    /// Every refresh token presented, in order.
    presented: Vec<String>,
    /// Refresh tokens refused (spent or unknown).
    refused: Vec<String>,
    /// Requests served with each access token.
    uses: BTreeMap<String, usize>,
    /// Ids of the records served, per metric, with how many times each was served.
    served: BTreeMap<String, BTreeMap<String, usize>>,
    /// When each API request (not token requests) arrived, and its status.
    api_requests: Vec<(Instant, u16)>,
    /// `401`s for an access token that was stale, unknown or used up.
    unauthorized: usize,
    /// `429`s for going over [`LIMIT_PER_SECOND`].
    over_limit: usize,
}

impl Api {
    fn answer(&mut self, r: &Incoming) -> Reply {
        if r.path == "/oauth/token" {
            return self.token(r);
        }
        let reply = self.api(r);
        let status = match &reply {
            Reply::Respond { status, .. } => *status,
            _ => 0,
        };
        self.api_requests.push((r.at, status));
        reply
    }

    /// The token endpoint (RFC 6749 §6): each refresh token works once.
    fn token(&mut self, r: &Incoming) -> Reply {
        let form = form(&r.body);
        if r.method != "POST" || form.get("grant_type").map(String::as_str) != Some("refresh_token") {
            return Reply::with(400, "application/json", r#"{"error":"unsupported_grant_type"}"#);
        }
        let presented = form.get("refresh_token").cloned().unwrap_or_default();
        self.presented.push(presented.clone());
        if presented != self.live_refresh {
            self.refused.push(presented);
            let body = r#"{"error":"invalid_grant","error_description":"refresh token spent or unknown"}"#;
            return Reply::with(400, "application/json", body);
        }
        self.issued += 1;
        let n = self.issued;
        self.live_refresh = format!("refresh-{n}");
        self.uses.insert(format!("access-{n}"), 0);
        Reply::json(serde_json::json!({
            "access_token": format!("access-{n}"),
            "token_type": "Bearer",
            "expires_in": 3600,
            "refresh_token": self.live_refresh,
        }))
    }

    /// `GET /<metric>?start=…&end=…[&cursor=…]`: one record a day, [`PAGE`] a page.
    fn api(&mut self, r: &Incoming) -> Reply {
        let n = self.api_requests.len();
        if n >= MAX_API_REQUESTS {
            return Reply::with(400, "text/plain", "traffic bound of the test reached");
        }
        if n == THROTTLED {
            return Reply::with(429, "text/plain", "slow down").header("retry-after", "1");
        }
        let second_ago = r.at.checked_sub(Duration::from_secs(1));
        let in_last_second = self
            .api_requests
            .iter()
            .filter(|(at, _)| second_ago.is_none_or(|s| *at > s))
            .count();
        if in_last_second >= LIMIT_PER_SECOND {
            self.over_limit += 1;
            return Reply::with(429, "text/plain", "rate limit").header("retry-after", "1");
        }
        let token = r.header("authorization").and_then(|v| v.strip_prefix("Bearer "));
        let Some(uses) = token.and_then(|t| self.uses.get_mut(t)) else {
            self.unauthorized += 1;
            return Reply::with(401, "application/json", r#"{"error":"invalid_token"}"#);
        };
        if *uses >= USES_PER_TOKEN {
            self.unauthorized += 1;
            let body = r#"{"error":"invalid_token","error_description":"expired"}"#;
            return Reply::with(401, "application/json", body);
        }
        *uses += 1;
        let metric = r.path.trim_start_matches('/');
        let day = |name| r.query(name).and_then(|d| d.parse::<NaiveDate>().ok());
        let (Some(start), Some(end)) = (day("start"), day("end")) else {
            return Reply::with(400, "text/plain", "`start` and `end` are required days");
        };
        let skip: usize = r.query("cursor").and_then(|c| c.parse().ok()).unwrap_or(0);
        let days: Vec<NaiveDate> = start
            .iter_days()
            .take_while(|d| *d <= end)
            .skip(skip)
            .take(PAGE + 1)
            .collect();
        let page = &days[..days.len().min(PAGE)];
        let served = self.served.entry(metric.to_owned()).or_default();
        let records: Vec<_> = page
            .iter()
            .map(|date| {
                let id = format!("{metric}-{}", date.format("%Y%m%d"));
                *served.entry(id.clone()).or_default() += 1;
                serde_json::json!({ "id": id, "date": date, "value": 1.5 })
            })
            .collect();
        let next = (days.len() > PAGE).then(|| (skip + PAGE).to_string());
        Reply::json(serde_json::json!({ "data": records, "next_cursor": next }))
    }
}

/// A form-encoded body's fields (the values here need no decoding).
fn form(body: &[u8]) -> BTreeMap<String, String> {
    String::from_utf8_lossy(body)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// The host binary this test adds: connects account `acct` with a stale access token
/// and refresh token `refresh-0`, pointed at the server by its credential, syncs
/// `activities`, then `sleep`, and prints each row's cell ids and the refresh token the
/// host's token store ends holding.
const SYNC_AGAINST: &str = r#"//! Written by tento's end-to-end test: syncs an account against the API at argv[1].

use std::sync::Arc;

use host::{Host, HostUserAuth};
use tento::connector::{Owner, UserAuth};
use tento::oauth::AccountKey;

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let api = std::env::args().nth(1).expect("the API's URL");
    let host = Host::temporary()?;
    let mut user = HostUserAuth::new(Owner(uuid::Uuid::from_u128(42)));
    user.connect(
        "acme",
        "acct",
        serde_json::json!({
            "credentials": {
                "client_id": "tento-e2e",
                "account": "acct",
                "base_url": api,
                "token_url": format!("{api}/oauth/token"),
            },
            "token": {
                "access_token": "stale",
                "refresh_token": "refresh-0",
                "expires_at": "2020-01-01T00:00:00Z",
            },
        }),
    );
    let user = Arc::new(user);
    for row in ["activities", "sleep"] {
        let key = format!(":~acme:acct:{row}");
        let report = host.sync(user.clone(), std::slice::from_ref(&key)).await?;
        anyhow::ensure!(report.is_success(), "{row} did not sync: {report:?}");
        for cell in host.store.cells(user.owner().row_id(&key), None).await? {
            println!("cell {row} {}", cell.id.unwrap_or_default());
        }
    }
    let store = user.token_store().expect("the host stores tokens");
    let tokens = store
        .load(&AccountKey::new(user.owner(), "acme", "acct"))
        .await?
        .expect("the account's tokens are stored");
    println!("refresh token {}", tokens.refresh_token.unwrap_or_default());
    Ok(())
}
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scaffolded_provider_syncs_every_record_once_against_a_rotating_rate_limited_api() {
    let api = Arc::new(Mutex::new(Api {
        live_refresh: "refresh-0".into(),
        ..Api::default()
    }));
    let state = api.clone();
    let server = Server::start(move |r| state.lock().unwrap_or_else(PoisonError::into_inner).answer(r)).await;
    let url = server.url();

    // Building the host takes minutes: on a blocking thread, while the server serves.
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let stdout = tokio::task::spawn_blocking(move || scaffold_build_and_sync(&ws, &url))
        .await
        .unwrap();
    drop(tmp);
    drop(server);
    let api = api.lock().unwrap_or_else(PoisonError::into_inner);
    let report = format!(
        "refreshes {}, presented {:?}, refused {:?}, 401s {}, over the limit {}, requests {}",
        api.issued,
        api.presented,
        api.refused,
        api.unauthorized,
        api.over_limit,
        api.api_requests.len()
    );

    // Every record the API served landed in the host's store, once each.
    let mut stored: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("cell ") {
            let (row, id) = rest.split_once(' ').unwrap();
            stored.entry(row).or_default().push(id);
        }
    }
    for row in ["activities", "sleep"] {
        let ids = stored.get(row).cloned().unwrap_or_default();
        let distinct: BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(distinct.len(), ids.len(), "{row}: a record stored twice");
        let served: BTreeSet<&str> = api.served[row].keys().map(String::as_str).collect();
        assert_eq!(distinct, served, "{row}: the store holds exactly what was served");
        // The backfill stage's year, one record a day: every page was followed.
        assert!(served.len() >= 365, "{row}: {} records", served.len());
    }

    // The stale token was refreshed, and each used-up access token was refreshed once:
    // every refresh presented the token the one before issued, none was refused, so
    // the host stored every rotated token before using it (across both syncs).
    assert!(api.issued >= 3, "{report}");
    let chain: Vec<String> = (0..api.issued).map(|n| format!("refresh-{n}")).collect();
    assert_eq!(api.presented, chain, "{report}");
    assert!(api.refused.is_empty(), "{report}");
    assert!(
        api.unauthorized >= 2,
        "the stale token and used-up ones were refused: {report}"
    );
    // The host ends holding the newest set: the next sync would refresh with it.
    let held = stdout
        .lines()
        .find_map(|l| l.strip_prefix("refresh token "))
        .unwrap_or_else(|| panic!("no `refresh token` line:\n{stdout}"));
    assert_eq!(held, api.live_refresh, "{report}");

    // The `429` was waited out for the second its `Retry-After` asked.
    let (throttled_at, status) = api.api_requests[THROTTLED];
    assert_eq!(status, 429);
    let (next_at, _) = api.api_requests[THROTTLED + 1];
    assert!(
        next_at.duration_since(throttled_at) >= Duration::from_millis(950),
        "retried {:?} after `Retry-After: 1`",
        next_at.duration_since(throttled_at)
    );
    // The client spaces its requests by the limit it declares, so the server's limit
    // (with its slack) is never what stops it.
    assert_eq!(api.over_limit, 0, "{report}");
}

/// `init`, `new acme`, the binary written, built and run against `url`; its stdout.
fn scaffold_build_and_sync(ws: &Path, url: &str) -> String {
    let tento = workspace_root().join("tento");
    let scaffold = |args: &[&str]| {
        let argv = std::iter::once("tento-scaffold").chain(args.iter().copied());
        let code = tento_scaffold::cli::run(argv.map(Into::into));
        assert_eq!(code, std::process::ExitCode::SUCCESS, "tento-scaffold {args:?}");
    };
    let ws_arg = ws.to_str().unwrap();
    scaffold(&["init", ws_arg, "--tento-path", tento.to_str().unwrap()]);
    scaffold(&[
        "new",
        "acme",
        "--host",
        ws_arg,
        "--rows",
        "activities,sleep",
        "--sync-plugin",
    ]);
    use_checkout_lock(ws).unwrap();
    let bin = ws.join("host/src/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(bin.join("sync_against.rs"), SYNC_AGAINST).unwrap();
    // The run is bounded by the server: a bounded number of requests, each answered at
    // once, and the client's retry budget.
    cargo_ok(
        ws,
        &["run", "-q", "-p", "host", "--bin", "sync_against", "--", url],
    )
    .unwrap_or_else(|e| panic!("{e}"))
}
