use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        get //~ ERROR
        ":~myprovider:{authId}" {
            ":activities" { } //~ ERROR
            ":activities" as ::tento_myprovider::connector::activities::Activities { ":logs" { } } //~ ERROR ERROR
            { get } //~ ERROR
            42 //~ ERROR
        }
    }
}]
pub struct RowKeys;

fn main() {}
