use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{auth-id}" { ":activities" { get } }
        ":~myprovider:{authId" { ":activities" { get } }
        ":~myprovider:{}" { ":activities" { get } }
        ":~myprovider:{type}" { ":activities" { get } }
    }
}]
pub struct RowKeys;

fn main() {}
