#![allow(dead_code)]

tento::auth_registry! {
    pub struct HostAuthKinds {
        tento_myprovider::connector::MyProviderAuth
        tento_myprovider::connector::OtherAuth //~ ERROR
    }
}

fn main() {}
