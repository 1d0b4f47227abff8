//! A tiny provider, `demo`, with one row per shape of the contract, and a hand-written
//! router over it.
#![allow(dead_code)]

use std::sync::{Arc, LazyLock};

use futures::future::BoxFuture;
use serde::Deserialize;
use tento::chrono::{NaiveDate, PartialDate, SemanticTime};
use tento::connector::*;
use tento::host::{dispatch_row, match_pattern};
use tento::testing::StubDeps;

pub struct Demo;

pub trait DemoDeps: Send + Sync {
    fn persist(&self, row_id: uuid::Uuid, cells: Vec<Cell>) -> BoxFuture<'_, anyhow::Result<usize>>;
}

impl DemoDeps for MemoryCellStore {
    fn persist(&self, row_id: uuid::Uuid, cells: Vec<Cell>) -> BoxFuture<'_, anyhow::Result<usize>> {
        self.put(row_id, cells)
    }
}

impl StubDeps for dyn DemoDeps {
    fn stub(store: Arc<MemoryCellStore>) -> Arc<Self> {
        store
    }
}

#[derive(Deserialize, Clone, Debug, PartialEq)]
pub struct DemoParams {
    #[serde(rename = "authId")]
    pub auth_id: String,
}

#[derive(Deserialize, Clone, Debug, PartialEq)]
pub struct DemoCreds {
    pub token: String,
}

pub struct DemoAuth;
impl AuthProvider for DemoAuth {
    const KIND: &'static str = "demo";
    type AuthId = str;
    type Credentials = DemoCreds;
}

pub struct DemoClient {
    pub token: String,
}

impl Integration for Demo {
    type Deps = dyn DemoDeps;
    type Client = DemoClient;
    type Params = DemoParams;

    fn client<'a>(
        user: &'a dyn UserAuth,
        _deps: &'a dyn DemoDeps,
        p: &'a DemoParams,
    ) -> BoxFuture<'a, anyhow::Result<DemoClient>> {
        Box::pin(async move {
            let creds = user
                .auth::<DemoAuth>(&p.auth_id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no demo auth"))?;
            Ok(DemoClient {
                token: creds.into_inner().token,
            })
        })
    }
}

pub fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, d).unwrap()
}

pub fn cell(id: &str, d: u32) -> Cell {
    Cell {
        id: Some(id.into()),
        date: SemanticTime::from_partial(PartialDate::Ymd(day(d))),
        end_date: None,
        data: serde_json::json!({ "id": id }),
    }
}

/// Only the required items: every default applies.
pub struct Plain;
impl Row for Plain {
    type Integration = Demo;
    type Params = ();
    const ROW_LABEL: &'static str = "demo-plain";
    fn lookup_key(int: &DemoParams, _: &()) -> String {
        format!(":~demo:{}:plain", int.auth_id)
    }
}

/// A synced row: its reads come from the store by default.
pub struct Synced;
impl Row for Synced {
    type Integration = Demo;
    type Params = ();
    const ROW_LABEL: &'static str = "demo-synced";
    fn lookup_key(int: &DemoParams, _: &()) -> String {
        format!(":~demo:{}:synced", int.auth_id)
    }
    fn sync_shape() -> Option<SyncShape> {
        Some(SyncShape {
            stages: &["viewport", "backfill"],
            ..Default::default()
        })
    }
    fn sync<'a>(ctx: SyncCtx<'a, Self>) -> BoxFuture<'a, anyhow::Result<usize>> {
        Box::pin(async move {
            let n = if ctx.stage == "viewport" { 2 } else { 3 };
            let cells = (1..=n)
                .map(|d| cell(&format!("{}-{d}", ctx.client.token), d))
                .collect();
            ctx.deps.persist(ctx.row_id, cells).await
        })
    }
}

/// A row with a placeholder of its own.
pub struct Daily;
#[derive(Deserialize, Clone, Debug, PartialEq)]
pub struct DailyParams {
    pub day: String,
}
impl Row for Daily {
    type Integration = Demo;
    type Params = DailyParams;
    const ROW_LABEL: &'static str = "demo-daily";
    fn lookup_key(int: &DemoParams, row: &DailyParams) -> String {
        format!(":~demo:{}:daily:{}", int.auth_id, row.day)
    }
    fn list_cells<'a>(
        ctx: RowCtx<'a, Self>,
        _range: Option<tento::chrono::DateRange>,
    ) -> BoxFuture<'a, anyhow::Result<Vec<Cell>>> {
        Box::pin(async move {
            Ok(vec![cell(
                &format!("{}@{}", ctx.params.auth_id, ctx.row_params.day),
                1,
            )])
        })
    }
}

/// A second integration with its own deps trait, for the boot check.
pub struct Other;
pub trait OtherDeps: Send + Sync {}
impl Integration for Other {
    type Deps = dyn OtherDeps;
    type Client = ();
    type Params = DemoParams;
    fn client<'a>(
        _: &'a dyn UserAuth,
        _: &'a dyn OtherDeps,
        _: &'a DemoParams,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async { Ok(()) })
    }
}
pub struct OtherRow;
impl Row for OtherRow {
    type Integration = Other;
    type Params = ();
    const ROW_LABEL: &'static str = "other-row";
    fn lookup_key(int: &DemoParams, _: &()) -> String {
        format!(":~other:{}:row", int.auth_id)
    }
}

fn route<R: Row>(pattern: &'static str, verbs: &'static [Verb]) -> RouteSchema {
    RouteSchema {
        pattern,
        row_label: R::ROW_LABEL,
        row_type: std::any::type_name::<R>(),
        kind: pattern[2..].split(':').next().unwrap_or_default(),
        integration: std::any::type_name::<R::Integration>(),
        verbs,
        deps: DepsKey::of::<<R::Integration as Integration>::Deps>(),
        sync_shape: R::sync_shape(),
    }
}

/// A router written by hand over the demo rows, as a host without the derive would.
pub struct DemoKeys;

static SCHEMAS: LazyLock<Vec<RouteSchema>> = LazyLock::new(|| {
    use Verb::*;
    vec![
        route::<Plain>(":~demo:{authId}:plain", &[Get, List, Post, Patch, Delete, Sync]),
        route::<Synced>(":~demo:{authId}:synced", &[Get, List, Sync]),
        route::<Daily>(":~demo:{authId}:daily:{day}", &[Get, List]),
        route::<OtherRow>(":~other:{authId}:row", &[Get]),
    ]
});

impl RowKeySchema for DemoKeys {
    fn schemas() -> &'static [RouteSchema] {
        &SCHEMAS
    }

    fn resolve(key: &str) -> Result<RouteMatch<'_>, Miss<'_>> {
        Self::schemas()
            .iter()
            .enumerate()
            .find_map(|(route, s)| {
                Some(RouteMatch {
                    route,
                    params: match_pattern(s.pattern, key)?,
                })
            })
            .ok_or(Miss::new(key))
    }

    fn dispatch_route<'a>(
        m: RouteMatch<'a>,
        key: &'a str,
        request: Request,
        ctx: &'a DispatchCtx<'a>,
    ) -> BoxFuture<'a, Result<Response, DispatchError>> {
        match m.route {
            0 => dispatch_row::<Plain>(key, m.params, request, ctx),
            1 => dispatch_row::<Synced>(key, m.params, request, ctx),
            2 => dispatch_row::<Daily>(key, m.params, request, ctx),
            _ => dispatch_row::<OtherRow>(key, m.params, request, ctx),
        }
    }
}
