//! A transport that answers as the spec says the API does, from its examples (or
//! values made from its schemas), so the crate's tests and the hosts that load it run
//! offline: each listing paged as the spec says (or as the mapping overrides it), an
//! item by its id, a write the spec has answered with the record it leaves.
//! `api::local::LocalApi` (feature `testing`) serves the same answers over HTTP.

use serde_json::Value;
use tento::http::{Method, Request, Response, Transport, TransportError};

/// Answers from the spec's examples instead of the network. Chosen explicitly: by
/// [`Client::offline`](crate::Client::offline), or for every client with the `offline`
/// feature whose account names no `base_url` of its own.
#[derive(Clone, Copy, Debug, Default)]
pub struct OfflineTransport;

/// A listing of the spec as this transport serves it: the records of the spec's example
/// page in turn, repeats told apart, over as many pages as the spec's pagination makes
/// of them.
#[derive(Clone, Copy, Debug)]
pub struct Listing {
    /// Its path.
    pub path: &'static str,
    /// The spec's example page (or one made from its schemas), as JSON.
    pub page: &'static str,
    /// The page's field holding the records; `None` when the page is a bare array.
    pub records: Option<&'static str>,
    /// The records' id field, when they have one.
    pub id: Option<&'static str>,
    /// The records' date field.
    pub date: &'static str,
    /// How it pages.
    pub paging: Paging,
    /// The writes the spec has on it: each method, and the field of its answer holding
    /// the record (`None`: the answer is the record, or holds none).
    pub writes: &'static [(Method, Option<&'static str>)],
}

/// How a listing pages, as the spec says: the server's side of the row's `pagination()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paging {
    /// One page.
    Single,
    /// `?param=1,2,…`; with the spec's page-size parameter and size, `size` records a
    /// page, else the example page's count.
    Page {
        /// The page parameter.
        param: &'static str,
        /// The size parameter and the size the client asks for.
        size: Option<(&'static str, usize)>,
    },
    /// `?offset=…&limit=…`.
    Offset {
        /// The offset parameter.
        offset: &'static str,
        /// The limit parameter.
        limit: &'static str,
        /// The limit the client asks for.
        size: usize,
    },
    /// A cursor in the body's `field` (a key or JSON pointer), sent back as `?param=`.
    Cursor {
        /// Where the body keeps it.
        field: &'static str,
        /// The query parameter it comes back in.
        param: &'static str,
    },
    /// `Link: <…>; rel="next"`.
    Link,
    /// A next-page URL in the body's `field`.
    NextUrl {
        /// Where the body keeps it.
        field: &'static str,
    },
}

/// The query parameter of the next-page URLs this transport hands out (`Link`, next
/// URL): where the page starts in the listing.
const START: &str = "page_start";

impl Listing {
    /// The listing whose path `path` is or lies under, with the rest of `path` (`""`, or
    /// `/<id>` for an item); the longest path wins.
    pub fn find(path: &str) -> Option<(&'static Listing, &str)> {
        LISTINGS
            .iter()
            .filter_map(|listing| {
                let rest = path.strip_prefix(listing.path)?;
                (rest.is_empty() || rest.starts_with('/')).then_some((listing, rest))
            })
            .max_by_key(|(listing, _)| listing.path.len())
    }

    /// Every record of the listing, over all its pages: a first page as long as the
    /// client asks for (the example page's count when it asks for none), then the
    /// example page's records once more, so the listing takes two pages (one when the
    /// API does not page). Records past the example's are its records again, told
    /// apart by their id (or, without one, their date) so a host keeps each.
    pub fn all(&self) -> Vec<Value> {
        let example = self.records_in(self.page.as_bytes());
        if example.is_empty() {
            return example;
        }
        let first = match self.paging {
            Paging::Single => return example,
            Paging::Page {
                size: Some((_, size)),
                ..
            }
            | Paging::Offset { size, .. } => size.max(1),
            _ => example.len(),
        };
        (0..first + example.len())
            .map(|n| self.nth(&example, n))
            .collect()
    }

    /// The records of a page this listing served (its body).
    pub fn records_in(&self, body: &[u8]) -> Vec<Value> {
        let page: Value = serde_json::from_slice(body).unwrap_or_default();
        let list = match self.records {
            Some(field) => &page[field],
            None => &page,
        };
        list.as_array().cloned().unwrap_or_default()
    }

    /// Record `n` of the listing: the example's record `n` in turn, repeat `k` told apart.
    fn nth(&self, example: &[Value], n: usize) -> Value {
        let mut record = example[n % example.len()].clone();
        let k = (n / example.len()) as i64;
        if k == 0 {
            return record;
        }
        let id = self.id.map_or(&Value::Null, |id| &record[id]);
        // Numeric ids past every example's, so no repeat takes another record's id.
        let top = example
            .iter()
            .filter_map(|r| r[self.id.unwrap_or_default()].as_i64())
            .max()
            .unwrap_or(0);
        let told_apart = match id {
            Value::String(id) => Some((self.id, Value::from(format!("{id}-{k}")))),
            Value::Number(id) => id
                .as_i64()
                .and_then(|id| id.checked_add(k.checked_mul(top.checked_add(1)?)?))
                .map(|id| (self.id, Value::from(id))),
            _ => later(&record[self.date], k).map(|date| (Some(self.date), date)),
        };
        if let Some((Some(field), value)) = told_apart {
            record[field] = value;
        }
        record
    }

    /// The answer to `request` for the listing or one of its items (`rest`), from a
    /// server at `origin`.
    fn answer(&self, origin: &str, request: &Request, rest: &str) -> Response {
        let item = rest.strip_prefix('/');
        let write = self
            .writes
            .iter()
            .find(|(method, _)| *method == request.method);
        match (request.method, item, write) {
            (Method::Get, None, _) => self.page(origin, request),
            (Method::Post, None, Some((_, field)))
            | (Method::Patch | Method::Put, Some(_), Some((_, field))) => {
                // A create is answered over the listing's first record (its fields the
                // ones the API fills in), an update over the record it names.
                let stored = match item {
                    None => Some(
                        self.all()
                            .into_iter()
                            .next()
                            .unwrap_or_else(|| Value::Object(Default::default())),
                    ),
                    Some(wanted) => self.record(wanted),
                };
                let Some(mut record) = stored else {
                    return Response::status(
                        404,
                        format!("no record {}", item.unwrap_or_default()),
                    );
                };
                let sent: Value = request
                    .body
                    .as_deref()
                    .and_then(|body| serde_json::from_slice(body).ok())
                    .unwrap_or_default();
                if let (Some(record), Some(sent)) = (record.as_object_mut(), sent.as_object()) {
                    record.extend(sent.clone());
                }
                match field {
                    Some(field) => {
                        let mut answer = serde_json::Map::new();
                        answer.insert((*field).to_owned(), record);
                        Response::json(&Value::Object(answer))
                    }
                    None => Response::json(&record),
                }
            }
            (Method::Get | Method::Delete, Some(wanted), _) => {
                match (self.record(wanted), request.method) {
                    (Some(_), Method::Delete) => Response::json(&Value::Null),
                    (Some(record), _) => Response::json(&record),
                    (None, _) => Response::status(404, format!("no record {wanted}")),
                }
            }
            _ => Response::status(405, "method not allowed"),
        }
    }

    /// The listing's record whose id is `wanted`.
    fn record(&self, wanted: &str) -> Option<Value> {
        let id = self.id.unwrap_or("id");
        self.all().into_iter().find(|r| match &r[id] {
            Value::String(s) => s == wanted,
            other => other.as_i64().is_some_and(|n| wanted.parse() == Ok(n)),
        })
    }

    /// The page `request` asks for, with the way to the next one as the spec says: a
    /// cursor or next-page URL in the body, or a `Link` header; none after the last.
    fn page(&self, origin: &str, request: &Request) -> Response {
        let all = self.all();
        let example = self.records_in(self.page.as_bytes()).len().max(1);
        let number = |name: &str| {
            request
                .query_value(name)
                .and_then(|v| v.parse::<usize>().ok())
        };
        let (start, size) = match self.paging {
            Paging::Single => (0, all.len()),
            Paging::Page { param, size } => {
                let size = size.map_or(example, |(param, size)| number(param).unwrap_or(size));
                let page = number(param).unwrap_or(1).max(1);
                ((page - 1) * size, size)
            }
            Paging::Offset {
                offset,
                limit,
                size,
            } => (number(offset).unwrap_or(0), number(limit).unwrap_or(size)),
            Paging::Cursor { param, .. } => (number(param).unwrap_or(0), example),
            Paging::Link | Paging::NextUrl { .. } => (number(START).unwrap_or(0), example),
        };
        let start = start.min(all.len());
        let end = (start + size.max(1)).min(all.len());
        let next = (end < all.len()).then_some(end);
        let url = |start: usize| format!("{origin}{}?{START}={start}", self.path);
        let mut page: Value = serde_json::from_str(self.page).unwrap_or_default();
        let records = Value::from(all[start..end].to_vec());
        match self.records {
            Some(field) => page[field] = records,
            None => page = records,
        }
        match self.paging {
            Paging::Cursor { field, .. } => {
                set(&mut page, field, next.map(|n| n.to_string()).into())
            }
            Paging::NextUrl { field } => set(&mut page, field, next.map(url).into()),
            _ => {}
        }
        let mut response = Response::json(&page);
        if let (Paging::Link, Some(next)) = (self.paging, next) {
            let link = format!("<{}>; rel=\"next\"", url(next));
            response.headers.push(("link".into(), link));
        }
        response
    }
}

/// `date` (a day, a date-time or seconds since the epoch) `days` later.
fn later(date: &Value, days: i64) -> Option<Value> {
    if let Some(seconds) = date.as_i64() {
        return Some(Value::from(seconds + days * 86_400));
    }
    let text = date.as_str()?;
    let shift = chrono::Duration::days(days);
    if let Ok(day) = text.parse::<chrono::NaiveDate>() {
        return Some(Value::from((day + shift).to_string()));
    }
    let at = chrono::DateTime::parse_from_rfc3339(text).ok()?;
    Some(Value::from((at + shift).to_rfc3339()))
}

/// Sets `field` of `page` (a key, or a JSON pointer such as `/meta/next`) to `value`,
/// making the objects on the way.
fn set(page: &mut Value, field: &str, value: Value) {
    let keys: Vec<&str> = match field.strip_prefix('/') {
        Some(pointer) => pointer.split('/').collect(),
        None => vec![field],
    };
    let mut at = page;
    for key in keys {
        if !at.is_object() {
            *at = Value::Object(serde_json::Map::new());
        }
        at = &mut at[key];
    }
    *at = value;
}

/// The answer of the listing `request` names, or `404`. A next-page URL this transport
/// handed out comes back whole, its query in its path.
fn serve(origin: &str, request: &Request) -> Response {
    let mut request = request.clone();
    if let Some((path, query)) = request.path.clone().split_once('?') {
        request.path = path.to_owned();
        for (name, value) in query.split('&').filter_map(|pair| pair.split_once('=')) {
            request.set_query(name, value);
        }
    }
    match Listing::find(&request.path) {
        Some((listing, rest)) => listing.answer(origin, &request, rest),
        None => Response::status(404, format!("the spec has no {}", request.path)),
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
