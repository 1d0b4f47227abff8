//! Every pagination style of `tento::http::Pager` against a real server on 127.0.0.1,
//! and what a page that fails leaves behind: nothing.
#![cfg(all(feature = "http", feature = "testing"))]

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use serde_json::json;
use tento::http::local::{Incoming, Reply, Server};
use tento::http::{
    ApiClient, CURSOR_FIELDS, HttpError, HttpErrorKind, HttpTransport, Pagination, Request, Retry,
};

#[derive(Debug, Deserialize, PartialEq)]
struct Record {
    id: u64,
}

fn api(server: &Server) -> ApiClient {
    let transport = HttpTransport::builder(server.url())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    ApiClient::new("acme", Arc::new(transport)).with_retry(Retry::never())
}

fn records(range: std::ops::Range<u64>) -> serde_json::Value {
    range.map(|id| json!({ "id": id })).collect()
}

fn q(r: &Incoming, name: &str) -> u64 {
    r.query(name).and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// Pages through `pagination` the way a row does: each page persisted before the next
/// is fetched. Returns what was persisted, page by page, and how the walk ended.
async fn sync(server: &Server, pagination: Pagination) -> (Vec<Vec<u64>>, Result<(), HttpError>) {
    let api = api(server);
    let mut pager = api.pager("activities", Request::get("/activities"), pagination);
    let mut store = Vec::new();
    loop {
        match pager.next_page::<Record>().await {
            Ok(Some(page)) => store.push(page.into_iter().map(|r| r.id).collect()),
            Ok(None) => return (store, Ok(())),
            Err(e) => {
                // A failed pager is done: asking again fetches nothing.
                assert!(pager.next_page::<Record>().await.unwrap().is_none());
                return (store, Err(e));
            }
        }
    }
}

fn ids(store: &[Vec<u64>]) -> Vec<u64> {
    store.concat()
}

#[tokio::test]
async fn page_numbers_until_an_empty_page() {
    let server = Server::start(|r: &Incoming| {
        let page = q(r, "page");
        let start = (page - 1) * 10;
        Reply::json(json!({ "data": records(start..(start + 10).min(25)) }))
    })
    .await;
    let (store, end) = sync(&server, Pagination::page_number("page").records("data")).await;
    end.unwrap();
    assert_eq!(ids(&store), (0..25).collect::<Vec<_>>());
    assert_eq!(
        store.iter().map(Vec::len).collect::<Vec<_>>(),
        [10, 10, 5, 0],
        "the empty last page ends it"
    );
    assert_eq!(server.hits(), 4);
}

#[tokio::test]
async fn page_numbers_with_a_size_stop_at_a_short_page() {
    let server = Server::start(|r: &Incoming| {
        let (page, size) = (q(r, "p"), q(r, "per_page"));
        let start = page * size;
        Reply::json(records(start..(start + size).min(25)))
    })
    .await;
    let pagination = Pagination::page_number("p")
        .first_page(0)
        .page_size("per_page", 10);
    let (store, end) = sync(&server, pagination).await;
    end.unwrap();
    assert_eq!(ids(&store), (0..25).collect::<Vec<_>>());
    assert_eq!(server.hits(), 3, "no request after the short page");
}

#[tokio::test]
async fn offset_and_limit_until_a_short_or_empty_page() {
    for total in [25, 20] {
        let server = Server::start(move |r: &Incoming| {
            let (offset, limit) = (q(r, "offset"), q(r, "limit"));
            Reply::json(json!({ "items": records(offset.min(total)..(offset + limit).min(total)) }))
        })
        .await;
        let (store, end) = sync(
            &server,
            Pagination::offset("offset", "limit", 10).records("items"),
        )
        .await;
        end.unwrap();
        assert_eq!(ids(&store), (0..total).collect::<Vec<_>>());
        assert_eq!(
            server.hits(),
            3,
            "{total} records: two full pages and a short or empty one"
        );
    }
}

/// A server whose cursor is the next id, under the cursor `field` (a key or pointer).
fn cursor_server(field: &'static str, total: u64) -> impl Fn(&Incoming) -> Reply {
    move |r: &Incoming| {
        let after = q(r, "cursor");
        let end = (after + 10).min(total);
        let mut body = json!({ "data": records(after..end) });
        let next = if end < total {
            json!(end.to_string())
        } else {
            json!(null)
        };
        match field.strip_prefix('/') {
            Some(path) => {
                let (outer, inner) = path.split_once('/').unwrap();
                body[outer] = json!({ inner: next });
            }
            None => body[field] = next,
        }
        Reply::json(body)
    }
}

#[tokio::test]
async fn a_cursor_in_the_body_under_any_usual_name() {
    for field in ["next_token", "nextToken", "cursor", "/meta/next_cursor"] {
        let server = Server::start(cursor_server(field, 25)).await;
        let (store, end) = sync(
            &server,
            Pagination::cursor_any(CURSOR_FIELDS.iter().copied(), "cursor").records("data"),
        )
        .await;
        end.unwrap();
        assert_eq!(ids(&store), (0..25).collect::<Vec<_>>(), "{field}");
        assert_eq!(server.hits(), 3, "{field}");
        let sent: Vec<_> = server
            .requests()
            .iter()
            .map(|r| r.query("cursor").map(str::to_owned))
            .collect();
        assert_eq!(sent, [None, Some("10".into()), Some("20".into())], "{field}");
    }
}

#[tokio::test]
async fn a_cursor_ending_on_an_empty_page() {
    let server = Server::start(|r: &Incoming| match r.query("next") {
        None => Reply::json(json!({ "data": records(0..3), "next_token": "b" })),
        Some("b") => Reply::json(json!({ "data": [], "next_token": "" })),
        Some(other) => panic!("unexpected cursor {other}"),
    })
    .await;
    let (store, end) = sync(&server, Pagination::cursor("next_token", "next").records("data")).await;
    end.unwrap();
    assert_eq!(store, [vec![0, 1, 2], vec![]]);
}

#[tokio::test]
async fn a_repeated_cursor_is_an_error_not_a_loop() {
    let server = Server::start(|r: &Incoming| match r.query("cursor") {
        None => Reply::json(json!({ "data": records(0..2), "cursor": "a" })),
        Some("a") => Reply::json(json!({ "data": records(2..4), "cursor": "b" })),
        Some(_) => Reply::json(json!({ "data": records(4..6), "cursor": "a" })),
    })
    .await;
    let (store, end) = sync(&server, Pagination::cursor("cursor", "cursor").records("data")).await;
    let err = end.unwrap_err();
    assert!(
        matches!(&err.kind, HttpErrorKind::RepeatedCursor(c) if c == "a"),
        "{err}"
    );
    assert!(err.to_string().contains("acme activities"), "{err}");
    assert_eq!(ids(&store), [0, 1, 2, 3], "nothing of the page that looped");
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn the_link_header_names_the_next_page() {
    let server = Server::start(|r: &Incoming| {
        let page = q(r, "page").max(1);
        let reply = Reply::json(records((page - 1) * 10..(page * 10).min(25)));
        if page < 3 {
            let host = r.header("host").unwrap();
            let link = format!(r#"<http://{host}/activities?page={}>; rel="next", <http://{host}/activities?page=3>; rel="last""#, page + 1);
            reply.header("link", &link)
        } else {
            reply
        }
    })
    .await;
    let (store, end) = sync(&server, Pagination::link_header()).await;
    end.unwrap();
    assert_eq!(ids(&store), (0..25).collect::<Vec<_>>());
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn a_link_header_pointing_back_is_an_error() {
    let server = Server::start(|r: &Incoming| {
        let host = r.header("host").unwrap();
        Reply::json(records(0..1)).header(
            "link",
            &format!(r#"<http://{host}/activities?page=2>; rel="next""#),
        )
    })
    .await;
    let (store, end) = sync(&server, Pagination::link_header()).await;
    assert!(matches!(end.unwrap_err().kind, HttpErrorKind::RepeatedCursor(_)));
    assert_eq!(store.len(), 1);
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn a_next_url_in_the_body_absolute_or_relative() {
    let server = Server::start(|r: &Incoming| {
        let after = q(r, "after");
        let end = (after + 10).min(25);
        let next = match end {
            10 => json!(format!(
                "http://{}/activities?after=10",
                r.header("host").unwrap()
            )),
            20 => json!("/activities?after=20"),
            _ => json!(null),
        };
        Reply::json(json!({ "results": records(after..end), "links": { "next": next } }))
    })
    .await;
    let (store, end) = sync(&server, Pagination::next_url("/links/next").records("results")).await;
    end.unwrap();
    assert_eq!(ids(&store), (0..25).collect::<Vec<_>>());
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn a_page_number_the_server_ignores_is_an_error_not_a_loop() {
    let server = Server::start(|_: &Incoming| Reply::json(records(0..10))).await;
    let (store, end) = sync(&server, Pagination::page_number("page")).await;
    let err = end.unwrap_err();
    assert!(matches!(err.kind, HttpErrorKind::RepeatedPage(2)), "{err}");
    assert_eq!(store.len(), 1);
}

/// Page 1 is good; page 2 is `bad`. The walk fails on page 2 with the status in its
/// message, and nothing of page 2 is persisted.
async fn second_page_fails(bad: impl Fn() -> Reply + Send + Sync + 'static) -> HttpError {
    let server = Server::start(move |r: &Incoming| match r.query("page") {
        Some("1") => Reply::json(json!({ "data": records(0..10) })),
        _ => bad(),
    })
    .await;
    let (store, end) = sync(&server, Pagination::page_number("page").records("data")).await;
    assert_eq!(
        store,
        [(0..10).collect::<Vec<_>>()],
        "only the good page is persisted"
    );
    let err = end.unwrap_err();
    let message = err.to_string();
    assert!(message.contains("acme activities: GET /activities"), "{message}");
    assert!(
        err.status().is_some_and(|s| message.contains(&s.to_string())),
        "{message}"
    );
    err
}

#[tokio::test]
async fn malformed_json_is_a_typed_error() {
    let err =
        second_page_fails(|| Reply::with(200, "application/json", r#"{"data": [{"id": 10}, {"id": "#)).await;
    assert!(
        matches!(err.kind, HttpErrorKind::Malformed { status: 200, .. }),
        "{err}"
    );
}

#[tokio::test]
async fn records_of_the_wrong_shape_are_malformed() {
    let err = second_page_fails(|| Reply::json(json!({ "data": [{ "id": 10 }, { "id": "eleven" }] }))).await;
    assert!(
        matches!(err.kind, HttpErrorKind::Malformed { status: 200, .. }),
        "{err}"
    );
}

#[tokio::test]
async fn an_html_body_is_a_typed_error() {
    let err = second_page_fails(|| {
        Reply::with(
            200,
            "text/html; charset=utf-8",
            "<html><body>Log in</body></html>",
        )
    })
    .await;
    assert!(matches!(err.kind, HttpErrorKind::Html { status: 200 }), "{err}");
    // HTML is recognised by its body too, whatever the content type says.
    let err =
        second_page_fails(|| Reply::with(200, "application/json", "\n<!DOCTYPE html><html></html>")).await;
    assert!(matches!(err.kind, HttpErrorKind::Html { status: 200 }), "{err}");
}

#[tokio::test]
async fn a_200_with_an_error_object_is_a_typed_error() {
    let err = second_page_fails(|| {
        Reply::json(json!({ "error": { "code": "quota", "message": "daily quota spent" } }))
    })
    .await;
    assert!(
        matches!(&err.kind, HttpErrorKind::ErrorObject { status: 200, message } if message.contains("daily quota spent")),
        "{err}"
    );
    let err = second_page_fails(|| Reply::json(json!({ "ok": false, "data": [] }))).await;
    assert!(
        matches!(err.kind, HttpErrorKind::ErrorObject { status: 200, .. }),
        "{err}"
    );
}

#[tokio::test]
async fn records_missing_from_the_body_are_a_typed_error() {
    let err = second_page_fails(|| Reply::json(json!({ "items": [] }))).await;
    assert!(
        matches!(&err.kind, HttpErrorKind::NoRecords { status: 200, pointer } if pointer == "data"),
        "{err}"
    );
}

#[tokio::test]
async fn a_truncated_page_is_a_typed_error() {
    let err = second_page_fails(|| Reply::Truncate {
        status: 200,
        declared: 500,
        body: br#"{"data": [{"id": 10}"#.to_vec(),
    })
    .await;
    assert!(
        matches!(
            err.kind,
            HttpErrorKind::Transport(tento::http::TransportError::Truncated { status: 200, .. })
        ),
        "{err}"
    );
}

#[tokio::test]
async fn a_server_error_page_is_a_typed_error() {
    let err = second_page_fails(|| Reply::with(500, "text/html", "<html>Internal Server Error</html>")).await;
    assert!(
        matches!(err.kind, HttpErrorKind::Status { status: 500, .. }),
        "{err}"
    );
}
