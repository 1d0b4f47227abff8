use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}:{authId}" { ":activities" { get } }
        ":~myprovider:{authId}" {
            ":activities:{authId}" { get }
        }
    }
}]
pub struct RowKeys;

fn main() {}
