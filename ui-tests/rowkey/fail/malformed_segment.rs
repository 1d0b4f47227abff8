use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" {
            "activities" { get }
            ":my activities" { get }
            ":activ}ties" { get }
            activities { get }
        }
    }
}]
pub struct RowKeys;

fn main() {}
