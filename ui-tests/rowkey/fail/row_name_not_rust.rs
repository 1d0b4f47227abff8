use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" {
            ":7days" { get }
            ":type" { get }
            ":{day}" { get }
        }
        ":~myprovider:{authId}:activities" { get }
    }
}]
pub struct RowKeys;

fn main() {}
