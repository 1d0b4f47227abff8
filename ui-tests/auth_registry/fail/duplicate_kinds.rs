#![allow(dead_code)]

pub mod garmin {
    pub struct GarminAuth;
    impl tento::connector::AuthProvider for GarminAuth {
        const KIND: &'static str = "garmin";
        type AuthId = str;
        type Credentials = serde_json::Value;
    }
}

pub mod fork {
    /// A fork of the garmin provider that kept its kind.
    pub struct GarminForkAuth;
    impl tento::connector::AuthProvider for GarminForkAuth {
        const KIND: &'static str = "garmin";
        type AuthId = str;
        type Credentials = serde_json::Value;
    }
}

tento::auth_registry! {
    pub struct HostAuthKinds { //~ ERROR
        garmin::GarminAuth,
        fork::GarminForkAuth,
    }
}

fn main() {}
