//! Lookup-key patterns as the provider and row macros read them:
//! `:~myprovider:{authId}:activities:{day}`.
//!
//! A key is `:`-separated segments; the first is `~<kind>`; a `{name}` segment is a
//! placeholder. The provider part is the kind segment and the placeholders right after
//! it (`:~myprovider:{authId}`); the rest is the row's part, starting with a literal.

use proc_macro2::Span;
use syn::{Ident, LitStr};
use tento_router::{PatternError, Segment as RouterSegment, parse_segments};

use crate::ascii::non_ascii;

/// One segment of a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    Literal(String),
    Placeholder(Placeholder),
}

/// A `{name}` segment and the Rust field it becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Placeholder {
    /// As written: `authId`.
    pub(crate) name: String,
    /// The snake_case field: `auth_id`.
    pub(crate) field: String,
}

/// A parsed key pattern.
#[derive(Clone, Debug)]
pub(crate) struct Key {
    pub(crate) text: String,
    pub(crate) span: Span,
    /// `myprovider`, from the `~myprovider` segment.
    pub(crate) kind: String,
    /// The segments after the kind segment.
    pub(crate) rest: Vec<Segment>,
}

impl Key {
    /// Parses the key in `lit`; the error says what is wrong and what to write. The
    /// segments are split by the router's own parser (`tento_router::parse_segments`),
    /// so a key the macros accept is a pattern the router routes; this adds what the
    /// macros need on top: the kind, and a field name for each placeholder.
    pub(crate) fn parse(lit: &LitStr) -> Result<Key, String> {
        let text = lit.value();
        let allowed = "a lookup key is ASCII, matched byte by byte and stored as it is written";
        if let Some(message) = non_ascii(&text, &format!("the key `{text}`"), allowed, |ascii| {
            format!("\"{ascii}\"")
        }) {
            return Err(message);
        }
        let Some(body) = text.strip_prefix(":~") else {
            return Err(format!(
                "a lookup key starts with `:~<kind>:`, as in `:~myprovider:{{authId}}`; `{text}` does not"
            ));
        };
        let kind = body.split(':').next().unwrap_or_default().to_owned();
        if kind.is_empty() {
            return Err(format!(
                "`{text}` has no kind after `:~`; write `:~myprovider:{{authId}}…`"
            ));
        }
        let segments = parse_segments(&text).map_err(|e| segment_error(&text, &e))?;
        let mut rest = Vec::new();
        let mut fields: Vec<(String, String)> = Vec::new();
        // The first segment is `~<kind>`.
        for seg in segments.into_iter().skip(1) {
            let name = match seg {
                RouterSegment::Literal(literal) => {
                    rest.push(Segment::Literal(literal));
                    continue;
                }
                RouterSegment::Param(name) => name,
            };
            let field = field_name(&name).ok_or_else(|| not_a_field(&name))?;
            if let Some((other, _)) = fields.iter().find(|(n, f)| *n == name || *f == field) {
                return Err(if *other == name {
                    format!("placeholder `{{{name}}}` appears twice in `{text}`; give each its own name")
                } else {
                    format!(
                        "placeholders `{{{other}}}` and `{{{name}}}` both become the field `{field}`; rename one"
                    )
                });
            }
            fields.push((name.clone(), field.clone()));
            rest.push(Segment::Placeholder(Placeholder { name, field }));
        }
        Ok(Key {
            text,
            span: lit.span(),
            kind,
            rest,
        })
    }

    /// How many leading segments of `rest` belong to the provider: the placeholders
    /// right after the kind.
    pub(crate) fn provider_len(&self) -> usize {
        self.rest
            .iter()
            .take_while(|s| matches!(s, Segment::Placeholder(_)))
            .count()
    }

    /// `:~kind:{a}:{b}`, the provider part as text.
    pub(crate) fn provider_part(&self) -> String {
        let mut out = format!(":~{}", self.kind);
        for seg in &self.rest[..self.provider_len()] {
            out.push(':');
            out.push_str(&seg.to_string());
        }
        out
    }

    /// The placeholders of the provider part.
    pub(crate) fn provider_placeholders(&self) -> impl Iterator<Item = &Placeholder> {
        placeholders(&self.rest[..self.provider_len()])
    }

    /// The row part: every segment after the provider part.
    pub(crate) fn row_segments(&self) -> &[Segment] {
        &self.rest[self.provider_len()..]
    }

    /// The placeholders of the row part.
    pub(crate) fn row_placeholders(&self) -> impl Iterator<Item = &Placeholder> {
        placeholders(self.row_segments())
    }

    /// The label a row of this key gets unless it names one: the kind and the row
    /// part's segments, joined by `-` (`myprovider-activities`).
    pub(crate) fn default_label(&self) -> String {
        let mut label = self.kind.clone();
        for seg in self.row_segments() {
            label.push('-');
            match seg {
                Segment::Literal(s) => label.push_str(s),
                Segment::Placeholder(p) => label.push_str(&p.name),
            }
        }
        label
    }
}

impl std::fmt::Display for Segment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Segment::Literal(s) => f.write_str(s),
            Segment::Placeholder(p) => write!(f, "{{{}}}", p.name),
        }
    }
}

fn placeholders(segments: &[Segment]) -> impl Iterator<Item = &Placeholder> {
    segments.iter().filter_map(|s| match s {
        Segment::Placeholder(p) => Some(p),
        Segment::Literal(_) => None,
    })
}

/// What is wrong with a segment of key `text`, as the router's parser found it, and
/// what to write.
fn segment_error(text: &str, e: &PatternError) -> String {
    match e {
        PatternError::EmptySegment { .. } => {
            format!("`{text}` has an empty segment (`::` or a trailing `:`)")
        }
        PatternError::UnclosedPlaceholder { segment } | PatternError::StrayBrace { segment } => format!(
            "segment `{segment}` of `{text}` mixes text and a placeholder; a placeholder is a whole \
             segment, `{{name}}`"
        ),
        PatternError::BadPlaceholderName { segment } => {
            not_a_field(segment.trim_start_matches('{').trim_end_matches('}'))
        }
        PatternError::BadLiteral { segment } => format!(
            "segment `{segment}` of `{text}` has whitespace or a control character; segments are names \
             like `activities`"
        ),
        other => format!("`{text}` is not a lookup key: {other}"),
    }
}

fn not_a_field(name: &str) -> String {
    format!(
        "placeholder `{{{name}}}` cannot become a field of the params struct; name it with \
         letters, digits and `_`, starting with a letter (`{{authId}}`, `{{day}}`)"
    )
}

/// `authId` → `auth_id`; `None` when the result is not a plain identifier.
pub(crate) fn field_name(placeholder: &str) -> Option<String> {
    let mut chars = placeholder.chars();
    if !chars.next()?.is_ascii_alphabetic()
        || !placeholder.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    let mut field = String::with_capacity(placeholder.len() + 2);
    let mut prev_lower = false;
    for c in placeholder.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                field.push('_');
            }
            field.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else {
            field.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    // A keyword (`{type}`) is not a field name.
    syn::parse_str::<Ident>(&field).ok().map(|_| field)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Result<Key, String> {
        Key::parse(&LitStr::new(text, Span::call_site()))
    }

    #[test]
    fn keys_split_into_provider_and_row_parts() {
        let k = key(":~myprovider:{authId}:{region}:activities:{day}").unwrap();
        assert_eq!(k.kind, "myprovider");
        assert_eq!(k.provider_part(), ":~myprovider:{authId}:{region}");
        let fields: Vec<_> = k.provider_placeholders().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["auth_id", "region"]);
        let row: Vec<_> = k.row_placeholders().map(|p| p.name.as_str()).collect();
        assert_eq!(row, ["day"]);
        assert_eq!(k.default_label(), "myprovider-activities-day");
    }

    #[test]
    fn placeholders_become_snake_case_fields() {
        assert_eq!(field_name("authId").as_deref(), Some("auth_id"));
        assert_eq!(field_name("day").as_deref(), Some("day"));
        assert_eq!(field_name("repoID").as_deref(), Some("repo_id"));
        assert_eq!(field_name("v2Key").as_deref(), Some("v2_key"));
        assert_eq!(field_name("auth-id"), None);
        assert_eq!(field_name("type"), None);
        assert_eq!(field_name("1st"), None);
    }

    #[test]
    fn malformed_keys_say_what_to_write() {
        assert!(
            key("myprovider:{authId}")
                .unwrap_err()
                .contains("starts with `:~<kind>:`")
        );
        assert!(key(":~:{authId}").unwrap_err().contains("no kind"));
        assert!(key(":~p::x").unwrap_err().contains("empty segment"));
        assert!(key(":~p:{a}x").unwrap_err().contains("mixes text"));
        assert!(key(":~p:{a}:x}").unwrap_err().contains("mixes text"));
        assert!(
            key(":~p:{auth-id}")
                .unwrap_err()
                .contains("cannot become a field")
        );
        assert!(key(":~p:{type}").unwrap_err().contains("cannot become a field"));
        assert!(key(":~p:{a}:my rows").unwrap_err().contains("whitespace"));
        assert!(key(":~p:{a}:{a}").unwrap_err().contains("appears twice"));
        assert!(
            key(":~p:{authId}:{auth_id}")
                .unwrap_err()
                .contains("both become the field `auth_id`")
        );
    }
}
