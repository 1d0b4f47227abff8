//! A small HTTP/1.1 server on 127.0.0.1 for tests: each request goes to a handler, every
//! connection closes after one answer, and the server stops when dropped. Enough to
//! stand in for a provider's token endpoint or API; never for production traffic.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A request as the handler sees it.
#[derive(Clone, Debug)]
pub struct LoopbackRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path and query, as sent.
    pub path: String,
    /// The headers, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body, as text.
    pub body: String,
}

impl LoopbackRequest {
    /// The first header called `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A field of a form-encoded body.
    pub fn form(&self, name: &str) -> Option<String> {
        self.body.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (k == name).then(|| v.replace('+', " ").replace("%20", " "))
        })
    }
}

/// A status, a content type and a body.
pub type LoopbackAnswer = (u16, &'static str, String);

/// A server on a free port of 127.0.0.1, answering through a handler until dropped.
pub struct LoopbackServer {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    hits: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl LoopbackServer {
    /// Serves `handler` on a free loopback port.
    pub async fn start(
        handler: impl Fn(&LoopbackRequest) -> LoopbackAnswer + Send + Sync + 'static,
    ) -> std::io::Result<LoopbackServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let hits = Arc::new(AtomicUsize::new(0));
        let handler = Arc::new(handler);
        let counted = hits.clone();
        let task = tokio::spawn(async move {
            // Bounded: a test never sends more than this many requests.
            for _ in 0..10_000 {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let handler = handler.clone();
                let counted = counted.clone();
                tokio::spawn(async move {
                    let Ok(Ok(Some(request))) =
                        tokio::time::timeout(Duration::from_secs(5), read(&mut socket)).await
                    else {
                        return;
                    };
                    counted.fetch_add(1, Ordering::SeqCst);
                    let (status, content_type, body) = handler(&request);
                    let head = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket.write_all(body.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Ok(LoopbackServer { url, hits, task })
    }

    /// Requests answered so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn read(socket: &mut tokio::net::TcpStream) -> std::io::Result<Option<LoopbackRequest>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = socket.read(&mut chunk).await?;
        if n == 0 || buf.len() > 64 * 1024 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_owned();
    let path = first.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(LoopbackRequest {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }))
}
