use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {}]
pub struct RowKeys;

fn main() {}
