use std::sync::Arc;
use std::time::Duration;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use tento::http::{ApiClient, BearerToken, HttpTransport, Method, Pager, Pagination, Request, Response};
use tento::http::{RateLimit, Transport, TransportError};
use tento::oauth::TokenSource;

/// Where the MyProvider API lives (fictional: the example runs on [`OfflineTransport`]).
pub const BASE_URL: &str = "https://api.myprovider.example/v1";

/// MyProvider's documented limit: ten requests a second per account.
pub const REQUESTS_PER_SECOND: u32 = 10;

/// A transport that answers from a deterministic generator instead of the network, so
/// the SDK, the connector and the hosts that load it run offline. Chosen explicitly:
/// [`Client::offline`], or the `offline` feature for every client built from an OAuth
/// handle (`testing` turns it on).
///
/// `GET /activities?start=…&end=…` answers one activity on two days out of three, 50 a
/// page, with the next page's `cursor` in the body, as the real API pages.
#[derive(Clone, Copy, Debug, Default)]
pub struct OfflineTransport;

/// Activities per page of the offline listing.
const OFFLINE_PAGE: usize = 50;

impl OfflineTransport {
    fn answer(request: &Request) -> Response {
        let bearer = request
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
            .map(|(_, v)| v.trim_start_matches("Bearer ").trim());
        if bearer.is_none_or(str::is_empty) {
            return Response::status(401, "empty access token");
        }
        if request.method != Method::Get || request.path != "/activities" {
            return Response::status(404, format!("no {} {}", request.method, request.path));
        }
        let day = |name: &str| {
            request
                .query_value(name)
                .and_then(|v| v.parse::<NaiveDate>().ok())
        };
        let (Some(start), Some(end)) = (day("start"), day("end")) else {
            return Response::status(400, "`start` and `end` are required days");
        };
        let skip = request
            .query_value("cursor")
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let kinds = ["run", "ride", "swim", "walk"];
        let records: Vec<ActivityRecord> = start
            .iter_days()
            .take_while(|d| *d <= end)
            .filter(|d| d.num_days_from_ce() % 3 != 0)
            .skip(skip)
            .take(OFFLINE_PAGE + 1)
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
        let next = (records.len() > OFFLINE_PAGE).then(|| (skip + OFFLINE_PAGE).to_string());
        let page = &records[..records.len().min(OFFLINE_PAGE)];
        Response::json(&serde_json::json!({ "activities": page, "cursor": next }))
    }
}

impl Transport for OfflineTransport {
    fn send(
        &self,
        request: Request,
    ) -> std::pin::Pin<Box<dyn Future<Output = Result<Response, TransportError>> + Send + '_>> {
        Box::pin(std::future::ready(Ok(Self::answer(&request))))
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

/// The MyProvider API client: `tento::http`'s layers (bearer token, retry, rate limit,
/// pagination) over a [`Transport`].
#[derive(Clone, Debug)]
pub struct Client {
    api: ApiClient,
}

impl Client {
    /// A client of the API at [`BASE_URL`], sending `tokens`' bearer token, limited to
    /// [`REQUESTS_PER_SECOND`] for `account` (shared by every client of the account).
    pub fn http(tokens: Arc<dyn TokenSource>, account: &str) -> Self {
        let transport = HttpTransport::builder(BASE_URL)
            .user_agent(concat!("tento-myprovider/", env!("CARGO_PKG_VERSION")))
            .build_or_broken();
        let limit = RateLimit::per_account(
            &format!("myprovider:{account}"),
            REQUESTS_PER_SECOND,
            Duration::from_secs(1),
        );
        Self::new(transport, tokens).with_api(|api| api.with_rate_limit(limit))
    }

    /// A client sending `tokens`' bearer token through `transport`.
    pub fn new(transport: Arc<dyn Transport>, tokens: Arc<dyn TokenSource>) -> Self {
        Client {
            api: ApiClient::new("myprovider", transport).with_tokens(tokens),
        }
    }

    /// A client answering from [`OfflineTransport`].
    pub fn offline(token: impl Into<String>) -> Self {
        Self::new(Arc::new(OfflineTransport), Arc::new(BearerToken::new(token)))
    }

    /// The client with its [`ApiClient`] reconfigured (retry, rate limit, …).
    pub fn with_api(mut self, configure: impl FnOnce(ApiClient) -> ApiClient) -> Self {
        self.api = configure(self.api);
        self
    }

    /// The activities endpoints.
    pub fn activities(&self) -> ActivitiesApi<'_> {
        ActivitiesApi { client: self }
    }
}

/// A handle from the user's OAuth credential builds a client of the API at
/// [`BASE_URL`], or with the `offline` feature (the example host's) one answering from
/// [`OfflineTransport`].
#[cfg(any(feature = "connector", feature = "sync-plugin"))]
impl From<tento::oauth::AuthHandle<crate::oauth::MyProviderOAuthCredentials>> for Client {
    fn from(handle: tento::oauth::AuthHandle<crate::oauth::MyProviderOAuthCredentials>) -> Self {
        if cfg!(feature = "offline") {
            return Client::offline(handle.access_token);
        }
        // The handle is the token source: a 401 refreshes once through the host's token
        // store (so a rotated refresh token is kept) and the request is retried once.
        Client::http(handle.token_source(), &handle.credentials.account)
    }
}

/// `client.activities()`.
pub struct ActivitiesApi<'c> {
    client: &'c Client,
}

impl<'c> ActivitiesApi<'c> {
    /// The activities within `range`, oldest first, a page at a time: a row persists
    /// each page before it asks for the next.
    pub fn pages(&self, range: impl Into<DayRange>) -> Pager<'c> {
        let range = range.into();
        let request = Request::get("/activities")
            .query("start", range.start)
            .query("end", range.end);
        let pagination = Pagination::cursor("cursor", "cursor").records("activities");
        self.client.api.pager("activities", request, pagination)
    }

    /// Every activity within `range`, oldest first.
    pub async fn list_range(&self, range: impl Into<DayRange>) -> anyhow::Result<Vec<ActivityRecord>> {
        let mut pages = self.pages(range);
        let mut records = Vec::new();
        while let Some(page) = pages.next_page::<ActivityRecord>().await? {
            records.extend(page);
        }
        Ok(records)
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
    fn long_ranges_come_in_pages() {
        let client = Client::offline("t");
        let year = DayRange {
            start: range(1, 1).start,
            end: range(1, 1).start + chrono::Days::new(364),
        };
        let api = client.activities();
        let mut pages = api.pages(year);
        let mut sizes = Vec::new();
        while let Some(page) = block_on(pages.next_page::<ActivityRecord>()).unwrap() {
            sizes.push(page.len());
        }
        assert_eq!(
            sizes,
            [50, 50, 50, 50, 44],
            "365 days, a third of them without an activity"
        );
        assert_eq!(block_on(api.list_range(year)).unwrap().len(), 244);
    }

    #[test]
    fn an_empty_token_is_refused_like_the_real_api_would() {
        let err = block_on(Client::offline("").activities().list_range(range(1, 2))).unwrap_err();
        assert!(err.to_string().contains("401"));
    }
}
