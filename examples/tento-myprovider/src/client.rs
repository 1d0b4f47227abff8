use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A boxed future, as the transport seam returns it.
type Fetch<'a> = Pin<Box<dyn Future<Output = anyhow::Result<serde_json::Value>> + Send + 'a>>;

/// The seam between the SDK and the network: one authenticated GET.
pub trait Transport: Send + Sync {
    /// GETs `path` with `query`, authenticated by `token`; returns the JSON body.
    fn get<'a>(&'a self, token: &'a str, path: &'a str, query: &'a [(&'a str, String)]) -> Fetch<'a>;
}

/// A transport that answers from a deterministic generator instead of the network, so
/// the SDK, the connector and the hosts that load it run offline.
///
/// `/activities?start=…&end=…` answers one activity on two days out of three.
#[derive(Clone, Copy, Debug, Default)]
pub struct OfflineTransport;

impl Transport for OfflineTransport {
    fn get<'a>(&'a self, token: &'a str, path: &'a str, query: &'a [(&'a str, String)]) -> Fetch<'a> {
        Box::pin(async move {
            anyhow::ensure!(!token.is_empty(), "401 Unauthorized: empty access token");
            anyhow::ensure!(path == "/activities", "404 Not Found: {path}");
            let day = |name: &str| -> anyhow::Result<NaiveDate> {
                let value = query
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.as_str())
                    .ok_or_else(|| anyhow::anyhow!("400 Bad Request: missing `{name}`"))?;
                Ok(value.parse()?)
            };
            let (start, end) = (day("start")?, day("end")?);
            let kinds = ["run", "ride", "swim", "walk"];
            let records: Vec<ActivityRecord> = start
                .iter_days()
                .take_while(|d| *d <= end)
                .filter(|d| d.num_days_from_ce() % 3 != 0)
                .map(|date| {
                    let n = date.num_days_from_ce().unsigned_abs();
                    ActivityRecord {
                        id: format!("act-{}", date.format("%Y%m%d")),
                        date,
                        kind: kinds[(n % 4) as usize].to_owned(),
                        duration_min: 20 + n % 70,
                    }
                })
                .collect();
            Ok(serde_json::to_value(records)?)
        })
    }
}

/// An inclusive range of days, as the API takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayRange {
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
}

#[cfg(any(feature = "connector", feature = "sync-plugin"))]
impl From<tento::chrono::DateRange> for DayRange {
    fn from(r: tento::chrono::DateRange) -> Self {
        DayRange {
            start: r.start,
            end: r.end,
        }
    }
}

/// One activity as MyProvider reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityRecord {
    /// MyProvider's id for it.
    pub id: String,
    /// The day it happened.
    pub date: NaiveDate,
    /// `run`, `ride`, `swim`, `walk`.
    pub kind: String,
    /// How long it lasted, in minutes.
    pub duration_min: u32,
}

/// The MyProvider API client.
#[derive(Clone)]
pub struct Client {
    token: String,
    transport: Arc<dyn Transport>,
}

impl Client {
    /// A client sending `token` through `transport`.
    pub fn new(token: impl Into<String>, transport: Arc<dyn Transport>) -> Self {
        Client {
            token: token.into(),
            transport,
        }
    }

    /// A client answering from [`OfflineTransport`].
    pub fn offline(token: impl Into<String>) -> Self {
        Self::new(token, Arc::new(OfflineTransport))
    }

    /// The activities endpoints.
    pub fn activities(&self) -> ActivitiesApi<'_> {
        ActivitiesApi { client: self }
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").finish_non_exhaustive()
    }
}

/// The example has no network: a handle from the user's OAuth credential builds an
/// offline client. A real SDK would build its HTTP transport here.
#[cfg(any(feature = "connector", feature = "sync-plugin"))]
impl From<tento::oauth::AuthHandle<crate::oauth::MyProviderOAuthCredentials>> for Client {
    fn from(handle: tento::oauth::AuthHandle<crate::oauth::MyProviderOAuthCredentials>) -> Self {
        Client::offline(handle.access_token)
    }
}

/// `client.activities()`.
pub struct ActivitiesApi<'c> {
    client: &'c Client,
}

impl ActivitiesApi<'_> {
    /// Every activity within `range`, oldest first.
    pub async fn list_range(&self, range: impl Into<DayRange>) -> anyhow::Result<Vec<ActivityRecord>> {
        let range = range.into();
        let query = [("start", range.start.to_string()), ("end", range.end.to_string())];
        let body = self
            .client
            .transport
            .get(&self.client.token, "/activities", &query)
            .await?;
        Ok(serde_json::from_value(body)?)
    }
}

#[cfg(test)]
mod tests {
    use futures::executor::block_on;

    use super::*;

    fn range(start: u32, end: u32) -> DayRange {
        let d = |day| NaiveDate::from_ymd_opt(2024, 3, day).unwrap();
        DayRange {
            start: d(start),
            end: d(end),
        }
    }

    #[test]
    fn offline_activities_are_deterministic_and_within_range() {
        let client = Client::offline("t");
        let a = block_on(client.activities().list_range(range(1, 30))).unwrap();
        let b = block_on(client.activities().list_range(range(1, 30))).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.len(), 20, "two days out of three");
        assert!(
            a.iter()
                .all(|r| r.date >= range(1, 30).start && r.date <= range(1, 30).end)
        );
        assert_eq!(a[0].id, format!("act-{}", a[0].date.format("%Y%m%d")));
    }

    #[test]
    fn an_empty_token_is_refused_like_the_real_api_would() {
        let err = block_on(Client::offline("").activities().list_range(range(1, 2))).unwrap_err();
        assert!(err.to_string().contains("401"));
    }
}
