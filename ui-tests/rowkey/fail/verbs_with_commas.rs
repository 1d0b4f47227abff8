use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" {
            ":activities" { get, list; sync } //~ ERROR ERROR
        }
    }
}]
pub struct RowKeys;

fn main() {}
