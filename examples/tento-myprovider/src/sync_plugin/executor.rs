use std::sync::Arc;

use async_trait::async_trait;
use tento::chrono::{DateRange, PartialDate, SemanticTime};
use tento::connector::Cell;
use tento::host::match_pattern;
use tento::sync::{StageJob, SyncExecutor};

use super::{ACTIVITIES_KEY, MyProviderApiContext, MyProviderSyncDeps};

/// Runs MyProvider's stages: fetches the part of the stage's range the row does not
/// hold yet (all of it for `viewport`, whose recent days still change), persists it as
/// cells and records what it now holds.
pub struct MyProviderSyncExecutor {
    api: Arc<dyn MyProviderApiContext>,
    deps: Arc<dyn MyProviderSyncDeps>,
}

impl MyProviderSyncExecutor {
    /// An executor over the host's seams.
    pub fn new(api: Arc<dyn MyProviderApiContext>, deps: Arc<dyn MyProviderSyncDeps>) -> Self {
        MyProviderSyncExecutor { api, deps }
    }
}

#[async_trait]
impl SyncExecutor for MyProviderSyncExecutor {
    async fn execute(&self, job: &StageJob<'_>) -> anyhow::Result<usize> {
        let params = match_pattern(ACTIVITIES_KEY, job.lookup_key)
            .ok_or_else(|| anyhow::anyhow!("`{}` is not a {ACTIVITIES_KEY} key", job.lookup_key))?;
        let auth_id = params.get("authId").unwrap_or_default();
        let range = job
            .range
            .ok_or_else(|| anyhow::anyhow!("stage `{}` has no date range", job.stage))?;
        let client = self.api.client(job.user, auth_id).await?;
        let mut state = self.deps.load_state(job.row_id).await?.unwrap_or_default();
        let ranges = if job.stage == "viewport" {
            vec![range]
        } else {
            state.missing(range)
        };

        let mut synced = 0;
        for range in ranges {
            // A page is persisted before the next is fetched, so memory stays flat
            // however long the range; records come oldest first, so every day before
            // a page's last one is complete and recorded at once.
            let mut pages = client.activities().pages(range);
            let mut unrecorded = 0;
            while let Some(records) = pages.next_page::<crate::ActivityRecord>().await? {
                let cells = records
                    .iter()
                    .map(|r| {
                        Ok(Cell {
                            id: Some(r.id.clone()),
                            date: SemanticTime::from_partial(PartialDate::Ymd(r.date)),
                            end_date: None,
                            data: serde_json::to_value(r)?,
                        })
                    })
                    .collect::<anyhow::Result<Vec<Cell>>>()?;
                let n = cells.len();
                if n > 0 {
                    self.deps.persist_cells(job.row_id, cells).await?;
                }
                synced += n;
                unrecorded += n;
                let complete = records
                    .last()
                    .and_then(|r| r.date.pred_opt())
                    .filter(|day| *day >= range.start);
                if let Some(day) = complete {
                    state.record(job.stage, DateRange::new(range.start, day), unrecorded);
                    self.deps.save_state(job.row_id, state.clone()).await?;
                    unrecorded = 0;
                }
            }
            // Saved range by range: a failure later keeps what was fetched.
            state.record(job.stage, range, unrecorded);
            self.deps.save_state(job.row_id, state.clone()).await?;
        }
        Ok(synced)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use futures::future::BoxFuture;
    use tento::chrono::NaiveDate;
    use tento::connector::{Owner, UserAuth};
    use tento::testing::FakeUserAuth;
    use uuid::Uuid;

    use super::*;
    use crate::Client;
    use crate::sync_plugin::RowSyncState;

    /// Deps answering from the offline API, remembering every persist and save.
    #[derive(Default)]
    struct Recorder {
        persisted: Mutex<Vec<usize>>,
        saved: Mutex<Vec<RowSyncState>>,
    }

    impl MyProviderApiContext for Recorder {
        fn client<'a>(&'a self, _: &'a dyn UserAuth, _: &'a str) -> BoxFuture<'a, anyhow::Result<Client>> {
            Box::pin(async { Ok(Client::offline("t")) })
        }
    }

    impl MyProviderSyncDeps for Recorder {
        fn load_state<'a>(&'a self, _: Uuid) -> BoxFuture<'a, anyhow::Result<Option<RowSyncState>>> {
            Box::pin(async { Ok(None) })
        }

        fn save_state<'a>(&'a self, _: Uuid, state: RowSyncState) -> BoxFuture<'a, anyhow::Result<()>> {
            self.saved.lock().unwrap().push(state);
            Box::pin(async { Ok(()) })
        }

        fn persist_cells<'a>(&'a self, _: Uuid, cells: Vec<Cell>) -> BoxFuture<'a, anyhow::Result<()>> {
            self.persisted.lock().unwrap().push(cells.len());
            Box::pin(async { Ok(()) })
        }
    }

    #[tokio::test]
    async fn a_range_is_persisted_and_recorded_page_by_page() {
        let deps = Arc::new(Recorder::default());
        let executor = MyProviderSyncExecutor::new(deps.clone(), deps.clone());
        let user = FakeUserAuth::new();
        let day = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap();
        let range = DateRange::new(day(1, 1), day(6, 28)); // 180 days
        let job = StageJob {
            lookup_key: ":~myprovider:a1:activities",
            row_label: "activities",
            alias_key: ":~myprovider:a1:activities",
            row_id: Uuid::nil(),
            owner: Owner(Uuid::nil()),
            user: &user,
            stage: "backfill",
            range: Some(range),
        };
        let synced = executor.execute(&job).await.unwrap();

        // 120 records (two days out of three), 50 a page: three persists, not one.
        assert_eq!(synced, 120);
        assert_eq!(*deps.persisted.lock().unwrap(), [50, 50, 20]);
        let saved = deps.saved.lock().unwrap();
        assert_eq!(saved.len(), 4, "a save after each page and one for the range");
        // After the first page only the days before its last record count as synced.
        assert_eq!(saved[0].cells, 50);
        assert!(!saved[0].synced.covers(range));
        assert!(saved.windows(2).all(|w| w[0].cells <= w[1].cells));
        assert_eq!(saved[3].cells, 120);
        assert!(saved[3].synced.covers(range));
    }
}
