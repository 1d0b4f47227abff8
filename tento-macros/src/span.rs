//! Spans for generated bounds: stable proc macros cannot join spans, but rustc spans a
//! predicate from its first token to its last, so a bound whose added tokens carry the
//! span of the user's last token underlines everything the user wrote.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};

/// `#over: #bound`, spanned over `over`: an unmet bound is reported at the user's tokens.
pub(crate) fn bound_over(over: &impl ToTokens, bound: TokenStream) -> TokenStream {
    let over = over.to_token_stream();
    let last = over
        .clone()
        .into_iter()
        .last()
        .map_or_else(Span::call_site, |t| t.span());
    let bound = respan(quote!(: #bound), last);
    quote!(#over #bound)
}

/// `tokens` with every span, inside groups too, set to `span`.
pub(crate) fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tt| {
            if let TokenTree::Group(g) = &tt {
                let mut group = proc_macro2::Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                tt = TokenTree::Group(group);
            } else {
                tt.set_span(span);
            }
            tt
        })
        .collect()
}
