//! Handing the provider's synced rows to the host's orchestrator: one
//! `register_row_with_sync` per row, in the function that registers the others.

use super::{
    Checking, Cut, Drift, DriftKind, Files, SpotNotFound, Step, Unwiring, WireError, Wiring, append_to_body,
    deps_param, host_deps_types, openable, param, write,
};
use crate::host::SourceFile;
use crate::inventory::{Provider, Row};
use crate::patch::rust;
use crate::patch::splice::compact;
use crate::plan::Plan;
use crate::spec::{ProviderSpec, RowSpec, SyncPlugin};

/// The orchestrator's registration of each synced row.
pub(crate) struct SyncRegistration;

impl Step for SyncRegistration {
    fn add(&self, plan: &mut Plan, cx: &Wiring<'_, '_>) -> Result<(), WireError> {
        wire(plan, cx.files, cx.spec)
    }

    /// `add-row`'s spec holds the new row alone: registering what is missing of it is
    /// registering the row.
    fn add_row(
        &self,
        plan: &mut Plan,
        cx: &Wiring<'_, '_>,
        _prefix: &str,
        _row: &RowSpec,
    ) -> Result<(), WireError> {
        wire(plan, cx.files, cx.spec)
    }

    fn cuts(&self, cx: &Unwiring<'_, '_>, src: &str, parsed: &rust::Parsed) -> Vec<Cut> {
        let lib = format!("{}::", cx.provider.lib_name);
        rust::method_calls(parsed, src, "register_row_with_sync")
            .into_iter()
            .filter(|call| {
                call.turbofish
                    .as_deref()
                    .is_some_and(|t| compact(t).starts_with(&lib))
            })
            .map(|call| Cut::statement(src, &call.call))
            .collect()
    }

    fn check(&self, cx: &Checking<'_>, p: &Provider, drifts: &mut Vec<Drift>) {
        if !p.sync_plugin {
            return;
        }
        for row in p.rows.iter().filter(|r| !r.stages.is_empty()) {
            if !cx.syncs(&row.path) {
                drifts.push(Drift {
                    kind: DriftKind::Sync,
                    provider: p.crate_name.clone(),
                    subject: row.path.clone(),
                    file: cx.file_with("&mut Orchestrator"),
                    fix: sync_line(p, row),
                });
            }
        }
    }
}

/// Who runs a registered row's stages.
#[derive(Clone, Copy, Debug)]
pub enum Executor<'a> {
    /// The provider's executor, built from the host's deps parameter.
    Provider {
        /// The parameter's name.
        deps: &'a str,
    },
    /// The host's executor parameter (`provider-only`).
    Host {
        /// The parameter's name.
        executor: &'a str,
    },
}

/// The registration, on one line, of the row of type `row_ty` (which the provider's
/// executor knows as `row_module`) of provider `ty` (library `lib`).
pub fn registration(
    orchestrator: &str,
    lib: &str,
    ty: &str,
    row_ty: &str,
    row_module: &str,
    executor: Executor<'_>,
) -> String {
    let executor = match executor {
        Executor::Provider { deps } => {
            format!("Arc::new({lib}::sync_plugin::{ty}SyncExecutor::new({row_module:?}, {deps}.clone()))")
        }
        Executor::Host { executor } => format!("{executor}.clone()"),
    };
    format!(
        "{orchestrator}.register_row_with_sync::<{row_ty}>(Arc::new({lib}::sync_plugin::{ty}SyncProvider::for_row::<{row_ty}>()), {executor});"
    )
}

/// Plans the registrations, at the end of the function that takes `&mut Orchestrator`.
/// With a full sync plugin the executor is the provider's, built from the host's deps;
/// with `provider-only` it is the host's `Arc<dyn SyncExecutor>` parameter (a
/// `tento::sync::DispatchExecutor` that runs `Row::sync`).
fn wire(plan: &mut Plan, files: &Files<'_>, spec: &ProviderSpec) -> Result<(), WireError> {
    let synced = unregistered(plan, files, spec);
    if spec.sync_plugin == SyncPlugin::None || synced.is_empty() {
        return Ok(());
    }
    let deps_types = host_deps_types(plan, files)?;
    for (file, src) in files.mentioning(plan, &["Orchestrator"]) {
        let outline = files.parses.outline(file, &src, "&mut Orchestrator")?;
        let (parsed, tests) = &*outline;
        let Some(f) = rust::fns_with_param(parsed, &src, "&mutOrchestrator")
            .into_iter()
            .find(|f| f.returns_unit && !rust::within(tests, f.start))
        else {
            continue;
        };
        let after = register_in(files, (file, &src), &f, spec, &synced, &deps_types)?;
        if after != src {
            write(plan, file, after, format!("sync {}", spec.names.type_name));
            return Ok(());
        }
    }
    Err(no_orchestrator(files, spec, synced[0]).into())
}

/// The provider's synced rows the host does not register yet. A row registered already
/// (by `new`, or by hand) is left alone, so a second run and `add-row` after `new` plan
/// only what is missing.
fn unregistered<'s>(plan: &Plan, files: &Files<'_>, spec: &'s ProviderSpec) -> Vec<&'s RowSpec> {
    let lib = &spec.names.lib_name;
    let registered = |row: &RowSpec| {
        let row_ty = row.names.path_in(lib);
        let needle = format!("register_row_with_sync::<{row_ty}>");
        // rustfmt may break the turbofish across lines but never the path inside it,
        // so only a file naming the row's type is worth reading without its spaces.
        files.any(plan, |src| {
            src.contains("register_row_with_sync")
                && src.contains(&row_ty)
                && (src.contains(&needle) || compact(src).contains(&needle))
        })
    };
    spec.rows
        .iter()
        .filter(|r| !r.stages.is_empty() && !registered(r))
        .collect()
}

/// `src` with a registration of each of `rows` at the end of `f` (which takes
/// `&mut Orchestrator`); as it was when `f` has no parameter to build the executor from.
fn register_in(
    files: &Files<'_>,
    (file, src): (&SourceFile, &str),
    f: &rust::FnWithParam,
    spec: &ProviderSpec,
    rows: &[&RowSpec],
    deps_types: &[String],
) -> Result<String, WireError> {
    let lib = &spec.names.lib_name;
    let orchestrator = param(f, "Orchestrator");
    // Parameters by type, never by position: the host's deps are the `Arc` of its deps
    // struct, and the executor the `Arc<dyn SyncExecutor>`.
    let executor_param = f
        .params
        .iter()
        .find(|(_, t)| compact(t).contains("Arc<dynSyncExecutor>") || compact(t).contains("::SyncExecutor>"))
        .map(|(n, _)| n.clone());
    let deps = deps_param(f, deps_types);
    let executor = match (spec.sync_plugin, &executor_param, &deps) {
        (SyncPlugin::Full, _, Some(deps)) => Executor::Provider { deps },
        (SyncPlugin::ProviderOnly, Some(executor), _) => Executor::Host { executor },
        _ => return Ok(src.to_owned()),
    };
    // All the rows' statements go in as one snippet: the body is found once, where a
    // statement at a time would parse the (long) function again for each.
    let stmts: Vec<String> = rows
        .iter()
        .map(|row| {
            registration(
                &orchestrator,
                lib,
                &spec.names.type_name,
                &row.names.path_in(lib),
                &row.names.module,
                executor,
            )
        })
        .collect();
    openable(file, src, f)?;
    Ok(append_to_body(src, f.body.clone(), &stmts.join("\n"), files))
}

/// The refusal when no function takes `&mut Orchestrator` and what the executor is
/// built from, with the registration of `row` to add by hand.
fn no_orchestrator(files: &Files<'_>, spec: &ProviderSpec, row: &RowSpec) -> SpotNotFound {
    let lib = &spec.names.lib_name;
    let ty = &spec.names.type_name;
    let needs = match spec.sync_plugin {
        SyncPlugin::ProviderOnly => {
            "an `&Arc<dyn SyncExecutor>` parameter (the host's executor, e.g. a `tento::sync::DispatchExecutor`)"
        }
        _ => "an `&Arc<…>` parameter of the host's deps",
    };
    let row_ty = row.names.path_in(lib);
    SpotNotFound {
        what: format!("a function taking `&mut Orchestrator` and {needs}"),
        looked_in: files.searched(),
        hint: "register the rows where the host builds its orchestrator".into(),
        snippet: format!(
            "    orchestrator.register_row_with_sync::<{row_ty}>(\n        Arc::new({lib}::sync_plugin::{ty}SyncProvider::for_row::<{row_ty}>()),\n        executor.clone(),\n    );\n"
        ),
    }
}

/// A synced row's orchestrator registration, as `new` writes it. A provider written by
/// hand builds its sync provider and executor its own way, which this cannot know:
/// its line names them for the user to fill in rather than guess a constructor.
fn sync_line(p: &Provider, row: &Row) -> String {
    if p.by_hand {
        return format!(
            "orchestrator.register_row_with_sync::<{}>(/* {}'s sync provider for the row */, /* its executor */);",
            row.path, p.crate_name
        );
    }
    let executor = if p.executor {
        Executor::Provider { deps: "deps" }
    } else {
        Executor::Host { executor: "executor" }
    };
    let module = row.modules.join("::");
    registration(
        "orchestrator",
        &p.lib_name,
        &p.type_name,
        &row.path,
        &module,
        executor,
    )
}
