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

/// The templates, ready to render.
pub struct Templates {
    env: Environment<'static>,
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
        Templates { env }
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
    fn every_embedded_template_parses() {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}
