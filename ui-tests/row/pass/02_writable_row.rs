//! A computed, writeable row: it defines `list_cells`, `get`, `post`, `patch` and
//! `delete`, names its label, and keeps its other items in an inherent impl.
#![deny(warnings, missing_docs)]

use tento::chrono::{DateRange, PartialDate, SemanticTime};
use tento::connector::{Cell, Request, Response, Row, RowCtx, Verb};
use tento::host::{RouteParams, dispatch_row};
use tento::oauth::{Auth, AuthHandle, OAuthCredentials, TokenSet};
use tento::testing::{FakeRowKeyDeps, FakeUserAuth, StubDeps};

/// Credential.
#[derive(Clone, serde::Deserialize)]
pub struct Creds;
impl OAuthCredentials for Creds {}

/// Client.
pub struct NotesClient;
impl From<AuthHandle<Creds>> for NotesClient {
    fn from(_: AuthHandle<Creds>) -> Self {
        NotesClient
    }
}

/// Deps.
pub trait NotesDeps: Send + Sync {}
impl StubDeps for dyn NotesDeps {
    fn stub(_: std::sync::Arc<tento::connector::MemoryCellStore>) -> std::sync::Arc<Self> {
        std::sync::Arc::new(())
    }
}
impl NotesDeps for () {}

/// Provider.
#[tento::provider(kind = "notes", name = "Notes", deps = dyn NotesDeps, credentials = Creds)]
pub struct Notes;

/// Notes, computed.
pub struct Pages;

#[tento::row(provider = Notes, key = ":~notes:{authId}:pages", label = "notes-pages-v2")]
impl Pages {
    /// How many cells the row always has.
    pub const SIZE: usize = 2;

    /// One made-up cell.
    pub fn page(id: &str) -> Cell {
        Cell {
            id: Some(id.to_owned()),
            date: SemanticTime::from_partial(PartialDate::Y(2024)),
            end_date: None,
            data: serde_json::json!(id),
        }
    }

    async fn list_cells(_ctx: RowCtx<'_, Self>, _range: Option<DateRange>) -> anyhow::Result<Vec<Cell>> {
        Ok((0..Self::SIZE).map(|i| Self::page(&i.to_string())).collect())
    }

    async fn get(_ctx: RowCtx<'_, Self>, cell_id: String) -> anyhow::Result<Option<Cell>> {
        Ok(Some(Self::page(&cell_id)))
    }

    async fn post(_ctx: RowCtx<'_, Self>, cell: Cell) -> anyhow::Result<Cell> {
        Ok(cell)
    }

    async fn patch(_ctx: RowCtx<'_, Self>, cell_id: String, data: serde_json::Value) -> anyhow::Result<Cell> {
        Ok(Cell { data, ..Self::page(&cell_id) })
    }

    async fn delete(ctx: RowCtx<'_, Self>, cell_id: String) -> anyhow::Result<()> {
        anyhow::ensure!(ctx.params.auth_id != cell_id, "cannot delete the account");
        Ok(())
    }
}

fn main() {
    assert_eq!(Pages::ROW_LABEL, "notes-pages-v2");
    assert_eq!(
        Pages::SERVES,
        Some(&[Verb::Get, Verb::List, Verb::Post, Verb::Patch, Verb::Delete][..])
    );
    assert_eq!(Pages::sync_shape(), None);

    let creds = Auth {
        credentials: Creds,
        token: TokenSet { access_token: "t".into(), refresh_token: None, expires_at: None },
    };
    let fake = FakeRowKeyDeps::new()
        .with_stub::<dyn NotesDeps>()
        .with_user(FakeUserAuth::new().with::<NotesAuth>("a1", creds));
    let mut params = RouteParams::new();
    params.push("authId", "a1");
    let ctx = fake.ctx();
    let key = ":~notes:a1:pages";
    let run = |request| futures::executor::block_on(dispatch_row::<Pages>(key, params, request, &ctx));
    assert!(matches!(run(Request::List { range: None }).unwrap(), Response::Cells(c) if c.len() == 2));
    let patched = run(Request::Patch { cell_id: "7".into(), data: serde_json::json!(1) }).unwrap();
    assert!(matches!(patched, Response::Written(c) if c.data == 1));
    assert_eq!(run(Request::Delete { cell_id: "x".into() }).unwrap(), Response::Deleted);
    assert!(run(Request::Delete { cell_id: "a1".into() }).is_err());
    assert!(matches!(run(Request::Sync { stage: "any".into() }), Err(e) if e.to_string().contains("does not support `sync`")));
}
