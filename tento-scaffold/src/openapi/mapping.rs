//! `openapi.tento.toml`: the user's choices over the spec, written once by `new` and
//! never again: which operations are rows, their names, id and date fields. Regeneration
//! reads it; only the user edits it.

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
         spec = {spec:?}\n"
    );
    for row in &classified.rows {
        out.push_str(&format!("\n[operations.{}]\n", table_key(&row.operation_id)));
        out.push_str(&format!(
            "# GET {}: synced row, {} pagination\n",
            row.path,
            row.paging.name()
        ));
        if let Paging::Cursor { field, param } = &row.paging {
            out.push_str(&format!(
                "# the cursor is read from `{field}` and sent back as ?{param}=\n"
            ));
        }
        out.push_str(&format!("row = {:?}\n", row.name));
        match &row.id {
            Some(id) => out.push_str(&format!("id = {id:?}\n")),
            None => out.push_str("# no id field found: cells have no id; set `id = \"…\"`\n"),
        }
        out.push_str(&format!("date = {:?}\n", row.date.0));
    }
    if !classified.skipped.is_empty() {
        out.push_str("\n# Skipped:\n");
        for s in &classified.skipped {
            out.push_str(&format!("#   {}: {}\n", s.operation, s.reason));
        }
    }
    out
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
}
