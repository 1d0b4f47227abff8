//! Finding the spots to patch in a host's Rust files, with `syn`: the `#[rowkey]`
//! block, the auth registry or `UserAuth` kind match, the `register::<dyn …>` lines,
//! the `…BackendDeps` impls. Each spot is a byte offset into the file's text, so a
//! patch splices text there and every other byte stays as it was.

use std::ops::Range;

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::visit::Visit;

/// A Rust file that does not parse, with the parser's location.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}:{column} does not parse as Rust: {message}")]
pub struct RustError {
    /// The file, as shown to the user.
    pub file: String,
    /// 1-based line of the error.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The parser's message.
    pub message: String,
}

/// Parses `src` as a Rust file named `file` in errors.
pub fn parse(file: &str, src: &str) -> Result<Parsed, RustError> {
    syn::parse_file(src).map(Parsed::whole).map_err(|e| {
        let start = e.span().start();
        RustError {
            file: file.to_owned(),
            line: start.line,
            column: start.column + 1,
            message: e.to_string(),
        }
    })
}

/// Parses the part of `src` that matters for `anchor`: from the start of the top-level
/// item holding its last occurrence to the end of the file. The part before is left
/// out, and [`Parsed::range`] maps every span back into `src`. A host's
/// files grow with every provider while a step needs the last impl or the one
/// function, so this keeps wiring flat in the number of providers. When the tail does
/// not parse alone (the anchor sat in a nested module, say), the whole file is parsed.
pub fn parse_tail(file: &str, src: &str, anchor: &str) -> Result<Parsed, RustError> {
    parse_masked(file, src, anchor, false)
}

/// Like [`parse_tail`], for a step that reads no function body but those mentioning
/// `anchor` (or a signature holding it): the other bodies in the tail are left out as
/// well, braces kept, so body ranges still map into `src`. A host's
/// `register_sync` holds a statement per synced row, a thousand in a big host, and
/// finding its closing brace is a scan of its bytes where parsing it is most of a
/// command's time.
pub fn parse_tail_outline(file: &str, src: &str, anchor: &str) -> Result<Parsed, RustError> {
    parse_masked(file, src, anchor, true)
}

/// Like [`parse_tail_outline`], from the top of the file: for a step that found only
/// test code in the tail (a `#[cfg(test)]` module after the host's own items), where
/// the items it wants sit above.
pub fn parse_outline(file: &str, src: &str, anchor: &str) -> Result<Parsed, RustError> {
    parse_masked_from(file, src, anchor, true, Some(0))
}

fn parse_masked(file: &str, src: &str, anchor: &str, outline: bool) -> Result<Parsed, RustError> {
    parse_masked_from(file, src, anchor, outline, None)
}

fn parse_masked_from(
    file: &str,
    src: &str,
    anchor: &str,
    outline: bool,
    from: Option<usize>,
) -> Result<Parsed, RustError> {
    // The anchor's last occurrence, searched once: a host's lib.rs is long.
    let last = src.rfind(anchor);
    // Without the anchor an outline still skips the bodies, from the top of the file.
    let start = match (from, last) {
        (Some(from), _) => from,
        (None, Some(at)) => item_start(src, at),
        (None, None) if outline => 0,
        (None, None) => return parse(file, src),
    };
    let bodies: Vec<Range<usize>> = if outline {
        let mut cut = Vec::new();
        for body in fn_bodies(src, start) {
            if !src[body.clone()].contains(anchor) {
                cut.push(body);
            } else if let Some(at) = last.filter(|at| body.contains(at)) {
                cut.extend(statements_before(src, body, at));
            }
        }
        cut
    } else {
        Vec::new()
    };
    if start > 0 || !bodies.is_empty() {
        let cuts = std::iter::once(0..start).chain(bodies).collect();
        if let Some(parsed) = Parsed::cut(src, cuts) {
            return Ok(parsed);
        }
    }
    parse(file, src)
}

/// In the function body `body`, the runs of whole statements before the one holding
/// byte `at`, `let` statements aside: a step reading the anchor's statement needs the
/// function's signature and locals, not the hundred registrations before it, which
/// would be most of what is parsed. A statement with the word `let` anywhere is kept
/// (a local binding, or a closure holding one: keeping too much is only slower). Each
/// run starts at the body's start or after a `;` of the body's own level, and ends
/// after one.
fn statements_before(src: &str, body: Range<usize>, at: usize) -> Vec<Range<usize>> {
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut depth = 0usize;
    let mut statement = body.start;
    for (i, b) in super::splice::CodeBytes::new(src, body.start) {
        if i >= at {
            break;
        }
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b';' if depth == 0 => {
                let binds = src[statement..i]
                    .match_indices("let")
                    .any(|(j, _)| super::splice::word_at(src, statement + j, "let"));
                match runs.last_mut() {
                    _ if binds => {}
                    Some(run) if run.end == statement => run.end = i + 1,
                    _ => runs.push(statement..i + 1),
                }
                statement = i + 1;
            }
            _ => {}
        }
    }
    runs
}

/// The insides of the outermost function bodies in `src` from byte `from` on: after each
/// `fn` keyword, the braces opened before a `;` (a body-less declaration) outside the
/// parameters' parentheses and brackets.
fn fn_bodies(src: &str, from: usize) -> Vec<Range<usize>> {
    let mut bodies = Vec::new();
    let mut code = super::splice::CodeBytes::new(src, from);
    let mut in_signature = false;
    let mut nesting = 0usize;
    while let Some((i, b)) = code.next() {
        match b {
            b'f' if !in_signature && super::splice::word_at(src, i, "fn") => {
                in_signature = true;
                nesting = 0;
            }
            _ if !in_signature => {}
            b'(' | b'[' => nesting += 1,
            b')' | b']' => nesting = nesting.saturating_sub(1),
            b';' if nesting == 0 => in_signature = false,
            b'{' if nesting == 0 => {
                in_signature = false;
                let Some(close) = super::splice::closing_delimiter(src, i) else {
                    break;
                };
                bodies.push(i + 1..close);
                code = super::splice::CodeBytes::new(src, close + 1);
            }
            _ => {}
        }
    }
    bodies
}

/// The start of the line where the top-level item holding byte `at` begins: the
/// nearest line above that starts at column 0 with something other than a closing
/// delimiter or a comment, with the attributes and doc comments right above it.
fn item_start(src: &str, at: usize) -> usize {
    let mut start = super::splice::line_start(src, at);
    let opens_item = |line: &str| {
        line.starts_with(|c: char| c.is_ascii_alphabetic() || c == '#' || c == '/') && !line.starts_with("//")
            || line.starts_with("///")
    };
    loop {
        let line = &src[start..super::splice::line_end(src, start)];
        if opens_item(line) && !line.starts_with("///") && !line.starts_with("#[") {
            break;
        }
        if start == 0 {
            return 0;
        }
        start = super::splice::line_start(src, start - 1);
    }
    // Keep the item's attributes and doc comments with it.
    while start > 0 {
        let above = super::splice::line_start(src, start - 1);
        let line = &src[above..start];
        if line.starts_with("#[") || line.starts_with("///") {
            start = above;
        } else {
            break;
        }
    }
    start
}

/// A parse of a Rust file, or of a copy of it with parts cut out (bodies a step does
/// not read): the lexer then reads only what is kept, where a blanked copy of a long
/// host file cost a pass over every byte. [`Parsed::range`] maps a span back to the
/// file's bytes.
pub struct Parsed {
    file: syn::File,
    shift: Shift,
}

impl std::ops::Deref for Parsed {
    type Target = syn::File;

    fn deref(&self) -> &syn::File {
        &self.file
    }
}

impl Parsed {
    fn whole(file: syn::File) -> Parsed {
        Parsed {
            file,
            shift: Shift::default(),
        }
    }

    /// `src` parsed with the byte ranges `cuts` (each between two tokens) left out;
    /// `None` when that does not parse.
    pub(crate) fn cut(src: &str, cuts: Vec<Range<usize>>) -> Option<Parsed> {
        let (kept, shift) = cut_out(src, cuts);
        let file = syn::parse_file(&kept).ok()?;
        Some(Parsed {
            file,
            shift: Shift(shift),
        })
    }

    /// The bytes of the file a span covers.
    pub fn range(&self, span: Span) -> Range<usize> {
        self.shift.range(span)
    }
}

/// `src` without the byte ranges `cuts` (in any order; where they overlap, their union),
/// and where the cuts were: `(offset in what is kept, bytes cut up to there)`.
pub(crate) fn cut_out(src: &str, mut cuts: Vec<Range<usize>>) -> (String, Vec<(usize, usize)>) {
    cuts.sort_by_key(|c| c.start);
    let mut kept = String::with_capacity(src.len());
    let mut shift = Vec::new();
    let (mut from, mut gone) = (0, 0);
    for cut in cuts {
        let start = cut.start.max(from);
        if cut.end <= start {
            continue;
        }
        kept.push_str(&src[from..start]);
        gone += cut.end - start;
        shift.push((kept.len(), gone));
        from = cut.end;
    }
    kept.push_str(&src[from..]);
    (kept, shift)
}

/// Where a parsed copy had bytes cut out: `(offset in the copy, bytes cut up to there)`,
/// in order.
#[derive(Default)]
struct Shift(Vec<(usize, usize)>);

impl Shift {
    fn range(&self, span: Span) -> Range<usize> {
        let r = span.byte_range();
        // A token starts after the cuts at or before it, and ends after those before.
        self.past(r.start, |c| c <= r.start)..self.past(r.end, |c| c < r.end)
    }

    fn past(&self, at: usize, before: impl Fn(usize) -> bool) -> usize {
        let n = self.0.partition_point(|&(c, _)| before(c));
        at + n.checked_sub(1).map_or(0, |i| self.0[i].1)
    }
}

// `Spanned::span()` on a syntax node prints the node to tokens to join their spans,
// which is quadratic down a method chain: ranges below are taken from the first and
// last tokens instead.

/// Where an attribute starts: its `#`.
fn attr_start(s: &Shift, attr: &syn::Attribute) -> usize {
    s.range(attr.pound_token.span).start
}

/// Where a path starts.
fn expr_path_start(s: &Shift, path: &syn::Path) -> usize {
    match (&path.leading_colon, path.segments.first()) {
        (Some(colons), _) => s.range(colons.spans[0]).start,
        (None, Some(first)) => s.range(first.ident.span()).start,
        (None, None) => 0,
    }
}

/// Where an expression starts: the start of the innermost receiver of a method chain,
/// or of the expression itself for anything else (small, so its span is cheap).
fn expr_start(s: &Shift, expr: &syn::Expr) -> usize {
    match expr {
        syn::Expr::MethodCall(call) => expr_start(s, &call.receiver),
        syn::Expr::Field(field) => expr_start(s, &field.base),
        syn::Expr::Await(aw) => expr_start(s, &aw.base),
        syn::Expr::Try(t) => expr_start(s, &t.expr),
        syn::Expr::Call(call) => expr_start(s, &call.func),
        other => s.range(other.span()).start,
    }
}

/// A `#[rowkey { … }]` attribute on a `#[derive(RowKeySchema)]` item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowKeyBlock {
    /// The name of the item deriving it (`RowKeys`).
    pub item: String,
    /// The attribute's bytes, `#[rowkey { … }]`.
    pub attr: Range<usize>,
    /// The bytes of its body, between the braces.
    pub body: Range<usize>,
}

/// Every `#[rowkey { … }]` block in the file.
pub fn rowkey_blocks(file: &Parsed) -> Vec<RowKeyBlock> {
    let s = &file.shift;
    let mut blocks = Vec::new();
    for item in &file.items {
        let (attrs, ident) = match item {
            syn::Item::Struct(s) => (&s.attrs, &s.ident),
            syn::Item::Enum(e) => (&e.attrs, &e.ident),
            _ => continue,
        };
        if !derives(attrs, "RowKeySchema") {
            continue;
        }
        for attr in attrs {
            if let syn::Meta::List(list) = &attr.meta
                && list.path.is_ident("rowkey")
            {
                let delim = list.delimiter.span();
                blocks.push(RowKeyBlock {
                    item: ident.to_string(),
                    attr: attr_start(s, attr)..s.range(attr.bracket_token.span.close()).end,
                    body: s.range(delim.open()).end..s.range(delim.close()).start,
                });
            }
        }
    }
    blocks
}

fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("derive")
            && attr
                .parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
                .is_ok_and(|paths| {
                    paths
                        .iter()
                        .any(|p| p.segments.last().is_some_and(|s| s.ident == name))
                })
    })
}

/// A method call statement such as `integrations.register::<dyn T>(…);`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallSite {
    /// The bytes of the whole call expression.
    pub call: Range<usize>,
    /// The source of the turbofish type (`dyn MyProviderBackendDeps`), if any.
    pub turbofish: Option<String>,
    /// The byte range of the turbofish type.
    pub turbofish_range: Option<Range<usize>>,
    /// The receiver as a plain place (`integrations`, `self.integrations`), when it is one.
    pub receiver: Option<String>,
    /// The arguments' sources.
    pub args: Vec<String>,
}

/// The byte ranges of every item under `#[cfg(test)]` (at any depth): test code is never
/// where a host registers, implements or resolves anything, so no step anchors there.
pub fn test_ranges(file: &Parsed) -> Vec<Range<usize>> {
    let s = &file.shift;
    fn is_test(s: &Shift, attrs: &[syn::Attribute]) -> Option<usize> {
        attrs
            .iter()
            .find(|a| {
                a.path().is_ident("cfg")
                    && a.parse_args::<syn::Meta>()
                        .is_ok_and(|m| matches!(&m, syn::Meta::Path(p) if p.is_ident("test")))
            })
            .map(|a| attr_start(s, a))
    }
    // Items and the modules holding them, not function bodies: walking every
    // expression of a long file would cost more than the parse.
    fn walk(s: &Shift, items: &[syn::Item], found: &mut Vec<Range<usize>>) {
        for item in items {
            // A span's byte range is a lookup: taken only for test items.
            let (attrs, end): (_, &dyn Fn() -> Option<usize>) = match item {
                syn::Item::Mod(m) => (&m.attrs, &|| {
                    m.content.as_ref().map(|(b, _)| s.range(b.span.close()).end)
                }),
                syn::Item::Fn(f) => (&f.attrs, &|| Some(s.range(f.block.brace_token.span.close()).end)),
                syn::Item::Impl(i) => (&i.attrs, &|| Some(s.range(i.brace_token.span.close()).end)),
                _ => continue,
            };
            match is_test(s, attrs).and_then(|start| Some(start..end()?)) {
                Some(test) => found.push(test),
                _ => {
                    if let syn::Item::Mod(syn::ItemMod {
                        content: Some((_, inner)),
                        ..
                    }) = item
                    {
                        walk(s, inner, found);
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(s, &file.items, &mut found);
    found
}

/// [`parse_tail_outline`] for a step that skips test code: when the tail holds a
/// `#[cfg(test)]` item, the file from its top (in outline), since the host's own items
/// may sit above the test module. Returns the parse and its test ranges.
pub fn parse_outline_skipping_tests(
    file: &str,
    src: &str,
    anchor: &str,
) -> Result<(Parsed, Vec<Range<usize>>), RustError> {
    let parsed = parse_tail_outline(file, src, anchor)?;
    let tests = test_ranges(&parsed);
    if tests.is_empty() {
        return Ok((parsed, tests));
    }
    let parsed = parse_outline(file, src, anchor)?;
    let tests = test_ranges(&parsed);
    Ok((parsed, tests))
}

/// Whether `at` lies in one of `ranges`.
pub fn within(ranges: &[Range<usize>], at: usize) -> bool {
    ranges.iter().any(|r| r.contains(&at))
}

/// A place expression's text when it is a plain one: `name`, `self.field`, `a.b.c`.
fn place(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Path(p) if p.qself.is_none() && p.path.get_ident().is_some() => {
            Some(p.path.get_ident()?.to_string())
        }
        syn::Expr::Field(f) => {
            let base = place(&f.base)?;
            match &f.member {
                syn::Member::Named(name) => Some(format!("{base}.{name}")),
                syn::Member::Unnamed(i) => Some(format!("{base}.{}", i.index)),
            }
        }
        _ => None,
    }
}

/// Every call of method `name` in the file, in source order.
pub fn method_calls(file: &Parsed, src: &str, name: &str) -> Vec<CallSite> {
    let s = &file.shift;
    struct Calls<'s> {
        s: &'s Shift,
        src: &'s str,
        name: &'s str,
        found: Vec<CallSite>,
    }
    impl<'ast> Visit<'ast> for Calls<'_> {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            let s = self.s;
            if call.method == self.name {
                let ty = call
                    .turbofish
                    .as_ref()
                    .and_then(|t| t.args.first())
                    .map(|arg| s.range(arg.span()));
                let args = call
                    .args
                    .iter()
                    .map(|a| self.src[expr_start(s, a)..s.range(a.span()).end].to_owned())
                    .collect();
                self.found.push(CallSite {
                    call: expr_start(s, &call.receiver)..s.range(call.paren_token.span.close()).end,
                    turbofish: ty.clone().map(|r| self.src[r].to_owned()),
                    turbofish_range: ty,
                    receiver: place(&call.receiver),
                    args,
                });
            }
            syn::visit::visit_expr_method_call(self, call);
        }
    }
    let mut calls = Calls {
        s,
        src,
        name,
        found: Vec::new(),
    };
    calls.visit_file(file);
    calls.found.sort_by_key(|c| c.call.start);
    calls.found
}

/// An `impl Trait for Type` block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImplBlock {
    /// The trait's last path segment (`MyProviderBackendDeps`).
    pub trait_name: String,
    /// The implementing type's source (`HostDeps`).
    pub self_ty: String,
    /// The bytes of the whole impl, attributes and doc comments included.
    pub range: Range<usize>,
    /// Each method's name with the bytes of the whole method, attributes included.
    pub methods: Vec<(String, Range<usize>)>,
}

/// Every trait impl at the file's top level (and in inline modules) whose trait name
/// ends with `suffix`.
pub fn trait_impls(file: &Parsed, src: &str, suffix: &str) -> Vec<ImplBlock> {
    let s = &file.shift;
    struct Impls<'s> {
        s: &'s Shift,
        src: &'s str,
        suffix: &'s str,
        found: Vec<ImplBlock>,
    }
    impl<'ast> Visit<'ast> for Impls<'_> {
        fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
            let s = self.s;
            if let Some((_, path, _)) = &item.trait_
                && let Some(last) = path.segments.last()
                && last.ident.to_string().ends_with(self.suffix)
            {
                let start = item
                    .attrs
                    .first()
                    .map_or(s.range(item.impl_token.span).start, |a| attr_start(s, a));
                let methods = item
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        syn::ImplItem::Fn(f) => {
                            let start = match (f.attrs.first(), &f.vis) {
                                (Some(attr), _) => attr_start(s, attr),
                                (None, syn::Visibility::Inherited) => s.range(f.sig.fn_token.span).start,
                                (None, vis) => s.range(vis.span()).start,
                            };
                            Some((
                                f.sig.ident.to_string(),
                                start..s.range(f.block.brace_token.span.close()).end,
                            ))
                        }
                        _ => None,
                    })
                    .collect();
                self.found.push(ImplBlock {
                    trait_name: last.ident.to_string(),
                    self_ty: self.src[s.range(item.self_ty.span())].to_owned(),
                    range: start..s.range(item.brace_token.span.close()).end,
                    methods,
                });
            }
            syn::visit::visit_item_impl(self, item);
        }
    }
    let mut impls = Impls {
        s,
        src,
        suffix,
        found: Vec::new(),
    };
    impls.visit_file(file);
    impls.found.sort_by_key(|i| i.range.start);
    impls.found
}

/// A `match` whose arms are string literals: a hand-written `UserAuth` kind match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindMatch {
    /// The literal kinds it matches, in order.
    pub kinds: Vec<String>,
    /// The bytes of each string-literal arm, in order.
    pub arms: Vec<Range<usize>>,
    /// The first arm that is not a string literal (the fallback), if any.
    pub fallback: Option<Range<usize>>,
}

/// The kind match inside `fn <method>` of every `impl <trait_name> for …` in the file.
pub fn kind_matches(file: &Parsed, trait_name: &str, method: &str) -> Vec<KindMatch> {
    let s = &file.shift;
    struct Matches<'s> {
        s: &'s Shift,
        found: Vec<KindMatch>,
    }
    impl<'ast> Visit<'ast> for Matches<'_> {
        fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
            let s = self.s;
            let mut kinds = Vec::new();
            let mut arms = Vec::new();
            let mut fallback = None;
            for arm in &m.arms {
                match &arm.pat {
                    syn::Pat::Lit(syn::PatLit {
                        lit: syn::Lit::Str(kind),
                        ..
                    }) => {
                        kinds.push(kind.value());
                        arms.push(s.range(arm.span()));
                    }
                    _ if fallback.is_none() => fallback = Some(s.range(arm.span())),
                    _ => {}
                }
            }
            if !kinds.is_empty() {
                self.found.push(KindMatch {
                    kinds,
                    arms,
                    fallback,
                });
            }
            syn::visit::visit_expr_match(self, m);
        }
    }
    let mut matches = Matches { s, found: Vec::new() };
    for item in &file.items {
        if let syn::Item::Impl(imp) = item
            && imp
                .trait_
                .as_ref()
                .is_some_and(|(_, p, _)| p.segments.last().is_some_and(|s| s.ident == trait_name))
        {
            for impl_item in &imp.items {
                if let syn::ImplItem::Fn(f) = impl_item
                    && f.sig.ident == method
                {
                    matches.visit_block(&f.block);
                }
            }
        }
    }
    matches.found
}

/// A macro invocation item such as `tento::auth_registry! { … }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MacroItem {
    /// The bytes of the whole invocation.
    pub range: Range<usize>,
    /// The bytes inside the last brace-delimited group of its tokens (the struct body
    /// of `pub struct HostAuthKinds { … }`), when it has one.
    pub inner_body: Option<Range<usize>>,
}

/// Every top-level invocation of a macro whose path ends with `name`.
pub fn macro_items(file: &Parsed, name: &str) -> Vec<MacroItem> {
    let s = &file.shift;
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Macro(m) if m.mac.path.segments.last().is_some_and(|s| s.ident == name) => {
                let inner_body = m.mac.tokens.clone().into_iter().filter_map(|tt| match tt {
                    proc_macro2::TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::Brace => {
                        Some(s.range(g.span_open()).end..s.range(g.span_close()).start)
                    }
                    _ => None,
                });
                Some(MacroItem {
                    range: m
                        .attrs
                        .first()
                        .map_or_else(|| expr_path_start(s, &m.mac.path), |a| attr_start(s, a))
                        ..s.range(m.mac.delimiter.span().close()).end,
                    inner_body: inner_body.last(),
                })
            }
            _ => None,
        })
        .collect()
}

/// A function taking a parameter of a given type, such as `fn register_integrations(
/// integrations: &mut IntegrationDeps, deps: &Arc<HostDeps>)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FnWithParam {
    /// The function's name.
    pub name: String,
    /// Every parameter as `(name, type source)`.
    pub params: Vec<(String, String)>,
    /// The bytes inside its body's braces.
    pub body: Range<usize>,
    /// Whether it returns `()`, so statements may be appended at the end of its body.
    pub returns_unit: bool,
    /// Where its `fn` keyword is.
    pub start: usize,
    /// Its body's `let` bindings of a plain name, as `(name, the whole statement's source)`
    /// (read by [`fn_around`] only; empty from [`fns_with_param`]).
    pub locals: Vec<(String, String)>,
}

impl FnWithParam {
    /// The source of what binds `name` in the function: a parameter's type or a local's
    /// whole `let` statement.
    pub fn binding(&self, name: &str) -> Option<&str> {
        self.locals
            .iter()
            .rev()
            .chain(&self.params)
            .find(|(n, _)| n == name)
            .map(|(_, text)| text.as_str())
    }
}

/// The function whose body holds byte `at`, whatever its parameters.
pub fn fn_around(file: &Parsed, src: &str, at: usize) -> Option<FnWithParam> {
    let s = &file.shift;
    functions(file)
        .into_iter()
        .filter(|(_, block)| body(s, block).contains(&at))
        .min_by_key(|(_, block)| body(s, block).len())
        .map(|(sig, block)| fn_with_param(s, sig, block, src, true))
}

fn fn_with_param(
    s: &Shift,
    sig: &syn::Signature,
    block: &syn::Block,
    src: &str,
    with_locals: bool,
) -> FnWithParam {
    let params = sig
        .inputs
        .iter()
        .filter_map(|arg| match arg {
            syn::FnArg::Typed(t) => Some((
                src[s.range(t.pat.span())].to_owned(),
                src[s.range(t.ty.span())].to_owned(),
            )),
            syn::FnArg::Receiver(_) => None,
        })
        .collect();
    // Locals only where a step reads them: a host's `register_sync` holds a thousand
    // statements.
    let stmts = if with_locals { &block.stmts[..] } else { &[] };
    let locals = stmts
        .iter()
        .filter_map(|stmt| match stmt {
            syn::Stmt::Local(local) => {
                let name = match &local.pat {
                    syn::Pat::Ident(p) => p.ident.to_string(),
                    syn::Pat::Type(t) => match &*t.pat {
                        syn::Pat::Ident(p) => p.ident.to_string(),
                        _ => return None,
                    },
                    _ => return None,
                };
                let end = s.range(local.semi_token.span).end;
                Some((name, src[s.range(local.let_token.span).start..end].to_owned()))
            }
            _ => None,
        })
        .collect();
    FnWithParam {
        name: sig.ident.to_string(),
        params,
        body: body(s, block),
        returns_unit: matches!(sig.output, syn::ReturnType::Default),
        start: s.range(sig.fn_token.span).start,
        locals,
    }
}

/// Every function (free, or in an inherent impl) with a parameter whose type's source,
/// without spaces, contains `ty` (such as `&mutIntegrationDeps`).
pub fn fns_with_param(file: &Parsed, src: &str, ty: &str) -> Vec<FnWithParam> {
    let s = &file.shift;
    functions(file)
        .into_iter()
        .filter(|(sig, _)| {
            sig.inputs.iter().any(|arg| {
                matches!(arg, syn::FnArg::Typed(t) if super::splice::compact(&src[s.range(t.ty.span())]).contains(ty))
            })
        })
        .map(|(sig, block)| fn_with_param(s, sig, block, src, false))
        .collect()
}

/// The bodies (inside their braces) of every function whose return type's last path
/// segment is `ty`.
pub fn fn_bodies_returning(file: &Parsed, ty: &str) -> Vec<Range<usize>> {
    let s = &file.shift;
    functions(file)
        .into_iter()
        .filter(|(sig, _)| match &sig.output {
            syn::ReturnType::Type(_, ret) => {
                matches!(&**ret, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == ty))
            }
            syn::ReturnType::Default => false,
        })
        .map(|(_, block)| body(s, block))
        .collect()
}

/// Every function in the file, free or in an impl, at any depth, in source order.
fn functions(file: &Parsed) -> Vec<(&syn::Signature, &syn::Block)> {
    struct Fns<'ast> {
        found: Vec<(&'ast syn::Signature, &'ast syn::Block)>,
    }
    impl<'ast> Visit<'ast> for Fns<'ast> {
        fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
            self.found.push((&f.sig, &f.block));
            syn::visit::visit_item_fn(self, f);
        }
        fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
            self.found.push((&f.sig, &f.block));
            syn::visit::visit_impl_item_fn(self, f);
        }
    }
    let mut fns = Fns { found: Vec::new() };
    fns.visit_file(file);
    fns.found
}

/// The bytes inside a block's braces.
fn body(s: &Shift, block: &syn::Block) -> Range<usize> {
    let b = block.brace_token.span;
    s.range(b.open()).end..s.range(b.close()).start
}

/// Every call of a path ending in `suffix` (such as `FakeRowKeyDeps::new`).
pub fn path_calls(file: &Parsed, suffix: &[&str]) -> Vec<Range<usize>> {
    let s = &file.shift;
    struct Calls<'s> {
        s: &'s Shift,
        suffix: &'s [&'s str],
        found: Vec<Range<usize>>,
    }
    impl<'ast> Visit<'ast> for Calls<'_> {
        fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
            let s = self.s;
            if let syn::Expr::Path(p) = &*call.func {
                let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
                if segs.len() >= self.suffix.len() && segs[segs.len() - self.suffix.len()..] == *self.suffix {
                    self.found
                        .push(expr_start(s, &call.func)..s.range(call.paren_token.span.close()).end);
                }
            }
            syn::visit::visit_expr_call(self, call);
        }
    }
    let mut calls = Calls {
        s,
        suffix,
        found: Vec::new(),
    };
    calls.visit_file(file);
    calls.found
}

/// The names of the structs with a named field `field`.
pub fn structs_with_field(file: &Parsed, field: &str) -> Vec<String> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s)
                if s.fields
                    .iter()
                    .any(|f| f.ident.as_ref().is_some_and(|i| i == field)) =>
            {
                Some(s.ident.to_string())
            }
            _ => None,
        })
        .collect()
}

/// The whole lines of the statement a call starts: from the start of the call's line to
/// the end of the line of the `;` that ends it.
pub fn statement_lines(src: &str, call: &Range<usize>) -> Range<usize> {
    use super::splice::{line_end, line_start};
    let after = &src[call.end..];
    let semi = after.find(';').map_or(call.end, |i| call.end + i);
    line_start(src, call.start)..line_end(src, semi)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: &str = r#"//! host
use std::sync::Arc;

/// Routes.
#[derive(Debug, RowKeySchema)]
#[rowkey {
    [integration = ::a::connector::A] {
        ":~a:{authId}" { ":rows" { get } }
    }
}]
pub struct RowKeys;

pub fn wire(integrations: &mut IntegrationDeps, deps: &Arc<HostDeps>) {
    integrations.register::<dyn ABackendDeps>(deps.clone() as Arc<dyn ABackendDeps>);
    integrations.register::<dyn b::BBackendDeps>(
        deps.clone() as Arc<dyn b::BBackendDeps>
    );
}

/// A's seam.
impl a::ABackendDeps for HostDeps {
    fn persist_cells<'a>(&'a self, row_id: Uuid, cells: Vec<Cell>) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move { self.store.put(row_id, cells).await.map(drop) })
    }
}

impl UserAuth for HostUserAuth {
    fn credentials<'a>(&'a self, kind: &'a str, id: &'a str) -> Fut<'a> {
        Box::pin(async move {
            let typed = match kind {
                "a" => decode_credentials::<AAuth>(raw)?,
                "b" => decode_credentials::<b::BAuth>(raw)?,
                other => return Err(unknown(other)),
            };
            Ok(Some(typed))
        })
    }
}
"#;

    #[test]
    fn finds_the_rowkey_block_body() {
        let file = parse("lib.rs", HOST).unwrap();
        let blocks = rowkey_blocks(&file);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].item, "RowKeys");
        let body = &HOST[blocks[0].body.clone()];
        assert!(
            body.starts_with("\n    [integration = ::a::connector::A]"),
            "{body:?}"
        );
        assert!(body.ends_with("}\n"), "{body:?}");
        assert!(HOST[blocks[0].attr.clone()].starts_with("#[rowkey {"));
    }

    #[test]
    fn finds_register_calls_with_their_traits_in_order() {
        let file = parse("lib.rs", HOST).unwrap();
        let calls = method_calls(&file, HOST, "register");
        let traits: Vec<_> = calls.iter().map(|c| c.turbofish.clone().unwrap()).collect();
        assert_eq!(traits, ["dyn ABackendDeps", "dyn b::BBackendDeps"]);
        let last = statement_lines(HOST, &calls[1].call);
        assert!(HOST[last.clone()].starts_with("    integrations.register::<dyn b::BBackendDeps>(\n"));
        assert!(HOST[last].ends_with(");\n"));
    }

    #[test]
    fn finds_backend_deps_impls_and_their_methods() {
        let file = parse("lib.rs", HOST).unwrap();
        let impls = trait_impls(&file, HOST, "BackendDeps");
        assert_eq!(impls.len(), 1);
        assert_eq!(impls[0].trait_name, "ABackendDeps");
        assert_eq!(impls[0].self_ty, "HostDeps");
        assert!(HOST[impls[0].range.clone()].starts_with("/// A's seam.\nimpl a::ABackendDeps"));
        let (name, method) = &impls[0].methods[0];
        assert_eq!(name, "persist_cells");
        let method = &HOST[method.clone()];
        assert!(method.starts_with("fn persist_cells<'a>("), "{method}");
        assert!(
            method.ends_with("Box::pin(async move { self.store.put(row_id, cells).await.map(drop) })\n    }"),
            "{method}"
        );
    }

    #[test]
    fn finds_the_user_auth_kind_match() {
        let file = parse("lib.rs", HOST).unwrap();
        let found = kind_matches(&file, "UserAuth", "credentials");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kinds, ["a", "b"]);
        assert_eq!(
            &HOST[found[0].arms[1].clone()],
            "\"b\" => decode_credentials::<b::BAuth>(raw)?,"
        );
        assert!(HOST[found[0].fallback.clone().unwrap()].starts_with("other =>"));
    }

    #[test]
    fn finds_macro_bodies_fns_by_parameter_and_path_calls() {
        let src = "tento::auth_registry! {\n    pub struct K {\n        a::AAuth,\n    }\n}\nfn wire(i: &mut IntegrationDeps, deps: &Arc<HostDeps>) {}\nfn boot() -> u8 { let x = FakeRowKeyDeps::new(); 1 }\n";
        let file = parse("lib.rs", src).unwrap();
        let items = macro_items(&file, "auth_registry");
        assert_eq!(items.len(), 1);
        assert_eq!(
            &src[items[0].inner_body.clone().unwrap()],
            "\n        a::AAuth,\n    "
        );
        let fns = fns_with_param(&file, src, "&mutIntegrationDeps");
        assert_eq!(fns.len(), 1);
        assert_eq!(fns[0].params[1], ("deps".to_owned(), "&Arc<HostDeps>".to_owned()));
        assert!(fns[0].returns_unit);
        let calls = path_calls(&file, &["FakeRowKeyDeps", "new"]);
        assert_eq!(&src[calls[0].clone()], "FakeRowKeyDeps::new()");
    }

    #[test]
    fn a_tail_parse_finds_the_same_spans_as_a_whole_one() {
        let whole = parse("lib.rs", HOST).unwrap();
        let tail = parse_tail("lib.rs", HOST, "BackendDeps for").unwrap();
        assert!(
            tail.items.len() < whole.items.len(),
            "the tail skips the items before the impl"
        );
        assert_eq!(
            trait_impls(&tail, HOST, "BackendDeps"),
            trait_impls(&whole, HOST, "BackendDeps")
        );
        let tail = parse_tail("lib.rs", HOST, "&mut IntegrationDeps").unwrap();
        assert_eq!(
            fns_with_param(&tail, HOST, "&mutIntegrationDeps"),
            fns_with_param(&whole, HOST, "&mutIntegrationDeps")
        );
        let nested = "mod m {\n    fn f(x: &mut IntegrationDeps) {}\n}\n";
        let tail = parse_tail("lib.rs", nested, "&mut IntegrationDeps").unwrap();
        assert_eq!(
            tail.items.len(),
            1,
            "an anchor in a nested item parses from that item"
        );
    }

    #[test]
    fn an_outline_keeps_the_locals_before_the_anchors_statement() {
        let src = "fn wire(i: &mut IntegrationDeps, d: &Arc<HostDeps>) {\n    i.register::<dyn A>(x);\n    let deps = d.clone();\n    i.register::<dyn B>(deps);\n    i.register::<dyn C>(deps.clone());\n    i.done();\n}\n";
        let outline = parse_tail_outline("lib.rs", src, "register::<dyn").unwrap();
        let calls = method_calls(&outline, src, "register");
        let tys: Vec<_> = calls.iter().map(|c| c.turbofish.clone().unwrap()).collect();
        assert_eq!(tys, ["dyn C"]);
        let f = fn_around(&outline, src, calls[0].call.start).unwrap();
        assert_eq!(f.binding("deps"), Some("let deps = d.clone();"));
        let whole = parse("lib.rs", src).unwrap();
        assert_eq!(f, fn_around(&whole, src, calls[0].call.start).unwrap());
    }

    #[test]
    fn an_outline_finds_the_same_spots_with_the_other_bodies_cut() {
        // A long body with braces in strings, chars and comments, as the function
        // registering every synced row would hold.
        let mut src = HOST.to_owned();
        src.push_str(
            "\npub fn register_sync(\n    orchestrator: &mut Orchestrator,\n    deps: &Arc<HostDeps>,\n) {\n",
        );
        for i in 0..50 {
            src.push_str(&format!(
                "    orchestrator.add::<R{i}>(\"}}{{\", '}}', r#\"{{\"#); // }}\n"
            ));
        }
        src.push_str("}\n\nfn after() -> u8 {\n    1\n}\n");
        let whole = parse("lib.rs", &src).unwrap();
        // Each anchor as a step uses it; without one, the whole file in outline.
        for (anchor, tys) in [
            ("&mut Orchestrator", &["&mutOrchestrator"][..]),
            ("&mut IntegrationDeps", &["&mutIntegrationDeps"]),
            ("absent", &["&mutOrchestrator", "&mutIntegrationDeps"]),
        ] {
            let outline = parse_tail_outline("lib.rs", &src, anchor).unwrap();
            for ty in tys {
                let found = fns_with_param(&outline, &src, ty);
                assert!(!found.is_empty(), "{anchor}");
                assert_eq!(found, fns_with_param(&whole, &src, ty), "{anchor}");
            }
        }
        for anchor in ["BackendDeps for", "absent"] {
            let outline = parse_tail_outline("lib.rs", &src, anchor).unwrap();
            assert_eq!(
                trait_impls(&outline, &src, "BackendDeps"),
                trait_impls(&whole, &src, "BackendDeps"),
                "{anchor}"
            );
        }
        let outline = parse_tail_outline("lib.rs", &src, "register::<dyn").unwrap();
        let all = method_calls(&whole, &src, "register");
        assert_eq!(
            method_calls(&outline, &src, "register"),
            all[1..],
            "the statement holding the last anchor is parsed, not those before it"
        );
        let around = |file: &Parsed| fn_around(file, &src, all[1].call.start).unwrap();
        assert_eq!(around(&outline), around(&whole), "its function is whole");
        assert!(
            method_calls(&outline, &src, "add").is_empty(),
            "the other bodies are not"
        );
        let sync = fns_with_param(&whole, &src, "&mutOrchestrator");
        assert!(
            src[sync[0].body.clone()].ends_with("// }\n"),
            "the body ends at its own brace"
        );
    }

    #[test]
    fn test_code_is_found_at_any_depth_and_nothing_else() {
        let src = "fn a() {}\n#[cfg(test)]\nmod tests {\n    fn b() {}\n}\nmod m {\n    #[cfg(test)]\n    fn c() {}\n    #[cfg(not(test))]\n    fn d() {}\n}\n";
        let file = parse("lib.rs", src).unwrap();
        let ranges = test_ranges(&file);
        let inside = |name: &str| within(&ranges, src.find(name).unwrap());
        assert!(inside("fn b"));
        assert!(inside("fn c"));
        assert!(!inside("fn a"));
        assert!(!inside("fn d"));
        let deep = parse_outline_skipping_tests("lib.rs", src, "fn").unwrap();
        assert_eq!(deep.0.items.len(), 3, "from the top when the tail is test code");
    }

    #[test]
    fn parse_errors_carry_file_line_and_column() {
        let Err(err) = parse("src/lib.rs", "fn a() {\n  let = ;\n}") else {
            panic!("parses")
        };
        assert_eq!((err.file.as_str(), err.line), ("src/lib.rs", 2), "{err}");
        assert!(err.to_string().starts_with("src/lib.rs:2:"), "{err}");
    }
}
