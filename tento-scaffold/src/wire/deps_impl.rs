//! The host's `impl …BackendDeps for HostDeps`, written the way the host already
//! implements another provider's, since connector cells are the host's cells.

use super::{Cut, Files, SpotNotFound, Step, Unwiring, WireError, Wiring, depth, paths, write};
use crate::patch::rustfmt::Snippet;
use crate::patch::splice::compact;
use crate::patch::{rust, splice};
use crate::plan::Plan;
use crate::spec::ProviderSpec;

/// The host's impl of the provider's deps trait.
pub(crate) struct DepsImpl;

impl Step for DepsImpl {
    fn add(&self, plan: &mut Plan, cx: &Wiring<'_, '_>) -> Result<(), WireError> {
        implement(plan, cx.files, cx.spec)
    }

    fn cuts(&self, cx: &Unwiring<'_, '_>, src: &str, parsed: &rust::Parsed) -> Vec<Cut> {
        let p = cx.provider;
        let head = format!("impl{}for", paths::connector_item(&p.lib_name, &p.deps_trait));
        rust::trait_impls(parsed, src, "BackendDeps")
            .into_iter()
            .filter(|imp| compact(&src[imp.range.clone()]).contains(&head))
            .map(|imp| Cut::item(src, imp.range))
            .collect()
    }
}

/// Plans the host's `impl …BackendDeps for HostDeps`, its `persist_cells` copied from
/// the impl of the provider before it.
fn implement(plan: &mut Plan, files: &Files<'_>, spec: &ProviderSpec) -> Result<(), WireError> {
    let new_trait = spec.deps_trait_path();
    let header = format!("impl {new_trait} for");
    if files.any(plan, |src| src.contains(&header)) {
        return Ok(());
    }
    let mut last = None;
    for (file, src) in files.implementing(plan, "BackendDeps") {
        let outline = files.parses.outline(file, &src, "BackendDeps for")?;
        let (parsed, tests) = &*outline;
        for imp in rust::trait_impls(parsed, &src, "BackendDeps") {
            if rust::within(tests, imp.range.start) {
                continue;
            }
            // A body naming its own provider's seam (`ABackendDeps::…`) is no pattern
            // for another provider's.
            let own =
                |method: &std::ops::Range<usize>| compact(&src[method.clone()]).contains(&imp.trait_name);
            if let Some((_, method)) = imp
                .methods
                .iter()
                .find(|(name, m)| name == "persist_cells" && !own(m))
            {
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
    let method_text = dedent(&without_comments(
        &src[splice::line_start(&src, method.start)..method.end],
    ));
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

/// `text` without its `//` comments (doc comments kept): a copied method is the
/// host's pattern, and its comments are about the provider it was written for.
fn without_comments(text: &str) -> String {
    let code = splice::code_only(text);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let end = at + line.len();
        let code_line = &code[at..end];
        let trimmed = line.trim_start();
        let comment = line.find("//").filter(|&i| {
            // A `//` that is no code: the start of a comment, not in a string.
            code_line[i..].trim().is_empty() && !line[i..].starts_with("///") && !line[i..].starts_with("//!")
        });
        match comment {
            Some(i) if line[..i].trim().is_empty() && !trimmed.starts_with("///") => {}
            Some(i) => {
                out.push_str(line[..i].trim_end());
                out.push_str(&line[line.trim_end().len()..]);
            }
            None => out.push_str(line),
        }
        at = end;
    }
    out
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
