#![allow(dead_code)]

tento::auth_registry! {
    pub struct HostAuthKinds {
        tento_myprovider::connector::MyProviderAuth,
        tento_garmin::connector::GarminAuth, //~ ERROR
    }
}

fn main() {}
