//! The lookup-key router behind tento's `#[derive(RowKeySchema)]`. Use it through
//! `tento::host::router`; it is a crate of its own so that the derive (at expansion
//! time) and tento (at run time, and in its tests) run the very same code.
//!
//! [`build`] turns route patterns such as `:~myprovider:{authId}:activities` into a
//! [`Table`]: a deterministic automaton over the key's `:`-separated segments, whose
//! literal transitions sit in one perfect-hash table. [`Table::find`] walks a key through
//! it in one pass, finding the key's `:`s sixteen bytes at a time (on x86_64) and
//! hashing each segment read at a state with literal edges from its first and last
//! words; each segment costs at most one table probe whatever the number of routes, and
//! a literal's slot carries the states it leads to, so the walk reads little else.
//!
//! ```
//! use tento_router::{Pattern, build};
//!
//! let routes = [":~myprovider:{authId}:activities", ":~myprovider:{authId}:activities:logs"]
//!     .map(|p| Pattern::parse(p).unwrap());
//! let router = build(&routes).unwrap();
//! let mut params = Vec::new();
//! let route = router.table().find(":~myprovider:abc:activities:logs", |name, value| params.push((name, value)));
//! assert_eq!(route, Some(1));
//! assert_eq!(params, [("authId", "abc")]);
//! ```
#![deny(missing_docs)]

mod builder;
mod hash;
mod pattern;
mod table;

pub use builder::{BuildError, Conflict, MAX_STATES, TableBuf, build};
pub use pattern::{MAX_PARAMS, Pattern, PatternError, Segment, is_identifier, parse_segments};
pub use table::{Aligned, NONE, Slot, Table};
