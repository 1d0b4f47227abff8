//! `Cargo.toml` edits that keep every comment, blank line and layout the user had, as
//! `cargo add` does: through `toml_edit::DocumentMut`, touching only the new entries.

use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

use super::splice::{keep_final_newline, match_newlines};

/// A manifest that does not parse, with the parser's location.
#[derive(Debug, thiserror::Error)]
#[error("{file} does not parse as TOML: {message}")]
pub struct ManifestError {
    /// The file, as shown to the user.
    pub file: String,
    /// The parser's message, with line and column.
    pub message: String,
}

/// Parses `src` as a manifest named `file` in errors.
pub fn parse(file: &str, src: &str) -> Result<DocumentMut, ManifestError> {
    src.parse::<DocumentMut>().map_err(|e| ManifestError {
        file: file.to_owned(),
        message: e.to_string().trim().replace('\n', " "),
    })
}

/// The edited manifest as text, in the line endings the file had, with a final newline
/// only if it had one.
pub fn render(doc: &DocumentMut, original: &str) -> String {
    keep_final_newline(original, match_newlines(original, doc.to_string()))
}

/// Whether the manifest has a `[workspace]` table.
pub fn is_workspace(doc: &DocumentMut) -> bool {
    doc.get("workspace").is_some_and(Item::is_table_like)
}

/// The workspace's `members`, as written.
pub fn members(doc: &DocumentMut) -> Vec<String> {
    doc.get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(Item::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// Adds `member` to `[workspace] members` (creating the array when absent); a member
/// already listed is left alone. The new element copies the last element's layout, so a
/// one-per-line array stays one per line.
pub fn add_member(doc: &mut DocumentMut, member: &str) {
    let Some(workspace) = doc.get_mut("workspace").and_then(Item::as_table_like_mut) else {
        return;
    };
    if workspace.get("members").is_none() {
        workspace.insert("members", Item::Value(Value::Array(Array::new())));
    }
    let Some(array) = workspace.get_mut("members").and_then(Item::as_array_mut) else {
        return;
    };
    if array.iter().any(|v| v.as_str() == Some(member)) {
        return;
    }
    let mut value = Value::from(member);
    // A last element without a comma but with a comment (`"a" # the a`) would take the
    // comma after its comment: the new member goes first instead, on a line of its own.
    let commented_last = !array.trailing_comma()
        && array.iter().last().is_some_and(|last| {
            last.decor()
                .suffix()
                .and_then(|s| s.as_str())
                .is_some_and(|s| s.contains('#'))
        });
    let first_prefix = array.get(0).map(|first| {
        let prefix = first.decor().prefix().and_then(|p| p.as_str()).unwrap_or("");
        prefix.rfind('\n').map_or(prefix, |i| &prefix[i..]).to_owned()
    });
    if commented_last && let Some(prefix) = first_prefix {
        value.decor_mut().set_prefix(prefix);
        array.insert_formatted(0, value);
        return;
    }
    if let Some(last) = array.iter().last() {
        // Copy the last element's line break and indentation, not a comment that
        // toml_edit keeps in the same prefix.
        let prefix = last.decor().prefix().and_then(|p| p.as_str()).unwrap_or("");
        let mut prefix = match prefix.rfind('\n') {
            Some(i) => format!("\n{}", &prefix[i + 1..]),
            None => prefix.to_owned(),
        };
        // The last element's own comment (`"a", # the a`) sits in the array's trailing
        // text, which would follow the new element: it stays on the last element's
        // line, ahead of the new element's line break.
        let trailing = array.trailing().as_str().unwrap_or("").to_owned();
        if prefix.starts_with('\n')
            && let Some(comment) = trailing.find('#')
            && !trailing[..comment].contains('\n')
        {
            let end = trailing[comment..]
                .find('\n')
                .map_or(trailing.len(), |i| comment + i);
            prefix = format!("{}{prefix}", trailing[..end].trim_end_matches('\r'));
            let rest = trailing[end..]
                .strip_prefix("\r\n")
                .or_else(|| trailing[end..].strip_prefix('\n'));
            array.set_trailing(rest.map_or(trailing[end..].to_owned(), |r| format!("\n{r}")));
        }
        // A CRLF file gets its `\r` back in `render`.
        value.decor_mut().set_prefix(prefix);
    }
    array.push_formatted(value);
}

/// Removes `member` from `[workspace] members`; `false` when it was not there.
pub fn remove_member(doc: &mut DocumentMut, member: &str) -> bool {
    let Some(array) = doc
        .get_mut("workspace")
        .and_then(|w| w.get_mut("members"))
        .and_then(Item::as_array_mut)
    else {
        return false;
    };
    let Some(i) = array.iter().position(|v| v.as_str() == Some(member)) else {
        return false;
    };
    let removed = array.remove(i);
    // What `add_member` moved into the element's prefix from the line above (that
    // line's comment) goes back where it was.
    let prefix = removed.decor().prefix().and_then(|p| p.as_str()).unwrap_or("");
    if let Some(newline) = prefix.find('\n') {
        let above = &prefix[..newline];
        if above.trim_start().starts_with('#') {
            let above = above.trim_end_matches('\r').to_owned();
            match array.get_mut(i) {
                Some(next) => {
                    let next_prefix = next
                        .decor()
                        .prefix()
                        .and_then(|p| p.as_str())
                        .unwrap_or("")
                        .to_owned();
                    next.decor_mut().set_prefix(format!("{above}{next_prefix}"));
                }
                None => {
                    let trailing = array.trailing().as_str().unwrap_or("").to_owned();
                    array.set_trailing(format!("{above}{trailing}"));
                }
            }
        }
    }
    true
}

/// Whether the manifest's `[dependencies]` declares `name` as inherited from the
/// workspace (`name = { workspace = true }` or `name.workspace = true`).
pub fn inherits(doc: &DocumentMut, name: &str) -> bool {
    doc.get("dependencies")
        .and_then(|d| d.get(name))
        .and_then(Item::as_table_like)
        .and_then(|t| t.get("workspace"))
        .and_then(Item::as_bool)
        .unwrap_or(false)
}

/// Whether the manifest's `[dependencies]` has `name`, in any form.
pub fn has_dependency(doc: &DocumentMut, table: &[&str], name: &str) -> bool {
    table_at(doc, table).is_some_and(|t| t.contains_key(name))
}

fn table_at<'d>(doc: &'d DocumentMut, path: &[&str]) -> Option<&'d dyn toml_edit::TableLike> {
    let mut item = doc.as_item();
    for key in path {
        item = item.get(key)?;
    }
    item.as_table_like()
}

/// Adds `name = { key = value, … }` to the table at `path` (`["dependencies"]`,
/// `["workspace", "dependencies"]`), creating the table when absent. An existing entry
/// is left alone. When the table's keys were sorted they stay sorted.
pub fn add_dependency(doc: &mut DocumentMut, path: &[&str], name: &str, fields: &[(&str, Value)]) {
    let Some(item) = item_mut(doc, path) else {
        return;
    };
    let mut inline = InlineTable::new();
    for (key, value) in fields {
        inline.insert(*key, value.clone());
    }
    inline.fmt();
    let entry = Item::Value(Value::InlineTable(inline));
    if let Some(table) = item.as_table_mut() {
        if table.contains_key(name) {
            return;
        }
        let was_sorted = is_sorted(table.iter().map(|(k, _)| k));
        table.insert(name, entry);
        if was_sorted {
            // Into its place, every other entry left in its order and layout (sorting
            // the table would also sort dotted keys' parts, and `remove` could not
            // tell a table it reordered from one it found so): the entries after the
            // new one's place move behind it.
            let later: Vec<String> = table
                .iter()
                .map(|(k, _)| k.to_owned())
                .filter(|k| k.as_str() > name)
                .collect();
            // Taken out from the last, so each removal shifts only the new entry behind
            // it (a host's table holds a hundred providers), then put back in order.
            let mut moved: Vec<_> = later.iter().rev().filter_map(|k| table.remove_entry(k)).collect();
            moved.reverse();
            for (key, item) in moved {
                table.insert_formatted(&key, item);
            }
        }
    } else if let Some(table) = item.as_table_like_mut()
        && !table.contains_key(name)
    {
        table.insert(name, entry);
    }
}

/// Removes `name` from the table at `path`; `false` when it was not there.
pub fn remove_dependency(doc: &mut DocumentMut, path: &[&str], name: &str) -> bool {
    item_mut(doc, path)
        .and_then(Item::as_table_like_mut)
        .is_some_and(|t| t.remove(name).is_some())
}

fn is_sorted<'a>(mut keys: impl Iterator<Item = &'a str>) -> bool {
    let Some(mut prev) = keys.next() else {
        return true;
    };
    for key in keys {
        if key < prev {
            return false;
        }
        prev = key;
    }
    true
}

/// The item at `path`, creating missing tables on the way (`[workspace.dependencies]`
/// under an existing `[workspace]` is written as its own header).
fn item_mut<'d>(doc: &'d mut DocumentMut, path: &[&str]) -> Option<&'d mut Item> {
    let mut item = doc.as_item_mut();
    for key in path {
        let table = item.as_table_like_mut()?;
        if table.get(key).is_none() {
            table.insert(key, Item::Table(Table::new()));
        }
        item = table.get_mut(key)?;
    }
    Some(item)
}

/// A string array value, `["connector", "sync-plugin"]`.
pub fn string_array(items: &[&str]) -> Value {
    Value::Array(items.iter().copied().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(src: &str, f: impl FnOnce(&mut DocumentMut)) -> String {
        let mut doc = parse("Cargo.toml", src).unwrap();
        f(&mut doc);
        doc.to_string()
    }

    #[test]
    fn a_member_joins_a_multi_line_array_in_its_layout() {
        let src = "# root\n[workspace]\nmembers = [\n    \"host\", # the host\n    \"tento-a\",\n]\n\n[workspace.dependencies]\n";
        let out = edit(src, |d| add_member(d, "tento-b"));
        assert_eq!(
            out,
            "# root\n[workspace]\nmembers = [\n    \"host\", # the host\n    \"tento-a\",\n    \"tento-b\",\n]\n\n[workspace.dependencies]\n"
        );
        assert_eq!(
            edit(&out, |d| add_member(d, "tento-b")),
            out,
            "a second add changes nothing"
        );
    }

    #[test]
    fn a_member_joins_a_one_line_array_on_its_line() {
        let out = edit("[workspace]\nmembers = [\"host\", \"a\"]\n", |d| {
            add_member(d, "b")
        });
        assert_eq!(out, "[workspace]\nmembers = [\"host\", \"a\", \"b\"]\n");
        let out = edit("[workspace]\nresolver = \"2\"\n", |d| add_member(d, "b"));
        assert_eq!(out, "[workspace]\nresolver = \"2\"\nmembers = [\"b\"]\n");
    }

    #[test]
    fn a_dependency_is_added_as_an_inline_table_keeping_sorted_tables_sorted() {
        let src = "[dependencies]\nanyhow = \"1\" # errors\ntokio = { version = \"1\" }\n";
        let out = edit(src, |d| {
            add_dependency(
                d,
                &["dependencies"],
                "tento-acme",
                &[("workspace", Value::from(true))],
            )
        });
        assert_eq!(
            out,
            "[dependencies]\nanyhow = \"1\" # errors\ntento-acme = { workspace = true }\ntokio = { version = \"1\" }\n"
        );
        let unsorted = "[dependencies]\nzed = \"1\"\nanyhow = \"1\"\n";
        let out = edit(unsorted, |d| {
            add_dependency(d, &["dependencies"], "b", &[("path", Value::from("../b"))])
        });
        assert_eq!(
            out,
            "[dependencies]\nzed = \"1\"\nanyhow = \"1\"\nb = { path = \"../b\" }\n"
        );
    }

    #[test]
    fn the_last_members_comment_stays_on_its_line_and_comes_back_on_removal() {
        for src in [
            "[workspace]\nmembers = [\n    \"host\", # the host\n    \"tento-a\", # the a\n]\n",
            "[workspace]\nmembers = [\n    \"host\",\n    \"tento-a\" # no comma\n]\n",
        ] {
            let added = edit(src, |d| add_member(d, "tento-b"));
            let old: Vec<&str> = src.lines().collect();
            let new: Vec<&str> = added.lines().filter(|l| !l.contains("tento-b")).collect();
            assert_eq!(new, old, "no line but the new one changes: {added}");
            assert!(added.contains("\n    \"tento-b\",\n"), "{added}");
            assert_eq!(edit(&added, |d| assert!(remove_member(d, "tento-b"))), src);
        }
    }

    #[test]
    fn a_sorted_table_of_dotted_keys_gets_the_new_key_in_place_and_loses_it_again() {
        let src =
            "[dependencies]\nanyhow.version = \"1\"\nzed.workspace = true\nzed.features = [\"a\"] # z\n";
        let added = edit(src, |d| {
            add_dependency(d, &["dependencies"], "tento-b", &[("path", Value::from("../b"))])
        });
        assert_eq!(
            added,
            "[dependencies]\nanyhow.version = \"1\"\ntento-b = { path = \"../b\" }\nzed.workspace = true\nzed.features = [\"a\"] # z\n"
        );
        assert_eq!(
            edit(&added, |d| assert!(remove_dependency(
                d,
                &["dependencies"],
                "tento-b"
            ))),
            src
        );
    }

    #[test]
    fn inheritance_is_seen_in_every_spelling() {
        let doc = parse("x", "[dependencies]\na = { workspace = true }\nb.workspace = true\nc = \"1\"\n[dependencies.d]\nworkspace = true\n").unwrap();
        assert!(inherits(&doc, "a"));
        assert!(inherits(&doc, "b"));
        assert!(!inherits(&doc, "c"));
        assert!(inherits(&doc, "d"));
        assert!(has_dependency(&doc, &["dependencies"], "c"));
    }

    #[test]
    fn a_missing_workspace_dependencies_table_is_created_once() {
        let src = "[workspace]\nmembers = [\"host\"]\n";
        let out = edit(src, |d| {
            add_dependency(
                d,
                &["workspace", "dependencies"],
                "tento-acme",
                &[("path", Value::from("tento-acme"))],
            )
        });
        assert_eq!(
            out,
            "[workspace]\nmembers = [\"host\"]\n\n[workspace.dependencies]\ntento-acme = { path = \"tento-acme\" }\n"
        );
    }

    #[test]
    fn crlf_manifests_stay_crlf() {
        let src = "[workspace]\r\nmembers = [\r\n    \"host\",\r\n]\r\n";
        let mut doc = parse("Cargo.toml", src).unwrap();
        add_member(&mut doc, "tento-b");
        add_dependency(
            &mut doc,
            &["workspace", "dependencies"],
            "tento-b",
            &[("path", Value::from("tento-b"))],
        );
        let out = render(&doc, src);
        assert!(out.starts_with(src.trim_end_matches("]\r\n")), "{out:?}");
        assert_eq!(out.matches('\n').count(), out.matches("\r\n").count(), "{out:?}");
    }

    #[test]
    fn unparseable_manifests_say_where() {
        let err = parse("host/Cargo.toml", "[package\nname = 1").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("host/Cargo.toml does not parse as TOML: "),
            "{err}"
        );
        assert!(err.to_string().contains("line 1"), "{err}");
        assert!(!err.to_string().contains('\n'));
    }

    #[test]
    fn removal_undoes_addition_byte_for_byte() {
        let src = "[workspace]\nmembers = [\n  \"host\",\n]\n\n[workspace.dependencies]\ntento = { path = \"t\" }\n";
        let added = edit(src, |d| {
            add_member(d, "tento-acme");
            add_dependency(
                d,
                &["workspace", "dependencies"],
                "tento-acme",
                &[("path", Value::from("tento-acme"))],
            );
        });
        assert_ne!(added, src);
        let removed = edit(&added, |d| {
            assert!(remove_member(d, "tento-acme"));
            assert!(remove_dependency(d, &["workspace", "dependencies"], "tento-acme"));
        });
        assert_eq!(removed, src);
    }
}
