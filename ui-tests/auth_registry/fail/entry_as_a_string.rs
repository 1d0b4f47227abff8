#![allow(dead_code)]

tento::auth_registry! {
    pub struct HostAuthKinds {
        "myprovider", //~ ERROR
    }
}

fn main() {}
