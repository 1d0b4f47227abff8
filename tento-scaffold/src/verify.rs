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
use crate::patch::splice::{CodeBytes, closing_delimiter};

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
/// the statements before the first window and after the last ([`statement_cuts`]);
/// `false` when it blanked nothing.
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
                let (head, tail) = statement_cuts(src, inside.clone(), first.start, last.end);
                let runs = [head.map(|h| inside.start..h), tail.map(|t| t..inside.end)];
                for run in runs.into_iter().flatten().filter(|r| r.start < r.end) {
                    blank(&mut bytes[run]);
                    blanked = true;
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
    // The lines both share at the start and at the end need no diff: a plan changes a few
    // places of a long file, and diffing it whole costs more than the parse it saves.
    let (b, a) = (before.as_bytes(), after.as_bytes());
    let same = b.iter().zip(a).take_while(|(x, y)| x == y).count();
    let head = before[..same].rfind('\n').map_or(0, |i| i + 1);
    let mut tail = b[head..]
        .iter()
        .rev()
        .zip(a[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    // The tail starts a line of `after` (`head` does).
    while a.len() - tail > head && a[a.len() - tail - 1] != b'\n' {
        tail -= 1;
    }
    let (before, middle) = (&before[head..b.len() - tail], &after[head..a.len() - tail]);
    let mut starts = vec![head];
    starts.extend(middle.match_indices('\n').map(|(i, _)| head + i + 1));
    let end = head + middle.len();
    let at = |line: usize| starts.get(line).copied().unwrap_or(end).min(end);
    similar::TextDiff::from_lines(before, middle)
        .ops()
        .iter()
        .filter(|op| !matches!(op, similar::DiffOp::Equal { .. }))
        .map(|op| {
            let lines = op.new_range();
            at(lines.start)..at(lines.end)
        })
        .collect()
}

/// In the group whose inside is `range`, where the statements before `start` end (after
/// the last `;` of the group's own level before it) and where those after `end` begin
/// (after the first such `;` at or past it): the runs to blank around a change.
fn statement_cuts(
    src: &str,
    range: Range<usize>,
    start: usize,
    end: usize,
) -> (Option<usize>, Option<usize>) {
    let mut depth = 0usize;
    let mut head = None;
    for (i, b) in CodeBytes::new(src, range.start) {
        if i >= range.end {
            break;
        }
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b';' if depth == 0 && i < start => head = Some(i + 1),
            b';' if depth == 0 && i >= end => return (head, Some(i + 1)),
            _ => {}
        }
    }
    (head, None)
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

    fn one(windows: Vec<Range<usize>>) -> Range<usize> {
        assert_eq!(windows.len(), 1, "{windows:?}");
        windows[0].clone()
    }

    #[test]
    fn the_changed_lines_are_found_between_the_shared_head_and_tail() {
        let after = HOST.replace("    o.r::<B>();\n", "    o.r::<B>();\n    o.r::<C>();\n");
        let at = after.find("    o.r::<C>").unwrap();
        assert_eq!(one(changed(HOST, &after)), at..at + "    o.r::<C>();\n".len());
        let two = after.replace("let x = 1;", "let x = 2;");
        let first = two.find("    let x").unwrap();
        assert_eq!(
            changed(HOST, &two),
            [
                first..first + "    let x = 2;\n".len(),
                at..at + "    o.r::<C>();\n".len()
            ]
        );
        let cut = HOST.replace("    o.r::<A>();\n", "");
        let gone = cut.find("    o.r::<B>").unwrap();
        assert_eq!(one(changed(HOST, &cut)), gone..gone);
        assert_eq!(changed(HOST, HOST), []);
        assert_eq!(one(changed("b\n", "a\nb\n")), 0..2);
        assert_eq!(one(changed("a\nb\n", "b\n")), 0..0);
    }

    #[test]
    fn a_window_starting_inside_a_statement_still_blanks_the_statements_before() {
        // Inserting a statement like the last makes the shared tail start inside it.
        let host =
            "fn r(o: &mut O) {\n    o.r::<A>(\n        x,\n    );\n    o.r::<B>(\n        x,\n    );\n}\n";
        let after = host.replace("    );\n}", "    );\n    o.r::<C>(\n        x,\n    );\n}");
        let masked = masked(host, &after).unwrap();
        assert!(!masked.contains("o.r::<A>"), "{masked}");
        assert!(masked.contains("o.r::<C>"), "{masked}");
        syn::parse_file(&masked).unwrap();
    }

    #[test]
    fn a_new_file_is_parsed_whole() {
        assert!(parses(None, "fn broken( {}\n").is_err());
        parses(None, "fn fine() {}\n").unwrap();
    }
}
