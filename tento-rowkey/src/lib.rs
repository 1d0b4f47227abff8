//! The grammar of tento's `#[rowkey { … }]` route DSL, read in one place.
//!
//! ```text
//! [integration = path::to::Provider] {
//!     ":~kind:{authId}" {                       // the key prefix
//!         ":activities" { get list sync         // a route: segments, then its verbs
//!             ":logs" { list }                  // nested: `:~kind:{authId}:activities:logs`
//!         }
//!         ":heart-rate" as path::to::Row { get } // a row named instead of found
//!     }
//! }
//! ```
//!
//! [`parse`] reads a block's tokens into [`Block`]s, recording every mistake as a
//! `syn::Error` at its token and carrying on; [`routes`] walks them into the routes the
//! derive compiles, each with its row ([`row_by_convention`] when not named with `as`).
//! `tento-macros`' `#[derive(RowKeySchema)]` and `tento-scaffold`'s `list` and `check`
//! both read the block through this crate, so the CLI sees what the derive sees.
//!
//! ```
//! let parsed = tento_rowkey::parse(quote::quote! {
//!     [integration = ::tento_acme::connector::Acme] {
//!         ":~acme:{authId}" { ":activities" { get list } }
//!     }
//! });
//! assert!(parsed.errors.is_empty());
//! let routes = tento_rowkey::routes(&parsed.blocks);
//! assert_eq!(routes[0].pattern, ":~acme:{authId}:activities");
//! assert_eq!(routes[0].verbs, [tento_rowkey::Verb::Get, tento_rowkey::Verb::List]);
//! ```
#![deny(missing_docs)]

mod ast;
mod convention;
mod nearest;
mod parse;
mod routes;
mod verb;

pub use ast::{Block, Node};
pub use convention::row_by_convention;
pub use nearest::{edit_distance, nearest};
pub use parse::{Parsed, parse};
pub use routes::{Route, routes};
pub use verb::Verb;
