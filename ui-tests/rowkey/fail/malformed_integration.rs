use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" { ":activities" { get } }
    }
    [integrations = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" { ":activities" { get } }
    }
    [integration = "::tento_myprovider::connector::MyProvider"] {
        ":~myprovider:{authId}" { ":activities" { get } }
    }
    [integration = ] {
        ":~myprovider:{authId}" { ":activities" { get } }
    }
    [integration = ::tento_myprovider::connector::MyProvider]
}]
pub struct RowKeys;

fn main() {}
