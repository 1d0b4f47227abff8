//! trybuild cases for tento's macros live under this crate's `tests/`: each macro has a
//! runner (`tests/<macro>.rs`) over its `fail/` and `pass/` cases.
#![deny(missing_docs)]
