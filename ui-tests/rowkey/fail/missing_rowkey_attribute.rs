use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
pub struct RowKeys; //~ ERROR

fn main() {
    // The stand-in impl keeps this line from adding a second error.
    let _ = <RowKeys as RowKeySchema>::schemas();
}
