//! Reading host files as text, and writing a plan all or nothing.
//!
//! Every file the scaffold edits is read through [`read_text`]: UTF-8 or refused with
//! its name, a byte-order mark taken off (so no offset counts it) and put back by
//! `apply` when the file is written.
//!
//! No crate does multi-file transactions, so applying does the next best thing: create
//! the missing directories, write every file to a temporary sibling, then rename each into
//! place. A failure at any step removes the temporaries, puts back every file already
//! replaced (from the plan's `before`), deletes every file created and every directory
//! made, so the host is left byte for byte as it was. Files keep their nature: a new file
//! gets the mode the umask gives, a replaced or restored one its old mode and owner, and a
//! symlink is written through to its target, never replaced by a regular file.

use std::fs::{OpenOptions, Permissions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::plan::FileChange;

/// The byte-order mark some editors put first in a UTF-8 file.
const BOM: &str = "\u{feff}";

/// The text of `path`, without a leading byte-order mark (which `apply` puts back);
/// an error naming the first byte that is not UTF-8 otherwise.
pub fn read_text(path: impl AsRef<Path>) -> io::Result<String> {
    let bytes = std::fs::read(path)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "not UTF-8 text (byte {} is not); the scaffold edits UTF-8 files only: save it as UTF-8",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    Ok(match text.strip_prefix(BOM) {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

/// What an existing file is, beyond its text: kept so a rewrite or a restore of it
/// is the same kind of file.
#[derive(Clone, Debug)]
pub struct Nature {
    permissions: Permissions,
    /// `(uid, gid)`, where the platform has them.
    owner: Option<(u32, u32)>,
    /// Whether the file starts with a byte-order mark.
    bom: bool,
}

impl Nature {
    /// The nature of the file at `path`, `None` when there is none.
    pub fn of(path: &Path) -> Option<Nature> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let owner = {
            use std::os::unix::fs::MetadataExt;
            Some((meta.uid(), meta.gid()))
        };
        #[cfg(not(unix))]
        let owner = None;
        let mut head = [0u8; 3];
        let bom = std::fs::File::open(path)
            .and_then(|mut f| io::Read::read_exact(&mut f, &mut head))
            .is_ok()
            && head == *BOM.as_bytes();
        Some(Nature {
            permissions: meta.permissions(),
            owner,
            bom,
        })
    }

    /// Gives the file at `path` this mode and, where the user may, this owner.
    fn give(&self, path: &Path) -> io::Result<()> {
        std::fs::set_permissions(path, self.permissions.clone())?;
        #[cfg(unix)]
        if let Some((uid, gid)) = self.owner {
            // Only root may give a file away; anyone may keep their own. A file that
            // cannot take its old owner keeps the user's, as any editor would leave it.
            let _ = std::os::unix::fs::chown(path, Some(uid), Some(gid));
        }
        Ok(())
    }

    /// `text` as the file holds it: with the byte-order mark it had.
    fn bytes(&self, text: &str) -> Vec<u8> {
        if self.bom && !text.starts_with(BOM) {
            [BOM.as_bytes(), text.as_bytes()].concat()
        } else {
            text.as_bytes().to_vec()
        }
    }
}

/// The filesystem operations applying a plan needs; a seam so tests can fail any one.
pub trait Filesystem {
    /// Whether `path` exists.
    fn exists(&self, path: &Path) -> bool;
    /// Creates one directory (its parent exists).
    fn create_dir(&mut self, path: &Path) -> io::Result<()>;
    /// Writes `content` to a new temporary file in `dir`, with the nature of `like`
    /// when given, else the mode a new file gets under the umask; returns its path.
    fn write_temp(&mut self, dir: &Path, content: &[u8], like: Option<&Nature>) -> io::Result<PathBuf>;
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
    /// The bytes of a file, to check what was written.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
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

    fn write_temp(&mut self, dir: &Path, content: &[u8], like: Option<&Nature>) -> io::Result<PathBuf> {
        // Opened by hand rather than with `tempfile`, whose files are 0600 whatever the
        // umask: a new file here is a source file like any the user makes.
        for n in 0.. {
            let path = dir.join(format!(".tento-scaffold-{}-{n}.tmp", std::process::id()));
            let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => file,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => continue,
                Err(e) => return Err(e),
            };
            let written = file
                .write_all(content)
                .and_then(|()| like.map_or(Ok(()), |like| like.give(&path)))
                .and_then(|()| file.sync_all());
            return match written {
                Ok(()) => Ok(path),
                Err(e) => {
                    let _ = std::fs::remove_file(&path);
                    Err(e)
                }
            };
        }
        unreachable!("the loop returns")
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

    fn write_temp(&mut self, dir: &Path, content: &[u8], like: Option<&Nature>) -> io::Result<PathBuf> {
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

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.inner.read(path)
    }
}

/// A plan that was refused or could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The plan would write what the real run cannot: refused before any write.
    #[error("{0}; nothing was written")]
    Refused(String),
    /// A step failed; the host was restored (or says which files to check).
    #[error("could not write {path}: {source}{}", restored_note(*.restored))]
    Write {
        /// The file (or directory) whose step failed.
        path: PathBuf,
        /// The failure.
        source: io::Error,
        /// Whether the rollback restored everything.
        restored: bool,
    },
    /// Everything was written, but what was written is wrong; the host was restored.
    #[error("{what}{}", if *.restored { ", so every file was rolled back" } else { "; rolling back failed too, check the files listed" })]
    Verify {
        /// What the check found.
        what: String,
        /// Whether the rollback restored everything.
        restored: bool,
    },
}

impl ApplyError {
    /// Whether the host is as it was before the apply.
    pub fn restored(&self) -> bool {
        match self {
            ApplyError::Refused(_) => true,
            ApplyError::Write { restored, .. } | ApplyError::Verify { restored, .. } => *restored,
        }
    }
}

fn restored_note(restored: bool) -> &'static str {
    if restored {
        "; every file was restored"
    } else {
        "; restoring failed too, check the files listed"
    }
}

/// One change, where it is written and what the file was.
struct Target<'c> {
    change: &'c FileChange,
    /// The path written: a symlink's target, so the link stays a link.
    path: PathBuf,
    /// The file's nature before the plan, `None` for a new file.
    nature: Option<Nature>,
}

impl Target<'_> {
    fn after(&self) -> Vec<u8> {
        match &self.nature {
            Some(n) => n.bytes(&self.change.after),
            None => self.change.after.as_bytes().to_vec(),
        }
    }
}

/// Where `path` is written: the file a symlink points to, through any chain of links.
pub(crate) fn write_path(path: &Path) -> io::Result<PathBuf> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path).map_err(|e| {
            io::Error::new(
                e.kind(),
                "it is a symlink to a file that does not exist; fix or remove the link",
            )
        }),
        _ => Ok(path.to_path_buf()),
    }
}

/// Writes `changes`, checks what was written and then runs `verify`; any failure
/// restores the host.
pub(crate) fn apply(
    fs: &mut dyn Filesystem,
    changes: Vec<&FileChange>,
    verify: &mut dyn FnMut() -> Result<(), String>,
) -> Result<(), ApplyError> {
    let mut targets = Vec::with_capacity(changes.len());
    for change in changes {
        // A deletion removes the entry itself; anything else goes through a link.
        let path = if change.deleted {
            change.path.clone()
        } else {
            write_path(&change.path).map_err(|source| ApplyError::Write {
                path: change.path.clone(),
                source,
                restored: true,
            })?
        };
        let nature = change.before.as_ref().and_then(|_| Nature::of(&path));
        targets.push(Target { change, path, nature });
    }
    let mut undo = Undo::default();
    if let Err((path, source)) = forward(fs, &targets, &mut undo) {
        let restored = undo.roll_back(fs, &targets);
        return Err(ApplyError::Write {
            path,
            source,
            restored,
        });
    }
    if let Err(what) = read_back(fs, &targets).and_then(|()| verify()) {
        let restored = undo.roll_back(fs, &targets);
        return Err(ApplyError::Verify { what, restored });
    }
    Ok(())
}

/// Every file written holds what was meant (that each Rust file of it parses was
/// checked with the plan, [`Plan::check`](crate::plan::Plan::check)).
fn read_back(fs: &dyn Filesystem, targets: &[Target<'_>]) -> Result<(), String> {
    for target in targets.iter().filter(|t| !t.change.deleted) {
        let display = &target.change.display;
        let bytes = fs
            .read(&target.path)
            .map_err(|e| format!("{display} could not be read back after writing: {e}"))?;
        if bytes != target.after() {
            return Err(format!("{display} reads back other than it was written"));
        }
    }
    Ok(())
}

#[derive(Default)]
struct Undo {
    dirs: Vec<PathBuf>,
    temps: Vec<PathBuf>,
    /// Indices of the targets already in place (written or deleted).
    placed: Vec<usize>,
}

fn forward(
    fs: &mut dyn Filesystem,
    targets: &[Target<'_>],
    undo: &mut Undo,
) -> Result<(), (PathBuf, io::Error)> {
    for target in targets {
        for dir in missing_dirs(fs, &target.path) {
            fs.create_dir(&dir).map_err(|e| (dir.clone(), e))?;
            undo.dirs.push(dir);
        }
    }
    let mut staged = Vec::with_capacity(targets.len());
    for (i, target) in targets.iter().enumerate().filter(|(_, t)| !t.change.deleted) {
        let temp = fs
            .write_temp(parent(&target.path), &target.after(), target.nature.as_ref())
            .map_err(|e| (target.change.path.clone(), e))?;
        undo.temps.push(temp.clone());
        staged.push((temp, i));
    }
    for (temp, i) in staged {
        let target = &targets[i];
        fs.rename(&temp, &target.path)
            .map_err(|e| (target.change.path.clone(), e))?;
        undo.temps.retain(|t| *t != temp);
        undo.placed.push(i);
    }
    // Deletions go last, once every write is in place; undoing one writes `before` back.
    for (i, target) in targets.iter().enumerate().filter(|(_, t)| t.change.deleted) {
        fs.delete_file(&target.path)
            .map_err(|e| (target.change.path.clone(), e))?;
        undo.placed.push(i);
    }
    Ok(())
}

impl Undo {
    /// Undoes everything done so far; `false` when some step of the undo failed.
    fn roll_back(self, fs: &mut dyn Filesystem, targets: &[Target<'_>]) -> bool {
        let mut ok = true;
        for temp in &self.temps {
            ok &= fs.remove_file(temp).is_ok();
        }
        for &i in self.placed.iter().rev() {
            let target = &targets[i];
            ok &= match (&target.change.before, &target.nature) {
                (None, _) => fs.remove_file(&target.path).is_ok(),
                (Some(before), nature) => {
                    let bytes = nature
                        .as_ref()
                        .map_or_else(|| before.as_bytes().to_vec(), |n| n.bytes(before));
                    fs.write_temp(parent(&target.path), &bytes, nature.as_ref())
                        .and_then(|temp| fs.rename(&temp, &target.path))
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
            assert!(err.restored(), "step {fail_at}: {err}");
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
            assert!(err.restored(), "step {fail_at}: {err}");
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
