//! `tento-scaffold init <dir>`: a host workspace in the seeds' shape, with no provider
//! yet, that builds and passes its tests straight away.

use std::path::{Path, PathBuf};

use minijinja::context;

use super::{Context, Mode, TentoArgs, finish};
use crate::TentoSource;
use crate::patch::rustfmt::Formatter;
use crate::plan::Plan;
use crate::templates::{RenderError, Templates};

/// `init`'s command line.
#[derive(clap::Args)]
pub(crate) struct InitArgs {
    /// Where to create it (must not exist, or be empty).
    dir: PathBuf,
    #[command(flatten)]
    tento: TentoArgs,
    /// Where the host keeps its data: `sqlite` (a file in the workspace, the default),
    /// `postgres` (many instances, `DATABASE_URL`) or `memory` (nothing kept).
    #[arg(long, value_enum, default_value = "sqlite")]
    store: StoreArg,
    /// Print the files as a diff and write nothing.
    #[arg(long)]
    dry_run: bool,
}

impl InitArgs {
    /// Plans the host, then shows or writes it.
    pub(crate) fn run(self, cx: &Context) -> anyhow::Result<()> {
        let plan = plan_with_store(&self.dir, &self.tento.source(), &cx.templates, self.store.into())?;
        let what = format!("host workspace {}", self.dir.display());
        finish(&plan, Mode::of(self.dry_run, false), &cx.status, &what, false)
    }
}

/// `--store`'s values.
#[derive(Clone, Copy, clap::ValueEnum)]
enum StoreArg {
    Sqlite,
    Postgres,
    Memory,
}

impl From<StoreArg> for Store {
    fn from(arg: StoreArg) -> Self {
        match arg {
            StoreArg::Sqlite => Store::Sqlite,
            StoreArg::Postgres => Store::Postgres,
            StoreArg::Memory => Store::Memory,
        }
    }
}

/// Why `init` planned nothing.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The directory has files in it.
    #[error("{0} exists and is not empty; choose a new directory, or empty it first")]
    NotEmpty(String),
    /// A template failed.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// rustfmt is missing or refused a new file.
    #[error(transparent)]
    Format(#[from] crate::patch::rustfmt::FormatError),
}

/// The files of a new host, `(path under the workspace, template)`.
const FILES: &[(&str, &str)] = &[
    ("Cargo.toml", "host/Cargo.toml"),
    (".gitignore", "host/gitignore"),
    ("host/Cargo.toml", "host/host/Cargo.toml"),
    ("host/src/lib.rs", "host/host/src/lib.rs"),
    ("host/src/auth.rs", "host/host/src/auth.rs"),
    ("host/src/deps.rs", "host/host/src/deps.rs"),
    ("host/src/rowkeys.rs", "host/host/src/rowkeys.rs"),
    ("host/src/store.rs", "host/host/src/store.rs"),
    ("host/src/main.rs", "host/host/src/main.rs"),
    ("host/tests/host.rs", "host/host/tests/host.rs"),
];

/// Where a new host keeps its data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Store {
    /// One SQLite file in the workspace, created on first run: the default.
    #[default]
    Sqlite,
    /// PostgreSQL, named by `DATABASE_URL`, with leases so many instances share work.
    Postgres,
    /// Memory: gone when the process exits.
    Memory,
}

impl Store {
    /// Every store, for tests that render each.
    pub const ALL: [Store; 3] = [Store::Sqlite, Store::Postgres, Store::Memory];

    /// The name the templates switch on.
    pub fn name(self) -> &'static str {
        match self {
            Store::Sqlite => "sqlite",
            Store::Postgres => "postgres",
            Store::Memory => "memory",
        }
    }

    /// The host's `tento` features, as a TOML array's items. A PostgreSQL host's tests
    /// run on a temporary SQLite file, so it needs both.
    fn features(self) -> &'static str {
        match self {
            Store::Sqlite => r#""sync", "sqlite""#,
            Store::Postgres => r#""sync", "postgres", "sqlite""#,
            Store::Memory => r#""sync""#,
        }
    }
}

/// Plans the host workspace at `dir` on the default store (SQLite). Reads, never writes.
pub fn plan(dir: &Path, tento: &TentoSource, templates: &Templates) -> Result<Plan, InitError> {
    plan_with_store(dir, tento, templates, Store::default())
}

/// Plans the host workspace at `dir`, keeping its data in `store`. Reads, never writes.
pub fn plan_with_store(
    dir: &Path,
    tento: &TentoSource,
    templates: &Templates,
    store: Store,
) -> Result<Plan, InitError> {
    if std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(InitError::NotEmpty(dir.display().to_string()));
    }
    let tento_dep = match tento {
        TentoSource::Path(path) => format!("{{ path = {:?} }}", path.display().to_string()),
        TentoSource::Version(version) => format!("{{ version = {version:?} }}"),
    };
    let ctx = context! {
        tento_dep => tento_dep,
        store => store.name(),
        store_features => store.features(),
    };
    let mut plan = Plan::new(dir);
    let mut formatter = Formatter::new(dir);
    for (path, template) in FILES {
        plan.create(dir.join(path), templates.render(template, &ctx)?, "create");
        if !templates.has_overrides() {
            plan.prove(&dir.join(path));
        }
        if path.ends_with(".rs") {
            formatter.file(&dir.join(path));
        }
    }
    formatter.finish(&mut plan)?;
    Ok(plan)
}
