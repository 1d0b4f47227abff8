//! The manifests: the new crate joins the workspace, and the host depends on it with
//! the provider's features, inheriting from `[workspace.dependencies]` when the host
//! does so for tento.

use std::path::Path;

use toml_edit::Value;

use super::{WireError, relative};
use crate::host::Host;
use crate::patch::cargo_toml;
use crate::plan::Plan;
use crate::spec::ProviderSpec;

/// Plans the workspace member, the workspace dependency (when the host inherits tento
/// from the workspace) and the host's dependency; with `testing`, a dev-dependency with
/// the provider's `testing` feature too.
pub fn wire(
    plan: &mut Plan,
    host: &Host,
    spec: &ProviderSpec,
    crate_dir: &Path,
    testing: bool,
) -> Result<(), WireError> {
    let crate_name = spec.names.crate_name.as_str();
    let root_manifest = host.root.join("Cargo.toml");
    let mut root = cargo_toml::parse(
        "Cargo.toml",
        plan.content_of(&root_manifest).unwrap_or(&host.manifest),
    )?;
    let member = relative(&host.root, crate_dir);
    cargo_toml::add_member(&mut root, &member);
    let crate_manifest = host.crate_dir.join("Cargo.toml");
    let crate_display = host.display(&crate_manifest);
    let mut host_doc = cargo_toml::parse(
        &crate_display,
        plan.content_of(&crate_manifest).unwrap_or(&host.crate_manifest),
    )?;
    let inherit = cargo_toml::inherits(&host_doc, "tento");
    let features = cargo_toml::string_array(&spec.features());
    if inherit {
        cargo_toml::add_dependency(
            &mut root,
            &["workspace", "dependencies"],
            crate_name,
            &[("path", Value::from(member.as_str()))],
        );
        cargo_toml::add_dependency(
            &mut host_doc,
            &["dependencies"],
            crate_name,
            &[("workspace", Value::from(true)), ("features", features)],
        );
    } else {
        let path = relative(&host.crate_dir, crate_dir);
        cargo_toml::add_dependency(
            &mut host_doc,
            &["dependencies"],
            crate_name,
            &[("path", Value::from(path.as_str())), ("features", features)],
        );
    }
    if testing {
        let mut fields = if inherit {
            vec![("workspace", Value::from(true))]
        } else {
            vec![("path", Value::from(relative(&host.crate_dir, crate_dir).as_str()))]
        };
        fields.push(("features", cargo_toml::string_array(&["testing"])));
        cargo_toml::add_dependency(&mut host_doc, &["dev-dependencies"], crate_name, &fields);
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
