//! Rendering a provider crate from the templates: the seeds' layout, the SDK behind a
//! transport seam, the connector with `#[tento::provider]` and one `#[tento::row]`
//! module per row, and with a sync plugin its files.

use minijinja::context;

use crate::spec::{ProviderSpec, SyncPlugin};
use crate::templates::{RenderError, Templates};

/// How the new crate depends on tento, as the value of its `tento = …` line: always,
/// with `http`, since the SDK's client runs on `tento::http`.
pub fn tento_dependency(workspace_has_tento: bool, fallback: &crate::TentoSource) -> String {
    if workspace_has_tento {
        r#"{ workspace = true, features = ["http"] }"#.to_owned()
    } else {
        match fallback {
            crate::TentoSource::Path(path) => {
                format!(
                    r#"{{ path = {:?}, features = ["http"] }}"#,
                    path.display().to_string()
                )
            }
            crate::TentoSource::Version(version) => {
                format!(r#"{{ version = {version:?}, features = ["http"] }}"#)
            }
        }
    }
}

/// Whether `text` is the host test `new` wrote for provider `kind` (shown as
/// `display`): `remove` deletes only such a test, and `new` rewrites only such a test.
/// It carries the line ``Written by `tento-scaffold new <kind>` ``; a test written before
/// that line existed is known by its first line.
pub fn is_host_test(text: &str, kind: &str, display: &str) -> bool {
    text.contains(&format!("//! Written by `tento-scaffold new {kind}`;"))
        || text.starts_with(&format!("//! {display} through the host, end to end:"))
}

/// The host's test of the provider: it syncs each row through the host and reads it
/// back (a provider generated from a spec, from its crate's local server over HTTP).
/// `host_lib` is the host crate's library name.
pub fn render_host_test(
    templates: &Templates,
    spec: &ProviderSpec,
    host_lib: &str,
) -> Result<String, RenderError> {
    let ctx = context! {
        names => &spec.names,
        display => &spec.display,
        rows => &spec.rows,
        host_lib => host_lib,
    };
    let template = if spec.from_openapi {
        "openapi/host_test.rs"
    } else {
        "host-snippets/provider_test.rs"
    };
    templates.render(template, &ctx)
}

/// Every file of the crate, as `(path relative to the crate, content)`.
pub fn render(
    templates: &Templates,
    spec: &ProviderSpec,
    tento_dep: &str,
) -> Result<Vec<(String, String)>, RenderError> {
    let ctx = context! {
        names => &spec.names,
        display => &spec.display,
        rows => &spec.rows,
        sync_plugin => spec.sync_plugin != SyncPlugin::None,
        executor => spec.sync_plugin == SyncPlugin::Full,
        tento_dep => tento_dep,
        from_openapi => spec.from_openapi,
        token_url => &spec.token_url,
        base_url => &spec.base_url,
    };
    let mut files = Vec::new();
    let add = |files: &mut Vec<(String, String)>,
               path: String,
               template: &str,
               ctx: &minijinja::Value|
     -> Result<(), RenderError> {
        files.push((path, templates.render(template, ctx)?));
        Ok(())
    };
    for file in [
        "Cargo.toml",
        "src/lib.rs",
        "src/client.rs",
        "src/oauth.rs",
        "src/connector/mod.rs",
        "tests/connector.rs",
        "tests/api.rs",
    ] {
        add(&mut files, file.to_owned(), &format!("provider/{file}"), &ctx)?;
    }
    for row in &spec.rows {
        files.extend(render_row(templates, spec, row)?);
    }
    let plugin_files: &[&str] = match spec.sync_plugin {
        SyncPlugin::None => &[],
        SyncPlugin::ProviderOnly => &["mod.rs", "provider.rs"],
        SyncPlugin::Full => &[
            "mod.rs",
            "provider.rs",
            "executor.rs",
            "context.rs",
            "deps.rs",
            "state.rs",
        ],
    };
    for file in plugin_files {
        add(
            &mut files,
            format!("src/sync_plugin/{file}"),
            &format!("provider/src/sync_plugin/{file}"),
            &ctx,
        )?;
    }
    Ok(files)
}

/// A row's files, as `(path relative to the crate, content)`: its module (synced, or
/// served on request when it has no stages) and, with `logs`, its `:logs` child row.
pub fn render_row(
    templates: &Templates,
    spec: &ProviderSpec,
    row: &crate::spec::RowSpec,
) -> Result<Vec<(String, String)>, RenderError> {
    let ctx = context! {
        names => &spec.names,
        display => &spec.display,
        row => row,
    };
    let template = if row.stages.is_empty() {
        "provider/src/connector/row_on_request.rs"
    } else {
        "provider/src/connector/row.rs"
    };
    let dir = format!("src/connector/{}", row.names.module);
    let mut files = vec![(format!("{dir}/mod.rs"), templates.render(template, &ctx)?)];
    if row.logs {
        files.push((
            format!("{dir}/logs.rs"),
            templates.render("provider/src/connector/logs.rs", &ctx)?,
        ));
    }
    Ok(files)
}
