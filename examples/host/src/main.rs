//! The README's main job until the scaffold lands: boot the example host, sync
//! MyProvider's activities row for a demo user, and print what landed in the store.

use std::sync::Arc;

use tento::connector::{Owner, Request, Response, Row, RowKeySchema, UserAuth};
use tento_example_host::{Host, HostUserAuth, RowKeys};
use tento_myprovider::connector::MyProviderParams;
use tento_myprovider::connector::activities::Activities;

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let host = Host::boot()?;
    let mut user = HostUserAuth::new(Owner(uuid::Uuid::from_u128(42)));
    user.connect(
        "myprovider",
        "demo-account",
        serde_json::json!({
            "credentials": { "client_id": "tento-example", "account": "demo-account" },
            "token": { "access_token": "demo-token" }
        }),
    );
    let user = Arc::new(user);

    let key = Activities::lookup_key(
        &MyProviderParams {
            auth_id: "demo-account".into(),
        },
        &(),
    );
    println!("syncing {key} through the orchestrator");
    let report = host.sync(user.clone(), std::slice::from_ref(&key)).await?;
    for row in &report.rows {
        println!("  {row}");
    }
    anyhow::ensure!(report.is_success(), "sync failed");

    let row_id = user.owner().row_id(&key);
    let cells = host.store.row(row_id);
    println!("store: {} cells in row {row_id}; the latest five:", cells.len());
    for cell in cells.iter().rev().take(5) {
        let data = &cell.data;
        println!(
            "  {}  {}  {:<5} {:>3} min",
            data["date"].as_str().unwrap_or("?"),
            cell.id.as_deref().unwrap_or("-"),
            data["kind"].as_str().unwrap_or("?"),
            data["duration_min"],
        );
    }

    let newest = cells.last().and_then(|c| c.id.clone()).unwrap_or_default();
    let answer = RowKeys::dispatch(
        &key,
        Request::Get {
            cell_id: newest.clone(),
        },
        &host.ctx(&*user),
    )
    .await?;
    let found = matches!(answer, Response::Cell(Some(_)));
    println!(
        "get {newest} on {key} through RowKeys: {}",
        if found { "found" } else { "missing" }
    );
    Ok(())
}
