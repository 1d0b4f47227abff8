use tento::connector::RowKeySchema;

// No `activitiez` module under `tento_myprovider::connector`, and no `Logs` row under
// its `activities` module.
#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" {
            ":activitiez" { get } //~ ERROR
            ":activities" { get
                ":logs" { list } //~ ERROR
            }
        }
    }
}]
pub struct RowKeys;

fn main() {}
