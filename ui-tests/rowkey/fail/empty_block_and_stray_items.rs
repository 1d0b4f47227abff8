use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        get
        ":~myprovider:{authId}" {
            ":activities" { }
            ":activities" as ::tento_myprovider::connector::activities::Activities { ":logs" { } }
            { get }
            42
        }
    }
}]
pub struct RowKeys;

fn main() {}
