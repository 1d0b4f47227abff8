//! The embedded templates, rendered with minijinja. Each is compiled into the binary,
//! so the CLI works from anywhere without the source tree.

use minijinja::{Environment, UndefinedBehavior, Value};

include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// A template that failed to render: a bug in a template, reported with its name.
#[derive(Debug, thiserror::Error)]
#[error("template {name} failed to render: {source}")]
pub struct RenderError {
    /// The template.
    pub name: String,
    /// minijinja's error.
    #[source]
    pub source: minijinja::Error,
}

/// A host's template override that cannot be used; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum OverrideError {
    /// A file shadowing no embedded template: a typo, or a template this version lacks.
    #[error(
        "{0} overrides no template of this tento-scaffold; rename it after one that `tento-scaffold templates export DIR` writes, or delete it"
    )]
    Unknown(String),
    /// A file that does not parse as a template.
    #[error("{file} is not a valid template: {source}; fix it, or delete it to use the embedded one")]
    Parse {
        /// The file.
        file: String,
        /// minijinja's error.
        source: minijinja::Error,
    },
    /// A file that cannot be read.
    #[error("could not read {file}: {source}")]
    Read {
        /// The file.
        file: String,
        /// Why.
        source: std::io::Error,
    },
}

/// Where a host keeps its template overrides, relative to its root.
pub const OVERRIDES_DIR: &str = ".tento/templates";

/// The templates, ready to render.
#[derive(Clone)]
pub struct Templates {
    env: Environment<'static>,
    overridden: Vec<String>,
}

impl Templates {
    /// The embedded templates. Undefined variables are errors, so a template and the
    /// code that feeds it cannot drift apart silently.
    pub fn embedded() -> Self {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(true);
        for (name, source) in TEMPLATES {
            // The sources are ours and compiled in; `every_embedded_template_parses`
            // tests each, so a broken one fails the build's tests, not a user's run.
            let _ = env.add_template(name, source);
        }
        Templates {
            env,
            overridden: Vec::new(),
        }
    }

    /// Every embedded template as `(name, source)`, for `templates export`.
    pub fn embedded_sources() -> &'static [(&'static str, &'static str)] {
        TEMPLATES
    }

    /// These templates with the host's own: each `<name>.j2` under the host's
    /// [`OVERRIDES_DIR`] shadows the embedded template `<name>`.
    pub fn with_overrides(&self, host_root: &std::path::Path) -> Result<Templates, OverrideError> {
        let dir = host_root.join(OVERRIDES_DIR);
        if !dir.is_dir() {
            return Ok(self.clone());
        }
        let mut out = self.clone();
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            let path = entry.path();
            if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "j2") {
                continue;
            }
            let file = path.strip_prefix(host_root).unwrap_or(path).display().to_string();
            let rel = path
                .strip_prefix(&dir)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            let name = rel.trim_end_matches(".j2").to_owned();
            if !TEMPLATES.iter().any(|(n, _)| *n == name) {
                return Err(OverrideError::Unknown(file));
            }
            let source = std::fs::read_to_string(path).map_err(|source| OverrideError::Read {
                file: file.clone(),
                source,
            })?;
            // The environment holds `'static` sources; an override lives as long as the
            // process, which is one command.
            let name: &'static str = Box::leak(name.into_boxed_str());
            let source: &'static str = Box::leak(source.into_boxed_str());
            out.env
                .add_template(name, source)
                .map_err(|source| OverrideError::Parse { file, source })?;
            out.overridden.push(name.to_owned());
        }
        Ok(out)
    }

    /// Whether any template is the host's own, whose layout rustfmt must then check.
    pub fn has_overrides(&self) -> bool {
        !self.overridden.is_empty()
    }

    /// Renders template `name` with `ctx`.
    pub fn render(&self, name: &str, ctx: &Value) -> Result<String, RenderError> {
        let wrap = |source| RenderError {
            name: name.to_owned(),
            source,
        };
        self.env
            .get_template(name)
            .map_err(wrap)?
            .render(ctx)
            .map_err(wrap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_template_shadows_the_embedded_one_and_a_stray_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let over = dir.path().join(OVERRIDES_DIR).join("host-snippets");
        std::fs::create_dir_all(&over).unwrap();
        std::fs::write(
            over.join("provider_test.rs.j2"),
            "// {{ host_lib }} by the host\n",
        )
        .unwrap();
        let templates = Templates::embedded().with_overrides(dir.path()).unwrap();
        assert!(templates.has_overrides());
        let ctx = minijinja::context! { host_lib => "h" };
        assert_eq!(
            templates.render("host-snippets/provider_test.rs", &ctx).unwrap(),
            "// h by the host\n"
        );
        std::fs::write(over.join("typo.rs.j2"), "x").unwrap();
        let err = Templates::embedded()
            .with_overrides(dir.path())
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("typo.rs.j2 overrides no template"), "{err}");
        std::fs::remove_file(over.join("typo.rs.j2")).unwrap();
        std::fs::write(over.join("provider_test.rs.j2"), "{% if %}").unwrap();
        let err = Templates::embedded()
            .with_overrides(dir.path())
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("is not a valid template"), "{err}");
    }

    #[test]
    fn every_embedded_template_parses() {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}
