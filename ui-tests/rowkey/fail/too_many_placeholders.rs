use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" {
            ":{a}:{b}:{c}:{d}:{e}:{f}" { ":{g}:{h}:row" { get } } //~ ERROR
        }
    }
}]
pub struct RowKeys;

fn main() {}
