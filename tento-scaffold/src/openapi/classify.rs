//! What becomes of each operation: a synced row (a `GET` listing records in a date
//! window), the `get` or write verbs of such a row, or skipped with its reason. Every
//! rule is by name and shape, and the mapping file overrides the choices it makes.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use serde_json::Value;

use super::document::Document;
use super::mapping::{Mapping, RowOverride};

/// How a row's records are paged, as `tento::http::Pagination` names the styles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Paging {
    /// One page; a `Link: rel="next"` is followed should the API send one.
    Single,
    /// `?page=1,2,…`, with the page-size parameter and size when the spec has one.
    Page {
        /// The page parameter.
        param: String,
        /// The size parameter and the size to ask for.
        size: Option<(String, u64)>,
    },
    /// `?offset=…&limit=…`.
    Offset {
        /// The offset parameter.
        offset: String,
        /// The limit parameter.
        limit: String,
        /// The limit to ask for.
        size: u64,
    },
    /// A cursor in the body (`field`, a key or JSON pointer), sent back as `?param=`.
    Cursor {
        /// Where the body keeps it.
        field: String,
        /// The query parameter it goes back in.
        param: String,
    },
    /// `Link: <…>; rel="next"`.
    Link,
    /// A next-page URL in the body.
    NextUrl {
        /// Where the body keeps it.
        field: String,
    },
}

impl Paging {
    /// Its name in messages and the mapping file.
    pub fn name(&self) -> &'static str {
        match self {
            Paging::Single => "single page",
            Paging::Page { .. } => "page",
            Paging::Offset { .. } => "offset",
            Paging::Cursor { .. } => "cursor",
            Paging::Link => "link header",
            Paging::NextUrl { .. } => "next url",
        }
    }
}

/// How a window's bounds are written in the query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// `2024-03-01`.
    Date,
    /// `2024-03-01T00:00:00Z`.
    DateTime,
    /// Seconds since the epoch.
    Epoch,
}

/// The query parameters a row's date window goes in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    /// The first day's parameter.
    pub start: String,
    /// The last day's parameter, when the API takes one.
    pub end: Option<String>,
    /// How both are written.
    pub bound: Bound,
}

/// How a record's date is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateKind {
    /// `format: date`.
    Day,
    /// `format: date-time`.
    Instant,
    /// An integer of seconds since the epoch.
    Epoch,
}

/// A `GET` that lists records in a date window: one synced row.
#[derive(Clone, Debug)]
pub struct SyncedRow {
    /// The operation.
    pub operation_id: String,
    /// Its path.
    pub path: String,
    /// The row's name, before conversion to a module name.
    pub name: String,
    /// Its date window.
    pub window: Window,
    /// Its pagination.
    pub paging: Paging,
    /// The body field holding the records; `None` for a bare array.
    pub records: Option<String>,
    /// The records' schema, as written (a `$ref` names the struct).
    pub record: Value,
    /// The records' id field.
    pub id: Option<String>,
    /// The records' date field and how it reads.
    pub date: (String, DateKind),
    /// `GET {path}/{id}`: the row's `get`.
    pub get: Option<String>,
    /// Its write verbs: `post` on the collection, `patch`/`delete` on an item.
    pub writes: Vec<Write>,
    /// The 2xx body's example, when the spec gives one.
    pub example: Option<Value>,
}

/// A write verb of a row: the operation and the schemas its call is typed from.
#[derive(Clone, Debug)]
pub struct Write {
    /// The row verb it serves: `post`, `patch` or `delete`.
    pub verb: String,
    /// The HTTP method the spec gives it (`put` serves `patch`).
    pub method: String,
    /// Its path.
    pub path: String,
    /// The JSON request body's schema, as written.
    pub body: Option<Value>,
    /// The 2xx JSON answer's schema, as written; `None` when the spec gives no JSON body.
    pub answer: Option<Value>,
}

/// An operation that became nothing, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// `GET /path`.
    pub operation: String,
    /// Its id, if any.
    pub operation_id: Option<String>,
    /// Why.
    pub reason: String,
}

/// Every operation, classified.
#[derive(Clone, Debug)]
pub struct Classified {
    /// The synced rows, in the spec's order.
    pub rows: Vec<SyncedRow>,
    /// The `get`/write operations attached to a row: `(operation, row name)`.
    pub attached: Vec<(String, String)>,
    /// The rest.
    pub skipped: Vec<Skipped>,
}

/// A spec nothing can be generated from.
#[derive(Debug, thiserror::Error)]
pub enum ClassifyError {
    /// Two operations share an id.
    #[error(
        "operationId `{id}` is used by both {first} and {second}; give each operation its own operationId"
    )]
    DuplicateId {
        /// The id.
        id: String,
        /// One.
        first: String,
        /// The other.
        second: String,
    },
    /// A row or verb operation without an id.
    #[error("{0} has no operationId, which the mapping file keys it by; add `operationId: …` to it")]
    MissingId(String),
    /// No operation is a row.
    #[error(
        "no operation in {path} can be a synced row (a GET of an array of records with date-window query parameters such as start_date/end_date){skipped}"
    )]
    NoRows {
        /// The spec.
        path: String,
        /// The skipped operations, one a line, for the message.
        skipped: String,
    },
    /// Two rows' names are one Rust name.
    #[error(
        "operations `{first}` and `{second}` both become row `{name}`; name one with `row = \"…\"` under [operations.{second}] in the crate's openapi.tento.toml (write it before the first run) and run again"
    )]
    Collision {
        /// The Rust name.
        name: String,
        /// One operation.
        first: String,
        /// The other.
        second: String,
    },
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Query parameter pairs that form a date window, start first.
const WINDOWS: &[(&str, &str)] = &[
    ("start_date", "end_date"),
    ("startdate", "enddate"),
    ("start_datetime", "end_datetime"),
    ("start_time", "end_time"),
    ("start", "end"),
    ("from", "to"),
    ("from_date", "to_date"),
    ("date_from", "date_to"),
    ("since", "until"),
    ("after", "before"),
    ("min_date", "max_date"),
    ("oldest", "latest"),
];

/// A start without an end still windows a listing (`?since=`).
const OPEN_STARTS: &[&str] = &["since", "start_date", "updated_since", "modified_since", "from"];

const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "next_token",
    "page_token",
    "next_page_token",
    "continuation_token",
    "page_cursor",
    "starting_after",
    "after",
];
const CURSOR_FIELDS: &[&str] = &[
    "next_cursor",
    "next_token",
    "next_page_token",
    "cursor",
    "continuation_token",
    "next_page_cursor",
];
const NEXT_URL_FIELDS: &[&str] = &[
    "next",
    "next_url",
    "next_page_url",
    "next_page",
    "next_link",
    "href",
];
const PAGE_PARAMS: &[&str] = &["page", "page_number", "pagenumber"];
const SIZE_PARAMS: &[&str] = &["per_page", "page_size", "pagesize", "limit", "size", "count"];
const OFFSET_PARAMS: &[&str] = &["offset", "skip", "start_index", "start"];
const RECORDS_FIELDS: &[&str] = &["data", "items", "results", "records", "entries", "values"];
const ID_FIELDS: &[&str] = &["id", "uuid", "_id", "key"];
const DATE_FIELDS: &[&str] = &[
    "day",
    "date",
    "summary_date",
    "start_date",
    "start_time",
    "started_at",
    "start",
    "timestamp",
    "created_at",
    "created",
    "time",
    "updated_at",
];

/// Classifies every operation of `doc`, with `mapping`'s overrides.
pub fn classify(doc: &Document, mapping: &Mapping) -> Result<Classified, ClassifyError> {
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut operations = Vec::new();
    let paths = doc.root.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        let item = doc.resolve(item);
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let shown = format!("{} {path}", method.to_uppercase());
            let id = op.get("operationId").and_then(Value::as_str).map(str::to_owned);
            if let Some(id) = &id
                && let Some(first) = ids.insert(id.clone(), shown.clone())
            {
                return Err(ClassifyError::DuplicateId {
                    id: id.clone(),
                    first,
                    second: shown,
                });
            }
            operations.push((method, path.as_str(), item, op, id, shown));
        }
    }
    let mut rows: Vec<SyncedRow> = Vec::new();
    let mut skipped = Vec::new();
    let mut pending = Vec::new();
    for (method, path, item, op, id, shown) in &operations {
        let over = id.as_deref().and_then(|id| mapping.operations.get(id));
        if over.is_some_and(|o| o.skip) {
            skipped.push(skip(shown, id, "skipped in openapi.tento.toml"));
            continue;
        }
        if *method != "get" {
            pending.push((*method, *path, *op, id.clone(), shown.clone()));
            continue;
        }
        match synced_row(doc, path, item, op, over) {
            Ok(mut row) => {
                let Some(id) = id else {
                    return Err(ClassifyError::MissingId(shown.clone()));
                };
                row.operation_id = id.clone();
                rows.push(row);
            }
            Err(reason) => pending.push(("get", *path, *op, id.clone(), format!("{shown}\u{0}{reason}"))),
        }
    }
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for row in &rows {
        let module = row.name.to_snake_case();
        if let Some(first) = names.insert(module.clone(), row.operation_id.clone()) {
            return Err(ClassifyError::Collision {
                name: module,
                first,
                second: row.operation_id.clone(),
            });
        }
    }
    let mut attached = Vec::new();
    for (method, path, op, id, shown) in pending {
        let (shown, reason) = match shown.split_once('\u{0}') {
            Some((s, r)) => (s.to_owned(), Some(r.to_owned())),
            None => (shown, None),
        };
        let owner = rows.iter_mut().find(|r| {
            let item = is_item_of(path, &r.path);
            match method {
                "get" | "patch" | "put" | "delete" => item,
                _ => path == r.path,
            }
        });
        match owner {
            Some(row) => {
                if id.is_none() {
                    return Err(ClassifyError::MissingId(shown));
                }
                let has = |row: &SyncedRow, verb: &str| row.writes.iter().any(|w| w.verb == verb);
                let verb = match method {
                    "get" if row.get.is_none() => {
                        row.get = Some(path.to_owned());
                        None
                    }
                    "post" if !has(row, "post") => Some("post"),
                    "patch" | "put" if !has(row, "patch") => Some("patch"),
                    "delete" if !has(row, "delete") => Some("delete"),
                    _ => {
                        skipped.push(skip(
                            &shown,
                            &id,
                            &format!("row `{}` already has this verb", row.name),
                        ));
                        continue;
                    }
                };
                if let Some(verb) = verb {
                    row.writes.push(Write {
                        verb: verb.to_owned(),
                        method: method.to_owned(),
                        path: path.to_owned(),
                        body: request_body(doc, op).cloned(),
                        answer: success(doc, op).map(|(schema, ..)| schema.clone()),
                    });
                }
                attached.push((shown, row.name.clone()));
            }
            None => {
                let reason = reason
                    .unwrap_or_else(|| format!("a {} outside any synced row's path", method.to_uppercase()));
                skipped.push(skip(&shown, &id, &reason));
            }
        }
    }
    if rows.is_empty() {
        // One line: the first few operations and why, the count of the rest.
        let mut reasons: Vec<String> = skipped
            .iter()
            .take(3)
            .map(|s| format!("{} ({})", s.operation, s.reason))
            .collect();
        if skipped.len() > 3 {
            reasons.push(format!("and {} more", skipped.len() - 3));
        }
        let skipped = if reasons.is_empty() {
            "; it has no GET operation".to_owned()
        } else {
            format!(": {}", reasons.join("; "))
        };
        return Err(ClassifyError::NoRows {
            path: doc.path.clone(),
            skipped,
        });
    }
    Ok(Classified {
        rows,
        attached,
        skipped,
    })
}

fn skip(shown: &str, id: &Option<String>, reason: &str) -> Skipped {
    Skipped {
        operation: shown.to_owned(),
        operation_id: id.clone(),
        reason: reason.to_owned(),
    }
}

/// Whether `path` is `collection/{param}`.
fn is_item_of(path: &str, collection: &str) -> bool {
    path.strip_prefix(collection)
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|last| last.starts_with('{') && last.ends_with('}') && !last.contains('/'))
}

/// A parameter, resolved: `(name, in, required, schema)`.
fn parameters<'a>(
    doc: &'a Document,
    item: &'a Value,
    op: &'a Value,
) -> Vec<(&'a str, &'a str, bool, &'a Value)> {
    let list = |v: &'a Value| {
        v.get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
    };
    let mut out: Vec<(&str, &str, bool, &Value)> = Vec::new();
    for p in list(op).chain(list(item)) {
        let p = doc.resolve(p);
        let (Some(name), Some(place)) = (
            p.get("name").and_then(Value::as_str),
            p.get("in").and_then(Value::as_str),
        ) else {
            continue;
        };
        if out.iter().any(|(n, i, ..)| *n == name && *i == place) {
            continue;
        }
        let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
        let schema = p.get("schema").map_or(&Value::Null, |s| doc.resolve(s));
        out.push((name, place, required, schema));
    }
    out
}

/// The first of a schema's types other than `null` (3.1 writes `type: [string, "null"]`).
pub fn type_of(schema: &Value) -> Option<&str> {
    match schema.get("type")? {
        Value::String(t) => Some(t),
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ => None,
    }
}

fn format_of(schema: &Value) -> Option<&str> {
    schema.get("format").and_then(Value::as_str)
}

/// `name` as compared with the rule tables: snake case, lower.
fn key(name: &str) -> String {
    name.to_snake_case()
}

/// An object schema's properties, `allOf` parts merged, as `(name, schema)`.
pub fn properties<'a>(doc: &'a Document, schema: &'a Value) -> Vec<(&'a str, &'a Value)> {
    let schema = doc.resolve(schema);
    let mut out = Vec::new();
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for (name, value) in properties(doc, part) {
            if !out.iter().any(|(n, _)| *n == name) {
                out.push((name, value));
            }
        }
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, value) in props {
            out.retain(|(n, _)| *n != name.as_str());
            out.push((name.as_str(), value));
        }
    }
    out
}

/// The JSON request body's schema of `op`.
fn request_body<'a>(doc: &'a Document, op: &'a Value) -> Option<&'a Value> {
    let body = doc.resolve(op.get("requestBody")?);
    let content = body.get("content")?.as_object()?;
    let media = content
        .iter()
        .find(|(mime, _)| mime.starts_with("application/json") || mime.ends_with("+json"))?
        .1;
    doc.resolve(media).get("schema")
}

/// The 2xx JSON response of `op`: its schema and example.
fn success<'a>(doc: &'a Document, op: &'a Value) -> Option<(&'a Value, Option<Value>, &'a Value)> {
    let responses = op.get("responses")?.as_object()?;
    let response = responses
        .iter()
        .filter(|(code, _)| code.starts_with('2') || code.as_str() == "2XX")
        .map(|(_, r)| doc.resolve(r))
        .next()?;
    let content = response.get("content")?.as_object()?;
    let media = content
        .iter()
        .find(|(mime, _)| mime.starts_with("application/json") || mime.ends_with("+json"))?
        .1;
    let media = doc.resolve(media);
    let schema = media.get("schema")?;
    let example = media.get("example").cloned().or_else(|| {
        let examples = media.get("examples")?.as_object()?;
        let first = doc.resolve(examples.values().next()?);
        first.get("value").cloned()
    });
    Some((schema, example, response))
}

fn synced_row(
    doc: &Document,
    path: &str,
    item: &Value,
    op: &Value,
    over: Option<&RowOverride>,
) -> Result<SyncedRow, String> {
    let (schema, example, response) = success(doc, op).ok_or("no 2xx JSON response")?;
    let resolved = doc.resolve(schema);
    let (records, record) = if type_of(resolved) == Some("array") {
        (None, resolved.get("items").ok_or("its array has no `items`")?)
    } else {
        let arrays: Vec<(&str, &Value)> = properties(doc, schema)
            .into_iter()
            .filter(|(_, s)| type_of(doc.resolve(s)) == Some("array"))
            .collect();
        let field = match arrays.as_slice() {
            [] => return Err("its 2xx body is neither an array nor an object holding one".into()),
            [one] => *one,
            many => *many
                .iter()
                .find(|(n, _)| RECORDS_FIELDS.contains(&key(n).as_str()))
                .ok_or("its 2xx body holds several arrays and none is named data/items/results/records")?,
        };
        let items = doc
            .resolve(field.1)
            .get("items")
            .ok_or("its records array has no `items`")?;
        (Some(field.0.to_owned()), items)
    };
    let params = parameters(doc, item, op);
    if let Some((name, ..)) = params.iter().find(|(_, place, ..)| *place == "path") {
        return Err(format!(
            "its path needs `{{{name}}}`, which a synced row cannot supply"
        ));
    }
    let query: Vec<(&str, bool, &Value)> = params
        .iter()
        .filter(|(_, place, ..)| *place == "query")
        .map(|(n, _, r, s)| (*n, *r, *s))
        .collect();
    let find = |names: &[&str]| {
        query
            .iter()
            .find(|(n, ..)| names.contains(&key(n).as_str()))
            .copied()
    };
    let window = WINDOWS
        .iter()
        .find_map(|(s, e)| {
            let start = find(&[s])?;
            let end = find(&[e])?;
            Some((start, Some(end)))
        })
        .or_else(|| prefixed_window(&query))
        .or_else(|| find(OPEN_STARTS).map(|s| (s, None)))
        .ok_or("no date-window query parameters (start_date/end_date, from/to, since/until, after/before)")?;
    let bound = |schema: &Value| match (type_of(schema), format_of(schema)) {
        (Some("integer" | "number"), _) => Bound::Epoch,
        (_, Some("date-time")) => Bound::DateTime,
        _ => Bound::Date,
    };
    let window = Window {
        start: window.0.0.to_owned(),
        end: window.1.map(|e| e.0.to_owned()),
        bound: bound(window.0.2),
    };
    let paging = match over.and_then(|o| o.pagination.clone()) {
        Some(chosen) => chosen,
        None => paging(doc, schema, response, &query, &window),
    };
    let used = |n: &str| {
        n == window.start
            || window.end.as_deref() == Some(n)
            || match &paging {
                Paging::Page { param, size } => param == n || size.as_ref().is_some_and(|(s, _)| s == n),
                Paging::Offset { offset, limit, .. } => offset == n || limit == n,
                Paging::Cursor { param, .. } => param == n,
                _ => false,
            }
    };
    if let Some((name, ..)) = query
        .iter()
        .find(|(n, required, s)| *required && !used(n) && s.get("default").is_none())
    {
        return Err(format!(
            "it requires query parameter `{name}`, which a synced row cannot supply"
        ));
    }
    let fields = properties(doc, record);
    let id = match over.and_then(|o| o.id.clone()) {
        Some(id) => Some(id),
        None => fields
            .iter()
            .map(|(n, _)| *n)
            .find(|n| ID_FIELDS.contains(&key(n).as_str()))
            .map(str::to_owned),
    };
    let date_kind = |schema: &Value| match (type_of(schema), format_of(schema)) {
        (_, Some("date")) => Some(DateKind::Day),
        (_, Some("date-time")) => Some(DateKind::Instant),
        (Some("integer"), _) => Some(DateKind::Epoch),
        _ => None,
    };
    let date = match over.and_then(|o| o.date.clone()) {
        Some(name) => {
            let schema = fields
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, s)| doc.resolve(s));
            let kind = schema.and_then(date_kind).ok_or(format!(
                "its `date = \"{name}\"` in openapi.tento.toml names no date, date-time or integer field"
            ))?;
            (name, kind)
        }
        None => {
            let typed = |n: &&str, s: &&Value| {
                let kind = date_kind(doc.resolve(s))?;
                let by_name = DATE_FIELDS.contains(&key(n).as_str()) || key(n).ends_with("_at");
                (kind != DateKind::Epoch || by_name).then_some(kind)
            };
            let ranked = |named: bool| {
                fields.iter().find_map(|(n, s)| {
                    let kind = typed(n, s)?;
                    (!named || DATE_FIELDS.contains(&key(n).as_str())).then(|| ((*n).to_owned(), kind))
                })
            };
            DATE_FIELDS
                .iter()
                .find_map(|want| {
                    fields
                        .iter()
                        .find(|(n, _)| key(n) == *want)
                        .and_then(|(n, s)| typed(n, s).map(|k| ((*n).to_owned(), k)))
                })
                .or_else(|| ranked(true))
                .or_else(|| ranked(false))
                .ok_or("its records have no date field (format date or date-time, or epoch seconds named like created_at); name one with `date = \"…\"` in openapi.tento.toml")?
        }
    };
    // The last segment that is neither a parameter nor a version (`/v2/sleep` → `sleep`).
    let name = over.and_then(|o| o.row.clone()).unwrap_or_else(|| {
        let version = |s: &str| {
            s.strip_prefix('v')
                .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
        };
        path.rsplit('/')
            .find(|s| !s.is_empty() && !s.starts_with('{') && !version(s))
            .unwrap_or("records")
            .to_owned()
    });
    Ok(SyncedRow {
        operation_id: String::new(),
        path: path.to_owned(),
        name,
        window,
        paging,
        records,
        record: record.clone(),
        id,
        date,
        get: None,
        writes: Vec::new(),
        example,
    })
}

/// A query parameter: its name, whether it is required, its schema.
type Param<'a> = (&'a str, bool, &'a Value);

/// A window whose parameters are named by prefix (`since_send_time`/`before_send_time`),
/// both dates or date-times.
fn prefixed_window<'a>(query: &[Param<'a>]) -> Option<(Param<'a>, Option<Param<'a>>)> {
    let dated = |s: &Value| matches!(format_of(s), Some("date" | "date-time"));
    let with = |prefixes: &[&str]| {
        query
            .iter()
            .find(|(n, _, s)| dated(s) && prefixes.iter().any(|p| key(n).starts_with(p)))
            .copied()
    };
    let start = with(&["since", "start", "from", "after", "min"])?;
    let end = with(&["before", "until", "end", "to_", "max"])?;
    Some((start, Some(end)))
}

fn paging(
    doc: &Document,
    body: &Value,
    response: &Value,
    query: &[(&str, bool, &Value)],
    window: &Window,
) -> Paging {
    let param = |names: &[&str]| {
        query
            .iter()
            .find(|(n, ..)| {
                names.contains(&key(n).as_str()) && *n != window.start && window.end.as_deref() != Some(n)
            })
            .map(|(n, _, s)| ((*n).to_owned(), *s))
    };
    // Body fields one level down too (`meta.next_cursor`, `links.next`), as JSON pointers.
    let mut fields: Vec<(String, String, &Value)> = Vec::new();
    if type_of(doc.resolve(body)) != Some("array") {
        for (name, schema) in properties(doc, body) {
            fields.push((name.to_owned(), key(name), doc.resolve(schema)));
            for (inner, schema) in properties(doc, schema) {
                fields.push((format!("/{name}/{inner}"), key(inner), doc.resolve(schema)));
            }
        }
    }
    let field = |names: &[&str], types: &[&str]| {
        fields
            .iter()
            .find(|(_, k, s)| names.contains(&k.as_str()) && type_of(s).is_none_or(|t| types.contains(&t)))
            .map(|(f, ..)| f.clone())
    };
    let headers = response.get("headers").and_then(Value::as_object);
    if headers.is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case("link"))) {
        return Paging::Link;
    }
    if let (Some((param, _)), Some(field)) = (param(CURSOR_PARAMS), field(CURSOR_FIELDS, &["string"])) {
        return Paging::Cursor { field, param };
    }
    if let Some(field) = field(NEXT_URL_FIELDS, &["string"]) {
        return Paging::NextUrl { field };
    }
    let size = |schema: &Value| {
        schema
            .get("default")
            .and_then(Value::as_u64)
            .or_else(|| schema.get("maximum").and_then(Value::as_u64))
            .unwrap_or(100)
    };
    if let Some((param, _)) = param(PAGE_PARAMS) {
        let size = param_size(param_with(query, SIZE_PARAMS), size);
        return Paging::Page { param, size };
    }
    if let (Some((offset, _)), Some((limit, schema))) = (param(OFFSET_PARAMS), param_with(query, SIZE_PARAMS))
    {
        return Paging::Offset {
            offset,
            limit,
            size: size(schema),
        };
    }
    Paging::Single
}

fn param_with<'a>(query: &[(&'a str, bool, &'a Value)], names: &[&str]) -> Option<(String, &'a Value)> {
    query
        .iter()
        .find(|(n, ..)| names.contains(&key(n).as_str()))
        .map(|(n, _, s)| ((*n).to_owned(), *s))
}

fn param_size(found: Option<(String, &Value)>, size: impl Fn(&Value) -> u64) -> Option<(String, u64)> {
    found.map(|(name, schema)| {
        let n = size(schema);
        (name, n)
    })
}
