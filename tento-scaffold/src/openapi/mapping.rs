//! `openapi.tento.toml`: the user's choices over the spec, written once by `new` and
//! never again: which operations are rows, their names, id and date fields, pagination.
//! Regeneration reads it; only the user edits it.
//!
//! Pagination is a string for the styles without names (`"none"`, `"link"`) and an
//! inline table naming the fields and parameters otherwise, the same words as
//! `tento::http::Pagination`'s constructors:
//!
//! ```toml
//! pagination = { style = "page", param = "page", size_param = "per_page", size = 50 }
//! pagination = { style = "offset", param = "offset", size_param = "limit", size = 100 }
//! pagination = { style = "cursor", field = "next_token", param = "next_token" }
//! pagination = { style = "next-url", field = "/links/next" }
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::classify::{Classified, Paging};

/// The mapping file's name, in the provider crate.
pub const FILE: &str = "openapi.tento.toml";

/// One operation's overrides.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowOverride {
    /// The row's name.
    pub row: Option<String>,
    /// The records' id field.
    pub id: Option<String>,
    /// The records' date field.
    pub date: Option<String>,
    /// The records' pagination.
    pub pagination: Option<Paging>,
    /// Never a row.
    pub skip: bool,
}

/// The mapping file, read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mapping {
    /// The spec, relative to the crate.
    pub spec: Option<PathBuf>,
    /// Overrides by operationId.
    pub operations: BTreeMap<String, RowOverride>,
}

/// A mapping file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}; fix it, or delete it to have `new --from-openapi` write it again")]
pub struct MappingError {
    /// The file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl Mapping {
    /// Reads `path`; a missing file is an empty mapping.
    pub fn read(path: &Path) -> Result<Mapping, MappingError> {
        let fail = |message: String| MappingError {
            path: path.display().to_string(),
            message,
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Mapping::default()),
            Err(e) => return Err(fail(e.to_string())),
        };
        Mapping::parse(&text).map_err(fail)
    }

    /// Parses a mapping file's text.
    pub fn parse(text: &str) -> Result<Mapping, String> {
        let doc: toml_edit::DocumentMut = text
            .parse()
            .map_err(|e: toml_edit::TomlError| e.to_string().replace('\n', " "))?;
        let mut mapping = Mapping {
            spec: doc.get("spec").and_then(|s| s.as_str()).map(PathBuf::from),
            ..Mapping::default()
        };
        if let Some(ops) = doc.get("operations").and_then(|o| o.as_table_like()) {
            for (id, table) in ops.iter() {
                let table = table
                    .as_table_like()
                    .ok_or_else(|| format!("[operations.{id}] must be a table"))?;
                let text = |k: &str| -> Result<Option<String>, String> {
                    match table.get(k) {
                        None => Ok(None),
                        Some(v) => v
                            .as_str()
                            .map(|s| Some(s.to_owned()))
                            .ok_or_else(|| format!("`{k}` under [operations.{id}] must be a string")),
                    }
                };
                let skip = match table.get("skip") {
                    None => false,
                    Some(v) => v
                        .as_bool()
                        .ok_or_else(|| format!("`skip` under [operations.{id}] must be true or false"))?,
                };
                mapping.operations.insert(
                    id.to_owned(),
                    RowOverride {
                        row: text("row")?,
                        id: text("id")?,
                        date: text("date")?,
                        pagination: table.get("pagination").map(|v| pagination(id, v)).transpose()?,
                        skip,
                    },
                );
            }
        }
        Ok(mapping)
    }
}

/// The mapping file `new` writes: every row with the choices made for it, every
/// skipped operation with why, as comments to act on.
pub fn render(spec: &str, classified: &Classified) -> String {
    let mut out = format!(
        "# What `tento-scaffold new --from-openapi` made of the spec. Written once; yours to edit.\n\
         # After editing it or the spec, `tento-scaffold openapi sync` regenerates src/api/ only.\n\
         # `pagination` is \"none\", \"link\", or a table: {{ style = \"page\", param, size_param, size }},\n\
         # {{ style = \"offset\", param, size_param, size }}, {{ style = \"cursor\", field, param }},\n\
         # {{ style = \"next-url\", field }} (a field is a body key or a JSON pointer such as \"/meta/next\").\n\
         spec = {spec:?}\n"
    );
    for row in &classified.rows {
        out.push_str(&format!("\n[operations.{}]\n", table_key(&row.operation_id)));
        out.push_str(&format!(
            "# GET {}: synced row, {} pagination\n",
            row.path,
            row.paging.name()
        ));
        out.push_str(&format!("row = {:?}\n", row.name));
        match &row.id {
            Some(id) => out.push_str(&format!("id = {id:?}\n")),
            None => out.push_str("# no id field found: cells have no id; set `id = \"…\"`\n"),
        }
        out.push_str(&format!("date = {:?}\n", row.date.0));
        out.push_str(&format!("# {}\n", paging_doc(&row.paging)));
        out.push_str(&format!("pagination = {}\n", paging_toml(&row.paging)));
    }
    if !classified.skipped.is_empty() {
        out.push_str("\n# Skipped:\n");
        for s in &classified.skipped {
            out.push_str(&format!("#   {}: {}\n", s.operation, s.reason));
        }
    }
    out
}

/// What to write for `pagination`, in messages.
const PAGINATION_HELP: &str = "write \"none\", \"link\", or a table such as { style = \"page\", param = \"page\" }, { style = \"offset\", param = \"offset\", size_param = \"limit\", size = 100 }, { style = \"cursor\", field = \"next_token\", param = \"next_token\" } or { style = \"next-url\", field = \"/links/next\" }";

/// An operation's `pagination` value, read.
fn pagination(id: &str, value: &toml_edit::Item) -> Result<Paging, String> {
    let at = format!("`pagination` under [operations.{}]", table_key(id));
    if let Some(style) = value.as_str() {
        return match style {
            "none" => Ok(Paging::Single),
            "link" => Ok(Paging::Link),
            "page" | "offset" | "cursor" | "next-url" => Err(format!(
                "{at} is \"{style}\", which needs the names of its fields and parameters; {PAGINATION_HELP}"
            )),
            other => Err(format!(
                "{at} is \"{other}\", no pagination style; {PAGINATION_HELP}"
            )),
        };
    }
    let Some(table) = value.as_table_like() else {
        return Err(format!("{at} must be a string or a table; {PAGINATION_HELP}"));
    };
    let text = |key: &str| -> Result<Option<String>, String> {
        match table.get(key) {
            None => Ok(None),
            Some(v) => match v.as_str() {
                Some(s) if !s.is_empty() => Ok(Some(s.to_owned())),
                _ => Err(format!("{at}: `{key}` must be a non-empty string")),
            },
        }
    };
    let size = || -> Result<Option<u64>, String> {
        match table.get("size") {
            None => Ok(None),
            Some(v) => v
                .as_integer()
                .and_then(|n| u64::try_from(n).ok())
                .filter(|n| *n > 0)
                .map(Some)
                .ok_or_else(|| format!("{at}: `size` must be a whole number above 0, such as size = 100")),
        }
    };
    let style = text("style")?.ok_or_else(|| format!("{at} has no `style`; {PAGINATION_HELP}"))?;
    // The keys each style reads; any other is a typo, refused rather than ignored.
    let (paging, keys): (Paging, &[&str]) = match style.as_str() {
        "none" => (Paging::Single, &[]),
        "link" => (Paging::Link, &[]),
        "page" => {
            let param = text("param")?.ok_or_else(|| {
                format!("{at} is a page style without `param`, the page number's query parameter: write param = \"page\"")
            })?;
            let size = match (text("size_param")?, size()?) {
                (Some(name), Some(n)) => Some((name, n)),
                (None, None) => None,
                _ => {
                    return Err(format!(
                        "{at}: `size_param` and `size` go together (size_param = \"per_page\", size = 50), or neither"
                    ));
                }
            };
            (Paging::Page { param, size }, &["param", "size_param", "size"])
        }
        "offset" => match (text("param")?, text("size_param")?, size()?) {
            (Some(offset), Some(limit), Some(size)) => (
                Paging::Offset { offset, limit, size },
                &["param", "size_param", "size"],
            ),
            _ => {
                return Err(format!(
                    "{at} is an offset style, which needs `param`, `size_param` and `size`: write {{ style = \"offset\", param = \"offset\", size_param = \"limit\", size = 100 }}"
                ));
            }
        },
        "cursor" => match (text("field")?, text("param")?) {
            (Some(field), Some(param)) => (Paging::Cursor { field, param }, &["field", "param"]),
            _ => {
                return Err(format!(
                    "{at} is a cursor style, which needs `field` (where the body keeps the cursor: a key or a JSON pointer) and `param` (the query parameter it goes back in): write {{ style = \"cursor\", field = \"next_token\", param = \"next_token\" }}"
                ));
            }
        },
        "next-url" => match text("field")? {
            Some(field) => (Paging::NextUrl { field }, &["field"]),
            None => {
                return Err(format!(
                    "{at} is a next-url style, which needs `field` (where the body keeps the next page's URL: a key or a JSON pointer): write {{ style = \"next-url\", field = \"/links/next\" }}"
                ));
            }
        },
        other => {
            return Err(format!(
                "{at} has style = \"{other}\"; write one of \"page\", \"offset\", \"cursor\", \"next-url\", \"link\", \"none\""
            ));
        }
    };
    if let Some((key, _)) = table.iter().find(|(k, _)| *k != "style" && !keys.contains(k)) {
        let allowed = if keys.is_empty() {
            "nothing but `style`".to_owned()
        } else {
            keys.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(format!(
            "{at}: a {style} style has no `{key}`; it takes {allowed}"
        ));
    }
    Ok(paging)
}

/// `paging` as the mapping file writes it.
pub fn paging_toml(paging: &Paging) -> String {
    let q = |s: &str| toml_edit::Value::from(s).to_string().trim().to_owned();
    match paging {
        Paging::Single => "\"none\"".to_owned(),
        Paging::Link => "\"link\"".to_owned(),
        Paging::Page { param, size: None } => format!("{{ style = \"page\", param = {} }}", q(param)),
        Paging::Page {
            param,
            size: Some((size_param, size)),
        } => format!(
            "{{ style = \"page\", param = {}, size_param = {}, size = {size} }}",
            q(param),
            q(size_param)
        ),
        Paging::Offset { offset, limit, size } => format!(
            "{{ style = \"offset\", param = {}, size_param = {}, size = {size} }}",
            q(offset),
            q(limit)
        ),
        Paging::Cursor { field, param } => format!(
            "{{ style = \"cursor\", field = {}, param = {} }}",
            q(field),
            q(param)
        ),
        Paging::NextUrl { field } => format!("{{ style = \"next-url\", field = {} }}", q(field)),
    }
}

/// What `paging` does, for the comment above it in the mapping file.
fn paging_doc(paging: &Paging) -> String {
    match paging {
        Paging::Single => {
            "one page; a `Link: rel=\"next\"` is still followed should the API send one".to_owned()
        }
        Paging::Link => "the `Link` header's rel=\"next\" URL, until there is none".to_owned(),
        Paging::Page { param, .. } => format!("?{param}=1, 2, … until a page comes back short or empty"),
        Paging::Offset { offset, .. } => format!("?{offset}= advancing by the records received"),
        Paging::Cursor { field, param } => {
            format!("the cursor is read from `{field}` and sent back as ?{param}=")
        }
        Paging::NextUrl { field } => format!("the next page's URL is read from `{field}`"),
    }
}

/// An operationId as a TOML key: bare when it can be, else quoted
/// (`"activity/list-notifications"`).
pub fn table_key(id: &str) -> String {
    if !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        id.to_owned()
    } else {
        toml_edit::Value::from(id).to_string().trim().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_read_back_and_bad_values_are_named() {
        let m = Mapping::parse("spec = \"a.json\"\n[operations.listSleep]\nrow = \"nights\"\nid = \"uid\"\n[operations.x]\nskip = true\n").unwrap();
        assert_eq!(m.spec.as_deref(), Some(Path::new("a.json")));
        assert_eq!(m.operations["listSleep"].row.as_deref(), Some("nights"));
        assert_eq!(m.operations["listSleep"].id.as_deref(), Some("uid"));
        assert!(m.operations["x"].skip);
        let err = Mapping::parse("[operations.x]\nrow = 3\n").unwrap_err();
        assert_eq!(err, "`row` under [operations.x] must be a string");
        let key = table_key("activity/list-notifications");
        assert_eq!(key, "\"activity/list-notifications\"");
        let m = Mapping::parse(&format!("[operations.{key}]\nskip = true\n")).unwrap();
        assert!(m.operations["activity/list-notifications"].skip);
    }

    #[test]
    fn every_pagination_style_reads_back_as_written() {
        let styles = [
            Paging::Single,
            Paging::Link,
            Paging::Page {
                param: "page".into(),
                size: None,
            },
            Paging::Page {
                param: "page".into(),
                size: Some(("per_page".into(), 30)),
            },
            Paging::Offset {
                offset: "start".into(),
                limit: "limit".into(),
                size: 100,
            },
            Paging::Cursor {
                field: "/meta/next".into(),
                param: "nextToken".into(),
            },
            Paging::NextUrl {
                field: "links.next".into(),
            },
        ];
        for paging in styles {
            let text = format!("[operations.x]\npagination = {}\n", paging_toml(&paging));
            let m = Mapping::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(m.operations["x"].pagination.as_ref(), Some(&paging), "{text}");
        }
        // A table of its own reads the same as an inline one.
        let m =
            Mapping::parse("[operations.x.pagination]\nstyle = \"next-url\"\nfield = \"next\"\n").unwrap();
        assert_eq!(
            m.operations["x"].pagination,
            Some(Paging::NextUrl { field: "next".into() })
        );
        assert_eq!(
            Mapping::parse("[operations.x]\n").unwrap().operations["x"].pagination,
            None
        );
    }

    #[test]
    fn a_bad_pagination_says_what_to_write() {
        let err =
            |value: &str| Mapping::parse(&format!("[operations.x]\npagination = {value}\n")).unwrap_err();
        let e = err("\"pages\"");
        assert!(e.starts_with("`pagination` under [operations.x] is \"pages\", no pagination style; write \"none\", \"link\", or a table such as"), "{e}");
        let e = err("\"cursor\"");
        assert!(
            e.contains("is \"cursor\", which needs the names of its fields and parameters"),
            "{e}"
        );
        let e = err("{ style = \"cursor\", field = \"next_token\" }");
        assert!(e.contains("a cursor style, which needs `field` (where the body keeps the cursor: a key or a JSON pointer) and `param`"), "{e}");
        assert!(
            e.ends_with("write { style = \"cursor\", field = \"next_token\", param = \"next_token\" }"),
            "{e}"
        );
        let e = err("{ style = \"page\", param = \"page\", size = 10 }");
        assert!(e.contains("`size_param` and `size` go together"), "{e}");
        let e = err("{ style = \"offset\", param = \"o\", size_param = \"l\", size = 0 }");
        assert!(e.contains("`size` must be a whole number above 0"), "{e}");
        let e = err("{ style = \"link\", field = \"next\" }");
        assert_eq!(
            e,
            "`pagination` under [operations.x]: a link style has no `field`; it takes nothing but `style`"
        );
        let e = err("{ style = \"page\", parm = \"page\" }");
        assert!(e.contains("a page style without `param`"), "{e}");
        let e = err("{ style = \"page\", param = \"p\", parm = \"page\" }");
        assert!(
            e.ends_with("a page style has no `parm`; it takes `param`, `size_param`, `size`"),
            "{e}"
        );
        let e = err("{ style = \"seek\" }");
        assert!(
            e.contains("has style = \"seek\"; write one of \"page\", \"offset\""),
            "{e}"
        );
        let e = err("3");
        assert!(e.contains("must be a string or a table"), "{e}");
        for e in [err("\"pages\""), err("{ style = \"seek\" }")] {
            assert_eq!(e.lines().count(), 1, "{e}");
        }
    }
}
