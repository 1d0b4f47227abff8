//! Handing the provider's synced rows to the host's orchestrator: one
//! `register_row_with_sync` per row, in the function that registers the others.

use super::deps::{append_to_body, param};
use super::{Files, SpotNotFound, WireError, deps_param, host_deps_types, write};
use crate::patch::rust;
use crate::patch::splice::compact;
use crate::plan::Plan;
use crate::spec::{ProviderSpec, SyncPlugin};

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
pub fn wire(plan: &mut Plan, files: &Files<'_>, spec: &ProviderSpec) -> Result<(), WireError> {
    let lib = &spec.names.lib_name;
    let ty = &spec.names.type_name;
    // A row registered already (by `new`, or by hand) is left alone, so a second run
    // and `add-row` after `new` plan only what is missing.
    let registered = |row: &crate::spec::RowSpec| {
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
    let synced: Vec<_> = spec
        .rows
        .iter()
        .filter(|r| !r.stages.is_empty() && !registered(r))
        .collect();
    if spec.sync_plugin == SyncPlugin::None || synced.is_empty() {
        return Ok(());
    }
    let deps_types = host_deps_types(plan, files)?;
    for (file, src) in files.mentioning(plan, &["Orchestrator"]) {
        let (parsed, tests) = rust::parse_outline_skipping_tests(&file.display, &src, "&mut Orchestrator")?;
        // Parameters by type, never by position: the host's deps are the `Arc` of its
        // deps struct, and the executor the `Arc<dyn SyncExecutor>`.
        let Some(f) = rust::fns_with_param(&parsed, &src, "&mutOrchestrator")
            .into_iter()
            .find(|f| f.returns_unit && !rust::within(&tests, f.start))
        else {
            continue;
        };
        let orchestrator = param(&f, "Orchestrator");
        let executor_param = f
            .params
            .iter()
            .find(|(_, t)| {
                compact(t).contains("Arc<dynSyncExecutor>") || compact(t).contains("::SyncExecutor>")
            })
            .map(|(n, _)| n.clone());
        let deps = deps_param(&f, &deps_types);
        let mut after = src.clone();
        for row in &synced {
            let executor = match (spec.sync_plugin, &executor_param, &deps) {
                (SyncPlugin::Full, _, Some(deps)) => Executor::Provider { deps },
                (SyncPlugin::ProviderOnly, Some(executor), _) => Executor::Host { executor },
                _ => continue,
            };
            let row_ty = row.names.path_in(lib);
            let stmt = registration(&orchestrator, lib, ty, &row_ty, &row.names.module, executor);
            // The first statement goes where the first parse found the body; only later
            // ones need the text parsed again (a long function is costly to parse).
            let body = if after == src {
                super::openable(file, &src, &f)?;
                f.body.clone()
            } else {
                let Ok(reparsed) = rust::parse_tail_outline(&file.display, &after, "&mut Orchestrator")
                else {
                    break;
                };
                let Some(g) = rust::fns_with_param(&reparsed, &after, "&mutOrchestrator")
                    .into_iter()
                    .find(|g| g.name == f.name)
                else {
                    break;
                };
                g.body
            };
            after = append_to_body(&after, body, &stmt, files);
        }
        if after != src {
            write(plan, file, after, format!("sync {}", spec.names.type_name));
            return Ok(());
        }
    }
    let needs = match spec.sync_plugin {
        SyncPlugin::ProviderOnly => {
            "an `&Arc<dyn SyncExecutor>` parameter (the host's executor, e.g. a `tento::sync::DispatchExecutor`)"
        }
        _ => "an `&Arc<…>` parameter of the host's deps",
    };
    let row = synced[0];
    let row_ty = row.names.path_in(lib);
    Err(SpotNotFound {
        what: format!("a function taking `&mut Orchestrator` and {needs}"),
        looked_in: files.searched(),
        hint: "register the rows where the host builds its orchestrator".into(),
        snippet: format!(
            "    orchestrator.register_row_with_sync::<{row_ty}>(\n        Arc::new({lib}::sync_plugin::{ty}SyncProvider::for_row::<{row_ty}>()),\n        executor.clone(),\n    );\n"
        ),
    }
    .into())
}
