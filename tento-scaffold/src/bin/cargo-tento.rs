//! `cargo tento …`: the same CLI as `tento-scaffold`, as a cargo subcommand (cargo finds
//! `cargo-tento` on the `PATH`, as it finds cargo-edit's and cargo-generate's).

use std::ffi::OsString;

fn main() -> std::process::ExitCode {
    tento_scaffold::cli::run(as_subcommand(std::env::args_os()))
}

/// Cargo runs `cargo-tento tento <args>`: drop its `tento` (absent when the binary is
/// run by hand) and name the program as the user typed it, so usage lines read
/// `cargo tento new …`.
fn as_subcommand(args: impl Iterator<Item = OsString>) -> impl Iterator<Item = OsString> {
    let mut args = args.skip(1).peekable();
    if args.peek().is_some_and(|first| first == "tento") {
        args.next();
    }
    std::iter::once(OsString::from("cargo tento")).chain(args)
}
