//! Reading a provider crate without building it: its `#[tento::provider]` marker and
//! every `#[tento::row]` under `src/connector/`.

use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use serde::Serialize;

use super::routes::compact;
use crate::patch::splice::{CodeBytes, closing_delimiter, word_at};

/// A provider crate, read.
#[derive(Clone, Debug, Serialize)]
pub struct Provider {
    /// The package name: `tento-acme`.
    pub crate_name: String,
    /// The library name: `tento_acme`.
    pub lib_name: String,
    /// Its directory.
    #[serde(skip)]
    pub dir: PathBuf,
    /// Its auth kind: `acme`.
    pub kind: String,
    /// Its marker type: `Acme`.
    pub type_name: String,
    /// The name an auth UI shows.
    pub display: String,
    /// Its key prefix: `:~acme:{authId}`.
    pub prefix: String,
    /// Whether the host enables its `sync-plugin` feature.
    pub sync_plugin: bool,
    /// Whether it ships the sync executor (a full plugin), else the host's runs rows.
    pub executor: bool,
    /// Its rows.
    pub rows: Vec<Row>,
    /// Its auth marker type: `AcmeAuth`.
    #[serde(skip)]
    pub auth_type: String,
    /// Its deps trait: `AcmeBackendDeps`.
    #[serde(skip)]
    pub deps_trait: String,
    /// Written by hand in the seeds' shape (`impl Integration`, `impl Row`), without
    /// the macros.
    #[serde(skip)]
    pub by_hand: bool,
}

/// One `#[tento::row]`.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// Its modules under `connector`: `["activities", "logs"]`.
    pub modules: Vec<String>,
    /// Its type: `Logs`.
    pub type_name: String,
    /// Its path from a host: `tento_acme::connector::activities::logs::Logs`.
    pub path: String,
    /// Its key pattern.
    pub key: String,
    /// Its sync stages (empty: not synced).
    pub stages: Vec<String>,
    /// The verbs it serves, as the row macro's `SERVES` computes them.
    pub serves: Vec<String>,
    /// Its file, relative to the crate.
    pub file: String,
}

impl Provider {
    /// Its names, as the templates take them, read from the crate rather than derived
    /// from a name typed on the command line.
    pub fn names(&self) -> crate::names::ProviderNames {
        use heck::ToSnakeCase;
        crate::names::ProviderNames {
            kind: self.kind.clone(),
            crate_name: self.crate_name.clone(),
            lib_name: self.lib_name.clone(),
            type_name: self.type_name.clone(),
            snake: self.type_name.to_snake_case(),
            display: self.display.clone(),
        }
    }

    /// Reads the crate at `dir` as library `lib_name`; `None` when it has no
    /// `#[tento::provider]` marker in `src/connector/mod.rs` (not a provider).
    pub fn read(crate_name: &str, lib_name: &str, dir: &Path, sync_plugin: bool) -> Option<Provider> {
        let connector = dir.join("src/connector");
        let mod_rs = connector.join("mod.rs");
        let in_mod_rs = crate::fs::read_text(&mod_rs).ok();
        let connector_rs;
        let src = match &in_mod_rs {
            Some(src) => src,
            None => {
                connector_rs = crate::fs::read_text(dir.join("src/connector.rs")).ok()?;
                &connector_rs
            }
        };
        let Some((type_name, args, _)) = src
            .contains("provider(")
            .then(|| attributed(src, "provider", "struct").into_iter().next())
            .flatten()
        else {
            return super::by_hand::read(crate_name, lib_name, dir, src, sync_plugin);
        };
        let kind = string_arg(&args, "kind")?;
        let display = string_arg(&args, "name").unwrap_or_else(|| type_name.clone());
        let prefix = string_arg(&args, "key").unwrap_or_else(|| format!(":~{kind}:{{authId}}"));
        let mut rows = Vec::new();
        for entry in walkdir::WalkDir::new(&connector).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            let path = entry.path();
            if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            // `mod.rs` was read above: a hundred crates make it a hundred opens.
            let text = match &in_mod_rs {
                Some(src) if path == mod_rs => std::borrow::Cow::Borrowed(src.as_str()),
                _ => match crate::fs::read_text(path) {
                    Ok(text) => std::borrow::Cow::Owned(text),
                    Err(_) => continue,
                },
            };
            if !text.contains("row(") {
                continue;
            }
            let rel = path.strip_prefix(&connector).unwrap_or(path);
            let mut modules: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let last = modules.pop().unwrap_or_default();
            if last != "mod.rs" {
                modules.push(last.trim_end_matches(".rs").to_owned());
            }
            for row in attributed(&text, "row", "impl") {
                let (type_name, args, methods) = row;
                let stages = list_arg(&args, "stages");
                rows.push(Row {
                    path: format!("{lib_name}::connector::{}::{type_name}", modules.join("::")),
                    modules: modules.clone(),
                    type_name,
                    key: string_arg(&args, "key").unwrap_or_default(),
                    serves: serves(&methods, !stages.is_empty()),
                    stages,
                    file: path.strip_prefix(dir).unwrap_or(path).display().to_string(),
                });
            }
        }
        Some(Provider {
            crate_name: crate_name.to_owned(),
            lib_name: lib_name.to_owned(),
            dir: dir.to_path_buf(),
            kind,
            display,
            prefix,
            sync_plugin,
            executor: dir.join("src/sync_plugin/executor.rs").is_file(),
            rows,
            auth_type: format!("{type_name}Auth"),
            deps_trait: format!("{type_name}BackendDeps"),
            by_hand: false,
            type_name,
        })
    }

    /// The marker's path from a host: `tento_acme::connector::Acme`.
    pub fn marker(&self) -> String {
        format!("{}::connector::{}", self.lib_name, self.type_name)
    }

    /// A row's key below the prefix: `:activities:logs`.
    pub fn segment_of<'r>(&self, row: &'r Row) -> &'r str {
        row.key.strip_prefix(&self.prefix).unwrap_or(&row.key)
    }
}

/// The items of `src` carrying attribute `#[… ::<attr>(args)]` and introduced by
/// keyword `item` (`struct`, `impl`): each item's name, the attribute's arguments, and
/// (for an impl) its method names. Only the attributes and the item's head are
/// tokenized; the rest is scanned for delimiters: a host with a hundred providers has
/// a thousand row files, and lexing them whole was most of `check`'s time.
fn attributed(src: &str, attr: &str, item: &str) -> Vec<(String, TokenStream, Vec<String>)> {
    let mut found = Vec::new();
    let mut code = CodeBytes::new(src, 0);
    while let Some((hash, b)) = code.next() {
        if b != b'#' {
            continue;
        }
        let open = hash + 1 + (src[hash + 1..].len() - src[hash + 1..].trim_start().len());
        let Some(close) = (src.as_bytes().get(open) == Some(&b'['))
            .then(|| closing_delimiter(src, open))
            .flatten()
        else {
            continue;
        };
        code = CodeBytes::new(src, close + 1);
        let Some(args) = src[open + 1..close]
            .parse::<TokenStream>()
            .ok()
            .and_then(|tokens| attribute_args(&tokens, attr))
        else {
            continue;
        };
        // The item after this attribute (and any others): `… <item> Name … { … }`.
        let mut head = CodeBytes::new(src, close + 1);
        let Some((at, _)) = head.find(|&(i, b)| b == item.as_bytes()[0] && word_at(src, i, item)) else {
            break;
        };
        let rest = &src[at + item.len()..];
        let name: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty()
            || name.starts_with(|c: char| c.is_ascii_digit())
            || rest.len() == rest.trim_start().len()
        {
            break;
        }
        let head_end = CodeBytes::new(src, at)
            .find(|(_, b)| matches!(b, b'{' | b';'))
            .map_or(src.len(), |(i, _)| i);
        let body_end = (src.as_bytes().get(head_end) == Some(&b'{'))
            .then(|| closing_delimiter(src, head_end))
            .flatten();
        let methods = body_end.map_or_else(Vec::new, |end| fn_names(src, head_end + 1..end));
        found.push((name, args, methods));
        code = CodeBytes::new(src, body_end.unwrap_or(head_end) + 1);
    }
    found
}

/// The arguments of `…::<attr>(args)` or `<attr>(args)`, from an attribute's contents.
fn attribute_args(stream: &TokenStream, attr: &str) -> Option<TokenStream> {
    let trees: Vec<TokenTree> = stream.clone().into_iter().collect();
    let (TokenTree::Ident(last), TokenTree::Group(args)) =
        (trees.get(trees.len().checked_sub(2)?)?, trees.last()?)
    else {
        return None;
    };
    (*last == attr && args.delimiter() == Delimiter::Parenthesis).then(|| args.stream())
}

/// The names of the `fn`s directly in the block whose inside is `body`.
fn fn_names(src: &str, body: std::ops::Range<usize>) -> Vec<String> {
    let mut names = Vec::new();
    let mut code = CodeBytes::new(src, body.start);
    while let Some((i, b)) = code.next() {
        if i >= body.end {
            break;
        }
        match b {
            // A nested group holds no method of this block.
            b'{' | b'[' | b'(' => match closing_delimiter(src, i) {
                Some(end) => code = CodeBytes::new(src, end + 1),
                None => break,
            },
            b'f' if word_at(src, i, "fn") => {
                let rest = src[i + 2..body.end].trim_start();
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if rest.len() < src[i + 2..body.end].len() && !name.is_empty() {
                    names.push(name);
                }
            }
            _ => {}
        }
    }
    names
}

/// The verbs `#[tento::row]` writes into `SERVES` for these methods.
pub(super) fn serves(methods: &[String], synced: bool) -> Vec<String> {
    let has = |m: &str| methods.iter().any(|x| x == m);
    let mut verbs = Vec::new();
    for (verb, on) in [
        ("get", synced || has("get") || has("list_cells")),
        ("list", synced || has("list_cells")),
        ("post", has("post")),
        ("patch", has("patch")),
        ("delete", has("delete")),
        ("sync", synced),
    ] {
        if on {
            verbs.push(verb.to_owned());
        }
    }
    verbs
}

/// `name = "value"` in attribute arguments.
fn string_arg(args: &TokenStream, name: &str) -> Option<String> {
    let mut iter = args.clone().into_iter();
    while let Some(t) = iter.next() {
        if matches!(&t, proc_macro2::TokenTree::Ident(i) if i == name)
            && matches!(iter.next(), Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == '=')
            && let Some(proc_macro2::TokenTree::Literal(lit)) = iter.next()
        {
            let text = lit.to_string();
            return Some(text.trim_matches('"').to_owned());
        }
    }
    None
}

/// `name = ["a", "b"]` in attribute arguments.
fn list_arg(args: &TokenStream, name: &str) -> Vec<String> {
    let mut iter = args.clone().into_iter();
    while let Some(t) = iter.next() {
        if matches!(&t, proc_macro2::TokenTree::Ident(i) if i == name)
            && matches!(iter.next(), Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == '=')
            && let Some(proc_macro2::TokenTree::Group(g)) = iter.next()
        {
            return compact(&g.stream())
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| s.trim_matches('"').to_owned())
                .collect();
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_read_from_their_attribute_and_impl_only() {
        let src = r##"
            pub struct Sleep;
            impl Sleep { fn post() {} }
            // #[tento::row(provider = B, key = ":~b:{authId}:commented")]
            /* #[tento::row(provider = B)] impl Commented {} */
            /// Docs.
            #[tento::row(provider = A, key = ":~a:{authId}:sleep", stages = ["viewport"])]
            #[allow(dead_code)]
            impl Sleep {
                async fn sync(ctx: SyncCtx<'_, Self>) -> anyhow::Result<usize> { let f = "{ fn get"; Ok(0) }
                async fn delete(ctx: RowCtx<'_, Self>, id: String) -> anyhow::Result<()> { fn nested() {} let _ = r#"} fn raw"#; Ok(()) }
                const F: fn() = || {};
            }
        "##;
        let rows = attributed(src, "row", "impl");
        assert_eq!(rows.len(), 1);
        let (name, args, methods) = &rows[0];
        assert_eq!(name, "Sleep");
        assert_eq!(string_arg(args, "key").as_deref(), Some(":~a:{authId}:sleep"));
        assert_eq!(methods, &["sync", "delete"]);
        assert_eq!(serves(methods, true), ["get", "list", "delete", "sync"]);
    }

    #[test]
    fn serves_follows_the_row_macro() {
        assert_eq!(serves(&["sync".into()], true), ["get", "list", "sync"]);
        assert_eq!(serves(&["get".into(), "post".into()], false), ["get", "post"]);
        assert_eq!(
            string_arg(&"kind = \"acme\", name = \"Acme\"".parse().unwrap(), "name").as_deref(),
            Some("Acme")
        );
        assert_eq!(
            list_arg(
                &"stages = [\"viewport\", \"backfill\"]".parse().unwrap(),
                "stages"
            ),
            ["viewport", "backfill"]
        );
    }
}
