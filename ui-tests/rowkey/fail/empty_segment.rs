use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" {
            ":activities:" { get }
            "::activities" { get }
            ":" { get }
        }
    }
}]
pub struct RowKeys;

fn main() {}
