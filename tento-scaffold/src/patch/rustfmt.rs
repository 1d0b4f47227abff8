//! Laying out what a command writes with rustfmt, run once per command over all of
//! it, with the host's config and edition, before the plan is shown or written: so a
//! `--dry-run` diff shows the final bytes, a patched host stays `cargo fmt --check`
//! clean, and applying the plan stays all-or-nothing.
//!
//! Only what the command writes is formatted: each file it creates whole, and each
//! snippet it splices into a host file, wrapped in as many blocks as it will sit inside
//! (formatting the host file whole would rewrite the user's own code).
//!
//! When rustfmt is missing the command fails in one line naming `rustup component add
//! rustfmt`, having written nothing. A file the command creates that rustfmt refuses
//! because it is not Rust (only a template override can render one) is left as
//! rendered, for the plan's check to refuse with the line that does not parse; one
//! rustfmt refuses otherwise (a host `rustfmt.toml` it rejects), or one rendered from
//! the embedded templates (which the plan's check trusts, since rustfmt parsed it
//! here), fails the command, naming the file and rustfmt's message, having written
//! nothing. A snippet rustfmt refuses is spliced in as the scaffold wrote it, indented to its
//! place: it is valid code cut from a larger expression that rustfmt cannot parse
//! alone, and no reason to refuse a host the scaffold can wire.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

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

/// Why a plan's new code could not be laid out; the plan is then not shown or written.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// No rustfmt to run.
    #[error(
        "rustfmt was not found (`{program}` could not run); install it with `rustup component add rustfmt` and run again"
    )]
    Missing {
        /// What was run: `rustfmt`, or `$RUSTFMT`.
        program: String,
    },
    /// rustfmt refused a file the command creates.
    #[error(
        "rustfmt could not format {file}: {message}; fix the template override or the host's rustfmt config and run again"
    )]
    Refused {
        /// The file, as the plan names it.
        file: String,
        /// rustfmt's first line about it.
        message: String,
    },
    /// The temporary copy rustfmt works on could not be written or read back.
    #[error("could not lay out the new code in a temporary directory: {0}")]
    Io(#[from] std::io::Error),
}

/// What a job's rustfmt layout is used for.
enum Use {
    /// Spliced in as rustfmt lays it out.
    Layout,
    /// A question about the layout: when rustfmt puts the code on one line, `joined`
    /// (rustfmt's line itself when `None`) replaces `otherwise`; else `otherwise` stays.
    IfOneLine {
        joined: Option<String>,
        otherwise: String,
    },
}

/// A snippet waiting for [`Formatter::finish`].
struct Job {
    code: String,
    kind: Snippet,
    depth: usize,
    unit: String,
    usage: Use,
}

/// Collects every snippet and new file of a plan, and lays them all out with one
/// rustfmt run in [`finish`](Self::finish): rustfmt is a process, and one spawn per
/// snippet would cost more than the rest of a command.
///
/// Until `finish`, a snippet sits in the planned text as its raw code between two
/// marker comments (valid Rust wherever the snippet goes, so later steps still parse
/// the file); `finish` swaps each for rustfmt's layout.
pub struct Formatter {
    config_dir: PathBuf,
    jobs: Vec<Job>,
    files: Vec<PathBuf>,
}

fn marker(id: usize, end: &str) -> String {
    format!("// tento-scaffold: snippet {id} {end}")
}

impl Formatter {
    /// A formatter using the rustfmt config found from `config_dir`, and the edition of
    /// the manifest there for snippets spliced into host files.
    pub fn new(config_dir: &Path) -> Self {
        let config_dir = config_dir
            .ancestors()
            .find(|d| d.is_dir())
            .unwrap_or(config_dir)
            .to_path_buf();
        Formatter {
            config_dir,
            jobs: Vec::new(),
            files: Vec::new(),
        }
    }

    fn placeholder(&mut self, job: Job, raw: &str) -> String {
        let id = self.jobs.len();
        let indent = job.unit.repeat(job.depth);
        self.jobs.push(job);
        format!(
            "{indent}{}\n{raw}{}{indent}{}\n",
            marker(id, "start"),
            if raw.ends_with('\n') { "" } else { "\n" },
            marker(id, "end")
        )
    }

    /// The text to splice for `code`, `depth` levels deep in a file indented with
    /// `unit`: whole lines, ending in a newline.
    pub fn snippet(&mut self, code: &str, kind: Snippet, depth: usize, unit: &str) -> String {
        let raw = super::splice::block(code, &unit.repeat(depth), "\n");
        let job = Job {
            code: code.to_owned(),
            kind,
            depth,
            unit: unit.to_owned(),
            usage: Use::Layout,
        };
        self.placeholder(job, &raw)
    }

    /// The text to splice in place of `otherwise` (whole lines): when rustfmt lays the
    /// statement `code` out on one line, `joined`, or with `None` that line itself;
    /// else `otherwise` as it is. For the rare step whose edit depends on a layout
    /// (`new` and `remove` telling whether a chain would be on one line), asked in the
    /// same rustfmt run as everything else.
    pub fn if_one_line(
        &mut self,
        code: &str,
        depth: usize,
        unit: &str,
        joined: Option<String>,
        otherwise: String,
    ) -> String {
        let job = Job {
            code: code.to_owned(),
            kind: Snippet::Stmt,
            depth,
            unit: unit.to_owned(),
            usage: Use::IfOneLine {
                joined,
                otherwise: otherwise.clone(),
            },
        };
        self.placeholder(job, &otherwise)
    }

    /// Marks a file the plan creates, to be formatted whole.
    pub fn file(&mut self, path: &Path) {
        self.files.push(path.to_path_buf());
    }

    /// Formats every snippet and marked file with one rustfmt run (one per edition,
    /// when the host's crate and a new crate differ in edition) and writes the results
    /// into the plan. Fails, leaving the plan to be dropped, when rustfmt is missing or
    /// refuses a marked file (see the module's doc).
    pub fn finish(self, plan: &mut Plan) -> Result<(), FormatError> {
        if self.jobs.is_empty() && self.files.is_empty() {
            return Ok(());
        }
        let dir = tempfile::tempdir()?;
        let config = config_file(&self.config_dir);
        let mut editions = Editions::new(plan);
        let host_edition = editions.of(&self.config_dir);
        // Snippets that are spliced in and questions about a layout go in two files, so
        // code rustfmt cannot parse alone among the questions costs no snippet its layout.
        let mut snippets = String::new();
        let mut questions = String::new();
        for (id, job) in self.jobs.iter().enumerate() {
            let into = match job.usage {
                Use::Layout => &mut snippets,
                Use::IfOneLine { .. } => &mut questions,
            };
            if let Some(w) = wrap(&job.code, job.kind, job.depth, id) {
                into.push_str(&w);
            }
        }
        let snippets_path = dir.path().join("snippets.rs");
        let questions_path = dir.path().join("questions.rs");
        std::fs::write(&snippets_path, &snippets)?;
        std::fs::write(&questions_path, &questions)?;
        let mut groups: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
        groups
            .entry(host_edition)
            .or_default()
            .extend([snippets_path.clone(), questions_path.clone()]);
        // New files keep their layout under the temporary directory, since rustfmt
        // follows `mod` declarations to the files beside them (all new too).
        let mut copies = Vec::new();
        for file in &self.files {
            let rel: PathBuf = file
                .components()
                .filter(|c| matches!(c, Component::Normal(_)))
                .collect();
            let copy = dir.path().join("files").join(rel);
            if let Some(parent) = copy.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&copy, plan.content_of(file).unwrap_or_default())?;
            copies.push(copy);
        }
        // A file another new file declares as a module is formatted through it: named
        // as well, rustfmt would lay it out twice.
        let reached = reached_through_mods(&copies, |copy| std::fs::read_to_string(copy).ok());
        for (file, copy) in self.files.iter().zip(&copies) {
            if !reached.contains(copy) {
                let edition = editions.of(file.parent().unwrap_or(file));
                groups.entry(edition).or_default().push(copy.clone());
            }
        }
        // A new file rustfmt refuses stays as rendered when it is not Rust at all: the
        // plan's own check then refuses it with the line that does not parse. A file
        // that parses but is refused (a host rustfmt config rustfmt rejects) fails the
        // command here.
        let refuse = |complaint: &Complaint, copy: &Path| {
            // rustfmt names the file it could not parse, which may be a module the
            // file it was given declares.
            let at = complaint
                .at
                .as_deref()
                .filter(|at| copies.iter().any(|c| c == at));
            let i = copies.iter().position(|c| c == at.unwrap_or(copy))?;
            let file = self.files[i].as_path();
            // A proven file (from the embedded templates, or generated from a spec) is
            // not parsed by the plan's check (rustfmt's parse here is its proof), so it
            // is refused here whatever the reason.
            let proven = plan.changes().any(|c| c.path == file && c.proven);
            if !proven && syn::parse_file(plan.content_of(file).unwrap_or_default()).is_err() {
                return None;
            }
            Some(FormatError::Refused {
                file: file
                    .strip_prefix(plan.root())
                    .unwrap_or(file)
                    .display()
                    .to_string(),
                message: complaint.message.clone(),
            })
        };
        let mut refused: Vec<PathBuf> = Vec::new();
        for (edition, paths) in &groups {
            if run_rustfmt(paths, config.as_deref(), edition)?.is_none() {
                continue;
            }
            // Only when the one run fails are the files retried one by one, to tell
            // which rustfmt refused.
            for path in paths {
                if let Some(complaint) = run_rustfmt(std::slice::from_ref(path), config.as_deref(), edition)?
                {
                    if let Some(error) = refuse(&complaint, path) {
                        return Err(error);
                    }
                    refused.push(path.clone());
                }
            }
        }
        let read = |path: &Path| {
            if refused.iter().any(|r| r == path) {
                Ok(String::new())
            } else {
                std::fs::read_to_string(path)
            }
        };
        let formatted_snippets = read(&snippets_path)?;
        let formatted_questions = read(&questions_path)?;
        let laid_out: Vec<Option<String>> = self
            .jobs
            .iter()
            .enumerate()
            .map(|(id, job)| {
                let formatted = match job.usage {
                    Use::Layout => &formatted_snippets,
                    Use::IfOneLine { .. } => &formatted_questions,
                };
                extract(formatted, id).map(|t| reindent(&t, job.depth, &job.unit))
            })
            .collect();
        let mut files = Vec::new();
        for copy in &copies {
            files.push(read(copy)?);
        }
        self.substitute(plan, &laid_out, files);
        Ok(())
    }

    fn substitute(self, plan: &mut Plan, laid_out: &[Option<String>], files: Vec<String>) {
        for (path, formatted) in self.files.iter().zip(files) {
            if !formatted.is_empty() {
                plan.update(path, |_| formatted);
            }
        }
        let Formatter { jobs, .. } = self;
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
                    .filter(|id| *id < jobs.len());
                let Some(id) = started else {
                    out.push_str(line);
                    continue;
                };
                let job = &jobs[id];
                let newline = if line.ends_with("\r\n") { "\r\n" } else { "\n" };
                let layout = laid_out.get(id).cloned().flatten();
                let text = match (&job.usage, layout) {
                    (Use::Layout, Some(t)) => t,
                    (Use::Layout, None) => super::splice::block(&job.code, &job.unit.repeat(job.depth), "\n"),
                    (Use::IfOneLine { joined, .. }, Some(t)) if !t.trim().contains('\n') => {
                        joined.clone().unwrap_or(t)
                    }
                    (Use::IfOneLine { otherwise, .. }, _) => otherwise.clone(),
                };
                out.push_str(&text.replace('\n', newline).replace("\r\r\n", "\r\n"));
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

/// The edition `cargo fmt` would format `dir`'s files with: that of the nearest
/// manifest with a `[package]` (the plan's text of it first, since the manifest may be
/// new), following `edition.workspace = true` up to the workspace; cargo's default
/// 2015 for a package that names none, and 2024 (what the templates use) with no
/// manifest at all.
struct Editions<'p> {
    plan: &'p Plan,
    /// Each manifest read, parsed (`None`: missing or unparseable): a command formats
    /// files of one or two packages, whose manifests are long in a big host.
    manifests: HashMap<PathBuf, Option<toml_edit::DocumentMut>>,
}

impl<'p> Editions<'p> {
    fn new(plan: &'p Plan) -> Self {
        Editions {
            plan,
            manifests: HashMap::new(),
        }
    }

    /// The edition of the package holding `dir`.
    fn of(&mut self, dir: &Path) -> String {
        let mut inherited = false;
        for manifest in dir.ancestors().map(|d| d.join("Cargo.toml")) {
            let plan = self.plan;
            let doc = self.manifests.entry(manifest).or_insert_with_key(|path| {
                let text = match plan.content_of(path) {
                    Some(text) => Some(text.to_owned()),
                    None => std::fs::read_to_string(path).ok(),
                };
                text.and_then(|t| t.parse::<toml_edit::DocumentMut>().ok())
            });
            let Some(doc) = doc else {
                continue;
            };
            if !inherited && let Some(package) = doc.get("package") {
                match package.get("edition") {
                    Some(edition) => match edition.as_str() {
                        Some(edition) => return edition.to_owned(),
                        None => inherited = true,
                    },
                    None => return "2015".to_owned(),
                }
            }
            let workspace = doc.get("workspace").and_then(|w| w.get("package"));
            if inherited
                && let Some(edition) = workspace.and_then(|p| p.get("edition")).and_then(|e| e.as_str())
            {
                return edition.to_owned();
            }
        }
        "2024".to_owned()
    }
}

/// What rustfmt said when it refused a file.
struct Complaint {
    /// Its first error line.
    message: String,
    /// The file that line is about, when it says.
    at: Option<PathBuf>,
}

/// The files among `files` that rustfmt, given another of them, formats anyway: the
/// out-of-line modules (`mod name;`) that one declares, at the paths rustfmt looks in
/// (`name.rs` or `name/mod.rs` beside a `lib.rs`, `main.rs` or `mod.rs`, under
/// `parent/` beside a `parent.rs`). A file holding `#[path` is read as declaring
/// nothing, so a module it moves elsewhere is still named.
fn reached_through_mods(
    files: &[PathBuf],
    read: impl Fn(&Path) -> Option<String>,
) -> std::collections::HashSet<PathBuf> {
    let mut reached = std::collections::HashSet::new();
    for file in files {
        let Some(src) = read(file) else { continue };
        if src.contains("#[path") {
            continue;
        }
        let Some(dir) = file.parent() else { continue };
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let dir = match stem {
            "lib" | "main" | "mod" => dir.to_path_buf(),
            _ => dir.join(stem),
        };
        for name in src.lines().filter_map(declared_mod) {
            for child in [dir.join(format!("{name}.rs")), dir.join(name).join("mod.rs")] {
                if child != *file && files.contains(&child) {
                    reached.insert(child);
                }
            }
        }
    }
    reached
}

/// The module a line declares out of line (`mod name;`, `pub mod name;`,
/// `pub(crate) mod name;`), if it is such a line.
fn declared_mod(line: &str) -> Option<&str> {
    let line = line.trim();
    let rest = match line.strip_prefix("pub") {
        Some(rest) if rest.starts_with('(') => &rest[rest.find(')')? + 1..],
        Some(rest) => rest,
        None => line,
    };
    let name = rest
        .trim_start()
        .strip_prefix("mod ")?
        .trim()
        .strip_suffix(';')?
        .trim();
    let ident = name.strip_prefix("r#").unwrap_or(name);
    (!ident.is_empty() && ident.chars().all(|c| c == '_' || c.is_ascii_alphanumeric())).then_some(name)
}

/// Formats `files` in place with one rustfmt process, with `config` (rustfmt's defaults
/// when there is none) and `edition`: `None` when it ran clean.
fn run_rustfmt(
    files: &[PathBuf],
    config: Option<&Path>,
    edition: &str,
) -> Result<Option<Complaint>, FormatError> {
    let program = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let missing = || FormatError::Missing {
        program: program.to_string_lossy().into_owned(),
    };
    let mut command = Command::new(&program);
    command.args(["--edition", edition, "--quiet"]);
    match config {
        Some(config) => command.arg("--config-path").arg(config),
        // The files sit in a temporary directory: keep rustfmt from finding a config
        // above it that does not apply to the host.
        None => command.arg("--config").arg(format!("edition={edition}")),
    };
    let out = command
        .args(files)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => missing(),
            _ => FormatError::Io(e),
        })?;
    if out.status.success() {
        return Ok(None);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    // rustup's proxy stands in for a rustfmt component that is not installed.
    if stderr.contains("is not installed for the toolchain")
        || stderr.contains("is not installed for toolchain")
    {
        return Err(missing());
    }
    let lines: Vec<&str> = stderr.lines().map(str::trim).collect();
    let first = lines.iter().position(|l| l.starts_with("error"));
    let message = first
        .map(|i| lines[i])
        .or_else(|| lines.iter().copied().find(|l| !l.is_empty()))
        .unwrap_or("it exited with an error")
        .to_owned();
    // `--> path:line:column` under the error line.
    let at = lines[first.unwrap_or(0)..]
        .iter()
        .find_map(|l| l.strip_prefix("--> "))
        .and_then(|l| l.rsplitn(3, ':').nth(2))
        .map(PathBuf::from);
    Ok(Some(Complaint { message, at }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_module_another_new_file_declares_is_not_named_again() {
        let files: Vec<PathBuf> = [
            "c/src/lib.rs",
            "c/src/client.rs",
            "c/src/connector/mod.rs",
            "c/src/connector/sleep/mod.rs",
            "c/src/sync_plugin.rs",
            "c/src/sync_plugin/state.rs",
            "c/src/moved.rs",
            "c/tests/api.rs",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let read = |path: &Path| {
            Some(
                match path.to_str().unwrap() {
                    "c/src/lib.rs" => {
                        "pub mod client;\npub(crate) mod connector;\nmod sync_plugin;\n// mod moved;\n"
                    }
                    "c/src/connector/mod.rs" => "#[cfg(test)]\nmod sleep;\n",
                    "c/src/sync_plugin.rs" => "mod state;\n",
                    _ => "",
                }
                .to_owned(),
            )
        };
        let mut reached: Vec<String> = super::reached_through_mods(&files, read)
            .into_iter()
            .map(|p| p.display().to_string())
            .collect();
        reached.sort();
        assert_eq!(
            reached,
            [
                "c/src/client.rs",
                "c/src/connector/mod.rs",
                "c/src/connector/sleep/mod.rs",
                "c/src/sync_plugin.rs",
                "c/src/sync_plugin/state.rs",
            ]
        );
    }

    #[test]
    fn a_file_moving_its_modules_with_path_declares_none() {
        let files = vec![PathBuf::from("src/lib.rs"), PathBuf::from("src/a.rs")];
        let read = |_: &Path| Some("#[path = \"b.rs\"]\nmod a;\n".to_owned());
        assert!(super::reached_through_mods(&files, read).is_empty());
    }

    use super::*;

    /// Formats one snippet through a plan of one file, as the wiring steps do.
    fn format(code: &str, kind: Snippet, depth: usize, unit: &str, config_dir: &Path) -> String {
        let mut fmt = Formatter::new(config_dir);
        let mut plan = Plan::new("/h");
        let raw = fmt.snippet(code, kind, depth, unit);
        plan.modify("/h/a.rs", String::new(), raw, "test");
        fmt.finish(&mut plan).unwrap();
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
    fn a_snippet_rustfmt_refuses_comes_back_indented_and_new_files_still_format() {
        let dir = tempfile::tempdir().unwrap();
        let mut fmt = Formatter::new(dir.path());
        let mut plan = Plan::new("/h");
        let bad = fmt.snippet("this is not rust", Snippet::Stmt, 1, "  ");
        plan.modify("/h/a.rs", String::new(), bad, "test");
        plan.create("/h/c.rs", "fn  c( ){}\n".into(), "test");
        fmt.file(Path::new("/h/c.rs"));
        fmt.finish(&mut plan).unwrap();
        assert_eq!(
            plan.content_of(Path::new("/h/a.rs")),
            Some("  this is not rust\n")
        );
        assert_eq!(plan.content_of(Path::new("/h/c.rs")), Some("fn c() {}\n"));
    }

    #[test]
    fn a_new_file_that_is_not_rust_stays_as_rendered_for_the_plans_check() {
        let dir = tempfile::tempdir().unwrap();
        let mut fmt = Formatter::new(dir.path());
        let mut plan = Plan::new("/h");
        plan.create("/h/src/bad.rs", "fn (\n".into(), "test");
        plan.create("/h/src/good.rs", "fn  good( ){}\n".into(), "test");
        fmt.file(Path::new("/h/src/bad.rs"));
        fmt.file(Path::new("/h/src/good.rs"));
        fmt.finish(&mut plan).unwrap();
        assert_eq!(plan.content_of(Path::new("/h/src/bad.rs")), Some("fn (\n"));
        assert_eq!(
            plan.content_of(Path::new("/h/src/good.rs")),
            Some("fn good() {}\n")
        );
    }

    #[test]
    fn a_file_from_the_embedded_templates_that_is_not_rust_fails_the_command() {
        let dir = tempfile::tempdir().unwrap();
        let mut fmt = Formatter::new(dir.path());
        let mut plan = Plan::new("/h");
        plan.create("/h/src/bad.rs", "fn (\n".into(), "test");
        plan.prove(Path::new("/h/src/bad.rs"));
        fmt.file(Path::new("/h/src/bad.rs"));
        let err = fmt.finish(&mut plan).unwrap_err().to_string();
        assert!(
            err.starts_with("rustfmt could not format src/bad.rs: error"),
            "{err}"
        );
    }

    #[test]
    fn a_rustfmt_config_rustfmt_rejects_fails_the_command_naming_a_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("rustfmt.toml"), "max_width = \"wide\"\n").unwrap();
        let mut fmt = Formatter::new(dir.path());
        let mut plan = Plan::new("/h");
        plan.create("/h/src/good.rs", "fn good() {}\n".into(), "test");
        fmt.file(Path::new("/h/src/good.rs"));
        let err = fmt.finish(&mut plan).unwrap_err().to_string();
        assert!(err.starts_with("rustfmt could not format src/good.rs: "), "{err}");
        assert!(!err.contains('\n'), "{err}");
    }

    #[test]
    fn a_question_about_a_layout_is_answered_in_the_same_run() {
        let dir = tempfile::tempdir().unwrap();
        let mut fmt = Formatter::new(dir.path());
        let mut plan = Plan::new("/h");
        let broken = "    a\n        .b()\n        .c();\n";
        let joins = fmt.if_one_line("a\n.b()\n.c();", 1, "    ", None, broken.to_owned());
        let long = format!("    {}\n        .b();\n", "x".repeat(98));
        let stays = fmt.if_one_line(long.trim(), 1, "    ", Some("no\n".into()), long.clone());
        plan.modify(
            "/h/a.rs",
            String::new(),
            format!("fn f() {{\n{joins}{stays}}}\n"),
            "test",
        );
        fmt.finish(&mut plan).unwrap();
        assert_eq!(
            plan.content_of(Path::new("/h/a.rs")).unwrap(),
            format!("fn f() {{\n    a.b().c();\n{long}}}\n")
        );
    }

    #[test]
    fn the_edition_is_the_manifests() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path();
        std::fs::create_dir_all(ws.join("host/src")).unwrap();
        std::fs::write(
            ws.join("Cargo.toml"),
            "[workspace]\nmembers = [\"host\"]\n[workspace.package]\nedition = \"2021\"\n",
        )
        .unwrap();
        std::fs::write(
            ws.join("host/Cargo.toml"),
            "[package]\nname = \"host\"\nedition.workspace = true\n",
        )
        .unwrap();
        let plan = Plan::new(ws);
        assert_eq!(Editions::new(&plan).of(&ws.join("host/src")), "2021");
        let mut plan = Plan::new(ws);
        plan.create(
            ws.join("new/Cargo.toml"),
            "[package]\nname = \"new\"\nedition = \"2024\"\n".into(),
            "test",
        );
        assert_eq!(Editions::new(&plan).of(&ws.join("new/src")), "2024");
    }
}
