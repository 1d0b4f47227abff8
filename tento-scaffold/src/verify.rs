//! Whether a Rust file a plan changes still parses, checked before anything is written.
//!
//! A host file holds a thousand registrations in one function, and parsing it whole
//! costs more than the rest of a command. What a plan changes sits in a few places, so
//! the file is parsed with the inside of every brace group it leaves alone cut out
//! (`{}` parses wherever `{ … }` does), and in a group it changes, the run of whole
//! statements before and after the change cut too: what is parsed is the size of the
//! change, not of the file. Cutting can only break a parse where a statement was cut in
//! the wrong place; then the whole file is parsed, so the answer is always the whole
//! file's, and so is the error's line and column.

use std::ops::Range;

use crate::patch::rust::Parsed;
use crate::patch::splice::{CodeBytes, closing_delimiter};

/// Where a file a plan changes stops parsing, as the parser says.
#[derive(Debug)]
pub struct Unparsed {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The parser's message.
    pub message: String,
}

/// [`parses`] of each `(before, after)`, on every core: a plan's files are
/// independent, and a host's long ones are most of a check's time.
pub fn parse_each(files: &[(Option<&str>, &str)]) -> Vec<Result<(), Unparsed>> {
    crate::parallel::map(files, |&(before, after)| {
        // A parse's spans belong to its thread: the error's place is read there.
        parses(before, after).map_err(|e| {
            let at = e.span().start();
            Unparsed {
                line: at.line,
                column: at.column + 1,
                message: e.to_string(),
            }
        })
    })
}

/// Parses `after`, the text a plan gives a file that held `before` (`None`: a new file).
pub fn parses(before: Option<&str>, after: &str) -> Result<(), syn::Error> {
    if let Some(before) = before
        && let cuts = cuts(before, after)
        && !cuts.is_empty()
        && Parsed::cut(after, cuts).is_some()
    {
        return Ok(());
    }
    syn::parse_file(after).map(drop)
}

/// The parts of `after` the change leaves alone, to cut out of its parse.
fn cuts(before: &str, after: &str) -> Vec<Range<usize>> {
    let windows = changed(before, after);
    let mut cuts = Vec::new();
    group_cuts(after, 0..after.len(), &windows, &mut cuts);
    cuts
}

/// Pushes to `cuts` the inside of each brace group of `range` that no window touches
/// (`{}` parses wherever `{ … }` does), and in a group one touches, the groups inside and
/// the statements before the first window and after the last ([`statement_cuts`]).
/// Cuts start and end at a brace or a `;`, so no two tokens join that were apart.
fn group_cuts(src: &str, range: Range<usize>, windows: &[Range<usize>], cuts: &mut Vec<Range<usize>>) {
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
            (None, _) => cuts.push(inside),
            (Some(first), last) => {
                let last = last.unwrap_or(first);
                let (head, tail) = statement_cuts(src, inside.clone(), first.start, last.end);
                // Only what lies between the runs is looked into: the runs go whole.
                let between = head.unwrap_or(inside.start)..tail.unwrap_or(inside.end);
                group_cuts(src, between, windows, cuts);
                let runs = [head.map(|h| inside.start..h), tail.map(|t| t..inside.end)];
                cuts.extend(runs.into_iter().flatten().filter(|r| r.start < r.end));
            }
        }
        code = CodeBytes::new(src, close + 1);
    }
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
    if let Some(windows) = insertions(before, middle, head) {
        return windows;
    }
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

/// The windows of `after` (which starts at byte `offset` of its file) when it is
/// `before` with whole lines inserted, as a plan adding a provider leaves a file: one
/// pass over the lines, where diffing a thousand-line function costs more than the
/// parse it saves. `None` when a line of `before` is gone or changed.
fn insertions(before: &str, after: &str, offset: usize) -> Option<Vec<Range<usize>>> {
    let mut old = before.split_inclusive('\n').peekable();
    let mut windows: Vec<Range<usize>> = Vec::new();
    let mut at = offset;
    for line in after.split_inclusive('\n') {
        if old.peek() == Some(&line) {
            old.next();
        } else {
            match windows.last_mut() {
                Some(window) if window.end == at => window.end += line.len(),
                _ => windows.push(at..at + line.len()),
            }
        }
        at += line.len();
    }
    old.peek().is_none().then_some(windows)
}

/// In the group whose inside is `range`, where the statements before `start` end (after
/// the last `;` of the group's own level before it) and where those after `end` begin
/// (after the first such `;` at or past it): the runs to cut around a change.
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
    use crate::patch::rust::cut_out;

    const HOST: &str = "fn a() {\n    let x = 1;\n    f(x);\n}\n\nfn register(o: &mut O) {\n    o.r::<A>();\n    o.r::<B>();\n}\n";

    #[test]
    fn a_good_insertion_parses_with_the_rest_cut_out() {
        let after = HOST.replace("    o.r::<B>();\n", "    o.r::<B>();\n    o.r::<C>();\n");
        let (kept, _) = cut_out(&after, cuts(HOST, &after));
        assert_eq!(
            kept,
            "fn a() {}\n\nfn register(o: &mut O) {\n    o.r::<C>();\n}\n"
        );
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
    fn a_window_starting_inside_a_statement_still_cuts_the_statements_before() {
        // Inserting a statement like the last makes the shared tail start inside it.
        let host =
            "fn r(o: &mut O) {\n    o.r::<A>(\n        x,\n    );\n    o.r::<B>(\n        x,\n    );\n}\n";
        let after = host.replace("    );\n}", "    );\n    o.r::<C>(\n        x,\n    );\n}");
        let (kept, _) = cut_out(&after, cuts(host, &after));
        assert!(!kept.contains("o.r::<A>"), "{kept}");
        assert!(kept.contains("o.r::<C>"), "{kept}");
        syn::parse_file(&kept).unwrap();
    }

    #[test]
    fn inserted_lines_are_found_in_one_pass_and_anything_else_is_diffed() {
        let before = "a\nb\nc\n";
        assert_eq!(
            insertions(before, "a\nx\nb\ny\nz\nc\n", 10),
            Some(vec![12..14, 16..20])
        );
        let first = insertions(before, "x\na\nb\nc\n", 0).unwrap();
        assert_eq!(first.len(), 1);
        assert_eq!(first[0], 0..2);
        assert_eq!(insertions(before, "a\nc\n", 0), None);
        assert_eq!(insertions(before, "a\nB\nc\n", 0), None);
        // A replaced line is a window through the diff.
        let after = HOST.replace("    o.r::<A>();\n", "    o.r::<Z>();\n");
        let at = after.find("    o.r::<Z>").unwrap();
        assert_eq!(one(changed(HOST, &after)), at..at + "    o.r::<Z>();\n".len());
    }

    #[test]
    fn each_file_gets_its_verdict_in_order_with_the_place_it_fails() {
        let files = [
            (None, "fn a() {}\n"),
            (None, "fn b() {}\nfn c( {}\n"),
            (Some(HOST), HOST),
        ];
        let verdicts = parse_each(&files);
        assert_eq!(verdicts.len(), 3);
        assert!(verdicts[0].is_ok() && verdicts[2].is_ok());
        let failed = verdicts[1].as_ref().unwrap_err();
        assert_eq!(
            (failed.line, failed.column),
            (2, 5),
            "the open parenthesis: {failed:?}"
        );
    }

    #[test]
    fn a_new_file_is_parsed_whole() {
        assert!(parses(None, "fn broken( {}\n").is_err());
        parses(None, "fn fine() {}\n").unwrap();
    }
}
