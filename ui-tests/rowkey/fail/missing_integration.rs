use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    ":~myprovider:{authId}" { //~ ERROR
        ":activities" { get }
    }
}]
pub struct RowKeys;

fn main() {}
