//! The row macro's input: its arguments and the `impl` block.

use proc_macro2::{Span, TokenStream};
use syn::{Ident, Item, LitStr, Path};

use super::impl_block::ImplBlock;

use crate::attr_args::{Args, Shape, Spec};
use crate::errors::Errors;
use crate::item_span::item_span;

/// Every argument `#[tento::row]` takes.
pub(super) const SPECS: &[Spec] = &[
    Spec {
        name: "provider",
        shape: Shape::Path,
        example: "provider = MyProvider",
    },
    Spec {
        name: "key",
        shape: Shape::Str,
        example: "key = \":~myprovider:{authId}:activities\"",
    },
    Spec {
        name: "stages",
        shape: Shape::StrList,
        example: "stages = [\"viewport\", \"backfill\"]",
    },
    Spec {
        name: "label",
        shape: Shape::Str,
        example: "label = \"myprovider-activities\"",
    },
    Spec {
        name: "crate",
        shape: Shape::Str,
        example: "crate = \"::tento\"",
    },
];

/// The attribute's arguments as given, and the block it is on.
pub(super) struct Input {
    pub(super) block: ImplBlock,
    pub(super) provider: Option<Path>,
    pub(super) key: Option<LitStr>,
    pub(super) stages: Option<(Ident, Vec<LitStr>, Span)>,
    pub(super) label: Option<LitStr>,
    pub(super) krate: Option<LitStr>,
    /// Arguments written but not usable (a broken value, a misspelt name): not reported
    /// as missing, their own error says what to write.
    pub(super) mentioned: Vec<String>,
    /// Whether every argument was named; missing ones are reported only then.
    pub(super) clean: bool,
}

impl Input {
    /// `Err` when the item is not an inherent `impl` block (the error is recorded), with
    /// what to give back: the item untouched, or nothing for a `Row` impl, which given
    /// back would only add "missing items" errors.
    pub(super) fn parse(
        args: TokenStream,
        item: TokenStream,
        errors: &mut Errors,
    ) -> Result<Input, TokenStream> {
        let mut args = Args::parse(args, SPECS, errors);
        let block = match syn::parse2::<ImplBlock>(item.clone()) {
            Ok(block) => block,
            // Not an impl block, or a broken one: the full item parse says which.
            Err(impl_error) => {
                match syn::parse2::<Item>(item.clone()) {
                    Ok(Item::Impl(_)) => errors.push(impl_error),
                    Ok(other) => {
                        let what = match &other {
                            Item::Struct(s) => format!(
                                "#[tento::row] goes on the row's `impl` block, not on the struct: keep \
                                 `pub struct {0};` as it is and write `#[tento::row(…)] impl {0} {{ … }}`",
                                s.ident
                            ),
                            _ => "#[tento::row] goes on the row's inherent `impl` block: \
                                  `#[tento::row(…)] impl Activities { async fn sync(ctx: SyncCtx<'_, Self>) … }`"
                                .to_owned(),
                        };
                        errors.at(item_span(&other), what);
                        if let Item::Fn(_) = other {
                            // A Row method written outside its block names the row in its
                            // signature (`SyncCtx<'_, Activities>`); given back, it would
                            // add "not a row" errors. It belongs in the block anyway.
                            return Err(TokenStream::new());
                        }
                    }
                    Err(e) => errors.push(e),
                }
                return Err(item);
            }
        };
        if let Some(trait_path) = &block.trait_ {
            errors.spanned(
                trait_path,
                "#[tento::row] goes on an inherent `impl` block (`impl Activities { … }`) and writes \
                 `impl Row` itself; remove the trait",
            );
            // Given back, the trait impl would only add "missing items" errors.
            return Err(TokenStream::new());
        }
        Ok(Input {
            block,
            provider: args.path("provider"),
            key: args.str("key"),
            stages: args.str_list("stages"),
            label: args.str("label"),
            krate: args.str("crate"),
            mentioned: args.mentioned,
            clean: args.clean,
        })
    }
}
