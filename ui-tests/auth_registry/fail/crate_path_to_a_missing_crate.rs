#![allow(dead_code)]

pub struct GarminAuth;
impl tento::connector::AuthProvider for GarminAuth {
    const KIND: &'static str = "garmin";
    type AuthId = str;
    type Credentials = serde_json::Value;
}

tento::auth_registry! {
    #[tento(crate = "::tento_connector")] //~ ERROR
    pub struct HostAuthKinds {
        GarminAuth,
    }
}

fn main() {}
