//! The provider's deps: registered in the host's `IntegrationDeps` with one line, and
//! implemented on the host's deps struct the way the host already implements another
//! provider's, since connector cells are the host's cells.

use super::{Files, SpotNotFound, WireError, depth, write};
use crate::patch::rustfmt::Snippet;
use crate::patch::{rust, splice};
use crate::plan::Plan;
use crate::spec::ProviderSpec;

/// Plans the `register::<dyn …BackendDeps>` line: after the host's last such line, or
/// at the end of the function that takes `&mut IntegrationDeps`.
pub fn register(plan: &mut Plan, files: &Files<'_>, spec: &ProviderSpec) -> Result<(), WireError> {
    let new_ty = spec.deps_type();
    if files.any(plan, |src| src.contains(&format!("register::<{new_ty}>"))) {
        return Ok(());
    }
    let mut last = None;
    let candidates = files.mentioning(plan, &["register::<"]);
    for (file, src) in &candidates {
        let parsed = rust::parse_tail_outline(&file.display, src, "register::<dyn")?;
        // The text is held by reference: a host's lib.rs may be long, and the calls many.
        for call in rust::method_calls(&parsed, src, "register") {
            if call.turbofish.as_deref().is_some_and(|t| t.starts_with("dyn ")) {
                last = Some((*file, src, call));
            }
        }
    }
    if let Some((file, src, call)) = last {
        let lines = rust::statement_lines(src, &call.call);
        let old_ty = call.turbofish.unwrap_or_default();
        let stmt = src[lines.clone()].trim().replace(&old_ty, &new_ty);
        let after = insert_statement(src, lines.end, lines.start, &stmt, files);
        write(plan, file, after, format!("deps {}", spec.names.type_name));
        return Ok(());
    }
    for (file, src) in files.mentioning(plan, &["IntegrationDeps"]) {
        let parsed = rust::parse_tail_outline(&file.display, &src, "&mut IntegrationDeps")?;
        let Some(f) = rust::fns_with_param(&parsed, &src, "&mutIntegrationDeps")
            .into_iter()
            .find(|f| f.returns_unit)
        else {
            continue;
        };
        let receiver = param(&f, "IntegrationDeps");
        let Some(deps) = f
            .params
            .iter()
            .find(|(_, t)| t.contains("Arc<"))
            .map(|(n, _)| n.clone())
        else {
            continue;
        };
        let stmt = format!("{receiver}.register::<{new_ty}>({deps}.clone() as Arc<{new_ty}>);");
        let after = append_to_body(&src, f.body.clone(), &stmt, files);
        write(plan, file, after, format!("deps {}", spec.names.type_name));
        return Ok(());
    }
    Err(SpotNotFound {
        what: "where the host registers deps (a `register::<dyn …BackendDeps>(…)` call, or a function taking `&mut IntegrationDeps` and an `&Arc<…>` of the host's deps)".into(),
        looked_in: files.searched(),
        hint: "register the provider's deps with the line below where the host builds its IntegrationDeps".into(),
        snippet: format!("    integrations.register::<{new_ty}>(deps.clone() as Arc<{new_ty}>);\n"),
    }
    .into())
}

/// Plans the host's `impl …BackendDeps for HostDeps`, its `persist_cells` copied from
/// the impl of the provider before it.
pub fn implement(plan: &mut Plan, files: &Files<'_>, spec: &ProviderSpec) -> Result<(), WireError> {
    let new_trait = spec.connector_path(&format!("{}BackendDeps", spec.names.type_name));
    if files.any(plan, |src| src.contains(&format!("impl {new_trait} for"))) {
        return Ok(());
    }
    let mut last = None;
    for (file, src) in files.mentioning(plan, &["BackendDeps"]) {
        let parsed = rust::parse_tail_outline(&file.display, &src, "BackendDeps for")?;
        for imp in rust::trait_impls(&parsed, &src, "BackendDeps") {
            if let Some((_, method)) = imp.methods.iter().find(|(name, _)| name == "persist_cells") {
                last = Some((
                    file,
                    src.clone(),
                    imp.range.clone(),
                    imp.self_ty.clone(),
                    method.clone(),
                ));
            }
        }
    }
    let Some((file, src, range, self_ty, method)) = last else {
        return implement_over_store(plan, files, spec, &new_trait);
    };
    let unit = splice::indent_unit(&src);
    let impl_indent = splice::indent_at(&src, range.start).to_owned();
    let method_text = dedent(&src[splice::line_start(&src, method.start)..method.end]);
    let item = format!(
        "impl {new_trait} for {self_ty} {{\n{}}}\n",
        splice::block(&method_text, &unit, "\n")
    );
    let text = files.format(&item, Snippet::Item, depth(&impl_indent, &unit), &unit);
    let at = splice::line_end(&src, range.end);
    let after = splice::insert(&src, at, &format!("\n{text}"));
    write(
        plan,
        file,
        after,
        format!("impl {}BackendDeps", spec.names.type_name),
    );
    Ok(())
}

/// A host implementing no provider's seam yet: implement this one over the deps
/// struct's `store` field (a `CellStore`), at the end of the file declaring it.
fn implement_over_store(
    plan: &mut Plan,
    files: &Files<'_>,
    spec: &ProviderSpec,
    new_trait: &str,
) -> Result<(), WireError> {
    let item = |self_ty: &str| {
        format!(
            "/// {display}'s cells are the host's cells: persisting is a store write.\nimpl {new_trait} for {self_ty} {{\n    fn persist_cells<'a>(&'a self, row_id: uuid::Uuid, cells: Vec<tento::connector::Cell>) -> futures::future::BoxFuture<'a, anyhow::Result<()>> {{\n        Box::pin(async move {{ tento::connector::CellStore::put(&*self.store, row_id, cells).await.map(drop) }})\n    }}\n}}\n",
            display = spec.display
        )
    };
    for (file, src) in files.mentioning(plan, &["store"]) {
        let parsed = rust::parse(&file.display, &src)?;
        let Some(self_ty) = rust::structs_with_field(&parsed, "store").into_iter().next() else {
            continue;
        };
        let unit = splice::indent_unit(&src);
        let text = files.format(&item(&self_ty), Snippet::Item, 0, &unit);
        let mut after = src.clone();
        if !after.ends_with('\n') {
            after.push('\n');
        }
        after.push('\n');
        after.push_str(&text);
        write(
            plan,
            file,
            after,
            format!("impl {}BackendDeps", spec.names.type_name),
        );
        return Ok(());
    }
    Err(SpotNotFound {
        what: "the host's deps struct (an `impl …BackendDeps for …` to mirror, or a struct with a `store` field)".into(),
        looked_in: files.searched(),
        hint: "implement the provider's seam on the host's deps struct".into(),
        snippet: item("HostDeps"),
    }
    .into())
}

/// The name of the parameter whose type mentions `ty`.
pub(crate) fn param(f: &rust::FnWithParam, ty: &str) -> String {
    f.params
        .iter()
        .find(|(_, t)| t.contains(ty))
        .map(|(n, _)| n.clone())
        .unwrap_or_default()
}

/// `src` with `stmt` on new lines after byte `at` (a line end), indented like the
/// line starting at `like`.
pub(crate) fn insert_statement(src: &str, at: usize, like: usize, stmt: &str, files: &Files<'_>) -> String {
    let unit = splice::indent_unit(src);
    let indent = splice::indent_at(src, like);
    let text = files.format(stmt, Snippet::Stmt, depth(indent, &unit).max(1), &unit);
    splice::insert(src, at, &text)
}

/// `src` with `stmt` as the last statement of the block whose inside is `body`.
pub(crate) fn append_to_body(
    src: &str,
    body: std::ops::Range<usize>,
    stmt: &str,
    files: &Files<'_>,
) -> String {
    let unit = splice::indent_unit(src);
    let close_indent = splice::indent_at(src, body.end).to_owned();
    let depth = depth(&close_indent, &unit) + 1;
    let text = files.format(stmt, Snippet::Stmt, depth, &unit);
    let close_line = splice::line_start(src, body.end);
    if src[close_line..body.end].trim().is_empty() && src[body.clone()].contains('\n') {
        splice::insert(src, close_line, &text)
    } else {
        // `{}` on one line: open the block.
        let mut out = src.to_owned();
        let inner = src[body.clone()].trim();
        let mut replacement = String::from("\n");
        if !inner.is_empty() {
            replacement.push_str(&format!("{close_indent}{unit}{inner}\n"));
        }
        replacement.push_str(&text);
        replacement.push_str(&close_indent);
        out.replace_range(body, &replacement);
        out
    }
}

/// `text` with the indentation its lines share removed.
fn dedent(text: &str) -> String {
    let common = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|l| {
            if l.len() >= common {
                &l[common..]
            } else {
                l.trim_start()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
