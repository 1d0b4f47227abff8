//! Reading a host: its workspace manifest, its `[workspace.metadata.tento]` config, the
//! host crate and that crate's Rust files. Reading only: every write goes through a
//! [`Plan`](crate::plan::Plan).

use std::path::{Path, PathBuf};

use crate::patch::{cargo_toml, rust};

/// What went wrong reading a host; each message names the problem and the fix.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    /// The directory has no `Cargo.toml`.
    #[error(
        "{0} has no Cargo.toml: pass the host workspace with --host DIR, or create one with `tento-scaffold init DIR`"
    )]
    NoManifest(String),
    /// The manifest has no `[workspace]`.
    #[error(
        "{0} is not a Cargo workspace (no [workspace] table): pass the workspace root with --host DIR, or create one with `tento-scaffold init DIR`"
    )]
    NotWorkspace(String),
    /// A manifest does not parse.
    #[error(transparent)]
    Manifest(#[from] cargo_toml::ManifestError),
    /// A Rust file does not parse.
    #[error(transparent)]
    Rust(#[from] rust::RustError),
    /// No member holds a `#[rowkey]` block.
    #[error(
        "no host crate found in {0}: no workspace member has a #[derive(RowKeySchema)] #[rowkey {{ … }}] block; \
         name it with `host = \"path/to/crate\"` under [workspace.metadata.tento]"
    )]
    NoHostCrate(String),
    /// Several members hold one.
    #[error("several host crates found ({0}); name one with `host = \"…\"` under [workspace.metadata.tento]")]
    SeveralHostCrates(String),
    /// A source file is a symbolic link to nothing.
    #[error(
        "{path} is a symbolic link to {target}, which does not exist: point the link at the file, or remove it"
    )]
    DanglingLink {
        /// The link.
        path: String,
        /// Where it points.
        target: String,
    },
    /// A file could not be read.
    #[error("could not read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// `[workspace.metadata.tento]`: names what the scaffold would otherwise look for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// The host crate's directory, relative to the workspace root.
    pub host: Option<String>,
    /// Where new provider crates go, relative to the workspace root (default: the root).
    pub providers_dir: Option<String>,
    /// The host's Rust files to search for the spots to wire, relative to the workspace
    /// root (default: every file under the host crate's `src/` and `tests/`).
    pub files: Option<Vec<String>>,
}

/// One Rust file of the host crate.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Its path.
    pub path: PathBuf,
    /// Its path relative to the workspace root, for messages.
    pub display: String,
    /// Its text.
    pub src: String,
}

/// A host workspace, read.
#[derive(Debug)]
pub struct Host {
    /// The workspace root.
    pub root: PathBuf,
    /// The root `Cargo.toml`'s text.
    pub manifest: String,
    /// The root `Cargo.toml`, parsed: read once, as several steps look into it.
    pub manifest_doc: toml_edit::DocumentMut,
    /// The config from `[workspace.metadata.tento]`.
    pub config: Config,
    /// The host crate's directory.
    pub crate_dir: PathBuf,
    /// The host crate's `Cargo.toml` text.
    pub crate_manifest: String,
    /// The host crate's `Cargo.toml`, parsed.
    pub crate_doc: toml_edit::DocumentMut,
    /// The host crate's Rust files under `src/` and `tests/`, sorted by path.
    pub files: Vec<SourceFile>,
}

impl Host {
    /// Reads the host workspace at `root`.
    pub fn read(root: &Path) -> Result<Host, HostError> {
        let manifest_path = root.join("Cargo.toml");
        if !manifest_path.is_file() {
            return Err(HostError::NoManifest(root.display().to_string()));
        }
        let manifest = read(&manifest_path, root)?;
        let doc = cargo_toml::parse("Cargo.toml", &manifest)?;
        if !cargo_toml::is_workspace(&doc) {
            return Err(HostError::NotWorkspace(manifest_path.display().to_string()));
        }
        let config = config(&doc);
        let crate_dir = match &config.host {
            Some(host) => root.join(host),
            None => find_host_crate(root, &cargo_toml::members(&doc))?,
        };
        let crate_manifest_path = crate_dir.join("Cargo.toml");
        let crate_manifest = read(&crate_manifest_path, root)?;
        let crate_doc = cargo_toml::parse(&display(&crate_manifest_path, root), &crate_manifest)?;
        // Files are parsed by the steps that look into them, and an unparseable one is
        // refused there, before anything is written.
        let files = match &config.files {
            Some(named) => named
                .iter()
                .map(|name| {
                    let path = root.join(name);
                    Ok(SourceFile {
                        display: display(&path, root),
                        src: read(&path, root)?,
                        path,
                    })
                })
                .collect::<Result<Vec<_>, HostError>>()?,
            None => {
                let mut files = rust_files(&crate_dir.join("src"), root)?;
                if crate_dir.join("tests").is_dir() {
                    files.extend(rust_files(&crate_dir.join("tests"), root)?);
                }
                files
            }
        };
        Ok(Host {
            root: root.to_path_buf(),
            manifest,
            manifest_doc: doc,
            config,
            crate_dir,
            crate_manifest,
            crate_doc,
            files,
        })
    }

    /// Where provider crates go.
    pub fn providers_dir(&self) -> PathBuf {
        match &self.config.providers_dir {
            Some(dir) => self.root.join(dir),
            None => self.root.clone(),
        }
    }

    /// `path` relative to the workspace root, for messages.
    pub fn display(&self, path: &Path) -> String {
        display(path, &self.root)
    }
}

fn config(doc: &toml_edit::DocumentMut) -> Config {
    let table = doc
        .get("workspace")
        .and_then(|w| w.get("metadata"))
        .and_then(|m| m.get("tento"));
    let string = |key: &str| {
        table
            .and_then(|t| t.get(key))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let files = table
        .and_then(|t| t.get("files"))
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect());
    Config {
        host: string("host"),
        providers_dir: string("providers-dir"),
        files,
    }
}

/// The member whose Rust files hold a `#[rowkey]` block.
fn find_host_crate(root: &Path, members: &[String]) -> Result<PathBuf, HostError> {
    let mut found = Vec::new();
    for dir in expand_members(root, members) {
        let files = match rust_files(&dir.join("src"), root) {
            Ok(files) => files,
            // A link to nothing is named, not taken for a member without a block.
            Err(e @ HostError::DanglingLink { .. }) => return Err(e),
            Err(_) => continue,
        };
        let has_block = files.iter().any(|f| {
            f.src.contains("rowkey")
                && rust::parse(&f.display, &f.src).is_ok_and(|p| !rust::rowkey_blocks(&p).is_empty())
        });
        if has_block {
            found.push(dir);
        }
    }
    match found.len() {
        0 => Err(HostError::NoHostCrate(root.display().to_string())),
        1 => Ok(found.remove(0)),
        _ => Err(HostError::SeveralHostCrates(
            found
                .iter()
                .map(|d| display(d, root))
                .collect::<Vec<_>>()
                .join(", "),
        )),
    }
}

/// Member directories, with a trailing `/*` glob expanded.
fn expand_members(root: &Path, members: &[String]) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for member in members {
        match member.strip_suffix("/*") {
            Some(parent) => {
                let Ok(entries) = std::fs::read_dir(root.join(parent)) else {
                    continue;
                };
                let mut found: Vec<_> = entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.join("Cargo.toml").is_file())
                    .collect();
                found.sort();
                dirs.extend(found);
            }
            None => dirs.push(root.join(member)),
        }
    }
    dirs
}

/// The `.rs` files under `src`, links followed: a source file linked in from elsewhere
/// is as much the host's as any, and skipping it would send a step to another file.
fn rust_files(src: &Path, root: &Path) -> Result<Vec<SourceFile>, HostError> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(src).follow_links(true).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(src).to_path_buf();
            match std::fs::read_link(&path) {
                Ok(target) if !path.exists() => HostError::DanglingLink {
                    path: display(&path, root),
                    target: target.display().to_string(),
                },
                _ => HostError::Read {
                    path: display(&path, root),
                    source: e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("filesystem loop")),
                },
            }
        })?;
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        // A linked source file is read through its link (so its items are seen where
        // the compiler sees them); a link to nothing is named, not skipped.
        let is_file = if entry.path_is_symlink() {
            match std::fs::metadata(entry.path()) {
                Ok(meta) => meta.is_file(),
                Err(_) => {
                    return Err(HostError::Read {
                        path: display(entry.path(), root),
                        source: std::io::Error::new(
                            std::io::ErrorKind::NotFound,
                            "it is a symlink to a file that does not exist; fix or remove the link",
                        ),
                    });
                }
            }
        } else {
            entry.file_type().is_file()
        };
        if is_file {
            let path = entry.path().to_path_buf();
            files.push(SourceFile {
                display: display(&path, root),
                src: read(&path, root)?,
                path,
            });
        }
    }
    Ok(files)
}

fn read(path: &Path, root: &Path) -> Result<String, HostError> {
    crate::fs::read_text(path).map_err(|source| HostError::Read {
        path: display(path, root),
        source,
    })
}

fn display(path: &Path, root: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}
