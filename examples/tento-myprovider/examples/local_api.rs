//! MyProvider's SDK pointed at a real HTTP API: a server on 127.0.0.1 that wants a
//! bearer token, pages by cursor, and answers the first request with
//! `429 Too Many Requests` and `Retry-After: 1`.
//!
//! `cargo run -p tento-myprovider --example local_api`

use std::sync::Arc;
use std::time::Duration;

use chrono::{Datelike, NaiveDate};
use tento::http::local::{Incoming, Reply, Server};
use tento::http::{BearerToken, HttpTransport, RateLimit};
use tento_myprovider::{ActivityRecord, Client, DayRange};

/// The API: `GET /v1/activities?start&end[&cursor]`, 50 activities a page.
fn api(r: &Incoming) -> Reply {
    if r.n == 0 {
        return Reply::with(429, "text/plain", "slow down").header("retry-after", "1");
    }
    if r.header("authorization") != Some("Bearer demo-token") {
        return Reply::with(401, "application/json", r#"{"error":"invalid_token"}"#);
    }
    let day = |name| r.query(name).and_then(|v| v.parse::<NaiveDate>().ok());
    let (Some(start), Some(end)) = (day("start"), day("end")) else {
        return Reply::with(400, "text/plain", "start and end are required");
    };
    let skip: usize = r.query("cursor").and_then(|c| c.parse().ok()).unwrap_or(0);
    let days: Vec<_> = start.iter_days().take_while(|d| *d <= end).collect();
    let page: Vec<_> = days
        .iter()
        .skip(skip)
        .take(50)
        .map(|date| ActivityRecord {
            id: format!("act-{}", date.format("%Y%m%d")),
            date: *date,
            kind: "run".into(),
            duration_min: 30 + date.day(),
        })
        .collect();
    let next = (skip + 50 < days.len()).then(|| (skip + 50).to_string());
    Reply::json(serde_json::json!({ "activities": page, "cursor": next }))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let server = Server::start(api).await;

    // Point the SDK at the API: its base URL, a token, and the API's rate limit.
    let transport = HttpTransport::builder(format!("{}/v1", server.url()))
        .timeout(Duration::from_secs(10))
        .build_or_broken();
    let client = Client::new(transport, Arc::new(BearerToken::new("demo-token")))
        .with_api(|api| api.with_rate_limit(RateLimit::per_account("demo", 20, Duration::from_secs(1))));

    let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).expect("a day");
    let range = DayRange {
        start: d(1, 1),
        end: d(4, 30),
    };
    let activities = client.activities();
    let mut pages = activities.pages(range);
    let mut total = 0;
    while let Some(page) = pages.next_page::<ActivityRecord>().await? {
        // A row would persist the page here, before the next is fetched.
        total += page.len();
        println!(
            "page of {:>2} activities, {} … {}",
            page.len(),
            page[0].date,
            page[page.len() - 1].date
        );
    }
    println!(
        "{total} activities in {} requests (the first answered 429, retried after 1 s)",
        server.hits()
    );
    assert_eq!(total, 120);
    Ok(())
}
