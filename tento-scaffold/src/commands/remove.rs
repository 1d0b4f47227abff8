//! `tento-scaffold remove <provider>`: undoes what `new` and `add-row` wired into the
//! host — members and dependencies, the integration block, the auth line, the deps
//! registration and impl, the sync registrations, the test fakes' stub, the host's
//! test of the provider — as one plan; with `delete_crate`, the crate's files too.
//! Each edit cuts the whole lines `new` inserted, so `new` then `remove` leaves the
//! host's bytes as they were.

use std::path::{Path, PathBuf};

use super::{Context, Mode, finish};
use crate::host::{Host, HostError};
use crate::inventory::{Inventory, Provider};
use crate::names::ProviderNames;
use crate::patch::rust;
use crate::patch::rustfmt::Formatter;
use crate::plan::Plan;
use crate::wire::{Files, Removal, STEPS, Unwiring, WireError, cut, write};

/// `remove`'s command line.
#[derive(clap::Args)]
pub(crate) struct RemoveArgs {
    /// The provider's name or crate.
    provider: String,
    /// The host workspace.
    #[arg(long, default_value = ".")]
    host: PathBuf,
    /// Delete the provider crate's files too.
    #[arg(long)]
    delete_crate: bool,
    /// Print the changes as a diff and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// After writing, run `cargo check` on the host and roll every file back if it fails.
    #[arg(long)]
    verify: bool,
}

impl RemoveArgs {
    /// Plans the removal, then shows or writes it; writing leaves no empty directory
    /// of a deleted crate behind.
    pub(crate) fn run(self, cx: &Context) -> anyhow::Result<()> {
        let mode = Mode::of(self.dry_run, self.verify);
        let opts = RemoveOptions {
            provider: self.provider,
            host: self.host,
            delete_crate: self.delete_crate,
        };
        let plan = plan(&opts)?;
        let crate_dirs: Vec<PathBuf> = plan
            .changes()
            .filter(|c| c.deleted && c.display.ends_with("Cargo.toml"))
            .filter_map(|c| c.path.parent().map(Path::to_path_buf))
            .collect();
        finish(
            &plan,
            mode,
            &cx.status,
            &format!("remove {}", opts.provider),
            true,
        )?;
        if mode != Mode::DryRun {
            crate_dirs.iter().for_each(|d| prune_empty_dirs(d));
        }
        Ok(())
    }
}

/// What `remove` was asked for, as the library takes it.
#[derive(Clone, Debug)]
pub struct RemoveOptions {
    /// The provider, by name or crate.
    pub provider: String,
    /// The host workspace.
    pub host: PathBuf,
    /// Delete the crate's files too.
    pub delete_crate: bool,
}

/// Why `remove` planned nothing.
#[derive(Debug, thiserror::Error)]
pub enum RemoveError {
    /// The host could not be read.
    #[error(transparent)]
    Host(#[from] HostError),
    /// The host does not depend on the provider.
    #[error("the host does not depend on provider `{0}`; `tento-scaffold list` names the ones it has")]
    Unknown(String),
    /// `--delete-crate` on a crate outside the host workspace.
    #[error(
        "{crate_name} is outside the host ({dir}): --delete-crate deletes only crates inside it; \
         run without --delete-crate and delete the crate by hand if you mean to"
    )]
    Outside {
        /// The crate.
        crate_name: String,
        /// Where it is.
        dir: String,
    },
    /// `--delete-crate` on a crate the scaffold did not make.
    #[error(
        "{0} was not created by tento-scaffold (its Cargo.toml has no `scaffolded = true` under \
         [package.metadata.tento]): run without --delete-crate and delete the crate by hand if you mean to"
    )]
    NotScaffolded(String),
    /// A file to delete could not be read (to restore it should the removal fail).
    #[error("could not read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The provider is written by hand: its wiring is the host's own.
    #[error(
        "provider {0} is written by hand (`impl Integration`, no #[tento::provider]), so its wiring is the host's own, named as the host names it: remove it by hand (`tento-scaffold check` lists what refers to it)"
    )]
    ByHand(String),
    /// A host file does not parse.
    #[error(transparent)]
    Wire(#[from] WireError),
    /// rustfmt is missing.
    #[error(transparent)]
    Format(#[from] crate::patch::rustfmt::FormatError),
}

impl From<rust::RustError> for RemoveError {
    fn from(e: rust::RustError) -> Self {
        RemoveError::Wire(e.into())
    }
}

/// Plans the removal: each step of [`wire`](crate::wire) taken out in turn. Reads,
/// never writes.
pub fn plan(opts: &RemoveOptions) -> Result<Plan, RemoveError> {
    let host = Host::read(&opts.host)?;
    let inventory = Inventory::read(&host)?;
    let provider = find(&inventory, &opts.provider)?;
    let files = Files::new(&host, Formatter::new(&host.crate_dir));
    let cx = Unwiring {
        host: &host,
        files: &files,
        provider,
    };
    let mut removal = Removal::new(&host.root);
    for step in STEPS {
        step.unwire(&mut removal, &cx)?;
    }
    cut_sources(&mut removal.plan, &cx)?;
    let mut plan = removal.into_plan();
    files.into_formatter().finish(&mut plan)?;
    if opts.delete_crate {
        delete_crate(&mut plan, &host, provider)?;
    }
    Ok(plan)
}

/// The provider `name` (its crate or kind) in the host, if the scaffold can unwire it.
fn find<'i>(inventory: &'i Inventory, name: &str) -> Result<&'i Provider, RemoveError> {
    let wanted = ProviderNames::parse(name).ok().map(|n| n.kind);
    let provider = inventory
        .providers
        .iter()
        .find(|p| p.crate_name == name || Some(&p.kind) == wanted.as_ref())
        .ok_or_else(|| RemoveError::Unknown(name.to_owned()))?;
    // Its registrations use the host's own names (`use` lines, aliases), which the
    // steps' cuts do not follow: cutting some would leave a host that does not build.
    if provider.by_hand {
        return Err(RemoveError::ByHand(provider.crate_name.clone()));
    }
    Ok(provider)
}

/// Plans every step's cuts in each host file that names the provider.
fn cut_sources(plan: &mut Plan, cx: &Unwiring<'_, '_>) -> Result<(), WireError> {
    let p = cx.provider;
    let kind = format!("\"{}\"", p.kind);
    for file in &cx.host.files {
        let src = file.src.as_str();
        if !src.contains(p.lib_name.as_str()) && !src.contains(&kind) {
            continue;
        }
        let parsed = rust::parse(&file.display, src)?;
        let cuts = STEPS
            .iter()
            .flat_map(|step| step.cuts(cx, src, &parsed))
            .collect();
        let mut after = cut(src, cuts);
        for step in STEPS {
            after = step.uncut(cx, &file.display, after)?;
        }
        if after != src {
            write(plan, file, after, format!("unwire {}", p.crate_name));
        }
    }
    Ok(())
}

/// Plans deleting the crate's files (`--delete-crate`).
fn delete_crate(plan: &mut Plan, host: &Host, provider: &Provider) -> Result<(), RemoveError> {
    deletable(host, provider)?;
    for entry in walkdir::WalkDir::new(&provider.dir).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        // Build output is no source: a crate's own `target/` is left to cargo.
        if entry.path().starts_with(provider.dir.join("target")) || !entry.file_type().is_file() {
            continue;
        }
        let before = crate::fs::read_text(entry.path()).map_err(|source| RemoveError::Read {
            path: host.display(entry.path()),
            source,
        })?;
        plan.delete(entry.path(), before, "crate file");
    }
    Ok(())
}

/// Refuses `--delete-crate` on a crate the scaffold did not make, or outside the host:
/// the crate is someone's work, or another checkout's.
fn deletable(host: &Host, provider: &Provider) -> Result<(), RemoveError> {
    let inside = match (provider.dir.canonicalize(), host.root.canonicalize()) {
        (Ok(dir), Ok(root)) => dir.starts_with(root),
        _ => false,
    };
    if !inside {
        return Err(RemoveError::Outside {
            crate_name: provider.crate_name.clone(),
            dir: provider.dir.display().to_string(),
        });
    }
    let scaffolded = crate::fs::read_text(provider.dir.join("Cargo.toml"))
        .ok()
        .and_then(|text| text.parse::<toml_edit::DocumentMut>().ok())
        .and_then(|doc| {
            doc.get("package")?
                .get("metadata")?
                .get("tento")?
                .get("scaffolded")?
                .as_bool()
        })
        == Some(true);
    if !scaffolded {
        return Err(RemoveError::NotScaffolded(provider.crate_name.clone()));
    }
    Ok(())
}

/// Removes the directories under and including `dir` left empty once a plan deleted
/// their files; a directory still holding anything stays.
pub fn prune_empty_dirs(dir: &std::path::Path) {
    let dirs: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .contents_first(true)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .map(|e| e.into_path())
        .collect();
    for d in dirs {
        // Fails, harmlessly, on a directory that is not empty.
        let _ = std::fs::remove_dir(d);
    }
}
