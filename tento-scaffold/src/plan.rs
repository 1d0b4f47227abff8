//! A plan: every file a command will create or change, with its content before and
//! after. Building one reads but never writes, so `--dry-run`, idempotence and tests
//! all go through the same code; [`Plan::apply`] then writes it all or nothing.

use std::path::{Path, PathBuf};

use crate::diff::unified_diff;
use crate::fs::{ApplyError, Filesystem, RealFs, apply, write_path};

/// One file of a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    /// Where the file is.
    pub path: PathBuf,
    /// The path shown to the user (relative to the host).
    pub display: String,
    /// Its content now, `None` when the plan creates it.
    pub before: Option<String>,
    /// Its content after the plan.
    pub after: String,
    /// What the change does, for the status line (`Adding route :~acme:…`).
    pub summary: String,
    /// Whether the plan deletes the file (`after` is then empty).
    pub deleted: bool,
    /// Whether `after` was rendered from the embedded templates (or generated from a
    /// spec) and laid out by rustfmt, which parsed it (or refused the command):
    /// [`Plan::check`] need not.
    pub proven: bool,
}

impl FileChange {
    /// Whether the file is new.
    pub fn is_creation(&self) -> bool {
        self.before.is_none()
    }

    /// Whether applying the change would alter anything.
    pub fn changes_anything(&self) -> bool {
        self.deleted || self.before.as_deref() != Some(self.after.as_str())
    }
}

/// `path` as its components, so two spellings of one path (`a/./b`, `a/b/`) are one key.
fn key(path: &Path) -> PathBuf {
    path.components().collect()
}

/// Every change a command will make, in the order it will make them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    root: PathBuf,
    changes: Vec<FileChange>,
    /// Each change's place in `changes`, by its path's components: steps look up the
    /// planned text of every host file, many times a command.
    index: std::collections::HashMap<PathBuf, usize>,
}

impl Plan {
    /// An empty plan whose paths display relative to `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Plan {
            root: root.into(),
            changes: Vec::new(),
            index: Default::default(),
        }
    }

    /// The directory paths display relative to: the host's root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Plans creating `path` with `content`.
    pub fn create(&mut self, path: impl Into<PathBuf>, content: String, summary: impl Into<String>) {
        self.push(path.into(), None, content, summary.into());
    }

    /// Plans changing `path` from `before` to `after`; a later change to the same file
    /// folds into the earlier one, so a file is written once.
    pub fn modify(
        &mut self,
        path: impl Into<PathBuf>,
        before: String,
        after: String,
        summary: impl Into<String>,
    ) {
        self.push(path.into(), Some(before), after, summary.into());
    }

    /// Plans deleting `path`, whose content is `before`.
    pub fn delete(&mut self, path: impl Into<PathBuf>, before: String, summary: impl Into<String>) {
        self.push(path.into(), Some(before), String::new(), summary.into());
        if let Some(change) = self.changes.last_mut() {
            change.deleted = true;
        }
    }

    fn push(&mut self, path: PathBuf, before: Option<String>, after: String, summary: String) {
        if let Some(existing) = self.change_mut(&path) {
            existing.after = after;
            existing.summary = format!("{}; {summary}", existing.summary);
            return;
        }
        let display = path
            .strip_prefix(&self.root)
            .unwrap_or(&path)
            .display()
            .to_string();
        self.index.insert(key(&path), self.changes.len());
        self.changes.push(FileChange {
            path,
            display,
            before,
            after,
            summary,
            deleted: false,
            proven: false,
        });
    }

    /// Marks the planned content of `path` as parsed by rustfmt when it lays it out
    /// ([`FileChange::proven`]).
    pub fn prove(&mut self, path: &Path) {
        if let Some(change) = self.change_mut(path) {
            change.proven = true;
        }
    }

    /// The current planned content of `path`: what an earlier step of this plan will
    /// leave there, so the next patch of the same file builds on it.
    pub fn content_of(&self, path: &Path) -> Option<&str> {
        let i = *self.index.get(&key(path))?;
        Some(self.changes[i].after.as_str())
    }

    fn change_mut(&mut self, path: &Path) -> Option<&mut FileChange> {
        let i = *self.index.get(&key(path))?;
        Some(&mut self.changes[i])
    }

    /// Replaces the planned content of `path` with `f` of it.
    pub fn update(&mut self, path: &Path, f: impl FnOnce(&str) -> String) {
        if let Some(change) = self.change_mut(path) {
            change.after = f(&change.after);
        }
    }

    /// Replaces each planned content for which `f` returns a new text.
    pub fn update_all(&mut self, mut f: impl FnMut(&str) -> Option<String>) {
        for change in &mut self.changes {
            if let Some(after) = f(&change.after) {
                change.after = after;
            }
        }
    }

    /// The changes that alter something.
    pub fn changes(&self) -> impl Iterator<Item = &FileChange> {
        self.changes.iter().filter(|c| c.changes_anything())
    }

    /// Whether applying the plan would change no byte.
    pub fn is_noop(&self) -> bool {
        self.changes().next().is_none()
    }

    /// The plan as a unified diff, one file after another; coloured when `color`.
    pub fn diff(&self, color: bool) -> String {
        self.changes()
            .map(|c| unified_diff(&c.display, c.before.as_deref(), &c.after, color))
            .collect()
    }

    /// Refuses what writing would fail on or get wrong, so a dry run refuses what the
    /// real run refuses: a file to create where one is, a file name longer than
    /// filesystems take, a symlink to nothing, a read-only file to change, a Rust file
    /// that would not parse.
    pub fn check(&self) -> Result<(), ApplyError> {
        let rust = |c: &FileChange| !c.deleted && !c.proven && c.path.extension().is_some_and(|e| e == "rs");
        let parsed: Vec<(Option<&str>, &str)> = self
            .changes()
            .filter(|c| rust(c))
            .map(|c| (c.before.as_deref(), c.after.as_str()))
            .collect();
        let mut verdicts = crate::verify::parse_each(&parsed).into_iter();
        for change in self.changes() {
            let display = &change.display;
            let rel = change.path.strip_prefix(&self.root).unwrap_or(&change.path);
            if let Some(long) = rel
                .components()
                .map(|c| c.as_os_str().len())
                .find(|n| *n > NAME_MAX)
            {
                return Err(ApplyError::Refused(format!(
                    "file name too long in {display}: {long} bytes where filesystems take {NAME_MAX}; choose a shorter name"
                )));
            }
            // A plan creates only where nothing is: a file there is someone's, and a
            // step that meant to change it plans a modification with its content.
            if change.before.is_none() && std::fs::symlink_metadata(&change.path).is_ok() {
                return Err(ApplyError::Refused(format!(
                    "{display} already exists and is not the scaffold's to replace; move it aside, or choose another name"
                )));
            }
            let target = match write_path(&change.path) {
                Ok(target) => target,
                Err(e) if !change.deleted => return Err(ApplyError::Refused(format!("{display}: {e}"))),
                Err(_) => change.path.clone(),
            };
            // Someone made it read-only: a rename would replace it all the same, so the
            // protection is honoured here instead.
            if change.before.is_some() && std::fs::metadata(&target).is_ok_and(|m| m.permissions().readonly())
            {
                return Err(ApplyError::Refused(format!(
                    "{display} is read-only; make it writable (chmod u+w {display}) for the scaffold to change it"
                )));
            }
            // The verdicts come in the order of the changes they were asked for.
            if rust(change)
                && let Some(Err(e)) = verdicts.next()
            {
                return Err(ApplyError::Refused(format!(
                    "{display}:{}:{} would not parse as Rust after this change: {}; this is a bug in tento-scaffold \
                     or in a template override under .tento/templates, please report it",
                    e.line, e.column, e.message
                )));
            }
        }
        Ok(())
    }

    /// Writes the plan: every file or none. Each file goes to a temporary sibling
    /// first and is renamed into place; a failure part-way restores every file already
    /// written and removes every file and directory created.
    pub fn apply(&self) -> Result<(), ApplyError> {
        self.apply_on(&mut RealFs)
    }

    /// [`apply`](Self::apply), then `verify` the host as written (say, `cargo check`);
    /// on its error every file is restored and the error says why.
    pub fn apply_verified(&self, mut verify: impl FnMut() -> Result<(), String>) -> Result<(), ApplyError> {
        self.check()?;
        apply(&mut RealFs, self.changes().collect(), &mut verify)
    }

    /// [`apply`](Self::apply) on a given filesystem, so tests can inject failures.
    pub fn apply_on(&self, fs: &mut dyn Filesystem) -> Result<(), ApplyError> {
        self.check()?;
        apply(fs, self.changes().collect(), &mut || Ok(()))
    }
}

/// The longest file name (one path component) common filesystems take, in bytes.
const NAME_MAX: usize = 255;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_to_one_file_fold_into_one_write() {
        let mut plan = Plan::new("/h");
        plan.modify("/h/a.rs", "1".into(), "12".into(), "first");
        plan.modify("/h/a.rs", "12".into(), "123".into(), "second");
        plan.create("/h/b.rs", "b".into(), "new");
        let changes: Vec<_> = plan.changes().collect();
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].before.as_deref(), Some("1"));
        assert_eq!(changes[0].after, "123");
        assert_eq!(changes[0].summary, "first; second");
        assert_eq!(changes[0].display, "a.rs");
        assert_eq!(plan.content_of(Path::new("/h/a.rs")), Some("123"));
    }

    #[test]
    fn creating_where_a_file_is_is_refused_before_writing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("mine.rs"), "fn mine() {}\n").unwrap();
        let mut plan = Plan::new(dir.path());
        plan.create(dir.path().join("new.rs"), "fn new() {}\n".into(), "create");
        plan.create(dir.path().join("mine.rs"), "fn ours() {}\n".into(), "create");
        let err = plan.apply().unwrap_err().to_string();
        assert!(err.starts_with("mine.rs already exists"), "{err}");
        assert!(!dir.path().join("new.rs").exists());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("mine.rs")).unwrap(),
            "fn mine() {}\n"
        );
    }

    #[test]
    fn a_change_that_changes_nothing_leaves_the_plan_a_noop() {
        let mut plan = Plan::new("/h");
        plan.modify("/h/a.rs", "same".into(), "same".into(), "nothing");
        assert!(plan.is_noop());
        assert_eq!(plan.diff(false), "");
    }
}
