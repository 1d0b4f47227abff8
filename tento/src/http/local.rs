//! A small HTTP/1.1 server on 127.0.0.1 (feature `testing`), to test an SDK or a token
//! endpoint against a real socket without network: each request is logged and answered
//! by a handler that can also misbehave as real APIs and networks do (reset the
//! connection, hang, send a truncated body). Connections are kept alive, as reqwest
//! expects. Dropping the [`Server`] stops it and every connection. The one test server
//! of tento: [`FakeTokenEndpoint`](crate::testing::FakeTokenEndpoint) runs on it too.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use tento::http::local::{Incoming, Reply, Server};
//!
//! let server = Server::start(|r: &Incoming| match r.query("page") {
//!     Some("2") => Reply::json(serde_json::json!({ "data": [] })),
//!     _ => Reply::json(serde_json::json!({ "data": [1, 2] })),
//! })
//! .await;
//! // … point an `HttpTransport` at `server.url()` …
//! # drop(server.url());
//! assert_eq!(server.hits(), 0);
//! # }
//! ```

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// One request as the server read it.
#[derive(Clone, Debug)]
pub struct Incoming {
    /// Its 0-based number among all requests the server got.
    pub n: usize,
    /// When it arrived.
    pub at: Instant,
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query, decoded.
    pub query: Vec<(String, String)>,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Incoming {
    /// The value of query parameter `name`.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of field `name` of a form-encoded body (`application/x-www-form-urlencoded`,
    /// as a token refresh sends), decoded.
    pub fn form(&self, name: &str) -> Option<String> {
        parse_query(&String::from_utf8_lossy(&self.body))
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How the server answers one request.
pub enum Reply {
    /// A whole response.
    Respond {
        /// The status.
        status: u16,
        /// The headers (`content-length` is added).
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// Reset the connection without answering.
    Reset,
    /// Answer nothing for this long, then close.
    Hang(Duration),
    /// Declare `declared` bytes of body, send `body` (fewer), close.
    Truncate {
        /// The status.
        status: u16,
        /// The `content-length` sent.
        declared: usize,
        /// The bytes sent.
        body: Vec<u8>,
    },
}

impl Reply {
    /// A `200` with a JSON body.
    pub fn json(value: serde_json::Value) -> Self {
        Self::with(200, "application/json", value.to_string())
    }

    /// A response with `status`, `content_type` and `body`.
    pub fn with(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Reply::Respond {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
        }
    }

    /// The response with a header added.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

type Handler = dyn Fn(&Incoming) -> Reply + Send + Sync;

/// A running server; stopped when dropped.
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    log: Arc<Mutex<Vec<Incoming>>>,
    accept: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Starts a server on an ephemeral port of 127.0.0.1, answering through `handler`.
    pub async fn start(handler: impl Fn(&Incoming) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding an ephemeral port of 127.0.0.1");
        let addr = listener.local_addr().expect("a bound listener has an address");
        let log = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let count = Arc::new(AtomicUsize::new(0));
        let accept = tokio::spawn({
            let log = log.clone();
            async move {
                // Connections live in the set, so stopping the accept loop stops them.
                let mut connections = JoinSet::new();
                while let Ok((stream, _)) = listener.accept().await {
                    connections.spawn(serve(stream, handler.clone(), log.clone(), count.clone()));
                    while connections.try_join_next().is_some() {}
                }
            }
        });
        Server { addr, log, accept }
    }

    /// Its base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Incoming> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// How many requests it got.
    pub fn hits(&self) -> usize {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    handler: Arc<Handler>,
    log: Arc<Mutex<Vec<Incoming>>>,
    count: Arc<AtomicUsize>,
) {
    let mut buf = Vec::with_capacity(4096);
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next().unwrap_or_default().split(' ');
        let method = request_line.next().unwrap_or_default().to_owned();
        let target = request_line.next().unwrap_or_default().to_owned();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let length = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(0);
        while buf.len() < head_end + length {
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body = buf[head_end..head_end + length].to_vec();
        buf.drain(..head_end + length);
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_owned(), parse_query(q)),
            None => (target.clone(), Vec::new()),
        };
        let incoming = Incoming {
            n: count.fetch_add(1, Ordering::SeqCst),
            at: Instant::now(),
            method,
            path,
            query,
            headers,
            body,
        };
        log.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(incoming.clone());
        match handler(&incoming) {
            Reply::Respond {
                status,
                headers,
                body,
            } => {
                let mut out = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
                for (k, v) in headers {
                    out.push_str(&format!("{k}: {v}\r\n"));
                }
                out.push_str("\r\n");
                let mut bytes = out.into_bytes();
                bytes.extend_from_slice(&body);
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Reply::Reset => {
                // Linger zero: closing sends RST, not FIN.
                let _ = stream.set_zero_linger();
                return;
            }
            Reply::Hang(d) => {
                tokio::time::sleep(d).await;
                return;
            }
            Reply::Truncate {
                status,
                declared,
                body,
            } => {
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\n\r\n"
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body).await;
                let _ = stream.flush().await;
                return;
            }
        }
    }
}

fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// `application/x-www-form-urlencoded` decoding, as reqwest encodes queries.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
