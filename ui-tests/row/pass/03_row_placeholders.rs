//! A row key with placeholders of its own gets a row-level params struct; the label
//! keeps the placeholder's name.
#![deny(warnings, missing_docs)]

use tento::chrono::DateRange;
use tento::connector::{Cell, Row, RowCtx, RouteParams, Verb};
use tento::host::parse_params;
use tento::oauth::{AuthHandle, OAuthCredentials};

/// Credential.
#[derive(Clone, serde::Deserialize)]
pub struct Creds;
impl OAuthCredentials for Creds {}

/// Client.
pub struct GitClient;
impl From<AuthHandle<Creds>> for GitClient {
    fn from(_: AuthHandle<Creds>) -> Self {
        GitClient
    }
}

/// Deps.
pub trait GitDeps: Send + Sync {}

/// Provider.
#[tento::provider(kind = "git", name = "Git", deps = dyn GitDeps, credentials = Creds)]
pub struct Git;

/// Commits of one repository on one day.
pub struct Commits;

#[tento::row(provider = Git, key = ":~git:{authId}:repos:{repoName}:commits:{day}")]
impl Commits {
    async fn list_cells(ctx: RowCtx<'_, Self>, _range: Option<DateRange>) -> anyhow::Result<Vec<Cell>> {
        anyhow::ensure!(!ctx.row_params.repo_name.is_empty());
        Ok(Vec::new())
    }
}

fn main() {
    assert_eq!(Commits::ROW_LABEL, "git-repos-repoName-commits-day");
    assert_eq!(Commits::SERVES, Some(&[Verb::Get, Verb::List][..]));
    let key = Commits::lookup_key(
        &GitParams { auth_id: "a1".into() },
        &CommitsParams { repo_name: "tento".into(), day: "2024-05-01".into() },
    );
    assert_eq!(key, ":~git:a1:repos:tento:commits:2024-05-01");
    let mut route = RouteParams::new();
    route.push("authId", "a1");
    route.push("repoName", "tento");
    route.push("day", "2024-05-01");
    let row: CommitsParams = parse_params(&route).unwrap();
    assert_eq!(row.day, "2024-05-01");
}
