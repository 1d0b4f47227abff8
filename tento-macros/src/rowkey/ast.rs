//! The derive's input as written: the type, its options and its `#[rowkey { … }]`
//! blocks (whose grammar, `Block` and `Node`, is `tento-rowkey`'s).

use syn::{Generics, Ident, Path};
use tento_rowkey::Block;

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
