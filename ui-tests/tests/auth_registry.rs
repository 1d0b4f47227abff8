//! trybuild cases of `auth_registry`: every `pass/` case compiles under `-D warnings` and
//! `#![deny(missing_docs)]` and runs; every `fail/` case fails with its reviewed `.stderr`.

#[test]
fn auth_registry_cases() {
    let t = trybuild::TestCases::new();
    t.pass("auth_registry/pass/*.rs");
    t.compile_fail("auth_registry/fail/*.rs");
}
