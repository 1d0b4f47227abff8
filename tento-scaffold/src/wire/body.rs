//! Adding a statement to a host function's body, and finding the parameters to write
//! it with: the deps registration and the sync registrations both end a function so.

use super::{Files, WireError, depth};
use crate::host::SourceFile;
use crate::patch::rustfmt::Snippet;
use crate::patch::{rust, splice};

/// Refuses a body [`append_to_body`] could add to but `remove` could not undo
/// byte for byte: `new` opens a one-line `{}` and `remove` closes it back, so an empty
/// body spanning lines would come back as `{}`, and statements on the line of the
/// closing `}` would come back on lines of their own.
pub(crate) fn openable(file: &SourceFile, src: &str, f: &rust::FnWithParam) -> Result<(), WireError> {
    let inner = &src[f.body.clone()];
    let close_line = splice::line_start(src, f.body.end);
    let (problem, fix) = if inner.trim().is_empty() {
        if !inner.contains('\n') {
            return Ok(());
        }
        ("is empty but spans lines", "write it `{}`")
    } else if src[close_line..f.body.end].trim().is_empty() && inner.contains('\n') {
        return Ok(());
    } else {
        (
            "ends on the line of its last statement",
            "put each statement and the closing `}` on lines of their own",
        )
    };
    Err(WireError::Body {
        file: file.display.clone(),
        function: f.name.clone(),
        problem,
        fix,
    })
}

/// The name of the parameter whose type mentions `ty`.
pub(crate) fn param(f: &rust::FnWithParam, ty: &str) -> String {
    f.params
        .iter()
        .find(|(_, t)| t.contains(ty))
        .map(|(n, _)| n.clone())
        .unwrap_or_default()
}

/// `src` with `stmt` on new lines after byte `at` (a line end), indented like the
/// line starting at `like`.
pub(crate) fn insert_statement(src: &str, at: usize, like: usize, stmt: &str, files: &Files<'_>) -> String {
    let unit = splice::indent_unit(src);
    let indent = splice::indent_at(src, like);
    let text = files.format(stmt, Snippet::Stmt, depth(indent, &unit).max(1), &unit);
    splice::insert(src, at, &text)
}

/// `src` with `stmt` as the last statement of the block whose inside is `body`.
pub(crate) fn append_to_body(
    src: &str,
    body: std::ops::Range<usize>,
    stmt: &str,
    files: &Files<'_>,
) -> String {
    let unit = splice::indent_unit(src);
    let close_indent = splice::indent_at(src, body.end).to_owned();
    let depth = depth(&close_indent, &unit) + 1;
    let text = files.format(stmt, Snippet::Stmt, depth, &unit);
    let close_line = splice::line_start(src, body.end);
    if src[close_line..body.end].trim().is_empty() && src[body.clone()].contains('\n') {
        splice::insert(src, close_line, &text)
    } else {
        // `{}` on one line: open the block.
        let mut out = src.to_owned();
        let inner = src[body.clone()].trim();
        let mut replacement = String::from("\n");
        if !inner.is_empty() {
            replacement.push_str(&format!("{close_indent}{unit}{inner}\n"));
        }
        replacement.push_str(&text);
        replacement.push_str(&close_indent);
        out.replace_range(body, &replacement);
        out
    }
}
