//! trybuild cases of `#[derive(RowKeySchema)]`: every `pass/` case compiles under
//! `-D warnings` and `#![deny(missing_docs)]` and runs; every `fail/` case fails with its
//! reviewed `.stderr`.

#[test]
fn rowkey_cases() {
    let t = trybuild::TestCases::new();
    t.pass("rowkey/pass/*.rs");
    t.compile_fail("rowkey/fail/*.rs");
}
