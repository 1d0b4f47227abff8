//! The `#[rowkey { … }]` block as written: integration blocks holding a tree of key
//! segments, each with its verbs. Spans are kept so every later error points at the
//! user's token.

use proc_macro2::{Span, TokenStream};
use syn::{LitStr, Path};

use crate::verb::Verb;

/// `[integration = path] { prefix… }`.
#[derive(Clone)]
pub struct Block {
    /// The integration's type path, as written.
    pub integration: Path,
    /// The key prefixes, `":~myprovider:{authId}" { … }`.
    pub prefixes: Vec<Node>,
}

/// `":segments" (as Row)? { verbs and nested nodes }`.
#[derive(Clone)]
pub struct Node {
    /// The segment string: `":activities"`.
    pub lit: LitStr,
    /// The row named with `as`, instead of the convention's.
    pub row: Option<Path>,
    /// `as Row` as written, for errors about it.
    pub row_tokens: Option<TokenStream>,
    /// The verbs listed in its body, each with its token's span, in order.
    pub verbs: Vec<(Verb, Span)>,
    /// The nested segments.
    pub children: Vec<Node>,
    /// The span of the `{ … }` holding the verbs and children.
    pub body_span: Span,
    /// Whether parsing its body reported errors (so an empty-looking body is not
    /// reported again as empty).
    pub incomplete: bool,
}
