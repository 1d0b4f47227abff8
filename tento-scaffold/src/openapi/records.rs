//! Record types from the spec's schemas: our own small emitter (typify panics on some
//! schemas, and a connector needs only data types). Objects become structs with serde
//! renames, `oneOf`/`anyOf` untagged enums, `allOf` one struct of all parts, nullable
//! and optional fields `Option`; a schema that cannot be typed is `serde_json::Value`,
//! with a warning naming it. The same model writes the offline fixture values, so they
//! always deserialize.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::{Value, json};

use super::classify::{properties, type_of};
use super::document::{Document, ref_target};

/// A Rust type for a schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `String`.
    String,
    /// `chrono::NaiveDate`.
    Date,
    /// `chrono::DateTime<chrono::Utc>`.
    DateTime,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `bool`.
    Bool,
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// `Option<T>`.
    Option(Box<Ty>),
    /// A struct or enum this module emits.
    Named(String),
    /// `serde_json::Value`.
    Value,
}

impl Ty {
    /// The type as Rust source, in the module that declares the named types.
    pub fn rust(&self) -> String {
        self.rust_in("")
    }

    /// The type as Rust source where the named types are reached through `path`
    /// (`super::types::`).
    pub fn rust_in(&self, path: &str) -> String {
        match self {
            Ty::String => "String".into(),
            Ty::Date => "chrono::NaiveDate".into(),
            Ty::DateTime => "chrono::DateTime<chrono::Utc>".into(),
            Ty::Integer => "i64".into(),
            Ty::Number => "f64".into(),
            Ty::Bool => "bool".into(),
            Ty::Vec(t) => format!("Vec<{}>", t.rust_in(path)),
            Ty::Map(t) => format!("std::collections::BTreeMap<String, {}>", t.rust_in(path)),
            Ty::Option(t) => format!("Option<{}>", t.rust_in(path)),
            Ty::Named(n) => format!("{path}{n}"),
            Ty::Value => "serde_json::Value".into(),
        }
    }

    fn optional(self) -> Ty {
        match self {
            Ty::Option(_) => self,
            t => Ty::Option(Box::new(t)),
        }
    }

    /// The type under any `Option`.
    pub fn inner(&self) -> &Ty {
        match self {
            Ty::Option(t) => t.inner(),
            t => t,
        }
    }
}

/// A struct field.
#[derive(Clone, Debug)]
pub struct Field {
    /// Its JSON name.
    pub json: String,
    /// Its Rust name.
    pub rust: String,
    /// Its type.
    pub ty: Ty,
    /// Not required by the spec: in a struct a write sends, absent from the JSON when
    /// `None` (see [`Records::sent`]).
    pub optional: bool,
    /// Its doc line.
    pub doc: String,
}

/// An emitted item.
#[derive(Clone, Debug)]
pub enum Item {
    /// A struct.
    Struct {
        /// Its name.
        name: String,
        /// Its doc line.
        doc: String,
        /// Its fields.
        fields: Vec<Field>,
    },
    /// An untagged enum.
    Enum {
        /// Its name.
        name: String,
        /// Its doc line.
        doc: String,
        /// `(variant, type)`.
        variants: Vec<(String, Ty)>,
    },
}

/// A schema the emitter refuses.
#[derive(Debug, thiserror::Error)]
pub enum RecordsError {
    /// A schema containing itself.
    #[error(
        "schema {chain} refers to itself; tento types records without recursion: make the inner reference `{{}}` (any JSON) or cut the cycle"
    )]
    Recursive {
        /// The cycle, `A -> B -> A`.
        chain: String,
    },
    /// Two names that are one in Rust.
    #[error("{first} and {second} both become `{rust}` in Rust; rename one in the spec")]
    Collision {
        /// One.
        first: String,
        /// The other.
        second: String,
        /// The Rust name.
        rust: String,
    },
}

/// The record types of a spec, built as rows ask for them.
pub struct Records<'a> {
    doc: &'a Document,
    /// The items, in the order first asked for.
    pub items: Vec<Item>,
    by_pointer: BTreeMap<String, String>,
    names: BTreeMap<String, String>,
    in_progress: Vec<String>,
    /// Schemas typed as `serde_json::Value`, with why.
    pub warnings: Vec<String>,
    /// The structs a write call sends, whole or in part: their optional fields are
    /// skipped when `None`, so an update sends only the fields set (a `null` would clear
    /// the field). Structs only read keep every field, as the listings always have.
    sent: BTreeSet<String>,
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try", "typeof",
    "unsized", "virtual", "yield",
];

/// `name` as a Rust field name: snake case, a keyword suffixed with `_`, a leading
/// digit prefixed with `n`.
pub fn field_name(name: &str) -> String {
    let mut out: String = name
        .to_snake_case()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out == "_" {
        out = "field".into();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'n');
    }
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// `name` as a Rust type name.
pub fn type_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut out = cleaned.to_upper_camel_case();
    if out.is_empty() {
        out = "Record".into();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'N');
    }
    // Names the generated module already uses.
    if matches!(
        out.as_str(),
        "Self" | "Record" | "Client" | "Value" | "Option" | "Vec" | "String" | "Result"
    ) {
        out.push_str("Schema");
    }
    out
}

/// One doc line from a description: its first line, with what rustdoc would read as
/// markup escaped; `fallback` (ours, already markdown) when there is none.
pub fn doc_line(text: Option<&str>, fallback: &str) -> String {
    let Some(line) = text.and_then(|t| t.lines().map(str::trim).find(|l| !l.is_empty())) else {
        return fallback.to_owned();
    };
    let mut out = String::new();
    for c in line.chars() {
        if matches!(c, '[' | ']' | '<' | '>' | '`' | '*' | '_' | '#') {
            out.push('\\');
        }
        if !c.is_control() {
            out.push(c);
        }
    }
    let out = out.trim_end_matches('\\').trim().to_owned();
    if out.ends_with('.') {
        out
    } else {
        format!("{out}.")
    }
}

impl<'a> Records<'a> {
    /// An empty set of records for `doc`.
    pub fn new(doc: &'a Document) -> Self {
        Records {
            doc,
            items: Vec::new(),
            by_pointer: BTreeMap::new(),
            names: BTreeMap::new(),
            in_progress: Vec::new(),
            warnings: Vec::new(),
            sent: BTreeSet::new(),
        }
    }

    /// The type of `schema`; an inline object is named `context`.
    pub fn ty(&mut self, schema: &Value, context: &str) -> Result<Ty, RecordsError> {
        if let Some(pointer) = ref_target(schema) {
            if let Some(start) = self.in_progress.iter().position(|p| p == pointer) {
                let mut chain: Vec<String> = self.in_progress[start..].iter().map(|p| short(p)).collect();
                chain.push(short(pointer));
                return Err(RecordsError::Recursive {
                    chain: chain.join(" -> "),
                });
            }
            if let Some(name) = self.by_pointer.get(pointer) {
                return Ok(Ty::Named(name.clone()));
            }
            let target = self.doc.resolve(schema);
            if !is_object(target) && !is_union(target) {
                self.in_progress.push(pointer.to_owned());
                let ty = self.ty(target, context);
                self.in_progress.pop();
                return ty;
            }
            let name = self.claim(&short(pointer), pointer)?;
            self.in_progress.push(pointer.to_owned());
            let ty = self.item(target, &name, pointer);
            self.in_progress.pop();
            return ty;
        }
        let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true)
            || schema
                .get("type")
                .and_then(Value::as_array)
                .is_some_and(|ts| ts.iter().any(|t| t == "null"));
        let ty = self.bare(schema, context)?;
        Ok(if nullable { ty.optional() } else { ty })
    }

    fn bare(&mut self, schema: &Value, context: &str) -> Result<Ty, RecordsError> {
        if is_union(schema) {
            let variants: Vec<&Value> = ["oneOf", "anyOf"]
                .iter()
                .filter_map(|k| schema.get(*k).and_then(Value::as_array))
                .flatten()
                .collect();
            let real: Vec<&Value> = variants
                .iter()
                .copied()
                .filter(|v| v.get("type") != Some(&json!("null")))
                .collect();
            let nullable = real.len() < variants.len();
            let ty = if real.len() == 1 {
                self.ty(real[0], context)?
            } else {
                let name = self.claim(context, &format!("inline:{context}"))?;
                self.union(&real, &name, schema)?
            };
            return Ok(if nullable { ty.optional() } else { ty });
        }
        // `allOf: [$ref]` (a reference with siblings, in 3.0) is that reference.
        if let Some([only]) = schema.get("allOf").and_then(Value::as_array).map(Vec::as_slice)
            && schema.get("properties").is_none()
        {
            return self.ty(only, context);
        }
        if is_object(schema) {
            let name = self.claim(context, &format!("inline:{context}"))?;
            return self.item(schema, &name, context);
        }
        Ok(
            match (type_of(schema), schema.get("format").and_then(Value::as_str)) {
                (Some("string"), Some("date")) => Ty::Date,
                (Some("string"), Some("date-time")) => Ty::DateTime,
                (Some("string"), _) => Ty::String,
                (Some("integer"), _) => Ty::Integer,
                (Some("number"), _) => Ty::Number,
                (Some("boolean"), _) => Ty::Bool,
                (Some("array"), _) => match schema.get("items") {
                    Some(items) => Ty::Vec(Box::new(self.ty(items, &format!("{context}Item"))?)),
                    None => Ty::Vec(Box::new(self.untyped(context, "an array without `items`"))),
                },
                (Some("object"), _) => match schema.get("additionalProperties") {
                    Some(extra) if extra.is_object() && !extra.as_object().is_some_and(|o| o.is_empty()) => {
                        Ty::Map(Box::new(self.ty(extra, &format!("{context}Value"))?))
                    }
                    _ => self.untyped(context, "an object without properties"),
                },
                _ => self.untyped(context, "a schema without a type"),
            },
        )
    }

    fn untyped(&mut self, context: &str, why: &str) -> Ty {
        self.warnings
            .push(format!("{context}: {why}; typed as serde_json::Value"));
        Ty::Value
    }

    /// Takes Rust name `name` for `key`, refusing one taken for something else.
    fn claim(&mut self, name: &str, key: &str) -> Result<String, RecordsError> {
        let rust = type_name(name);
        match self.names.get(&rust) {
            Some(other) if other != key => Err(RecordsError::Collision {
                first: shown(other),
                second: shown(key),
                rust,
            }),
            _ => {
                self.names.insert(rust.clone(), key.to_owned());
                if !key.starts_with("inline:") {
                    self.by_pointer.insert(key.to_owned(), rust.clone());
                }
                Ok(rust)
            }
        }
    }

    fn item(&mut self, schema: &Value, name: &str, key: &str) -> Result<Ty, RecordsError> {
        if is_union(schema) {
            return self.bare(schema, name);
        }
        let doc = doc_line(
            schema.get("description").and_then(Value::as_str),
            &format!("`{}` in the spec.", shown(key)),
        );
        let mut required: BTreeSet<String> = BTreeSet::new();
        collect_required(self.doc, schema, &mut required);
        let mut fields: Vec<Field> = Vec::new();
        let mut rust_names: BTreeMap<String, String> = BTreeMap::new();
        for (json, prop) in properties(self.doc, schema) {
            let rust = field_name(json);
            if let Some(first) = rust_names.insert(rust.clone(), json.to_owned()) {
                return Err(RecordsError::Collision {
                    first: format!("{name}.{first}"),
                    second: format!("{name}.{json}"),
                    rust,
                });
            }
            let ty = self.ty(prop, &format!("{name}{}", type_name(json)))?;
            let optional = !required.contains(json);
            let ty = if optional { ty.optional() } else { ty };
            let resolved = self.doc.resolve(prop);
            fields.push(Field {
                json: json.to_owned(),
                rust,
                ty,
                optional,
                doc: doc_line(
                    resolved.get("description").and_then(Value::as_str),
                    &format!("The `{json}` field."),
                ),
            });
        }
        self.items.push(Item::Struct {
            name: name.to_owned(),
            doc,
            fields,
        });
        Ok(Ty::Named(name.to_owned()))
    }

    fn union(&mut self, variants: &[&Value], name: &str, schema: &Value) -> Result<Ty, RecordsError> {
        let mut out: Vec<(String, Ty)> = Vec::new();
        for (i, v) in variants.iter().enumerate() {
            let ty = self.ty(v, &format!("{name}{}", i + 1))?;
            let mut variant = match ty.inner() {
                Ty::Named(n) => n.clone(),
                Ty::String => "Text".into(),
                Ty::Integer => "Integer".into(),
                Ty::Number => "Number".into(),
                Ty::Bool => "Bool".into(),
                Ty::Date => "Date".into(),
                Ty::DateTime => "DateTime".into(),
                Ty::Vec(_) => "List".into(),
                Ty::Map(_) => "Map".into(),
                _ => "Other".into(),
            };
            if out.iter().any(|(n, _)| *n == variant) {
                variant = format!("{variant}{}", i + 1);
            }
            out.push((variant, ty));
        }
        let doc = doc_line(
            schema.get("description").and_then(Value::as_str),
            &format!("One of {} shapes.", out.len()),
        );
        self.items.push(Item::Enum {
            name: name.to_owned(),
            doc,
            variants: out,
        });
        Ok(Ty::Named(name.to_owned()))
    }

    /// Marks `ty`, and every struct it holds, as sent by a write call.
    pub fn sent(&mut self, ty: &Ty) {
        match ty {
            Ty::Vec(t) | Ty::Map(t) | Ty::Option(t) => self.sent(t),
            Ty::Named(name) if self.sent.insert(name.clone()) => {
                let held: Vec<Ty> = match self.find(name) {
                    Some(Item::Struct { fields, .. }) => fields.iter().map(|f| f.ty.clone()).collect(),
                    Some(Item::Enum { variants, .. }) => variants.iter().map(|(_, t)| t.clone()).collect(),
                    None => Vec::new(),
                };
                for t in &held {
                    self.sent(t);
                }
            }
            _ => {}
        }
    }

    /// Every item as Rust source.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for item in &self.items {
            out.push('\n');
            match item {
                Item::Struct { name, doc, fields } => {
                    out.push_str(&format!(
                        "/// {doc}\n#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]\npub struct {name} {{\n"
                    ));
                    for f in fields {
                        out.push_str(&format!("    /// {}\n", f.doc));
                        let mut serde = Vec::new();
                        if f.json != f.rust {
                            serde.push(format!("rename = {:?}", f.json));
                        }
                        if f.optional && self.sent.contains(name) {
                            serde.push("skip_serializing_if = \"Option::is_none\"".to_owned());
                        }
                        if !serde.is_empty() {
                            out.push_str(&format!("    #[serde({})]\n", serde.join(", ")));
                        }
                        out.push_str(&format!("    pub {}: {},\n", f.rust, f.ty.rust()));
                    }
                    out.push_str("}\n");
                }
                Item::Enum { name, doc, variants } => {
                    out.push_str(&format!(
                        "/// {doc}\n#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]\n#[serde(untagged)]\npub enum {name} {{\n"
                    ));
                    for (variant, ty) in variants {
                        out.push_str(&format!(
                            "    /// A `{}`.\n    {variant}({}),\n",
                            ty.rust().replace('`', ""),
                            ty.rust()
                        ));
                    }
                    out.push_str("}\n");
                }
            }
        }
        out
    }

    fn find(&self, name: &str) -> Option<&Item> {
        self.items.iter().find(|i| match i {
            Item::Struct { name: n, .. } | Item::Enum { name: n, .. } => n == name,
        })
    }

    /// A value of `ty` for the offline fixture: record `n` of a page, dated `day`.
    pub fn sample(&self, ty: &Ty, n: usize, field: &str, date_field: &str) -> Value {
        let day = format!("2024-03-{:02}", 1 + n % 28);
        match ty {
            Ty::Option(t) => self.sample(t, n, field, date_field),
            Ty::String if matches!(field, "id" | "uuid" | "_id" | "key") => json!(format!("rec-{n}")),
            Ty::String => json!(format!("{field}-{n}")),
            Ty::Date => json!(day),
            Ty::DateTime => json!(format!("{day}T08:00:00Z")),
            Ty::Integer if field == date_field => json!(1_709_280_000 + 86_400 * n as i64),
            Ty::Integer => json!(n as i64 + 1),
            Ty::Number => json!(n as f64 + 0.5),
            Ty::Bool => json!(n.is_multiple_of(2)),
            Ty::Vec(t) => json!([self.sample(t, n, field, date_field)]),
            Ty::Map(t) => json!({ "key": self.sample(t, n, field, date_field) }),
            Ty::Value => json!({}),
            Ty::Named(name) => match self.find(name) {
                Some(Item::Struct { fields, .. }) => Value::Object(
                    fields
                        .iter()
                        .map(|f| (f.json.clone(), self.sample(&f.ty, n, &f.json, date_field)))
                        .collect(),
                ),
                Some(Item::Enum { variants, .. }) => variants
                    .first()
                    .map_or(Value::Null, |(_, t)| self.sample(t, n, field, date_field)),
                None => Value::Null,
            },
        }
    }

    /// Whether `value` deserializes as `ty` (an example the spec gives may not).
    pub fn conforms(&self, value: &Value, ty: &Ty) -> bool {
        match (ty, value) {
            (Ty::Option(_), Value::Null) => true,
            (Ty::Option(t), v) => self.conforms(v, t),
            (Ty::Value, _) => true,
            (Ty::String, Value::String(_)) => true,
            (Ty::Date, Value::String(s)) => chrono_like(s, 10),
            (Ty::DateTime, Value::String(s)) => chrono_like(s, 20) && s.as_bytes().get(10) == Some(&b'T'),
            (Ty::Integer, Value::Number(n)) => n.is_i64(),
            (Ty::Number, Value::Number(_)) => true,
            (Ty::Bool, Value::Bool(_)) => true,
            (Ty::Vec(t), Value::Array(items)) => items.iter().all(|i| self.conforms(i, t)),
            (Ty::Map(t), Value::Object(map)) => map.values().all(|v| self.conforms(v, t)),
            (Ty::Named(name), v) => match self.find(name) {
                Some(Item::Struct { fields, .. }) => v.as_object().is_some_and(|map| {
                    fields.iter().all(|f| match map.get(&f.json) {
                        Some(x) => self.conforms(x, &f.ty),
                        None => matches!(f.ty, Ty::Option(_)),
                    })
                }),
                Some(Item::Enum { variants, .. }) => variants.iter().any(|(_, t)| self.conforms(v, t)),
                None => false,
            },
            _ => false,
        }
    }
}

/// A date or date-time string's shape: `YYYY-MM-DD` at least `len` long.
fn chrono_like(s: &str, len: usize) -> bool {
    let b = s.as_bytes();
    b.len() >= len && b[4] == b'-' && b[7] == b'-' && b[..4].iter().all(u8::is_ascii_digit)
}

fn collect_required(doc: &Document, schema: &Value, out: &mut BTreeSet<String>) {
    let schema = doc.resolve(schema);
    for r in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(r) = r.as_str() {
            out.insert(r.to_owned());
        }
    }
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        collect_required(doc, part, out);
    }
}

fn is_object(schema: &Value) -> bool {
    schema
        .get("properties")
        .is_some_and(|p| p.as_object().is_some_and(|o| !o.is_empty()))
        || schema.get("allOf").is_some()
}

fn is_union(schema: &Value) -> bool {
    schema.get("oneOf").is_some() || schema.get("anyOf").is_some()
}

/// `#/components/schemas/Pet` → `Pet`.
fn short(pointer: &str) -> String {
    pointer
        .rsplit('/')
        .next()
        .unwrap_or(pointer)
        .replace("~1", "/")
        .replace("~0", "~")
}

fn shown(key: &str) -> String {
    key.strip_prefix("inline:")
        .map_or_else(|| format!("#{key}"), |k| format!("inline schema {k}"))
}
