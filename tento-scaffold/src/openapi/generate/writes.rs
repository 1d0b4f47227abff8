//! A row's write calls: `create` and `update` typed from the spec's request-body and
//! answer schemas (the record emitter's types, `serde_json::Value` with a warning only
//! where the spec gives no schema), and `delete`. What the generated code needs to know
//! of each: the types, and where an answer keeps the record it returns.

use serde_json::Value;

use crate::openapi::classify::{SyncedRow, Write};
use crate::openapi::document::ref_target;
use crate::openapi::records::{Item, Records, RecordsError, Ty, type_name};

/// One write call of a row, typed.
pub struct WriteCall<'r> {
    /// The operation.
    pub write: &'r Write,
    /// What the body is typed as (`create`/`update`).
    pub body: Ty,
    /// What the answer is typed as; `None` when the spec gives no JSON answer.
    pub answer: Option<Ty>,
    /// Where the answer keeps the row's record; `None` when it holds none.
    pub holds: Option<Holds>,
}

/// Where an answer keeps the record.
pub enum Holds {
    /// The answer is the record.
    Itself,
    /// In one of its fields.
    Field {
        /// Its JSON name.
        json: String,
        /// Its Rust name.
        rust: String,
        /// Whether it is an `Option`.
        optional: bool,
    },
}

impl WriteCall<'_> {
    /// `create` or `update` (or `delete`).
    pub fn function(&self) -> &'static str {
        match self.write.verb.as_str() {
            "post" => "create",
            "patch" => "update",
            _ => "delete",
        }
    }

    /// The function reading the record out of the answer.
    pub fn record_function(&self) -> &'static str {
        match self.write.verb.as_str() {
            "post" => "created_record",
            _ => "updated_record",
        }
    }

    /// The `tento::http::Method` the call sends.
    pub fn method(&self) -> &'static str {
        match self.write.method.as_str() {
            "post" => "Method::Post",
            "put" => "Method::Put",
            "patch" => "Method::Patch",
            _ => "Method::Delete",
        }
    }
}

/// The type aliases of a verb's body and answer.
fn aliases(verb: &str) -> (&'static str, &'static str) {
    if verb == "post" {
        ("CreateBody", "Created")
    } else {
        ("UpdateBody", "Updated")
    }
}

/// The write calls of `row` (module `module`, records typed `record`), their types
/// emitted into `records`.
pub fn typed<'r>(
    records: &mut Records<'_>,
    row: &'r SyncedRow,
    module: &str,
    record: &Ty,
) -> Result<Vec<WriteCall<'r>>, RecordsError> {
    let mut calls = Vec::new();
    for write in &row.writes {
        if write.verb == "delete" {
            calls.push(WriteCall {
                write,
                body: Ty::Value,
                answer: None,
                holds: None,
            });
            continue;
        }
        let (body_name, answer_name) = aliases(&write.verb);
        let shown = format!("{} {}", write.method.to_uppercase(), write.path);
        let body = match &write.body {
            Some(schema) => records.ty(schema, &format!("{}{body_name}", type_name(module)))?,
            None => {
                records.warnings.push(format!(
                    "{shown}: the spec gives no JSON request body; its body is typed as serde_json::Value"
                ));
                Ty::Value
            }
        };
        let answer = match &write.answer {
            Some(schema) => Some(records.ty(schema, &format!("{}{answer_name}", type_name(module)))?),
            None => None,
        };
        records.sent(&body);
        let holds = answer.as_ref().and_then(|answer| holder(records, answer, record));
        calls.push(WriteCall {
            write,
            body,
            answer,
            holds,
        });
    }
    Ok(calls)
}

/// Where an answer of type `answer` keeps a record of type `record`: itself, or the
/// first of its fields of that type.
fn holder(records: &Records<'_>, answer: &Ty, record: &Ty) -> Option<Holds> {
    if answer.inner() == record.inner() {
        return Some(Holds::Itself);
    }
    let Ty::Named(name) = answer.inner() else {
        return None;
    };
    records.items.iter().find_map(|item| match item {
        Item::Struct { name: n, fields, .. } if n == name => fields
            .iter()
            .find(|f| f.ty.inner() == record.inner())
            .map(|f| Holds::Field {
                json: f.json.clone(),
                rust: f.rust.clone(),
                optional: matches!(f.ty, Ty::Option(_)),
            }),
        _ => None,
    })
}

/// Where a schema comes from, for a doc line.
fn source(schema: Option<&Value>, shown: &str, what: &str) -> String {
    match schema {
        Some(schema) => match ref_target(schema) {
            Some(pointer) => format!("the spec's `#{pointer}`"),
            None => format!("the {what} schema of `{shown}`"),
        },
        None => format!("any JSON: the spec gives `{shown}` no {what} schema"),
    }
}

/// The calls as Rust source, in the row's module (`Client`, `Method`, `Request`,
/// `Record` and `PATH` in scope).
pub fn render(calls: &[WriteCall<'_>], module: &str) -> String {
    let mut out = String::new();
    for call in calls {
        let write = call.write;
        let shown = format!("{} {}", write.method.to_uppercase(), write.path);
        let function = call.function();
        if write.verb == "delete" {
            out.push_str(&format!(
                "\n/// Deletes the record `id` (`{shown}`).\npub async fn delete(client: &Client, id: &str) -> anyhow::Result<()> {{\n    client\n        .api()\n        .send({module:?}, Request::delete(format!(\"{{PATH}}/{{id}}\")))\n        .await?;\n    Ok(())\n}}\n"
            ));
            continue;
        }
        let (body_alias, answer_alias) = aliases(&write.verb);
        out.push_str(&format!(
            "\n/// The body [`{function}`] sends: {}.\npub type {body_alias} = {};\n",
            source(write.body.as_ref(), &shown, "request body"),
            call.body.rust_in("super::types::")
        ));
        let returns = match &call.answer {
            Some(answer) => {
                out.push_str(&format!(
                    "\n/// What [`{function}`] answers: {}.\npub type {answer_alias} = {};\n",
                    source(write.answer.as_ref(), &shown, "answer"),
                    answer.rust_in("super::types::")
                ));
                answer_alias
            }
            None => "()",
        };
        let (doc, params, path) = if write.verb == "post" {
            (
                format!("Creates a record from `body` (`{shown}`)"),
                "body: &CreateBody",
                "PATH".to_owned(),
            )
        } else {
            (
                format!("Changes the record `id` with `body` (`{shown}`)"),
                "id: &str, body: &UpdateBody",
                "format!(\"{PATH}/{id}\")".to_owned(),
            )
        };
        let request = format!(
            "let request = Request::new({}, {path}).json(&serde_json::to_value(body)?);",
            call.method()
        );
        let body = if call.answer.is_some() {
            format!("    {request}\n    Ok(client.api().json({module:?}, request).await?)")
        } else {
            format!("    {request}\n    client.api().send({module:?}, request).await?;\n    Ok(())")
        };
        let answered = if call.answer.is_some() {
            "; the API's answer"
        } else {
            ""
        };
        out.push_str(&format!(
            "\n/// {doc}{answered}.\npub async fn {function}(client: &Client, {params}) -> anyhow::Result<{returns}> {{\n{body}\n}}\n"
        ));
        if let Some(holds) = &call.holds {
            let (how, expr) = match holds {
                Holds::Itself => ("the answer itself".to_owned(), "Some(answer)".to_owned()),
                Holds::Field {
                    json,
                    rust,
                    optional: true,
                } => (format!("its `{json}`"), format!("answer.{rust}.as_ref()")),
                Holds::Field { json, rust, .. } => (format!("its `{json}`"), format!("Some(&answer.{rust})")),
            };
            out.push_str(&format!(
                "\n/// The record [`{function}`]'s answer holds: {how}.\npub fn {}(answer: &{answer_alias}) -> Option<&Record> {{\n    {expr}\n}}\n",
                call.record_function()
            ));
        }
    }
    out
}
