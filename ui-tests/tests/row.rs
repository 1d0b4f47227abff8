//! trybuild cases of `row`: every `pass/` case compiles under `-D warnings` and
//! `#![deny(missing_docs)]` and runs; every `fail/` case fails with its reviewed `.stderr`.

#[test]
fn row_cases() {
    let t = trybuild::TestCases::new();
    t.pass("row/pass/*.rs");
    t.compile_fail("row/fail/*.rs");
}
