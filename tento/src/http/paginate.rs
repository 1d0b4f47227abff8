//! Pagination: the styles real APIs use, walked page by page.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, DeserializeSeed, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::client::{ApiClient, Shallow, refuse_html};
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
/// A listing that loops is an error, not an endless sync; nothing of the page that
/// carried the repeat is returned, and after an error the pager is done:
///
/// - a numbered page (or offset) whose body equals the one before is
///   [`RepeatedPage`](HttpErrorKind::RepeatedPage);
/// - a cursor or next URL equal to one of the last 64 followed is
///   [`RepeatedCursor`](HttpErrorKind::RepeatedCursor) before its page is fetched;
/// - one that comes back after more than 64 others is refused too while the API keeps
///   looping: the pager stops before it has followed three times as many cursors as it
///   had when one first came back (Brent's cycle detection on one remembered cursor).
///   The pages fetched twice meanwhile are bounded, and a host that upserts by id
///   stores their records once.
///
/// Memory is the same for ten pages or a million: 65 hashes of cursors, never the
/// cursors or the pages.
#[derive(Debug)]
pub struct Pager<'a> {
    api: &'a ApiClient,
    row: String,
    first: Request,
    next: Option<Request>,
    pagination: Pagination,
    /// Refuses a cursor or URL followed before, in constant memory.
    seen: CursorGuard,
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
            seen: CursorGuard::default(),
            last_page: None,
            position,
        }
    }

    /// The next page's records, or `None` when the listing is done.
    pub async fn next_page<T: DeserializeOwned>(&mut self) -> Result<Option<Vec<T>>, HttpError> {
        let Some(request) = self.next.take() else {
            return Ok(None);
        };
        let response = self.api.send(&self.row, request.clone()).await?;
        let api = self.api;
        let row = self.row.clone();
        let fail = |kind| api.error(&row, &request, kind);
        let status = response.status;
        let malformed = |source| fail(HttpErrorKind::Malformed { status, source });
        let key = &self.pagination.records;
        let one_pass =
            !key.is_empty() && !key.starts_with('/') && response.body.trim_ascii_start().starts_with(b"{");
        let (body, records) = if one_pass {
            refuse_html(&response, &response.body).map_err(fail)?;
            let mut de = serde_json::Deserializer::from_slice(&response.body);
            let (records, fields) = PageSeed::<T> {
                records: key,
                _records: PhantomData,
            }
            .deserialize(&mut de)
            .and_then(|page| de.end().map(|()| page))
            .map_err(malformed)?;
            api.refuse_error_fields(status, &fields).map_err(fail)?;
            let body = Shallow {
                root: None,
                fields: Some(fields),
            };
            (body, records)
        } else {
            let body = api.decode_shallow(&response, &response.body).map_err(fail)?;
            let records = match raw_at(&body, key).map_err(malformed)? {
                Some(raw) if raw.get() == "null" => Some(Vec::new()),
                Some(raw) if raw.get().starts_with('[') => {
                    Some(serde_json::from_str::<Vec<T>>(raw.get()).map_err(malformed)?)
                }
                _ => None,
            };
            (body, records)
        };
        let records = match records {
            Some(records) => records,
            None => {
                return Err(fail(HttpErrorKind::NoRecords {
                    status,
                    pointer: self.pagination.records.clone(),
                }));
            }
        };
        self.next = self
            .next_request(&response, &body, records.len() as u64)
            .map_err(fail)?;
        Ok(Some(records))
    }

    /// The request for the page after this one, `None` at the end.
    fn next_request(
        &mut self,
        response: &Response,
        body: &Shallow<'_>,
        count: u64,
    ) -> Result<Option<Request>, HttpErrorKind> {
        let status = response.status;
        let text_at = |field: &str| -> Result<Option<String>, HttpErrorKind> {
            let Some(raw) =
                raw_at(body, field).map_err(|source| HttpErrorKind::Malformed { status, source })?
            else {
                return Ok(None);
            };
            let value: serde_json::Value = serde_json::from_str(raw.get())
                .map_err(|source| HttpErrorKind::Malformed { status, source })?;
            Ok(text(&value))
        };
        // A clone (a few short strings a page) so the arms may update the pager.
        match &self.pagination.style.clone() {
            Style::PageNumber { param, size, .. } => {
                let short = size.as_ref().is_some_and(|(_, size)| count < *size);
                if count == 0 || short {
                    return Ok(None);
                }
                self.check_not_repeated(&response.body)?;
                self.position += 1;
                let mut next = self.first.clone();
                next.set_query(param, self.position);
                Ok(Some(next))
            }
            Style::Offset { offset, size, .. } => {
                if count < *size {
                    return Ok(None);
                }
                self.check_not_repeated(&response.body)?;
                self.position += count;
                let mut next = self.first.clone();
                next.set_query(offset, self.position);
                Ok(Some(next))
            }
            Style::Cursor { fields, param } => {
                let mut cursor = None;
                for field in fields {
                    cursor = text_at(field)?;
                    if cursor.is_some() {
                        break;
                    }
                }
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
                let url = text_at(field)?;
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
        if self.seen.follow(hash(cursor)) {
            Ok(())
        } else {
            Err(HttpErrorKind::RepeatedCursor(cursor.to_owned()))
        }
    }

    fn check_not_repeated(&mut self, body: &[u8]) -> Result<(), HttpErrorKind> {
        let h = hash(body);
        if self.last_page.replace(h) == Some(h) {
            return Err(HttpErrorKind::RepeatedPage(self.position));
        }
        Ok(())
    }
}

/// How many of the latest cursors a [`CursorGuard`] compares each new one with.
const RECENT_CURSORS: usize = 64;

/// The cursors a pager followed, as far as refusing a repeat needs them, in constant
/// memory (see [`Pager`] for the guarantee).
///
/// An API's next cursor depends on the cursor asked with, so once one repeats the
/// listing loops. The last [`RECENT_CURSORS`] are compared exactly, which catches the
/// loops real APIs fall into (the same cursor again, or two alternating) at the first
/// repeat. Longer loops are caught by Brent's algorithm: an anchor cursor, replaced
/// after 2, 4, 8, … further cursors, is met again within one lap once it lies on the
/// loop and the window after it is as long as the loop. Cursors are compared by 64-bit
/// hash, so two different cursors are taken for one only with odds of about 2⁻⁶⁴.
#[derive(Debug)]
struct CursorGuard {
    /// Hashes of the latest cursors, a ring; `0` slots past `len` are unused.
    recent: [u64; RECENT_CURSORS],
    /// How many slots of `recent` hold a cursor.
    len: usize,
    /// The slot the next cursor goes to.
    at: usize,
    /// Brent's anchor: the cursor every later one is compared with.
    anchor: Option<u64>,
    /// Cursors followed since the anchor was set.
    since_anchor: u64,
    /// How many cursors the anchor stays for (doubling).
    window: u64,
}

impl Default for CursorGuard {
    fn default() -> Self {
        CursorGuard {
            recent: [0; RECENT_CURSORS],
            len: 0,
            at: 0,
            anchor: None,
            since_anchor: 0,
            window: 1,
        }
    }
}

impl CursorGuard {
    /// Records the cursor hashing to `cursor`; `false` if it was seen before.
    fn follow(&mut self, cursor: u64) -> bool {
        if self.anchor == Some(cursor) || self.recent[..self.len].contains(&cursor) {
            return false;
        }
        self.recent[self.at] = cursor;
        self.at = (self.at + 1) % RECENT_CURSORS;
        self.len = (self.len + 1).min(RECENT_CURSORS);
        self.since_anchor += 1;
        if self.anchor.is_none() || self.since_anchor == self.window {
            self.anchor = Some(cursor);
            self.since_anchor = 0;
            self.window = self.window.saturating_mul(2);
        }
        true
    }
}

/// A page whose records sit under a top-level key, decoded in one pass: the records
/// straight into the row's type, every other field kept as raw JSON (for the cursor).
struct PageSeed<'k, T> {
    records: &'k str,
    _records: PhantomData<T>,
}

/// The records (`None`: the key is absent; `null` is no records) and the other fields.
type DecodedPage<'de, T> = (Option<Vec<T>>, HashMap<String, &'de RawValue>);

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for PageSeed<'_, T> {
    type Value = DecodedPage<'de, T>;

    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for PageSeed<'_, T> {
    type Value = DecodedPage<'de, T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "an object with `{}`", self.records)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut records, mut fields) = (None, HashMap::new());
        while let Some(key) = map.next_key::<String>()? {
            if key == self.records {
                records = Some(map.next_value::<Option<Vec<T>>>()?.unwrap_or_default());
            } else {
                fields.insert(key, map.next_value::<&RawValue>()?);
            }
        }
        Ok((records, fields))
    }
}

/// `field` (a top-level key, or `/a/b`, a JSON pointer; `""` is the body) in a body
/// parsed one level deep: only the objects on the way to it are parsed, and only their
/// top level.
fn raw_at<'b>(body: &Shallow<'b>, field: &str) -> Result<Option<&'b RawValue>, serde_json::Error> {
    if field.is_empty() {
        return Ok(body.root);
    }
    let mut segments = match field.strip_prefix('/') {
        // RFC 6901 escapes: `~1` is `/`, `~0` is `~`.
        Some(pointer) => pointer
            .split('/')
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect::<Vec<_>>(),
        None => vec![field.to_owned()],
    }
    .into_iter();
    let first = segments.next().unwrap_or_default();
    let Some(mut at) = body.fields.as_ref().and_then(|f| f.get(&first)).copied() else {
        return Ok(None);
    };
    for segment in segments {
        let next = if at.get().starts_with('{') {
            serde_json::from_str::<HashMap<String, &RawValue>>(at.get())?
                .get(&segment)
                .copied()
        } else if at.get().starts_with('[') {
            let items = serde_json::from_str::<Vec<&RawValue>>(at.get())?;
            segment.parse::<usize>().ok().and_then(|i| items.get(i).copied())
        } else {
            None
        };
        let Some(next) = next else { return Ok(None) };
        at = next;
    }
    Ok(Some(at))
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

    /// Follows `cursors` until the guard refuses one: how many it followed.
    fn followed_until_refused(cursors: impl IntoIterator<Item = u64>) -> Option<usize> {
        let mut guard = CursorGuard::default();
        cursors.into_iter().position(|c| !guard.follow(c))
    }

    /// An API whose cursors run `tail` distinct ones, then loop over `lap` others.
    fn looping(tail: u64, lap: u64) -> impl Iterator<Item = u64> {
        (0..).map(move |i| if i < tail { i } else { tail + (i - tail) % lap })
    }

    #[test]
    fn a_short_loop_is_refused_at_its_first_repeat() {
        assert_eq!(followed_until_refused([7, 7]), Some(1));
        assert_eq!(followed_until_refused([1, 2, 1]), Some(2));
        for (tail, lap) in [(0, 1), (3, 2), (100, 64), (1000, 17)] {
            let first_repeat = (tail + lap) as usize;
            assert_eq!(
                followed_until_refused(looping(tail, lap)),
                Some(first_repeat),
                "tail {tail}, lap {lap}"
            );
        }
    }

    #[test]
    fn a_long_loop_is_refused_within_three_times_its_first_repeat() {
        for (tail, lap) in [(0, 65), (10, 500), (5000, 100), (100, 5000), (1, 100_000)] {
            let first_repeat = (tail + lap) as usize;
            let refused = followed_until_refused(looping(tail, lap)).expect("a loop is refused");
            assert!(
                (first_repeat..3 * first_repeat).contains(&refused),
                "tail {tail}, lap {lap}: refused after {refused}"
            );
        }
    }

    #[test]
    fn a_long_listing_without_repeats_is_followed_in_constant_memory() {
        let mut guard = CursorGuard::default();
        // Distinct hashes, as distinct cursors give.
        assert!((0..1_000_000u64).all(|i| guard.follow(hash(&i))));
        // No heap: the guard is its fixed fields, whatever the number of pages.
        assert!(std::mem::size_of::<CursorGuard>() <= 8 * (RECENT_CURSORS + 6));
    }

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
        let json = r#"{"a": {"b": "c", "l": [1, {"x": 2}]}, "n": 5, "e": "", "z": null, "s~/": 1}"#;
        let root: &RawValue = serde_json::from_str(json).unwrap();
        let body = Shallow {
            root: Some(root),
            fields: Some(serde_json::from_str(json).unwrap()),
        };
        let at = |field| raw_at(&body, field).unwrap().map(|r| r.get().to_owned());
        let text_at = |field| text(&serde_json::from_str(&at(field)?).unwrap());
        assert_eq!(text_at("/a/b"), Some("c".into()));
        assert_eq!(text_at("n"), Some("5".into()));
        assert_eq!(text_at("e"), None);
        assert_eq!(text_at("z"), None);
        assert_eq!(at("/a/l/1/x").as_deref(), Some("2"));
        assert_eq!(at("/s~0~1"), Some("1".into()));
        assert_eq!(at("missing"), None);
        assert_eq!(at("/a/nope"), None);
        assert_eq!(at("").as_deref(), Some(json));
    }
}
