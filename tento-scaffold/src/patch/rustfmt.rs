//! Laying out inserted code the way `rustfmt` would, so a patched host stays
//! `cargo fmt --check` clean: each snippet is formatted alone, wrapped in as many
//! blocks as it will sit inside, with the host's own `rustfmt.toml`. Whether rustfmt
//! breaks a long call across lines depends on names and depth, so asking it beats
//! guessing.

use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use super::layout::Style;
use crate::plan::Plan;

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

/// A snippet waiting for [`Formatter::finish`].
struct Job {
    code: String,
    kind: Snippet,
    depth: usize,
    unit: String,
}

/// Lays out every snippet and new file of a plan with one rustfmt run: rustfmt is a
/// process, and one spawn per snippet would cost more than the rest of a command.
///
/// Until [`finish`](Self::finish), a snippet sits in the planned text as its raw code
/// between two marker comments (valid Rust wherever the snippet goes, so later steps
/// still parse the file); `finish` swaps each for rustfmt's layout.
pub struct Formatter {
    config_dir: PathBuf,
    /// The host's style, when [`layout`](super::layout) can lay out for it.
    style: Option<Style>,
    jobs: Vec<Job>,
    files: Vec<PathBuf>,
}

fn marker(id: usize, end: &str) -> String {
    format!("// tento-scaffold: snippet {id} {end}")
}

impl Formatter {
    /// A formatter using the rustfmt config found from `config_dir`.
    pub fn new(config_dir: &Path) -> Self {
        let config_dir = config_dir
            .ancestors()
            .find(|d| d.is_dir())
            .unwrap_or(config_dir)
            .to_path_buf();
        Formatter {
            style: Style::of_config(config_file(&config_dir).as_deref()),
            config_dir,
            jobs: Vec::new(),
            files: Vec::new(),
        }
    }

    /// This formatter, sending every snippet to rustfmt: what the fast path is checked
    /// against.
    pub fn always_rustfmt(self) -> Self {
        Formatter { style: None, ..self }
    }

    /// The text to splice for `code`, `depth` levels deep in a file indented with
    /// `unit`: whole lines, ending in a newline.
    pub fn snippet(&mut self, code: &str, kind: Snippet, depth: usize, unit: &str) -> String {
        // A statement whose layout is known needs no rustfmt run (nor a job in one).
        if let (Snippet::Stmt, Some(style), 1..) = (kind, self.style, depth)
            && let Some(text) = super::layout::statement(code, depth, style)
        {
            return reindent(&text, depth, unit);
        }
        let id = self.jobs.len();
        self.jobs.push(Job {
            code: code.to_owned(),
            kind,
            depth,
            unit: unit.to_owned(),
        });
        let indent = unit.repeat(depth);
        format!(
            "{indent}{}\n{}{indent}{}\n",
            marker(id, "start"),
            super::splice::block(code, &indent, "\n"),
            marker(id, "end")
        )
    }

    /// `code` laid out now, by its own rustfmt run: for the rare step that must see a
    /// layout to decide what to write (`remove` telling whether a chain was on one
    /// line). `None` when rustfmt is missing or refuses it.
    pub fn layout_now(&self, code: &str, kind: Snippet, depth: usize, unit: &str) -> Option<String> {
        if let (Snippet::Stmt, Some(style), 1..) = (kind, self.style, depth)
            && let Some(text) = super::layout::statement(code, depth, style)
        {
            return Some(reindent(&text, depth, unit));
        }
        let dir = tempfile::tempdir().ok()?;
        let path = dir.path().join("snippet.rs");
        std::fs::write(&path, wrap(code, kind, depth, 0)?).ok()?;
        if !run_rustfmt(std::slice::from_ref(&path), &self.config_dir) {
            return None;
        }
        let formatted = std::fs::read_to_string(&path).ok()?;
        extract(&formatted, 0).map(|t| reindent(&t, depth, unit))
    }

    /// Marks a file the plan creates, to be formatted whole.
    pub fn file(&mut self, path: &Path) {
        self.files.push(path.to_path_buf());
    }

    /// Formats every snippet and marked file in one rustfmt run and writes the results
    /// into the plan. Where rustfmt is missing or refuses something, that code stays as
    /// written, indented.
    pub fn finish(self, plan: &mut Plan) {
        if self.jobs.is_empty() && self.files.is_empty() {
            return;
        }
        let Ok(dir) = tempfile::tempdir() else {
            return self.substitute(plan, &[], Vec::new());
        };
        let mut wrapped = String::new();
        for (id, job) in self.jobs.iter().enumerate() {
            if let Some(w) = wrap(&job.code, job.kind, job.depth, id) {
                wrapped.push_str(&w);
            }
        }
        let mut paths = vec![dir.path().join("snippets.rs")];
        let mut ok = std::fs::write(&paths[0], &wrapped).is_ok();
        // New files keep their layout under the temporary directory, since rustfmt
        // follows `mod` declarations to the files beside them (all new too).
        for file in &self.files {
            let rel: PathBuf = file
                .components()
                .filter(|c| matches!(c, Component::Normal(_)))
                .collect();
            let path = dir.path().join("files").join(rel);
            ok &= path.parent().is_some_and(|p| std::fs::create_dir_all(p).is_ok())
                && std::fs::write(&path, plan.content_of(file).unwrap_or_default()).is_ok();
            paths.push(path);
        }
        // One process for everything; only when it fails are the files retried one by
        // one, so one refused snippet does not leave the rest unformatted.
        let formatted: Vec<bool> = if !ok {
            vec![false; paths.len()]
        } else if run_rustfmt(&paths, &self.config_dir) {
            vec![true; paths.len()]
        } else {
            paths
                .iter()
                .map(|p| run_rustfmt(std::slice::from_ref(p), &self.config_dir))
                .collect()
        };
        let read = |i: usize| {
            formatted[i]
                .then(|| std::fs::read_to_string(&paths[i]).ok())
                .flatten()
        };
        let formatted_snippets = read(0).unwrap_or_default();
        let jobs: Vec<Option<String>> = (0..self.jobs.len())
            .map(|id| {
                let job = &self.jobs[id];
                extract(&formatted_snippets, id).map(|t| reindent(&t, job.depth, &job.unit))
            })
            .collect();
        let files = (1..paths.len()).map(read).collect();
        self.substitute(plan, &jobs, files)
    }

    fn substitute(self, plan: &mut Plan, jobs: &[Option<String>], files: Vec<Option<String>>) {
        for (path, formatted) in self.files.iter().zip(files) {
            if let Some(formatted) = formatted
                && !formatted.is_empty()
            {
                plan.update(path, |_| formatted);
            }
        }
        let Formatter { jobs: raw, .. } = self;
        plan.update_all(|text| {
            if !text.contains("// tento-scaffold: snippet ") {
                return None;
            }
            let mut out = String::with_capacity(text.len());
            let mut skipping = None;
            for line in text.split_inclusive('\n') {
                let trimmed = line.trim();
                if let Some(id) = skipping {
                    if trimmed == marker(id, "end") {
                        skipping = None;
                        // The placeholder ends the file without a final newline (kept
                        // missing by `splice::keep_final_newline`): so does the snippet.
                        if !line.ends_with('\n') {
                            let kept = out.trim_end_matches(['\r', '\n']).len();
                            out.truncate(kept);
                        }
                    }
                    continue;
                }
                // `// tento-scaffold: snippet <id> start`
                let started = trimmed
                    .strip_prefix("// tento-scaffold: snippet ")
                    .and_then(|rest| rest.strip_suffix(" start"))
                    .and_then(|id| id.parse::<usize>().ok())
                    .filter(|id| *id < raw.len());
                let Some(id) = started else {
                    out.push_str(line);
                    continue;
                };
                let job = &raw[id];
                let newline = if line.ends_with("\r\n") { "\r\n" } else { "\n" };
                let laid_out = match jobs.get(id).cloned().flatten() {
                    Some(t) => t,
                    None => super::splice::block(&job.code, &job.unit.repeat(job.depth), "\n"),
                };
                out.push_str(&laid_out.replace('\n', newline).replace("\r\r\n", "\r\n"));
                skipping = Some(id);
            }
            Some(out)
        });
    }
}

/// The text rustfmt left between snippet `id`'s markers.
fn extract(formatted: &str, id: usize) -> Option<String> {
    let open = marker(id, "start");
    let close = marker(id, "end");
    let start = formatted.find(&open)?;
    let body_start = start + formatted[start..].find('\n')? + 1;
    let end = body_start + formatted[body_start..].find(&close)?;
    let body_end = formatted[..end].rfind('\n').map_or(body_start, |i| i + 1);
    (body_start <= body_end).then(|| formatted[body_start..body_end].to_owned())
}

fn wrap(code: &str, kind: Snippet, depth: usize, id: usize) -> Option<String> {
    let mut out = String::new();
    let name = format!("fn __tento_{id}() {{");
    let module = format!("mod __tento_{id} {{");
    let (opens, closes): (Vec<&str>, Vec<&str>) = match kind {
        Snippet::Item => (vec![module.as_str(); depth], vec!["}"; depth]),
        Snippet::Stmt => {
            let blocks = depth.checked_sub(1)?;
            (
                std::iter::once(name.as_str())
                    .chain(std::iter::repeat_n("{", blocks))
                    .collect(),
                vec!["}"; depth],
            )
        }
        Snippet::Arm => {
            let blocks = depth.checked_sub(2)?;
            (
                std::iter::once(name.as_str())
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
    out.push_str(&marker(id, "start"));
    out.push('\n');
    out.push_str(code);
    if !code.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&marker(id, "end"));
    out.push('\n');
    for close in closes {
        out.push_str(close);
        out.push('\n');
    }
    Some(out)
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
        if first.is_multiple_of(depth) {
            first / depth
        } else {
            0
        }
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

/// The rustfmt config file that applies in `dir`, as rustfmt looks for one.
pub fn config_file(dir: &Path) -> Option<PathBuf> {
    // Look from the nearest directory that exists: `dir` may be about to be created.
    let dir = dir.ancestors().find(|d| d.is_dir()).unwrap_or(dir);
    dir.ancestors()
        .flat_map(|d| [d.join("rustfmt.toml"), d.join(".rustfmt.toml")])
        .find(|f| f.is_file())
}

/// Formats `files` in place with one rustfmt process, with the config that applies in
/// `config_dir` (rustfmt's defaults when there is none); whether it ran clean.
fn run_rustfmt(files: &[PathBuf], config_dir: &Path) -> bool {
    let rustfmt = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let mut command = Command::new(rustfmt);
    command.args(["--edition", "2024", "--quiet"]);
    match config_file(config_dir) {
        Some(config) => command.arg("--config-path").arg(config),
        // The files sit in a temporary directory: keep rustfmt from finding a config
        // above it that does not apply to the host.
        None => command.args(["--config", "edition=2024"]),
    };
    command
        .args(files)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Formats one snippet through a plan of one file, as the wiring steps do.
    fn format(code: &str, kind: Snippet, depth: usize, unit: &str, config_dir: &Path) -> String {
        let mut fmt = Formatter::new(config_dir);
        let mut plan = Plan::new("/h");
        let raw = fmt.snippet(code, kind, depth, unit);
        plan.modify("/h/a.rs", String::new(), raw, "test");
        fmt.finish(&mut plan);
        plan.content_of(Path::new("/h/a.rs")).unwrap().to_owned()
    }

    #[test]
    fn a_long_statement_breaks_as_rustfmt_breaks_it() {
        let dir = tempfile::tempdir().unwrap();
        let code = "integrations.register::<dyn tento_averyveryverylongname::connector::AveryveryverylongnameBackendDeps>(deps.clone() as Arc<dyn tento_averyveryverylongname::connector::AveryveryverylongnameBackendDeps>);";
        let out = format(code, Snippet::Stmt, 1, "    ", dir.path());
        assert!(out.starts_with("    integrations"), "{out}");
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
        std::fs::write(dir.path().join("rustfmt.toml"), "max_width = 40\n").unwrap();
        let out = format(
            "let total = first_value + second_value + third_value;",
            Snippet::Stmt,
            1,
            "    ",
            dir.path(),
        );
        assert!(
            out.lines().count() > 1 && out.lines().all(|l| l.len() <= 40),
            "{out}"
        );
    }

    #[test]
    fn code_rustfmt_refuses_comes_back_indented_and_others_still_format() {
        let dir = tempfile::tempdir().unwrap();
        let mut fmt = Formatter::new(dir.path());
        let mut plan = Plan::new("/h");
        let bad = fmt.snippet("this is not rust", Snippet::Stmt, 1, "  ");
        let good = fmt.snippet("impl A for B {fn f(&self){}}", Snippet::Item, 0, "    ");
        plan.modify("/h/a.rs", String::new(), bad, "test");
        plan.create("/h/b.rs", good, "test");
        plan.create("/h/c.rs", "fn  c( ){}\n".into(), "test");
        fmt.file(Path::new("/h/c.rs"));
        fmt.finish(&mut plan);
        assert_eq!(
            plan.content_of(Path::new("/h/a.rs")),
            Some("  this is not rust\n")
        );
        assert_eq!(plan.content_of(Path::new("/h/c.rs")), Some("fn c() {}\n"));
    }
}
