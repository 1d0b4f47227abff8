use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}:{authId}" { ":activities" { get } } //~ ERROR
        ":~myprovider:{authId}" {
            ":activities:{authId}" { get } //~ ERROR
        }
    }
}]
pub struct RowKeys;

fn main() {}
