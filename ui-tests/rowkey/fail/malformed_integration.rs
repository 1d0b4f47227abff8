use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration ::tento_myprovider::connector::MyProvider] { //~ ERROR
        ":~myprovider:{authId}" { ":activities" { get } }
    }
    [integrations = ::tento_myprovider::connector::MyProvider] { //~ ERROR
        ":~myprovider:{authId}" { ":activities" { get } }
    }
    [integration = "::tento_myprovider::connector::MyProvider"] { //~ ERROR
        ":~myprovider:{authId}" { ":activities" { get } }
    }
    [integration = ] { //~ ERROR
        ":~myprovider:{authId}" { ":activities" { get } }
    }
    [integration = ::tento_myprovider::connector::MyProvider] //~ ERROR
}]
pub struct RowKeys;

fn main() {}
