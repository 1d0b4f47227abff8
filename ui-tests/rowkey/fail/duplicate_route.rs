use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" {
            ":activities" { get }
            ":activities" { list }
        }
        ":~myprovider:{account}" {
            ":activities" { sync }
        }
    }
}]
pub struct RowKeys;

fn main() {}
