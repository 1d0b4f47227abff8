use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" {
            "activities" { get } //~ ERROR
            ":my activities" { get } //~ ERROR
            ":activ}ties" { get } //~ ERROR
            activities { get } //~ ERROR
        }
    }
}]
pub struct RowKeys;

fn main() {}
