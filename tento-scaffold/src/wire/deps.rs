//! The provider's deps: registered in the host's `IntegrationDeps` with one line, and
//! implemented on the host's deps struct the way the host already implements another
//! provider's, since connector cells are the host's cells.

use super::{Files, SpotNotFound, WireError, deps_param, depth, host_deps_types, last_segment, write};
use crate::patch::rustfmt::Snippet;
use crate::patch::splice::compact;
use crate::patch::{rust, splice};
use crate::plan::Plan;
use crate::spec::ProviderSpec;

/// Plans the `register::<dyn …BackendDeps>` line: after the host's last such line, or
/// at the end of the function that takes `&mut IntegrationDeps` and the host's deps.
/// The line is written, not copied: its receiver and deps are the sibling's when the
/// sibling passes the host's deps as `deps.clone()` (the shape this knows), else the
/// enclosing function's parameter of the host's deps type; with neither, it refuses
/// rather than copy a binding it does not understand.
pub fn register(plan: &mut Plan, files: &Files<'_>, spec: &ProviderSpec) -> Result<(), WireError> {
    let new_ty = spec.deps_type();
    if files.any(plan, |src| src.contains(&format!("register::<{new_ty}>"))) {
        return Ok(());
    }
    let deps_types = host_deps_types(plan, files)?;
    let statement = |receiver: &str, deps: &str| {
        format!("{receiver}.register::<{new_ty}>({deps}.clone() as Arc<{new_ty}>);")
    };
    let mut last = None;
    let mut around = None;
    let candidates = files.mentioning(plan, &["register::<"]);
    for (file, src) in &candidates {
        let (parsed, tests) = rust::parse_outline_skipping_tests(&file.display, src, "register::<dyn")?;
        // The text is held by reference: a host's lib.rs may be long, and the calls many.
        for call in rust::method_calls(&parsed, src, "register") {
            if call.turbofish.as_deref().is_some_and(|t| t.starts_with("dyn "))
                && !rust::within(&tests, call.call.start)
            {
                last = Some((*file, src, call));
            }
        }
        // The function around the last call, while its file's parse is at hand (once
        // per file: a host registers a hundred providers).
        if let Some((f, src, call)) = &last
            && std::ptr::eq(*f, *file)
        {
            around = rust::fn_around(&parsed, src, call.call.start);
        }
    }
    if let Some((file, src, call)) = last {
        let old_ty = call.turbofish.clone().unwrap_or_default();
        let deps = around.as_ref().and_then(|f| {
            sibling_deps(plan, files, &call, &old_ty, f, &deps_types).or_else(|| deps_param(f, &deps_types))
        });
        let (Some(receiver), Some(deps)) = (call.receiver.as_deref(), deps) else {
            return Err(unsure_register(files, &new_ty, &src[call.call.clone()]).into());
        };
        let lines = rust::statement_lines(src, &call.call);
        let after = insert_statement(src, lines.end, lines.start, &statement(receiver, &deps), files);
        write(plan, file, after, format!("deps {}", spec.names.type_name));
        return Ok(());
    }
    for (file, src) in files.mentioning(plan, &["IntegrationDeps"]) {
        let (parsed, tests) =
            rust::parse_outline_skipping_tests(&file.display, &src, "&mut IntegrationDeps")?;
        let found = rust::fns_with_param(&parsed, &src, "&mutIntegrationDeps")
            .into_iter()
            .filter(|f| f.returns_unit && !rust::within(&tests, f.start))
            .find_map(|f| deps_param(&f, &deps_types).map(|deps| (f, deps)));
        let Some((f, deps)) = found else {
            continue;
        };
        let receiver = param(&f, "IntegrationDeps");
        super::openable(file, &src, &f)?;
        let after = append_to_body(&src, f.body.clone(), &statement(&receiver, &deps), files);
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
        snippet: format!("    integrations.register::<{new_ty}>(deps.clone() as Arc<{new_ty}>);\n"),
    }
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
        let (parsed, tests) = rust::parse_outline_skipping_tests(&file.display, &src, "BackendDeps for")?;
        for imp in rust::trait_impls(&parsed, &src, "BackendDeps") {
            if rust::within(&tests, imp.range.start) {
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
