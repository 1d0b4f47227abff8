use tento::connector::RowKeySchema;

// Three mistakes, three errors: nothing downstream (the use of `RowKeys` in `main`,
// the other routes) adds a fourth.
#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" {
            ":activities" { get lists } //~ ERROR
            ":sleep:" { get } //~ ERROR
            ":heart" { } //~ ERROR
            ":steps" { get }
        }
    }
}]
pub struct RowKeys;

fn main() {
    let _ = RowKeys::resolve(":~myprovider:a:steps");
}
