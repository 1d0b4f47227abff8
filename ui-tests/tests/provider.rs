//! trybuild cases of `provider`: every `pass/` case compiles under `-D warnings` and
//! `#![deny(missing_docs)]` and runs; every `fail/` case fails with its reviewed `.stderr`.

#[test]
fn provider_cases() {
    let t = trybuild::TestCases::new();
    t.pass("provider/pass/*.rs");
    t.compile_fail("provider/fail/*.rs");
}
