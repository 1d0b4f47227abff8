//! The integration block in the host's `#[rowkey { … }]` DSL.

use super::{Files, SpotNotFound, WireError, write};
use crate::patch::{rust, splice};
use crate::plan::Plan;
use crate::spec::ProviderSpec;

/// The provider's block, with one route per row, as a host writes it at the block's own
/// indentation level (`unit` per level).
pub fn block(spec: &ProviderSpec, unit: &str) -> String {
    let mut out = format!("[integration = {}] {{\n", spec.marker_path());
    out.push_str(&format!("{unit}\":~{}:{{authId}}\" {{\n", spec.names.kind));
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
pub fn routes_kind(src: &str, kind: &str) -> bool {
    src.contains(&format!("\":~{kind}:")) || src.contains(&format!("\":~{kind}\""))
}

/// Plans adding the provider's block at the end of the host's `#[rowkey]` block.
pub fn wire(plan: &mut Plan, files: &Files<'_>, spec: &ProviderSpec) -> Result<(), WireError> {
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
        let parsed = rust::parse_tail(&file.display, &src, "#[rowkey")?;
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
        format!("route :~{}:{{authId}}", spec.names.kind),
    );
    Ok(())
}

/// A row's route as the lines a prefix block holds: `":sleep" { get list sync }`, or
/// with its `:logs` child nested under it.
pub fn route(row: &crate::spec::RowSpec, unit: &str) -> String {
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
pub fn add_route(
    plan: &mut Plan,
    files: &Files<'_>,
    spec: &ProviderSpec,
    prefix: &str,
    row: &crate::spec::RowSpec,
) -> Result<(), WireError> {
    let marker = spec.marker_path();
    // Only the tail holding the attribute is parsed: a host's lib.rs naming `rowkeys`
    // may hold every provider's registrations.
    for (file, src) in files.mentioning(plan, &["#[rowkey"]) {
        let parsed = rust::parse_tail(&file.display, &src, "#[rowkey")?;
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
pub(crate) fn integration_head(text: &str, marker: &str) -> Option<(usize, usize)> {
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
