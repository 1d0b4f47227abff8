//! A paged sync of N records from a server on 127.0.0.1, two ways over the same pages:
//! a bare reqwest loop (send, read, `serde_json::from_slice` the page, keep its cursor)
//! and tento::http (HttpTransport, the default Retry, a RateLimit that never binds, a
//! bearer token, the cursor Pager). Each "persists" a page by folding it into a
//! checksum before fetching the next, as a row does.
//!
//! Prints the time of each (best and median of the runs), their ratio, and the peak of
//! live heap bytes during one sync of 10,000 and of 100,000 records (a counting
//! allocator), which stays flat when pages are not accumulated.
//!
//! `cargo run --release -p tento-bench-http -- [runs]`

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::Deserialize;
use tento::http::{ApiClient, BearerToken, HttpTransport, Pagination, RateLimit, Request};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Records per page.
const PAGE: usize = 100;

/// The heap, counted: bytes live now and the most live since the last reset.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

#[derive(Deserialize)]
struct Record {
    id: String,
    date: String,
    value: f64,
}

#[derive(Deserialize)]
struct Page {
    data: Vec<Record>,
    next_cursor: Option<String>,
}

/// What a row would persist, folded so the work cannot be optimised away.
fn persist(sum: &mut f64, records: &[Record]) {
    for r in records {
        *sum += r.value + (r.id.len() + r.date.len()) as f64;
    }
}

/// Serves `GET /records?cursor=<offset>&total=<n>` pages of generated records, keep-alive.
async fn serve(listener: TcpListener) {
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            return;
        };
        tokio::spawn(async move {
            let mut buf = Vec::with_capacity(4096);
            let mut body = String::with_capacity(PAGE * 80);
            loop {
                let end = loop {
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i + 4;
                    }
                    let mut chunk = [0u8; 4096];
                    match stream.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                };
                let head = std::str::from_utf8(&buf[..end]).unwrap_or_default();
                let target = head.split(' ').nth(1).unwrap_or_default();
                let param = |name: &str| {
                    target
                        .split(['?', '&'])
                        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
                        .and_then(|v| v.parse::<usize>().ok())
                };
                let (from, total) = (param("cursor").unwrap_or(0), param("total").unwrap_or(0));
                let to = (from + PAGE).min(total);
                body.clear();
                body.push_str("{\"data\":[");
                for i in from..to {
                    if i > from {
                        body.push(',');
                    }
                    use std::fmt::Write;
                    let _ = write!(
                        body,
                        r#"{{"id":"rec-{i:08}","date":"2024-{:02}-{:02}","value":{}.5}}"#,
                        i % 12 + 1,
                        i % 28 + 1,
                        i % 1000
                    );
                }
                body.push_str("],\"next_cursor\":");
                if to < total {
                    body.push_str(&format!("\"{to}\""));
                } else {
                    body.push_str("null");
                }
                body.push('}');
                // One write of head and body: two small writes would meet Nagle's
                // algorithm and the client's delayed ACK (40 ms a page).
                let mut out = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                out.push_str(&body);
                buf.drain(..end);
                if stream.write_all(out.as_bytes()).await.is_err() {
                    return;
                }
            }
        });
    }
}

async fn bare(client: &reqwest::Client, base: &str, total: usize) -> (usize, f64) {
    let (mut n, mut sum, mut cursor) = (0, 0.0, None::<String>);
    loop {
        let url = match &cursor {
            Some(c) => format!("{base}/records?total={total}&cursor={c}"),
            None => format!("{base}/records?total={total}"),
        };
        let response = client.get(url).bearer_auth("token").send().await.unwrap();
        assert!(response.status().is_success());
        let page: Page = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        n += page.data.len();
        persist(&mut sum, &page.data);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return (n, sum),
        }
    }
}

async fn layered(api: &ApiClient, total: usize) -> (usize, f64) {
    let request = Request::get("/records").query("total", total);
    let mut pages = api.pager(
        "records",
        request,
        Pagination::cursor("next_cursor", "cursor").records("data"),
    );
    let (mut n, mut sum) = (0, 0.0);
    while let Some(page) = pages.next_page::<Record>().await.unwrap() {
        n += page.len();
        persist(&mut sum, &page);
    }
    (n, sum)
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let runs: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(serve(listener));

    let client = reqwest::Client::builder().build().unwrap();
    let transport = HttpTransport::builder(&base).build().unwrap();
    let api = ApiClient::new("bench", Arc::new(transport))
        .with_tokens(Arc::new(BearerToken::new("token")))
        .with_rate_limit(RateLimit::new(1_000_000, Duration::from_secs(1)));

    // Warm both connection pools and the allocator.
    assert_eq!(bare(&client, &base, 1_000).await.0, 1_000);
    assert_eq!(layered(&api, 1_000).await.0, 1_000);

    let total = 100_000;
    let (mut t_bare, mut t_layered) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let start = Instant::now();
        let a = bare(&client, &base, total).await;
        t_bare.push(start.elapsed());
        let start = Instant::now();
        let b = layered(&api, total).await;
        t_layered.push(start.elapsed());
        assert_eq!(a, b, "both read the same records");
        assert_eq!(a.0, total);
    }
    let (best_bare, best_layered) = (*t_bare.iter().min().unwrap(), *t_layered.iter().min().unwrap());
    println!("paged sync of {total} records, {PAGE} a page, {runs} runs each (best / median):");
    println!(
        "  bare reqwest loop : {best_bare:>10.1?} / {:>10.1?}",
        median(t_bare.clone())
    );
    println!(
        "  tento::http       : {best_layered:>10.1?} / {:>10.1?}",
        median(t_layered.clone())
    );
    println!(
        "  ratio (tento / bare): best {:.3}, median {:.3}  (floor: <= 1.10)",
        best_layered.as_secs_f64() / best_bare.as_secs_f64(),
        median(t_layered).as_secs_f64() / median(t_bare).as_secs_f64()
    );

    println!("peak live heap during one sync (server included):");
    for total in [10_000, 100_000] {
        for (name, layered_run) in [("bare reqwest loop", false), ("tento::http", true)] {
            let before = LIVE.load(Ordering::Relaxed);
            PEAK.store(before, Ordering::Relaxed);
            let n = if layered_run {
                layered(&api, total).await.0
            } else {
                bare(&client, &base, total).await.0
            };
            assert_eq!(n, total);
            let peak = PEAK.load(Ordering::Relaxed) - before;
            println!(
                "  {total:>7} records, {name:<17}: {:>8.1} KiB",
                peak as f64 / 1024.0
            );
        }
    }
    server.abort();
}
