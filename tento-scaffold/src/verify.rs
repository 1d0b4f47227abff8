//! Whether a Rust file a plan changes still parses, checked before anything is written.
//!
//! A host file holds a thousand registrations in one function, and parsing it whole
//! costs more than the rest of a command. What a plan changes sits in a few places, so
//! the file is parsed with every brace group it leaves alone blanked (braces kept,
//! offsets unchanged: `{}` parses wherever `{ … }` does), and in a group it changes,
//! the run of whole statements before and after the change blanked too. Blanking can only break a parse where a
//! statement was cut in the wrong place; then the whole file is parsed, so the answer
//! is always the whole file's.

use std::ops::Range;

use crate::patch::rust::blank;
use crate::patch::splice::{CodeBytes, closing_delimiter, line_end, line_start};

/// Parses `after`, the text a plan gives a file that held `before` (`None`: a new file).
pub fn parses(before: Option<&str>, after: &str) -> Result<(), syn::Error> {
    if let Some(before) = before
        && let Some(masked) = masked(before, after)
        && syn::parse_file(&masked).is_ok()
    {
        return Ok(());
    }
    syn::parse_file(after).map(drop)
}

/// `after` with what the change leaves alone blanked; `None` when nothing would be.
fn masked(before: &str, after: &str) -> Option<String> {
    let windows = changed(before, after);
    let mut bytes = after.as_bytes().to_vec();
    if !mask_groups(after, 0..after.len(), &windows, &mut bytes) {
        return None;
    }
    // Blanking keeps every byte boundary, and writes ASCII over whole characters.
    String::from_utf8(bytes).ok()
}

/// Blanks in `bytes` the inside of each brace group of `range` that no window touches
/// (`{}` parses wherever `{ … }` does), and in a group one touches, the groups inside and
/// the runs of whole statements before the first window and after the last; `false`
/// when it blanked nothing.
fn mask_groups(src: &str, range: Range<usize>, windows: &[Range<usize>], bytes: &mut [u8]) -> bool {
    let mut blanked = false;
    let mut code = CodeBytes::new(src, range.start);
    while let Some((i, b)) = code.next() {
        if i >= range.end {
            break;
        }
        if b != b'{' {
            continue;
        }
        let Some(close) = closing_delimiter(src, i) else {
            break;
        };
        let inside = i + 1..close;
        let mut touching = windows
            .iter()
            .filter(|w| w.start <= inside.end && inside.start <= w.end);
        match (touching.next(), touching.next_back()) {
            (None, _) if inside.is_empty() => {}
            (None, _) => {
                blank(&mut bytes[inside]);
                blanked = true;
            }
            (Some(first), last) => {
                let last = last.unwrap_or(first);
                blanked |= mask_groups(src, inside.clone(), windows, bytes);
                let head = inside.start..line_start(src, first.start.max(inside.start)).max(inside.start);
                let tail_start = if last.end > last.start {
                    last.end
                } else {
                    line_end(src, last.end)
                };
                let tail = tail_start.clamp(inside.start, inside.end)..inside.end;
                for run in [head, tail] {
                    if run.start < run.end && whole_statements(src, run.clone()) {
                        blank(&mut bytes[run]);
                        blanked = true;
                    }
                }
            }
        }
        code = CodeBytes::new(src, close + 1);
    }
    blanked
}

/// The byte ranges of `after` on lines the change inserted or replaced; a deletion is an
/// empty range where the lines were.
fn changed(before: &str, after: &str) -> Vec<Range<usize>> {
    let mut starts = vec![0];
    starts.extend(after.match_indices('\n').map(|(i, _)| i + 1));
    if starts.last() != Some(&after.len()) {
        starts.push(after.len());
    }
    let at = |line: usize| starts.get(line).copied().unwrap_or(after.len());
    similar::TextDiff::from_lines(before, after)
        .ops()
        .iter()
        .filter(|op| !matches!(op, similar::DiffOp::Equal { .. }))
        .map(|op| {
            let lines = op.new_range();
            at(lines.start)..at(lines.end)
        })
        .collect()
}

/// Whether `range` of `src` is a run of whole statements: its delimiters balance and
/// its last code byte ends a statement (or it holds no code).
fn whole_statements(src: &str, range: Range<usize>) -> bool {
    let mut depth = 0isize;
    let mut last = None;
    for (i, b) in CodeBytes::new(src, range.start) {
        if i >= range.end {
            break;
        }
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
        if !b.is_ascii_whitespace() {
            last = Some(b);
        }
    }
    depth == 0 && matches!(last, None | Some(b';' | b'}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: &str = "fn a() {\n    let x = 1;\n    f(x);\n}\n\nfn register(o: &mut O) {\n    o.r::<A>();\n    o.r::<B>();\n}\n";

    #[test]
    fn a_good_insertion_parses_with_the_rest_blanked() {
        let after = HOST.replace("    o.r::<B>();\n", "    o.r::<B>();\n    o.r::<C>();\n");
        let masked = masked(HOST, &after).unwrap();
        assert_eq!(masked.len(), after.len());
        assert!(!masked.contains("let x"), "{masked}");
        assert!(!masked.contains("o.r::<A>"), "{masked}");
        assert!(masked.contains("o.r::<C>();"), "{masked}");
        parses(Some(HOST), &after).unwrap();
    }

    #[test]
    fn a_splice_mid_token_is_caught() {
        let after = HOST.replace("o.r::<B>();", "o.r::<    o.r::<C>();\nB>();");
        assert!(parses(Some(HOST), &after).is_err());
    }

    #[test]
    fn a_cut_in_the_wrong_place_falls_back_to_the_whole_file() {
        let host = "fn a() {\n    let x = match y {\n        _ => 1,\n    }\n    .max(2);\n}\n";
        let after = host.replace("    .max(2);\n", "    .max(3);\n");
        parses(Some(host), &after).unwrap();
    }

    #[test]
    fn a_new_file_is_parsed_whole() {
        assert!(parses(None, "fn broken( {}\n").is_err());
        parses(None, "fn fine() {}\n").unwrap();
    }
}
