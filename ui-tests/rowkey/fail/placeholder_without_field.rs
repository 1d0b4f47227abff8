use tento::connector::RowKeySchema;

// `MyProviderParams` has `auth_id` (from `authId`), not `account_id`; and `Activities`
// has `()` for params, so a row-level `{day}` has nowhere to go.
#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{accountId}" { //~ ERROR
            ":activities" { get }
        }
        ":~myprovider:{authId}:{region}" { //~ ERROR
            ":{day}:activities" as ::tento_myprovider::connector::activities::Activities { get } //~ ERROR
        }
    }
}]
pub struct RowKeys;

fn main() {}
