//! Embeds every file under `templates/` in the binary: `TEMPLATES` lists
//! `(name, source)` with the name being the path under `templates/` without `.j2`, so a
//! template added to the folder needs no code change to ship.
//!
//! The workspace's `templates/` is the one source. `tento-scaffold/templates` is a
//! symlink to it, which `cargo package` follows, so the published crate carries real
//! files; a checkout without symlinks (Git on Windows by default) falls back to the
//! workspace folder.

use std::fmt::Write;
use std::path::Path;

fn main() {
    // Read at run time: `env!` would bake in the directory the build script was compiled
    // in, and cargo reuses a compiled build script for a checkout at another path that
    // shares the target directory (it then embedded no template at all).
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let manifest_dir = Path::new(&manifest_dir);
    let root = [manifest_dir.join("templates"), manifest_dir.join("../templates")]
        .into_iter()
        .find(|dir| dir.is_dir())
        .expect("templates/ beside Cargo.toml (the packaged crate) or in the workspace above");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut entries: Vec<_> = walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "j2"))
        .map(|e| e.into_path())
        .collect();
    entries.sort();
    // A scaffold without templates builds fine and fails every command: stop here instead.
    assert!(!entries.is_empty(), "no templates under {}", root.display());
    let mut out = String::from(
        "/// `(name, source)` of every template under `templates/`.\npub const TEMPLATES: &[(&str, &str)] = &[\n",
    );
    for path in entries {
        println!("cargo:rerun-if-changed={}", path.display());
        let rel = path.strip_prefix(&root).expect("walked under the root");
        let name = rel.to_string_lossy().replace('\\', "/");
        let name = name.strip_suffix(".j2").unwrap_or(&name);
        let abs = path.canonicalize().expect("a file that was just listed");
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            abs.display().to_string()
        )
        .expect("writing to a String");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("templates.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
