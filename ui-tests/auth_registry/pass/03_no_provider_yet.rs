//! A host with no provider yet, as `tento-scaffold init` writes it: the registry is
//! empty, decodes nothing and lists nothing.
#![deny(missing_docs, warnings)]

use tento::connector::AuthRegistry;

tento::auth_registry! {
    /// Every auth kind this host resolves: none yet.
    pub struct HostAuthKinds {
    }
}

fn main() {
    assert!(HostAuthKinds::KINDS.is_empty());
    assert_eq!(HostAuthKinds::providers().count(), 0);
    let err = HostAuthKinds::decode("garmin", serde_json::json!({})).err().unwrap();
    assert!(err.to_string().contains("garmin"), "{err}");
}
