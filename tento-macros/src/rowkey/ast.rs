//! The `#[rowkey { … }]` block as written: integration blocks holding a tree of key
//! segments, each with its verbs. Spans are kept so every later error points at the
//! user's token.

use proc_macro2::{Span, TokenStream};
use syn::{Generics, Ident, LitStr, Path};

use super::verb::Verb;

/// The derive's input, parsed.
pub(super) struct Input {
    /// The type the derive is on.
    pub(super) ident: Ident,
    pub(super) generics: Generics,
    /// `::tento`, or the path given with `#[rowkey(crate = "…")]`.
    pub(super) krate: Path,
    /// The `[integration = …] { … }` blocks, in order.
    pub(super) blocks: Vec<Block>,
}

/// `[integration = path] { prefix… }`.
pub(super) struct Block {
    pub(super) integration: Path,
    /// The key prefixes, `":~myprovider:{authId}" { … }`.
    pub(super) prefixes: Vec<Node>,
}

/// `":segments" (as Row)? { verbs and nested nodes }`.
pub(super) struct Node {
    pub(super) lit: LitStr,
    /// The row named with `as`, instead of the convention's.
    pub(super) row: Option<Path>,
    /// `as Row` as written, for errors about it.
    pub(super) row_tokens: Option<TokenStream>,
    pub(super) verbs: Vec<(Verb, Span)>,
    pub(super) children: Vec<Node>,
    /// The span of the `{ … }` holding the verbs and children.
    pub(super) body_span: Span,
    /// Whether parsing its body reported errors (so an empty-looking body is not
    /// reported again as empty).
    pub(super) incomplete: bool,
}
