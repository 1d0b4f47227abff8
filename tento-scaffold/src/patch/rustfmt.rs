//! Laying out inserted code the way `rustfmt` would, so a patched host stays
//! `cargo fmt --check` clean: the snippet is formatted alone, wrapped in as many blocks
//! as it will sit inside, with the host's own `rustfmt.toml`. Whether rustfmt breaks a
//! long call across lines depends on names and depth, so asking it beats guessing.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// What a snippet is, which decides how it is wrapped for rustfmt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Snippet {
    /// Items at the file's top level (or in a module at `depth`).
    Item,
    /// Statements inside a function body, `depth` blocks deep.
    Stmt,
    /// Match arms, `depth` blocks deep counting the match's own braces.
    Arm,
}

const OPEN: &str = "// tento-scaffold: snippet start";
const CLOSE: &str = "// tento-scaffold: snippet end";

/// `code` laid out by rustfmt as if it sat `depth` indentation levels deep in a file
/// of the workspace at `config_dir`, each line indented with `unit`. When rustfmt is
/// missing or refuses the snippet, the code comes back as given, indented.
pub fn format(code: &str, kind: Snippet, depth: usize, unit: &str, config_dir: &Path) -> String {
    let indent = unit.repeat(depth);
    let fallback = || super::splice::block(code, &indent, "\n");
    let Some(wrapped) = wrap(code, kind, depth) else {
        return fallback();
    };
    let Some(formatted) = run_rustfmt(&wrapped, config_dir) else {
        return fallback();
    };
    let (Some(start), Some(end)) = (formatted.find(OPEN), formatted.find(CLOSE)) else {
        return fallback();
    };
    let body_start = formatted[start..]
        .find('\n')
        .map_or(formatted.len(), |i| start + i + 1);
    let body_end = formatted[..end].rfind('\n').map_or(0, |i| i + 1);
    if body_start > body_end {
        return fallback();
    }
    reindent(&formatted[body_start..body_end], depth, unit)
}

/// `text` with rustfmt's indentation converted to the file's `unit`: a host that
/// indents with tabs while its rustfmt config says spaces (so it is not rustfmt-clean
/// anyway) keeps its own style. rustfmt's unit is read off the first line, which sits
/// `depth` levels deep, or at depth 0 off the least indented indented line.
fn reindent(text: &str, depth: usize, unit: &str) -> String {
    let leading = |l: &str| l.len() - l.trim_start_matches([' ', '\t']).len();
    let theirs_len = if depth == 0 {
        text.lines().map(leading).filter(|n| *n > 0).min().unwrap_or(0)
    } else {
        let first = text.lines().next().map_or(0, leading);
        if first.is_multiple_of(depth) { first / depth } else { 0 }
    };
    let Some(sample) = text.lines().find(|l| leading(l) >= theirs_len.max(1)) else {
        return text.to_owned();
    };
    if theirs_len == 0 {
        return text.to_owned();
    }
    let theirs = &sample[..theirs_len];
    if theirs == unit {
        return text.to_owned();
    }
    text.split_inclusive('\n')
        .map(|line| {
            let ws = &line[..leading(line)];
            let levels = ws.matches(theirs).count();
            let rest = ws.len() - levels * theirs.len();
            format!("{}{}{}", unit.repeat(levels), " ".repeat(rest), &line[ws.len()..])
        })
        .collect()
}

/// A whole new file laid out by rustfmt with the config found from `config_dir`; as
/// given when rustfmt is missing or refuses it. For files the scaffold creates, whose
/// every byte is its own, so their layout never depends on how long a name is.
pub fn format_file(src: &str, config_dir: &Path) -> String {
    run_rustfmt(src, config_dir).unwrap_or_else(|| src.to_owned())
}

fn wrap(code: &str, kind: Snippet, depth: usize) -> Option<String> {
    let mut out = String::new();
    let (opens, closes): (Vec<&str>, Vec<&str>) = match kind {
        Snippet::Item => (vec!["mod __tento {"; depth], vec!["}"; depth]),
        Snippet::Stmt => {
            let blocks = depth.checked_sub(1)?;
            (
                std::iter::once("fn __tento() {")
                    .chain(std::iter::repeat_n("{", blocks))
                    .collect(),
                vec!["}"; depth],
            )
        }
        Snippet::Arm => {
            let blocks = depth.checked_sub(2)?;
            (
                std::iter::once("fn __tento() {")
                    .chain(std::iter::repeat_n("{", blocks))
                    .chain(std::iter::once("match __tento {"))
                    .collect(),
                vec!["}"; depth],
            )
        }
    };
    for open in opens {
        out.push_str(open);
        out.push('\n');
    }
    out.push_str(OPEN);
    out.push('\n');
    out.push_str(code);
    if !code.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(CLOSE);
    out.push('\n');
    for close in closes {
        out.push_str(close);
        out.push('\n');
    }
    Some(out)
}

fn run_rustfmt(src: &str, config_dir: &Path) -> Option<String> {
    let rustfmt = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let mut child = Command::new(rustfmt)
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .current_dir(config_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(src.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_statement_breaks_as_rustfmt_breaks_it() {
        let dir = tempfile::tempdir().unwrap();
        let code = "integrations.register::<dyn tento_averyveryverylongname::connector::AveryveryverylongnameBackendDeps>(deps.clone() as Arc<dyn tento_averyveryverylongname::connector::AveryveryverylongnameBackendDeps>);";
        let out = format(code, Snippet::Stmt, 1, "    ", dir.path());
        assert!(
            out.starts_with("    integrations\n") || out.starts_with("    integrations.register"),
            "{out}"
        );
        assert!(out.lines().count() > 1, "{out}");
        assert!(out.lines().all(|l| l.len() <= 100), "{out}");
        let short = format("x.register::<dyn A>(d);", Snippet::Stmt, 2, "    ", dir.path());
        assert_eq!(short, "        x.register::<dyn A>(d);\n");
    }

    #[test]
    fn arms_and_items_keep_their_depth() {
        let dir = tempfile::tempdir().unwrap();
        let arm = format(
            "\"acme\" => decode::<AcmeAuth>(raw)?,",
            Snippet::Arm,
            4,
            "    ",
            dir.path(),
        );
        assert_eq!(arm, "                \"acme\" => decode::<AcmeAuth>(raw)?,\n");
        let item = format(
            "impl A for B {fn f(&self){}}",
            Snippet::Item,
            0,
            "    ",
            dir.path(),
        );
        assert_eq!(item, "impl A for B {\n    fn f(&self) {}\n}\n");
    }

    #[test]
    fn a_tab_indented_host_keeps_its_tabs() {
        let dir = tempfile::tempdir().unwrap();
        let out = format("if a { b(); }", Snippet::Stmt, 1, "\t", dir.path());
        assert_eq!(out, "\tif a {\n\t\tb();\n\t}\n");
    }

    #[test]
    fn the_hosts_rustfmt_config_is_honoured() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("rustfmt.toml"), "hard_tabs = true\n").unwrap();
        let out = format("x.y(z);", Snippet::Stmt, 1, "\t", dir.path());
        assert_eq!(out, "\tx.y(z);\n");
    }

    #[test]
    fn code_rustfmt_refuses_comes_back_indented() {
        let dir = tempfile::tempdir().unwrap();
        let out = format("this is not rust", Snippet::Stmt, 1, "  ", dir.path());
        assert_eq!(out, "  this is not rust\n");
    }
}
