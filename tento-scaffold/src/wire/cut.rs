//! `remove`'s cuts: the whole lines `new` inserted, so `new` then `remove` leaves a
//! host's bytes as they were.

use std::ops::Range;

use crate::patch::{rust, splice};

/// Bytes of a host file to cut.
#[derive(Clone, Debug)]
pub(crate) struct Cut {
    range: Range<usize>,
    /// A statement `new` appended to a function body (see [`cut`]).
    statement: bool,
}

impl Cut {
    /// The whole lines of `src` holding `range`.
    pub(crate) fn lines(src: &str, range: Range<usize>) -> Cut {
        Cut {
            range: whole_lines(src, range),
            statement: false,
        }
    }

    /// An item's lines (its doc comments included) and the blank line `new` put above it.
    pub(crate) fn item(src: &str, range: Range<usize>) -> Cut {
        Cut {
            range: item_with_blank_line_above(src, range),
            statement: false,
        }
    }

    /// The lines of the statement holding the call at `call`, which `new` appended to
    /// a function body.
    pub(crate) fn statement(src: &str, call: &Range<usize>) -> Cut {
        Cut {
            range: rust::statement_lines(src, call),
            statement: true,
        }
    }
}

/// The whole lines holding `range`.
fn whole_lines(src: &str, range: Range<usize>) -> Range<usize> {
    splice::line_start(src, range.start)..splice::line_end(src, range.end.saturating_sub(1).max(range.start))
}

/// An item's lines (its doc comments included) and the blank line `new` put above it.
fn item_with_blank_line_above(src: &str, range: Range<usize>) -> Range<usize> {
    let lines = whole_lines(src, range);
    let mut start = lines.start;
    if start > 0 {
        let prev = splice::line_start(src, start - 1);
        if src[prev..start].trim().is_empty() {
            start = prev;
        }
    }
    start..lines.end
}

/// `src` without `cuts` (which may overlap). A cut flagged as a statement `new`
/// appended to a function body that leaves the body empty closes it back to `{}`:
/// `new` opens a one-line `{}` body to add to it (see [`append_to_body`](super::append_to_body))
/// and refuses an empty body that spans lines, so such a body was a `{}`. Other cuts
/// (an integration block in `#[rowkey {⏎}]`, say) leave their block as it is.
pub(crate) fn cut(src: &str, mut cuts: Vec<Cut>) -> String {
    cuts.sort_by_key(|c| c.range.start);
    let mut out = String::with_capacity(src.len());
    let mut at = 0;
    let mut seams = Vec::new();
    for Cut { range: r, statement } in cuts {
        if r.start > at {
            out.push_str(&src[at..r.start]);
        }
        if statement && r.end > at {
            seams.push(out.len());
        }
        at = at.max(r.end);
    }
    out.push_str(&src[at.min(src.len())..]);
    for seam in seams.into_iter().rev() {
        close_emptied_block(&mut out, seam);
    }
    out
}

/// Turns `{⏎<indent>}` around `seam` (the start of the line after the `{`) into `{}`.
fn close_emptied_block(text: &mut String, seam: usize) {
    let head = &text[..seam];
    let Some(open) = head
        .strip_suffix('\n')
        .map(|h| h.strip_suffix('\r').unwrap_or(h))
        .filter(|h| h.ends_with('{'))
        .map(|h| h.len() - 1)
    else {
        return;
    };
    let rest = &text[seam..];
    let indent = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    if rest[indent..].starts_with('}') {
        text.replace_range(open + 1..seam + indent, "");
    }
}
