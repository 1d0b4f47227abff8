//! The provider written with the macros (`tento-myprovider-macros`, kind
//! `mymacroprovider`), loaded beside the by-hand one: auth through the registry, both
//! sync paths, reads, routing and the boot check.

#[path = "support/expected.rs"]
mod expected;
#[path = "support/fakes.rs"]
mod fakes;

use std::collections::HashSet;
use std::sync::Arc;

use expected::{expected_ids, ids};
use tento::connector::*;
use tento::testing::{FakeRowKeyDeps, FakeUserAuth};
use tento_example_host::{Host, HostAuthKinds, HostUserAuth, RowKeys};
use tento_myprovider::connector::MyProviderBackendDeps;
use tento_myprovider_macros::connector::activities::Activities;
use tento_myprovider_macros::connector::{MyMacroProviderAuth, MyMacroProviderParams};

const KEY: &str = ":~mymacroprovider:acct-1:activities";
const BY_HAND_KEY: &str = ":~myprovider:acct-1:activities";

fn stored() -> serde_json::Value {
    serde_json::json!({
        "credentials": { "client_id": "c", "account": "Ada's watch" },
        "token": { "access_token": "tok" }
    })
}

/// A user who connected the same account under both providers' kinds.
fn user() -> Arc<HostUserAuth> {
    let mut user = HostUserAuth::new(Owner(uuid::Uuid::from_u128(11)));
    user.connect("mymacroprovider", "acct-1", stored());
    user.connect("myprovider", "acct-1", stored());
    Arc::new(user)
}

#[tokio::test]
async fn the_orchestrator_syncs_both_providers_rows_into_the_store() {
    let host = Host::boot().unwrap();
    let user = user();
    let report = host
        .sync(user.clone(), &[KEY.to_owned(), BY_HAND_KEY.to_owned()])
        .await
        .unwrap();
    assert!(report.is_success(), "{report:?}");
    let labels: HashSet<_> = report.rows.iter().map(|r| r.row_label).collect();
    assert_eq!(
        labels,
        HashSet::from(["mymacroprovider-activities", "myprovider-activities"])
    );

    let ours = host.store.row(user.owner().row_id(KEY));
    let theirs = host.store.row(user.owner().row_id(BY_HAND_KEY));
    assert_eq!(ids(&ours), expected_ids("backfill").await);
    assert_eq!(
        ours, theirs,
        "the same account synced by either provider lands the same cells"
    );

    let again = host.sync(user.clone(), &[KEY.to_owned()]).await.unwrap();
    assert_eq!(
        again.rows[0].stages[1].outcome,
        tento::sync::StageOutcome::Synced(0)
    );
}

#[tokio::test]
async fn a_sync_request_runs_the_macro_rows_own_sync_and_reads_come_from_the_store() {
    let host = Host::boot().unwrap();
    let user = user();
    let ctx = host.ctx(&*user);
    let synced = RowKeys::dispatch(
        KEY,
        Request::Sync {
            stage: "viewport".into(),
        },
        &ctx,
    )
    .await
    .unwrap();
    assert_eq!(synced, Response::Synced(expected_ids("viewport").await.len()));

    let Response::Cells(cells) = RowKeys::dispatch(KEY, Request::List { range: None }, &ctx)
        .await
        .unwrap()
    else {
        panic!("list answers cells")
    };
    assert_eq!(ids(&cells), expected_ids("viewport").await);
    let got = RowKeys::dispatch(
        KEY,
        Request::Get {
            cell_id: cells[0].id.clone().unwrap(),
        },
        &ctx,
    )
    .await
    .unwrap();
    assert_eq!(got, Response::Cell(Some(cells[0].clone())));

    let post = RowKeys::dispatch(
        KEY,
        Request::Post {
            cell: cells[0].clone(),
        },
        &ctx,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            post.kind,
            DispatchErrorKind::Resolve(ResolveError::VerbNotAllowed { .. })
        ),
        "{post}"
    );
}

#[tokio::test]
async fn routing_and_lookup_keys_agree_and_a_stranger_gets_the_providers_auth_error() {
    let m = RowKeys::resolve(KEY).unwrap();
    assert_eq!(m.params.get("authId"), Some("acct-1"));
    assert_eq!(RowKeys::schemas()[m.route].row_label, Activities::ROW_LABEL);
    let key = Activities::lookup_key(
        &MyMacroProviderParams {
            auth_id: "acct-1".into(),
        },
        &(),
    );
    assert_eq!(key, KEY);
    assert!(RowKeys::resolve(":~mymacroprovider::activities").is_err());

    let host = Host::boot().unwrap();
    let stranger = HostUserAuth::new(Owner(uuid::Uuid::from_u128(12)));
    let err = RowKeys::dispatch(KEY, Request::List { range: None }, &host.ctx(&stranger))
        .await
        .unwrap_err();
    assert!(matches!(err.kind, DispatchErrorKind::Client(_)));
    assert!(err.to_string().contains("no mymacroprovider auth"), "{err}");
}

#[tokio::test]
async fn the_auth_registry_decodes_lists_and_displays_both_kinds() {
    let user = user();
    let auth = user.auth::<MyMacroProviderAuth>("acct-1").await.unwrap().unwrap();
    assert_eq!(auth.credentials.account, "Ada's watch");

    let kinds: Vec<_> = HostAuthKinds::KINDS.iter().map(|k| k.kind).collect();
    assert_eq!(
        kinds[..2],
        ["myprovider", "mymacroprovider"],
        "each provider added later follows"
    );
    // Only the macro provider declares metadata; the by-hand one is listed by kind alone.
    let listed: Vec<_> = HostAuthKinds::providers()
        .map(|p| (p.id, p.name, p.key_prefix))
        .collect();
    assert_eq!(
        listed[0],
        (
            "mymacroprovider",
            "My Macro Provider",
            ":~mymacroprovider:{authId}"
        )
    );

    let shown = HostAuthKinds::display("mymacroprovider", "acct-1", stored()).unwrap();
    assert_eq!(
        (shown.provider, shown.account.as_str()),
        ("My Macro Provider", "Ada's watch")
    );
    let by_hand = HostAuthKinds::display("myprovider", "acct-1", stored()).unwrap();
    assert_eq!(
        (by_hand.provider, by_hand.account.as_str()),
        ("myprovider", "acct-1")
    );
}

#[test]
fn the_boot_check_names_the_macro_providers_deps_when_forgotten() {
    let mut integrations = IntegrationDeps::new();
    let fake = FakeRowKeyDeps::new().with_stub::<dyn MyProviderBackendDeps>();
    integrations
        .register::<dyn MyProviderBackendDeps>(fake.deps.expect::<dyn MyProviderBackendDeps>().clone());
    let err = integrations
        .ensure_all_registered(RowKeys::schemas())
        .unwrap_err();
    let names: Vec<_> = err.names().collect();
    assert!(
        names.contains(&"dyn tento_myprovider_macros::connector::MyMacroProviderBackendDeps"),
        "{names:?}"
    );
    assert!(
        !names.contains(&"dyn tento_myprovider::connector::MyProviderBackendDeps"),
        "{names:?}"
    );
    assert!(
        err.to_string().contains(":~mymacroprovider:{authId}:activities"),
        "{err}"
    );
}

#[tokio::test]
async fn the_macro_providers_stub_deps_let_a_test_dispatch_without_the_host() {
    let creds: <MyMacroProviderAuth as AuthProvider>::Credentials = serde_json::from_value(stored()).unwrap();
    let fake = fakes::fake_row_key_deps()
        .with_user(FakeUserAuth::new().with::<MyMacroProviderAuth>("acct-1", creds));
    fake.deps.ensure_all_registered(RowKeys::schemas()).unwrap();
    let answer = RowKeys::dispatch(
        KEY,
        Request::Sync {
            stage: "viewport".into(),
        },
        &fake.ctx(),
    )
    .await
    .unwrap();
    assert_eq!(answer, Response::Synced(expected_ids("viewport").await.len()));
}
