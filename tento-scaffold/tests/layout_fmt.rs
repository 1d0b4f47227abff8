//! The statements `patch::layout` lays out without rustfmt come out exactly as rustfmt
//! lays them out: for every provider name up to 24 characters, rows of many lengths
//! (with and without underscores), both executors, depths 1 to 3, under rustfmt's
//! defaults and configs with another `max_width`, hard tabs or other `tab_spaces`.
//! Each config's statements go through one rustfmt run, as a command's snippets do.

use std::path::Path;

use tento_scaffold::names::{ProviderNames, RowNames};
use tento_scaffold::patch::layout::{self, Style};
use tento_scaffold::patch::rustfmt::{Formatter, Snippet, config_file};
use tento_scaffold::plan::Plan;
use tento_scaffold::wire::sync::{Executor, registration};

/// Every registration of the grid, with its depth.
fn registrations() -> Vec<(String, usize)> {
    let mut rows: Vec<String> = (1..=14).map(|n| format!("r{}", "w".repeat(n - 1))).collect();
    rows.extend(["heart-rate", "a-b-c-d", "sleep_score_daily"].map(String::from));
    let mut out = Vec::new();
    for len in 1..=24 {
        let names = ProviderNames::parse(&format!("p{}", "q".repeat(len - 1))).unwrap();
        for row in &rows {
            let row = RowNames::parse(row).unwrap();
            for (orchestrator, executor) in [
                ("orchestrator", Executor::Provider { deps: "deps" }),
                (
                    "o",
                    Executor::Provider {
                        deps: "host_dependencies",
                    },
                ),
                ("orchestrator", Executor::Host { executor: "executor" }),
            ] {
                let row_ty = row.path_in(&names.lib_name);
                let stmt = registration(
                    orchestrator,
                    &names.lib_name,
                    &names.type_name,
                    &row_ty,
                    &row.module,
                    executor,
                );
                for depth in 1..=3 {
                    out.push((stmt.clone(), depth));
                }
            }
        }
    }
    out
}

/// Lays out every statement with rustfmt (config in `dir`) and with `layout`, and
/// compares where `layout` answers; how many it answered.
fn check(dir: &Path, unit: &str) -> usize {
    let style = Style::of_config(config_file(dir).as_deref()).expect("a config layout models");
    let statements = registrations();
    let mut formatter = Formatter::new(dir).always_rustfmt();
    let mut plan = Plan::new("/h");
    for (i, (stmt, depth)) in statements.iter().enumerate() {
        let raw = formatter.snippet(stmt, Snippet::Stmt, *depth, unit);
        plan.modify(format!("/h/{i}.rs"), String::new(), raw, "test");
    }
    formatter.finish(&mut plan);
    let mut answered = 0;
    for (i, (stmt, depth)) in statements.iter().enumerate() {
        let by_rustfmt = plan.content_of(Path::new(&format!("/h/{i}.rs"))).unwrap();
        assert!(
            !by_rustfmt.contains("tento-scaffold: snippet"),
            "rustfmt ran: {by_rustfmt}"
        );
        if let Some(fast) = layout::statement(stmt, *depth, style) {
            let mut fmt = Formatter::new(dir);
            let fast_snippet = fmt.snippet(stmt, Snippet::Stmt, *depth, unit);
            assert_eq!(
                fast_snippet,
                by_rustfmt,
                "depth {depth} under {:?}:\n{stmt}\nlaid out as\n{fast}",
                std::fs::read_to_string(dir.join("rustfmt.toml")).unwrap_or_default()
            );
            answered += 1;
        }
    }
    answered
}

fn config(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    if !text.is_empty() {
        std::fs::write(dir.path().join("rustfmt.toml"), text).unwrap();
    }
    dir
}

#[test]
fn registrations_are_laid_out_as_rustfmt_lays_them_out() {
    let total = registrations().len();
    // rustfmt's defaults: most of the grid is answered without rustfmt.
    let answered = check(config("").path(), "    ");
    eprintln!("defaults: {answered} of {total} laid out without rustfmt");
    assert!(answered * 2 > total, "{answered} of {total}");
    for (text, unit) in [
        ("max_width = 80\n", "    "),
        ("max_width = 90\n", "    "),
        ("hard_tabs = true\n", "\t"),
        ("tab_spaces = 2\nmax_width = 90\n", "  "),
        // A host indenting with two spaces under rustfmt's four keeps its own.
        ("edition = \"2024\"\n", "  "),
    ] {
        let answered = check(config(text).path(), unit);
        eprintln!("{text:?}: {answered} of {total}");
        assert!(answered > 0, "{text}: none of {total}");
    }
}
