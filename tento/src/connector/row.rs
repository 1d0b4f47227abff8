use std::any::type_name;

use futures::future::BoxFuture;
use serde::de::DeserializeOwned;

use super::{Cell, Integration, IntegrationParams, RowCtx, SyncCtx, SyncShape, Verb};
use crate::chrono::DateRange;

/// One lookup-key pattern of a provider, such as `:~myprovider:{authId}:activities`.
///
/// Required: [`ROW_LABEL`](Row::ROW_LABEL) and [`lookup_key`](Row::lookup_key).
/// Everything else has a default:
///
/// | method | default |
/// |---|---|
/// | [`sync_shape`](Row::sync_shape) | `None`: not synced |
/// | [`sync`](Row::sync) | [`Unsupported`] |
/// | [`list_cells`](Row::list_cells) | a synced row's cells from the host's store; otherwise [`Unsupported`] |
/// | [`get`](Row::get) | the cell of that id among [`list_cells`](Row::list_cells) |
/// | [`post`](Row::post), [`patch`](Row::patch), [`delete`](Row::delete) | [`Unsupported`] |
///
/// Override `sync_shape` + `sync` for sync-backed rows, `list_cells` for computed rows,
/// `post`/`patch`/`delete` for writeable ones.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a row",
    label = "not a row",
    note = "a row is a type whose `impl` block has `#[tento::row(…)]` (or that implements `tento::connector::Row`)"
)]
pub trait Row: Sized + Send + Sync + 'static {
    /// The provider the row belongs to.
    type Integration: Integration;
    /// Row-level params from the lookup key's own placeholders; `()` when it has none.
    type Params: DeserializeOwned + Clone + Send + Sync + 'static;

    /// A short stable name, unique in a host (`"myprovider-activities"`).
    const ROW_LABEL: &'static str;

    /// The verbs the row declares it serves, when it declares them (`#[tento::row]`
    /// does), so that a route listing another verb fails to compile. `None`, the
    /// default for rows written by hand, means undeclared: nothing is checked.
    const SERVES: Option<&'static [Verb]> = None;

    /// The lookup key of the row for these params: the inverse of routing.
    fn lookup_key(int: &IntegrationParams<Self>, row: &Self::Params) -> String;

    /// How the row is synced, or `None` when it is not.
    fn sync_shape() -> Option<SyncShape> {
        None
    }

    /// Runs one stage of the row's sync; returns the number of cells persisted.
    fn sync<'a>(ctx: SyncCtx<'a, Self>) -> BoxFuture<'a, anyhow::Result<usize>> {
        let _ = ctx;
        unsupported::<Self, _>(Verb::Sync)
    }

    /// The row's cells, optionally within a date range.
    fn list_cells<'a>(
        ctx: RowCtx<'a, Self>,
        range: Option<DateRange>,
    ) -> BoxFuture<'a, anyhow::Result<Vec<Cell>>> {
        if Self::sync_shape().is_none() {
            return unsupported::<Self, _>(Verb::List);
        }
        Box::pin(async move { ctx.store.cells(ctx.row_id, range).await })
    }

    /// One cell by id, or `None` when the row has no such cell.
    fn get<'a>(ctx: RowCtx<'a, Self>, cell_id: String) -> BoxFuture<'a, anyhow::Result<Option<Cell>>> {
        Box::pin(async move {
            match Self::list_cells(ctx, None).await {
                Ok(cells) => Ok(cells.into_iter().find(|c| c.id.as_deref() == Some(&cell_id))),
                Err(e) if e.is::<Unsupported>() => Err(Unsupported::of::<Self>(Verb::Get).into()),
                Err(e) => Err(e),
            }
        })
    }

    /// Adds a cell; returns it as stored.
    fn post<'a>(ctx: RowCtx<'a, Self>, cell: Cell) -> BoxFuture<'a, anyhow::Result<Cell>> {
        let _ = (ctx, cell);
        unsupported::<Self, _>(Verb::Post)
    }

    /// Changes a cell's data; returns it as stored.
    fn patch<'a>(
        ctx: RowCtx<'a, Self>,
        cell_id: String,
        data: serde_json::Value,
    ) -> BoxFuture<'a, anyhow::Result<Cell>> {
        let _ = (ctx, cell_id, data);
        unsupported::<Self, _>(Verb::Patch)
    }

    /// Removes a cell.
    fn delete<'a>(ctx: RowCtx<'a, Self>, cell_id: String) -> BoxFuture<'a, anyhow::Result<()>> {
        let _ = (ctx, cell_id);
        unsupported::<Self, _>(Verb::Delete)
    }
}

/// Whether a row declaring `declared` serves `verb`; an undeclared row serves anything.
/// `const`, so generated code can check a route against its row at compile time.
pub const fn serves(declared: Option<&[Verb]>, verb: Verb) -> bool {
    let Some(declared) = declared else {
        return true;
    };
    let mut i = 0;
    while i < declared.len() {
        if declared[i] as u8 == verb as u8 {
            return true;
        }
        i += 1;
    }
    false
}

fn unsupported<'a, R: Row, T: Send + 'a>(verb: Verb) -> BoxFuture<'a, anyhow::Result<T>> {
    Box::pin(std::future::ready(Err(Unsupported::of::<R>(verb).into())))
}

/// The error of a verb a row does not serve. Recover it from an `anyhow::Error` with
/// `err.downcast_ref::<Unsupported>()`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("row `{row}` does not support `{verb}` (implement `Row::{method}` on `{row_type}`)", method = verb.row_method())]
pub struct Unsupported {
    /// The row's label.
    pub row: &'static str,
    /// The row's Rust type.
    pub row_type: &'static str,
    /// The verb asked for.
    pub verb: Verb,
}

impl Unsupported {
    /// The error for `verb` on row `R`.
    pub fn of<R: Row>(verb: Verb) -> Self {
        Unsupported {
            row: R::ROW_LABEL,
            row_type: type_name::<R>(),
            verb,
        }
    }
}
