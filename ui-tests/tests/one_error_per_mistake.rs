//! One mistake, one error, at the token the user wrote: every `fail/` case marks each
//! line holding a mistake with a `//~ ERROR` comment (one `ERROR` per mistake on the
//! line), and its reviewed `.stderr` must hold exactly one error per mark, each at a
//! marked line. Cases with several deliberate mistakes (to
//! show that one build reports them all) are listed in [`MULTI_MISTAKE`]; the few where
//! one mistake still costs more than one error are listed in [`EXCEPTIONS`] with why,
//! and for them only the first error is checked.
//!
//! The `.stderr` files are trybuild's, so this reads what the other ui tests compare
//! against: a case whose snapshot is stale fails there, not here.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Cases with several deliberate mistakes, one error expected at each mark.
const MULTI_MISTAKE: &[(&str, &str)] = &[
    (
        "provider/fail/unknown_argument.rs",
        "a misspelt and an unknown argument, each reported",
    ),
    (
        "row/fail/empty_and_repeated_stages.rs",
        "an empty stage and a repeated one in one list",
    ),
    (
        "row/fail/generated_items_written_by_hand.rs",
        "two generated items written by hand",
    ),
    (
        "row/fail/wrong_number_of_arguments.rs",
        "two methods, each with the wrong arguments",
    ),
    (
        "rowkey/fail/bad_options.rs",
        "four malformed `#[rowkey]` attributes",
    ),
    ("rowkey/fail/bad_placeholder.rs", "four malformed placeholders"),
    (
        "rowkey/fail/duplicate_placeholder.rs",
        "two routes, each repeating a placeholder",
    ),
    (
        "rowkey/fail/duplicate_route.rs",
        "a repeated route and one repeated under another placeholder name",
    ),
    (
        "rowkey/fail/empty_block_and_stray_items.rs",
        "six stray or empty items, each reported",
    ),
    ("rowkey/fail/empty_segment.rs", "three empty segments"),
    (
        "rowkey/fail/malformed_integration.rs",
        "five malformed integration headers",
    ),
    ("rowkey/fail/malformed_segment.rs", "four malformed segments"),
    (
        "rowkey/fail/many_mistakes_no_cascade.rs",
        "three mistakes, and nothing downstream adds a fourth",
    ),
    (
        "rowkey/fail/placeholder_without_field.rs",
        "three placeholders without a field",
    ),
    (
        "rowkey/fail/prefix_without_kind.rs",
        "three prefixes without a kind",
    ),
    (
        "rowkey/fail/row_name_not_rust.rs",
        "four segments that cannot name a row",
    ),
    (
        "rowkey/fail/row_not_found.rs",
        "two routes whose rows do not exist",
    ),
    (
        "rowkey/fail/row_of_another_integration.rs",
        "a row of another integration and a type that is not a row",
    ),
    ("rowkey/fail/unknown_verb.rs", "four unknown verbs on one route"),
    (
        "rowkey/fail/verb_not_served.rs",
        "two verbs the row does not serve",
    ),
    (
        "rowkey/fail/verbs_with_commas.rs",
        "a comma and a semicolon between verbs",
    ),
];

/// One mistake, more than one error: what rustc does that the macros cannot change yet.
const EXCEPTIONS: &[(&str, &str)] = &[
    (
        "provider/fail/client_not_send.rs",
        "rustc checks `Integration::Client`'s `Send` and `Sync` bounds separately, both at `client = …`; \
         a `where` clause making them one error would make every row of the provider fail as well",
    ),
    (
        "provider/fail/deps_not_send_sync.rs",
        "rustc checks `Integration::Deps`'s `Send` and `Sync` bounds separately, both at `deps = …`, \
         for the reason `client_not_send.rs` gives",
    ),
];

/// The lines marked in a case, one entry per `ERROR` (1-based, in order).
fn marks(source: &str) -> Vec<usize> {
    let mut marks = Vec::new();
    for (i, line) in source.lines().enumerate() {
        if let Some((_, mark)) = line.split_once("//~") {
            let n = mark.split_whitespace().filter(|w| *w == "ERROR").count();
            marks.extend(std::iter::repeat_n(i + 1, n));
        }
    }
    marks
}

/// Each error of a `.stderr`, with the line it points at in `case` (`None` when it points
/// elsewhere).
fn errors(stderr: &str, case: &str) -> Vec<Option<usize>> {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let is_error = line.starts_with("error:") || (line.starts_with("error[E") && line.contains("]:"));
        if !is_error {
            continue;
        }
        let location = lines[i + 1..]
            .iter()
            .take(4)
            .find_map(|l| l.trim_start().strip_prefix("--> "));
        let line_no = location.and_then(|loc| {
            let mut parts = loc.rsplitn(3, ':');
            let (_col, line, file) = (parts.next()?, parts.next()?, parts.next()?);
            (file.ends_with(case)).then(|| line.parse().ok()).flatten()
        });
        found.push(line_no);
    }
    found
}

fn fail_cases() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cases = Vec::new();
    for dir in ["auth_registry", "provider", "row", "rowkey"] {
        let fail = root.join(dir).join("fail");
        for entry in fs::read_dir(&fail).expect("a fail/ directory") {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_some_and(|e| e == "rs") {
                let name = format!("{dir}/fail/{}", path.file_name().unwrap().to_string_lossy());
                cases.push((name, path));
            }
        }
    }
    cases.sort();
    cases
}

/// What is wrong with one case, if anything.
fn check(name: &str, source: &str, stderr: &str) -> Option<String> {
    let marks = marks(source);
    let errors = errors(stderr, name);
    let multi = MULTI_MISTAKE.iter().any(|(n, _)| *n == name);
    let exception = EXCEPTIONS.iter().any(|(n, _)| *n == name);
    if marks.is_empty() {
        return Some("no `//~ ERROR` mark on the line of its mistake".to_owned());
    }
    // rustc orders errors by when it finds them, not by line: the first is at a mark,
    // the first mark for an exception.
    let first = errors.first().copied().flatten();
    let first_at_mark = if exception {
        first == Some(marks[0])
    } else {
        first.is_some_and(|line| marks.contains(&line))
    };
    if !first_at_mark {
        return Some(format!(
            "its first error is at line {first:?}, not at a mark ({marks:?})"
        ));
    }
    if exception {
        return (errors.len() < 2)
            .then(|| "listed in EXCEPTIONS but has one error: take it off the list".to_owned());
    }
    if marks.len() > 1 && !multi {
        return Some(format!(
            "{} marks: one mistake per case, or list it in MULTI_MISTAKE with why",
            marks.len()
        ));
    }
    if marks.len() == 1 && multi {
        return Some("listed in MULTI_MISTAKE but marks one mistake: take it off the list".to_owned());
    }
    let mut at: Vec<Option<usize>> = errors.clone();
    at.sort();
    let mut expected: Vec<Option<usize>> = marks.iter().copied().map(Some).collect();
    expected.sort();
    (at != expected).then(|| {
        format!(
            "{} error(s) at lines {at:?}, {} mark(s) at lines {expected:?}: one error per mistake, at its mark",
            errors.len(),
            marks.len()
        )
    })
}

#[test]
fn every_fail_case_has_one_error_per_mistake_at_its_mark() {
    let mut problems = BTreeMap::new();
    let cases = fail_cases();
    for (name, path) in &cases {
        let source = fs::read_to_string(path).expect("the case reads");
        let Ok(stderr) = fs::read_to_string(path.with_extension("stderr")) else {
            problems.insert(name.clone(), "no .stderr".to_owned());
            continue;
        };
        if let Some(problem) = check(name, &source, &stderr) {
            problems.insert(name.clone(), problem);
        }
    }
    for (listed, _) in MULTI_MISTAKE.iter().chain(EXCEPTIONS) {
        if !cases.iter().any(|(name, _)| name == listed) {
            problems.insert(
                (*listed).to_owned(),
                "listed, but there is no such case".to_owned(),
            );
        }
    }
    let report: Vec<String> = problems.iter().map(|(n, p)| format!("{n}: {p}")).collect();
    assert!(report.is_empty(), "\n{}", report.join("\n"));
}

#[test]
fn the_check_counts_errors_and_compares_their_lines_with_the_marks() {
    let source = "fn main() {}\nlet x = 1; //~ ERROR\n";
    let one = "error: bad\n --> row/fail/x.rs:2:5\n  |\n";
    assert_eq!(check("row/fail/x.rs", source, one), None);
    let elsewhere = "error: bad\n --> row/fail/x.rs:1:1\n";
    assert!(
        check("row/fail/x.rs", source, elsewhere)
            .unwrap()
            .contains("first error is at line Some(1), not at a mark")
    );
    let two = format!("{one}\nerror[E0277]: worse\n  --> row/fail/x.rs:2:9\n");
    assert!(
        check("row/fail/x.rs", source, &two)
            .unwrap()
            .contains("2 error(s)")
    );
    let in_another_file = "error: bad\n --> $WORKSPACE/tento/src/lib.rs:2:5\n";
    assert!(check("row/fail/x.rs", source, in_another_file).is_some());
    assert!(
        check("row/fail/x.rs", "fn main() {}\n", one)
            .unwrap()
            .contains("no `//~ ERROR`")
    );
    assert_eq!(marks("a //~ ERROR ERROR\nb\nc //~ ERROR"), [1, 1, 3]);
}
