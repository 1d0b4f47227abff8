//! `#[rowkey(crate = "…")]`: the generated code names tento through a crate (here a
//! module) that re-exports its `connector` and `host` modules, as a user owning their
//! own connector crate would.
#![deny(warnings, missing_docs)]

/// The user's own connector crate.
pub mod my_connector {
    pub use tento::{connector, host};
}

use my_connector::connector::RowKeySchema;

/// Routes through `crate::my_connector`.
#[derive(RowKeySchema)]
#[rowkey(crate = "crate::my_connector")]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" { ":activities" { get list } }
    }
}]
pub struct RowKeys;

fn main() {
    let m = RowKeys::resolve(":~myprovider:a:activities").unwrap();
    assert_eq!(m.params.get("authId"), Some("a"));
    assert_eq!(RowKeys::schemas().len(), 1);
}
