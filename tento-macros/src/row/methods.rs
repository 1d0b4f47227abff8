//! The `Row` methods a row block may define as `async fn`, how each is checked, and the
//! rewrite into the trait's `BoxFuture` form.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, GenericArgument, GenericParam, Lifetime, PathArguments, ReturnType, Type};

use super::impl_block::ImplFn;
use crate::errors::Errors;
use tento_rowkey::nearest;

/// A `Row` method a block may define.
pub(super) struct RowMethod {
    pub(super) name: &'static str,
    /// Arguments, the context included.
    pub(super) args: usize,
    /// The `Verb` the method serves.
    pub(super) verb: &'static str,
    /// What to write, for messages.
    pub(super) signature: &'static str,
}

/// The `Row` methods, in `Verb` order.
pub(super) const ROW_METHODS: &[RowMethod] = &[
    RowMethod {
        name: "get",
        args: 2,
        verb: "Get",
        signature: "async fn get(ctx: RowCtx<'_, Self>, cell_id: String) -> anyhow::Result<Option<Cell>>",
    },
    RowMethod {
        name: "list_cells",
        args: 2,
        verb: "List",
        signature: "async fn list_cells(ctx: RowCtx<'_, Self>, range: Option<DateRange>) -> anyhow::Result<Vec<Cell>>",
    },
    RowMethod {
        name: "post",
        args: 2,
        verb: "Post",
        signature: "async fn post(ctx: RowCtx<'_, Self>, cell: Cell) -> anyhow::Result<Cell>",
    },
    RowMethod {
        name: "patch",
        args: 3,
        verb: "Patch",
        signature: "async fn patch(ctx: RowCtx<'_, Self>, cell_id: String, data: serde_json::Value) -> anyhow::Result<Cell>",
    },
    RowMethod {
        name: "delete",
        args: 2,
        verb: "Delete",
        signature: "async fn delete(ctx: RowCtx<'_, Self>, cell_id: String) -> anyhow::Result<()>",
    },
    RowMethod {
        name: "sync",
        args: 1,
        verb: "Sync",
        signature: "async fn sync(ctx: SyncCtx<'_, Self>) -> anyhow::Result<usize>",
    },
];

/// Names a Row method is often written under, and the method meant: the verb the
/// `#[rowkey]` DSL lists (`list`, served by `list_cells`) and the usual CRUD words.
const ALIASES: &[(&str, &str)] = &[
    ("list", "list_cells"),
    ("read", "get"),
    ("find", "get"),
    ("create", "post"),
    ("insert", "post"),
    ("add", "post"),
    ("update", "patch"),
    ("edit", "patch"),
    ("put", "patch"),
    ("remove", "delete"),
    ("destroy", "delete"),
];

/// The Row method a method named `name` was probably meant to be: an alias, the name
/// with a `_cell` suffix (`get_cell`), or a near spelling (`list_cell`, `synk`).
pub(super) fn meant_row_method(name: &str) -> Option<&'static RowMethod> {
    let by_name = |n: &str| ROW_METHODS.iter().find(|m| m.name == n);
    if let Some((_, meant)) = ALIASES.iter().find(|(alias, _)| *alias == name) {
        return by_name(meant);
    }
    if let Some(stem) = name.strip_suffix("_cells").or_else(|| name.strip_suffix("_cell"))
        && let Some(m) = by_name(stem).or_else(|| {
            ALIASES
                .iter()
                .find(|(a, _)| *a == stem)
                .and_then(|(_, m)| by_name(m))
        })
    {
        return Some(m);
    }
    nearest(name, ROW_METHODS.iter().map(|m| m.name)).and_then(by_name)
}

/// `Row` items the macro writes from its arguments, and which argument to use instead.
pub(super) const GENERATED: &[(&str, &str)] = &[
    ("lookup_key", "`key = \"…\"`"),
    ("sync_shape", "`stages = [\"…\"]`"),
    ("ROW_LABEL", "`key = \"…\"` (or `label = \"…\"`)"),
    ("SERVES", "the methods the block defines"),
    ("Integration", "`provider = …`"),
    ("Params", "the placeholders of `key = \"…\"`"),
];

/// A Row method as written, checked, ready to rewrite.
pub(super) struct Method {
    pub(super) def: &'static RowMethod,
    pub(super) item: ImplFn,
    pub(super) lifetime: Lifetime,
}

impl Method {
    /// Checks `item` against `def`; `None`, with the errors recorded, when it cannot be
    /// rewritten.
    pub(super) fn check(def: &'static RowMethod, mut item: ImplFn, errors: &mut Errors) -> Option<Method> {
        let sig = &item.sig;
        let name = &sig.ident;
        let write = def.signature;
        let before = errors.len();
        if sig.asyncness.is_none() {
            errors.at(
                sig.fn_token.span,
                format!("`{name}` is a Row method, written as an `async fn`: `{write}` (#[tento::row] boxes its future)"),
            );
        }
        if let Some(token) = sig.constness.map(|t| t.span).or(sig.unsafety.map(|t| t.span)) {
            errors.at(token, format!("a Row method is a plain `async fn`: `{write}`"));
        }
        if let Some(receiver) = sig.receiver() {
            errors.spanned(receiver, format!("Row methods take no `self`: `{write}`"));
        } else if sig.inputs.len() != def.args {
            let span = if sig.inputs.is_empty() {
                name.span()
            } else {
                sig.inputs.span()
            };
            let n = def.args;
            errors.at(
                span,
                format!(
                    "`{name}` takes {n} argument{}: `{write}`",
                    if n == 1 { "" } else { "s" }
                ),
            );
        }
        if let ReturnType::Default = sig.output {
            errors.at(name.span(), format!("`{name}` returns a result: `{write}`"));
        }
        let mut lifetimes = Vec::new();
        for param in &sig.generics.params {
            match param {
                GenericParam::Lifetime(l) => lifetimes.push(l.lifetime.clone()),
                other => errors.spanned(
                    other,
                    format!("a Row method has no type or const parameters: `{write}`"),
                ),
            }
        }
        if lifetimes.len() > 1 {
            errors.spanned(
                &sig.generics,
                format!("a Row method has at most one lifetime: `{write}`"),
            );
        }
        if let Some(clause) = &sig.generics.where_clause {
            errors.spanned(clause, format!("a Row method has no `where` clause: `{write}`"));
        }
        if errors.len() != before {
            return None;
        }
        let lifetime = lifetimes
            .pop()
            .unwrap_or_else(|| Lifetime::new("'a", Span::call_site()));
        for arg in item.sig.inputs.iter_mut() {
            if let FnArg::Typed(arg) = arg {
                name_context_lifetime(&mut arg.ty, &lifetime);
            }
        }
        Some(Method { def, item, lifetime })
    }

    /// The method in the trait's form:
    /// `fn sync<'a>(ctx: SyncCtx<'a, Self>) -> BoxFuture<'a, R> { …(async move { body }) }`,
    /// naming tento through the `__r` alias the row's expansion opens.
    pub(super) fn rewrite(&self) -> TokenStream {
        let ImplFn { attrs, sig, body, .. } = &self.item;
        let lt = &self.lifetime;
        let name = &sig.ident;
        let inputs = sig.inputs.iter().map(|arg| match arg {
            FnArg::Typed(arg) => {
                let (pat, ty) = (&arg.pat, replace_anonymous_lifetime(arg.ty.to_token_stream(), lt));
                quote!(#pat: #ty)
            }
            FnArg::Receiver(r) => r.to_token_stream(),
        });
        let expected = expected_output(self.def.name);
        // Spanned on the method's name: a body that is not `Send` is reported there.
        let span = name.span();
        let future = quote_spanned!(span=> async move);
        let boxed = quote_spanned!(span=> __r::row_future_must_be_send(__future));
        // The signature is the trait's, so it always matches; the return type written is
        // checked against it in the body, spanned on what the user wrote, so a wrong one
        // is one error there (`expected Result<usize, Error>`), in the `async fn` form.
        // The body runs in its own `async` block typed with the written return type, so
        // its `?` and `return`s are checked against what the user wrote.
        let body = match &sig.output {
            ReturnType::Type(_, ty) => {
                let written = replace_anonymous_lifetime(ty.to_token_stream(), lt);
                let check = quote_spanned!(ty.span()=> __r::row_return::<#expected, _>(__ret));
                // The block's braces carry the name's span, so rustc names the future
                // after the method (`{async block@…}`) as it did before the check.
                let mut block = proc_macro2::Group::new(
                    proc_macro2::Delimiter::Brace,
                    quote!(let __ret: #written = async move #body.await; #check),
                );
                block.set_span(span);
                block.into_token_stream()
            }
            ReturnType::Default => body.to_token_stream(),
        };
        quote! {
            #(#attrs)*
            fn #name<#lt>(#(#inputs),*) -> __r::BoxFuture<#lt, #expected> {
                let __future = #future #body;
                #boxed
            }
        }
    }
}

/// What the trait's method returns, through the `__r` alias.
fn expected_output(method: &str) -> TokenStream {
    match method {
        "get" => quote!(__r::Result<__r::Option<__r::Cell>>),
        "list_cells" => quote!(__r::Result<__r::Vec<__r::Cell>>),
        "post" | "patch" => quote!(__r::Result<__r::Cell>),
        "delete" => quote!(__r::Result<()>),
        _ => quote!(__r::Result<usize>),
    }
}

/// `SyncCtx<Self>` and `RowCtx<Self>` get the method's lifetime, as if written
/// `SyncCtx<'a, Self>`.
fn name_context_lifetime(ty: &mut Type, lifetime: &Lifetime) {
    let Type::Path(path) = ty else { return };
    let Some(last) = path.path.segments.last_mut() else {
        return;
    };
    if last.ident != "SyncCtx" && last.ident != "RowCtx" {
        return;
    }
    if let PathArguments::AngleBracketed(args) = &mut last.arguments
        && !args
            .args
            .iter()
            .any(|a| matches!(a, GenericArgument::Lifetime(_)))
    {
        args.args.insert(0, GenericArgument::Lifetime(lifetime.clone()));
    }
}

/// Every `'_` in `tokens` becomes `lifetime`.
fn replace_anonymous_lifetime(tokens: TokenStream, lifetime: &Lifetime) -> TokenStream {
    let mut out = TokenStream::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        match tt {
            TokenTree::Punct(p) if p.as_char() == '\'' => {
                if matches!(iter.peek(), Some(TokenTree::Ident(i)) if i == "_") {
                    iter.next();
                    lifetime.to_tokens(&mut out);
                } else {
                    out.extend([TokenTree::Punct(p)]);
                }
            }
            TokenTree::Group(g) => {
                let mut group =
                    proc_macro2::Group::new(g.delimiter(), replace_anonymous_lifetime(g.stream(), lifetime));
                group.set_span(g.span());
                out.extend([TokenTree::Group(group)]);
            }
            other => out.extend([other]),
        }
    }
    out
}

/// Whether an item looks meant as a Row method: `async`, or taking a row context first.
pub(super) fn looks_like_row_method(item: &ImplFn) -> bool {
    if item.sig.asyncness.is_some() {
        return true;
    }
    let Some(FnArg::Typed(first)) = item.sig.inputs.first() else {
        return false;
    };
    let Type::Path(path) = &*first.ty else {
        return false;
    };
    path.path
        .segments
        .last()
        .is_some_and(|s| s.ident == "SyncCtx" || s.ident == "RowCtx")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_crud_words_and_misspellings_name_the_row_method() {
        let meant = |name: &str| meant_row_method(name).map(|m| m.name);
        assert_eq!(meant("list"), Some("list_cells"));
        assert_eq!(meant("list_cell"), Some("list_cells"));
        assert_eq!(meant("create"), Some("post"));
        assert_eq!(meant("get_cell"), Some("get"));
        assert_eq!(meant("remove_cells"), Some("delete"));
        assert_eq!(meant("synk"), Some("sync"));
        assert_eq!(meant("helper"), None);
        assert_eq!(meant("page"), None);
    }

    #[test]
    fn anonymous_lifetimes_take_the_methods_lifetime() {
        let lt = Lifetime::new("'a", Span::call_site());
        let ty: Type = syn::parse_quote!(SyncCtx<'_, Self>);
        let out = replace_anonymous_lifetime(ty.to_token_stream(), &lt);
        assert_eq!(out.to_string(), quote!(SyncCtx<'a, Self>).to_string());
        let mut elided: Type = syn::parse_quote!(tento::connector::RowCtx<Self>);
        name_context_lifetime(&mut elided, &lt);
        assert_eq!(
            elided.to_token_stream().to_string(),
            quote!(tento::connector::RowCtx<'a, Self>).to_string()
        );
        let mut other: Type = syn::parse_quote!(Option<DateRange>);
        name_context_lifetime(&mut other, &lt);
        assert_eq!(
            other.to_token_stream().to_string(),
            quote!(Option<DateRange>).to_string()
        );
    }
}
