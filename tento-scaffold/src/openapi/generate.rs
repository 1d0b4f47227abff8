//! The generated module `src/api/`: the record types, one module per row (its path,
//! date window, pagination, `get` and write calls, and its cell), the offline transport
//! answering with the spec's examples, paged as the spec says, and a server on 127.0.0.1
//! giving the same answers over HTTP (`local`, for tests). The tool owns these files and
//! rewrites them on every sync; everything else in the crate is the user's. What is the
//! same for every spec is written as it is in `verbatim/`.

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
    // The server needs tento's `testing` (its `http::local`), as the crate's does.
    let mut mod_rs = format!("{header}\n#[cfg(feature = \"testing\")]\npub mod local;\npub mod offline;\n");
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
    mod_rs.push_str(&listing(modules));
    files.push(("src/api/mod.rs".into(), mod_rs));
    files.push((
        "src/api/types.rs".into(),
        format!(
            "//! The record types of the spec's schemas.\n// A union holds its shapes side by side, as the spec has them, whatever their sizes.\n#![allow(clippy::large_enum_variant)]\n\nuse serde::{{Deserialize, Serialize}};\n{}",
            records.render()
        ),
    ));
    files.push(("src/api/offline.rs".into(), offline(&fixtures, auth)));
    files.push((
        "src/api/local.rs".into(),
        include_str!("verbatim/local.rs").to_owned(),
    ));
    Ok(Module {
        files,
        rows,
        warnings: records.warnings.clone(),
    })
}

/// `listing`, in `src/api/mod.rs`: a row's listing and cell by the row's name, so code
/// that holds a row only by name (the full sync plugin's executor, which the host builds
/// with the row's module name) pages any row, and a row the spec gains is reached once
/// this module is regenerated, without touching the user's files.
fn listing(modules: &[String]) -> String {
    let arms: String = modules
        .iter()
        .map(|m| {
            format!(
                "        {m:?} => Some((\n            {m}::pages(client, start, end),\n            |record| {m}::to_cell(&serde_json::from_value(record)?),\n        )),\n"
            )
        })
        .collect();
    format!(
        "\n/// How a record of a row's listing, read as JSON, becomes a connector cell.\n#[cfg(feature = \"connector\")]\npub type ToCell = fn(serde_json::Value) -> anyhow::Result<tento::connector::Cell>;\n\n/// The listing of the row named `row` for the days `start..=end`, a page at a time, and\n/// how each of its records becomes a cell; `None` when the spec has no such row.\n#[cfg(feature = \"connector\")]\npub fn listing<'a>(\n    client: &'a crate::Client,\n    row: &str,\n    start: chrono::NaiveDate,\n    end: chrono::NaiveDate,\n) -> Option<(tento::http::Pager<'a>, ToCell)> {{\n    match row {{\n{arms}        _ => None,\n    }}\n}}\n"
    )
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

/// The example page the offline transport pages through: the spec's example when it
/// fits the record type, else records made from the schemas; pagination fields emptied
/// (the transport fills them in per page).
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

/// `src/api/offline.rs`: the transport and its listings (the same for every spec, in
/// `verbatim/offline.rs`), then this spec's example pages, one listing a row (paged as
/// the row's `pagination()` pages, the mapping's override included, and answering the
/// writes the spec has), and the check that a request carries the spec's credential.
fn offline(rows: &[(String, &SyncedRow, Value, String)], auth: &Auth) -> String {
    let mut out = String::from(include_str!("verbatim/offline.rs"));
    for (module, _, page, _) in rows {
        out.push_str(&format!(
            "\n/// The example page of `{module}`, whose records its listing serves in turn.\nconst {}: &str = {};\n",
            module.to_uppercase(),
            raw(&page.to_string())
        ));
    }
    out.push_str("\n/// The spec's listings, one a row.\npub const LISTINGS: &[Listing] = &[\n");
    for (module, row, _, writes) in rows {
        let paging = match &row.paging {
            Paging::Single => "Paging::Single".to_owned(),
            Paging::Page { param, size } => format!(
                "Paging::Page {{ param: {param:?}, size: {} }}",
                size.as_ref()
                    .map_or("None".to_owned(), |(p, n)| format!("Some(({p:?}, {n}))"))
            ),
            Paging::Offset { offset, limit, size } => {
                format!("Paging::Offset {{ offset: {offset:?}, limit: {limit:?}, size: {size} }}")
            }
            Paging::Cursor { field, param } => {
                format!("Paging::Cursor {{ field: {field:?}, param: {param:?} }}")
            }
            Paging::Link => "Paging::Link".to_owned(),
            Paging::NextUrl { field } => format!("Paging::NextUrl {{ field: {field:?} }}"),
        };
        out.push_str(&format!(
            "    Listing {{ path: super::{module}::PATH, page: {}, records: {:?}, id: {:?}, date: {:?}, paging: {paging}, writes: {writes} }},\n",
            module.to_uppercase(),
            row.records,
            row.id,
            row.date.0,
        ));
    }
    out.push_str("];\n");
    let credential = auth.offline_check();
    out.push_str(&format!(
        "\nimpl OfflineTransport {{\n    /// The answer to `request`; the next-page URLs it hands out are relative.\n    pub fn answer(request: &Request) -> Response {{\n        Self::answer_at(\"\", request)\n    }}\n\n    /// The answer to `request` from a server at `origin` (`http://127.0.0.1:…`), which\n    /// the next-page URLs it hands out start with.\n    pub fn answer_at(origin: &str, request: &Request) -> Response {{\n        {credential}\n        serve(origin, request)\n    }}\n}}\n"
    ));
    out
}
