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

/// The target directory scaffolded hosts build into: one for every end-to-end test, so
/// dependencies compile once per run (beside this workspace's own target, never in it,
/// so the outer cargo's lock is never contended).
pub fn hosts_target_dir() -> PathBuf {
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    base.join("e2e-hosts")
}

/// Gives the scaffolded host at `ws` this checkout's `Cargo.lock`, so it builds with the
/// dependency versions already compiled for the workspace (and the hosts' shared target
/// is reused across tests).
pub fn use_checkout_lock(ws: &Path) -> anyhow::Result<()> {
    let lock = workspace_root().join("Cargo.lock");
    std::fs::copy(&lock, ws.join("Cargo.lock"))
        .map_err(|e| anyhow::anyhow!("could not copy {} into {}: {e}", lock.display(), ws.display()))?;
    Ok(())
}

/// Runs `cargo args` in `dir` against [`hosts_target_dir`]; the error carries the tail of
/// cargo's output, so a failing build reads in the test's failure.
pub fn cargo_ok(dir: &Path, args: &[&str]) -> anyhow::Result<String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(&cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", hosts_target_dir())
        // Failures should read as the test's message, not pages of backtrace.
        .env("RUST_BACKTRACE", "0")
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| anyhow::anyhow!("could not run `cargo {}`: {e}", args.join(" ")))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        Ok(text)
    } else {
        let tail: Vec<&str> = text.lines().rev().take(60).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        anyhow::bail!(
            "`cargo {}` failed in {}:\n{}",
            args.join(" "),
            dir.display(),
            tail.join("\n")
        )
    }
}

/// Copies the directory `from` to `to`, skipping `target/`.
pub fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_entry(|e| e.file_name() != "target")
    {
        let entry = entry?;
        let dest = to.join(entry.path().strip_prefix(from)?);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest)?;
        } else {
            std::fs::copy(entry.path(), &dest)?;
        }
    }
    Ok(())
}

/// A workspace at `dir` holding copies of this checkout's `examples/` crates named in
/// `crates`, with this workspace's package settings and dependency versions, and path
/// dependencies on tento pointing back at this checkout: the by-hand example host as a
/// user's own workspace.
pub fn example_workspace(dir: &Path, crates: &[&str]) -> anyhow::Result<()> {
    let root = workspace_root();
    for name in crates {
        copy_dir(&root.join("examples").join(name), &dir.join(name))?;
    }
    let mut doc: toml_edit::DocumentMut = std::fs::read_to_string(root.join("Cargo.toml"))?.parse()?;
    let members: toml_edit::Array = crates.iter().copied().collect();
    doc["workspace"]["members"] = toml_edit::value(members);
    if let Some(deps) = doc["workspace"]["dependencies"].as_table_like_mut() {
        for (_, dep) in deps.iter_mut() {
            let Some(table) = dep.as_table_like_mut() else {
                continue;
            };
            let Some(path) = table.get("path").and_then(|p| p.as_str()).map(str::to_owned) else {
                continue;
            };
            let new_path = match path.strip_prefix("examples/") {
                Some(example) => example.to_owned(),
                None => root.join(&path).canonicalize()?.display().to_string(),
            };
            table.insert("path", toml_edit::value(new_path));
        }
    }
    doc["workspace"]["metadata"]["tento"]["host"] = toml_edit::value("host");
    std::fs::write(dir.join("Cargo.toml"), doc.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    std::fs::copy(root.join("rustfmt.toml"), dir.join("rustfmt.toml"))?;
    Ok(())
}
