//! MyMacroProvider activities — `:~mymacroprovider:{authId}:activities`.
#![deny(missing_docs)]
use tento::chrono::{PartialDate, SemanticTime};
use tento::connector::{Cell, SyncCtx, wearable_window_for_stage};

use super::MyMacroProvider;

/// MyMacroProvider activities sync row.
pub struct Activities;

#[tento::row(
    provider = MyMacroProvider,
    key = ":~mymacroprovider:{authId}:activities",
    stages = ["viewport", "backfill"]
)]
impl Activities {
    /// Fetches the stage's window and persists it as cells.
    async fn sync(ctx: SyncCtx<'_, Self>) -> anyhow::Result<usize> {
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
    }
}
