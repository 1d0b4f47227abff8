//! The manifests: the new crate joins the workspace, and the host depends on it with
//! the provider's features, inheriting from `[workspace.dependencies]` when the host
//! does so for tento.

use std::path::Path;

use toml_edit::Value;

use super::{Removal, Step, Unwiring, WireError, Wiring, fakes, relative};
use crate::host::Host;
use crate::patch::cargo_toml;
use crate::plan::Plan;
use crate::spec::ProviderSpec;

/// The workspace member and the host's dependencies.
pub(crate) struct Manifest;

impl Step for Manifest {
    fn add(&self, plan: &mut Plan, cx: &Wiring<'_, '_>) -> Result<(), WireError> {
        // A host with test fakes needs each provider's `testing` feature for them.
        let testing = fakes::present(plan, cx.files);
        wire(plan, cx.host, cx.spec, cx.crate_dir, testing)
    }

    fn unwire(&self, removal: &mut Removal, cx: &Unwiring<'_, '_>) -> Result<(), WireError> {
        unwire(&mut removal.plan, cx.host, &cx.provider.crate_name)
    }
}

/// Plans the workspace member, the workspace dependency (when the host inherits tento
/// from the workspace) and the host's dependency; with `testing`, a dev-dependency with
/// the provider's `testing` feature too.
fn wire(
    plan: &mut Plan,
    host: &Host,
    spec: &ProviderSpec,
    crate_dir: &Path,
    testing: bool,
) -> Result<(), WireError> {
    let crate_name = spec.names.crate_name.as_str();
    let root_manifest = host.root.join("Cargo.toml");
    let mut root = match plan.content_of(&root_manifest) {
        Some(planned) => cargo_toml::parse("Cargo.toml", planned)?,
        None => host.manifest_doc.clone(),
    };
    let member = relative(&host.root, crate_dir);
    cargo_toml::add_member(&mut root, &member);
    let crate_manifest = host.crate_dir.join("Cargo.toml");
    let crate_display = host.display(&crate_manifest);
    let mut host_doc = match plan.content_of(&crate_manifest) {
        Some(planned) => cargo_toml::parse(&crate_display, planned)?,
        None => host.crate_doc.clone(),
    };
    // The host names the crate as it names tento: from the workspace, or by path.
    let inherit = cargo_toml::inherits(&host_doc, "tento");
    if inherit {
        let path = ("path", Value::from(member.as_str()));
        cargo_toml::add_dependency(&mut root, &["workspace", "dependencies"], crate_name, &[path]);
    }
    let source = || match inherit {
        true => ("workspace", Value::from(true)),
        false => ("path", Value::from(relative(&host.crate_dir, crate_dir).as_str())),
    };
    let features = cargo_toml::string_array(&spec.features());
    cargo_toml::add_dependency(
        &mut host_doc,
        &["dependencies"],
        crate_name,
        &[source(), ("features", features)],
    );
    if testing {
        let features = cargo_toml::string_array(&["testing"]);
        cargo_toml::add_dependency(
            &mut host_doc,
            &["dev-dependencies"],
            crate_name,
            &[source(), ("features", features)],
        );
    }
    plan.modify(
        &root_manifest,
        host.manifest.clone(),
        cargo_toml::render(&root, &host.manifest),
        format!("workspace member {member}"),
    );
    plan.modify(
        &crate_manifest,
        host.crate_manifest.clone(),
        cargo_toml::render(&host_doc, &host.crate_manifest),
        format!("dependency {crate_name}"),
    );
    Ok(())
}

/// Plans taking out the workspace member and dependency, and the host crate's
/// dependencies.
fn unwire(plan: &mut Plan, host: &Host, crate_name: &str) -> Result<(), WireError> {
    let mut root = host.manifest_doc.clone();
    let members = cargo_toml::members(&root);
    for member in members
        .iter()
        .filter(|m| m.rsplit('/').next() == Some(crate_name))
    {
        cargo_toml::remove_member(&mut root, member);
    }
    cargo_toml::remove_dependency(&mut root, &["workspace", "dependencies"], crate_name);
    plan.modify(
        host.root.join("Cargo.toml"),
        host.manifest.clone(),
        cargo_toml::render(&root, &host.manifest),
        format!("workspace member {crate_name}"),
    );
    let mut doc = host.crate_doc.clone();
    cargo_toml::remove_dependency(&mut doc, &["dependencies"], crate_name);
    cargo_toml::remove_dependency(&mut doc, &["dev-dependencies"], crate_name);
    plan.modify(
        host.crate_dir.join("Cargo.toml"),
        host.crate_manifest.clone(),
        cargo_toml::render(&doc, &host.crate_manifest),
        format!("dependency {crate_name}"),
    );
    Ok(())
}
