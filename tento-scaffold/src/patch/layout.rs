//! Laying out one statement shape as rustfmt does, without running it: a method call
//! on a variable whose arguments are calls of paths, string literals and `x.clone()`,
//! such as the `orchestrator.register_row_with_sync::<…>(Arc::new(…), Arc::new(…));`
//! that `add-row` and `new` insert for a synced row. rustfmt is a process, and
//! spawning it was the larger part of `add-row` on a big host.
//!
//! The rules below are rustfmt's for these nodes as its output shows them (block
//! indent, the width heuristics of `use_small_heuristics = "Default"`; see `layout`).
//! Where rustfmt weighs alternatives this does not model, or the host's config sets
//! anything but `max_width` (up to 100), `hard_tabs`, `tab_spaces` and `edition`, the
//! answer is `None` and rustfmt runs. `tests/layout_fmt.rs` checks every answer against
//! rustfmt over a grid of name lengths, depths and configs.

use std::path::Path;

/// The rustfmt options a layout depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    max_width: usize,
    hard_tabs: bool,
    tab_spaces: usize,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            max_width: 100,
            hard_tabs: false,
            tab_spaces: 4,
        }
    }
}

impl Style {
    /// The style of the rustfmt config at `config` (rustfmt's defaults with none), when
    /// it sets nothing this module does not model.
    pub fn of_config(config: Option<&Path>) -> Option<Style> {
        let Some(path) = config else {
            return Some(Style::default());
        };
        let doc: toml_edit::DocumentMut = std::fs::read_to_string(path).ok()?.parse().ok()?;
        let mut style = Style::default();
        for (key, item) in doc.iter() {
            let value = item.as_value()?;
            match key {
                // Above 100 rustfmt scales its width heuristics, which is not modelled.
                "max_width" => {
                    style.max_width = usize::try_from(value.as_integer()?).ok().filter(|w| *w <= 100)?
                }
                "tab_spaces" => style.tab_spaces = usize::try_from(value.as_integer()?).ok()?,
                "hard_tabs" => style.hard_tabs = value.as_bool()?,
                "edition" if value.as_str() == Some("2024") => {}
                _ => return None,
            }
        }
        Some(style)
    }

    /// `fn_call_width` (and `chain_width`): 60 up to a `max_width` of 100.
    fn call_width(&self) -> usize {
        60
    }

    fn indent(&self, level: usize) -> String {
        if self.hard_tabs {
            "\t".repeat(level)
        } else {
            " ".repeat(level * self.tab_spaces)
        }
    }

    /// The columns `level` indents take, as rustfmt counts them against `max_width`.
    fn column(&self, level: usize) -> usize {
        level * self.tab_spaces
    }
}

/// An argument: text that stays on one line, or a call.
#[derive(Debug)]
enum Arg {
    Atom(String),
    Call(Call),
}

/// `callee::<generics>(args)`: `callee` ends with `::` when there are generics.
#[derive(Debug)]
struct Call {
    callee: String,
    generics: Vec<String>,
    args: Vec<Arg>,
}

/// `code`, a statement `depth` levels deep, laid out as rustfmt would with `style`, in
/// rustfmt's indentation: whole lines, each ending in a newline. `None` when the
/// statement is not of the shape this module models or rustfmt might choose otherwise.
pub fn statement(code: &str, depth: usize, style: Style) -> Option<String> {
    let expr: syn::Expr = syn::parse_str(code.trim().strip_suffix(';')?).ok()?;
    let syn::Expr::MethodCall(call) = expr else {
        return None;
    };
    let receiver = ident_path(&call.receiver)?;
    let generics = match &call.turbofish {
        Some(t) => t.args.iter().map(generic_type).collect::<Option<Vec<_>>>()?,
        None => Vec::new(),
    };
    let args = call.args.iter().map(arg).collect::<Option<Vec<_>>>()?;
    let method = Call {
        callee: format!(
            "{receiver}.{}{}",
            call.method,
            if generics.is_empty() { "" } else { "::" }
        ),
        generics,
        args,
    };
    let text = chained(&method, depth, style)?;
    Some(format!("{}{text};\n", style.indent(depth)))
}

/// The statement's method call, formatted as the last (only) child of a chain on a
/// variable: on the variable's line, its arguments one per line. rustfmt keeps it so
/// when its first line fits and it takes five lines or more; otherwise it compares
/// with breaking before the `.`, which is not modelled.
fn chained(method: &Call, depth: usize, style: Style) -> Option<String> {
    let start = style.column(depth);
    if method.args.len() < 2 || horizontal_possible(&method.args, depth, style) {
        return None;
    }
    let head = head_line(method);
    // The `;` after the call counts against the first line's budget.
    if start + head.len() + 1 > style.max_width {
        return None;
    }
    let text = vertical(method, head, depth, style)?;
    (text.lines().count() >= 5).then_some(text)
}

/// `callee<generics>(` on one line.
fn head_line(call: &Call) -> String {
    let generics = if call.generics.is_empty() {
        String::new()
    } else {
        format!("<{}>", call.generics.join(", "))
    };
    format!("{}{generics}(", call.callee)
}

/// A call's text on one line.
fn one_line_call(call: &Call) -> String {
    let args: Vec<String> = call.args.iter().map(one_line).collect();
    format!("{}{})", head_line(call), args.join(", "))
}

fn one_line(arg: &Arg) -> String {
    match arg {
        Arg::Atom(text) => text.clone(),
        Arg::Call(call) => one_line_call(call),
    }
}

/// Whether `args`, each laid out one level in from `level`, could share one line
/// within `fn_call_width`: then rustfmt may keep them on the callee's line.
fn horizontal_possible(args: &[Arg], level: usize, style: Style) -> bool {
    let nested = nested(args, level, style);
    nested
        .iter()
        .all(|a| a.as_ref().is_some_and(|t| !t.contains('\n')))
        && nested.iter().flatten().map(String::len).sum::<usize>() + 2 * args.len().saturating_sub(1)
            <= style.call_width()
}

/// Each argument laid out on its own line one level in from `level`, as rustfmt first
/// rewrites a call's arguments.
fn nested(args: &[Arg], level: usize, style: Style) -> Vec<Option<String>> {
    let inner = style.column(level + 1);
    args.iter()
        .map(|a| {
            layout(
                a,
                inner,
                style.max_width.saturating_sub(inner),
                level + 1,
                1,
                style,
            )
        })
        .collect()
}

/// `arg` starting at column `start`, within `width` columns from there for its first
/// line (its later lines, indented from `level`, have all of `max_width`), followed on
/// its last line by `tail` more columns. rustfmt's order for a call, as its output
/// shows it: a lone call argument overflows onto the callee's line if it can, within
/// `fn_call_width`; else it stays on that line if it fits there whole; else the
/// arguments share the line within `fn_call_width`; else one per line. A call without
/// arguments that does not fit breaks its generics.
fn layout(arg: &Arg, start: usize, width: usize, level: usize, tail: usize, style: Style) -> Option<String> {
    let fits = |text: &str| text.len() + tail <= width && start + text.len() + tail <= style.max_width;
    let call = match arg {
        Arg::Atom(text) => return (fits(text) && text.len() <= style.call_width()).then(|| text.clone()),
        Arg::Call(call) => call,
    };
    if call.args.is_empty() {
        let one = one_line_call(call);
        return if fits(&one) {
            Some(one)
        } else {
            broken_generics(call, start, width, level, tail, style)
        };
    }
    let head = head_line(call);
    if start + head.len() > style.max_width || head.len() > width {
        return None;
    }
    // What the arguments may take on the callee's line: `)` and `tail` after them.
    let one_line_width = width.saturating_sub(tail + head.len() + 1);
    let nested = nested(&call.args, level, style);
    if let ([only], [Some(text)]) = (call.args.as_slice(), nested.as_slice()) {
        // A lone call overflows onto the callee's line even when it would fit there
        // whole on the next; failing that, it stays whole on the callee's line if it
        // fits. A lone atom is not modelled.
        let Arg::Call(_) = only else {
            return None;
        };
        let budget = style.call_width().min(one_line_width);
        if let Some(text) = layout(only, start + head.len(), budget, level, 0, style) {
            // rustfmt weighs a two-line overflow against other layouts.
            if text.matches('\n').count() == 1 {
                return None;
            }
            let last = text.lines().last().unwrap_or_default();
            let last_width = if text.contains('\n') {
                style.column(level) + last.trim_start().len()
            } else {
                start + head.len() + last.len()
            };
            if last_width + 1 + tail > style.max_width {
                return None;
            }
            return Some(format!("{head}{text})"));
        }
        if !text.contains('\n') && text.len() <= one_line_width {
            return Some(format!("{head}{text})"));
        }
    }
    let single: Option<Vec<&String>> = nested
        .iter()
        .map(|a| a.as_ref().filter(|t| !t.contains('\n')))
        .collect();
    if let Some(single) = single {
        let total = single.iter().map(|t| t.len()).sum::<usize>() + 2 * (single.len() - 1);
        let limit = if single.len() == 1 {
            one_line_width
        } else {
            one_line_width.min(style.call_width())
        };
        if total <= limit {
            let joined: Vec<&str> = single.iter().map(|t| t.as_str()).collect();
            return Some(format!("{head}{})", joined.join(", ")));
        }
    }
    vertical(call, head, level, style)
}

/// `head`, then each argument on its own line one level in from `level` with a trailing
/// comma, then `)` at `level`.
fn vertical(call: &Call, head: String, level: usize, style: Style) -> Option<String> {
    if call.args.is_empty() {
        return None;
    }
    let inner = style.column(level + 1);
    let mut out = head;
    out.push('\n');
    for arg in &call.args {
        let text = layout(arg, inner, style.max_width - inner, level + 1, 1, style)?;
        out.push_str(&style.indent(level + 1));
        out.push_str(&text);
        out.push_str(",\n");
    }
    out.push_str(&style.indent(level));
    out.push(')');
    Some(out)
}

/// A call without arguments whose path does not fit: its generics one per line,
/// `path::<` / `T,` / `>()`.
fn broken_generics(
    call: &Call,
    start: usize,
    width: usize,
    level: usize,
    tail: usize,
    style: Style,
) -> Option<String> {
    if call.generics.is_empty() {
        return None;
    }
    let head = format!("{}<", call.callee);
    if head.len() > width || start + head.len() > style.max_width {
        return None;
    }
    let inner = style.column(level + 1);
    let mut out = head;
    out.push('\n');
    for ty in &call.generics {
        if inner + ty.len() + 1 > style.max_width {
            return None;
        }
        out.push_str(&style.indent(level + 1));
        out.push_str(ty);
        out.push_str(",\n");
    }
    if style.column(level) + 3 + tail > style.max_width {
        return None;
    }
    out.push_str(&style.indent(level));
    out.push_str(">()");
    Some(out)
}

/// A plain path (`a::b::C`, no generics) as rustfmt prints it.
fn plain_path(path: &syn::Path) -> Option<String> {
    path_text(path, false)
}

/// A path as rustfmt prints it, without the last segment's generics when
/// `last_generics` allows some there (none elsewhere).
fn path_text(path: &syn::Path, last_generics: bool) -> Option<String> {
    let mut out = String::new();
    if path.leading_colon.is_some() {
        out.push_str("::");
    }
    let n = path.segments.len();
    for (i, seg) in path.segments.iter().enumerate() {
        if !(seg.arguments.is_none() || last_generics && i + 1 == n) {
            return None;
        }
        if i > 0 {
            out.push_str("::");
        }
        out.push_str(&seg.ident.to_string());
    }
    Some(out)
}

fn ident_path(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Path(p) if p.qself.is_none() && p.attrs.is_empty() && p.path.get_ident().is_some() => {
            plain_path(&p.path)
        }
        _ => None,
    }
}

fn generic_type(arg: &syn::GenericArgument) -> Option<String> {
    match arg {
        syn::GenericArgument::Type(syn::Type::Path(t)) if t.qself.is_none() => plain_path(&t.path),
        _ => None,
    }
}

fn arg(expr: &syn::Expr) -> Option<Arg> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            attrs,
        }) if attrs.is_empty() => {
            let text = s.token().to_string();
            (!text.contains('\n')).then_some(Arg::Atom(text))
        }
        // `deps.clone()`: a one-child chain on a variable.
        syn::Expr::MethodCall(m) if m.args.is_empty() && m.turbofish.is_none() && m.attrs.is_empty() => {
            Some(Arg::Atom(format!("{}.{}()", ident_path(&m.receiver)?, m.method)))
        }
        syn::Expr::Call(c) if c.attrs.is_empty() => {
            let syn::Expr::Path(p) = &*c.func else {
                return None;
            };
            if p.qself.is_some() || !p.attrs.is_empty() {
                return None;
            }
            let last = p.path.segments.last()?;
            let callee = path_text(&p.path, true)?;
            let (callee, generics) = match &last.arguments {
                syn::PathArguments::None => (callee, Vec::new()),
                syn::PathArguments::AngleBracketed(a) if a.colon2_token.is_some() => (
                    format!("{callee}::"),
                    a.args.iter().map(generic_type).collect::<Option<Vec<_>>>()?,
                ),
                _ => return None,
            };
            Some(Arg::Call(Call {
                callee,
                generics,
                args: c.args.iter().map(arg).collect::<Option<Vec<_>>>()?,
            }))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_shapes_and_configs_are_left_to_rustfmt() {
        let style = Style::default();
        assert_eq!(statement("let x = 1;", 1, style), None);
        assert_eq!(
            statement(
                "integrations.register::<dyn A>(deps.clone() as Arc<dyn A>);",
                1,
                style
            ),
            None,
            "a cast is not modelled"
        );
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("rustfmt.toml");
        std::fs::write(&config, "max_width = 80\nhard_tabs = true\n").unwrap();
        assert_eq!(
            Style::of_config(Some(&config)),
            Some(Style {
                max_width: 80,
                hard_tabs: true,
                tab_spaces: 4
            })
        );
        std::fs::write(&config, "max_width = 80\nuse_small_heuristics = \"Max\"\n").unwrap();
        assert_eq!(Style::of_config(Some(&config)), None);
        assert_eq!(Style::of_config(None), Some(Style::default()));
    }
}
