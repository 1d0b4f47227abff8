//! `tento-scaffold`: the CLI, run under its own name.

fn main() -> std::process::ExitCode {
    tento_scaffold::cli::run(std::env::args_os())
}
