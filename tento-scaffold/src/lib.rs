//! The library behind the `tento-scaffold` CLI: `args → validated names → plan → show
//! or apply`. The binary is a thin shell over it, so tests drive the same code.
#![deny(missing_docs)]

pub mod diff;
pub mod fs;
pub mod host;
pub mod names;
pub mod patch;
pub mod plan;
pub mod templates;
