use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{auth-id}" { ":activities" { get } } //~ ERROR
        ":~myprovider:{authId" { ":activities" { get } } //~ ERROR
        ":~myprovider:{}" { ":activities" { get } } //~ ERROR
        ":~myprovider:{type}" { ":activities" { get } } //~ ERROR
    }
}]
pub struct RowKeys;

fn main() {}
