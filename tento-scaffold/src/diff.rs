//! Unified diffs of planned changes, as `--dry-run` prints them.

use similar::{ChangeTag, TextDiff};

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// The diff of one file from `before` (absent: a new file) to `after`, with three lines
/// of context, in `git diff`'s layout.
pub fn unified_diff(path: &str, before: Option<&str>, after: &str, color: bool) -> String {
    let old = before.unwrap_or("");
    let diff = TextDiff::from_lines(old, after);
    let (from, to) = match before {
        Some(_) => (format!("a/{path}"), format!("b/{path}")),
        None => ("/dev/null".to_owned(), format!("b/{path}")),
    };
    let paint = |code: &str, line: String| {
        if color {
            format!("{code}{line}{RESET}")
        } else {
            line
        }
    };
    let mut out = String::new();
    out.push_str(&paint(BOLD, format!("--- {from}\n+++ {to}\n")));
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        out.push_str(&paint(CYAN, format!("{}\n", hunk.header())));
        for change in hunk.iter_changes() {
            let (sign, code) = match change.tag() {
                ChangeTag::Delete => ('-', Some(RED)),
                ChangeTag::Insert => ('+', Some(GREEN)),
                ChangeTag::Equal => (' ', None),
            };
            let text = change.value().trim_end_matches(['\n', '\r']);
            let line = format!("{sign}{text}");
            out.push_str(&match code {
                Some(code) => paint(code, line),
                None => line,
            });
            out.push('\n');
            if change.missing_newline() {
                out.push_str("\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// Whether stdout should be coloured: a terminal, and `NO_COLOR` unset or empty.
pub fn color_wanted(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_insertion_shows_as_added_lines_with_context() {
        let d = unified_diff("Cargo.toml", Some("a\nb\nc\n"), "a\nb\nnew\nc\n", false);
        assert_eq!(
            d,
            "--- a/Cargo.toml\n+++ b/Cargo.toml\n@@ -1,3 +1,4 @@\n a\n b\n+new\n c\n"
        );
    }

    #[test]
    fn a_new_file_diffs_against_dev_null() {
        let d = unified_diff("x.rs", None, "fn x() {}\n", false);
        assert!(
            d.starts_with("--- /dev/null\n+++ b/x.rs\n@@ -0,0 +1 @@\n+fn x() {}\n"),
            "{d}"
        );
    }

    #[test]
    fn colour_wraps_added_lines_in_green() {
        let d = unified_diff("x", Some("a\n"), "a\nb\n", true);
        assert!(d.contains("\x1b[32m+b\x1b[0m"), "{d:?}");
    }
}
