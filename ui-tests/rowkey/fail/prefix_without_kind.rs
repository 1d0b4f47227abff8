use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":myprovider:{authId}" { ":activities" { get } }
        ":{authId}" { ":activities" { get } }
        ":~:{authId}" { ":activities" { get } }
    }
}]
pub struct RowKeys;

fn main() {}
