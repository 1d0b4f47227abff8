//! Reading a provider crate without building it: its `#[tento::provider]` marker and
//! every `#[tento::row]` under `src/connector/`.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::routes::compact;

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
    /// Reads the crate at `dir` as library `lib_name`; `None` when it has no
    /// `#[tento::provider]` marker in `src/connector/mod.rs` (not a provider).
    pub fn read(crate_name: &str, lib_name: &str, dir: &Path, sync_plugin: bool) -> Option<Provider> {
        let connector = dir.join("src/connector");
        let src = std::fs::read_to_string(connector.join("mod.rs"))
            .or_else(|_| std::fs::read_to_string(dir.join("src/connector.rs")))
            .ok()?;
        if !src.contains("provider(") {
            return None;
        }
        let file = syn::parse_file(&src).ok()?;
        let (type_name, args) = file.items.iter().find_map(|item| match item {
            syn::Item::Struct(s) => s
                .attrs
                .iter()
                .find(|a| a.path().segments.last().is_some_and(|s| s.ident == "provider"))
                .map(|a| (s.ident.to_string(), attr_args(a))),
            _ => None,
        })?;
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
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            if !text.contains("row(") {
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
            for row in rows_in(&parsed) {
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
            type_name,
            display,
            prefix,
            sync_plugin,
            executor: dir.join("src/sync_plugin/executor.rs").is_file(),
            rows,
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

/// The `#[tento::row(…)]` impls of a file: type, attribute args, method names.
fn rows_in(file: &syn::File) -> Vec<(String, String, Vec<String>)> {
    let mut found = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        let Some(attr) = imp
            .attrs
            .iter()
            .find(|a| a.path().segments.last().is_some_and(|s| s.ident == "row"))
        else {
            continue;
        };
        let syn::Type::Path(ty) = &*imp.self_ty else {
            continue;
        };
        let Some(name) = ty.path.segments.last() else {
            continue;
        };
        let methods = imp
            .items
            .iter()
            .filter_map(|i| match i {
                syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            })
            .collect();
        found.push((name.ident.to_string(), attr_args(attr), methods));
    }
    found
}

/// The verbs `#[tento::row]` writes into `SERVES` for these methods.
fn serves(methods: &[String], synced: bool) -> Vec<String> {
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

fn attr_args(attr: &syn::Attribute) -> String {
    match &attr.meta {
        syn::Meta::List(list) => list.tokens.to_string(),
        _ => String::new(),
    }
}

/// `name = "value"` in attribute arguments.
fn string_arg(args: &str, name: &str) -> Option<String> {
    let tokens: proc_macro2::TokenStream = args.parse().ok()?;
    let mut iter = tokens.into_iter();
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
fn list_arg(args: &str, name: &str) -> Vec<String> {
    let Ok(tokens) = args.parse::<proc_macro2::TokenStream>() else {
        return Vec::new();
    };
    let mut iter = tokens.into_iter();
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
    fn serves_follows_the_row_macro() {
        assert_eq!(serves(&["sync".into()], true), ["get", "list", "sync"]);
        assert_eq!(serves(&["get".into(), "post".into()], false), ["get", "post"]);
        assert_eq!(
            string_arg("kind = \"acme\", name = \"Acme\"", "name").as_deref(),
            Some("Acme")
        );
        assert_eq!(
            list_arg("stages = [\"viewport\", \"backfill\"]", "stages"),
            ["viewport", "backfill"]
        );
    }
}
