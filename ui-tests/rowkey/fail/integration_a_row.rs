use tento::connector::RowKeySchema;

// The row's type where the provider's marker belongs: one error, at it.
#[derive(RowKeySchema)]
#[rowkey {
    [integration = tento_myprovider::connector::activities::Activities] { //~ ERROR
        ":~myprovider:{authId}" {
            ":activities" as tento_myprovider::connector::activities::Activities { get list }
        }
    }
}]
pub struct RowKeys;

fn main() {}
