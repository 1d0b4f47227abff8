//! A host with no provider yet, as `tento-scaffold init` writes it: no routes, every
//! key a miss.
#![deny(missing_docs, warnings)]

use tento::connector::{ResolveError, RowKeySchema};

/// The host's routes: none yet.
#[derive(RowKeySchema)]
#[rowkey {
}]
pub struct RowKeys;

fn main() {
    assert!(RowKeys::schemas().is_empty());
    assert!(matches!(RowKeys::resolve(":~garmin:a:activities").map_err(ResolveError::from), Err(ResolveError::NoRoute { .. })));
    assert!(matches!(RowKeys::resolve("nonsense").map_err(ResolveError::from), Err(ResolveError::Malformed { .. })));
}
