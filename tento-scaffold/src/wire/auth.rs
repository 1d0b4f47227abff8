//! Resolving the provider's auth kind: a line in the host's `tento::auth_registry!`, or,
//! for a host that writes its `UserAuth` match by hand as the seeds' hosts do, an arm
//! mirroring the arms already there.

use super::{
    Checking, Cut, Drift, DriftKind, Files, SpotNotFound, Step, Unwiring, WireError, Wiring, depth, paths,
    write,
};
use crate::inventory::Provider;
use crate::patch::rustfmt::Snippet;
use crate::patch::{rust, splice};
use crate::plan::Plan;
use crate::spec::ProviderSpec;

/// The provider's auth kind, resolved by the host.
pub(crate) struct Auth;

impl Step for Auth {
    fn add(&self, plan: &mut Plan, cx: &Wiring<'_, '_>) -> Result<(), WireError> {
        wire(plan, cx.files, cx.spec)
    }

    fn cuts(&self, cx: &Unwiring<'_, '_>, src: &str, parsed: &rust::Parsed) -> Vec<Cut> {
        let p = cx.provider;
        let marker = paths::connector_item(&p.lib_name, &p.auth_type);
        let mut cuts = Vec::new();
        for body in rust::macro_items(parsed, "auth_registry")
            .into_iter()
            .filter_map(|m| m.inner_body)
        {
            if let Some(at) = src[body.clone()].find(&marker) {
                let start = body.start + at;
                cuts.push(Cut::lines(src, start..start + marker.len()));
            }
        }
        for m in rust::kind_matches(parsed, "UserAuth", "credentials") {
            for (kind, arm) in m.kinds.iter().zip(&m.arms) {
                if *kind == p.kind {
                    cuts.push(Cut::lines(src, arm.clone()));
                }
            }
        }
        cuts
    }

    fn check(&self, cx: &Checking<'_>, p: &Provider, drifts: &mut Vec<Drift>) {
        let marker = paths::connector_item(&p.lib_name, &p.auth_type);
        if cx.mentions_auth(&marker) || cx.mentions_auth(&format!("\"{}\"=>", p.kind)) {
            return;
        }
        drifts.push(Drift {
            kind: DriftKind::Auth,
            provider: p.crate_name.clone(),
            subject: p.kind.clone(),
            file: cx.file_with("auth_registry"),
            fix: format!("{marker},"),
        });
    }
}

/// Whether a host file already resolves the provider's kind: names its auth type from
/// its library, or matches its kind. The needles are made once for all the files.
fn resolves_kind(spec: &ProviderSpec) -> impl Fn(&str) -> bool + '_ {
    let auth = format!("{}Auth", spec.names.type_name);
    let arm = format!("\"{}\" =>", spec.names.kind);
    move |src| src.contains(&auth) && src.contains(&spec.names.lib_name) || src.contains(&arm)
}

/// Plans the registry line, or the match arm.
fn wire(plan: &mut Plan, files: &Files<'_>, spec: &ProviderSpec) -> Result<(), WireError> {
    let marker = spec.auth_marker();
    if files.any(plan, resolves_kind(spec)) {
        return Ok(());
    }
    let mut hand_written = None;
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
        let tests = rust::test_ranges(&parsed);
        let matches: Vec<_> = rust::kind_matches(&parsed, "UserAuth", "credentials")
            .into_iter()
            .filter(|m| !m.arms.first().is_some_and(|a| rust::within(&tests, a.start)))
            .collect();
        if let Some(m) = matches.first() {
            if let Some(after) = match_arm(&src, m, spec, &marker, files) {
                write(plan, file, after, format!("auth kind {}", spec.names.kind));
                return Ok(());
            }
            hand_written.get_or_insert(file.display.clone());
        } else if src.contains("impl UserAuth") {
            hand_written.get_or_insert(file.display.clone());
        }
    }
    // A host resolving kinds by hand is told about its own shape, not the registry's.
    if let Some(looked_in) = hand_written {
        return Err(SpotNotFound {
            what: "an arm to copy in the `match` on the kind in `impl UserAuth`'s `credentials` (a string arm such as `\"kind\" => decode_credentials::<…Auth>(raw)?,` before the fallback)".into(),
            looked_in,
            hint: "add the provider's arm to that match".into(),
            snippet: format!(
                "                \"{}\" => decode_credentials::<{marker}>(raw)?,\n",
                spec.names.kind
            ),
        }
        .into());
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

/// The registry with `marker` added on a line of its own, in the entries'
/// indentation: after the last entry when that one ends with a comma, else before the
/// first, so no existing line changes (not even by a comma, which `remove` could not
/// tell from the user's) and no line's comment moves.
fn registry_line(src: &str, body: std::ops::Range<usize>, marker: &str) -> String {
    let unit = splice::indent_unit(src);
    let newline = splice::newline_of(src);
    let inner = &src[body.clone()];
    let code = splice::code_only(inner);
    let close_indent = splice::indent_at(src, body.end).to_owned();
    // The entries are the code after the struct's doc comments and attributes.
    let first = code.find(|c: char| !c.is_whitespace());
    let entry_indent = first
        .map(|at| splice::indent_at(inner, at).to_owned())
        .unwrap_or_else(|| format!("{close_indent}{unit}"));
    let line = format!("{entry_indent}{marker},{newline}");
    let last_code = code.trim_end().len();
    let at = match first {
        // No entry yet: before the closing brace's line, or opening a one-line `{}`.
        None => {
            let close_line = splice::line_start(src, body.end);
            if src[close_line..body.end].trim().is_empty() && inner.contains('\n') {
                return splice::insert(src, close_line, &line);
            }
            let mut out = src.to_owned();
            out.replace_range(body, &format!("{newline}{line}{close_indent}"));
            return out;
        }
        Some(_) if code[..last_code].ends_with(',') => splice::line_end(src, body.start + last_code),
        Some(at) => splice::line_start(src, body.start + at),
    };
    if at > body.end || !src[body.start..at].ends_with('\n') {
        // Entries sharing the braces' line: opening the body would rewrite that line.
        let mut out = src.to_owned();
        let trimmed = inner.trim_end();
        let comma = if code[..last_code].ends_with(',') { "" } else { "," };
        out.replace_range(body, &format!("{trimmed}{comma}{newline}{line}{close_indent}"));
        return out;
    }
    splice::insert(src, at, &line)
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
    // Only an arm naming its provider once by kind and once by marker is understood:
    // one that also names it elsewhere (a helper, a label) is not copied.
    let old_type = old_marker.rsplit("::").next().unwrap_or(old_marker).trim();
    if new_arm.contains(&format!("{old_kind:?}")) || new_arm.contains(old_type) || old_marker.contains('<') {
        return None;
    }
    // Code after the arm on its line (the fallback, say) would end up before it.
    let rest = &src[last.end..splice::line_end(src, last.end)];
    if !splice::code_only(rest).trim().is_empty() {
        return None;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn add(src: &str) -> String {
        let file = rust::parse("lib.rs", src).unwrap();
        let body = rust::macro_items(&file, "auth_registry")[0]
            .inner_body
            .clone()
            .unwrap();
        registry_line(src, body, "b::BAuth")
    }

    #[test]
    fn a_registry_line_never_changes_another_line() {
        // After a last entry ending in a comma, its comment left on its line.
        assert_eq!(
            add("auth_registry! {\n    pub struct K {\n        a::AAuth, // a\n    }\n}\n"),
            "auth_registry! {\n    pub struct K {\n        a::AAuth, // a\n        b::BAuth,\n    }\n}\n"
        );
        // Without that comma, first: adding one would change the last entry's line.
        assert_eq!(
            add("auth_registry! {\n    pub struct K {\n        a::AAuth // a\n    }\n}\n"),
            "auth_registry! {\n    pub struct K {\n        b::BAuth,\n        a::AAuth // a\n    }\n}\n"
        );
        // Empty, and on one line.
        assert_eq!(
            add("auth_registry! {\n    pub struct K {\n    }\n}\n"),
            "auth_registry! {\n    pub struct K {\n        b::BAuth,\n    }\n}\n"
        );
        assert_eq!(
            add("auth_registry! {\n    pub struct K {}\n}\n"),
            "auth_registry! {\n    pub struct K {\n        b::BAuth,\n    }\n}\n"
        );
    }
}
