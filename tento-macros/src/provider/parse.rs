//! The provider macro's input: its arguments and the marker struct.

use proc_macro2::TokenStream;
use syn::{Item, ItemStruct, LitStr, Path, Type};

use crate::attr_args::{Args, Shape, Spec};
use crate::errors::Errors;
use crate::item_span::item_span;

/// Every argument `#[tento::provider]` takes.
pub(super) const SPECS: &[Spec] = &[
    Spec {
        name: "kind",
        shape: Shape::Str,
        example: "kind = \"myprovider\"",
    },
    Spec {
        name: "name",
        shape: Shape::Str,
        example: "name = \"My Provider\"",
    },
    Spec {
        name: "deps",
        shape: Shape::Type,
        example: "deps = dyn MyProviderBackendDeps",
    },
    Spec {
        name: "credentials",
        shape: Shape::Type,
        example: "credentials = crate::oauth::MyProviderOAuthCredentials",
    },
    Spec {
        name: "client",
        shape: Shape::Type,
        example: "client = MyProviderClient",
    },
    Spec {
        name: "key",
        shape: Shape::Str,
        example: "key = \":~myprovider:{authId}\"",
    },
    Spec {
        name: "display",
        shape: Shape::Path,
        example: "display = account_label",
    },
    Spec {
        name: "crate",
        shape: Shape::Str,
        example: "crate = \"::tento\"",
    },
];

/// The attribute's arguments as given, and the item it is on.
pub(super) struct Input {
    pub(super) item: ItemStruct,
    pub(super) kind: Option<LitStr>,
    pub(super) name: Option<LitStr>,
    pub(super) deps: Option<Type>,
    pub(super) credentials: Option<Type>,
    pub(super) client: Option<Type>,
    pub(super) key: Option<LitStr>,
    pub(super) display: Option<Path>,
    pub(super) krate: Option<LitStr>,
    /// Arguments written but not usable (a broken value, a misspelt name): not reported
    /// as missing, their own error says what to write.
    pub(super) mentioned: Vec<String>,
    /// Whether every argument was named; missing ones are reported only then.
    pub(super) clean: bool,
}

impl Input {
    /// `Err` with the item untouched when it is not a struct (the error is recorded), so
    /// the caller gives it back and nothing else breaks.
    pub(super) fn parse(
        args: TokenStream,
        item: TokenStream,
        errors: &mut Errors,
    ) -> Result<Input, TokenStream> {
        let mut args = Args::parse(args, SPECS, errors);
        let item = match syn::parse2::<Item>(item.clone()) {
            Ok(Item::Struct(item)) => item,
            Ok(other) => {
                errors.at(
                    item_span(&other),
                    "#[tento::provider] goes on the provider's marker struct, `pub struct MyProvider;`",
                );
                return Err(item);
            }
            Err(e) => {
                errors.push(e);
                return Err(item);
            }
        };
        Ok(Input {
            item,
            kind: args.str("kind"),
            name: args.str("name"),
            deps: args.ty("deps"),
            credentials: args.ty("credentials"),
            client: args.ty("client"),
            key: args.str("key"),
            display: args.path("display"),
            krate: args.str("crate"),
            mentioned: args.mentioned,
            clean: args.clean,
        })
    }
}
