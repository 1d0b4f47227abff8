//! A server on 127.0.0.1 answering as the spec says the API does: the offline
//! transport's answers over HTTP, pages, `Link` headers and all. A host's tests connect
//! an account with its URL as the account's `base_url`; the crate's own tests point a
//! client at it. Feature `testing`.

use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value;
use tento::http::local::{Incoming, Reply, Server};
use tento::http::{Method, Request};

use super::offline::{Listing, OfflineTransport};

/// Requests the server answers; past them it answers `400`, so a client that loops
/// fails its test instead of running on (a row's sync asks for two or three pages).
pub const MAX_REQUESTS: usize = 100;

/// The pages served so far: each listing's path and the records of one page.
type Served = Arc<Mutex<Vec<(&'static str, Vec<Value>)>>>;

/// The server; stopped when dropped.
pub struct LocalApi {
    server: Server,
    served: Served,
}

impl LocalApi {
    /// Starts it on an ephemeral port of 127.0.0.1.
    pub async fn start() -> LocalApi {
        let served = Served::default();
        let log = served.clone();
        let server = Server::start(move |incoming: &Incoming| {
            if incoming.n >= MAX_REQUESTS {
                return Reply::with(400, "text/plain", "the test server's requests are spent");
            }
            // Next-page URLs point back here, by the address the client asked.
            let origin = incoming
                .header("host")
                .map(|host| format!("http://{host}"))
                .unwrap_or_default();
            let request = request(incoming);
            let response = OfflineTransport::answer_at(&origin, &request);
            if let (Method::Get, 200, Some((listing, ""))) = (
                request.method,
                response.status,
                Listing::find(&request.path),
            ) {
                let records = listing.records_in(&response.body);
                let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
                log.push((listing.path, records));
            }
            Reply::Respond {
                status: response.status,
                headers: response.headers,
                body: response.body,
            }
        })
        .await;
        LocalApi { server, served }
    }

    /// Its base URL, `http://127.0.0.1:<port>`: an account's `base_url`.
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Incoming> {
        self.server.requests()
    }

    /// The pages of the listing at `path` served so far, in order: each page's records.
    pub fn pages(&self, path: &str) -> Vec<Vec<Value>> {
        let served = self.served.lock().unwrap_or_else(PoisonError::into_inner);
        served
            .iter()
            .filter(|(listing, _)| *listing == path)
            .map(|(_, records)| records.clone())
            .collect()
    }
}

/// The request the server read, as the offline transport takes it.
fn request(incoming: &Incoming) -> Request {
    let method = match incoming.method.as_str() {
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "PATCH" => Method::Patch,
        "DELETE" => Method::Delete,
        _ => Method::Get,
    };
    let mut request = Request::new(method, incoming.path.clone());
    request.query = incoming.query.clone();
    request.headers = incoming.headers.clone();
    request.body = (!incoming.body.is_empty()).then(|| incoming.body.clone());
    request
}
