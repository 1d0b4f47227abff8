//! Pagination: the styles real APIs use, walked page by page.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::client::ApiClient;
use super::error::{HttpError, HttpErrorKind};
use super::{Request, Response};

/// The cursor fields [`Pagination::cursor_any`] looks for when told nothing else.
pub const CURSOR_FIELDS: &[&str] = &[
    "next_token",
    "nextToken",
    "next_cursor",
    "nextCursor",
    "cursor",
    "/meta/next_cursor",
    "/response_metadata/next_cursor",
];

/// How an API splits a listing into pages, and where a page keeps its records.
///
/// Field names are top-level keys (`next_token`) or JSON pointers (`/meta/next`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pagination {
    style: Style,
    records: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Style {
    PageNumber {
        param: String,
        first: u64,
        size: Option<(String, u64)>,
    },
    Offset {
        offset: String,
        limit: String,
        size: u64,
    },
    Cursor {
        fields: Vec<String>,
        param: String,
    },
    Link,
    NextUrl {
        field: String,
    },
}

impl Pagination {
    /// `?page=1`, `?page=2`, … until a page is empty (or, with
    /// [`page_size`](Self::page_size), shorter than the size).
    pub fn page_number(param: impl Into<String>) -> Self {
        Self::style(Style::PageNumber {
            param: param.into(),
            first: 1,
            size: None,
        })
    }

    /// For [`page_number`](Self::page_number): the first page's number (default 1).
    pub fn first_page(mut self, first: u64) -> Self {
        if let Style::PageNumber { first: f, .. } = &mut self.style {
            *f = first;
        }
        self
    }

    /// For [`page_number`](Self::page_number): send `param=size`, and stop after a page
    /// shorter than `size` without asking for the next.
    pub fn page_size(mut self, param: impl Into<String>, size: u64) -> Self {
        if let Style::PageNumber { size: s, .. } = &mut self.style {
            *s = Some((param.into(), size));
        }
        self
    }

    /// `?offset=0&limit=100`, then `offset=100`, … advancing by the records received,
    /// until a page is shorter than `limit`.
    pub fn offset(offset: impl Into<String>, limit: impl Into<String>, size: u64) -> Self {
        Self::style(Style::Offset {
            offset: offset.into(),
            limit: limit.into(),
            size: size.max(1),
        })
    }

    /// A cursor in the body's `field`, sent back as `?param=<cursor>`, until it is
    /// absent, `null` or empty.
    pub fn cursor(field: impl Into<String>, param: impl Into<String>) -> Self {
        Self::cursor_any([field.into()], param)
    }

    /// [`cursor`](Self::cursor) read from the first of `fields` present (see
    /// [`CURSOR_FIELDS`] for the usual names).
    pub fn cursor_any<I, S>(fields: I, param: impl Into<String>) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::style(Style::Cursor {
            fields: fields.into_iter().map(Into::into).collect(),
            param: param.into(),
        })
    }

    /// The URL in the `Link` header's `rel="next"` (RFC 8288), until there is none.
    pub fn link_header() -> Self {
        Self::style(Style::Link)
    }

    /// A next-page URL in the body's `field`, until it is absent, `null` or empty.
    pub fn next_url(field: impl Into<String>) -> Self {
        Self::style(Style::NextUrl { field: field.into() })
    }

    /// Where each page keeps its records: a field or JSON pointer (`data`, `/items`);
    /// default the body itself, as an array.
    pub fn records(mut self, field: impl Into<String>) -> Self {
        self.records = field.into();
        self
    }

    fn style(style: Style) -> Self {
        Pagination {
            style,
            records: String::new(),
        }
    }
}

/// Walks a listing page by page: each [`next_page`](Self::next_page) fetches one page
/// and holds nothing of the ones before, so a row persists a page before it asks for
/// the next and memory stays flat however long the history.
///
/// A cursor or URL handed out twice, or a numbered page equal to the one before, is an
/// error ([`RepeatedCursor`](HttpErrorKind::RepeatedCursor),
/// [`RepeatedPage`](HttpErrorKind::RepeatedPage)), not an endless loop; nothing of the
/// page that carried it is returned. After an error the pager is done.
#[derive(Debug)]
pub struct Pager<'a> {
    api: &'a ApiClient,
    row: String,
    first: Request,
    next: Option<Request>,
    pagination: Pagination,
    /// Hashes of the cursors and URLs followed (8 bytes a page, not the pages).
    seen: HashSet<u64>,
    /// The hash of the last numbered page's body, to catch an API that repeats it.
    last_page: Option<u64>,
    /// The page number or offset of `next`.
    position: u64,
}

impl<'a> Pager<'a> {
    pub(crate) fn new(api: &'a ApiClient, row: &str, request: Request, pagination: Pagination) -> Self {
        let mut first = request;
        let position = match &pagination.style {
            Style::PageNumber {
                param,
                first: n,
                size,
            } => {
                first.set_query(param, n);
                if let Some((size_param, size)) = size {
                    first.set_query(size_param, size);
                }
                *n
            }
            Style::Offset { offset, limit, size } => {
                first.set_query(offset, 0);
                first.set_query(limit, size);
                0
            }
            _ => 0,
        };
        Pager {
            api,
            row: row.to_owned(),
            next: Some(first.clone()),
            first,
            pagination,
            seen: HashSet::new(),
            last_page: None,
            position,
        }
    }

    /// The next page's records, or `None` when the listing is done.
    pub async fn next_page<T: DeserializeOwned>(&mut self) -> Result<Option<Vec<T>>, HttpError> {
        let Some(request) = self.next.take() else {
            return Ok(None);
        };
        let (response, body) = self.api.json_value(&self.row, &request).await?;
        let api = self.api;
        let row = self.row.clone();
        let fail = |kind| api.error(&row, &request, kind);
        let status = response.status;
        let records = match lookup(&body, &self.pagination.records) {
            Some(serde_json::Value::Null) => serde_json::Value::Array(Vec::new()),
            Some(serde_json::Value::Array(_)) => lookup(&body, &self.pagination.records)
                .cloned()
                .unwrap_or_default(),
            _ => {
                return Err(fail(HttpErrorKind::NoRecords {
                    status,
                    pointer: self.pagination.records.clone(),
                }));
            }
        };
        let count = records.as_array().map_or(0, Vec::len) as u64;
        let next = self.next_request(&response, &body, count).map_err(fail)?;
        let records = Vec::<T>::deserialize(records)
            .map_err(|source| fail(HttpErrorKind::Malformed { status, source }))?;
        self.next = next;
        Ok(Some(records))
    }

    /// The request for the page after this one, `None` at the end.
    fn next_request(
        &mut self,
        response: &Response,
        body: &serde_json::Value,
        count: u64,
    ) -> Result<Option<Request>, HttpErrorKind> {
        // A clone (a few short strings a page) so the arms may update the pager.
        match &self.pagination.style.clone() {
            Style::PageNumber { param, size, .. } => {
                let short = size.as_ref().is_some_and(|(_, size)| count < *size);
                if count == 0 || short {
                    return Ok(None);
                }
                self.check_not_repeated(body)?;
                self.position += 1;
                let mut next = self.first.clone();
                next.set_query(param, self.position);
                Ok(Some(next))
            }
            Style::Offset { offset, size, .. } => {
                if count < *size {
                    return Ok(None);
                }
                self.check_not_repeated(body)?;
                self.position += count;
                let mut next = self.first.clone();
                next.set_query(offset, self.position);
                Ok(Some(next))
            }
            Style::Cursor { fields, param } => {
                let cursor = fields.iter().find_map(|f| text(lookup(body, f)?));
                let Some(cursor) = cursor else { return Ok(None) };
                self.check_new(&cursor)?;
                let mut next = self.first.clone();
                next.set_query(param, cursor);
                Ok(Some(next))
            }
            Style::Link => {
                let url = response
                    .headers
                    .iter()
                    .filter(|(k, _)| k.eq_ignore_ascii_case("link"))
                    .find_map(|(_, v)| next_link(v));
                self.follow(url)
            }
            Style::NextUrl { field } => {
                let url = lookup(body, field).and_then(text);
                self.follow(url)
            }
        }
    }

    /// The request for a next-page URL, which carries its own query.
    fn follow(&mut self, url: Option<String>) -> Result<Option<Request>, HttpErrorKind> {
        let Some(url) = url else { return Ok(None) };
        self.check_new(&url)?;
        let mut next = self.first.clone();
        next.path = url;
        next.query.clear();
        Ok(Some(next))
    }

    fn check_new(&mut self, cursor: &str) -> Result<(), HttpErrorKind> {
        if self.seen.insert(hash(cursor)) {
            Ok(())
        } else {
            Err(HttpErrorKind::RepeatedCursor(cursor.to_owned()))
        }
    }

    fn check_not_repeated(&mut self, body: &serde_json::Value) -> Result<(), HttpErrorKind> {
        let h = hash(body);
        if self.last_page.replace(h) == Some(h) {
            return Err(HttpErrorKind::RepeatedPage(self.position));
        }
        Ok(())
    }
}

/// `field` (a top-level key) or `/a/b` (a JSON pointer) in `body`; `""` is the body.
fn lookup<'v>(body: &'v serde_json::Value, field: &str) -> Option<&'v serde_json::Value> {
    if field.is_empty() || field.starts_with('/') {
        body.pointer(field)
    } else {
        body.get(field)
    }
}

/// A cursor or URL as text: strings and numbers; `null` and `""` mean "no more".
fn text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The `rel="next"` target of a `Link` header value: `<url>; rel="next", <url>; rel="last"`.
fn next_link(value: &str) -> Option<String> {
    value.split(',').find_map(|link| {
        let (target, params) = link.split_once(';')?;
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        let is_next = params.split(';').any(|p| {
            let Some((name, rel)) = p.split_once('=') else {
                return false;
            };
            name.trim().eq_ignore_ascii_case("rel")
                && rel
                    .trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("next"))
        });
        is_next.then(|| target.to_owned())
    })
}

fn hash(value: &(impl Hash + ?Sized)) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers_name_their_next_page() {
        assert_eq!(
            next_link(
                r#"<https://a.example/x?page=2>; rel="next", <https://a.example/x?page=9>; rel="last""#
            ),
            Some("https://a.example/x?page=2".into())
        );
        assert_eq!(next_link(r#"<https://a.example/x?page=9>; rel="last""#), None);
        assert_eq!(
            next_link(r#"<https://a.example/x?p=3>; rel="prev next""#),
            Some("https://a.example/x?p=3".into())
        );
        assert_eq!(next_link("garbage"), None);
    }

    #[test]
    fn fields_are_keys_or_pointers() {
        let body = serde_json::json!({"a": {"b": "c"}, "n": 5, "e": "", "z": null});
        assert_eq!(lookup(&body, "/a/b").and_then(text), Some("c".into()));
        assert_eq!(lookup(&body, "n").and_then(text), Some("5".into()));
        assert_eq!(lookup(&body, "e").and_then(text), None);
        assert_eq!(lookup(&body, "z").and_then(text), None);
        assert_eq!(lookup(&body, "missing"), None);
        assert_eq!(lookup(&body, ""), Some(&body));
    }
}
