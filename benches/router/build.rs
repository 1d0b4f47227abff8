//! Writes the benchmark's route sets as Rust source into `OUT_DIR`: for each size, the
//! integrations and rows as real types (one module per provider, laid out as the seeds
//! lay out a provider's `connector`), and a `#[derive(RowKeySchema)]` block routing to
//! them, for the benches and tests to `include!`.
//!
//! Sizes: 10 and 1,000 routes always; 10,000 (1,000 providers) when the environment has
//! `TENTO_BENCH_10K=1`, since type-checking that many rows is slow on a 2-core machine.

use std::fmt::Write as _;
use std::path::Path;

const KEYWORDS: &[&str] = &[
    "abstract", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn",
    "else", "enum", "extern", "false", "final", "impl", "loop", "macro", "match", "mod", "move", "mut",
    "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "try",
    "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "gen",
];

/// A deterministic generator, so every build writes the same routes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A random lower-case word that is not a Rust keyword (it names a module).
    fn word(&mut self, min: usize, max: usize) -> String {
        loop {
            let len = min + (self.next() as usize) % (max - min + 1);
            let word: String = (0..len)
                .map(|_| (b'a' + (self.next() % 26) as u8) as char)
                .collect();
            if !KEYWORDS.contains(&word.as_str()) {
                return word;
            }
        }
    }
}

fn camel(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// `providers` providers of 10 rows each; a quarter of the rows nested under another.
fn write_set(out: &Path, name: &str, providers: usize) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ providers as u64);
    let mut src = String::new();
    let mut dsl = String::new();
    let mut patterns = Vec::new();
    let mut kinds = std::collections::HashSet::new();
    writeln!(src, "/// The {name} route set.\npub mod {name} {{").unwrap();
    for p in 0..providers {
        let kind = loop {
            let kind = rng.word(4, 12);
            if kinds.insert(kind.clone()) {
                break kind;
            }
        };
        let mut rows: Vec<String> = Vec::new();
        while rows.len() < 8 {
            let row = rng.word(4, 14);
            if !rows.contains(&row) {
                rows.push(row);
            }
        }
        writeln!(
            src,
            "pub mod p{p} {{ pub mod connector {{ tento_bench_router::bench_integration!(P);"
        )
        .unwrap();
        writeln!(
            dsl,
            "[integration = crate::{name}::p{p}::connector::P] {{ \":~{kind}:{{authId}}\" {{"
        )
        .unwrap();
        // Eight rows; the first two with a nested row each: ten routes.
        for (i, row) in rows.iter().enumerate() {
            let label = format!("{kind}-{row}");
            write!(
                src,
                "pub mod {row} {{ tento_bench_router::bench_row!({}, super::P, \"{label}\");",
                camel(row)
            )
            .unwrap();
            write!(dsl, "\":{row}\" {{ get list").unwrap();
            patterns.push(format!(":~{kind}:{{authId}}:{row}"));
            if i < 2 {
                let sub = rng.word(3, 8);
                write!(src, " pub mod {sub} {{ tento_bench_router::bench_row!({}, super::super::P, \"{label}-{sub}\"); }}", camel(&sub))
                    .unwrap();
                write!(dsl, " \":{sub}\" {{ list }}").unwrap();
                patterns.push(format!(":~{kind}:{{authId}}:{row}:{sub}"));
            }
            writeln!(src, " }}").unwrap();
            writeln!(dsl, " }}").unwrap();
        }
        writeln!(src, "}} }}").unwrap();
        writeln!(dsl, "}} }}").unwrap();
    }
    writeln!(
        src,
        "/// The routes.\n#[derive(tento::connector::RowKeySchema)]\n#[rowkey {{\n{dsl}}}]\npub struct RowKeys;"
    )
    .unwrap();
    writeln!(
        src,
        "/// Every pattern, in declaration order.\npub const PATTERNS: &[&str] = &{patterns:?};"
    )
    .unwrap();
    writeln!(src, "}}").unwrap();
    std::fs::write(out.join(format!("{name}.rs")), src).unwrap();
}

fn main() {
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out);
    write_set(out, "routes_10", 1);
    write_set(out, "routes_1k", 100);
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=TENTO_BENCH_10K");
    println!("cargo::rustc-check-cfg=cfg(routes_10k)");
    if std::env::var("TENTO_BENCH_10K").is_ok_and(|v| v == "1") {
        write_set(out, "routes_10k", 1000);
        println!("cargo::rustc-cfg=routes_10k");
    }
}
