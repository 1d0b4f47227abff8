use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey { //~ ERROR
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" {
            ":activities" { get }
    }
}]
pub struct RowKeys;

fn main() {}
