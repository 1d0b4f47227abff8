use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" {
            ":activities" { gte lsit update fetch_everything } //~ ERROR ERROR ERROR ERROR
        }
    }
}]
pub struct RowKeys;

fn main() {}
