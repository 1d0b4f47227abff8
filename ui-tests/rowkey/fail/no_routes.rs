use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey { //~ ERROR
    [integration = ::tento_myprovider::connector::MyProvider] {}
}]
pub struct RowKeys;

fn main() {}
