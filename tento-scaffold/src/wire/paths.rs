//! How a host names a provider's items: one function per generated name or path, for
//! every step that writes, cuts or checks one (and the spec, which `new` renders from).

/// A connector item's path from a host: `tento_acme::connector::AcmeAuth`.
pub(crate) fn connector_item(lib: &str, item: &str) -> String {
    format!("{lib}::connector::{item}")
}

/// The provider's deps trait: `AcmeBackendDeps`.
pub(crate) fn deps_trait(type_name: &str) -> String {
    format!("{type_name}BackendDeps")
}

/// The provider's auth marker: `AcmeAuth`.
pub(crate) fn auth_type(type_name: &str) -> String {
    format!("{type_name}Auth")
}

/// The deps trait object a host registers and stubs: `dyn tento_acme::connector::AcmeBackendDeps`.
pub(crate) fn deps_type(lib: &str, deps_trait: &str) -> String {
    format!("dyn {}", connector_item(lib, deps_trait))
}

/// The provider's lookup-key prefix, which its integration block routes under:
/// `:~acme:{authId}`.
pub(crate) fn key_prefix(kind: &str) -> String {
    format!(":~{kind}:{{authId}}")
}

/// The line registering a provider's deps (of trait object type `deps_type`) with the
/// host's `IntegrationDeps` `receiver`, passing the host's deps `deps`.
pub(crate) fn deps_registration(receiver: &str, deps: &str, deps_type: &str) -> String {
    format!("{receiver}.register::<{deps_type}>({deps}.clone() as Arc<{deps_type}>);")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deps_type_is_the_connectors_trait_object() {
        let ty = deps_type("tento_acme", &deps_trait("Acme"));
        assert_eq!(ty, "dyn tento_acme::connector::AcmeBackendDeps");
        assert_eq!(
            deps_registration("integrations", "deps", &ty),
            "integrations.register::<dyn tento_acme::connector::AcmeBackendDeps>(deps.clone() as Arc<dyn tento_acme::connector::AcmeBackendDeps>);"
        );
        assert_eq!(
            connector_item("tento_acme", &auth_type("Acme")),
            "tento_acme::connector::AcmeAuth"
        );
    }
}
