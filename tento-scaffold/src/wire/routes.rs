//! The integration block in the host's `#[rowkey { … }]` DSL.

use std::ops::Range;

use super::{
    Checking, Cut, Drift, DriftKind, Files, SpotNotFound, Step, Unwiring, WireError, Wiring, paths, write,
};
use crate::inventory::{Provider, Row};
use crate::patch::{rust, splice};
use crate::plan::Plan;
use crate::spec::{ProviderSpec, RowSpec};

/// The provider's integration block, and a route per row, in the host's `#[rowkey]`.
pub(crate) struct Routes;

impl Step for Routes {
    fn add(&self, plan: &mut Plan, cx: &Wiring<'_, '_>) -> Result<(), WireError> {
        wire(plan, cx.files, cx.spec)
    }

    fn add_row(
        &self,
        plan: &mut Plan,
        cx: &Wiring<'_, '_>,
        prefix: &str,
        row: &RowSpec,
    ) -> Result<(), WireError> {
        add_route(plan, cx.files, cx.spec, prefix, row)
    }

    fn cuts(&self, cx: &Unwiring<'_, '_>, src: &str, parsed: &rust::Parsed) -> Vec<Cut> {
        let marker = cx.provider.marker();
        rust::rowkey_blocks(parsed)
            .into_iter()
            .filter_map(|block| integration_block_range(src, block.body, &marker))
            .map(|r| Cut::lines(src, r))
            .collect()
    }

    fn check(&self, cx: &Checking<'_>, p: &Provider, drifts: &mut Vec<Drift>) {
        let routes = cx.routes_of(p);
        let drift = |kind, subject: &str, fix| Drift {
            kind,
            provider: p.crate_name.clone(),
            subject: subject.to_owned(),
            file: cx.rowkey_file.clone(),
            fix,
        };
        if routes.is_empty() {
            drifts.push(drift(DriftKind::Integration, &p.kind, integration_line(p)));
            return;
        }
        for row in &p.rows {
            if !routes.iter().any(|r| r.row.as_deref() == Some(row.path.as_str())) {
                drifts.push(drift(DriftKind::RowWithoutRoute, &row.path, route_line(p, row)));
            }
        }
    }

    fn check_host(&self, cx: &Checking<'_>, drifts: &mut Vec<Drift>) {
        for route in cx.all_routes {
            let Some(row) = &route.row else { continue };
            let owner = cx.owner(&route.integration);
            let exists = match owner {
                Some(p) => p.rows.iter().any(|r| &r.path == row),
                // A route into a crate the host does not depend on cannot build; one whose
                // row the host names elsewhere (`as crate::…`) is the host's own to check,
                // and so is one into a crate it depends on but that this does not read as
                // a provider: advising to remove a route of a host that builds breaks it.
                None => {
                    let module = route.integration.rsplit_once("::").map_or("", |(m, _)| m);
                    let krate = route.integration.split("::").next().unwrap_or_default();
                    !row.starts_with(module) || cx.depends_on(krate)
                }
            };
            if exists {
                continue;
            }
            let metric = row.rsplit("::").nth(1).unwrap_or_default();
            drifts.push(Drift {
                kind: DriftKind::RouteWithoutRow,
                provider: owner.map_or_else(|| route.integration.clone(), |p| p.crate_name.clone()),
                subject: route.key.clone(),
                file: cx.rowkey_file.clone(),
                fix: match owner {
                    Some(p) => format!("tento-scaffold add-row {metric} --provider {}", p.kind),
                    None => format!(
                        "remove the route, or depend on the crate of {}",
                        route.integration
                    ),
                },
            });
        }
    }
}

/// The provider's block, with one route per row, as a host writes it at the block's own
/// indentation level (`unit` per level).
fn block(spec: &ProviderSpec, unit: &str) -> String {
    let mut out = format!("[integration = {}] {{\n", spec.marker_path());
    out.push_str(&format!("{unit}\"{}\" {{\n", paths::key_prefix(&spec.names.kind)));
    for row in &spec.rows {
        out.push_str(&format!(
            "{unit}{unit}\":{}\" {{ {} }}\n",
            row.names.module,
            row.verbs.join(" ")
        ));
    }
    out.push_str(&format!("{unit}}}\n}}\n"));
    out
}

/// Whether a host's rowkey block already routes the provider's kind.
pub(crate) fn routes_kind(src: &str, kind: &str) -> bool {
    src.contains(&format!("\":~{kind}:")) || src.contains(&format!("\":~{kind}\""))
}

/// Plans adding the provider's block at the end of the host's `#[rowkey]` block.
fn wire(plan: &mut Plan, files: &Files<'_>, spec: &ProviderSpec) -> Result<(), WireError> {
    // Done already when a file holding the routes routes the kind: the host's test of
    // the provider names its lookup keys too, and is no route.
    let routes = files.mentioning(plan, &["#[rowkey"]);
    if routes.iter().any(|(_, src)| routes_kind(src, &spec.names.kind)) {
        return Ok(());
    }
    let mut found = None;
    // Only the tail holding the attribute is parsed: a host's lib.rs naming `rowkeys`
    // may hold every provider's registrations.
    for (file, src) in files.mentioning(plan, &["#[rowkey"]) {
        let parsed = files.parses.tail(file, &src, "#[rowkey")?;
        if let Some(block) = rust::rowkey_blocks(&parsed).into_iter().next() {
            found = Some((file, src, block));
            break;
        }
    }
    let Some((file, src, found)) = found else {
        return Err(SpotNotFound {
            what: "the `#[derive(RowKeySchema)] #[rowkey { … }]` block".into(),
            looked_in: files.searched(),
            hint: "add the block to the host crate, or name the host crate with `host = \"…\"` under [workspace.metadata.tento]".into(),
            snippet: block(spec, "    "),
        }
        .into());
    };
    let unit = splice::indent_unit(&src);
    let newline = splice::newline_of(&src);
    let body = &src[found.body.clone()];
    // The closing `}]` on a line of its own: insert the block on the lines above it, at
    // the indentation of the block's first entry (one level in from the attribute).
    let attr_indent = splice::indent_at(&src, found.attr.start).to_owned();
    let entry_indent = body
        .lines()
        .find(|l| !l.trim().is_empty())
        .map(|l| l[..l.len() - l.trim_start().len()].to_owned())
        .unwrap_or_else(|| format!("{attr_indent}{unit}"));
    let text = splice::block(&block(spec, &unit), &entry_indent, newline);
    let close_line = splice::line_start(&src, found.body.end);
    let after = if src[close_line..found.body.end].trim().is_empty() && body.contains('\n') {
        splice::insert(&src, close_line, &text)
    } else {
        // `#[rowkey {}]` or `#[rowkey { … }]` on one line: open it up.
        let inner = body.trim();
        let mut replacement = String::from(newline);
        if !inner.is_empty() {
            replacement.push_str(&format!("{entry_indent}{inner}{newline}"));
        }
        replacement.push_str(&text);
        replacement.push_str(&attr_indent);
        let mut out = src.clone();
        out.replace_range(found.body.clone(), &replacement);
        out
    };
    write(
        plan,
        file,
        after,
        format!("route {}", paths::key_prefix(&spec.names.kind)),
    );
    Ok(())
}

/// A row's route as the lines a prefix block holds: `":sleep" { get list sync }`, or
/// with its `:logs` child nested under it.
fn route(row: &RowSpec, unit: &str) -> String {
    let verbs = row.verbs.join(" ");
    let segment = &row.names.module;
    if row.logs {
        format!("\":{segment}\" {{ {verbs}\n{unit}\":logs\" {{ list }}\n}}\n")
    } else {
        format!("\":{segment}\" {{ {verbs} }}\n")
    }
}

/// Plans `row`'s route at the end of the provider's prefix block (`prefix`, under
/// `[integration = <marker>]`) in the host's `#[rowkey]` block.
fn add_route(
    plan: &mut Plan,
    files: &Files<'_>,
    spec: &ProviderSpec,
    prefix: &str,
    row: &RowSpec,
) -> Result<(), WireError> {
    let marker = spec.marker_path();
    // Only the tail holding the attribute is parsed: a host's lib.rs naming `rowkeys`
    // may hold every provider's registrations.
    for (file, src) in files.mentioning(plan, &["#[rowkey"]) {
        let parsed = files.parses.tail(file, &src, "#[rowkey")?;
        let Some(found) = rust::rowkey_blocks(&parsed).into_iter().next() else {
            continue;
        };
        let Some(close) = prefix_block_close(&src, found.body.clone(), &marker, prefix) else {
            break;
        };
        let unit = splice::indent_unit(&src);
        let newline = splice::newline_of(&src);
        let close_line = splice::line_start(&src, close);
        let close_indent = splice::indent_at(&src, close).to_owned();
        let text = splice::block(&route(row, &unit), &format!("{close_indent}{unit}"), newline);
        let after = if src[close_line..close].trim().is_empty() {
            splice::insert(&src, close_line, &text)
        } else {
            // `{ … }` closing on a line with other text: the route goes on its own line.
            splice::insert(&src, close, &format!("{newline}{text}{close_indent}"))
        };
        write(plan, file, after, format!("route {prefix}:{}", row.names.module));
        return Ok(());
    }
    Err(SpotNotFound {
        what: format!("the `\"{prefix}\" {{ … }}` block under `[integration = {marker}]`"),
        looked_in: files.searched(),
        hint: "route the provider first (`tento-scaffold check` prints its block)".into(),
        snippet: route(row, "    "),
    }
    .into())
}

/// The bytes of the `[` and `]` of the `[integration = marker]` head in a rowkey body's
/// text, heads compared without spaces and a leading `::`.
fn integration_head(text: &str, marker: &str) -> Option<(usize, usize)> {
    let marker = splice::compact(marker);
    let bare = marker.trim_start_matches("::");
    let mut at = 0;
    loop {
        let open = at + text[at..].find('[')?;
        let close = open + text[open..].find(']')?;
        let head = splice::compact(&text[open + 1..close]);
        if head
            .strip_prefix("integration=")
            .map(|p| p.trim_start_matches("::"))
            == Some(bare)
        {
            return Some((open, close));
        }
        at = close + 1;
    }
}

/// The byte of the `}` closing the prefix block of `marker` in a rowkey body.
fn prefix_block_close(src: &str, body: std::ops::Range<usize>, marker: &str, prefix: &str) -> Option<usize> {
    let text = &src[body.clone()];
    let (_, head_end) = integration_head(text, marker)?;
    let quoted = format!("\"{prefix}\"");
    let prefix_at = head_end + text[head_end..].find(&quoted)? + quoted.len();
    let open = prefix_at + text[prefix_at..].find('{')?;
    Some(body.start + splice::closing_delimiter(text, open)?)
}

/// The `[integration = <marker>] { … }` block in a rowkey body: from its `[` to its
/// closing `}`, skipping string literals (whose `{authId}` is no brace of the grammar).
fn integration_block_range(src: &str, body: Range<usize>, marker: &str) -> Option<Range<usize>> {
    let text = &src[body.clone()];
    let (open, head_end) = integration_head(text, marker)?;
    let brace = head_end + text[head_end..].find('{')?;
    let close = splice::closing_delimiter(text, brace)?;
    Some(body.start + open..body.start + close + 1)
}

/// The provider's whole integration block, on one line.
fn integration_line(p: &Provider) -> String {
    let rows: Vec<String> = p.rows.iter().map(|r| route_line(p, r)).collect();
    format!(
        "[integration = ::{}] {{ \"{}\" {{ {} }} }}",
        p.marker(),
        p.prefix,
        rows.join(" ")
    )
}

/// A row's route, as a line inside its provider's prefix block.
fn route_line(p: &Provider, row: &Row) -> String {
    format!("\"{}\" {{ {} }}", p.segment_of(row), row.serves.join(" "))
}
