//! `tento-scaffold remove <provider>`: undoes what `new` and `add-row` wired into the
//! host — members and dependencies, the integration block, the auth line, the deps
//! registration and impl, the sync registrations, the test fakes' stub, the host's
//! test of the provider — as one plan; with `delete_crate`, the crate's files too.
//! Each edit cuts the whole lines `new` inserted, so `new` then `remove` leaves the
//! host's bytes as they were.

use std::ops::Range;
use std::path::PathBuf;

use crate::host::{Host, HostError};
use crate::inventory::Inventory;
use crate::names::ProviderNames;
use crate::patch::rustfmt::Formatter;
use crate::patch::splice::{self, compact};
use crate::patch::{cargo_toml, rust};
use crate::plan::Plan;
use crate::wire::{self, Files, WireError};

/// What `remove` was asked for.
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

/// Plans the removal. Reads, never writes.
pub fn plan(opts: &RemoveOptions) -> Result<Plan, RemoveError> {
    let host = Host::read(&opts.host)?;
    let inventory = Inventory::read(&host)?;
    let wanted = ProviderNames::parse(&opts.provider).ok().map(|n| n.kind);
    let provider = inventory
        .providers
        .iter()
        .find(|p| p.crate_name == opts.provider || Some(&p.kind) == wanted.as_ref())
        .ok_or_else(|| RemoveError::Unknown(opts.provider.clone()))?;
    // Its registrations use the host's own names (`use` lines, aliases), which the
    // cuts below do not follow: cutting some would leave a host that does not build.
    if provider.by_hand {
        return Err(RemoveError::ByHand(provider.crate_name.clone()));
    }
    let lib = &provider.lib_name;
    let deps_ty = format!("dyn {lib}::connector::{}", provider.deps_trait);
    let mut plan = Plan::new(&host.root);
    manifests(&mut plan, &host, &provider.crate_name)?;
    let files = Files::new(&host, Formatter::new(&host.crate_dir));
    for file in &host.files {
        let src = file.src.as_str();
        let mut cuts: Vec<(Range<usize>, bool)> = Vec::new();
        let needs_parse = src.contains(lib.as_str()) || src.contains(&format!("\"{}\"", provider.kind));
        if !needs_parse {
            continue;
        }
        let parsed = rust::parse(&file.display, src)?;
        for block in rust::rowkey_blocks(&parsed) {
            if let Some(r) = integration_block(src, block.body, &provider.marker()) {
                cuts.push((whole_lines(src, r), false));
            }
        }
        for m in rust::macro_items(&parsed, "auth_registry") {
            if let Some(body) = m.inner_body {
                let line = format!("{lib}::connector::{}", provider.auth_type);
                if let Some(at) = src[body.clone()].find(&line) {
                    cuts.push((
                        whole_lines(src, body.start + at..body.start + at + line.len()),
                        false,
                    ));
                }
            }
        }
        for m in rust::kind_matches(&parsed, "UserAuth", "credentials") {
            for (kind, arm) in m.kinds.iter().zip(&m.arms) {
                if *kind == provider.kind {
                    cuts.push((whole_lines(src, arm.clone()), false));
                }
            }
        }
        for call in rust::method_calls(&parsed, src, "register") {
            if call.turbofish.as_deref().map(compact) == Some(compact(&deps_ty)) {
                cuts.push((rust::statement_lines(src, &call.call), true));
            }
        }
        for call in rust::method_calls(&parsed, src, "register_row_with_sync") {
            if call
                .turbofish
                .as_deref()
                .is_some_and(|t| compact(t).starts_with(&format!("{lib}::")))
            {
                cuts.push((rust::statement_lines(src, &call.call), true));
            }
        }
        for imp in rust::trait_impls(&parsed, src, "BackendDeps") {
            if compact(&src[imp.range.clone()])
                .contains(&format!("impl{lib}::connector::{}for", provider.deps_trait))
            {
                cuts.push((item_with_blank_line_above(src, imp.range), false));
            }
        }
        let mut after = cut(src, cuts);
        after = drop_stub(&files, &file.display, &after, &deps_ty)?;
        if after != src {
            wire::write(&mut plan, file, after, format!("unwire {}", provider.crate_name));
        }
    }
    // The host's test of the provider is whichever file `new` marked as it: the host's
    // own `tests/<kind>.rs` (its `tests/host.rs`, say) is never the scaffold's to delete.
    if let Ok(entries) = std::fs::read_dir(host.crate_dir.join("tests")) {
        let mut tests: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        tests.sort();
        // `new` writes a regular file: a link, even to a marked file, is someone's.
        let regular = |p: &&PathBuf| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file());
        for path in tests
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .filter(regular)
        {
            if let Ok(before) = crate::fs::read_text(path)
                && crate::provider_crate::is_host_test(&before, &provider.kind, &provider.display)
            {
                plan.delete(path, before, "host test");
            }
        }
    }
    files.into_formatter().finish(&mut plan)?;
    if opts.delete_crate {
        deletable(&host, provider)?;
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
    }
    Ok(plan)
}

/// Refuses `--delete-crate` on a crate the scaffold did not make, or outside the host:
/// the crate is someone's work, or another checkout's.
fn deletable(host: &Host, provider: &crate::inventory::Provider) -> Result<(), RemoveError> {
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

/// The workspace member and dependency, and the host crate's dependencies.
fn manifests(plan: &mut Plan, host: &Host, crate_name: &str) -> Result<(), RemoveError> {
    let mut root = cargo_toml::parse("Cargo.toml", &host.manifest).map_err(HostError::from)?;
    let members = cargo_toml::members(&root);
    for member in members
        .iter()
        .filter(|m| m.rsplit('/').next() == Some(crate_name))
    {
        cargo_toml::remove_member(&mut root, member);
    }
    cargo_toml::remove_dependency(&mut root, &["workspace", "dependencies"], crate_name);
    plan.modify(
        host.root.join("Cargo.toml"),
        host.manifest.clone(),
        cargo_toml::render(&root, &host.manifest),
        format!("workspace member {crate_name}"),
    );
    let display = host.display(&host.crate_dir.join("Cargo.toml"));
    let mut doc = cargo_toml::parse(&display, &host.crate_manifest).map_err(HostError::from)?;
    cargo_toml::remove_dependency(&mut doc, &["dependencies"], crate_name);
    cargo_toml::remove_dependency(&mut doc, &["dev-dependencies"], crate_name);
    plan.modify(
        host.crate_dir.join("Cargo.toml"),
        host.crate_manifest.clone(),
        cargo_toml::render(&doc, &host.crate_manifest),
        format!("dependency {crate_name}"),
    );
    Ok(())
}

/// The whole lines holding `range`.
fn whole_lines(src: &str, range: Range<usize>) -> Range<usize> {
    splice::line_start(src, range.start)..splice::line_end(src, range.end.saturating_sub(1).max(range.start))
}

/// An item's lines (its doc comments included) and the blank line `new` put above it.
fn item_with_blank_line_above(src: &str, range: Range<usize>) -> Range<usize> {
    let lines = whole_lines(src, range);
    let mut start = lines.start;
    if start > 0 {
        let prev = splice::line_start(src, start - 1);
        if src[prev..start].trim().is_empty() {
            start = prev;
        }
    }
    start..lines.end
}

/// `src` without `cuts` (which may overlap). A cut flagged as a statement `new`
/// appended to a function body that leaves the body empty closes it back to `{}`:
/// `new` opens a one-line `{}` body to add to it (see `wire::deps::append_to_body`)
/// and refuses an empty body that spans lines, so such a body was a `{}`. Other cuts
/// (an integration block in `#[rowkey {⏎}]`, say) leave their block as it is.
fn cut(src: &str, mut cuts: Vec<(Range<usize>, bool)>) -> String {
    cuts.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(src.len());
    let mut at = 0;
    let mut seams = Vec::new();
    for (r, statement) in cuts {
        if r.start > at {
            out.push_str(&src[at..r.start]);
        }
        if statement && r.end > at {
            seams.push(out.len());
        }
        at = at.max(r.end);
    }
    out.push_str(&src[at.min(src.len())..]);
    for seam in seams.into_iter().rev() {
        close_emptied_block(&mut out, seam);
    }
    out
}

/// Turns `{⏎<indent>}` around `seam` (the start of the line after the `{`) into `{}`.
fn close_emptied_block(text: &mut String, seam: usize) {
    let head = &text[..seam];
    let Some(open) = head
        .strip_suffix('\n')
        .map(|h| h.strip_suffix('\r').unwrap_or(h))
        .filter(|h| h.ends_with('{'))
        .map(|h| h.len() - 1)
    else {
        return;
    };
    let rest = &text[seam..];
    let indent = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    if rest[indent..].starts_with('}') {
        text.replace_range(open + 1..seam + indent, "");
    }
}

/// The `[integration = <marker>] { … }` block in a rowkey body: from its `[` to its
/// closing `}`, skipping string literals (whose `{authId}` is no brace of the grammar).
fn integration_block(src: &str, body: Range<usize>, marker: &str) -> Option<Range<usize>> {
    let text = &src[body.clone()];
    let (open, head_end) = crate::wire::rowkey::integration_head(text, marker)?;
    let brace = head_end + text[head_end..].find('{')?;
    let close = splice::closing_delimiter(text, brace)?;
    Some(body.start + open..body.start + close + 1)
}

/// `src` with `.with_stub::<deps_ty>()` taken out of its fakes chain, undone by the
/// rules `new` added it by: a whole line of its own goes with its line; a call
/// starting a line goes with the line break before it; a call inline goes alone.
fn drop_stub(files: &Files<'_>, display: &str, src: &str, deps_ty: &str) -> Result<String, RemoveError> {
    if !src.contains("with_stub") {
        return Ok(src.to_owned());
    }
    let parsed = rust::parse(display, src)?;
    let calls = rust::method_calls(&parsed, src, "with_stub");
    let Some(ours) = calls
        .iter()
        .find(|c| c.turbofish.as_deref().map(compact) == Some(compact(deps_ty)))
    else {
        return Ok(src.to_owned());
    };
    let ty = ours.turbofish_range.clone().unwrap_or_default();
    // From the `.` before `with_stub` to the `)` ending our call.
    let dot = src[..ty.start].rfind(".with_stub").unwrap_or(ty.start);
    let end = ours.call.end;
    let line = splice::line_start(src, dot);
    let line_end = splice::line_end(src, end);
    let mut out = src.to_owned();
    if !src[line..dot].trim().is_empty() {
        out.replace_range(dot..end, "");
        return Ok(out);
    }
    let outer: Vec<&rust::CallSite> = calls
        .iter()
        .filter(|c| c.call.start <= ours.call.start && ours.call.end <= c.call.end)
        .collect();
    let last = outer.iter().all(|c| c.call.end == ours.call.end);
    let cut = if src[end..line_end].trim().is_empty() {
        line..line_end
    } else {
        // Back to the end of the code before: the previous call's `)`.
        src[..line].trim_end().len()..end
    };
    out.replace_range(cut.clone(), "");
    // `new` lays a chain it found on one line out with rustfmt, which breaks it one
    // call per line, and puts its call above the last one in a chain broken by hand
    // that rustfmt would join: a last call taken out of a chain rustfmt joins leaves
    // the chain as it was, on one line.
    if !last {
        return Ok(out);
    }
    let chain_start = outer
        .iter()
        .map(|c| c.call.start)
        .min()
        .unwrap_or(ours.call.start);
    let chain_end = ours.call.end - cut.len().min(ours.call.end - chain_start);
    let chain_end = chain_end.max(chain_start);
    if let Some((region, depth, unit)) = crate::wire::fakes::joinable(&out, chain_start..chain_end) {
        let lines = out[region.clone()].to_owned();
        let text = files.if_one_line(lines.trim(), depth, &unit, None, lines.clone());
        out.replace_range(region, &text);
    }
    Ok(out)
}
