use tento::connector::RowKeySchema;

#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::Client] { //~ ERROR
        ":~myprovider:{authId}" {
            ":activities" as ::tento_myprovider::connector::activities::Activities { get }
        }
    }
}]
pub struct RowKeys;

fn main() {}
