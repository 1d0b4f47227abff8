use std::fmt;

use futures::future::BoxFuture;

use super::{CellStore, IntegrationDeps, MissingDeps, ParamsError, ResolveError, RouteParams, parse_params};
use crate::chrono::DateRange;
use crate::contract::{
    Cell, DepsOf, Integration, IntegrationParams, Row, RowCtx, SyncCtx, Unsupported, UserAuth, Verb,
};

/// What a dispatch runs with: the host's view of the user, its deps and its store.
#[derive(Clone, Copy)]
pub struct DispatchCtx<'a> {
    /// The user on whose behalf the row is called.
    pub user: &'a dyn UserAuth,
    /// The host's registered provider deps.
    pub deps: &'a IntegrationDeps,
    /// The host's cell store.
    pub store: &'a dyn CellStore,
}

/// A call of one verb on a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// [`Row::get`]: one cell by id.
    Get {
        /// The cell's id.
        cell_id: String,
    },
    /// [`Row::list_cells`]: the row's cells.
    List {
        /// Only cells starting in this range.
        range: Option<DateRange>,
    },
    /// [`Row::post`]: add a cell.
    Post {
        /// The cell to add.
        cell: Cell,
    },
    /// [`Row::patch`]: change a cell.
    Patch {
        /// The cell's id.
        cell_id: String,
        /// Its new data.
        data: serde_json::Value,
    },
    /// [`Row::delete`]: remove a cell.
    Delete {
        /// The cell's id.
        cell_id: String,
    },
    /// [`Row::sync`]: run one stage.
    Sync {
        /// The stage, one of the row's `SyncShape::stages`.
        stage: String,
    },
}

impl Request {
    /// The verb the request calls.
    pub fn verb(&self) -> Verb {
        match self {
            Request::Get { .. } => Verb::Get,
            Request::List { .. } => Verb::List,
            Request::Post { .. } => Verb::Post,
            Request::Patch { .. } => Verb::Patch,
            Request::Delete { .. } => Verb::Delete,
            Request::Sync { .. } => Verb::Sync,
        }
    }
}

/// What a row answered.
#[derive(Clone, Debug, PartialEq)]
pub enum Response {
    /// The answer to [`Request::Get`].
    Cell(Option<Cell>),
    /// The answer to [`Request::List`].
    Cells(Vec<Cell>),
    /// The cell as stored, after [`Request::Post`] or [`Request::Patch`].
    Written(Cell),
    /// The answer to [`Request::Delete`].
    Deleted,
    /// Cells persisted by [`Request::Sync`].
    Synced(usize),
}

/// A dispatch that failed, with the lookup key it was for.
///
/// Its message is the key and the [`kind`](Self::kind)'s message, which already holds the
/// cause (a row's or client's error with its whole chain), so the kind is not also the
/// error's `source`: printing the chain (`{:#}`) shows every cause once.
#[derive(Debug, thiserror::Error)]
#[error("{key}: {kind}")]
pub struct DispatchError {
    /// The lookup key dispatched.
    pub key: String,
    /// What went wrong.
    pub kind: DispatchErrorKind,
}

impl DispatchError {
    /// The error of a key that did not resolve.
    pub fn resolve(key: &str, e: ResolveError) -> Self {
        DispatchError {
            key: key.to_owned(),
            kind: DispatchErrorKind::Resolve(e),
        }
    }

    fn new(key: &str, kind: DispatchErrorKind) -> Self {
        DispatchError {
            key: key.to_owned(),
            kind,
        }
    }
}

/// Why a dispatch failed.
#[derive(Debug, thiserror::Error)]
pub enum DispatchErrorKind {
    /// The key matches no route, or the route does not serve the verb.
    #[error(transparent)]
    Resolve(ResolveError),
    /// The integration's deps are not registered.
    #[error(transparent)]
    MissingDeps(MissingDeps),
    /// The key's placeholders do not fit the integration's or row's `Params`.
    #[error(transparent)]
    Params(ParamsError),
    /// A sync named a stage the row does not have.
    #[error("row `{row}` has no stage `{stage}` (its stages: {})", stages.join(", "))]
    UnknownStage {
        /// The row's label.
        row: &'static str,
        /// The stage asked for.
        stage: String,
        /// The row's stages.
        stages: &'static [&'static str],
    },
    /// `Integration::client` failed (no credential, expired token, …).
    #[error("could not build the client: {0:#}")]
    Client(anyhow::Error),
    /// The row does not implement the verb.
    #[error(transparent)]
    Unsupported(Unsupported),
    /// The row's method failed.
    #[error("{0:#}")]
    Row(anyhow::Error),
}

impl DispatchErrorKind {
    fn from_row(e: anyhow::Error) -> Self {
        match e.downcast::<Unsupported>() {
            Ok(unsupported) => DispatchErrorKind::Unsupported(unsupported),
            Err(e) => DispatchErrorKind::Row(e),
        }
    }
}

/// Runs `request` on row `R` for a resolved key: the body of every
/// [`RowKeySchema::dispatch_route`](super::RowKeySchema::dispatch_route) arm.
///
/// Parses the params, looks up `R`'s deps in `ctx.deps`, builds the client with
/// [`Integration::client`], then calls the row method the verb names.
pub fn dispatch_row<'a, R: Row>(
    key: &'a str,
    params: RouteParams<'a>,
    request: Request,
    ctx: &'a DispatchCtx<'a>,
) -> BoxFuture<'a, Result<Response, DispatchError>> {
    Box::pin(async move {
        let fail = |kind| DispatchError::new(key, kind);
        let int_params: IntegrationParams<R> =
            parse_params(&params).map_err(|e| fail(DispatchErrorKind::Params(e)))?;
        let row_params: R::Params = parse_params(&params).map_err(|e| fail(DispatchErrorKind::Params(e)))?;
        let deps: &DepsOf<R> = ctx
            .deps
            .try_get::<DepsOf<R>>()
            .map_err(|e| fail(DispatchErrorKind::MissingDeps(e)))?;
        let client = R::Integration::client(ctx.user, deps, &int_params)
            .await
            .map_err(|e| fail(DispatchErrorKind::Client(e)))?;
        let owner = ctx.user.owner();
        let row_id = owner.row_id(key);

        let row = || RowCtx::<R> {
            client: &client,
            deps,
            row_id,
            owner,
            lookup_key: key,
            params: &int_params,
            row_params: &row_params,
            store: ctx.store,
        };
        let answer = match request {
            Request::Get { cell_id } => R::get(row(), cell_id).await.map(Response::Cell),
            Request::List { range } => R::list_cells(row(), range).await.map(Response::Cells),
            Request::Post { cell } => R::post(row(), cell).await.map(Response::Written),
            Request::Patch { cell_id, data } => R::patch(row(), cell_id, data).await.map(Response::Written),
            Request::Delete { cell_id } => R::delete(row(), cell_id).await.map(|()| Response::Deleted),
            Request::Sync { stage } => {
                let stages = R::sync_shape().map_or(&[][..], |s| s.stages);
                if !stages.is_empty() && !stages.contains(&stage.as_str()) {
                    return Err(fail(DispatchErrorKind::UnknownStage {
                        row: R::ROW_LABEL,
                        stage,
                        stages,
                    }));
                }
                let sync = SyncCtx::<R> {
                    stage: &stage,
                    client: &client,
                    deps,
                    row_id,
                    owner,
                    lookup_key: key,
                    params: &int_params,
                    row_params: &row_params,
                };
                R::sync(sync).await.map(Response::Synced)
            }
        };
        answer.map_err(|e| fail(DispatchErrorKind::from_row(e)))
    })
}

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Request::Get { cell_id } => write!(f, "get {cell_id}"),
            Request::List { range: Some(r) } => write!(f, "list {r}"),
            Request::List { range: None } => f.write_str("list"),
            Request::Post { .. } => f.write_str("post"),
            Request::Patch { cell_id, .. } => write!(f, "patch {cell_id}"),
            Request::Delete { cell_id } => write!(f, "delete {cell_id}"),
            Request::Sync { stage } => write!(f, "sync {stage}"),
        }
    }
}
