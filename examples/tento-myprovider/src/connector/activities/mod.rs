//! MyProvider activities — `:~myprovider:{authId}:activities`.
#![deny(missing_docs)]
use futures::future::BoxFuture;
use tento::chrono::{PartialDate, SemanticTime};
use tento::connector::{Cell, Row, SyncCtx, SyncShape, wearable_window_for_stage};

use super::{MyProvider, MyProviderParams};

/// MyProvider activities sync row.
pub struct Activities;

impl Row for Activities {
    type Integration = MyProvider;
    type Params = ();
    const ROW_LABEL: &'static str = "myprovider-activities";

    fn lookup_key(int: &MyProviderParams, _: &()) -> String {
        format!(":~myprovider:{}:activities", int.auth_id)
    }

    fn sync_shape() -> Option<SyncShape> {
        Some(SyncShape {
            stages: &["viewport", "backfill"],
            ..Default::default()
        })
    }

    fn sync<'a>(ctx: SyncCtx<'a, Self>) -> BoxFuture<'a, anyhow::Result<usize>> {
        Box::pin(async move {
            let range = wearable_window_for_stage(ctx.stage);
            let activities = ctx.client.http.activities();
            let mut pages = activities.pages(range);
            let mut n = 0;
            // Each page is persisted before the next is fetched: memory stays flat.
            while let Some(records) = pages.next_page::<crate::ActivityRecord>().await? {
                let cells = records
                    .into_iter()
                    .map(|r| {
                        Ok(Cell {
                            id: Some(r.id.clone()),
                            date: SemanticTime::from_partial(PartialDate::Ymd(r.date)),
                            end_date: None,
                            data: serde_json::to_value(&r)?,
                        })
                    })
                    .collect::<anyhow::Result<Vec<Cell>>>()?;
                n += cells.len();
                if !cells.is_empty() {
                    ctx.deps.persist_cells(ctx.row_id, cells).await?;
                }
            }
            Ok(n)
        })
    }
}
