use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    ":~myprovider:{authId}" {
        ":activities" { get }
    }
}]
pub struct RowKeys;

fn main() {}
