use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" {
            ":activities" { get }
            ":activities" { list } //~ ERROR
        }
        ":~myprovider:{account}" {
            ":activities" { sync } //~ ERROR
        }
    }
}]
pub struct RowKeys;

fn main() {}
