//! Hosts written by hand in the seeds' shape, as a user's years-old workspace would be,
//! none of them written by `init`: each [`Traits`] field switches on one habit the
//! scaffold must live with (CRLF, tabs, banner comments, comments after every line,
//! dotted keys, unsorted tables, a hand-written auth `match`, registration helpers,
//! locals, extra parameters, `#[cfg(test)]` modules, a `[lib] name`, a byte-order
//! mark, no final newline, one-line `{}` bodies). The host loads
//! the by-hand `tento-myprovider` of this repository (copied in), so it builds.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The habits a host has.
#[derive(Clone, Copy, Debug, Default)]
pub struct Traits {
    /// Every line ends in `\r\n`.
    pub crlf: bool,
    /// Indented with tabs.
    pub tabs: bool,
    /// A `/* … * … */` banner opens every Rust file.
    pub banner: bool,
    /// A trailing comment on every line the scaffold might copy or insert beside.
    pub comments: bool,
    /// Dependencies as dotted keys (`anyhow.workspace = true`) rather than inline tables.
    pub dotted: bool,
    /// Dependency tables sorted by name.
    pub sorted: bool,
    /// Auth kinds resolved by a hand-written `match` in `impl UserAuth`, not a registry.
    pub hand_match: bool,
    /// A generic registration helper taking `&mut IntegrationDeps`, above the real one.
    pub helper: bool,
    /// The existing provider's deps registered through a local binding.
    pub locals: bool,
    /// The registration functions take another `Arc` before the host's deps.
    pub extra_params: bool,
    /// A `#[cfg(test)]` module registering deps and implementing a seam, after the real ones.
    pub cfg_test: bool,
    /// The host crate's `[lib] name` differs from its package name.
    pub lib_name: bool,
    /// Every file starts with a UTF-8 byte-order mark, as some Windows editors save.
    pub bom: bool,
    /// No file ends in a newline: the last line stops at its last character.
    pub no_final_newline: bool,
    /// Bodies with nothing in them written on one line: `register_sync`'s `{}`.
    pub empty_bodies: bool,
}

impl Traits {
    /// Every combination is a host; `bits` picks one.
    pub fn from_bits(bits: u16) -> Traits {
        let b = |i: u16| bits & (1 << i) != 0;
        Traits {
            crlf: b(0),
            tabs: b(1),
            banner: b(2),
            comments: b(3),
            dotted: b(4),
            sorted: b(5),
            hand_match: b(6),
            helper: b(7),
            locals: b(8),
            extra_params: b(9),
            cfg_test: b(10),
            lib_name: b(11),
            bom: b(12),
            no_final_newline: b(13),
            empty_bodies: b(14),
        }
    }

    /// The number of traits [`from_bits`](Self::from_bits) reads.
    pub const COUNT: u32 = 15;

    fn c(&self, text: &str) -> String {
        if self.comments {
            format!(" // {text}")
        } else {
            String::new()
        }
    }

    fn t(&self, text: &str) -> String {
        if self.comments {
            format!(" # {text}")
        } else {
            String::new()
        }
    }
}

/// The repository's root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Writes the host with `traits` at `root`: the workspace, the host crate `host/` and a
/// copy of `tento-myprovider/`.
pub fn write(root: &Path, traits: Traits) {
    let files = files(traits);
    for (rel, text) in &files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
    let from = repo_root().join("examples/tento-myprovider");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&from).unwrap();
        if rel.starts_with("target") {
            continue;
        }
        let dest = root.join("tento-myprovider").join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// The host's own files, relative to its root, in the host's line endings and indents.
pub fn files(t: Traits) -> Vec<(String, String)> {
    let mut files = vec![
        ("Cargo.toml".to_owned(), root_manifest(t)),
        ("host/Cargo.toml".to_owned(), host_manifest(t)),
        ("host/src/lib.rs".to_owned(), lib_rs(t)),
        ("host/src/deps.rs".to_owned(), deps_rs(t)),
        ("host/tests/fakes.rs".to_owned(), fakes_rs(t)),
    ];
    for (name, text) in &mut files {
        if name.ends_with(".rs") {
            if t.banner {
                *text = format!(
                    "/*\n * {name}: part of a host written by several people.\n * Keep this banner.\n */\n{text}"
                );
            }
            if t.tabs {
                *text = tabs(text);
            }
        }
        if t.no_final_newline {
            let trimmed = text.trim_end_matches('\n').len();
            text.truncate(trimmed);
        }
        if t.crlf {
            *text = text.replace('\n', "\r\n");
        }
        if t.bom {
            text.insert(0, '\u{feff}');
        }
    }
    files
}

/// Leading runs of four spaces as tabs.
fn tabs(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            let spaces = line.len() - line.trim_start_matches(' ').len();
            format!("{}{}", "\t".repeat(spaces / 4), &line[spaces - spaces % 4..])
        })
        .collect()
}

fn dep(t: Traits, name: &str, fields: &[(&str, &str)]) -> String {
    if t.dotted {
        // One line per field, in the order written (not sorted: `workspace` before
        // `features`), as hand-edited manifests have them.
        let lines: Vec<String> = fields.iter().map(|(k, v)| format!("{name}.{k} = {v}")).collect();
        lines.join("\n")
    } else {
        let inner: Vec<String> = fields.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        format!("{name} = {{ {} }}", inner.join(", "))
    }
}

fn table(t: Traits, mut lines: Vec<String>) -> String {
    // By key, as cargo and toml_edit compare keys.
    lines.sort_by(|a, b| a.split(['.', ' ']).next().cmp(&b.split(['.', ' ']).next()));
    if !t.sorted {
        lines.reverse();
    }
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn root_manifest(t: Traits) -> String {
    let tento = repo_root().join("tento").display().to_string();
    let deps = table(
        t,
        vec![
            format!("{}{}", dep(t, "anyhow", &[("version", "\"1\"")]), t.t("errors")),
            dep(
                t,
                "futures",
                &[
                    ("version", "\"0.3\""),
                    ("default-features", "false"),
                    ("features", "[\"std\", \"async-await\", \"executor\"]"),
                ],
            ),
            dep(t, "tento", &[("path", &format!("{tento:?}"))]),
            dep(t, "tento-myprovider", &[("path", "\"tento-myprovider\"")]),
            dep(t, "async-trait", &[("version", "\"0.1\"")]),
            dep(
                t,
                "chrono",
                &[
                    ("version", "\"0.4.40\""),
                    ("default-features", "false"),
                    ("features", "[\"clock\", \"std\", \"serde\"]"),
                ],
            ),
            dep(t, "serde", &[("version", "\"1\""), ("features", "[\"derive\"]")]),
            dep(t, "serde_json", &[("version", "\"1\"")]),
            dep(t, "tokio", &[("version", "\"1\""), ("default-features", "false")]),
            dep(
                t,
                "uuid",
                &[("version", "\"1\""), ("features", "[\"v5\", \"serde\"]")],
            ),
        ],
    );
    format!(
        "# The workspace of a host written by hand.\n[workspace]\nresolver = \"3\"\nmembers = [\n    \"host\",{}\n    \"tento-myprovider\",{}\n]\n\n[workspace.package]\nversion = \"0.1.0\"\nedition = \"2024\"\nrust-version = \"1.88\"\nlicense = \"MIT\"\n\n[workspace.dependencies]\n{deps}",
        t.t("the host"),
        t.t("the provider"),
    )
}

fn host_manifest(t: Traits) -> String {
    let lib = if t.lib_name {
        "\n[lib]\nname = \"hand_host\"\n"
    } else {
        ""
    };
    let deps = table(
        t,
        vec![
            dep(t, "anyhow", &[("workspace", "true")]),
            dep(t, "futures", &[("workspace", "true")]),
            dep(t, "serde_json", &[("workspace", "true")]),
            format!(
                "{}{}",
                dep(t, "tento", &[("workspace", "true"), ("features", "[\"sync\"]")]),
                t.t("runtime")
            ),
            dep(
                t,
                "tento-myprovider",
                &[("workspace", "true"), ("features", "[\"connector\"]")],
            ),
            dep(t, "uuid", &[("workspace", "true")]),
        ],
    );
    format!(
        "[package]\nname = \"my-hand-host\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n{lib}\n[dependencies]\n{deps}\n[dev-dependencies]\n{}",
        table(
            t,
            vec![
                dep(
                    t,
                    "tento",
                    &[("workspace", "true"), ("features", "[\"sync\", \"testing\"]")]
                ),
                dep(
                    t,
                    "tento-myprovider",
                    &[
                        ("workspace", "true"),
                        ("features", "[\"connector\", \"testing\"]")
                    ],
                ),
            ],
        ),
    )
}

fn lib_rs(t: Traits) -> String {
    let mut s = String::from(
        "//! A host written by hand, in the seeds' shape.\n\npub mod deps;\n\nuse std::sync::Arc;\n\n",
    );
    s += "use futures::future::BoxFuture;\nuse tento::connector::{ErasedCredentials, IntegrationDeps, MemoryCellStore, Owner, UserAuth};\nuse tento::sync::{DispatchExecutor, Orchestrator, SyncExecutor};\nuse tento_myprovider::connector::MyProviderBackendDeps;\n\npub use deps::HostDeps;\n\n";
    s += &format!(
        "/// Routes.\n#[derive(tento::connector::RowKeySchema)]\n#[rowkey {{\n    [integration = ::tento_myprovider::connector::MyProvider] {{{}\n        \":~myprovider:{{authId}}\" {{\n            \":activities\" {{ get list sync }}{}\n        }}\n    }}\n}}]\npub struct RowKeys;\n\n",
        t.c("by hand"),
        t.c("the only row"),
    );
    if !t.hand_match {
        s += &format!(
            "tento::auth_registry! {{\n    /// The auth kinds.\n    pub struct HostAuthKinds {{\n        tento_myprovider::connector::MyProviderAuth,{}\n    }}\n}}\n\n",
            t.c("mine")
        );
    }
    s += "/// A user.\npub struct HostUser {\n    stored: std::collections::HashMap<(String, String), serde_json::Value>,\n}\n\n";
    let resolve = if t.hand_match {
        format!(
            "            let typed = match kind {{\n                \"myprovider\" => tento::connector::decode_credentials::<tento_myprovider::connector::MyProviderAuth>(raw)?,{}\n                other => return Err(tento::connector::AuthError::UnknownKind(other.to_owned()).into()),\n            }};\n            Ok(Some(typed))\n",
            t.c("mine")
        )
    } else {
        "            <HostAuthKinds as tento::connector::AuthRegistry>::decode(kind, raw).map(Some)\n"
            .to_owned()
    };
    s += &format!(
        "impl UserAuth for HostUser {{\n    fn owner(&self) -> Owner {{\n        Owner(uuid::Uuid::nil())\n    }}\n\n    fn credentials<'a>(\n        &'a self,\n        kind: &'a str,\n        auth_id: &'a str,\n    ) -> BoxFuture<'a, anyhow::Result<Option<ErasedCredentials>>> {{\n        Box::pin(async move {{\n            let Some(raw) = self.stored.get(&(kind.to_owned(), auth_id.to_owned())).cloned() else {{\n                return Ok(None);\n            }};\n{resolve}        }})\n    }}\n}}\n\n"
    );
    s += "/// What every row's cells are cached in.\npub struct Cache;\n\n";
    if t.helper {
        s += "/// Registers one seam: a helper of the host's own.\npub fn register_one<T: ?Sized + Send + Sync + 'static>(integrations: &mut IntegrationDeps, seam: Arc<T>) {\n    integrations.register::<T>(seam);\n}\n\n";
    }
    let extra = if t.extra_params {
        "cache: &Arc<Cache>, "
    } else {
        ""
    };
    let uses_extra = if t.extra_params {
        "    let _ = cache;\n"
    } else {
        ""
    };
    let register = if t.locals {
        format!(
            "    let myprovider: Arc<dyn MyProviderBackendDeps> = deps.clone();\n    integrations.register::<dyn MyProviderBackendDeps>(myprovider);{}\n",
            t.c("mine")
        )
    } else {
        format!(
            "    integrations.register::<dyn MyProviderBackendDeps>(deps.clone() as Arc<dyn MyProviderBackendDeps>);{}\n",
            t.c("mine")
        )
    };
    s += &format!(
        "/// Registers every provider's deps.\npub fn register_integrations(integrations: &mut IntegrationDeps, {extra}deps: &Arc<HostDeps>) {{\n{uses_extra}{register}}}\n\n"
    );
    s += &if t.empty_bodies {
        format!(
            "/// Registers every synced row: none yet.\npub fn register_sync(_orchestrator: &mut Orchestrator, {extra}_deps: &Arc<HostDeps>, _executor: &Arc<dyn SyncExecutor>) {{}}\n\n"
        )
    } else {
        format!(
            "/// Registers every synced row.\npub fn register_sync(orchestrator: &mut Orchestrator, {extra}deps: &Arc<HostDeps>, executor: &Arc<dyn SyncExecutor>) {{\n{uses_extra}    let _ = (&orchestrator, deps, executor);\n}}\n\n"
        )
    };
    s += "/// The host, booted.\npub fn boot() -> anyhow::Result<(Arc<IntegrationDeps>, Orchestrator)> {\n    let store = Arc::new(MemoryCellStore::new());\n    let deps = Arc::new(HostDeps { store: store.clone(), sync_state: tento::sync::MemorySyncStateStore::new() });\n    let mut integrations = IntegrationDeps::new();\n";
    let cache_arg = if t.extra_params { "&Arc::new(Cache), " } else { "" };
    s += &format!(
        "    register_integrations(&mut integrations, {cache_arg}&deps);\n    integrations.ensure_all_registered(<RowKeys as tento::connector::RowKeySchema>::schemas())?;\n    let integrations = Arc::new(integrations);\n    let executor: Arc<dyn SyncExecutor> = Arc::new(DispatchExecutor::<RowKeys>::new(integrations.clone(), store.clone()));\n    let mut orchestrator = Orchestrator::new(2);\n    register_sync(&mut orchestrator, {cache_arg}&deps, &executor);\n    Ok((integrations, orchestrator))\n}}\n"
    );
    if t.cfg_test {
        s += "\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    struct TestDeps;\n\n    impl MyProviderBackendDeps for TestDeps {\n        fn persist_cells<'a>(&'a self, _: uuid::Uuid, _: Vec<tento::connector::Cell>) -> BoxFuture<'a, anyhow::Result<()>> {\n            Box::pin(async { Ok(()) })\n        }\n    }\n\n    fn test_registry(integrations: &mut IntegrationDeps, test_deps: &Arc<TestDeps>) {\n        integrations.register::<dyn MyProviderBackendDeps>(test_deps.clone() as Arc<dyn MyProviderBackendDeps>);\n    }\n\n    #[test]\n    fn the_host_boots() {\n        let mut integrations = IntegrationDeps::new();\n        test_registry(&mut integrations, &Arc::new(TestDeps));\n        boot().unwrap();\n    }\n}\n";
    }
    s
}

fn deps_rs(t: Traits) -> String {
    format!(
        "//! The host's deps.\n\nuse std::sync::Arc;\n\nuse futures::future::BoxFuture;\nuse tento::connector::{{Cell, CellStore, MemoryCellStore}};\nuse tento::sync::{{MemorySyncStateStore, SyncStateStore}};\n\n/// Every provider's seams, over one store.\npub struct HostDeps {{\n    /// Where cells land.\n    pub store: Arc<MemoryCellStore>,{}\n    /// Sync plugins' per-row state.\n    pub sync_state: MemorySyncStateStore,\n}}\n\n/// Sync plugins keep their state here.\nimpl SyncStateStore for HostDeps {{\n    fn load_state<'a>(&'a self, row_id: uuid::Uuid) -> BoxFuture<'a, anyhow::Result<Option<serde_json::Value>>> {{\n        self.sync_state.load_state(row_id)\n    }}\n\n    fn save_state<'a>(&'a self, row_id: uuid::Uuid, state: serde_json::Value) -> BoxFuture<'a, anyhow::Result<()>> {{\n        self.sync_state.save_state(row_id, state)\n    }}\n}}\n\n/// MyProvider's cells are the host's cells.\nimpl tento_myprovider::connector::MyProviderBackendDeps for HostDeps {{\n    fn persist_cells<'a>(&'a self, row_id: uuid::Uuid, cells: Vec<Cell>) -> BoxFuture<'a, anyhow::Result<()>> {{\n        Box::pin(async move {{ self.store.put(row_id, cells).await.map(drop) }}){}\n    }}\n}}\n",
        t.c("the store"),
        t.c("a store write"),
    )
}

fn fakes_rs(t: Traits) -> String {
    let lib = if t.lib_name { "hand_host" } else { "my_hand_host" };
    format!(
        "//! The host's fakes.\n\nuse tento::connector::RowKeySchema;\nuse tento::testing::FakeRowKeyDeps;\n\n/// Every provider's stub.\nfn fakes() -> FakeRowKeyDeps {{\n    FakeRowKeyDeps::new()\n        .with_stub::<dyn tento_myprovider::connector::MyProviderBackendDeps>(){}\n}}\n\n#[test]\nfn every_provider_has_a_stub() {{\n    fakes().deps.ensure_all_registered({lib}::RowKeys::schemas()).unwrap();\n}}\n",
        t.c("mine")
    )
}
