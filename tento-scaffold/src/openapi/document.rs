//! Reading an OpenAPI document: JSON or YAML into a `serde_json::Value`, its version
//! checked, and every `$ref` checked to point inside it. The rest of `openapi` walks the
//! value through [`Document::resolve`], so no second model of the format is needed
//! (the `openapiv3` crate reads 3.0 only; 3.1's type arrays and `examples` read the same
//! way here). Objects keep the document's key order (serde_json's `preserve_order`), so
//! paths, properties and examples are walked as the spec lists them.

use std::path::Path;

use serde_json::Value;

/// A document that cannot be used; nothing is written.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The file could not be read.
    #[error("could not read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Not JSON or YAML.
    #[error("{path}:{line}:{column}: invalid {format}: {message}; fix the document and run again")]
    Syntax {
        /// The file.
        path: String,
        /// `JSON` or `YAML`.
        format: &'static str,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's words.
        message: String,
    },
    /// A Swagger 2.0 document.
    #[error(
        "{0} is Swagger 2.0, which tento does not read; convert it to OpenAPI 3 first (for example with swagger2openapi) and run again"
    )]
    Swagger(String),
    /// Not OpenAPI 3.0 or 3.1.
    #[error(
        "{path} is not an OpenAPI 3.0 or 3.1 document ({found}); give an `openapi: 3.0.x` or `3.1.x` document"
    )]
    Version {
        /// The file.
        path: String,
        /// What its version field said.
        found: String,
    },
    /// A `$ref` to another file or URL.
    #[error(
        "{path}: `$ref: {target}` at {at} points outside the document; tento resolves local references only: inline that schema, or bundle the spec into one file (for example with `redocly bundle`)"
    )]
    RemoteRef {
        /// The file.
        path: String,
        /// The reference.
        target: String,
        /// Where it is, as a JSON pointer.
        at: String,
    },
    /// A `$ref` to nothing.
    #[error(
        "{path}: `$ref: {target}` at {at} points to nothing in the document; fix the reference or add what it names"
    )]
    DanglingRef {
        /// The file.
        path: String,
        /// The reference.
        target: String,
        /// Where it is.
        at: String,
    },
}

/// A parsed OpenAPI 3.0 or 3.1 document whose references all resolve inside it.
#[derive(Debug, Clone)]
pub struct Document {
    /// The whole document.
    pub root: Value,
    /// `3.0` or `3.1`.
    pub version: String,
    /// The file, as given, for messages.
    pub path: String,
}

impl Document {
    /// Reads `path`: YAML when it ends in `.yaml`/`.yml`, else JSON.
    pub fn read(path: &Path) -> Result<(Document, String), DocumentError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| DocumentError::Read {
            path: shown.clone(),
            source,
        })?;
        let yaml = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
        let doc = Document::parse(&text, &shown, yaml)?;
        Ok((doc, text))
    }

    /// Parses `text` (YAML when `yaml`), for [`read`](Self::read) and tests.
    pub fn parse(text: &str, path: &str, yaml: bool) -> Result<Document, DocumentError> {
        let syntax = |format, line, column, message: String| DocumentError::Syntax {
            path: path.to_owned(),
            format,
            line,
            column,
            message,
        };
        let root: Value = if yaml {
            serde_norway::from_str(text).map_err(|e| {
                let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
                // The message repeats the location; keep the words only.
                let message = e.to_string();
                let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
                syntax("YAML", line, column, message)
            })?
        } else {
            serde_json::from_str(text).map_err(|e| {
                let message = e.to_string();
                let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
                syntax("JSON", e.line(), e.column(), message)
            })?
        };
        let version_of = |key: &str| {
            root.get(key)
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
        };
        if version_of("swagger").is_some() {
            return Err(DocumentError::Swagger(path.to_owned()));
        }
        let version = match version_of("openapi") {
            Some(v) if v.starts_with("3.0") => "3.0",
            Some(v) if v.starts_with("3.1") => "3.1",
            found => {
                return Err(DocumentError::Version {
                    path: path.to_owned(),
                    found: found.map_or_else(|| "no `openapi` field".to_owned(), |v| format!("openapi: {v}")),
                });
            }
        };
        let doc = Document {
            root,
            version: version.to_owned(),
            path: path.to_owned(),
        };
        doc.check_refs(&doc.root, &mut String::new())?;
        Ok(doc)
    }

    /// Every `$ref` under `node` is local and resolves.
    fn check_refs(&self, node: &Value, at: &mut String) -> Result<(), DocumentError> {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    let Some(pointer) = target.strip_prefix('#') else {
                        return Err(DocumentError::RemoteRef {
                            path: self.path.clone(),
                            target: target.clone(),
                            at: at.clone(),
                        });
                    };
                    if self.root.pointer(&unescape_uri(pointer)).is_none() {
                        return Err(DocumentError::DanglingRef {
                            path: self.path.clone(),
                            target: target.clone(),
                            at: at.clone(),
                        });
                    }
                }
                for (key, value) in map {
                    let len = at.len();
                    at.push('/');
                    at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    self.check_refs(value, at)?;
                    at.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, value) in items.iter().enumerate() {
                    let len = at.len();
                    at.push_str(&format!("/{i}"));
                    self.check_refs(value, at)?;
                    at.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// `node` with its `$ref` chain followed (checked by [`parse`](Self::parse), so
    /// every link resolves); a chain that loops back ends where it started.
    pub fn resolve<'a>(&'a self, mut node: &'a Value) -> &'a Value {
        for _ in 0..64 {
            match ref_target(node).and_then(|t| self.root.pointer(&unescape_uri(t))) {
                Some(next) => node = next,
                None => return node,
            }
        }
        node
    }
}

/// The pointer of a local `$ref` (`/components/schemas/Pet`), if `node` is one.
pub fn ref_target(node: &Value) -> Option<&str> {
    node.get("$ref")?.as_str()?.strip_prefix('#')
}

/// A `$ref`'s pointer with its URI escapes (`%7B`) decoded; JSON pointer escapes
/// (`~1`) stay for `Value::pointer`.
fn unescape_uri(pointer: &str) -> String {
    if !pointer.contains('%') {
        return pointer.to_owned();
    }
    let bytes = pointer.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = pointer.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A stable 64-bit FNV-1a hash of the spec's text, kept in the generated module so
/// `check` can tell the spec changed since the last sync (no cryptographic need).
pub fn spec_hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_yaml_errors_name_line_and_column() {
        let err = Document::parse("{\n  \"openapi\": \"3.0.3\",\n  oops\n}", "a.json", false).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("a.json:3:3: invalid JSON: key must be a string"),
            "{err}"
        );
        let err = Document::parse("openapi: 3.1.0\ninfo: [a, b\npaths: {}\n", "a.yaml", true).unwrap_err();
        assert!(err.to_string().starts_with("a.yaml:3:"), "{err}");
        assert!(err.to_string().contains("invalid YAML"), "{err}");
    }

    #[test]
    fn swagger_and_other_versions_are_refused() {
        let err = Document::parse(r#"{"swagger":"2.0"}"#, "s.json", false).unwrap_err();
        assert!(err.to_string().contains("is Swagger 2.0"), "{err}");
        let err = Document::parse(r#"{"openapi":"4.0.0"}"#, "s.json", false).unwrap_err();
        assert!(err.to_string().contains("openapi: 4.0.0"), "{err}");
        let ok = Document::parse("openapi: 3.1.0\npaths: {}\n", "s.yaml", true).unwrap();
        assert_eq!(ok.version, "3.1");
    }

    #[test]
    fn remote_and_dangling_refs_are_refused_where_they_are() {
        let remote =
            r##"{"openapi":"3.0.0","paths":{"/a":{"get":{"responses":{"200":{"$ref":"other.yaml#/x"}}}}}}"##;
        let err = Document::parse(remote, "r.json", false).unwrap_err().to_string();
        assert!(err.contains("points outside the document"), "{err}");
        assert!(err.contains("at /paths/~1a/get/responses/200"), "{err}");
        let dangling =
            r##"{"openapi":"3.0.0","components":{"schemas":{"A":{"$ref":"#/components/schemas/B"}}}}"##;
        let err = Document::parse(dangling, "d.json", false)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`$ref: #/components/schemas/B` at /components/schemas/A points to nothing"),
            "{err}"
        );
    }
}
