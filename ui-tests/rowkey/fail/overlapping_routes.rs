use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" {
            ":activities" { get }
            ":{metric}" as ::tento_myprovider::connector::activities::Activities { get } //~ ERROR
        }
    }
}]
pub struct RowKeys;

fn main() {}
