//! The host's test fakes: where a host builds a `FakeRowKeyDeps`, every in-tree
//! provider's stub deps are registered, so the new provider's is added to the chain.

use std::ops::Range;

use super::{Files, Step, Unwiring, WireError, Wiring, depth, paths, write};
use crate::patch::rustfmt::Snippet;
use crate::patch::splice::compact;
use crate::patch::{rust, splice};
use crate::plan::Plan;
use crate::spec::ProviderSpec;

/// The provider's stub deps in the host's test fakes.
pub(crate) struct Fakes;

impl Step for Fakes {
    fn add(&self, plan: &mut Plan, cx: &Wiring<'_, '_>) -> Result<(), WireError> {
        wire(plan, cx.files, cx.spec)
    }

    fn uncut(&self, cx: &Unwiring<'_, '_>, display: &str, src: String) -> Result<String, WireError> {
        let p = cx.provider;
        drop_stub(
            cx.files,
            display,
            &src,
            &paths::deps_type(&p.lib_name, &p.deps_trait),
        )
    }
}

/// A fakes chain: its file, that file's planned text, and the chain's bytes.
type Chain<'h> = (&'h crate::host::SourceFile, String, std::ops::Range<usize>);

/// The host's fakes constructor (a function returning `FakeRowKeyDeps`, as the seeds'
/// `FakeRowKeyDeps::new()`), with its text and the range of the chain to extend: the
/// last `with_stub` call in it, or its `FakeRowKeyDeps::new()`. Tests that build their
/// own fakes inline are theirs, and left alone.
fn constructor<'h>(plan: &Plan, files: &Files<'h>) -> Result<Option<Chain<'h>>, WireError> {
    for (file, src) in files.mentioning_with_tests(plan, &["-> FakeRowKeyDeps"]) {
        let parsed = files.parses.tail(file, &src, "-> FakeRowKeyDeps")?;
        for body in rust::fn_bodies_returning(&parsed, "FakeRowKeyDeps") {
            let inside = |r: &std::ops::Range<usize>| body.start <= r.start && r.end <= body.end;
            // The chain's last call is its outermost: every call of a chain starts
            // where the chain does, so the last chain's widest call.
            let stub = rust::method_calls(&parsed, &src, "with_stub")
                .into_iter()
                .map(|c| c.call)
                .filter(inside)
                .max_by_key(|c| (c.start, c.end));
            let new = rust::path_calls(&parsed, &["FakeRowKeyDeps", "new"])
                .into_iter()
                .rfind(inside);
            if let Some(call) = stub.or(new) {
                return Ok(Some((file, src, call)));
            }
        }
    }
    Ok(None)
}

/// The question for rustfmt whether the chain `chain` spans (one call per line) would
/// be laid out on one line: the lines it is on, and the depth and indent unit to ask it
/// at. `None` when it surely would not: a chain on one line already, or one too long
/// for a line.
fn joinable(src: &str, chain: std::ops::Range<usize>) -> Option<(Range<usize>, usize, String)> {
    let region = splice::line_start(src, chain.start)..splice::line_end(src, chain.end);
    let text = &src[region.clone()];
    let one_line: String = text.lines().map(str::trim).collect();
    let indent = splice::indent_at(src, region.start);
    let unit = splice::indent_unit(src);
    if !text.trim().contains('\n') || indent.len() + one_line.len() > 100 {
        return None;
    }
    let depth = depth(indent, &unit).max(1);
    Some((region, depth, unit))
}

/// Whether the host has a fakes constructor (and so needs each provider's `testing`
/// feature in its dev-dependencies).
pub(crate) fn present(plan: &Plan, files: &Files<'_>) -> bool {
    matches!(constructor(plan, files), Ok(Some(_)))
}

/// Plans `.with_stub::<dyn …BackendDeps>()` at the end of the fakes constructor's
/// chain, when the host has one.
fn wire(plan: &mut Plan, files: &Files<'_>, spec: &ProviderSpec) -> Result<(), WireError> {
    let Some((file, src, call)) = constructor(plan, files)? else {
        return Ok(());
    };
    if src.contains(&format!("with_stub::<{}>", spec.deps_type())) {
        return Ok(());
    }
    let stub = format!(".with_stub::<{}>()", spec.deps_type());
    let newline = splice::newline_of(&src);
    // A chain already one call per line gets a line of its own: after the last call,
    // or, when that call's line ends in a comment (which would then follow the new
    // call), as a whole line above it. `remove` cuts it the same way.
    let last_dot = src[..call.end].rfind(".with_stub");
    if let Some(dot) =
        last_dot.filter(|&d| d >= call.start && src[splice::line_start(&src, d)..d].trim().is_empty())
    {
        let line = splice::line_start(&src, dot);
        let indent = splice::indent_at(&src, dot).to_owned();
        let rest = &src[call.end..splice::line_end(&src, call.end)];
        let commented = splice::code_only(rest).trim().len() < rest.trim().len();
        // A chain broken by hand where rustfmt would join it gets its line above the
        // last call too: a last call on its own line is what `remove` reads as rustfmt's
        // breaking of a chain that was on one line.
        let above = splice::insert(&src, line, &format!("{indent}{stub}{newline}"));
        let below = splice::insert(&src, call.end, &format!("{newline}{indent}{stub}"));
        let after = match joinable(&src, call.start..call.end) {
            _ if commented => above,
            None => below,
            // Which of the two is decided with everything else in the command's one
            // rustfmt run: the chain's lines, as each would have them, wait for it.
            Some((region, depth, unit)) => {
                let grown = region.start..region.end + stub.len() + newline.len() + indent.len();
                let choice = files.if_one_line(
                    src[region.clone()].trim(),
                    depth,
                    &unit,
                    Some(above[grown.clone()].to_owned()),
                    below[grown].to_owned(),
                );
                let mut after = src.clone();
                after.replace_range(region, &choice);
                after
            }
        };
        write(plan, file, after, format!("stub deps {}", spec.names.type_name));
        return Ok(());
    }
    // A chain on one line is laid out again by rustfmt, since adding a call can move
    // it from one line to one call per line.
    let region = splice::line_start(&src, call.start)..splice::line_end(&src, call.end);
    let at = call.end - region.start;
    let old = &src[region.clone()];
    let stmt = format!("{}{stub}{}", &old[..at], &old[at..]);
    let unit = splice::indent_unit(&src);
    let depth = depth(splice::indent_at(&src, region.start), &unit).max(1);
    let text = files.format(stmt.trim(), Snippet::Stmt, depth, &unit);
    let mut after = src.clone();
    after.replace_range(region, &text);
    write(plan, file, after, format!("stub deps {}", spec.names.type_name));
    Ok(())
}

/// `src` with `.with_stub::<deps_ty>()` taken out of its fakes chain, undone by the
/// rules `new` added it by: a whole line of its own goes with its line; a call
/// starting a line goes with the line break before it; a call inline goes alone.
fn drop_stub(files: &Files<'_>, display: &str, src: &str, deps_ty: &str) -> Result<String, WireError> {
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
    if let Some((region, depth, unit)) = joinable(&out, chain_start..chain_end) {
        let lines = out[region.clone()].to_owned();
        let text = files.if_one_line(lines.trim(), depth, &unit, None, lines.clone());
        out.replace_range(region, &text);
    }
    Ok(out)
}
