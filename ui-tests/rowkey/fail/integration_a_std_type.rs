use tento::connector::RowKeySchema;

// A type that is no integration, over several routes and a nested one: still one error.
#[derive(RowKeySchema)]
#[rowkey {
    [integration = String] { //~ ERROR
        ":~myprovider:{authId}" {
            ":activities" as ::tento_myprovider::connector::activities::Activities {
                get
                ":logs" as ::tento_myprovider::connector::activities::Activities { list }
            }
        }
    }
}]
pub struct RowKeys;

fn main() {}
