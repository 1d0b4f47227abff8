use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" {
            ":activities:" { get } //~ ERROR
            "::activities" { get } //~ ERROR
            ":" { get } //~ ERROR
        }
    }
}]
pub struct RowKeys;

fn main() {}
