//! The provider's deps, registered in the host's `IntegrationDeps` with one line.

use super::{
    Checking, Cut, Drift, DriftKind, Files, SpotNotFound, Step, Unwiring, WireError, Wiring, append_to_body,
    deps_param, host_deps_types, insert_statement, last_segment, openable, param, paths, write,
};
use crate::host::SourceFile;
use crate::inventory::Provider;
use crate::patch::splice::compact;
use crate::patch::{rust, splice};
use crate::plan::Plan;
use crate::spec::ProviderSpec;

/// The `register::<dyn …BackendDeps>` line.
pub(crate) struct DepsRegistration;

impl Step for DepsRegistration {
    fn add(&self, plan: &mut Plan, cx: &Wiring<'_, '_>) -> Result<(), WireError> {
        register(plan, cx.files, cx.spec)
    }

    fn cuts(&self, cx: &Unwiring<'_, '_>, src: &str, parsed: &rust::Parsed) -> Vec<Cut> {
        let ty = compact(&paths::deps_type(&cx.provider.lib_name, &cx.provider.deps_trait));
        rust::method_calls(parsed, src, "register")
            .into_iter()
            .filter(|call| call.turbofish.as_deref().map(compact).as_deref() == Some(ty.as_str()))
            .map(|call| Cut::statement(src, &call.call))
            .collect()
    }

    fn check(&self, cx: &Checking<'_>, p: &Provider, drifts: &mut Vec<Drift>) {
        let ty = paths::deps_type(&p.lib_name, &p.deps_trait);
        if cx.registers(&compact(&ty)) {
            return;
        }
        drifts.push(Drift {
            kind: DriftKind::Deps,
            provider: p.crate_name.clone(),
            subject: p.kind.clone(),
            file: cx.file_with("&mut IntegrationDeps"),
            fix: paths::deps_registration("integrations", "deps", &ty),
        });
    }
}

/// Plans the `register::<dyn …BackendDeps>` line: after the host's last such line, or
/// at the end of the function that takes `&mut IntegrationDeps` and the host's deps.
/// The line is written, not copied: its receiver and deps are the sibling's when the
/// sibling passes the host's deps as `deps.clone()` (the shape this knows), else the
/// enclosing function's parameter of the host's deps type; with neither, it refuses
/// rather than copy a binding it does not understand.
fn register(plan: &mut Plan, files: &Files<'_>, spec: &ProviderSpec) -> Result<(), WireError> {
    let new_ty = spec.deps_type();
    let registration = format!("register::<{new_ty}>");
    if files.any(plan, |src| src.contains(&registration)) {
        return Ok(());
    }
    let deps_types = host_deps_types(plan, files)?;
    let candidates = files.mentioning(plan, &["register::<"]);
    let placed = match last_registration(files, &candidates)? {
        Some(sibling) => Some(beside(plan, files, &new_ty, &deps_types, sibling)?),
        None => at_end_of_deps_fn(plan, files, &new_ty, &deps_types)?,
    };
    let Some((file, after)) = placed else {
        return Err(SpotNotFound {
            what: "where the host registers deps (a `register::<dyn …BackendDeps>(…)` call, or a function taking `&mut IntegrationDeps` and an `&Arc<…>` of the host's deps)".into(),
            looked_in: files.searched(),
            hint: "register the provider's deps with the line below where the host builds its IntegrationDeps".into(),
            snippet: format!("    {}\n", paths::deps_registration("integrations", "deps", &new_ty)),
        }
        .into());
    };
    write(plan, file, after, format!("deps {}", spec.names.type_name));
    Ok(())
}

/// The host's last `register::<dyn …>` call outside its tests.
struct Sibling<'c, 'h> {
    file: &'h SourceFile,
    /// The file's planned text.
    src: &'c str,
    call: rust::CallSite,
    /// The function holding the call.
    around: Option<rust::FnWithParam>,
}

/// The last registration in `candidates` (host files and their planned text).
fn last_registration<'c, 'h>(
    files: &Files<'_>,
    candidates: &'c [(&'h SourceFile, String)],
) -> Result<Option<Sibling<'c, 'h>>, WireError> {
    let mut last = None;
    for (file, src) in candidates {
        let outline = files.parses.outline(file, src, "register::<dyn")?;
        let (parsed, tests) = &*outline;
        // The text is held by reference: a host's lib.rs may be long, and the calls many.
        let Some(call) = rust::method_calls(parsed, src, "register")
            .into_iter()
            .rev()
            .find(|call| {
                call.turbofish.as_deref().is_some_and(|t| t.starts_with("dyn "))
                    && !rust::within(tests, call.call.start)
            })
        else {
            continue;
        };
        // The function around the call, while its file's parse is at hand (once per
        // file: a host registers a hundred providers).
        let around = rust::fn_around(parsed, src, call.call.start);
        last = Some(Sibling {
            file,
            src,
            call,
            around,
        });
    }
    Ok(last)
}

/// The sibling's file with the registration of `new_ty` on the lines after it. The
/// line is written, not copied: refused when the sibling's receiver or the host's
/// deps cannot be told.
fn beside<'h>(
    plan: &Plan,
    files: &Files<'_>,
    new_ty: &str,
    deps_types: &[String],
    sibling: Sibling<'_, 'h>,
) -> Result<(&'h SourceFile, String), WireError> {
    let Sibling {
        file,
        src,
        call,
        around,
    } = sibling;
    let old_ty = call.turbofish.clone().unwrap_or_default();
    let deps = around.as_ref().and_then(|f| {
        sibling_deps(plan, files, &call, &old_ty, f, deps_types).or_else(|| deps_param(f, deps_types))
    });
    let (Some(receiver), Some(deps)) = (call.receiver.as_deref(), deps) else {
        return Err(unsure_register(files, new_ty, &src[call.call.clone()]).into());
    };
    let lines = rust::statement_lines(src, &call.call);
    let stmt = paths::deps_registration(receiver, &deps, new_ty);
    Ok((file, insert_statement(src, lines.end, lines.start, &stmt, files)))
}

/// A file with the registration of `new_ty` at the end of the function that takes
/// `&mut IntegrationDeps` and the host's deps, for a host registering no deps yet.
fn at_end_of_deps_fn<'h>(
    plan: &Plan,
    files: &Files<'h>,
    new_ty: &str,
    deps_types: &[String],
) -> Result<Option<(&'h SourceFile, String)>, WireError> {
    for (file, src) in files.mentioning(plan, &["IntegrationDeps"]) {
        let outline = files.parses.outline(file, &src, "&mut IntegrationDeps")?;
        let (parsed, tests) = &*outline;
        let found = rust::fns_with_param(parsed, &src, "&mutIntegrationDeps")
            .into_iter()
            .filter(|f| f.returns_unit && !rust::within(tests, f.start))
            .find_map(|f| deps_param(&f, deps_types).map(|deps| (f, deps)));
        let Some((f, deps)) = found else {
            continue;
        };
        let receiver = param(&f, "IntegrationDeps");
        openable(file, &src, &f)?;
        let stmt = paths::deps_registration(&receiver, &deps, new_ty);
        return Ok(Some((file, append_to_body(&src, f.body.clone(), &stmt, files))));
    }
    Ok(None)
}

/// The name the sibling registration passes the host's deps by, when its one argument
/// is in the shape this knows: `name.clone()`, optionally `as Arc<its own type>`, where
/// `name` is bound (a parameter, or a local) to the host's deps and to nothing of the
/// sibling provider's own.
fn sibling_deps(
    plan: &Plan,
    files: &Files<'_>,
    call: &rust::CallSite,
    old_ty: &str,
    around: &rust::FnWithParam,
    deps_types: &[String],
) -> Option<String> {
    let [arg] = call.args.as_slice() else {
        return None;
    };
    let arg = compact(arg);
    let arg = arg
        .strip_suffix(&format!("asArc<{}>", compact(old_ty)))
        .unwrap_or(&arg);
    let name = arg.strip_suffix(".clone()")?;
    // `self.deps.clone()` in a method: the field's declared type decides.
    if let Some(field) = name.strip_prefix("self.")
        && field.chars().all(|c| c.is_alphanumeric() || c == '_')
    {
        let typed = files
            .mentioning(plan, &[&format!("{field}:")])
            .iter()
            .any(|(_, src)| field_holds_deps(src, field, deps_types));
        return typed.then(|| name.to_owned());
    }
    if !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let binding = around.binding(name)?;
    let names_deps = deps_types.iter().any(|d| binding.contains(d.as_str()));
    let names_old =
        binding.contains("dyn ") || binding.contains(last_segment(old_ty.trim_start_matches("dyn ")));
    (names_deps && !names_old).then(|| name.to_owned())
}

/// Whether `src` declares a field `field` (`field: Arc<HostDeps>`, `pub field: …`)
/// holding one of the host's deps types, read from its code (comments and literals
/// aside).
fn field_holds_deps(src: &str, field: &str, deps_types: &[String]) -> bool {
    let code = splice::code_only(src);
    let pattern = format!("{field}:");
    code.match_indices(&pattern).any(|(at, _)| {
        let before = code[..at].trim_end();
        let starts_field = before.ends_with(['{', ',']) || before.ends_with("pub") || before.ends_with(')');
        let ty = code[at + pattern.len()..]
            .split([',', '}'])
            .next()
            .unwrap_or_default();
        starts_field
            && !code[at + pattern.len()..].starts_with(':')
            && super::arc_of(ty).is_some_and(|t| deps_types.iter().any(|d| d == t))
    })
}

/// The refusal when the last registration is in a shape this does not know.
fn unsure_register(files: &Files<'_>, new_ty: &str, sibling: &str) -> SpotNotFound {
    SpotNotFound {
        what: format!(
            "the host's deps in `{}` (a `deps.clone()` of the host's deps type, or a parameter of that type in the function holding it)",
            sibling.split_whitespace().collect::<Vec<_>>().join(" ")
        ),
        looked_in: files.searched(),
        hint: "register the provider's deps beside that line, passing the host's deps".into(),
        snippet: format!(
            "    {}\n",
            paths::deps_registration("integrations", "deps", new_ty)
        ),
    }
}
