//! What the block means, checked: each segment string, each integration's kind, each
//! route's pattern, placeholders and row type, and the whole route set (no key may lead
//! to two routes), ending in the router table the expansion writes out.

use proc_macro2::Span;
use syn::{Generics, Ident, Path};
use tento_router::{BuildError, MAX_PARAMS, Pattern, PatternError, Segment, TableBuf, parse_segments};
use tento_rowkey::{Block, Node, Verb, row_by_convention};

use super::ast::Input;
use crate::ascii::non_ascii;
use crate::errors::Errors;
use crate::lookup_key::field_name;

/// The checked routes, ready to expand.
pub(super) struct Model {
    pub(super) ident: Ident,
    pub(super) generics: Generics,
    pub(super) krate: Path,
    pub(super) routes: Vec<Route>,
    /// `Params` fields the placeholders fill, checked by the compiler.
    pub(super) fields: Vec<FieldCheck>,
    pub(super) table: TableBuf,
}

/// One route.
pub(super) struct Route {
    /// `:~myprovider:{authId}:activities`.
    pub(super) pattern: String,
    /// `myprovider`.
    pub(super) kind: String,
    /// The block it is in (an index into the derive's blocks), and the block's integration.
    pub(super) block: usize,
    pub(super) integration: Path,
    /// The row type, spanned on the DSL tokens that name it.
    pub(super) row: Path,
    /// The first and last spans of what names the row: its path after `as`, or the
    /// segment string the convention found it from.
    pub(super) row_spans: (Span, Span),
    pub(super) verbs: Vec<(Verb, Span)>,
}

/// A placeholder that must be a field of the integration's or the row's `Params`.
pub(super) struct FieldCheck {
    /// A route (index into `Model::routes`) whose integration or row it belongs to.
    pub(super) route: usize,
    /// Whether it is the row's `Params` (else the integration's).
    pub(super) row_level: bool,
    /// The field, spanned on the segment string holding the placeholder.
    pub(super) field: Ident,
}

/// Checks everything; `None` when an error was recorded.
pub(super) fn validate(input: Input, errors: &mut Errors) -> Option<Model> {
    let mut routes = Vec::new();
    let mut patterns = Vec::new();
    let mut spans = Vec::new();
    let mut fields = Vec::new();
    for (index, block) in input.blocks.iter().enumerate() {
        for prefix in &block.prefixes {
            let mut walk = Walk {
                block,
                block_index: index,
                errors,
                routes: &mut routes,
                patterns: &mut patterns,
                spans: &mut spans,
                fields: &mut fields,
                kind: String::new(),
            };
            walk.prefix(prefix);
        }
    }
    if !errors.is_empty() {
        return None;
    }
    let table = match tento_router::build(&patterns) {
        Ok(table) => table,
        Err(BuildError::Conflicts(conflicts)) => {
            for c in conflicts {
                let (first, second) = (&routes[c.first].pattern, &routes[c.second].pattern);
                let message = if first == second {
                    format!("route `{second}` is declared twice: keep one")
                } else if c.duplicate {
                    format!(
                        "route `{second}` is route `{first}` again (only its placeholders are named \
                         differently): keep one"
                    )
                } else {
                    format!(
                        "routes `{first}` and `{second}` both match the key `{}`, and a key must lead \
                         to one row: make them differ in a literal segment or in their number of \
                         segments",
                        c.example
                    )
                };
                errors.at(spans[c.second], message);
            }
            return None;
        }
        Err(e @ BuildError::TooComplex { .. }) => {
            errors.spanned(&input.ident, format!("{e}; split the routes into fewer shapes"));
            return None;
        }
    };
    Some(Model {
        ident: input.ident,
        generics: input.generics,
        krate: input.krate,
        routes,
        fields,
        table,
    })
}

/// Walks one key prefix's tree, collecting its routes.
struct Walk<'a> {
    block: &'a Block,
    /// Its index among the derive's blocks.
    block_index: usize,
    errors: &'a mut Errors,
    routes: &'a mut Vec<Route>,
    patterns: &'a mut Vec<Pattern>,
    /// Each route's segment string, where errors about the route point.
    spans: &'a mut Vec<Span>,
    fields: &'a mut Vec<FieldCheck>,
    kind: String,
}

/// The segments of a route so far, each with the string it came from.
#[derive(Clone, Default)]
struct Acc {
    segments: Vec<Segment>,
    /// The literal segments under the key prefix: the convention's module path.
    row_literals: Vec<(String, Span)>,
    /// The placeholders under the key prefix: fields of the row's `Params`.
    row_params: Vec<(String, Span)>,
}

impl Walk<'_> {
    fn prefix(&mut self, node: &Node) {
        let Some(segments) = self.segments(node) else {
            return;
        };
        match segments.first() {
            Some(Segment::Literal(first)) if first.len() > 1 && first.starts_with('~') => {
                self.kind = first[1..].to_owned();
            }
            _ => {
                self.errors.at(
                    node.lit.span(),
                    format!(
                        "an integration's key prefix starts with `:~<kind>`, e.g. \
                         `\":~myprovider:{{authId}}\"`; {} does not",
                        node.lit.token()
                    ),
                );
                return;
            }
        }
        let mut acc = Acc::default();
        if !self.add(&mut acc, &segments, node, true) {
            return;
        }
        self.node(node, acc);
    }

    fn node(&mut self, node: &Node, acc: Acc) {
        if node.verbs.is_empty() && node.children.is_empty() && !node.incomplete {
            self.errors.at(
                node.body_span,
                format!(
                    "empty block: list the verbs route `{}` serves (get, list, post, patch, delete, sync) \
                     or nested segments",
                    pattern_text(&acc.segments)
                ),
            );
        }
        if node.verbs.is_empty()
            && let Some(tokens) = &node.row_tokens
        {
            self.errors.spanned(
                tokens,
                "`as …` names the row of a route, and this segment lists no verbs: add the verbs it \
                 serves, `{ get }`, or drop `as …`",
            );
        }
        if !node.verbs.is_empty() {
            self.route(node, &acc);
        }
        for child in &node.children {
            let Some(segments) = self.segments(child) else {
                continue;
            };
            let mut acc = acc.clone();
            if self.add(&mut acc, &segments, child, false) {
                self.node(child, acc);
            }
        }
    }

    /// The segments of a node's string, or `None` with the error recorded.
    fn segments(&mut self, node: &Node) -> Option<Vec<Segment>> {
        let text = node.lit.value();
        let allowed = "a lookup key is ASCII, matched byte by byte and stored as it is written";
        if let Some(message) = non_ascii(&text, &format!("`{text}`"), allowed, |ascii| {
            format!("\"{ascii}\"")
        }) {
            self.errors.at(node.lit.span(), message);
            return None;
        }
        parse_segments(&text)
            .map_err(|e| self.errors.at(node.lit.span(), segment_error(&text, &e)))
            .ok()
    }

    /// Appends a node's segments to the route so far; `false` (with the error recorded)
    /// when its placeholders clash with earlier ones.
    fn add(&mut self, acc: &mut Acc, segments: &[Segment], node: &Node, integration_level: bool) -> bool {
        let span = node.lit.span();
        let route = format!("{}{}", pattern_text(&acc.segments), pattern_text(segments));
        for seg in segments {
            if let Segment::Param(name) = seg {
                if acc.segments.contains(seg) {
                    self.errors.at(
                        span,
                        format!(
                            "placeholder `{{{name}}}` appears twice in route `{route}`: each \
                             placeholder names one value; rename one"
                        ),
                    );
                    return false;
                }
                let count = acc.segments.iter().filter(|s| s.is_param()).count() + 1;
                if count > MAX_PARAMS {
                    self.errors.at(
                        span,
                        format!("a route has at most {MAX_PARAMS} placeholders; this one has more"),
                    );
                    return false;
                }
                let Some(field) = field_name(name) else {
                    self.errors.at(
                        span,
                        format!(
                            "placeholder `{{{name}}}` cannot name a `Params` field (the field would be \
                             a Rust keyword); rename it"
                        ),
                    );
                    return false;
                };
                if integration_level {
                    // Checked through the first route under this prefix, which gets the
                    // next index: a prefix without routes is an error reported elsewhere.
                    self.fields.push(FieldCheck {
                        route: self.routes.len(),
                        row_level: false,
                        field: Ident::new(&field, span),
                    });
                } else {
                    acc.row_params.push((field, span));
                }
            } else if let Segment::Literal(lit) = seg
                && !integration_level
            {
                acc.row_literals.push((lit.clone(), span));
            }
            acc.segments.push(seg.clone());
        }
        true
    }

    fn route(&mut self, node: &Node, acc: &Acc) {
        let pattern = pattern_text(&acc.segments);
        let checked = match Pattern::from_segments(acc.segments.clone()) {
            Ok(checked) => checked,
            Err(e) => {
                self.errors.at(node.lit.span(), segment_error(&pattern, &e));
                return;
            }
        };
        let at_lit = (node.lit.span(), node.lit.span());
        let (row, row_spans) = match &node.row {
            Some(row) => {
                let mut spans = quote::quote!(#row).into_iter().map(|t| t.span());
                let first = spans.next().unwrap_or(at_lit.0);
                (row.clone(), (first, spans.last().unwrap_or(first)))
            }
            None => match row_by_convention(&self.block.integration, &acc.row_literals) {
                Ok(row) => (row, at_lit),
                Err(why) => {
                    self.errors.at(
                        node.lit.span(),
                        format!(
                            "the convention cannot find the row of route `{pattern}`: {why}; name it \
                             instead: `{} as path::to::Row {{ … }}`",
                            node.lit.token()
                        ),
                    );
                    return;
                }
            },
        };
        for (field, span) in &acc.row_params {
            self.fields.push(FieldCheck {
                route: self.routes.len(),
                row_level: true,
                field: Ident::new(field, *span),
            });
        }
        self.spans.push(node.lit.span());
        self.patterns.push(checked);
        self.routes.push(Route {
            pattern,
            kind: self.kind.clone(),
            block: self.block_index,
            integration: self.block.integration.clone(),
            row,
            row_spans,
            verbs: node.verbs.clone(),
        });
    }
}

fn pattern_text(segments: &[Segment]) -> String {
    segments.iter().map(|s| format!(":{s}")).collect()
}

/// What is wrong with a segment string, and what to write.
fn segment_error(text: &str, e: &PatternError) -> String {
    match e {
        PatternError::MissingColon => format!("a segment string starts with `:`: write `\":{text}\"`"),
        PatternError::EmptySegment { .. } | PatternError::Empty => format!(
            "`{text}` has an empty segment (`::`, or a `:` at its end): every segment between `:`s \
             has a name or a `{{placeholder}}`"
        ),
        PatternError::UnclosedPlaceholder { segment } => format!(
            "`{segment}` in `{text}` is not a placeholder: a placeholder is a whole segment, `{{name}}`"
        ),
        PatternError::BadPlaceholderName { segment } => format!(
            "`{segment}` in `{text}` is not a placeholder: its name is an identifier, as in `{{authId}}`"
        ),
        PatternError::StrayBrace { segment } => {
            format!("`{segment}` in `{text}` has a stray brace: a placeholder is a whole segment, `{{name}}`")
        }
        PatternError::BadLiteral { segment } => format!(
            "`{segment}` in `{text}` has whitespace or a control character; segments are names \
             like `activities`"
        ),
        PatternError::DuplicatePlaceholder { name } => {
            format!("placeholder `{{{name}}}` appears twice in `{text}`; rename one")
        }
        PatternError::TooManyPlaceholders { .. } => {
            format!("`{text}` has more than {MAX_PARAMS} placeholders")
        }
    }
}
