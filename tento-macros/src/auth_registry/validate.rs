//! The registry, checked: its options, and no marker listed twice. Two different markers
//! with the same kind can only be told apart once their `KIND`s are known, so that check
//! is a `const` the expansion emits.

use quote::ToTokens;
use syn::{Attribute, Ident, LitStr, Path, Visibility};

use super::parse::Input;
use crate::crate_path::{default_crate_path, parse_crate_path};
use crate::errors::Errors;
use tento_rowkey::nearest;

pub(super) struct Registry {
    pub(super) krate: Path,
    pub(super) attrs: Vec<Attribute>,
    pub(super) vis: Visibility,
    pub(super) name: Ident,
    pub(super) markers: Vec<Path>,
}

pub(super) fn validate(input: Input, errors: &mut Errors) -> Registry {
    for e in input.errors {
        errors.push(e);
    }
    let mut krate = default_crate_path();
    for option in &input.options {
        let parsed = option.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                let lit: LitStr = meta.value()?.parse()?;
                krate = parse_crate_path(&lit)?;
                Ok(())
            } else {
                let name = meta.path.to_token_stream().to_string();
                Err(meta.error(match nearest(&name, ["crate"]) {
                    Some(meant) => format!("unknown option `{name}`; did you mean `{meant}`?"),
                    None => format!("unknown option `{name}`; the registry takes `#[tento(crate = \"…\")]`"),
                }))
            }
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
    }

    // No marker is a host with no provider yet, as `tento-scaffold init` makes it: the
    // registry then decodes nothing and lists nothing.
    let mut markers: Vec<Path> = Vec::new();
    for marker in input.markers {
        let text = marker.to_token_stream().to_string();
        if markers.iter().any(|m| m.to_token_stream().to_string() == text) {
            errors.spanned(
                &marker,
                format!("`{}` is listed twice; keep one line", text.replace(' ', "")),
            );
        } else {
            markers.push(marker);
        }
    }

    Registry {
        krate,
        attrs: input.attrs,
        vis: input.vis,
        name: input.name,
        markers,
    }
}
