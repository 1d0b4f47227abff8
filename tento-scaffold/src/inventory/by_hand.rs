//! Reading a provider written by hand in the seeds' shape, without the macros: its
//! `impl Integration for <Marker>` (with `type Deps = dyn …BackendDeps`), its
//! `impl AuthProvider for <Auth>` (with `const KIND`), and an `impl Row for <Row>` per
//! row (its `lookup_key`'s format string, its `sync_shape`'s stages). Such a crate is
//! as much a provider as one the scaffold wrote, and `check` must see its rows.

use std::path::Path;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::visit::Visit;

use super::provider::{Provider, Row, serves};

/// The provider whose connector module is `connector_src`; `None` when it implements
/// no `Integration`.
pub(super) fn read(
    crate_name: &str,
    lib_name: &str,
    dir: &Path,
    connector_src: &str,
    sync_plugin: bool,
) -> Option<Provider> {
    if !connector_src.contains("Integration for") {
        return None;
    }
    let file = syn::parse_file(connector_src).ok()?;
    let impls = impls_of(&file, connector_src);
    let integration = impls.iter().find(|i| i.trait_name == "Integration")?;
    let type_name = integration.self_ty.clone();
    let deps_trait = integration
        .types
        .iter()
        .find(|(name, _)| name == "Deps")
        .map(|(_, ty)| last_segment(ty.trim_start_matches("dyn ")))
        .unwrap_or_else(|| format!("{type_name}BackendDeps"));
    let auth = impls.iter().find(|i| i.trait_name == "AuthProvider")?;
    let kind = auth.kind.clone()?;
    let connector = dir.join("src/connector");
    let mut rows = Vec::new();
    for entry in walkdir::WalkDir::new(&connector)
        .follow_links(true)
        .sort_by_file_name()
    {
        let Ok(entry) = entry else { continue };
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        if !text.contains("Row for") {
            continue;
        }
        let Ok(parsed) = syn::parse_file(&text) else {
            continue;
        };
        let rel = path.strip_prefix(&connector).unwrap_or(path);
        let mut modules: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let last = modules.pop().unwrap_or_default();
        if last != "mod.rs" {
            modules.push(last.trim_end_matches(".rs").to_owned());
        }
        for row in impls_of(&parsed, &text)
            .into_iter()
            .filter(|i| i.trait_name == "Row")
        {
            let synced = !row.stages.is_empty();
            rows.push(Row {
                path: format!("{lib_name}::connector::{}::{}", modules.join("::"), row.self_ty)
                    .replace("::::", "::"),
                modules: modules.clone(),
                type_name: row.self_ty.clone(),
                key: row.key.clone().unwrap_or_default(),
                serves: serves(&row.methods, synced),
                stages: row.stages.clone(),
                file: path.strip_prefix(dir).unwrap_or(path).display().to_string(),
            });
        }
    }
    Some(Provider {
        crate_name: crate_name.to_owned(),
        lib_name: lib_name.to_owned(),
        dir: dir.to_path_buf(),
        display: type_name.clone(),
        prefix: format!(":~{kind}:{{authId}}"),
        kind,
        sync_plugin,
        executor: dir.join("src/sync_plugin").is_dir(),
        rows,
        auth_type: auth.self_ty.clone(),
        deps_trait,
        by_hand: true,
        type_name,
    })
}

/// What an `impl Trait for Type` says that matters here.
struct Impl {
    trait_name: String,
    self_ty: String,
    /// `type Name = …;` items.
    types: Vec<(String, String)>,
    /// `const KIND: … = "…";`.
    kind: Option<String>,
    methods: Vec<String>,
    /// The lookup key, from `lookup_key`'s format string with its first placeholder
    /// as `{authId}`.
    key: Option<String>,
    /// `stages: &["…", …]` in `sync_shape`.
    stages: Vec<String>,
}

/// Every trait impl in the file, at any depth.
fn impls_of(file: &syn::File, src: &str) -> Vec<Impl> {
    struct Impls<'s>(Vec<Impl>, &'s str);
    impl<'ast> Visit<'ast> for Impls<'_> {
        fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
            if let (Some((_, path, _)), syn::Type::Path(ty)) = (&item.trait_, &*item.self_ty)
                && let (Some(trait_seg), Some(ty_seg)) = (path.segments.last(), ty.path.segments.last())
            {
                let mut found = Impl {
                    trait_name: trait_seg.ident.to_string(),
                    self_ty: ty_seg.ident.to_string(),
                    types: Vec::new(),
                    kind: None,
                    methods: Vec::new(),
                    key: None,
                    stages: Vec::new(),
                };
                for impl_item in &item.items {
                    match impl_item {
                        syn::ImplItem::Type(t) => {
                            let ty = self.1.get(span_range(&t.ty)).unwrap_or_default();
                            found.types.push((t.ident.to_string(), ty.to_owned()));
                        }
                        syn::ImplItem::Const(c) if c.ident == "KIND" => {
                            if let syn::Expr::Lit(syn::ExprLit {
                                lit: syn::Lit::Str(s),
                                ..
                            }) = &c.expr
                            {
                                found.kind = Some(s.value());
                            }
                        }
                        syn::ImplItem::Fn(f) => {
                            let name = f.sig.ident.to_string();
                            let braces = f.block.brace_token.span;
                            let body: TokenStream = self
                                .1
                                .get(braces.open().byte_range().start..braces.close().byte_range().end)
                                .and_then(|b| b.parse().ok())
                                .unwrap_or_default();
                            match name.as_str() {
                                "lookup_key" => found.key = first_key(body),
                                "sync_shape" => found.stages = stages(body),
                                _ => {}
                            }
                            found.methods.push(name);
                        }
                        _ => {}
                    }
                }
                self.0.push(found);
            }
            syn::visit::visit_item_impl(self, item);
        }
    }
    let mut impls = Impls(Vec::new(), src);
    impls.visit_file(file);
    impls.0
}

/// The bytes a node spans.
fn span_range(node: &impl syn::spanned::Spanned) -> std::ops::Range<usize> {
    node.span().byte_range()
}

/// The first string literal starting with `:~` in `tokens`, placeholders named: the
/// first `{}` is the provider's `{authId}`.
fn first_key(tokens: TokenStream) -> Option<String> {
    for tree in tokens {
        match tree {
            TokenTree::Literal(lit) => {
                if let Ok(syn::Lit::Str(s)) = syn::parse_str::<syn::Lit>(&lit.to_string())
                    && s.value().starts_with(":~")
                {
                    return Some(s.value().replacen("{}", "{authId}", 1));
                }
            }
            TokenTree::Group(g) => {
                if let Some(key) = first_key(g.stream()) {
                    return Some(key);
                }
            }
            _ => {}
        }
    }
    None
}

/// The string literals of the bracketed list after `stages` in `tokens`.
fn stages(tokens: TokenStream) -> Vec<String> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(id) if id == "stages" => {
                let list = trees[i + 1..].iter().take(4).find_map(|t| match t {
                    TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket => Some(g.stream()),
                    _ => None,
                });
                if let Some(list) = list {
                    return list
                        .into_iter()
                        .filter_map(|t| match t {
                            TokenTree::Literal(lit) => match syn::parse_str::<syn::Lit>(&lit.to_string()) {
                                Ok(syn::Lit::Str(s)) => Some(s.value()),
                                _ => None,
                            },
                            _ => None,
                        })
                        .collect();
                }
            }
            TokenTree::Group(g) => {
                let found = stages(g.stream());
                if !found.is_empty() {
                    return found;
                }
            }
            _ => {}
        }
    }
    Vec::new()
}

/// The last segment of a path's source, without spaces.
fn last_segment(path: &str) -> String {
    let compact: String = path.chars().filter(|c| !c.is_whitespace()).collect();
    compact.rsplit("::").next().unwrap_or(&compact).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The repository's provider written by hand, as the seeds write one.
    #[test]
    fn the_by_hand_example_provider_is_read_with_its_row() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/tento-myprovider");
        let src = std::fs::read_to_string(dir.join("src/connector/mod.rs")).unwrap();
        let p = read("tento-myprovider", "tento_myprovider", &dir, &src, true).unwrap();
        assert_eq!(
            (
                p.kind.as_str(),
                p.type_name.as_str(),
                p.auth_type.as_str(),
                p.deps_trait.as_str()
            ),
            (
                "myprovider",
                "MyProvider",
                "MyProviderAuth",
                "MyProviderBackendDeps"
            )
        );
        assert!(p.by_hand);
        let rows: Vec<_> = p
            .rows
            .iter()
            .map(|r| (r.path.as_str(), r.key.as_str(), r.stages.join(",")))
            .collect();
        assert_eq!(
            rows,
            [(
                "tento_myprovider::connector::activities::Activities",
                ":~myprovider:{authId}:activities",
                "viewport,backfill".to_owned()
            )]
        );
        assert!(read("x", "x", &dir, "pub struct NotAProvider;", false).is_none());
    }
}
