use futures::future::BoxFuture;
use tento::connector::{Integration, Row, RowKeySchema, UserAuth};

pub trait Deps: Send + Sync {}

pub struct Other;

impl Integration for Other {
    type Deps = dyn Deps;
    type Client = ();
    type Params = ();

    fn client<'a>(_: &'a dyn UserAuth, _: &'a dyn Deps, _: &'a ()) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async { Ok(()) })
    }
}

pub struct OtherRow;

impl Row for OtherRow {
    type Integration = Other;
    type Params = ();
    const ROW_LABEL: &'static str = "other-row";

    fn lookup_key(_: &(), _: &()) -> String {
        ":~other:row".into()
    }
}

// `OtherRow` belongs to `Other`, not to `MyProvider`; `String` is no row at all.
#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" {
            ":other" as OtherRow { get } //~ ERROR
            ":string" as String { get } //~ ERROR
        }
    }
}]
pub struct RowKeys;

fn main() {}
