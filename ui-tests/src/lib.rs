//! trybuild cases for tento's macros live under this crate's `tests/`: each macro has a
//! runner (`tests/<macro>.rs`) over its `fail/` and `pass/` cases.
//!
//! A `fail/` case holds one mistake and marks its line with a `//~ ERROR` comment (one
//! `ERROR` per mistake on the line); `tests/one_error_per_mistake.rs` checks that each
//! reviewed `.stderr` has one error per mark, at the marked lines, and lists the cases
//! with several deliberate mistakes and the few exceptions, each with why.
#![deny(missing_docs)]
