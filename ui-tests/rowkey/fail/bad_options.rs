use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey(crate = "not a path")] //~ ERROR
#[rowkey(krate = "::tento")] //~ ERROR
#[rowkey = "routes"] //~ ERROR
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" { ":activities" { get } }
    }
}]
#[rowkey {}] //~ ERROR
pub struct RowKeys;

fn main() {}
