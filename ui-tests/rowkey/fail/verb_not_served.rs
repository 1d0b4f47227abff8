use futures::future::BoxFuture;
use tento::connector::{Integration, Row, RowKeySchema, UserAuth, Verb};

pub mod connector {
    pub trait Deps: Send + Sync {}
}

pub struct Provider;

impl Integration for Provider {
    type Deps = dyn connector::Deps;
    type Client = ();
    type Params = ();

    fn client<'a>(_: &'a dyn UserAuth, _: &'a dyn connector::Deps, _: &'a ()) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async { Ok(()) })
    }
}

/// A read-only row, as `#[tento::row]` declares one.
pub struct ReadOnly;

impl Row for ReadOnly {
    type Integration = Provider;
    type Params = ();
    const ROW_LABEL: &'static str = "p-read-only";
    const SERVES: Option<&'static [Verb]> = Some(&[Verb::Get, Verb::List]);

    fn lookup_key(_: &(), _: &()) -> String {
        ":~p:read-only".into()
    }
}

#[derive(RowKeySchema)]
#[rowkey {
    [integration = Provider] {
        ":~p" {
            ":read-only" as ReadOnly { get post list delete } //~ ERROR ERROR
        }
    }
}]
pub struct RowKeys;

fn main() {}
