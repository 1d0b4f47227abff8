//! The generated module `src/api/`: the record types, one module per row (its path,
//! date window, pagination, `get` and write calls, and its cell), and the offline
//! transport answering with the spec's examples. The tool owns these files and rewrites
//! them on every sync; everything else in the crate is the user's.

mod writes;

use serde_json::{Value, json};

use self::writes::{Holds, WriteCall};
use super::auth::Auth;
use super::classify::{Bound, Classified, DateKind, Paging, SyncedRow};
use super::records::{Item, Records, RecordsError, Ty};

/// One generated row, as the templates see it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RowView {
    /// Its module.
    pub module: String,
    /// Its listing's operationId.
    pub operation_id: String,
    /// The query parameter its window starts at.
    pub window_start: String,
    /// The verbs its route lists beyond get/list/sync: post, patch, delete.
    pub writes: Vec<String>,
    /// Whether the API serves one record by id (the row's `get` asks it).
    pub get: bool,
    /// Whether its records have an id field.
    pub has_id: bool,
    /// Whether `create`'s answer holds the record (`api::created_record` reads it).
    pub created_record: bool,
    /// Whether `update`'s answer holds the record (`api::updated_record` reads it).
    pub updated_record: bool,
    /// A `create` body made from its schema, as a Rust string literal of JSON, for the
    /// crate's tests.
    pub create_sample: Option<String>,
    /// An `update` body made from its schema, as a Rust string literal of JSON, for the
    /// crate's tests.
    pub update_sample: Option<String>,
}

/// The generated module's files, `(path relative to the crate, content)`, and what the
/// templates need to know of each row.
pub struct Module {
    /// The files under `src/api/`.
    pub files: Vec<(String, String)>,
    /// The rows.
    pub rows: Vec<RowView>,
    /// Schemas typed as `serde_json::Value`.
    pub warnings: Vec<String>,
}

/// Generates `src/api/` for `classified`, rows named by `modules` (in the same order).
pub fn module(
    records: &mut Records<'_>,
    classified: &Classified,
    modules: &[String],
    auth: &Auth,
    header: &str,
) -> Result<Module, RecordsError> {
    let mut files = Vec::new();
    let mut rows = Vec::new();
    let mut typed = Vec::new();
    for (row, module) in classified.rows.iter().zip(modules) {
        let ty = records.ty(
            &row.record,
            &format!("{}Record", super::records::type_name(module)),
        )?;
        let calls = writes::typed(records, row, module, &ty)?;
        typed.push((ty, calls));
    }
    let mut fixtures = Vec::new();
    for ((row, module), (ty, calls)) in classified.rows.iter().zip(modules).zip(&typed) {
        files.push((
            format!("src/api/{module}.rs"),
            row_module(records, row, module, ty, calls),
        ));
        fixtures.push((module.clone(), row, fixture(records, row, ty), answers(calls)));
        let holds = |verb: &str| calls.iter().any(|c| c.write.verb == verb && c.holds.is_some());
        // Record 9 of the made-up values: unlike the three a fixture page holds, so a
        // test sees the fields it sent come back.
        let sample = |verb: &str| {
            calls
                .iter()
                .find(|c| c.write.verb == verb)
                .map(|c| raw(&records.sample(&c.body, 9, "", &row.date.0).to_string()))
        };
        rows.push(RowView {
            module: module.clone(),
            operation_id: row.operation_id.clone(),
            window_start: row.window.start.clone(),
            // A connector `patch` returns the changed record: from the answer, or read
            // back with `get`; an API giving neither leaves the verb to the SDK.
            writes: calls
                .iter()
                .map(|c| c.write.verb.clone())
                .filter(|v| v != "patch" || holds("patch") || row.get.is_some())
                .collect(),
            get: row.get.is_some(),
            has_id: row.id.is_some(),
            created_record: holds("post"),
            updated_record: holds("patch"),
            create_sample: sample("post"),
            update_sample: sample("patch"),
        });
    }
    let mut mod_rs = format!("{header}\npub mod offline;\n");
    let mut sorted: Vec<&String> = modules.iter().collect();
    sorted.sort();
    for m in sorted {
        mod_rs.push_str(&format!("pub mod {m};\n"));
    }
    mod_rs.push_str("pub mod types;\n\npub use offline::OfflineTransport;\n");
    mod_rs.push_str(&format!(
        "\n/// The OAuth2 scopes the spec's security scheme lists: what a host asks for when it connects an account.\npub const SCOPES: &[&str] = &[{}];\n",
        auth.scopes.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ")
    ));
    files.push(("src/api/mod.rs".into(), mod_rs));
    files.push((
        "src/api/types.rs".into(),
        format!(
            "//! The record types of the spec's schemas.\n// A union holds its shapes side by side, as the spec has them, whatever their sizes.\n#![allow(clippy::large_enum_variant)]\n\nuse serde::{{Deserialize, Serialize}};\n{}",
            records.render()
        ),
    ));
    files.push(("src/api/offline.rs".into(), offline(&fixtures, auth)));
    Ok(Module {
        files,
        rows,
        warnings: records.warnings.clone(),
    })
}

/// The struct field (Rust name and type) for JSON field `json` of record type `ty`.
fn field<'r>(records: &'r Records<'_>, ty: &Ty, json: &str) -> Option<(&'r str, &'r Ty)> {
    let Ty::Named(name) = ty.inner() else { return None };
    records.items.iter().find_map(|item| match item {
        Item::Struct { name: n, fields, .. } if n == name => fields
            .iter()
            .find(|f| f.json == json)
            .map(|f| (f.rust.as_str(), &f.ty)),
        _ => None,
    })
}

fn pagination(row: &SyncedRow) -> String {
    let style = match &row.paging {
        Paging::Single | Paging::Link => "Pagination::link_header()".to_owned(),
        Paging::Page { param, size: None } => format!("Pagination::page_number({param:?})"),
        Paging::Page {
            param,
            size: Some((size_param, size)),
        } => format!("Pagination::page_number({param:?}).page_size({size_param:?}, {size})"),
        Paging::Offset { offset, limit, size } => {
            format!("Pagination::offset({offset:?}, {limit:?}, {size})")
        }
        Paging::Cursor { field, param } => format!("Pagination::cursor({field:?}, {param:?})"),
        Paging::NextUrl { field } => format!("Pagination::next_url({field:?})"),
    };
    match &row.records {
        Some(field) => format!("{style}.records({field:?})"),
        None => style,
    }
}

fn bound(bound: Bound, day: &str, end: bool) -> String {
    match (bound, end) {
        (Bound::Date, _) => day.to_owned(),
        (Bound::DateTime, false) => format!("format!(\"{{{day}}}T00:00:00Z\")"),
        (Bound::DateTime, true) => format!("format!(\"{{{day}}}T23:59:59Z\")"),
        (Bound::Epoch, false) => format!("{day}.and_time(NaiveTime::MIN).and_utc().timestamp()"),
        (Bound::Epoch, true) => {
            format!("({day} + Days::new(1)).and_time(NaiveTime::MIN).and_utc().timestamp() - 1")
        }
    }
}

fn row_module(
    records: &Records<'_>,
    row: &SyncedRow,
    module: &str,
    ty: &Ty,
    calls: &[WriteCall<'_>],
) -> String {
    let mut imports = vec!["NaiveDate"];
    if row.window.bound == Bound::Epoch {
        imports.extend(["Days", "NaiveTime"]);
    }
    let mut out = format!(
        "//! `GET {}` (`{}`): the records of row `{module}`.\n\nuse chrono::{{{}}};\nuse tento::http::{{{}Pager, Pagination, Request}};\n\nuse crate::Client;\n",
        row.path,
        row.operation_id,
        imports.join(", "),
        if row.writes.iter().any(|w| w.verb != "delete") {
            "Method, "
        } else {
            ""
        },
    );
    let pointer =
        super::document::ref_target(&row.record).map_or("an inline schema".to_owned(), |p| format!("#{p}"));
    out.push_str(&format!(
        "\n/// A record of this row, as the spec's `{pointer}` describes it.\npub type Record = {};\n",
        ty.rust_in("super::types::")
    ));
    out.push_str(&format!(
        "\n/// The listing's path.\npub const PATH: &str = {:?};\n",
        row.path
    ));
    out.push_str(&format!(
        "\n/// How the API pages this listing ({}).\npub fn pagination() -> Pagination {{\n    {}\n}}\n",
        row.paging.name(),
        pagination(row)
    ));
    let mut request = format!(
        "Request::get(PATH).query({:?}, {})",
        row.window.start,
        bound(row.window.bound, "start", false)
    );
    if let Some(end) = &row.window.end {
        request.push_str(&format!(
            ".query({end:?}, {})",
            bound(row.window.bound, "end", true)
        ));
    } else {
        request = format!("{{\n    let _ = end; // the API takes a start only\n    {request}\n}}");
    }
    out.push_str(&format!(
        "\n/// The listing's first request, for the days `start..=end`.\npub fn request(start: NaiveDate, end: NaiveDate) -> Request {{\n    {request}\n}}\n"
    ));
    out.push_str(&format!(
        "\n/// The records of the days `start..=end`, a page at a time: a row persists each page\n/// before it asks for the next.\npub fn pages(client: &Client, start: NaiveDate, end: NaiveDate) -> Pager<'_> {{\n    client.api().pager({module:?}, request(start, end), pagination())\n}}\n"
    ));
    out.push_str(
        "\n/// Every record of the days `start..=end`.\npub async fn list(client: &Client, start: NaiveDate, end: NaiveDate) -> anyhow::Result<Vec<Record>> {\n    let mut pages = pages(client, start, end);\n    let mut records = Vec::new();\n    while let Some(page) = pages.next_page::<Record>().await? {\n        records.extend(page);\n    }\n    Ok(records)\n}\n",
    );
    if let Some(path) = &row.get {
        // The item may come bare or wrapped (`{"data": {…}}`): the first that reads as a
        // record.
        out.push_str(&format!(
            "\n/// The record `id`, as `GET {path}` answers it (bare, or in one field of the body);\n/// `None` when the API answers `404`.\npub async fn get(client: &Client, id: &str) -> anyhow::Result<Option<Record>> {{\n    let request = Request::get(format!(\"{{PATH}}/{{id}}\"));\n    let body: serde_json::Value = match client.api().json({module:?}, request).await {{\n        Ok(body) => body,\n        Err(e) if e.status() == Some(404) => return Ok(None),\n        Err(e) => return Err(e.into()),\n    }};\n    let fields = body.as_object().into_iter().flat_map(|o| o.values().cloned());\n    std::iter::once(body.clone())\n        .chain(fields)\n        .find_map(|v| serde_json::from_value::<Record>(v).ok())\n        .map(Some)\n        .ok_or_else(|| anyhow::anyhow!(\"`GET {{PATH}}/{{id}}` answered no {module} record\"))\n}}\n"
        ));
    }
    out.push_str(&writes::render(calls, module));
    out.push_str(&to_cell(records, row, ty));
    out
}

fn to_cell(records: &Records<'_>, row: &SyncedRow, ty: &Ty) -> String {
    let (date_json, kind) = &row.date;
    let Some((date_rust, date_ty)) = field(records, ty, date_json) else {
        unreachable!("classification chose `{date_json}` among the record's fields")
    };
    let missing = format!("anyhow::anyhow!(\"a record without `{date_json}`\")");
    let value = match date_ty {
        Ty::Option(_) => format!("record.{date_rust}.ok_or_else(|| {missing})?"),
        _ => format!("record.{date_rust}"),
    };
    let date = match (kind, date_ty.inner()) {
        (_, Ty::Date) => format!("SemanticTime::from_partial(PartialDate::Ymd({value}))"),
        (_, Ty::DateTime) => format!("SemanticTime::from_instant({value})"),
        (DateKind::Epoch, _) | (_, Ty::Integer) => format!(
            "SemanticTime::from_instant(\n        chrono::DateTime::from_timestamp({value}, 0)\n            .ok_or_else(|| anyhow::anyhow!(\"`{date_json}` is no time\"))?,\n    )"
        ),
        _ => format!(
            "SemanticTime::from_partial(PartialDate::Ymd(\n        serde_json::from_value(serde_json::to_value(&{value})?)?,\n    ))"
        ),
    };
    let id = match row.id.as_deref().and_then(|id| field(records, ty, id)) {
        None => "None".to_owned(),
        Some((rust, Ty::String)) => format!("Some(record.{rust}.clone())"),
        Some((rust, Ty::Option(inner))) if **inner == Ty::String => format!("record.{rust}.clone()"),
        Some((rust, Ty::Option(inner))) if **inner == Ty::Integer => {
            format!("record.{rust}.map(|id| id.to_string())")
        }
        Some((rust, Ty::Integer)) => format!("Some(record.{rust}.to_string())"),
        Some((rust, _)) => format!("Some(serde_json::to_value(&record.{rust})?.to_string())"),
    };
    let imports = if date.contains("PartialDate") {
        "{PartialDate, SemanticTime}"
    } else {
        "SemanticTime"
    };
    format!(
        "\n/// The record as a connector cell: its id, its `{date_json}`, and itself as the data.\n#[cfg(feature = \"connector\")]\npub fn to_cell(record: &Record) -> anyhow::Result<tento::connector::Cell> {{\n    use tento::chrono::{imports};\n    let date = {date};\n    Ok(tento::connector::Cell {{\n        id: {id},\n        date,\n        end_date: None,\n        data: serde_json::to_value(record)?,\n    }})\n}}\n"
    )
}

/// The first page the offline transport serves: the spec's example when it fits the
/// record type, else records made from the schemas; pagination fields emptied so the
/// listing ends there.
fn fixture(records: &Records<'_>, row: &SyncedRow, ty: &Ty) -> Value {
    let record_list = Ty::Vec(Box::new(ty.clone()));
    let example_records = row.example.as_ref().and_then(|e| match &row.records {
        Some(field) => e.get(field).cloned(),
        None => Some(e.clone()),
    });
    let list = match example_records {
        Some(list)
            if list.as_array().is_some_and(|a| !a.is_empty()) && records.conforms(&list, &record_list) =>
        {
            list
        }
        _ => {
            let date = row.date.0.as_str();
            Value::Array((0..3).map(|n| records.sample(ty, n, "", date)).collect())
        }
    };
    match &row.records {
        None => list,
        Some(field) => {
            let mut page = row
                .example
                .clone()
                .filter(Value::is_object)
                .unwrap_or_else(|| json!({}));
            page[field.as_str()] = list;
            let pointer = match &row.paging {
                Paging::Cursor { field, .. } | Paging::NextUrl { field } => Some(field.clone()),
                _ => None,
            };
            if let Some(pointer) = pointer {
                let pointer = if pointer.starts_with('/') {
                    pointer
                } else {
                    format!("/{pointer}")
                };
                if let Some(slot) = page.pointer_mut(&pointer) {
                    *slot = Value::Null;
                }
            }
            page
        }
    }
}

/// `text` as a raw string literal.
fn raw(text: &str) -> String {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
}

/// The writes the offline transport answers for a row, as Rust: each method with the
/// field of its answer that holds the record (`None`: the answer is the record).
fn answers(calls: &[WriteCall<'_>]) -> String {
    let each: Vec<String> = calls
        .iter()
        .map(|c| {
            let field = match &c.holds {
                Some(Holds::Field { json, .. }) => format!("Some({json:?})"),
                _ => "None".to_owned(),
            };
            format!("({}, {field})", c.method())
        })
        .collect();
    format!("&[{}]", each.join(", "))
}

fn offline(rows: &[(String, &SyncedRow, Value, String)], auth: &Auth) -> String {
    let mut out = String::from(
        "//! A transport that answers as the spec says the API does, from its examples (or\n//! values made from its schemas), so the crate's tests and the hosts that load it run\n//! offline: each listing's first page, then an empty page; an item by its id.\n\nuse tento::http::{Method, Request, Response, Transport, TransportError};\n\n/// Answers from the spec's examples instead of the network. Chosen explicitly: by\n/// [`Client::offline`](crate::Client::offline), or for every client with the `offline`\n/// feature.\n#[derive(Clone, Copy, Debug, Default)]\npub struct OfflineTransport;\n",
    );
    for (module, _, page, _) in rows {
        out.push_str(&format!(
            "\n/// The first page of `{module}`.\nconst {}: &str = {};\n",
            module.to_uppercase(),
            raw(&page.to_string())
        ));
    }
    let credential = auth.offline_check();
    out.push_str(&format!(
        "\nimpl OfflineTransport {{\n    /// The answer to `request`.\n    pub fn answer(request: &Request) -> Response {{\n        {credential}\n        let path = request.path.as_str();\n"
    ));
    for (module, row, _, writes) in rows {
        let page = module.to_uppercase();
        let records = match &row.records {
            Some(f) => format!("Some({f:?})"),
            None => "None".into(),
        };
        let follow_up = match &row.paging {
            Paging::Page { param, .. } => {
                format!("request.query_value({param:?}).is_some_and(|p| p != \"1\" && p != \"0\")")
            }
            Paging::Offset { offset, .. } => {
                format!("request.query_value({offset:?}).is_some_and(|o| o != \"0\")")
            }
            Paging::Cursor { param, .. } => format!("request.query_value({param:?}).is_some()"),
            _ => "false".into(),
        };
        let id = row.id.as_deref().unwrap_or("id");
        out.push_str(&format!(
            "        if let Some(rest) = path\n            .strip_prefix(super::{module}::PATH)\n            .filter(|rest| rest.is_empty() || rest.starts_with('/'))\n        {{\n            return Self::serve(request, rest, {page}, {records}, {id:?}, {follow_up}, {writes});\n        }}\n"
        ));
    }
    out.push_str(
        "        Response::status(404, format!(\"the spec has no {path}\"))\n    }\n\n    /// A listing's answer: `page` (records under `records`, or the body itself), empty\n    /// when `follow_up`; an item (`rest` = `/<id>`) found by its `id` field; a write the\n    /// spec has (`writes`: its method, and the field of its answer holding the record,\n    /// if not the answer itself) answered with the record it leaves: the fields sent\n    /// over the stored record (for a create, over the page's first).\n    pub fn serve(\n        request: &Request,\n        rest: &str,\n        page: &str,\n        records: Option<&str>,\n        id: &str,\n        follow_up: bool,\n        writes: &[(Method, Option<&str>)],\n    ) -> Response {\n        let mut page: serde_json::Value = serde_json::from_str(page).unwrap_or_default();\n        let list = match records {\n            Some(field) => &mut page[field],\n            None => &mut page,\n        };\n        let item = rest.strip_prefix('/');\n        let found = item.and_then(|wanted| {\n            list.as_array()?\n                .iter()\n                .find(|r| match &r[id] {\n                    serde_json::Value::String(s) => s == wanted,\n                    other => other.as_i64().is_some_and(|n| wanted.parse() == Ok(n)),\n                })\n                .cloned()\n        });\n        let write = writes.iter().find(|(method, _)| *method == request.method);\n        match (request.method, item) {\n            (Method::Get, None) => {\n                if follow_up {\n                    *list = serde_json::json!([]);\n                }\n                Response::json(&page)\n            }\n            (Method::Get | Method::Delete, Some(wanted)) => match (found, request.method) {\n                (Some(_), Method::Delete) => Response::json(&serde_json::Value::Null),\n                (Some(record), _) => Response::json(&record),\n                (None, _) => Response::status(404, format!(\"no record {wanted}\")),\n            },\n            (Method::Post, None) | (Method::Patch | Method::Put, Some(_)) if write.is_some() => {\n                let mut record = match (item, found) {\n                    (None, _) => list.get(0).cloned().unwrap_or_else(|| serde_json::json!({})),\n                    (Some(_), Some(record)) => record,\n                    (Some(wanted), None) => return Response::status(404, format!(\"no record {wanted}\")),\n                };\n                let sent: serde_json::Value = request\n                    .body\n                    .as_deref()\n                    .and_then(|body| serde_json::from_slice(body).ok())\n                    .unwrap_or_default();\n                if let (Some(record), Some(sent)) = (record.as_object_mut(), sent.as_object()) {\n                    record.extend(sent.clone());\n                }\n                match write.and_then(|(_, field)| *field) {\n                    Some(field) => Response::json(&serde_json::json!({ field: record })),\n                    None => Response::json(&record),\n                }\n            }\n            _ => Response::status(405, \"method not allowed\"),\n        }\n    }\n}\n\nimpl Transport for OfflineTransport {\n    fn send(\n        &self,\n        request: Request,\n    ) -> std::pin::Pin<Box<dyn Future<Output = Result<Response, TransportError>> + Send + '_>> {\n        Box::pin(std::future::ready(Ok(Self::answer(&request))))\n    }\n}\n",
    );
    out
}
