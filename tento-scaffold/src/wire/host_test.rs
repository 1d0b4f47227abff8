//! The host's test of the provider, `tests/<kind>.rs`: the host's own proof that the
//! provider syncs through it, written by `new` and deleted by `remove`.

use std::path::PathBuf;

use super::{Files, Removal, Step, Unwiring, WireError, Wiring, plan_file};
use crate::host::Host;
use crate::plan::Plan;
use crate::provider_crate;
use crate::spec::ProviderSpec;
use crate::templates::Templates;

/// The host's test of the provider.
pub(crate) struct HostTest;

impl Step for HostTest {
    fn add(&self, plan: &mut Plan, cx: &Wiring<'_, '_>) -> Result<(), WireError> {
        // The test is the scaffold's, but edits made to it since are the user's.
        if let Some(path) = host_test(plan, cx.files, cx.templates, cx.host, cx.spec)? {
            cx.guarded.borrow_mut().push(path);
        }
        Ok(())
    }

    /// Deletes whichever file `new` marked as the provider's test: the host's own
    /// `tests/<kind>.rs` (its `tests/host.rs`, say) is never the scaffold's to delete.
    fn unwire(&self, removal: &mut Removal, cx: &Unwiring<'_, '_>) -> Result<(), WireError> {
        let Ok(entries) = std::fs::read_dir(cx.host.crate_dir.join("tests")) else {
            return Ok(());
        };
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
                && provider_crate::is_host_test(&before, &cx.provider.kind, &cx.provider.display)
            {
                removal.delete(path.clone(), before, "host test");
            }
        }
        Ok(())
    }
}

/// Plans `tests/<kind>.rs` in the host crate when the host has the shape the test
/// drives (`Host::boot`, `HostUserAuth::connect`): the host's own proof the provider
/// syncs through it. Returns where it goes.
fn host_test(
    plan: &mut Plan,
    files: &Files<'_>,
    templates: &Templates,
    host: &Host,
    spec: &ProviderSpec,
) -> Result<Option<PathBuf>, WireError> {
    let shaped = |needle: &str| host.files.iter().any(|f| f.src.contains(needle));
    if !(shaped("fn boot(") && shaped("fn connect(") && shaped("struct HostUserAuth")) {
        return Ok(None);
    }
    let host_lib = host_lib(host)?;
    let path = host_test_path(plan, host, spec)?;
    plan_file(
        plan,
        &path,
        provider_crate::render_host_test(templates, spec, &host_lib)?,
        "host test",
    )?;
    files.format_file(&path);
    if !templates.has_overrides() {
        plan.prove(&path);
    }
    Ok(Some(path))
}

/// Where the host's test of provider `kind` goes: `tests/<kind>.rs`, or when the host
/// has a file of that name of its own (its `tests/host.rs` for a provider `host`),
/// `tests/<kind>_provider.rs`, then `…_provider_2.rs` and on. A file the scaffold wrote
/// for this provider ([`provider_crate::is_host_test`]) is its own to
/// rewrite; any other is never taken.
fn host_test_path(plan: &Plan, host: &Host, spec: &ProviderSpec) -> Result<PathBuf, WireError> {
    let kind = &spec.names.kind;
    let tests = host.crate_dir.join("tests");
    let names = std::iter::once(kind.to_owned())
        .chain(std::iter::once(format!("{kind}_provider")))
        .chain((2..).map(|n| format!("{kind}_provider_{n}")));
    for name in names {
        let path = tests.join(format!("{name}.rs"));
        if plan.changes().any(|c| c.path == path) {
            continue;
        }
        match crate::fs::read_text(&path) {
            Ok(text) if provider_crate::is_host_test(&text, &spec.names.kind, &spec.display) => {
                return Ok(path);
            }
            Ok(_) => continue,
            Err(e)
                if e.kind() == std::io::ErrorKind::NotFound && std::fs::symlink_metadata(&path).is_err() =>
            {
                return Ok(path);
            }
            // Not text, or a link to nothing: someone's, and refused rather than replaced.
            Err(source) => {
                return Err(WireError::Read {
                    path: host.display(&path),
                    source,
                });
            }
        }
    }
    unreachable!("the names never end")
}

/// The host crate's library name, as its tests `use` it: `[lib] name` when the
/// manifest sets one, else the package name with `-` as `_`.
fn host_lib(host: &Host) -> Result<String, WireError> {
    let host_doc = &host.crate_doc;
    if let Some(lib) = host_doc
        .get("lib")
        .and_then(|l| l.get("name"))
        .and_then(|n| n.as_str())
    {
        return Ok(lib.to_owned());
    }
    let package = host_doc
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .unwrap_or("host");
    Ok(package.replace('-', "_"))
}
