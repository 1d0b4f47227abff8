//! The host's routes: the seeds' `RowKeySchema` block, with the verbs the host serves,
//! for the provider written by hand and the one written with the macros.
//! `#[derive(RowKeySchema)]` finds each `Activities` row by convention, under its
//! integration's `connector` module, and compiles the routes into the router.

use tento::connector::RowKeySchema;

/// The host's lookup-key routes.
#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" {
            ":activities" { get list sync }
        }
    }
    [integration = ::tento_myprovider_macros::connector::MyMacroProvider] {
        ":~mymacroprovider:{authId}" {
            ":activities" { get list sync }
        }
    }
}]
pub struct RowKeys;
