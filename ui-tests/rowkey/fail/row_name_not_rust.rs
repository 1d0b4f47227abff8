use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" {
            ":7days" { get } //~ ERROR
            ":type" { get } //~ ERROR
            ":{day}" { get } //~ ERROR
        }
        ":~myprovider:{authId}:activities" { get } //~ ERROR
    }
}]
pub struct RowKeys;

fn main() {}
