use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey(crate = "not a path")]
#[rowkey(krate = "::tento")]
#[rowkey = "routes"]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" { ":activities" { get } }
    }
}]
#[rowkey {}]
pub struct RowKeys;

fn main() {}
