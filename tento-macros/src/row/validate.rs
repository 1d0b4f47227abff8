//! What the row macro's arguments and block mean, checked: the key and its split between
//! provider and row, the stages, each method, and the verbs the row serves.

use proc_macro2::Span;
use proc_macro2::TokenStream;
use quote::quote;
use syn::{Ident, ImplItem, Path, Type};

use super::impl_block::Member;
use super::methods::{GENERATED, Method, ROW_METHODS, looks_like_row_method, meant_row_method};
use super::parse::Input;
use crate::crate_path::{default_crate_path, parse_crate_path};
use crate::errors::{Errors, Missing};
use crate::lookup_key::{Key, Segment};

/// A row, checked. A part that is missing or wrong has its error recorded and is left
/// out or stood in for, so what remains still expands without a second error.
pub(super) struct RowModel {
    pub(super) krate: Path,
    pub(super) self_ty: Type,
    /// `None` when `provider` is missing: no `impl Row` can be written.
    pub(super) provider: Option<Path>,
    pub(super) key: Option<Key>,
    pub(super) label: String,
    pub(super) stages: Vec<String>,
    pub(super) methods: Vec<Method>,
    /// The `Verb` variants served, in `Verb` order.
    pub(super) serves: Vec<&'static str>,
    /// The inherent impl of the items that are not Row methods, if any.
    pub(super) inherent: Option<TokenStream>,
    /// `ActivitiesParams`, the row-level params struct, when the key has placeholders of
    /// its own.
    pub(super) params: Option<Ident>,
}

pub(super) fn validate(input: Input, errors: &mut Errors) -> RowModel {
    let Input {
        block,
        provider,
        key,
        stages,
        label,
        krate,
        mentioned,
        clean,
    } = input;
    let mut missing = Missing::default();

    let krate = match &krate {
        Some(lit) => parse_crate_path(lit).unwrap_or_else(|e| {
            errors.push(e);
            default_crate_path()
        }),
        None => default_crate_path(),
    };
    if !block.generics.params.is_empty() {
        errors.spanned(
            &block.generics,
            "a row is a plain type: write `impl Activities { … }`, without generics",
        );
    }
    if provider.is_none() && !mentioned.iter().any(|m| m == "provider") {
        missing.push(
            "provider = …",
            "the provider's marker",
            "provider = MyProvider".to_owned(),
        );
    }

    let key = checked_key(key.as_ref(), &mentioned, &mut missing, errors);
    if clean {
        missing.report("#[tento::row]", errors);
    }

    let stage_names = check_stages(stages.as_ref(), errors);

    let label = label_of(label.as_ref(), key.as_ref(), errors);

    let Members {
        methods,
        inherent,
        defined,
    } = members(block.items, errors);
    let inherent = (!inherent.is_empty()).then(|| {
        let (attrs, generics, self_ty) = (&block.attrs, &block.generics, &block.self_ty);
        let where_clause = &generics.where_clause;
        quote! {
            #(#attrs)*
            impl #generics #self_ty #where_clause {
                #(#inherent)*
            }
        }
    });

    check_sync_has_stages(&methods, &defined, stages.as_ref(), &mentioned, errors);

    let serves = serves(&defined, !stage_names.is_empty());
    let params = row_params(key.as_ref(), &block.self_ty, errors);

    RowModel {
        krate,
        self_ty: block.self_ty,
        provider,
        key,
        label,
        stages: stage_names,
        methods,
        serves,
        inherent,
        params,
    }
}

/// The key, checked; `None` (with the error recorded, or the argument noted missing)
/// when there is none to use.
fn checked_key(
    key: Option<&syn::LitStr>,
    mentioned: &[String],
    missing: &mut Missing,
    errors: &mut Errors,
) -> Option<Key> {
    match key {
        Some(lit) => match Key::parse(lit).and_then(row_key) {
            Ok(key) => Some(key),
            Err(message) => {
                errors.at(lit.span(), message);
                None
            }
        },
        None if mentioned.iter().any(|m| m == "key") => None,
        None => {
            missing.push(
                "key = \"…\"",
                "the row's lookup-key pattern",
                "key = \":~myprovider:{authId}:activities\"".to_owned(),
            );
            None
        }
    }
}

/// The row label: as given, or derived from the key.
fn label_of(label: Option<&syn::LitStr>, key: Option<&Key>, errors: &mut Errors) -> String {
    match (label, key) {
        (Some(lit), _) if lit.value().is_empty() => {
            errors.at(
                lit.span(),
                "a row label cannot be empty; leave `label` out to derive it from the key",
            );
            String::new()
        }
        (Some(lit), _) => lit.value(),
        (None, Some(key)) => key.default_label(),
        (None, None) => String::new(),
    }
}

/// The block's items, sorted: Row methods (checked), and everything else for the
/// inherent impl.
struct Members {
    methods: Vec<Method>,
    inherent: Vec<Member>,
    /// Row methods written, checked or not: a method with a mistake is still meant, so
    /// `stages` and the verbs served are judged with it.
    defined: Vec<&'static str>,
}

fn members(items: Vec<Member>, errors: &mut Errors) -> Members {
    let mut inherent: Vec<Member> = Vec::new();
    let mut methods: Vec<Method> = Vec::new();
    let mut defined: Vec<&'static str> = Vec::new();
    for item in items {
        match item {
            Member::Fn(f) => {
                let name = f.sig.ident.to_string();
                if let Some(def) = ROW_METHODS.iter().find(|m| m.name == name) {
                    if defined.contains(&def.name) {
                        continue; // rustc reports the duplicate definition
                    }
                    defined.push(def.name);
                    if let Some(m) = Method::check(def, f, errors) {
                        methods.push(m);
                    }
                } else if let Some((_, instead)) = GENERATED.iter().find(|(n, _)| *n == name) {
                    errors.at(
                        f.sig.ident.span(),
                        format!("#[tento::row] writes `{name}` from {instead}; remove this method"),
                    );
                } else {
                    match meant_row_method(&name).filter(|_| looks_like_row_method(&f)) {
                        Some(meant) => {
                            // Reported once, here; the method counts as the one meant, so
                            // `stages` and the verbs served are judged as if it were named
                            // right, and it stays callable where it was written.
                            errors.at(
                                f.sig.ident.span(),
                                format!(
                                    "`{name}` is not a Row method; the Row method is `{}`: `{}`. Rename it, \
                                     or move a helper that is not a Row method to its own `impl` block",
                                    meant.name, meant.signature
                                ),
                            );
                            if !defined.contains(&meant.name) {
                                defined.push(meant.name);
                            }
                            inherent.push(Member::Fn(f));
                        }
                        None => inherent.push(Member::Fn(f)),
                    }
                }
            }
            Member::Other(item) => {
                if let Some(other) = not_generated(*item, errors) {
                    inherent.push(Member::Other(Box::new(other)));
                }
            }
        }
    }
    Members {
        methods,
        inherent,
        defined,
    }
}

/// `item`, unless it is a const or type the macro writes (`ROW_LABEL`, `Params`, …),
/// which is reported and dropped.
fn not_generated(item: ImplItem, errors: &mut Errors) -> Option<ImplItem> {
    let (ident, written) = match &item {
        ImplItem::Const(c) => (&c.ident, c.ident.to_string()),
        ImplItem::Type(t) => (&t.ident, format!("type {}", t.ident)),
        _ => return Some(item),
    };
    let Some((_, instead)) = GENERATED.iter().find(|(n, _)| ident == n) else {
        return Some(item);
    };
    errors.at(
        ident.span(),
        format!("#[tento::row] writes `{written}` from {instead}; remove it"),
    );
    None
}

/// A row with `sync` has stages, and a row with stages has `sync`.
fn check_sync_has_stages(
    methods: &[Method],
    defined: &[&str],
    stages: Option<&(Ident, Vec<syn::LitStr>, Span)>,
    mentioned: &[String],
    errors: &mut Errors,
) {
    let sync = methods.iter().find(|m| m.def.name == "sync");
    match (stages, sync) {
        (None, Some(sync)) if !mentioned.iter().any(|m| m == "stages") => errors.at(
            sync.item.sig.ident.span(),
            "a row with `sync` is synced in stages: add them to #[tento::row], e.g. \
             `stages = [\"viewport\", \"backfill\"]`",
        ),
        (Some((name, _, _)), None) if !defined.contains(&"sync") => errors.at(
            name.span(),
            "`stages` is for a synced row, which defines `async fn sync(ctx: SyncCtx<'_, Self>) -> \
             anyhow::Result<usize>` in this block; add it, or remove `stages`",
        ),
        _ => {}
    }
}

/// `ActivitiesParams`, when the key has placeholders of its own (which needs a named
/// row type).
fn row_params(key: Option<&Key>, self_ty: &Type, errors: &mut Errors) -> Option<Ident> {
    let params = key.and_then(|k| {
        k.row_placeholders().next()?;
        let row = self_ident(self_ty)?;
        Some(Ident::new(&format!("{row}Params"), row.span()))
    });
    if key
        .as_ref()
        .is_some_and(|k| k.row_placeholders().next().is_some())
        && params.is_none()
    {
        errors.spanned(
            self_ty,
            "a row with placeholders of its own is a named type: `impl Activities`",
        );
    }
    params
}

/// A row key has a provider part and at least one segment of its own, starting with a
/// literal (`:activities`).
fn row_key(key: Key) -> Result<Key, String> {
    match key.row_segments().first() {
        Some(Segment::Literal(_)) => Ok(key),
        _ => Err(format!(
            "`{}` has no segment naming the row: a row key is the provider's prefix and then the row's own \
             segments, e.g. `{}:activities`",
            key.text,
            key.provider_part()
        )),
    }
}

fn check_stages(stages: Option<&(Ident, Vec<syn::LitStr>, Span)>, errors: &mut Errors) -> Vec<String> {
    let Some((_, list, span)) = stages else {
        return Vec::new();
    };
    if list.is_empty() {
        errors.at(
            *span,
            "a synced row has at least one stage: e.g. `stages = [\"viewport\", \"backfill\"]`",
        );
    }
    let mut names: Vec<String> = Vec::new();
    for lit in list {
        let stage = lit.value();
        if stage.is_empty() || stage.chars().any(char::is_whitespace) {
            errors.at(
                lit.span(),
                "a stage name is a word, such as `\"viewport\"` or `\"backfill\"`",
            );
        } else if names.contains(&stage) {
            errors.at(
                lit.span(),
                format!("stage `{stage}` is listed twice; each stage runs once per sync"),
            );
        } else {
            names.push(stage);
        }
    }
    names
}

/// The verbs a row serves: each method it defines; `get` and `list` for a synced row,
/// whose defaults read the host's store; `get` for a row defining `list_cells`, whose
/// default `get` searches it.
fn serves(defined: &[&str], synced: bool) -> Vec<&'static str> {
    let defines = |name: &str| defined.contains(&name);
    ROW_METHODS
        .iter()
        .filter(|m| {
            defines(m.name)
                || (synced && matches!(m.name, "get" | "list_cells" | "sync"))
                || (m.name == "get" && defines("list_cells"))
        })
        .map(|m| m.verb)
        .collect()
}

fn self_ident(ty: &Type) -> Option<&Ident> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| &s.ident),
        _ => None,
    }
}
