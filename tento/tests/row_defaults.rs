//! Every `Row` default, exercised through dispatch as a host would call it.

mod support;

use support::*;
use tento::connector::*;
use tento::testing::{FakeRowKeyDeps, FakeUserAuth};

fn fake() -> FakeRowKeyDeps {
    let user = FakeUserAuth::new().with::<DemoAuth>("a1", DemoCreds { token: "tok".into() });
    FakeRowKeyDeps::new().with_stub::<dyn DemoDeps>().with_user(user)
}

async fn call(fake: &FakeRowKeyDeps, key: &str, request: Request) -> Result<Response, DispatchError> {
    DemoKeys::dispatch(key, request, &fake.ctx()).await
}

fn unsupported_verb(result: Result<Response, DispatchError>) -> Verb {
    match result {
        Err(DispatchError {
            kind: DispatchErrorKind::Unsupported(u),
            ..
        }) => {
            assert_eq!(u.row, "demo-plain");
            u.verb
        }
        other => panic!("expected an Unsupported error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_row_with_only_required_items_refuses_every_verb_with_a_typed_error() {
    let fake = fake();
    let key = ":~demo:a1:plain";
    let cases = [
        (
            Request::Sync {
                stage: "viewport".into(),
            },
            Verb::Sync,
        ),
        (Request::List { range: None }, Verb::List),
        (Request::Get { cell_id: "x".into() }, Verb::Get),
        (Request::Post { cell: cell("x", 1) }, Verb::Post),
        (
            Request::Patch {
                cell_id: "x".into(),
                data: serde_json::json!(1),
            },
            Verb::Patch,
        ),
        (Request::Delete { cell_id: "x".into() }, Verb::Delete),
    ];
    for (request, verb) in cases {
        assert_eq!(unsupported_verb(call(&fake, key, request).await), verb);
    }
    assert_eq!(Plain::sync_shape(), None);
}

#[tokio::test]
async fn unsupported_errors_name_the_row_and_the_method_to_implement() {
    let err = call(&fake(), ":~demo:a1:plain", Request::Post { cell: cell("x", 1) })
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with(":~demo:a1:plain: "), "{text}");
    assert!(text.contains("does not support `post`"), "{text}");
    assert!(text.contains("Row::post"), "{text}");
}

#[tokio::test]
async fn a_synced_row_reads_its_cells_from_the_store_by_default() {
    let fake = fake();
    let key = ":~demo:a1:synced";
    let synced = call(
        &fake,
        key,
        Request::Sync {
            stage: "backfill".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(synced, Response::Synced(3));

    let Response::Cells(cells) = call(&fake, key, Request::List { range: None }).await.unwrap() else {
        panic!("list answers cells")
    };
    let ids: Vec<_> = cells.iter().filter_map(|c| c.id.as_deref()).collect();
    assert_eq!(ids, ["tok-1", "tok-2", "tok-3"]);

    let in_range = call(
        &fake,
        key,
        Request::List {
            range: Some(tento::chrono::DateRange::new(day(2), day(2))),
        },
    )
    .await;
    assert!(matches!(in_range, Ok(Response::Cells(c)) if c.len() == 1));

    let got = call(
        &fake,
        key,
        Request::Get {
            cell_id: "tok-2".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(got, Response::Cell(Some(cell("tok-2", 2))));
    let missing = call(
        &fake,
        key,
        Request::Get {
            cell_id: "nope".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(missing, Response::Cell(None));
}

#[tokio::test]
async fn the_row_id_is_the_owners_id_for_the_key() {
    let fake = fake();
    call(
        &fake,
        ":~demo:a1:synced",
        Request::Sync {
            stage: "viewport".into(),
        },
    )
    .await
    .unwrap();
    let row_id = fake.user.owner().row_id(":~demo:a1:synced");
    assert_eq!(fake.store.row(row_id).len(), 2);
    assert_ne!(row_id, fake.user.owner().row_id(":~demo:a2:synced"));
}

#[tokio::test]
async fn row_params_are_parsed_from_the_rows_own_placeholders() {
    let answer = call(
        &fake(),
        ":~demo:a1:daily:2024-01-05",
        Request::List { range: None },
    )
    .await
    .unwrap();
    let Response::Cells(cells) = answer else {
        panic!("list answers cells")
    };
    assert_eq!(cells[0].id.as_deref(), Some("a1@2024-01-05"));
    let key = Daily::lookup_key(
        &DemoParams { auth_id: "a1".into() },
        &DailyParams {
            day: "2024-01-05".into(),
        },
    );
    assert_eq!(key, ":~demo:a1:daily:2024-01-05");
}

#[tokio::test]
async fn dispatch_errors_are_typed_and_carry_the_key() {
    let fake = fake();
    let no_route = call(&fake, ":~demo:a1:nothing", Request::List { range: None })
        .await
        .unwrap_err();
    assert!(matches!(
        no_route.kind,
        DispatchErrorKind::Resolve(ResolveError::NoRoute { .. })
    ));
    assert_eq!(no_route.key, ":~demo:a1:nothing");

    let malformed = call(&fake, "demo", Request::List { range: None })
        .await
        .unwrap_err();
    assert!(matches!(
        malformed.kind,
        DispatchErrorKind::Resolve(ResolveError::Malformed { .. })
    ));

    let verb = call(&fake, ":~demo:a1:synced", Request::Delete { cell_id: "x".into() })
        .await
        .unwrap_err();
    match verb.kind {
        DispatchErrorKind::Resolve(ResolveError::VerbNotAllowed { verb, allowed, .. }) => {
            assert_eq!(verb, Verb::Delete);
            assert_eq!(allowed, [Verb::Get, Verb::List, Verb::Sync]);
        }
        other => panic!("expected VerbNotAllowed, got {other:?}"),
    }

    let stage = call(
        &fake,
        ":~demo:a1:synced",
        Request::Sync {
            stage: "later".into(),
        },
    )
    .await
    .unwrap_err();
    assert!(
        matches!(stage.kind, DispatchErrorKind::UnknownStage { .. }),
        "{stage}"
    );

    let no_auth = call(&fake, ":~demo:zz:synced", Request::List { range: None })
        .await
        .unwrap_err();
    assert!(matches!(no_auth.kind, DispatchErrorKind::Client(_)));
    assert!(no_auth.to_string().contains("no demo auth"), "{no_auth}");

    let no_deps = call(&fake, ":~other:a1:row", Request::Get { cell_id: "x".into() })
        .await
        .unwrap_err();
    assert!(matches!(no_deps.kind, DispatchErrorKind::MissingDeps(_)));
    assert!(no_deps.to_string().contains("OtherDeps"), "{no_deps}");
}
