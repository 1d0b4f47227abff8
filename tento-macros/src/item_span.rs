//! The span of an item's keyword, where a macro placed on the wrong kind of item says so.

use syn::Item;

/// Where an item starts, for "this macro goes on …" errors: its keyword.
pub(crate) fn item_span(item: &Item) -> proc_macro2::Span {
    use syn::spanned::Spanned;
    match item {
        Item::Enum(i) => i.enum_token.span,
        Item::Fn(i) => i.sig.fn_token.span,
        Item::Impl(i) => i.impl_token.span,
        Item::Trait(i) => i.trait_token.span,
        Item::Union(i) => i.union_token.span,
        Item::Struct(i) => i.struct_token.span,
        Item::Type(i) => i.type_token.span,
        Item::Mod(i) => i.mod_token.span,
        other => other.span(),
    }
}
