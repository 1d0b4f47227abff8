//! Writing a plan all or nothing.
//!
//! No crate does multi-file transactions, so this does the next best thing: create the
//! missing directories, write every file to a temporary sibling, then rename each into
//! place. A failure at any step removes the temporaries, puts back every file already
//! replaced (from the plan's `before`), deletes every file created and every directory
//! made, so the host is left byte for byte as it was.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::plan::FileChange;

/// The filesystem operations applying a plan needs; a seam so tests can fail any one.
pub trait Filesystem {
    /// Whether `path` exists.
    fn exists(&self, path: &Path) -> bool;
    /// Creates one directory (its parent exists).
    fn create_dir(&mut self, path: &Path) -> io::Result<()>;
    /// Writes `content` to a new temporary file in `dir`, with the permissions of
    /// `like` when given; returns its path.
    fn write_temp(&mut self, dir: &Path, content: &[u8], like: Option<&Path>) -> io::Result<PathBuf>;
    /// Renames `from` over `to`.
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()>;
    /// Removes a file.
    fn remove_file(&mut self, path: &Path) -> io::Result<()>;
    /// Removes an empty directory.
    fn remove_dir(&mut self, path: &Path) -> io::Result<()>;
    /// Deletes a file a plan deletes (a forward step, unlike the rollback's
    /// [`remove_file`](Self::remove_file)).
    fn delete_file(&mut self, path: &Path) -> io::Result<()> {
        self.remove_file(path)
    }
}

/// The real filesystem.
#[derive(Debug, Default)]
pub struct RealFs;

impl Filesystem for RealFs {
    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    fn create_dir(&mut self, path: &Path) -> io::Result<()> {
        std::fs::create_dir(path)
    }

    fn write_temp(&mut self, dir: &Path, content: &[u8], like: Option<&Path>) -> io::Result<PathBuf> {
        let mut file = tempfile::Builder::new()
            .prefix(".tento-scaffold-")
            .tempfile_in(dir)?;
        file.write_all(content)?;
        file.as_file().sync_all()?;
        if let Some(like) = like {
            let permissions = std::fs::metadata(like)?.permissions();
            std::fs::set_permissions(file.path(), permissions)?;
        }
        let (_, path) = file.keep().map_err(|e| e.error)?;
        Ok(path)
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::rename(from, to)
    }

    fn remove_file(&mut self, path: &Path) -> io::Result<()> {
        std::fs::remove_file(path)
    }

    fn remove_dir(&mut self, path: &Path) -> io::Result<()> {
        std::fs::remove_dir(path)
    }
}

/// A filesystem that fails its `fail_at`-th mutating operation (counting from 0), for
/// proving that every step of an apply rolls back.
pub struct FaultyFs<F> {
    inner: F,
    fail_at: usize,
    steps: usize,
}

impl<F: Filesystem> FaultyFs<F> {
    /// Wraps `inner`, failing its `fail_at`-th mutating operation.
    pub fn new(inner: F, fail_at: usize) -> Self {
        FaultyFs {
            inner,
            fail_at,
            steps: 0,
        }
    }

    /// Mutating operations attempted so far.
    pub fn steps(&self) -> usize {
        self.steps
    }

    fn step(&mut self) -> io::Result<()> {
        let step = self.steps;
        self.steps += 1;
        if step == self.fail_at {
            Err(io::Error::other(format!("injected failure at step {step}")))
        } else {
            Ok(())
        }
    }
}

impl<F: Filesystem> Filesystem for FaultyFs<F> {
    fn exists(&self, path: &Path) -> bool {
        self.inner.exists(path)
    }

    fn create_dir(&mut self, path: &Path) -> io::Result<()> {
        self.step()?;
        self.inner.create_dir(path)
    }

    fn write_temp(&mut self, dir: &Path, content: &[u8], like: Option<&Path>) -> io::Result<PathBuf> {
        self.step()?;
        self.inner.write_temp(dir, content, like)
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        self.step()?;
        self.inner.rename(from, to)
    }

    fn delete_file(&mut self, path: &Path) -> io::Result<()> {
        self.step()?;
        self.inner.remove_file(path)
    }

    // Rollback operations never fail here: the fault under test is in the forward path.
    fn remove_file(&mut self, path: &Path) -> io::Result<()> {
        self.inner.remove_file(path)
    }

    fn remove_dir(&mut self, path: &Path) -> io::Result<()> {
        self.inner.remove_dir(path)
    }
}

/// A plan that could not be written; the host was restored.
#[derive(Debug, thiserror::Error)]
#[error("could not write {path}: {source}{}", if *.restored { "; every file was restored" } else { "; restoring failed too, check the files listed" })]
pub struct ApplyError {
    /// The file (or directory) whose step failed.
    pub path: PathBuf,
    /// The failure.
    pub source: io::Error,
    /// Whether the rollback restored everything.
    pub restored: bool,
}

pub(crate) fn apply(fs: &mut dyn Filesystem, changes: Vec<&FileChange>) -> Result<(), ApplyError> {
    let mut undo = Undo::default();
    match forward(fs, &changes, &mut undo) {
        Ok(()) => Ok(()),
        Err((path, source)) => {
            let restored = undo.roll_back(fs);
            Err(ApplyError {
                path,
                source,
                restored,
            })
        }
    }
}

#[derive(Default)]
struct Undo<'c> {
    dirs: Vec<PathBuf>,
    temps: Vec<PathBuf>,
    placed: Vec<&'c FileChange>,
}

fn forward<'c>(
    fs: &mut dyn Filesystem,
    changes: &[&'c FileChange],
    undo: &mut Undo<'c>,
) -> Result<(), (PathBuf, io::Error)> {
    for change in changes {
        for dir in missing_dirs(fs, &change.path) {
            fs.create_dir(&dir).map_err(|e| (dir.clone(), e))?;
            undo.dirs.push(dir);
        }
    }
    let mut staged = Vec::with_capacity(changes.len());
    for change in changes.iter().filter(|c| !c.deleted) {
        let dir = parent(&change.path);
        let like = change.before.is_some().then_some(change.path.as_path());
        let temp = fs
            .write_temp(dir, change.after.as_bytes(), like)
            .map_err(|e| (change.path.clone(), e))?;
        undo.temps.push(temp.clone());
        staged.push((temp, *change));
    }
    for (temp, change) in staged {
        fs.rename(&temp, &change.path)
            .map_err(|e| (change.path.clone(), e))?;
        undo.temps.retain(|t| *t != temp);
        undo.placed.push(change);
    }
    // Deletions go last, once every write is in place; undoing one writes `before` back.
    for change in changes.iter().filter(|c| c.deleted) {
        fs.delete_file(&change.path)
            .map_err(|e| (change.path.clone(), e))?;
        undo.placed.push(change);
    }
    Ok(())
}

impl Undo<'_> {
    /// Undoes everything done so far; `false` when some step of the undo failed.
    fn roll_back(self, fs: &mut dyn Filesystem) -> bool {
        let mut ok = true;
        for temp in &self.temps {
            ok &= fs.remove_file(temp).is_ok();
        }
        for change in self.placed.iter().rev() {
            ok &= match &change.before {
                None => fs.remove_file(&change.path).is_ok(),
                Some(before) => {
                    let dir = parent(&change.path);
                    // A deleted file has no permissions left to copy.
                    let like = (!change.deleted).then_some(change.path.as_path());
                    fs.write_temp(dir, before.as_bytes(), like)
                        .and_then(|temp| fs.rename(&temp, &change.path))
                        .is_ok()
                }
            };
        }
        for dir in self.dirs.iter().rev() {
            ok &= fs.remove_dir(dir).is_ok();
        }
        ok
    }
}

fn parent(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new("."))
}

/// The ancestors of `path` that do not exist yet, outermost first.
fn missing_dirs(fs: &dyn Filesystem, path: &Path) -> Vec<PathBuf> {
    let mut missing: Vec<PathBuf> = path
        .ancestors()
        .skip(1)
        .take_while(|dir| !dir.as_os_str().is_empty() && !fs.exists(dir))
        .map(Path::to_path_buf)
        .collect();
    missing.reverse();
    missing
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::plan::Plan;

    /// Every file under `root` with its bytes.
    fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        walkdir::WalkDir::new(root)
            .into_iter()
            .map(|e| e.unwrap())
            .map(|e| {
                let bytes = if e.file_type().is_file() {
                    std::fs::read(e.path()).unwrap()
                } else {
                    Vec::new()
                };
                (e.path().strip_prefix(root).unwrap().to_path_buf(), bytes)
            })
            .collect()
    }

    fn plan(root: &Path) -> Plan {
        let mut plan = Plan::new(root);
        let cargo = root.join("Cargo.toml");
        plan.modify(
            &cargo,
            std::fs::read_to_string(&cargo).unwrap(),
            "changed\r\n".into(),
            "edit",
        );
        plan.create(
            root.join("tento-acme/src/lib.rs"),
            "pub fn a() {}\n".into(),
            "create",
        );
        plan.create(root.join("tento-acme/Cargo.toml"), "[package]\n".into(), "create");
        plan
    }

    #[test]
    fn a_plan_applies_whole() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Cargo.toml"), "before\r\n").unwrap();
        plan(dir.path()).apply().unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("Cargo.toml")).unwrap(),
            "changed\r\n"
        );
        assert!(dir.path().join("tento-acme/src/lib.rs").is_file());
        let names: Vec<_> = snapshot(dir.path()).into_keys().collect();
        assert!(
            !names
                .iter()
                .any(|p| p.to_string_lossy().contains(".tento-scaffold-")),
            "{names:?}"
        );
    }

    #[test]
    fn a_failure_at_any_step_leaves_the_tree_byte_identical() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Cargo.toml"), "before\r\n").unwrap();
        let original = snapshot(dir.path());
        // Count the steps of a clean run on a copy of the same tree.
        let probe = tempfile::tempdir().unwrap();
        std::fs::write(probe.path().join("Cargo.toml"), "before\r\n").unwrap();
        let mut counting = FaultyFs::new(RealFs, usize::MAX);
        plan(probe.path()).apply_on(&mut counting).unwrap();
        let steps = counting.steps();
        assert_eq!(
            steps,
            2 + 3 + 3,
            "two directories, three temporaries, three renames"
        );

        for fail_at in 0..steps {
            let err = plan(dir.path())
                .apply_on(&mut FaultyFs::new(RealFs, fail_at))
                .unwrap_err();
            assert!(err.restored, "step {fail_at}: {err}");
            assert_eq!(
                snapshot(dir.path()),
                original,
                "step {fail_at} left the tree changed"
            );
        }
    }

    #[test]
    fn a_failure_at_any_step_of_a_plan_with_deletions_restores_the_deleted_files() {
        let setup = |root: &Path| {
            std::fs::write(root.join("Cargo.toml"), "before\r\n").unwrap();
            std::fs::write(root.join("a.rs"), "a\n").unwrap();
            std::fs::write(root.join("b.rs"), "b\n").unwrap();
        };
        let plan = |root: &Path| {
            let mut plan = Plan::new(root);
            plan.modify(
                root.join("Cargo.toml"),
                "before\r\n".into(),
                "after\n".into(),
                "edit",
            );
            plan.delete(root.join("a.rs"), "a\n".into(), "delete");
            plan.delete(root.join("b.rs"), "b\n".into(), "delete");
            plan
        };
        let dir = tempfile::tempdir().unwrap();
        setup(dir.path());
        let original = snapshot(dir.path());
        for fail_at in 0..4 {
            let err = plan(dir.path())
                .apply_on(&mut FaultyFs::new(RealFs, fail_at))
                .unwrap_err();
            assert!(err.restored, "step {fail_at}: {err}");
            assert_eq!(snapshot(dir.path()), original, "step {fail_at}");
        }
        plan(dir.path()).apply().unwrap();
        assert!(!dir.path().join("a.rs").exists() && !dir.path().join("b.rs").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_modified_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("run");
        std::fs::write(&script, "a").unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut plan = Plan::new(dir.path());
        plan.modify(&script, "a".into(), "b".into(), "edit");
        plan.apply().unwrap();
        assert_eq!(
            std::fs::metadata(&script).unwrap().permissions().mode() & 0o777,
            0o755
        );
    }
}
