//! `cargo tento …` is the same CLI as `tento-scaffold …`: cargo runs `cargo-tento tento
//! <args>`, and the binary also runs by hand without the `tento`.

use std::process::{Command, Output};

fn cargo_tento(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-tento"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn tento_scaffold(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tento-scaffold"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn as_cargo_runs_it_and_by_hand_it_answers_as_tento_scaffold_does() {
    let direct = tento_scaffold(&["names", "my-provider"]);
    assert!(direct.status.success());
    for args in [&["tento", "names", "my-provider"][..], &["names", "my-provider"]] {
        let out = cargo_tento(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.stdout, direct.stdout, "{args:?}");
    }
}

#[test]
fn usage_and_errors_name_the_command_as_the_user_typed_it() {
    let help = cargo_tento(&["tento", "new", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("Usage: cargo tento new [OPTIONS] <PROVIDER>"),
        "{help}"
    );

    let refused = cargo_tento(&["tento", "names", "1acme"]);
    assert!(!refused.status.success());
    let direct = tento_scaffold(&["names", "1acme"]);
    assert_eq!(
        refused.stderr, direct.stderr,
        "the refusal reads the same either way"
    );
    assert_eq!(refused.status.code(), direct.status.code());
}
