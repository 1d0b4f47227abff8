#![allow(dead_code)]

tento::auth_registry! {
    pub struct HostAuthKinds {
        tento_myprovider::connector::MyProvider, //~ ERROR
    }
}

fn main() {}
