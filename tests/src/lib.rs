//! Support for tento's end-to-end tests: finding the workspace and running cargo in it
//! the way a user would.
#![deny(missing_docs)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The root of this checkout (the directory holding the workspace `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// Runs `cargo` with `args` in `dir`, returning its output; the error says which
/// command could not start.
pub fn cargo(dir: &Path, args: &[&str]) -> anyhow::Result<Output> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(&cargo)
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| {
            anyhow::anyhow!(
                "could not run `cargo {}` in {}: {e}",
                args.join(" "),
                dir.display()
            )
        })
}

/// The shell commands in README.md's first fenced `sh` block that follows `marker`.
pub fn readme_commands(readme: &str, marker: &str) -> Vec<String> {
    let Some(start) = readme.find(marker) else {
        return Vec::new();
    };
    let rest = &readme[start..];
    let Some(open) = rest.find("```sh\n") else {
        return Vec::new();
    };
    let body = &rest[open + "```sh\n".len()..];
    let body = &body[..body.find("```").unwrap_or(body.len())];
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}
