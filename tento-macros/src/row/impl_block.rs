//! The row's `impl` block, parsed without parsing method bodies: a body is kept as the
//! brace-delimited tokens it is and handed back as written. syn would otherwise parse
//! every statement of every method of every row on each build; this keeps expansion
//! cheap, which is most of the macro's cost on a rebuild.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::{ToTokens, TokenStreamExt};
use syn::parse::discouraged::Speculative;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Generics, ImplItem, Signature, Token, Type, Visibility};

/// `impl Type { … }` (or, to be refused, `impl Trait for Type { … }`).
pub(super) struct ImplBlock {
    pub(super) attrs: Vec<Attribute>,
    pub(super) generics: Generics,
    /// The trait, when the block is a trait impl.
    pub(super) trait_: Option<Type>,
    pub(super) self_ty: Type,
    pub(super) items: Vec<Member>,
}

/// One item of the block. (A block holds a handful, each moved once: their sizes do not
/// matter.)
#[allow(clippy::large_enum_variant)]
pub(super) enum Member {
    Fn(ImplFn),
    Other(Box<ImplItem>),
}

/// A method: its signature parsed, its body kept as tokens.
#[derive(Clone)]
pub(super) struct ImplFn {
    pub(super) attrs: Vec<Attribute>,
    pub(super) vis: Visibility,
    pub(super) sig: Signature,
    /// The `{ … }` group.
    pub(super) body: TokenTree,
}

impl Parse for ImplBlock {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        input.parse::<Token![impl]>()?;
        let mut generics: Generics = input.parse()?;
        let first: Type = input.parse()?;
        let (trait_, self_ty) = if input.peek(Token![for]) {
            input.parse::<Token![for]>()?;
            (Some(first), input.parse()?)
        } else {
            (None, first)
        };
        generics.where_clause = input.parse()?;
        let content;
        syn::braced!(content in input);
        let mut items = Vec::new();
        while !content.is_empty() {
            let fork = content.fork();
            if let Some(f) = method(&fork) {
                content.advance_to(&fork);
                items.push(Member::Fn(f));
            } else {
                items.push(Member::Other(Box::new(content.parse()?)));
            }
        }
        Ok(ImplBlock {
            attrs,
            generics,
            trait_,
            self_ty,
            items,
        })
    }
}

/// A method with a body at the head of `input`, if there is one.
fn method(input: ParseStream) -> Option<ImplFn> {
    let attrs = input.call(Attribute::parse_outer).ok()?;
    let vis: Visibility = input.parse().ok()?;
    let starts_fn = input.peek(Token![fn])
        || input.peek(Token![async])
        || input.peek(Token![unsafe])
        || input.peek(Token![extern])
        || (input.peek(Token![const]) && (input.peek2(Token![fn]) || input.peek2(Token![async])));
    if !starts_fn {
        return None;
    }
    let sig: Signature = input.parse().ok()?;
    let body: TokenTree = input.parse().ok()?;
    match &body {
        TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => Some(ImplFn {
            attrs,
            vis,
            sig,
            body,
        }),
        _ => None,
    }
}

impl ToTokens for ImplFn {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append_all(&self.attrs);
        self.vis.to_tokens(tokens);
        self.sig.to_tokens(tokens);
        self.body.to_tokens(tokens);
    }
}

impl ToTokens for Member {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Member::Fn(f) => f.to_tokens(tokens),
            Member::Other(item) => item.to_tokens(tokens),
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn methods_keep_their_bodies_as_tokens_and_other_items_parse() {
        let block: ImplBlock = syn::parse2(quote! {
            #[doc = "rows"]
            impl Activities {
                const N: usize = 1;
                pub(crate) async fn sync(ctx: SyncCtx<'_, Self>) -> anyhow::Result<usize> { let x = 1; Ok(x) }
                const fn helper() -> u8 { 1 }
                type Alias = u8;
            }
        })
        .unwrap();
        assert!(block.trait_.is_none());
        assert_eq!(block.attrs.len(), 1);
        let kinds: Vec<&str> = block
            .items
            .iter()
            .map(|m| match m {
                Member::Fn(_) => "fn",
                Member::Other(item) if matches!(**item, ImplItem::Const(_)) => "const",
                Member::Other(_) => "other",
            })
            .collect();
        assert_eq!(kinds, ["const", "fn", "fn", "other"]);
        let Member::Fn(sync) = &block.items[1] else {
            unreachable!("checked above")
        };
        assert_eq!(sync.sig.ident, "sync");
        assert_eq!(
            sync.body.to_string(),
            quote!({
                let x = 1;
                Ok(x)
            })
            .to_string()
        );
    }

    #[test]
    fn trait_impls_are_recognised() {
        let block: ImplBlock = syn::parse2(quote!(impl Row for Activities {})).unwrap();
        assert!(block.trait_.is_some());
    }
}
