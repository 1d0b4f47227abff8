//! The host's test fakes: where a host builds a `FakeRowKeyDeps`, every in-tree
//! provider's stub deps are registered, so the new provider's is added to the chain.

use super::{Files, WireError, depth, write};
use crate::patch::rustfmt::Snippet;
use crate::patch::{rust, splice};
use crate::plan::Plan;
use crate::spec::ProviderSpec;

/// Whether the host builds a `FakeRowKeyDeps` (and so needs each provider's `testing`
/// feature in its dev-dependencies).
pub fn present(plan: &Plan, files: &Files<'_>) -> bool {
    files.any(plan, |src| src.contains("FakeRowKeyDeps::new"))
}

/// Plans `.with_stub::<dyn …BackendDeps>()` after the last `with_stub` call, or after
/// `FakeRowKeyDeps::new()`. Returns whether the host has such fakes (and so needs the
/// provider's `testing` feature in its dev-dependencies).
pub fn wire(plan: &mut Plan, files: &Files<'_>, spec: &ProviderSpec) -> Result<bool, WireError> {
    if files.any(plan, |src| {
        src.contains(&format!("with_stub::<{}>", spec.deps_type()))
    }) {
        return Ok(true);
    }
    let mut anchor = None;
    for (file, src) in files.mentioning(plan, &["with_stub", "FakeRowKeyDeps::new"]) {
        let anchor_text = if src.contains("with_stub") {
            "with_stub"
        } else {
            "FakeRowKeyDeps::new"
        };
        let parsed = rust::parse_tail(&file.display, &src, anchor_text)?;
        if let Some(call) = rust::method_calls(&parsed, &src, "with_stub").into_iter().last() {
            anchor = Some((file, src.clone(), call.call));
        } else if anchor.is_none()
            && let Some(call) = rust::path_calls(&parsed, &["FakeRowKeyDeps", "new"])
                .into_iter()
                .last()
        {
            anchor = Some((file, src.clone(), call));
        }
    }
    let Some((file, src, call)) = anchor else {
        return Ok(false);
    };
    let stub = format!(".with_stub::<{}>()", spec.deps_type());
    // The statement holding the chain is laid out again by rustfmt, since adding a call
    // can move a chain from one line to one call per line.
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
    Ok(true)
}
