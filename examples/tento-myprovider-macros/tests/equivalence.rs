//! The "done when": the provider written with the macros and the one written by
//! hand agree, up to their kinds, on lookup keys, labels, sync shapes, params, client
//! errors and the cells a sync persists.

use futures::executor::block_on;
use tento::connector::*;
use tento::host::{dispatch_row, match_pattern, parse_params};
use tento::oauth::{Auth, TokenSet};
use tento::testing::{FakeRowKeyDeps, FakeUserAuth};
use tento_myprovider::connector as by_hand;
use tento_myprovider::oauth::MyProviderOAuthCredentials;
use tento_myprovider_macros::connector as macros;

/// The macro provider's text with its kind put back to the by-hand one's.
fn as_by_hand(text: &str) -> String {
    text.replace("mymacroprovider", "myprovider")
}

fn credential(access_token: &str, expired: bool) -> Auth<MyProviderOAuthCredentials> {
    Auth {
        credentials: MyProviderOAuthCredentials {
            client_id: "c".into(),
            account: "acct-1".into(),
            token_url: None,
        },
        token: TokenSet {
            access_token: access_token.into(),
            refresh_token: None,
            expires_at: expired
                .then(|| tento::chrono::today().and_hms_opt(0, 0, 0).unwrap().and_utc() - chrono_days(2)),
        },
    }
}

fn chrono_days(n: i64) -> std::time::Duration {
    std::time::Duration::from_secs(u64::try_from(n).unwrap() * 86_400)
}

#[test]
fn lookup_keys_labels_shapes_and_served_verbs_agree() {
    for auth_id in ["acct-1", "x", "a.b-c_d"] {
        let theirs = by_hand::activities::Activities::lookup_key(
            &by_hand::MyProviderParams {
                auth_id: auth_id.into(),
            },
            &(),
        );
        let ours = macros::activities::Activities::lookup_key(
            &macros::MyMacroProviderParams {
                auth_id: auth_id.into(),
            },
            &(),
        );
        assert_eq!(as_by_hand(&ours), theirs);
    }
    assert_eq!(
        as_by_hand(macros::activities::Activities::ROW_LABEL),
        by_hand::activities::Activities::ROW_LABEL
    );
    assert_eq!(
        macros::activities::Activities::sync_shape(),
        by_hand::activities::Activities::sync_shape()
    );
    // The by-hand row declares nothing; the macro row declares what the host's route lists.
    assert_eq!(by_hand::activities::Activities::SERVES, None);
    assert_eq!(
        macros::activities::Activities::SERVES,
        Some(&[Verb::Get, Verb::List, Verb::Sync][..])
    );
    assert_eq!(
        <macros::MyMacroProviderAuth as AuthProvider>::KIND,
        macros::MY_MACRO_PROVIDER_ID
    );
}

#[test]
fn params_parse_from_the_same_placeholders() {
    let key = ":~mymacroprovider:acct-9:activities";
    let params = match_pattern(tento_myprovider_macros::sync_plugin::ACTIVITIES_KEY, key).unwrap();
    let ours: macros::MyMacroProviderParams = parse_params(&params).unwrap();
    let theirs: by_hand::MyProviderParams = parse_params(&params).unwrap();
    assert_eq!(ours.auth_id, theirs.auth_id);
    assert_eq!(ours.auth_id, "acct-9");
}

/// Both clients, built through each provider's `Integration::client`; `Err` as text.
fn clients(user: &FakeUserAuth) -> (Result<(), String>, Result<(), String>) {
    let fake = FakeRowKeyDeps::new()
        .with_stub::<dyn by_hand::MyProviderBackendDeps>()
        .with_stub::<dyn macros::MyMacroProviderBackendDeps>();
    let theirs = block_on(by_hand::MyProvider::client(
        user,
        &**fake.deps.expect::<dyn by_hand::MyProviderBackendDeps>(),
        &by_hand::MyProviderParams {
            auth_id: "acct-1".into(),
        },
    ));
    let ours = block_on(macros::MyMacroProvider::client(
        user,
        &**fake.deps.expect::<dyn macros::MyMacroProviderBackendDeps>(),
        &macros::MyMacroProviderParams {
            auth_id: "acct-1".into(),
        },
    ));
    (
        ours.map(drop).map_err(|e| as_by_hand(&format!("{e:#}"))),
        theirs.map(drop).map_err(|e| format!("{e:#}")),
    )
}

#[test]
fn client_errors_agree() {
    let (ours, theirs) = clients(&FakeUserAuth::new());
    assert_eq!(ours, theirs);
    assert_eq!(theirs, Err("no myprovider auth".to_owned()));

    let expired = FakeUserAuth::new()
        .with::<by_hand::MyProviderAuth>("acct-1", credential("old", true))
        .with::<macros::MyMacroProviderAuth>("acct-1", credential("old", true));
    let (ours, theirs) = clients(&expired);
    assert_eq!(ours, theirs);
    assert!(theirs.unwrap_err().contains("reconnect"));

    let wrong_type = FakeUserAuth::new()
        .with_raw("myprovider", "acct-1", 7_u8)
        .with_raw("mymacroprovider", "acct-1", 7_u8);
    let (ours, theirs) = clients(&wrong_type);
    assert_eq!(ours, theirs);
    assert!(theirs.unwrap_err().contains("is not a"));

    let connected = FakeUserAuth::new()
        .with::<by_hand::MyProviderAuth>("acct-1", credential("tok", false))
        .with::<macros::MyMacroProviderAuth>("acct-1", credential("tok", false));
    assert_eq!(clients(&connected), (Ok(()), Ok(())));
}

#[test]
fn a_sync_persists_the_same_cells() {
    let fake = FakeRowKeyDeps::new()
        .with_stub::<dyn by_hand::MyProviderBackendDeps>()
        .with_stub::<dyn macros::MyMacroProviderBackendDeps>()
        .with_user(
            FakeUserAuth::new()
                .with::<by_hand::MyProviderAuth>("acct-1", credential("tok", false))
                .with::<macros::MyMacroProviderAuth>("acct-1", credential("tok", false)),
        );
    let ctx = fake.ctx();
    let mut params = tento::host::RouteParams::new();
    params.push("authId", "acct-1");
    let (theirs_key, ours_key) = (
        ":~myprovider:acct-1:activities",
        ":~mymacroprovider:acct-1:activities",
    );
    for stage in ["viewport", "backfill"] {
        let sync = || Request::Sync { stage: stage.into() };
        let theirs = block_on(dispatch_row::<by_hand::activities::Activities>(
            theirs_key,
            params,
            sync(),
            &ctx,
        ))
        .unwrap();
        let ours = block_on(dispatch_row::<macros::activities::Activities>(
            ours_key,
            params,
            sync(),
            &ctx,
        ))
        .unwrap();
        assert_eq!(ours, theirs, "stage {stage}");
    }
    let owner = fake.user.owner();
    let theirs = fake.store.row(owner.row_id(theirs_key));
    let ours = fake.store.row(owner.row_id(ours_key));
    assert!(theirs.len() > 200, "a year of activities, two days in three");
    assert_eq!(ours, theirs);

    // Reads of a synced row come from the store, the same way.
    let id = ours[0].id.clone().unwrap();
    let get = |key| {
        let request = Request::Get { cell_id: id.clone() };
        block_on(async {
            match key {
                k if k == ours_key => {
                    dispatch_row::<macros::activities::Activities>(k, params, request, &ctx).await
                }
                k => dispatch_row::<by_hand::activities::Activities>(k, params, request, &ctx).await,
            }
        })
        .unwrap()
    };
    assert_eq!(get(ours_key), get(theirs_key));
    assert_eq!(get(ours_key), Response::Cell(Some(ours[0].clone())));
}

#[test]
fn unsupported_verbs_fail_the_same_way() {
    let fake = FakeRowKeyDeps::new()
        .with_stub::<dyn by_hand::MyProviderBackendDeps>()
        .with_stub::<dyn macros::MyMacroProviderBackendDeps>()
        .with_user(
            FakeUserAuth::new()
                .with::<by_hand::MyProviderAuth>("acct-1", credential("tok", false))
                .with::<macros::MyMacroProviderAuth>("acct-1", credential("tok", false)),
        );
    let ctx = fake.ctx();
    let mut params = tento::host::RouteParams::new();
    params.push("authId", "acct-1");
    let delete = || Request::Delete { cell_id: "x".into() };
    let theirs = block_on(dispatch_row::<by_hand::activities::Activities>(
        ":~myprovider:acct-1:activities",
        params,
        delete(),
        &ctx,
    ))
    .unwrap_err();
    let ours = block_on(dispatch_row::<macros::activities::Activities>(
        ":~mymacroprovider:acct-1:activities",
        params,
        delete(),
        &ctx,
    ))
    .unwrap_err();
    let (DispatchErrorKind::Unsupported(theirs), DispatchErrorKind::Unsupported(ours)) =
        (theirs.kind, ours.kind)
    else {
        panic!("both answer Unsupported")
    };
    assert_eq!(as_by_hand(ours.row), theirs.row);
    assert_eq!(ours.verb, theirs.verb);
}
