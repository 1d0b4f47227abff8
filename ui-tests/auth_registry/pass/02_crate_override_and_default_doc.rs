//! `#[tento(crate = "…")]` points the registry at a crate re-exporting tento; without a
//! doc comment of its own the struct gets one, so `missing_docs` holds.
#![deny(warnings, missing_docs)]

/// A connector crate of the user's own, re-exporting tento.
pub mod my_connector {
    pub use tento::*;
}

use my_connector::connector::AuthRegistry;

/// Marker.
pub struct OneAuth;
impl my_connector::connector::AuthProvider for OneAuth {
    const KIND: &'static str = "one";
    type AuthId = str;
    type Credentials = serde_json::Value;
}

tento::auth_registry! {
    #[tento(crate = "crate::my_connector")]
    pub struct Kinds {
        OneAuth,
    }
}

fn main() {
    let decoded = Kinds::decode("one", serde_json::json!([1])).unwrap();
    assert_eq!(decoded.downcast_ref::<serde_json::Value>(), Some(&serde_json::json!([1])));
}
