//! Resolving the provider's auth kind: a line in the host's `tento::auth_registry!`, or,
//! for a host that writes its `UserAuth` match by hand as the seeds' hosts do, an arm
//! mirroring the arms already there.

use super::{Files, SpotNotFound, WireError, depth, write};
use crate::patch::rustfmt::Snippet;
use crate::patch::{rust, splice};
use crate::plan::Plan;
use crate::spec::ProviderSpec;

/// Whether the host already resolves the provider's kind.
pub fn resolves_kind(src: &str, spec: &ProviderSpec) -> bool {
    src.contains(&format!("{}Auth", spec.names.type_name)) && src.contains(&spec.names.lib_name)
        || src.contains(&format!("\"{}\" =>", spec.names.kind))
}

/// Plans the registry line, or the match arm.
pub fn wire(plan: &mut Plan, files: &Files<'_>, spec: &ProviderSpec) -> Result<(), WireError> {
    let marker = spec.connector_path(&format!("{}Auth", spec.names.type_name));
    if files.any(plan, |src| resolves_kind(src, spec)) {
        return Ok(());
    }
    for (file, src) in files.mentioning(plan, &["auth_registry", "impl UserAuth"]) {
        let parsed = rust::parse(&file.display, &src)?;
        if let Some(body) = rust::macro_items(&parsed, "auth_registry")
            .into_iter()
            .find_map(|m| m.inner_body)
        {
            let after = registry_line(&src, body, &marker);
            write(plan, file, after, format!("auth kind {}", spec.names.kind));
            return Ok(());
        }
        if let Some(m) = rust::kind_matches(&parsed, "UserAuth", "credentials")
            .into_iter()
            .next()
            && let Some(after) = match_arm(&src, &m, spec, &marker, files)
        {
            write(plan, file, after, format!("auth kind {}", spec.names.kind));
            return Ok(());
        }
    }
    Err(SpotNotFound {
        what:
            "the host's auth kinds (a `tento::auth_registry!` or the `match` on the kind in `impl UserAuth`)"
                .into(),
        looked_in: files.searched(),
        hint: "list the providers' auth markers in a `tento::auth_registry!`".into(),
        snippet: format!(
            "tento::auth_registry! {{\n    pub struct HostAuthKinds {{\n        {marker},\n    }}\n}}\n"
        ),
    }
    .into())
}

/// The registry with `marker` added as its last line, in the entries' indentation.
fn registry_line(src: &str, body: std::ops::Range<usize>, marker: &str) -> String {
    let unit = splice::indent_unit(src);
    let newline = splice::newline_of(src);
    let inner = &src[body.clone()];
    let close_indent = splice::indent_at(src, body.end).to_owned();
    let entry_indent = inner
        .lines()
        .find(|l| !l.trim().is_empty())
        .map(|l| l[..l.len() - l.trim_start().len()].to_owned())
        .unwrap_or_else(|| format!("{close_indent}{unit}"));
    let trimmed = inner.trim_end();
    let needs_comma = !trimmed.trim().is_empty() && !trimmed.ends_with(',');
    let mut new_inner = String::new();
    new_inner.push_str(trimmed);
    if needs_comma {
        new_inner.push(',');
    }
    new_inner.push_str(newline);
    new_inner.push_str(&format!("{entry_indent}{marker},{newline}{close_indent}"));
    let mut out = src.to_owned();
    out.replace_range(body, &new_inner);
    out
}

/// The match with an arm for the provider before its fallback: the last string arm
/// copied, its kind and auth marker replaced. `None` when no arm names a marker.
fn match_arm(
    src: &str,
    m: &rust::KindMatch,
    spec: &ProviderSpec,
    marker: &str,
    files: &Files<'_>,
) -> Option<String> {
    let last = m.arms.last()?;
    let arm = &src[last.clone()];
    let old_kind = m.kinds.last()?;
    // The marker the existing arm names: the path segment ending in `Auth` inside `::<…>`.
    let start = arm.find("::<")? + 3;
    let end = start + arm[start..].find('>')?;
    let old_marker = &arm[start..end];
    let new_arm = arm
        .replacen(&format!("{old_kind:?}"), &format!("{:?}", spec.names.kind), 1)
        .replacen(old_marker, marker, 1);
    let new_arm = if new_arm.trim_end().ends_with(',') {
        new_arm
    } else {
        format!("{new_arm},")
    };
    let indent = splice::indent_at(src, last.start);
    let unit = splice::indent_unit(src);
    let text = files.format(&new_arm, Snippet::Arm, depth(indent, &unit), &unit);
    let at = splice::line_end(src, last.end);
    Some(splice::insert(src, at, &text))
}
