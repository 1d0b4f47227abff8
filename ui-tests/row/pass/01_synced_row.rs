//! DESIGN.md's row: a synced row with stages and an `async fn sync`. The label comes
//! from the key; it serves `get` and `list` (from the store) and `sync`.
#![deny(warnings, missing_docs)]

use std::sync::Arc;

use futures::future::BoxFuture;
use tento::chrono::{PartialDate, SemanticTime};
use tento::connector::{Cell, CellStore, MemoryCellStore, Request, Response, Row, SyncCtx, SyncShape, Verb};
use tento::host::{RouteParams, dispatch_row};
use tento::oauth::{Auth, AuthHandle, OAuthCredentials, TokenSet};
use tento::testing::{FakeRowKeyDeps, FakeUserAuth, StubDeps};

/// Credential.
#[derive(Clone, serde::Deserialize)]
pub struct Creds;
impl OAuthCredentials for Creds {}

/// Client.
pub struct MyProviderClient;
impl From<AuthHandle<Creds>> for MyProviderClient {
    fn from(_: AuthHandle<Creds>) -> Self {
        MyProviderClient
    }
}

/// Deps.
pub trait MyProviderBackendDeps: Send + Sync {
    /// Persists cells.
    fn persist_cells(&self, row_id: uuid::Uuid, cells: Vec<Cell>) -> BoxFuture<'_, anyhow::Result<usize>>;
}
impl MyProviderBackendDeps for MemoryCellStore {
    fn persist_cells(&self, row_id: uuid::Uuid, cells: Vec<Cell>) -> BoxFuture<'_, anyhow::Result<usize>> {
        self.put(row_id, cells)
    }
}
impl StubDeps for dyn MyProviderBackendDeps {
    fn stub(store: Arc<MemoryCellStore>) -> Arc<Self> {
        store
    }
}

/// Provider.
#[tento::provider(kind = "myprovider", name = "My Provider", deps = dyn MyProviderBackendDeps, credentials = Creds)]
pub struct MyProvider;

/// MyProvider activities.
pub struct Activities;

#[tento::row(provider = MyProvider, key = ":~myprovider:{authId}:activities",
             stages = ["viewport", "backfill"])]
impl Activities {
    async fn sync(ctx: SyncCtx<'_, Self>) -> anyhow::Result<usize> {
        let cell = Cell {
            id: Some(format!("{}-{}", ctx.params.auth_id, ctx.stage)),
            date: SemanticTime::from_partial(PartialDate::Y(2024)),
            end_date: None,
            data: serde_json::json!(ctx.stage),
        };
        ctx.deps.persist_cells(ctx.row_id, vec![cell]).await
    }
}

fn main() {
    assert_eq!(Activities::ROW_LABEL, "myprovider-activities");
    assert_eq!(Activities::SERVES, Some(&[Verb::Get, Verb::List, Verb::Sync][..]));
    assert_eq!(
        Activities::sync_shape(),
        Some(SyncShape { stages: &["viewport", "backfill"], ..Default::default() })
    );
    let key = Activities::lookup_key(&MyProviderParams { auth_id: "a1".into() }, &());
    assert_eq!(key, ":~myprovider:a1:activities");

    let creds = Auth {
        credentials: Creds,
        token: TokenSet { access_token: "t".into(), refresh_token: None, expires_at: None },
    };
    let fake = FakeRowKeyDeps::new()
        .with_stub::<dyn MyProviderBackendDeps>()
        .with_user(FakeUserAuth::new().with::<MyProviderAuth>("a1", creds));
    let mut params = RouteParams::new();
    params.push("authId", "a1");
    let ctx = fake.ctx();
    let run = |request| futures::executor::block_on(dispatch_row::<Activities>(&key, params, request, &ctx));
    assert_eq!(run(Request::Sync { stage: "viewport".into() }).unwrap(), Response::Synced(1));
    let got = run(Request::Get { cell_id: "a1-viewport".into() }).unwrap();
    assert!(matches!(got, Response::Cell(Some(c)) if c.data == "viewport"));
}
