use tento::connector::RowKeySchema;

// The prefix itself lists verbs: there is no segment to name its row after.
#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" { get } //~ ERROR
    }
}]
pub struct RowKeys;

fn main() {}
