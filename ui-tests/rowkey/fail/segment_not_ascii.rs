use tento::connector::RowKeySchema;

// Refused as `#[tento::row]` refuses a key that is not ASCII, with its ASCII spelling.
#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" {
            ":activités" { get } //~ ERROR
        }
    }
}]
pub struct RowKeys;

fn main() {}
